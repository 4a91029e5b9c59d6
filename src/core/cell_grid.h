/// @file cell_grid.h
/// A binned point set in lamda (fractional) space: the host side of kernels::GridView.
/// Bins are laid out once over a lamda region; points are sorted into them (counting sort);
/// Cartesian coordinates are refreshed per step in bin order, so queries read contiguous memory.
#pragma once

#include "core/huge_pages.h"
#include "kernels/point/box_math.hpp"
#include "kernels/point/site_search.hpp"

#include <vector>

namespace reval {

class CellGrid {
 public:
  /// Lays out bins over lamda region [lo, hi) of box `b` so that every bin is at least
  /// width*(1+slack) Å thick (slack leaves room for later box deformation). `max_bins` caps the
  /// total number of bins (bins then get thicker, which stays exact, only slower).
  void layout(const kernels::BoxGeom &b, const double lo[3], const double hi[3], double width,
              double slack = 0.05, long max_bins = 1L << 24);

  /// True while every bin is still at least `width` Å thick in box `b` (the layout stays exact).
  bool thick_enough(const kernels::BoxGeom &b, double width) const;

  /// Sorts points given by lamda coordinates (n x 3, row-major) into the bins.
  void assign_lamda(const double *lam, int n);
  /// Sorts points given by Cartesian coordinates into the bins (x[i][0..2]) for box `b`.
  void assign_cartesian(const double *const *x, int n, const kernels::BoxGeom &b);

  /// Cartesian slot coordinates (for box `b`) of points given by lamda (assign_lamda).
  void coords_from_lamda(const kernels::BoxGeom &b);
  /// Cartesian slot coordinates copied from x[i][0..2].
  void coords_from_cartesian(const double *const *x);

  /// The view for kernels, with the Cartesian bin thickness of box `b`.
  kernels::GridView view(const kernels::BoxGeom &b) const;

  /// slot -> point index
  const HugeVector<int> &order() const { return m_order; }
  const HugeVector<int> &bin_start() const { return m_bin_start; }
  int npoints() const { return static_cast<int>(m_order.size()); }
  const int *nbins() const { return m_nb; }
  /// Cartesian thickness (Å) of one bin in box `b` (min over dimensions).
  double width(const kernels::BoxGeom &b) const;

  HugeVector<double> &px() { return m_px; }
  HugeVector<double> &py() { return m_py; }
  HugeVector<double> &pz() { return m_pz; }
  const HugeVector<double> &px() const { return m_px; }
  const HugeVector<double> &py() const { return m_py; }
  const HugeVector<double> &pz() const { return m_pz; }

 private:
  int bin_of_lamda(const double l[3]) const;
  void finish_assign();    // sorts by m_bins

  int m_nb[3] = {1, 1, 1};
  double m_lo[3] = {0, 0, 0}, m_bs[3] = {1, 1, 1}, m_inv_bs[3] = {1, 1, 1};
  HugeVector<int> m_bin_start{0, 0}, m_order;
  HugeVector<double> m_px, m_py, m_pz;
  HugeVector<double> m_lam;    // lamda in slot order (assign_lamda)
  std::vector<int> m_bins, m_fill;    // scratch of the assign calls (kept: no allocation per step)
};

}    // namespace reval
