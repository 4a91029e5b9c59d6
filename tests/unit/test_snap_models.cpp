// SNAP model algebra of the one model value type: linear, quadratic (beta = linear + alpha B, the
// LAMMPS upper-triangle order), NN (every activation; beta vs finite differences of the NN energy in
// B), committees (mean, sigma, per-member forces, consistency checks).
#include "snap_test_support.h"

#include "core/error.h"
#include "core/snap_engine.h"
#include "core/snap_models.h"
#include "kernels/point/snap_committee.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <sstream>

using namespace reval;
using namespace reval::test;

namespace {

std::vector<double> random_b(int n, std::mt19937 &rng, double scale = 1.0)
{
  std::normal_distribution<double> nd(0.0, scale);
  std::vector<double> b(n);
  for (double &x : b) x = nd(rng);
  return b;
}

// E(B) and beta by central differences of any model
void check_beta_fd(const SnapModel &m, int elem, const std::vector<double> &B, const std::vector<double> &hscale,
                   double tol)
{
  const int n = m.ndescriptors();
  std::vector<double> beta(n), tmp(n);
  m.energy_and_beta(elem, B.data(), beta.data());
  for (int k = 0; k < n; ++k) {
    const double h = 1e-5 * hscale[k];
    std::vector<double> bp = B, bm = B;
    bp[k] += h;
    bm[k] -= h;
    const double fd = (m.energy_and_beta(elem, bp.data(), tmp.data()) - m.energy_and_beta(elem, bm.data(), tmp.data())) /
                      (2 * h);
    EXPECT_NEAR(beta[k], fd, tol * std::max(1.0, std::fabs(fd)) + 1e-9 / hscale[k]) << snap_model_kind_name(m.kind()) << " k " << k;
  }
}

// beta_1..beta_n and the full symmetric alpha (row-major n x n) of element `elem` of a quadratic
// model, unpacked from its coefficient triangle (LAMMPS order: row by row, diagonal first)
void linear_and_alpha(const SnapModel &q, int elem, std::vector<double> &lin, std::vector<double> &alpha)
{
  const int n = q.ndescriptors();
  const double *c = q.coeff().data() + static_cast<std::size_t>(elem) * q.stride();
  lin.assign(c + 1, c + 1 + n);
  alpha.assign(static_cast<std::size_t>(n) * n, 0.0);
  const double *a = c + n + 1;
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j) alpha[i * n + j] = alpha[j * n + i] = *a++;
}

}    // namespace

TEST(SnapModels, LinearModel)
{
  const SnapModel m = SnapModel::linear(3, {{1.0, 0.5, -2.0, 3.0}, {0.0, 1.0, 1.0, 1.0}});
  EXPECT_EQ(m.kind(), kernels::kSnapModelLinear);
  const double B[3] = {2.0, 1.0, -1.0};
  double beta[3];
  EXPECT_DOUBLE_EQ(m.energy_and_beta(0, B, beta), 1.0 + 1.0 - 2.0 - 3.0);
  EXPECT_DOUBLE_EQ(beta[1], -2.0);
  EXPECT_DOUBLE_EQ(m.energy_and_beta(1, B, beta), 2.0);
  EXPECT_THROW(SnapModel::linear(3, {{1.0, 2.0}}), Error);
}

TEST(SnapModels, QuadraticBetaIsLinearPlusAlphaB)
{
  if (!have_potentials()) GTEST_SKIP();
  const SnapPotential pot = load_snap_potential(potential("Si_Zuo_JPCA2020.quadratic.snapcoeff"),
                                                potential("Si_Zuo_JPCA2020.quadratic.snapparam"), {"Si"});
  ASSERT_EQ(pot.model.kind(), kernels::kSnapModelQuadratic);
  const int n = pot.model.ndescriptors();
  ASSERT_EQ(n, 55);
  const std::vector<double> c = read_snapcoeff(potential("Si_Zuo_JPCA2020.quadratic.snapcoeff")).blocks[0].coeffs;
  std::mt19937 rng(1);
  const std::vector<double> B = random_b(n, rng, 3.0);
  // independent evaluation in LAMMPS' coefficient order (pair_snap.cpp compute_beta / energy loop)
  std::vector<double> beta_ref(c.begin() + 1, c.begin() + 1 + n);
  double e_ref = c[0];
  for (int k = 0; k < n; ++k) e_ref += c[k + 1] * B[k];
  int k = n + 1;
  for (int i = 0; i < n; ++i) {
    beta_ref[i] += c[k] * B[i];
    e_ref += 0.5 * c[k++] * B[i] * B[i];
    for (int j = i + 1; j < n; ++j) {
      beta_ref[i] += c[k] * B[j];
      beta_ref[j] += c[k] * B[i];
      e_ref += c[k++] * B[i] * B[j];
    }
  }
  std::vector<double> beta(n);
  const double e = pot.model.energy_and_beta(0, B.data(), beta.data());
  EXPECT_NEAR(e, e_ref, 1e-12 * std::fabs(e_ref));
  std::vector<double> lin, alpha;
  linear_and_alpha(pot.model, 0, lin, alpha);
  for (int i = 0; i < n; ++i) {
    double lin_plus = lin[i];
    for (int j = 0; j < n; ++j) lin_plus += alpha[i * n + j] * B[j];
    EXPECT_NEAR(beta[i], beta_ref[i], 1e-12 * std::max(1.0, std::fabs(beta_ref[i])));
    EXPECT_NEAR(beta[i], lin_plus, 1e-13 * std::max(1.0, std::fabs(beta_ref[i])));
  }
  check_beta_fd(pot.model, 0, B, std::vector<double>(n, 1.0), 1e-6);
}

TEST(SnapModels, NNBetaMatchesFiniteDifferencesOfEnergy)
{
  if (!have_potentials()) GTEST_SKIP();
  for (const auto &files : {std::make_pair(potential("Cu.nn.mliap.model"), potential("Cu.snap.mliap.descriptor")),
                            std::make_pair(snap_refdata_dir() + "/si_synthetic.nn.mliap.model",
                                           snap_refdata_dir() + "/si_synthetic.mliap.descriptor")}) {
    const SnapPotential pot = load_mliap_potential("nn", files.first, files.second);
    const MliapNNFile f = read_mliap_nn(files.first);
    const int n = f.ndescriptors;
    std::mt19937 rng(5);
    std::vector<double> B = random_b(n, rng);
    for (int k = 0; k < n; ++k) B[k] = f.scale0[0][k] + B[k] * f.scale1[0][k];    // typical inputs
    check_beta_fd(pot.model, 0, B, f.scale1[0], 1e-6);
  }
}

namespace {

// a tiny 2-element network written in the ML-IAP nn format, one activation per hidden layer
std::string small_nn(const std::string &act1, const std::string &act2)
{
  std::ostringstream s;
  // 3 descriptors -> 4 (act1) -> 2 (act2) -> 1 linear: (3+1)*4 + (4+1)*2 + (2+1)*1 = 29 parameters
  s << "# test network\n2 29\nNET 3 3 " << act1 << " 4 " << act2 << " 2 linear 1\n";
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int e = 0; e < 2; ++e) {
    s << "0.1 -0.2 0.3\n1.5 0.5 2.0\n";
    for (int p = 0; p < 29; ++p) s << u(rng) << ((p % 7 == 6) ? "\n" : " ");
    s << "\n";
  }
  return s.str();
}

double act(const std::string &a, double x)
{
  if (a == "tanh") return std::tanh(x);
  if (a == "sigmoid") return 1.0 / (1.0 + std::exp(-x));
  if (a == "relu") return x > 0 ? x : 0.0;
  return x;
}

}    // namespace

TEST(SnapModels, NNActivationsForwardAndBackward)
{
  for (const char *a1 : {"linear", "sigmoid", "tanh", "relu"})
    for (const char *a2 : {"tanh", "relu", "sigmoid"}) {
      std::istringstream in(small_nn(a1, a2));
      const MliapNNFile f = parse_mliap_nn(in, "small.nn");
      const SnapModel m = SnapModel::nn(f);
      std::mt19937 rng(9);
      for (int e = 0; e < 2; ++e) {
        const std::vector<double> B = random_b(3, rng, 2.0);
        // plain forward pass from the file layout
        const std::vector<double> &c = f.coeffs[e];
        std::vector<double> x(3), h1(4), h2(2);
        for (int k = 0; k < 3; ++k) x[k] = (B[k] - f.scale0[e][k]) / f.scale1[e][k];
        int o = 0;
        for (int i = 0; i < 4; ++i, o += 4) {
          double z = c[o];
          for (int k = 0; k < 3; ++k) z += c[o + 1 + k] * x[k];
          h1[i] = act(a1, z);
        }
        for (int i = 0; i < 2; ++i, o += 5) {
          double z = c[o];
          for (int k = 0; k < 4; ++k) z += c[o + 1 + k] * h1[k];
          h2[i] = act(a2, z);
        }
        const double e_ref = c[o] + c[o + 1] * h2[0] + c[o + 2] * h2[1];
        std::vector<double> beta(3);
        EXPECT_NEAR(m.energy_and_beta(e, B.data(), beta.data()), e_ref, 1e-13) << a1 << " " << a2;
        check_beta_fd(m, e, B, {1.0, 1.0, 1.0}, 1e-6);
      }
    }
}

// ------------------------------------------------------------------------------------- committees

namespace {

SnapPotential perturbed_si(double amplitude, unsigned seed)
{
  const SnapParamFile p = read_snapparam(potential("Si_Zuo_JPCA2020.snapparam"));
  SnapCoeffFile c = read_snapcoeff(potential("Si_Zuo_JPCA2020.snapcoeff"));
  std::mt19937 rng(seed);
  std::normal_distribution<double> nd(0.0, 1.0);
  for (double &x : c.blocks[0].coeffs) x *= 1.0 + amplitude * nd(rng);
  SnapPotential pot = make_snap_potential(p, c, {"Si"});
  pot.source = "Si_Zuo perturbed " + std::to_string(seed);
  return pot;
}

}    // namespace

TEST(SnapCommittee, MeanSigmaAndMemberForces)
{
  if (!have_potentials()) GTEST_SKIP();
  std::vector<SnapPotential> members = {perturbed_si(0.0, 1), perturbed_si(0.02, 2), perturbed_si(0.02, 3)};
  const std::vector<SnapModel> com = make_committee(members);
  ASSERT_EQ(com.size(), 3u);
  const SnapRef ref = read_snap_ref(snap_refdata_dir() + "/si_zuo_quadratic.ref");
  auto desc = std::make_shared<const SnapDescriptor>(members[0].params);
  SnapEngine eng(desc);
  const std::vector<int> elem(ref.natoms, 0);
  const PeriodicNeighbors nb = periodic_neighbors(members[0].params, ref.x, elem, ref.lo, ref.hi);
  const int nc = eng.ncoeff();
  for (int i = 0; i < 3; ++i) {
    const SnapShortList &s = nb.lists[i];
    std::vector<double> em(3), dm(3 * 3 * s.n), dmean(3 * s.n), B(nc);
    const double emean =
        eng.compute_members(0, s.n, s.rij.data(), s.jelem.data(), com, em.data(), dm.data(), dmean.data(), B.data());
    double sum = 0.0;
    std::vector<double> mean_dedr(3 * s.n, 0.0);
    for (int m = 0; m < 3; ++m) {
      std::vector<double> d(3 * s.n);
      const double e = eng.compute(0, s.n, s.rij.data(), s.jelem.data(), com[m], d.data());
      EXPECT_NEAR(em[m], e, 1e-12 * std::fabs(e));
      sum += e;
      for (int k = 0; k < 3 * s.n; ++k) {
        EXPECT_NEAR(dm[(static_cast<std::size_t>(m) * s.n) * 3 + k], d[k], 1e-12 * std::max(1.0, std::fabs(d[k])));
        mean_dedr[k] += d[k] / 3.0;
      }
    }
    EXPECT_NEAR(emean, sum / 3.0, 1e-12 * std::fabs(emean));
    // the mean of the member forces as compute_members gives it (what pair snap/model applies on uncertainty steps)
    for (int k = 0; k < 3 * s.n; ++k) EXPECT_NEAR(dmean[k], mean_dedr[k], 1e-12 * std::max(1.0, std::fabs(dmean[k])));
    // forces of the mean beta = mean of the member forces (beta enters linearly)
    std::vector<double> beta_mean(nc), d_mean(3 * s.n), tmp(nc);
    std::vector<kernels::SnapModelView> views;
    for (const SnapModel &m : com) views.push_back(m.view());
    EXPECT_NEAR(kernels::snap_committee_energy_beta(views.data(), 3, 0, B.data(), beta_mean.data(), nullptr, nullptr, 0,
                                                    tmp.data(), nullptr),
                emean, 1e-12 * std::fabs(emean));
    eng.forces(0, s.n, s.rij.data(), s.jelem.data(), beta_mean.data(), d_mean.data());
    for (int k = 0; k < 3 * s.n; ++k) EXPECT_NEAR(d_mean[k], mean_dedr[k], 1e-12 * std::max(1.0, std::fabs(d_mean[k])));
    // the same through the committee mean in one engine pass (what pair snap/model runs)
    std::vector<double> d_one(3 * s.n);
    EXPECT_NEAR(eng.compute(0, s.n, s.rij.data(), s.jelem.data(), com, d_one.data()), emean, 1e-12 * std::fabs(emean));
    for (int k = 0; k < 3 * s.n; ++k) EXPECT_NEAR(d_one[k], mean_dedr[k], 1e-12 * std::max(1.0, std::fabs(d_one[k])));
    const double sig = kernels::snap_committee_sigma(em.data(), 3);
    const double mu = sum / 3.0;
    EXPECT_NEAR(sig, std::sqrt(((em[0] - mu) * (em[0] - mu) + (em[1] - mu) * (em[1] - mu) + (em[2] - mu) * (em[2] - mu)) / 3.0),
                1e-14);
    EXPECT_GT(sig, 0.0);
  }
}

TEST(SnapCommittee, SigmaOfVectors)
{
  const double F[3][3] = {{1.0, 0.0, 0.0}, {-1.0, 0.0, 0.0}, {0.0, 3.0, 0.0}};
  double mean[3];
  const double s = kernels::snap_committee_sigma_vec3(&F[0][0], 3, mean);
  EXPECT_NEAR(mean[1], 1.0, 1e-15);
  // |F_m - mean|^2 = 1+1, 1+1, 0+4 -> sum 8, /3
  EXPECT_NEAR(s, std::sqrt(8.0 / 3.0), 1e-15);
  const double e[2] = {1.0, 3.0};
  EXPECT_NEAR(kernels::snap_committee_sigma(e, 2), 1.0, 1e-15);
  EXPECT_EQ(kernels::snap_committee_sigma(e, 0), 0.0);
  // mean of member rows (stride between members 4, rows of 2)
  const double rows[3][4] = {{1.0, 2.0, 99.0, 99.0}, {3.0, 4.0, 99.0, 99.0}, {5.0, 9.0, 99.0, 99.0}};
  double out[2];
  kernels::snap_committee_mean_rows(&rows[0][0], 3, 4, 2, out);
  EXPECT_DOUBLE_EQ(out[0], 3.0);
  EXPECT_DOUBLE_EQ(out[1], 5.0);
}

TEST(SnapCommittee, MembersMustShareTheDescriptor)
{
  if (!have_potentials()) GTEST_SKIP();
  SnapPotential a = perturbed_si(0.0, 1), b = perturbed_si(0.01, 2);
  b.params.rcutfac = 4.8;
  try {
    make_committee({a, b});
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("rcutfac differs: 4.9 vs 4.8"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("member 2"), std::string::npos) << e.what();
  }
  b = perturbed_si(0.01, 2);
  b.params.elements = {"Ge"};
  try {
    make_committee({a, b});
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("element lists differ: (Si) vs (Ge)"), std::string::npos) << e.what();
  }
  b = perturbed_si(0.01, 2);
  b.params.wjelem = {0.9};
  EXPECT_THROW(make_committee({a, b}), Error);
  // a quadratic member of another descriptor (rcutfac 4.8) cannot join
  const SnapPotential q = load_snap_potential(potential("Si_Zuo_JPCA2020.quadratic.snapcoeff"),
                                              potential("Si_Zuo_JPCA2020.quadratic.snapparam"), {"Si"});
  EXPECT_THROW(make_committee({a, q}), Error);
  // model that does not fit its descriptor
  b = perturbed_si(0.01, 2);
  b.model = SnapModel::linear(30, std::vector<std::vector<double>>{std::vector<double>(31, 0.0)});
  try {
    make_committee({a, b});
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("takes 30 descriptors"), std::string::npos) << e.what();
  }
  EXPECT_THROW(make_committee(std::vector<SnapPotential>{}), Error);
}

TEST(SnapEngineChecks, RejectsMismatchedModelsAndElements)
{
  if (!have_potentials()) GTEST_SKIP();
  const SnapPotential si = perturbed_si(0.0, 1);
  SnapEngine eng(std::make_shared<const SnapDescriptor>(si.params));
  const SnapModel small = SnapModel::linear(30, {std::vector<double>(31, 0.0)});
  const double rij[3] = {1.0, 1.0, 1.0};
  const int jelem[1] = {0};
  double dedr[3];
  EXPECT_THROW(eng.compute(0, 1, rij, jelem, small, dedr), Error);
  const int bad[1] = {1};
  EXPECT_THROW(eng.compute(0, 1, rij, bad, si.model, dedr), Error);
  EXPECT_THROW(eng.compute(-1, 1, rij, jelem, si.model, dedr), Error);
  EXPECT_NO_THROW(eng.compute(0, 1, rij, jelem, si.model, dedr));
}
