// The LAMMPS-free site index (core/site_index.h): lattice capture from numbers, grid and lists over
// owned sites + periodic ghost copies, spacing estimates, rebuild policy under deformation, box flips.
#include "core/site_index.h"
#include "kernels/point/site_search.hpp"
#include "unit_boxes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

using namespace reval;
using kernels::BoxGeom;

namespace {

using reval::test::make_box;

const std::vector<std::array<double, 3>> kDiamond = {{0, 0, 0},          {0, 0.5, 0.5},      {0.5, 0, 0.5},
                                                      {0.5, 0.5, 0},      {0.25, 0.25, 0.25}, {0.25, 0.75, 0.75},
                                                      {0.75, 0.25, 0.75}, {0.75, 0.75, 0.25}};
constexpr double kA = 5.431;

// A cubic lattice map as LAMMPS' lattice2box would report it: origin at the box corner, tips at a.
LatticeMap diamond_map(const BoxGeom &box)
{
  const double o[3] = {box.boxlo[0], box.boxlo[1], box.boxlo[2]};
  double tips[3][3];
  for (int c = 0; c < 3; ++c)
    for (int d = 0; d < 3; ++d) tips[c][d] = o[d] + (c == d ? kA : 0.0);
  return lattice_map_from_images(o, tips, kDiamond);
}

// One rank owning the whole box: owned sites + periodic ghost copies within `margin` Å.
void build_single_rank(SiteIndex &idx, const BoxGeom &box, double margin_length, double rvac)
{
  std::vector<double> lam;
  std::vector<int64_t> gid;
  const int64_t n = enumerate_lattice_sites(box, diamond_map(box), [&](int64_t i, const double *l) {
    lam.insert(lam.end(), l, l + 3);
    gid.push_back(i);
  });
  idx.assign_owned(lam, gid);
  idx.set_total(n, n);
  const ProcBox own{{0, 0, 0}, {1, 1, 1}};
  const std::vector<ProcBox> boxes{own};
  double margin[3];
  for (int d = 0; d < 3; ++d) margin[d] = margin_length * kernels::lamda_per_length(box, d);
  std::vector<double> all = lam;
  std::vector<int64_t> allg = gid;
  std::vector<GhostTarget> t;
  for (size_t i = 0; i < gid.size(); ++i) {
    t.clear();
    ghost_targets(&lam[3 * i], own, boxes, margin, box.periodic, 0, t);
    for (auto &g : t) {
      for (int d = 0; d < 3; ++d) all.push_back(lam[3 * i + d] + g.shift[d]);
      allg.push_back(gid[i]);
    }
  }
  idx.assign_local(all, allg, static_cast<int>(gid.size()), own, margin, box, rvac);
}

void set_nn(SiteIndex &idx, const BoxGeom &box, double cap)
{
  const NnScan s = idx.scan_nn(box, cap);
  ASSERT_GT(s.count, 0.0);
  idx.set_nn_distance(s.sum / s.count, box);
}

// brute-force nearest owned site (minimum image) of a Cartesian point: global index and distance
std::pair<int64_t, double> brute_nearest(const SiteIndex &idx, const BoxGeom &box, const double x[3])
{
  double best = std::numeric_limits<double>::max();
  int64_t g = -1;
  double lx[3];
  kernels::x2lamda(box, x, lx);
  for (int i = 0; i < idx.nown(); ++i) {
    double dl[3];
    for (int d = 0; d < 3; ++d) {
      dl[d] = lx[d] - idx.lam()[3 * i + d];
      dl[d] -= std::round(dl[d]);
    }
    double dx[3] = {box.h[0] * dl[0] + box.h[5] * dl[1] + box.h[4] * dl[2], box.h[1] * dl[1] + box.h[3] * dl[2],
                    box.h[2] * dl[2]};
    // minimum image over the neighbouring images too (triclinic)
    for (int a = -1; a <= 1; ++a)
      for (int b = -1; b <= 1; ++b)
        for (int c = -1; c <= 1; ++c) {
          const double e[3] = {dx[0] + a * box.h[0] + b * box.h[5] + c * box.h[4], dx[1] + b * box.h[1] + c * box.h[3],
                               dx[2] + c * box.h[2]};
          const double r = std::sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
          if (r < best) {
            best = r;
            g = idx.gid()[i];
          }
        }
  }
  return {g, best};
}

}    // namespace

TEST(SiteIndex, LatticeMapFromImages)
{
  const double o[3] = {1.0, 2.0, 3.0};
  const double tips[3][3] = {{4.0, 2.0, 3.0}, {1.5, 5.0, 3.0}, {1.0, 2.0, 7.0}};
  const LatticeMap m = lattice_map_from_images(o, tips, {{0, 0, 0}, {0.5, 0.5, 0.5}});
  for (int d = 0; d < 3; ++d) EXPECT_EQ(m.p0[d], o[d]);
  EXPECT_EQ(m.a[0][0], 3.0);
  EXPECT_EQ(m.a[0][1], 0.0);
  EXPECT_EQ(m.a[1][0], 0.5);
  EXPECT_EQ(m.a[1][1], 3.0);
  EXPECT_EQ(m.a[2][2], 4.0);
  ASSERT_EQ(m.basis.size(), 2u);
  EXPECT_EQ(m.basis[1][2], 0.5);
}

TEST(SiteIndex, SpacingsOfDiamond)
{
  const BoxGeom box = make_box(2 * kA, 2 * kA, 2 * kA);
  SiteIndex idx;
  build_single_rank(idx, box, 7.5, 1.1);
  EXPECT_EQ(idx.nown(), 64);
  EXPECT_GT(idx.nghost(), 0);
  EXPECT_EQ(idx.nsites_total(), 64);
  const NnScan s = idx.scan_nn(box, 5.5);
  EXPECT_EQ(s.count, 64.0);
  EXPECT_NEAR(s.sum / s.count, kA * std::sqrt(3.0) / 4, 1e-12);
  EXPECT_NEAR(s.closest, kA * std::sqrt(3.0) / 4, 1e-12);
  EXPECT_NE(s.pair[0], s.pair[1]);
  EXPECT_FALSE(idx.lists().built());
  idx.set_nn_distance(s.sum / s.count, box);
  EXPECT_TRUE(idx.lists().built());
  EXPECT_NEAR(idx.nn_cut2(), std::pow(1.1 * kA * std::sqrt(3.0) / 4, 2), 1e-12);
  // second distinct shell of diamond: a / sqrt(2)
  const ShellScan sh = idx.scan_second_shell(box, 2.5 * idx.nn_distance());
  EXPECT_EQ(sh.count, 64.0);
  EXPECT_NEAR(sh.sum / sh.count, kA / std::sqrt(2.0), 1e-12);
}

TEST(SiteIndex, SlotsMapToLocalAndGlobalSites)
{
  const BoxGeom box = make_box(2 * kA, 2 * kA, 2 * kA, 1.0, -0.5, 0.7);
  SiteIndex idx;
  build_single_rank(idx, box, 7.5, 1.1);
  set_nn(idx, box, 5.5);
  idx.refresh_coords(box);
  const auto view = idx.grid().view(box);
  const auto slots = idx.gid_of_slots();
  ASSERT_EQ(static_cast<int>(slots.size()), idx.nown() + idx.nghost());
  for (int s = 0; s < idx.grid().npoints(); ++s) {
    const int l = idx.local_of_slot(s);
    EXPECT_EQ(idx.gid_of_slot(s), idx.gid()[l]);
    EXPECT_EQ(slots[s], static_cast<double>(idx.gid()[l]));
    double x[3];
    kernels::lamda2x(box, &idx.lam()[3 * l], x);
    EXPECT_NEAR(view.px[s], x[0], 1e-12);
    EXPECT_NEAR(view.py[s], x[1], 1e-12);
    EXPECT_NEAR(view.pz[s], x[2], 1e-12);
  }
}

TEST(SiteIndex, StaysExactUnderDeformation)
{
  BoxGeom box = make_box(3 * kA, 3 * kA, 3 * kA);
  SiteIndex idx;
  build_single_rank(idx, box, 7.5, 1.1);
  set_nn(idx, box, 5.5);
  EXPECT_TRUE(idx.refresh_coords(box));
  EXPECT_FALSE(idx.refresh_coords(box));
  EXPECT_FALSE(idx.keep_exact(box, 1.1));
  const int epoch = idx.epoch();
  // 25% compression along x and a shear: the lists shrink beyond kListRebuild -> rebuilt
  BoxGeom squeezed = make_box(0.75 * 3 * kA, 3 * kA, 3 * kA, 2.0, 0.0, 0.0);
  EXPECT_TRUE(idx.keep_exact(squeezed, 1.1));
  EXPECT_GT(idx.epoch(), epoch);
  EXPECT_TRUE(idx.refresh_coords(squeezed));
  EXPECT_GE(idx.lists().radius_now(squeezed), SiteIndex::kListRebuild * idx.lists().build_radius());
  // bins far thinner than a huge rvac -> a new layout, still exact
  EXPECT_TRUE(idx.keep_exact(squeezed, 3.0));
  EXPECT_TRUE(idx.grid().thick_enough(squeezed, 3.0));
  idx.refresh_coords(squeezed);
  const auto view = idx.grid().view(squeezed);
  const auto lists = idx.lists().view(squeezed);
  // nearest sites of points near the sites and at random spots equal brute force, also from a guess
  uint64_t state = 12345;
  auto rnd = [&state]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / static_cast<double>(1ULL << 53);
  };
  for (int k = 0; k < 200; ++k) {
    const double l[3] = {rnd(), rnd(), rnd()};
    double x[3];
    kernels::lamda2x(squeezed, l, x);
    const auto ref = brute_nearest(idx, squeezed, x);
    const kernels::NearestTwo n = kernels::nearest_two_sites(view, x, 5.5);
    ASSERT_GE(n.s1, 0);
    EXPECT_EQ(idx.gid_of_slot(n.s1), ref.first);
    EXPECT_NEAR(n.d1, ref.second, 1e-10);
    int within[4], nw = 0;
    kernels::NearestTwo g;
    if (kernels::nearest_two_from_guess(view, lists, n.s1, x, 5.5, 0.0, g, within, nw, 4)) {
      EXPECT_EQ(idx.gid_of_slot(g.s1), ref.first);
      EXPECT_NEAR(g.d1, ref.second, 1e-10);
    }
  }
}

// Any slot of the grid is a valid guess for the per-atom site analysis (compute vacancy/sites keeps
// last step's nearest slots as guesses across reneighborings, when atoms may have changed indices): a
// wrong guess only makes the search fall back, and the result (nearest two sites, distances, the
// sites counted within rvac) is that of the search without a guess.
TEST(SiteIndex, AnyGuessGivesTheResultWithoutGuess)
{
  const BoxGeom box = make_box(3 * kA, 3 * kA, 3 * kA, 1.5, 0.0, 0.0);
  SiteIndex idx;
  build_single_rank(idx, box, 7.5, 1.1);
  set_nn(idx, box, 5.5);
  idx.refresh_coords(box);
  const auto view = idx.grid().view(box);
  const auto lists = idx.lists().view(box);
  const int *order = idx.grid().order().data();
  const int nslots = idx.grid().npoints();
  uint64_t state = 777;
  auto rnd = [&state]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / static_cast<double>(1ULL << 53);
  };
  int from_guess = 0;
  for (int k = 0; k < 300; ++k) {
    // near a site (the usual case) or anywhere
    double x[3];
    const int s = static_cast<int>(rnd() * nslots);
    const double shake = k % 3 == 0 ? 2.0 : 0.6;
    for (int d = 0; d < 3; ++d) x[d] = (d == 0 ? view.px : d == 1 ? view.py : view.pz)[s] + shake * (rnd() - 0.5);
    std::vector<int> want_counted, got_counted;
    const auto count_want = [&want_counted](int local) { want_counted.push_back(local); };
    kernels::NearestTwo want;
    kernels::site_analyse_atom(view, lists, -1, x, 5.5, 1.1, true, order, count_want, want);
    std::sort(want_counted.begin(), want_counted.end());
    for (int guess : {want.s1, want.s2, s, static_cast<int>(rnd() * nslots), 0, nslots - 1}) {
      got_counted.clear();
      const auto count_got = [&got_counted](int local) { got_counted.push_back(local); };
      kernels::NearestTwo got;
      got.s1 = 12345;    // overwritten
      kernels::site_analyse_atom(view, lists, guess, x, 5.5, 1.1, true, order, count_got, got);
      std::sort(got_counted.begin(), got_counted.end());
      EXPECT_EQ(got.s1, want.s1) << "guess " << guess;
      EXPECT_EQ(got.s2, want.s2) << "guess " << guess;
      EXPECT_EQ(got.d1, want.d1) << "guess " << guess;
      EXPECT_EQ(got.d2, want.d2) << "guess " << guess;
      EXPECT_EQ(got_counted, want_counted) << "guess " << guess;
      int within[4], nw = 0;
      kernels::NearestTwo g;
      from_guess += kernels::nearest_two_from_guess(view, lists, guess, x, 5.5, 1.1, g, within, nw, 4);
    }
  }
  EXPECT_GT(from_guess, 300) << "the guessed path itself must have been taken";
}

TEST(SiteIndex, FollowsBoxFlips)
{
  const double L = 3 * kA;
  BoxGeom before = make_box(L, L, L, 0.49 * L, 0.0, 0.0);
  SiteIndex idx;
  build_single_rank(idx, before, 7.5, 1.1);
  const std::vector<double> lam0(idx.lam().begin(), idx.lam().end());
  auto f0 = idx.follow_box(before);
  EXPECT_EQ(f0[0] + f0[1] + f0[2], 0);    // first call: no reference
  // LAMMPS flips xy = 0.51 L -> -0.49 L: the same periodic cell
  BoxGeom after = make_box(L, L, L, -0.49 * L, 0.0, 0.0);
  // just before the flip the tilt reached 0.51 L
  BoxGeom at = make_box(L, L, L, 0.51 * L, 0.0, 0.0);
  EXPECT_EQ(idx.follow_box(at)[0], 0);
  auto f = idx.follow_box(after);
  EXPECT_EQ(f[0], -1);    // H_new = H_old M, M_01 = (xy_new - xy_old) / Lx
  EXPECT_EQ(f[1], 0);
  EXPECT_EQ(f[2], 0);
  // every owned site is at the same physical point (modulo the periodic cell) in the new box
  for (int i = 0; i < idx.nown(); ++i) {
    double x0[3], x1[3], back[3];
    kernels::lamda2x(at, &lam0[3 * i], x0);
    kernels::lamda2x(after, &idx.lam()[3 * i], x1);
    kernels::x2lamda(after, x0, back);
    for (int d = 0; d < 3; ++d) {
      EXPECT_GE(idx.lam()[3 * i + d], 0.0);
      EXPECT_LT(idx.lam()[3 * i + d], 1.0);
      double dl = back[d] - idx.lam()[3 * i + d];
      EXPECT_NEAR(dl - std::round(dl), 0.0, 1e-12) << "site " << i << " dim " << d;
    }
  }
}

// The storage of the arrays streamed every step (core/huge_pages.h): blocks from kHugePageMin bytes
// start on a huge-page boundary; smaller ones are plain allocations; values survive growth, copies and
// moves like in any std::vector (the allocator only places the storage).
TEST(HugePages, LargeBlocksAlignedValuesKept)
{
  const size_t big = kHugePageMin / sizeof(double) + 3;
  HugeVector<double> v(big, 1.5);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % kHugePageSize, 0u);
  EXPECT_TRUE(std::all_of(v.begin(), v.end(), [](double d) { return d == 1.5; }));
  v.resize(3 * big, 2.5);    // a new, larger block: the old values are moved over
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % kHugePageSize, 0u);
  EXPECT_TRUE(std::all_of(v.begin(), v.begin() + big, [](double d) { return d == 1.5; }));
  EXPECT_TRUE(std::all_of(v.begin() + big, v.end(), [](double d) { return d == 2.5; }));
  HugeVector<double> copy = v;
  EXPECT_EQ(copy, v);
  HugeVector<double> moved = std::move(copy);
  EXPECT_EQ(moved.size(), 3 * big);
  EXPECT_EQ(moved[big], 2.5);
  HugeVector<int> small(10, 3);    // below the threshold: an ordinary block
  small.push_back(4);
  EXPECT_EQ(small.size(), 11u);
  EXPECT_EQ(small[9] + small[10], 7);
  v.clear();
  v.shrink_to_fit();
  EXPECT_EQ(v.capacity(), 0u);
  EXPECT_TRUE(HugePageAllocator<double>() == HugePageAllocator<int>());
}
