// dB_i/dr_j, the derivative path of SNAP fitting (kernels::snap_dbdr through
// SnapEngine::bispectrum_derivatives): against central differences of SnapEngine::bispectrum, against
// the engine's tested force path (a linear model's dE_i/dr_j = sum_k beta_k dB_k/dr_j), and B against
// bispectrum(). Settings: Si_Zuo_JPCA2020's descriptor (twojmax 8, rcutfac 4.9, rfac0 0.99363,
// switchflag 1) and two-element descriptors at twojmax 6 (chemflag 0 and 1, bnormflag, wselfallflag,
// the inner switching function of LAMMPS 2022+: switchinnerflag with per-element sinner / dinner).
#include "snap_test_support.h"

#include "core/snap_descriptor.h"
#include "core/snap_engine.h"
#include "kernels/point/snap_kernels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace reval;

namespace {

struct DerivCase {
  std::string name;
  SnapParams p;
  int ielem = 0;
};

SnapParams si_zuo_like()
{
  SnapParams p;
  p.rcutfac = 4.9;
  p.twojmax = 8;
  p.rfac0 = 0.99363;
  p.rmin0 = 0.0;
  p.switchflag = 1;
  p.bzeroflag = 0;
  p.elements = {"Si"};
  p.radelem = {0.5};
  p.wjelem = {1.0};
  return p;
}

SnapParams two_elements(int chemflag, int bnormflag, int wselfallflag)
{
  SnapParams p;
  p.rcutfac = 4.9;
  p.twojmax = 6;
  p.rfac0 = 0.99363;
  p.rmin0 = 0.3;
  p.switchflag = 1;
  p.bzeroflag = 1;
  p.chemflag = chemflag;
  p.bnormflag = bnormflag;
  p.wselfallflag = wselfallflag;
  p.elements = {"A", "B"};
  p.radelem = {0.5, 0.45};
  p.wjelem = {1.0, 0.8};
  return p;
}

// two_elements with the inner switching function: pair regions A-A 1.6-2.4 Å, B-B 2.0-3.0 Å, A-B
// 1.8-2.7 Å, inside the 1 Å .. 0.97 rcut shell of random_cluster (neighbours on both sides and inside)
SnapParams two_elements_inner(int chemflag)
{
  SnapParams p = two_elements(chemflag, chemflag, 0);
  p.switchinnerflag = 1;
  p.sinnerelem = {2.0, 2.5};
  p.dinnerelem = {0.4, 0.5};
  return p;
}

std::vector<DerivCase> cases()
{
  return {{"Si_Zuo-like twojmax 8", si_zuo_like(), 0},
          {"2 elements twojmax 6, chemflag 0", two_elements(0, 0, 0), 1},
          {"2 elements twojmax 6, chemflag 0, bnormflag 1", two_elements(0, 1, 0), 0},
          {"2 elements twojmax 6, chemflag 1, bnormflag 1", two_elements(1, 1, 0), 1},
          {"2 elements twojmax 6, chemflag 1, bnormflag 0, wselfallflag 1", two_elements(1, 0, 1), 0},
          {"2 elements twojmax 6, chemflag 0, switchinnerflag 1", two_elements_inner(0), 0},
          {"2 elements twojmax 6, chemflag 1, bnormflag 1, switchinnerflag 1", two_elements_inner(1), 1}};
}

// n neighbours of atom ielem, elements alternating over the descriptor's elements, each at
// 1 Å < |rij| < 0.97 rcut_ij (inside the switching region, so every term of dB/dr is exercised)
void random_cluster(const SnapParams &p, int ielem, int n, std::mt19937 &rng, std::vector<double> &rij,
                    std::vector<int> &jelem)
{
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  rij.clear();
  jelem.clear();
  while (static_cast<int>(jelem.size()) < n) {
    const int je = static_cast<int>(jelem.size()) % p.nelements();
    const double rc = p.cutoff(ielem, je);
    const double v[3] = {u(rng) * rc, u(rng) * rc, u(rng) * rc};
    const double d = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (d > 1.0 && d < 0.97 * rc) {
      rij.insert(rij.end(), v, v + 3);
      jelem.push_back(je);
    }
  }
}

}    // namespace

// (1) every dB_c/dr_{j,k} against the central difference of bispectrum() in r_j,k (r_j moves, so
// rij = r_j - r_i moves with it); error per component c relative to that component's largest derivative
TEST(SnapDerivatives, MatchCentralDifferencesOfBispectrum)
{
  for (const DerivCase &dc : cases()) {
    SnapEngine eng(std::make_shared<const SnapDescriptor>(dc.p));
    const int nc = eng.ncoeff();
    std::mt19937 rng(2021);
    const int n = 15;
    std::vector<double> r;
    std::vector<int> el;
    random_cluster(dc.p, dc.ielem, n, rng, r, el);
    std::vector<double> B(nc), dbdr(static_cast<std::size_t>(n) * 3 * nc);
    eng.bispectrum_derivatives(dc.ielem, n, r.data(), el.data(), B.data(), dbdr.data());

    const double h = 1e-4;
    std::vector<double> fd(dbdr.size()), bp(nc), bm(nc);
    for (int m = 0; m < 3 * n; ++m) {
      std::vector<double> rp = r, rm = r;
      rp[m] += h;
      rm[m] -= h;
      eng.bispectrum(dc.ielem, n, rp.data(), el.data(), bp.data());
      eng.bispectrum(dc.ielem, n, rm.data(), el.data(), bm.data());
      for (int c = 0; c < nc; ++c) fd[static_cast<std::size_t>(m) * nc + c] = (bp[c] - bm[c]) / (2 * h);
    }
    double worst = 0.0;
    int worst_c = -1;
    for (int c = 0; c < nc; ++c) {
      double scale = 0.0, err = 0.0;
      for (int m = 0; m < 3 * n; ++m) {
        const std::size_t q = static_cast<std::size_t>(m) * nc + c;
        scale = std::max(scale, std::fabs(dbdr[q]));
        err = std::max(err, std::fabs(dbdr[q] - fd[q]));
      }
      ASSERT_GT(scale, 0.0) << dc.name << ": component " << c << " has no derivative at all";
      EXPECT_LE(err, 1e-6 * scale) << dc.name << ": component " << c;
      if (err / scale > worst) {
        worst = err / scale;
        worst_c = c;
      }
    }
    std::cout << "[dB/dr vs central differences] " << dc.name << ": ncoeff " << nc << ", max relative error "
              << worst << " (component " << worst_c << ")\n";
  }
}

// (2) a linear model: sum_c beta_c dB_c/dr_j equals dE_i/dr_j of the engine's force path (adjoint Y,
// SnapEngine::forces). With chemflag, forces() follows LAMMPS (exact only for a beta constant on
// orbits of identical components), so it gets the orbit-averaged beta; the dB/dr side takes the raw
// random beta: identical components have identical derivatives, so the two agree for any beta.
TEST(SnapDerivatives, LinearModelEqualsForcePath)
{
  for (const DerivCase &dc : cases()) {
    auto desc = std::make_shared<const SnapDescriptor>(dc.p);
    SnapEngine eng(desc);
    const int nc = eng.ncoeff();
    std::mt19937 rng(7);
    const int n = 17;
    std::vector<double> r;
    std::vector<int> el;
    random_cluster(dc.p, dc.ielem, n, rng, r, el);
    std::normal_distribution<double> nd(0.0, 0.1);
    std::vector<double> beta(nc), beta_sym(nc);
    for (double &b : beta) b = nd(rng);
    kernels::snap_symmetrize_beta(desc->view(), beta.data(), beta_sym.data());

    std::vector<double> dedr(3 * n), dbdr(static_cast<std::size_t>(n) * 3 * nc);
    eng.forces(dc.ielem, n, r.data(), el.data(), beta_sym.data(), dedr.data());
    eng.bispectrum_derivatives(dc.ielem, n, r.data(), el.data(), nullptr, dbdr.data());
    double scale = 0.0, err = 0.0;
    for (int m = 0; m < 3 * n; ++m) {
      double lin = 0.0;
      for (int c = 0; c < nc; ++c) lin += beta[c] * dbdr[static_cast<std::size_t>(m) * nc + c];
      scale = std::max(scale, std::fabs(dedr[m]));
      err = std::max(err, std::fabs(lin - dedr[m]));
      EXPECT_NEAR(lin, dedr[m], 1e-12 * std::max(std::fabs(dedr[m]), 1e-3 * scale)) << dc.name << " m " << m;
    }
    ASSERT_GT(scale, 0.0) << dc.name;
    std::cout << "[beta . dB/dr vs forces()] " << dc.name << ": max |difference| / max |dE/dr| = " << err / scale
              << "\n";
  }
}

// (3) B of bispectrum_derivatives is bispectrum()'s B, whatever the engine computed before
TEST(SnapDerivatives, BispectrumEqualsBispectrum)
{
  for (const DerivCase &dc : cases()) {
    SnapEngine eng(std::make_shared<const SnapDescriptor>(dc.p));
    const int nc = eng.ncoeff();
    std::mt19937 rng(99);
    std::vector<double> r1, r2;
    std::vector<int> e1, e2;
    random_cluster(dc.p, dc.ielem, 15, rng, r1, e1);
    random_cluster(dc.p, dc.ielem, 9, rng, r2, e2);
    std::vector<double> Bref(nc), B(nc), other(nc), dbdr(static_cast<std::size_t>(15) * 3 * nc);
    eng.bispectrum(dc.ielem, 15, r1.data(), e1.data(), Bref.data());
    eng.bispectrum(dc.ielem, 9, r2.data(), e2.data(), other.data());
    eng.bispectrum_derivatives(dc.ielem, 15, r1.data(), e1.data(), B.data(), dbdr.data());
    for (int c = 0; c < nc; ++c) EXPECT_EQ(B[c], Bref[c]) << dc.name << " component " << c;
    EXPECT_NE(other[0], Bref[0]) << dc.name << ": the second configuration should differ";
  }
}

// translation invariance of B: dB/dr_i = -sum_j dB/dr_j, checked by moving the central atom (all
// rij by -h) in central differences; no neighbour: B is the (shifted) isolated-atom value, no rows
TEST(SnapDerivatives, CentralAtomAndNoNeighbours)
{
  const DerivCase dc{"Si_Zuo-like twojmax 8", si_zuo_like(), 0};
  SnapEngine eng(std::make_shared<const SnapDescriptor>(dc.p));
  const int nc = eng.ncoeff(), n = 15;
  std::mt19937 rng(5);
  std::vector<double> r;
  std::vector<int> el;
  random_cluster(dc.p, 0, n, rng, r, el);
  std::vector<double> B(nc), dbdr(static_cast<std::size_t>(n) * 3 * nc), bp(nc), bm(nc);
  eng.bispectrum_derivatives(0, n, r.data(), el.data(), B.data(), dbdr.data());
  const double h = 1e-4;
  for (int k = 0; k < 3; ++k) {
    std::vector<double> rp = r, rm = r;
    for (int jj = 0; jj < n; ++jj) {
      rp[3 * jj + k] -= h;    // r_i + h
      rm[3 * jj + k] += h;
    }
    eng.bispectrum(0, n, rp.data(), el.data(), bp.data());
    eng.bispectrum(0, n, rm.data(), el.data(), bm.data());
    for (int c = 0; c < nc; ++c) {
      double sum = 0.0, scale = 0.0;
      for (int jj = 0; jj < n; ++jj) {
        const double v = dbdr[(static_cast<std::size_t>(jj) * 3 + k) * nc + c];
        sum -= v;
        scale = std::max(scale, std::fabs(v));
      }
      EXPECT_NEAR(sum, (bp[c] - bm[c]) / (2 * h), 1e-6 * scale) << "k " << k << " component " << c;
    }
  }
  std::vector<double> B0(nc), B0ref(nc);
  eng.bispectrum_derivatives(0, 0, nullptr, nullptr, B0.data(), nullptr);
  eng.bispectrum(0, 0, nullptr, nullptr, B0ref.data());
  for (int c = 0; c < nc; ++c) EXPECT_EQ(B0[c], B0ref[c]) << c;
}
