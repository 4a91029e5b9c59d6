/* ----------------------------------------------------------------------
   REVAL: compute force/error/kk (see compute_force_error_kokkos.h)
------------------------------------------------------------------------- */

#include "compute_force_error_kokkos.h"
#include "kokkos_style.h"

#include "core/force_error_stats.h"
#include "kernels/kokkos/device_copy.hpp"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "error.h"
#include "memory_kokkos.h"

#include <string>
#include <vector>

using namespace LAMMPS_NS;

template <class DeviceType>
ComputeForceErrorKokkos<DeviceType>::ComputeForceErrorKokkos(LAMMPS *lmp, int narg, char **arg) :
    ComputeForceError(reval_lmp::require_kokkos(lmp, "compute force/error/kk"), narg, arg)
{
  reval_lmp::self_syncing<DeviceType>(this);
  atomKK = (AtomKokkos *) atom;
}

template <class DeviceType>
ComputeForceErrorKokkos<DeviceType>::~ComputeForceErrorKokkos()
{
  if (copymode) return;
  memoryKK->destroy_kokkos(k_peratom, m_peratom);    // before the parent's memory->destroy(m_peratom)
}

template <class DeviceType>
void ComputeForceErrorKokkos<DeviceType>::tally_atoms(const AtomInputs &in)
{
  using exec_space = typename DeviceType::execution_space;
  using Tally = reval::kokkos::ForceErrorTallyFunctor<DeviceType, typename AT::t_f_array, typename AT::t_int_1d,
                                                      typename AT::t_float_2d>;

  const int nlocal = atom->nlocal;
  grow_peratom();
  if (nlocal == 0) return;
  inputs_to_device(in, nlocal);

  k_peratom.template sync<DeviceType>();
  Tally tally;
  tally.ref = d_ref;
  if (in.pred)
    tally.pred = d_pred;
  else
    tally.pred = atomKK->k_f.template view<DeviceType>();
  tally.amask = atomKK->k_mask.template view<DeviceType>();
  tally.mask = d_mask;
  tally.sigma = d_sigma;
  tally.out = k_peratom.template view<DeviceType>();
  tally.bins = m_local->bins();
  tally.fmin = m_local->settings().fmin;
  tally.groupbit = groupbit;
  tally.has_mask = in.mask != nullptr;
  tally.has_sigma = in.sigma != nullptr;
  const int nsums = static_cast<int>(m_local->sums().size());
  tally.set_nsums(nsums);
  Kokkos::View<double *, Kokkos::HostSpace> h_tallies("force/error/kk:tallies", nsums + 1);
  Kokkos::parallel_reduce("force/error/kk:tally", Kokkos::RangePolicy<exec_space>(0, nlocal), tally, h_tallies);
  m_local->add_tallies(h_tallies.data(), h_tallies(nsums));

  // the per-atom array for LAMMPS output (dumps, compute reduce, variables) on the host
  k_peratom.template modify<DeviceType>();
  k_peratom.template sync<LMPHostType>();

  // Spearman's rank correlation needs the samples themselves: (sigma, |P - F|) of the counted atoms
  const int nsamples = in.sigma ? static_cast<int>(h_tallies(reval::kernels::FES_NSIGMA)) : 0;
  if (nsamples > 0) collect_uncertainty_samples(nlocal, nsamples, in.mask != nullptr);
}

template <class DeviceType>
void ComputeForceErrorKokkos<DeviceType>::grow_peratom()
{
  if (atom->nmax > m_nmax) {
    m_nmax = atom->nmax;
    memoryKK->destroy_kokkos(k_peratom, m_peratom);
    memoryKK->create_kokkos(k_peratom, m_peratom, m_nmax, 5, "force/error:peratom");
  }
  array_atom = m_peratom;
}

template <class DeviceType>
void ComputeForceErrorKokkos<DeviceType>::inputs_to_device(const AtomInputs &in, int nlocal)
{
  // atoms' data on the device; the other per-atom values are host arrays of other styles or dump frames
  atomKK->sync(execution_space, (in.pred ? MASK_MASK : (MASK_MASK | F_MASK)) | (in.sigma ? TAG_MASK : 0));
  namespace kk = reval::kokkos;
  kk::to_device_rows(d_ref, in.ref, nlocal, m_nmax, "force/error/kk:ref");
  if (in.pred) kk::to_device_rows(d_pred, in.pred, nlocal, m_nmax, "force/error/kk:pred");
  if (in.mask) kk::to_device(d_mask, in.mask->data(), nlocal, "force/error/kk:mask", kk::Fit::grow);
  if (in.sigma) kk::to_device(d_sigma, in.sigma->data(), nlocal, "force/error/kk:sigma", kk::Fit::grow);
}

template <class DeviceType>
void ComputeForceErrorKokkos<DeviceType>::collect_uncertainty_samples(int nlocal, int nsamples, bool has_mask)
{
  using exec_space = typename DeviceType::execution_space;
  using Samples = reval::kokkos::ForceErrorSamplesFunctor<DeviceType, typename AT::t_int_1d, typename AT::t_float_2d,
                                                          typename AT::t_tagint_1d>;
  if (static_cast<int>(d_sample_sigma.extent(0)) < nsamples) {
    d_sample_sigma = Kokkos::View<double *, DeviceType>("force/error/kk:sample_sigma", m_nmax);
    d_sample_err = Kokkos::View<double *, DeviceType>("force/error/kk:sample_err", m_nmax);
    d_sample_id = Kokkos::View<double *, DeviceType>("force/error/kk:sample_id", m_nmax);
  }
  Samples samples;
  samples.amask = atomKK->k_mask.template view<DeviceType>();
  samples.tag = atomKK->k_tag.template view<DeviceType>();
  samples.sample_id = d_sample_id;
  samples.mask = d_mask;
  samples.sigma = d_sigma;
  samples.sample_sigma = d_sample_sigma;
  samples.sample_err = d_sample_err;
  samples.out = k_peratom.template view<DeviceType>();
  samples.groupbit = groupbit;
  samples.has_mask = has_mask;
  int packed = 0;
  Kokkos::parallel_scan("force/error/kk:samples", Kokkos::RangePolicy<exec_space>(0, nlocal), samples, packed);
  if (packed != nsamples) error->one(FLERR, "compute force/error/kk: internal error: uncertainty samples miscounted");
  const auto first = Kokkos::make_pair(0, nsamples);
  auto hs = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), Kokkos::subview(d_sample_sigma, first));
  auto he = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), Kokkos::subview(d_sample_err, first));
  auto hi = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), Kokkos::subview(d_sample_id, first));
  m_local->add_uncertainty_samples(hs.data(), he.data(), hi.data(), static_cast<std::size_t>(nsamples));
}

template <class DeviceType>
double ComputeForceErrorKokkos<DeviceType>::memory_usage()
{
  double bytes = ComputeForceError::memory_usage();
  bytes += sizeof(double) * (d_ref.size() + d_pred.size() + d_mask.size() + d_sigma.size() + d_sample_sigma.size() +
                             d_sample_err.size() + d_sample_id.size());
  return bytes;
}

namespace LAMMPS_NS {
template class ComputeForceErrorKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class ComputeForceErrorKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
