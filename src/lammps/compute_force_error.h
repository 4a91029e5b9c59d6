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
  /// compute_modify ID reset (LAMMPS versions with Compute::modify_param); `reval reset ID` otherwise
  int modify_param(int, char **);

  /// Forgets everything accumulated so far.
  void reset();
  /// Writes the report to the `file` given (called at the end of every run by an internal fix).
  void write_report();

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

  void parse_source(Source &s, const char *keyword, int narg, char **arg, int &iarg);
  void init_source(Source &s);
  void load_source(Source &s, const char *keyword, std::vector<double> out[3]);
  void evaluate();
  void update_results();

  Source m_ref, m_pred;
  bool m_pred_forces = true;    // default prediction: the atoms' current forces
  std::unique_ptr<reval_lmp::PerAtomValue> m_mask, m_sigma;
  std::string m_energy_var;     // reference total energy (equal-style variable)
  std::string m_report_file, m_id_report_fix;
  bool m_accumulate = false;
  std::unique_ptr<reval::ForceErrorStats> m_local, m_total;
  bigint m_evaluated = -1;
  int m_setups = 0, m_evaluated_setup = -1;
  double m_spearman = 0.0;
  double m_results[17];
  int m_nrows = 0;
  double **m_cdf = nullptr;
  int m_nmax = 0;
  double **m_peratom = nullptr;
};

}    // namespace LAMMPS_NS

#endif
