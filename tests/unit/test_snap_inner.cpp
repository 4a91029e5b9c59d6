// The inner switching function of SNAP (LAMMPS 2022+: switchinnerflag, per-element sinner / dinner;
// kernels::snap_sfac_inner, snap_dsfac_inner, snap_pair_inner, snap_neighbor_geom). Parity of the engine
// with LAMMPS 4Feb2025 is in test_snap_reference.cpp (inner_*.ref), dB/dr with the switch (the path of
// the fit rows) in test_snap_derivs.cpp, the file keywords in test_snap_files.cpp. Here: the function
// itself against its closed form and its derivative, the engine's forces against central differences of
// its energy with neighbours below, inside and above the switching region (linear and quadratic
// models, chemflag 0 and 1), a neighbour below sinner - dinner invisible, and SnapParams' checks.
#include "snap_test_support.h"

#include "core/error.h"
#include "core/snap_descriptor.h"
#include "core/snap_engine.h"
#include "core/snap_models.h"
#include "kernels/point/snap_kernels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace reval;

namespace {

constexpr double kPi = 3.14159265358979323846;

// two elements, inner regions A-A 1.6-2.4 Å, B-B 2.0-3.0 Å, A-B 1.8-2.7 Å (means of the elements)
SnapParams inner_params(int chemflag, int twojmax = 6)
{
  SnapParams p;
  p.rcutfac = 4.6;
  p.twojmax = twojmax;
  p.rmin0 = 0.2;
  p.bzeroflag = 1;
  p.chemflag = chemflag;
  p.bnormflag = chemflag;
  p.elements = {"A", "B"};
  p.radelem = {0.5, 0.55};
  p.wjelem = {1.0, 0.7};
  p.switchinnerflag = 1;
  p.sinnerelem = {2.0, 2.5};
  p.dinnerelem = {0.4, 0.5};
  return p;
}

// Neighbours of an atom of element ielem: `per_region` each below the switching region of the pair,
// inside it and above it (up to 0.95 rcut), elements alternating, random directions.
void neighbours_in_every_region(const SnapParams &p, int ielem, int per_region, std::mt19937 &rng,
                                std::vector<double> &rij, std::vector<int> &jelem)
{
  std::normal_distribution<double> g(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  rij.clear();
  jelem.clear();
  for (int region = 0; region < 3; ++region)
    for (int k = 0; k < per_region; ++k) {
      const int je = static_cast<int>(jelem.size()) % p.nelements();
      const double s = 0.5 * (p.sinnerelem[ielem] + p.sinnerelem[je]);
      const double d = 0.5 * (p.dinnerelem[ielem] + p.dinnerelem[je]);
      const double rc = p.cutoff(ielem, je);
      const double lo[3] = {0.8, s - d, s + d}, hi[3] = {s - d, s + d, 0.95 * rc};
      const double r = lo[region] + (0.05 + 0.9 * u(rng)) * (hi[region] - lo[region]);
      double v[3] = {g(rng), g(rng), g(rng)};
      const double n = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
      for (double &c : v) rij.push_back(c * r / n);
      jelem.push_back(je);
    }
}

std::vector<std::vector<double>> random_coeffs(int nelem, int n, std::mt19937 &rng, double scale)
{
  std::normal_distribution<double> g(0.0, scale);
  std::vector<std::vector<double>> c(nelem, std::vector<double>(n));
  for (auto &e : c)
    for (double &v : e) v = g(rng);
  return c;
}

}    // namespace

// f_in and df_in/dr: 0 at and below sinner - dinner, 1 at and above sinner + dinner, 1/2 at sinner, the
// closed form of LAMMPS' SNA::compute_sfac between, and the derivative its central difference.
TEST(SnapInnerSwitch, FunctionAndDerivative)
{
  const double s = 2.3, d = 0.3;
  EXPECT_EQ(kernels::snap_sfac_inner(1.0, s, d), 0.0);
  EXPECT_EQ(kernels::snap_sfac_inner(s - d, s, d), 0.0);
  EXPECT_EQ(kernels::snap_sfac_inner(s + d, s, d), 1.0);
  EXPECT_EQ(kernels::snap_sfac_inner(4.0, s, d), 1.0);
  EXPECT_NEAR(kernels::snap_sfac_inner(s, s, d), 0.5, 1e-15);
  EXPECT_EQ(kernels::snap_dsfac_inner(1.0, s, d), 0.0);
  EXPECT_EQ(kernels::snap_dsfac_inner(4.0, s, d), 0.0);
  double prev = 0.0;
  for (int k = 1; k < 60; ++k) {
    const double r = s - d + 2 * d * k / 60.0;
    const double f = kernels::snap_sfac_inner(r, s, d);
    EXPECT_NEAR(f, 0.5 * (1.0 - std::cos(kPi / 2 + (r - s) * kPi / (2 * d))), 1e-15) << r;
    EXPECT_GT(f, prev) << "increasing at r = " << r;
    prev = f;
    const double h = 1e-6;
    const double fd = (kernels::snap_sfac_inner(r + h, s, d) - kernels::snap_sfac_inner(r - h, s, d)) / (2 * h);
    EXPECT_NEAR(kernels::snap_dsfac_inner(r, s, d), fd, 1e-8) << r;
  }
  // continuous derivative at both ends (the function is C1)
  EXPECT_NEAR(kernels::snap_dsfac_inner(s - d + 1e-9, s, d), 0.0, 1e-7);
  EXPECT_NEAR(kernels::snap_dsfac_inner(s + d - 1e-9, s, d), 0.0, 1e-7);
}

// snap_neighbor_geom: sfac = wj f_c f_in and dsfac its r-derivative, also where both switching
// functions act at once; without switchinnerflag sinner / dinner are ignored.
TEST(SnapInnerSwitch, NeighbourWeightAndItsDerivative)
{
  SnapParams p = inner_params(0, 2);
  p.rcutfac = 1.5;    // rcut = 1.5 (A-A) .. 1.65 (B-B): the outer switch overlaps the inner region
  p.rmin0 = 0.1;
  p.sinnerelem = {1.0, 1.2};
  p.dinnerelem = {0.3, 0.2};
  SnapDescriptor desc(p);
  const kernels::SnapTablesView &t = desc.view();
  double sinner = 0.0, dinner = 0.0;
  kernels::snap_pair_inner(t, 0, 1, sinner, dinner);
  EXPECT_DOUBLE_EQ(sinner, 1.1);
  EXPECT_DOUBLE_EQ(dinner, 0.25);
  double s2 = 0.0, d2 = 0.0;
  kernels::snap_pair_inner(t, 1, 0, s2, d2);
  EXPECT_EQ(s2, sinner);
  EXPECT_EQ(d2, dinner);
  const double rcut = p.cutoff(0, 1), wj = 0.7;
  const double dir[3] = {0.48, -0.6, 0.64};    // unit vector
  auto geom_at = [&](const kernels::SnapTablesView &tv, double r) {
    kernels::SnapNeighborGeom g;
    kernels::snap_neighbor_geom(tv, r * dir[0], r * dir[1], r * dir[2], rcut, wj, sinner, dinner, g);
    return g;
  };
  int inside = 0;
  for (double r = 0.5013; r < rcut; r += 0.01) {    // no r within the difference step of a region's end
    const kernels::SnapNeighborGeom g = geom_at(t, r);
    const double want = wj * kernels::snap_sfac(r, rcut, p.rmin0, 1) * kernels::snap_sfac_inner(r, sinner, dinner);
    EXPECT_NEAR(g.sfac, want, 1e-15) << r;
    const double h = 1e-6;
    const double fd = (geom_at(t, r + h).sfac - geom_at(t, r - h).sfac) / (2 * h);
    EXPECT_NEAR(g.dsfac, fd, 1e-7) << r;
    if (r > sinner - dinner && r < sinner + dinner) ++inside;
  }
  EXPECT_GT(inside, 40);
  kernels::SnapTablesView off = t;
  off.switchinnerflag = 0;
  const kernels::SnapNeighborGeom g = geom_at(off, 1.0);
  EXPECT_EQ(g.sfac, wj * kernels::snap_sfac(1.0, rcut, p.rmin0, 1));
  EXPECT_EQ(g.dsfac, wj * kernels::snap_dsfac(1.0, rcut, p.rmin0, 1));
}

// dE_i/dr_j of the engine (adjoint path, the forward-dU path, and the committee-member path) against
// central differences of E_i, for neighbours below, inside and above the inner switching region.
TEST(SnapInnerSwitch, ForcesAreTheGradientOfTheEnergy)
{
  struct Case {
    const char *name;
    int chemflag;
    bool quadratic;
    int ielem;
  };
  for (const Case &c : {Case{"linear, chemflag 0", 0, false, 0}, Case{"quadratic, chemflag 0", 0, true, 1},
                        Case{"linear, chemflag 1", 1, false, 1}}) {
    const SnapParams p = inner_params(c.chemflag);
    auto desc = std::make_shared<const SnapDescriptor>(p);
    SnapEngine eng(desc);
    const int nd = eng.ncoeff();
    std::mt19937 rng(4242 + c.chemflag);
    std::vector<std::vector<double>> coeffs = random_coeffs(2, 1 + nd, rng, 0.05);
    // with chemflag, LAMMPS' forces are the gradient for a beta constant on the orbits of identical
    // components only (snap_engine.h): make the linear coefficients so (a fitted model is)
    for (auto &cf : coeffs) {
      std::vector<double> sym(nd);
      kernels::snap_symmetrize_beta(desc->view(), cf.data() + 1, sym.data());
      std::copy(sym.begin(), sym.end(), cf.begin() + 1);
    }
    if (c.quadratic) {
      const std::vector<std::vector<double>> q = random_coeffs(2, nd * (nd + 1) / 2, rng, 0.002);
      for (int e = 0; e < 2; ++e) coeffs[e].insert(coeffs[e].end(), q[e].begin(), q[e].end());
    }
    const SnapModel model = c.quadratic ? SnapModel::quadratic(nd, coeffs) : SnapModel::linear(nd, coeffs);
    std::vector<double> r;
    std::vector<int> el;
    neighbours_in_every_region(p, c.ielem, 5, rng, r, el);
    const int n = static_cast<int>(el.size());
    std::vector<double> dedr(3 * n), dedr_fwd(3 * n), beta(nd), tmp(3 * n);
    eng.compute(c.ielem, n, r.data(), el.data(), model, dedr.data(), nullptr, beta.data());
    eng.forces_forward_du(c.ielem, n, r.data(), el.data(), beta.data(), dedr_fwd.data());
    const double h = 1e-5;
    double scale = 0.0, worst = 0.0;
    for (double v : dedr) scale = std::max(scale, std::fabs(v));
    ASSERT_GT(scale, 0.01) << c.name;
    for (int m = 0; m < 3 * n; ++m) {
      std::vector<double> rp = r, rm = r;
      rp[m] += h;
      rm[m] -= h;
      const double ep = eng.compute(c.ielem, n, rp.data(), el.data(), model, tmp.data());
      const double em = eng.compute(c.ielem, n, rm.data(), el.data(), model, tmp.data());
      const double fd = (ep - em) / (2 * h);
      worst = std::max(worst, std::fabs(dedr[m] - fd));
      EXPECT_NEAR(dedr[m], fd, 1e-7 * scale) << c.name << ": neighbour " << m / 3 << " component " << m % 3;
      EXPECT_NEAR(dedr_fwd[m], dedr[m], 1e-12 * scale) << c.name << ": forward dU path, m " << m;
    }
    // neighbours below the region (the first 5) feel no force; those inside do
    for (int jj = 0; jj < 5; ++jj)
      for (int k = 0; k < 3; ++k) EXPECT_EQ(dedr[3 * jj + k], 0.0) << c.name << ": neighbour " << jj;
    double inside = 0.0;
    for (int m = 15; m < 30; ++m) inside = std::max(inside, std::fabs(dedr[m]));
    EXPECT_GT(inside, 1e-3 * scale) << c.name;
    std::printf("[ inner fd ] %-24s max |dE/dr - central difference| = %.1e of %.2f eV/A\n", c.name, worst, scale);
  }
}

// A neighbour below sinner - dinner has weight 0: B (and E) are those without it, bit for bit; with
// switchinnerflag 0 the same neighbour counts.
TEST(SnapInnerSwitch, NeighbourBelowTheRegionIsInvisible)
{
  for (int chem : {0, 1}) {
    SnapParams p = inner_params(chem);
    SnapEngine eng(std::make_shared<const SnapDescriptor>(p));
    std::mt19937 rng(77);
    std::vector<double> r;
    std::vector<int> el;
    neighbours_in_every_region(p, 0, 4, rng, r, el);
    const int n = static_cast<int>(el.size());
    const int nd = eng.ncoeff();
    std::vector<double> all(nd), without(nd);
    eng.bispectrum(0, n, r.data(), el.data(), all.data());
    eng.bispectrum(0, n - 4, r.data() + 12, el.data() + 4, without.data());    // drop the 4 below the region
    for (int k = 0; k < nd; ++k) EXPECT_EQ(all[k], without[k]) << "chemflag " << chem << " component " << k;

    p.switchinnerflag = 0;
    p.sinnerelem.clear();
    p.dinnerelem.clear();
    SnapEngine plain(std::make_shared<const SnapDescriptor>(p));
    std::vector<double> b0(nd), b1(nd);
    plain.bispectrum(0, n, r.data(), el.data(), b0.data());
    plain.bispectrum(0, n - 4, r.data() + 12, el.data() + 4, b1.data());
    double diff = 0.0;
    for (int k = 0; k < nd; ++k) diff = std::max(diff, std::fabs(b0[k] - b1[k]));
    EXPECT_GT(diff, 1e-3) << "without switchinnerflag the close neighbours count (chemflag " << chem << ")";
  }
}

// SnapParams: the inner switching values are checked, and compared by difference().
TEST(SnapInnerSwitch, ParameterChecks)
{
  auto expect_invalid = [](const SnapParams &p, const std::string &fragment) {
    try {
      p.validate("test");
      ADD_FAILURE() << "no error; expected '" << fragment << "'";
    } catch (const Error &e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  EXPECT_NO_THROW(inner_params(0).validate("test"));
  SnapParams p = inner_params(0);
  p.sinnerelem.pop_back();
  expect_invalid(p, "switchinnerflag 1 needs one sinner and one dinner value per element (2), got 1 and 2");
  p = inner_params(0);
  p.dinnerelem[1] = 0.0;
  expect_invalid(p, "dinner of element B must be positive, got 0");
  p = inner_params(0);
  p.sinnerelem[0] = std::nan("");
  expect_invalid(p, "sinner of element A is not finite");
  p = inner_params(0);
  p.switchinnerflag = 0;
  expect_invalid(p, "sinner / dinner values are given but switchinnerflag is 0");
  p.switchinnerflag = 2;
  expect_invalid(p, "switchinnerflag must be 0 or 1, got 2");

  const SnapParams a = inner_params(0);
  SnapParams b = a;
  EXPECT_EQ(a.difference(b), "");
  b.dinnerelem[1] = 0.45;
  EXPECT_EQ(a.difference(b), "dinner of B differs: 0.5 vs 0.45");
  b = a;
  b.switchinnerflag = 0;
  b.sinnerelem.clear();
  b.dinnerelem.clear();
  EXPECT_EQ(a.difference(b), "switchinnerflag differs: 1 vs 0");
}
