// Exactness of the binned nearest-two search and range queries against brute force, in orthogonal
// and strongly triclinic boxes; the migrating-atom rule.
#include "core/cell_grid.h"
#include "kernels/point/site_search.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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
