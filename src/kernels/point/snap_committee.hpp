/// @file snap_committee.hpp
/// Point kernels of SNAP committees (science.md, "SNAP models", committee uncertainty): M models
/// (kernels::SnapModelView) evaluated on one bispectrum B, their mean energy and mean beta (what
/// drives MD: forces are linear in beta, so one force pass with the mean beta gives the mean force),
/// the mean of per-member rows (e.g. member forces), and the spreads
///   sigma_E,i = sqrt(1/M sum_m (E_i^m - mean E_i)^2),  sigma_F,i = sqrt(1/M sum_m |F_i^m - mean F_i|^2).
/// The host engine (core/snap_engine), the plain pair and the Kokkos functors call these; a single
/// model is a committee of one (its mean is itself, exactly).
///
/// No Kokkos, LAMMPS, Eigen or std containers; no allocation.
#pragma once

#include "kernels/point/reval_function.hpp"
#include "kernels/point/snap_model_kernels.hpp"

#include <cmath>

namespace reval::kernels {

/// E_i of each of the M models (models[0..M-1]) for an atom of element `elem` with descriptors B[n]
/// (n = models[0].ndesc); returns the mean energy and writes beta_mean[n], the mean of the members'
/// beta. E_members[M] is written when not null. Member m's beta goes to beta_members + m *
/// beta_stride when beta_members is not null, else to tmp[n]. scratch: the largest
/// snap_model_scratch_size of the models (may be null when that is 0).
REVAL_FUNCTION double snap_committee_energy_beta(const SnapModelView *models, int M, int elem, const double *B,
                                                 double *beta_mean, double *E_members, double *beta_members,
                                                 long beta_stride, double *tmp, double *scratch)
{
  const int n = models[0].ndesc;
  for (int k = 0; k < n; ++k) beta_mean[k] = 0.0;
  double esum = 0.0;
  for (int m = 0; m < M; ++m) {
    double *b = beta_members ? beta_members + m * beta_stride : tmp;
    const double e = snap_model_energy_beta(models[m], elem, B, b, scratch);
    if (E_members) E_members[m] = e;
    esum += e;
    for (int k = 0; k < n; ++k) beta_mean[k] += b[k];
  }
  for (int k = 0; k < n; ++k) beta_mean[k] /= M;
  return esum / M;
}

/// out[q] = 1/M sum_m rows[m * stride + q] for q = 0..len-1 (e.g. the mean of per-member dE_i/dr_j).
REVAL_FUNCTION void snap_committee_mean_rows(const double *rows, int M, long stride, int len, double *out)
{
  for (int q = 0; q < len; ++q) {
    double s = 0.0;
    for (int m = 0; m < M; ++m) s += rows[m * stride + q];
    out[q] = s / M;
  }
}

/// Population standard deviation sqrt(1/M sum_m (v_m - mean)^2) of M values (0 for M <= 0).
REVAL_FUNCTION double snap_committee_sigma(const double *v, int M)
{
  if (M <= 0) return 0.0;
  double mean = 0.0;
  for (int m = 0; m < M; ++m) mean += v[m];
  mean /= M;
  double s = 0.0;
  for (int m = 0; m < M; ++m) s += (v[m] - mean) * (v[m] - mean);
  return sqrt(s / M);
}

/// sqrt(1/M sum_m |v_m - mean v|^2) of M 3-vectors (row-major M x 3, e.g. the member forces of one
/// atom); writes the mean vector when `mean` is not null (0 for M <= 0).
REVAL_FUNCTION double snap_committee_sigma_vec3(const double *v, int M, double *mean = nullptr)
{
  double mu[3] = {0.0, 0.0, 0.0};
  if (M <= 0) {
    if (mean) mean[0] = mean[1] = mean[2] = 0.0;
    return 0.0;
  }
  for (int m = 0; m < M; ++m)
    for (int k = 0; k < 3; ++k) mu[k] += v[3 * m + k];
  for (int k = 0; k < 3; ++k) mu[k] /= M;
  double s = 0.0;
  for (int m = 0; m < M; ++m)
    for (int k = 0; k < 3; ++k) s += (v[3 * m + k] - mu[k]) * (v[3 * m + k] - mu[k]);
  if (mean)
    for (int k = 0; k < 3; ++k) mean[k] = mu[k];
  return sqrt(s / M);
}

}    // namespace reval::kernels
