/* ----------------------------------------------------------------------
   REVAL: compute vacancy/sites/kk (see compute_vacancy_sites_kokkos.h)
------------------------------------------------------------------------- */

#include "compute_vacancy_sites_kokkos.h"
#include "kokkos_style.h"

#include "adapter_utils.h"
#include "site_analysis.h"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "error.h"
#include "kokkos.h"

#include <string>
#include <vector>

using namespace LAMMPS_NS;

template <class DeviceType>
ComputeVacancySitesKokkos<DeviceType>::ComputeVacancySitesKokkos(LAMMPS *lmp, int narg, char **arg) :
    ComputeVacancySites(reval_lmp::require_kokkos(lmp, "compute vacancy/sites/kk"), narg, arg)
{
  reval_lmp::self_syncing<DeviceType>(this);
  atomKK = (AtomKokkos *) atom;
}

template <class DeviceType>
double ComputeVacancySitesKokkos<DeviceType>::search_atoms(bool guesses, int *occ_all)
{
  using exec_space = typename DeviceType::execution_space;
  const reval_lmp::SiteAnalysis &sa = analysis();
  const auto box = reval_lmp::box_geom(domain);
  const int nsites = sa.nown + sa.nghost;

  // site grid and lists: copied when rebuilt; coordinates when they were recomputed (box change)
  if (m_dev_epoch != sa.index.epoch()) {
    reval::kokkos::to_device(m_dev.bin_start, sa.grid.bin_start(), "vacancy/sites/kk:bin_start");
    reval::kokkos::to_device(m_dev.order, sa.grid.order(), "vacancy/sites/kk:order");
    const auto lv = sa.lists.view(box);
    const int nslots = sa.grid.npoints();
    reval::kokkos::to_device(m_dev.lstart, lv.start, nslots + 1, "vacancy/sites/kk:lstart");
    reval::kokkos::to_device(m_dev.llist, lv.list, lv.start[nslots], "vacancy/sites/kk:llist");
    reval::kokkos::to_device(m_dev.lcomplete, lv.complete, nslots, "vacancy/sites/kk:lcomplete");
    reval::kokkos::to_device(m_dev.gid_of_slot, sa.gid_of_slots(), "vacancy/sites/kk:gid");
    m_dev_epoch = sa.index.epoch();
    m_dev_coords = -1;
  }
  if (m_dev_coords != sa.index.coords_version()) {
    reval::kokkos::to_device(m_dev.px, sa.grid.px(), "vacancy/sites/kk:px");
    reval::kokkos::to_device(m_dev.py, sa.grid.py(), "vacancy/sites/kk:py");
    reval::kokkos::to_device(m_dev.pz, sa.grid.pz(), "vacancy/sites/kk:pz");
    m_dev_coords = sa.index.coords_version();
  }

  const int nlocal = atom->nlocal;
  if (static_cast<int>(d_nearest.extent(0)) < atom->nmax) {
    // new rows: s1 = -1 (no guess); the old rows keep theirs (the guesses of the next search)
    Kokkos::View<reval::kernels::NearestTwo *, DeviceType> n("vacancy/sites/kk:nearest", atom->nmax);
    if (d_nearest.extent(0) > 0)
      Kokkos::deep_copy(Kokkos::subview(n, std::make_pair(0, static_cast<int>(d_nearest.extent(0)))), d_nearest);
    d_nearest = n;
  }
  if (static_cast<int>(d_occ.extent(0)) != nsites)
    d_occ = Kokkos::View<int *, DeviceType>("vacancy/sites/kk:occ", nsites);
  else Kokkos::deep_copy(d_occ, 0);

  atomKK->sync(execution_space, X_MASK | MASK_MASK);
  auto x = atomKK->k_x.template view<DeviceType>();
  auto mask = atomKK->k_mask.template view<DeviceType>();
  reval::kokkos::SiteSearchFunctor<DeviceType, decltype(x), decltype(mask)> f;
  f.g = m_dev.grid_view(sa.grid.view(box));
  f.l = m_dev.lists_view(sa.lists.view(box));
  f.order = m_dev.order;
  f.x = x;
  f.mask = mask;
  f.nearest = d_nearest;
  f.count.occ = d_occ;
  f.atom_mask = atom_mask();
  f.groupbit = groupbit;
  if (!guesses)    // slots of an older grid
    Kokkos::parallel_for("vacancy/sites/kk:no_guess", Kokkos::RangePolicy<exec_space>(0, d_nearest.extent(0)),
                         reval::kokkos::ForgetGuessFunctor<DeviceType>{d_nearest});
  f.cap = sa.cap;
  f.rvac = sa.rvac;
  double nfar = 0.0;
  Kokkos::parallel_reduce("vacancy/sites/kk:search", Kokkos::RangePolicy<exec_space>(0, nlocal), f, nfar);

  // per-site counts (for the exchange between ranks); the per-atom nearest sites stay on the device
  // (compute re/atom/kk, fix re/stats/kk) and are copied only if a host style asks (host_analysis())
  Kokkos::View<int *, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> hocc(occ_all, nsites);
  Kokkos::deep_copy(hocc, d_occ);
  m_nearest_n = nlocal;
  return nfar;
}


template <class DeviceType>
void ComputeVacancySitesKokkos<DeviceType>::count_ws(const reval::kernels::WsRegion &region, int *ws_all, int bad[2])
{
  using exec_space = typename DeviceType::execution_space;
  const int nsites = analysis().nown + analysis().nghost;
  if (static_cast<int>(d_ws.extent(0)) != nsites)
    d_ws = Kokkos::View<int *, DeviceType>("vacancy/sites/kk:ws", nsites);
  else Kokkos::deep_copy(d_ws, 0);
  if (d_ws_bad.extent(0) != 2) d_ws_bad = Kokkos::View<int *, DeviceType>("vacancy/sites/kk:ws_bad", 2);
  else Kokkos::deep_copy(d_ws_bad, 0);
  atomKK->sync(execution_space, X_MASK | MASK_MASK);
  auto x = atomKK->k_x.template view<DeviceType>();
  auto mask = atomKK->k_mask.template view<DeviceType>();
  reval::kokkos::WsCountFunctor<DeviceType, decltype(x), decltype(mask)> f;
  f.box = reval_lmp::box_geom(domain);
  f.region = region;
  f.order = m_dev.order;
  f.ws = d_ws;
  f.bad = d_ws_bad;
  f.nearest = d_nearest;
  f.x = x;
  f.mask = mask;
  f.groupbit = groupbit;
  Kokkos::parallel_for("vacancy/sites/kk:ws", Kokkos::RangePolicy<exec_space>(0, atom->nlocal), f);
  Kokkos::View<int *, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> hws(ws_all, nsites), hbad(bad, 2);
  Kokkos::deep_copy(hws, d_ws);
  Kokkos::deep_copy(hbad, d_ws_bad);
}

template <class DeviceType>
void ComputeVacancySitesKokkos<DeviceType>::sync_host_atoms()
{
  atomKK->sync(Host, X_MASK | MASK_MASK | TAG_MASK);
}

template <class DeviceType>
void ComputeVacancySitesKokkos<DeviceType>::nearest_to_host(reval::HugeVector<reval::kernels::NearestTwo> &nearest)
{
  if (static_cast<int>(nearest.size()) < m_nearest_n) nearest.resize(std::max(m_nearest_n, atom->nmax));
  // NearestTwo is trivially copyable: one deep copy into the host vector (no copy at all when the
  // device is the host)
  Kokkos::View<reval::kernels::NearestTwo *, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> h(
      nearest.data(), m_nearest_n);
  Kokkos::deep_copy(h, Kokkos::subview(d_nearest, std::make_pair(0, m_nearest_n)));
}

template <class DeviceType>
double ComputeVacancySitesKokkos<DeviceType>::memory_usage()
{
  return ComputeVacancySites::memory_usage() +
      static_cast<double>(d_nearest.size()) * sizeof(reval::kernels::NearestTwo) +
      static_cast<double>(d_occ.size() + d_ws.size()) * sizeof(int) +
      static_cast<double>(m_dev.px.size()) * 4 * sizeof(double) +
      static_cast<double>(m_dev.llist.size() + m_dev.lstart.size() + m_dev.bin_start.size()) * sizeof(int);
}

namespace LAMMPS_NS {
template class ComputeVacancySitesKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class ComputeVacancySitesKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
