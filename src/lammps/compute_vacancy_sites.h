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
    sync_nearest();
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
  // ---- the per-atom passes of the analysis, run by this style or by the Kokkos twin. The twin reads
  // the sites through analysis() (their coordinates are current when a pass runs) and its atoms, and
  // writes only the arguments: the rest of the state is private.
  /// Nearest two sites of every atom of the requested groups (atom_mask(); sa.nearest on the host, or
  /// the twin's device copy) and the rvac counts: occ_all[l] (owned + ghost copies, zeros on entry) +=
  /// the group atoms within rvac of local site l. `guesses`: the nearest slots of the last search belong
  /// to the current grid (the searches start there). Returns the number of group atoms farther than rvac
  /// from every site.
  virtual double search_atoms(bool guesses, int *occ_all);
  /// Wigner-Seitz count of the last search: ws_all[l] (zeros on entry) += the group atoms whose nearest
  /// site is local site l; bad[0] += atoms without a site within the cap, bad[1] += atoms whose nearest
  /// site may lie beyond `region`, this rank's sites (kernels/point/wigner_seitz.hpp).
  virtual void count_ws(const reval::kernels::WsRegion &region, int *ws_all, int bad[2]);
  /// Copies the nearest sites of the last search into `nearest` (host, grown to nlocal rows) where they
  /// were found elsewhere (the Kokkos twin keeps them on the device); the plain style wrote them there.
  virtual void nearest_to_host(reval::HugeVector<reval::kernels::NearestTwo> & /*nearest*/) {}
  /// Makes x, mask, tag of owned atoms valid on the host (the Kokkos twin syncs them).
  virtual void sync_host_atoms() {}

 private:
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
  /// Host part after search_atoms(): occupancy from ghost copies to owners, vacancies, counts.
  void finish_analysis(double nfar);
  /// The lamda region of this rank's sites for the Wigner-Seitz check, in the current box.
  reval::kernels::WsRegion ws_region() const;
  /// Wigner-Seitz analysis of this step (collective; once per step, only when its outputs are used):
  /// count_ws(), counts at ghost copies to their owners, WS vacancies / interstitials / Frenkel pairs,
  /// atoms without a site within the cap (assigned to none); an ERROR for atoms whose nearest site may
  /// be on another rank.
  void analyse_ws();
  /// Cluster analysis of this step (collective; once per step): defects gathered on rank 0, clustered
  /// there (core/defect_clusters.h), counts and histogram broadcast.
  void analyse_clusters();
  double cluster_distance();
  /// sa.nearest valid on the host for the last analysis (nearest_to_host() once per analysis).
  void sync_nearest();

  reval_lmp::SiteResults m_res;                    // this step's results
  reval::HugeVector<int> m_occ_all;                // per local site (owned + ghost): rvac counts this step
  std::vector<int> m_ws_all;                       // per local site (owned + ghost): WS counts this step
  int m_ws_bad[2] = {0, 0};                        // this rank: atoms without a site / unreachable
  bool m_nearest_on_host = true;                   // m_res.nearest holds the last search's result
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
  static constexpr int kVectorSize = 10;           // the global vector (doc: Output info)
  double m_counts[kVectorSize] = {};
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
