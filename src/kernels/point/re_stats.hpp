/// @file re_stats.hpp
/// Point kernels of fix re/stats (science.md: TMSD, hops between lattice sites): one atom at one
/// sample. Used unchanged by the plain fix (host loop over the local atoms) and by the functor of
/// fix re/stats/kk (kernels/kokkos/re_stats_kokkos.hpp).
///
/// Per-atom state of the fix, one row of doubles per atom (layout ReStatsLayout): the unwrapped
/// reference position of each time origin (3 per origin), the home site (global site index, 0 =
/// unset), the number of hops, and a flag "set" (1 once origin 0 has given the atom a reference).
#pragma once

#include "kernels/point/box_math.hpp"
#include "kernels/point/reval_function.hpp"
#include "kernels/point/site_search.hpp"

namespace reval::kernels {

/// Column indices of the per-atom state row for `norigins` time origins.
struct ReStatsLayout {
  int norigins = 1;
  REVAL_FUNCTION int ref(int m) const { return 3 * m; }
  REVAL_FUNCTION int home() const { return 3 * norigins; }
  REVAL_FUNCTION int hops() const { return 3 * norigins + 1; }
  REVAL_FUNCTION int set() const { return 3 * norigins + 2; }
  REVAL_FUNCTION int size() const { return 3 * norigins + 3; }
};

/// Image flags packed in one integer as LAMMPS does (imageint with IMGMASK/IMGMAX/IMGBITS/IMG2BITS).
template <class Img>
REVAL_FUNCTION void decode_image(Img image, Img imgmask, Img imgmax, int imgbits, int img2bits, int img[3])
{
  img[0] = static_cast<int>((image & imgmask) - imgmax);
  img[1] = static_cast<int>((image >> imgbits & imgmask) - imgmax);
  img[2] = static_cast<int>((image >> img2bits) - imgmax);
}

/// Unwrapped position x + H img (LAMMPS Domain::unmap; the orthogonal case is the same expression
/// with zero tilt factors).
REVAL_FUNCTION void unwrap_position(const BoxGeom &b, const double x[3], const int img[3], double u[3])
{
  u[0] = x[0] + b.h[0] * img[0] + b.h[5] * img[1] + b.h[4] * img[2];
  u[1] = x[1] + b.h[1] * img[1] + b.h[3] * img[2];
  u[2] = x[2] + b.h[2] * img[2];
}

/// One group atom's contribution to the centre-of-mass sums of fix re/stats (LAMMPS Group::mass and
/// Group::xcm): s[0] += m, s[1 + d] += m u[d] for its mass m and unwrapped position u. Both fix twins
/// sum these over their local group atoms (host loop / Kokkos reduction), then re_stats_com_finish.
REVAL_FUNCTION void re_stats_com_add(double m, const double u[3], double s[4])
{
  s[0] += m;
  for (int d = 0; d < 3; ++d) s[1 + d] += u[d] * m;
}

/// Centre of mass from the summed s (all ranks): m u / m, or the unweighted sums for a massless group
/// (as Group::xcm, which divides only when the total mass is > 0).
REVAL_FUNCTION void re_stats_com_finish(const double s[4], double cm[3])
{
  for (int d = 0; d < 3; ++d) cm[d] = s[0] > 0.0 ? s[1 + d] / s[0] : s[1 + d];
}

/// What one sample does to the atoms (the same for every atom).
struct ReStatsSample {
  ReStatsLayout layout;
  int nactive = 1;          ///< origins started so far, this sample included (0..nactive-1 are active)
  int start = -1;           ///< origin started at this sample (-1: none); 0 also resets home, hops, set
  const double *xcm = nullptr;    ///< 3 per origin: centre-of-mass drift since the origin (zeros without com)
  // hop rule (compute vacancy/sites and compute re/atom settings)
  double rvac = 0.0, nn_cut2 = 0.0, dre = 0.0, cap = 0.0;
  SitePairs pairs = SitePairs::any;    ///< keyword pairs of fix re/stats
};

/// Displacement part of one sample for one local atom with unwrapped position u. Group atoms take
/// the reference of the origin started now; atoms of the group that are set add their squared
/// displacement from each active origin m to sd[m]. out = {hops, dx, dy, dz} (origin 0), zeros for
/// atoms outside the group or not set.
REVAL_FUNCTION void re_stats_displacement(const ReStatsSample &p, bool in_group, const double u[3], double *state,
                                          double *sd, double out[4])
{
  const ReStatsLayout &L = p.layout;
  if (in_group && p.start >= 0) {
    for (int d = 0; d < 3; ++d) state[L.ref(p.start) + d] = u[d];
    if (p.start == 0) {
      state[L.home()] = 0.0;
      state[L.hops()] = 0.0;
      state[L.set()] = 1.0;
    }
  }
  if (!in_group || state[L.set()] == 0.0) {
    out[0] = out[1] = out[2] = out[3] = 0.0;
    return;
  }
  for (int m = 0; m < p.nactive; ++m) {
    double s = 0.0;
    for (int d = 0; d < 3; ++d) {
      const double dd = u[d] - state[L.ref(m) + d] - p.xcm[3 * m + d];
      s += dd * dd;
      if (m == 0) out[1 + d] = dd;
    }
    sd[m] += s;
  }
  out[0] = state[L.hops()];
}

/// Hop part of one sample for one atom of the group, from its nearest two static sites n (grid
/// slots with coordinates px/py/pz; gid_of(slot) = global site index): the home site is the nearest
/// site while the atom is on a site (d1 <= rvac) and not migrating (is_migrating with p.pairs); a change of home
/// is a hop. Returns 1 for a new hop. out[0] receives the hop count when the rule applied.
REVAL_HD_TEMPLATE
template <class GidOf>
REVAL_FUNCTION int re_stats_hop(const ReStatsSample &p, const NearestTwo &n, const double *px, const double *py,
                                const double *pz, const GidOf &gid_of, double *state, double out[4])
{
  if (n.s1 < 0 || n.d1 > p.rvac) return 0;
  if (is_migrating_at_sites(n, px, py, pz, p.nn_cut2, p.dre, p.cap, p.pairs)) return 0;
  const double site = gid_of(n.s1);
  const ReStatsLayout &L = p.layout;
  int hop = 0;
  if (state[L.home()] == 0.0) {
    state[L.home()] = site;
  } else if (state[L.home()] != site) {
    state[L.home()] = site;
    state[L.hops()] += 1.0;
    hop = 1;
  }
  out[0] = state[L.hops()];
  return hop;
}

}    // namespace reval::kernels
