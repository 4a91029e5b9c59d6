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

/// A binned point set (vacancies, migrating atoms) for nearest-point queries capped at rmax. The bins
/// are at least rmax thick, so every point within rmax of a query lies in the 27 bins around the
/// query's bin, "its cell" (clipped at the grid's edges). near[c] = the number of points in those 27
/// bins of cell c (0: no point within reach), max_near = their maximum. The slot coordinates px/py/pz
/// are readable kGatherPad entries past npoints (kFarPoint there). wide_rows: a row of 3 bins holds 3
/// points or more on average (gather_cell_points copies two groups of a row at once). Built on the
/// host by reval::PointGrid; the same struct describes device copies.
struct PointGridView {
  GridView grid;
  const int *near = nullptr;    ///< nbins counts
  int max_near = 0;
  int npoints = 0;
  bool wide_rows = false;
  double rmax = 0.0;
};

/// Candidates are measured kPointLanes at a time (independent minima, which a compiler maps to vector
/// lanes); candidate arrays are padded to a multiple of it with kFarPoint coordinates.
constexpr int kPointLanes = 4;
/// The coordinate of padding candidates: farther than any rmax from any position of a simulation box.
constexpr double kFarPoint = 1e100;
/// Slots a gather may read past the last point of a grid and write past the candidates of a cell
/// (gather_cell_points): two groups.
constexpr int kGatherPad = 2 * kPointLanes;
/// Up to this many points (in both sets), compute re/atom measures every point from every atom instead
/// of binning the atoms by cell (the same distances; a crystal in MD has a few migrating atoms at a time).
constexpr int kFewPoints = 4;

/// Candidate points of a query: x y z arrays readable to n rounded up to kPointLanes (kFarPoint there).
struct PointCandidates {
  const double *x = nullptr, *y = nullptr, *z = nullptr;
  int n = 0;
};

/// Every point of p as candidates (the few-points path: no cell).
REVAL_FUNCTION PointCandidates all_points(const PointGridView &p)
{
  PointCandidates c;
  c.x = p.grid.px;
  c.y = p.grid.py;
  c.z = p.grid.pz;
  c.n = p.npoints;
  return c;
}

/// The cell of a query at x: the linear index of its bin in grid g (clamped into the grid).
REVAL_FUNCTION int point_cell_of(const GridView &g, const double x[3])
{
  int b[3];
  grid_bin_of(g, x, b);
  return (b[2] * g.nb[1] + b[1]) * g.nb[0] + b[0];
}

/// compute re/atom's second pass: the cell of an atom at x if it searches there (a vacancy or migrating
/// atom lies in its cell: vac.near or mig.near > 0), else -1 (no point within rmax: rv = r = rmax).
/// vac and mig have the same layout. The host sort (reval::PointQueries) and the device sort
/// (reval::kokkos::PointQueriesDevice) select their queries with it.
REVAL_FUNCTION int re_atom_query_cell(const PointGridView &vac, const PointGridView &mig, const double x[3])
{
  const int c = point_cell_of(vac.grid, x);
  return vac.near[c] + mig.near[c] > 0 ? c : -1;
}

namespace impl {
/// cx/cy/cz[n .. n + kPointLanes) = slots s .. s + kPointLanes of g (one vector move each on hosts with lanes)
REVAL_FUNCTION void copy_point_group(const GridView &g, int s, double *cx, double *cy, double *cz, int n)
{
  memcpy(cx + n, g.px + s, kPointLanes * sizeof(double));
  memcpy(cy + n, g.py + s, kPointLanes * sizeof(double));
  memcpy(cz + n, g.pz + s, kPointLanes * sizeof(double));
}
}    // namespace impl

/// Copies the points of the 27 bins around bin `cell` of p (9 rows of contiguous slots) to cx/cy/cz and
/// returns their number n, with kFarPoint in entries n .. n + kPointLanes - 1. Capacity needed:
/// p.near[cell] + kGatherPad. Each row's first group (two with p.wide_rows) is copied whatever the
/// row's length, the rest a group at a time: a loop over every row's unpredictable length cost a
/// mispredicted branch per row (measured). Copies past a row's end read the next slots or the padding
/// of px/py/pz; what they write beyond the row is overwritten by the next row or lies beyond n.
REVAL_FUNCTION int gather_cell_points(const PointGridView &p, int cell, double *cx, double *cy, double *cz)
{
  const GridView &g = p.grid;
  const int nb0 = g.nb[0], nb1 = g.nb[1], nb2 = g.nb[2];
  const int bx = cell % nb0, by = (cell / nb0) % nb1, bz = cell / (nb0 * nb1);
  const int x0 = bx > 0 ? bx - 1 : 0, x1 = bx + 1 < nb0 ? bx + 1 : nb0 - 1;
  const int y0 = by > 0 ? by - 1 : 0, y1 = by + 1 < nb1 ? by + 1 : nb1 - 1;
  const int z0 = bz > 0 ? bz - 1 : 0, z1 = bz + 1 < nb2 ? bz + 1 : nb2 - 1;
  const int first = p.wide_rows ? 2 * kPointLanes : kPointLanes;
  int n = 0;
  for (int iz = z0; iz <= z1; ++iz)
    for (int iy = y0; iy <= y1; ++iy) {
      const int row = (iz * nb1 + iy) * nb0;
      const int s = g.bin_start[row + x0], len = g.bin_start[row + x1 + 1] - s;
      impl::copy_point_group(g, s, cx, cy, cz, n);
      if (p.wide_rows) impl::copy_point_group(g, s + kPointLanes, cx, cy, cz, n + kPointLanes);
      for (int k = first; k < len; k += kPointLanes) impl::copy_point_group(g, s + k, cx, cy, cz, n + k);
      n += len;
    }
  for (int l = 0; l < kPointLanes; ++l) cx[n + l] = cy[n + l] = cz[n + l] = kFarPoint;
  return n;
}

/// Doubles of scratch for the candidates of one cell of both grids (cell_candidates).
REVAL_FUNCTION size_t cell_candidates_size(const PointGridView &vac, const PointGridView &mig)
{
  return 3 * static_cast<size_t>(vac.max_near + kGatherPad) + 3 * static_cast<size_t>(mig.max_near + kGatherPad);
}

/// The candidates of one cell of both grids in `scratch` (cell_candidates_size doubles: x y z of the
/// vacancies, then of the migrating atoms): with `cell` >= 0 gathered there (gather_cell_points), with
/// cell < 0 only the arrays laid out, holding nv / nm points gathered before (threads of a team that
/// did not gather).
REVAL_FUNCTION void cell_candidates(const PointGridView &vac, const PointGridView &mig, int cell, double *scratch,
                                    PointCandidates &vc, PointCandidates &mc, int nv = 0, int nm = 0)
{
  const size_t cv = static_cast<size_t>(vac.max_near + kGatherPad);
  const size_t cm = static_cast<size_t>(mig.max_near + kGatherPad);
  double *vx = scratch, *vy = vx + cv, *vz = vy + cv, *mx = vz + cv, *my = mx + cm, *mz = my + cm;
  if (cell >= 0) {
    nv = gather_cell_points(vac, cell, vx, vy, vz);
    nm = gather_cell_points(mig, cell, mx, my, mz);
  }
  vc.x = vx;
  vc.y = vy;
  vc.z = vz;
  vc.n = nv;
  mc.x = mx;
  mc.y = my;
  mc.z = mz;
  mc.n = nm;
}

/// The smallest squared distance from x to the candidates c, or best2 if none is closer. kPointLanes
/// independent minima over groups of kPointLanes candidates (the padding is kFarPoint): the order of a
/// minimum does not change it, so every layout of the same candidates gives the same bits.
REVAL_FUNCTION double nearest_candidate_dist2(const PointCandidates &c, const double x[3], double best2)
{
  double b[kPointLanes];
  for (int l = 0; l < kPointLanes; ++l) b[l] = best2;
  for (int s = 0; s < c.n; s += kPointLanes)
    for (int l = 0; l < kPointLanes; ++l) {
      const double dx = c.x[s + l] - x[0], dy = c.y[s + l] - x[1], dz = c.z[s + l] - x[2];
      const double r2 = dx * dx + dy * dy + dz * dz;
      b[l] = r2 < b[l] ? r2 : b[l];
    }
  for (int w = kPointLanes / 2; w > 0; w /= 2)
    for (int l = 0; l < w; ++l) b[l] = b[l + w] < b[l] ? b[l + w] : b[l];
  return b[0];
}

namespace impl {
struct NearestCandidateDist2 {
  REVAL_FUNCTION double operator()(const PointCandidates &c, const double x[3], double best2) const
  {
    return nearest_candidate_dist2(c, x, best2);
  }
};
}    // namespace impl

/// compute re/atom's distances of one atom at x, capped at rmax: to the nearest vacancy among the
/// candidates vac, rv, and to the nearest migrating atom among mig, r (0 for a migrating atom itself: it
/// is one of the points, no search). The candidates are every point within rmax of x (and maybe more):
/// the atom's cell (cell_candidates) or all points (all_points). `min_dist2` is nearest_candidate_dist2
/// or a layout of it that gives the same bits (the host's vector lanes: core/point_grid.cpp).
REVAL_HD_TEMPLATE
template <class MinDist2>
REVAL_FUNCTION void re_atom_point_distances(const MinDist2 &min_dist2, const PointCandidates &vac,
                                            const PointCandidates &mig, double rmax, const double x[3], bool migrating,
                                            double &rv, double &r)
{
  const double r2max = rmax * rmax;
  const double bv = min_dist2(vac, x, r2max);
  rv = bv < r2max ? sqrt(bv) : rmax;
  if (migrating) {
    r = 0.0;
  } else {
    const double bm = min_dist2(mig, x, r2max);
    r = bm < r2max ? sqrt(bm) : rmax;
  }
}

/// re_atom_point_distances with the portable nearest_candidate_dist2.
REVAL_FUNCTION void re_atom_point_distances(const PointCandidates &vac, const PointCandidates &mig, double rmax,
                                            const double x[3], bool migrating, double &rv, double &r)
{
  re_atom_point_distances(impl::NearestCandidateDist2{}, vac, mig, rmax, x, migrating, rv, r);
}

}    // namespace reval::kernels
