// Exactness of the binned nearest-two search and range queries against brute force, in orthogonal
// and strongly triclinic boxes; the migrating-atom rule.
#include "core/cell_grid.h"
#include "kernels/point/site_search.hpp"

#include <gtest/gtest.h>

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using reval::CellGrid;
using namespace reval::kernels;

namespace {

BoxGeom make_box(double lx, double ly, double lz, double xy, double xz, double yz)
{
  BoxGeom b{};
  b.h[0] = lx;
  b.h[1] = ly;
  b.h[2] = lz;
  b.h[3] = yz;
  b.h[4] = xz;
  b.h[5] = xy;
  b.h_inv[0] = 1.0 / lx;
  b.h_inv[1] = 1.0 / ly;
  b.h_inv[2] = 1.0 / lz;
  b.h_inv[3] = -yz / (ly * lz);
  b.h_inv[4] = (yz * xy - ly * xz) / (lx * ly * lz);
  b.h_inv[5] = -xy / (lx * ly);
  b.boxlo[0] = -1.0;
  b.boxlo[1] = 2.0;
  b.boxlo[2] = 0.5;
  b.periodic[0] = b.periodic[1] = b.periodic[2] = 1;
  return b;
}

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
  n.d1 = 1.0;
  n.d2 = 1.4;    // near the midpoint of two neighbouring sites
  EXPECT_EQ(is_migrating(n, nn * nn, nn_cut2, 0.75, cap), 1);
  n.d2 = 1.8;    // d2 - d1 = 0.8 >= dre
  EXPECT_EQ(is_migrating(n, nn * nn, nn_cut2, 0.75, cap), 0);
  n.d2 = 1.4;    // the two sites are second neighbours: not a hop between neighbouring sites
  EXPECT_EQ(is_migrating(n, 3.84 * 3.84, nn_cut2, 0.75, cap), 0);
  n.s2 = -1;
  EXPECT_EQ(is_migrating(n, nn * nn, nn_cut2, 0.75, cap), 0);
  n.s2 = 1;
  n.d1 = 5.2;
  n.d2 = cap;    // second site beyond the cap
  EXPECT_EQ(is_migrating(n, nn * nn, nn_cut2, 0.75, cap), 0);
}
