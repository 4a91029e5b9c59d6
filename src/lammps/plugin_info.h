/// @file plugin_info.h
/// What the plugin reports about itself when loaded, and the load-time consistency checks.
#pragma once

#include <string>

namespace LAMMPS_NS {
class LAMMPS;
}

// Hidden: each loaded copy of the plugin must use its own version check and banner, not the first
// loaded plugin's (symbols of dlopen'ed RTLD_GLOBAL objects would otherwise be interposed).
#define REVAL_PLUGIN_LOCAL __attribute__((visibility("hidden")))

namespace reval_lmp {

/// "REVAL 0.1.0 (git ..., Release, GCC ...) for LAMMPS 29 Sep 2021 (20210929), KOKKOS: ..."
REVAL_PLUGIN_LOCAL std::string plugin_banner(LAMMPS_NS::LAMMPS *lmp);

/// Stops with a LAMMPS ERROR when the running LAMMPS is not the version this plugin was compiled
/// against (the C++ ABI of LAMMPS classes is not stable across versions).
REVAL_PLUGIN_LOCAL void check_lammps_version(LAMMPS_NS::LAMMPS *lmp);

#ifdef REVAL_ENABLE_KOKKOS
/// Kokkos as the plugin sees it: version, backends, and whether the (shared) runtime is initialised.
/// A second Kokkos copy inside the plugin would report "not initialised" under `-k on`.
std::string kokkos_summary(LAMMPS_NS::LAMMPS *lmp);
#endif

}    // namespace reval_lmp
