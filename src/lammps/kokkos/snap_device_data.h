/* -*- c++ -*- ----------------------------------------------------------
   REVAL: device copies of the SNAP tables (reval::SnapDescriptor) and models (reval::SnapModel) for
   pair_style snap/model/kk. The adapter tier makes them (it may read core types); the functors of
   src/kernels/kokkos/snap_kokkos.hpp receive only the plain views built here.
------------------------------------------------------------------------- */

#ifndef LMP_REVAL_SNAP_DEVICE_DATA_H
#define LMP_REVAL_SNAP_DEVICE_DATA_H

#include "core/snap_descriptor.h"
#include "core/snap_models.h"

#include "kernels/kokkos/device_copy.hpp"
#include "kernels/point/snap_kernels.hpp"
#include "kernels/point/snap_model_kernels.hpp"

#include <Kokkos_Core.hpp>

#include <memory>
#include <type_traits>
#include <vector>

namespace reval_lmp {

/// The SNAP tables of one descriptor in device memory and a SnapTablesView pointing at them.
template <class DeviceType>
struct SnapDeviceTables {
  Kokkos::View<double *, DeviceType> radelem, wjelem;    ///< per element (not part of the view)
  reval::kernels::SnapTablesView view;                   ///< device pointers; valid while this object lives

  explicit SnapDeviceTables(const reval::SnapDescriptor &d)
  {
    using reval::kokkos::to_device;
    radelem = to_device<DeviceType>(d.params().radelem, "snap:radelem");
    wjelem = to_device<DeviceType>(d.params().wjelem, "snap:wjelem");
    view = d.view_of_tables([this](const auto &table, const char *label) {
      using T = typename std::decay_t<decltype(table)>::value_type;
      const Kokkos::View<T *, DeviceType> copy = to_device<DeviceType>(table, label);
      m_keep.push_back(std::make_shared<Kokkos::View<T *, DeviceType>>(copy));
      return static_cast<const T *>(copy.data());
    });
  }

 private:
  std::vector<std::shared_ptr<void>> m_keep;    // the device tables the view points into
};

/// M >= 1 models (a single model or the members of a committee) in device memory; `views` holds
/// their kernel views of device pointers, in order.
template <class DeviceType>
struct SnapDeviceModels {
  std::vector<Kokkos::View<double *, DeviceType>> coeff, params;
  std::vector<Kokkos::View<int *, DeviceType>> nnodes, activation;
  Kokkos::View<reval::kernels::SnapModelView *, DeviceType> views;
  int count = 0;
  int scratch = 0;    ///< max snap_model_scratch_size over the models

  explicit SnapDeviceModels(const std::vector<reval::SnapModel> &models)
  {
    using reval::kokkos::to_device;
    count = static_cast<int>(models.size());
    views = Kokkos::View<reval::kernels::SnapModelView *, DeviceType>("snap:models", count);
    auto h = Kokkos::create_mirror_view(views);
    for (int m = 0; m < count; ++m) {
      const reval::SnapModel &md = models[m];
      coeff.push_back(to_device<DeviceType>(md.coeff(), "snap:model_coeff"));
      params.push_back(to_device<DeviceType>(md.params(), "snap:model_params"));
      nnodes.push_back(to_device<DeviceType>(md.nnodes(), "snap:model_nnodes"));
      activation.push_back(to_device<DeviceType>(md.activation(), "snap:model_activation"));
      h(m) = md.view_with(coeff.back().data(), params.back().data(), nnodes.back().data(), activation.back().data());
      if (md.scratch_size() > scratch) scratch = md.scratch_size();
    }
    Kokkos::deep_copy(views, h);
  }
};

}    // namespace reval_lmp

#endif
