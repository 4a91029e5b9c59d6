/// @file frame_cell.h
/// The cell of an extended XYZ frame as an Eigen matrix whose columns are the cell vectors a, b, c.
#pragma once

#include "core/extxyz.h"

#include <Eigen/Dense>

namespace reval {

inline Eigen::Matrix3d frame_cell(const XyzFrame &f)
{
  Eigen::Matrix3d c;
  for (int v = 0; v < 3; ++v)
    for (int d = 0; d < 3; ++d) c(d, v) = f.cell_vector(v, d);
  return c;
}

}    // namespace reval
