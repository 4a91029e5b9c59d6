// Random damage in diamond Si and an independent brute-force reference of compute vacancy/sites'
// Wigner-Seitz counts, Frenkel pairs and defect clusters (issue 13 part 3) for the LAMMPS-level tests.
// Shares no code with REVAL: every atom against every site, every defect against every defect, with the
// minimum-image convention of a periodic box (orthogonal or triclinic); clusters by union-find, centres
// unwrapped breadth-first from the member with the smallest key.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace reval::test {

using Vec3d = std::array<double, 3>;

/// A damaged diamond crystal: lattice sites (create_atoms order: site k has ID k+1), atoms (tag, position).
struct DamagedCrystal {
  double a = 5.431;
  int n = 8;                                 ///< cells per edge
  std::vector<Vec3d> sites;
  std::vector<std::pair<long, Vec3d>> atoms;
  double L() const { return a * n; }
};

struct DamageSpec {
  int random_vacancies = 50;     ///< atoms deleted at random sites
  int tetrahedral = 30;          ///< atoms inserted near tetrahedral interstitial sites
  int split = 10;                ///< atoms inserted 1 Å from an occupied site
  int hops = 0;                  ///< atoms moved 35-65% of the way towards a vacant neighbour site
  double noise = 0.1;            ///< uniform displacement of every atom, each coordinate (Å)
  bool corner = true;            ///< vacancies around the box corner (a cluster across the periodic boundaries)
};

inline Vec3d min_image(Vec3d d, double L)
{
  for (double &v : d) v -= L * std::round(v / L);
  return d;
}

inline double norm3(const Vec3d &d) { return std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]); }

/// A periodic, possibly triclinic box: x = lo + H f, H upper triangular with edges a = (xprd, 0, 0),
/// b = (xy, yprd, 0), c = (xz, yz, zprd) (LAMMPS' convention; tilts at most half an edge).
struct RefBox {
  Vec3d lo{0, 0, 0};
  double xprd = 0, yprd = 0, zprd = 0, xy = 0, xz = 0, yz = 0;
  static RefBox cube(double lo, double L)
  {
    RefBox b;
    b.lo = {lo, lo, lo};
    b.xprd = b.yprd = b.zprd = L;
    return b;
  }
  Vec3d to_frac(const Vec3d &d) const    // of a separation
  {
    const double f2 = d[2] / zprd, f1 = (d[1] - yz * f2) / yprd, f0 = (d[0] - xy * f1 - xz * f2) / xprd;
    return {f0, f1, f2};
  }
  Vec3d to_cart(const Vec3d &f) const { return {xprd * f[0] + xy * f[1] + xz * f[2], yprd * f[1] + yz * f[2], zprd * f[2]}; }
  /// The shortest periodic image of separation d, exact whenever it is shorter than half the smallest box
  /// thickness (each fractional component of a vector r is at most r / thickness, so below 1/2: the image
  /// with rounded fractional components); longer separations come back as some image >= that half.
  Vec3d min_image(const Vec3d &d) const
  {
    Vec3d f = to_frac(d);
    for (double &v : f) v -= std::round(v);
    return to_cart(f);
  }
  /// half the smallest distance between opposite faces (the range where min_image() is exact)
  double half_thickness() const
  {
    const double r0 = std::sqrt(1 / (xprd * xprd) + std::pow(xy / (xprd * yprd), 2) +
                                std::pow((xy * yz - yprd * xz) / (xprd * yprd * zprd), 2));
    const double r1 = std::sqrt(1 / (yprd * yprd) + std::pow(yz / (yprd * zprd), 2));
    return 0.5 / std::max({r0, r1, 1 / zprd});
  }
  Vec3d wrap(const Vec3d &x) const
  {
    Vec3d f = to_frac({x[0] - lo[0], x[1] - lo[1], x[2] - lo[2]});
    for (double &v : f) v -= std::floor(v);
    const Vec3d c = to_cart(f);
    return {c[0] + lo[0], c[1] + lo[1], c[2] + lo[2]};
  }
};

inline DamagedCrystal make_damage(unsigned seed, const DamageSpec &spec, int ncells = 8)
{
  DamagedCrystal c;
  c.n = ncells;
  const double a = c.a, L = c.L();
  const double basis[8][3] = {{0, 0, 0},         {0, .5, .5},       {.5, 0, .5},       {.5, .5, 0},
                              {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
  for (int k = 0; k < c.n; ++k)
    for (int j = 0; j < c.n; ++j)
      for (int i = 0; i < c.n; ++i)
        for (auto &b : basis) c.sites.push_back({(i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a});
  const int ns = static_cast<int>(c.sites.size());
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> pick(0, ns - 1), cell(0, c.n - 1);
  std::uniform_real_distribution<double> u(-1.0, 1.0), frac(0.35, 0.65);
  std::vector<char> present(ns, 1);
  int deleted = 0;
  while (deleted < spec.random_vacancies) {
    const int s = pick(rng);
    if (present[s]) {
      present[s] = 0;
      ++deleted;
    }
  }
  if (spec.corner)
    for (int s = 0; s < ns; ++s)
      if (norm3(min_image(c.sites[s], L)) < 4.0) present[s] = 0;    // the corner site and its 16 first and second neighbours
  std::vector<Vec3d> pos(c.sites);
  // hops in progress: an atom next to a vacant site moves towards it
  for (int h = 0, tries = 0; h < spec.hops && tries < 100000; ++tries) {
    const int v = pick(rng);
    if (present[v]) continue;
    for (int s = 0; s < ns; ++s) {
      if (!present[s] || norm3(min_image({c.sites[v][0] - c.sites[s][0], c.sites[v][1] - c.sites[s][1],
                                          c.sites[v][2] - c.sites[s][2]}, L)) > 2.5)
        continue;
      if (pos[s] != c.sites[s]) continue;    // already moved
      const double f = frac(rng);
      const Vec3d d = min_image({c.sites[v][0] - c.sites[s][0], c.sites[v][1] - c.sites[s][1], c.sites[v][2] - c.sites[s][2]}, L);
      for (int k = 0; k < 3; ++k) pos[s][k] = c.sites[s][k] + f * d[k];
      ++h;
      break;
    }
  }
  for (int s = 0; s < ns; ++s)
    if (present[s]) c.atoms.push_back({s + 1, pos[s]});
  long tag = ns;
  for (int t = 0; t < spec.tetrahedral; ++t) {
    Vec3d p{(cell(rng) + 0.5) * a, (cell(rng) + 0.5) * a, (cell(rng) + 0.5) * a};
    for (double &v : p) v += 0.3 * u(rng);
    c.atoms.push_back({++tag, p});
  }
  for (int t = 0; t < spec.split; ++t) {
    const int s = pick(rng);
    Vec3d dir{u(rng), u(rng), u(rng)};
    const double r = norm3(dir);
    Vec3d p = c.sites[s];
    for (int k = 0; k < 3; ++k) p[k] += 1.0 * dir[k] / r;
    c.atoms.push_back({++tag, p});
  }
  for (auto &at : c.atoms)
    for (double &v : at.second) {
      v += spec.noise * u(rng);
      v -= L * std::floor(v / L);
      if (v >= L) v = 0.0;
    }
  return c;
}

/// Writes the crystal as a LAMMPS data file (atom_style atomic, box [0, L)^3, one type, Si mass).
inline void write_data_file(const DamagedCrystal &c, const std::string &path)
{
  std::FILE *f = std::fopen(path.c_str(), "w");
  std::fprintf(f, "damaged diamond Si (defect cluster test)\n\n%zu atoms\n1 atom types\n\n", c.atoms.size());
  for (const char *d : {"x", "y", "z"}) std::fprintf(f, "0 %.17g %slo %shi\n", c.L(), d, d);
  std::fprintf(f, "\nMasses\n\n1 28.0855\n\nAtoms # atomic\n\n");
  for (auto &at : c.atoms) std::fprintf(f, "%ld 1 %.17g %.17g %.17g\n", at.first, at.second[0], at.second[1], at.second[2]);
  std::fclose(f);
}

struct RefCluster {
  long id = 0, size = 0, vac = 0, inter = 0, mig = 0, first_key = 0;
  Vec3d centre{0, 0, 0};
};

struct DefectReference {
  long ws_vac = 0, ws_int = 0, frenkel = 0, multiply_occupied = 0, migrating = 0;
  long unassigned = 0;                 // atoms with no site within the cap: assigned to none
  std::vector<RefCluster> clusters;    // by id
  long largest = 0;
  std::vector<long> histo;             // rows 1..N, last = size >= N
};

/// The reference for sites (key of site s = site_keys[s], or s + 1 if none are given), atoms (tag,
/// position) in the periodic box `box`. Atoms farther than `cap` from every site are assigned to none.
/// distance <= 0: no clusters. With `migrating`, atoms with d2 - d1 < dre (any two sites; d2 < cap) are
/// defects too (key: the largest site key + tag, at the atom).
inline DefectReference defect_reference(const std::vector<Vec3d> &sites, const std::vector<std::pair<long, Vec3d>> &atoms,
                                        const RefBox &box, double distance, int histo, bool migrating = false,
                                        double dre = 0.75, const std::vector<long> &site_keys = {},
                                        double cap = 5.5)
{
  DefectReference r;
  // every distance that matters (nearest two sites, cluster joins) must be within min_image()'s exact range
  if (!(distance < box.half_thickness() && 6.0 < box.half_thickness())) throw std::runtime_error("reference: box too small");
  const long ns = static_cast<long>(sites.size());
  if (!site_keys.empty() && static_cast<long>(site_keys.size()) != ns) throw std::runtime_error("reference: keys");
  auto key_of = [&](long s) { return site_keys.empty() ? s + 1 : site_keys[s]; };
  long max_key = 0;
  for (long s = 0; s < ns; ++s) max_key = std::max(max_key, key_of(s));
  std::vector<long> occ(ns, 0);
  struct Def {
    long key, count;
    int kind;
    Vec3d x;
  };
  std::vector<Def> defs;
  for (auto &at : atoms) {
    double d1 = 1e300, d2 = 1e300;
    long s1 = -1;
    for (long s = 0; s < ns; ++s) {
      const double d = norm3(box.min_image({at.second[0] - sites[s][0], at.second[1] - sites[s][1], at.second[2] - sites[s][2]}));
      if (d < d1) {
        d2 = d1;
        d1 = d;
        s1 = s;
      } else if (d < d2) {
        d2 = d;
      }
    }
    if (!(d1 < cap)) {
      ++r.unassigned;
      continue;
    }
    ++occ[s1];
    if (d2 < cap && d2 - d1 < dre) {
      ++r.migrating;
      if (migrating) defs.push_back({max_key + at.first, 1, 2, at.second});
    }
  }
  for (long s = 0; s < ns; ++s) {
    if (occ[s] == 0) {
      ++r.ws_vac;
      defs.push_back({key_of(s), 1, 0, sites[s]});
    } else if (occ[s] > 1) {
      r.ws_int += occ[s] - 1;
      ++r.multiply_occupied;
      defs.push_back({key_of(s), occ[s] - 1, 1, sites[s]});
    }
  }
  r.frenkel = std::min(r.ws_vac, r.ws_int);
  r.histo.assign(std::max(histo, 1), 0);
  if (!(distance > 0)) return r;
  std::sort(defs.begin(), defs.end(), [](const Def &x, const Def &y) { return x.key < y.key; });
  const size_t n = defs.size();
  std::vector<size_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  std::function<size_t(size_t)> find = [&](size_t i) { return parent[i] == i ? i : parent[i] = find(parent[i]); };
  auto delta = [&](size_t i, size_t j) {
    return box.min_image({defs[j].x[0] - defs[i].x[0], defs[j].x[1] - defs[i].x[1], defs[j].x[2] - defs[i].x[2]});
  };
  std::vector<std::vector<size_t>> adj(n);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j)
      if (norm3(delta(i, j)) < distance) {
        adj[i].push_back(j);
        adj[j].push_back(i);
        const size_t a = find(i), b = find(j);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
      }
  std::map<size_t, long> id_of;
  std::vector<Vec3d> unwrapped(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t root = find(i);
    if (id_of.count(root)) continue;
    id_of[root] = static_cast<long>(r.clusters.size()) + 1;
    RefCluster cl;
    cl.id = id_of[root];
    cl.first_key = defs[i].key;
    // breadth-first unwrapping from the smallest key (= i, the root)
    std::vector<size_t> q{i};
    std::vector<char> seen(n, 0);
    seen[i] = 1;
    unwrapped[i] = defs[i].x;
    for (size_t h = 0; h < q.size(); ++h)
      for (size_t v : adj[q[h]])
        if (!seen[v]) {
          seen[v] = 1;
          const Vec3d d = delta(q[h], v);
          for (int k = 0; k < 3; ++k) unwrapped[v][k] = unwrapped[q[h]][k] + d[k];
          q.push_back(v);
        }
    Vec3d sum{0, 0, 0};
    for (size_t m : q) {
      cl.size += defs[m].count;
      (defs[m].kind == 0 ? cl.vac : defs[m].kind == 1 ? cl.inter : cl.mig) += defs[m].count;
      for (int k = 0; k < 3; ++k) sum[k] += defs[m].count * unwrapped[m][k];
    }
    cl.centre = box.wrap({sum[0] / cl.size, sum[1] / cl.size, sum[2] / cl.size});
    r.clusters.push_back(cl);
    r.largest = std::max(r.largest, cl.size);
    r.histo[std::min<long>(cl.size, histo) - 1]++;
  }
  return r;
}

/// The same in the cubic box [lo, lo+L)^3.
inline DefectReference defect_reference(const std::vector<Vec3d> &sites, const std::vector<std::pair<long, Vec3d>> &atoms,
                                        double lo, double L, double distance, int histo, bool migrating = false,
                                        double dre = 0.75, const std::vector<long> &site_keys = {})
{
  return defect_reference(sites, atoms, RefBox::cube(lo, L), distance, histo, migrating, dre, site_keys);
}

/// Distance between two points of the periodic box (for comparing centres that may sit on a face).
inline double periodic_distance(const Vec3d &x, const Vec3d &y, const RefBox &box)
{
  return norm3(box.min_image({x[0] - y[0], x[1] - y[1], x[2] - y[2]}));
}

inline double periodic_distance(const Vec3d &x, const Vec3d &y, double L)
{
  return periodic_distance(x, y, RefBox::cube(0.0, L));
}

}    // namespace reval::test
