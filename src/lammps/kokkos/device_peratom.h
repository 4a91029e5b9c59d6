/* -*- c++ -*- ----------------------------------------------------------
   REVAL: a /kk compute or fix whose per-atom array (array_atom) is the host view of a DualView. A
   style that reads another's per-atom values (fix re/harvest/kk) asks for this interface
   (dynamic_cast) and reads the values where they live, on the device, instead of the host copy.
   After the source has computed its values (compute_peratom, or the fix's own step) both copies are
   current; a reader syncs the DualView to its execution space (a no-op then) and does not modify it.
------------------------------------------------------------------------- */

#ifndef REVAL_KOKKOS_DEVICE_PERATOM_H
#define REVAL_KOKKOS_DEVICE_PERATOM_H

#include "kokkos_type.h"

namespace reval_lmp {

class DevicePerAtomArray {
 public:
  /// The per-atom array (rows: atoms, at least nlocal; columns: size_peratom_cols) as a DualView.
  virtual DAT::tdual_float_2d &peratom_dual() = 0;

 protected:
  ~DevicePerAtomArray() = default;
};

}    // namespace reval_lmp

#endif
