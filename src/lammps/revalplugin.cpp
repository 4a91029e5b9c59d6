// Plugin entry point: `plugin load revalplugin.so` calls lammpsplugin_init(), which registers the
// REVAL styles (plain, and /kk, /kk/device, /kk/host in a KOKKOS build) with LAMMPS.
// Only styles that exist and work are registered.
#include "plugin_info.h"

#include "comm.h"
#include "lammps.h"
#include "lammpsplugin.h"
#include "utils.h"
#include "version.h"

using namespace LAMMPS_NS;

extern "C" void lammpsplugin_init(void *lmpptr, void *handle, void *regfunc)
{
  auto *lmp = static_cast<LAMMPS *>(lmpptr);
  auto register_plugin = reinterpret_cast<lammpsplugin_regfunc>(regfunc);
  (void) register_plugin;
  (void) handle;

  reval_lmp::check_lammps_version(lmp);
  if (lmp->comm->me == 0) utils::logmesg(lmp, reval_lmp::plugin_banner(lmp) + "\n");
}
