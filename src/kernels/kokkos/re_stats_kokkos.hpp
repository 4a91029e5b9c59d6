/// @file re_stats_kokkos.hpp
/// Kokkos launch structure of fix re/stats/kk: one thread per local atom calls the point kernels of
/// the plain fix (kernels/point/re_stats.hpp) and reduces the per-origin squared displacements and
/// the new hops (an array reduction of norigins + 1 values); a second functor sums the group's mass
/// and mass-weighted unwrapped positions (centre of mass, the point kernel re_stats_com_add, into a
/// device_copy.hpp Sums<4>). No LAMMPS types: the adapter passes LAMMPS' views as template parameters.
#pragma once

#include "kernels/kokkos/device_copy.hpp"
#include "kernels/point/re_stats.hpp"

#include <Kokkos_Core.hpp>

namespace reval::kokkos {

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

/// One thread per local atom: mass (per-atom rmass if given, else per-type mass) and mass times the
/// unwrapped position (the sums of LAMMPS Group::mass and Group::xcm) by kernels::re_stats_com_add,
/// the kernel the plain fix loops over its atoms.
template <class DeviceType, class XView, class ImageView, class MaskView, class TypeView, class MassView,
          class RmassView>
struct ReStatsComFunctor {
  typedef DeviceType device_type;
  typedef Sums<4> value_type;    // mass, then mass-weighted unwrapped position
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

  KOKKOS_INLINE_FUNCTION void operator()(const int i, value_type &s) const
  {
    if (!(mask(i) & groupbit)) return;
    const double mi = use_rmass ? rmass(i) : mass(type(i));
    int img[3];
    kernels::decode_image<image_type>(image(i), imgmask, imgmax, imgbits, img2bits, img);
    const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
    double u[3];
    kernels::unwrap_position(box, xi, img, u);
    kernels::re_stats_com_add(mi, u, s.v);
  }
};

}    // namespace reval::kokkos
