/// @file box_math.hpp
/// Point kernels for periodic (possibly triclinic) LAMMPS boxes in fractional ("lamda") coordinates.
///
/// LAMMPS' box matrix is upper triangular, stored as h = (xprd, yprd, zprd, yz, xz, xy) with the
/// inverse h_inv in the same layout:  x = H lamda + boxlo,  lamda = H^-1 (x - boxlo).
/// A lamda coordinate in [0,1) is inside the box along that dimension.
#pragma once

#include "kernels/point/reval_function.hpp"

#include <cmath>

namespace reval::kernels {

/// Box geometry, a plain struct (copied into device kernels by value).
struct BoxGeom {
  double h[6];        ///< xprd, yprd, zprd, yz, xz, xy (Å)
  double h_inv[6];    ///< inverse in the same layout (1/Å)
  double boxlo[3];    ///< lower corner (Å)
  int periodic[3];    ///< 1 if periodic along x, y, z
};

REVAL_FUNCTION void lamda2x(const BoxGeom &b, const double lam[3], double x[3])
{
  x[0] = b.h[0] * lam[0] + b.h[5] * lam[1] + b.h[4] * lam[2] + b.boxlo[0];
  x[1] = b.h[1] * lam[1] + b.h[3] * lam[2] + b.boxlo[1];
  x[2] = b.h[2] * lam[2] + b.boxlo[2];
}

REVAL_FUNCTION void x2lamda(const BoxGeom &b, const double x[3], double lam[3])
{
  const double d0 = x[0] - b.boxlo[0], d1 = x[1] - b.boxlo[1], d2 = x[2] - b.boxlo[2];
  lam[0] = b.h_inv[0] * d0 + b.h_inv[5] * d1 + b.h_inv[4] * d2;
  lam[1] = b.h_inv[1] * d1 + b.h_inv[3] * d2;
  lam[2] = b.h_inv[2] * d2;
}

/// Euclidean norm of row `d` of H^-1. A Cartesian sphere of radius r spans at most r * this in
/// lamda_d, so a lamda slab of width w_d has Cartesian thickness w_d / lamda_per_length(d).
REVAL_FUNCTION double lamda_per_length(const BoxGeom &b, int d)
{
  if (d == 0) return sqrt(b.h_inv[0] * b.h_inv[0] + b.h_inv[5] * b.h_inv[5] + b.h_inv[4] * b.h_inv[4]);
  if (d == 1) return sqrt(b.h_inv[1] * b.h_inv[1] + b.h_inv[3] * b.h_inv[3]);
  return fabs(b.h_inv[2]);
}

REVAL_FUNCTION double dist2(const double a[3], const double b[3])
{
  const double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
  return dx * dx + dy * dy + dz * dz;
}

/// floor(v) as an index clamped into [0, n-1]. The clamping happens in floating point, before the
/// conversion, so that NaN, infinities and values beyond the int range never reach the cast; between
/// 0 and n - 1 the truncating cast is floor (no call of floor: x86-64 without SSE4.1 has no rounding
/// instruction, and this is every bin lookup of every search).
REVAL_FUNCTION int clamped_floor_index(double v, int n)
{
  if (!(v > 0.0)) return 0;    // also NaN; floor(v) <= 0 below 1 as well, and the cast gives 0 there
  return v < static_cast<double>(n - 1) ? static_cast<int>(v) : n - 1;
}

/// Wraps a periodic lamda coordinate into [0,1) (non-periodic ones are left alone).
REVAL_FUNCTION double wrap_unit(double l)
{
  l -= floor(l);
  return l >= 1.0 ? 0.0 : l;
}

}    // namespace reval::kernels
