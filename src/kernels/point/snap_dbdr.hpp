/// @file snap_dbdr.hpp
/// dB_i/dr_j of every bispectrum component for one neighbour j (what SNAP fitting needs; LAMMPS'
/// SNA::compute_dbidrj) as a small dense product per layer of U, so that the inner loop is an axpy
/// over contiguous memory (vectorised without reassociating sums) instead of many short dot products.
///
/// The terms (LAMMPS 29Sep2021), for B_{j1 j2 j} of element triple (e1, e2, e3), neighbour in channel c:
///   dB^{e1 e2 c}   += 2 sum_half dU_j . Z^{e1 e2}_{j1 j2 j}
///   dB^{c e2 e1}   += 2 (j+1)/(j1+1) sum_half dU_{j1} . Z^{e1 e2}_{j j2 j1}
///   dB^{e1 c e2}   += 2 (j+1)/(j2+1) sum_half dU_{j2} . Z^{e2 e1}_{j j1 j2}
/// (with bnormflag Z carries 1/(j+1) and the factors (j+1)/(j1+1), (j+1)/(j2+1) are 1; without chemflag
/// all terms go to the one triple). sum_half: the half-layer weights of snap_compute_b (1 on rows
/// mb < j/2, and on the middle row of even j: 1 left of the centre, 1/2 on it).
///
/// Every term pairs a layer l of dU (l = j, j1 or j2) with a Z block of the atom. Terms with the same
/// layer and Z block (j1 = j2, j = j1, ...: about a third of them) share one "column": the dot product
/// is formed once and added with each term's factor to its component. Columns are grouped by layer
/// (host plan SnapDbdrPlanView built once per descriptor by reval::SnapDbdrPlan). Per atom,
/// snap_dbdr_zmat lays the half-weighted Z blocks of each layer out as a matrix M_l (2 h_l rows: real
/// then imaginary parts, P_l columns); per neighbour, snap_dbdr_apply forms out_k = dU_l,k^T M_l for
/// k = x, y, z (an axpy per row of M_l) and adds each column to its terms' components.
#pragma once

#include "kernels/point/reval_function.hpp"
#include "kernels/point/snap_kernels.hpp"

namespace reval::kernels {

/// The layer-grouped terms of dB/dr (see the file comment). Layer l's columns are p = pair0[l] ..
/// pair0[l+1]-1; its matrix starts at zmat_offset[l] (2 half[l] x (pair0[l+1] - pair0[l]) doubles).
/// Column p's terms are e = term0[p] .. term0[p+1]-1.
struct SnapDbdrPlanView {
  int nlayers = 0;                 ///< twojmax + 1
  int npairs = 0;                  ///< columns
  int nterms = 0;
  int zmat_size = 0;               ///< doubles of all layers' matrices
  int max_pairs = 0;               ///< largest P_l (scratch of snap_dbdr_apply: 3 max_pairs)
  const int *half = nullptr;       ///< [nlayers] half-layer elements h_l
  const int *pair0 = nullptr;      ///< [nlayers + 1]
  const int *zmat_offset = nullptr;    ///< [nlayers]
  const int *zblock = nullptr;     ///< [npairs] first Z element of the column's block in a channel pair's list
  const int *zpair = nullptr;      ///< [npairs] channel pair (e1 * nchannels + e2) of that Z list
  const int *term0 = nullptr;      ///< [npairs + 1]
  const double *factor = nullptr;  ///< [nterms] 2, 2 (j+1)/(j1+1) or 2 (j+1)/(j2+1)
  const int *target = nullptr;     ///< [nterms * nchannels] component index for a neighbour in channel c
};

/// Weight of element m of the half of layer l (1, or 1/2 on the centre of the middle row of even l).
REVAL_FUNCTION double snap_half_weight(int l, int m)
{
  const int nfull = (l + 1) * ((l + 1) / 2);
  return (l % 2 == 0 && m == nfull + l / 2) ? 0.5 : 1.0;
}

/// The atom's matrices of all layers from its Z lists (all channel pairs, n^2 idxz_max each, from
/// snap_compute_z_row). zmat: plan.zmat_size doubles.
REVAL_FUNCTION void snap_dbdr_zmat(const SnapTablesView &t, const SnapDbdrPlanView &plan, const double *z_r,
                                   const double *z_i, double *zmat)
{
  const int nz = t.idxz_max;
  for (int l = 0; l < plan.nlayers; ++l) {
    const int h = plan.half[l], p0 = plan.pair0[l], np = plan.pair0[l + 1] - p0;
    double *m_r = zmat + plan.zmat_offset[l], *m_i = m_r + h * np;
    for (int q = 0; q < np; ++q) {
      const int p = p0 + q;
      const double *zr = z_r + plan.zpair[p] * nz + plan.zblock[p];
      const double *zi = z_i + plan.zpair[p] * nz + plan.zblock[p];
      for (int m = 0; m < h; ++m) {
        const double w = snap_half_weight(l, m);
        m_r[m * np + q] = w * zr[m];
        m_i[m * np + q] = w * zi[m];
      }
    }
  }
}

/// dbdr (3 x ncoeff, dbdr[k*ncoeff + icoeff] = dB_icoeff/dr_j,k) of one neighbour in channel c from its
/// dU (snap_compute_du layout: du_r[3*jju + k]) and the atom's zmat. scratch: 3 plan.max_pairs doubles.
REVAL_FUNCTION void snap_dbdr_apply(const SnapTablesView &t, const SnapDbdrPlanView &plan, int c, const double *du_r,
                                    const double *du_i, const double *zmat, double *scratch, double *dbdr)
{
  const int nc = t.ncoeff, nch = t.nchannels;
  for (int m = 0; m < 3 * nc; ++m) dbdr[m] = 0.0;
  for (int l = 0; l < plan.nlayers; ++l) {    // layer 0 too: dU includes the switching function's derivative
    const int h = plan.half[l], p0 = plan.pair0[l], np = plan.pair0[l + 1] - p0;
    if (np == 0) continue;
    const double *m_r = zmat + plan.zmat_offset[l], *m_i = m_r + h * np;
    const double *dr = du_r + 3 * t.idxu_block[l], *di = du_i + 3 * t.idxu_block[l];
    double *o0 = scratch, *o1 = scratch + np, *o2 = scratch + 2 * np;
    // columns in blocks of 4 whose sums stay in registers over the whole layer (6% faster than updating
    // the column sums in memory per row with AVX2; 8 columns is 9% slower than 4)
    int q0 = 0;
    for (; q0 + 4 <= np; q0 += 4) {
      double s0[4] = {0, 0, 0, 0}, s1[4] = {0, 0, 0, 0}, s2[4] = {0, 0, 0, 0};
      for (int m = 0; m < h; ++m) {
        const double *zr = m_r + m * np + q0, *zi = m_i + m * np + q0;
        const double a0 = dr[3 * m], a1 = dr[3 * m + 1], a2 = dr[3 * m + 2];
        const double b0 = di[3 * m], b1 = di[3 * m + 1], b2 = di[3 * m + 2];
        for (int q = 0; q < 4; ++q) {
          s0[q] += a0 * zr[q] + b0 * zi[q];
          s1[q] += a1 * zr[q] + b1 * zi[q];
          s2[q] += a2 * zr[q] + b2 * zi[q];
        }
      }
      for (int q = 0; q < 4; ++q) {
        o0[q0 + q] = s0[q];
        o1[q0 + q] = s1[q];
        o2[q0 + q] = s2[q];
      }
    }
    for (int q = q0; q < np; ++q) {
      double s0 = 0.0, s1 = 0.0, s2 = 0.0;
      for (int m = 0; m < h; ++m) {
        const double zr = m_r[m * np + q], zi = m_i[m * np + q];
        s0 += dr[3 * m] * zr + di[3 * m] * zi;
        s1 += dr[3 * m + 1] * zr + di[3 * m + 1] * zi;
        s2 += dr[3 * m + 2] * zr + di[3 * m + 2] * zi;
      }
      o0[q] = s0;
      o1[q] = s1;
      o2[q] = s2;
    }
    for (int q = 0; q < np; ++q)
      for (int e = plan.term0[p0 + q]; e < plan.term0[p0 + q + 1]; ++e) {
        const int icoeff = plan.target[e * nch + c];
        const double f = plan.factor[e];
        dbdr[icoeff] += f * o0[q];
        dbdr[nc + icoeff] += f * o1[q];
        dbdr[2 * nc + icoeff] += f * o2[q];
      }
  }
}

}    // namespace reval::kernels
