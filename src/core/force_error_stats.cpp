#include "core/force_error_stats.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <iomanip>

namespace reval {

ForceErrorStats::ForceErrorStats(const ForceErrorSettings &s) : m_set(s)
{
  if (s.nF <= 0 || s.nT <= 0) throw Error("the number of CDF bins must be > 0");
  if (s.nF > ForceErrorSettings::MAX_BINS || s.nT > ForceErrorSettings::MAX_BINS)
    throw Error("the number of CDF bins must be at most " + std::to_string(ForceErrorSettings::MAX_BINS));
  if (!(s.Fmax > 0.0) || !(s.Tmax > 0.0) || !std::isfinite(s.Fmax) || !std::isfinite(s.Tmax))
    throw Error("the CDF ranges must be finite and > 0");
  m_bins.nF = s.nF;
  m_bins.Fmax = s.Fmax;
  m_bins.nT = s.nT;
  m_bins.Tmax = s.Tmax;
  m_bins.thr_dF = s.thr_dF;
  m_bins.thr_t1 = s.thr_t1;
  m_bins.thr_t2 = s.thr_t2;
  clear();
}

void ForceErrorStats::clear()
{
  m_sums.assign(kernels::force_error_nsums(m_bins), 0.0);
  m_max = 0.0;
  m_frames = 0.0;
  m_sigma.clear();
  m_eps.clear();
  m_id.clear();
  m_frame.clear();
}

void ForceErrorStats::add(const kernels::ForceErrorTerms &t)
{
  kernels::force_error_tally(m_sums.data(), m_max, t, m_bins);
}

void ForceErrorStats::add_uncertainty(double err, double sigma, double id)
{
  kernels::force_error_tally_uncertainty(m_sums.data(), err, sigma, m_set.fmin);
  m_sigma.push_back(sigma);
  m_eps.push_back(err);
  m_id.push_back(id);
  m_frame.push_back(0.0);
}

void ForceErrorStats::add_tallies(const double *sums, double max_error)
{
  for (std::size_t i = 0; i < m_sums.size(); ++i) m_sums[i] += sums[i];
  m_max = std::max(m_max, max_error);
}

void ForceErrorStats::add_uncertainty_samples(const double *sigma, const double *err, const double *id, std::size_t n)
{
  m_sigma.insert(m_sigma.end(), sigma, sigma + n);
  m_eps.insert(m_eps.end(), err, err + n);
  m_id.insert(m_id.end(), id, id + n);
  m_frame.insert(m_frame.end(), n, 0.0);
}

void ForceErrorStats::restore_samples(const double *sigma, const double *err, const double *id, const double *frame,
                                      std::size_t n)
{
  m_sigma.insert(m_sigma.end(), sigma, sigma + n);
  m_eps.insert(m_eps.end(), err, err + n);
  m_id.insert(m_id.end(), id, id + n);
  m_frame.insert(m_frame.end(), frame, frame + n);
}

void ForceErrorStats::add_energy(double dE, double n)
{
  if (!(n > 0)) return;
  m_sums[kernels::FES_NENERGY] += 1.0;
  m_sums[kernels::FES_E2_ATOM] += (dE / n) * (dE / n);
  m_sums[kernels::FES_E2_SQRT] += dE * dE / n;
}

void ForceErrorStats::merge(const ForceErrorStats &o)
{
  if (o.m_sums.size() != m_sums.size()) throw Error("merging force-error statistics with other bins");
  for (size_t i = 0; i < m_sums.size(); ++i) m_sums[i] += o.m_sums[i];
  m_max = std::max(m_max, o.m_max);
  m_sigma.insert(m_sigma.end(), o.m_sigma.begin(), o.m_sigma.end());
  m_eps.insert(m_eps.end(), o.m_eps.begin(), o.m_eps.end());
  m_id.insert(m_id.end(), o.m_id.begin(), o.m_id.end());
  for (double fr : o.m_frame) m_frame.push_back(fr + m_frames);
  m_frames += std::max(o.m_frames, 1.0);
}

std::vector<double> ForceErrorStats::cdf_dF() const
{
  std::vector<double> c(m_set.nF, 0.0);
  const double n = m_sums[kernels::FES_N];
  double run = 0.0;
  for (int k = 0; k < m_set.nF; ++k) {
    run += m_sums[kernels::FES_HIST + k];
    c[k] = n > 0 ? run / n : 0.0;
  }
  return c;
}

std::vector<double> ForceErrorStats::cdf_dtheta() const
{
  std::vector<double> c(m_set.nT, 0.0);
  const double n = m_sums[kernels::FES_N] - m_sums[kernels::FES_NU];
  double run = 0.0;
  for (int k = 0; k < m_set.nT; ++k) {
    run += m_sums[kernels::FES_HIST + m_set.nF + 1 + k];
    c[k] = n > 0 ? run / n : 0.0;
  }
  return c;
}

std::array<double, ForceErrorStats::N_RESULTS> ForceErrorStats::results(double rho) const
{
  std::array<double, N_RESULTS> r{};
  const double *s = m_sums.data();
  const double n = s[kernels::FES_N], na = s[kernels::FES_N] - s[kernels::FES_NU];
  r[N_COUNTED] = n;
  r[N_UNDEFINED_ANGLE] = s[kernels::FES_NU];
  if (n > 0) {
    r[RMSE_COMPONENTS] = std::sqrt(s[kernels::FES_SQ] / (3.0 * n));
    r[MAE_COMPONENTS] = s[kernels::FES_ABS] / (3.0 * n);
    r[MAX_ERROR] = m_max;
    r[MEAN_DF] = s[kernels::FES_DF] / n;
    r[FRAC_DF_ABOVE] = s[kernels::FES_DF_ABOVE] / n;
    auto c = cdf_dF();
    r[NAC_DF] = std::accumulate(c.begin(), c.end(), 0.0) / c.size();
  }
  if (na > 0) {
    r[MEAN_DTHETA] = s[kernels::FES_DT] / na;
    r[FRAC_DTHETA_ABOVE_1] = s[kernels::FES_DT_ABOVE_1] / na;
    r[FRAC_DTHETA_ABOVE_2] = s[kernels::FES_DT_ABOVE_2] / na;
    auto c = cdf_dtheta();
    r[NAC_DTHETA] = std::accumulate(c.begin(), c.end(), 0.0) / c.size();
  }
  r[P_SCORE] = r[NAC_DF] * r[NAC_DTHETA];
  if (s[kernels::FES_NENERGY] > 0) {
    r[ENERGY_RMSE_PER_ATOM] = std::sqrt(s[kernels::FES_E2_ATOM] / s[kernels::FES_NENERGY]);
    r[ENERGY_RMSE_PER_SQRT_N] = std::sqrt(s[kernels::FES_E2_SQRT] / s[kernels::FES_NENERGY]);
  }
  if (s[kernels::FES_NSIGMA] > 0) {
    r[FRAC_WITHIN_SIGMA] = s[kernels::FES_WITHIN] / s[kernels::FES_NSIGMA];
    r[SPEARMAN_SIGMA_ERROR] = rho;
  }
  return r;
}

std::string ForceErrorStats::report(double rho, const std::string &title) const
{
  auto r = results(rho);
  std::ostringstream o;
  o << std::setprecision(6);
  auto line = [&o](const std::string &label, double v) { o << std::left << std::setw(34) << label << v << "\n"; };
  auto num = [](double v) {
    std::ostringstream t;
    t << v;
    return t.str();
  };
  o << "# REVAL compute force/error report" << (title.empty() ? "" : ": " + title) << "\n";
  line("atoms counted", r[N_COUNTED]);
  line("atoms with undefined angle", r[N_UNDEFINED_ANGLE]);
  line("RMSE of components", r[RMSE_COMPONENTS]);
  line("MAE of components", r[MAE_COMPONENTS]);
  line("max |P-F|", r[MAX_ERROR]);
  line("mean dF", r[MEAN_DF]);
  line("mean dtheta (deg)", r[MEAN_DTHETA]);
  line("fraction dF > " + num(m_set.thr_dF), r[FRAC_DF_ABOVE]);
  line("fraction dtheta > " + num(m_set.thr_t1), r[FRAC_DTHETA_ABOVE_1]);
  line("fraction dtheta > " + num(m_set.thr_t2), r[FRAC_DTHETA_ABOVE_2]);
  line("NAC(dF)", r[NAC_DF]);
  line("NAC(dtheta)", r[NAC_DTHETA]);
  line("P score = NAC(dF) * NAC(dtheta)", r[P_SCORE]);
  if (m_sums[kernels::FES_NENERGY] > 0) {
    line("frames with energies", m_sums[kernels::FES_NENERGY]);
    line("energy RMSE per atom", r[ENERGY_RMSE_PER_ATOM]);
    line("energy RMSE per sqrt(N)", r[ENERGY_RMSE_PER_SQRT_N]);
  }
  if (m_sums[kernels::FES_NSIGMA] > 0) {
    line("atoms with uncertainty", m_sums[kernels::FES_NSIGMA]);
    line("fraction |P-F| <= sigma", r[FRAC_WITHIN_SIGMA]);
    line("Spearman rho(sigma, |P-F|)", r[SPEARMAN_SIGMA_ERROR]);
  }
  o << "\n# CDF of dF: upper bin edge, CDF\n";
  auto cf = cdf_dF();
  for (int k = 0; k < m_set.nF; ++k) o << edge_dF(k) << " " << cf[k] << "\n";
  o << "\n# CDF of dtheta (degrees): upper bin edge, CDF\n";
  auto ct = cdf_dtheta();
  for (int k = 0; k < m_set.nT; ++k) o << edge_dtheta(k) << " " << ct[k] << "\n";
  return o.str();
}

namespace {
// NaN ranks last; NaNs are equal to each other (a strict weak order, so that std::sort is defined).
bool rank_less(double a, double b)
{
  if (std::isnan(a)) return false;
  if (std::isnan(b)) return true;
  return a < b;
}
bool rank_equal(double a, double b)
{
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

// Ranks 1..n with ties sharing their average rank. Consecutive values (in sorted order) are tied if
// equal or, with rel > 0, if they differ by at most rel times the larger magnitude.
std::vector<double> average_ranks(const std::vector<double> &v, double rel = 0.0)
{
  std::vector<size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return rank_less(v[a], v[b]); });
  std::vector<double> r(v.size());
  for (size_t i = 0; i < idx.size();) {
    size_t j = i;
    while (j + 1 < idx.size() &&
           (rank_equal(v[idx[j + 1]], v[idx[j]]) ||
            (rel > 0.0 && v[idx[j + 1]] - v[idx[j]] <= rel * std::max(std::fabs(v[idx[j]]), std::fabs(v[idx[j + 1]])))))
      ++j;
    const double rank = 0.5 * (i + j) + 1.0;
    for (size_t k = i; k <= j; ++k) r[idx[k]] = rank;
    i = j + 1;
  }
  return r;
}
}    // namespace

namespace {
double spearman_ranked(const std::vector<double> &x, const std::vector<double> &y, double rel)
{
  if (x.size() != y.size()) throw Error("spearman: samples of different length");
  const size_t n = x.size();
  if (n < 2) return 0.0;
  auto rx = average_ranks(x, rel), ry = average_ranks(y, rel);
  const double mean = 0.5 * (n + 1.0);
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
    syy += (ry[i] - mean) * (ry[i] - mean);
  }
  if (sxx <= 0 || syy <= 0) return 0.0;
  return sxy / std::sqrt(sxx * syy);
}
}    // namespace

double spearman(const std::vector<double> &x, const std::vector<double> &y)
{
  return spearman_ranked(x, y, 0.0);
}

double calibration_spearman(const std::vector<double> &sigma, const std::vector<double> &err,
                            const std::vector<double> &id, const std::vector<double> &frame, double floor)
{
  const size_t n = sigma.size();
  if (err.size() != n || id.size() != n || frame.size() != n)
    throw Error("calibration_spearman: samples of different length");
  if (!(floor >= 0.0)) throw Error("calibration_spearman: the force floor must be >= 0");
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  // (frame, atom ID) is unique per sample; the sample index keeps the order total for any input
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (frame[a] != frame[b]) return rank_less(frame[a], frame[b]);
    if (id[a] != id[b]) return rank_less(id[a], id[b]);
    return a < b;
  });
  auto floored = [floor](double v) { return std::fabs(v) < floor ? 0.0 : v; };
  std::vector<double> x(n), y(n);
  for (size_t k = 0; k < n; ++k) {
    x[k] = floored(sigma[order[k]]);
    y[k] = floored(err[order[k]]);
  }
  return spearman_ranked(x, y, CALIBRATION_TIE_REL);
}

}    // namespace reval
