// Exactness of the binned nearest-two search and range queries against brute force, in orthogonal
// and strongly triclinic boxes; the migrating-atom rule (pairs any|neighbours); the nearest-point
// search of compute re/atom (PointGrid, PointQueries and the cell kernels) against brute force.
#include "core/cell_grid.h"
#include "core/point_grid.h"
#include "kernels/point/re_stats.hpp"
#include "kernels/point/site_search.hpp"

#include <gtest/gtest.h>

#include "core/error.h"
#include "point_test_support.h"
#include "unit_boxes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using reval::CellGrid;
using namespace reval::kernels;

namespace {

using reval::test::make_box;

struct Case {
  BoxGeom box;
  std::vector<double> lam;    // sites
  CellGrid grid;
};

void build(Case &c, int nsites, double width, unsigned seed)
{
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-0.2, 1.2);
  c.lam.resize(3 * nsites);
  for (auto &v : c.lam) v = u(rng);
  double lo[3] = {-0.2, -0.2, -0.2}, hi[3] = {1.2, 1.2, 1.2};
  c.grid.layout(c.box, lo, hi, width);
  c.grid.assign_lamda(c.lam.data(), nsites);
  c.grid.coords_from_lamda(c.box);
}

void check_against_brute_force(Case &c, double cap, unsigned seed)
{
  auto g = c.grid.view(c.box);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const int n = c.grid.npoints();
  for (int t = 0; t < 300; ++t) {
    double l[3] = {u(rng), u(rng), u(rng)}, x[3];
    lamda2x(c.box, l, x);
    std::vector<double> d(n);
    for (int s = 0; s < n; ++s) {
      double p[3] = {g.px[s], g.py[s], g.pz[s]};
      d[s] = std::sqrt(dist2(p, x));
    }
    std::vector<double> sorted = d;
    std::sort(sorted.begin(), sorted.end());
    NearestTwo r = nearest_two_sites(g, x, cap);
    double e1 = std::min(sorted[0], cap), e2 = std::min(sorted[1], cap);
    ASSERT_NEAR(r.d1, e1, 1e-12) << "trial " << t;
    ASSERT_NEAR(r.d2, e2, 1e-12) << "trial " << t;
    if (sorted[0] < cap) {
      ASSERT_GE(r.s1, 0);
      EXPECT_NEAR(d[r.s1], sorted[0], 1e-12);
    } else {
      EXPECT_EQ(r.s1, -1);
    }
    if (sorted[1] < cap) {
      EXPECT_NEAR(d[r.s2], sorted[1], 1e-12);
    }
    // range query sees every point within the radius
    const double radius = 2.7;
    int seen = 0;
    auto count = [&](int, double r2) {
      if (r2 <= radius * radius) ++seen;
    };
    grid_visit_within(g, x, radius, count);
    EXPECT_EQ(seen, std::count_if(d.begin(), d.end(), [&](double v) { return v <= radius; }));
  }
}

}    // namespace

TEST(SiteSearch, NearestTwoExactOrthogonal)
{
  Case c;
  c.box = make_box(20, 18, 22, 0, 0, 0);
  build(c, 900, 2.5, 1);
  check_against_brute_force(c, 8.0, 11);
}

TEST(SiteSearch, NearestTwoExactTriclinic)
{
  Case c;
  c.box = make_box(20, 18, 22, 9.0, -6.0, 7.0);
  build(c, 900, 2.5, 2);
  check_against_brute_force(c, 8.0, 12);
}

TEST(SiteSearch, CapLimitsDistances)
{
  Case c;
  c.box = make_box(30, 30, 30, 0, 0, 0);
  build(c, 40, 2.0, 3);    // sparse: many queries have nothing within the cap
  check_against_brute_force(c, 3.0, 13);
}

TEST(SiteSearch, ExtraVisitorSeesAllSitesWithinWidth)
{
  Case c;
  c.box = make_box(20, 20, 20, 5, 0, 0);
  build(c, 500, 2.0, 4);
  auto g = c.grid.view(c.box);
  EXPECT_GE(g.width, 2.0);
  double x[3] = {5.0, 9.0, 10.0};
  int within = 0;
  auto extra = [&](int, double r2) {
    if (r2 < 1.9 * 1.9) ++within;
  };
  nearest_two_sites(g, x, 10.0, extra);
  int expect = 0;
  for (int s = 0; s < c.grid.npoints(); ++s) {
    double p[3] = {g.px[s], g.py[s], g.pz[s]};
    if (dist2(p, x) < 1.9 * 1.9) ++expect;
  }
  EXPECT_EQ(within, expect);
}

TEST(SiteSearch, GridStaysExactUnderDeformationCheck)
{
  Case c;
  c.box = make_box(20, 20, 20, 0, 0, 0);
  build(c, 300, 2.5, 5);
  EXPECT_TRUE(c.grid.thick_enough(c.box, 2.5));
  BoxGeom shrunk = make_box(16, 20, 20, 0, 0, 0);    // 20% compression along x
  EXPECT_FALSE(c.grid.thick_enough(shrunk, 2.5));
  BoxGeom slightly = make_box(19.5, 20, 20, 0, 0, 0);
  EXPECT_TRUE(c.grid.thick_enough(slightly, 2.5));
}

// A vanishing bin width (e.g. compute re/atom rmax 1e-300) asks for more bins than fit in an int: the
// layout caps them at max_bins (no float-to-int overflow) and stays exact; points with NaN or huge
// coordinates land in an edge bin; a huge query radius visits the whole grid.
TEST(SiteSearch, ExtremeWidthsAndCoordinatesStayBounded)
{
  for (double width : {1e-300, 1e-30, 4.9e-324}) {
    Case c;
    c.box = make_box(20, 18, 22, 3.0, -2.0, 1.0);
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(-0.2, 1.2);
    c.lam.resize(3 * 200);
    for (auto &v : c.lam) v = u(rng);
    double lo[3] = {-0.2, -0.2, -0.2}, hi[3] = {1.2, 1.2, 1.2};
    const long max_bins = 4096;
    c.grid.layout(c.box, lo, hi, width, 0.05, max_bins);
    const int *nb = c.grid.nbins();
    const double total = static_cast<double>(nb[0]) * nb[1] * nb[2];
    EXPECT_LE(total, max_bins) << "width " << width;
    EXPECT_GT(total, max_bins / 8) << "width " << width << ": the bins are capped, not collapsed";
    for (int d = 0; d < 3; ++d) EXPECT_GE(nb[d], 1);
    c.grid.assign_lamda(c.lam.data(), 200);
    c.grid.coords_from_lamda(c.box);
    check_against_brute_force(c, 8.0, 17);
  }
  {
    CellGrid g;
    const double lo[3] = {0, 0, 0}, hi[3] = {1, 1, 1};
    EXPECT_THROW(g.layout(make_box(10, 10, 10, 0, 0, 0), lo, hi, std::nan("")), reval::Error);
  }

  Case c;
  c.box = make_box(20, 20, 20, 0, 0, 0);
  build(c, 300, 2.5, 6);
  auto g = c.grid.view(c.box);
  const double inf = std::numeric_limits<double>::infinity();
  for (double v : {std::nan(""), inf, -inf, 1e300, -1e300}) {
    const double x[3] = {v, 5.0, -v};
    int b[3];
    grid_bin_of(g, x, b);
    for (int d = 0; d < 3; ++d) {
      EXPECT_GE(b[d], 0) << v;
      EXPECT_LT(b[d], c.grid.nbins()[d]) << v;
    }
  }
  int seen = 0;
  auto count = [&](int, double) { ++seen; };
  const double x[3] = {1.0, 2.0, 3.0};
  grid_visit_within(g, x, 1e300, count);
  EXPECT_EQ(seen, c.grid.npoints()) << "a radius beyond the box visits every point once";
  EXPECT_EQ(clamped_floor_index(std::nan(""), 5), 0);
  EXPECT_EQ(clamped_floor_index(-inf, 5), 0);
  EXPECT_EQ(clamped_floor_index(inf, 5), 4);
  EXPECT_EQ(clamped_floor_index(3e9, 5), 4);
  EXPECT_EQ(clamped_floor_index(2.7, 5), 2);
  EXPECT_EQ(clamped_floor_index(-0.5, 5), 0);
}

TEST(SiteRules, MigratingRule)
{
  NearestTwo n;
  n.s1 = 0;
  n.s2 = 1;
  const double nn = 2.35, nn_cut2 = (1.1 * nn) * (1.1 * nn), cap = 5.5;
  for (SitePairs pairs : {SitePairs::any, SitePairs::neighbours}) {
    n.d1 = 1.0;
    n.d2 = 1.4;    // near the midpoint of two neighbouring sites: both rules
    EXPECT_EQ(is_migrating(n, nn * nn, nn_cut2, 0.75, cap, pairs), 1);
    n.d2 = 1.8;    // d2 - d1 = 0.8 >= dre
    EXPECT_EQ(is_migrating(n, nn * nn, nn_cut2, 0.75, cap, pairs), 0);
    n.d2 = 1.75;    // exactly dre: not below
    EXPECT_EQ(is_migrating(n, nn * nn, nn_cut2, 0.75, cap, pairs), 0);
    n.d2 = 1.4;
    n.s2 = -1;
    EXPECT_EQ(is_migrating(n, nn * nn, nn_cut2, 0.75, cap, pairs), 0);
    n.s2 = 1;
    n.d1 = 5.2;
    n.d2 = cap;    // second site beyond the cap
    EXPECT_EQ(is_migrating(n, nn * nn, nn_cut2, 0.75, cap, pairs), 0);
  }
  // a tetrahedral interstitial site of diamond Si (a = 5.431): 2.35 Å from four sites that are second
  // neighbours of each other (a/sqrt2 = 3.84 Å apart), d2 - d1 ~ 0.1: migrating under the authors'
  // rule (any), not under the neighbour rule
  n.d1 = 2.30;
  n.d2 = 2.40;
  const double s12 = 5.431 * 5.431 / 2.0;
  EXPECT_EQ(is_migrating(n, s12, nn_cut2, 0.75, cap, SitePairs::any), 1);
  EXPECT_EQ(is_migrating(n, s12, nn_cut2, 0.75, cap, SitePairs::neighbours), 0);

  SitePairs p = SitePairs::neighbours;
  EXPECT_TRUE(parse_site_pairs("any", p));
  EXPECT_EQ(p, SitePairs::any);
  EXPECT_TRUE(parse_site_pairs("neighbours", p));
  EXPECT_EQ(p, SitePairs::neighbours);
  for (const char *bad : {"neighbors", "Any", "", "anyx", "neighbour"}) {
    p = SitePairs::any;
    EXPECT_FALSE(parse_site_pairs(bad, p)) << bad;
    EXPECT_EQ(p, SitePairs::any) << "a rejected word leaves the value unchanged";
  }
  EXPECT_FALSE(parse_site_pairs(nullptr, p));
}

// fix re/stats' hop rule follows `pairs`: an atom on a site (d1 <= rvac) whose two nearest sites are
// second neighbours with d2 - d1 < dre is migrating under any (home kept) and not under neighbours
// (home moves to the nearest site: a hop). rvac 2.4 so that an atom near a tetrahedral site is "on" a site.
TEST(SiteRules, HopRuleFollowsPairs)
{
  const double a = 5.431;
  // slots 0, 1: two sites 3.84 Å apart (second neighbours); slot 2: the atom's old home
  const double px[3] = {0.0, a / 2, 10.0}, py[3] = {0.0, a / 2, 10.0}, pz[3] = {0.0, 0.0, 10.0};
  auto gid_of = [](int slot) { return static_cast<double>(slot + 1); };
  NearestTwo n;
  n.s1 = 0;
  n.s2 = 1;
  n.d1 = 2.30;
  n.d2 = 2.40;
  for (SitePairs pairs : {SitePairs::any, SitePairs::neighbours}) {
    ReStatsSample p;
    p.layout.norigins = 1;
    p.rvac = 2.4;
    p.nn_cut2 = std::pow(1.1 * std::sqrt(3.0) / 4 * a, 2);
    p.dre = 0.75;
    p.cap = 5.5;
    p.pairs = pairs;
    std::vector<double> state(p.layout.size(), 0.0);
    state[p.layout.home()] = 3.0;    // home: slot 2
    state[p.layout.set()] = 1.0;
    double out[4] = {0, 0, 0, 0};
    const int hop = re_stats_hop(p, n, px, py, pz, gid_of, state.data(), out);
    if (pairs == SitePairs::any) {
      EXPECT_EQ(hop, 0) << "migrating under pairs any: no change of home";
      EXPECT_EQ(state[p.layout.home()], 3.0);
    } else {
      EXPECT_EQ(hop, 1) << "not migrating under pairs neighbours: the nearest site becomes home";
      EXPECT_EQ(state[p.layout.home()], 1.0);
      EXPECT_EQ(state[p.layout.hops()], 1.0);
    }
  }
}

// compute re/atom's point search against brute force: reval::PointGrid, the cell path (kernels::
// point_cell_of + gather_cell_points + re_atom_point_distances, as the device runs it), reval::
// PointQueries (the host code of compute re/atom and of re/atom/kk on the host: atoms sorted by cell,
// the candidates' minimum in vector lanes) and the few-points path (all_points): random points, an
// orthogonal and a strongly triclinic box, query positions inside, at and beyond the grid edges, points
// outside the region (clamped into edge bins), sparse and dense sets, the empty set, sets of up to
// kFewPoints and just above, the rmax cap (points just inside / outside rmax). Every path must give
// the brute-force bits (a minimum does not depend on its order; no FMA on either side).
namespace {
using reval::test::brute_nearest;

/// rv of query x through the portable cell path (the device's functor does this per team)
double cell_path(const PointGridView &v, const double x[3])
{
  const int c = point_cell_of(v.grid, x);
  const size_t cap = v.near[c] + kGatherPad;
  std::vector<double> buf(3 * cap, -1.0);
  PointCandidates pc;
  pc.x = buf.data();
  pc.y = buf.data() + cap;
  pc.z = buf.data() + 2 * cap;
  pc.n = gather_cell_points(v, c, buf.data(), buf.data() + cap, buf.data() + 2 * cap);
  EXPECT_LE(pc.n, v.near[c]);
  double rv, r;
  re_atom_point_distances(pc, pc, v.rmax, x, false, rv, r);
  EXPECT_EQ(rv, r);
  return rv;
}

void check_points(const BoxGeom &box, int npts, double rmax, unsigned seed)
{
  std::mt19937 rng(seed);
  // region of the grid: lamda [-0.1, 1.1); points and queries drawn from [-0.3, 1.3)
  std::uniform_real_distribution<double> u(-0.3, 1.3);
  const double lo[3] = {-0.1, -0.1, -0.1}, hi[3] = {1.1, 1.1, 1.1};
  std::vector<double> pts(3 * npts);
  for (int k = 0; k < npts; ++k) {
    const double l[3] = {u(rng), u(rng), u(rng)};
    lamda2x(box, l, &pts[3 * k]);
  }
  reval::PointGrid pg;
  pg.build(box, lo, hi, pts.data(), npts, rmax);
  const PointGridView v = pg.view();
  EXPECT_GE(v.grid.width, rmax * (1 - 1e-12)) << "bins at least rmax thick";
  EXPECT_EQ(pg.npoints(), npts);
  std::vector<double> qx;    // every query, for PointQueries
  int within = 0;
  auto check = [&](const double x[3]) {
    const double want = brute_nearest(pts, x, rmax);
    EXPECT_EQ(cell_path(v, x), want) << "x = " << x[0] << " " << x[1] << " " << x[2] << ", " << npts
                                     << " points, rmax " << rmax;
    PointGridView other = v;    // the gather of one group per row and of two (pg chose one by density)
    other.wide_rows = !v.wide_rows;
    EXPECT_EQ(cell_path(other, x), want) << "wide_rows " << other.wide_rows;
    if (npts <= 2 * kFewPoints) {    // all points as candidates: the few-points path (and beyond it)
      double rv, r;
      re_atom_point_distances(all_points(v), all_points(v), rmax, x, false, rv, r);
      EXPECT_EQ(rv, want);
    }
    qx.insert(qx.end(), x, x + 3);
    within += want < rmax;
  };
  for (int q = 0; q < 1500; ++q) {
    const double l[3] = {u(rng), u(rng), u(rng)};
    double x[3];
    lamda2x(box, l, x);
    check(x);
  }
  // queries at bin and grid edges, and at distance rmax -+ 1e-9 from a point (the cap is strict: <)
  for (int k = 0; k < std::min(npts, 40); ++k) {
    for (double r : {rmax - 1e-9, rmax + 1e-9, 0.0}) {
      const double x[3] = {pts[3 * k] + r, pts[3 * k + 1], pts[3 * k + 2]};
      check(x);
    }
  }
  for (double a : {-0.1, 1.1 - 1e-15, 0.5})
    for (double b : {-0.1, 1.1}) {
      const double l[3] = {a, b, 0.3}, m[3] = {b, 0.7, a};
      double x[3], y[3];
      lamda2x(box, l, x);
      lamda2x(box, m, y);
      check(x);
      check(y);
    }
  const int nq = static_cast<int>(qx.size() / 3);
  EXPECT_GT(nq, 1500);
  if (npts > 20) {
    EXPECT_GT(within, 0) << "some queries must have a point within rmax";
  }
  // PointQueries: the same grid as vacancies and as migrating atoms; every other query migrating (r = 0),
  // every third outside the group (untouched); the queries not collected have no point within reach
  std::vector<int> mask(nq);
  std::vector<double> mig(nq);
  for (int q = 0; q < nq; ++q) {
    mask[q] = q % 3 == 2 ? 0 : 1;
    mig[q] = q % 2 == 1 ? 1.0 : 0.0;
  }
  reval::PointQueries pq;
  pq.collect(v, v, nq, qx.data(), mask.data(), 1, mig.data());
  // the baseline lanes (SSE2 on x86-64) first, kept for the comparison below, then the widest
  pq.run(v, v, reval::HostLanes::baseline);
  const std::vector<double> base_rv(pq.rv(), pq.rv() + pq.nqueries()), base_r(pq.r(), pq.r() + pq.nqueries());
  pq.run(v, v);
  for (int t = 0; t < pq.nqueries(); ++t) {
    EXPECT_EQ(base_rv[t], pq.rv()[t]) << "baseline and widest lanes, query " << t;
    EXPECT_EQ(base_r[t], pq.r()[t]);
  }
  std::vector<int> seen(nq, 0);
  for (int k = 0; k < pq.ncells(); ++k)
    for (int t = pq.begin(k); t < pq.begin(k + 1); ++t) {
      const int i = pq.atoms()[t];
      ASSERT_TRUE(i >= 0 && i < nq);
      ++seen[i];
      EXPECT_EQ(point_cell_of(v.grid, &qx[3 * static_cast<size_t>(i)]), pq.cell(k)) << "sorted by cell";
      const double want = brute_nearest(pts, &qx[3 * static_cast<size_t>(i)], rmax);
      EXPECT_EQ(pq.rv()[t], want) << "query " << i << ", " << npts << " points";
      EXPECT_EQ(pq.r()[t], mig[i] > 0.5 ? 0.0 : want);
      EXPECT_EQ(pq.migrating()[t], mig[i] > 0.5 ? 1 : 0);
    }
  for (int i = 0; i < nq; ++i) {
    EXPECT_LE(seen[i], 1);
    if (mask[i] == 0) {
      EXPECT_EQ(seen[i], 0) << "outside the group";
    } else if (seen[i] == 0) {
      EXPECT_EQ(brute_nearest(pts, &qx[3 * static_cast<size_t>(i)], rmax), rmax) << "left out, yet a point within rmax";
    }
  }
  if (npts > 20) {
    EXPECT_GT(pq.nqueries(), 0);
  }
}
}    // namespace

TEST(PointSearch, NearestPointAgainstBruteForce)
{
  const BoxGeom boxes[2] = {make_box(30, 26, 22, 0, 0, 0), make_box(30, 26, 22, 11.0, -7.0, 9.0)};
  unsigned seed = 1;
  for (const BoxGeom &box : boxes)
    for (int npts : {0, 1, 2, kFewPoints, kFewPoints + 1, 7, 300, 4000, 20000})
      for (double rmax : {2.0, 5.5}) check_points(box, npts, rmax, seed++);
}

TEST(PointSearch, EmptySetAndCap)
{
  const BoxGeom box = make_box(20, 20, 20, 3.0, 0, 0);
  const double lo[3] = {0, 0, 0}, hi[3] = {1, 1, 1};
  reval::PointGrid pg;
  pg.build(box, lo, hi, nullptr, 0, 5.5);
  const double x[3] = {10, 10, 10};
  EXPECT_EQ(cell_path(pg.view(), x), 5.5) << "no point: rmax";
  for (int c : pg.near()) EXPECT_EQ(c, 0);
  EXPECT_EQ(pg.view().max_near, 0);
  // two points in one bin: near counts them in exactly the 27 bins around it
  const double p[6] = {10.2, 9.9, 10.1, 10.3, 9.8, 10.0};
  pg.build(box, lo, hi, p, 2, 5.5);
  const PointGridView v = pg.view();
  int b[3], b2[3];
  grid_bin_of(v.grid, p, b);
  grid_bin_of(v.grid, p + 3, b2);
  ASSERT_TRUE(b[0] == b2[0] && b[1] == b2[1] && b[2] == b2[2]);
  const int *nb = pg.grid().nbins();
  for (int iz = 0; iz < nb[2]; ++iz)
    for (int iy = 0; iy < nb[1]; ++iy)
      for (int ix = 0; ix < nb[0]; ++ix) {
        const int cheb = std::max(std::abs(ix - b[0]), std::max(std::abs(iy - b[1]), std::abs(iz - b[2])));
        EXPECT_EQ(pg.near()[(iz * nb[1] + iy) * nb[0] + ix], cheb <= 1 ? 2 : 0);
      }
  EXPECT_EQ(v.max_near, 2);
  // the padding past the points is far away
  ASSERT_EQ(pg.px().size(), static_cast<size_t>(2 + kGatherPad));
  for (int l = 0; l < kGatherPad; ++l) EXPECT_EQ(pg.px()[2 + l], kFarPoint);
  const double near[3] = {10.2 + 3.0, 9.9, 10.1}, far[3] = {10.3 + 5.6, 9.8, 10.0};
  EXPECT_DOUBLE_EQ(cell_path(v, near), std::sqrt(2.9 * 2.9 + 0.1 * 0.1 + 0.1 * 0.1));
  EXPECT_EQ(cell_path(v, far), 5.5);
  EXPECT_EQ(cell_path(v, p), 0.0);
  EXPECT_THROW(pg.build(box, lo, hi, p, 1, 0.0), reval::Error);
  // two grids of different layouts cannot be queried together
  reval::PointGrid other;
  other.build(box, lo, hi, p, 1, 3.0);
  reval::PointQueries pq;
  const int mask = 1;
  const double flag = 0.0;
  EXPECT_THROW(pq.collect(v, other.view(), 1, x, &mask, 1, &flag), reval::Error);
}
