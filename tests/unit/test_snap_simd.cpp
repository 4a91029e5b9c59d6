// The host-only SIMD layouts of the SNAP point kernels (kernels/point/snap_host_simd.hpp: the plain engine and
// the host path of the Kokkos functor) against the portable point kernels (kernels/point/snap_kernels.hpp) that a
// GPU runs, on random inputs: the same tables, the same
// quantities, only the summation order differs (1e-12 relative to the size of the result). Covers every
// twojmax 0..8 (odd ones too), bnormflag, two element channels (chemflag) and partly filled neighbour groups.
#include "core/snap_descriptor.h"
#include "core/snap_engine.h"
#include "kernels/point/snap_host_simd.hpp"
#include "kernels/point/snap_kernels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace reval;
using namespace reval::kernels;

namespace {

constexpr double kTol = 1e-12;

SnapParams params(int twojmax, int chemflag, int bnormflag, int nelements)
{
  SnapParams p;
  p.rcutfac = 4.9;
  p.twojmax = twojmax;
  p.rmin0 = 0.2;
  p.bzeroflag = 0;
  p.chemflag = chemflag;
  p.bnormflag = bnormflag;
  for (int e = 0; e < nelements; ++e) {
    p.elements.push_back("E" + std::to_string(e));
    p.radelem.push_back(0.5 + 0.05 * e);
    p.wjelem.push_back(1.0 - 0.2 * e);
  }
  return p;
}

std::vector<SnapParams> all_params()
{
  std::vector<SnapParams> v;
  for (int tj = 0; tj <= 8; ++tj) v.push_back(params(tj, 0, 0, 1));
  v.push_back(params(6, 0, 1, 1));
  v.push_back(params(5, 1, 1, 2));
  v.push_back(params(8, 1, 0, 2));
  return v;
}

std::string label(const SnapParams &p)
{
  return "twojmax " + std::to_string(p.twojmax) + " chemflag " + std::to_string(p.chemflag) + " bnormflag " +
         std::to_string(p.bnormflag);
}

double max_abs(const std::vector<double> &a)
{
  double m = 0.0;
  for (double x : a) m = std::max(m, std::fabs(x));
  return m;
}

/// a random neighbour position inside the cutoff rc (0.5 <= r < 0.99 rc)
std::array<double, 3> random_rij(double rc, std::mt19937 &rng)
{
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  double x, y, z, r2;
  do {
    x = rc * u(rng);
    y = rc * u(rng);
    z = rc * u(rng);
    r2 = x * x + y * y + z * z;
  } while (r2 >= rc * rc * 0.98 || r2 < 0.25);
  return {x, y, z};
}

#if REVAL_HOST_SIMD
/// a random neighbour geometry inside the cutoff of elements ie, je
SnapNeighborGeom random_geom(const SnapDescriptor &d, int ie, int je, std::mt19937 &rng)
{
  const SnapParams &p = d.params();
  const double rc = p.cutoff(ie, je);
  const std::array<double, 3> r = random_rij(rc, rng);
  SnapNeighborGeom g;
  snap_neighbor_geom(d.view(), r[0], r[1], r[2], rc, p.wjelem[je], 0.0, 0.0, g);
  return g;
}
#endif

}    // namespace

// Z list of one channel pair: snap_host_z_list equals snap_compute_z_row for every row
TEST(SnapHostSimd, ZListEqualsPortable)
{
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (const SnapParams &p : all_params()) {
    const SnapDescriptor d(p);
    const SnapTablesView &t = d.view();
    const SnapHostZPlan plan(t);
    const int nu = t.idxu_max, nz = t.idxz_max, pad = SnapHostZPlan::kUPad;
    // two channels with padding, as the engine stores them; random values in every row (a bilinear form)
    std::vector<double> ur(2 * nu + 2 * pad, 0.0), ui(2 * nu + 2 * pad, 0.0);
    for (int k = 0; k < 2 * nu; ++k) {
      ur[pad + k] = u(rng);
      ui[pad + k] = u(rng);
    }
    for (int pair = 0; pair < 2; ++pair) {
      const double *u1r = ur.data() + pad, *u1i = ui.data() + pad;
      const double *u2r = u1r + pair * nu, *u2i = u1i + pair * nu;
      std::vector<double> zr(nz, 7.0), zi(nz, 7.0), hr(nz, -7.0), hi(nz, -7.0);
      for (int row = 0; row < t.nzrows; ++row) snap_compute_z_row(t, t.zrow[row], u1r, u1i, u2r, u2i, zr.data(), zi.data());
      snap_host_z_list(t, plan.view(), u1r, u1i, u2r, u2i, hr.data(), hi.data());
      const double scale = std::max(max_abs(zr), max_abs(zi));
      ASSERT_GT(scale, 0.0) << label(p);
      for (int k = 0; k < nz; ++k) {
        EXPECT_NEAR(hr[k], zr[k], kTol * scale) << label(p) << " pair " << pair << " Z " << k;
        EXPECT_NEAR(hi[k], zi[k], kTol * scale) << label(p) << " pair " << pair << " Z " << k;
        if (zr[k] == 0.0 && zi[k] == 0.0) {    // right half of a middle row: exactly zero in both
          EXPECT_EQ(hr[k], 0.0) << label(p) << " Z " << k;
          EXPECT_EQ(hi[k], 0.0) << label(p) << " Z " << k;
        }
      }
    }
  }
}

// U of a group of neighbours (interleaved) equals snap_compute_u of each; the group sum into Ulisttot equals
// snap_add_u_with neighbour by neighbour; a partly filled group (idle lanes) adds nothing
TEST(SnapHostSimd, UGroupAndUlisttotEqualPortable)
{
#if !REVAL_HOST_SIMD
  GTEST_SKIP() << "the grouped host kernels are not built (REVAL_HOST_SIMD = 0): the engine runs the portable ones";
#else
  std::mt19937 rng(11);
  for (const SnapParams &p : all_params()) {
    const SnapDescriptor d(p);
    const SnapTablesView &t = d.view();
    const int nu = t.idxu_max, nc = t.nchannels, ne = p.nelements();
    for (int live = 1; live <= kNbLanes; ++live) {
      std::vector<SnapNeighborGeom> geo(kNbLanes);
      std::vector<int> jelem(kNbLanes, 0);
      const SnapNeighborGeom *g[kNbLanes];
      double sfac[kNbLanes];
      int chan[kNbLanes];
      for (int l = 0; l < kNbLanes; ++l) {
        jelem[l] = l % ne;
        geo[l] = random_geom(d, 0, jelem[l], rng);
        g[l] = l < live ? &geo[l] : &snap_host_idle_geom();
        sfac[l] = l < live ? geo[l].sfac : 0.0;
        chan[l] = l < live ? d.channel(jelem[l]) : 0;
      }
      std::vector<double> gr(static_cast<std::size_t>(kNbLanes) * nu), gi(gr.size());
      snap_host_u_group(t, g, gr.data(), gi.data());
      std::vector<double> acc_r(static_cast<std::size_t>(kNbLanes) * nc * nu, 0.0), acc_i(acc_r.size(), 0.0);
      snap_host_add_u_group(t, sfac, chan, gr.data(), gi.data(), acc_r.data(), acc_i.data());
      std::vector<double> ht_r(static_cast<std::size_t>(nc) * nu, 0.0), ht_i(ht_r.size(), 0.0);
      snap_host_reduce_u(t, acc_r.data(), acc_i.data(), ht_r.data(), ht_i.data());

      std::vector<double> tot_r(static_cast<std::size_t>(nc) * nu, 0.0), tot_i(tot_r.size(), 0.0);
      for (int l = 0; l < live; ++l) {
        std::vector<double> ur(nu, 0.0), ui(nu, 0.0);
        snap_compute_u(t, geo[l], ur.data(), ui.data());
        for (int j = 0; j <= t.twojmax; ++j)    // the rows the portable kernel fills
          for (int k = t.idxu_block[j]; k < t.idxu_block[j] + (j + 1) * (snap_rows_needed(j) + 1); ++k) {
            EXPECT_NEAR(gr[kNbLanes * k + l], ur[k], kTol) << label(p) << " lane " << l << " U " << k;
            EXPECT_NEAR(gi[kNbLanes * k + l], ui[k], kTol) << label(p) << " lane " << l << " U " << k;
          }
        const int c = chan[l];
        snap_add_u_with(t, geo[l].sfac, ur.data(), ui.data(), tot_r.data() + c * nu, tot_i.data() + c * nu,
                        SnapPlainAdd());
      }
      const double scale = std::max(1.0, std::max(max_abs(tot_r), max_abs(tot_i)));
      for (std::size_t k = 0; k < tot_r.size(); ++k) {
        EXPECT_NEAR(ht_r[k], tot_r[k], kTol * scale) << label(p) << " live " << live << " Ulisttot " << k;
        EXPECT_NEAR(ht_i[k], tot_i[k], kTol * scale) << label(p) << " live " << live << " Ulisttot " << k;
      }
    }
  }
#endif
}

// dE/dr of a group equals snap_deidrj of each neighbour, with one Y for all lanes and with a Y per lane
TEST(SnapHostSimd, DeidrjGroupEqualsPortable)
{
#if !REVAL_HOST_SIMD
  GTEST_SKIP() << "the grouped host kernels are not built (REVAL_HOST_SIMD = 0): the engine runs the portable ones";
#else
  std::mt19937 rng(13);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (const SnapParams &p : all_params()) {
    const SnapDescriptor d(p);
    const SnapTablesView &t = d.view();
    const int nu = t.idxu_max;
    std::vector<double> y_r(static_cast<std::size_t>(kNbLanes) * nu), y_i(y_r.size());
    for (std::size_t k = 0; k < y_r.size(); ++k) {
      y_r[k] = u(rng);
      y_i[k] = u(rng);
    }
    for (int distinct = 0; distinct < 2; ++distinct) {
      std::vector<SnapNeighborGeom> geo(kNbLanes);
      const SnapNeighborGeom *g[kNbLanes];
      const double *yr[kNbLanes], *yi[kNbLanes];
      for (int l = 0; l < kNbLanes; ++l) {
        geo[l] = random_geom(d, 0, 0, rng);
        g[l] = &geo[l];
        yr[l] = y_r.data() + (distinct ? l : 0) * nu;
        yi[l] = y_i.data() + (distinct ? l : 0) * nu;
      }
      std::vector<double> gr(static_cast<std::size_t>(kNbLanes) * nu), gi(gr.size()), adj_r(gr.size()), adj_i(gr.size());
      snap_host_u_group(t, g, gr.data(), gi.data());
      double dedr[3 * kNbLanes];
      snap_host_deidrj_group(t, g, gr.data(), gi.data(), yr, yi, adj_r.data(), adj_i.data(), dedr);
      for (int l = 0; l < kNbLanes; ++l) {
        std::vector<double> ur(nu, 0.0), ui(nu, 0.0), ar(nu), ai(nu);
        snap_compute_u(t, geo[l], ur.data(), ui.data());
        double ref[3];
        snap_deidrj(t, geo[l], ur.data(), ui.data(), yr[l], yi[l], ar.data(), ai.data(), ref);
        const double scale = std::max({std::fabs(ref[0]), std::fabs(ref[1]), std::fabs(ref[2])});
        ASSERT_GT(scale, 0.0) << label(p);
        for (int k = 0; k < 3; ++k)
          EXPECT_NEAR(dedr[3 * l + k], ref[k], kTol * scale) << label(p) << " distinct " << distinct << " lane " << l;
      }
    }
  }
#endif
}

// The per-atom drivers of the engine and the functor's host path: snap_host_ulisttot (U of n neighbours in
// groups, Ulisttot) and snap_host_dedr against snap_compute_u + snap_add_u_with and snap_deidrj neighbour by
// neighbour, for 0..9 neighbours (partial last groups) of mixed elements (a Y channel per element)
TEST(SnapHostSimd, AtomDriversEqualPortable)
{
#if !REVAL_HOST_SIMD
  GTEST_SKIP() << "the grouped host kernels are not built (REVAL_HOST_SIMD = 0): the engine runs the portable ones";
#else
  std::mt19937 rng(23);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (const SnapParams &p : all_params()) {
    const SnapDescriptor d(p);
    const SnapTablesView &t = d.view();
    const int nu = t.idxu_max, nc = t.nchannels, ne = p.nelements();
    std::vector<double> y_r(static_cast<std::size_t>(nc) * nu), y_i(y_r.size());
    for (std::size_t k = 0; k < y_r.size(); ++k) {
      y_r[k] = u(rng);
      y_i[k] = u(rng);
    }
    for (int n = 0; n <= 9; ++n) {
      std::vector<SnapNeighborGeom> geo(n > 0 ? n : 1);
      std::vector<int> jelem(geo.size(), 0);
      for (int jj = 0; jj < n; ++jj) {
        jelem[jj] = (jj * 7 + n) % ne;
        geo[jj] = random_geom(d, 0, jelem[jj], rng);
      }
      const auto chan = [&](int jj) { return d.channel(jelem[jj]); };
      const std::size_t slots = static_cast<std::size_t>(snap_host_u_slots(n));
      std::vector<double> us_r(slots * nu, 0.0), us_i(us_r.size(), 0.0);
      std::vector<double> acc_r(static_cast<std::size_t>(kNbLanes) * nc * nu, 5.0), acc_i(acc_r.size(), 5.0);
      std::vector<double> ht_r(static_cast<std::size_t>(nc) * nu, 0.25), ht_i(ht_r.size(), -0.25);
      std::vector<double> tot_r = ht_r, tot_i = ht_i;
      snap_host_ulisttot(t, geo.data(), n, chan, us_r.data(), us_i.data(), acc_r.data(), acc_i.data(), ht_r.data(),
                         ht_i.data());
      std::vector<double> adj_r(static_cast<std::size_t>(kNbLanes) * nu), adj_i(adj_r.size());
      std::vector<double> dedr(3 * static_cast<std::size_t>(n) + 3, 9.0);
      snap_host_dedr(t, geo.data(), n, chan, us_r.data(), us_i.data(), y_r.data(), y_i.data(), adj_r.data(),
                     adj_i.data(), dedr.data());
      for (int jj = 0; jj < n; ++jj) {
        std::vector<double> ur(nu, 0.0), ui(nu, 0.0), ar(nu), ai(nu);
        snap_compute_u(t, geo[jj], ur.data(), ui.data());
        const int c = chan(jj);
        snap_add_u_with(t, geo[jj].sfac, ur.data(), ui.data(), tot_r.data() + c * nu, tot_i.data() + c * nu,
                        SnapPlainAdd());
        double ref[3];
        snap_deidrj(t, geo[jj], ur.data(), ui.data(), y_r.data() + c * nu, y_i.data() + c * nu, ar.data(), ai.data(),
                    ref);
        const double scale = std::max({std::fabs(ref[0]), std::fabs(ref[1]), std::fabs(ref[2])});
        ASSERT_GT(scale, 0.0) << label(p);
        for (int k = 0; k < 3; ++k)
          EXPECT_NEAR(dedr[3 * jj + k], ref[k], kTol * scale) << label(p) << " n " << n << " neighbour " << jj;
      }
      EXPECT_EQ(dedr[3 * n], 9.0) << label(p) << " n " << n << ": written past the last neighbour";
      const double scale = std::max(1.0, std::max(max_abs(tot_r), max_abs(tot_i)));
      for (std::size_t k = 0; k < tot_r.size(); ++k) {
        EXPECT_NEAR(ht_r[k], tot_r[k], kTol * scale) << label(p) << " n " << n << " Ulisttot " << k;
        EXPECT_NEAR(ht_i[k], tot_i[k], kTol * scale) << label(p) << " n " << n << " Ulisttot " << k;
      }
    }
  }
#endif
}

// Y by rows equals snap_zero_y + snap_add_y_terms over the Z list (one and two channels)
TEST(SnapHostSimd, ComputeYEqualsPortable)
{
  std::mt19937 rng(17);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (const SnapParams &p : all_params()) {
    const SnapDescriptor d(p);
    const SnapTablesView &t = d.view();
    const int nc = t.nchannels, nu = t.idxu_max, nz = t.idxz_max;
    std::vector<double> zr(static_cast<std::size_t>(nc) * nc * nz), zi(zr.size()), beta(t.ncoeff);
    for (std::size_t k = 0; k < zr.size(); ++k) {
      // a Z list as snap_compute_z_row leaves it: zero right of the centre of the middle row of even j
      const SnapZIndex &q = t.idxz[k % nz];
      const bool right_of_centre = 2 * q.mb == q.j && q.ma > q.mb;
      zr[k] = right_of_centre ? 0.0 : u(rng);
      zi[k] = right_of_centre ? 0.0 : u(rng);
    }
    for (double &b : beta) b = u(rng);
    std::vector<double> yr(static_cast<std::size_t>(nc) * nu, 3.0), yi(yr.size(), 3.0), hr(yr.size(), -3.0),
        hi(yr.size(), -3.0);
    for (int c = 0; c < nc; ++c) snap_zero_y(t, yr.data() + c * nu, yi.data() + c * nu);
    for (int jjz = 0; jjz < nz; ++jjz)
      snap_add_y_terms(t, jjz, zr.data(), zi.data(), beta.data(), yr.data(), yi.data(), SnapPlainAdd());
    snap_host_compute_y(t, zr.data(), zi.data(), beta.data(), hr.data(), hi.data());
    const double scale = std::max(max_abs(yr), max_abs(yi));
    for (std::size_t k = 0; k < yr.size(); ++k) {
      EXPECT_NEAR(hr[k], yr[k], kTol * scale) << label(p) << " Y " << k;
      EXPECT_NEAR(hi[k], yi[k], kTol * scale) << label(p) << " Y " << k;
    }
  }
}

// the engine's adjoint forces (grouped U and dE/dr, including a last partial group) against its forward-dU
// path, which runs the portable snap_compute_du per neighbour, for 1..9 neighbours
TEST(SnapHostSimd, EngineForcesMatchForwardDu)
{
  std::mt19937 rng(19);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (const SnapParams &p : {params(8, 0, 0, 1), params(5, 1, 1, 2)}) {
    SnapEngine eng(std::make_shared<const SnapDescriptor>(p));
    std::vector<double> beta(eng.ncoeff());
    for (double &b : beta) b = u(rng);
    for (int n = 1; n <= 9; ++n) {
      std::vector<double> rij;
      std::vector<int> jelem;
      for (int jj = 0; jj < n; ++jj) {
        const int je = jj % p.nelements();
        const std::array<double, 3> r = random_rij(p.cutoff(0, je), rng);
        rij.insert(rij.end(), r.begin(), r.end());
        jelem.push_back(je);
      }
      std::vector<double> f(3 * n), fref(3 * n);
      eng.forces(0, n, rij.data(), jelem.data(), beta.data(), f.data());
      eng.forces_forward_du(0, n, rij.data(), jelem.data(), beta.data(), fref.data());
      const double scale = max_abs(fref);
      ASSERT_GT(scale, 0.0);
      for (int k = 0; k < 3 * n; ++k) EXPECT_NEAR(f[k], fref[k], kTol * scale) << label(p) << " n " << n << " k " << k;
    }
  }
}
