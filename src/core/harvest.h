/// @file harvest.h
/// LAMMPS-free parts of fix re/harvest (collecting rare-event and uncertain configurations of an MD run
/// for DFT labelling): cutting DFT-sized cells out of a large periodic configuration, the novelty memory
/// that rejects near-duplicates, and the atomic append of a frame to an extended XYZ file.
#pragma once

#include "core/extxyz.h"

#include <string>
#include <vector>

namespace reval {

/// How a harvested configuration is written: the whole cell, a sphere around each trigger atom
/// (non-periodic cluster), or a periodic cube around it.
struct CutoutSpec {
  enum class Kind { whole, sphere, box };
  Kind kind = Kind::whole;
  double size = 0.0;    ///< sphere: radius R; box: side L (Å)
};

/// The atoms of `whole` (a periodic frame) that a cut-out centred at `centre` (Cartesian) keeps, as a frame:
///  - sphere R: every atom (or periodic image) within R of the centre, unwrapped around it, in a cubic cell
///    of side 2R + 2 * vacuum with pbc F F F, the centre at the middle of the cell (info: cutout=sphere,
///    note=non-periodic);
///  - box L: a periodic cube of side L centred there: every atom whose minimum-image displacement from the
///    centre lies in [-L/2, L/2)^3, shifted into [0, L)^3, pbc T T T (info: cutout=box). Each atom appears
///    once; L must not exceed the perpendicular width of the cell along any periodic direction (else an
///    atom and its own image would both fall in the cube): reval::Error.
/// Per-atom arrays and forces of `whole` follow the atoms; `index` receives the kept atoms' indices in
/// `whole` (in output order: by distance from the centre, then index).
XyzFrame cut_out(const XyzFrame &whole, const double centre[3], const CutoutSpec &spec, double vacuum,
                 std::vector<int> *index = nullptr);

/// Descriptor vectors of the atoms that triggered harvested frames; a new frame is a near-duplicate
/// when every one of its trigger atoms lies within distance D (Euclidean, in descriptor space) of a
/// stored vector. Stored vectors are kept in harvest order; pack()/unpack() carry them through restarts.
class NoveltyMemory {
 public:
  NoveltyMemory() = default;
  NoveltyMemory(int dim, double threshold);
  int dim() const { return m_dim; }
  double threshold() const { return m_d; }
  int size() const { return m_dim ? static_cast<int>(m_v.size() / m_dim) : 0; }
  /// True if at least one of the n vectors (n x dim, row-major) is farther than D from every stored one
  /// (with nothing stored: true; with n = 0: false).
  bool is_novel(const double *v, int n) const;
  /// Stores n vectors.
  void add(const double *v, int n);
  std::vector<double> pack() const;
  /// Restores a packed memory; throws reval::Error if the data are inconsistent.
  static NoveltyMemory unpack(const std::vector<double> &data);

 private:
  int m_dim = 0;
  double m_d = 0.0;
  std::vector<double> m_v;
};

/// Appends `text` to the file at `path` so that the file is, at every moment, either the old content or
/// the old content plus all of `text`: the new content is written to `path.tmp` in the same folder,
/// flushed to disk, and renamed over `path` (POSIX rename is atomic). Throws reval::Error naming the path
/// when a step fails (the old file is then left as it was).
void atomic_append(const std::string &path, const std::string &text);

/// Replaces the content of the file at `path` by `text` in the same way (temporary file, flush, rename):
/// the file is, at every moment, either the old content (or absent) or all of `text`.
void atomic_write(const std::string &path, const std::string &text);

/// Novelty descriptor of atom `atom` of a frame that needs no potential: the distances (Å) to its k
/// nearest neighbours (periodic images included along periodic directions), sorted ascending; slots
/// with no neighbour within `rmax` hold `rmax`. Invariant under translation, rotation and permutation,
/// so a vibrating defect gives nearby vectors. `out` receives k values. reval::Error on k < 1 or rmax <= 0.
void neighbour_distances(const XyzFrame &frame, int atom, int k, double rmax, double *out);

/// A LAMMPS data file (atom_style atomic) of a frame: `types` (1-based, one per atom), the box from the
/// cell (it must be a LAMMPS box: a along x, b in the xy plane, i.e. cell[1] = cell[2] = cell[5] = 0;
/// reval::Error otherwise), positions shifted by `origin` (the box's lower corner), and a Masses
/// section when `masses` (one per type) is not empty. `title` is the first line.
std::string lammps_data_text(const XyzFrame &frame, const std::vector<int> &types, int ntypes,
                             const std::vector<double> &masses, const std::string &title,
                             const double origin[3]);

}    // namespace reval
