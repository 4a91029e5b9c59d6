/// @file force_error.hpp
/// Point kernel of the force-error metrics (science.md, "Force errors against a reference"):
/// magnitude error dF = | |F| - |P| |, direction error dtheta = angle(F, P) in degrees (undefined when
/// either force is ~0: counted apart, never reported as 0 or NaN), component errors P - F and |P - F|.
#pragma once

#include "kernels/point/reval_function.hpp"

#include <cmath>

namespace reval::kernels {

struct ForceErrorTerms {
  double dF = 0.0;        ///< | |F| - |P| | (force units)
  double dtheta = -1.0;   ///< angle between F and P in degrees; -1 when undefined
  double err = 0.0;       ///< |P - F|
  double fref = 0.0;      ///< |F|
  double fpred = 0.0;     ///< |P|
  double d[3] = {0.0, 0.0, 0.0};    ///< P - F per component
  int angle_defined = 0;  ///< 0 if |F| or |P| < fmin
};

/// F = reference force, P = predicted force; angles need both magnitudes >= fmin.
REVAL_FUNCTION ForceErrorTerms force_error_terms(const double F[3], const double P[3], double fmin)
{
  ForceErrorTerms t;
  double ff = 0.0, pp = 0.0, fp = 0.0, ee = 0.0;
  for (int a = 0; a < 3; ++a) {
    t.d[a] = P[a] - F[a];
    ff += F[a] * F[a];
    pp += P[a] * P[a];
    fp += F[a] * P[a];
    ee += t.d[a] * t.d[a];
  }
  t.fref = sqrt(ff);
  t.fpred = sqrt(pp);
  t.err = sqrt(ee);
  t.dF = fabs(t.fref - t.fpred);
  if (t.fref >= fmin && t.fpred >= fmin) {
    // atan2(|F x P|, F.P) stays accurate for nearly parallel vectors, where acos does not
    const double cx = F[1] * P[2] - F[2] * P[1], cy = F[2] * P[0] - F[0] * P[2], cz = F[0] * P[1] - F[1] * P[0];
    t.dtheta = atan2(sqrt(cx * cx + cy * cy + cz * cz), fp) * (180.0 / 3.14159265358979323846);
    t.angle_defined = 1;
  }
  return t;
}

/// Bin of a value for a cumulative distribution on n bins over [0, max]: bin k holds
/// k*max/n < v <= (k+1)*max/n (bin 0 also holds 0), so the CDF at the right edge of bin k counts
/// the values <= that edge. Values > max go to bin n (overflow).
REVAL_FUNCTION int histogram_bin(double v, double max, int n)
{
  if (!(v <= max)) return n;
  int b = static_cast<int>(ceil(v * n / max)) - 1;
  return b < 0 ? 0 : (b >= n ? n - 1 : b);
}

}    // namespace reval::kernels
