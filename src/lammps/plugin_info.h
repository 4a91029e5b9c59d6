/// @file plugin_info.h
/// What the plugin reports about itself when loaded, and the load-time consistency checks.
#pragma once

#include <string>

namespace LAMMPS_NS {
class LAMMPS;
}

namespace reval_lmp {

/// "REVAL 0.1.0 (git ..., Release, GCC ...) for LAMMPS 29 Sep 2021 (20210929), KOKKOS: ..."
std::string plugin_banner(LAMMPS_NS::LAMMPS *lmp);

/// Stops with a LAMMPS ERROR when the running LAMMPS is not the version this plugin was compiled
/// against (the C++ ABI of LAMMPS classes is not stable across versions).
void check_lammps_version(LAMMPS_NS::LAMMPS *lmp);

#ifdef REVAL_ENABLE_KOKKOS
/// Kokkos as the plugin sees it: version, backends, and whether the (shared) runtime is initialised.
/// A second Kokkos copy inside the plugin would report "not initialised" under `-k on`.
std::string kokkos_summary(LAMMPS_NS::LAMMPS *lmp);
#endif

}    // namespace reval_lmp
