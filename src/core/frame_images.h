/// @file frame_images.h
/// Periodic images of the atoms of an extended XYZ frame around a point: what a neighbour list of a
/// small periodic training cell (cells narrower than the cutoff included) and a cluster cut-out need.
#pragma once

#include "core/extxyz.h"

#include <Eigen/Dense>

#include <vector>

namespace reval {

/// Width of the cell (columns = cell vectors) across the plane of the two cell vectors other than d.
double cell_perpendicular_width(const Eigen::Matrix3d &cell, int d);

/// One atom or periodic image: index of its atom in the frame and its displacement from the centre (Å).
struct FrameImage {
  int index;
  Eigen::Vector3d d;
};

/// Every atom and periodic image (along the frame's periodic directions) with |displacement| <= r from
/// `centre` (Cartesian, Å), in atom order, images of one atom from the most negative image shift on.
/// Allocation-free when `out` has room; `out` is cleared first.
void images_within(const XyzFrame &frame, const Eigen::Vector3d &centre, double r, std::vector<FrameImage> &out);

/// Neighbour search in a frame for many atoms at once (a SNAP training cell): the atoms and their periodic
/// images within r of the cell (LAMMPS' ghost shell), binned on a Cartesian grid of bins of side >= r.
/// around(i) then visits the 27 bins of atom i: O(N) per frame instead of O(N^2 x images).
class FrameNeighbours {
 public:
  /// Builds the search for radius r > 0 (Å). Atoms are wrapped into the cell along periodic directions.
  void build(const XyzFrame &frame, double r);
  double radius() const { return m_r; }
  /// Every atom or image j with |r_j - r_i| <= r (atom i itself included, at d = 0), displacements from
  /// atom i's wrapped position; `out` is cleared first.
  void around(int i, std::vector<FrameImage> &out) const;

 private:
  double m_r = 0.0;
  std::vector<double> m_x;       // ghosts (atoms and images): 3 per ghost
  std::vector<int> m_atom;       // atom of each ghost
  std::vector<int> m_home;       // ghost index of each atom's own (wrapped) position
  double m_lo[3] = {0, 0, 0};
  int m_nb[3] = {1, 1, 1};
  double m_w[3] = {0, 0, 0};    // bin widths (>= r)
  std::vector<int> m_start, m_order;    // ghosts sorted by bin: m_order[m_start[b] .. m_start[b+1])
  int bin_index(const double x[3], int c[3]) const;
};

}    // namespace reval
