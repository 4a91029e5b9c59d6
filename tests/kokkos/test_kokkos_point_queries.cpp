// compute re/atom/kk's device path (reval::kokkos::PointQueriesDevice + REAtomCellFunctor, and
// REAtomFewPointsFunctor), run on the host execution space and, in a GPU build (the GPU kit), on the
// default (device) execution space as well: the
// distances to the nearest point of two grids equal reval::PointQueries (the plain style's code) and
// brute force, bit for bit; group mask, migrating atoms (r = 0) and atoms out of reach (untouched).
// The /kk style itself takes the plain style's code on host execution spaces (tests/kokkos/
// test_kokkos_sites.cpp compares the styles), so this is where the device path is checked without a GPU.
#include "core/point_grid.h"
#include "kernels/kokkos/site_kokkos.hpp"
#include "point_test_support.h"
#include "unit_boxes.h"

#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace {
using HostDevice = Kokkos::Device<Kokkos::DefaultHostExecutionSpace, Kokkos::HostSpace>;
namespace rk = reval::kernels;

using reval::test::brute_nearest;

// a GPU build cannot start Kokkos where no GPU is usable (Kokkos throws): the test then skips, naming why
std::string kokkos_problem;

struct KokkosOnce : ::testing::Environment {
  void SetUp() override
  {
    if (Kokkos::is_initialized()) return;
    try {
      Kokkos::initialize();    // finalized by the test main (LAMMPS' finalize)
    } catch (const std::exception &e) {
      kokkos_problem = e.what();
      kokkos_problem = kokkos_problem.substr(0, kokkos_problem.find('\n'));
    }
  }
};
const auto *const kokkos_env = ::testing::AddGlobalTestEnvironment(new KokkosOnce);

template <class Device>
void run_case(int nvac, int nmig, int natoms, unsigned seed)
{
  using exec_space = typename Device::execution_space;
  const double rmax = 5.5;
  const rk::BoxGeom box = reval::test::make_box(40.0, 36.0, 33.0, 6.0, -3.0, 4.0);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-0.2, 1.2);
  auto draw = [&](int n) {
    std::vector<double> p(3 * n);
    for (int k = 0; k < n; ++k) {
      const double l[3] = {u(rng), u(rng), u(rng)};
      rk::lamda2x(box, l, &p[3 * k]);
    }
    return p;
  };
  const std::vector<double> vac = draw(nvac), xs = draw(natoms);
  // as in compute re/atom, the migrating atoms (every third group atom, when there are many points) are
  // points of the migrating set themselves
  std::vector<double> mig = draw(nmig);
  std::vector<int> hmask(natoms);
  std::vector<double> hflag(natoms);
  for (int i = 0; i < natoms; ++i) {
    hmask[i] = i % 5 == 4 ? 2 : 3;    // groupbit 1: every fifth atom outside
    hflag[i] = nmig > rk::kFewPoints && (hmask[i] & 1) && i % 3 == 0 ? 1.0 : 0.0;
    if (hflag[i] > 0.5) mig.insert(mig.end(), &xs[3 * i], &xs[3 * i] + 3);
  }
  nmig = static_cast<int>(mig.size() / 3);
  const double lo[3] = {-0.1, -0.1, -0.1}, hi[3] = {1.1, 1.1, 1.1};
  reval::PointGrid vg, mg;
  vg.build(box, lo, hi, vac.data(), nvac, rmax);
  mg.build(box, lo, hi, mig.data(), nmig, rmax);
  reval::kokkos::PointDeviceGrid<Device> dvg, dmg;
  dvg.upload_from(vg);
  dmg.upload_from(mg);
  const rk::PointGridView dv = dvg.view(vg.view()), dm = dmg.view(mg.view());

  Kokkos::View<double *[3], Kokkos::LayoutRight, Device> x("x", natoms);
  Kokkos::View<int *, Device> mask("mask", natoms);
  Kokkos::View<double *, Device> flag("flag", natoms);
  Kokkos::View<double **, Kokkos::LayoutRight, Device> array("array", natoms, 5);
  {
    auto hx = Kokkos::create_mirror_view(x);
    auto hm = Kokkos::create_mirror_view(mask);
    auto hf = Kokkos::create_mirror_view(flag);
    auto ha = Kokkos::create_mirror_view(array);
    for (int i = 0; i < natoms; ++i) {
      for (int d = 0; d < 3; ++d) hx(i, d) = xs[3 * i + d];
      hm(i) = hmask[i];
      hf(i) = hflag[i];
      ha(i, 2) = ha(i, 3) = rmax;
    }
    Kokkos::deep_copy(x, hx);
    Kokkos::deep_copy(mask, hm);
    Kokkos::deep_copy(flag, hf);
    Kokkos::deep_copy(array, ha);
  }
  const bool few = nvac <= rk::kFewPoints && nmig <= rk::kFewPoints;
  if (few) {
    reval::kokkos::REAtomFewPointsFunctor<Device, decltype(x), decltype(mask), decltype(array)> f{
        x, mask, 1, dv, dm, flag, array};
    Kokkos::parallel_for(Kokkos::RangePolicy<exec_space>(0, natoms), f);
  } else {
    reval::kokkos::PointQueriesDevice<Device> q;
    q.collect(dv, dm, natoms, x, mask, 1);
    using Cell = reval::kokkos::REAtomCellFunctor<Device, decltype(x), decltype(array)>;
    Cell cf{x, dv, dm, q.active, q.start, q.perm, flag, array, 0};
    Kokkos::TeamPolicy<exec_space> cells(q.nactive, Kokkos::AUTO);
    Kokkos::parallel_for(cells.set_scratch_size(0, Kokkos::PerTeam(Cell::scratch_bytes(dv, dm))), cf);
    // the plain style's code on the same input: the same queries
    reval::PointQueries pq;
    pq.collect(vg.view(), mg.view(), natoms, xs.data(), hmask.data(), 1, hflag.data());
    EXPECT_EQ(q.nqueries, pq.nqueries());
    EXPECT_EQ(q.nactive, pq.ncells());
  }
  Kokkos::fence();
  const auto array_h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), array);
  // on the host the same bits; a GPU may fuse multiply-adds (a few ulp)
  constexpr bool host = Kokkos::SpaceAccessibility<exec_space, Kokkos::HostSpace>::accessible;
  auto same = [&](double got, double want) { return host ? got == want : std::abs(got - want) <= 1e-12 * rmax; };
  int within = 0;
  for (int i = 0; i < natoms; ++i) {
    const double *xi = &xs[3 * i];
    const bool in = (hmask[i] & 1) != 0;
    const double wv = in ? brute_nearest(vac, xi, rmax) : rmax;
    const double wm = !in ? rmax : (hflag[i] > 0.5 ? 0.0 : brute_nearest(mig, xi, rmax));
    EXPECT_TRUE(same(array_h(i, 2), wv)) << "atom " << i << ": " << array_h(i, 2) << " vs " << wv << ", " << nvac
                                          << " vacancies";
    EXPECT_TRUE(same(array_h(i, 3), wm)) << "atom " << i << ": " << array_h(i, 3) << " vs " << wm << ", " << nmig
                                          << " migrating atoms";
    within += wv < rmax;
  }
  if (nvac > 20) {
    EXPECT_GT(within, 0);
  }
}
}    // namespace

TEST(KokkosPointQueries, DevicePathEqualsHostAndBruteForce)
{
  if (!kokkos_problem.empty()) GTEST_SKIP() << "Kokkos is built for a GPU, but none is usable here: " << kokkos_problem;
  unsigned seed = 11;
  for (int nvac : {0, 1, rk::kFewPoints, 9, 150, 2000})
    for (int nmig : {0, 3, 40, 3000}) {
      run_case<HostDevice>(nvac, nmig, 2500, seed);
      // a GPU build: the device's own execution space too (the same inputs)
      if constexpr (!std::is_same<Kokkos::DefaultExecutionSpace, Kokkos::DefaultHostExecutionSpace>::value)
        run_case<Kokkos::DefaultExecutionSpace::device_type>(nvac, nmig, 2500, seed);
      ++seed;
    }
}
