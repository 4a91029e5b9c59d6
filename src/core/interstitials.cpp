#include "core/interstitials.h"

#include "core/error.h"
#include "core/text.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <set>

namespace reval {

namespace {

Vec3 apply_op(const LatticeOp &g, const Vec3 &v)
{
  return {g[0] * v[0] + g[1] * v[1] + g[2] * v[2], g[3] * v[0] + g[4] * v[1] + g[5] * v[2],
          g[6] * v[0] + g[7] * v[1] + g[8] * v[2]};
}

Eigen::Matrix3d cell_matrix(const LatticeMap &lat)
{
  Eigen::Matrix3d A;
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) A(r, c) = lat.a[c][r];
  return A;
}

// lattice-coordinate vectors from a basis-m site to its neighbours within 1.6x the shortest distance
std::vector<Vec3> environment(const LatticeMap &lat, int m)
{
  const Eigen::Matrix3d A = cell_matrix(lat);
  std::vector<std::pair<double, Vec3>> all;
  const auto &b = lat.basis;
  for (int i = -2; i <= 2; ++i)
    for (int j = -2; j <= 2; ++j)
      for (int k = -2; k <= 2; ++k)
        for (size_t n = 0; n < b.size(); ++n) {
          Vec3 w = {i + b[n][0] - b[m][0], j + b[n][1] - b[m][1], k + b[n][2] - b[m][2]};
          const double d = (A * Eigen::Vector3d(w[0], w[1], w[2])).norm();
          if (d > 1e-8) all.emplace_back(d, w);
        }
  double dmin = 1e300;
  for (auto &p : all) dmin = std::min(dmin, p.first);
  std::vector<Vec3> env;
  for (auto &p : all)
    if (p.first <= 1.6 * dmin) env.push_back(p.second);
  return env;
}

bool same_set(const std::vector<Vec3> &a, const std::vector<Vec3> &b)
{
  if (a.size() != b.size()) return false;
  for (auto &v : a) {
    bool found = false;
    for (auto &w : b)
      if (std::fabs(v[0] - w[0]) < 1e-6 && std::fabs(v[1] - w[1]) < 1e-6 && std::fabs(v[2] - w[2]) < 1e-6) {
        found = true;
        break;
      }
    if (!found) return false;
  }
  return true;
}

struct UnionFind {
  std::vector<int> p;
  explicit UnionFind(int n) : p(n) { std::iota(p.begin(), p.end(), 0); }
  int find(int i) { return p[i] == i ? i : p[i] = find(p[i]); }
  void join(int a, int b) { p[find(a)] = find(b); }
};

double dist(const kernels::BoxGeom &box, const double a[3], const double b[3])
{
  double d[3];
  minimum_image_delta(box, a, b, d);
  return std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

}    // namespace

void minimum_image_delta(const kernels::BoxGeom &box, const double a[3], const double b[3], double d[3])
{
  // lamda difference, wrapped in periodic dimensions, back to Cartesian
  const double dx[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
  double l[3];
  l[0] = box.h_inv[0] * dx[0] + box.h_inv[5] * dx[1] + box.h_inv[4] * dx[2];
  l[1] = box.h_inv[1] * dx[1] + box.h_inv[3] * dx[2];
  l[2] = box.h_inv[2] * dx[2];
  for (int k = 0; k < 3; ++k)
    if (box.periodic[k]) l[k] -= std::round(l[k]);
  d[0] = box.h[0] * l[0] + box.h[5] * l[1] + box.h[4] * l[2];
  d[1] = box.h[1] * l[1] + box.h[3] * l[2];
  d[2] = box.h[2] * l[2];
}

std::vector<DefectTemplate> diamond_templates()
{
  const double s = std::sqrt(3.0) / 8.0 / std::sqrt(2.0);    // |offset| = d_nn / 2 = sqrt(3)/8 a, along <110>
  return {
      {"split-110", {{s, s, 0.0}, {-s, -s, 0.0}}},
      {"tetrahedral", {{-0.25, -0.25, -0.25}}},      // antibonding direction of a basis-0 site, d = d_nn
      {"hexagonal", {{-0.375, 0.125, 0.125}}},       // centre of a six-membered ring, d = sqrt(11)/8 a
  };
}

namespace {

// A decimal number as LAMMPS writes and reads them (digits, sign, '.', exponent): no hex, nan or inf,
// which std::stod would take. Denormal values are numbers too (std::stod calls them out of range).
bool parse_decimal(const std::string &w, double &v)
{
  if (w.empty() || w.find_first_not_of("0123456789+-.eE") != std::string::npos) return false;
  if (w.find_first_of("0123456789") == std::string::npos) return false;
  char *end = nullptr;
  v = std::strtod(w.c_str(), &end);
  return end == w.c_str() + w.size() && std::isfinite(v);
}

}    // namespace

std::vector<DefectTemplate> read_defect_templates(std::istream &in, const std::string &name)
{
  std::vector<DefectTemplate> out;
  std::set<std::string> labels;
  std::string line;
  long lineno = 0;
  auto fail = [&](const std::string &what) {
    throw Error("template file " + name + " line " + std::to_string(lineno) + ": " + what);
  };
  while (std::getline(in, line)) {
    ++lineno;
    line = text::strip_comment(line);
    const std::vector<std::string> w = text::words(line);
    if (w.empty()) continue;
    const char c = w[0][0];
    const bool numeric = (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
    if (!numeric) {
      if (w.size() != 1) fail("a template label is one word, found '" + line + "'");
      if (!labels.insert(w[0]).second) fail("template '" + w[0] + "' is defined twice");
      out.push_back({w[0], {}});
      continue;
    }
    if (out.empty()) fail("an offset before the first template label");
    if (w.size() != 3) fail("expected an offset 'dx dy dz', found " + std::to_string(w.size()) + " values");
    Vec3 v{};
    for (int k = 0; k < 3; ++k)
      if (!parse_decimal(w[k], v[k])) fail("'" + w[k] + "' is not a finite number (decimal notation)");
    out.back().offsets.push_back(v);
  }
  if (in.bad()) throw Error("cannot read template file " + name);
  if (out.empty()) throw Error("template file " + name + " defines no templates");
  for (auto &t : out)
    if (t.offsets.empty()) throw Error("template file " + name + ": template '" + t.label + "' has no atoms");
  return out;
}

const std::vector<LatticeOp> &cubic_operations()
{
  static const std::vector<LatticeOp> ops = [] {
    std::vector<LatticeOp> v;
    int perm[3] = {0, 1, 2};
    do {
      for (int signs = 0; signs < 8; ++signs) {
        LatticeOp g{};
        for (int r = 0; r < 3; ++r) g[3 * r + perm[r]] = (signs >> r & 1) ? -1 : 1;
        v.push_back(g);
      }
    } while (std::next_permutation(perm, perm + 3));
    // identity first
    auto id = std::find(v.begin(), v.end(), LatticeOp{1, 0, 0, 0, 1, 0, 0, 0, 1});
    std::iter_swap(v.begin(), id);
    return v;
  }();
  return ops;
}

LatticeSymmetry lattice_symmetry(const LatticeMap &lat)
{
  const auto &ops = cubic_operations();
  const int nb = static_cast<int>(lat.basis.size());
  LatticeSymmetry s;
  s.site_ops.resize(nb);
  s.from_basis0.assign(nb, -1);
  std::vector<std::vector<Vec3>> env(nb);
  for (int m = 0; m < nb; ++m) env[m] = environment(lat, m);
  for (int m = 0; m < nb; ++m) {
    for (int g = 0; g < static_cast<int>(ops.size()); ++g) {
      std::vector<Vec3> img;
      for (auto &w : env[m]) img.push_back(apply_op(ops[g], w));
      if (same_set(img, env[m])) s.site_ops[m].push_back(g);
    }
    for (int g = 0; g < static_cast<int>(ops.size()) && s.from_basis0[m] < 0; ++g) {
      std::vector<Vec3> img;
      for (auto &w : env[0]) img.push_back(apply_op(ops[g], w));
      if (same_set(img, env[m])) s.from_basis0[m] = g;
    }
  }
  return s;
}

int basis_of(const LatticeMap &lat, const double u[3], double tol)
{
  for (size_t m = 0; m < lat.basis.size(); ++m) {
    bool ok = true;
    for (int k = 0; k < 3 && ok; ++k) {
      double d = u[k] - lat.basis[m][k];
      d -= std::round(d);
      ok = std::fabs(d) < tol;
    }
    if (ok) return static_cast<int>(m);
  }
  return -1;
}

InterstitialClassifier::InterstitialClassifier(LatticeMap lat, std::vector<DefectTemplate> templates, double itol,
                                               double cluster_radius) :
    m_lat(std::move(lat)),
    m_templates(std::move(templates)), m_itol(itol), m_rc(cluster_radius)
{
  if (!(itol > 0)) throw Error("the template tolerance must be > 0");
  m_sym = lattice_symmetry(m_lat);
  if (m_sym.site_ops.empty() || m_sym.site_ops[0].empty()) throw Error("the lattice has no site symmetry");
}

namespace {

// Groups of defect atoms and vacant sites joined within rc (minimum image): indices into atoms, then
// na + index into vacancies.
std::map<int, std::vector<int>> defect_clusters_within(const std::vector<DefectAtom> &atoms,
                                                       const std::vector<VacantSite> &vacancies,
                                                       const kernels::BoxGeom &box, double rc)
{
  const int na = static_cast<int>(atoms.size()), nv = static_cast<int>(vacancies.size());
  UnionFind uf(na + nv);
  auto pos = [&](int n) { return n < na ? atoms[n].x : vacancies[n - na].x; };
  for (int a = 0; a < na + nv; ++a)
    for (int b = a + 1; b < na + nv; ++b)
      if (dist(box, pos(a), pos(b)) < rc) uf.join(a, b);
  std::map<int, std::vector<int>> clusters;
  for (int n = 0; n < na + nv; ++n) clusters[uf.find(n)].push_back(n);
  return clusters;
}

// Whether the atoms at x[0..K-1] pair up one to one with the points P within tol (some permutation).
bool pair_up_within(const std::vector<const double *> &x, const std::vector<Vec3> &P, const kernels::BoxGeom &box,
                    double tol)
{
  const size_t K = x.size();
  std::vector<int> perm(K);
  std::iota(perm.begin(), perm.end(), 0);
  do {
    bool ok = true;
    for (size_t k = 0; k < K && ok; ++k) ok = dist(box, x[perm[k]], P[k].data()) <= tol;
    if (ok) return true;
  } while (std::next_permutation(perm.begin(), perm.end()));
  return false;
}

}    // namespace

bool InterstitialClassifier::matches_placed(const std::vector<Vec3> &o, size_t m, const Cluster &c,
                                            const std::vector<DefectAtom> &atoms, const kernels::BoxGeom &box,
                                            const LatticeFrame &frame) const
{
  const size_t K = o.size();
  std::vector<const double *> x(K);
  for (size_t k = 0; k < K; ++k) x[k] = atoms[c.atoms[k]].x;
  std::vector<Vec3> P(K);
  // the site of basis m that puts template atom 0 closest to cluster atom i
  for (size_t i = 0; i < K; ++i) {
    double site[3];
    for (int d = 0; d < 3; ++d) site[d] = m_lat.basis[m][d] + std::round(c.u[i][d] - o[0][d] - m_lat.basis[m][d]);
    for (size_t k = 0; k < K; ++k) {
      const double uk[3] = {site[0] + o[k][0], site[1] + o[k][1], site[2] + o[k][2]};
      frame.to_box(uk, P[k].data());
    }
    if (pair_up_within(x, P, box, m_itol)) return true;
  }
  return false;
}

bool InterstitialClassifier::matches_at_basis(const DefectTemplate &tpl, size_t m, const Cluster &c,
                                              const std::vector<DefectAtom> &atoms, const kernels::BoxGeom &box,
                                              const LatticeFrame &frame) const
{
  if (m_sym.from_basis0[m] < 0) return false;
  const auto &ops = cubic_operations();
  const LatticeOp &h = ops[m_sym.from_basis0[m]];
  const size_t K = tpl.offsets.size();
  std::vector<Vec3> o(K);
  for (int gi : m_sym.site_ops[m]) {
    for (size_t k = 0; k < K; ++k) o[k] = apply_op(ops[gi], apply_op(h, tpl.offsets[k]));
    if (matches_placed(o, m, c, atoms, box, frame)) return true;
  }
  return false;
}

std::vector<int> InterstitialClassifier::matching_templates(const Cluster &c, const std::vector<DefectAtom> &atoms,
                                                            const kernels::BoxGeom &box,
                                                            const LatticeFrame &frame) const
{
  std::vector<int> matched;
  const size_t K = c.atoms.size();
  for (size_t t = 0; t < m_templates.size(); ++t) {
    const auto &tpl = m_templates[t];
    if (tpl.offsets.size() != K || K > 4) continue;
    for (size_t m = 0; m < m_lat.basis.size(); ++m)
      if (matches_at_basis(tpl, m, c, atoms, box, frame)) {
        matched.push_back(static_cast<int>(t));
        break;
      }
  }
  return matched;
}

ClassifiedSample InterstitialClassifier::classify(const std::vector<DefectAtom> &atoms,
                                                  const std::vector<VacantSite> &vacancies,
                                                  const kernels::BoxGeom &box, const LatticeFrame &frame) const
{
  ClassifiedSample out;
  out.per_template.assign(m_templates.size(), 0);
  const int na = static_cast<int>(atoms.size());
  for (const auto &kv : defect_clusters_within(atoms, vacancies, box, m_rc)) {
    Cluster c;
    std::set<int64_t> occupied, vacant;
    for (int n : kv.second) {
      if (n >= na) {
        vacant.insert(vacancies[n - na].site);
        continue;
      }
      c.atoms.push_back(n);
      if (atoms[n].occupies_site) occupied.insert(atoms[n].site);
    }
    // excess = atoms - vacant sites - sites occupied by its atoms: >= 1 is an interstitial defect
    const int excess = static_cast<int>(c.atoms.size()) - static_cast<int>(vacant.size()) - static_cast<int>(occupied.size());
    if (excess < 1) continue;
    ++out.interstitials;
    c.u.resize(c.atoms.size());
    for (size_t i = 0; i < c.atoms.size(); ++i) frame.to_lattice(atoms[c.atoms[i]].x, c.u[i].data());
    const std::vector<int> matched = matching_templates(c, atoms, box, frame);
    if (matched.size() == 1)
      ++out.per_template[matched[0]];
    else
      ++out.other;
  }
  return out;
}

}    // namespace reval
