/* -*- c++ -*- ----------------------------------------------------------
   REVAL internal fix (created by compute force/error ... file FILE): writes the compute's report at
   the end of every run (including rerun). Not meant to be used in input scripts.
------------------------------------------------------------------------- */

#ifndef LMP_FIX_FORCE_ERROR_REPORT_H
#define LMP_FIX_FORCE_ERROR_REPORT_H

#include "fix.h"

#include <string>

namespace LAMMPS_NS {

class FixForceErrorReport : public Fix {
 public:
  FixForceErrorReport(class LAMMPS *, int, char **);
  int setmask() override;
  void post_run() override;

 private:
  std::string m_compute;
};

}    // namespace LAMMPS_NS

#endif
