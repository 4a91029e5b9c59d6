#include "core/lattice_frame.h"

#include <Eigen/Dense>

namespace reval {

namespace {

Eigen::Matrix3d edge_matrix(const kernels::BoxGeom &b)
{
  Eigen::Matrix3d H;
  H << b.h[0], b.h[5], b.h[4], 0, b.h[1], b.h[3], 0, 0, b.h[2];
  return H;
}

Eigen::Vector3d lower_corner(const kernels::BoxGeom &b)
{
  return Eigen::Vector3d(b.boxlo[0], b.boxlo[1], b.boxlo[2]);
}

}    // namespace

LatticeFrame lattice_frame(const LatticeMap &lat, const kernels::BoxGeom &b0, const kernels::BoxGeom &box)
{
  Eigen::Matrix3d A;
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) A(r, c) = lat.a[c][r];
  const Eigen::Matrix3d H0 = edge_matrix(b0), H = edge_matrix(box);
  const Eigen::Matrix3d M = H * H0.inverse() * A, Minv = M.inverse();
  const Eigen::Vector3d p0(lat.p0[0], lat.p0[1], lat.p0[2]);
  const Eigen::Vector3d shift = H * H0.inverse() * (p0 - lower_corner(b0)) + lower_corner(box);
  return LatticeFrame{[M, shift](const double *u, double *xo) {
                        const Eigen::Vector3d v = M * Eigen::Vector3d(u[0], u[1], u[2]) + shift;
                        for (int d = 0; d < 3; ++d) xo[d] = v[d];
                      },
                      [Minv, shift](const double *xi, double *u) {
                        const Eigen::Vector3d v = Minv * (Eigen::Vector3d(xi[0], xi[1], xi[2]) - shift);
                        for (int d = 0; d < 3; ++d) u[d] = v[d];
                      }};
}

}    // namespace reval
