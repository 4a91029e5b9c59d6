#include "plugin_info.h"

#include "lammps_bridge.h"

#include "core/version.h"

#include "comm.h"
#include "error.h"
#include "lammps.h"

#include <string>

// The LAMMPS version this plugin is compiled for (a test overrides it to provoke the mismatch error).
#ifndef REVAL_COMPILED_FOR_LAMMPS
#define REVAL_COMPILED_FOR_LAMMPS REVAL_LAMMPS_VERSION
#endif

namespace reval_lmp {

std::string plugin_banner(LAMMPS_NS::LAMMPS *lmp)
{
  std::string s = reval::build_summary() + " for LAMMPS " + lammps_release_label() + " (" +
      std::to_string(REVAL_LAMMPS_VERSION) + ")";
#ifdef REVAL_ENABLE_KOKKOS
  s += ", " + kokkos_summary(lmp);
#else
  (void) lmp;
  s += ", without KOKKOS";
#endif
  return s;
}

void check_lammps_version(LAMMPS_NS::LAMMPS *lmp)
{
  if (lmp->num_ver != REVAL_COMPILED_FOR_LAMMPS)
    lmp->error->all(FLERR,
                    "REVAL plugin was compiled for LAMMPS version " + std::to_string(REVAL_COMPILED_FOR_LAMMPS) +
                        " but was loaded into LAMMPS version " + std::to_string(lmp->num_ver) +
                        ": rebuild REVAL against this LAMMPS (cmake -DLAMMPS_SOURCE_DIR=..., see doc/build.md)");
}

}    // namespace reval_lmp
