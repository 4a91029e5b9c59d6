/// @file site_analysis.h
/// State of one compute vacancy/sites on one MPI rank, shared (read-only) with the REVAL styles that
/// build on it (compute re/atom, fix re/stats). LAMMPS-free types only.
#pragma once

#include "core/cell_grid.h"
#include "core/site_lists.h"
#include "core/static_sites.h"
#include "kernels/point/site_search.hpp"

#include <cstdint>
#include <vector>

namespace reval_lmp {

struct SiteAnalysis {
  // --- sites on this rank: [0, nown) owned (inside this sub-domain), [nown, nown+nghost) ghost copies
  // (periodic images and neighbours' sites within `margin` of this sub-domain), in lamda coordinates
  int nown = 0, nghost = 0;
  std::vector<double> lam;        ///< 3 per local site
  std::vector<int64_t> gid;       ///< global site index (1-based) per local site
  reval::ProcBox own_box{};       ///< lamda bounds of this sub-domain when the sites were distributed
  double margin_lamda[3] = {0, 0, 0};
  reval::CellGrid grid;           ///< all local sites, binned; grid slot -> local site via grid.order()
  reval::SiteLists lists;         ///< per grid slot: neighbouring sites (for the search from a guess)

  // --- per timestep results
  std::vector<int> occupancy;         ///< per owned site: group atoms within rvac
  std::vector<int> vacancies;         ///< owned sites with occupancy 0 (local indices)
  std::vector<int> ghost_occupancy;   ///< per ghost site, copied from its owner (on request)
  std::vector<reval::kernels::NearestTwo> nearest;    ///< per owned atom (grid slots), for requested atoms

  // --- where the sites come from: for 'sites lattice', the lattice and the box it was applied to
  // (sites are lamda coordinates of that box: lattice position x0 = A u + p0 <-> lamda = H0^-1 (x0 - lo0))
  bool has_lattice = false;
  reval::LatticeMap lattice;
  reval::kernels::BoxGeom capture_box{};

  // --- global properties of the site set
  int64_t nsites_total = 0;
  double nn_distance = 0.0;     ///< mean nearest-neighbour site spacing (Å)
  double nn_cut2 = 0.0;         ///< squared distance below which two sites are neighbours

  int local_of_slot(int slot) const { return grid.order()[slot]; }
  /// occupancy of a local site (owned or ghost); ghost values need a prior exchange
  int occupancy_of(int local) const { return local < nown ? occupancy[local] : ghost_occupancy[local - nown]; }
};

}    // namespace reval_lmp
