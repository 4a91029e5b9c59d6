/* ----------------------------------------------------------------------
   REVAL: fix re/stats/kk (see fix_re_stats_kokkos.h)
------------------------------------------------------------------------- */

#include "fix_re_stats_kokkos.h"
#include "kokkos_style.h"

#include "adapter_utils.h"
#include "compute_vacancy_sites.h"
#include "compute_vacancy_sites_kokkos.h"
#include "site_analysis.h"

#include "kernels/kokkos/re_stats_kokkos.hpp"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "domain.h"
#include "error.h"
#include "kokkos.h"
#include "memory_kokkos.h"

#include <string>

using namespace LAMMPS_NS;
namespace rk = reval::kernels;

template <class DeviceType>
FixREStatsKokkos<DeviceType>::FixREStatsKokkos(LAMMPS *lmp, int narg, char **arg) :
    // checked before the CPU style's constructor runs: an ERROR thrown after it would unwind through its
    // destructor, which cannot unregister callbacks of a fix that LAMMPS has not stored yet
    FixREStats(reval_lmp::require_kokkos(lmp, "fix re/stats/kk"), narg, arg)
{
  // the fix syncs what it reads itself (device: x, image, mask, type, rmass; host: mask, x)
  reval_lmp::self_syncing<DeviceType>(this);
  atomKK = (AtomKokkos *) atom;

  // the CPU style allocated its per-atom state and output with memory->grow: move them into DualViews
  // whose host views are what m_state and m_out (and with them exchange, sorting and restart of the
  // CPU style, and array_atom) point to
  double **old_state = m_state, **old_out = m_out;
  m_state = m_out = nullptr;
  grow_arrays(atom->nmax);
  const int nv = nvalues();
  for (int i = 0; i < atom->nlocal; ++i) {
    for (int k = 0; k < nv; ++k) m_state[i][k] = old_state[i][k];
    for (int k = 0; k < kOutCols; ++k) m_out[i][k] = old_out[i][k];
  }
  k_state.template modify<LMPHostType>();
  k_out.template modify<LMPHostType>();
  memory->destroy(old_state);
  memory->destroy(old_out);
}

template <class DeviceType>
FixREStatsKokkos<DeviceType>::~FixREStatsKokkos()
{
  if (copymode) return;
  memoryKK->destroy_kokkos(k_state, m_state);
  memoryKK->destroy_kokkos(k_out, m_out);
}

// ---------------------------------------------------------------- per-atom state on the host side
// LAMMPS moves and reorders atoms on the host for fixes with per-atom arrays (KOKKOS falls back to
// its classic exchange and to the host sort): every host-side change marks the host copy modified,
// the next sample syncs it to the device. Between samples the host copy is always current.

template <class DeviceType>
void FixREStatsKokkos<DeviceType>::grow_arrays(int nmax)
{
  // resize keeps the host copy (and reallocates the device one)
  k_state.template sync<LMPHostType>();
  k_state.template modify<LMPHostType>();
  memoryKK->grow_kokkos(k_state, m_state, nmax, nvalues(), "re/stats:state");
  k_out.template sync<LMPHostType>();
  k_out.template modify<LMPHostType>();
  memoryKK->grow_kokkos(k_out, m_out, nmax, kOutCols, "re/stats:out");
  array_atom = m_out;
}

template <class DeviceType>
void FixREStatsKokkos<DeviceType>::copy_arrays(int i, int j, int delflag)
{
  FixREStats::copy_arrays(i, j, delflag);
  k_state.template modify<LMPHostType>();
  k_out.template modify<LMPHostType>();
}

template <class DeviceType>
int FixREStatsKokkos<DeviceType>::unpack_exchange(int nlocal, double *buf)
{
  const int n = FixREStats::unpack_exchange(nlocal, buf);
  k_state.template modify<LMPHostType>();
  k_out.template modify<LMPHostType>();
  return n;
}

template <class DeviceType>
void FixREStatsKokkos<DeviceType>::unpack_restart(int nlocal, int nth)
{
  FixREStats::unpack_restart(nlocal, nth);
  k_state.template modify<LMPHostType>();
  k_out.template modify<LMPHostType>();
}

// ---------------------------------------------------------------- sampling

template <class DeviceType>
void FixREStatsKokkos<DeviceType>::sync_host_inputs()
{
  // host parts of a sample: the group count (mask), the interstitial classification (x of the defect
  // atoms) and a plain (non-Kokkos) sites compute (x)
  unsigned int need = MASK_MASK;
  if (m_interstitials.enabled() || m_sites == nullptr || !m_sites->kokkosable) need |= X_MASK;
  atomKK->sync(Host, need);
}

template <class DeviceType>
void FixREStatsKokkos<DeviceType>::setup(int vflag)
{
  sync_host_inputs();
  FixREStats::setup(vflag);
}

template <class DeviceType>
void FixREStatsKokkos<DeviceType>::end_of_step()
{
  sync_host_inputs();
  FixREStats::end_of_step();
}

template <class DeviceType>
void FixREStatsKokkos<DeviceType>::group_com_sums(double s[4])
{
  using exec_space = typename DeviceType::execution_space;
  const bool use_rmass = atom->rmass != nullptr;
  atomKK->sync(execution_space, X_MASK | IMAGE_MASK | MASK_MASK | TYPE_MASK | (use_rmass ? RMASS_MASK : 0));
  atomKK->k_mass.template modify<LMPHostType>();
  atomKK->k_mass.template sync<DeviceType>();

  auto x = atomKK->k_x.template view<DeviceType>();
  auto image = atomKK->k_image.template view<DeviceType>();
  auto mask = atomKK->k_mask.template view<DeviceType>();
  auto type = atomKK->k_type.template view<DeviceType>();
  auto mass = atomKK->k_mass.template view<DeviceType>();
  auto rmass = atomKK->k_rmass.template view<DeviceType>();
  reval::kokkos::ReStatsComFunctor<DeviceType, decltype(x), decltype(image), decltype(mask), decltype(type),
                                   decltype(mass), decltype(rmass)>
      f;
  f.x = x;
  f.image = image;
  f.mask = mask;
  f.type = type;
  f.mass = mass;
  f.rmass = rmass;
  f.use_rmass = use_rmass;
  f.box = reval_lmp::box_geom(domain);
  f.imgmask = IMGMASK;
  f.imgmax = IMGMAX;
  f.imgbits = IMGBITS;
  f.img2bits = IMG2BITS;
  f.groupbit = groupbit;
  reval::kokkos::Sums<4> sum;
  Kokkos::parallel_reduce("re/stats/kk:com", Kokkos::RangePolicy<exec_space>(0, atom->nlocal), f, sum);
  for (int k = 0; k < 4; ++k) s[k] += sum[k];
}

template <class DeviceType>
void FixREStatsKokkos<DeviceType>::site_data_on_device(const rk::BoxGeom &box, int nlocal)
{
  // nearest-site data of compute vacancy/sites: with vacancy/sites/kk its device arrays; with the plain
  // compute its host arrays, viewed (host backends) or copied (GPU backends); a few numbers per atom/site
  namespace kk = reval::kokkos;
  if (auto *skk = dynamic_cast<ComputeVacancySitesKokkos<DeviceType> *>(m_sites)) {
    const auto &dev = skk->device_grid();
    d_nearest = skk->device_nearest();
    d_px = dev.px;
    d_py = dev.py;
    d_pz = dev.pz;
    d_gid = dev.gid_of_slot;
    return;
  }
  const reval_lmp::SiteAnalysis &sa = m_sites->host_analysis();
  const auto view = sa.grid.view(box);
  const int nslots = sa.grid.npoints();
  kk::on_device(d_nearest, sa.nearest.data(), nlocal, "re/stats/kk:nearest");
  kk::on_device(d_px, view.px, nslots, "re/stats/kk:px");
  kk::on_device(d_py, view.py, nslots, "re/stats/kk:py");
  kk::on_device(d_pz, view.pz, nslots, "re/stats/kk:pz");
  kk::on_device(d_gid, sa.gid_of_slots().data(), nslots, "re/stats/kk:gid");
}

template <class DeviceType>
void FixREStatsKokkos<DeviceType>::sample_atoms(const rk::ReStatsSample &p, std::vector<double> &sums)
{
  using exec_space = typename DeviceType::execution_space;
  const int nlocal = atom->nlocal;

  atomKK->sync(execution_space, X_MASK | IMAGE_MASK | MASK_MASK);
  k_state.template sync<DeviceType>();
  k_out.template sync<DeviceType>();    // the kernel rewrites every local row; this keeps the flags consistent

  namespace kk = reval::kokkos;
  const auto box = reval_lmp::box_geom(domain);
  site_data_on_device(box, nlocal);
  kk::on_device(d_xcm, p.xcm, 3 * static_cast<std::size_t>(m_set.norigins), "re/stats/kk:xcm");

  auto x = atomKK->k_x.template view<DeviceType>();
  auto image = atomKK->k_image.template view<DeviceType>();
  auto mask = atomKK->k_mask.template view<DeviceType>();
  auto state = k_state.template view<DeviceType>();
  auto out = k_out.template view<DeviceType>();
  kk::ReStatsAtomFunctor<DeviceType, decltype(x), decltype(image), decltype(mask), decltype(state), decltype(out)> f;
  f.value_count = static_cast<unsigned>(m_set.norigins + 1);
  f.x = x;
  f.image = image;
  f.mask = mask;
  f.state = state;
  f.out = out;
  f.nearest = d_nearest;
  f.px = d_px;
  f.py = d_py;
  f.pz = d_pz;
  f.gid = d_gid;
  f.p = p;
  f.p.xcm = d_xcm.data();
  f.box = box;
  f.imgmask = IMGMASK;
  f.imgmax = IMGMAX;
  f.imgbits = IMGBITS;
  f.img2bits = IMG2BITS;
  f.groupbit = groupbit;
  Kokkos::View<double *, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> result(sums.data(), sums.size());
  Kokkos::parallel_reduce("re/stats/kk:sample", Kokkos::RangePolicy<exec_space>(0, nlocal), f, result);

  k_state.template modify<DeviceType>();
  k_state.template sync<LMPHostType>();
  k_out.template modify<DeviceType>();
  k_out.template sync<LMPHostType>();
}

template <class DeviceType>
double FixREStatsKokkos<DeviceType>::memory_usage()
{
  double bytes = FixREStats::memory_usage();
  if (!std::is_same<typename DeviceType::memory_space, Kokkos::HostSpace>::value)
    bytes += static_cast<double>(d_nearest.size()) * sizeof(rk::NearestTwo) +
        static_cast<double>(d_px.size() + d_py.size() + d_pz.size() + d_gid.size() + d_xcm.size()) * sizeof(double) +
        static_cast<double>(k_state.d_view.size() + k_out.d_view.size()) * sizeof(double);
  return bytes;
}

namespace LAMMPS_NS {
template class FixREStatsKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class FixREStatsKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
