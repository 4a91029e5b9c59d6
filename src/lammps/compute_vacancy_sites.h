/* -*- c++ -*- ----------------------------------------------------------
   REVAL: compute vacancy/sites — static lattice sites, vacancies, occupancy.
   Doc: doc/compute_vacancy_sites.rst
   The site subsystem: reval::SiteIndex (core: grid, lists, rebuild policy, spacings, box flips),
   reval_lmp::SiteDecomposition (owners, ghost copies, forward/reverse plans), and the read-only
   reval_lmp::SiteAnalysis view handed to the dependents (compute re/atom, fix re/stats, /kk twins),
   which declare their needs once in init() with request().
------------------------------------------------------------------------- */

#ifndef LMP_COMPUTE_VACANCY_SITES_H
#define LMP_COMPUTE_VACANCY_SITES_H

#include "compute.h"

#include "core/defect_clusters.h"
#include "core/site_index.h"
#include "kernels/point/site_search.hpp"
#include "kernels/point/wigner_seitz.hpp"
#include "site_analysis.h"
#include "site_decomposition.h"

#include <memory>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class ComputeVacancySites : public Compute {
 public:
  ComputeVacancySites(class LAMMPS *, int, char **);
  ~ComputeVacancySites() override;
  void init() override;
  void setup() override;
  double compute_scalar() override;
  void compute_vector() override;
  void compute_array() override;
  void compute_local() override;
  double memory_usage() override;

  // ---- used by compute re/atom and fix re/stats (and their /kk twins) -----------------------------
  /// A dependent declares what it needs (one request per requester, replaced when repeated; requests
  /// of deleted styles are dropped). Call from the dependent's init().
  void request(const reval_lmp::SiteRequest &req);
  /// Runs the analysis for the current timestep if not done yet (collective).
  void analyse();
  /// The read-only view of the sites and of the last analysis on this rank.
  const reval_lmp::SiteAnalysis &analysis() const { return *m_view; }
  /// analysis() with the per-atom nearest sites (sa.nearest) valid on the host: the Kokkos twin keeps
  /// them on the device and copies them here only when a host style asks, once per analysis.
  const reval_lmp::SiteAnalysis &host_analysis()
  {
    sync_nearest_to_host();
    return *m_view;
  }
  /// Copies the occupancy of owned sites to their ghost copies on other ranks (collective; done by
  /// analyse() already when a request asked for ghost occupancy).
  void exchange_ghost_occupancy();
  double rvac() const { return m_rvac; }
  /// Distance cap of the nearest-site search (Å): distances beyond it are reported as the cap.
  double cap() const { return m_cap; }
  /// Group bits of the atoms for which nearest-site data is computed.
  int atom_mask() const { return m_atom_mask; }

 protected:
  enum Source { LATTICE, FILE, INITIAL };
  enum ClusterMode { CLUSTER_NO, CLUSTER_AUTO, CLUSTER_DISTANCE };
  enum LocalMode { LOCAL_VACANCIES, LOCAL_CLUSTERS };
  void parse_keywords(int narg, char **arg, std::string &file);
  // ---- site sources
  void capture_lattice();
  void read_sites_file(const std::string &path);
  void capture_initial();
  void drop_stale_initial_sites();
  // ---- per run / per step preparation
  void combine_requests();
  void prepare_sites();
  void estimate_nn_distance();
  double ghost_margin() const;
  void check_box();
  /// Per-atom part of analyse(): nearest two sites of every requested atom (nearest) and
  /// the rvac occupancy they give to local sites (m_occ_all, owned + ghost copies). Returns the number
  /// of group atoms farther than rvac from every site. The Kokkos twin runs it on the device.
  virtual double search_atoms();
  /// Makes the nearest sites of the last search valid on the host (nothing to do in the CPU style).
  virtual void sync_nearest_to_host() {}
  /// Host part after search_atoms(): occupancy from ghost copies to owners, vacancies, counts.
  void finish_analysis(double nfar);
  /// Wigner-Seitz count (analyse_ws()): every group atom counted at its nearest site (m_ws_all, owned +
  /// ghost copies; kernels/point/wigner_seitz.hpp); atoms without a site within the cap or whose
  /// nearest site may lie beyond this rank's sites are counted in m_ws_bad[0] / [1]. The Kokkos twin
  /// runs it on the device.
  virtual void count_ws();
  /// The lamda region of this rank's sites for the Wigner-Seitz check, in the current box.
  reval::kernels::WsRegion ws_region() const;
  /// Makes x, mask, tag of owned atoms valid on the host (the Kokkos twin syncs them).
  virtual void sync_host_atoms() {}
  /// Wigner-Seitz analysis of this step (collective; once per step, only when its outputs are used):
  /// count_ws(), counts at ghost copies to their owners, WS vacancies / interstitials / Frenkel pairs;
  /// ERRORs for atoms without a site within the cap or whose nearest site may be on another rank.
  void analyse_ws();
  /// Cluster analysis of this step (collective; once per step): defects gathered on rank 0, clustered
  /// there (core/defect_clusters.h), counts and histogram broadcast.
  void analyse_clusters();
  double cluster_distance();
  /// True if the guesses (m_res.nearest[i].s1: each atom's nearest slot at its last analysis) are slots of the
  /// current grid. They stay usable across reneighborings: a guess that belongs to another atom after
  /// a sort or exchange only makes the search fall back to the full search (it verifies every guess).
  bool guesses_valid() const;
  void guesses_stored();

  /// Counter of grid / list rebuilds (device copies are refreshed when it changes).
  int site_epoch() const { return m_index.epoch(); }
  /// Cartesian site coordinates for the current box (only if the box or the grid changed); true if so.
  bool refresh_site_coords();

  // ---- what search_atoms() / count_ws() / sync_nearest_to_host() write (plain style or Kokkos twin);
  // the rest of the state is private, the twin reads it through analysis()
  reval_lmp::SiteResults m_res;                    // this step's results (the twin fills m_res.nearest)
  reval::HugeVector<int> m_occ_all;                      // per local site (owned + ghost): rvac counts this step
  std::vector<int> m_ws_all;                       // per local site (owned + ghost): WS counts this step
  int m_ws_bad[2] = {0, 0};                        // this rank: atoms without a site / unreachable

 private:
  reval::SiteIndex m_index;                        // sites of this rank, grid, lists
  reval_lmp::SiteDecomposition m_decomp;           // owners, ghost copies, plans
  std::unique_ptr<reval_lmp::SiteAnalysis> m_view;
  double m_rvac = 1.1;
  double m_cap = 5.5;
  int m_atom_mask = 0;
  std::vector<reval_lmp::SiteRequest> m_requests;
  bool m_ghost_wanted = false, m_host_nearest_wanted = false;
  int m_cache_epoch = -1;                          // site epoch of the slots in m_res.nearest
  int m_source = LATTICE;
  bool m_have_sites = false;
  bool m_check_stale = false;      // 'sites initial' rows read back: check them once distributed
  int64_t m_captured_total = 0;    // 'sites initial': number of sites at the capture
  bigint m_updated = -1, m_ghost_exchanged = -1;
  std::string m_id_store;    // fix STORE holding the initial positions (sites initial)
  double m_counts[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  bigint m_ws_step = -1;
  int m_nvac_local = 0;
  int m_maxlocal = 0, m_local_cols = 4;
  double **m_local = nullptr;
  // ---- cluster analysis (keywords cluster, cluster/migrating, dre, pairs, histo, local)
  int m_cluster = CLUSTER_AUTO;
  double m_cluster_dist = 0.0;    // Å (cluster D, or found once for cluster auto)
  bool m_cluster_migrating = false;
  double m_dre = 0.75;
  reval::kernels::SitePairs m_pairs = reval::kernels::SitePairs::any;
  int m_histo = 10;
  int m_local_mode = LOCAL_VACANCIES;
  bigint m_cluster_step = -1;
  std::vector<reval::DefectCluster> m_clusters;    // rank 0: this step's clusters
  double **m_histo_array = nullptr;
};

}    // namespace LAMMPS_NS

#endif
