/* -*- c++ -*- ----------------------------------------------------------
   REVAL: compute re/atom/kk — the Kokkos twin of compute re/atom. Per-atom migrating flags and
   distances run on the device with the point kernels of the CPU style, on the nearest-site data that
   compute vacancy/sites/kk leaves on the device. The per-atom array is a DualView (synced to the
   host for output). Host work: the forward communication of the ghost atoms' flags, and the
   binning of the vacancy and migrating-atom points (uploaded; the atoms are sorted by cell and the
   distances measured on the device). On a host execution space the second pass is the plain style's
   code (reval::PointQueries), its cells run in parallel.
   Doc: doc/compute_re_atom.rst
------------------------------------------------------------------------- */

#ifndef LMP_COMPUTE_RE_ATOM_KOKKOS_H
#define LMP_COMPUTE_RE_ATOM_KOKKOS_H

#include "compute_re_atom.h"

#include "kokkos_type.h"

#include "device_peratom.h"

#include "kernels/kokkos/site_kokkos.hpp"

namespace LAMMPS_NS {

template <class DeviceType>
class ComputeVacancySitesKokkos;

template <class DeviceType>
class ComputeREAtomKokkos : public ComputeREAtom, public reval_lmp::DevicePerAtomArray {
 public:
  /// The per-atom output (array_atom) as a DualView, for readers on the device (device_peratom.h).
  DAT::tdual_float_2d &peratom_dual() override { return k_array; }

  ComputeREAtomKokkos(class LAMMPS *, int, char **);
  ~ComputeREAtomKokkos() override;
  void init() override;
  void compute_peratom() override;
  double memory_usage() override;
  /// Distances to the nearest vacancy and migrating atom (second pass; public: it launches lambdas).
  template <class XView, class MaskView, class ArrayView>
  void second_pass(const XView &x, const MaskView &mask, const ArrayView &d_array);

 protected:
  ComputeVacancySitesKokkos<DeviceType> *m_sites_kk = nullptr;
  DAT::tdual_float_2d k_array;
  Kokkos::View<double *, DeviceType> d_flag;
  reval::kokkos::PointDeviceGrid<DeviceType> m_vac_dev, m_mig_dev;    // device copies of m_vac_grid, m_mig_grid
  reval::kokkos::PointQueriesDevice<DeviceType> m_queries_dev;          // device path: atoms sorted by cell
  int m_nmax_kk = 0;
};

}    // namespace LAMMPS_NS

#endif
