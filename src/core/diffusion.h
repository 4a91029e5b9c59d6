/// @file diffusion.h
/// Diffusivity from mean squared displacements with the error bar of He, Zhu, Epstein & Mo,
/// npj Comput. Mater. 4, 18 (2018) (science.md, "Diffusion: TMSD, diffusivity and its error bar").
#pragma once

#include <vector>

namespace reval {

struct DiffusivityFit {
  double D = 0.0;           ///< diffusivity, (length^2/time) / (2 * dimension); NaN if not fitted
  double intercept = 0.0;   ///< c of MSD(t) = 2 d D t + c; NaN if not fitted
  bool fitted = false;      ///< false: fewer than 2 points (or no spread in t) in the window
  int npoints = 0;          ///< points in the fit window
  double t_start = 0.0, t_end = 0.0;    ///< the window used
};

/// Least-squares line MSD(t) = 2*dim*D*t + c over the points with t_start <= t <= t_end.
/// Fewer than 2 points (or no spread in t): not fitted (fitted = false, D and intercept NaN), npoints as
/// found; never a diffusivity of 0 that a caller could take for a measurement.
DiffusivityFit fit_diffusivity(const std::vector<double> &t, const std::vector<double> &msd, double t_start,
                               double t_end, int dim = 3);

/// The default window: from the first time MSD reaches 0.5 a^2 to `end_fraction` of the elapsed time.
/// With dilute defects the per-atom MSD may never get there (a vacancy moves one atom per hop): then
/// the window starts at the first time the total TMSD reaches 0.5 a^2 (t > 0), so that the line fits
/// the growth after the vibrational plateau, which the intercept absorbs. Pass an empty `tmsd` to
/// disable that fallback. Returns {t_start, t_end} (t_start is +inf when neither level is reached).
std::pair<double, double> default_fit_window(const std::vector<double> &t, const std::vector<double> &msd,
                                             double hop, double elapsed, double end_fraction = 0.7,
                                             const std::vector<double> &tmsd = {});

/// Effective number of independent hops, N_eff = max_t TMSD(t) / a^2.
double effective_hops(const std::vector<double> &tmsd, double hop);

/// Relative standard deviation of D (He et al. 2018): 3.43 / sqrt(N_eff) + 0.04; infinite for N_eff <= 0.
double diffusivity_rsd(double n_eff);

/// The diffusion results of a time series with several time origins (fix re/stats): D, its error bar
/// and N_eff, and the fit window used.
struct DiffusionEstimate {
  double D = 0.0;           ///< NaN while not fitted
  double sigma_D = 0.0;     ///< |D| diffusivity_rsd(N_eff); NaN while not fitted
  double n_eff = 0.0;       ///< effective_hops of the origin-averaged TMSD
  bool fitted = false;
  int npoints = 0;          ///< samples in the fit window
  double window[2] = {0.0, 0.0};
};

/// D, sigma_D and N_eff from origin-averaged sums: times[l] is the time of sample l after the first
/// (lag l), lag_sum[l] / lag_count[l] the TMSD averaged over the origins that reached lag l, MSD =
/// TMSD / natoms (natoms <= 0 counts as 1). The window is default_fit_window (MSD from 0.5 hop^2, to
/// 0.7 of the elapsed time times.back(), with the TMSD fallback) unless fit_start >= 0 / fit_end > 0
/// replace its ends; the line is fit_diffusivity in `dim` dimensions.
DiffusionEstimate estimate_diffusion(const std::vector<double> &times, const std::vector<double> &lag_sum,
                                     const std::vector<double> &lag_count, double natoms, double hop,
                                     double fit_start, double fit_end, int dim);

}    // namespace reval
