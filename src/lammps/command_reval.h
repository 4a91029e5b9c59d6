/* -*- c++ -*- ----------------------------------------------------------
   REVAL: the "reval" command — utilities that LAMMPS' own commands cannot provide to a plugin on
   every LAMMPS version:
     reval info             print REVAL's version and configuration
     reval reset ID         forget what compute ID (force/error) has accumulated
                            (same as compute_modify ID reset on LAMMPS versions that support it)
   Doc: doc/command_reval.rst
------------------------------------------------------------------------- */

#ifndef LMP_COMMAND_REVAL_H
#define LMP_COMMAND_REVAL_H

#include "command.h"

namespace LAMMPS_NS {

class CommandReval : public Command {
 public:
  CommandReval(class LAMMPS *lmp) : Command(lmp) {}
  void command(int, char **) override;
};

}    // namespace LAMMPS_NS

#endif
