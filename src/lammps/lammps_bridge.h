/// @file lammps_bridge.h
/// The few LAMMPS C++ APIs that changed between LAMMPS 29 Sep 2021 and 2025, behind one spelling: every
/// preprocessor test of the LAMMPS version in REVAL is in this file (doc/developer.md).
/// REVAL_LAMMPS_VERSION (YYYYMMDD) is derived by CMake from src/version.h of the LAMMPS built against.
#pragma once

#include "comm.h"
#include "neigh_request.h"
#include "neighbor.h"
#include "version.h"

#include <string>
#include <type_traits>

#ifndef REVAL_LAMMPS_VERSION
#error "REVAL_LAMMPS_VERSION must be defined (it is set by REVAL's CMake from LAMMPS src/version.h)"
#endif

/// neighbor->add_request(), set_kokkos_*(), comm->forward_comm(this): since 24 Mar 2022
#define REVAL_HAVE_ADD_REQUEST (REVAL_LAMMPS_VERSION >= 20220324)

/// The MPI type of int64_t: LAMMPS' MPI stubs (a LAMMPS built without MPI, e.g. the GPU kit's) have no
/// MPI_INT64_T but an 8-byte MPI_LONG_LONG. (The stubs' collectives also take non-const send buffers.)
#ifdef MPI_INT64_T
#define REVAL_MPI_INT64 MPI_INT64_T
#else
static_assert(sizeof(long long) == 8, "MPI_LONG_LONG stands for int64_t");
#define REVAL_MPI_INT64 MPI_LONG_LONG
#endif

namespace reval_lmp {

/// The LAMMPS release built against, as LAMMPS prints it ("29 Sep 2021 - Update 2"): version.h defines
/// LAMMPS_UPDATE only in stable updates.
inline std::string lammps_release_label()
{
#ifdef LAMMPS_UPDATE
  return LAMMPS_VERSION " - " LAMMPS_UPDATE;
#else
  return LAMMPS_VERSION;
#endif
}

/// Request a full neighbour list (optionally occasional, optionally with its own cutoff) for a
/// compute or fix. `instance_me` is the style's protected member (unused on newer LAMMPS).
template <class Style>
LAMMPS_NS::NeighRequest *request_full_list(LAMMPS_NS::Neighbor *neighbor, Style *self, int instance_me,
                                           bool occasional, double cutoff = -1.0)
{
#if REVAL_HAVE_ADD_REQUEST
  (void) instance_me;
  int flags = LAMMPS_NS::NeighConst::REQ_FULL;
  if (occasional) flags |= LAMMPS_NS::NeighConst::REQ_OCCASIONAL;
  auto *req = neighbor->add_request(self, flags);
  if (cutoff > 0.0) req->set_cutoff(cutoff);
  return req;
#else
  int irequest = neighbor->request(self, instance_me);
  LAMMPS_NS::NeighRequest *req = neighbor->requests[irequest];
  req->half = 0;
  req->full = 1;
  if (std::is_base_of<LAMMPS_NS::Compute, Style>::value) {
    req->pair = 0;
    req->compute = 1;
  } else if (std::is_base_of<LAMMPS_NS::Fix, Style>::value) {
    req->pair = 0;
    req->fix = 1;
  }
  req->occasional = occasional ? 1 : 0;
  if (cutoff > 0.0) {
    req->cut = 1;
    req->cutoff = cutoff;
  }
  return req;
#endif
}

/// Mark a request for a Kokkos neighbour list on the host and/or device.
inline void set_kokkos_request(LAMMPS_NS::NeighRequest *req, bool host, bool device)
{
#if REVAL_HAVE_ADD_REQUEST
  req->set_kokkos_host(host ? 1 : 0);
  req->set_kokkos_device(device ? 1 : 0);
#else
  req->kokkos_host = host ? 1 : 0;
  req->kokkos_device = device ? 1 : 0;
#endif
}

/// Forward (`forward` true) or reverse communication of a compute's, fix's or pair style's per-atom
/// buffers: comm->forward_comm(this) since 24 Mar 2022, forward_comm_compute/_fix/_pair(this) before.
template <bool forward, class Style> inline void comm_buffers(LAMMPS_NS::Comm *c, Style *style)
{
#if REVAL_HAVE_ADD_REQUEST
  if constexpr (forward) c->forward_comm(style); else c->reverse_comm(style);
#else
  if constexpr (std::is_base_of<LAMMPS_NS::Compute, Style>::value) {
    if constexpr (forward) c->forward_comm_compute(style); else c->reverse_comm_compute(style);
  } else if constexpr (std::is_base_of<LAMMPS_NS::Fix, Style>::value) {
    if constexpr (forward) c->forward_comm_fix(style); else c->reverse_comm_fix(style);
  } else {
    if constexpr (forward) c->forward_comm_pair(style); else c->reverse_comm_pair(style);
  }
#endif
}

template <class Style> inline void forward_comm(LAMMPS_NS::Comm *c, Style *style) { comm_buffers<true>(c, style); }
template <class Style> inline void reverse_comm(LAMMPS_NS::Comm *c, Style *style) { comm_buffers<false>(c, style); }

}    // namespace reval_lmp

// ---------------------------------------------------------------- per-atom storage fix
// FixStore ("STORE peratom 1 N") became FixStoreAtom ("STORE/ATOM N 0 0 1") on 28 Mar 2023
// (it was "STORE/PERATOM" in the feature releases in between, which REVAL does not support).
#if REVAL_LAMMPS_VERSION >= 20230328
#include "fix_store_atom.h"
#define REVAL_STORE_ATOM_CLASS FixStoreAtom
#elif REVAL_LAMMPS_VERSION >= 20220915
#error "REVAL does not support LAMMPS feature releases between 15 Sep 2022 and 28 Mar 2023 (fix STORE/PERATOM)"
#else
#include "fix_store.h"
#define REVAL_STORE_ATOM_CLASS FixStore
#endif

#include <string>

namespace reval_lmp {

using StoreAtomFix = LAMMPS_NS::REVAL_STORE_ATOM_CLASS;

/// The fix command that creates a restartable per-atom store of `nvalues` doubles per atom.
inline std::string store_atom_command(const std::string &id, const std::string &group, int nvalues)
{
#if REVAL_LAMMPS_VERSION >= 20230328
  return id + " " + group + " STORE/ATOM " + std::to_string(nvalues) + " 0 0 1";
#else
  return id + " " + group + " STORE peratom 1 " + std::to_string(nvalues);
#endif
}

}    // namespace reval_lmp

// ---------------------------------------------------------------- F (issue 14): compute_modify hook
// Newer LAMMPS hand compute_modify keywords they do not know to a virtual Compute::modify_param(int,
// char **) (as Fix::modify_param); 29 Sep 2021 has no such hook (compute_modify stops with "Illegal
// compute_modify command"). compute force/error declares `int modify_param(int, char **)` WITHOUT
// `override`, so that one declaration compiles against both: the hook where LAMMPS has one
// (`compute_modify ID reset`), a plain member otherwise; `reval reset ID` (command_reval) calls the same
// reset on every version. No preprocessor test is needed for it.
