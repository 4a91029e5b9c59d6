/// @file force_error.hpp
/// Point kernel of the force-error metrics (science.md, "Force errors against a reference"):
/// magnitude error dF = | |F| - |P| |, direction error dtheta = angle(F, P) in degrees (undefined when
/// either force is ~0: counted apart, never reported as 0 or NaN), component errors P - F and |P - F|;
/// and the tally of one atom into the sums of the statistics (CDF bins, thresholds, RMSE/MAE sums),
/// shared by reval::ForceErrorStats (host) and compute force/error/kk (device reduction).
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

/// Layout of the sums of a set of counted atoms (ForceErrorStats, and the device reduction of
/// compute force/error/kk): all entries merge by addition; after FES_HIST come the nF + 1 bins of dF
/// and the nT + 1 bins of dtheta (the last bin of each is the overflow). Prefix FES_: <cfenv> owns FE_.
enum ForceErrorSum : int {
  FES_N,          ///< atoms counted
  FES_NU,         ///< ... with undefined angle
  FES_SQ,         ///< sum of squared components of P - F
  FES_ABS,        ///< sum of |components of P - F|
  FES_DF,         ///< sum of dF
  FES_DT,         ///< sum of dtheta (defined angles)
  FES_DF_ABOVE,   ///< atoms with dF > thr_dF
  FES_DT_ABOVE_1, ///< atoms with dtheta > thr_t1
  FES_DT_ABOVE_2, ///< atoms with dtheta > thr_t2
  FES_NSIGMA,     ///< atoms with an uncertainty
  FES_WITHIN,     ///< ... with |P - F| <= sigma
  FES_NENERGY,    ///< frames with an energy error
  FES_E2_ATOM,    ///< sum of (dE/N)^2
  FES_E2_SQRT,    ///< sum of dE^2/N
  FES_HIST        ///< first histogram bin
};

/// CDF bins and thresholds, as force_error_tally() needs them (from reval::ForceErrorSettings).
struct ForceErrorBins {
  int nF = 20;
  double Fmax = 1.0;
  int nT = 20;
  double Tmax = 90.0;
  double thr_dF = 0.5, thr_t1 = 15.0, thr_t2 = 30.0;
};

/// Length of the sums array (layout ForceErrorSum).
REVAL_FUNCTION int force_error_nsums(const ForceErrorBins &b)
{
  return FES_HIST + b.nF + 1 + b.nT + 1;
}

/// Whether an owned atom is counted: in the compute's group and, with a mask, mask != 0.
REVAL_FUNCTION bool force_error_counted(int atom_mask, int groupbit, bool has_mask, double mask)
{
  return (atom_mask & groupbit) && !(has_mask && mask == 0.0);
}

/// Tallies one counted atom into the sums `s` (layout ForceErrorSum) and the maximum of |P - F|.
REVAL_FUNCTION void force_error_tally(double *s, double &max_err, const ForceErrorTerms &t, const ForceErrorBins &b)
{
  s[FES_N] += 1.0;
  s[FES_SQ] += t.d[0] * t.d[0] + t.d[1] * t.d[1] + t.d[2] * t.d[2];
  s[FES_ABS] += fabs(t.d[0]) + fabs(t.d[1]) + fabs(t.d[2]);
  if (max_err < t.err) max_err = t.err;
  s[FES_DF] += t.dF;
  if (t.dF > b.thr_dF) s[FES_DF_ABOVE] += 1.0;
  s[FES_HIST + histogram_bin(t.dF, b.Fmax, b.nF)] += 1.0;
  if (!t.angle_defined) {
    s[FES_NU] += 1.0;
    return;
  }
  s[FES_DT] += t.dtheta;
  if (t.dtheta > b.thr_t1) s[FES_DT_ABOVE_1] += 1.0;
  if (t.dtheta > b.thr_t2) s[FES_DT_ABOVE_2] += 1.0;
  s[FES_HIST + b.nF + 1 + histogram_bin(t.dtheta, b.Tmax, b.nT)] += 1.0;
}

/// Relative difference below which two uncertainties or errors are the same value (round-off, which
/// depends on the domain decomposition; reval::calibration_spearman() ties them too).
constexpr double FORCE_TIE_REL = 1.0e-9;

/// Whether an error |P - F| is within the uncertainty sigma, compared at the force resolution: values
/// below `floor` (fmin) count as 0 (e.g. the round-off forces of a perfect lattice), values within
/// FORCE_TIE_REL of each other as equal.
REVAL_FUNCTION bool force_error_within(double err, double sigma, double floor)
{
  const double e = fabs(err) < floor ? 0.0 : err, s = fabs(sigma) < floor ? 0.0 : sigma;
  const double scale = fabs(e) > fabs(s) ? fabs(e) : fabs(s);
  return e <= s || e - s <= FORCE_TIE_REL * scale;
}

/// Tallies the ensemble uncertainty sigma of a counted atom against its error |P - F| (force_error_within()).
REVAL_FUNCTION void force_error_tally_uncertainty(double *s, double err, double sigma, double floor)
{
  s[FES_NSIGMA] += 1.0;
  if (force_error_within(err, sigma, floor)) s[FES_WITHIN] += 1.0;
}

/// The per-atom output row of compute force/error: dF, dtheta (-1: undefined), |P - F|, |F|, |P|.
REVAL_FUNCTION void force_error_row(const ForceErrorTerms &t, double row[5])
{
  row[0] = t.dF;
  row[1] = t.dtheta;
  row[2] = t.err;
  row[3] = t.fref;
  row[4] = t.fpred;
}

}    // namespace reval::kernels
