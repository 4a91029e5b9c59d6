/// @file snap_models.h
/// SNAP energy models (science.md, "SNAP models"). Every model maps the bispectrum B_i of an atom of
/// element `elem` to its energy E_i and beta_i = dE_i/dB_i through one interface,
/// SnapModel::energy_and_beta; the descriptor and the force back-propagation (SnapEngine) are shared.
///   LinearModel     E = beta0 + beta.B
///   QuadraticModel  E = beta0 + beta.B + 1/2 B^T alpha B   (alpha symmetric, stored as LAMMPS' upper triangle)
///   NNModel         E = MLP((B - scale0) / scale1)          (ML-IAP nn format)
/// The three evaluate through the point kernel kernels::snap_model_energy_beta on their flat
/// SnapModelData, the same code a device port runs.
/// SnapCommittee evaluates M models that share one descriptor (mean drives MD, spread gives sigma).
/// Energies in the units of the coefficient files (eV for metal units), B dimensionless.
#pragma once

#include "core/snap_descriptor.h"
#include "core/snap_files.h"
#include "kernels/point/snap_model_kernels.hpp"

#include <Eigen/Dense>

#include <istream>
#include <memory>
#include <string>
#include <vector>

namespace reval {

/// Flat host copy of one linear, quadratic or nn model (all its elements) in the layout of
/// kernels::SnapModelView, the input of the point kernel kernels::snap_model_energy_beta. view()
/// points into the vectors owned here (copies and moves re-point); a Kokkos port deep-copies coeff(),
/// params(), nnodes() and activation() to device arrays and builds its view with view_with().
class SnapModelData {
 public:
  /// Linear model: coeffs[elem] = (beta0, beta_1..beta_n), n+1 values each. Throws reval::Error.
  static SnapModelData linear(int ndescriptors, const std::vector<std::vector<double>> &coeffs);
  /// Quadratic model: coeffs[elem] = beta0, beta_1..beta_n, then the upper triangle of alpha row by
  /// row, diagonal first: 1 + n + n(n+1)/2 values each (LAMMPS order). Throws reval::Error.
  static SnapModelData quadratic(int ndescriptors, const std::vector<std::vector<double>> &coeffs);
  /// NN model of an ML-IAP nn file (last layer one node, scale1 nonzero). Throws reval::Error.
  static SnapModelData nn(const MliapNNFile &file);

  SnapModelData() = default;
  SnapModelData(const SnapModelData &other);
  SnapModelData(SnapModelData &&other) noexcept;
  SnapModelData &operator=(const SnapModelData &other);
  SnapModelData &operator=(SnapModelData &&other) noexcept;
  ~SnapModelData() = default;

  /// The kernel's view of the host arrays below.
  const kernels::SnapModelView &view() const { return m_view; }
  /// view() with the pointers replaced (e.g. by device copies of coeff(), params(), nnodes(), activation()).
  kernels::SnapModelView view_with(const double *coeff, const double *params, const int *nnodes,
                                   const int *activation) const;
  /// Scratch doubles one kernel call needs (0 for linear / quadratic).
  int scratch_size() const { return m_scratch; }

  int kind() const { return m_view.kind; }    ///< kernels::SnapModelKind
  int nelements() const { return m_view.nelements; }
  int ndescriptors() const { return m_view.ndesc; }
  int stride() const { return m_view.stride; }
  /// linear / quadratic: nelements x stride coefficients (empty for nn).
  const std::vector<double> &coeff() const { return m_coeff; }
  /// nn: nelements x stride values, per element scale0[n], scale1[n], then the network coefficients (empty otherwise).
  const std::vector<double> &params() const { return m_params; }
  /// nn: nodes per layer (empty otherwise).
  const std::vector<int> &nnodes() const { return m_nnodes; }
  /// nn: kernels::SnapActivation per layer (empty otherwise).
  const std::vector<int> &activation() const { return m_activation; }

  /// E_i and beta on the host through the point kernel (thread-safe: scratch on the stack or thread-local).
  double energy_and_beta(int elem, const double *B, double *beta) const;

 private:
  void repoint();
  kernels::SnapModelView m_view;
  int m_scratch = 0;
  std::vector<double> m_coeff;
  std::vector<double> m_params;
  std::vector<int> m_nnodes;
  std::vector<int> m_activation;
};

/// The one model interface.
class SnapModel {
 public:
  virtual ~SnapModel() = default;
  virtual int nelements() const = 0;
  virtual int ndescriptors() const = 0;
  /// E_i (energy units) of an atom of element `elem` with descriptors B (ndescriptors values); writes
  /// beta = dE_i/dB (ndescriptors values). Thread-safe (const, no shared scratch).
  virtual double energy_and_beta(int elem, const double *B, double *beta) const = 0;
  /// False if beta does not depend on B (linear model): forces then need no B.
  virtual bool beta_depends_on_b() const { return true; }
  /// "linear", "quadratic" or "nn".
  virtual std::string kind() const = 0;
  /// True if the model is one point-kernel model (linear, quadratic, nn), i.e. data() is available.
  virtual bool has_data() const { return false; }
  /// The flat data the point kernel evaluates (linear, quadratic, nn); throws reval::Error for
  /// models that are not one kernel model (committee mean).
  virtual const SnapModelData &data() const;
};

/// E = beta0 + beta.B per element.
class LinearModel : public SnapModel {
 public:
  /// coeffs[elem] = (beta0, beta_1..beta_n): n+1 values each (throws otherwise).
  LinearModel(int ndescriptors, const std::vector<std::vector<double>> &coeffs);
  int nelements() const override { return m_data.nelements(); }
  int ndescriptors() const override { return m_data.ndescriptors(); }
  double energy_and_beta(int elem, const double *B, double *beta) const override;
  bool beta_depends_on_b() const override { return false; }
  std::string kind() const override { return "linear"; }
  bool has_data() const override { return true; }
  const SnapModelData &data() const override { return m_data; }
  /// The constant beta of element `elem` (ndescriptors values).
  const double *beta(int elem) const { return m_data.coeff().data() + static_cast<std::size_t>(elem) * m_data.stride() + 1; }

 private:
  SnapModelData m_data;
};

/// E = beta0 + beta.B + 1/2 B^T alpha B per element; beta(B) = beta + alpha B.
class QuadraticModel : public SnapModel {
 public:
  /// coeffs[elem] = beta0, beta_1..beta_n, then the upper triangle of alpha row by row, diagonal
  /// first (alpha_11, alpha_12 .. alpha_1n, alpha_22, ...): 1 + n + n(n+1)/2 values, as LAMMPS
  /// pair snap (quadraticflag 1) and ML-IAP model quadratic store them.
  QuadraticModel(int ndescriptors, const std::vector<std::vector<double>> &coeffs);
  int nelements() const override { return m_data.nelements(); }
  int ndescriptors() const override { return m_data.ndescriptors(); }
  double energy_and_beta(int elem, const double *B, double *beta) const override;
  std::string kind() const override { return "quadratic"; }
  bool has_data() const override { return true; }
  const SnapModelData &data() const override { return m_data; }
  /// beta_1..beta_n of element `elem` (a copy; not for hot loops).
  Eigen::VectorXd linear(int elem) const;
  /// The full symmetric alpha of element `elem` unpacked from the triangle (a copy; not for hot loops).
  Eigen::MatrixXd alpha(int elem) const;

 private:
  SnapModelData m_data;
};

/// Multilayer perceptron of the ML-IAP nn format: x = (B - scale0) / scale1, layer l computes
/// act_l(W_l x + b_l), the single node of the last layer is E_i; beta by back-propagation / scale1
/// (the algebra of LAMMPS MLIAPModelNN, with the last layer restricted to one node; see
/// kernels/point/snap_model_kernels.hpp for the order of operations).
class NNModel : public SnapModel {
 public:
  explicit NNModel(const MliapNNFile &file);
  int nelements() const override { return m_data.nelements(); }
  int ndescriptors() const override { return m_data.ndescriptors(); }
  double energy_and_beta(int elem, const double *B, double *beta) const override;
  std::string kind() const override { return "nn"; }
  bool has_data() const override { return true; }
  const SnapModelData &data() const override { return m_data; }
  int nlayers() const { return m_data.view().nlayers; }

 private:
  SnapModelData m_data;
};

/// A complete potential: descriptor parameters plus a model whose element index is the index into
/// params.elements.
struct SnapPotential {
  SnapParams params;
  std::shared_ptr<const SnapModel> model;
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
/// M >= 1 models sharing one descriptor. The mean energy and mean beta drive MD; the spread over
/// members gives sigma_E,i = sqrt(1/M sum_m (E_i^m - mean E_i)^2), and per-member betas give
/// per-member forces F^m for sigma_F,i = sqrt(1/M sum_m |F_i^m - mean F_i|^2) (science.md).
class SnapCommittee {
 public:
  /// Throws reval::Error naming the first difference if members do not share descriptor settings
  /// and element lists, or a model does not fit its descriptor (element / descriptor counts).
  explicit SnapCommittee(std::vector<SnapPotential> members);

  int size() const { return static_cast<int>(m_members.size()); }
  const SnapParams &params() const { return m_members.front().params; }
  const SnapModel &model(int m) const { return *m_members[m].model; }
  const SnapPotential &member(int m) const { return m_members[m]; }

  /// Evaluates every member on B (ndescriptors values). Writes E_members[M] and beta_members[M x
  /// ndescriptors] (row m = member m) when not null, and beta_mean[ndescriptors] when not null.
  /// Returns the mean energy.
  double evaluate(int elem, const double *B, double *E_members, double *beta_members, double *beta_mean) const;

  /// Population standard deviation sqrt(1/M sum (x_m - mean)^2) of M values.
  static double sigma(const double *values, int M);
  /// sqrt(1/M sum_m |v_m - mean v|^2) of M 3-vectors (row-major M x 3), e.g. per-member forces of
  /// one atom; also writes the mean vector when `mean` is not null.
  static double sigma_vec3(const double *values, int M, double *mean = nullptr);

 private:
  std::vector<SnapPotential> m_members;
};

/// The committee mean as one SnapModel: E = mean_m E^m, beta = mean_m beta^m. Forces are linear in
/// beta for fixed positions, so one force pass with the mean beta gives the mean force of the members
/// exactly (up to rounding): what drives MD when no per-member forces are needed.
class CommitteeMeanModel : public SnapModel {
 public:
  explicit CommitteeMeanModel(std::shared_ptr<const SnapCommittee> committee);
  int nelements() const override { return m_c->params().nelements(); }
  int ndescriptors() const override { return m_c->params().ncoeff(); }
  double energy_and_beta(int elem, const double *B, double *beta) const override
  {
    return m_c->evaluate(elem, B, nullptr, nullptr, beta);
  }
  bool beta_depends_on_b() const override { return m_beta_varies; }
  std::string kind() const override { return "committee"; }
  const SnapCommittee &committee() const { return *m_c; }

 private:
  std::shared_ptr<const SnapCommittee> m_c;
  bool m_beta_varies = true;
};

}    // namespace reval
