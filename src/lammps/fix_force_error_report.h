/* -*- c++ -*- ----------------------------------------------------------
   REVAL internal fix of compute force/error (created by the compute with `accumulate yes` or
   `file FILE`; not meant to be used in input scripts):
   - with `accumulate yes`: evaluates the compute on every `every`-th step (setup of each run and
     end_of_step, so also on every rerun frame), independently of output, following LAMMPS' compute
     invocation protocol (clearstep / addstep, as fix ave/atom does);
   - keeps the accumulated statistics in restart files (restart_global) and hands them back to the
     compute when it is defined again after read_restart;
   - writes the compute's report at the end of every run (including rerun).
   The style name REVAL/FE/REPORT is kept from the time it only wrote reports.
------------------------------------------------------------------------- */

#ifndef LMP_FIX_FORCE_ERROR_REPORT_H
#define LMP_FIX_FORCE_ERROR_REPORT_H

#include "fix.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class ComputeForceError;

class FixForceErrorReport : public Fix {
 public:
  /// fix ID group REVAL/FE/REPORT compute-ID every (every = 0: report only, no accumulation)
  FixForceErrorReport(class LAMMPS *, int, char **);
  int setmask() override;
  void init() override;
  void setup(int) override;
  void end_of_step() override;
  void post_run() override;
  void write_restart(FILE *) override;
  void restart(char *) override;

  /// The accumulated state read from a restart file (empty if none); handed over once.
  std::vector<double> take_restart_state();

 private:
  ComputeForceError *compute();
  std::string m_compute;
  int m_every = 0;
  std::vector<double> m_restart;
};

}    // namespace LAMMPS_NS

#endif
