/// @file snap_models.cpp
/// Linear, quadratic and neural-network SNAP models behind the one beta interface, potential
/// loaders (pair snap and pair mliap file conventions of LAMMPS 29Sep2021) and committees.
#include "core/snap_models.h"

#include "core/error.h"

#include <fstream>
#include <cmath>
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

// ------------------------------------------------------------------------------------------ linear

LinearModel::LinearModel(int ndescriptors, const std::vector<std::vector<double>> &coeffs)
    : m_n(ndescriptors), m_coeffs(coeffs)
{
  if (m_n < 1) throw Error("LinearModel: ndescriptors must be positive");
  if (m_coeffs.empty()) throw Error("LinearModel: no elements");
  for (std::size_t e = 0; e < m_coeffs.size(); ++e)
    if (static_cast<int>(m_coeffs[e].size()) != m_n + 1)
      throw Error("LinearModel: element " + std::to_string(e) + " has " + std::to_string(m_coeffs[e].size()) +
                  " coefficients, expected ndescriptors + 1 = " + std::to_string(m_n + 1));
}

double LinearModel::energy_and_beta(int elem, const double *B, double *beta) const
{
  const double *c = m_coeffs[elem].data();
  double e = c[0];
  for (int k = 0; k < m_n; ++k) {
    e += c[k + 1] * B[k];
    beta[k] = c[k + 1];
  }
  return e;
}

// --------------------------------------------------------------------------------------- quadratic

QuadraticModel::QuadraticModel(int ndescriptors, const std::vector<std::vector<double>> &coeffs) : m_n(ndescriptors)
{
  const int n = m_n;
  if (n < 1) throw Error("QuadraticModel: ndescriptors must be positive");
  if (coeffs.empty()) throw Error("QuadraticModel: no elements");
  const std::size_t need = 1 + n + static_cast<std::size_t>(n) * (n + 1) / 2;
  for (std::size_t e = 0; e < coeffs.size(); ++e) {
    const auto &c = coeffs[e];
    if (c.size() != need)
      throw Error("QuadraticModel: element " + std::to_string(e) + " has " + std::to_string(c.size()) +
                  " coefficients, expected 1 + n + n(n+1)/2 = " + std::to_string(need) + " for n = " +
                  std::to_string(n));
    m_beta0.push_back(c[0]);
    m_beta.emplace_back(Eigen::Map<const Eigen::VectorXd>(c.data() + 1, n));
    Eigen::MatrixXd a(n, n);
    std::size_t k = n + 1;
    for (int i = 0; i < n; ++i)
      for (int j = i; j < n; ++j) a(i, j) = a(j, i) = c[k++];
    m_alpha.push_back(std::move(a));
  }
}

double QuadraticModel::energy_and_beta(int elem, const double *B, double *beta) const
{
  Eigen::Map<const Eigen::VectorXd> b(B, m_n);
  Eigen::Map<Eigen::VectorXd> out(beta, m_n);
  out.noalias() = m_alpha[elem] * b;    // alpha B
  const double quad = 0.5 * b.dot(out);
  out += m_beta[elem];
  return m_beta0[elem] + m_beta[elem].dot(b) + quad;
}

// ---------------------------------------------------------------------------------------------- nn

NNModel::NNModel(const MliapNNFile &f) : m_n(f.ndescriptors), m_act(f.activation)
{
  if (f.nnodes.size() != f.activation.size() || f.nnodes.empty() || f.nnodes.back() != 1)
    throw Error(f.path + ": inconsistent network layout");
  for (int e = 0; e < f.nelements; ++e) {
    Element el;
    el.scale0 = Eigen::Map<const Eigen::VectorXd>(f.scale0[e].data(), m_n);
    el.scale1 = Eigen::Map<const Eigen::VectorXd>(f.scale1[e].data(), m_n);
    const double *c = f.coeffs[e].data();
    int prev = m_n;
    for (std::size_t l = 0; l < f.nnodes.size(); ++l) {
      const int n = f.nnodes[l];
      Layer layer;
      layer.W.resize(n, prev);
      layer.b.resize(n);
      for (int i = 0; i < n; ++i) {    // node i: bias, then one weight per input
        layer.b(i) = c[0];
        for (int j = 0; j < prev; ++j) layer.W(i, j) = c[1 + j];
        c += prev + 1;
      }
      el.layers.push_back(std::move(layer));
      prev = n;
    }
    m_elems.push_back(std::move(el));
  }
}

double NNModel::energy_and_beta(int elem, const double *B, double *beta) const
{
  const Element &el = m_elems[elem];
  const int L = nlayers();
  thread_local std::vector<Eigen::VectorXd> act, dact;
  thread_local Eigen::VectorXd x, g, gprev;
  if (static_cast<int>(act.size()) < L) {
    act.resize(L);
    dact.resize(L);
  }
  x = (Eigen::Map<const Eigen::VectorXd>(B, m_n) - el.scale0).cwiseQuotient(el.scale1);
  for (int l = 0; l < L; ++l) {
    const Layer &ly = el.layers[l];
    Eigen::VectorXd &a = act[l];
    Eigen::VectorXd &d = dact[l];
    a.noalias() = ly.W * (l == 0 ? x : act[l - 1]);
    a += ly.b;
    d.resize(a.size());
    for (Eigen::Index i = 0; i < a.size(); ++i) {
      const double z = a(i);
      switch (m_act[l]) {
        case NNActivation::Linear:
          d(i) = 1.0;
          break;
        case NNActivation::Sigmoid: {
          const double s = 1.0 / (1.0 + std::exp(-z));
          a(i) = s;
          d(i) = s * (1.0 - s);
          break;
        }
        case NNActivation::Tanh: {
          const double t = 2.0 / (1.0 + std::exp(-2.0 * z)) - 1.0;
          a(i) = t;
          d(i) = 1.0 - t * t;
          break;
        }
        case NNActivation::Relu:
          if (z > 0.0) {
            d(i) = 1.0;
          } else {
            a(i) = 0.0;
            d(i) = 0.0;
          }
          break;
      }
    }
  }
  const double energy = act[L - 1](0);
  g = dact[L - 1];
  for (int l = L - 1; l >= 1; --l) {
    gprev.noalias() = el.layers[l].W.transpose() * g;
    gprev.array() *= dact[l - 1].array();
    g.swap(gprev);
  }
  Eigen::Map<Eigen::VectorXd> out(beta, m_n);
  out.noalias() = el.layers[0].W.transpose() * g;
  out.array() /= el.scale1.array();
  return energy;
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
