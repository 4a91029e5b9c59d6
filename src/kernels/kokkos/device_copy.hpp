/// @file device_copy.hpp
/// The one host -> device copy helper and the one reduction-value template of the Kokkos tier.
/// Every /kk style and functor header uses these; no other copy or reduction struct is written.
///
/// Copy semantics (one function, two policies):
///  - to_device(d, host, n, label, Fit::exact): d has exactly n rows afterwards (reallocated when the
///    length differs); tables whose extent is read as their length (bin offsets, model coefficients).
///  - to_device(d, host, n, label, Fit::grow): d keeps at least n rows (reallocated only when too
///    small, to avoid a device allocation every step); per-atom arrays indexed 0..n-1.
///  - on_device(d, host, n, label): where device memory is host memory (Serial, OpenMP) an unmanaged
///    view of the host array itself (no copy, valid while the host array lives and is not resized);
///    otherwise as to_device(..., Fit::grow). For per-step read-only inputs.
/// Two-dimensional per-atom arrays (n x 3) come from three component arrays with to_device_rows().
#pragma once

#include <Kokkos_Core.hpp>

#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

namespace reval::kokkos {

/// How a device view is sized by to_device().
enum class Fit { exact, grow };

/// Copies n host values into the rank-1 device view d (see the file comment for the policies).
template <class View, class T>
void to_device(View &d, const T *host, std::size_t n, const std::string &label, Fit fit = Fit::exact)
{
  const bool realloc = fit == Fit::exact ? (d.data() == nullptr || d.extent(0) != n) : (d.data() == nullptr || d.extent(0) < n);
  if (realloc) d = View(label, fit == Fit::grow && n == 0 ? 1 : n);
  if (n == 0) return;
  auto m = Kokkos::create_mirror_view(d);
  for (std::size_t k = 0; k < n; ++k) m(k) = host[k];
  Kokkos::deep_copy(d, m);
}

/// to_device() of a whole std::vector.
template <class View, class T, class Alloc>
void to_device(View &d, const std::vector<T, Alloc> &host, const std::string &label, Fit fit = Fit::exact)
{
  to_device(d, host.data(), host.size(), label, fit);
}

/// A new device view holding a copy of a host vector (tables set up once).
template <class DeviceType, class T, class Alloc>
Kokkos::View<T *, DeviceType> to_device(const std::vector<T, Alloc> &host, const std::string &label)
{
  Kokkos::View<T *, DeviceType> d;
  to_device(d, host.data(), host.size(), label, Fit::exact);
  return d;
}

/// n host values readable on the device: the host array itself where device memory is host memory,
/// else a copy in d (grown when too small). Returns the view to read.
template <class DeviceType, class T>
Kokkos::View<T *, DeviceType> on_device(Kokkos::View<T *, DeviceType> &d, const T *host, std::size_t n,
                                        const std::string &label)
{
  if (std::is_same<typename DeviceType::memory_space, Kokkos::HostSpace>::value) {
    d = Kokkos::View<T *, DeviceType>(const_cast<T *>(host), n);
    return d;
  }
  to_device(d, host, n, label, Fit::grow);
  return d;
}

/// Copies n rows of three host component arrays (v[0][i], v[1][i], v[2][i]) into the n x 3 device
/// view d, which keeps at least `cap` rows (reallocated only when it holds fewer than n).
template <class View>
void to_device_rows(View &d, const std::vector<double> v[3], std::size_t n, std::size_t cap, const std::string &label)
{
  if (d.data() == nullptr || d.extent(0) < n) d = View(label, cap > n ? cap : n);
  if (n == 0) return;
  auto m = Kokkos::create_mirror_view(d);
  for (std::size_t i = 0; i < n; ++i)
    for (int k = 0; k < 3; ++k) m(i, k) = v[k][i];
  Kokkos::deep_copy(d, m);
}

/// The reduction value of a fixed number of summed doubles (Kokkos::parallel_reduce with a functor
/// whose value_type is Sums<N>): energy + virial of the SNAP force pass (N = 7), mass + mass-weighted
/// position of fix re/stats' centre of mass (N = 4), ... Both join forms are provided: Kokkos 3.x
/// joins through volatile references, Kokkos 4 through plain ones.
template <int N>
struct Sums {
  double v[N];
  KOKKOS_INLINE_FUNCTION Sums()
  {
    for (int k = 0; k < N; ++k) v[k] = 0.0;
  }
  KOKKOS_INLINE_FUNCTION double &operator[](int k) { return v[k]; }
  KOKKOS_INLINE_FUNCTION const double &operator[](int k) const { return v[k]; }
  KOKKOS_INLINE_FUNCTION void operator+=(const Sums &o)
  {
    for (int k = 0; k < N; ++k) v[k] += o.v[k];
  }
  KOKKOS_INLINE_FUNCTION void operator+=(const volatile Sums &o) volatile
  {
    for (int k = 0; k < N; ++k) v[k] += o.v[k];
  }
};

}    // namespace reval::kokkos
