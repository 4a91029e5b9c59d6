// The rows of a SNAP fit (core/snap_fit_rows): force rows are minus the gradient of the energy row
// (central differences), virial rows minus its strain derivative, rows . x equal the energy and forces
// that SnapEngine computes for the linear or quadratic model x (the layout of .snapcoeff, which the
// engine reads as LAMMPS does), and periodic images are complete (a 2-atom primitive cell narrower
// than the cutoff gives a quarter of the 8-atom cubic cell's rows; a doubled cell doubles the energy row).
#include "core/error.h"
#include "core/snap_descriptor.h"
#include "core/snap_engine.h"
#include "core/snap_fit_rows.h"
#include "core/snap_models.h"
#include "kernels/point/snap_kernels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

using namespace reval;

namespace {

SnapParams params(int nelem, int chemflag, int twojmax)
{
  SnapParams p;
  p.rcutfac = 4.7;
  p.twojmax = twojmax;
  p.rfac0 = 0.99363;
  p.rmin0 = 0.0;
  p.bzeroflag = 1;
  p.chemflag = chemflag;
  p.bnormflag = chemflag;
  if (nelem == 1) {
    p.elements = {"Si"};
    p.radelem = {0.5};
    p.wjelem = {1.0};
  } else {
    p.elements = {"Si", "Ge"};
    p.radelem = {0.5, 0.55};
    p.wjelem = {1.0, 0.8};
  }
  return p;
}

/// 8-atom diamond cube of side a, perturbed by up to `amp` Å; species alternate when two elements.
XyzFrame diamond_cube(double a, double amp, int nelem, unsigned seed)
{
  static const double basis[8][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
                                     {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
  XyzFrame f;
  f.cell[0] = a;
  f.cell[4] = a * 1.02;
  f.cell[8] = a * 0.99;
  f.cell[3] = 0.3;    // slightly triclinic: b has an x component
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-amp, amp);
  for (int k = 0; k < 8; ++k) {
    f.species.push_back(nelem == 2 && k % 3 == 1 ? "Ge" : "Si");
    for (int d = 0; d < 3; ++d) {
      double x = 0.0;
      for (int v = 0; v < 3; ++v) x += basis[k][v] * f.cell[3 * v + d];
      f.pos.push_back(x + u(rng));
    }
  }
  return f;
}

double max_abs(const std::vector<double> &v)
{
  double m = 0.0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

struct Case {
  int nelem, chemflag;
  bool quadratic;
};

class FitRows : public ::testing::TestWithParam<Case> {};

TEST_P(FitRows, ForceRowsAreMinusEnergyGradient)
{
  const Case c = GetParam();
  auto desc = std::make_shared<const SnapDescriptor>(params(c.nelem, c.chemflag, 4));
  SnapFitRows rows(desc, c.quadratic);
  XyzFrame f = diamond_cube(5.431, 0.25, c.nelem, 7);
  const int n = f.natoms(), nc = rows.ncols();
  std::vector<double> e(nc), fr(3 * n * nc), ep(nc), em(nc);
  rows.compute(f, e.data(), fr.data(), nullptr);
  const double h = 1e-5;
  double worst = 0.0;
  for (int j = 0; j < n; ++j)
    for (int d = 0; d < 3; ++d) {
      XyzFrame g = f;
      g.pos[3 * j + d] += h;
      rows.compute(g, ep.data(), nullptr, nullptr);
      g.pos[3 * j + d] -= 2 * h;
      rows.compute(g, em.data(), nullptr, nullptr);
      for (int col = 0; col < nc; ++col) {
        const double fd = -(ep[col] - em[col]) / (2 * h);
        const double an = fr[(3 * j + d) * nc + col];
        worst = std::max(worst, std::fabs(fd - an) / (1.0 + std::fabs(an)));
      }
    }
  EXPECT_LT(worst, 1e-6);
  EXPECT_GT(max_abs(fr), 1e-3);    // the rows are not trivially zero
}

TEST_P(FitRows, VirialRowsAreMinusStrainDerivative)
{
  const Case c = GetParam();
  auto desc = std::make_shared<const SnapDescriptor>(params(c.nelem, c.chemflag, 4));
  SnapFitRows rows(desc, c.quadratic);
  const XyzFrame f = diamond_cube(5.431, 0.25, c.nelem, 11);
  const int nc = rows.ncols();
  std::vector<double> w(6 * nc), ep(nc), em(nc);
  rows.compute(f, nullptr, nullptr, w.data());
  static const int va[6] = {0, 1, 2, 1, 0, 0}, vb[6] = {0, 1, 2, 2, 2, 1};
  const double h = 1e-6;
  double worst = 0.0;
  for (int v = 0; v < 6; ++v) {
    // deformation r_b += h r_a of cell and positions: dE/dh = sum r_ij,a dE_i/dr_j,b = -W_ab
    auto strained = [&](double s) {
      XyzFrame g = f;
      for (int k = 0; k < 3; ++k) g.cell[3 * k + vb[v]] += s * f.cell[3 * k + va[v]];
      for (int i = 0; i < g.natoms(); ++i) g.pos[3 * i + vb[v]] += s * f.pos[3 * i + va[v]];
      return g;
    };
    rows.compute(strained(h), ep.data(), nullptr, nullptr);
    rows.compute(strained(-h), em.data(), nullptr, nullptr);
    for (int col = 0; col < nc; ++col) {
      const double fd = -(ep[col] - em[col]) / (2 * h);
      const double an = w[v * nc + col];
      worst = std::max(worst, std::fabs(fd - an) / (1.0 + std::fabs(an)));
    }
  }
  EXPECT_LT(worst, 1e-5);
}

TEST_P(FitRows, RowsTimesCoefficientsAreTheEngineModel)
{
  const Case c = GetParam();
  auto desc = std::make_shared<const SnapDescriptor>(params(c.nelem, c.chemflag, 4));
  SnapFitRows rows(desc, c.quadratic);
  const XyzFrame f = diamond_cube(5.431, 0.3, c.nelem, 3);
  const int n = f.natoms(), nc = rows.ncols(), blk = rows.block();
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<std::vector<double>> coeffs(c.nelem, std::vector<double>(blk));
  std::vector<double> x;
  for (auto &ce : coeffs) {
    for (double &v : ce) v = u(rng);
    if (c.chemflag) {
      // LAMMPS' (and the engine's) chemflag forces are the exact gradient only for a linear beta constant
      // on orbits of identical components (what a least-squares fit returns); the rows are exact
      std::vector<double> sym(desc->ncoeff());
      kernels::snap_symmetrize_beta(desc->view(), ce.data() + 1, sym.data());
      std::copy(sym.begin(), sym.end(), ce.begin() + 1);
    }
    x.insert(x.end(), ce.begin(), ce.end());
  }
  const SnapModel model = c.quadratic ? SnapModel::quadratic(desc->ncoeff(), coeffs)
                                      : SnapModel::linear(desc->ncoeff(), coeffs);
  std::vector<double> e(nc), fr(3 * n * nc), per(n * blk);
  rows.compute(f, e.data(), fr.data(), nullptr, per.data());

  // the engine: E = sum E_i, F_j = -sum_i dE_i/dr_j, F_i += dE_i/dr_j
  SnapEngine engine(desc);
  const std::vector<int> elem = frame_elements(desc->params(), f, "test");
  SnapShortList list;
  std::vector<FrameImage> images;
  FrameNeighbours nb;
  nb.build(f, desc->params().max_cutoff());
  double energy = 0.0;
  std::vector<double> force(3 * n, 0.0);
  for (int i = 0; i < n; ++i) {
    frame_short_list(desc->params(), nb, elem, i, list, images);
    std::vector<double> dedr(3 * std::max(list.n, 1));
    energy += engine.compute(elem[i], list.n, list.rij.data(), list.jelem.data(), model, dedr.data());
    for (int jj = 0; jj < list.n; ++jj)
      for (int d = 0; d < 3; ++d) {
        force[3 * list.jatom[jj] + d] -= dedr[3 * jj + d];
        force[3 * i + d] += dedr[3 * jj + d];
      }
    // per-atom descriptors: the atom's own energy is its block . its element's coefficients
    double ei = 0.0;
    for (int k = 0; k < blk; ++k) ei += per[i * blk + k] * coeffs[elem[i]][k];
    std::vector<double> dummy(3 * std::max(list.n, 1));
    EXPECT_NEAR(ei, engine.compute(elem[i], list.n, list.rij.data(), list.jelem.data(), model, dummy.data()),
                1e-10 * (1.0 + std::fabs(ei)));
  }
  double erow = 0.0;
  for (int k = 0; k < nc; ++k) erow += e[k] * x[k];
  EXPECT_NEAR(erow, energy, 1e-10 * (1.0 + std::fabs(energy)));
  if (c.chemflag && c.quadratic) return;    // beta = dE/dB is not orbit-constant: see the FD test instead
  for (int r = 0; r < 3 * n; ++r) {
    double fx = 0.0;
    for (int k = 0; k < nc; ++k) fx += fr[r * nc + k] * x[k];
    EXPECT_NEAR(fx, force[r], 1e-9 * (1.0 + std::fabs(force[r]))) << "row " << r;
  }
}

INSTANTIATE_TEST_SUITE_P(SnapFitRows, FitRows,
                         ::testing::Values(Case{1, 0, false}, Case{1, 0, true}, Case{2, 0, true}, Case{2, 1, false},
                                           Case{2, 1, true}));

TEST(SnapFitRows, PeriodicImagesOfCellsNarrowerThanTheCutoff)
{
  auto desc = std::make_shared<const SnapDescriptor>(params(1, 0, 6));
  SnapFitRows rows(desc, true);
  const double a = 5.431;
  XyzFrame cube = diamond_cube(a, 0.0, 1, 1);
  for (int k = 0; k < 9; ++k) cube.cell[k] = (k % 4 == 0) ? a : 0.0;
  cube.pos.clear();
  static const double basis[8][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
                                     {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
  for (auto &b : basis)
    for (double x : b) cube.pos.push_back(x * a);
  // primitive fcc cell of diamond: 2 atoms, vectors a/2 (0 1 1), (1 0 1), (1 1 0): |v| = 3.84 Å < rcut 4.7
  XyzFrame prim;
  const double pc[9] = {0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0};
  std::copy(pc, pc + 9, prim.cell);
  prim.species = {"Si", "Si"};
  prim.pos = {0, 0, 0, a / 4, a / 4, a / 4};
  const int nc = rows.ncols();
  std::vector<double> ec(nc), ep(nc), fp(6 * nc);
  rows.compute(cube, ec.data(), nullptr, nullptr);
  rows.compute(prim, ep.data(), fp.data(), nullptr);
  for (int k = 0; k < nc; ++k) EXPECT_NEAR(ec[k], 4.0 * ep[k], 1e-9 * (1.0 + std::fabs(ec[k]))) << "column " << k;
  EXPECT_LT(max_abs(fp), 1e-9);    // perfect crystal: zero force rows
  EXPECT_GT(std::fabs(ep[1]), 1e-3);

  // a perturbed cell and the same cell doubled along a: energy row x 2, forces of the copies equal
  XyzFrame f = diamond_cube(a, 0.3, 1, 9), g = f;
  for (int i = 0; i < f.natoms(); ++i) {
    g.species.push_back(f.species[i]);
    for (int d = 0; d < 3; ++d) g.pos.push_back(f.pos[3 * i + d] + f.cell[d]);
  }
  for (int d = 0; d < 3; ++d) g.cell[d] *= 2.0;
  std::vector<double> e1(nc), e2(nc), f1(3 * 8 * nc), f2(3 * 16 * nc);
  rows.compute(f, e1.data(), f1.data(), nullptr);
  rows.compute(g, e2.data(), f2.data(), nullptr);
  for (int k = 0; k < nc; ++k) EXPECT_NEAR(e2[k], 2.0 * e1[k], 1e-9 * (1.0 + std::fabs(e2[k])));
  for (int r = 0; r < 24 * nc; ++r) {
    EXPECT_NEAR(f2[r], f1[r], 1e-9 * (1.0 + std::fabs(f1[r])));
    EXPECT_NEAR(f2[r + 24 * nc], f1[r], 1e-9 * (1.0 + std::fabs(f1[r])));
  }
}

TEST(SnapFitRows, UnknownElementNamesTheFrame)
{
  auto desc = std::make_shared<const SnapDescriptor>(params(1, 0, 4));
  SnapFitRows rows(desc, false);
  XyzFrame f = diamond_cube(5.431, 0.1, 1, 2);
  f.species[3] = "C";
  std::vector<double> e(rows.ncols());
  try {
    rows.compute(f, e.data(), nullptr, nullptr, nullptr, "data.xyz: frame 4");
    FAIL() << "no error";
  } catch (const Error &err) {
    EXPECT_NE(std::string(err.what()).find("data.xyz: frame 4"), std::string::npos) << err.what();
    EXPECT_NE(std::string(err.what()).find("'C'"), std::string::npos) << err.what();
  }
}

}    // namespace
