/// @file point_grid.h
/// Host side of kernels::PointGridView: a few to many points (vacancies, migrating atoms) binned for
/// nearest-point queries capped at rmax (kernels::nearest_point_distance), used by compute re/atom
/// (host loop) and compute re/atom/kk (device copies of the same arrays).
#pragma once

#include "core/cell_grid.h"
#include "kernels/point/box_math.hpp"
#include "kernels/point/site_search.hpp"

#include <vector>

namespace reval {

class PointGrid {
 public:
  /// Bins the n points xyz (x y z per point, Cartesian, box b) over lamda region [lo, hi) for queries
  /// capped at rmax. Points outside the region are kept (clamped into the edge bins): the queries stay
  /// exact for every position. The bin width is rmax / k, k = 1 except for very dense point sets
  /// (k = 2, 3: thinner bins, so a query stops at its nearest point sooner); then the reach flags are
  /// set (a bin is flagged when a point lies within kmax bins of it).
  void build(const kernels::BoxGeom &b, const double lo[3], const double hi[3], const double *xyz, int n,
             double rmax);

  /// The view for kernels (host pointers), valid until the next build().
  kernels::PointGridView view() const { return m_view; }

  const CellGrid &grid() const { return m_grid; }
  const HugeVector<int> &bin_start() const { return m_grid.bin_start(); }
  HugeVector<double> &px() { return m_grid.px(); }
  HugeVector<double> &py() { return m_grid.py(); }
  HugeVector<double> &pz() { return m_grid.pz(); }
  const HugeVector<unsigned char> &reach() const { return m_reach; }
  int npoints() const { return m_grid.npoints(); }
  double memory_usage() const;

 private:
  void set_reach(int kmax);

  CellGrid m_grid;
  HugeVector<unsigned char> m_reach;
  std::vector<int> m_line;    // scratch of set_reach
  kernels::PointGridView m_view;
};

}    // namespace reval
