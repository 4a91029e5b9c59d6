// core/linear_fit: TSQR weighted least squares of reval-fit against direct dense solutions (Eigen on the
// whole design matrix), independent of how rows are split into blocks and accumulators ("ranks").
#include "core/error.h"
#include "core/linear_fit.h"

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace {

struct Problem {
  int m, n;
  std::vector<double> a, b, w;
};

Problem random_problem(int m, int n, unsigned seed, double col_scale_spread = 1.0)
{
  std::mt19937 rng(seed);
  std::normal_distribution<double> g;
  std::uniform_real_distribution<double> u(0.1, 3.0);
  Problem p{m, n, std::vector<double>(static_cast<size_t>(m) * n), std::vector<double>(m), std::vector<double>(m)};
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) p.a[static_cast<size_t>(i) * n + j] = g(rng) * std::pow(col_scale_spread, double(j) / n);
    p.b[i] = g(rng);
    p.w[i] = (i % 7 == 3) ? 0.0 : u(rng);    // some rows weighted 0
  }
  return p;
}

/// Direct weighted least squares on the whole (sqrt(W) A, sqrt(W) b): minimum-norm solution.
Eigen::VectorXd direct(const Problem &p)
{
  Eigen::MatrixXd a(p.m, p.n);
  Eigen::VectorXd b(p.m);
  for (int i = 0; i < p.m; ++i) {
    const double s = std::sqrt(p.w[i]);
    for (int j = 0; j < p.n; ++j) a(i, j) = s * p.a[static_cast<size_t>(i) * p.n + j];
    b[i] = s * p.b[i];
  }
  return a.completeOrthogonalDecomposition().solve(b);
}

double residual2(const Problem &p, const std::vector<double> &x)
{
  double s = 0.0;
  for (int i = 0; i < p.m; ++i) {
    double r = -p.b[i];
    for (int j = 0; j < p.n; ++j) r += p.a[static_cast<size_t>(i) * p.n + j] * x[j];
    s += p.w[i] * r * r;
  }
  return s;
}

double rel_diff(const std::vector<double> &x, const Eigen::VectorXd &y)
{
  double d = 0.0, s = 0.0;
  for (size_t j = 0; j < x.size(); ++j) {
    d = std::max(d, std::fabs(x[j] - y[j]));
    s = std::max(s, std::fabs(y[j]));
  }
  return d / s;
}

/// The fit of p with its rows split over `ranks` accumulators in chunks of `chunk` rows, merged in order
/// (through pack/unpack, as the MPI reduction does).
reval::LinearFit split_fit(const Problem &p, int ranks, int chunk)
{
  std::vector<reval::LinearFit> acc(ranks, reval::LinearFit(p.n));
  for (int i0 = 0, k = 0; i0 < p.m; i0 += chunk, ++k) {
    const int rows = std::min(chunk, p.m - i0);
    acc[k % ranks].add_rows(&p.a[static_cast<size_t>(i0) * p.n], &p.b[i0], &p.w[i0], rows);
  }
  reval::LinearFit total = reval::LinearFit::unpack(acc[0].pack(), p.n);
  for (int r = 1; r < ranks; ++r) total.merge(reval::LinearFit::unpack(acc[r].pack(), p.n));
  return total;
}

}    // namespace

TEST(LinearFit, SvdEqualsDirectWeightedLeastSquares)
{
  for (int n : {1, 5, 30}) {
    const Problem p = random_problem(40 * n + 17, n, 3 + n, 1e4);
    reval::LinearFit f(n);
    f.add_rows(p.a.data(), p.b.data(), p.w.data(), p.m);
    const auto s = f.solve_svd();
    EXPECT_EQ(s.rank, n);
    EXPECT_LT(rel_diff(s.x, direct(p)), 1e-12) << "n = " << n;
    EXPECT_NEAR(s.residual2, residual2(p, s.x), 1e-10 * residual2(p, s.x));
    EXPECT_EQ(f.nrows(), p.m - (p.m + 3) / 7);    // rows of weight 0 are not counted
  }
}

TEST(LinearFit, IndependentOfBlocksAndRanks)
{
  const Problem p = random_problem(3000, 24, 11, 1e3);    // several folds (blocks of 4n rows)
  const Eigen::VectorXd ref = direct(p);
  for (int ranks : {1, 2, 3, 4})
    for (int chunk : {1, 7, 250, 3000}) {
      const auto s = split_fit(p, ranks, chunk).solve_svd();
      EXPECT_LT(rel_diff(s.x, ref), 1e-11) << ranks << " ranks, chunks of " << chunk;
    }
}

TEST(LinearFit, RidgeEqualsRegularisedNormalEquations)
{
  const Problem p = random_problem(400, 15, 5, 1e2);
  for (double alpha : {1e-6, 1e-2, 10.0}) {
    Eigen::MatrixXd ata = Eigen::MatrixXd::Zero(p.n, p.n);
    Eigen::VectorXd atb = Eigen::VectorXd::Zero(p.n);
    for (int i = 0; i < p.m; ++i) {
      Eigen::Map<const Eigen::VectorXd> row(&p.a[static_cast<size_t>(i) * p.n], p.n);
      ata += p.w[i] * row * row.transpose();
      atb += p.w[i] * p.b[i] * row;
    }
    ata += alpha * Eigen::MatrixXd::Identity(p.n, p.n);
    const Eigen::VectorXd ref = ata.ldlt().solve(atb);
    reval::LinearFit f(p.n);
    f.add_rows(p.a.data(), p.b.data(), p.w.data(), p.m);
    const auto s = f.solve_ridge(alpha);
    EXPECT_LT(rel_diff(s.x, ref), 1e-10) << alpha;
    EXPECT_NEAR(s.residual2, residual2(p, s.x), 1e-10 * residual2(p, s.x));
  }
}

TEST(LinearFit, RankDeficientGivesTheMinimumNormSolution)
{
  Problem p = random_problem(200, 6, 9);
  for (int i = 0; i < p.m; ++i) p.a[static_cast<size_t>(i) * 6 + 5] = 2.0 * p.a[static_cast<size_t>(i) * 6 + 1];
  reval::LinearFit f(6);
  f.add_rows(p.a.data(), p.b.data(), p.w.data(), p.m);
  const auto s = f.solve_svd();
  EXPECT_EQ(s.rank, 5);
  EXPECT_LT(rel_diff(s.x, direct(p)), 1e-10);
  EXPECT_NEAR(s.x[5], 2.0 * s.x[1], 1e-12 * std::fabs(s.x[1]) + 1e-14);    // the split of the minimum norm
}

TEST(LinearFit, RecoversExactCoefficients)
{
  // noise-free targets of known coefficients: recovered to round-off (reval-fit's exactness test in small)
  Problem p = random_problem(120, 9, 21, 1e5);
  const double truth[9] = {1.5, -2.25, 3.0, 0.125, -7.0, 1e-3, 42.0, -0.5, 0.75};
  for (int i = 0; i < p.m; ++i) {
    p.b[i] = 0.0;
    for (int j = 0; j < 9; ++j) p.b[i] += p.a[static_cast<size_t>(i) * 9 + j] * truth[j];
  }
  const auto s = split_fit(p, 2, 13).solve_svd();
  for (int j = 0; j < 9; ++j) EXPECT_NEAR(s.x[j], truth[j], 1e-9 * std::fabs(truth[j])) << j;
  double b2 = 0.0;    // round-off relative to the weighted |b|^2
  for (int i = 0; i < p.m; ++i) b2 += p.w[i] * p.b[i] * p.b[i];
  EXPECT_LT(s.residual2, 1e-24 * b2);
}

TEST(LinearFit, BadRowsAreErrors)
{
  reval::LinearFit f(2);
  const double a[4] = {1, 2, 3, NAN}, b[2] = {1, 2}, wneg[2] = {1, -1}, w[2] = {1, 1};
  EXPECT_THROW(f.add_rows(a, b, w, 2), reval::Error);
  const double a2[4] = {1, 2, 3, 4};
  EXPECT_THROW(f.add_rows(a2, b, wneg, 2), reval::Error);
  EXPECT_THROW(f.solve_ridge(0.0), reval::Error);
  EXPECT_THROW(reval::LinearFit(0), reval::Error);
  EXPECT_THROW(reval::LinearFit(3).merge(reval::LinearFit(2)), reval::Error);
}
