/// @file snap_kernels.hpp
/// Point kernels of SNAP (science.md, "SNAP models"): switching functions (the outer cosine and the
/// inner one of LAMMPS 2022+, switchinnerflag), Cayley-Klein parameters of
/// one neighbour, the Wigner-U recursion of one neighbour and its sum over neighbours (Ulisttot),
/// one element of Z, one bispectrum component B, the beta weights of the adjoint Y = sum beta dB/dU,
/// dE_i/dr_j of one neighbour from Y, and (for fitting) every dB_k/dr_j of one neighbour from its dU
/// (snap_compute_du here; snap_dbdr.hpp sums it with Z). The host driver (core/snap_engine) calls them in loops; a
/// Kokkos port calls the same functions inside its functors, with the tables deep-copied to the device.
///
/// Conventions (identical to LAMMPS 29Sep2021 ML-SNAP, which is the numerical oracle; for the inner
/// switching function, which that version lacks, LAMMPS 4Feb2025):
///  - Half-integral labels are stored doubled: j = 2J in 0..twojmax, ma = J+m and mb = J+m' in 0..j.
///    Layer j of a U-like array holds (j+1)^2 complex entries at idxu_block[j] + (j+1)*mb + ma
///    (row mb, column ma), real and imaginary parts in separate arrays.
///  - U_j(ma,mb) obeys U_j(j-ma, j-mb) = (-1)^(ma-mb) conj(U_j(ma,mb)); only rows mb <= j/2 ("the
///    half") are computed directly, the others are mirrored where they are needed.
///  - "Channels": with chemflag the sums over neighbours are kept per neighbour element (nelements
///    channels), otherwise there is one channel. B and beta are ordered [(e1*n + e2)*n + e3][jjb].
///  - rij = r_j - r_i (Å). dedr = dE_i/dr_j (eV/Å with energies in eV); LAMMPS pair snap adds it to
///    f_i and subtracts it from f_j.
///
/// No Kokkos, LAMMPS or Eigen types: tables are read through raw pointers (SnapTablesView).
#pragma once

#include "kernels/point/reval_function.hpp"

#include <cmath>

namespace reval::kernels {

/// pi to double precision (the value LAMMPS' MathConst::MY_PI has).
constexpr double kSnapPi = 3.14159265358979323846;

/// One element of the Z list: Z_{j1 j2 j}(ma, mb) for mb <= j/2, with the loop bounds of its
/// Clebsch-Gordan double sum and its weight in the adjoint Y.
struct SnapZIndex {
  int j1, j2, j;           ///< doubled angular momenta, j1 >= j2, |j1-j2| <= j <= min(twojmax, j1+j2)
  int ma, mb;              ///< the element (column, row) of layer j
  int ma1min, ma2max, na;  ///< inner (ma) sum: ma1 = ma1min.., ma2 = ma2max.., na terms
  int mb1min, mb2max, nb;  ///< outer (mb) sum
  int jju;                 ///< index of (j, ma, mb) in U-like arrays
  int icg;                 ///< offset of the (j1, j2, j) block in the Clebsch-Gordan list
  int ycase;               ///< which B this Z contributes to: 0: B(j1,j2,j), 1: B(j,j2,j1), 2: B(j2,j,j1)
  int yjjb;                ///< index of that B in the B list (per element triple)
  double yfac;             ///< multiplicity (1, 2 or 3) and, without bnormflag, (j1+1)/(j+1) if j1 > j
};

/// One bispectrum component B_{j1 j2 j} (j >= j1 >= j2).
struct SnapBIndex {
  int j1, j2, j;
  int jjz;    ///< first Z element of the (j1, j2, j) block
  int jju;    ///< first U element of layer j
};

/// Read-only view of the SNAP tables (built once on the host by reval::SnapDescriptor).
struct SnapTablesView {
  int twojmax = 0;
  int nchannels = 1;       ///< chemflag ? nelements : 1
  int idxu_max = 0;        ///< entries of a U-like array per channel
  int idxz_max = 0;        ///< entries of the Z list per channel pair
  int idxb_max = 0;        ///< bispectrum components per channel triple
  int ncoeff = 0;          ///< idxb_max * nchannels^3
  double rfac0 = 0.99363;
  double rmin0 = 0.0;
  double wself = 1.0;      ///< self weight on the diagonal of Ulisttot
  int switchflag = 1;
  int switchinnerflag = 0; ///< 1: inner switching function (LAMMPS 2022+), per pair from sinnerelem/dinnerelem
  int bzeroflag = 1;
  int bnormflag = 0;
  int wselfallflag = 0;
  const int *idxu_block = nullptr;    ///< [twojmax+1] first entry of layer j
  const double *rootpq = nullptr;     ///< [(twojmax+2)^2], rootpq[p*(twojmax+2)+q] = sqrt(p/q)
  const double *cglist = nullptr;     ///< Clebsch-Gordan coefficients, blocks (j1,j2,j) of (j1+1)(j2+1), [m1*(j2+1)+m2]
  int nzrows = 0;                     ///< rows (j1, j2, j, mb) of the Z list
  const int *zrow = nullptr;          ///< [nzrows] first element (ma = 0) of each Z row
  const SnapZIndex *idxz = nullptr;   ///< [idxz_max]
  const SnapBIndex *idxb = nullptr;   ///< [idxb_max]
  const double *bzero = nullptr;      ///< [twojmax+1] B of an isolated atom, subtracted with bzeroflag
  /// With chemflag, components that are the same function of the neighbours (B^{abc} = B^{cba} if
  /// j1 = j, B^{abc} = B^{bac} if j1 = j2) form orbits: coefficient k's orbit is
  /// beta_orbit[beta_orbit_start[k] .. beta_orbit_start[k+1]-1] (ncoeff+1 offsets; itself only without chemflag).
  const int *beta_orbit_start = nullptr;
  const int *beta_orbit = nullptr;
  /// Per element (nelements values, zeros without switchinnerflag): centre sinner (Å) and half width
  /// dinner (Å) of the inner switching function; a pair uses the means of its two elements (snap_pair_inner).
  const double *sinnerelem = nullptr;
  const double *dinnerelem = nullptr;
};

/// Geometry of one neighbour: Cayley-Klein parameters (a, b) of its point on the 3-sphere, their
/// derivatives with respect to r_j (1/Å), the unit vector and the switching factor times weight.
struct SnapNeighborGeom {
  double a_r, a_i, b_r, b_i;
  double da_r[3], da_i[3], db_r[3], db_i[3];
  double uhat[3];
  double sfac;     ///< wj * f_c(r)
  double dsfac;    ///< wj * df_c/dr (1/Å)
};

/// Switching function f_c(r) (switchflag 1: cosine from rmin0 to rcut; 0: none). r, rcut, rmin0 in Å.
REVAL_FUNCTION double snap_sfac(double r, double rcut, double rmin0, int switchflag)
{
  if (switchflag == 0) return 1.0;
  if (r <= rmin0) return 1.0;
  if (r > rcut) return 0.0;
  return 0.5 * (cos((r - rmin0) * kSnapPi / (rcut - rmin0)) + 1.0);
}

/// Derivative df_c/dr of the switching function (1/Å).
REVAL_FUNCTION double snap_dsfac(double r, double rcut, double rmin0, int switchflag)
{
  if (switchflag == 0) return 0.0;
  if (r <= rmin0 || r > rcut) return 0.0;
  const double f = kSnapPi / (rcut - rmin0);
  return -0.5 * sin((r - rmin0) * f) * f;
}

/// Inner switching function f_in(r) (LAMMPS 2022+ switchinnerflag, SNA::compute_sfac): 0 below
/// sinner - dinner, 1 from sinner + dinner on, 0.5 (1 - cos(pi/2 + (r - sinner) pi / (2 dinner))) between.
/// r, sinner, dinner (> 0) in Å.
REVAL_FUNCTION double snap_sfac_inner(double r, double sinner, double dinner)
{
  if (r >= sinner + dinner) return 1.0;
  if (r <= sinner - dinner) return 0.0;
  const double f = 0.5 * kSnapPi / dinner;
  return 0.5 * (1.0 - cos(0.5 * kSnapPi + (r - sinner) * f));
}

/// Derivative df_in/dr of the inner switching function (1/Å), 0 outside (sinner - dinner, sinner + dinner).
REVAL_FUNCTION double snap_dsfac_inner(double r, double sinner, double dinner)
{
  if (r >= sinner + dinner || r <= sinner - dinner) return 0.0;
  const double f = 0.5 * kSnapPi / dinner;
  return 0.5 * f * sin(0.5 * kSnapPi + (r - sinner) * f);
}

/// Inner switching parameters of a pair of elements ie, je (LAMMPS pair snap / pair mliap 2022+):
/// sinner = (sinnerelem[ie] + sinnerelem[je]) / 2, dinner likewise (Å); both 0 without switchinnerflag.
REVAL_FUNCTION void snap_pair_inner(const SnapTablesView &t, int ie, int je, double &sinner, double &dinner)
{
  if (!t.switchinnerflag) {
    sinner = dinner = 0.0;
    return;
  }
  sinner = 0.5 * (t.sinnerelem[ie] + t.sinnerelem[je]);
  dinner = 0.5 * (t.dinnerelem[ie] + t.dinnerelem[je]);
}

/// Cayley-Klein parameters and their derivatives for neighbour displacement (x, y, z) = r_j - r_i
/// (Å) with pair cutoff rcut (Å), element weight wj and, with switchinnerflag, the pair's inner
/// switching parameters sinner, dinner (Å, from snap_pair_inner; ignored without the flag): the polar
/// angle theta0 = (r - rmin0) * rfac0 * pi / (rcut - rmin0) maps the ball of radius rcut onto the
/// 3-sphere; sfac = wj f_c(r) f_in(r) and dsfac its r-derivative (f_in = 1 without switchinnerflag).
REVAL_FUNCTION void snap_neighbor_geom(const SnapTablesView &t, double x, double y, double z, double rcut,
                                       double wj, double sinner, double dinner, SnapNeighborGeom &g)
{
  const double rsq = x * x + y * y + z * z;
  const double r = sqrt(rsq);
  const double rscale0 = t.rfac0 * kSnapPi / (rcut - t.rmin0);
  const double theta0 = (r - t.rmin0) * rscale0;
  const double z0 = r * cos(theta0) / sin(theta0);
  const double dz0dr = z0 / r - (r * rscale0) * (rsq + z0 * z0) / rsq;
  const double r0inv = 1.0 / sqrt(rsq + z0 * z0);
  g.a_r = z0 * r0inv;
  g.a_i = -z * r0inv;
  g.b_r = y * r0inv;
  g.b_i = -x * r0inv;
  const double rinv = 1.0 / r;
  g.uhat[0] = x * rinv;
  g.uhat[1] = y * rinv;
  g.uhat[2] = z * rinv;
  const double dr0invdr = -r0inv * r0inv * r0inv * (r + z0 * dz0dr);
  for (int k = 0; k < 3; ++k) {
    const double dr0inv = dr0invdr * g.uhat[k];
    const double dz0 = dz0dr * g.uhat[k];
    g.da_r[k] = dz0 * r0inv + z0 * dr0inv;
    g.da_i[k] = -z * dr0inv;
    g.db_r[k] = y * dr0inv;
    g.db_i[k] = -x * dr0inv;
  }
  g.da_i[2] -= r0inv;
  g.db_i[0] -= r0inv;
  g.db_r[1] += r0inv;
  const double fc = snap_sfac(r, rcut, t.rmin0, t.switchflag);
  const double dfc = snap_dsfac(r, rcut, t.rmin0, t.switchflag);
  if (t.switchinnerflag && r < sinner + dinner) {    // product rule, as LAMMPS' compute_sfac / compute_dsfac
    const double fin = snap_sfac_inner(r, sinner, dinner);
    g.sfac = wj * (fc * fin);
    g.dsfac = wj * (dfc * fin + fc * snap_dsfac_inner(r, sinner, dinner));
  } else {
    g.sfac = wj * fc;
    g.dsfac = wj * dfc;
  }
}

/// Pair cutoff rcut_ij (Å) between elements of radii rad_i and rad_j (dimensionless) for the cutoff
/// scale rcutfac (Å per unit radius), as LAMMPS pair snap and pair mliap compute it.
REVAL_FUNCTION double snap_pair_cutoff(double rad_i, double rad_j, double rcutfac) { return (rad_i + rad_j) * rcutfac; }

/// Short list of one central atom of element ie at xi (Å), the neighbour input of the SNAP kernels:
/// of the candidates jj = 0..jnum-1, the atoms j = atom_of(jj) with an element je = elem_of(j) >= 0
/// (< 0: a type the potential does not handle) at 1e-20 < |r_j - r_i|^2 < rcut_ij^2, rcut_ij =
/// snap_pair_cutoff(radelem[ie], radelem[je], rcutfac) (as LAMMPS pair snap). pos(j, k) is
/// coordinate k of atom j (Å). Accepted neighbours are passed in candidate order to keep(n, j, je,
/// dx, dy, dz) with n = 0, 1, ... and (dx, dy, dz) = r_j - r_i. Returns their number.
REVAL_HD_TEMPLATE
template <class AtomOf, class ElemOf, class Pos, class Keep>
REVAL_FUNCTION int snap_short_list(const double *radelem, double rcutfac, int ie, const double xi[3], int jnum,
                                   const AtomOf &atom_of, const ElemOf &elem_of, const Pos &pos, const Keep &keep)
{
  int n = 0;
  for (int jj = 0; jj < jnum; ++jj) {
    const int j = atom_of(jj);
    const int je = elem_of(j);
    if (je < 0) continue;
    const double dx = pos(j, 0) - xi[0], dy = pos(j, 1) - xi[1], dz = pos(j, 2) - xi[2];
    const double rsq = dx * dx + dy * dy + dz * dz;
    const double rc = snap_pair_cutoff(radelem[ie], radelem[je], rcutfac);
    if (rsq < rc * rc && rsq > 1e-20) {
      keep(n, j, je, dx, dy, dz);
      ++n;
    }
  }
  return n;
}

/// Highest row of layer j that the recursion of layer j+1 reads: (j+1)/2 (integer division).
REVAL_FUNCTION int snap_rows_needed(int j) { return (j + 1) / 2; }

/// Wigner U-functions of one neighbour by the recursion over j (VMK 4.8.2) from its Cayley-Klein
/// parameters. Fills rows 0..(j+1)/2 of every layer j (the half plus, for odd j, one mirrored row,
/// which is all the recursion and the sums need); other rows are left untouched. u_r/u_i: idxu_max.
REVAL_FUNCTION void snap_compute_u(const SnapTablesView &t, const SnapNeighborGeom &g, double *u_r,
                                   double *u_i)
{
  const int jdimpq = t.twojmax + 2;
  const double a_r = g.a_r, a_i = g.a_i, b_r = g.b_r, b_i = g.b_i;
  u_r[0] = 1.0;
  u_i[0] = 0.0;
  for (int j = 1; j <= t.twojmax; ++j) {
    const int ju = t.idxu_block[j];
    const int jup = t.idxu_block[j - 1];
    for (int mb = 0; 2 * mb <= j; ++mb) {
      const double *up_r = u_r + jup + j * mb;    // row mb of layer j-1 (width j)
      const double *up_i = u_i + jup + j * mb;
      double *ur = u_r + ju + (j + 1) * mb;
      double *ui = u_i + ju + (j + 1) * mb;
      const double *rpa = t.rootpq + (j - mb);    // rootpq[p][j-mb] = rpa[p*jdimpq]
      // u(ma) = sqrt((j-ma)/(j-mb)) conj(a) up(ma) - sqrt(ma/(j-mb)) conj(b) up(ma-1)
      ur[0] = rpa[j * jdimpq] * (a_r * up_r[0] + a_i * up_i[0]);
      ui[0] = rpa[j * jdimpq] * (a_r * up_i[0] - a_i * up_r[0]);
      for (int ma = 1; ma < j; ++ma) {
        const double c1 = rpa[(j - ma) * jdimpq], c2 = rpa[ma * jdimpq];
        ur[ma] = c1 * (a_r * up_r[ma] + a_i * up_i[ma]) - c2 * (b_r * up_r[ma - 1] + b_i * up_i[ma - 1]);
        ui[ma] = c1 * (a_r * up_i[ma] - a_i * up_r[ma]) - c2 * (b_r * up_i[ma - 1] - b_i * up_r[ma - 1]);
      }
      ur[j] = -rpa[j * jdimpq] * (b_r * up_r[j - 1] + b_i * up_i[j - 1]);
      ui[j] = -rpa[j * jdimpq] * (b_r * up_i[j - 1] - b_i * up_r[j - 1]);
    }
    if (j % 2 == 1) {    // row (j+1)/2 mirrored from row (j-1)/2
      const int mbd = (j - 1) / 2, mbt = (j + 1) / 2;
      const double *sr = u_r + ju + (j + 1) * mbd;
      const double *si = u_i + ju + (j + 1) * mbd;
      double *tr = u_r + ju + (j + 1) * mbt;
      double *ti = u_i + ju + (j + 1) * mbt;
      for (int ma = 0; ma <= j; ++ma) {    // target (ma, mbt) <- source (j-ma, mbd), sign (-1)^(j-ma-mbd)
        const double s = ((j - ma - mbd) % 2 == 0) ? 1.0 : -1.0;
        tr[ma] = s * sr[j - ma];
        ti[ma] = -s * si[j - ma];
      }
    }
  }
}

/// Sets one atom's Ulisttot (all channels, nchannels*idxu_max) to its self term: wself on the
/// diagonal of channel `ichannel` (all channels with wselfallflag), zero elsewhere.
REVAL_FUNCTION void snap_zero_utot(const SnapTablesView &t, int ichannel, double *utot_r, double *utot_i)
{
  for (int c = 0; c < t.nchannels; ++c) {
    double *ur = utot_r + c * t.idxu_max;
    double *ui = utot_i + c * t.idxu_max;
    for (int k = 0; k < t.idxu_max; ++k) ur[k] = ui[k] = 0.0;
    if (c == ichannel || t.wselfallflag)
      for (int j = 0; j <= t.twojmax; ++j)
        for (int ma = 0; ma <= j; ++ma) ur[t.idxu_block[j] + (j + 1) * ma + ma] = t.wself;
  }
}

/// Accumulation policy of the kernels that sum into shared arrays: plain `+=` here; a Kokkos
/// functor whose threads share the target passes an atomic adder with the same call signature.
struct SnapPlainAdd {
  REVAL_FUNCTION void operator()(double *target, double value) const { *target += value; }
};

/// Adds s * U of one neighbour (s = its sfac, weight included) to one channel of Ulisttot, rows
/// mb <= j/2 only (snap_symmetrize_utot fills the rest once all neighbours are in), with `add`.
REVAL_HD_TEMPLATE
template <class Add>
REVAL_FUNCTION void snap_add_u_with(const SnapTablesView &t, double s, const double *u_r, const double *u_i,
                                    double *utot_r, double *utot_i, const Add &add)
{
  for (int j = 0; j <= t.twojmax; ++j) {
    const int begin = t.idxu_block[j], end = begin + (j + 1) * (j / 2 + 1);
    for (int k = begin; k < end; ++k) {
      add(utot_r + k, s * u_r[k]);
      add(utot_i + k, s * u_i[k]);
    }
  }
}

/// Fills rows mb > j/2 of one channel of Ulisttot from U(j-ma, j-mb) = (-1)^(ma-mb) conj(U(ma, mb)).
REVAL_FUNCTION void snap_symmetrize_utot(const SnapTablesView &t, double *utot_r, double *utot_i)
{
  for (int j = 1; j <= t.twojmax; ++j) {
    const int ju = t.idxu_block[j];
    for (int mb = j / 2 + 1; mb <= j; ++mb)
      for (int ma = 0; ma <= j; ++ma) {
        const int src = ju + (j + 1) * (j - mb) + (j - ma);
        const double s = ((ma - mb) % 2 == 0) ? 1.0 : -1.0;    // (-1)^((j-ma)-(j-mb))
        utot_r[ju + (j + 1) * mb + ma] = s * utot_r[src];
        utot_i[ju + (j + 1) * mb + ma] = -s * utot_i[src];
      }
  }
}

/// One element of Z: Z_{j1 j2 j}(ma, mb) = sum C C U_{j1} U_{j2} (Clebsch-Gordan coupling of two
/// full Ulisttot channels u1, u2), divided by j+1 with bnormflag.
REVAL_FUNCTION void snap_compute_z(const SnapTablesView &t, int jjz, const double *u1_r, const double *u1_i,
                                   const double *u2_r, const double *u2_i, double &z_r, double &z_i)
{
  const SnapZIndex &q = t.idxz[jjz];
  const double *cgblock = t.cglist + q.icg;
  const int j1 = q.j1, j2 = q.j2;
  int jju1 = t.idxu_block[j1] + (j1 + 1) * q.mb1min;
  int jju2 = t.idxu_block[j2] + (j2 + 1) * q.mb2max;
  int icgb = q.mb1min * (j2 + 1) + q.mb2max;
  const int icga0 = q.ma1min * (j2 + 1) + q.ma2max;
  double zr = 0.0, zi = 0.0;
  for (int ib = 0; ib < q.nb; ++ib) {
    const double *p1r = u1_r + jju1 + q.ma1min, *p1i = u1_i + jju1 + q.ma1min;
    const double *p2r = u2_r + jju2 + q.ma2max, *p2i = u2_i + jju2 + q.ma2max;
    const double *cga = cgblock + icga0;
    double sr = 0.0, si = 0.0;
    for (int ia = 0; ia < q.na; ++ia) {
      const double c = cga[ia * j2];
      sr += c * (p1r[ia] * p2r[-ia] - p1i[ia] * p2i[-ia]);
      si += c * (p1r[ia] * p2i[-ia] + p1i[ia] * p2r[-ia]);
    }
    zr += cgblock[icgb] * sr;
    zi += cgblock[icgb] * si;
    jju1 += j1 + 1;
    jju2 -= j2 + 1;
    icgb += j2;
  }
  if (t.bnormflag) {
    zr /= (q.j + 1);
    zi /= (q.j + 1);
  }
  z_r = zr;
  z_i = zi;
}

/// One row of the Z list, Z_{j1 j2 j}(ma, mb) for ma = 0..j, given the index jjz0 of its first
/// element (ma = 0): snap_compute_z for each element (each double sum accumulated in registers, as
/// LAMMPS' SNA::compute_zi: 9% faster per MD step and 15% for the bispectrum alone than the former
/// ma1-contiguous row update, measured on Si_Zuo twojmax 8).
/// In the middle row of even j (mb = j/2) only ma <= mb is computed (B and Y read no other entry),
/// the rest is set to zero. z_r/z_i: the Z list of one channel pair (entries jjz0..jjz0+j are written).
REVAL_FUNCTION void snap_compute_z_row(const SnapTablesView &t, int jjz0, const double *u1_r, const double *u1_i,
                                       const double *u2_r, const double *u2_i, double *z_r, double *z_i)
{
  const SnapZIndex &q = t.idxz[jjz0];
  const int mamax = (2 * q.mb == q.j) ? q.mb : q.j;
  for (int ma = 0; ma <= mamax; ++ma) snap_compute_z(t, jjz0 + ma, u1_r, u1_i, u2_r, u2_i, z_r[jjz0 + ma], z_i[jjz0 + ma]);
  for (int ma = mamax + 1; ma <= q.j; ++ma) z_r[jjz0 + ma] = z_i[jjz0 + ma] = 0.0;
}

/// One bispectrum component before the bzero shift: B = 2 sum_{half} w Re(conj(U_j) Z_{j1 j2 j}),
/// with u = one Ulisttot channel and z = the Z list of one channel pair (w = 1/2 on the centre of
/// the middle row of even j, 0 right of it).
REVAL_FUNCTION double snap_compute_b(const SnapTablesView &t, int jjb, const double *u_r, const double *u_i,
                                     const double *z_r, const double *z_i)
{
  const SnapBIndex &q = t.idxb[jjb];
  const int j = q.j;
  const int nfull = (j + 1) * ((j + 1) / 2);    // complete rows mb < j/2
  const double *ur = u_r + q.jju, *ui = u_i + q.jju;
  const double *zr = z_r + q.jjz, *zi = z_i + q.jjz;
  double sum = 0.0;
  for (int k = 0; k < nfull; ++k) sum += ur[k] * zr[k] + ui[k] * zi[k];
  if (j % 2 == 0) {
    const int mb = j / 2;
    for (int ma = 0; ma < mb; ++ma) sum += ur[nfull + ma] * zr[nfull + ma] + ui[nfull + ma] * zi[nfull + ma];
    sum += 0.5 * (ur[nfull + mb] * zr[nfull + mb] + ui[nfull + mb] * zi[nfull + mb]);
  }
  return 2.0 * sum;
}

/// Weight of Z^{e1 e2}[jjz] in Y^{e3}(j, ma, mb): the beta of the bispectrum component whose
/// derivative this Z element carries, times its multiplicity. beta: ncoeff values of one atom.
REVAL_FUNCTION double snap_y_weight(const SnapTablesView &t, int jjz, int e1, int e2, int e3, const double *beta)
{
  const SnapZIndex &q = t.idxz[jjz];
  const int n = t.nchannels;
  int itriple;
  if (q.ycase == 0)
    itriple = (e1 * n + e2) * n + e3;
  else if (q.ycase == 1)
    itriple = (e3 * n + e2) * n + e1;
  else
    itriple = (e2 * n + e3) * n + e1;
  return q.yfac * beta[itriple * t.idxb_max + q.yjjb];
}

/// Bispectrum component jjb of element triple `itriple` = (e1 n + e2) n + e3 of an atom whose own
/// channel is `ichannel`, bzero shift included (bzeroflag: B of an isolated atom is subtracted on the
/// atom's own triple, or on every triple with wselfallflag). utot: all channels (n idxu_max), z: all
/// channel pairs (n^2 idxz_max) of the atom.
REVAL_FUNCTION double snap_b_value(const SnapTablesView &t, int ichannel, int itriple, int jjb, const double *utot_r,
                                   const double *utot_i, const double *z_r, const double *z_i)
{
  const int n = t.nchannels;
  const int e3 = itriple % n, e12 = itriple / n;
  const int nu = t.idxu_max, nz = t.idxz_max;
  double b = snap_compute_b(t, jjb, utot_r + e3 * nu, utot_i + e3 * nu, z_r + e12 * nz, z_i + e12 * nz);
  if (t.bzeroflag && (t.wselfallflag || itriple == (ichannel * n + ichannel) * n + ichannel))
    b -= t.bzero[t.idxb[jjb].j];
  return b;
}

/// Adds the contributions of Z element jjz (all channel pairs) to the adjoint Y of one atom:
/// Y^{e3}[jju] += w(jjz, e1, e2, e3) Z^{e1 e2}[jjz], w = snap_y_weight. z: n^2 idxz_max, y: n idxu_max
/// (zeroed by the caller). Summing over every jjz gives Y = sum_k beta_k dB_k/dU.
REVAL_HD_TEMPLATE
template <class Add>
REVAL_FUNCTION void snap_add_y_terms(const SnapTablesView &t, int jjz, const double *z_r, const double *z_i,
                                     const double *beta, double *y_r, double *y_i, const Add &add)
{
  const int n = t.nchannels, nu = t.idxu_max, nz = t.idxz_max;
  const SnapZIndex &q = t.idxz[jjz];
  const int jju = q.jju;
  if (n == 1) {    // one channel: the weight is yfac times the beta of the component (snap_y_weight)
    const double w = q.yfac * beta[q.yjjb];
    add(y_r + jju, w * z_r[jjz]);
    add(y_i + jju, w * z_i[jjz]);
    return;
  }
  for (int e1 = 0; e1 < n; ++e1)
    for (int e2 = 0; e2 < n; ++e2) {
      const double zr = z_r[(e1 * n + e2) * nz + jjz], zi = z_i[(e1 * n + e2) * nz + jjz];
      for (int e3 = 0; e3 < n; ++e3) {
        const double w = snap_y_weight(t, jjz, e1, e2, e3, beta);
        add(y_r + e3 * nu + jju, w * zr);
        add(y_i + e3 * nu + jju, w * zi);
      }
    }
}

/// Averages beta over the orbits of identical bispectrum components (chemflag). LAMMPS' Y weights
/// (snap_y_weight) give the exact gradient of E only for a beta that is constant on these orbits;
/// a linear fit usually is, the beta = dE/dB of a quadratic or NN model in general is not. Averaging
/// leaves E unchanged (the components are equal) and makes dE/dr exact. beta, out: ncoeff values.
REVAL_FUNCTION void snap_symmetrize_beta(const SnapTablesView &t, const double *beta, double *out)
{
  for (int k = 0; k < t.ncoeff; ++k) {
    const int b = t.beta_orbit_start[k], e = t.beta_orbit_start[k + 1];
    double s = 0.0;
    for (int m = b; m < e; ++m) s += beta[t.beta_orbit[m]];
    out[k] = s / (e - b);
  }
}

/// Zeroes one channel of Y (idxu_max entries; only rows mb <= j/2 are ever filled and read).
REVAL_FUNCTION void snap_zero_y(const SnapTablesView &t, double *y_r, double *y_i)
{
  for (int k = 0; k < t.idxu_max; ++k) y_r[k] = y_i[k] = 0.0;
}

/// dE_i/dr_j of one neighbour (Å, eV/Å) from the adjoint Y of its channel, by reverse-mode
/// differentiation of the U recursion: with G = sum_{half} w Re(conj(Y) U(a, b)), dE/dr_j =
/// 2 (dsfac G0 uhat + sfac dG/d(a,b) . d(a,b)/dr_j), G0 = G at the stored U. Numerically the same as
/// LAMMPS' compute_duidrj + compute_deidrj (forward dU), at about a third of the cost.
/// u: the neighbour's U from snap_compute_u; y: one channel of Y; adj_r/adj_i: idxu_max scratch.
REVAL_FUNCTION void snap_deidrj(const SnapTablesView &t, const SnapNeighborGeom &g, const double *u_r,
                                const double *u_i, const double *y_r, const double *y_i, double *adj_r,
                                double *adj_i, double dedr[3])
{
  const int jdimpq = t.twojmax + 2;
  const double a_r = g.a_r, a_i = g.a_i, b_r = g.b_r, b_i = g.b_i;
  double g0 = 0.0;                         // sum w Re(conj(Y) U)
  double A_r = 0.0, A_i = 0.0;             // sum c1 adj conj(u_prev)
  double B_r = 0.0, B_i = 0.0;             // sum -c2 adj conj(u_prev)

  // seed the adjoint of every directly computed row with w*Y; rows above are zero
  for (int j = 0; j <= t.twojmax; ++j) {
    const int ju = t.idxu_block[j];
    const int nfull = (j + 1) * ((j + 1) / 2);
    for (int k = ju; k < ju + nfull; ++k) {
      adj_r[k] = y_r[k];
      adj_i[k] = y_i[k];
      g0 += y_r[k] * u_r[k] + y_i[k] * u_i[k];
    }
    const int rows_end = ju + (j + 1) * (snap_rows_needed(j) + 1);
    for (int k = ju + nfull; k < rows_end; ++k) adj_r[k] = adj_i[k] = 0.0;
    if (j % 2 == 0) {
      const int mb = j / 2, base = ju + nfull;
      for (int ma = 0; ma < mb; ++ma) {
        adj_r[base + ma] = y_r[base + ma];
        adj_i[base + ma] = y_i[base + ma];
        g0 += y_r[base + ma] * u_r[base + ma] + y_i[base + ma] * u_i[base + ma];
      }
      adj_r[base + mb] = 0.5 * y_r[base + mb];
      adj_i[base + mb] = 0.5 * y_i[base + mb];
      g0 += 0.5 * (y_r[base + mb] * u_r[base + mb] + y_i[base + mb] * u_i[base + mb]);
    }
  }

  for (int j = t.twojmax; j >= 1; --j) {
    const int ju = t.idxu_block[j];
    const int jup = t.idxu_block[j - 1];
    if (j % 2 == 1) {    // fold the mirrored row (j+1)/2 back onto its source row (j-1)/2
      const int mbd = (j - 1) / 2, mbt = (j + 1) / 2;
      double *sr = adj_r + ju + (j + 1) * mbd, *si = adj_i + ju + (j + 1) * mbd;
      const double *tr = adj_r + ju + (j + 1) * mbt, *ti = adj_i + ju + (j + 1) * mbt;
      for (int ma = 0; ma <= j; ++ma) {
        const double s = ((j - ma - mbd) % 2 == 0) ? 1.0 : -1.0;
        sr[j - ma] += s * tr[ma];
        si[j - ma] -= s * ti[ma];
      }
    }
    for (int mb = 0; 2 * mb <= j; ++mb) {
      const double *vr = adj_r + ju + (j + 1) * mb, *vi = adj_i + ju + (j + 1) * mb;
      const double *up_r = u_r + jup + j * mb, *up_i = u_i + jup + j * mb;
      double *wr = adj_r + jup + j * mb, *wi = adj_i + jup + j * mb;
      const double *rpa = t.rootpq + (j - mb);
      double ar = 0.0, ai = 0.0, br = 0.0, bi = 0.0;
      for (int ma = 0; ma < j; ++ma) {
        // term c1 conj(a) up(ma) of u(ma), and term -c2 conj(b) up(ma) of u(ma+1)
        const double c1 = rpa[(j - ma) * jdimpq], c2 = rpa[(ma + 1) * jdimpq];
        const double v1r = c1 * vr[ma], v1i = c1 * vi[ma];
        const double v2r = c2 * vr[ma + 1], v2i = c2 * vi[ma + 1];
        const double pr = up_r[ma], pi = up_i[ma];
        // adjoint of up(ma): c1 a v(ma) - c2 b v(ma+1)
        wr[ma] += (a_r * v1r - a_i * v1i) - (b_r * v2r - b_i * v2i);
        wi[ma] += (a_r * v1i + a_i * v1r) - (b_r * v2i + b_i * v2r);
        // A += c1 v(ma) conj(up(ma)); B -= c2 v(ma+1) conj(up(ma))
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
  for (int k = 0; k < 3; ++k) {
    const double dg = A_r * g.da_r[k] - A_i * g.da_i[k] + B_r * g.db_r[k] - B_i * g.db_i[k];
    dedr[k] = 2.0 * (g.dsfac * g.uhat[k] * g0 + g.sfac * dg);
  }
}

/// Forward-mode derivative dU/dr_j of one neighbour (switching and weight included), rows mb <= j/2
/// (plus the mirrored row of odd j, which the recursion reads), layout [3*jju + k], as LAMMPS'
/// compute_duarray. u: from snap_compute_u. du_r/du_i: 3*idxu_max. Used for dB/dr and for checks.
REVAL_FUNCTION void snap_compute_du(const SnapTablesView &t, const SnapNeighborGeom &g, const double *u_r,
                                    const double *u_i, double *du_r, double *du_i)
{
  const int jdimpq = t.twojmax + 2;
  const double a_r = g.a_r, a_i = g.a_i, b_r = g.b_r, b_i = g.b_i;
  for (int k = 0; k < 3; ++k) du_r[k] = du_i[k] = 0.0;
  for (int j = 1; j <= t.twojmax; ++j) {
    const int ju = t.idxu_block[j];
    const int jup = t.idxu_block[j - 1];
    for (int mb = 0; 2 * mb <= j; ++mb) {
      const double *rpa = t.rootpq + (j - mb);
      for (int ma = 0; ma <= j; ++ma) {
        const int jju = ju + (j + 1) * mb + ma;
        double dr[3] = {0.0, 0.0, 0.0}, di[3] = {0.0, 0.0, 0.0};
        if (ma < j) {
          const int p = jup + j * mb + ma;
          const double c1 = rpa[(j - ma) * jdimpq];
          for (int k = 0; k < 3; ++k) {
            dr[k] += c1 * (g.da_r[k] * u_r[p] + g.da_i[k] * u_i[p] + a_r * du_r[3 * p + k] + a_i * du_i[3 * p + k]);
            di[k] += c1 * (g.da_r[k] * u_i[p] - g.da_i[k] * u_r[p] + a_r * du_i[3 * p + k] - a_i * du_r[3 * p + k]);
          }
        }
        if (ma > 0) {
          const int p = jup + j * mb + ma - 1;
          const double c2 = rpa[ma * jdimpq];
          for (int k = 0; k < 3; ++k) {
            dr[k] -= c2 * (g.db_r[k] * u_r[p] + g.db_i[k] * u_i[p] + b_r * du_r[3 * p + k] + b_i * du_i[3 * p + k]);
            di[k] -= c2 * (g.db_r[k] * u_i[p] - g.db_i[k] * u_r[p] + b_r * du_i[3 * p + k] - b_i * du_r[3 * p + k]);
          }
        }
        for (int k = 0; k < 3; ++k) {
          du_r[3 * jju + k] = dr[k];
          du_i[3 * jju + k] = di[k];
        }
      }
    }
    if (j % 2 == 1) {
      const int mbd = (j - 1) / 2, mbt = (j + 1) / 2;
      for (int ma = 0; ma <= j; ++ma) {
        const double s = ((j - ma - mbd) % 2 == 0) ? 1.0 : -1.0;
        const int tgt = ju + (j + 1) * mbt + ma, src = ju + (j + 1) * mbd + (j - ma);
        for (int k = 0; k < 3; ++k) {
          du_r[3 * tgt + k] = s * du_r[3 * src + k];
          du_i[3 * tgt + k] = -s * du_i[3 * src + k];
        }
      }
    }
  }
  // chain rule of s(r) U: dU = dsfac U uhat + sfac dU_raw (rows the sums use)
  for (int j = 0; j <= t.twojmax; ++j) {
    const int begin = t.idxu_block[j], end = begin + (j + 1) * (j / 2 + 1);
    for (int jju = begin; jju < end; ++jju)
      for (int k = 0; k < 3; ++k) {
        du_r[3 * jju + k] = g.dsfac * u_r[jju] * g.uhat[k] + g.sfac * du_r[3 * jju + k];
        du_i[3 * jju + k] = g.dsfac * u_i[jju] * g.uhat[k] + g.sfac * du_i[3 * jju + k];
      }
  }
}

/// dE_i/dr_j from a forward dU (snap_compute_du) and one channel of Y: 2 sum_{half} w Re(conj(Y) dU).
REVAL_FUNCTION void snap_deidrj_from_du(const SnapTablesView &t, const double *du_r, const double *du_i,
                                        const double *y_r, const double *y_i, double dedr[3])
{
  double s[3] = {0.0, 0.0, 0.0};
  for (int j = 0; j <= t.twojmax; ++j) {
    const int ju = t.idxu_block[j];
    const int nfull = (j + 1) * ((j + 1) / 2);
    for (int jju = ju; jju < ju + nfull; ++jju)
      for (int k = 0; k < 3; ++k) s[k] += du_r[3 * jju + k] * y_r[jju] + du_i[3 * jju + k] * y_i[jju];
    if (j % 2 == 0) {
      const int mb = j / 2, base = ju + nfull;
      for (int ma = 0; ma < mb; ++ma)
        for (int k = 0; k < 3; ++k)
          s[k] += du_r[3 * (base + ma) + k] * y_r[base + ma] + du_i[3 * (base + ma) + k] * y_i[base + ma];
      for (int k = 0; k < 3; ++k)
        s[k] += 0.5 * (du_r[3 * (base + mb) + k] * y_r[base + mb] + du_i[3 * (base + mb) + k] * y_i[base + mb]);
    }
  }
  for (int k = 0; k < 3; ++k) dedr[k] = 2.0 * s[k];
}

}    // namespace reval::kernels
