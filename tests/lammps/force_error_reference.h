// Independent, straightforward evaluation of the compute force/error global vector for tests
// (science.md definitions; shares no code with REVAL).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <vector>

namespace reval::test {

struct FEOptions {
  int nF = 20;
  double Fmax = 1.0;
  int nT = 20;
  double Tmax = 90.0;
  double thr = 0.5, t1 = 15.0, t2 = 30.0, fmin = 1e-6;
};

// Force resolution of the calibration (science.md: uncertainties and errors are compared as forces):
// values below fmin are 0 and values within 1e-9 relative are the same value (round-off).
inline double floored(double v, double fmin)
{
  return std::fabs(v) < fmin ? 0.0 : v;
}
inline bool same_value(double a, double b)
{
  return a == b || std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
}

// Average ranks; ties: the same value as above (pairwise; the test data have no chains of near-ties).
inline std::vector<double> spearman_ranks(const std::vector<double> &v)
{
  std::vector<double> r(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    double less = 0, equal = 0;
    for (size_t j = 0; j < v.size(); ++j) {
      if (same_value(v[j], v[i]))
        ++equal;
      else if (v[j] < v[i])
        ++less;
    }
    r[i] = less + (equal + 1) / 2.0;
  }
  return r;
}

inline double spearman_ref(std::vector<double> x, std::vector<double> y, double fmin = 1e-6)
{
  for (auto &v : x) v = floored(v, fmin);
  for (auto &v : y) v = floored(v, fmin);
  auto rx = spearman_ranks(x), ry = spearman_ranks(y);
  const double n = x.size(), m = (n + 1) / 2;
  double a = 0, b = 0, c = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    a += (rx[i] - m) * (ry[i] - m);
    b += (rx[i] - m) * (rx[i] - m);
    c += (ry[i] - m) * (ry[i] - m);
  }
  return (b > 0 && c > 0) ? a / std::sqrt(b * c) : 0.0;
}

/// F, P: per counted atom; sigma: per counted atom or empty. Returns the 17 values (no energies).
inline std::array<double, 17> force_error_reference(const std::vector<std::array<double, 3>> &F,
                                                    const std::vector<std::array<double, 3>> &P,
                                                    const std::vector<double> &sigma, const FEOptions &o = {})
{
  std::array<double, 17> v{};
  const size_t n = F.size();
  std::vector<double> dF, dT, err;
  double sq = 0, ab = 0, mx = 0;
  for (size_t i = 0; i < n; ++i) {
    double f = 0, p = 0, fp = 0, e = 0;
    for (int a = 0; a < 3; ++a) {
      f += F[i][a] * F[i][a];
      p += P[i][a] * P[i][a];
      fp += F[i][a] * P[i][a];
      const double d = P[i][a] - F[i][a];
      e += d * d;
      sq += d * d;
      ab += std::fabs(d);
    }
    f = std::sqrt(f);
    p = std::sqrt(p);
    dF.push_back(std::fabs(f - p));
    err.push_back(std::sqrt(e));
    mx = std::max(mx, std::sqrt(e));
    if (f >= o.fmin && p >= o.fmin) dT.push_back(std::acos(std::clamp(fp / (f * p), -1.0, 1.0)) * 180.0 / M_PI);
  }
  auto frac_above = [](const std::vector<double> &x, double t) {
    return x.empty() ? 0.0 : std::count_if(x.begin(), x.end(), [&](double v) { return v > t; }) / double(x.size());
  };
  auto nac = [](const std::vector<double> &x, int nb, double max) {
    if (x.empty()) return 0.0;
    double s = 0;
    for (int k = 1; k <= nb; ++k) {
      const double edge = k * max / nb;
      s += std::count_if(x.begin(), x.end(), [&](double v) { return v <= edge; }) / double(x.size());
    }
    return s / nb;
  };
  v[0] = n;
  v[1] = n - dT.size();
  if (n) {
    v[2] = std::sqrt(sq / (3.0 * n));
    v[3] = ab / (3.0 * n);
    v[4] = mx;
    v[5] = std::accumulate(dF.begin(), dF.end(), 0.0) / n;
    v[7] = frac_above(dF, o.thr);
    v[10] = nac(dF, o.nF, o.Fmax);
  }
  if (!dT.empty()) {
    v[6] = std::accumulate(dT.begin(), dT.end(), 0.0) / dT.size();
    v[8] = frac_above(dT, o.t1);
    v[9] = frac_above(dT, o.t2);
    v[11] = nac(dT, o.nT, o.Tmax);
  }
  v[12] = v[10] * v[11];
  if (!sigma.empty()) {
    double within = 0;
    for (size_t i = 0; i < n; ++i) {
      const double e = floored(err[i], o.fmin), s = floored(sigma[i], o.fmin);
      within += e <= s || same_value(e, s);
    }
    v[15] = within / n;
    v[16] = spearman_ref(sigma, err, o.fmin);
  }
  return v;
}

}    // namespace reval::test
