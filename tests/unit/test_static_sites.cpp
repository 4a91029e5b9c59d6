// Lattice-site enumeration (create_atoms box order and boundary rule), site files, ghost targets.
#include "core/error.h"
#include "core/static_sites.h"
#include "unit_boxes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

using namespace reval;
using kernels::BoxGeom;

namespace {

BoxGeom ortho(double lx, double ly, double lz)
{
  BoxGeom b{};
  b.h[0] = lx;
  b.h[1] = ly;
  b.h[2] = lz;
  b.h_inv[0] = 1 / lx;
  b.h_inv[1] = 1 / ly;
  b.h_inv[2] = 1 / lz;
  b.periodic[0] = b.periodic[1] = b.periodic[2] = 1;
  return b;
}

LatticeMap cubic(double a, std::vector<std::array<double, 3>> basis)
{
  LatticeMap m;
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) m.a[c][r] = (c == r) ? a : 0.0;
  m.basis = std::move(basis);
  return m;
}

const std::vector<std::array<double, 3>> kDiamond = {{0, 0, 0},       {0, 0.5, 0.5},    {0.5, 0, 0.5},
                                                      {0.5, 0.5, 0},   {0.25, 0.25, 0.25}, {0.25, 0.75, 0.75},
                                                      {0.75, 0.25, 0.75}, {0.75, 0.75, 0.25}};

}    // namespace

TEST(LatticeSites, CountsFillTheBox)
{
  const double a = 5.431;
  int64_t n = enumerate_lattice_sites(ortho(3 * a, 3 * a, 3 * a), cubic(a, kDiamond), [](int64_t, const double *) {});
  EXPECT_EQ(n, 8 * 27);
  n = enumerate_lattice_sites(ortho(4 * a, 2 * a, 3 * a), cubic(a, {{0, 0, 0}, {0.5, 0.5, 0.5}}),
                              [](int64_t, const double *) {});
  EXPECT_EQ(n, 2 * 24);
}

TEST(LatticeSites, CreateAtomsOrderAndUniqueness)
{
  const double a = 4.0;
  std::vector<std::array<double, 3>> fcc = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  std::vector<std::tuple<double, double, double>> seen;
  int64_t last = 0;
  enumerate_lattice_sites(ortho(2 * a, 2 * a, 2 * a), cubic(a, fcc), [&](int64_t i, const double *l) {
    EXPECT_EQ(i, last + 1);
    last = i;
    for (int d = 0; d < 3; ++d) {
      EXPECT_GE(l[d], 0.0);
      EXPECT_LT(l[d], 1.0);
    }
    seen.emplace_back(std::round(l[0] * 8), std::round(l[1] * 8), std::round(l[2] * 8));
  });
  ASSERT_EQ(seen.size(), 32u);
  // loop order k (z) outermost, then j, i, basis: first site at the origin, z of the first 8 is 0 or 1/4 cell
  EXPECT_EQ(seen[0], std::make_tuple(0.0, 0.0, 0.0));
  EXPECT_EQ(seen[1], std::make_tuple(2.0, 2.0, 0.0));
  std::set<std::tuple<double, double, double>> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), 32u);
}

TEST(LatticeSites, TriclinicBoxMatchesCellCount)
{
  // a hexagonal-prism-like triclinic box spanned by lattice vectors: exactly nx*ny*nz*nbasis sites
  const double a = 3.0;
  LatticeMap m;
  double a1[3] = {a, 0, 0}, a2[3] = {0.5 * a, std::sqrt(3.0) / 2 * a, 0}, a3[3] = {0, 0, 1.6 * a};
  for (int r = 0; r < 3; ++r) {
    m.a[0][r] = a1[r];
    m.a[1][r] = a2[r];
    m.a[2][r] = a3[r];
  }
  m.basis = {{0, 0, 0}, {1.0 / 3, 1.0 / 3, 0.5}};
  BoxGeom b{};
  const int nx = 4, ny = 3, nz = 2;
  b.h[0] = nx * a1[0];
  b.h[1] = ny * a2[1];
  b.h[2] = nz * a3[2];
  b.h[5] = ny * a2[0];    // xy tilt
  b.h_inv[0] = 1 / b.h[0];
  b.h_inv[1] = 1 / b.h[1];
  b.h_inv[2] = 1 / b.h[2];
  b.h_inv[5] = -b.h[5] / (b.h[0] * b.h[1]);
  b.periodic[0] = b.periodic[1] = b.periodic[2] = 1;
  EXPECT_EQ(enumerate_lattice_sites(b, m, [](int64_t, const double *) {}), nx * ny * nz * 2);
}

TEST(LatticeSites, NonPeriodicUpperFaceExcluded)
{
  BoxGeom b = ortho(4.0, 4.0, 4.0);
  b.periodic[2] = 0;
  // simple cubic with spacing 1: planes z = 0,1,2,3 inside, z = 4 on the upper face is outside
  EXPECT_EQ(enumerate_lattice_sites(b, cubic(1.0, {{0, 0, 0}}), [](int64_t, const double *) {}), 64);
}

TEST(SiteFile, ParsesCommentsAndBlankLines)
{
  std::istringstream in("# sites\n0 0 0\n\n  1.5 2.5 -3e-1   # trailing comment\n");
  auto s = read_site_file(in, "f");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_DOUBLE_EQ(s[1][2], -0.3);
}

TEST(SiteFile, Errors)
{
  auto err = [](const std::string &text) {
    std::istringstream in(text);
    try {
      read_site_file(in, "sites.txt");
    } catch (Error &e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(err("").find("contains no sites"), std::string::npos);
  EXPECT_NE(err("# only comments\n\n").find("contains no sites"), std::string::npos);
  EXPECT_NE(err("0 0 0\n1 2\n").find("line 2: expected 'x y z', found 2 values"), std::string::npos);
  EXPECT_NE(err("0 0 0 0\n").find("found 4 values"), std::string::npos);
  EXPECT_NE(err("0 0 zero\n").find("line 1: 'zero' is not a finite number"), std::string::npos);
  EXPECT_NE(err("0 nan 0\n").find("'nan' is not a finite number"), std::string::npos);
  EXPECT_NE(err("0 1.5x 0\n").find("'1.5x'"), std::string::npos);
}

TEST(SiteFile, InBoxAndWrap)
{
  BoxGeom b = ortho(10, 10, 10);
  double l[3];
  double inside[3] = {1, 2, 3};
  EXPECT_TRUE(site_lamda_in_box(b, inside, l));
  double face[3] = {10.0 + 1e-9, 5, 5};    // on the periodic upper face: wrapped to 0
  EXPECT_TRUE(site_lamda_in_box(b, face, l));
  EXPECT_NEAR(l[0], 0.0, 1e-8);
  double outside[3] = {10.5, 5, 5};
  EXPECT_FALSE(site_lamda_in_box(b, outside, l));
  b.periodic[1] = 0;
  double below[3] = {5, -1e-9, 5};
  EXPECT_FALSE(site_lamda_in_box(b, below, l));
}

TEST(GhostTargets, PeriodicImagesAndNeighbours)
{
  // two ranks split along x; margin 0.1 (lamda)
  std::vector<ProcBox> boxes = {{{0, 0, 0}, {0.5, 1, 1}}, {{0.5, 0, 0}, {1, 1, 1}}};
  const double m[3] = {0.1, 0.1, 0.1};
  const int per[3] = {1, 1, 1};
  std::vector<GhostTarget> out;
  double deep[3] = {0.25, 0.5, 0.5};
  ghost_targets(deep, boxes[0], boxes, m, per, 0, out);
  EXPECT_TRUE(out.empty());
  double nearx[3] = {0.45, 0.5, 0.5};    // close to rank 1's box
  ghost_targets(nearx, boxes[0], boxes, m, per, 0, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].proc, 1);
  EXPECT_EQ(out[0].shift[0], 0);
  out.clear();
  double corner[3] = {0.02, 0.02, 0.5};    // x image goes to rank 1, y image to rank 0, xy image to rank 1
  ghost_targets(corner, boxes[0], boxes, m, per, 0, out);
  std::set<std::tuple<int, int, int>> got;
  for (auto &t : out) got.insert({t.proc, t.shift[0], t.shift[1]});
  EXPECT_EQ(got, (std::set<std::tuple<int, int, int>>{{1, 1, 0}, {0, 0, 1}, {1, 1, 1}}));
  out.clear();
  const int nonper[3] = {0, 1, 1};
  ghost_targets(corner, boxes[0], boxes, m, nonper, 0, out);
  for (auto &t : out) EXPECT_EQ(t.shift[0], 0);
}

TEST(BoxFlip, DetectsFlipsAndKeepsPhysicalPositions)
{
  auto make = [](double lx, double ly, double lz, double xy, double xz, double yz) {
    return reval::test::make_box(lx, ly, lz, xy, xz, yz, {0.0, 0.0, 0.0});
  };
  BoxGeom before = make(10, 12, 14, 5.2, 0.3, -6.5);
  BoxGeom same = make(10.1, 12, 14, 5.4, 0.2, -6.4);    // continuous deformation only
  EXPECT_EQ(box_flip(before, same), (std::array<int, 3>{0, 0, 0}));
  // LAMMPS flips: xy -> xy - xprd; yz -> yz + yprd (which also shifts xz by xy)
  BoxGeom after = make(10, 12, 14, 5.2 - 10, 0.3 + 5.2 - 10, -6.5 + 12);
  auto m = box_flip(before, after);
  EXPECT_NE(m, (std::array<int, 3>{0, 0, 0}));
  // every lattice point keeps its physical position (modulo the periodic cell)
  double lam[3] = {0.3, 0.7, 0.9}, x0[3], x1[3];
  kernels::lamda2x(before, lam, x0);
  apply_box_flip(m, before.periodic, lam);
  for (int d = 0; d < 3; ++d) {
    EXPECT_GE(lam[d], 0.0);
    EXPECT_LT(lam[d], 1.0);
  }
  kernels::lamda2x(after, lam, x1);
  // difference must be a lattice vector of the (new) periodic cell: its lamda is integral
  double dx[3] = {x1[0] - x0[0] + after.boxlo[0], x1[1] - x0[1] + after.boxlo[1], x1[2] - x0[2] + after.boxlo[2]}, dl[3];
  kernels::x2lamda(after, dx, dl);
  for (int d = 0; d < 3; ++d) EXPECT_NEAR(dl[d], std::round(dl[d]), 1e-12);
}
