#include "core/linear_fit.h"

#include "core/error.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace reval {

namespace {
using Mat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vec = Eigen::VectorXd;

/// Rows per folded block: 4n (the QR of [R; block] then costs ~2.5 n^2 flops per row), at most ~32 MB.
int block_rows(int n)
{
  const long long cap = std::max(64LL, (32LL << 20) / (8LL * n));
  return static_cast<int>(std::max<long long>(n, std::min<long long>(4LL * n, cap)));
}

/// |R x - c|^2 for the upper-triangular R (n x n, row-major).
double triangular_residual2(const std::vector<double> &r, const std::vector<double> &c, const Vec &x, int n)
{
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    double v = -c[i];
    for (int j = i; j < n; ++j) v += r[static_cast<size_t>(i) * n + j] * x[j];
    s += v * v;
  }
  return s;
}
}    // namespace

LinearFit::LinearFit(int n) : m_n(n)
{
  if (n < 1) throw Error("LinearFit: at least one unknown is needed");
  m_r.assign(static_cast<size_t>(n) * n, 0.0);
  m_c.assign(n, 0.0);
}

void LinearFit::add_rows(const double *a, const double *b, const double *w, int m)
{
  const int block = block_rows(m_n);
  for (int k = 0; k < m; ++k) {
    const double wk = w ? w[k] : 1.0;
    if (!(wk >= 0.0) || !std::isfinite(wk))
      throw Error("LinearFit: row " + std::to_string(k) + " has weight " + std::to_string(wk) + " (must be >= 0)");
    if (!std::isfinite(b[k])) throw Error("LinearFit: row " + std::to_string(k) + " has a non-finite target");
    for (int j = 0; j < m_n; ++j)
      if (!std::isfinite(a[static_cast<size_t>(k) * m_n + j]))
        throw Error("LinearFit: row " + std::to_string(k) + " has a non-finite value in column " + std::to_string(j));
    if (wk == 0.0) continue;
    const double s = std::sqrt(wk);
    for (int j = 0; j < m_n; ++j) m_buf_a.push_back(s * a[static_cast<size_t>(k) * m_n + j]);
    m_buf_b.push_back(s * b[k]);
    ++m_buf_rows;
    ++m_rows;
    if (m_buf_rows >= block) fold();
  }
}

void LinearFit::fold() const
{
  if (m_buf_rows == 0) return;
  const int n = m_n, k = m_buf_rows;
  Mat m(n + k, n);
  Vec rhs(n + k);
  m.topRows(n) = Eigen::Map<const Mat>(m_r.data(), n, n);
  m.bottomRows(k) = Eigen::Map<const Mat>(m_buf_a.data(), k, n);
  rhs.head(n) = Eigen::Map<const Vec>(m_c.data(), n);
  rhs.tail(k) = Eigen::Map<const Vec>(m_buf_b.data(), k);
  Eigen::HouseholderQR<Mat> qr(m);
  const Vec qtb = qr.householderQ().adjoint() * rhs;
  const Mat &f = qr.matrixQR();
  const int top = std::min(n, n + k);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) m_r[static_cast<size_t>(i) * n + j] = (i < top && j >= i) ? f(i, j) : 0.0;
  for (int i = 0; i < n; ++i) m_c[i] = qtb[i];
  m_res2 += qtb.tail(k).squaredNorm();
  m_buf_a.clear();
  m_buf_b.clear();
  m_buf_rows = 0;
}

void LinearFit::merge(const LinearFit &other)
{
  if (other.m_n != m_n) throw Error("LinearFit::merge: accumulators of different sizes");
  other.fold();
  // the other's R rows and c are rows of an equivalent problem: fold them in like data rows
  const long long rows = m_rows;
  add_rows(other.m_r.data(), other.m_c.data(), nullptr, m_n);
  fold();
  m_rows = rows + other.m_rows;
  m_res2 += other.m_res2;
}

std::vector<double> LinearFit::pack() const
{
  fold();
  const int n = m_n;
  std::vector<double> v;
  v.reserve(packed_size(n));
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j) v.push_back(m_r[static_cast<size_t>(i) * n + j]);
  v.insert(v.end(), m_c.begin(), m_c.end());
  v.push_back(m_res2);
  v.push_back(static_cast<double>(m_rows));
  return v;
}

LinearFit LinearFit::unpack(const std::vector<double> &v, int n)
{
  LinearFit f(n);
  if (v.size() != packed_size(n)) throw Error("LinearFit::unpack: wrong size");
  size_t p = 0;
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j) f.m_r[static_cast<size_t>(i) * n + j] = v[p++];
  for (int i = 0; i < n; ++i) f.m_c[i] = v[p++];
  f.m_res2 = v[p++];
  f.m_rows = static_cast<long long>(v[p]);
  return f;
}

LinearFitSolution LinearFit::solve_svd(double rcond) const
{
  fold();
  const int n = m_n;
  const Mat r = Eigen::Map<const Mat>(m_r.data(), n, n);
  Eigen::BDCSVD<Eigen::MatrixXd> svd(r, Eigen::ComputeFullU | Eigen::ComputeFullV);
  const Vec s = svd.singularValues();
  if (rcond < 0.0) rcond = n * std::numeric_limits<double>::epsilon();
  const double smax = s.size() ? s[0] : 0.0;
  LinearFitSolution out;
  const Vec utc = svd.matrixU().adjoint() * Eigen::Map<const Vec>(m_c.data(), n);
  Vec y = Vec::Zero(n);
  for (int i = 0; i < n; ++i)
    if (s[i] > rcond * smax && s[i] > 0.0) {
      y[i] = utc[i] / s[i];
      ++out.rank;
    }
  const Vec x = svd.matrixV() * y;
  out.x.assign(x.data(), x.data() + n);
  out.cond = s[n - 1] > 0.0 ? smax / s[n - 1] : std::numeric_limits<double>::infinity();
  out.residual2 = triangular_residual2(m_r, m_c, x, n) + m_res2;
  return out;
}

LinearFitSolution LinearFit::solve_ridge(double alpha) const
{
  if (!(alpha > 0.0) || !std::isfinite(alpha)) throw Error("LinearFit: ridge alpha must be > 0");
  fold();
  const int n = m_n;
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(2 * n, n);
  m.topRows(n) = Eigen::Map<const Mat>(m_r.data(), n, n);
  m.bottomRows(n) = std::sqrt(alpha) * Eigen::MatrixXd::Identity(n, n);
  Vec rhs = Vec::Zero(2 * n);
  rhs.head(n) = Eigen::Map<const Vec>(m_c.data(), n);
  const Vec x = m.householderQr().solve(rhs);
  LinearFitSolution out;
  out.x.assign(x.data(), x.data() + n);
  out.rank = n;
  const Vec s = Eigen::BDCSVD<Eigen::MatrixXd>(Eigen::Map<const Mat>(m_r.data(), n, n)).singularValues();
  out.cond = s[n - 1] > 0.0 ? s[0] / s[n - 1] : std::numeric_limits<double>::infinity();
  out.residual2 = triangular_residual2(m_r, m_c, x, n) + m_res2;
  return out;
}

}    // namespace reval
