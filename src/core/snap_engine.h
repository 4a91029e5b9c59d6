/// @file snap_engine.h
/// Serial host driver of the SNAP point kernels (kernels/point/snap_kernels.hpp): per central atom,
/// the bispectrum B_i, the atom energy E_i of a model, dE_i/dr_j for each neighbour by the
/// adjoint (Y) path, and (for fitting) every dB_i/dr_j (bispectrum_derivatives). One SnapEngine per
/// thread: it owns the scratch arrays and shares the immutable
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
///
/// With chemflag, forces follow LAMMPS 29Sep2021: they are the exact gradient of E only for a beta that
/// is constant on orbits of identical bispectrum components (true for fitted linear models); a caller
/// that wants the exact gradient for any beta averages it first with kernels::snap_symmetrize_beta
/// (same E; tests/unit/test_snap_kernels.cpp shows both).
#pragma once

#include "core/snap_dbdr_plan.h"
#include "core/snap_descriptor.h"
#include "core/snap_models.h"

#include "kernels/point/snap_host_simd.hpp"

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
  explicit SnapEngine(std::shared_ptr<const SnapDescriptor> descriptor);

  const SnapDescriptor &descriptor() const { return *m_desc; }
  const SnapParams &params() const { return m_desc->params(); }
  int ncoeff() const { return m_desc->ncoeff(); }
  /// Pre-sizes the workspace for up to `nmax` neighbours (otherwise it grows on demand).
  void reserve(int nmax);

  /// Pair cutoff (Å) between elements.
  double cutoff(int ielem, int jelem) const { return params().cutoff(ielem, jelem); }

  /// Short list of atom i (element ielem, position xi, Å) from the candidates jlist[0..jnum-1]
  /// (indices into x; each index is first and-ed with index_mask, e.g. LAMMPS' NEIGHMASK):
  /// neighbours with 1e-20 < |x_j - x_i|^2 < rcut_ij^2 (the point kernel kernels::snap_short_list).
  /// elem_of[j] = element of atom j, or < 0 to skip it. Returns out.n. Allocates only when `out` must grow.
  int build_short_list(int ielem, const double xi[3], int jnum, const int *jlist, const double *const *x,
                       const int *elem_of, SnapShortList &out, int index_mask = ~0) const;

  /// Bispectrum B_i (ncoeff values, LAMMPS order, bzero subtracted with bzeroflag).
  void bispectrum(int ielem, int n, const double *rij, const int *jelem, double *B);

  /// dE_i/dr_j (n x 3, see the force convention above) for a given beta_i = dE_i/dB_i (ncoeff), by
  /// reverse-mode differentiation through the U recursion (kernels::snap_deidrj; what compute uses).
  void forces(int ielem, int n, const double *rij, const int *jelem, const double *beta, double *dedr);
  /// The same through explicit dU/dr_j per neighbour as LAMMPS (kernels::snap_compute_du,
  /// snap_deidrj_from_du): the reference that cross-checks the adjoint path; slower, not used by compute.
  void forces_forward_du(int ielem, int n, const double *rij, const int *jelem, const double *beta, double *dedr);

  /// Bispectrum B_i and its derivatives with respect to the neighbour positions (what fitting needs;
  /// LAMMPS' SNA::compute_duidrj + compute_dbidrj, point kernels snap_compute_du + snap_dbdr_zmat/apply), from the
  /// same U and Z as bispectrum(). B: ncoeff values (may be null). dbdr: n x 3 x ncoeff, row-major,
  /// dbdr[(jj*3 + k)*ncoeff + c] = dB_{i,c}/dr_{j,k} with r_j the position of neighbour jj (rij = r_j - r_i
  /// varies with it); by translation invariance dB_i/dr_i = -sum_jj dB_i/dr_j. So for a linear model,
  /// sum_c beta_c dbdr[(jj*3 + k)*ncoeff + c] is dedr[3*jj + k] of forces(). chemflag and bnormflag as LAMMPS.
  void bispectrum_derivatives(int ielem, int n, const double *rij, const int *jelem, double *B, double *dbdr);

  /// Everything for one atom in one pass (U and Z once): returns E_i of `model`, writes dedr
  /// (n x 3) and, when not null, B (ncoeff) and beta (ncoeff).
  double compute(int ielem, int n, const double *rij, const int *jelem, const SnapModel &model, double *dedr,
                 double *B = nullptr, double *beta = nullptr);

  /// The committee mean of M >= 1 models (what drives MD without uncertainties) in one pass: the mean
  /// E_i (returned) and the forces of the mean beta, which are the mean of the members' forces up to
  /// rounding (forces are linear in beta). dedr (n x 3); B and beta (ncoeff, the mean) when not null.
  double compute(int ielem, int n, const double *rij, const int *jelem, const std::vector<SnapModel> &models,
                 double *dedr, double *B = nullptr, double *beta = nullptr);

  /// Every member of a committee of M >= 1 models for one atom (U and Z once): writes E_members[M],
  /// dedr_members [M x n x 3] (member m's dE_i^m/dr_j at [(m*n + jj)*3 + k]) and, when not null,
  /// dedr_mean (n x 3, the mean over the members) and B (ncoeff). Returns the mean E_i.
  double compute_members(int ielem, int n, const double *rij, const int *jelem, const std::vector<SnapModel> &models,
                         double *E_members, double *dedr_members, double *dedr_mean = nullptr, double *B = nullptr);

 private:
  void check_input(int ielem, int n, const int *jelem) const;
  void check_models(const SnapModel *models, int M) const;
  /// Mean E_i of models[0..M-1] on B (kernels::snap_committee_energy_beta); beta_mean (ncoeff),
  /// E_members (M, may be null) and beta_members (M x ncoeff, may be null).
  double models_energy_beta(const SnapModel *models, int M, int ielem, const double *B, double *beta_mean,
                            double *E_members, double *beta_members);
  double compute_mean(int ielem, int n, const double *rij, const int *jelem, const SnapModel *models, int M,
                      double *dedr, double *B, double *beta);
  /// Geometry, U, Ulisttot and Z. With REVAL_HOST_SIMD (kernels/point/snap_host_simd.hpp) U of kNbLanes neighbours at a
  /// time, stored interleaved per group; else one neighbour at a time, U of neighbour jj at jj * idxu_max.
  void compute_u_and_z(int ielem, int n, const double *rij, const int *jelem);
  void compute_b(int ielem, double *B) const;
  void compute_y(const double *beta);
  void compute_dedr(int n, const int *jelem, double *dedr);
  /// f(jj, U_r, U_i, Y_r, Y_i) for each neighbour jj: its U arrays (with REVAL_HOST_SIMD a copy out of its
  /// group) and the Y arrays of its element channel.
  template <class F>
  void for_each_neighbour(int n, const int *jelem, F &&f);

  double *utot_r() { return m_utot_r.data() + kUtotPad; }
  double *utot_i() { return m_utot_i.data() + kUtotPad; }
  const double *utot_r() const { return m_utot_r.data() + kUtotPad; }
  const double *utot_i() const { return m_utot_i.data() + kUtotPad; }

  std::shared_ptr<const SnapDescriptor> m_desc;
  const kernels::SnapTablesView *m_t;
  std::shared_ptr<const kernels::SnapHostZPlan> m_zplan;    // host Z kernel tables (kernels/point/snap_host_simd.hpp)
  int m_nmax = 0;
  std::vector<kernels::SnapNeighborGeom> m_geom;    // per neighbour
  std::vector<double> m_u_r, m_u_i;                  // per neighbour U (nmax rounded up to kNbLanes x idxu_max)
  std::vector<double> m_u1_r, m_u1_i;                // one neighbour's U (idxu_max), for the dU paths
  std::vector<double> m_uacc_r, m_uacc_i;            // lane-wise Ulisttot sums (kNbLanes x nchannels x idxu_max)
  std::vector<double> m_adj4_r, m_adj4_i;            // adjoint of a neighbour group (kNbLanes x idxu_max)
  static constexpr int kUtotPad = kernels::SnapHostZPlan::kUPad;    // zero pads read by the host Z kernel
  std::vector<double> m_utot_r, m_utot_i;            // kUtotPad + nchannels x idxu_max + kUtotPad
  std::vector<double> m_z_r, m_z_i;                  // nchannels^2 x idxz_max
  std::vector<double> m_y_r, m_y_i;                  // nchannels x idxu_max
  std::vector<double> m_adj_r, m_adj_i;              // idxu_max (adjoint) or 3 idxu_max (forward dU)
  std::vector<double> m_b, m_beta, m_tmp;            // ncoeff scratch
  std::vector<double> m_betas, m_emem, m_mscratch;   // committee and model-kernel scratch
  std::vector<kernels::SnapModelView> m_views;       // the models' kernel views of the current call
  std::shared_ptr<const SnapDbdrPlan> m_dbdr_plan;   // layer-grouped terms of dB/dr (first use; immutable)
  std::vector<double> m_zmat, m_dbdr_scratch;        // the atom's dB/dr matrices; 3 x max pairs
};

}    // namespace reval
