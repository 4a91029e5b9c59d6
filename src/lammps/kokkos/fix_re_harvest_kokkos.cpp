/* ----------------------------------------------------------------------
   REVAL: fix re/harvest/kk (see fix_re_harvest_kokkos.h)
------------------------------------------------------------------------- */

#include "fix_re_harvest_kokkos.h"
#include "kokkos_style.h"

#include "device_peratom.h"
#include "peratom_value.h"

#include "kernels/kokkos/harvest_kokkos.hpp"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "compute.h"
#include "error.h"
#include "fix.h"
#include "kokkos.h"
#include "memory_kokkos.h"
#include "modify.h"
#include "update.h"

#include <string>
#include <type_traits>
#include <utility>

using namespace LAMMPS_NS;
namespace rk = reval::kernels;

template <class DeviceType>
FixREHarvestKokkos<DeviceType>::FixREHarvestKokkos(LAMMPS *lmp, int narg, char **arg) :
    // checked before the CPU style's constructor runs (it registers atom callbacks that an ERROR thrown
    // later could not unregister)
    FixREHarvest(reval_lmp::require_kokkos(lmp, "fix re/harvest/kk"), narg, arg)
{
  // the fix syncs what it reads itself (device: mask, f; host: the data of a harvested frame)
  reval_lmp::self_syncing<DeviceType>(this);
  atomKK = (AtomKokkos *) atom;

  // the CPU style allocated the hop counts seen with memory->grow: move them into a DualView whose host
  // view is m_hops_seen (exchange, sorting and restart of the CPU style keep working on it)
  double *old = m_hops_seen;
  m_hops_seen = nullptr;
  grow_arrays(atom->nmax);
  for (int i = 0; i < atom->nlocal; ++i) m_hops_seen[i] = old[i];
  k_hops_seen.template modify<LMPHostType>();
  memory->destroy(old);
}

template <class DeviceType>
FixREHarvestKokkos<DeviceType>::~FixREHarvestKokkos()
{
  if (copymode) return;
  memoryKK->destroy_kokkos(k_hops_seen, m_hops_seen);    // m_hops_seen = nullptr: the CPU style frees nothing
}

// ---------------------------------------------------------------- per-atom state on the host side
// LAMMPS moves, reorders and restores atoms on the host for fixes with per-atom arrays: each host-side
// access first syncs the host copy (the device holds the newest counts after an evaluation), each
// host-side change marks it modified; the next evaluation syncs it to the device.

template <class DeviceType>
void FixREHarvestKokkos<DeviceType>::grow_arrays(int nmax)
{
  k_hops_seen.template sync<LMPHostType>();
  k_hops_seen.template modify<LMPHostType>();
  memoryKK->grow_kokkos(k_hops_seen, m_hops_seen, nmax, "re/harvest/kk:hops_seen");
}

template <class DeviceType>
void FixREHarvestKokkos<DeviceType>::copy_arrays(int i, int j, int delflag)
{
  k_hops_seen.template sync<LMPHostType>();
  FixREHarvest::copy_arrays(i, j, delflag);
  k_hops_seen.template modify<LMPHostType>();
}

template <class DeviceType>
void FixREHarvestKokkos<DeviceType>::set_arrays(int i)
{
  k_hops_seen.template sync<LMPHostType>();
  FixREHarvest::set_arrays(i);
  k_hops_seen.template modify<LMPHostType>();
}

template <class DeviceType>
int FixREHarvestKokkos<DeviceType>::pack_exchange(int i, double *buf)
{
  k_hops_seen.template sync<LMPHostType>();
  return FixREHarvest::pack_exchange(i, buf);
}

template <class DeviceType>
int FixREHarvestKokkos<DeviceType>::unpack_exchange(int nlocal, double *buf)
{
  k_hops_seen.template sync<LMPHostType>();
  const int n = FixREHarvest::unpack_exchange(nlocal, buf);
  k_hops_seen.template modify<LMPHostType>();
  return n;
}

template <class DeviceType>
int FixREHarvestKokkos<DeviceType>::pack_restart(int i, double *buf)
{
  k_hops_seen.template sync<LMPHostType>();
  return FixREHarvest::pack_restart(i, buf);
}

template <class DeviceType>
void FixREHarvestKokkos<DeviceType>::unpack_restart(int nlocal, int nth)
{
  k_hops_seen.template sync<LMPHostType>();
  FixREHarvest::unpack_restart(nlocal, nth);
  k_hops_seen.template modify<LMPHostType>();
}

// ---------------------------------------------------------------- checks

template <class DeviceType>
void FixREHarvestKokkos<DeviceType>::init()
{
  FixREHarvest::init();
  // criteria evaluated on the host that read atom data (an equal- or atom-style variable, a compute
  // that is neither a /kk style with device data nor self-syncing, a plain vacancy/sites): LAMMPS syncs
  // nothing for this fix, so it syncs the host copy of the atom data itself before evaluating them
  m_host_sync = (m_set.crit.enabled & rk::kHarvestVariable) != 0;
  if (m_set.crit.enabled & rk::kHarvestVacancies) {
    const int ic = modify->find_compute(m_set.id_sites);
    if (ic >= 0 && !modify->compute[ic]->kokkosable) m_host_sync = true;
  }
  for (reval_lmp::PerAtomValue *v : {m_migrating.get(), m_hops.get(), m_sigma.get(), m_error.get()}) {
    if (!v) continue;
    const std::string &t = v->text();
    if (t.compare(0, 2, "v_") == 0) m_host_sync = true;
    if (t.compare(0, 2, "c_") == 0) {
      const int ic = modify->find_compute(t.substr(2, t.find('[') - 2));
      if (ic >= 0 && !modify->compute[ic]->kokkosable &&
          dynamic_cast<reval_lmp::DevicePerAtomArray *>(modify->compute[ic]) == nullptr)
        m_host_sync = true;
    }
  }
}

template <class DeviceType>
void FixREHarvestKokkos<DeviceType>::end_of_step()
{
  if (m_host_sync) atomKK->sync(Host, ALL_MASK);
  FixREHarvest::end_of_step();
}

template <class DeviceType>
void FixREHarvestKokkos<DeviceType>::count_atoms(const rk::HarvestCriteria &c, double *counts)
{
  using exec_space = typename DeviceType::execution_space;
  using ValView = typename AT::t_float_2d;
  const int nlocal = atom->nlocal;
  atomKK->sync(execution_space, MASK_MASK);
  auto mask = atomKK->k_mask.template view<DeviceType>();
  k_hops_seen.template sync<DeviceType>();
  auto seen = k_hops_seen.template view<DeviceType>();
  reval::kokkos::HarvestAtomFunctor<DeviceType, decltype(mask), ValView, decltype(seen)> f;
  f.mask = mask;
  f.groupbit = groupbit;
  f.c = c;
  f.hops_seen = seen;

  // the values of each atom criterion: a /kk source's per-atom array on the device, else the host
  // values (read as by the CPU style) in a column of k_host_values, copied to the device
  reval_lmp::PerAtomValue *src[rk::kHarvestAtomCriteria] = {m_migrating.get(), m_hops.get(), m_sigma.get(), m_error.get()};
  std::vector<double> *host[rk::kHarvestAtomCriteria] = {&m_vmig, &m_vhops, &m_vsigma, &m_verror};
  bool on_host[rk::kHarvestAtomCriteria] = {false, false, false, false};
  bool any_host = false;
  for (int k = 0; k < rk::kHarvestAtomCriteria; ++k) {
    if (!src[k]) continue;
    f.has[k] = true;
    const reval_lmp::PerAtomValue::Origin s = src[k]->prepare();
    reval_lmp::DevicePerAtomArray *dev = nullptr;
    if (s.compute) dev = dynamic_cast<reval_lmp::DevicePerAtomArray *>(s.compute);
    if (s.fix) dev = dynamic_cast<reval_lmp::DevicePerAtomArray *>(s.fix);
    if (dev && s.column > 0) {
      DAT::tdual_float_2d &dual = dev->peratom_dual();
      dual.template sync<DeviceType>();    // current on both sides after the source's step: a no-op then
      f.value[k] = dual.template view<DeviceType>();
      f.column[k] = s.column - 1;
      continue;
    }
    src[k]->evaluate(*host[k], igroup);
    if (!any_host && static_cast<int>(k_host_values.extent(0)) < nlocal)
      k_host_values = DAT::tdual_float_2d("re/harvest/kk:host_values", atom->nmax, rk::kHarvestAtomCriteria);
    any_host = true;
    on_host[k] = true;
    for (int i = 0; i < nlocal; ++i) k_host_values.h_view(i, k) = (*host[k])[i];
  }
  if (any_host) {
    k_host_values.template modify<LMPHostType>();
    k_host_values.template sync<DeviceType>();
    for (int k = 0; k < rk::kHarvestAtomCriteria; ++k)
      if (on_host[k]) {
        f.value[k] = k_host_values.template view<DeviceType>();
        f.column[k] = k;
      }
  }

  if (static_cast<int>(d_bits.extent(0)) < nlocal) d_bits = Kokkos::View<int *, DeviceType>("re/harvest/kk:bits", atom->nmax);
  f.bits = d_bits;
  reval::kokkos::Sums<rk::kHarvestAtomCriteria> sum;
  Kokkos::parallel_reduce("re/harvest/kk:atoms", Kokkos::RangePolicy<exec_space>(0, nlocal), f, sum);
  for (int k = 0; k < rk::kHarvestAtomCriteria; ++k) counts[k] += sum[k];
  if (f.has[1]) k_hops_seen.template modify<DeviceType>();
}

// ---------------------------------------------------------------- forces and harvested frames

template <class DeviceType>
void FixREHarvestKokkos<DeviceType>::capture_forces()
{
  const int nlocal = atom->nlocal;
  atomKK->sync(execution_space, F_MASK);
  if (static_cast<int>(d_f.extent(0)) < nlocal) d_f = typename AT::t_f_array("re/harvest/kk:f", atom->nmax);
  auto f = atomKK->k_f.template view<DeviceType>();
  const auto rows = std::make_pair(0, nlocal);
  Kokkos::deep_copy(Kokkos::subview(d_f, rows, Kokkos::ALL), Kokkos::subview(f, rows, Kokkos::ALL));
  m_nf = nlocal;
  m_f_step = update->ntimestep;
}

template <class DeviceType>
void FixREHarvestKokkos<DeviceType>::frame_to_host()
{
  // what the CPU style gathers: IDs, types and positions (host atom data), the criterion bits and the
  // forces kept on this step
  atomKK->sync(Host, X_MASK | TYPE_MASK | TAG_MASK);
  const int nlocal = atom->nlocal;
  auto h_bits = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), Kokkos::subview(d_bits, std::make_pair(0, nlocal)));
  m_bits.resize(nlocal);
  for (int i = 0; i < nlocal; ++i) m_bits[i] = h_bits(i);
  auto h_f = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(),
                                                 Kokkos::subview(d_f, std::make_pair(0, m_nf), Kokkos::ALL));
  m_f.resize(3 * static_cast<size_t>(m_nf));
  for (int i = 0; i < m_nf; ++i)
    for (int d = 0; d < 3; ++d) m_f[3 * i + d] = h_f(i, d);
}

template <class DeviceType>
double FixREHarvestKokkos<DeviceType>::memory_usage()
{
  // host backends: device views are host memory (the DualViews' two sides are one array)
  double bytes = FixREHarvest::memory_usage();
  bytes += static_cast<double>(d_bits.size()) * sizeof(int) + static_cast<double>(d_f.size()) * sizeof(double) +
      static_cast<double>(k_host_values.h_view.size()) * sizeof(double);
  if (!std::is_same<typename DeviceType::memory_space, Kokkos::HostSpace>::value)
    bytes += static_cast<double>(k_hops_seen.d_view.size() + k_host_values.d_view.size()) * sizeof(double);
  return bytes;
}

namespace LAMMPS_NS {
template class FixREHarvestKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class FixREHarvestKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
