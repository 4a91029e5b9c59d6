/* -*- c++ -*- ----------------------------------------------------------
   REVAL: compute force/error/kk — the Kokkos twin of compute force/error. The per-atom work (error
   terms, CDF bins, sums, thresholds, the per-atom array) runs on the device with the same point
   kernels (src/kernels/point/force_error.hpp, launched by src/kernels/kokkos/force_error_kokkos.hpp);
   the default prediction (the atoms' forces) is read on the device. The host receives the reduced
   tallies (a few numbers) and, with uncertainties, the (sigma, |P - F|, atom ID) of the counted atoms
   for Spearman's rank correlation. Keywords, sources, MPI reductions, accumulation (with its internal
   fix), restarts, reports and `reval reset` are inherited from compute force/error.
   Doc: doc/compute_force_error.rst
------------------------------------------------------------------------- */

#ifndef LMP_COMPUTE_FORCE_ERROR_KOKKOS_H
#define LMP_COMPUTE_FORCE_ERROR_KOKKOS_H

#include "kernels/kokkos/force_error_kokkos.hpp"

#include "compute_force_error.h"

#include "kokkos_type.h"

#include "device_peratom.h"

namespace LAMMPS_NS {

template <class DeviceType>
class ComputeForceErrorKokkos : public ComputeForceError, public reval_lmp::DevicePerAtomArray {
 public:
  /// The per-atom output (array_atom) as a DualView, for readers on the device (device_peratom.h).
  DAT::tdual_float_2d &peratom_dual() override { return k_peratom; }

  typedef DeviceType device_type;
  typedef ArrayTypes<DeviceType> AT;

  ComputeForceErrorKokkos(class LAMMPS *, int, char **);
  ~ComputeForceErrorKokkos() override;
  double memory_usage() override;

 protected:
  void tally_atoms(const AtomInputs &in) override;
  /// The per-atom array (DualView aliasing m_peratom) grown to atom->nmax.
  void grow_peratom();
  /// The host inputs (ref, pred, mask, sigma) of the owned atoms into device views; atoms' data synced.
  void inputs_to_device(const AtomInputs &in, int nlocal);
  /// The (sigma, |P - F|, ID) samples of the counted atoms packed on the device, then added to m_local.
  void collect_uncertainty_samples(int nlocal, int nsamples, bool has_mask);

  DAT::tdual_float_2d k_peratom;            // aliases m_peratom (array_atom) on the host
  typename AT::t_f_array d_ref, d_pred;      // host sources copied to the device
  Kokkos::View<double *, DeviceType> d_mask, d_sigma, d_sample_sigma, d_sample_err, d_sample_id;
};

}    // namespace LAMMPS_NS

#endif
