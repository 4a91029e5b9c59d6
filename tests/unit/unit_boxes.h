/// @file unit_boxes.h
/// Boxes for the unit tests: a kernels::BoxGeom as LAMMPS' Domain would describe it (upper-triangular H,
/// its inverse by the formulas of domain.cpp), for any tilts, lower corner and periodicity.
#pragma once

#include "kernels/point/box_math.hpp"

#include <array>

namespace reval::test {

/// Box of edge lengths lx, ly, lz and tilts xy, xz, yz, lower corner `lo`, periodic flags `periodic`.
inline kernels::BoxGeom make_box(double lx, double ly, double lz, double xy = 0, double xz = 0, double yz = 0,
                                 std::array<double, 3> lo = {-1.0, 2.0, 0.5}, std::array<int, 3> periodic = {1, 1, 1})
{
  kernels::BoxGeom b{};
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
  for (int d = 0; d < 3; ++d) {
    b.boxlo[d] = lo[d];
    b.periodic[d] = periodic[d];
  }
  return b;
}

}    // namespace reval::test
