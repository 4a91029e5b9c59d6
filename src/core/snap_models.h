/// @file snap_models.h
/// SNAP energy models (science.md, "SNAP models"). A model maps the bispectrum B_i of an atom of
/// element `elem` to its energy E_i and beta_i = dE_i/dB_i:
///   linear     E = beta0 + beta.B
///   quadratic  E = beta0 + beta.B + 1/2 B^T alpha B   (alpha symmetric, stored as LAMMPS' upper triangle)
///   nn         E = MLP((B - scale0) / scale1)         (ML-IAP nn format)
/// SnapModel is one value type for the three kinds (the kind is data: kernels::SnapModelKind); it
/// evaluates through the point kernel kernels::snap_model_energy_beta on its flat arrays, the code
/// the Kokkos pair runs on device copies of the same arrays. A committee is a std::vector<SnapModel>
/// sharing one descriptor (mean drives MD, spread gives sigma: kernels/point/snap_committee.hpp).
/// Energies in the units of the coefficient files (eV for metal units), B dimensionless.
#pragma once

#include "core/snap_descriptor.h"
#include "core/snap_files.h"
#include "kernels/point/snap_model_kernels.hpp"

#include <istream>
#include <string>
#include <vector>

namespace reval {

/// One linear, quadratic or nn model (all its elements) in the flat layout of kernels::SnapModelView.
/// A plain value: copies and moves are the member-wise defaults; view() builds the kernel's view of
/// the arrays on each call (valid while the model lives unchanged).
class SnapModel {
 public:
  /// Linear model: coeffs[elem] = (beta0, beta_1..beta_n), n+1 values each. Throws reval::Error.
  static SnapModel linear(int ndescriptors, const std::vector<std::vector<double>> &coeffs);
  /// Quadratic model: coeffs[elem] = beta0, beta_1..beta_n, then the upper triangle of alpha row by
  /// row, diagonal first (alpha_11, alpha_12 .. alpha_1n, alpha_22, ...): 1 + n + n(n+1)/2 values
  /// each, as LAMMPS pair snap (quadraticflag 1) and ML-IAP model quadratic store them. Throws reval::Error.
  static SnapModel quadratic(int ndescriptors, const std::vector<std::vector<double>> &coeffs);
  /// NN model of an ML-IAP nn file (last layer one node, scale1 nonzero): x = (B - scale0) / scale1,
  /// layer l computes act_l(W_l x + b_l), the single node of the last layer is E_i (the algebra of
  /// LAMMPS MLIAPModelNN; order of operations in kernels/point/snap_model_kernels.hpp). Throws reval::Error.
  static SnapModel nn(const MliapNNFile &file);

  SnapModel() = default;

  int kind() const { return m_shape.kind; }    ///< kernels::SnapModelKind
  int nelements() const { return m_shape.nelements; }
  int ndescriptors() const { return m_shape.ndesc; }
  int stride() const { return m_shape.stride; }
  int nlayers() const { return m_shape.nlayers; }
  /// linear / quadratic: nelements x stride coefficients (empty for nn).
  const std::vector<double> &coeff() const { return m_coeff; }
  /// nn: nelements x stride values, per element scale0[n], scale1[n], then the network coefficients (empty otherwise).
  const std::vector<double> &params() const { return m_params; }
  /// nn: nodes per layer (empty otherwise).
  const std::vector<int> &nnodes() const { return m_nnodes; }
  /// nn: kernels::SnapActivation per layer (empty otherwise).
  const std::vector<int> &activation() const { return m_activation; }

  /// The kernel's view of this model's arrays.
  kernels::SnapModelView view() const;
  /// The same view with the arrays at other addresses (e.g. device copies of coeff(), params(),
  /// nnodes(), activation()).
  kernels::SnapModelView view_with(const double *coeff, const double *params, const int *nnodes,
                                   const int *activation) const;
  /// Scratch doubles one kernel call needs (0 for linear / quadratic).
  int scratch_size() const { return m_scratch; }

  /// E_i and beta on the host through the point kernel (thread-safe: scratch on the stack or thread-local).
  double energy_and_beta(int elem, const double *B, double *beta) const;

 private:
  /// A linear or quadratic model: per element `stride` coefficients (sizes checked by the caller).
  static SnapModel coefficient_model(int kind, int ndescriptors, int stride,
                                     const std::vector<std::vector<double>> &coeffs);

  kernels::SnapModelView m_shape;    // sizes and kind; pointers stay null (view() sets them)
  int m_scratch = 0;
  std::vector<double> m_coeff;
  std::vector<double> m_params;
  std::vector<int> m_nnodes;
  std::vector<int> m_activation;
};

/// "linear", "quadratic" or "nn" for a kernels::SnapModelKind (for messages).
std::string snap_model_kind_name(int kind);

/// A complete potential: descriptor parameters plus a model whose element index is the index into
/// params.elements.
struct SnapPotential {
  SnapParams params;
  SnapModel model;
  std::string source;    ///< file names, for messages
};

/// pair_style snap: `pair_coeff * * COEFF PARAM el1 el2 ...`; `elements` are the distinct element
/// names in pair_coeff order (element index = position). Linear or quadratic is decided as pair snap
/// does (quadraticflag and ncoeffall). Throws reval::Error on any inconsistency.
SnapPotential load_snap_potential(const std::string &coeff_path, const std::string &param_path,
                                  const std::vector<std::string> &elements);
/// The same from parsed files.
SnapPotential make_snap_potential(const SnapParamFile &param, const SnapCoeffFile &coeff,
                                  const std::vector<std::string> &elements);

/// pair_style mliap model KIND MODEL descriptor sna DESCRIPTOR, KIND = linear, quadratic or nn.
/// Elements are those of the descriptor file, in its order. Checks element and descriptor counts.
SnapPotential load_mliap_potential(const std::string &kind, const std::string &model_path,
                                   const std::string &descriptor_path);

/// The same from the texts of the files (names for messages), e.g. read on one MPI rank and broadcast.
SnapPotential make_mliap_potential(const std::string &kind, std::istream &model_text, const std::string &model_path,
                                   std::istream &descriptor_text, const std::string &descriptor_path);

/// The models of M >= 1 potentials that share one descriptor: a committee (M = 1: a single model).
/// The mean energy and mean beta drive MD; the spread over members gives sigma_E,i and, from
/// per-member forces, sigma_F,i (science.md; kernels/point/snap_committee.hpp). Throws reval::Error
/// naming the first difference if members do not share descriptor settings and element lists, or a
/// model does not fit its descriptor (element / descriptor counts).
std::vector<SnapModel> make_committee(const std::vector<SnapPotential> &members);

}    // namespace reval
