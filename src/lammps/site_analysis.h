/// @file site_analysis.h
/// What the REVAL styles built on a compute vacancy/sites (compute re/atom, fix re/stats and their
/// /kk twins) exchange with it: the request a dependent declares once in its init()
/// (SiteRequest), and the read-only view of the sites and of this timestep's results on this MPI
/// rank that it receives (SiteAnalysis). LAMMPS-free types only.
#pragma once

#include "core/site_index.h"
#include "kernels/point/site_search.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace reval_lmp {

/// What a dependent style needs from compute vacancy/sites (ComputeVacancySites::request()).
struct SiteRequest {
  std::string requester;           ///< "compute ID" or "fix ID" of the dependent (one request each)
  double cap = 0.0;                ///< nearest-site distances needed up to cap Å (0: the default 5.5 Å)
  int groupbit = 0;                ///< atoms that need their nearest two sites
  bool host_nearest = false;       ///< reads the per-atom nearest sites on the host (sa.nearest)
  bool ghost_occupancy = false;    ///< reads the occupancy of ghost copies (sa.occupancy_of(ghost))
};

/// Per-timestep results on one rank (written by the compute only).
struct SiteResults {
  reval::HugeVector<int> occupancy;   ///< per owned site: group atoms within rvac (rvac rule)
  std::vector<int> vacancies;         ///< owned sites with occupancy 0 (local indices)
  std::vector<int> ghost_occupancy;   ///< per ghost site, copied from its owner (on request)
  std::vector<int> ws_occupancy;      ///< per owned site: group atoms whose nearest site it is (Wigner-Seitz)
  reval::HugeVector<reval::kernels::NearestTwo> nearest;    ///< per owned atom (grid slots), for requested atoms
};

/// Read-only view of one compute vacancy/sites on one rank. Sites: [0, nown) owned (inside this
/// sub-domain), [nown, nown + nghost) ghost copies, in lamda coordinates; per-atom nearest sites are
/// grid slots (slot -> local site: local_of_slot, -> global site index: gid_of_slot).
struct SiteAnalysis {
  SiteAnalysis(const reval::SiteIndex &idx, const SiteResults &res, const double &cap_, const double &rvac_) :
      index(idx), nown(idx.nown_ref()), nghost(idx.nghost_ref()), lam(idx.lam()), gid(idx.gid()), grid(idx.grid()),
      lists(idx.lists()), occupancy(res.occupancy), vacancies(res.vacancies), ghost_occupancy(res.ghost_occupancy),
      ws_occupancy(res.ws_occupancy), nearest(res.nearest), has_lattice(idx.has_lattice()), lattice(idx.lattice()),
      capture_box(idx.capture_box()), nsites_total(idx.nsites_total()), nn_distance(idx.nn_distance()),
      nn_cut2(idx.nn_cut2()), cap(cap_), rvac(rvac_)
  {
  }
  SiteAnalysis(const SiteAnalysis &) = delete;
  SiteAnalysis &operator=(const SiteAnalysis &) = delete;

  const reval::SiteIndex &index;
  // --- sites on this rank
  const int &nown, &nghost;
  const reval::HugeVector<double> &lam;    ///< 3 per local site
  const std::vector<int64_t> &gid;    ///< global site index (1-based) per local site
  const reval::CellGrid &grid;        ///< all local sites, binned
  const reval::SiteLists &lists;      ///< per grid slot: neighbouring sites
  // --- per timestep results
  const reval::HugeVector<int> &occupancy;
  const std::vector<int> &vacancies, &ghost_occupancy, &ws_occupancy;
  const reval::HugeVector<reval::kernels::NearestTwo> &nearest;
  // --- where 'sites lattice' came from: the lattice and the box it was applied to (sites are lamda
  // coordinates of that box: lattice position x0 = A u + p0 <-> lamda = H0^-1 (x0 - lo0))
  const bool &has_lattice;
  const reval::LatticeMap &lattice;
  const reval::kernels::BoxGeom &capture_box;
  // --- global properties
  const int64_t &nsites_total;
  const double &nn_distance;    ///< mean nearest-neighbour site spacing (Å)
  const double &nn_cut2;        ///< squared distance below which two sites are neighbours
  const double &cap;            ///< distance cap of the nearest-site search (Å)
  const double &rvac;           ///< occupation radius of the rvac rule (Å)

  int local_of_slot(int slot) const { return index.local_of_slot(slot); }
  int64_t gid_of_slot(int slot) const { return index.gid_of_slot(slot); }
  const reval::HugeVector<double> &gid_of_slots() const { return index.gid_of_slots(); }
  /// occupancy of a local site (owned or ghost); ghost values need a ghost_occupancy request
  int occupancy_of(int local) const { return local < nown ? occupancy[local] : ghost_occupancy[local - nown]; }
};

}    // namespace reval_lmp
