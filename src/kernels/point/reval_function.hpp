/// @file reval_function.hpp
/// REVAL_FUNCTION marks a point kernel: a small pure function of scalars and fixed-size arrays that
/// the plain (host) styles call in loops and the Kokkos functors call inside operator(). Under a GPU
/// compiler (nvcc, hipcc) it is __host__ __device__ inline in every translation unit, whatever was
/// included before it: a kernel first seen through an adapter header (before Kokkos_Core.hpp) must
/// still have its device version (nvcc warning 20011 "calling a __host__ function from a __host__
/// __device__ function" otherwise, and a kernel that cannot run on the GPU). Elsewhere it is
/// KOKKOS_INLINE_FUNCTION where Kokkos is already included, plain inline otherwise (the same code for
/// the host backends). Point kernels include nothing but this header and <cmath> (the host-only SIMD layouts of
/// snap_host_simd.hpp also the C++ library); no Kokkos, LAMMPS or
/// Eigen types.
#pragma once

#if defined(__CUDACC__) || defined(__HIPCC__)
#define REVAL_FUNCTION __host__ __device__ inline
#elif defined(KOKKOS_INLINE_FUNCTION)
#define REVAL_FUNCTION KOKKOS_INLINE_FUNCTION
#else
#define REVAL_FUNCTION inline
#endif
