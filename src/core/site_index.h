/// @file site_index.h
/// The static sites of one MPI rank as a searchable index (LAMMPS-free): the sites in lamda
/// coordinates ([0, nown) owned, [nown, nown + nghost) ghost copies), their cell grid and neighbour
/// lists, the policy that keeps both exact under box deformation, the nearest-neighbour and
/// second-shell spacings, and the following of box flips. Which sites a rank holds (owners, ghost
/// copies) is decided by the adapter's decomposition (src/lammps/site_decomposition.h), which hands
/// the result to assign_local(). Host side of the point kernels in kernels/point/site_search.hpp.
#pragma once

#include "core/cell_grid.h"
#include "core/site_lists.h"
#include "core/static_sites.h"
#include "kernels/point/box_math.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace reval {

/// The lattice map of a lattice given by numbers: the box positions of the lattice origin and of the
/// three unit lattice vectors' tips (as LAMMPS' Lattice::lattice2box gives them) and the basis.
LatticeMap lattice_map_from_images(const double origin[3], const double tips[3][3],
                                   const std::vector<std::array<double, 3>> &basis);

/// Local part of the nearest-neighbour spacing estimate (summed over ranks by the adapter).
struct NnScan {
  double sum = 0.0, count = 0.0;    ///< sum of nearest-neighbour distances of owned sites, their number
  double closest = 0.0;             ///< smallest such distance (cap if none)
  int64_t pair[2] = {0, 0};         ///< global indices of the two sites at `closest`
};

/// Local part of the second-shell spacing estimate: per owned site, the smallest distance to another
/// site beyond the first shell (sum and number of sites that have one).
struct ShellScan {
  double sum = 0.0, count = 0.0;
};

class SiteIndex {
 public:
  // ---- constants of the rebuild policy
  static constexpr double kNeighbourTolerance = 1.1;    ///< sites are neighbours if closer than 1.1 d_nn
  static constexpr double kListRadius = 1.5;            ///< neighbour lists reach 1.5 d_nn
  static constexpr double kListRebuild = 0.9;           ///< ... rebuilt when deformation shrinks them by 10%

  // ---- the site set
  /// Sites held by this rank before any decomposition (lamda n x 3, global 1-based indices).
  void assign_owned(std::vector<double> lam, std::vector<int64_t> gid);
  /// Number of sites over all ranks, and the largest global site index (= n when the indices are
  /// 1 ... n; larger for 'sites initial', whose indices are atom IDs).
  void set_total(int64_t n, int64_t max_index)
  {
    m_nsites_total = n;
    m_max_index = max_index;
  }
  /// Where 'sites lattice' came from: the lattice and the box it was applied to.
  void set_lattice(const LatticeMap &map, const kernels::BoxGeom &capture_box);
  /// The sites of this rank after the decomposition: `nown` owned sites then ghost copies (lamda, may
  /// lie outside [0,1) for periodic images), the sub-domain `own` and the ghost margin (lamda) they
  /// cover. Lays out the grid (bins >= max(rvac, mean site spacing) thick) and, once the spacing is
  /// known, the neighbour lists.
  void assign_local(std::vector<double> lam, std::vector<int64_t> gid, int nown, const ProcBox &own,
                    const double margin_lamda[3], const kernels::BoxGeom &box, double rvac);

  // ---- box changes
  /// Follows a box flip since the last call (owned lamda re-expressed, wrapped). Returns the flip
  /// matrix' off-diagonal (all zero if none): after a flip the sites must be decomposed again.
  std::array<int, 3> follow_box(const kernels::BoxGeom &box);
  /// Keeps the grid and the lists exact in box `box`: a new grid layout when bins got thinner than
  /// rvac, new lists when deformation shrank their radius by more than kListRebuild. True if rebuilt.
  bool keep_exact(const kernels::BoxGeom &box, double rvac);
  /// Cartesian coordinates of the grid slots for `box` (only if the box or the grid changed). True if
  /// they were recomputed.
  bool refresh_coords(const kernels::BoxGeom &box);
  /// Counter of grid / list rebuilds (device copies are refreshed when it changes).
  int epoch() const { return m_epoch; }
  /// Counter of the recomputations of the Cartesian slot coordinates (device copies of them are
  /// refreshed when it changes).
  int coords_version() const { return m_coords_version; }

  // ---- spacings
  /// Local nearest-neighbour scan of the owned sites (search up to `cap` Å).
  NnScan scan_nn(const kernels::BoxGeom &box, double cap);
  /// Sets the mean nearest-neighbour spacing (from the reduced scan) and builds the neighbour lists.
  void set_nn_distance(double d, const kernels::BoxGeom &box);
  bool nn_known() const { return m_nn_distance > 0.0; }
  /// Local second-shell scan (needs the nearest-neighbour spacing): per owned site the smallest
  /// distance beyond kNeighbourTolerance * d_nn, searched up to `reach` Å; only sites whose sphere of
  /// radius `reach` lies within the sites of this rank (own box + margin) take part.
  ShellScan scan_second_shell(const kernels::BoxGeom &box, double reach);

  // ---- read access
  int nown() const { return m_nown; }
  int nghost() const { return m_nghost; }
  const int &nown_ref() const { return m_nown; }
  const int &nghost_ref() const { return m_nghost; }
  const HugeVector<double> &lam() const { return m_lam; }
  const std::vector<int64_t> &gid() const { return m_gid; }
  const ProcBox &own_box() const { return m_own; }
  const double *margin_lamda() const { return m_margin; }
  const CellGrid &grid() const { return m_grid; }
  const SiteLists &lists() const { return m_lists; }
  const int64_t &nsites_total() const { return m_nsites_total; }
  /// Largest global site index over all ranks (set_total).
  int64_t max_site_index() const { return m_max_index; }
  const double &nn_distance() const { return m_nn_distance; }
  const double &nn_cut2() const { return m_nn_cut2; }
  const bool &has_lattice() const { return m_has_lattice; }
  const LatticeMap &lattice() const { return m_lattice; }
  const kernels::BoxGeom &capture_box() const { return m_capture_box; }
  /// grid slot -> local site, and -> global site index
  int local_of_slot(int slot) const { return m_grid.order()[slot]; }
  int64_t gid_of_slot(int slot) const { return m_gid[m_grid.order()[slot]]; }
  /// Global site index of every grid slot (as doubles, for per-atom outputs and device copies), kept
  /// with the grid's slot order.
  const HugeVector<double> &gid_of_slots() const { return m_slot_gid; }
  size_t memory_bytes() const;

 private:
  void layout_grid(const kernels::BoxGeom &box, double rvac);
  void build_lists(const kernels::BoxGeom &box);

  int m_nown = 0, m_nghost = 0;
  HugeVector<double> m_lam;
  std::vector<int64_t> m_gid;
  HugeVector<double> m_slot_gid;    // m_gid in grid slot order
  ProcBox m_own{{0, 0, 0}, {0, 0, 0}};
  double m_margin[3] = {0, 0, 0};
  CellGrid m_grid;
  SiteLists m_lists;
  int64_t m_nsites_total = 0, m_max_index = 0;
  double m_nn_distance = 0.0, m_nn_cut2 = 0.0;
  bool m_has_lattice = false;
  LatticeMap m_lattice;
  kernels::BoxGeom m_capture_box{};
  bool m_box_known = false;
  kernels::BoxGeom m_box_last{};
  int m_epoch = 0, m_coords_epoch = -1, m_coords_version = 0;
  kernels::BoxGeom m_coords_box{};
};

}    // namespace reval
