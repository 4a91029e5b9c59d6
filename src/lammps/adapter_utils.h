/// @file adapter_utils.h
/// Small helpers shared by the REVAL LAMMPS adapters (not part of any style's interface).
#pragma once

#include "kernels/point/box_math.hpp"

#include <string>
#include <vector>

namespace LAMMPS_NS {
class LAMMPS;
class Comm;
class Domain;
}    // namespace LAMMPS_NS

namespace reval_lmp {

/// The current box as a point-kernel BoxGeom (h, h_inv, boxlo, periodicity).
reval::kernels::BoxGeom box_geom(const LAMMPS_NS::Domain *domain);

/// Lamda bounds [lo, hi) of this rank's sub-domain, taken from the split arrays LAMMPS decomposes
/// with, so that the sub-domains of all ranks tile [0,1)^3 exactly (brick and tiled layouts).
void own_lamda_box(const LAMMPS_NS::Comm *comm, double lo[3], double hi[3]);

/// Distance (Å) within which ghost atoms exist around each sub-domain: the larger of the neighbour
/// cutoff (pair cutoff + skin) and comm_modify cutoff.
double ghost_atom_cutoff(LAMMPS_NS::LAMMPS *lmp);

/// error->all() unless `value` (a keyword's distance, e.g. rmax) plus the neighbor skin fits within the
/// ghost-atom cutoff: "STYLE: WHAT (value) plus the neighbor skin (...) exceeds the ghost-atom cutoff
/// (...); use 'comm_modify cutoff X' or larger".
void require_ghost_cutoff(LAMMPS_NS::LAMMPS *lmp, const char *style, const char *what, double value);

/// error->all() on every rank with the message `msg` known on rank 0 only ("" = no error).
void error_all_from_root(LAMMPS_NS::LAMMPS *lmp, const std::string &msg, const char *file, int line);

/// Every rank's `mine`, concatenated in rank order on rank 0 (collective; empty on the other ranks).
std::vector<double> gather_to_root(LAMMPS_NS::LAMMPS *lmp, const std::vector<double> &mine);

}    // namespace reval_lmp
