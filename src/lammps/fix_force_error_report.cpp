#include "fix_force_error_report.h"

#include "compute_force_error.h"

#include "error.h"
#include "modify.h"

using namespace LAMMPS_NS;

FixForceErrorReport::FixForceErrorReport(LAMMPS *lmp, int narg, char **arg) : Fix(lmp, narg, arg)
{
  if (narg != 4) error->all(FLERR, "fix REVAL/FE/REPORT is internal to compute force/error");
  m_compute = arg[3];
}

int FixForceErrorReport::setmask()
{
  return 0;    // post_run() is called for every fix
}

void FixForceErrorReport::post_run()
{
  int ic = modify->find_compute(m_compute);
  if (ic < 0) return;
  if (auto *c = dynamic_cast<ComputeForceError *>(modify->compute[ic])) c->write_report();
}
