/* -*- c++ -*- ----------------------------------------------------------
   REVAL: pair_style snap/model/kk — the Kokkos twin of pair_style snap/model. Same physics (the
   point kernels of src/kernels/point, launched by src/kernels/kokkos/snap_kokkos.hpp), data resident
   on the device: positions, types, neighbour lists and forces stay there; per-atom energies and
   virials are synced to the host only when asked for, ghost forces only with newton pair off, member
   forces only on committee uncertainty steps.
   Doc: doc/pair_snap_model.rst
------------------------------------------------------------------------- */

#ifndef LMP_PAIR_SNAP_MODEL_KOKKOS_H
#define LMP_PAIR_SNAP_MODEL_KOKKOS_H

#include "pair_snap_model.h"
#include "snap_device_data.h"

#include "kernels/kokkos/snap_kokkos.hpp"

#include "kokkos_type.h"

#include <memory>

namespace LAMMPS_NS {

template <class DeviceType>
class PairSNAPModelKokkos : public PairSNAPModel {
 public:
  typedef DeviceType device_type;
  typedef ArrayTypes<DeviceType> AT;

  PairSNAPModelKokkos(class LAMMPS *);
  ~PairSNAPModelKokkos() override;
  void settings(int, char **) override;
  void coeff(int, char **) override;
  void init_style() override;
  void compute(int, int) override;
  double memory_usage() override;

  // read by LAMMPS' pair_virial_fdotr_compute()
  typename AT::t_x_array_randomread x;
  typename AT::t_f_array f;

 protected:
  // the steps of compute(), in order
  void copy_to_device();
  void grow_peratom();                      // eatom / vatom DualViews when asked for
  void upload_scale();                      // per-type scale (fix adapt may change it between steps)
  int max_neighbours() const;               // longest full neighbour list of this step
  template <class AtomF>
  int team_size_for();                      // threads per central atom, within the backend's limit
  void prepare_buffers(bool sigma, int chunk, int team_size);
  template <class AtomF>
  void fill_atom_functor(AtomF &af, bool sigma, int team_size) const;
  template <class ForceF>
  void fill_force_functor(ForceF &ff, bool sigma) const;
  template <class AtomF, class ForceF>
  void run_chunks(AtomF &af, ForceF &ff, int chunk, int team_size);    // tallies energy and virial
  void virial_fdotr_device();               // F.r virial over owned and ghost atoms
  void sync_per_atom_outputs();
  void reverse_ghost_forces_device();       // newton pair off: through the host
  void finish_uncertainties_device();       // sigma_E from the device, then as the CPU twin

  std::unique_ptr<reval_lmp::SnapDeviceTables<DeviceType>> m_dtables;
  std::unique_ptr<reval::kernels::SnapHostZPlan> m_zplan;    // host Z kernel tables (host execution spaces)
  std::unique_ptr<reval_lmp::SnapDeviceModels<DeviceType>> m_dmodels;
  reval::kokkos::SnapWork<DeviceType> m_work;
  Kokkos::View<int *, DeviceType> d_map;
  Kokkos::View<double *, DeviceType> d_scale, d_sigma_e;
  Kokkos::View<double **, Kokkos::LayoutRight, DeviceType> d_fghost;
  Kokkos::View<double ***, Kokkos::LayoutRight, DeviceType> d_fmem;
  DAT::tdual_efloat_1d k_eatom;
  DAT::tdual_virial_array k_vatom;
  int m_chunksize = 0;    // atoms per launch (0: default of the backend)
  bool m_reported = false;
  int m_teamsize = 0;     // threads per central atom (0: 1 on the host, 32 on a GPU)
};

}    // namespace LAMMPS_NS

#endif
