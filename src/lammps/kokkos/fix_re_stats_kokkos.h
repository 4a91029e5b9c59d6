/* -*- c++ -*- ----------------------------------------------------------
   REVAL: fix re/stats/kk — the Kokkos twin of fix re/stats. The per-atom part of every sample
   (unwrapped displacements from the reference of each time origin, their sums per origin, the
   centre-of-mass sums, home sites and hop counts) runs on the device with the point kernels of the
   CPU style (kernels/point/re_stats.hpp); only the sums (norigins + 1 numbers, 4 for the centre of
   mass) come back to the host. Everything else (settings, MPI reductions, fit, interstitial
   classification of the few defect atoms, file, restart) is the CPU style's.
   Per-atom state and output: DualViews aliasing the host arrays of the CPU style, so that LAMMPS'
   host-side atom exchange, sorting and restart keep working; they are synced to the device before the
   kernel and back after it, host-side changes (exchange, sort, restart, growth) mark the host copies
   modified.
   Doc: doc/fix_re_stats.rst
------------------------------------------------------------------------- */

#ifndef LMP_FIX_RE_STATS_KOKKOS_H
#define LMP_FIX_RE_STATS_KOKKOS_H

#include "fix_re_stats.h"

#include "kokkos_type.h"

#include "device_peratom.h"

#include <vector>

namespace LAMMPS_NS {

template <class DeviceType>
class FixREStatsKokkos : public FixREStats, public reval_lmp::DevicePerAtomArray {
 public:
  /// The per-atom output (array_atom) as a DualView, for readers on the device (device_peratom.h).
  DAT::tdual_float_2d &peratom_dual() override { return k_out; }

  typedef DeviceType device_type;
  typedef ArrayTypes<DeviceType> AT;

  FixREStatsKokkos(class LAMMPS *, int, char **);
  ~FixREStatsKokkos() override;
  void setup(int) override;
  void end_of_step() override;
  double memory_usage() override;

  void grow_arrays(int) override;
  void copy_arrays(int, int, int) override;
  int unpack_exchange(int, double *) override;
  void unpack_restart(int, int) override;

 protected:
  void sample_atoms(const reval::kernels::ReStatsSample &p, std::vector<double> &sums) override;
  void group_com_sums(double s[4]) override;
  void sync_host_inputs();
  /// The nearest-site data of compute vacancy/sites readable on the device (d_nearest, d_px/py/pz, d_gid).
  void site_data_on_device(const reval::kernels::BoxGeom &box, int nlocal);

  DAT::tdual_float_2d k_state;    // aliases m_state (host)
  DAT::tdual_float_2d k_out;      // aliases m_out (host), the per-atom output (array_atom)
  // copies of compute vacancy/sites' host data (until that compute exposes device data)
  Kokkos::View<reval::kernels::NearestTwo *, DeviceType> d_nearest;
  Kokkos::View<double *, DeviceType> d_px, d_py, d_pz, d_gid, d_xcm;
};

}    // namespace LAMMPS_NS

#endif
