/// @file site_search.hpp
/// Point kernels of the static-site analysis (science.md: static sites, vacancies, migrating atoms):
/// exact nearest / second-nearest site search in a binned grid, range queries, and the per-atom
/// migrating-atom rule. Used unchanged by the plain styles (host loops) and the Kokkos functors.
///
/// The grid lives in lamda (fractional) space, so it follows box deformation; bins are sized so that
/// one bin is at least `width` Å thick in Cartesian space along every lamda direction. Then every
/// point within Cartesian distance k*width of a query lies in the bins at Chebyshev distance <= k
/// from the query's bin ("ring" k), which makes the ring-by-ring search exact.
#pragma once

#include "kernels/point/box_math.hpp"
#include "kernels/point/reval_function.hpp"

#include <cstring>

namespace reval::kernels {

/// A binned point set in compressed-row form: points of bin b are slots bin_start[b]..bin_start[b+1]-1,
/// with Cartesian coordinates px/py/pz (current box) stored in slot order. Plain pointers: the same
/// struct describes host arrays and Kokkos device views (.data()).
struct GridView {
  const int *bin_start = nullptr;    ///< nbins+1 offsets
  const double *px = nullptr, *py = nullptr, *pz = nullptr;
  int nb[3] = {1, 1, 1};             ///< bins per lamda dimension
  double lo[3] = {0, 0, 0};          ///< lamda of the grid's lower corner
  double inv_bs[3] = {1, 1, 1};      ///< 1 / bin size (lamda)
  double width = 0.0;                ///< Cartesian thickness of one bin (Å), min over dimensions
  BoxGeom box;                       ///< current box (for x -> lamda)
};

/// Bin coordinates of a Cartesian point (clamped into the grid).
REVAL_FUNCTION void grid_bin_of(const GridView &g, const double x[3], int b[3])
{
  double lam[3];
  x2lamda(g.box, x, lam);
  for (int d = 0; d < 3; ++d) b[d] = clamped_floor_index((lam[d] - g.lo[d]) * g.inv_bs[d], g.nb[d]);
}

namespace impl {
/// Visits the points of bins [row+xlo, row+xhi] of one grid row: contiguous slots, one loop.
REVAL_HD_TEMPLATE
template <class F>
REVAL_FUNCTION void visit_row(const GridView &g, int row, int xlo, int xhi, const double x[3], F &f)
{
  const int end = g.bin_start[row + xhi + 1];
  for (int s = g.bin_start[row + xlo]; s < end; ++s) {
    const double dx = g.px[s] - x[0], dy = g.py[s] - x[1], dz = g.pz[s] - x[2];
    f(s, dx * dx + dy * dy + dz * dz);
  }
}
}    // namespace impl

/// Calls f(slot, dist2) for every point in the bins within Chebyshev distance k of bin b (the cube).
REVAL_HD_TEMPLATE
template <class F>
REVAL_FUNCTION void grid_visit_cube(const GridView &g, const int b[3], int k, const double x[3], F &f)
{
  const int zlo = b[2] - k < 0 ? 0 : b[2] - k, zhi = b[2] + k >= g.nb[2] ? g.nb[2] - 1 : b[2] + k;
  const int ylo = b[1] - k < 0 ? 0 : b[1] - k, yhi = b[1] + k >= g.nb[1] ? g.nb[1] - 1 : b[1] + k;
  const int xlo = b[0] - k < 0 ? 0 : b[0] - k, xhi = b[0] + k >= g.nb[0] ? g.nb[0] - 1 : b[0] + k;
  for (int iz = zlo; iz <= zhi; ++iz)
    for (int iy = ylo; iy <= yhi; ++iy) impl::visit_row(g, (iz * g.nb[1] + iy) * g.nb[0], xlo, xhi, x, f);
}

/// Calls f(slot, dist2) for every point in the bins of ring k around bin b (k = 0: the bin itself).
REVAL_HD_TEMPLATE
template <class F>
REVAL_FUNCTION void grid_visit_ring(const GridView &g, const int b[3], int k, const double x[3], F &f)
{
  const int zlo = b[2] - k < 0 ? 0 : b[2] - k, zhi = b[2] + k >= g.nb[2] ? g.nb[2] - 1 : b[2] + k;
  const int ylo = b[1] - k < 0 ? 0 : b[1] - k, yhi = b[1] + k >= g.nb[1] ? g.nb[1] - 1 : b[1] + k;
  const int xlo = b[0] - k < 0 ? 0 : b[0] - k, xhi = b[0] + k >= g.nb[0] ? g.nb[0] - 1 : b[0] + k;
  for (int iz = zlo; iz <= zhi; ++iz) {
    const bool zface = (iz == b[2] - k || iz == b[2] + k);
    for (int iy = ylo; iy <= yhi; ++iy) {
      const bool face = zface || iy == b[1] - k || iy == b[1] + k;
      const int row = (iz * g.nb[1] + iy) * g.nb[0];
      if (face) {    // a whole row of the ring's surface
        impl::visit_row(g, row, xlo, xhi, x, f);
      } else {       // inside the cube: only the two x faces belong to ring k
        if (b[0] - k >= 0) impl::visit_row(g, row, b[0] - k, b[0] - k, x, f);
        if (b[0] + k < g.nb[0]) impl::visit_row(g, row, b[0] + k, b[0] + k, x, f);
      }
    }
  }
}

/// Nearest and second-nearest site of a point; distances capped at `cap` (slot -1 if none within).
struct NearestTwo {
  int s1 = -1, s2 = -1;     ///< grid slots of the nearest / second-nearest site
  double d1 = 0, d2 = 0;    ///< their distances (Å), each <= cap
};

namespace impl {
struct NoExtra {
  REVAL_FUNCTION void operator()(int, double) const {}
};
/// Keeps the two smallest squared distances b1 <= b2 (slots s1, s2) when slot s at r2 is seen.
REVAL_FUNCTION void keep_nearest_two(int s, double r2, double &b1, double &b2, int &s1, int &s2)
{
  if (r2 < b1) {
    b2 = b1;
    s2 = s1;
    b1 = r2;
    s1 = s;
  } else if (r2 < b2) {
    b2 = r2;
    s2 = s;
  }
}
template <class Extra>
struct NearestTwoVisitor {
  double b1, b2;    // squared distances
  int s1, s2;
  Extra *extra;
  REVAL_HD_TEMPLATE
  REVAL_FUNCTION void operator()(int s, double r2)
  {
    (*extra)(s, r2);
    keep_nearest_two(s, r2, b1, b2, s1, s2);
  }
};
}    // namespace impl

/// Exact nearest-two search: rings are added until the second-nearest distance found is within the
/// radius already covered, or the covered radius reaches `cap`. `extra(slot, dist2)` sees every site
/// visited (at least all sites within g.width), e.g. to count the sites within rvac.
REVAL_HD_TEMPLATE
template <class Extra>
REVAL_FUNCTION NearestTwo nearest_two_sites(const GridView &g, const double x[3], double cap, Extra &extra)
{
  int b[3];
  grid_bin_of(g, x, b);
  impl::NearestTwoVisitor<Extra> v{cap * cap, cap * cap, -1, -1, &extra};
  int maxring = g.nb[0];
  if (g.nb[1] > maxring) maxring = g.nb[1];
  if (g.nb[2] > maxring) maxring = g.nb[2];
  grid_visit_cube(g, b, 1, x, v);    // rings 0 and 1, row by row
  for (int k = 2;; ++k) {
    const double covered = (k - 1) * g.width;
    if ((v.s2 >= 0 && v.b2 <= covered * covered) || covered >= cap || k > maxring) break;
    grid_visit_ring(g, b, k, x, v);
  }
  NearestTwo out;
  out.s1 = v.s1;
  out.s2 = v.s2;
  out.d1 = v.s1 >= 0 ? sqrt(v.b1) : cap;
  out.d2 = v.s2 >= 0 ? sqrt(v.b2) : cap;
  return out;
}

REVAL_FUNCTION NearestTwo nearest_two_sites(const GridView &g, const double x[3], double cap)
{
  impl::NoExtra none;
  return nearest_two_sites(g, x, cap, none);
}

/// Per-site neighbour lists over grid slots (compressed rows): the sites within `radius` Å of each
/// site, complete[slot] = 0 where the list may miss sites (near the edge of the local site region).
struct SiteListsView {
  const int *start = nullptr;            ///< nslots+1 offsets into list
  const int *list = nullptr;             ///< neighbour slots
  const unsigned char *complete = nullptr;
  double radius = 0.0;                   ///< Å, valid for the current box (already shrunk for deformation)
};

/// Nearest-two search from a guessed site (e.g. the atom's nearest site at the previous step): the
/// guess and its listed neighbours are the candidates C. If every site within d2 (and within `need`,
/// e.g. rvac) of x must be in C, i.e. radius - |x - guess| >= max(d2, need), the result is exact and
/// true is returned; `within` receives up to `max_within` slots closer than `need` (occupancy).
/// Otherwise false is returned and the caller falls back to nearest_two_sites().
REVAL_FUNCTION bool nearest_two_from_guess(const GridView &g, const SiteListsView &l, int guess, const double x[3],
                                           double cap, double need, NearestTwo &out, int *within, int &nwithin,
                                           int max_within)
{
  if (guess < 0 || !l.complete[guess]) return false;
  const double need2 = need * need;
  double b1 = cap * cap, b2 = cap * cap;
  int s1 = -1, s2 = -1;
  nwithin = 0;
  double dg2 = 0.0;
  for (int k = l.start[guess] - 1; k < l.start[guess + 1]; ++k) {
    const int s = k < l.start[guess] ? guess : l.list[k];
    const double dx = g.px[s] - x[0], dy = g.py[s] - x[1], dz = g.pz[s] - x[2];
    const double r2 = dx * dx + dy * dy + dz * dz;
    if (s == guess) dg2 = r2;
    if (r2 < need2) {
      if (nwithin == max_within) return false;
      within[nwithin++] = s;
    }
    impl::keep_nearest_two(s, r2, b1, b2, s1, s2);
  }
  const double covered = l.radius - sqrt(dg2);
  if (covered <= 0.0 || s2 < 0 || b2 > covered * covered || need > covered) return false;
  out.s1 = s1;
  out.s2 = s2;
  out.d1 = sqrt(b1);
  out.d2 = sqrt(b2);
  return true;
}

/// Forgets the guess held in an atom's nearest-site store (its s1, which site_analyse_atom reads as the
/// guess of the next search): for stores whose slots belong to an older grid.
REVAL_FUNCTION void forget_nearest_guess(NearestTwo &n)
{
  n.s1 = -1;
}

namespace impl {
/// Counts, through `count(local site)`, the sites visited closer than rvac (when active).
template <class Count>
struct OccupancyVisitor {
  const int *order;
  double rvac2;
  bool active;
  const Count *count;
  REVAL_HD_TEMPLATE
  REVAL_FUNCTION void operator()(int slot, double r2) const
  {
    if (active && r2 < rvac2) (*count)(order[slot]);
  }
};
}    // namespace impl

/// One atom of the static-site analysis: its nearest and second-nearest sites (grid slots), searched
/// from `guess` (its nearest slot at the last analysis, -1 if unknown) when that is exact, else by the
/// full ring search; if `counts` (the atom belongs to the counted group), every site within rvac is
/// reported as count(local site index) (order: slot -> local site), which builds the occupancy.
/// `count` is called once per site in reach; a parallel caller passes an atomic counter. The result is
/// written to `out` field by field (callers pass the per-atom store itself: a returned struct copied
/// there cost a store-forwarding stall per atom, measured).
REVAL_HD_TEMPLATE
template <class Count>
REVAL_FUNCTION void site_analyse_atom(const GridView &g, const SiteListsView &l, int guess, const double x[3],
                                      double cap, double rvac, bool counts, const int *order, const Count &count,
                                      NearestTwo &out)
{
  int within[4];
  int nwithin = 0;
  if (guess >= 0 && nearest_two_from_guess(g, l, guess, x, cap, counts ? rvac : 0.0, out, within, nwithin, 4)) {
    for (int w = 0; w < nwithin; ++w) count(order[within[w]]);
    return;
  }
  impl::OccupancyVisitor<Count> occ{order, rvac * rvac, counts, &count};
  const NearestTwo n = nearest_two_sites(g, x, cap, occ);
  out.s1 = n.s1;
  out.s2 = n.s2;
  out.d1 = n.d1;
  out.d2 = n.d2;
}

/// Calls f(slot, dist2) for every grid point within Cartesian distance r of x (and some beyond).
REVAL_HD_TEMPLATE
template <class F>
REVAL_FUNCTION void grid_visit_within(const GridView &g, const double x[3], double r, F &f)
{
  int b[3];
  grid_bin_of(g, x, b);
  // rings beyond the largest grid dimension add nothing: bound k there (also for r/width overflow)
  int nbmax = g.nb[0] > g.nb[1] ? g.nb[0] : g.nb[1];
  nbmax = nbmax > g.nb[2] ? nbmax : g.nb[2];
  const int kmax = g.width > 0 ? clamped_floor_index(ceil(r / g.width), nbmax + 1) : 0;
  grid_visit_cube(g, b, kmax, x, f);
}

/// Which pairs of nearest and second-nearest sites the migrating rule accepts (keyword `pairs`):
/// any = the authors' rule (d2 - d1 < dre alone; default), neighbours = the two sites must also be
/// nearest-neighbour sites of each other (|s1 - s2|^2 <= nn_cut2).
enum class SitePairs : int { any = 0, neighbours = 1 };

/// Host helper for the styles' parsers: "any" or "neighbours" -> out; false for any other word.
inline bool parse_site_pairs(const char *word, SitePairs &out)
{
  if (word && std::strcmp(word, "any") == 0) {
    out = SitePairs::any;
    return true;
  }
  if (word && std::strcmp(word, "neighbours") == 0) {
    out = SitePairs::neighbours;
    return true;
  }
  return false;
}

/// The migrating (rare-event) atom rule: d2 - d1 < dre for the atom's nearest and second-nearest
/// static sites, and with pairs == neighbours also |s1 - s2|^2 = s12_dist2 <= nn_cut2 (s12_dist2 is
/// not read under pairs == any). `cap` is the distance cap of the search (d2 == cap means "no second
/// site nearby": not migrating). Example: an atom at a tetrahedral interstitial site of diamond Si is
/// ~2.35 Å from four sites that are second neighbours of each other (3.84 Å apart), d2 - d1 ~ 0:
/// migrating under any, not under neighbours.
REVAL_FUNCTION int is_migrating(const NearestTwo &n, double s12_dist2, double nn_cut2, double dre, double cap,
                                SitePairs pairs)
{
  if (n.s1 < 0 || n.s2 < 0 || n.d2 >= cap) return 0;
  if (!(n.d2 - n.d1 < dre)) return 0;
  return (pairs == SitePairs::any || s12_dist2 <= nn_cut2) ? 1 : 0;
}

/// |s1 - s2|^2 of the nearest two sites n (slots of a grid with coordinates px/py/pz), 0 if either is
/// missing: the neighbour test of is_migrating.
REVAL_FUNCTION double nearest_pair_dist2(const NearestTwo &n, const double *px, const double *py, const double *pz)
{
  if (n.s1 < 0 || n.s2 < 0) return 0.0;
  const double a[3] = {px[n.s1], py[n.s1], pz[n.s1]}, b[3] = {px[n.s2], py[n.s2], pz[n.s2]};
  return dist2(a, b);
}

/// The migrating rule (is_migrating) for an atom whose nearest two sites n are slots of a grid with
/// coordinates px/py/pz: the sites' separation is measured only where the rule reads it (neighbours).
/// The one form used by compute re/atom, fix re/stats (hops) and compute vacancy/sites (clusters).
REVAL_FUNCTION int is_migrating_at_sites(const NearestTwo &n, const double *px, const double *py, const double *pz,
                                         double nn_cut2, double dre, double cap, SitePairs pairs)
{
  const double s12 = pairs == SitePairs::neighbours ? nearest_pair_dist2(n, px, py, pz) : 0.0;
  return is_migrating(n, s12, nn_cut2, dre, cap, pairs);
}

/// compute re/atom's per-atom site terms from the atom's nearest two sites n (slots of a grid with
/// coordinates px/py/pz): the migrating flag (is_migrating) and the distance to the nearest site,
/// capped at rmax. Returns the flag.
REVAL_FUNCTION int re_atom_site_terms(const NearestTwo &n, const double *px, const double *py, const double *pz,
                                      double nn_cut2, double dre, double cap, SitePairs pairs, double rmax,
                                      double &rs)
{
  rs = n.d1 < rmax ? n.d1 : rmax;
  return is_migrating_at_sites(n, px, py, pz, nn_cut2, dre, cap, pairs);
}

/// A binned point set (vacancies, migrating atoms) for nearest-point queries capped at rmax: the grid,
/// and per bin a flag "some point lies within kmax bins" (Chebyshev distance), where kmax rings
/// cover rmax (kmax * grid.width >= rmax, or kmax spans the whole grid). Built on the host by
/// reval::PointGrid; the same struct describes device copies.
struct PointGridView {
  GridView grid;
  const unsigned char *reach = nullptr;    ///< nbins flags
  int kmax = 1;
  int npoints = 0;
  double rmax = 0.0;
};

/// Up to this many points, nearest_point_distance() measures every point instead of finding the
/// query's bin (the same distances, the same result; a crystal in MD has a few migrating atoms at a
/// time: measured in bench/README.md).
constexpr int kFewPoints = 4;

namespace impl {
struct MinDist2 {
  double best2;
  REVAL_FUNCTION void operator()(int, double r2) { best2 = r2 < best2 ? r2 : best2; }
};
}    // namespace impl

/// Distance from x to the nearest point of p, capped at p.rmax (exact): with no point, or in a bin
/// with no point within reach, it returns at once (up to kFewPoints points are all measured, without
/// the bins); otherwise the cube of rings 0 and 1 around its bin
/// is visited row by row, then further rings until the nearest distance found is within the radius
/// already covered or rmax is covered. Cost per query: the points and bins within rmax (at most kmax
/// rings), independent of the total number of points. Atom-parallel, no atomics: the host loop of
/// compute re/atom and the functor of re/atom/kk call it alike. (Pruning rows by the best distance so
/// far, or per-bin candidate lists ordered by distance, measured slower: see bench/README.md.)
REVAL_FUNCTION double nearest_point_distance(const PointGridView &p, const double x[3])
{
  if (p.npoints == 0) return p.rmax;
  const GridView &g = p.grid;
  const double r2max = p.rmax * p.rmax;
  if (p.npoints <= kFewPoints) {    // a few points: all of them cost less than finding x's bin
    double best2 = r2max;
    for (int s = 0; s < p.npoints; ++s) {
      const double dx = g.px[s] - x[0], dy = g.py[s] - x[1], dz = g.pz[s] - x[2];
      const double r2 = dx * dx + dy * dy + dz * dz;
      best2 = r2 < best2 ? r2 : best2;
    }
    return best2 < r2max ? sqrt(best2) : p.rmax;
  }
  int b[3];
  grid_bin_of(g, x, b);
  if (!p.reach[(b[2] * g.nb[1] + b[1]) * g.nb[0] + b[0]]) return p.rmax;
  impl::MinDist2 v{r2max};
  grid_visit_cube(g, b, 1, x, v);    // rings 0 and 1, row by row
  for (int k = 2; k <= p.kmax; ++k) {
    const double covered = (k - 1) * g.width;    // every point within this distance has been visited
    if (v.best2 <= covered * covered) break;
    grid_visit_ring(g, b, k, x, v);
  }
  return v.best2 < r2max ? sqrt(v.best2) : p.rmax;
}

/// compute re/atom's distances of one atom at x (capped at rmax): to the nearest vacancy, rv, and to the
/// nearest migrating atom, r (0 for a migrating atom itself: it is one of the points, no search).
REVAL_FUNCTION void re_atom_point_distances(const PointGridView &vac, const PointGridView &mig, const double x[3],
                                            bool migrating, double &rv, double &r)
{
  rv = nearest_point_distance(vac, x);
  r = migrating ? 0.0 : nearest_point_distance(mig, x);
}

}    // namespace reval::kernels
