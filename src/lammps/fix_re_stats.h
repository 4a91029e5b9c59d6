/* -*- c++ -*- ----------------------------------------------------------
   REVAL: fix re/stats — total mean squared displacement, diffusivity with the He et al. (2018) error
   bar, hops between lattice sites, and occurrence of interstitial types, sampled during MD.
   Doc: doc/fix_re_stats.rst
------------------------------------------------------------------------- */

#ifndef LMP_FIX_RE_STATS_H
#define LMP_FIX_RE_STATS_H

#include "fix.h"

#include <memory>
#include <string>
#include <vector>

#include "re_stats_interstitials.h"
#include "re_stats_output.h"
#include "re_stats_settings.h"

#include "core/diffusion.h"
#include "kernels/point/box_math.hpp"
#include "kernels/point/re_stats.hpp"

namespace LAMMPS_NS {

class ComputeVacancySites;

/// Parts (each in its own file): settings and their parser (re_stats_settings), the interstitial
/// classification (re_stats_interstitials, core/interstitials + core/lattice_frame), the diffusion fit
/// (core/diffusion estimate_diffusion), the file output (re_stats_output). This class is the sampler
/// (time origins, centre of mass, the per-atom point kernels of kernels/point/re_stats.hpp, the lag
/// sums), the per-atom state that migrates with the atoms, the global vector and the restart data.
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
  // ---- constructor steps
  void declare_outputs();
  void allocate_peratom();

  // ---- one sample, step by step
  void sample();
  /// The group count must not change (the reference positions belong to fixed atoms); the first
  /// sample records it.
  void check_group_count();
  /// Centre-of-mass drift since each origin (3 per origin; zeros without com); records the centre of
  /// mass of the origin started now.
  std::vector<double> com_drift(int start);
  /// What this sample does per atom (the point kernels' parameters).
  reval::kernels::ReStatsSample sample_parameters(int start, int nactive, const double *xcm) const;
  /// Per-atom part of one sample over the local atoms (the Kokkos twin runs it on the device): takes
  /// the references of the origin started now, updates home sites and hop counts in the per-atom
  /// state, fills the per-atom output (m_out, array_atom). `sums` (size norigins + 1) receives this
  /// rank's squared displacements summed per active origin, then the number of new hops.
  virtual void sample_atoms(const reval::kernels::ReStatsSample &p, std::vector<double> &sums);
  /// Adds the reduced squared displacements of the active origins to the sums of their lags.
  void add_to_lags(bigint k, int nactive, const std::vector<double> &global);
  /// Interstitials of this sample into the type counts (collective); returns the number of them.
  int count_interstitials(std::vector<int> &types);
  void write_file_row(double t, int n_int, const std::vector<int> &types);

  /// This rank's centre-of-mass sums of the group (mass, mass-weighted unwrapped position: the point
  /// kernel re_stats_com_add per atom; the Kokkos twin runs it in a device reduction).
  virtual void group_com_sums(double s[4]);
  /// Unwrapped centre of mass of the group, as LAMMPS Group::xcm (collective): group_com_sums, one
  /// MPI_Allreduce, re_stats_com_finish.
  void group_com(double cm[3]);
  /// Unwrapped position of local atom i (Domain::unmap through the point kernels).
  void unwrapped(const reval::kernels::BoxGeom &box, int i, double u[3]) const;

  void update_fit();
  double current_time() const;
  void open_file();
  int nvalues() const { return 3 * m_set.norigins + 3; }    // per atom: refs (3 per origin), home, hops, set
  /// Values per atom that migrate with it and go to restart files: the state, then the output row.
  int nmigrate() const { return nvalues() + kOutCols; }

 public:
  static constexpr int kOutCols = 4;          ///< per-atom output: hops, dx, dy, dz

 protected:
  reval_lmp::ReStatsSettings m_set;
  reval_lmp::ReStatsInterstitials m_interstitials;
  ComputeVacancySites *m_sites = nullptr;

  // file output
  reval_lmp::ReStatsFile m_file;
  bool m_file_opened = false;
  bool m_restored = false;         // global state taken from a restart file

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

  bigint m_fit_sample = -1;
  reval::DiffusionEstimate m_fit;        // D, sigma_D: NaN while not fitted
};

}    // namespace LAMMPS_NS

#endif
