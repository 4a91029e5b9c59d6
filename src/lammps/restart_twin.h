/* -*- c++ -*- ----------------------------------------------------------
   REVAL: restart data of a fix written under its accelerated twin (or the other way round).

   LAMMPS hands a fix the global and per-atom data of a restart file only when the fix ID and the
   style string match those written. A restart written by "fix ID group re/stats" and read back with
   -sf kk (style "re/stats/kk") therefore started over without a word, and so did the reverse
   (LAMMPS 29 Sep 2021 compares the exact style; later versions strip the suffix for the global data
   only, never for the per-atom data). REVAL's plain and /kk twins write the same restart data, so
   restore_twin_restart() (called from Fix::post_constructor(), which LAMMPS calls just before its own
   matching in Modify::add_fix) hands a fix the entries of its ID written by a twin style (same style
   once an accelerator suffix is stripped) that LAMMPS does not match itself, and marks them used.
   Where a later LAMMPS also matches the global entry, restart() runs twice on the same data, which a
   fix's restart() must tolerate (REVAL's assign their state).

   The stored restart entries are protected members of Modify (the same names from 2021 to 2025);
   they are read through pointers to members formed in a class derived from Modify.
------------------------------------------------------------------------- */

#ifndef REVAL_LMP_RESTART_TWIN_H
#define REVAL_LMP_RESTART_TWIN_H

#include "atom.h"
#include "comm.h"
#include "fix.h"
#include "lammps.h"
#include "modify.h"
#include "utils.h"

#include <cstring>
#include <string>

namespace reval_lmp {

/// Style name without an accelerator suffix ("re/stats/kk/host" -> "re/stats").
inline std::string strip_accelerator_suffix(const std::string &style)
{
  for (const char *suffix : {"/kk/host", "/kk/device", "/kk", "/gpu", "/intel", "/omp", "/opt"}) {
    const std::string s = suffix;
    if (style.size() > s.size() && style.compare(style.size() - s.size(), s.size(), s) == 0)
      return style.substr(0, style.size() - s.size());
  }
  return style;
}

namespace detail {
struct ModifyRestartEntries : LAMMPS_NS::Modify {
  using Strings = char **LAMMPS_NS::Modify::*;
  using Ints = int *LAMMPS_NS::Modify::*;
  static Strings id_global() { return &ModifyRestartEntries::id_restart_global; }
  static Strings style_global() { return &ModifyRestartEntries::style_restart_global; }
  static Strings state_global() { return &ModifyRestartEntries::state_restart_global; }
  static Ints used_global() { return &ModifyRestartEntries::used_restart_global; }
  static Strings id_peratom() { return &ModifyRestartEntries::id_restart_peratom; }
  static Strings style_peratom() { return &ModifyRestartEntries::style_restart_peratom; }
  static Ints index_peratom() { return &ModifyRestartEntries::index_restart_peratom; }
  static Ints used_peratom() { return &ModifyRestartEntries::used_restart_peratom; }
};
}    // namespace detail

/// Gives `fix` the global and per-atom restart entries of its ID written by a twin style (see the file
/// comment). Returns the number of entries restored (0, 1 or 2).
inline int restore_twin_restart(LAMMPS_NS::LAMMPS *lmp, LAMMPS_NS::Fix *fix)
{
  using E = detail::ModifyRestartEntries;
  LAMMPS_NS::Modify *modify = lmp->modify;
  const std::string style = fix->style, base = strip_accelerator_suffix(style);
  auto twin = [&](const char *id, const char *written) {
    return std::strcmp(id, fix->id) == 0 && style != written && strip_accelerator_suffix(written) == base;
  };
  int restored = 0;
  auto announce = [&](const char *what, const char *written) {
    ++restored;
    if (lmp->comm->me == 0)
      LAMMPS_NS::utils::logmesg(lmp, std::string("Resetting ") + what + " fix info from restart file written by its "
                                     "twin:\n  fix style: " + style + " (written as " + written + "), fix ID: " +
                                     fix->id + "\n");
  };
  if (fix->restart_global)
    for (int i = 0; i < modify->nfix_restart_global; ++i) {
      const char *written = (modify->*E::style_global())[i];
      if (!twin((modify->*E::id_global())[i], written)) continue;
      fix->restart((modify->*E::state_global())[i]);
      (modify->*E::used_global())[i] = 1;
      fix->restart_reset = 1;
      announce("global", written);
    }
  if (fix->restart_peratom)
    for (int i = 0; i < modify->nfix_restart_peratom; ++i) {
      const char *written = (modify->*E::style_peratom())[i];
      if (!twin((modify->*E::id_peratom())[i], written)) continue;
      const int index = (modify->*E::index_peratom())[i];
      for (int j = 0; j < lmp->atom->nlocal; ++j) fix->unpack_restart(j, index);
      (modify->*E::used_peratom())[i] = 1;
      fix->restart_reset = 1;
      announce("peratom", written);
    }
  return restored;
}

}    // namespace reval_lmp

#endif
