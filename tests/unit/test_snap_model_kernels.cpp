// Point kernels of the SNAP energy models (kernels/point/snap_model_kernels.hpp) and the host model
// value type (SnapModel): on random B, the kernel's E and beta equal an independent straightforward
// evaluation (full symmetric alpha for quadratic, an Eigen forward/backward pass for nn) to 1e-12,
// beta equals central differences of E, every activation is exercised, and the model, its copies, the
// dispatcher and a view of copied arrays (what the Kokkos pair builds) give bit-identical results.
#include "snap_test_support.h"

#include "core/error.h"
#include "core/snap_models.h"
#include "kernels/point/snap_model_kernels.hpp"

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace reval;
using namespace reval::test;

namespace {

std::vector<double> random_normal(int n, std::mt19937 &rng, double scale = 1.0)
{
  std::normal_distribution<double> nd(0.0, scale);
  std::vector<double> b(n);
  for (double &x : b) x = nd(rng);
  return b;
}

double inf_norm(const std::vector<double> &v)
{
  double m = 0.0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

/// E and beta through the dispatcher on the model's own view, with kernel-sized scratch.
double kernel_eval(const SnapModel &d, int elem, const std::vector<double> &B, std::vector<double> &beta)
{
  std::vector<double> scratch(std::max(1, kernels::snap_model_scratch_size(d.view())), -1e300);
  beta.assign(d.ndescriptors(), -1e300);
  return kernels::snap_model_energy_beta(d.view(), elem, B.data(), beta.data(), scratch.data());
}

/// beta of `m` against central differences of E: h = 1e-6 * hscale[k]; |beta_k - fd_k| <= tol * max(|beta|_inf, |E| / hscale_k).
void check_beta_fd(const SnapModel &m, int elem, const std::vector<double> &B, const std::vector<double> &hscale,
                   double tol, const std::string &what)
{
  const int n = m.ndescriptors();
  std::vector<double> beta(n), tmp(n);
  const double e = m.energy_and_beta(elem, B.data(), beta.data());
  const double bmax = inf_norm(beta);
  for (int k = 0; k < n; ++k) {
    const double h = 1e-6 * hscale[k];
    std::vector<double> bp = B, bm = B;
    bp[k] += h;
    bm[k] -= h;
    const double fd = (m.energy_and_beta(elem, bp.data(), tmp.data()) - m.energy_and_beta(elem, bm.data(), tmp.data())) /
                      (bp[k] - bm[k]);
    EXPECT_NEAR(beta[k], fd, tol * std::max(bmax, std::fabs(e) / hscale[k])) << what << " elem " << elem << " k " << k;
  }
}

/// Independent quadratic evaluation with the full symmetric matrix: E = b0 + b.B + 1/2 B^T A B,
/// beta = b + A B; also the sums of magnitudes of the terms (the scale of rounding errors).
struct QuadRef {
  double e = 0.0, e_mag = 0.0;
  std::vector<double> beta, beta_mag;
};

QuadRef quadratic_reference(const std::vector<double> &c, int n, const std::vector<double> &B)
{
  std::vector<std::vector<double>> A(n, std::vector<double>(n));
  std::size_t k = n + 1;
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j) A[i][j] = A[j][i] = c[k++];
  EXPECT_EQ(k, c.size());
  QuadRef r;
  r.beta.assign(n, 0.0);
  r.beta_mag.assign(n, 0.0);
  r.e = c[0];
  r.e_mag = std::fabs(c[0]);
  for (int i = 0; i < n; ++i) {
    r.e += c[i + 1] * B[i];
    r.e_mag += std::fabs(c[i + 1] * B[i]);
    r.beta[i] = c[i + 1];
    r.beta_mag[i] = std::fabs(c[i + 1]);
    for (int j = 0; j < n; ++j) {
      r.e += 0.5 * A[i][j] * B[i] * B[j];
      r.e_mag += std::fabs(0.5 * A[i][j] * B[i] * B[j]);
      r.beta[i] += A[i][j] * B[j];
      r.beta_mag[i] += std::fabs(A[i][j] * B[j]);
    }
  }
  return r;
}

/// Independent Eigen evaluation of an ML-IAP nn network: forward with std:: activations, beta by
/// the chain rule written as products of Jacobians.
double nn_reference(const MliapNNFile &f, int elem, const std::vector<double> &B, std::vector<double> &beta)
{
  const int n = f.ndescriptors;
  const Eigen::VectorXd s0 = Eigen::Map<const Eigen::VectorXd>(f.scale0[elem].data(), n);
  const Eigen::VectorXd s1 = Eigen::Map<const Eigen::VectorXd>(f.scale1[elem].data(), n);
  Eigen::VectorXd h = (Eigen::Map<const Eigen::VectorXd>(B.data(), n) - s0).cwiseQuotient(s1);
  // J = d(layer output) / d(x), built forward
  Eigen::MatrixXd J = Eigen::MatrixXd::Identity(n, n);
  const double *c = f.coeffs[elem].data();
  int prev = n;
  for (std::size_t l = 0; l < f.nnodes.size(); ++l) {
    const int m = f.nnodes[l];
    Eigen::MatrixXd W(m, prev);
    Eigen::VectorXd b(m);
    for (int i = 0; i < m; ++i, c += prev + 1) {
      b(i) = c[0];
      for (int j = 0; j < prev; ++j) W(i, j) = c[1 + j];
    }
    const Eigen::VectorXd z = W * h + b;
    Eigen::VectorXd a(m), d(m);
    for (int i = 0; i < m; ++i) {
      switch (f.activation[l]) {
        case kernels::kSnapActLinear:
          a(i) = z(i);
          d(i) = 1.0;
          break;
        case kernels::kSnapActSigmoid:
          a(i) = 1.0 / (1.0 + std::exp(-z(i)));
          d(i) = std::exp(-z(i)) / ((1.0 + std::exp(-z(i))) * (1.0 + std::exp(-z(i))));
          break;
        case kernels::kSnapActTanh:
          a(i) = std::tanh(z(i));
          d(i) = 1.0 / (std::cosh(z(i)) * std::cosh(z(i)));
          break;
        case kernels::kSnapActRelu:
          a(i) = z(i) > 0.0 ? z(i) : 0.0;
          d(i) = z(i) > 0.0 ? 1.0 : 0.0;
          break;
      }
    }
    J = d.asDiagonal() * (W * J);
    h = a;
    prev = m;
  }
  EXPECT_EQ(c, f.coeffs[elem].data() + f.coeffs[elem].size());
  EXPECT_EQ(h.size(), 1);
  beta.resize(n);
  for (int k = 0; k < n; ++k) beta[k] = J(0, k) / s1(k);
  return h(0);
}

/// The ML-IAP nn text of a network with random weights: layers {act, nodes}, n descriptors, nelem elements.
std::string nn_text(int n, const std::vector<std::pair<std::string, int>> &layers, int nelem, unsigned seed,
                    double wscale = 1.0)
{
  int nparams = 0, prev = n;
  for (const auto &l : layers) {
    nparams += (prev + 1) * l.second;
    prev = l.second;
  }
  std::ostringstream s;
  s.precision(17);
  s << "# kernel test network\n" << nelem << " " << nparams << "\nNET " << n << " " << layers.size();
  for (const auto &l : layers) s << " " << l.first << " " << l.second;
  s << "\n";
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int e = 0; e < nelem; ++e) {
    for (int k = 0; k < n; ++k) s << 0.3 * u(rng) << " ";
    s << "\n";
    for (int k = 0; k < n; ++k) s << 0.5 + std::fabs(u(rng)) << " ";
    s << "\n";
    prev = n;
    for (const auto &l : layers) {
      for (int p = 0; p < (prev + 1) * l.second; ++p) s << wscale * u(rng) / std::sqrt(double(prev)) << "\n";
      prev = l.second;
    }
  }
  return s.str();
}

MliapNNFile nn_file(int n, const std::vector<std::pair<std::string, int>> &layers, int nelem, unsigned seed,
                    double wscale = 1.0)
{
  std::istringstream in(nn_text(n, layers, nelem, seed, wscale));
  return parse_mliap_nn(in, "kernel_test.nn");
}

/// Checks one nn model against the Eigen reference (`tol` relative to |E| and to |beta|_inf) and
/// central differences, on `ntrials` typical inputs B = scale0 + scale1 * N(0, bscale) per element.
void check_nn(const MliapNNFile &f, const std::string &what, int ntrials = 3, double bscale = 1.0, double tol = 1e-12)
{
  const SnapModel model = SnapModel::nn(f);
  const SnapModel &d = model;
  ASSERT_EQ(d.kind(), kernels::kSnapModelNN);
  const int n = f.ndescriptors;
  std::mt19937 rng(17);
  for (int e = 0; e < f.nelements; ++e)
    for (int t = 0; t < ntrials; ++t) {
      std::vector<double> B = random_normal(n, rng, bscale);
      for (int k = 0; k < n; ++k) B[k] = f.scale0[e][k] + B[k] * f.scale1[e][k];
      std::vector<double> beta, beta_ref, beta_model(n);
      const double E = kernel_eval(d, e, B, beta);
      const double E_ref = nn_reference(f, e, B, beta_ref);
      EXPECT_NEAR(E, E_ref, tol * std::max(1.0, std::fabs(E_ref))) << what << " elem " << e;
      const double bmax = inf_norm(beta_ref);
      for (int k = 0; k < n; ++k) EXPECT_NEAR(beta[k], beta_ref[k], tol * bmax) << what << " elem " << e << " k " << k;
      // the model's own evaluation runs the same kernel: bit-identical
      EXPECT_EQ(model.energy_and_beta(e, B.data(), beta_model.data()), E) << what;
      EXPECT_EQ(beta_model, beta) << what;
      check_beta_fd(model, e, B, f.scale1[e], 1e-7, what);
    }
}

}    // namespace

// ------------------------------------------------------------------------------------------ linear

TEST(SnapModelKernels, LinearMatchesDotProduct)
{
  if (!have_potentials()) GTEST_SKIP();
  const std::vector<SnapPotential> pots = {
      load_snap_potential(potential("Si_Zuo_JPCA2020.snapcoeff"), potential("Si_Zuo_JPCA2020.snapparam"), {"Si"}),
      load_mliap_potential("linear", potential("WBe_Wood_PRB2019.mliap.model"),
                           potential("WBe_Wood_PRB2019.mliap.descriptor"))};
  std::mt19937 rng(3);
  for (const SnapPotential &pot : pots) {
    const SnapModel &d = pot.model;
    const int n = d.ndescriptors();
    EXPECT_EQ(d.kind(), kernels::kSnapModelLinear);
    EXPECT_EQ(d.stride(), n + 1);
    EXPECT_EQ(d.scratch_size(), 0);
    EXPECT_EQ(d.coeff().size(), static_cast<std::size_t>(d.nelements()) * (n + 1));
    EXPECT_TRUE(d.params().empty());
    for (int e = 0; e < d.nelements(); ++e) {
      const double *c = d.coeff().data() + static_cast<std::size_t>(e) * d.stride();
      const std::vector<double> B = random_normal(n, rng, 2.0);
      double e_ref = c[0], mag = std::fabs(c[0]);
      for (int k = 0; k < n; ++k) {
        e_ref += c[k + 1] * B[k];
        mag += std::fabs(c[k + 1] * B[k]);
      }
      std::vector<double> beta, beta_model(n);
      const double E = kernel_eval(d, e, B, beta);
      EXPECT_NEAR(E, e_ref, 1e-12 * mag);
      for (int k = 0; k < n; ++k) EXPECT_EQ(beta[k], c[k + 1]);
      EXPECT_EQ(pot.model.energy_and_beta(e, B.data(), beta_model.data()), E);
      EXPECT_EQ(beta_model, beta);
      check_beta_fd(pot.model, e, B, std::vector<double>(n, 1.0), 1e-7, pot.source);
    }
  }
}

// --------------------------------------------------------------------------------------- quadratic

TEST(SnapModelKernels, QuadraticPackedTriangleMatchesFullMatrix)
{
  if (!have_potentials()) GTEST_SKIP();
  struct Case {
    SnapPotential pot;
    std::vector<std::vector<double>> coeffs;
  };
  std::vector<Case> cases;
  cases.push_back({load_snap_potential(potential("Si_Zuo_JPCA2020.quadratic.snapcoeff"),
                                       potential("Si_Zuo_JPCA2020.quadratic.snapparam"), {"Si"}),
                   {read_snapcoeff(potential("Si_Zuo_JPCA2020.quadratic.snapcoeff")).blocks[0].coeffs}});
  cases.push_back({load_mliap_potential("quadratic", potential("W.quadratic.mliap.model"),
                                        potential("W.quadratic.mliap.descriptor")),
                   read_mliap_simple(potential("W.quadratic.mliap.model")).coeffs});
  std::mt19937 rng(11);
  for (const Case &c : cases) {
    const SnapModel &m = c.pot.model;
    const SnapModel &d = m;
    const int n = d.ndescriptors();
    EXPECT_EQ(d.kind(), kernels::kSnapModelQuadratic);
    EXPECT_EQ(d.stride(), 1 + n + n * (n + 1) / 2);
    EXPECT_EQ(d.scratch_size(), 0);
    ASSERT_EQ(static_cast<int>(c.coeffs.size()), d.nelements());
    for (int e = 0; e < d.nelements(); ++e) {
      // the model keeps the file's coefficients in LAMMPS order (beta0, linear, packed triangle)
      const auto first = d.coeff().begin() + static_cast<std::ptrdiff_t>(e) * d.stride();
      EXPECT_EQ(std::vector<double>(first, first + d.stride()), c.coeffs[e]);
      for (int t = 0; t < 4; ++t) {
        const std::vector<double> B = random_normal(n, rng, t < 2 ? 1.0 : 5.0);
        const QuadRef r = quadratic_reference(c.coeffs[e], n, B);
        std::vector<double> beta, beta_model(n);
        const double E = kernel_eval(d, e, B, beta);
        EXPECT_NEAR(E, r.e, 1e-12 * r.e_mag) << c.pot.source;
        for (int k = 0; k < n; ++k) EXPECT_NEAR(beta[k], r.beta[k], 1e-12 * r.beta_mag[k]) << c.pot.source << " k " << k;
        EXPECT_EQ(m.energy_and_beta(e, B.data(), beta_model.data()), E);
        EXPECT_EQ(beta_model, beta);
        check_beta_fd(m, e, B, std::vector<double>(n, 1.0), 1e-7, c.pot.source);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------- nn

TEST(SnapModelKernels, NNShippedNetworksMatchEigenReference)
{
  if (!have_potentials()) GTEST_SKIP();
  for (const auto &files : {std::make_pair(potential("Cu.nn.mliap.model"), potential("Cu.snap.mliap.descriptor")),
                            std::make_pair(potential("Ta06A.nn.mliap.model"), potential("Ta06A.mliap.descriptor")),
                            std::make_pair(snap_refdata_dir() + "/si_synthetic.nn.mliap.model",
                                           snap_refdata_dir() + "/si_synthetic.mliap.descriptor")}) {
    const SnapPotential pot = load_mliap_potential("nn", files.first, files.second);
    const MliapNNFile f = read_mliap_nn(files.first);
    const SnapModel &d = pot.model;
    EXPECT_EQ(d.nnodes(), f.nnodes);
    EXPECT_EQ(d.view().nlayers, static_cast<int>(f.nnodes.size()));
    EXPECT_EQ(d.stride(), 2 * f.ndescriptors + f.nparams);
    EXPECT_EQ(d.params().size(), static_cast<std::size_t>(d.stride()) * f.nelements);
    EXPECT_EQ(d.scratch_size(), kernels::snap_model_scratch_size(d.view()));
    EXPECT_GE(d.view().max_width, f.ndescriptors);
    check_nn(f, files.first);
  }
}

TEST(SnapModelKernels, NNEveryActivation)
{
  const char *acts[] = {"linear", "sigmoid", "tanh", "relu"};
  unsigned seed = 100;
  for (const char *a1 : acts)
    for (const char *a2 : acts)
      for (const char *out : {"linear", "tanh", "sigmoid"}) {
        const MliapNNFile f = nn_file(5, {{a1, 6}, {a2, 4}, {out, 1}}, 2, seed++);
        check_nn(f, std::string(a1) + "/" + a2 + "/" + out, 2);
      }
  // one layer (no back-propagation through hidden layers) and a deep narrow network
  for (const char *a : acts) check_nn(nn_file(4, {{a, 1}}, 1, seed++), std::string("single ") + a);
  check_nn(nn_file(3, {{"tanh", 2}, {"sigmoid", 7}, {"relu", 3}, {"tanh", 5}, {"linear", 1}}, 3, seed++), "deep");
  // saturated sigmoid / tanh (large pre-activations) stay finite and consistent; the derivative
  // s (1 - s) of LAMMPS' algebra loses relative accuracy as s -> 1 (the reference uses exp(-z) / (1 +
  // exp(-z))^2 and 1 / cosh^2), hence the looser tolerance
  check_nn(nn_file(4, {{"sigmoid", 5}, {"tanh", 3}, {"linear", 1}}, 1, seed++, 20.0), "saturated", 2, 3.0, 1e-9);
  // the activation codes are the numbers of the file format / LAMMPS MLIAPModelNN
  const MliapNNFile f = nn_file(2, {{"linear", 2}, {"sigmoid", 2}, {"tanh", 2}, {"relu", 1}}, 1, seed++);
  EXPECT_EQ(SnapModel::nn(f).activation(), (std::vector<int>{kernels::kSnapActLinear, kernels::kSnapActSigmoid,
                                                             kernels::kSnapActTanh, kernels::kSnapActRelu}));
}

TEST(SnapModelKernels, NNWideNetworkUsesThreadLocalScratchSafely)
{
  // scratch 4 * 300 + 301 doubles: beyond the stack buffer of SnapModel::energy_and_beta
  const MliapNNFile f = nn_file(8, {{"tanh", 300}, {"linear", 1}}, 2, 7);
  const SnapModel model = SnapModel::nn(f);
  ASSERT_GT(model.scratch_size(), 1024);
  check_nn(f, "wide", 1);
  std::mt19937 rng(5);
  std::vector<std::vector<double>> Bs;
  std::vector<double> E0;
  std::vector<std::vector<double>> beta0;
  for (int t = 0; t < 16; ++t) {
    Bs.push_back(random_normal(8, rng));
    std::vector<double> b(8);
    E0.push_back(model.energy_and_beta(t % 2, Bs.back().data(), b.data()));
    beta0.push_back(b);
  }
  std::vector<int> bad(4, 0);
  std::vector<std::thread> threads;
  for (int th = 0; th < 4; ++th)
    threads.emplace_back([&, th] {
      std::vector<double> b(8);
      for (int rep = 0; rep < 50; ++rep)
        for (int t = 0; t < 16; ++t) {
          const int i = (t + th * 5) % 16;
          if (model.energy_and_beta(i % 2, Bs[i].data(), b.data()) != E0[i] || b != beta0[i]) ++bad[th];
        }
    });
  for (auto &t : threads) t.join();
  for (int th = 0; th < 4; ++th) EXPECT_EQ(bad[th], 0) << "thread " << th;
}

// --------------------------------------------------------------------------------- SnapModel values

TEST(SnapModelKernels, ModelCopiesAndForeignViewsGiveIdenticalResults)
{
  const MliapNNFile f = nn_file(4, {{"tanh", 5}, {"sigmoid", 3}, {"linear", 1}}, 2, 3);
  std::vector<SnapModel> datas;
  datas.push_back(SnapModel::nn(f));
  datas.push_back(SnapModel::linear(3, {{1.0, 0.5, -2.0, 3.0}, {0.0, 1.0, 1.0, 1.0}}));
  datas.push_back(SnapModel::quadratic(2, {{0.5, 1.0, -1.0, 0.2, 0.3, -0.4}, {0.0, 2.0, 1.0, 1.0, 0.0, 1.0}}));
  std::mt19937 rng(8);
  for (const SnapModel &orig : datas) {
    const int n = orig.ndescriptors();
    SnapModel copy(orig);
    SnapModel assigned;
    assigned = orig;
    EXPECT_NE(copy.view().coeff == nullptr ? copy.view().params : copy.view().coeff,
              orig.view().coeff == nullptr ? orig.view().params : orig.view().coeff);
    EXPECT_EQ(copy.view().coeff, copy.coeff().empty() ? nullptr : copy.coeff().data());
    EXPECT_EQ(copy.view().params, copy.params().empty() ? nullptr : copy.params().data());
    EXPECT_EQ(assigned.view().nnodes, assigned.nnodes().empty() ? nullptr : assigned.nnodes().data());
    EXPECT_EQ(assigned.view().activation, assigned.activation().empty() ? nullptr : assigned.activation().data());
    SnapModel tmp(orig);
    const SnapModel moved(std::move(tmp));
    EXPECT_EQ(moved.view().params, moved.params().empty() ? nullptr : moved.params().data());
    EXPECT_EQ(moved.view().coeff, moved.coeff().empty() ? nullptr : moved.coeff().data());
    // "device" copies of the arrays, as a Kokkos port would make them
    const std::vector<double> coeff = orig.coeff(), params = orig.params();
    const std::vector<int> nnodes = orig.nnodes(), activation = orig.activation();
    const kernels::SnapModelView foreign =
        orig.view_with(coeff.empty() ? nullptr : coeff.data(), params.empty() ? nullptr : params.data(),
                       nnodes.empty() ? nullptr : nnodes.data(), activation.empty() ? nullptr : activation.data());
    EXPECT_EQ(foreign.stride, orig.stride());
    EXPECT_EQ(foreign.max_width, orig.view().max_width);
    for (int e = 0; e < orig.nelements(); ++e) {
      const std::vector<double> B = random_normal(n, rng);
      std::vector<double> b0(n), b1(n), b2(n), b3(n), b4(n);
      std::vector<double> scratch(orig.scratch_size() + 1);
      const double e0 = orig.energy_and_beta(e, B.data(), b0.data());
      EXPECT_EQ(copy.energy_and_beta(e, B.data(), b1.data()), e0);
      EXPECT_EQ(assigned.energy_and_beta(e, B.data(), b2.data()), e0);
      EXPECT_EQ(moved.energy_and_beta(e, B.data(), b3.data()), e0);
      EXPECT_EQ(kernels::snap_model_energy_beta(foreign, e, B.data(), b4.data(), scratch.data()), e0);
      EXPECT_EQ(b1, b0);
      EXPECT_EQ(b2, b0);
      EXPECT_EQ(b3, b0);
      EXPECT_EQ(b4, b0);
    }
  }
  // the small quadratic by hand: alpha = [[0.2, 0.3], [0.3, -0.4]], B = (1, 2)
  const double B[2] = {1.0, 2.0};
  double beta[2];
  const double E = datas[2].energy_and_beta(0, B, beta);
  EXPECT_DOUBLE_EQ(E, 0.5 + 1.0 - 2.0 + 0.5 * (0.2 * 1 + 2 * 0.3 * 2 - 0.4 * 4));
  EXPECT_DOUBLE_EQ(beta[0], 1.0 + 0.2 + 0.3 * 2);
  EXPECT_DOUBLE_EQ(beta[1], -1.0 + 0.3 - 0.4 * 2);
}

TEST(SnapModelKernels, ModelValidationAndCommitteeOfOne)
{
  EXPECT_THROW(SnapModel::linear(0, {{1.0}}), Error);
  EXPECT_THROW(SnapModel::linear(2, {}), Error);
  EXPECT_THROW(SnapModel::linear(2, {{1.0, 2.0}}), Error);
  EXPECT_THROW(SnapModel::quadratic(2, {{1.0, 2.0, 3.0, 4.0, 5.0}}), Error);
  EXPECT_NO_THROW(SnapModel::quadratic(2, {{1.0, 2.0, 3.0, 4.0, 5.0, 6.0}}));
  MliapNNFile f = nn_file(3, {{"tanh", 2}, {"linear", 1}}, 1, 1);
  EXPECT_NO_THROW(SnapModel::nn(f));
  MliapNNFile bad = f;
  bad.scale1[0][1] = 0.0;
  EXPECT_THROW(SnapModel::nn(bad), Error);
  bad = f;
  bad.nnodes.back() = 2;
  EXPECT_THROW(SnapModel::nn(bad), Error);
  bad = f;
  bad.coeffs[0].pop_back();
  EXPECT_THROW(SnapModel::nn(bad), Error);

  // an unknown kind yields zeros, not garbage
  kernels::SnapModelView v;
  v.kind = 99;
  v.ndesc = 2;
  double beta[2] = {5.0, 5.0};
  const double B[2] = {1.0, 1.0};
  EXPECT_EQ(kernels::snap_model_energy_beta(v, 0, B, beta, nullptr), 0.0);
  EXPECT_EQ(beta[0], 0.0);
  EXPECT_EQ(beta[1], 0.0);

  if (!have_potentials()) return;
  std::vector<SnapPotential> members = {
      load_snap_potential(potential("Si_Zuo_JPCA2020.snapcoeff"), potential("Si_Zuo_JPCA2020.snapparam"), {"Si"})};
  // a committee is a list of model values; one member is that member's model, evaluated identically
  const std::vector<SnapModel> one = make_committee(members);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].coeff(), members[0].model.coeff());
  std::vector<double> Bsi(members[0].model.ndescriptors(), 0.5), b0(Bsi.size()), b1(Bsi.size());
  EXPECT_EQ(one[0].energy_and_beta(0, Bsi.data(), b1.data()), members[0].model.energy_and_beta(0, Bsi.data(), b0.data()));
  EXPECT_EQ(b1, b0);
  // an unknown activation code is refused
  bad = f;
  bad.activation[0] = 7;
  EXPECT_THROW(SnapModel::nn(bad), Error);
}
