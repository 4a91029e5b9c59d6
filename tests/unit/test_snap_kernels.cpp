// SNAP tables and point kernels against mathematics that needs no LAMMPS: descriptor counts,
// Clebsch-Gordan orthonormality, unitarity of U, rotation and permutation invariance of B, B of an
// isolated atom, adjoint dE/dr against the forward dU path and against finite differences, and
// central-difference force checks of whole periodic systems for linear, quadratic, NN and
// multi-element (chemflag) potentials.
#include "snap_test_support.h"

#include "core/snap_descriptor.h"
#include "core/snap_engine.h"
#include "core/snap_models.h"
#include "kernels/point/snap_kernels.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <memory>
#include <random>

using namespace reval;
using namespace reval::test;

namespace {

SnapParams one_element(int twojmax, double rcutfac = 4.9)
{
  SnapParams p;
  p.rcutfac = rcutfac;
  p.twojmax = twojmax;
  p.bzeroflag = 0;
  p.elements = {"X"};
  p.radelem = {0.5};
  p.wjelem = {1.0};
  return p;
}

// a random cluster of n neighbours inside rcut (no two too close to the centre)
std::vector<double> random_neighbors(int n, double rcut, std::mt19937 &rng)
{
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> r;
  while (static_cast<int>(r.size()) < 3 * n) {
    const double v[3] = {u(rng) * rcut, u(rng) * rcut, u(rng) * rcut};
    const double d = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (d > 1.0 && d < 0.98 * rcut) r.insert(r.end(), v, v + 3);
  }
  return r;
}

void rotate(const double R[3][3], std::vector<double> &r)
{
  for (std::size_t a = 0; a < r.size(); a += 3) {
    const double v[3] = {r[a], r[a + 1], r[a + 2]};
    for (int k = 0; k < 3; ++k) r[a + k] = R[k][0] * v[0] + R[k][1] * v[1] + R[k][2] * v[2];
  }
}

}    // namespace

TEST(SnapDescriptor, CoefficientCountsMatchLammps)
{
  const int expected[] = {1, 2, 5, 8, 14, 20, 30, 40, 55, 70, 91, 112, 140};
  for (int tj = 0; tj <= 12; ++tj) {
    EXPECT_EQ(snap_ncoeff_per_triple(tj), expected[tj]) << "twojmax " << tj;
    SnapDescriptor d(one_element(tj));
    EXPECT_EQ(d.ncoeff(), expected[tj]);
    int n = 0;
    for (int j = 0; j <= tj; ++j) n += (j + 1) * (j + 1);
    EXPECT_EQ(d.idxu_max(), n);
  }
  SnapParams chem = one_element(6);
  chem.chemflag = 1;
  chem.bnormflag = 1;
  chem.elements = {"A", "B"};
  chem.radelem = {0.5, 0.6};
  chem.wjelem = {1.0, 0.9};
  EXPECT_EQ(SnapDescriptor(chem).ncoeff(), 30 * 8);
  chem.chemflag = 0;
  EXPECT_EQ(SnapDescriptor(chem).ncoeff(), 30);
  int j1, j2, j;
  SnapDescriptor(one_element(8)).component(54, j1, j2, j);
  EXPECT_EQ(j1, 8);
  EXPECT_EQ(j2, 8);
  EXPECT_EQ(j, 8);
}

TEST(SnapDescriptor, ClebschGordanOrthonormal)
{
  const int tj = 6;
  SnapDescriptor d(one_element(tj));
  const auto &cg = d.cglist();
  // blocks in the order (j1 >= j2, j = j1-j2 .. min(tj, j1+j2) step 2), entries (m1, m2)
  int off = 0;
  for (int j1 = 0; j1 <= tj; ++j1)
    for (int j2 = 0; j2 <= j1; ++j2) {
      std::vector<int> js, offs;
      for (int j = j1 - j2; j <= std::min(tj, j1 + j2); j += 2) {
        js.push_back(j);
        offs.push_back(off);
        off += (j1 + 1) * (j2 + 1);
      }
      // sum over m1, m2 with m fixed of C(j) C(j') = delta_jj' for every m common to both
      for (std::size_t a = 0; a < js.size(); ++a)
        for (std::size_t b = 0; b < js.size(); ++b) {
          const int ja = js[a], jb = js[b];
          for (int two_m = -std::min(ja, jb); two_m <= std::min(ja, jb); two_m += 2) {
            double s = 0.0;
            for (int m1 = 0; m1 <= j1; ++m1)
              for (int m2 = 0; m2 <= j2; ++m2)
                if ((2 * m1 - j1) + (2 * m2 - j2) == two_m)
                  s += cg[offs[a] + m1 * (j2 + 1) + m2] * cg[offs[b] + m1 * (j2 + 1) + m2];
            EXPECT_NEAR(s, a == b ? 1.0 : 0.0, 1e-13) << j1 << " " << j2 << " " << ja << " " << jb << " " << two_m;
          }
        }
    }
  EXPECT_EQ(off, static_cast<int>(cg.size()));
}

TEST(SnapKernels, URowsAreOrthonormal)
{
  SnapDescriptor d(one_element(8));
  const auto &t = d.view();
  std::vector<double> ur(t.idxu_max), ui(t.idxu_max);
  kernels::SnapNeighborGeom g;
  kernels::snap_neighbor_geom(t, 1.1, -2.0, 0.7, 4.9, 1.0, 0.0, 0.0, g);
  kernels::snap_compute_u(t, g, ur.data(), ui.data());
  for (int j = 0; j <= t.twojmax; ++j) {
    const int rows = kernels::snap_rows_needed(j);
    for (int p = 0; p <= rows; ++p)
      for (int q = 0; q <= rows; ++q) {
        std::complex<double> s = 0.0;
        for (int ma = 0; ma <= j; ++ma) {
          const int a = t.idxu_block[j] + (j + 1) * p + ma, b = t.idxu_block[j] + (j + 1) * q + ma;
          s += std::complex<double>(ur[a], ui[a]) * std::conj(std::complex<double>(ur[b], ui[b]));
        }
        EXPECT_NEAR(s.real(), p == q ? 1.0 : 0.0, 1e-13) << "j " << j << " rows " << p << " " << q;
        EXPECT_NEAR(s.imag(), 0.0, 1e-13);
      }
  }
}

TEST(SnapKernels, ZRowKernelEqualsElementKernel)
{
  for (int bnorm = 0; bnorm <= 1; ++bnorm) {
    SnapParams p = one_element(8);
    p.bnormflag = bnorm;
    SnapDescriptor d(p);
    const auto &t = d.view();
    std::mt19937 rng(21);
    const int n = 20;
    const std::vector<double> r = random_neighbors(n, 4.9, rng);
    std::vector<double> ur(t.idxu_max), ui(t.idxu_max), tr(t.idxu_max), ti(t.idxu_max);
    kernels::snap_zero_utot(t, 0, tr.data(), ti.data());
    for (int jj = 0; jj < n; ++jj) {
      kernels::SnapNeighborGeom g;
      kernels::snap_neighbor_geom(t, r[3 * jj], r[3 * jj + 1], r[3 * jj + 2], 4.9, 1.0, 0.0, 0.0, g);
      kernels::snap_compute_u(t, g, ur.data(), ui.data());
      kernels::snap_add_u_with(t, g.sfac, ur.data(), ui.data(), tr.data(), ti.data(), kernels::SnapPlainAdd());
    }
    kernels::snap_symmetrize_utot(t, tr.data(), ti.data());
    std::vector<double> zr(t.idxz_max), zi(t.idxz_max);
    for (int row = 0; row < t.nzrows; ++row)
      kernels::snap_compute_z_row(t, t.zrow[row], tr.data(), ti.data(), tr.data(), ti.data(), zr.data(), zi.data());
    int compared = 0;
    for (int jjz = 0; jjz < t.idxz_max; ++jjz) {
      const auto &q = t.idxz[jjz];
      if (2 * q.mb == q.j && q.ma > q.mb) {    // not computed by the row kernel (read by nothing)
        EXPECT_EQ(zr[jjz], 0.0);
        continue;
      }
      double er, ei;
      kernels::snap_compute_z(t, jjz, tr.data(), ti.data(), tr.data(), ti.data(), er, ei);
      EXPECT_NEAR(zr[jjz], er, 1e-12 * std::max(1.0, std::fabs(er))) << jjz;
      EXPECT_NEAR(zi[jjz], ei, 1e-12 * std::max(1.0, std::fabs(ei))) << jjz;
      ++compared;
    }
    EXPECT_GT(compared, 2000);
  }
}

TEST(SnapEngine, BispectrumInvariantUnderRotationAndPermutation)
{
  std::mt19937 rng(7);
  auto desc = std::make_shared<const SnapDescriptor>(one_element(8));
  SnapEngine eng(desc);
  const int n = 25;
  std::vector<double> r = random_neighbors(n, 4.9, rng);
  std::vector<int> el(n, 0);
  std::vector<double> B0(eng.ncoeff()), B1(eng.ncoeff()), B2(eng.ncoeff());
  eng.bispectrum(0, n, r.data(), el.data(), B0.data());
  const double c = std::cos(0.7), s = std::sin(0.7), c2 = std::cos(-1.3), s2 = std::sin(-1.3);
  const double Rz[3][3] = {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
  const double Rx[3][3] = {{1, 0, 0}, {0, c2, -s2}, {0, s2, c2}};
  std::vector<double> rr = r;
  rotate(Rz, rr);
  rotate(Rx, rr);
  eng.bispectrum(0, n, rr.data(), el.data(), B1.data());
  std::vector<double> rp;
  for (int jj = n - 1; jj >= 0; --jj) rp.insert(rp.end(), r.begin() + 3 * jj, r.begin() + 3 * jj + 3);
  eng.bispectrum(0, n, rp.data(), el.data(), B2.data());
  for (int k = 0; k < eng.ncoeff(); ++k) {
    EXPECT_NEAR(B1[k], B0[k], 1e-11 * std::max(1.0, std::fabs(B0[k]))) << k;
    EXPECT_NEAR(B2[k], B0[k], 1e-11 * std::max(1.0, std::fabs(B0[k]))) << k;
  }
}

TEST(SnapEngine, IsolatedAtomHasZeroBWithBzero)
{
  SnapParams p = one_element(6);
  p.bzeroflag = 1;
  SnapEngine eng(std::make_shared<const SnapDescriptor>(p));
  std::vector<double> B(eng.ncoeff(), 1.0);
  eng.bispectrum(0, 0, nullptr, nullptr, B.data());
  for (double b : B) EXPECT_NEAR(b, 0.0, 1e-14);
  p.bzeroflag = 0;    // then B_{j1 j2 j} = (j+1) (U = identity)
  SnapDescriptor d(p);
  SnapEngine eng0(std::make_shared<const SnapDescriptor>(p));
  eng0.bispectrum(0, 0, nullptr, nullptr, B.data());
  for (int k = 0; k < eng0.ncoeff(); ++k) {
    int j1, j2, j;
    d.component(k, j1, j2, j);
    EXPECT_NEAR(B[k], j + 1.0, 1e-13) << k;
  }
}

TEST(SnapEngine, AdjointEqualsForwardDUAndFiniteDifferences)
// (and documents LAMMPS' chemflag convention: kernels::snap_symmetrize_beta gives the exact gradient)
{
  for (int chem = 0; chem <= 1; ++chem) {
    SnapParams p = one_element(8);
    p.elements = {"A", "B"};
    p.radelem = {0.5, 0.45};
    p.wjelem = {1.0, 0.8};
    p.chemflag = chem;
    p.bnormflag = chem;
    p.bzeroflag = 1;
    p.rmin0 = 0.3;
    auto desc = std::make_shared<const SnapDescriptor>(p);
    SnapEngine eng(desc);
    std::mt19937 rng(11 + chem);
    const int n = 18;
    std::vector<double> r = random_neighbors(n, 4.4, rng);
    std::vector<int> el(n);
    for (int jj = 0; jj < n; ++jj) el[jj] = jj % 2;
    std::vector<double> beta(eng.ncoeff());
    std::normal_distribution<double> nd(0.0, 0.1);
    for (double &b : beta) b = nd(rng);
    std::vector<double> d_adj(3 * n), d_fwd(3 * n), B(eng.ncoeff());
    eng.forces(1, n, r.data(), el.data(), beta.data(), d_adj.data());
    eng.forces_forward_du(1, n, r.data(), el.data(), beta.data(), d_fwd.data());
    double scale = 0.0;
    for (double v : d_fwd) scale = std::max(scale, std::fabs(v));
    for (int k = 0; k < 3 * n; ++k) EXPECT_NEAR(d_adj[k], d_fwd[k], 1e-12 * scale) << "chem " << chem << " k " << k;
    // LAMMPS' chemflag Y weights assume beta constant on orbits of identical components; with beta
    // averaged over those orbits first (same E) the forces are the exact gradient for any beta
    std::vector<double> d_exact(3 * n), beta_sym(eng.ncoeff());
    kernels::snap_symmetrize_beta(desc->view(), beta.data(), beta_sym.data());
    eng.forces(1, n, r.data(), el.data(), beta_sym.data(), d_exact.data());
    double diff_lammps = 0.0;
    for (int k = 0; k < 3 * n; ++k) diff_lammps = std::max(diff_lammps, std::fabs(d_exact[k] - d_adj[k]));
    if (chem)
      EXPECT_GT(diff_lammps, 1e-3 * scale) << "a random beta should expose LAMMPS' chemflag convention";
    else
      EXPECT_EQ(diff_lammps, 0.0);
    // E_i = beta . B_i: central differences in r_j
    auto energy = [&](const std::vector<double> &rr) {
      eng.bispectrum(1, n, rr.data(), el.data(), B.data());
      double e = 0.0;
      for (int k = 0; k < eng.ncoeff(); ++k) e += beta[k] * B[k];
      return e;
    };
    const double h = 1e-5;
    for (int k = 0; k < 3 * n; k += 5) {
      std::vector<double> rp = r, rm = r;
      rp[k] += h;
      rm[k] -= h;
      const double fd = (energy(rp) - energy(rm)) / (2 * h);
      EXPECT_NEAR(d_exact[k], fd, 1e-6 * std::max(1.0, std::fabs(fd))) << "chem " << chem << " k " << k;
    }
  }
}

TEST(SnapEngine, NoSwitchingFunction)
{
  SnapParams p = one_element(6);
  p.switchflag = 0;
  SnapEngine eng(std::make_shared<const SnapDescriptor>(p));
  std::mt19937 rng(3);
  const int n = 12;
  std::vector<double> r = random_neighbors(n, 4.9, rng);
  std::vector<int> el(n, 0);
  std::vector<double> beta(eng.ncoeff(), 0.05), d(3 * n), B(eng.ncoeff());
  eng.forces(0, n, r.data(), el.data(), beta.data(), d.data());
  const double h = 1e-5;
  for (int k = 0; k < 3 * n; k += 4) {
    std::vector<double> rp = r, rm = r;
    rp[k] += h;
    rm[k] -= h;
    double ep = 0.0, em = 0.0;
    eng.bispectrum(0, n, rp.data(), el.data(), B.data());
    for (double b : B) ep += 0.05 * b;
    eng.bispectrum(0, n, rm.data(), el.data(), B.data());
    for (double b : B) em += 0.05 * b;
    EXPECT_NEAR(d[k], (ep - em) / (2 * h), 1e-6);
  }
}

TEST(SnapEngine, ShortListFromPositions)
{
  SnapParams p = one_element(2);
  p.elements = {"A", "B"};
  p.radelem = {0.5, 0.4};
  p.wjelem = {1.0, 1.0};
  p.rcutfac = 4.0;    // cutoffs A-A 4.0, A-B 3.6, B-B 3.2
  SnapEngine eng(std::make_shared<const SnapDescriptor>(p));
  const double pos[6][3] = {{0, 0, 0}, {3.9, 0, 0}, {0, 3.7, 0}, {0, 0, 3.5}, {0, 0, 0}, {1, 1, 1}};
  const double *x[6] = {pos[0], pos[1], pos[2], pos[3], pos[4], pos[5]};
  const int elem_of[6] = {0, 0, 1, 1, 0, -1};
  const int jlist[5] = {1, 2, 3 | (1 << 30), 4, 5};    // 3 carries a LAMMPS special bit; 4 coincides; 5 skipped
  SnapShortList s;
  const int n = eng.build_short_list(0, pos[0], 5, jlist, x, elem_of, s, 0x1FFFFFFF);
  ASSERT_EQ(n, 2);    // 1 (A at 3.9 < 4.0) and 3 (B at 3.5 < 3.6); 2 (B at 3.7) is outside
  EXPECT_EQ(s.jatom[0], 1);
  EXPECT_EQ(s.jatom[1], 3);
  EXPECT_EQ(s.jelem[1], 1);
  EXPECT_DOUBLE_EQ(s.rij[5], 3.5);

  // the point kernel itself on flat row-major positions (the access a Kokkos view gives): the same
  // list; a neighbour exactly at the cutoff is outside (rsq < rcut^2, as LAMMPS)
  const double flat[18] = {0, 0, 0, 3.9, 0, 0, 0, 3.7, 0, 0, 0, 3.5, 0, 0, 0, 1, 1, 1};
  std::vector<int> kept_j, kept_e;
  std::vector<double> kept_d;
  const int nk = kernels::snap_short_list(
      p.radelem.data(), p.rcutfac, 0, flat, 5, [&](int jj) { return jlist[jj] & 0x1FFFFFFF; },
      [&](int j) { return elem_of[j]; }, [&](int j, int k) { return flat[3 * j + k]; },
      [&](int nn, int j, int je, double dx, double dy, double dz) {
        EXPECT_EQ(nn, static_cast<int>(kept_j.size()));
        kept_j.push_back(j);
        kept_e.push_back(je);
        kept_d.insert(kept_d.end(), {dx, dy, dz});
      });
  ASSERT_EQ(nk, n);
  EXPECT_EQ(kept_j, std::vector<int>(s.jatom.begin(), s.jatom.begin() + n));
  EXPECT_EQ(kept_e, std::vector<int>(s.jelem.begin(), s.jelem.begin() + n));
  EXPECT_EQ(kept_d, std::vector<double>(s.rij.begin(), s.rij.begin() + 3 * n));
  const double at_cut[6] = {0, 0, 0, 4.0, 0, 0};
  const int one_elem[2] = {0, 0};
  const int at = kernels::snap_short_list(
      p.radelem.data(), p.rcutfac, 0, at_cut, 1, [](int) { return 1; }, [&](int j) { return one_elem[j]; },
      [&](int j, int k) { return at_cut[3 * j + k]; }, [](int, int, int, double, double, double) {});
  EXPECT_EQ(kernels::snap_pair_cutoff(p.radelem[0], p.radelem[0], p.rcutfac), 4.0);
  EXPECT_EQ(at, 0);
}

// ----------------------------------------------------------------- finite-difference force checks

namespace {

struct FdCase {
  const char *ref;
  const char *kind;
  const char *f1, *f2;
  std::vector<std::string> elements;
  bool local;
};

void fd_check(const FdCase &c, int atoms_to_check)
{
  if (!have_potentials()) GTEST_SKIP() << "LAMMPS potentials not installed";
  const std::string d = c.local ? snap_refdata_dir() + "/" : lammps_potentials_dir() + "/";
  const SnapPotential pot = std::string(c.kind) == "snap" ? load_snap_potential(d + c.f1, d + c.f2, c.elements)
                                                          : load_mliap_potential(c.kind, d + c.f1, d + c.f2);
  const SnapRef ref = read_snap_ref(snap_refdata_dir() + "/" + c.ref + ".ref");
  std::vector<int> elem(ref.natoms);
  for (int i = 0; i < ref.natoms; ++i)
    elem[i] = static_cast<int>(std::find(pot.params.elements.begin(), pot.params.elements.end(),
                                         c.elements[ref.type[i] - 1]) - pot.params.elements.begin());
  SnapEngine eng(std::make_shared<const SnapDescriptor>(pot.params));
  const SnapResult r = evaluate_periodic(eng, pot.model, ref.x, elem, ref.lo, ref.hi);
  const double h = 1e-5;
  double worst = 0.0;
  for (int i = 0; i < atoms_to_check; ++i)
    for (int k = 0; k < 3; ++k) {
      std::vector<double> xp = ref.x, xm = ref.x;
      xp[3 * i + k] += h;
      xm[3 * i + k] -= h;
      const double fd = -(energy_periodic(eng, pot.model, xp, elem, ref.lo, ref.hi) -
                          energy_periodic(eng, pot.model, xm, elem, ref.lo, ref.hi)) / (2 * h);
      const double f = r.f[3 * i + k];
      worst = std::max(worst, std::fabs(f - fd));
      EXPECT_NEAR(f, fd, 2e-6 * std::max(1.0, std::fabs(fd))) << c.ref << " atom " << i << " dir " << k;
    }
  std::printf("[ fd       ] %-18s %-9s max |F - (-dE/dx)| = %.1e eV/A\n", c.ref, snap_model_kind_name(pot.model.kind()).c_str(), worst);
}

}    // namespace

TEST(SnapFiniteDifferences, LinearSi) { fd_check({"si_zuo_quadratic", "snap", "Si_Zuo_JPCA2020.snapcoeff", "Si_Zuo_JPCA2020.snapparam", {"Si"}, false}, 3); }
TEST(SnapFiniteDifferences, QuadraticSi)
{
  fd_check({"si_zuo_quadratic", "snap", "Si_Zuo_JPCA2020.quadratic.snapcoeff", "Si_Zuo_JPCA2020.quadratic.snapparam",
            {"Si"}, false}, 3);
}
TEST(SnapFiniteDifferences, QuadraticMliapWBzero)
{
  fd_check({"wbe_linear", "quadratic", "W.quadratic.mliap.model", "W.quadratic.mliap.descriptor", {"W", "W"}, false}, 3);
}
TEST(SnapFiniteDifferences, NNCu) { fd_check({"cu_nn", "nn", "Cu.nn.mliap.model", "Cu.snap.mliap.descriptor", {"Cu"}, false}, 3); }
TEST(SnapFiniteDifferences, NNSyntheticSi)
{
  fd_check({"si_synthetic_nn", "nn", "si_synthetic.nn.mliap.model", "si_synthetic.mliap.descriptor", {"Si"}, true}, 3);
}
TEST(SnapFiniteDifferences, TwoElementsWBe)
{
  fd_check({"wbe_linear", "snap", "WBe_Wood_PRB2019.snapcoeff", "WBe_Wood_PRB2019.snapparam", {"W", "Be"}, false}, 4);
}
TEST(SnapFiniteDifferences, ChemflagInP)
{
  fd_check({"inp_chem", "snap", "InP_JCPA2020.snapcoeff", "InP_JCPA2020.snapparam", {"In", "P"}, false}, 8);
}
