// The lattice frame of fix re/stats (core/lattice_frame.h): lattice coordinates <-> box coordinates in
// the capture box (x = A u + p0) and after the box deformed (the lattice keeps its lamda coordinates),
// checked against the box_math lamda maps; round trips.
#include "core/lattice_frame.h"
#include "unit_boxes.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace reval;

namespace {

// a triclinic box: edge lengths, tilts (xy, xz, yz), lower corner (lo, lo + 1, lo + 2)
kernels::BoxGeom triclinic(double lx, double ly, double lz, double xy, double xz, double yz, double lo)
{
  return test::make_box(lx, ly, lz, xy, xz, yz, {lo, lo + 1, lo + 2});
}

// a non-orthogonal lattice (rotated, sheared cell) with its origin inside the box
LatticeMap skew_lattice()
{
  LatticeMap m;
  const double a[3][3] = {{5.0, 0.3, -0.2}, {0.4, 4.5, 0.1}, {-0.3, 0.2, 5.5}};
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) m.a[c][r] = a[c][r];
  m.p0[0] = 1.25;
  m.p0[1] = -0.5;
  m.p0[2] = 2.0;
  m.basis = {{0, 0, 0}, {0.5, 0.5, 0.5}};
  return m;
}

const double kU[4][3] = {{0, 0, 0}, {1, 0, 0}, {0.25, -1.5, 2.0}, {-3.0, 2.5, 0.75}};

}    // namespace

TEST(LatticeFrame, InTheCaptureBoxItIsTheLattice)
{
  const LatticeMap lat = skew_lattice();
  const auto b = triclinic(20.0, 18.0, 22.0, 1.5, -2.0, 0.75, -3.0);
  const LatticeFrame f = lattice_frame(lat, b, b);
  for (const auto &u : kU) {
    double x[3], back[3];
    f.to_box(u, x);
    for (int r = 0; r < 3; ++r) {
      const double expect = lat.p0[r] + lat.a[0][r] * u[0] + lat.a[1][r] * u[1] + lat.a[2][r] * u[2];
      EXPECT_NEAR(x[r], expect, 1e-12) << "x = A u + p0, component " << r;
    }
    f.to_lattice(x, back);
    for (int d = 0; d < 3; ++d) EXPECT_NEAR(back[d], u[d], 1e-12) << "round trip";
  }
}

TEST(LatticeFrame, FollowsTheBoxDeformation)
{
  // the lattice point keeps its lamda coordinates when the box is strained, sheared and shifted
  const LatticeMap lat = skew_lattice();
  const auto b0 = triclinic(20.0, 18.0, 22.0, 1.5, -2.0, 0.75, -3.0);
  const auto b1 = triclinic(21.0, 17.5, 23.0, -0.5, 1.0, 2.25, -4.5);
  const LatticeFrame f0 = lattice_frame(lat, b0, b0), f1 = lattice_frame(lat, b0, b1);
  for (const auto &u : kU) {
    double x0[3], x1[3], lam[3], expect[3], back[3];
    f0.to_box(u, x0);
    kernels::x2lamda(b0, x0, lam);
    kernels::lamda2x(b1, lam, expect);
    f1.to_box(u, x1);
    for (int d = 0; d < 3; ++d) EXPECT_NEAR(x1[d], expect[d], 1e-11) << "component " << d;
    f1.to_lattice(x1, back);
    for (int d = 0; d < 3; ++d) EXPECT_NEAR(back[d], u[d], 1e-12) << "round trip";
  }
  // a lattice edge in the deformed box is H1 H0^-1 a (a difference of two points)
  double o[3], e[3];
  const double zero[3] = {0, 0, 0}, one[3] = {0, 1, 0};
  f1.to_box(zero, o);
  f1.to_box(one, e);
  double lam_edge[3];
  const double a1[3] = {lat.a[1][0] + b0.boxlo[0], lat.a[1][1] + b0.boxlo[1], lat.a[1][2] + b0.boxlo[2]};
  kernels::x2lamda(b0, a1, lam_edge);
  double expect[3];
  kernels::lamda2x(b1, lam_edge, expect);
  for (int d = 0; d < 3; ++d) EXPECT_NEAR(e[d] - o[d], expect[d] - b1.boxlo[d], 1e-11);
}
