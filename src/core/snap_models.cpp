/// @file snap_models.cpp
/// Linear, quadratic and neural-network SNAP models behind the one beta interface, potential
/// loaders (pair snap and pair mliap file conventions of LAMMPS 29Sep2021) and committees.
#include "core/snap_models.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <utility>

namespace reval {

namespace {

void check_elem(int elem, int nelem, const char *who)
{
  if (elem < 0 || elem >= nelem)
    throw Error(std::string(who) + ": element index " + std::to_string(elem) + " is outside 0.." +
                std::to_string(nelem - 1));
}

}    // namespace

// ------------------------------------------------------------------------------------- model data

SnapModelData SnapModelData::linear(int ndescriptors, const std::vector<std::vector<double>> &coeffs)
{
  const int n = ndescriptors;
  if (n < 1) throw Error("LinearModel: ndescriptors must be positive");
  if (coeffs.empty()) throw Error("LinearModel: no elements");
  for (std::size_t e = 0; e < coeffs.size(); ++e)
    if (static_cast<int>(coeffs[e].size()) != n + 1)
      throw Error("LinearModel: element " + std::to_string(e) + " has " + std::to_string(coeffs[e].size()) +
                  " coefficients, expected ndescriptors + 1 = " + std::to_string(n + 1));
  SnapModelData d;
  d.m_view.kind = kernels::kSnapModelLinear;
  d.m_view.nelements = static_cast<int>(coeffs.size());
  d.m_view.ndesc = n;
  d.m_view.stride = n + 1;
  d.m_view.max_width = n;
  for (const auto &c : coeffs) d.m_coeff.insert(d.m_coeff.end(), c.begin(), c.end());
  d.repoint();
  return d;
}

SnapModelData SnapModelData::quadratic(int ndescriptors, const std::vector<std::vector<double>> &coeffs)
{
  const int n = ndescriptors;
  if (n < 1) throw Error("QuadraticModel: ndescriptors must be positive");
  if (coeffs.empty()) throw Error("QuadraticModel: no elements");
  const std::size_t need = 1 + n + static_cast<std::size_t>(n) * (n + 1) / 2;
  if (need > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw Error("QuadraticModel: " + std::to_string(n) + " descriptors are too many");
  for (std::size_t e = 0; e < coeffs.size(); ++e)
    if (coeffs[e].size() != need)
      throw Error("QuadraticModel: element " + std::to_string(e) + " has " + std::to_string(coeffs[e].size()) +
                  " coefficients, expected 1 + n + n(n+1)/2 = " + std::to_string(need) + " for n = " +
                  std::to_string(n));
  SnapModelData d;
  d.m_view.kind = kernels::kSnapModelQuadratic;
  d.m_view.nelements = static_cast<int>(coeffs.size());
  d.m_view.ndesc = n;
  d.m_view.stride = static_cast<int>(need);
  d.m_view.max_width = n;
  for (const auto &c : coeffs) d.m_coeff.insert(d.m_coeff.end(), c.begin(), c.end());
  d.repoint();
  return d;
}

SnapModelData SnapModelData::nn(const MliapNNFile &f)
{
  const int n = f.ndescriptors;
  if (n < 1) throw Error(f.path + ": ndescriptors must be positive");
  if (f.nelements < 1) throw Error(f.path + ": no elements");
  if (f.nnodes.size() != f.activation.size() || f.nnodes.empty() || f.nnodes.back() != 1)
    throw Error(f.path + ": inconsistent network layout");
  long long nparams = 0;
  int prev = n, width = n;
  for (int nl : f.nnodes) {
    if (nl < 1) throw Error(f.path + ": a layer has no nodes");
    nparams += static_cast<long long>(prev + 1) * nl;
    width = std::max(width, nl);
    prev = nl;
  }
  if (static_cast<int>(f.scale0.size()) != f.nelements || static_cast<int>(f.scale1.size()) != f.nelements ||
      static_cast<int>(f.coeffs.size()) != f.nelements)
    throw Error(f.path + ": inconsistent number of element blocks");
  const long long stride = 2LL * n + nparams;
  if (stride > std::numeric_limits<int>::max()) throw Error(f.path + ": network too large");
  SnapModelData d;
  d.m_view.kind = kernels::kSnapModelNN;
  d.m_view.nelements = f.nelements;
  d.m_view.ndesc = n;
  d.m_view.stride = static_cast<int>(stride);
  d.m_view.nlayers = static_cast<int>(f.nnodes.size());
  d.m_view.max_width = width;
  d.m_nnodes = f.nnodes;
  for (NNActivation a : f.activation) {
    switch (a) {
      case NNActivation::Linear: d.m_activation.push_back(kernels::kSnapActLinear); break;
      case NNActivation::Sigmoid: d.m_activation.push_back(kernels::kSnapActSigmoid); break;
      case NNActivation::Tanh: d.m_activation.push_back(kernels::kSnapActTanh); break;
      case NNActivation::Relu: d.m_activation.push_back(kernels::kSnapActRelu); break;
    }
  }
  d.m_params.reserve(static_cast<std::size_t>(stride) * f.nelements);
  for (int e = 0; e < f.nelements; ++e) {
    if (static_cast<int>(f.scale0[e].size()) != n || static_cast<int>(f.scale1[e].size()) != n ||
        static_cast<long long>(f.coeffs[e].size()) != nparams)
      throw Error(f.path + ": element block " + std::to_string(e + 1) + " does not fit the network layout");
    for (double s : f.scale1[e])
      if (s == 0.0) throw Error(f.path + ": scale1 of element block " + std::to_string(e + 1) + " has a zero");
    d.m_params.insert(d.m_params.end(), f.scale0[e].begin(), f.scale0[e].end());
    d.m_params.insert(d.m_params.end(), f.scale1[e].begin(), f.scale1[e].end());
    d.m_params.insert(d.m_params.end(), f.coeffs[e].begin(), f.coeffs[e].end());
  }
  d.repoint();
  return d;
}

void SnapModelData::repoint()
{
  m_view.coeff = m_coeff.empty() ? nullptr : m_coeff.data();
  m_view.params = m_params.empty() ? nullptr : m_params.data();
  m_view.nnodes = m_nnodes.empty() ? nullptr : m_nnodes.data();
  m_view.activation = m_activation.empty() ? nullptr : m_activation.data();
  m_scratch = kernels::snap_model_scratch_size(m_view);
}

SnapModelData::SnapModelData(const SnapModelData &o)
    : m_view(o.m_view), m_coeff(o.m_coeff), m_params(o.m_params), m_nnodes(o.m_nnodes), m_activation(o.m_activation)
{
  repoint();
}

SnapModelData::SnapModelData(SnapModelData &&o) noexcept
    : m_view(o.m_view),
      m_coeff(std::move(o.m_coeff)),
      m_params(std::move(o.m_params)),
      m_nnodes(std::move(o.m_nnodes)),
      m_activation(std::move(o.m_activation))
{
  repoint();
  o.m_view = kernels::SnapModelView{};
  o.repoint();
}

SnapModelData &SnapModelData::operator=(const SnapModelData &o)
{
  if (this != &o) {
    m_view = o.m_view;
    m_coeff = o.m_coeff;
    m_params = o.m_params;
    m_nnodes = o.m_nnodes;
    m_activation = o.m_activation;
    repoint();
  }
  return *this;
}

SnapModelData &SnapModelData::operator=(SnapModelData &&o) noexcept
{
  if (this != &o) {
    m_view = o.m_view;
    m_coeff = std::move(o.m_coeff);
    m_params = std::move(o.m_params);
    m_nnodes = std::move(o.m_nnodes);
    m_activation = std::move(o.m_activation);
    repoint();
    o.m_view = kernels::SnapModelView{};
    o.m_coeff.clear();
    o.m_params.clear();
    o.m_nnodes.clear();
    o.m_activation.clear();
    o.repoint();
  }
  return *this;
}

kernels::SnapModelView SnapModelData::view_with(const double *coeff, const double *params, const int *nnodes,
                                                const int *activation) const
{
  kernels::SnapModelView v = m_view;
  v.coeff = coeff;
  v.params = params;
  v.nnodes = nnodes;
  v.activation = activation;
  return v;
}

double SnapModelData::energy_and_beta(int elem, const double *B, double *beta) const
{
  if (m_scratch == 0) return kernels::snap_model_energy_beta(m_view, elem, B, beta, nullptr);
  constexpr int kStack = 1024;    // doubles (8 KiB): networks up to ~200 nodes wide
  if (m_scratch <= kStack) {
    double scratch[kStack];
    return kernels::snap_model_energy_beta(m_view, elem, B, beta, scratch);
  }
  thread_local std::vector<double> scratch;
  if (static_cast<int>(scratch.size()) < m_scratch) scratch.resize(m_scratch);
  return kernels::snap_model_energy_beta(m_view, elem, B, beta, scratch.data());
}

const SnapModelData &SnapModel::data() const
{
  throw Error("SNAP model '" + kind() + "' is not a single linear, quadratic or nn model and has no point-kernel data");
}

// ------------------------------------------------------------------------------------------ linear

LinearModel::LinearModel(int ndescriptors, const std::vector<std::vector<double>> &coeffs)
    : m_data(SnapModelData::linear(ndescriptors, coeffs))
{
}

double LinearModel::energy_and_beta(int elem, const double *B, double *beta) const
{
  return m_data.energy_and_beta(elem, B, beta);
}

// --------------------------------------------------------------------------------------- quadratic

QuadraticModel::QuadraticModel(int ndescriptors, const std::vector<std::vector<double>> &coeffs)
    : m_data(SnapModelData::quadratic(ndescriptors, coeffs))
{
}

double QuadraticModel::energy_and_beta(int elem, const double *B, double *beta) const
{
  return m_data.energy_and_beta(elem, B, beta);
}

Eigen::VectorXd QuadraticModel::linear(int elem) const
{
  check_elem(elem, nelements(), "QuadraticModel::linear");
  const int n = ndescriptors();
  return Eigen::Map<const Eigen::VectorXd>(m_data.coeff().data() + static_cast<std::size_t>(elem) * m_data.stride() + 1,
                                           n);
}

Eigen::MatrixXd QuadraticModel::alpha(int elem) const
{
  check_elem(elem, nelements(), "QuadraticModel::alpha");
  const int n = ndescriptors();
  const double *c = m_data.coeff().data() + static_cast<std::size_t>(elem) * m_data.stride() + n + 1;
  Eigen::MatrixXd a(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j) a(i, j) = a(j, i) = *c++;
  return a;
}

// ---------------------------------------------------------------------------------------------- nn

NNModel::NNModel(const MliapNNFile &f) : m_data(SnapModelData::nn(f)) {}

double NNModel::energy_and_beta(int elem, const double *B, double *beta) const
{
  return m_data.energy_and_beta(elem, B, beta);
}

// -------------------------------------------------------------------------------------- potentials

SnapPotential make_snap_potential(const SnapParamFile &param, const SnapCoeffFile &coeff,
                                  const std::vector<std::string> &elements)
{
  SnapPotential pot;
  pot.params = snap_params_from_files(param, coeff, elements);
  pot.source = coeff.path + " + " + param.path;
  const int n = pot.params.ncoeff();
  std::vector<std::vector<double>> coeffs;
  for (const auto &e : elements) coeffs.push_back(coeff.find(e)->coeffs);
  if (param.quadraticflag)
    pot.model = std::make_shared<QuadraticModel>(n, coeffs);
  else
    pot.model = std::make_shared<LinearModel>(n, coeffs);
  return pot;
}

SnapPotential load_snap_potential(const std::string &coeff_path, const std::string &param_path,
                                  const std::vector<std::string> &elements)
{
  return make_snap_potential(read_snapparam(param_path), read_snapcoeff(coeff_path), elements);
}

SnapPotential make_mliap_potential(const std::string &kind, std::istream &model_text, const std::string &model_path,
                                   std::istream &descriptor_text, const std::string &descriptor_path)
{
  SnapPotential pot;
  pot.params = parse_mliap_descriptor(descriptor_text, descriptor_path);
  pot.source = model_path + " + " + descriptor_path;
  const int n = pot.params.ncoeff();
  const int nelem = pot.params.nelements();
  auto check_nelem = [&](int have) {
    if (have != nelem)
      throw Error(model_path + ": the model has " + std::to_string(have) + " elements but the descriptor " +
                  descriptor_path + " has " + std::to_string(nelem));
  };
  if (kind == "linear" || kind == "quadratic") {
    const MliapSimpleModelFile f = parse_mliap_simple(model_text, model_path);
    check_nelem(f.nelements);
    const long long need = kind == "linear" ? n + 1LL : 1LL + n + static_cast<long long>(n) * (n + 1) / 2;
    if (f.nparams != need)
      throw Error(model_path + ": nparams = " + std::to_string(f.nparams) + ", but a " + kind + " model of the " +
                  std::to_string(n) + " descriptors of " + descriptor_path + " needs " + std::to_string(need));
    if (kind == "linear")
      pot.model = std::make_shared<LinearModel>(n, f.coeffs);
    else
      pot.model = std::make_shared<QuadraticModel>(n, f.coeffs);
  } else if (kind == "nn") {
    const MliapNNFile f = parse_mliap_nn(model_text, model_path);
    check_nelem(f.nelements);
    if (f.ndescriptors != n)
      throw Error(model_path + ": the network takes " + std::to_string(f.ndescriptors) + " descriptors, but " +
                  descriptor_path + " defines " + std::to_string(n));
    pot.model = std::make_shared<NNModel>(f);
  } else {
    throw Error("unknown ML-IAP model kind '" + kind + "' (linear, quadratic or nn)");
  }
  return pot;
}

SnapPotential load_mliap_potential(const std::string &kind, const std::string &model_path,
                                   const std::string &descriptor_path)
{
  std::ifstream model(model_path), descriptor(descriptor_path);
  if (!model) throw Error("cannot open ML-IAP model file " + model_path);
  if (!descriptor) throw Error("cannot open ML-IAP descriptor file " + descriptor_path);
  return make_mliap_potential(kind, model, model_path, descriptor, descriptor_path);
}

// --------------------------------------------------------------------------------------- committee

SnapCommittee::SnapCommittee(std::vector<SnapPotential> members) : m_members(std::move(members))
{
  if (m_members.empty()) throw Error("SNAP committee: no members");
  for (int m = 0; m < size(); ++m) {
    const SnapPotential &p = m_members[m];
    const std::string who = "SNAP committee member " + std::to_string(m + 1) + " (" + p.source + ")";
    if (!p.model) throw Error(who + ": no model");
    p.params.validate(who);
    if (p.model->nelements() != p.params.nelements())
      throw Error(who + ": the model has " + std::to_string(p.model->nelements()) + " elements, the descriptor " +
                  std::to_string(p.params.nelements()));
    if (p.model->ndescriptors() != p.params.ncoeff())
      throw Error(who + ": the model takes " + std::to_string(p.model->ndescriptors()) +
                  " descriptors, the descriptor settings give " + std::to_string(p.params.ncoeff()));
    if (m > 0) {
      const std::string diff = m_members[0].params.difference(p.params);
      if (!diff.empty())
        throw Error(who + " does not share the descriptor of member 1 (" + m_members[0].source + "): " + diff);
    }
  }
}

double SnapCommittee::evaluate(int elem, const double *B, double *E_members, double *beta_members,
                               double *beta_mean) const
{
  check_elem(elem, params().nelements(), "SnapCommittee::evaluate");
  const int n = params().ncoeff();
  const int M = size();
  thread_local std::vector<double> scratch;
  if (static_cast<int>(scratch.size()) < n) scratch.resize(n);
  if (beta_mean)
    for (int k = 0; k < n; ++k) beta_mean[k] = 0.0;
  double esum = 0.0;
  for (int m = 0; m < M; ++m) {
    double *b = beta_members ? beta_members + static_cast<std::size_t>(m) * n : scratch.data();
    const double e = m_members[m].model->energy_and_beta(elem, B, b);
    if (E_members) E_members[m] = e;
    esum += e;
    if (beta_mean)
      for (int k = 0; k < n; ++k) beta_mean[k] += b[k];
  }
  if (beta_mean)
    for (int k = 0; k < n; ++k) beta_mean[k] /= M;
  return esum / M;
}

CommitteeMeanModel::CommitteeMeanModel(std::shared_ptr<const SnapCommittee> committee) : m_c(std::move(committee))
{
  if (!m_c || m_c->size() < 1) throw Error("CommitteeMeanModel: empty committee");
  m_beta_varies = false;
  for (int m = 0; m < m_c->size(); ++m) m_beta_varies = m_beta_varies || m_c->model(m).beta_depends_on_b();
}

double SnapCommittee::sigma(const double *values, int M)
{
  if (M <= 0) return 0.0;
  double mean = 0.0;
  for (int m = 0; m < M; ++m) mean += values[m];
  mean /= M;
  double s = 0.0;
  for (int m = 0; m < M; ++m) s += (values[m] - mean) * (values[m] - mean);
  return std::sqrt(s / M);
}

double SnapCommittee::sigma_vec3(const double *values, int M, double *mean)
{
  double mu[3] = {0.0, 0.0, 0.0};
  if (M <= 0) {
    if (mean) mean[0] = mean[1] = mean[2] = 0.0;
    return 0.0;
  }
  for (int m = 0; m < M; ++m)
    for (int k = 0; k < 3; ++k) mu[k] += values[3 * m + k];
  for (int k = 0; k < 3; ++k) mu[k] /= M;
  double s = 0.0;
  for (int m = 0; m < M; ++m)
    for (int k = 0; k < 3; ++k) s += (values[3 * m + k] - mu[k]) * (values[3 * m + k] - mu[k]);
  if (mean)
    for (int k = 0; k < 3; ++k) mean[k] = mu[k];
  return std::sqrt(s / M);
}

}    // namespace reval
