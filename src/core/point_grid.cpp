#include "core/point_grid.h"

#include "core/error.h"
#include "kernels/point/snap_host_simd.hpp"

#include <algorithm>
#include <cmath>

namespace reval {

namespace rk = kernels;

void PointGrid::build(const rk::BoxGeom &b, const double lo[3], const double hi[3], const double *xyz, int n,
                      double rmax)
{
  if (!(rmax > 0.0)) throw Error("PointGrid: rmax must be positive");
  // bins of rmax: a cell (27 bins) covers rmax around every position of its centre bin. Rebuilt every
  // step for the current box: no slack for later deformation (1e-9 against rounding)
  m_grid.layout(b, lo, hi, rmax, 1e-9);
  m_ptr.resize(n);
  for (int i = 0; i < n; ++i) m_ptr[i] = xyz + 3 * static_cast<size_t>(i);
  m_grid.assign_cartesian(m_ptr.data(), n, b);
  m_grid.coords_from_cartesian(m_ptr.data());
  // padding read by the gather and the candidate kernels
  m_grid.px().resize(static_cast<size_t>(n) + rk::kGatherPad, rk::kFarPoint);
  m_grid.py().resize(static_cast<size_t>(n) + rk::kGatherPad, rk::kFarPoint);
  m_grid.pz().resize(static_cast<size_t>(n) + rk::kGatherPad, rk::kFarPoint);

  m_view.grid = m_grid.view(b);
  m_view.rmax = rmax;
  m_view.npoints = n;
  // rows of 3 bins with 3 points or more on average: the gather copies two groups of each row at once
  // (measured: migrating atoms under heavy damage, ~5 per row, gain; vacancies there, ~2, lose)
  const size_t nbins = m_grid.bin_start().size() - 1;
  m_view.wide_rows = static_cast<size_t>(n) >= nbins;
  set_near();
  m_view.near = m_near.data();
}

void PointGrid::set_near()
{
  // points per bin, summed over the 3 x 3 x 3 bins around each bin (clipped at the edges): along x,
  // then y, then z (a cube's window sum is separable), with prefix sums of each line
  const int *nb = m_grid.nbins();
  const auto &start = m_grid.bin_start();
  const size_t nbins = start.size() - 1;
  m_near.assign(nbins, 0);
  m_view.max_near = 0;
  if (m_view.npoints == 0) return;    // nothing within reach anywhere
  for (size_t i = 0; i < nbins; ++i) m_near[i] = start[i + 1] - start[i];
  const size_t stride[3] = {1, static_cast<size_t>(nb[0]), static_cast<size_t>(nb[0]) * nb[1]};
  for (int d = 0; d < 3; ++d) {
    const int len = nb[d];
    if (len == 1) continue;
    m_line.resize(len + 1);
    const int o1 = (d + 1) % 3, o2 = (d + 2) % 3;
    for (int a = 0; a < nb[o1]; ++a)
      for (int c = 0; c < nb[o2]; ++c) {
        const size_t base = a * stride[o1] + c * stride[o2];
        m_line[0] = 0;
        for (int i = 0; i < len; ++i) m_line[i + 1] = m_line[i] + m_near[base + i * stride[d]];
        for (int i = 0; i < len; ++i) {
          const int l = std::max(0, i - 1), h = std::min(len, i + 2);
          m_near[base + i * stride[d]] = m_line[h] - m_line[l];
        }
      }
  }
  m_view.max_near = *std::max_element(m_near.begin(), m_near.end());
}

double PointGrid::memory_usage() const
{
  return static_cast<double>(m_grid.npoints() + rk::kGatherPad) * 3 * sizeof(double) +
      static_cast<double>(m_grid.npoints()) * sizeof(int) +
      static_cast<double>(m_grid.bin_start().size() + m_near.size() + m_line.capacity()) * sizeof(int);
}

static bool same_layout(const rk::GridView &a, const rk::GridView &b)
{
  for (int d = 0; d < 3; ++d)
    if (a.nb[d] != b.nb[d] || a.lo[d] != b.lo[d] || a.inv_bs[d] != b.inv_bs[d]) return false;
  return true;
}

void PointQueries::collect(const rk::PointGridView &vac, const rk::PointGridView &mig, int n, const double *x,
                           const int *mask, int groupbit, const double *migrating)
{
  if (!same_layout(vac.grid, mig.grid)) throw Error("PointQueries: the two point grids differ in layout");
  const rk::GridView &g = vac.grid;
  const size_t ncell = static_cast<size_t>(g.nb[0]) * g.nb[1] * g.nb[2];
  // each atom's cell (-1: not a query: outside the group, or no point within rmax: rv = r = rmax), counted
  m_cell_of.resize(n);
  m_count.assign(ncell, 0);
  int nq = 0;
  for (int i = 0; i < n; ++i) {
    const int c = (mask[i] & groupbit) ? rk::re_atom_query_cell(vac, mig, x + 3 * static_cast<size_t>(i)) : -1;
    m_cell_of[i] = c;
    if (c >= 0) {
      ++m_count[c];
      ++nq;
    }
  }
  // counting sort by cell; the cells with queries in increasing order
  m_cells.clear();
  m_begin.clear();
  int at = 0;
  for (size_t c = 0; c < ncell; ++c) {
    const int k = m_count[c];
    if (k == 0) continue;
    m_cells.push_back(static_cast<int>(c));
    m_begin.push_back(at);
    m_count[c] = at;
    at += k;
  }
  m_begin.push_back(at);
  m_atom.resize(nq);
  m_x = x;
  m_mig.resize(nq);
  m_rv.resize(nq);
  m_r.resize(nq);
  for (int i = 0; i < n; ++i) {
    const int c = m_cell_of[i];
    if (c < 0) continue;
    const int q = m_count[c]++;
    m_atom[q] = i;
    m_mig[q] = migrating[i] > 0.5 ? 1 : 0;
  }
}

size_t PointQueries::scratch_size(const rk::PointGridView &vac, const rk::PointGridView &mig)
{
  return rk::cell_candidates_size(vac, mig);
}

void PointQueries::run(const rk::PointGridView &vac, const rk::PointGridView &mig, HostLanes lanes)
{
  m_scratch.resize(scratch_size(vac, mig));
  for (int k = 0; k < ncells(); ++k)
    point_cell_distances(vac, mig, m_cells[k], m_begin[k], m_begin[k + 1], m_x, m_atom.data(), m_mig.data(),
                         m_rv.data(), m_r.data(), m_scratch.data(), lanes);
}

double PointQueries::memory_usage() const
{
  return static_cast<double>(m_count.capacity() + m_cell_of.capacity() + m_cells.capacity() +
                             m_begin.capacity() + m_atom.capacity()) *
      sizeof(int) +
      static_cast<double>(m_rv.capacity() + m_r.capacity() + m_scratch.capacity()) *
      sizeof(double) +
      static_cast<double>(m_mig.capacity());
}

namespace hs = kernels::host_simd;

namespace {
/// The candidates' minimum of kernels::nearest_candidate_dist2 in vector lanes: lane l of vector k holds
/// minimum k * width + l of the portable kernel and sees the same candidates in the same order, with the
/// same arithmetic (no FMA contraction: the AVX2 variant is compiled for "avx2" only), so the result has
/// the same bits. Where the host SIMD layouts are not built (nvcc, other compilers) the portable kernel.
#if REVAL_HOST_SIMD
/// b = r < b ? r : b in every lane
REVAL_LANES_INLINE void keep_min(hs::V2x2 &b, const hs::V2x2 &r)
{
  b.lo = r.lo < b.lo ? r.lo : b.lo;
  b.hi = r.hi < b.hi ? r.hi : b.hi;
}
#if REVAL_HOST_AVX2
REVAL_LANES_INLINE void keep_min(hs::v4d &b, const hs::v4d &r) { b = r < b ? r : b; }
#endif
template <class V>
struct LanesMinDist2 {
  REVAL_LANES_INLINE double operator()(const rk::PointCandidates &c, const double x[3], double best2) const
  {
    static_assert(sizeof(V) == rk::kPointLanes * sizeof(double), "one V holds the kPointLanes minima");
    V X, Y, Z, b, b2;
    hs::splat(X, x[0]);
    hs::splat(Y, x[1]);
    hs::splat(Z, x[2]);
    hs::splat(b, best2);
    b2 = b;
    auto group = [&](V &acc, int s) {
      V px, py, pz;
      hs::load(px, c.x + s);
      hs::load(py, c.y + s);
      hs::load(pz, c.z + s);
      const V dx = px - X, dy = py - Y, dz = pz - Z;
      keep_min(acc, dx * dx + dy * dy + dz * dz);
    };
    // two groups at a time into two accumulators (two dependency chains of the minimum)
    int s = 0;
    for (; s + 2 * rk::kPointLanes <= c.n; s += 2 * rk::kPointLanes) {
      group(b, s);
      group(b2, s + rk::kPointLanes);
    }
    for (; s < c.n; s += rk::kPointLanes) group(b, s);    // the last one or two groups
    keep_min(b, b2);
    double m[rk::kPointLanes];
    for (int l = 0; l < rk::kPointLanes; ++l) m[l] = b[l];
    for (int w = rk::kPointLanes / 2; w > 0; w /= 2)
      for (int l = 0; l < w; ++l) m[l] = m[l + w] < m[l] ? m[l + w] : m[l];
    return m[0];
  }
};
#endif

template <class MinDist2>
inline void cell_distances(const MinDist2 &min_dist2, const rk::PointGridView &vac, const rk::PointGridView &mig,
                           int cell, int q0, int q1, const double *x, const int *atom, const unsigned char *migrating,
                           double *rv, double *r, double *scratch)
{
  rk::PointCandidates vc, mc;
  rk::cell_candidates(vac, mig, cell, scratch, vc, mc);
  for (int q = q0; q < q1; ++q)
    rk::re_atom_point_distances(min_dist2, vc, mc, vac.rmax, x + 3 * static_cast<size_t>(atom[q]), migrating[q] != 0,
                                rv[q], r[q]);
}

#if REVAL_HOST_SIMD && REVAL_HOST_AVX2
__attribute__((target("avx2"), flatten)) void cell_distances_avx2(const rk::PointGridView &vac,
                                                                  const rk::PointGridView &mig, int cell, int q0,
                                                                  int q1, const double *x, const int *atom,
                                                                  const unsigned char *migrating, double *rv,
                                                                  double *r, double *scratch)
{
  cell_distances(LanesMinDist2<hs::v4d>{}, vac, mig, cell, q0, q1, x, atom, migrating, rv, r, scratch);
}
#endif
}    // namespace

void point_cell_distances(const rk::PointGridView &vac, const rk::PointGridView &mig, int cell, int q0, int q1,
                          const double *x, const int *atom, const unsigned char *migrating, double *rv, double *r,
                          double *scratch, HostLanes lanes)
{
#if REVAL_HOST_SIMD && REVAL_HOST_AVX2
  if (lanes == HostLanes::best && hs::host_has_avx2()) {
    cell_distances_avx2(vac, mig, cell, q0, q1, x, atom, migrating, rv, r, scratch);
    return;
  }
#endif
  (void) lanes;
#if REVAL_HOST_SIMD
  cell_distances(LanesMinDist2<hs::V2x2>{}, vac, mig, cell, q0, q1, x, atom, migrating, rv, r, scratch);
#else
  cell_distances(rk::impl::NearestCandidateDist2{}, vac, mig, cell, q0, q1, x, atom, migrating, rv, r, scratch);
#endif
}

}    // namespace reval
