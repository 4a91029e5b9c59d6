#include "command_reval.h"

#include "compute_force_error.h"
#include "plugin_info.h"

#include "comm.h"
#include "error.h"
#include "modify.h"
#include "utils.h"

#include <string>

using namespace LAMMPS_NS;

void CommandReval::command(int narg, char **arg)
{
  if (narg < 1) error->all(FLERR, "reval: missing subcommand (info or reset ID)");
  const std::string sub = arg[0];
  if (sub == "info") {
    if (narg != 1) error->all(FLERR, "reval info takes no arguments");
    if (comm->me == 0) utils::logmesg(lmp, reval_lmp::plugin_banner(lmp) + "\n");
  } else if (sub == "reset") {
    if (narg != 2) error->all(FLERR, "reval reset needs one compute ID");
    int ic = modify->find_compute(arg[1]);
    if (ic < 0) error->all(FLERR, std::string("reval reset: compute ID '") + arg[1] + "' does not exist");
    auto *c = dynamic_cast<ComputeForceError *>(modify->compute[ic]);
    if (!c)
      error->all(FLERR, std::string("reval reset: compute ") + arg[1] + " is a compute " + modify->compute[ic]->style +
                            ", which accumulates nothing to reset");
    c->reset();
  } else {
    error->all(FLERR, "reval: unknown subcommand '" + sub + "' (use info or reset ID)");
  }
}
