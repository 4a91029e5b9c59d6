/* -*- c++ -*- ----------------------------------------------------------
   REVAL: compute vacancy/sites/kk — the Kokkos twin of compute vacancy/sites. The per-atom nearest-
   site search, the occupancy count and the Wigner-Seitz count run on the device with the point
   kernels of the CPU style (kernels/point/site_search.hpp, wigner_seitz.hpp); the site grid and
   lists are copied to the device when they are rebuilt (rarely), their coordinates when the box
   changes. Host work: the exchanges of site counts
   between ranks, the vacancy list and the defect clusters, as in the CPU style.
   Doc: doc/compute_vacancy_sites.rst
------------------------------------------------------------------------- */

#ifndef LMP_COMPUTE_VACANCY_SITES_KOKKOS_H
#define LMP_COMPUTE_VACANCY_SITES_KOKKOS_H

#include "compute_vacancy_sites.h"

#include "kernels/kokkos/site_kokkos.hpp"

#include "kokkos_type.h"

namespace LAMMPS_NS {

template <class DeviceType>
class ComputeVacancySitesKokkos : public ComputeVacancySites {
 public:
  ComputeVacancySitesKokkos(class LAMMPS *, int, char **);
  double memory_usage() override;

  /// Device copies for the Kokkos styles built on this compute (compute re/atom/kk).
  const reval::kokkos::SiteDeviceGrid<DeviceType> &device_grid() const { return m_dev; }
  Kokkos::View<reval::kernels::NearestTwo *, DeviceType> device_nearest() const { return d_nearest; }

 protected:
  double search_atoms(bool guesses, int *occ_all) override;
  void count_ws(const reval::kernels::WsRegion &region, int *ws_all, int bad[2]) override;
  void nearest_to_host(reval::HugeVector<reval::kernels::NearestTwo> &nearest) override;
  void sync_host_atoms() override;

 private:
  reval::kokkos::SiteDeviceGrid<DeviceType> m_dev;
  int m_dev_epoch = -1, m_dev_coords = -1;    // site epoch and coordinate version of the device copies
  Kokkos::View<int *, DeviceType> d_occ, d_ws, d_ws_bad;
  Kokkos::View<reval::kernels::NearestTwo *, DeviceType> d_nearest;
  int m_nearest_n = 0;    // atoms of the last search
};

}    // namespace LAMMPS_NS

#endif
