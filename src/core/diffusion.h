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

}    // namespace reval
