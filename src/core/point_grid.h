/// @file point_grid.h
/// Host side of kernels::PointGridView: a few to many points (vacancies, migrating atoms) binned for
/// nearest-point queries capped at rmax, and PointQueries: the query atoms sorted by cell, with the
/// per-cell search (point_cell_distances) that compute re/atom and the host path of compute
/// re/atom/kk run. compute re/atom/kk's device path uses device copies of the same arrays.
#pragma once

#include "core/cell_grid.h"
#include "kernels/point/box_math.hpp"
#include "kernels/point/site_search.hpp"

#include <vector>

namespace reval {

class PointGrid {
 public:
  /// Bins the n points xyz (x y z per point, Cartesian, box b) over lamda region [lo, hi) into bins at
  /// least rmax thick (a cell = the 27 bins around a bin holds every point within rmax of a position in
  /// its bin). Points outside the region are kept (clamped into the edge bins): the queries stay exact
  /// for every position. Two grids built with the same b, lo, hi and rmax have the same layout (the
  /// same cells). Sets the counts near[] of every cell.
  void build(const kernels::BoxGeom &b, const double lo[3], const double hi[3], const double *xyz, int n,
             double rmax);

  /// The view for kernels (host pointers), valid until the next build().
  kernels::PointGridView view() const { return m_view; }

  const CellGrid &grid() const { return m_grid; }
  const HugeVector<int> &bin_start() const { return m_grid.bin_start(); }
  /// Slot coordinates, padded with kernels::kGatherPad entries of kernels::kFarPoint.
  const HugeVector<double> &px() const { return m_grid.px(); }
  const HugeVector<double> &py() const { return m_grid.py(); }
  const HugeVector<double> &pz() const { return m_grid.pz(); }
  const HugeVector<int> &near() const { return m_near; }
  int npoints() const { return m_grid.npoints(); }
  double memory_usage() const;

 private:
  void set_near();

  CellGrid m_grid;
  HugeVector<int> m_near;
  std::vector<int> m_line;             // scratch of set_near
  std::vector<const double *> m_ptr;   // scratch of build
  kernels::PointGridView m_view;
};

/// The host's vector lanes for point_cell_distances: the widest the CPU has (AVX2 on x86-64 where
/// available), or the baseline ones (SSE2 on x86-64; for the tests of both).
enum class HostLanes { best, baseline };

/// compute re/atom's second pass on the host: the query atoms (group atoms with a point within reach)
/// sorted by cell, so that the candidate points of a cell are gathered once for all its atoms.
class PointQueries {
 public:
  /// Collects the atoms i < n (positions x, 3 per atom; in the group when mask[i] & groupbit) whose
  /// cell has a vacancy or a migrating atom within reach (vac.near or mig.near > 0), counting-sorted by
  /// cell; migrating[i] > 0.5 marks migrating atoms. vac and mig must have the same layout.
  void collect(const kernels::PointGridView &vac, const kernels::PointGridView &mig, int n, const double *x,
               const int *mask, int groupbit, const double *migrating);
  int ncells() const { return static_cast<int>(m_cells.size()); }
  int cell(int k) const { return m_cells[k]; }
  /// Queries of cell k: [begin(k), begin(k + 1)).
  int begin(int k) const { return m_begin[k]; }
  int nqueries() const { return static_cast<int>(m_atom.size()); }
  /// Atom index and migrating flag of each query, in cell order; the positions given to collect().
  const int *atoms() const { return m_atom.data(); }
  const double *positions() const { return m_x; }
  const unsigned char *migrating() const { return m_mig.data(); }
  /// Results of run(): distance to the nearest vacancy / migrating atom of each query (capped at rmax).
  double *rv() { return m_rv.data(); }
  double *r() { return m_r.data(); }
  /// Doubles of scratch one thread needs for point_cell_distances with these grids.
  static size_t scratch_size(const kernels::PointGridView &vac, const kernels::PointGridView &mig);
  /// point_cell_distances for every cell, one thread (compute re/atom).
  void run(const kernels::PointGridView &vac, const kernels::PointGridView &mig, HostLanes lanes = HostLanes::best);
  double memory_usage() const;

 private:
  HugeVector<int> m_count;     // per cell of the layout, then the fill offsets
  HugeVector<int> m_cell_of;   // per atom: its cell, -1 if not a query
  std::vector<int> m_cells, m_begin;
  HugeVector<int> m_atom;
  HugeVector<double> m_rv, m_r, m_scratch;
  const double *m_x = nullptr;    // positions of the atoms (collect)
  HugeVector<unsigned char> m_mig;
};

/// The queries [q0, q1) of one cell (query q: the atom atom[q] at x + 3 * atom[q], migrating if
/// migrating[q]; the arrays of PointQueries): the candidates of both grids gathered once
/// (kernels::cell_candidates into `scratch`, PointQueries::scratch_size doubles), then
/// kernels::re_atom_point_distances per query, into rv[q], r[q]. On x86-64 the candidates' minimum runs
/// in AVX2 lanes where the CPU has them, else in SSE2 lanes (the same bits as the portable kernel).
void point_cell_distances(const kernels::PointGridView &vac, const kernels::PointGridView &mig, int cell, int q0,
                          int q1, const double *x, const int *atom, const unsigned char *migrating, double *rv,
                          double *r, double *scratch, HostLanes lanes = HostLanes::best);

}    // namespace reval
