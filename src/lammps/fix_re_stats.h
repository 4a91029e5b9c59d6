/* -*- c++ -*- ----------------------------------------------------------
   REVAL: fix re/stats — total mean squared displacement, diffusivity with the He et al. (2018) error
   bar, hops between lattice sites, and occurrence of interstitial types, sampled during MD.
   Doc: doc/fix_re_stats.rst
------------------------------------------------------------------------- */

#ifndef LMP_FIX_RE_STATS_H
#define LMP_FIX_RE_STATS_H

#include "fix.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/interstitials.h"
#include "kernels/point/box_math.hpp"
#include "kernels/point/re_stats.hpp"

namespace LAMMPS_NS {

class ComputeVacancySites;

class FixREStats : public Fix {
 public:
  FixREStats(class LAMMPS *, int, char **);
  ~FixREStats() override;
  int setmask() override;
  void post_constructor() override;
  void init() override;
  void setup(int) override;
  void end_of_step() override;
  void post_run() override;
  double compute_vector(int) override;
  double memory_usage() override;

  void grow_arrays(int) override;
  void copy_arrays(int, int, int) override;
  int pack_exchange(int, double *) override;
  int unpack_exchange(int, double *) override;
  int pack_restart(int, double *) override;
  void unpack_restart(int, int) override;
  int size_restart(int) override;
  int maxsize_restart() override;
  void write_restart(FILE *) override;
  void restart(char *) override;

 protected:
  void sample();
  /// Per-atom part of one sample over the local atoms (the Kokkos twin runs it on the device): takes
  /// the references of the origin started now, updates home sites and hop counts in the per-atom
  /// state, fills the per-atom output (m_out, array_atom). `sums` (size norigins + 1) receives this
  /// rank's squared displacements summed per active origin, then the number of new hops.
  virtual void sample_atoms(const reval::kernels::ReStatsSample &p, std::vector<double> &sums);
  /// Unwrapped centre of mass of the group (collective; the Kokkos twin sums on the device).
  virtual void group_com(double cm[3]);
  void update_fit();
  void classify_interstitials(int &n_int, std::vector<int> &types);
  double current_time() const;
  void open_file();
  int nvalues() const { return 3 * m_norigins + 3; }    // per atom: refs (3 per origin), home, hops, set
  /// Values per atom that migrate with it and go to restart files: the state, then the output row.
  int nmigrate() const { return nvalues() + kOutCols; }

 public:
  static constexpr int kOutCols = 4;          ///< per-atom output: hops, dx, dy, dz
  /// Most time origins: 3 doubles per atom and origin are kept, migrated and written to restart
  /// files (24 KB per atom at 1000 origins, 2.4 GB for 100 000 atoms).
  static constexpr int kMaxOrigins = 1000;
  /// Most samples between time origins (origins ... every S), and largest sampling interval N.
  static constexpr int kMaxEvery = 1000000000;

 protected:

  std::string m_id_sites;
  ComputeVacancySites *m_sites = nullptr;
  // settings
  double m_hop = 0.0;              // hop distance a (0: the sites' neighbour spacing)
  double m_fit_start = -1.0, m_fit_end = -1.0;    // < 0: automatic
  int m_norigins = 1, m_origin_every = 1;
  bool m_com = false;
  double m_dre = 0.75;
  reval::kernels::SitePairs m_pairs = reval::kernels::SitePairs::any;    // keyword pairs (migrating rule)
  int m_itypes = 0;                // 0 none, 1 diamond, 2 file
  std::string m_template_file;
  double m_itol = -1.0;            // < 0: 0.275 (V/n)^(1/3)
  std::string m_file;
  int m_append = -1;               // file: 1 append, 0 truncate, -1 append only if the state comes from a restart file
  bool m_file_opened = false;
  bool m_need_header = false;
  bool m_restored = false;         // global state taken from a restart file
  FILE *m_fp = nullptr;

  // per-atom state and output (both migrate with the atoms and are written to restart files)
  double **m_state = nullptr;      // [refs of each origin (x y z unwrapped)] [home site] [hops] [set]
  double **m_out = nullptr;        // per-atom output (array_atom): hops, dx, dy, dz of the last sample

  // global state (written to restart files)
  bigint m_nsamples = 0, m_nsamples_int = 0, m_step0 = -1;
  double m_t0 = 0.0, m_total_hops = 0.0;
  bigint m_group_count = 0;
  std::vector<double> m_times;           // sample times relative to the first sample
  std::vector<double> m_lag_sum;         // sum over origins of TMSD at each lag (in samples)
  std::vector<double> m_lag_count;       // number of origins that reached each lag
  std::vector<double> m_xcm_ref;         // group centre of mass at each origin (unwrapped), 3 per origin
  std::vector<double> m_type_counts;     // per template, then "other"
  double m_tmsd = 0.0;                   // TMSD of origin 0 at the last sample

  bigint m_last_step = -1;               // timestep of the last sample (rerun calls setup and end_of_step)

  // interstitial types: templates, and the lattice as defined when the fix was created
  std::vector<reval::DefectTemplate> m_templates;
  reval::LatticeMap m_lattice;
  reval::kernels::BoxGeom m_lattice_box{};
  std::unique_ptr<reval::InterstitialClassifier> m_classifier;    // built at the first classification
  std::vector<std::string> m_labels;
  std::vector<double> m_vector;
  bigint m_fit_sample = -1;
  double m_D = 0.0, m_sigma_D = 0.0, m_neff = 0.0;    // D, sigma_D: NaN while not fitted
  bool m_fitted = false;
  int m_fit_points = 0;                               // samples in the fit window
  double m_fit_window[2] = {0.0, 0.0};
};

}    // namespace LAMMPS_NS

#endif
