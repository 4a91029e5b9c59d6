/// @file force_error_kokkos.hpp
/// Kokkos launch structure of compute force/error/kk: the same point kernels as the host loop of
/// compute force/error (kernels/point/force_error.hpp: force_error_counted, force_error_terms,
/// force_error_row, force_error_tally, force_error_tally_uncertainty), one thread per owned atom:
///  - ForceErrorTallyFunctor: writes the per-atom row and reduces the tallies of the counted atoms
///    into one array (the sums of layout kernels::ForceErrorSum, then the maximum |P - F|), so that
///    only these few numbers reach the host statistics (reval::ForceErrorStats::add_tallies).
///  - ForceErrorSamplesFunctor: with uncertainties, a scan that packs the (sigma, |P - F|, atom ID) of
///    the counted atoms in atom order (Spearman's rank correlation needs the samples themselves).
/// No LAMMPS types: the adapter passes LAMMPS' views as template parameters.
#pragma once

#include <Kokkos_Core.hpp>

#include "kernels/point/force_error.hpp"

namespace reval::kokkos {

/// FView: n x 3 force components (reference and prediction); IntView: LAMMPS' per-atom mask bits;
/// OutView: the n x 5 per-atom array. The reduction value is an array of nsums + 1 doubles.
template <class DeviceType, class FView, class IntView, class OutView>
struct ForceErrorTallyFunctor {
  using device_type = DeviceType;
  using value_type = double[];
  unsigned value_count = 1;    ///< nsums + 1 (set_nsums())

  FView ref, pred;
  IntView amask;
  Kokkos::View<double *, DeviceType> mask, sigma;
  OutView out;
  kernels::ForceErrorBins bins;
  double fmin = 1.0e-6;
  int groupbit = 1, nsums = 0;
  bool has_mask = false, has_sigma = false;

  void set_nsums(int n)
  {
    nsums = n;
    value_count = static_cast<unsigned>(n + 1);
  }

  KOKKOS_INLINE_FUNCTION void init(value_type s) const
  {
    for (unsigned k = 0; k < value_count; ++k) s[k] = 0.0;
  }
  KOKKOS_INLINE_FUNCTION void join(value_type dst, const value_type src) const
  {
    for (int k = 0; k < nsums; ++k) dst[k] += src[k];
    if (dst[nsums] < src[nsums]) dst[nsums] = src[nsums];
  }
  KOKKOS_INLINE_FUNCTION void join(volatile value_type dst, const volatile value_type src) const
  {
    for (int k = 0; k < nsums; ++k) dst[k] += src[k];
    if (dst[nsums] < src[nsums]) dst[nsums] = src[nsums];
  }

  KOKKOS_INLINE_FUNCTION void operator()(const int i, value_type s) const
  {
    double row[5] = {0.0, 0.0, 0.0, 0.0, 0.0};
    if (kernels::force_error_counted(amask(i), groupbit, has_mask, has_mask ? mask(i) : 0.0)) {
      const double F[3] = {ref(i, 0), ref(i, 1), ref(i, 2)};
      const double P[3] = {pred(i, 0), pred(i, 1), pred(i, 2)};
      const kernels::ForceErrorTerms t = kernels::force_error_terms(F, P, fmin);
      kernels::force_error_tally(s, s[nsums], t, bins);
      if (has_sigma) kernels::force_error_tally_uncertainty(s, t.err, sigma(i), fmin);
      kernels::force_error_row(t, row);
    }
    for (int c = 0; c < 5; ++c) out(i, c) = row[c];
  }
};

/// Exclusive scan over the owned atoms: the (sigma, |P - F|, atom ID) of the counted atoms, packed in
/// atom order into `sample_sigma` / `sample_err` / `sample_id` (|P - F| read back from the per-atom
/// array; the ID orders the samples for a rank correlation that does not depend on the decomposition).
template <class DeviceType, class IntView, class OutView, class TagView>
struct ForceErrorSamplesFunctor {
  using device_type = DeviceType;
  using value_type = int;

  IntView amask;
  TagView tag;
  Kokkos::View<double *, DeviceType> mask, sigma, sample_sigma, sample_err, sample_id;
  OutView out;
  int groupbit = 1;
  bool has_mask = false;

  KOKKOS_INLINE_FUNCTION void operator()(const int i, int &offset, const bool final) const
  {
    if (!kernels::force_error_counted(amask(i), groupbit, has_mask, has_mask ? mask(i) : 0.0)) return;
    if (final) {
      sample_sigma(offset) = sigma(i);
      sample_err(offset) = out(i, 2);
      sample_id(offset) = static_cast<double>(tag(i));
    }
    ++offset;
  }
};

}    // namespace reval::kokkos
