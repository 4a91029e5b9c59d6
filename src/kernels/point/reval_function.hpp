/// @file reval_function.hpp
/// REVAL_FUNCTION marks a point kernel: a small pure function of scalars and fixed-size arrays that
/// the plain (host) styles call in loops and the Kokkos functors call inside operator(). Compiled by
/// a Kokkos translation unit it becomes KOKKOS_INLINE_FUNCTION (host + device); elsewhere plain inline.
/// Point kernels include nothing but this header and <cmath>; no Kokkos, LAMMPS or Eigen types.
#pragma once

#if defined(KOKKOS_INLINE_FUNCTION)
#define REVAL_FUNCTION KOKKOS_INLINE_FUNCTION
#else
#define REVAL_FUNCTION inline
#endif
