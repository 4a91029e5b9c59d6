/// @file re_stats_kokkos.hpp
/// Kokkos launch structure of fix re/stats/kk: one thread per local atom calls the point kernels of
/// the plain fix (kernels/point/re_stats.hpp) and reduces the per-origin squared displacements and
/// the new hops (an array reduction of norigins + 1 values); a second functor sums the group's mass
/// and mass-weighted unwrapped positions (centre of mass). No LAMMPS types: the adapter passes
/// LAMMPS' views as template parameters.
#pragma once

#include "kernels/point/re_stats.hpp"

#include <Kokkos_Core.hpp>

#include <cstddef>
#include <string>
#include <type_traits>

namespace reval::kokkos {

/// A device view of n host values: on a backend whose memory is the host's (OpenMP, Serial) an
/// unmanaged view of the host array itself (no copy); otherwise `d` is (re)allocated when too small
/// and the values are copied.
template <class DeviceType, class T>
Kokkos::View<T *, DeviceType> host_array_on_device(Kokkos::View<T *, DeviceType> &d, const T *host, std::size_t n,
                                                   const std::string &label)
{
  using mem = typename DeviceType::memory_space;
  if (std::is_same<mem, Kokkos::HostSpace>::value) {
    d = Kokkos::View<T *, DeviceType>(const_cast<T *>(host), n);
    return d;
  }
  if (d.data() == nullptr || d.extent(0) < n) d = Kokkos::View<T *, DeviceType>(label, n > 0 ? n : 1);
  if (n > 0) {
    Kokkos::View<const T *, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> h(host, n);
    Kokkos::deep_copy(Kokkos::subview(d, std::make_pair(std::size_t(0), n)), h);
  }
  return d;
}

/// Global site index of a grid slot (kernels::re_stats_hop's gid_of) from a device array.
struct SlotGid {
  const double *gid = nullptr;
  KOKKOS_INLINE_FUNCTION double operator()(int slot) const { return gid[slot]; }
};

/// One thread per local atom: displacement and hop parts of one sample (the point kernels), the
/// per-atom state row (LayoutRight) updated in place, the per-atom output written; reduces
/// sums[m] = squared displacements from origin m (m < norigins), sums[norigins] = new hops.
template <class DeviceType, class XView, class ImageView, class MaskView, class StateView, class OutView>
struct ReStatsAtomFunctor {
  typedef DeviceType device_type;
  typedef double value_type[];
  typedef typename ImageView::non_const_value_type image_type;

  unsigned value_count = 1;    // norigins + 1
  XView x;
  ImageView image;
  MaskView mask;
  StateView state;
  OutView out;
  Kokkos::View<kernels::NearestTwo *, DeviceType> nearest;    // per local atom
  Kokkos::View<double *, DeviceType> px, py, pz, gid;          // per grid slot of the sites
  kernels::ReStatsSample p;    // p.xcm: device pointer
  kernels::BoxGeom box;
  image_type imgmask = 0, imgmax = 0;
  int imgbits = 0, img2bits = 0;
  int groupbit = 0;

  KOKKOS_INLINE_FUNCTION void operator()(const int i, value_type sums) const
  {
    const bool in_group = (mask(i) & groupbit) != 0;
    int img[3];
    kernels::decode_image<image_type>(image(i), imgmask, imgmax, imgbits, img2bits, img);
    const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
    double u[3];
    kernels::unwrap_position(box, xi, img, u);
    double *row = &state(i, 0);
    double o[4] = {0.0, 0.0, 0.0, 0.0};
    kernels::re_stats_displacement(p, in_group, u, row, sums, o);
    if (in_group) {
      const SlotGid gid_of{gid.data()};
      sums[p.layout.norigins] +=
          kernels::re_stats_hop(p, nearest(i), px.data(), py.data(), pz.data(), gid_of, row, o);
    }
    for (int c = 0; c < 4; ++c) out(i, c) = o[c];
  }

  KOKKOS_INLINE_FUNCTION void init(value_type dst) const
  {
    for (unsigned k = 0; k < value_count; ++k) dst[k] = 0.0;
  }
  KOKKOS_INLINE_FUNCTION void join(value_type dst, const value_type src) const
  {
    for (unsigned k = 0; k < value_count; ++k) dst[k] += src[k];
  }
  KOKKOS_INLINE_FUNCTION void join(volatile value_type dst, const volatile value_type src) const
  {
    for (unsigned k = 0; k < value_count; ++k) dst[k] += src[k];
  }
};

/// Mass and mass-weighted unwrapped position of the group atoms of this rank.
struct ReStatsCom {
  double m = 0.0;
  double mx[3] = {0.0, 0.0, 0.0};
  KOKKOS_INLINE_FUNCTION ReStatsCom() {}
  KOKKOS_INLINE_FUNCTION void operator+=(const ReStatsCom &o)
  {
    m += o.m;
    for (int d = 0; d < 3; ++d) mx[d] += o.mx[d];
  }
  KOKKOS_INLINE_FUNCTION void operator+=(const volatile ReStatsCom &o) volatile
  {
    m += o.m;
    for (int d = 0; d < 3; ++d) mx[d] += o.mx[d];
  }
};

/// One thread per local atom: mass (per-atom rmass if given, else per-type mass) and mass times the
/// unwrapped position (the sums of LAMMPS Group::mass and Group::xcm).
template <class DeviceType, class XView, class ImageView, class MaskView, class TypeView, class MassView,
          class RmassView>
struct ReStatsComFunctor {
  typedef DeviceType device_type;
  typedef ReStatsCom value_type;
  typedef typename ImageView::non_const_value_type image_type;

  XView x;
  ImageView image;
  MaskView mask;
  TypeView type;
  MassView mass;      // per type
  RmassView rmass;    // per atom (used if use_rmass)
  bool use_rmass = false;
  kernels::BoxGeom box;
  image_type imgmask = 0, imgmax = 0;
  int imgbits = 0, img2bits = 0;
  int groupbit = 0;

  KOKKOS_INLINE_FUNCTION void operator()(const int i, ReStatsCom &s) const
  {
    if (!(mask(i) & groupbit)) return;
    const double mi = use_rmass ? rmass(i) : mass(type(i));
    int img[3];
    kernels::decode_image<image_type>(image(i), imgmask, imgmax, imgbits, img2bits, img);
    const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
    double u[3];
    kernels::unwrap_position(box, xi, img, u);
    s.m += mi;
    for (int d = 0; d < 3; ++d) s.mx[d] += u[d] * mi;
  }
};

}    // namespace reval::kokkos
