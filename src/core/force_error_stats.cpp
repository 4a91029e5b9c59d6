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
  if (!(s.Fmax > 0.0) || !(s.Tmax > 0.0)) throw Error("the CDF ranges must be > 0");
  clear();
}

void ForceErrorStats::clear()
{
  m_sums.assign(S_HIST + m_set.nF + 1 + m_set.nT + 1, 0.0);
  m_max = 0.0;
  m_sigma.clear();
  m_eps.clear();
}

void ForceErrorStats::add(const kernels::ForceErrorTerms &t)
{
  double *s = m_sums.data();
  s[S_N] += 1.0;
  s[S_SQ] += t.d[0] * t.d[0] + t.d[1] * t.d[1] + t.d[2] * t.d[2];
  s[S_ABS] += std::fabs(t.d[0]) + std::fabs(t.d[1]) + std::fabs(t.d[2]);
  m_max = std::max(m_max, t.err);
  s[S_DF] += t.dF;
  if (t.dF > m_set.thr_dF) s[S_DF_ABOVE] += 1.0;
  s[S_HIST + kernels::histogram_bin(t.dF, m_set.Fmax, m_set.nF)] += 1.0;
  if (!t.angle_defined) {
    s[S_NU] += 1.0;
    return;
  }
  s[S_DT] += t.dtheta;
  if (t.dtheta > m_set.thr_t1) s[S_DT_ABOVE_1] += 1.0;
  if (t.dtheta > m_set.thr_t2) s[S_DT_ABOVE_2] += 1.0;
  s[S_HIST + m_set.nF + 1 + kernels::histogram_bin(t.dtheta, m_set.Tmax, m_set.nT)] += 1.0;
}

void ForceErrorStats::add_uncertainty(double err, double sigma)
{
  m_sums[S_NSIGMA] += 1.0;
  if (err <= sigma) m_sums[S_WITHIN] += 1.0;
  m_sigma.push_back(sigma);
  m_eps.push_back(err);
}

void ForceErrorStats::add_energy(double dE, double n)
{
  if (!(n > 0)) return;
  m_sums[S_NENERGY] += 1.0;
  m_sums[S_E2_ATOM] += (dE / n) * (dE / n);
  m_sums[S_E2_SQRT] += dE * dE / n;
}

void ForceErrorStats::merge(const ForceErrorStats &o)
{
  if (o.m_sums.size() != m_sums.size()) throw Error("merging force-error statistics with other bins");
  for (size_t i = 0; i < m_sums.size(); ++i) m_sums[i] += o.m_sums[i];
  m_max = std::max(m_max, o.m_max);
  m_sigma.insert(m_sigma.end(), o.m_sigma.begin(), o.m_sigma.end());
  m_eps.insert(m_eps.end(), o.m_eps.begin(), o.m_eps.end());
}

std::vector<double> ForceErrorStats::cdf_dF() const
{
  std::vector<double> c(m_set.nF, 0.0);
  const double n = m_sums[S_N];
  double run = 0.0;
  for (int k = 0; k < m_set.nF; ++k) {
    run += m_sums[S_HIST + k];
    c[k] = n > 0 ? run / n : 0.0;
  }
  return c;
}

std::vector<double> ForceErrorStats::cdf_dtheta() const
{
  std::vector<double> c(m_set.nT, 0.0);
  const double n = m_sums[S_N] - m_sums[S_NU];
  double run = 0.0;
  for (int k = 0; k < m_set.nT; ++k) {
    run += m_sums[S_HIST + m_set.nF + 1 + k];
    c[k] = n > 0 ? run / n : 0.0;
  }
  return c;
}

std::array<double, ForceErrorStats::N_RESULTS> ForceErrorStats::results(double rho) const
{
  std::array<double, N_RESULTS> r{};
  const double *s = m_sums.data();
  const double n = s[S_N], na = s[S_N] - s[S_NU];
  r[N_COUNTED] = n;
  r[N_UNDEFINED_ANGLE] = s[S_NU];
  if (n > 0) {
    r[RMSE_COMPONENTS] = std::sqrt(s[S_SQ] / (3.0 * n));
    r[MAE_COMPONENTS] = s[S_ABS] / (3.0 * n);
    r[MAX_ERROR] = m_max;
    r[MEAN_DF] = s[S_DF] / n;
    r[FRAC_DF_ABOVE] = s[S_DF_ABOVE] / n;
    auto c = cdf_dF();
    r[NAC_DF] = std::accumulate(c.begin(), c.end(), 0.0) / c.size();
  }
  if (na > 0) {
    r[MEAN_DTHETA] = s[S_DT] / na;
    r[FRAC_DTHETA_ABOVE_1] = s[S_DT_ABOVE_1] / na;
    r[FRAC_DTHETA_ABOVE_2] = s[S_DT_ABOVE_2] / na;
    auto c = cdf_dtheta();
    r[NAC_DTHETA] = std::accumulate(c.begin(), c.end(), 0.0) / c.size();
  }
  r[P_SCORE] = r[NAC_DF] * r[NAC_DTHETA];
  if (s[S_NENERGY] > 0) {
    r[ENERGY_RMSE_PER_ATOM] = std::sqrt(s[S_E2_ATOM] / s[S_NENERGY]);
    r[ENERGY_RMSE_PER_SQRT_N] = std::sqrt(s[S_E2_SQRT] / s[S_NENERGY]);
  }
  if (s[S_NSIGMA] > 0) {
    r[FRAC_WITHIN_SIGMA] = s[S_WITHIN] / s[S_NSIGMA];
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
  if (m_sums[S_NENERGY] > 0) {
    line("frames with energies", m_sums[S_NENERGY]);
    line("energy RMSE per atom", r[ENERGY_RMSE_PER_ATOM]);
    line("energy RMSE per sqrt(N)", r[ENERGY_RMSE_PER_SQRT_N]);
  }
  if (m_sums[S_NSIGMA] > 0) {
    line("atoms with uncertainty", m_sums[S_NSIGMA]);
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
std::vector<double> average_ranks(const std::vector<double> &v)
{
  std::vector<size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (size_t i = 0; i < idx.size();) {
    size_t j = i;
    while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
    const double rank = 0.5 * (i + j) + 1.0;
    for (size_t k = i; k <= j; ++k) r[idx[k]] = rank;
    i = j + 1;
  }
  return r;
}
}    // namespace

double spearman(const std::vector<double> &x, const std::vector<double> &y)
{
  if (x.size() != y.size()) throw Error("spearman: samples of different length");
  const size_t n = x.size();
  if (n < 2) return 0.0;
  auto rx = average_ranks(x), ry = average_ranks(y);
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

}    // namespace reval
