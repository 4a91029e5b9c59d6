/// @file snap_models.cpp
/// The SNAP model value type (linear, quadratic, neural network), potential loaders (pair snap and
/// pair mliap file conventions of LAMMPS 29Sep2021) and committee checks.
#include "core/snap_models.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <utility>

namespace reval {

// ------------------------------------------------------------------------------------------ models

SnapModel SnapModel::coefficient_model(int kind, int ndescriptors, int stride,
                                       const std::vector<std::vector<double>> &coeffs)
{
  SnapModel d;
  d.m_shape.kind = kind;
  d.m_shape.nelements = static_cast<int>(coeffs.size());
  d.m_shape.ndesc = ndescriptors;
  d.m_shape.stride = stride;
  d.m_shape.max_width = ndescriptors;
  for (const auto &c : coeffs) d.m_coeff.insert(d.m_coeff.end(), c.begin(), c.end());
  return d;
}

SnapModel SnapModel::linear(int ndescriptors, const std::vector<std::vector<double>> &coeffs)
{
  const int n = ndescriptors;
  if (n < 1) throw Error("linear SNAP model: ndescriptors must be positive");
  if (coeffs.empty()) throw Error("linear SNAP model: no elements");
  for (std::size_t e = 0; e < coeffs.size(); ++e)
    if (static_cast<int>(coeffs[e].size()) != n + 1)
      throw Error("linear SNAP model: element " + std::to_string(e) + " has " + std::to_string(coeffs[e].size()) +
                  " coefficients, expected ndescriptors + 1 = " + std::to_string(n + 1));
  return coefficient_model(kernels::kSnapModelLinear, n, n + 1, coeffs);
}

SnapModel SnapModel::quadratic(int ndescriptors, const std::vector<std::vector<double>> &coeffs)
{
  const int n = ndescriptors;
  if (n < 1) throw Error("quadratic SNAP model: ndescriptors must be positive");
  if (coeffs.empty()) throw Error("quadratic SNAP model: no elements");
  const std::size_t need = 1 + n + static_cast<std::size_t>(n) * (n + 1) / 2;
  if (need > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw Error("quadratic SNAP model: " + std::to_string(n) + " descriptors are too many");
  for (std::size_t e = 0; e < coeffs.size(); ++e)
    if (coeffs[e].size() != need)
      throw Error("quadratic SNAP model: element " + std::to_string(e) + " has " + std::to_string(coeffs[e].size()) +
                  " coefficients, expected 1 + n + n(n+1)/2 = " + std::to_string(need) + " for n = " +
                  std::to_string(n));
  return coefficient_model(kernels::kSnapModelQuadratic, n, static_cast<int>(need), coeffs);
}

SnapModel SnapModel::nn(const MliapNNFile &f)
{
  const int n = f.ndescriptors;
  if (n < 1) throw Error(f.path + ": ndescriptors must be positive");
  if (f.nelements < 1) throw Error(f.path + ": no elements");
  if (f.nnodes.size() != f.activation.size() || f.nnodes.empty() || f.nnodes.back() != 1)
    throw Error(f.path + ": inconsistent network layout");
  for (int a : f.activation)
    if (a < kernels::kSnapActLinear || a > kernels::kSnapActRelu)
      throw Error(f.path + ": unknown activation code " + std::to_string(a));
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
  SnapModel d;
  d.m_shape.kind = kernels::kSnapModelNN;
  d.m_shape.nelements = f.nelements;
  d.m_shape.ndesc = n;
  d.m_shape.stride = static_cast<int>(stride);
  d.m_shape.nlayers = static_cast<int>(f.nnodes.size());
  d.m_shape.max_width = width;
  d.m_nnodes = f.nnodes;
  d.m_activation = f.activation;
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
  d.m_scratch = kernels::snap_model_scratch_size(d.view());
  return d;
}

kernels::SnapModelView SnapModel::view_with(const double *coeff, const double *params, const int *nnodes,
                                            const int *activation) const
{
  kernels::SnapModelView v = m_shape;
  v.coeff = coeff;
  v.params = params;
  v.nnodes = nnodes;
  v.activation = activation;
  return v;
}

kernels::SnapModelView SnapModel::view() const
{
  const auto ptr = [](const auto &v) { return v.empty() ? nullptr : v.data(); };
  return view_with(ptr(m_coeff), ptr(m_params), ptr(m_nnodes), ptr(m_activation));
}

double SnapModel::energy_and_beta(int elem, const double *B, double *beta) const
{
  const kernels::SnapModelView v = view();
  if (m_scratch == 0) return kernels::snap_model_energy_beta(v, elem, B, beta, nullptr);
  constexpr int kStack = 1024;    // doubles (8 KiB): networks up to ~200 nodes wide
  if (m_scratch <= kStack) {
    double scratch[kStack];
    return kernels::snap_model_energy_beta(v, elem, B, beta, scratch);
  }
  thread_local std::vector<double> scratch;
  if (static_cast<int>(scratch.size()) < m_scratch) scratch.resize(m_scratch);
  return kernels::snap_model_energy_beta(v, elem, B, beta, scratch.data());
}

std::string snap_model_kind_name(int kind)
{
  switch (kind) {
    case kernels::kSnapModelLinear: return "linear";
    case kernels::kSnapModelQuadratic: return "quadratic";
    case kernels::kSnapModelNN: return "nn";
    default: return "unknown";
  }
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
  pot.model = param.quadraticflag ? SnapModel::quadratic(n, coeffs) : SnapModel::linear(n, coeffs);
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
    pot.model = kind == "linear" ? SnapModel::linear(n, f.coeffs) : SnapModel::quadratic(n, f.coeffs);
  } else if (kind == "nn") {
    const MliapNNFile f = parse_mliap_nn(model_text, model_path);
    check_nelem(f.nelements);
    if (f.ndescriptors != n)
      throw Error(model_path + ": the network takes " + std::to_string(f.ndescriptors) + " descriptors, but " +
                  descriptor_path + " defines " + std::to_string(n));
    pot.model = SnapModel::nn(f);
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

std::vector<SnapModel> make_committee(const std::vector<SnapPotential> &members)
{
  if (members.empty()) throw Error("SNAP committee: no members");
  std::vector<SnapModel> models;
  for (std::size_t m = 0; m < members.size(); ++m) {
    const SnapPotential &p = members[m];
    const std::string who = "SNAP committee member " + std::to_string(m + 1) + " (" + p.source + ")";
    p.params.validate(who);
    if (p.model.nelements() != p.params.nelements())
      throw Error(who + ": the model has " + std::to_string(p.model.nelements()) + " elements, the descriptor " +
                  std::to_string(p.params.nelements()));
    if (p.model.ndescriptors() != p.params.ncoeff())
      throw Error(who + ": the model takes " + std::to_string(p.model.ndescriptors()) +
                  " descriptors, the descriptor settings give " + std::to_string(p.params.ncoeff()));
    if (m > 0) {
      const std::string diff = members[0].params.difference(p.params);
      if (!diff.empty())
        throw Error(who + " does not share the descriptor of member 1 (" + members[0].source + "): " + diff);
    }
    models.push_back(p.model);
  }
  return models;
}

}    // namespace reval
