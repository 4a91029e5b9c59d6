#include "core/diffusion.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace reval {

DiffusivityFit fit_diffusivity(const std::vector<double> &t, const std::vector<double> &msd, double t_start,
                               double t_end, int dim)
{
  DiffusivityFit f;
  f.t_start = t_start;
  f.t_end = t_end;
  double n = 0, st = 0, sy = 0, stt = 0, sty = 0;
  const size_t m = std::min(t.size(), msd.size());
  for (size_t k = 0; k < m; ++k) {
    if (t[k] < t_start || t[k] > t_end) continue;
    n += 1;
    st += t[k];
    sy += msd[k];
    stt += t[k] * t[k];
    sty += t[k] * msd[k];
  }
  f.npoints = static_cast<int>(n);
  const double den = n * stt - st * st;
  if (n < 2 || !(den > 0)) {
    f.D = f.intercept = std::numeric_limits<double>::quiet_NaN();
    return f;
  }
  f.fitted = true;
  const double slope = (n * sty - st * sy) / den;
  f.intercept = (sy - slope * st) / n;
  f.D = slope / (2.0 * dim);
  return f;
}

std::pair<double, double> default_fit_window(const std::vector<double> &t, const std::vector<double> &msd,
                                             double hop, double elapsed, double end_fraction,
                                             const std::vector<double> &tmsd)
{
  const double end = end_fraction * elapsed;
  double start = std::numeric_limits<double>::infinity();
  for (size_t k = 0; k < std::min(t.size(), msd.size()); ++k)
    if (msd[k] >= 0.5 * hop * hop) {
      start = t[k];
      break;
    }
  if (start > end)
    for (size_t k = 0; k < std::min(t.size(), tmsd.size()); ++k)
      if (t[k] > 0 && tmsd[k] >= 0.5 * hop * hop) {
        start = t[k];
        break;
      }
  return {start, end};
}

double effective_hops(const std::vector<double> &tmsd, double hop)
{
  double mx = 0.0;
  for (double v : tmsd) mx = std::max(mx, v);
  return hop > 0 ? mx / (hop * hop) : 0.0;
}

double diffusivity_rsd(double n_eff)
{
  if (!(n_eff > 0)) return std::numeric_limits<double>::infinity();
  return 3.43 / std::sqrt(n_eff) + 0.04;
}

DiffusionEstimate estimate_diffusion(const std::vector<double> &times, const std::vector<double> &lag_sum,
                                     const std::vector<double> &lag_count, double natoms, double hop,
                                     double fit_start, double fit_end, int dim)
{
  const size_t L = std::min({lag_sum.size(), lag_count.size(), times.size()});
  std::vector<double> t(L), msd(L), tmsd(L);
  const double n = natoms > 0 ? natoms : 1.0;
  for (size_t l = 0; l < L; ++l) {
    t[l] = times[l];
    tmsd[l] = lag_count[l] > 0 ? lag_sum[l] / lag_count[l] : 0.0;
    msd[l] = tmsd[l] / n;
  }
  const double elapsed = times.empty() ? 0.0 : times.back();
  auto window = default_fit_window(t, msd, hop, elapsed, 0.7, tmsd);
  if (fit_start >= 0) window.first = fit_start;
  if (fit_end > 0) window.second = fit_end;
  const auto fit = fit_diffusivity(t, msd, window.first, window.second, dim);
  DiffusionEstimate e;
  e.fitted = fit.fitted;
  e.npoints = fit.npoints;
  e.window[0] = window.first;
  e.window[1] = window.second;
  e.n_eff = effective_hops(tmsd, hop);
  // not fitted (fewer than 2 samples in the window): NaN, not a diffusivity of 0
  e.D = fit.D;
  e.sigma_D = fit.fitted ? std::fabs(e.D) * diffusivity_rsd(e.n_eff) : std::numeric_limits<double>::quiet_NaN();
  return e;
}

}    // namespace reval
