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

/// REVAL_HD_TEMPLATE precedes a point-kernel template that calls a functor of its caller (count, gid_of, ...):
/// the plain styles instantiate it on the host with host lambdas, which nvcc would flag (warnings 20013 /
/// 20015: a constexpr __host__ call from a __host__ __device__ function) although no device code is made
/// from that instantiation; the Kokkos functors instantiate it with device functors. nvcc skips its host /
/// device call check for these templates only (warning 20011 stays on for everything else): keep them to
/// templates whose device callers pass device functors.
#if defined(__CUDACC__)
#define REVAL_HD_TEMPLATE _Pragma("nv_exec_check_disable")
#else
#define REVAL_HD_TEMPLATE
#endif
