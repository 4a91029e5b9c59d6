// Kokkos translation unit of the plugin: what Kokkos looks like from inside revalplugin.so.
#include "plugin_info.h"

#include "kokkos.h"
#include "lammps.h"

#include <Kokkos_Core.hpp>

#include <string>

namespace reval_lmp {

std::string kokkos_summary(LAMMPS_NS::LAMMPS *lmp)
{
  std::string s = "KOKKOS " + std::to_string(KOKKOS_VERSION / 10000) + "." +
      std::to_string(KOKKOS_VERSION / 100 % 100) + "." + std::to_string(KOKKOS_VERSION % 100) + " (" +
      Kokkos::DefaultExecutionSpace::name();
  if (!std::is_same<Kokkos::DefaultExecutionSpace, Kokkos::DefaultHostExecutionSpace>::value)
    s += std::string(", host ") + Kokkos::DefaultHostExecutionSpace::name();
  s += ")";
  if (lmp->kokkos) {
    if (Kokkos::is_initialized())
      s += ", runtime shared with LAMMPS, concurrency " +
          std::to_string(Kokkos::DefaultExecutionSpace::concurrency());
    else
      s += ", ERROR: Kokkos runtime not initialised as seen from the plugin (second Kokkos copy?)";
  } else {
    s += ", inactive (run with -k on to use /kk styles)";
  }
  return s;
}

}    // namespace reval_lmp
