/// @file snap_model_kernels.hpp
/// Point kernels of the SNAP energy models (science.md, "SNAP models"): the map from the bispectrum
/// B of one atom (n descriptors) to its energy E_i and beta = dE_i/dB, for
///   linear     E = beta0 + beta.B
///   quadratic  E = beta0 + beta.B + 1/2 B^T alpha B   (alpha symmetric, packed upper triangle)
///   nn         E = MLP((B - scale0) / scale1)        (ML-IAP nn format, one output node)
/// reval::SnapModel (core/snap_models, one value type for the three kinds) calls these on the host
/// through a SnapModelView of its own flat arrays; the Kokkos pair deep-copies the same arrays to the
/// device and calls the same functions with a view of device pointers. Committees of models:
/// kernels/point/snap_committee.hpp.
///
/// Order of operations (the numerical oracle is LAMMPS 29Sep2021):
///  - quadratic: exactly the loops of PairSNAP::compute_beta and the energy loop of PairSNAP::compute
///    (beta starts at beta_k, then one pass over the packed triangle; E = beta0 + sum_k beta_k B_k,
///    then + 1/2 a_kk B_k B_k and + a_kl B_k B_l in triangle order);
///  - nn: the algebra of MLIAPModelNN::compute_gradients with x = (B - scale0) / scale1 formed first:
///    every node is (sum_j w_j in_j, j ascending) + bias, then its activation; back-propagation sums
///    over the nodes of the next layer in ascending order; beta_k = (sum_i w_ik g_i) / scale1_k.
///
/// No Kokkos, LAMMPS, Eigen or std containers; no allocation (the nn kernel takes caller scratch).
#pragma once

#include "kernels/point/reval_function.hpp"

#include <cmath>

namespace reval::kernels {

enum SnapModelKind : int { kSnapModelLinear = 0, kSnapModelQuadratic = 1, kSnapModelNN = 2 };

/// Activation codes of the ML-IAP nn format (the numbers LAMMPS MLIAPModelNN uses).
enum SnapActivation : int { kSnapActLinear = 0, kSnapActSigmoid = 1, kSnapActTanh = 2, kSnapActRelu = 3 };

/// Raw-pointer view of one model for all its elements (built on the host by reval::SnapModel::view()).
struct SnapModelView {
  int kind = kSnapModelLinear;
  int nelements = 0;
  int ndesc = 0;    ///< descriptors per atom (n)
  /// linear / quadratic: per element `stride` values at coeff + elem*stride: beta0, beta_1..beta_n,
  /// then (quadratic) the upper triangle of alpha row by row, diagonal first (alpha_11, alpha_12 ..
  /// alpha_1n, alpha_22, ...), exactly as LAMMPS stores it. stride = n+1 or 1 + n + n(n+1)/2.
  const double *coeff = nullptr;
  int stride = 0;
  /// nn: layers l = 0..nlayers-1 with nnodes[l] nodes (nnodes[nlayers-1] == 1) and activation[l]
  /// (SnapActivation); per element a block of `stride` values at params + elem*stride: scale0[n],
  /// scale1[n], then the ML-IAP coefficients (for each layer, for each node: bias then its n_{l-1}
  /// weights, n_{-1} = n).
  int nlayers = 0;
  const int *nnodes = nullptr;
  const int *activation = nullptr;
  const double *params = nullptr;
  int max_width = 0;    ///< max(n, nnodes[*])
};

/// E of the linear model with per-element coefficients c = (beta0, beta_1..beta_n); beta[k] = c[k+1].
REVAL_FUNCTION double snap_linear_energy_beta(const double *c, int n, const double *B, double *beta)
{
  double e = c[0];
  for (int k = 0; k < n; ++k) {
    e += c[k + 1] * B[k];
    beta[k] = c[k + 1];
  }
  return e;
}

/// E of the quadratic model with per-element coefficients c = (beta0, beta_1..beta_n, packed upper
/// triangle of alpha); beta_k = beta_k + sum_l alpha_kl B_l. The triangle is read once, in storage
/// order, for both E and beta (LAMMPS PairSNAP loop order).
REVAL_FUNCTION double snap_quadratic_energy_beta(const double *c, int n, const double *B, double *beta)
{
  double e = c[0];
  for (int k = 0; k < n; ++k) {
    e += c[k + 1] * B[k];
    beta[k] = c[k + 1];
  }
  const double *a = c + n + 1;
  for (int i = 0; i < n; ++i) {
    const double bi = B[i];
    beta[i] += (*a) * bi;
    e += 0.5 * (*a) * bi * bi;
    ++a;
    for (int j = i + 1; j < n; ++j) {
      const double bj = B[j];
      beta[i] += (*a) * bj;
      beta[j] += (*a) * bi;
      e += (*a) * bi * bj;
      ++a;
    }
  }
  return e;
}

/// Applies activation `act` to the pre-activation z: returns the node value, writes its derivative.
REVAL_FUNCTION double snap_nn_activate(int act, double z, double &d)
{
  switch (act) {
    case kSnapActSigmoid: {
      const double s = 1.0 / (1.0 + exp(-z));
      d = s * (1.0 - s);
      return s;
    }
    case kSnapActTanh: {
      const double t = 2.0 / (1.0 + exp(-2.0 * z)) - 1.0;
      d = 1.0 - t * t;
      return t;
    }
    case kSnapActRelu:
      if (z > 0.0) {
        d = 1.0;
        return z;
      }
      d = 0.0;
      return 0.0;
    default:    // kSnapActLinear
      d = 1.0;
      return z;
  }
}

/// Doubles of scratch snap_nn_energy_beta needs: two activation and two gradient buffers of
/// max_width, plus the activation derivatives of every layer.
REVAL_FUNCTION int snap_nn_scratch_size(const SnapModelView &m)
{
  int sum = 0;
  for (int l = 0; l < m.nlayers; ++l) sum += m.nnodes[l];
  return 4 * m.max_width + sum;
}

/// E of the nn model for element `elem` (m.kind == kSnapModelNN); writes beta[n].
/// scratch: snap_nn_scratch_size(m) doubles, overwritten.
REVAL_FUNCTION double snap_nn_energy_beta(const SnapModelView &m, int elem, const double *B, double *beta,
                                          double *scratch)
{
  const int n = m.ndesc;
  const int L = m.nlayers;
  const int W = m.max_width;
  const double *p = m.params + static_cast<long>(elem) * m.stride;
  const double *scale0 = p;
  const double *scale1 = p + n;
  const double *coeffs = p + 2 * n;
  double *in = scratch;             // activations of the previous layer (x for layer 0)
  double *out = scratch + W;        // activations of the current layer
  double *g = scratch + 2 * W;      // gradient of E with respect to the pre-activations of a layer
  double *gprev = scratch + 3 * W;
  double *dact = scratch + 4 * W;   // layer l's derivatives at dact + sum_{m<l} nnodes[m]

  for (int k = 0; k < n; ++k) in[k] = (B[k] - scale0[k]) / scale1[k];

  // forward: node i of layer l is act_l((sum_j w_ij in_j) + b_i)
  long off = 0;    // first coefficient of layer l
  int doff = 0;    // first derivative of layer l
  int nin = n;
  for (int l = 0; l < L; ++l) {
    const int nout = m.nnodes[l];
    const int act = m.activation[l];
    for (int i = 0; i < nout; ++i) {
      const double *w = coeffs + off + static_cast<long>(i) * (nin + 1);
      double z = 0.0;
      for (int j = 0; j < nin; ++j) z += w[1 + j] * in[j];
      z += w[0];
      out[i] = snap_nn_activate(act, z, dact[doff + i]);
    }
    off += static_cast<long>(nin + 1) * nout;
    doff += nout;
    nin = nout;
    double *t = in;
    in = out;
    out = t;
  }
  const double energy = in[0];    // the single node of the last layer

  // backward: g_l = dact_l * (W_{l+1}^T g_{l+1}), starting from the output node's derivative
  doff -= m.nnodes[L - 1];
  for (int i = 0; i < m.nnodes[L - 1]; ++i) g[i] = dact[doff + i];
  for (int l = L - 1; l >= 1; --l) {
    const int nout = m.nnodes[l];
    const int nprev = m.nnodes[l - 1];
    off -= static_cast<long>(nprev + 1) * nout;
    doff -= nprev;
    for (int j = 0; j < nprev; ++j) {
      double s = 0.0;
      for (int i = 0; i < nout; ++i) s += coeffs[off + static_cast<long>(i) * (nprev + 1) + 1 + j] * g[i];
      gprev[j] = s * dact[doff + j];
    }
    double *t = g;
    g = gprev;
    gprev = t;
  }
  // layer 0's weights start at coeffs; beta_k = (sum_i w_ik g_i) / scale1_k
  const int n0 = m.nnodes[0];
  for (int k = 0; k < n; ++k) {
    double s = 0.0;
    for (int i = 0; i < n0; ++i) s += coeffs[static_cast<long>(i) * (n + 1) + 1 + k] * g[i];
    beta[k] = s / scale1[k];
  }
  return energy;
}

/// Scratch doubles snap_model_energy_beta needs (0 for linear/quadratic).
REVAL_FUNCTION int snap_model_scratch_size(const SnapModelView &m)
{
  return m.kind == kSnapModelNN ? snap_nn_scratch_size(m) : 0;
}

/// E_i of an atom of element `elem` (0..nelements-1, not checked) with descriptors B[n]; writes
/// beta[n] = dE_i/dB. scratch: snap_model_scratch_size(m) doubles (may be null when that is 0).
/// An unknown kind gives E = 0 and beta = 0.
REVAL_FUNCTION double snap_model_energy_beta(const SnapModelView &m, int elem, const double *B, double *beta,
                                             double *scratch)
{
  switch (m.kind) {
    case kSnapModelLinear:
      return snap_linear_energy_beta(m.coeff + static_cast<long>(elem) * m.stride, m.ndesc, B, beta);
    case kSnapModelQuadratic:
      return snap_quadratic_energy_beta(m.coeff + static_cast<long>(elem) * m.stride, m.ndesc, B, beta);
    case kSnapModelNN:
      return snap_nn_energy_beta(m, elem, B, beta, scratch);
    default:
      for (int k = 0; k < m.ndesc; ++k) beta[k] = 0.0;
      return 0.0;
  }
}

}    // namespace reval::kernels
