/* -*- c++ -*- ----------------------------------------------------------
   REVAL: compute vacancy/sites — static lattice sites, vacancies, occupancy.
   Doc: doc/compute_vacancy_sites.rst
------------------------------------------------------------------------- */

#ifndef LMP_COMPUTE_VACANCY_SITES_H
#define LMP_COMPUTE_VACANCY_SITES_H

#include "compute.h"

#include "kernels/point/box_math.hpp"

#include <memory>
#include <string>
#include <vector>

namespace reval_lmp {
struct SiteAnalysis;
}

namespace LAMMPS_NS {

class ComputeVacancySites : public Compute {
 public:
  ComputeVacancySites(class LAMMPS *, int, char **);
  ~ComputeVacancySites() override;
  void init() override;
  void setup() override;
  double compute_scalar() override;
  void compute_vector() override;
  void compute_local() override;
  double memory_usage() override;

  // ---- used by compute re/atom and fix re/stats -------------------------------------------------
  /// A dependent style needs nearest-site data for the atoms of `user_groupbit`, with distances
  /// searched up to `cap` Å. Call from the dependent's init().
  void add_user(double cap, int user_groupbit);
  /// Runs the analysis for the current timestep if not done yet (collective).
  void analyse();
  /// Copies the occupancy of owned sites to their ghost copies on other ranks (collective).
  void exchange_ghost_occupancy();
  const reval_lmp::SiteAnalysis &analysis() const { return *m_sa; }
  /// analysis() with the per-atom nearest sites (sa.nearest) valid on the host: the Kokkos twin keeps
  /// them on the device and copies them here only when a host style asks, once per analysis.
  const reval_lmp::SiteAnalysis &host_analysis()
  {
    sync_nearest_to_host();
    return *m_sa;
  }
  double rvac() const { return m_rvac; }
  /// Distance cap of the nearest-site search (Å): distances beyond it are reported as the cap.
  double cap() const { return m_cap; }
  /// Group bits of the atoms for which nearest-site data is computed.
  int atom_mask() const { return m_atom_mask; }

 protected:
  enum Source { LATTICE, FILE, INITIAL };
  void capture_lattice();
  void read_sites_file(const std::string &path);
  void capture_initial();
  void prepare_sites();
  void follow_box_flips();
  void distribute();
  bool needs_distribution() const;
  void estimate_nn_distance();
  void current_own_box(double lo[3], double hi[3]) const;
  double ghost_margin() const;
  void check_box();
  /// Per-atom part of analyse(): nearest two sites of every requested atom (sa.nearest, m_guess) and
  /// the occupancy they give to local sites (m_occ_all, owned + ghost copies). Returns the number of
  /// group atoms farther than rvac from every site. The Kokkos twin runs it on the device.
  virtual double search_atoms();
  /// Makes sa.nearest of the last search valid on the host (nothing to do in the CPU style).
  virtual void sync_nearest_to_host() {}
  /// Host part after search_atoms(): occupancy from ghost copies to owners, vacancies, counts.
  void finish_analysis(double nfar);
  /// True if last analysis' nearest sites (m_guess) still belong to the same atoms and grid.
  bool guesses_valid() const;
  /// Recomputes the Cartesian coordinates of the sites if the box or the grid changed; true if so.
  bool refresh_site_coords();
  /// Counter of grid / site-list rebuilds (device copies are refreshed when it changes).
  int grid_epoch() const { return m_grid_epoch; }
  void guesses_stored();

  std::unique_ptr<reval_lmp::SiteAnalysis> m_sa;
  void build_site_lists();

  class Irregular *m_ghost_plan = nullptr;      // owner -> ghost copies, kept for occupancy exchange
  std::vector<int> m_ghost_src;                 // owned local site of each datum of m_ghost_plan
  class Irregular *m_reverse_plan = nullptr;    // ghost copies -> owner (atoms counted at ghost copies)
  std::vector<int> m_reverse_ghost;             // ghost sites in the reverse plan (within reach of atoms)
  std::vector<int> m_ghost_owner_local;         // ... and their owner's local index
  int m_reverse_nrecv = 0;
  std::vector<int> m_occ_all;                   // per local site (owned + ghost) this step
  std::vector<int> m_guess;                     // per atom: grid slot of its nearest site last time
  bigint m_cache_lastcall = -1;                 // neighbor->lastcall when m_guess was filled
  int m_cache_nlocal = -1, m_grid_epoch = 0, m_cache_epoch = -1, m_coords_epoch = -1;
  reval::kernels::BoxGeom m_coords_box{};      // box of the current Cartesian site coordinates
  int m_source = LATTICE;
  double m_rvac = 1.1;
  double m_cap = 5.5;
  int m_atom_mask = 0;
  bool m_have_sites = false;
  bool m_nn_done = false;
  bool m_box_known = false;
  reval::kernels::BoxGeom m_box_last{};    // box at the last analysis (to detect box flips)
  bigint m_updated = -1, m_ghost_exchanged = -1;
  std::string m_id_store;    // fix STORE holding the initial positions (sites initial)
  double m_counts[4] = {0, 0, 0, 0};
  int m_nvac_local = 0;
  int m_maxlocal = 0;
  double **m_local = nullptr;
};

}    // namespace LAMMPS_NS

#endif
