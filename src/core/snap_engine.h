/// @file snap_engine.h
/// Serial host driver of the SNAP point kernels (kernels/point/snap_kernels.hpp): per central atom,
/// the bispectrum B_i, the atom energy E_i of a model, and dE_i/dr_j for each neighbour by the
/// adjoint (Y) path. One SnapEngine per thread: it owns the scratch arrays and shares the immutable
/// SnapDescriptor tables. Nothing is allocated per atom once the workspace has grown to the largest
/// neighbour count seen (reserve() can pre-size it).
///
/// Neighbour input ("short list") of atom i with element ielem: n neighbours with displacements
/// rij[3*jj .. 3*jj+2] = r_j - r_i (Å) and elements jelem[jj], already restricted to
/// 1e-20 < |rij|^2 < rcut_ij^2, rcut_ij = (radelem_i + radelem_j) * rcutfac (as LAMMPS pair snap;
/// build_short_list() makes it from positions). The neighbour weight is wjelem[jelem].
///
/// Force convention: dedr[3*jj + k] = dE_i/dr_j,k (energy/Å). For E = sum_i E_i the force on atom j
/// gets -dE_i/dr_j and the force on atom i gets +dE_i/dr_j (translation invariance), i.e. what LAMMPS
/// pair snap does with fij = dedr: f[i] += fij, f[j] -= fij; the virial term of the pair is
/// -rij (x) fij as in LAMMPS' ev_tally_xyz(..., fij, -rij).
#pragma once

#include "core/snap_descriptor.h"
#include "core/snap_models.h"

#include <memory>
#include <vector>

namespace reval {

/// Short neighbour list of one central atom in the layout SnapEngine takes.
struct SnapShortList {
  int n = 0;
  std::vector<double> rij;     ///< 3n displacements r_j - r_i (Å)
  std::vector<int> jelem;      ///< n neighbour elements
  std::vector<int> jatom;      ///< n indices of the neighbours in the caller's arrays
};

class SnapEngine {
 public:
  /// How dE_i/dr_j is computed from Y: Adjoint = reverse-mode through the U recursion (default,
  /// fastest); ForwardDU = explicit dU/dr_j per neighbour as LAMMPS (reference and cross-check).
  enum class ForceAlgorithm { Adjoint, ForwardDU };

  explicit SnapEngine(std::shared_ptr<const SnapDescriptor> descriptor);

  const SnapDescriptor &descriptor() const { return *m_desc; }
  const SnapParams &params() const { return m_desc->params(); }
  int ncoeff() const { return m_desc->ncoeff(); }
  void set_force_algorithm(ForceAlgorithm a) { m_algorithm = a; }
  /// chemflag only. Off (default): forces exactly as LAMMPS 29Sep2021, which are the exact gradient
  /// of E only if beta is the same for bispectrum components that are identical functions
  /// (B^{abc} = B^{cba} for j1 = j, B^{abc} = B^{bac} for j1 = j2): true for fitted linear models,
  /// not in general for quadratic or NN models. On: beta is averaged over those components before Y
  /// (kernels::snap_symmetrize_beta), which leaves E unchanged and makes forces = -dE/dr exactly.
  void set_exact_chem_gradient(bool on) { m_exact_chem = on; }
  /// Pre-sizes the workspace for up to `nmax` neighbours (otherwise it grows on demand).
  void reserve(int nmax);

  /// Pair cutoff (Å) between elements.
  double cutoff(int ielem, int jelem) const { return params().cutoff(ielem, jelem); }

  /// Short list of atom i (element ielem, position xi, Å) from the candidates jlist[0..jnum-1]
  /// (indices into x; each index is first and-ed with index_mask, e.g. LAMMPS' NEIGHMASK):
  /// neighbours with 1e-20 < |x_j - x_i|^2 < rcut_ij^2. elem_of[j] = element of atom j, or < 0 to skip
  /// it. Returns out.n. Allocates only when `out` must grow.
  int build_short_list(int ielem, const double xi[3], int jnum, const int *jlist, const double *const *x,
                       const int *elem_of, SnapShortList &out, int index_mask = ~0) const;

  /// Bispectrum B_i (ncoeff values, LAMMPS order, bzero subtracted with bzeroflag).
  void bispectrum(int ielem, int n, const double *rij, const int *jelem, double *B);

  /// dE_i/dr_j (n x 3, see the force convention above) for a given beta_i = dE_i/dB_i (ncoeff).
  void forces(int ielem, int n, const double *rij, const int *jelem, const double *beta, double *dedr);

  /// Everything for one atom in one pass (U and Z once): returns E_i of `model`, writes dedr
  /// (n x 3) and, when not null, B (ncoeff) and beta (ncoeff).
  double compute(int ielem, int n, const double *rij, const int *jelem, const SnapModel &model, double *dedr,
                 double *B = nullptr, double *beta = nullptr);

  /// Committee of M members for one atom in one pass: writes E_members[M] and dedr_members
  /// [M x n x 3] (member m's dE_i^m/dr_j at [(m*n + jj)*3 + k]); the mean force is their average.
  /// B (ncoeff) when not null. Returns the mean E_i.
  double compute_committee(int ielem, int n, const double *rij, const int *jelem, const SnapCommittee &committee,
                           double *E_members, double *dedr_members, double *B = nullptr);

 private:
  void check_input(int ielem, int n, const int *jelem) const;
  void compute_u_and_z(int ielem, int n, const double *rij, const int *jelem);
  void compute_b(int ielem, double *B) const;
  void compute_y(const double *beta);
  void compute_dedr(int n, const int *jelem, double *dedr);

  std::shared_ptr<const SnapDescriptor> m_desc;
  const kernels::SnapTablesView *m_t;
  ForceAlgorithm m_algorithm = ForceAlgorithm::Adjoint;
  bool m_exact_chem = false;
  int m_nmax = 0;
  std::vector<kernels::SnapNeighborGeom> m_geom;    // per neighbour
  std::vector<double> m_u_r, m_u_i;                  // per neighbour U (nmax x idxu_max)
  std::vector<double> m_utot_r, m_utot_i;            // nchannels x idxu_max
  std::vector<double> m_z_r, m_z_i;                  // nchannels^2 x idxz_max
  std::vector<double> m_y_r, m_y_i;                  // nchannels x idxu_max
  std::vector<double> m_adj_r, m_adj_i;              // idxu_max (adjoint) or 3 idxu_max (forward dU)
  std::vector<double> m_b, m_beta, m_betas, m_emem;  // ncoeff scratch, committee scratch
  std::vector<double> m_beta_sym;                    // ncoeff (exact chem gradient)
};

}    // namespace reval
