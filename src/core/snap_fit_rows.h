/// @file snap_fit_rows.h
/// The rows of the linear least-squares problem of a SNAP fit (what reval-fit accumulates), from
/// REVAL's SNAP engine: for one configuration, the energy row, the 3N force rows and the 6 virial rows
/// of a model that is linear in its coefficients. Columns follow the .snapcoeff layout that LAMMPS pair
/// snap and snap/model read: per element e (in SnapParams::elements order) a block of
///   1 + ncoeff (+ ncoeff (ncoeff + 1) / 2 with quadratic)
/// columns: beta0, the linear coefficients, then the quadratic ones in LAMMPS' upper-triangle order
/// (k <= l; the descriptor of a diagonal term is B_k^2 / 2, of an off-diagonal term B_k B_l), as
/// LAMMPS `compute snap` builds them. With coefficients x, E = energy_row . x, F_{j,d} = force row
/// (3j + d) . x and the virial W_ab = virial row . x.
///
/// Rows (no weights, no per-atom normalisation; the fit divides the energy row by N):
///  - energy: sum over atoms i of element e of [1, B_i, q_i] in block e;
///  - forces: row (3j + d) = -dE/dr_{j,d} = -sum_i d[1, B_i, q_i]/dr_{j,d} (over every atom i whose
///    neighbourhood holds j or one of its periodic images, and i = j itself);
///  - virial (Voigt order xx, yy, zz, yz, xz, xy): W_ab = -sum over pairs (i, j image) of
///    r_ij,a dE_i/dr_j,b, the same convention as LAMMPS' pair virial (eV; stress = -W / V).
/// Neighbours are every periodic image of every atom within the pair cutoff (cells smaller than the
/// cutoff included); non-periodic directions (pbc F) have no images.
#pragma once

#include "core/extxyz.h"
#include "core/frame_images.h"
#include "core/snap_engine.h"

#include <memory>
#include <string>
#include <vector>

namespace reval {

/// Voigt components of the virial rows (compute snap's order xx, yy, zz, yz, xz, xy): component v is
/// W_ab with a = kVirialA[v], b = kVirialB[v].
inline constexpr int kVirialA[6] = {0, 1, 2, 1, 0, 0};
inline constexpr int kVirialB[6] = {0, 1, 2, 2, 2, 1};

class SnapFitRows {
 public:
  /// quadratic: add the quadratic columns (quadraticflag 1).
  SnapFitRows(std::shared_ptr<const SnapDescriptor> descriptor, bool quadratic);

  int nelements() const { return m_nelem; }
  int ncoeff() const { return m_ncoeff; }
  /// Columns per element block: 1 + ncoeff (+ ncoeff (ncoeff + 1) / 2).
  int block() const { return m_block; }
  /// All columns: nelements * block().
  int ncols() const { return m_nelem * m_block; }
  bool quadratic() const { return m_quadratic; }

  /// Rows of one frame. Elements of the atoms are looked up by symbol in SnapParams::elements (an
  /// unknown symbol: reval::Error naming `where`). Each output pointer may be null (not computed):
  /// energy (ncols), forces (3N x ncols, row-major), virial (6 x ncols), per_atom (N x block: atom i's
  /// own [1, B_i, q_i], the per-atom descriptors compute snap reports and novelty checks use).
  void compute(const XyzFrame &frame, double *energy, double *forces, double *virial,
               double *per_atom = nullptr, const std::string &where = "frame");

 private:
  std::shared_ptr<const SnapDescriptor> m_desc;
  SnapEngine m_engine;
  bool m_quadratic;
  int m_nelem, m_ncoeff, m_block;
  // scratch
  SnapShortList m_list;
  FrameNeighbours m_nb;
  std::vector<FrameImage> m_images;
  std::vector<double> m_B, m_dbdr, m_dd;    // B_i; dB_i/dr_j; d[1, B_i, q_i]/dr_j of one neighbour (3 x block)
};

/// The element index of each atom of `frame` in `params.elements` (reval::Error naming `where` and the
/// symbol if one is not there).
std::vector<int> frame_elements(const SnapParams &params, const XyzFrame &frame, const std::string &where);

/// Neighbour list of atom i for SNAP in a periodic (or partly periodic) frame: every atom or periodic
/// image j with 1e-20 < |r_j - r_i|^2 < rcut(ielem, jelem)^2, as a SnapShortList (jatom = index of the
/// image's atom). `nb` is the frame's search built with radius >= params.max_cutoff(); `images` is
/// scratch (reused between calls). Used by SnapFitRows and by reval-fit's predictions.
void frame_short_list(const SnapParams &params, const FrameNeighbours &nb, const std::vector<int> &elem, int i,
                      SnapShortList &out, std::vector<FrameImage> &images);

}    // namespace reval
