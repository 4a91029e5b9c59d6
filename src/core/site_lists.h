/// @file site_lists.h
/// Neighbour lists of static sites (host side of kernels::SiteListsView): for every site of a
/// CellGrid, the sites within a radius, with a completeness flag for sites so close to the edge of the
/// local site region that neighbours beyond it are not known on this rank.
#pragma once

#include "core/cell_grid.h"
#include "kernels/point/site_search.hpp"

#include <vector>

namespace reval {

class SiteLists {
 public:
  /// Builds the lists over the slots of `grid` (coordinates current for box `b`). Sites whose lamda
  /// lies within `radius` (Cartesian) of the region [lo, hi) boundary get complete = 0.
  void build(const CellGrid &grid, const double *lam, const kernels::BoxGeom &b, const double lo[3],
             const double hi[3], double radius);

  /// Radius (Å) for which the lists are still complete in box `now`: the build radius shrunk by the
  /// largest stretch of any separation since the build box (Frobenius bound of H_build H_now^-1).
  double radius_now(const kernels::BoxGeom &now) const;

  kernels::SiteListsView view(const kernels::BoxGeom &now) const;
  double build_radius() const { return m_radius; }
  bool built() const { return !m_start.empty(); }
  size_t memory_bytes() const { return m_start.size() * sizeof(int) + m_list.size() * sizeof(int) + m_complete.size(); }

 private:
  double m_radius = 0.0;
  kernels::BoxGeom m_box{};
  HugeVector<int> m_start, m_list;
  HugeVector<unsigned char> m_complete;
};

}    // namespace reval
