/// @file static_sites.h
/// Sources of static lattice sites and the geometry of distributing them over MPI sub-domains
/// (science.md: "Static sites"). Sites are kept in lamda (fractional) coordinates so that they
/// follow box deformation. LAMMPS-free: the adapters supply the box and lattice numbers.
#pragma once

#include "kernels/point/box_math.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <vector>

namespace reval {

/// An affine lattice: box position of lattice point (i,j,k) + basis b is p0 + A*(i+b0, j+b1, k+b2),
/// with the cell edge vectors as the columns a[0], a[1], a[2] (box units, Å).
struct LatticeMap {
  double p0[3] = {0, 0, 0};
  double a[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};    ///< a[c] = edge vector c
  std::vector<std::array<double, 3>> basis;              ///< fractional basis positions
};

/// Relative tolerance at periodic box faces, the one `create_atoms box` uses: a lattice point on the
/// lower face is kept, its image on the upper face is not.
constexpr double kBoxFaceEpsilon = 1.0e-6;

/// Enumerates every lattice point inside the box in the order `create_atoms box` visits them
/// (k, j, i, basis), calling keep(index, lamda) with a 1-based running index over the points inside
/// the box, so that the index equals the atom ID `create_atoms 1 box` gives on one MPI rank.
/// Returns the number of points inside the box.
int64_t enumerate_lattice_sites(const kernels::BoxGeom &box, const LatticeMap &lat,
                                const std::function<void(int64_t, const double *)> &keep);

/// Reads a site file: one site per line as "x y z" (box units); '#' starts a comment; blank lines
/// are skipped. Throws reval::Error naming `name` and the line for anything else, and for no sites.
std::vector<std::array<double, 3>> read_site_file(std::istream &in, const std::string &name);

/// Maps box coordinates of a site to lamda, wrapping periodic dimensions that lie within
/// kBoxFaceEpsilon outside the box. Returns false if the site lies outside the box.
bool site_lamda_in_box(const kernels::BoxGeom &box, const double x[3], double lam[3]);

/// A box flip (LAMMPS flips a triclinic box when a tilt exceeds half the box length) re-expresses the
/// same periodic cell with other edge vectors: H_new = H_old * M, M integer upper unitriangular.
/// Returns M's off-diagonal (xy, xz, yz) = round((H_old^-1 H_new)_{01,02,12}); all zero if no flip
/// happened (continuous deformation between the two boxes must stay below half a box length).
std::array<int, 3> box_flip(const kernels::BoxGeom &old_box, const kernels::BoxGeom &new_box);

/// Lamda of the same physical point after the flip `m` (lambda' = M^-1 lambda), wrapped into the box.
void apply_box_flip(const std::array<int, 3> &m, const int periodic[3], double lam[3]);

/// Lamda bounds [lo, hi) of one MPI sub-domain.
struct ProcBox {
  double lo[3], hi[3];
};

/// One ghost copy of an owned site: destination rank and periodic image shift.
struct GhostTarget {
  int proc;
  int shift[3];
};

/// The ghost copies a site at lamda `l` (inside `own`) needs: every rank whose box, extended by
/// `margin` (lamda, per dimension), contains the site or one of its periodic images, except the
/// site itself on this rank. Appends to `out`.
void ghost_targets(const double l[3], const ProcBox &own, const std::vector<ProcBox> &boxes,
                   const double margin[3], const int periodic[3], int me, std::vector<GhostTarget> &out);

/// True if l lies in [lo, hi) along every dimension.
inline bool in_proc_box(const ProcBox &b, const double l[3])
{
  return l[0] >= b.lo[0] && l[0] < b.hi[0] && l[1] >= b.lo[1] && l[1] < b.hi[1] && l[2] >= b.lo[2] &&
      l[2] < b.hi[2];
}

}    // namespace reval
