/* -*- c++ -*- ----------------------------------------------------------
   REVAL: fix re/harvest/kk — the Kokkos twin of fix re/harvest. The per-atom step of every check
   (the criterion bits of each group atom and their per-criterion counts: the point kernels of the
   CPU style, kernels/point/harvest.hpp, in a parallel_reduce, kernels/kokkos/harvest_kokkos.hpp)
   runs on the device, on the per-atom values where they live: the per-atom arrays of compute
   re/atom/kk, fix re/stats/kk and compute force/error/kk (reval_lmp::DevicePerAtomArray) are read on
   the device; any other source (a plain or LAMMPS compute, a fix, an atom-style variable, a custom
   property) is read on the host as by the CPU style and copied to the device (no copy on host
   backends). The forces of a check step are kept on the device. Only the counts come back on a
   step where nothing fires; on a harvested step the IDs, types and positions (atom data sync), the
   kept forces and the criterion bits are copied to the host, and the CPU style gathers and writes
   the frame. Everything else (settings, frame criteria, throttling, novelty, output, restart) is
   the CPU style's.
   Per-atom state (the hop counts seen): a DualView aliasing the CPU style's host array, so that
   LAMMPS' host-side exchange, sorting and restart keep working; host-side changes mark it modified.
   Doc: doc/fix_re_harvest.rst
------------------------------------------------------------------------- */

#ifndef LMP_FIX_RE_HARVEST_KOKKOS_H
#define LMP_FIX_RE_HARVEST_KOKKOS_H

#include "fix_re_harvest.h"

#include "kokkos_type.h"

namespace LAMMPS_NS {

template <class DeviceType>
class FixREHarvestKokkos : public FixREHarvest {
 public:
  typedef DeviceType device_type;
  typedef ArrayTypes<DeviceType> AT;

  FixREHarvestKokkos(class LAMMPS *, int, char **);
  ~FixREHarvestKokkos() override;
  void init() override;
  void end_of_step() override;
  double memory_usage() override;

  void grow_arrays(int) override;
  void copy_arrays(int, int, int) override;
  void set_arrays(int) override;
  int pack_exchange(int, double *) override;
  int unpack_exchange(int, double *) override;
  int pack_restart(int, double *) override;
  void unpack_restart(int, int) override;

 protected:
  void count_atoms(const reval::kernels::HarvestCriteria &c, double *counts) override;
  void frame_to_host() override;
  void capture_forces() override;

  DAT::tdual_double_1d k_hops_seen;    // aliases m_hops_seen (host)
  DAT::tdual_float_2d k_host_values;   // values read on the host (column = atom criterion), copied to the device
  Kokkos::View<int *, DeviceType> d_bits;
  typename AT::t_f_array d_f;          // the forces captured on the last check step
  int m_nf = 0;                        // rows of d_f that hold them
  bool m_host_sync = false;            // some criterion reads atom data on the host: sync it first
};

}    // namespace LAMMPS_NS

#endif
