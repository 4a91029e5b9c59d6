/// @file snap_host_simd.hpp
/// Host-only SIMD layouts of the SNAP point kernels of snap_kernels.hpp: the plain engine (core/snap_engine) and
/// the host path of the Kokkos functor (kernels/kokkos/snap_kokkos.hpp, host execution spaces) run these, one
/// code for the CPU; the portable kernels stay the reference and the only code a GPU runs. They compute the same
/// quantities from the same SnapTablesView, with the work laid out so that vector lanes do independent work.
/// tests/unit/test_snap_simd.cpp compares the two on random inputs (1e-12 relative; only the summation order
/// differs). Unlike the portable kernels these are host functions and use the C++ library (tables built once).
///
/// Z (snap_host_z_list, for snap_compute_z_row): for a row (j1, j2, j, mb) of the Z list, Z(ma) = sum_{mb1}
/// C(mb1, mb2) sum_{ma1} C(ma1, ma2) U1(mb1, ma1) U2(mb2, ma2) with ma2 = ma + (j1 + j2 - j)/2 - ma1 (and likewise
/// mb2). For fixed ma1 the U2 entries of consecutive ma are consecutive, so four ma (the lanes) are summed at
/// once: P(ma) = sum_{mb1} [C(mb1, mb2) U1(mb1, ma1)] U2(mb2, ma2) (the bracket computed once per row), then
/// Z(ma) += Cs(ma1, ma) P(ma) with a "skewed" Clebsch-Gordan table Cs(ma1, ma) = C(ma1, ma2) (0 where ma2 is
/// outside 0..j2), the accumulators in registers. U2 is read a few entries outside its row (times Cs = 0): the
/// Ulisttot arrays passed in need SnapHostZPlan::kUPad readable finite entries before and after them.
///
/// U and dE/dr (snap_host_ulisttot, snap_host_dedr, for snap_compute_u + snap_add_u_with and snap_deidrj):
/// kNbLanes neighbours at once, one per lane (identical control flow), their U arrays interleaved. Y
/// (snap_host_compute_y): one Z row at a time (its weight is constant along the row).
///
/// Built with GNU vector extensions (GCC, Clang; REVAL_HOST_SIMD = 1): on x86-64 each kernel exists twice, for
/// AVX2 + FMA (4 doubles in one register) and for the baseline (two 16-byte vectors, SSE2), chosen at run time
/// (__builtin_cpu_supports); -DREVAL_NO_HOST_CLONES builds the baseline only. Elsewhere (nvcc, other compilers,
/// -DREVAL_NO_HOST_SIMD) the grouped U / dE/dr kernels are not built and the engine and the functor run the
/// portable kernels. AVX-512 is not used: the 4-lane kernels compiled for it ran no faster, and an 8-lane Z
/// kernel (one 512-bit register, ma = 0..7 of a row at once) made the whole linear Si_Zuo step 1.22x slower
/// (Pair time 5.55 vs 4.55 s, 4096 atoms, 20 steps, medians of 4 alternated runs, Xeon with AVX-512: the
/// rows are short, j + 1 <= 9, and 512-bit code lowers the clock).
#pragma once

#include "kernels/point/snap_kernels.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

// x86-64 run-time dispatch (GCC target_clones, an ifunc) for functions of .cpp files (not inline ones): the
// default build stays portable, modern CPUs get the wide vectors. The point kernels are inlined into each clone.
#if defined(__GNUC__) && !defined(__clang__) && !defined(__NVCC__) && !defined(__CUDACC__) && defined(__x86_64__) && \
    defined(__linux__) && !defined(REVAL_NO_HOST_CLONES)
#define REVAL_HOST_CLONES __attribute__((target_clones("arch=x86-64-v3", "default"), flatten))
#else
#define REVAL_HOST_CLONES
#endif

#if (defined(__GNUC__) || defined(__clang__)) && !defined(__NVCC__) && !defined(__CUDACC__) && \
    !defined(__HIPCC__) && !defined(REVAL_NO_HOST_SIMD)
#define REVAL_HOST_SIMD 1
#else
#define REVAL_HOST_SIMD 0
#endif

namespace reval::kernels {

/// One row (j1, j2, j, mb) of the Z list as the host Z kernel walks it.
struct SnapHostZRow {
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

/// The tables of a SnapHostZPlan as plain pointers (what a functor holds; host memory).
struct SnapHostZPlanView {
  const SnapHostZRow *rows = nullptr;
  int nrows = 0;
  const double *skew = nullptr;
};

/// Row tables of the host Z kernel, built once from a SnapTablesView (immutable; one per engine or pair style).
class SnapHostZPlan {
 public:
  static constexpr int kLanes = 4;    ///< ma elements summed together
  static constexpr int kUPad = 8;     ///< readable entries needed before and after each Ulisttot array
  static constexpr int kMaxRowTerms = 31 * 31;    ///< (twojmax + 1)^2 for the largest twojmax SnapParams accepts (30)

  explicit SnapHostZPlan(const SnapTablesView &t);

  /// Entries to allocate for nchannels Ulisttot channels of idxu_max plus the padding; a channel c
  /// then starts at data + kUPad + c * idxu_max. Pads must hold finite values (zeros).
  static std::size_t padded_size(const SnapTablesView &t)
  {
    return static_cast<std::size_t>(t.nchannels) * t.idxu_max + 2 * kUPad;
  }

  SnapHostZPlanView view() const { return {m_rows.data(), static_cast<int>(m_rows.size()), m_skew.data()}; }

 private:
  std::vector<SnapHostZRow> m_rows;
  std::vector<double> m_skew;
};

inline SnapHostZPlan::SnapHostZPlan(const SnapTablesView &t)
{
  if ((t.twojmax + 1) * (t.twojmax + 1) > kMaxRowTerms)
    throw std::invalid_argument("SnapHostZPlan: twojmax " + std::to_string(t.twojmax) + " is above 30");
  const int W = kLanes;
  // one skewed table per Clebsch-Gordan block (j1, j2, j), shared by the rows of that block
  int last_icg = -1, last_skew = 0;
  for (int r = 0; r < t.nzrows; ++r) {
    const SnapZIndex &q = t.idxz[t.zrow[r]];
    SnapHostZRow row;
    row.jjz0 = t.zrow[r];
    row.j1 = q.j1;
    row.j2 = q.j2;
    row.j = q.j;
    row.mb = q.mb;
    row.mamax = (2 * q.mb == q.j) ? q.mb : q.j;
    row.off = (q.j1 + q.j2 - q.j) / 2;
    row.mb1lo = q.mb1min;
    row.mb1hi = q.mb1min + q.nb - 1;
    row.ju1 = t.idxu_block[q.j1];
    row.ju2 = t.idxu_block[q.j2];
    row.icg = q.icg;
    row.stride = (q.j + 1 + W - 1) / W * W;
    if (q.icg != last_icg) {
      last_icg = q.icg;
      last_skew = static_cast<int>(m_skew.size());
      m_skew.resize(m_skew.size() + static_cast<std::size_t>(q.j1 + 1) * row.stride, 0.0);
      for (int ma1 = 0; ma1 <= q.j1; ++ma1)
        for (int ma = 0; ma <= q.j; ++ma) {
          const int ma2 = ma + row.off - ma1;
          if (ma2 >= 0 && ma2 <= q.j2) m_skew[last_skew + ma1 * row.stride + ma] = t.cglist[q.icg + ma1 * (q.j2 + 1) + ma2];
        }
    }
    row.skew = last_skew;
    m_rows.push_back(row);
  }
}

/// Neighbour lanes of the batched U / dE/dr kernels: neighbours are processed kNbLanes at a time, their
/// U arrays stored interleaved ("SoA"): entry k of lane l at [kNbLanes * k + l] (idxu_max * kNbLanes values
/// per group). A group with fewer neighbours fills the free lanes with snap_host_idle_geom() (U finite, sfac 0).
constexpr int kNbLanes = 4;

/// Neighbour slots of the interleaved U store for n neighbours (n rounded up to whole groups).
REVAL_FUNCTION int snap_host_u_slots(int n) { return (n + kNbLanes - 1) / kNbLanes * kNbLanes; }

namespace host_simd {

#if REVAL_HOST_SIMD
// Four lanes of doubles: v4d (one AVX register) in the AVX2 + FMA variants, V2x2 (two 16-byte vectors: SSE2 on any
// x86-64, NEON on aarch64) in the baseline ones. (A 32-byte GCC vector compiled without AVX is split through
// memory and runs several times slower than scalar code: the baseline must not use v4d.) The kernels below are
// templates on the lane type, inlined into one function per variant; no vector value crosses a call.
#define REVAL_LANES_INLINE inline __attribute__((always_inline))
// x86-64: an AVX2 + FMA variant of each kernel besides the baseline one, chosen at run time.
#if defined(__x86_64__) && !defined(REVAL_NO_HOST_CLONES)
#define REVAL_HOST_AVX2 1
#define REVAL_TARGET_AVX2 __attribute__((target("avx2,fma"), flatten))
inline bool host_has_avx2()
{
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }();
  return yes;
}
#else
#define REVAL_HOST_AVX2 0
#endif

typedef double v2d __attribute__((vector_size(16)));

struct V2x2 {
  v2d lo, hi;
  REVAL_LANES_INLINE double operator[](int l) const { return l < 2 ? lo[l] : hi[l - 2]; }
};
REVAL_LANES_INLINE V2x2 operator+(const V2x2 &a, const V2x2 &b) { return {a.lo + b.lo, a.hi + b.hi}; }
REVAL_LANES_INLINE V2x2 operator-(const V2x2 &a, const V2x2 &b) { return {a.lo - b.lo, a.hi - b.hi}; }
REVAL_LANES_INLINE V2x2 operator*(const V2x2 &a, const V2x2 &b) { return {a.lo * b.lo, a.hi * b.hi}; }
REVAL_LANES_INLINE V2x2 operator*(double s, const V2x2 &b) { return {s * b.lo, s * b.hi}; }
REVAL_LANES_INLINE V2x2 &operator+=(V2x2 &a, const V2x2 &b) { a.lo += b.lo; a.hi += b.hi; return a; }
REVAL_LANES_INLINE V2x2 &operator-=(V2x2 &a, const V2x2 &b) { a.lo -= b.lo; a.hi -= b.hi; return a; }
REVAL_LANES_INLINE void load(V2x2 &v, const double *p)
{
  std::memcpy(&v.lo, p, sizeof v.lo);
  std::memcpy(&v.hi, p + 2, sizeof v.hi);
}
REVAL_LANES_INLINE void store(double *p, const V2x2 &v)
{
  std::memcpy(p, &v.lo, sizeof v.lo);
  std::memcpy(p + 2, &v.hi, sizeof v.hi);
}
REVAL_LANES_INLINE void set(V2x2 &v, double a, double b, double c, double d)
{
  v.lo = v2d{a, b};
  v.hi = v2d{c, d};
}
#if REVAL_HOST_AVX2
// v4d: GCC / Clang vector operators; unaligned loads and stores by reference
typedef double v4d __attribute__((vector_size(32)));
REVAL_LANES_INLINE void load(v4d &v, const double *p) { std::memcpy(&v, p, sizeof v); }
REVAL_LANES_INLINE void store(double *p, const v4d &v) { std::memcpy(p, &v, sizeof v); }
REVAL_LANES_INLINE void set(v4d &v, double a, double b, double c, double d) { v = v4d{a, b, c, d}; }
#endif

template <class V>
REVAL_LANES_INLINE void splat(V &v, double s)
{
  set(v, s, s, s, s);
}
/// entry k of the four lanes' arrays y[0..3] (one broadcast when they are the same array)
template <class V>
REVAL_LANES_INLINE void gather4(V &v, const double *const y[kNbLanes], int k, bool same)
{
  if (same)
    splat(v, y[0][k]);
  else
    set(v, y[0][k], y[1][k], y[2][k], y[3][k]);
}

template <class V>
REVAL_LANES_INLINE void z_list_t(const SnapTablesView &t, const SnapHostZPlanView &plan, const double *u1_r,
                                 const double *u1_i, const double *u2_r, const double *u2_i, double *z_r, double *z_i)
{
  constexpr int W = SnapHostZPlan::kLanes;
  // s1[ma1 * nb + ib] = C(mb1, mb2) U1(mb1, ma1), mb1 = mb1lo + ib: U1 of the row's mb1 values with their outer
  // Clebsch-Gordan factor, shared by the row's lane groups
  double s1r[SnapHostZPlan::kMaxRowTerms], s1i[SnapHostZPlan::kMaxRowTerms];
  const int bnorm = t.bnormflag;
  for (int r = 0; r < plan.nrows; ++r) {
    const SnapHostZRow &q = plan.rows[r];
    const int j1 = q.j1, j2 = q.j2, off = q.off, S = q.stride, nb = q.mb1hi - q.mb1lo + 1;
    const double *cg = t.cglist + q.icg;
    for (int ib = 0; ib < nb; ++ib) {
      const int mb1 = q.mb1lo + ib, mb2 = q.mb + off - mb1;
      const double cb = cg[mb1 * (j2 + 1) + mb2];
      const double *p1r = u1_r + q.ju1 + (j1 + 1) * mb1, *p1i = u1_i + q.ju1 + (j1 + 1) * mb1;
      for (int ma1 = 0; ma1 <= j1; ++ma1) {
        s1r[ma1 * nb + ib] = cb * p1r[ma1];
        s1i[ma1 * nb + ib] = cb * p1i[ma1];
      }
    }
    // U2(mb2, ma2) of lane ma and ib at p2 - ma1 - ib * (j2 + 1) (mb2 = mb + off - mb1lo - ib, ma2 = ma + off - ma1)
    const int mb2hi = q.mb + off - q.mb1lo;
    double *zr_out = z_r + q.jjz0, *zi_out = z_i + q.jjz0;
    for (int m0 = 0; m0 <= q.mamax; m0 += W) {
      // ma1 values that reach at least one lane ma = m0 .. m0+W-1 with 0 <= ma2 <= j2
      const int a_lo = std::max(0, m0 + off - j2), a_hi = std::min(j1, m0 + W - 1 + off);
      V zr0, zi0;
      splat(zr0, 0.0);
      zi0 = zr0;
      const double *p2r0 = u2_r + q.ju2 + (j2 + 1) * mb2hi + m0 + off;
      const double *p2i0 = u2_i + q.ju2 + (j2 + 1) * mb2hi + m0 + off;
      for (int ma1 = a_lo; ma1 <= a_hi; ++ma1) {
        // P = sum_mb1 C(mb1, mb2) U1(mb1, ma1) U2(mb2, ma2), then Z += Cs(ma1, ma) P (successive ma1 overlap)
        V pr, pi;
        splat(pr, 0.0);
        pi = pr;
        const double *sr = s1r + ma1 * nb, *si = s1i + ma1 * nb;
        const double *p2r = p2r0 - ma1, *p2i = p2i0 - ma1;
        for (int ib = 0; ib < nb; ++ib) {
          V vr, vi;
          load(vr, p2r - ib * (j2 + 1));
          load(vi, p2i - ib * (j2 + 1));
          pr += sr[ib] * vr;
          pr -= si[ib] * vi;
          pi += sr[ib] * vi;
          pi += si[ib] * vr;
        }
        V c;
        load(c, plan.skew + q.skew + ma1 * S + m0);
        zr0 += c * pr;
        zi0 += c * pi;
      }
      const V zr = zr0, zi = zi0;
      const int nl = std::min(W, q.mamax + 1 - m0);
      for (int l = 0; l < nl; ++l) {
        zr_out[m0 + l] = bnorm ? zr[l] / (q.j + 1) : zr[l];
        zi_out[m0 + l] = bnorm ? zi[l] / (q.j + 1) : zi[l];
      }
    }
    for (int ma = q.mamax + 1; ma <= q.j; ++ma) zr_out[ma] = zi_out[ma] = 0.0;
  }
}

template <class V>
REVAL_LANES_INLINE void u_group_t(const SnapTablesView &t, const SnapNeighborGeom *const g[kNbLanes], double *u_r,
                                  double *u_i)
{
  constexpr int L = kNbLanes;
  const int jdimpq = t.twojmax + 2;
  V a_r, a_i, b_r, b_i;
  set(a_r, g[0]->a_r, g[1]->a_r, g[2]->a_r, g[3]->a_r);
  set(a_i, g[0]->a_i, g[1]->a_i, g[2]->a_i, g[3]->a_i);
  set(b_r, g[0]->b_r, g[1]->b_r, g[2]->b_r, g[3]->b_r);
  set(b_i, g[0]->b_i, g[1]->b_i, g[2]->b_i, g[3]->b_i);
  V one, zero;
  splat(one, 1.0);
  splat(zero, 0.0);
  store(u_r, one);
  store(u_i, zero);
  for (int j = 1; j <= t.twojmax; ++j) {
    const int ju = t.idxu_block[j];
    const int jup = t.idxu_block[j - 1];
    for (int mb = 0; 2 * mb <= j; ++mb) {
      const double *up_r = u_r + L * (jup + j * mb), *up_i = u_i + L * (jup + j * mb);
      double *ur = u_r + L * (ju + (j + 1) * mb), *ui = u_i + L * (ju + (j + 1) * mb);
      const double *rpa = t.rootpq + (j - mb);
      V pr, pi;
      load(pr, up_r);
      load(pi, up_i);
      const double c0 = rpa[j * jdimpq];
      store(ur, c0 * (a_r * pr + a_i * pi));
      store(ui, c0 * (a_r * pi - a_i * pr));
      for (int ma = 1; ma < j; ++ma) {
        const double c1 = rpa[(j - ma) * jdimpq], c2 = rpa[ma * jdimpq];
        V qr, qi;
        load(qr, up_r + L * ma);
        load(qi, up_i + L * ma);
        store(ur + L * ma, c1 * (a_r * qr + a_i * qi) - c2 * (b_r * pr + b_i * pi));
        store(ui + L * ma, c1 * (a_r * qi - a_i * qr) - c2 * (b_r * pi - b_i * pr));
        pr = qr;
        pi = qi;
      }
      store(ur + L * j, -c0 * (b_r * pr + b_i * pi));
      store(ui + L * j, -c0 * (b_r * pi - b_i * pr));
    }
    if (j % 2 == 1) {    // row (j+1)/2 mirrored from row (j-1)/2
      const int mbd = (j - 1) / 2, mbt = (j + 1) / 2;
      const double *sr = u_r + L * (ju + (j + 1) * mbd), *si = u_i + L * (ju + (j + 1) * mbd);
      double *tr = u_r + L * (ju + (j + 1) * mbt), *ti = u_i + L * (ju + (j + 1) * mbt);
      for (int ma = 0; ma <= j; ++ma) {
        const double s = ((j - ma - mbd) % 2 == 0) ? 1.0 : -1.0;
        V vr, vi;
        load(vr, sr + L * (j - ma));
        load(vi, si + L * (j - ma));
        store(tr + L * ma, s * vr);
        store(ti + L * ma, -s * vi);
      }
    }
  }
}

template <class V>
REVAL_LANES_INLINE void add_u_group_t(const SnapTablesView &t, const double sfac[kNbLanes], const int chan[kNbLanes],
                                      const double *u_r, const double *u_i, double *acc_r, double *acc_i)
{
  constexpr int L = kNbLanes;
  const int nu = t.idxu_max;
  for (int c = 0; c < t.nchannels; ++c) {
    bool any = false;
    double w[L];
    for (int l = 0; l < L; ++l) {
      w[l] = chan[l] == c ? sfac[l] : 0.0;
      any = any || chan[l] == c;
    }
    if (!any) continue;
    V s;
    set(s, w[0], w[1], w[2], w[3]);
    double *ar = acc_r + static_cast<std::size_t>(L) * nu * c, *ai = acc_i + static_cast<std::size_t>(L) * nu * c;
    for (int j = 0; j <= t.twojmax; ++j) {
      const int begin = t.idxu_block[j], end = begin + (j + 1) * (j / 2 + 1);
      for (int k = begin; k < end; ++k) {
        V vr, vi, xr, xi;
        load(vr, u_r + L * k);
        load(vi, u_i + L * k);
        load(xr, ar + L * k);
        load(xi, ai + L * k);
        store(ar + L * k, xr + s * vr);
        store(ai + L * k, xi + s * vi);
      }
    }
  }
}

template <class V>
REVAL_LANES_INLINE void deidrj_group_t(const SnapTablesView &t, const SnapNeighborGeom *const g[kNbLanes],
                                       const double *u_r, const double *u_i, const double *const y_r[kNbLanes],
                                       const double *const y_i[kNbLanes], double *adj_r, double *adj_i,
                                       double dedr[3 * kNbLanes])
{
  constexpr int L = kNbLanes;
  const int jdimpq = t.twojmax + 2;
  const bool same = y_r[1] == y_r[0] && y_r[2] == y_r[0] && y_r[3] == y_r[0];
  V a_r, a_i, b_r, b_i;
  set(a_r, g[0]->a_r, g[1]->a_r, g[2]->a_r, g[3]->a_r);
  set(a_i, g[0]->a_i, g[1]->a_i, g[2]->a_i, g[3]->a_i);
  set(b_r, g[0]->b_r, g[1]->b_r, g[2]->b_r, g[3]->b_r);
  set(b_i, g[0]->b_i, g[1]->b_i, g[2]->b_i, g[3]->b_i);
  V zero;
  splat(zero, 0.0);
  V g0 = zero, A_r = zero, A_i = zero, B_r = zero, B_i = zero;

  // seed the adjoint of every directly computed row with w*Y; rows above are zero
  for (int j = 0; j <= t.twojmax; ++j) {
    const int ju = t.idxu_block[j];
    const int nfull = (j + 1) * ((j + 1) / 2);
    for (int k = ju; k < ju + nfull; ++k) {
      V yr, yi, ur, ui;
      gather4(yr, y_r, k, same);
      gather4(yi, y_i, k, same);
      load(ur, u_r + L * k);
      load(ui, u_i + L * k);
      store(adj_r + L * k, yr);
      store(adj_i + L * k, yi);
      g0 += yr * ur + yi * ui;
    }
    const int rows_end = ju + (j + 1) * ((j + 1) / 2 + 1);    // rows 0 .. (j+1)/2 (snap_rows_needed)
    for (int k = ju + nfull; k < rows_end; ++k) {
      store(adj_r + L * k, zero);
      store(adj_i + L * k, zero);
    }
    if (j % 2 == 0) {
      const int mb = j / 2, base = ju + nfull;
      for (int ma = 0; ma <= mb; ++ma) {
        const int k = base + ma;
        V yr, yi, ur, ui;
        gather4(yr, y_r, k, same);
        gather4(yi, y_i, k, same);
        if (ma == mb) {
          yr = 0.5 * yr;
          yi = 0.5 * yi;
        }
        load(ur, u_r + L * k);
        load(ui, u_i + L * k);
        store(adj_r + L * k, yr);
        store(adj_i + L * k, yi);
        g0 += yr * ur + yi * ui;
      }
    }
  }

  for (int j = t.twojmax; j >= 1; --j) {
    const int ju = t.idxu_block[j];
    const int jup = t.idxu_block[j - 1];
    if (j % 2 == 1) {    // fold the mirrored row (j+1)/2 back onto its source row (j-1)/2
      const int mbd = (j - 1) / 2, mbt = (j + 1) / 2;
      double *sr = adj_r + L * (ju + (j + 1) * mbd), *si = adj_i + L * (ju + (j + 1) * mbd);
      const double *tr = adj_r + L * (ju + (j + 1) * mbt), *ti = adj_i + L * (ju + (j + 1) * mbt);
      for (int ma = 0; ma <= j; ++ma) {
        const double s = ((j - ma - mbd) % 2 == 0) ? 1.0 : -1.0;
        V xr, xi, vr, vi;
        load(xr, sr + L * (j - ma));
        load(xi, si + L * (j - ma));
        load(vr, tr + L * ma);
        load(vi, ti + L * ma);
        store(sr + L * (j - ma), xr + s * vr);
        store(si + L * (j - ma), xi - s * vi);
      }
    }
    for (int mb = 0; 2 * mb <= j; ++mb) {
      const double *vr_ = adj_r + L * (ju + (j + 1) * mb), *vi_ = adj_i + L * (ju + (j + 1) * mb);
      const double *up_r = u_r + L * (jup + j * mb), *up_i = u_i + L * (jup + j * mb);
      double *wr_ = adj_r + L * (jup + j * mb), *wi_ = adj_i + L * (jup + j * mb);
      const double *rpa = t.rootpq + (j - mb);
      V ar = zero, ai = zero, br = zero, bi = zero;
      V vnr, vni;    // v(ma+1) of the previous step is v(ma) of this one
      load(vnr, vr_);
      load(vni, vi_);
      for (int ma = 0; ma < j; ++ma) {
        const double c1 = rpa[(j - ma) * jdimpq], c2 = rpa[(ma + 1) * jdimpq];
        const V v1r = c1 * vnr, v1i = c1 * vni;
        load(vnr, vr_ + L * (ma + 1));
        load(vni, vi_ + L * (ma + 1));
        const V v2r = c2 * vnr, v2i = c2 * vni;
        V pr, pi, wr, wi;
        load(pr, up_r + L * ma);
        load(pi, up_i + L * ma);
        load(wr, wr_ + L * ma);
        load(wi, wi_ + L * ma);
        store(wr_ + L * ma, wr + ((a_r * v1r - a_i * v1i) - (b_r * v2r - b_i * v2i)));
        store(wi_ + L * ma, wi + ((a_r * v1i + a_i * v1r) - (b_r * v2i + b_i * v2r)));
        ar += v1r * pr + v1i * pi;
        ai += v1i * pr - v1r * pi;
        br -= v2r * pr + v2i * pi;
        bi -= v2i * pr - v2r * pi;
      }
      A_r += ar;
      A_i += ai;
      B_r += br;
      B_i += bi;
    }
  }
  for (int l = 0; l < L; ++l) {
    const SnapNeighborGeom &q = *g[l];
    for (int k = 0; k < 3; ++k) {
      const double dg = A_r[l] * q.da_r[k] - A_i[l] * q.da_i[k] + B_r[l] * q.db_r[k] - B_i[l] * q.db_i[k];
      dedr[3 * l + k] = 2.0 * (q.dsfac * q.uhat[k] * g0[l] + q.sfac * dg);
    }
  }
}
#endif    // REVAL_HOST_SIMD

/// Y of one atom, one Z row at a time with one channel (scalar code: the compiler vectorises the row loop).
template <class V>
inline void compute_y_t(const SnapTablesView &t, const double *z_r, const double *z_i, const double *beta,
                        double *y_r, double *y_i)
{
  const int n = t.nchannels, nu = t.idxu_max;
  for (int c = 0; c < n; ++c) snap_zero_y(t, y_r + c * nu, y_i + c * nu);
  if (n == 1) {    // one channel: the row weight is yfac times the beta of the component (snap_add_y_terms)
    for (int row = 0; row < t.nzrows; ++row) {
      const int jjz0 = t.zrow[row];
      const SnapZIndex &q = t.idxz[jjz0];
      const int len = (2 * q.mb == q.j) ? q.mb + 1 : q.j + 1;
      const double w = q.yfac * beta[q.yjjb];
      const double *__restrict zr = z_r + jjz0;
      const double *__restrict zi = z_i + jjz0;
      double *__restrict yr = y_r + q.jju;
      double *__restrict yi = y_i + q.jju;
      for (int ma = 0; ma < len; ++ma) {
        yr[ma] += w * zr[ma];
        yi[ma] += w * zi[ma];
      }
    }
    return;
  }
  // several channels: the portable kernel, element by element
  for (int jjz = 0; jjz < t.idxz_max; ++jjz) snap_add_y_terms(t, jjz, z_r, z_i, beta, y_r, y_i, SnapPlainAdd());
}

#if REVAL_HOST_SIMD
// One function per variant: baseline (V2x2) and, on x86-64, AVX2 + FMA (v4d), chosen at run time.
#define REVAL_HOST_VARIANTS(name, params, args)                                    \
  inline __attribute__((flatten)) void name##_base params { name##_t<V2x2> args; } \
  REVAL_HOST_AVX2_VARIANT(name, params, args)                                      \
  inline void name##_simd params                                                   \
  {                                                                                \
    REVAL_HOST_AVX2_DISPATCH(name, args)                                           \
    name##_base args;                                                              \
  }
#if REVAL_HOST_AVX2
#define REVAL_HOST_AVX2_VARIANT(name, params, args) \
  inline REVAL_TARGET_AVX2 void name##_avx2 params { name##_t<v4d> args; }
#define REVAL_HOST_AVX2_DISPATCH(name, args) \
  if (host_has_avx2()) {                     \
    name##_avx2 args;                        \
    return;                                  \
  }
#else
#define REVAL_HOST_AVX2_VARIANT(name, params, args)
#define REVAL_HOST_AVX2_DISPATCH(name, args)
#endif

REVAL_HOST_VARIANTS(z_list,
                    (const SnapTablesView &t, const SnapHostZPlanView &plan, const double *u1_r, const double *u1_i,
                     const double *u2_r, const double *u2_i, double *z_r, double *z_i),
                    (t, plan, u1_r, u1_i, u2_r, u2_i, z_r, z_i))
REVAL_HOST_VARIANTS(u_group, (const SnapTablesView &t, const SnapNeighborGeom *const g[kNbLanes], double *u_r, double *u_i),
                    (t, g, u_r, u_i))
REVAL_HOST_VARIANTS(add_u_group,
                    (const SnapTablesView &t, const double sfac[kNbLanes], const int chan[kNbLanes], const double *u_r,
                     const double *u_i, double *acc_r, double *acc_i),
                    (t, sfac, chan, u_r, u_i, acc_r, acc_i))
REVAL_HOST_VARIANTS(deidrj_group,
                    (const SnapTablesView &t, const SnapNeighborGeom *const g[kNbLanes], const double *u_r,
                     const double *u_i, const double *const y_r[kNbLanes], const double *const y_i[kNbLanes],
                     double *adj_r, double *adj_i, double dedr[3 * kNbLanes]),
                    (t, g, u_r, u_i, y_r, y_i, adj_r, adj_i, dedr))
REVAL_HOST_VARIANTS(compute_y,
                    (const SnapTablesView &t, const double *z_r, const double *z_i, const double *beta, double *y_r,
                     double *y_i),
                    (t, z_r, z_i, beta, y_r, y_i))
#undef REVAL_HOST_VARIANTS
#undef REVAL_HOST_AVX2_VARIANT
#undef REVAL_HOST_AVX2_DISPATCH
#endif    // REVAL_HOST_SIMD

}    // namespace host_simd

/// Which SNAP code this build runs on this CPU (for logs; not a kernel): "AVX2 + FMA" or "SSE2" (the host SIMD
/// layouts, chosen at run time) or "portable" (REVAL_HOST_SIMD = 0).
struct SnapHostSimdInfo {
  static const char *name()
  {
#if REVAL_HOST_SIMD && REVAL_HOST_AVX2
    return host_simd::host_has_avx2() ? "AVX2 + FMA" : "SSE2";
#elif REVAL_HOST_SIMD && (defined(__x86_64__) || defined(__i386__))
    return "SSE2";
#elif REVAL_HOST_SIMD
    return "2-double vectors";
#else
    return "portable";
#endif
  }
};

/// The Z list of one channel pair (idxz_max entries of z_r / z_i, as snap_compute_z_row for every row: the
/// middle row of even j holds zeros right of its centre), from Ulisttot channels u1, u2 (full arrays, every
/// row, with SnapHostZPlan::kUPad readable finite entries around them).
inline void snap_host_z_list(const SnapTablesView &t, const SnapHostZPlanView &plan, const double *u1_r,
                             const double *u1_i, const double *u2_r, const double *u2_i, double *z_r, double *z_i)
{
#if REVAL_HOST_SIMD
  host_simd::z_list_simd(t, plan, u1_r, u1_i, u2_r, u2_i, z_r, z_i);
#else
  (void)plan;
  for (int row = 0; row < t.nzrows; ++row) snap_compute_z_row(t, t.zrow[row], u1_r, u1_i, u2_r, u2_i, z_r, z_i);
#endif
}

/// Z of every channel pair (nchannels^2 lists of idxz_max, pair (e1, e2) at (e1 nchannels + e2) idxz_max) from
/// the Ulisttot channels (nchannels x idxu_max, SnapHostZPlan::kUPad readable entries around them).
inline void snap_host_z_all(const SnapTablesView &t, const SnapHostZPlanView &plan, const double *utot_r,
                            const double *utot_i, double *z_r, double *z_i)
{
  const int nu = t.idxu_max, nc = t.nchannels, nz = t.idxz_max;
  for (int e1 = 0; e1 < nc; ++e1)
    for (int e2 = 0; e2 < nc; ++e2)
      snap_host_z_list(t, plan, utot_r + e1 * nu, utot_i + e1 * nu, utot_r + e2 * nu, utot_i + e2 * nu,
                       z_r + static_cast<std::size_t>(e1 * nc + e2) * nz, z_i + static_cast<std::size_t>(e1 * nc + e2) * nz);
}

/// Y of one atom (snap_zero_y + snap_add_y_terms over the whole Z list); with one channel one Z row at a time
/// (the weight of a row is constant), else snap_add_y_terms; y: nchannels x idxu_max. z as snap_host_z_all
/// leaves it: the zeros right of the centre of the middle row of even j are not read.
inline void snap_host_compute_y(const SnapTablesView &t, const double *z_r, const double *z_i, const double *beta,
                                double *y_r, double *y_i)
{
#if REVAL_HOST_SIMD
  host_simd::compute_y_simd(t, z_r, z_i, beta, y_r, y_i);
#else
  host_simd::compute_y_t<void>(t, z_r, z_i, beta, y_r, y_i);
#endif
}

#if REVAL_HOST_SIMD
/// A neighbour geometry with a = 1, b = 0 and zero weight, for the free lanes of a group.
inline const SnapNeighborGeom &snap_host_idle_geom()
{
  static const SnapNeighborGeom idle = [] {
    SnapNeighborGeom g{};
    g.a_r = 1.0;
    return g;
  }();
  return idle;
}

/// snap_compute_u of the kNbLanes neighbours g[0..kNbLanes-1] at once, into interleaved u_r / u_i (every row
/// the portable kernel fills, the same values up to rounding).
inline void snap_host_u_group(const SnapTablesView &t, const SnapNeighborGeom *const g[kNbLanes], double *u_r,
                              double *u_i)
{
  host_simd::u_group_simd(t, g, u_r, u_i);
}

/// acc[c] (nchannels interleaved U-like arrays, idxu_max * kNbLanes each) += sfac of each lane whose channel is c
/// times its U, rows mb <= j/2 (snap_add_u_with per neighbour); chan[l] = the lane's channel.
inline void snap_host_add_u_group(const SnapTablesView &t, const double sfac[kNbLanes], const int chan[kNbLanes],
                                  const double *u_r, const double *u_i, double *acc_r, double *acc_i)
{
  host_simd::add_u_group_simd(t, sfac, chan, u_r, u_i, acc_r, acc_i);
}

/// utot (nchannels x idxu_max) += the lane sums of acc (snap_host_add_u_group), rows mb <= j/2.
inline void snap_host_reduce_u(const SnapTablesView &t, const double *acc_r, const double *acc_i, double *utot_r,
                               double *utot_i)
{
  const int nu = t.idxu_max;
  for (int c = 0; c < t.nchannels; ++c)
    for (int j = 0; j <= t.twojmax; ++j)
      for (int k = t.idxu_block[j]; k < t.idxu_block[j] + (j + 1) * (j / 2 + 1); ++k) {
        const double *ar = acc_r + kNbLanes * (static_cast<std::size_t>(c) * nu + k);
        const double *ai = acc_i + kNbLanes * (static_cast<std::size_t>(c) * nu + k);
        utot_r[c * nu + k] += (ar[0] + ar[1]) + (ar[2] + ar[3]);
        utot_i[c * nu + k] += (ai[0] + ai[1]) + (ai[2] + ai[3]);
      }
}

/// snap_deidrj for the kNbLanes neighbours of a group: interleaved U (snap_host_u_group), y_r[l] / y_i[l] the Y
/// channel of lane l, adj_r / adj_i scratch of idxu_max * kNbLanes; dedr[3 l + k] = dE_i/dr_{l,k}.
inline void snap_host_deidrj_group(const SnapTablesView &t, const SnapNeighborGeom *const g[kNbLanes],
                                   const double *u_r, const double *u_i, const double *const y_r[kNbLanes],
                                   const double *const y_i[kNbLanes], double *adj_r, double *adj_i,
                                   double dedr[3 * kNbLanes])
{
  host_simd::deidrj_group_simd(t, g, u_r, u_i, y_r, y_i, adj_r, adj_i, dedr);
}

/// The Ulisttot pass of one atom (snap_compute_u + snap_add_u_with for each neighbour): U of the n neighbours
/// (geometry geom[0..n-1], element channel chan(jj)) kNbLanes at a time into the interleaved store u_r / u_i
/// (snap_host_u_slots(n) x idxu_max entries each: group g at g kNbLanes idxu_max), and utot (nchannels x
/// idxu_max) += their sfac U, summed lane-wise in acc_r / acc_i (scratch of kNbLanes x nchannels x idxu_max
/// each) and reduced once. Rows mb <= j/2; the caller sets the self term before and symmetrises after.
template <class Chan>
inline void snap_host_ulisttot(const SnapTablesView &t, const SnapNeighborGeom *geom, int n, const Chan &chan,
                               double *u_r, double *u_i, double *acc_r, double *acc_i, double *utot_r, double *utot_i)
{
  const int nu = t.idxu_max;
  const std::size_t nacc = static_cast<std::size_t>(kNbLanes) * t.nchannels * nu;
  std::fill(acc_r, acc_r + nacc, 0.0);
  std::fill(acc_i, acc_i + nacc, 0.0);
  for (int j0 = 0; j0 < n; j0 += kNbLanes) {
    const SnapNeighborGeom *g[kNbLanes];
    double sfac[kNbLanes];
    int ch[kNbLanes];
    for (int l = 0; l < kNbLanes; ++l) {
      const bool live = j0 + l < n;
      g[l] = live ? &geom[j0 + l] : &snap_host_idle_geom();
      sfac[l] = live ? geom[j0 + l].sfac : 0.0;
      ch[l] = live ? chan(j0 + l) : 0;
    }
    double *ur = u_r + static_cast<std::size_t>(j0) * nu, *ui = u_i + static_cast<std::size_t>(j0) * nu;
    snap_host_u_group(t, g, ur, ui);
    snap_host_add_u_group(t, sfac, ch, ur, ui, acc_r, acc_i);
  }
  snap_host_reduce_u(t, acc_r, acc_i, utot_r, utot_i);
}

/// dE_i/dr_j of one atom's n neighbours (snap_deidrj for each): interleaved U as snap_host_ulisttot left it, Y
/// (nchannels x idxu_max; neighbour jj reads channel chan(jj)), adj_r / adj_i scratch of kNbLanes x idxu_max
/// each; dedr[3 jj + k].
template <class Chan>
inline void snap_host_dedr(const SnapTablesView &t, const SnapNeighborGeom *geom, int n, const Chan &chan,
                           const double *u_r, const double *u_i, const double *y_r, const double *y_i, double *adj_r,
                           double *adj_i, double *dedr)
{
  const int nu = t.idxu_max;
  for (int j0 = 0; j0 < n; j0 += kNbLanes) {
    const SnapNeighborGeom *g[kNbLanes];
    const double *yr[kNbLanes], *yi[kNbLanes];
    for (int l = 0; l < kNbLanes; ++l) {
      const bool live = j0 + l < n;
      g[l] = live ? &geom[j0 + l] : &snap_host_idle_geom();
      const int c = chan(live ? j0 + l : j0);
      yr[l] = y_r + c * nu;
      yi[l] = y_i + c * nu;
    }
    double d[3 * kNbLanes];
    snap_host_deidrj_group(t, g, u_r + static_cast<std::size_t>(j0) * nu, u_i + static_cast<std::size_t>(j0) * nu,
                           yr, yi, adj_r, adj_i, d);
    const int nl = std::min(kNbLanes, n - j0);
    for (int k = 0; k < 3 * nl; ++k) dedr[3 * j0 + k] = d[k];
  }
}
#endif    // REVAL_HOST_SIMD

}    // namespace reval::kernels
