/// @file snap_host_simd.h
/// Host-only SIMD variants of SNAP point kernels (kernels/point/snap_kernels.hpp) for the serial engine
/// (core/snap_engine). They compute the same quantities from the same SnapTablesView, with the work laid
/// out so that vector lanes do independent work; the portable kernels stay the reference (and the only
/// code the Kokkos functors, hence the GPU, run). tests/unit/test_snap_simd.cpp compares the two on random
/// inputs (1e-12 relative; only the summation order differs).
///
/// Z (snap_compute_z_row): for a row (j1, j2, j, mb) of the Z list, Z(ma) = sum_{mb1} C(mb1, mb2)
/// sum_{ma1} C(ma1, ma2) U1(mb1, ma1) U2(mb2, ma2) with ma2 = ma + (j1 + j2 - j)/2 - ma1 (and likewise mb2).
/// For fixed ma1 the U2 entries of consecutive ma are consecutive, so four ma (the lanes) are summed at once:
/// P(ma) = sum_{mb1} [C(mb1, mb2) U1(mb1, ma1)] U2(mb2, ma2) (the bracket computed once per row), then
/// Z(ma) += Cs(ma1, ma) P(ma) with a "skewed" Clebsch-Gordan table Cs(ma1, ma) = C(ma1, ma2) (0 where ma2 is
/// outside 0..j2), the accumulators in registers. U2 is read a few entries outside its row (times Cs = 0): the
/// Ulisttot arrays passed in need kUPad readable finite entries before and after them
/// (SnapHostZPlan::padded_size).
///
/// U and dE/dr (snap_compute_u, snap_deidrj): kNbLanes neighbours at once, one per lane (identical control
/// flow), their U arrays interleaved. Y: one Z row at a time (its weight is constant along the row).
///
/// Built with GNU vector extensions (GCC, Clang; REVAL_HOST_SIMD = 1): on x86-64 each kernel exists twice, for
/// AVX2 + FMA (4 doubles in one register) and for the baseline (two 16-byte vectors, SSE2), chosen at run time
/// (__builtin_cpu_supports); -DREVAL_NO_HOST_CLONES builds the baseline only. Elsewhere (nvcc, other compilers,
/// -DREVAL_NO_HOST_SIMD) the grouped U / dE/dr kernels are not built and SnapEngine runs the portable kernels
/// (snap_compute_u, snap_add_u_with, snap_add_y_terms, snap_deidrj, snap_compute_z_row) as before: that branch
/// is also what keeps the CPU style and its /kk twin on the same point kernels (tests/layering). (An AVX-512
/// variant measured no faster on this 4-lane work and is not built.)
#pragma once

#include "kernels/point/snap_kernels.hpp"

#include <vector>

// x86-64 run-time dispatch (GCC target_clones, an ifunc): the default build stays portable, modern CPUs
// get the wide vectors. The point kernels are inlined into each clone (flatten).
#if defined(__GNUC__) && !defined(__clang__) && !defined(__NVCC__) && !defined(__CUDACC__) && defined(__x86_64__) && \
    defined(__linux__) && !defined(REVAL_NO_HOST_CLONES)
#define REVAL_HOST_CLONES __attribute__((target_clones("arch=x86-64-v3", "default"), flatten))
#else
#define REVAL_HOST_CLONES
#endif

#if (defined(__GNUC__) || defined(__clang__)) && !defined(__NVCC__) && !defined(__CUDACC__) && !defined(REVAL_NO_HOST_SIMD)
#define REVAL_HOST_SIMD 1
#else
#define REVAL_HOST_SIMD 0
#endif

namespace reval {

/// Row tables of the host Z kernel, built once from a SnapTablesView (immutable; one per engine).
class SnapHostZPlan {
 public:
  static constexpr int kLanes = 4;    ///< ma elements summed together
  static constexpr int kUPad = 8;     ///< readable entries needed before and after each Ulisttot array
  static constexpr int kMaxRowTerms = 31 * 31;    ///< (twojmax + 1)^2 for the largest twojmax SnapParams accepts (30)

  explicit SnapHostZPlan(const kernels::SnapTablesView &t);

  /// Entries to allocate for nchannels Ulisttot channels of idxu_max plus the padding; a channel c
  /// then starts at data + kUPad + c * idxu_max. Pads must hold finite values (zeros).
  std::size_t padded_size(int nchannels) const;

  /// The Z list of one channel pair (idxz_max entries of z_r / z_i, as snap_compute_z_row for every
  /// row: the middle row of even j holds zeros right of its centre), from Ulisttot channels u1, u2
  /// (full arrays, every row, with kUPad readable entries around them).
  void z_list(const double *u1_r, const double *u1_i, const double *u2_r, const double *u2_i, double *z_r,
              double *z_i) const;

  struct Row {
    int jjz0;          ///< first Z element (ma = 0)
    int j1, j2, j, mb;
    int mamax;         ///< last computed ma (mb for the middle row of even j, else j)
    int off;           ///< (j1 + j2 - j) / 2
    int mb1lo, mb1hi;  ///< mb1 range; mb2 = mb + off - mb1
    int ju1, ju2;      ///< first entries of layers j1, j2
    int icg;           ///< Clebsch-Gordan block (j1, j2, j)
    int skew;          ///< its skewed table: Cs(ma1, ma) at skew + ma1 * stride + ma
    int stride;        ///< ma entries per ma1 in the skewed table (j + 1 rounded up to kLanes)
  };

 private:
  const kernels::SnapTablesView *m_t;
  std::vector<Row> m_rows;
  std::vector<double> m_skew;
};

/// Neighbour lanes of the batched U / dE/dr kernels: neighbours are processed kNbLanes at a time, their
/// U arrays stored interleaved ("SoA"): entry k of lane l at [kNbLanes * k + l] (idxu_max * kNbLanes values
/// per group). A group with fewer neighbours fills the free lanes with snap_host_idle_geom() (U finite, sfac 0).
constexpr int kNbLanes = 4;

#if REVAL_HOST_SIMD
/// A neighbour geometry with a = 1, b = 0 and zero weight, for the free lanes of a group.
const kernels::SnapNeighborGeom &snap_host_idle_geom();

/// snap_compute_u of the kNbLanes neighbours g[0..kNbLanes-1] at once, into interleaved u_r / u_i (every row
/// the portable kernel fills, the same values up to rounding).
void snap_host_u_group(const kernels::SnapTablesView &t, const kernels::SnapNeighborGeom *const g[kNbLanes],
                       double *u_r, double *u_i);

/// acc[c] (nchannels interleaved U-like arrays, idxu_max * kNbLanes each) += sfac of each lane whose channel is c
/// times its U, rows mb <= j/2 (snap_add_u_with per neighbour); chan[l] = the lane's channel.
void snap_host_add_u_group(const kernels::SnapTablesView &t, const double sfac[kNbLanes], const int chan[kNbLanes],
                           const double *u_r, const double *u_i, double *acc_r, double *acc_i);

/// utot (nchannels x idxu_max) += the lane sums of acc (snap_host_add_u_group), rows mb <= j/2.
void snap_host_reduce_u(const kernels::SnapTablesView &t, const double *acc_r, const double *acc_i, double *utot_r,
                        double *utot_i);

/// snap_deidrj for the kNbLanes neighbours of a group: interleaved U (snap_host_u_group), y_r[l] / y_i[l] the Y
/// channel of lane l, adj_r / adj_i scratch of idxu_max * kNbLanes; dedr[3 l + k] = dE_i/dr_{l,k}.
void snap_host_deidrj_group(const kernels::SnapTablesView &t, const kernels::SnapNeighborGeom *const g[kNbLanes],
                            const double *u_r, const double *u_i, const double *const y_r[kNbLanes],
                            const double *const y_i[kNbLanes], double *adj_r, double *adj_i, double dedr[3 * kNbLanes]);

#endif

/// Y of one atom (snap_zero_y + snap_add_y_terms over the whole Z list); with one channel one Z row at a time
/// (the weight of a row is constant), else snap_add_y_terms; y: nchannels x idxu_max. z as snap_compute_z_row / SnapHostZPlan::z_list leave it:
/// the zeros right of the centre of the middle row of even j are not read.
void snap_host_compute_y(const kernels::SnapTablesView &t, const double *z_r, const double *z_i, const double *beta,
                         double *y_r, double *y_i);

}    // namespace reval
