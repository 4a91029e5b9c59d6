/// @file snap_models.h
/// SNAP energy models (science.md, "SNAP models"). Every model maps the bispectrum B_i of an atom of
/// element `elem` to its energy E_i and beta_i = dE_i/dB_i through one interface,
/// SnapModel::energy_and_beta; the descriptor and the force back-propagation (SnapEngine) are shared.
///   LinearModel     E = beta0 + beta.B
///   QuadraticModel  E = beta0 + beta.B + 1/2 B^T alpha B   (alpha symmetric, stored as LAMMPS' upper triangle)
///   NNModel         E = MLP((B - scale0) / scale1)          (ML-IAP nn format)
/// SnapCommittee evaluates M models that share one descriptor (mean drives MD, spread gives sigma).
/// Energies in the units of the coefficient files (eV for metal units), B dimensionless.
#pragma once

#include "core/snap_descriptor.h"
#include "core/snap_files.h"

#include <Eigen/Dense>

#include <istream>
#include <memory>
#include <string>
#include <vector>

namespace reval {

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
};

/// E = beta0 + beta.B per element.
class LinearModel : public SnapModel {
 public:
  /// coeffs[elem] = (beta0, beta_1..beta_n): n+1 values each (throws otherwise).
  LinearModel(int ndescriptors, const std::vector<std::vector<double>> &coeffs);
  int nelements() const override { return static_cast<int>(m_coeffs.size()); }
  int ndescriptors() const override { return m_n; }
  double energy_and_beta(int elem, const double *B, double *beta) const override;
  bool beta_depends_on_b() const override { return false; }
  std::string kind() const override { return "linear"; }
  /// The constant beta of element `elem` (ndescriptors values).
  const double *beta(int elem) const { return m_coeffs[elem].data() + 1; }

 private:
  int m_n;
  std::vector<std::vector<double>> m_coeffs;
};

/// E = beta0 + beta.B + 1/2 B^T alpha B per element; beta(B) = beta + alpha B.
class QuadraticModel : public SnapModel {
 public:
  /// coeffs[elem] = beta0, beta_1..beta_n, then the upper triangle of alpha row by row, diagonal
  /// first (alpha_11, alpha_12 .. alpha_1n, alpha_22, ...): 1 + n + n(n+1)/2 values, as LAMMPS
  /// pair snap (quadraticflag 1) and ML-IAP model quadratic store them.
  QuadraticModel(int ndescriptors, const std::vector<std::vector<double>> &coeffs);
  int nelements() const override { return static_cast<int>(m_beta0.size()); }
  int ndescriptors() const override { return m_n; }
  double energy_and_beta(int elem, const double *B, double *beta) const override;
  std::string kind() const override { return "quadratic"; }
  const Eigen::VectorXd &linear(int elem) const { return m_beta[elem]; }
  const Eigen::MatrixXd &alpha(int elem) const { return m_alpha[elem]; }

 private:
  int m_n;
  std::vector<double> m_beta0;
  std::vector<Eigen::VectorXd> m_beta;
  std::vector<Eigen::MatrixXd> m_alpha;    // full symmetric matrix
};

/// Multilayer perceptron of the ML-IAP nn format: x = (B - scale0) / scale1, layer l computes
/// act_l(W_l x + b_l), the single node of the last layer is E_i; beta by back-propagation / scale1
/// (bit-for-bit the algebra of LAMMPS MLIAPModelNN, with the last layer restricted to one node).
class NNModel : public SnapModel {
 public:
  explicit NNModel(const MliapNNFile &file);
  int nelements() const override { return static_cast<int>(m_elems.size()); }
  int ndescriptors() const override { return m_n; }
  double energy_and_beta(int elem, const double *B, double *beta) const override;
  std::string kind() const override { return "nn"; }
  int nlayers() const { return static_cast<int>(m_act.size()); }

 private:
  struct Layer {
    Eigen::MatrixXd W;    // n_l x n_{l-1}
    Eigen::VectorXd b;
  };
  struct Element {
    Eigen::VectorXd scale0, scale1;
    std::vector<Layer> layers;
  };
  int m_n;
  std::vector<NNActivation> m_act;
  std::vector<Element> m_elems;
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
