/* -*- c++ -*- ----------------------------------------------------------
   REVAL: compute force/error — per-atom force errors against reference forces, their CDFs, NAC,
   the P score, RMSE/MAE, energy errors and ensemble-uncertainty calibration.
   Doc: doc/compute_force_error.rst
------------------------------------------------------------------------- */

#ifndef LMP_COMPUTE_FORCE_ERROR_H
#define LMP_COMPUTE_FORCE_ERROR_H

#include "compute.h"

#include <memory>
#include <string>
#include <vector>

namespace reval {
struct DumpFrame;
struct ForceErrorSettings;
class ForceErrorStats;
class DumpReader;
}    // namespace reval
namespace reval_lmp {
class PerAtomValue;
}

namespace LAMMPS_NS {

class ComputeForceError : public Compute {
 public:
  ComputeForceError(class LAMMPS *, int, char **);
  ~ComputeForceError() override;
  void init() override;
  void setup() override;
  void compute_vector() override;
  void compute_array() override;
  void compute_peratom() override;
  double memory_usage() override;
  /// compute_modify ID reset (LAMMPS versions with Compute::modify_param); `reval reset ID` otherwise.
  /// No `override`: the hook does not exist in every supported LAMMPS (lammps_bridge.h, compute_modify hook).
  int modify_param(int, char **);

  /// Forgets everything accumulated so far.
  void reset();
  /// Writes the report to the `file` given (called at the end of every run by an internal fix).
  void write_report();

  // ---- called by the internal fix (fix_force_error_report.h) that drives accumulation
  /// With `accumulate yes`: evaluates the current step and adds it to the accumulated statistics if
  /// it is due (a multiple of `every`) and not counted yet (each timestep once).
  void accumulate_step();
  /// The first step > `step` on which accumulate_step() counts (a multiple of `every`).
  bigint next_due(bigint step) const { return (step / m_every + 1) * m_every; }
  /// At the end of a run: results brought up to date, so that variables between runs can read them.
  void end_of_run();
  /// Accumulated state for a restart file (collective; the data on rank 0, empty elsewhere; first
  /// value: the number of values).
  std::vector<double> restart_state();
  /// Restores restart_state() (on every rank); ERROR if the settings differ.
  void restore_state(const double *state);

 protected:
  struct Source {    // three per-atom values, or a dump file (then `file` is set)
    std::vector<std::unique_ptr<reval_lmp::PerAtomValue>> xyz;
    std::string file;
    std::unique_ptr<reval::DumpReader> reader;
  };
  /// Per-atom inputs of one evaluation: host arrays over the owned atoms (sources are per-atom
  /// values of other styles or dump frames, which live on the host).
  struct AtomInputs {
    const std::vector<double> *ref = nullptr;      ///< [3]: reference force components
    const std::vector<double> *pred = nullptr;     ///< [3], or nullptr: the atoms' current forces
    const std::vector<double> *mask = nullptr;     ///< nullptr: no mask keyword
    const std::vector<double> *sigma = nullptr;    ///< nullptr: no uncertainty keyword
  };
  /// The per-atom work of one evaluation: the error terms of the owned atoms into the per-atom array
  /// (array_atom, zeros for atoms not counted) and, for the counted atoms (group, mask != 0), their
  /// tallies into m_local (cleared before): sums, maximum |P - F| and, with uncertainties, the
  /// (sigma, |P - F|) samples in atom order. The Kokkos twin overrides it (the rest is shared).
  virtual void tally_atoms(const AtomInputs &in);

  // ---- constructor steps
  /// The keywords (sources, mask, uncertainty, accumulation, report) into the members, the binning and
  /// thresholds into the returned settings; ERROR naming the keyword for bad input.
  reval::ForceErrorSettings parse_arguments(int narg, char **arg);
  void parse_bins(reval::ForceErrorSettings &set, char **values);          ///< nF Fmax ntheta thetamax
  void parse_thresholds(reval::ForceErrorSettings &set, char **values);    ///< dF dtheta1 dtheta2
  int parse_every(const char *word);
  /// ERROR if an input is a value of this compute itself (it would be read before it is computed).
  void check_inputs_are_not_this_compute();
  void declare_outputs(const reval::ForceErrorSettings &set);
  /// The internal fix that accumulates, keeps the restart data and writes the report; takes over
  /// accumulated statistics from a restart file.
  void add_report_fix();

  void parse_source(Source &s, const char *keyword, int narg, char **arg, int &iarg);
  void init_source(Source &s);
  void load_source(Source &s, const char *keyword, std::vector<double> out[3]);
  /// The frame of this timestep (rank 0; ERROR if there is none or it lacks id/fx/fy/fz): the columns.
  void read_frame(Source &s, const std::string &where, reval::DumpFrame &frame, int cols[4]);
  /// The frame's forces of the owned atoms (rows broadcast from rank 0 in chunks), by atom ID.
  void scatter_frame(const reval::DumpFrame &frame, const int cols[4], const std::string &where,
                     std::vector<double> out[3]);
  /// ERROR if a group atom has no row or a row names no atom of the system (collective).
  void check_frame_covers_atoms(const std::vector<char> &got, bigint matched, bigint nrows, const std::string &where);
  /// All per-atom inputs of one evaluation (ref, pred, mask, uncertainty), checked finite.
  void load_inputs(std::vector<double> F[3], std::vector<double> P[3], std::vector<double> &mask,
                   std::vector<double> &sigma);
  /// The per-atom part of an evaluation: inputs, tally_atoms, this step's sums reduced over the ranks.
  void evaluate_atoms();
  /// Adds this step's energy error (potential energy - the reference variable) to m_local; ERROR if
  /// the potential energy was not tallied on this step.
  void add_energy_error();
  /// Evaluates the current configuration if not done yet in this step and run (per-atom array, this
  /// step's reduced tallies in m_local); with `count` (accumulate yes, due step not counted yet) also
  /// adds them to m_total; without accumulate, m_total is this step's tallies.
  void evaluate(bool count);
  /// Brings the global vector (with Spearman's rho, collective) / the CDF array up to date.
  void update_vector();
  void update_array();
  /// ERROR if a per-atom value of a counted atom (group, mask != 0) is not finite (NaN, inf); `what`
  /// names each input (one collective reduction for all).
  void check_finite(const std::vector<const std::vector<double> *> &values, const std::vector<std::string> &what,
                    const std::vector<double> *mask);

  Source m_ref, m_pred;
  bool m_pred_forces = true;    // default prediction: the atoms' current forces
  std::unique_ptr<reval_lmp::PerAtomValue> m_mask, m_sigma;
  std::string m_energy_var;     // reference total energy (equal-style variable)
  std::string m_report_file, m_id_report_fix;
  bool m_accumulate = false;
  int m_every = 1;                      // accumulate every this many steps
  std::unique_ptr<reval::ForceErrorStats> m_local, m_total;
  bigint m_evaluated = -1;              // step and run (setup count) of the per-atom array and m_local
  int m_setups = 0, m_evaluated_setup = -1;
  bool m_local_energy = false;          // m_local holds this step's energy error
  bigint m_counted = -1;                // last timestep added to m_total (accumulate yes)
  bool m_vector_stale = true, m_array_stale = true;
  bool m_evaluating = false;            // recursion guard (circular references)
  std::string m_loading;                // the keyword and value being evaluated (for messages)
  double m_spearman = 0.0;
  bool m_samples_dropped = false;    // a restart file could not hold the uncertainty samples: no rho
  double m_results[17];
  int m_nrows = 0;
  double **m_cdf = nullptr;
  int m_nmax = 0;
  double **m_peratom = nullptr;
};

}    // namespace LAMMPS_NS

#endif
