/// @file re_labels.h
/// Rare-event (migrating) atoms of a training configuration, for reval-fit's `re_fweight`: compute
/// re/atom's rule (science.md: an atom whose nearest and second-nearest static sites are within dre of
/// each other, d2 - d1 < dre; pairs any|neighbours) applied to one periodic frame, with the same point
/// kernels (kernels::nearest_two_sites, kernels::is_migrating_at_sites) and the same search cap
/// (5.5 Å) as the LAMMPS styles, so that a frame gets the labels compute re/atom would give it.
#pragma once

#include "core/extxyz.h"
#include "core/fit_input.h"

#include <string>
#include <vector>

namespace reval {

/// Static sites of a frame (Cartesian, 3 x nsites, in the frame's own axes):
///  - lattice: the cell is read as an n1 x n2 x n3 supercell of the conventional cubic cell (diamond,
///    fcc, bcc or sc) of constant a, n_i = round(|cell_i| / a), possibly strained: the sites sit at the
///    lattice's fractional positions of the actual cell. A cell that is not such a supercell (a length
///    more than 10% off n_i a, or an angle more than 10 degrees off 90) is an Error naming `where`.
///  - file: sites read from a site file (compute vacancy/sites' format), Cartesian, same axes;
///  - none: no sites (no atom is labelled).
std::vector<double> frame_sites(const XyzFrame &f, const FitSites &s, const std::string &where);

struct ReLabels {
  std::vector<int> migrating;    ///< 1 per migrating atom, else 0 (frame order)
  double nn_distance = 0.0;      ///< nearest-neighbour site spacing used by pairs neighbours (Å)
};

/// compute re/atom's migrating rule for every atom of the (periodic) frame `f` against `sites`.
ReLabels migrating_atoms(const XyzFrame &f, const std::vector<double> &sites, double dre, bool pairs_any);

}    // namespace reval
