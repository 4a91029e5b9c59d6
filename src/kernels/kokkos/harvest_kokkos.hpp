/// @file harvest_kokkos.hpp
/// Kokkos launch structure of fix re/harvest/kk: one thread per local atom calls the point kernels of
/// the plain fix (kernels/point/harvest.hpp: harvest_atom_bits, harvest_count_add) on the per-atom
/// values of the atom criteria where they live (columns of device views: the /kk sources' own
/// per-atom arrays, or a device copy of host values), writes the atom's criterion bits and, with
/// hop, the hop count seen, and reduces the per-criterion counts (device_copy.hpp Sums) that the
/// fix turns into the frame's decision (one MPI_Allreduce, harvest_frame_bits) as the plain fix does.
/// No LAMMPS types: the adapter passes LAMMPS' views as template parameters.
#pragma once

#include "kernels/kokkos/device_copy.hpp"
#include "kernels/point/harvest.hpp"

#include <Kokkos_Core.hpp>

namespace reval::kokkos {

/// MaskView: LAMMPS' per-atom mask bits; ValView: a 2-d per-atom view (rows: atoms) whose column
/// column[k] holds the value of atom criterion k (bit order: migrating flag, hop count, sigma value,
/// error value); a criterion without a source (has[k] false) reads 0, as the plain fix does. SeenView:
/// the per-atom hop counts seen at the previous evaluation (read, and rewritten when hop has a source).
template <class DeviceType, class MaskView, class ValView, class SeenView>
struct HarvestAtomFunctor {
  using device_type = DeviceType;
  using value_type = Sums<kernels::kHarvestAtomCriteria>;

  MaskView mask;
  int groupbit = 1;
  kernels::HarvestCriteria c;
  ValView value[kernels::kHarvestAtomCriteria];
  int column[kernels::kHarvestAtomCriteria] = {0, 0, 0, 0};
  bool has[kernels::kHarvestAtomCriteria] = {false, false, false, false};
  SeenView hops_seen;                              ///< per atom: hop count at the previous evaluation
  Kokkos::View<int *, DeviceType> bits;            ///< per atom: the criteria it satisfies (output)

  KOKKOS_INLINE_FUNCTION double read(int k, int i) const { return has[k] ? value[k](i, column[k]) : 0.0; }

  KOKKOS_INLINE_FUNCTION void operator()(const int i, value_type &s) const
  {
    const double hops = read(1, i);
    int b = 0;
    if (mask(i) & groupbit) {
      b = kernels::harvest_atom_bits(c, read(0, i), hops, hops_seen(i), read(2, i), read(3, i));
      kernels::harvest_count_add(b, s.v);
    }
    bits(i) = b;
    if (has[1]) hops_seen(i) = hops;    // the counts seen by this evaluation (every local atom, as the plain fix)
  }
};

}    // namespace reval::kokkos
