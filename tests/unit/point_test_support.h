/// @file point_test_support.h
/// Brute force for the tests of compute re/atom's point search (unit and kokkos tiers).
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

namespace reval::test {

/// Distance from x to the nearest of the points pts (x y z each), capped at rmax: every point measured,
/// with the kernels' arithmetic ((dx dx + dy dy) + dz dz, strict < against rmax^2), so the bits must agree.
inline double brute_nearest(const std::vector<double> &pts, const double *x, double rmax)
{
  double best = rmax * rmax;
  for (std::size_t k = 0; k + 2 < pts.size(); k += 3) {
    const double dx = pts[k] - x[0], dy = pts[k + 1] - x[1], dz = pts[k + 2] - x[2];
    const double r2 = dx * dx + dy * dy + dz * dz;
    if (r2 < best) best = r2;
  }
  return best < rmax * rmax ? std::sqrt(best) : rmax;
}

}    // namespace reval::test
