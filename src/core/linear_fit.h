/// @file linear_fit.h
/// Weighted linear least squares for reval-fit, min_x sum_r w_r (a_r . x - b_r)^2 (+ alpha |x|^2), by a
/// tall-skinny QR (TSQR): rows are folded in blocks into an n x n upper-triangular R and c = Q^T b
/// (Householder QR of [R; sqrt(w) A_block]), so memory is O(n^2) whatever the number of rows, and the
/// condition number is that of A, not of A^T A (normal equations square it). Two accumulators merge by
/// stacking their R (the reduction over MPI ranks: pack() / unpack() carry one as plain doubles). The
/// solution does not depend on how rows were split or merged beyond round-off.
///
/// Solvers: SVD of R with singular values below rcond * s_max dropped (FitSNAP's `solver = SVD`, as
/// numpy.linalg.lstsq), and ridge (FitSNAP's `solver = RIDGE`, as sklearn Ridge without intercept):
/// min |sqrt(W)(A x - b)|^2 + alpha |x|^2, by the QR of [R; sqrt(alpha) I].
#pragma once

#include <cstddef>
#include <vector>

namespace reval {

struct LinearFitSolution {
  std::vector<double> x;     ///< coefficients
  int rank = 0;              ///< singular values kept (SVD) or n (ridge)
  double cond = 0.0;         ///< s_max / s_min of the weighted design matrix (all singular values)
  double residual2 = 0.0;    ///< weighted residual sum of squares at x (ridge: without the penalty)
};

class LinearFit {
 public:
  /// n unknowns (columns), at least 1.
  explicit LinearFit(int n);

  int ncols() const { return m_n; }
  /// Rows folded in so far (with non-zero weight).
  long long nrows() const { return m_rows; }

  /// Adds m rows: a (m x n, row-major), b (m), w (m weights >= 0; nullptr = all 1). Rows are buffered
  /// and folded in blocks. Throws reval::Error on a negative or non-finite weight or value.
  void add_rows(const double *a, const double *b, const double *w, int m);
  /// Folds the accumulator `other` (same n) into this one.
  void merge(const LinearFit &other);

  /// The state as n(n+1)/2 + n + 2 doubles (R's upper triangle, c, residual, rows), after folding the
  /// buffer; unpack() restores it. For MPI reductions (gather, then merge in rank order).
  std::vector<double> pack() const;
  /// Length of pack()'s vector for n unknowns.
  static std::size_t packed_size(int n) { return static_cast<std::size_t>(n) * (n + 1) / 2 + n + 2; }
  static LinearFit unpack(const std::vector<double> &v, int n);

  /// Least-squares solution by SVD; singular values s <= rcond * s_max count as 0 (rcond < 0: n * eps
  /// as numpy.linalg.lstsq's default).
  LinearFitSolution solve_svd(double rcond = -1.0) const;
  /// Ridge solution for alpha > 0.
  LinearFitSolution solve_ridge(double alpha) const;

 private:
  void fold() const;    // folds the buffered rows into R (logically const: the state it represents)
  int m_n;
  long long m_rows = 0;
  mutable std::vector<double> m_r;       // n x n, row-major, upper triangle used
  mutable std::vector<double> m_c;       // n
  mutable double m_res2 = 0.0;           // |b|^2 part not representable by R (folded rows)
  mutable std::vector<double> m_buf_a, m_buf_b;    // pending weighted rows
  mutable int m_buf_rows = 0;
};

}    // namespace reval
