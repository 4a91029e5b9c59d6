/* -*- c++ -*- ----------------------------------------------------------
   REVAL: what every /kk style does first. require_kokkos() goes into the base-class initializer, so
   that without -k on (where `atom` is no AtomKokkos) the style stops with a clear ERROR before the CPU
   style parses anything; self_syncing() sets the Kokkos flags of a compute or fix that syncs exactly
   what it reads itself (LAMMPS then syncs nothing on its behalf).
------------------------------------------------------------------------- */

#ifndef REVAL_KOKKOS_STYLE_H
#define REVAL_KOKKOS_STYLE_H

#include "atom_masks.h"
#include "error.h"
#include "kokkos_type.h"
#include "lammps.h"

#include <string>

namespace reval_lmp {

inline LAMMPS_NS::LAMMPS *require_kokkos(LAMMPS_NS::LAMMPS *lmp, const std::string &style)
{
  if (!lmp->kokkos)
    lmp->error->all(FLERR, style + ": needs the KOKKOS package enabled: run LAMMPS with -k on (and -sf kk)");
  return lmp;
}

template <class DeviceType, class Style> void self_syncing(Style *style)
{
  style->kokkosable = 1;
  style->execution_space = ::ExecutionSpaceFromDevice<DeviceType>::space;
  style->datamask_read = EMPTY_MASK;
  style->datamask_modify = EMPTY_MASK;
}

}    // namespace reval_lmp

#endif
