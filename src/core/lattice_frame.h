/// @file lattice_frame.h
/// Lattice coordinates <-> current box coordinates for a lattice captured in one box and followed
/// through the box's deformation (the sites of compute vacancy/sites keep their lamda coordinates, so
/// the lattice moves with the box). Used by fix re/stats to place interstitial templates.
#pragma once

#include "core/static_sites.h"
#include "kernels/point/box_math.hpp"

#include <functional>

namespace reval {

/// Maps between lattice coordinates and current box coordinates (the sites follow box deformation).
struct LatticeFrame {
  std::function<void(const double *u, double *x)> to_box;
  std::function<void(const double *x, double *u)> to_lattice;
};

/// The frame of lattice `lat` (origin p0 and edge vectors a in box coordinates of the box `b0` it was
/// captured in) in the box `box`: x = M u + s with M = H H0^-1 A and s = H H0^-1 (p0 - lo0) + lo, where
/// A holds the edge vectors as columns, H0 / H are the edge matrices of b0 / box (upper triangular:
/// xprd xy xz / yprd yz / zprd) and lo0 / lo their lower corners; to_lattice is the inverse map.
/// With box == b0 this is x = A u + p0.
LatticeFrame lattice_frame(const LatticeMap &lat, const kernels::BoxGeom &b0, const kernels::BoxGeom &box);

}    // namespace reval
