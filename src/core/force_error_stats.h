/// @file force_error_stats.h
/// Accumulated force-error metrics (science.md, "Force errors against a reference" and "Ensemble
/// uncertainty"). All statistics are kept as sums (and one maximum), so per-rank partial results merge
/// exactly by MPI_SUM / MPI_MAX and accumulating frames equals pooling them.
#pragma once

#include "kernels/point/force_error.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace reval {

struct ForceErrorSettings {
  /// Largest number of CDF bins per distribution (each bin is a sum of 8 bytes, merged across ranks
  /// at every evaluation; 10^6 bins resolve 1 ppm of the range, far below any force or angle accuracy).
  static constexpr int MAX_BINS = 1000000;
  int nF = 20;            ///< CDF bins of dF over [0, Fmax]
  double Fmax = 1.0;      ///< force units
  int nT = 20;            ///< CDF bins of dtheta over [0, Tmax]
  double Tmax = 90.0;     ///< degrees
  double thr_dF = 0.5;    ///< threshold of dF (force units)
  double thr_t1 = 15.0;   ///< thresholds of dtheta (degrees)
  double thr_t2 = 30.0;
  double fmin = 1.0e-6;   ///< forces below this magnitude have no direction
};

class ForceErrorStats {
 public:
  /// The global vector of compute force/error, in this order (scripts depend on it).
  enum Result {
    N_COUNTED,
    N_UNDEFINED_ANGLE,
    RMSE_COMPONENTS,
    MAE_COMPONENTS,
    MAX_ERROR,
    MEAN_DF,
    MEAN_DTHETA,
    FRAC_DF_ABOVE,
    FRAC_DTHETA_ABOVE_1,
    FRAC_DTHETA_ABOVE_2,
    NAC_DF,
    NAC_DTHETA,
    P_SCORE,
    ENERGY_RMSE_PER_ATOM,
    ENERGY_RMSE_PER_SQRT_N,
    FRAC_WITHIN_SIGMA,
    SPEARMAN_SIGMA_ERROR,
    N_RESULTS
  };

  explicit ForceErrorStats(const ForceErrorSettings &s = ForceErrorSettings());
  const ForceErrorSettings &settings() const { return m_set; }
  void clear();

  /// One counted atom.
  void add(const kernels::ForceErrorTerms &t);
  /// The same atom's ensemble uncertainty sigma (force units) against its error |P - F| (within sigma:
  /// kernels::force_error_within() with the floor fmin); `id` (the atom ID) orders the sample within
  /// its frame (see calibration_spearman()).
  void add_uncertainty(double err, double sigma, double id = 0.0);
  /// One frame's total-energy error dE = E_pred - E_ref of a system of n atoms.
  void add_energy(double dE, double n);

  /// Sums tallied elsewhere with kernels::force_error_tally() / force_error_tally_uncertainty() (e.g.
  /// by a device reduction; `sums` has the layout kernels::ForceErrorSum, sums().size() values) and
  /// their maximum |P - F|.
  void add_tallies(const double *sums, double max_error);
  /// Appends n uncertainty samples (sigma, |error|, atom ID) whose counts were tallied with add_tallies().
  void add_uncertainty_samples(const double *sigma, const double *err, const double *id, std::size_t n);
  /// The bins and thresholds in the form kernels::force_error_tally() takes.
  const kernels::ForceErrorBins &bins() const { return m_bins; }

  /// Sums (merge with MPI_SUM) and the maximum error (merge with MPI_MAX).
  std::vector<double> &sums() { return m_sums; }
  const std::vector<double> &sums() const { return m_sums; }
  double &max_error() { return m_max; }
  double max_error() const { return m_max; }
  /// Adds another accumulator (same settings). Its samples keep their order after this one's: the
  /// frame index of each of its samples is shifted by frames(), and frames() grows by o.frames()
  /// (at least 1: a fresh accumulator filled with add*() is one frame).
  void merge(const ForceErrorStats &o);
  /// Number of frames merged into this accumulator (see merge()); the samples added directly are frame 0.
  double frames() const { return m_frames; }
  void set_frames(double n) { m_frames = n; }

  /// The N_RESULTS values; `spearman` is supplied by the caller (it needs all samples, see spearman()).
  std::array<double, N_RESULTS> results(double spearman = 0.0) const;
  /// CDF of dF and dtheta at the right edge of each bin, and the edges.
  std::vector<double> cdf_dF() const;
  std::vector<double> cdf_dtheta() const;
  double edge_dF(int k) const { return (k + 1) * m_set.Fmax / m_set.nF; }
  double edge_dtheta(int k) const { return (k + 1) * m_set.Tmax / m_set.nT; }

  /// Uncertainty samples kept on this rank (sigma, |error|, atom ID, frame index), for rank
  /// correlations and binned calibration.
  const std::vector<double> &sigma_samples() const { return m_sigma; }
  const std::vector<double> &error_samples() const { return m_eps; }
  const std::vector<double> &id_samples() const { return m_id; }
  const std::vector<double> &frame_samples() const { return m_frame; }
  /// Appends samples with their frame indices as they are (restoring a saved state).
  void restore_samples(const double *sigma, const double *err, const double *id, const double *frame, std::size_t n);

  /// A readable report (counts, metrics, CDF tables).
  std::string report(double spearman = 0.0, const std::string &title = "") const;

 private:
  ForceErrorSettings m_set;
  kernels::ForceErrorBins m_bins;
  std::vector<double> m_sums;
  double m_max = 0.0;
  double m_frames = 0.0;
  std::vector<double> m_sigma, m_eps, m_id, m_frame;
};

/// Spearman rank correlation of x and y (average ranks for ties); 0 for fewer than 2 points or a
/// constant variable. NaN values rank last, tied among themselves.
double spearman(const std::vector<double> &x, const std::vector<double> &y);

/// Relative difference below which calibration_spearman() ties two values (round-off, not physics).
constexpr double CALIBRATION_TIE_REL = kernels::FORCE_TIE_REL;

/// Spearman's rho of the uncertainty calibration, independent of how the samples were split over MPI
/// ranks. Values that differ by round-off only are ties, since their round-off depends on the domain
/// decomposition: sigma and |error| below `floor` (force units; compute force/error passes fmin) count
/// as 0 (e.g. the ~1e-15 forces and spreads of a perfect lattice), and values within
/// CALIBRATION_TIE_REL of each other (relative) are tied too (e.g. atoms related by symmetry); ties
/// share their average rank. The samples are first put in the order (frame, atom ID), so that the
/// sums run in the same order for any split of the same samples: the result is the same bit for bit.
double calibration_spearman(const std::vector<double> &sigma, const std::vector<double> &err,
                            const std::vector<double> &id, const std::vector<double> &frame, double floor);

}    // namespace reval
