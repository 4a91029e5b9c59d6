// An independent brute-force implementation of science.md's site rules for tests: every atom
// against every site with the minimum-image convention in an orthogonal periodic box. Shares no
// code with REVAL (no grids, no ghosts, no lamda coordinates).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <vector>

namespace reval::test {

using Vec = std::array<double, 3>;

struct BruteForceResult {
  std::vector<int> occupancy;    // per site
  int nvac = 0, ndouble = 0, nfar = 0;
  // per atom (same order as input): flag, r_s, r_v, r, index of nearest site (1-based)
  std::vector<std::array<double, 5>> atom;
};

inline double min_image_dist(const Vec &a, const Vec &b, const Vec &L)
{
  double s = 0;
  for (int d = 0; d < 3; ++d) {
    double v = a[d] - b[d];
    v -= L[d] * std::round(v / L[d]);
    s += v * v;
  }
  return std::sqrt(s);
}

/// Sites of a cubic lattice with `basis` (fractional), n[0] x n[1] x n[2] cells of edge a starting at
/// the origin, in the order create_atoms uses (z, y, x, basis): site k has create_atoms ID k+1.
inline std::vector<Vec> cubic_sites(double a, const std::vector<Vec> &basis, const int n[3])
{
  std::vector<Vec> s;
  for (int k = 0; k < n[2]; ++k)
    for (int j = 0; j < n[1]; ++j)
      for (int i = 0; i < n[0]; ++i)
        for (auto &b : basis) s.push_back({(i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a});
  return s;
}

/// neighbours_only: the migrating rule also requires the two nearest sites to be nearest-neighbour sites
/// (compute re/atom pairs neighbours); false: d2 - d1 < dre alone (pairs any, the default).
inline BruteForceResult brute_force_sites(const std::vector<Vec> &sites, const std::vector<Vec> &atoms, const Vec &L,
                                          double rvac, double dre, double rmax, bool neighbours_only)
{
  BruteForceResult r;
  const size_t ns = sites.size(), na = atoms.size();
  // nearest-neighbour spacing: mean nearest other-site distance
  double dnn = 0;
  for (size_t s = 0; s < ns; ++s) {
    double best = 1e300;
    for (size_t t = 0; t < ns; ++t)
      if (t != s) best = std::min(best, min_image_dist(sites[s], sites[t], L));
    dnn += best;
  }
  dnn /= ns;
  r.occupancy.assign(ns, 0);
  r.atom.assign(na, {0, 0, 0, 0, 0});
  std::vector<int> mig(na, 0);
  for (size_t i = 0; i < na; ++i) {
    double d1 = 1e300, d2 = 1e300;
    size_t s1 = 0, s2 = 0;
    for (size_t s = 0; s < ns; ++s) {
      double d = min_image_dist(atoms[i], sites[s], L);
      if (d < rvac) ++r.occupancy[s];
      if (d < d1) {
        d2 = d1;
        s2 = s1;
        d1 = d;
        s1 = s;
      } else if (d < d2) {
        d2 = d;
        s2 = s;
      }
    }
    if (d1 > rvac) ++r.nfar;
    bool neighbours = min_image_dist(sites[s1], sites[s2], L) <= 1.1 * dnn;
    mig[i] = (d2 < rmax && d2 - d1 < dre && (neighbours || !neighbours_only)) ? 1 : 0;
    r.atom[i][0] = mig[i];
    r.atom[i][1] = std::min(d1, rmax);
    r.atom[i][4] = d1 <= rmax ? static_cast<double>(s1 + 1) : 0.0;
  }
  for (size_t s = 0; s < ns; ++s) {
    if (r.occupancy[s] == 0) ++r.nvac;
    if (r.occupancy[s] >= 2) ++r.ndouble;
  }
  for (size_t i = 0; i < na; ++i) {
    double rv = rmax, rm = rmax;
    for (size_t s = 0; s < ns; ++s)
      if (r.occupancy[s] == 0) rv = std::min(rv, min_image_dist(atoms[i], sites[s], L));
    for (size_t j = 0; j < na; ++j)
      if (mig[j]) rm = std::min(rm, j == i ? 0.0 : min_image_dist(atoms[i], atoms[j], L));
    r.atom[i][2] = rv;
    r.atom[i][3] = rm;
  }
  return r;
}

}    // namespace reval::test
