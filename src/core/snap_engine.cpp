/// @file snap_engine.cpp
/// Serial SNAP driver: loops over the point kernels of kernels/point/snap_kernels.hpp and, for U, Z, Y and
/// dE/dr, over their host SIMD layouts (kernels/point/snap_host_simd.hpp: same tables, same quantities; the
/// host path of the Kokkos functor runs the same ones, a GPU the portable kernels). Per atom: U of every neighbour (kNbLanes at a time, stored),
/// Ulisttot, the whole Z list once, B from Z, beta from the model, Y from the stored Z (no second Z pass as in
/// LAMMPS' compute_yi), then dE_i/dr_j (kNbLanes neighbours at a time).
#include "core/snap_engine.h"

#include "core/error.h"

#include "kernels/point/snap_committee.hpp"
#include "kernels/point/snap_dbdr.hpp"
#include "kernels/point/snap_host_simd.hpp"

#include <algorithm>

namespace reval {

using namespace kernels;

// REVAL_HOST_CLONES (kernels/point/snap_host_simd.hpp): dbdr_of_neighbour is compiled for baseline x86-64 and AVX2 + FMA.

namespace {

/// dB/dr of one neighbour (channel c): its dU (du_r/du_i: scratch of 3 idxu_max) and the layered products.
REVAL_HOST_CLONES void dbdr_of_neighbour(const SnapTablesView &t, const SnapDbdrPlanView &plan, const SnapNeighborGeom &g,
                                         const double *u_r, const double *u_i, int c, double *du_r, double *du_i,
                                         const double *zmat, double *scratch, double *dbdr)
{
  snap_compute_du(t, g, u_r, u_i, du_r, du_i);
  snap_dbdr_apply(t, plan, c, du_r, du_i, zmat, scratch, dbdr);
}

}    // namespace

SnapEngine::SnapEngine(std::shared_ptr<const SnapDescriptor> descriptor) : m_desc(std::move(descriptor))
{
  if (!m_desc) throw Error("SnapEngine: no descriptor");
  m_t = &m_desc->view();
  const int nc = m_t->nchannels;
  m_zplan = std::make_shared<const SnapHostZPlan>(*m_t);
  m_utot_r.assign(SnapHostZPlan::padded_size(*m_t), 0.0);    // zero pads around the channels (SnapHostZPlan::kUPad)
  m_utot_i = m_utot_r;
  m_y_r.assign(static_cast<std::size_t>(nc) * m_t->idxu_max, 0.0);
  m_y_i = m_y_r;
  m_z_r.assign(static_cast<std::size_t>(nc) * nc * m_t->idxz_max, 0.0);
  m_z_i = m_z_r;
  m_uacc_r.assign(static_cast<std::size_t>(kNbLanes) * nc * m_t->idxu_max, 0.0);
  m_uacc_i = m_uacc_r;
  m_adj4_r.assign(static_cast<std::size_t>(kNbLanes) * m_t->idxu_max, 0.0);
  m_adj4_i = m_adj4_r;
  m_adj_r.assign(3 * static_cast<std::size_t>(m_t->idxu_max), 0.0);
  m_adj_i = m_adj_r;
  m_b.assign(m_t->ncoeff, 0.0);
  m_beta.assign(m_t->ncoeff, 0.0);
  reserve(64);
}

void SnapEngine::reserve(int nmax)
{
  if (nmax <= m_nmax) return;
  m_nmax = nmax;
  m_geom.resize(nmax);
  // room for whole neighbour groups (interleaved U of kNbLanes neighbours, kernels/point/snap_host_simd.hpp)
  const std::size_t slots = static_cast<std::size_t>(snap_host_u_slots(nmax));
  m_u_r.resize(slots * m_t->idxu_max);
  m_u_i.resize(slots * m_t->idxu_max);
}

int SnapEngine::build_short_list(int ielem, const double xi[3], int jnum, const int *jlist, const double *const *x,
                                 const int *elem_of, SnapShortList &out, int index_mask) const
{
  const SnapParams &p = params();
  if (ielem < 0 || ielem >= p.nelements())
    throw Error("SnapEngine::build_short_list: element index " + std::to_string(ielem) + " is outside 0.." +
                std::to_string(p.nelements() - 1));
  if (static_cast<int>(out.jelem.size()) < jnum) {
    out.rij.resize(3 * static_cast<std::size_t>(jnum));
    out.jelem.resize(jnum);
    out.jatom.resize(jnum);
  }
  out.n = snap_short_list(
      p.radelem.data(), p.rcutfac, ielem, xi, jnum, [&](int jj) { return jlist[jj] & index_mask; },
      [&](int j) { return elem_of[j]; }, [&](int j, int k) { return x[j][k]; },
      [&](int n, int j, int je, double dx, double dy, double dz) {
        out.rij[3 * n] = dx;
        out.rij[3 * n + 1] = dy;
        out.rij[3 * n + 2] = dz;
        out.jelem[n] = je;
        out.jatom[n] = j;
      });
  return out.n;
}

void SnapEngine::check_input(int ielem, int n, const int *jelem) const
{
  const int ne = params().nelements();
  if (ielem < 0 || ielem >= ne)
    throw Error("SnapEngine: element index " + std::to_string(ielem) + " of the central atom is outside 0.." +
                std::to_string(ne - 1));
  if (n < 0) throw Error("SnapEngine: negative neighbour count " + std::to_string(n));
  for (int jj = 0; jj < n; ++jj)
    if (jelem[jj] < 0 || jelem[jj] >= ne)
      throw Error("SnapEngine: element index " + std::to_string(jelem[jj]) + " of neighbour " + std::to_string(jj) +
                  " is outside 0.." + std::to_string(ne - 1));
}

void SnapEngine::compute_u_and_z(int ielem, int n, const double *rij, const int *jelem)
{
  check_input(ielem, n, jelem);
  reserve(n);
  const SnapTablesView &t = *m_t;
  const SnapParams &p = params();
  const int nu = t.idxu_max, nc = t.nchannels;
  snap_zero_utot(t, m_desc->channel(ielem), utot_r(), utot_i());
  for (int jj = 0; jj < n; ++jj) {
    const int je = jelem[jj];
    double sinner, dinner;
    snap_pair_inner(t, ielem, je, sinner, dinner);
    snap_neighbor_geom(t, rij[3 * jj], rij[3 * jj + 1], rij[3 * jj + 2], p.cutoff(ielem, je), p.wjelem[je], sinner,
                       dinner, m_geom[jj]);
  }
#if REVAL_HOST_SIMD
  // U of kNbLanes neighbours at a time, stored interleaved, summed lane-wise
  snap_host_ulisttot(t, m_geom.data(), n, [&](int jj) { return m_desc->channel(jelem[jj]); }, m_u_r.data(),
                     m_u_i.data(), m_uacc_r.data(), m_uacc_i.data(), utot_r(), utot_i());
#else
  // one neighbour at a time (the portable kernels), U of neighbour jj at jj * idxu_max
  for (int jj = 0; jj < n; ++jj) {
    double *ur = m_u_r.data() + static_cast<std::size_t>(jj) * nu;
    double *ui = m_u_i.data() + static_cast<std::size_t>(jj) * nu;
    snap_compute_u(t, m_geom[jj], ur, ui);
    const int c = m_desc->channel(jelem[jj]);
    snap_add_u_with(t, m_geom[jj].sfac, ur, ui, utot_r() + c * nu, utot_i() + c * nu, SnapPlainAdd());
  }
#endif
  for (int c = 0; c < nc; ++c) snap_symmetrize_utot(t, utot_r() + c * nu, utot_i() + c * nu);
  snap_host_z_all(t, m_zplan->view(), utot_r(), utot_i(), m_z_r.data(), m_z_i.data());
}

void SnapEngine::compute_b(int ielem, double *B) const
{
  const SnapTablesView &t = *m_t;
  const int nb = t.idxb_max, nc = t.nchannels;
  const int ic = m_desc->channel(ielem);
  for (int it = 0; it < nc * nc * nc; ++it)
    for (int jjb = 0; jjb < nb; ++jjb)
      B[it * nb + jjb] = snap_b_value(t, ic, it, jjb, utot_r(), utot_i(), m_z_r.data(), m_z_i.data());
}

void SnapEngine::compute_y(const double *beta)
{
  snap_host_compute_y(*m_t, m_z_r.data(), m_z_i.data(), beta, m_y_r.data(), m_y_i.data());
}

template <class F>
void SnapEngine::for_each_neighbour(int n, const int *jelem, F &&f)
{
  const int nu = m_t->idxu_max;
  for (int jj = 0; jj < n; ++jj) {
    const int c = m_desc->channel(jelem[jj]);
#if REVAL_HOST_SIMD
    // neighbour jj's U out of its interleaved group
    m_u1_r.resize(nu);
    m_u1_i.resize(nu);
    const double *gr = m_u_r.data() + static_cast<std::size_t>(jj / kNbLanes) * kNbLanes * nu + jj % kNbLanes;
    const double *gi = m_u_i.data() + static_cast<std::size_t>(jj / kNbLanes) * kNbLanes * nu + jj % kNbLanes;
    for (int k = 0; k < nu; ++k) {
      m_u1_r[k] = gr[kNbLanes * k];
      m_u1_i[k] = gi[kNbLanes * k];
    }
    const double *ur = m_u1_r.data(), *ui = m_u1_i.data();
#else
    const double *ur = m_u_r.data() + static_cast<std::size_t>(jj) * nu;
    const double *ui = m_u_i.data() + static_cast<std::size_t>(jj) * nu;
#endif
    f(jj, ur, ui, m_y_r.data() + c * nu, m_y_i.data() + c * nu);
  }
}

void SnapEngine::compute_dedr(int n, const int *jelem, double *dedr)
{
#if REVAL_HOST_SIMD
  snap_host_dedr(*m_t, m_geom.data(), n, [&](int jj) { return m_desc->channel(jelem[jj]); }, m_u_r.data(),
                 m_u_i.data(), m_y_r.data(), m_y_i.data(), m_adj4_r.data(), m_adj4_i.data(), dedr);
#else
  const SnapTablesView &t = *m_t;
  for_each_neighbour(n, jelem, [&](int jj, const double *ur, const double *ui, const double *yr, const double *yi) {
    snap_deidrj(t, m_geom[jj], ur, ui, yr, yi, m_adj_r.data(), m_adj_i.data(), dedr + 3 * jj);
  });
#endif
}

void SnapEngine::bispectrum(int ielem, int n, const double *rij, const int *jelem, double *B)
{
  compute_u_and_z(ielem, n, rij, jelem);
  compute_b(ielem, B);
}

void SnapEngine::forces(int ielem, int n, const double *rij, const int *jelem, const double *beta, double *dedr)
{
  compute_u_and_z(ielem, n, rij, jelem);
  compute_y(beta);
  compute_dedr(n, jelem, dedr);
}

void SnapEngine::forces_forward_du(int ielem, int n, const double *rij, const int *jelem, const double *beta,
                                   double *dedr)
{
  compute_u_and_z(ielem, n, rij, jelem);
  compute_y(beta);
  const SnapTablesView &t = *m_t;
  for_each_neighbour(n, jelem, [&](int jj, const double *ur, const double *ui, const double *yr, const double *yi) {
    snap_compute_du(t, m_geom[jj], ur, ui, m_adj_r.data(), m_adj_i.data());
    snap_deidrj_from_du(t, m_adj_r.data(), m_adj_i.data(), yr, yi, dedr + 3 * jj);
  });
}

void SnapEngine::bispectrum_derivatives(int ielem, int n, const double *rij, const int *jelem, double *B,
                                        double *dbdr)
{
  compute_u_and_z(ielem, n, rij, jelem);
  compute_b(ielem, B ? B : m_b.data());
  const SnapTablesView &t = *m_t;
  const std::size_t per_neighbour = 3 * static_cast<std::size_t>(t.ncoeff);
  if (!m_dbdr_plan) {    // built on first use (MD never needs it)
    m_dbdr_plan = std::make_shared<const SnapDbdrPlan>(*m_desc);
    m_zmat.assign(m_dbdr_plan->view().zmat_size, 0.0);
    m_dbdr_scratch.assign(3 * static_cast<std::size_t>(std::max(1, m_dbdr_plan->view().max_pairs)), 0.0);
  }
  const SnapDbdrPlanView &plan = m_dbdr_plan->view();
  snap_dbdr_zmat(t, plan, m_z_r.data(), m_z_i.data(), m_zmat.data());
  for_each_neighbour(n, jelem, [&](int jj, const double *ur, const double *ui, const double *, const double *) {
    dbdr_of_neighbour(t, plan, m_geom[jj], ur, ui, m_desc->channel(jelem[jj]), m_adj_r.data(), m_adj_i.data(),
                      m_zmat.data(), m_dbdr_scratch.data(), dbdr + jj * per_neighbour);
  });
}

void SnapEngine::check_models(const SnapModel *models, int M) const
{
  if (M < 1) throw Error("SnapEngine: no model");
  for (int m = 0; m < M; ++m)
    if (models[m].ndescriptors() != ncoeff() || models[m].nelements() != params().nelements())
      throw Error("SnapEngine::compute: the " + snap_model_kind_name(models[m].kind()) + " model has " +
                  std::to_string(models[m].nelements()) + " elements and " + std::to_string(models[m].ndescriptors()) +
                  " descriptors, the descriptor " + std::to_string(params().nelements()) + " and " +
                  std::to_string(ncoeff()));
}

double SnapEngine::models_energy_beta(const SnapModel *models, int M, int ielem, const double *B, double *beta_mean,
                                      double *E_members, double *beta_members)
{
  m_views.resize(M);
  int scratch = 0;
  for (int m = 0; m < M; ++m) {
    m_views[m] = models[m].view();
    scratch = std::max(scratch, models[m].scratch_size());
  }
  if (static_cast<int>(m_mscratch.size()) < scratch) m_mscratch.resize(scratch);
  m_tmp.resize(m_t->ncoeff);
  return snap_committee_energy_beta(m_views.data(), M, ielem, B, beta_mean, E_members, beta_members, m_t->ncoeff,
                                    m_tmp.data(), m_mscratch.data());
}

double SnapEngine::compute_mean(int ielem, int n, const double *rij, const int *jelem, const SnapModel *models, int M,
                                double *dedr, double *B, double *beta)
{
  check_models(models, M);
  compute_u_and_z(ielem, n, rij, jelem);
  double *b = B ? B : m_b.data();
  double *bt = beta ? beta : m_beta.data();
  compute_b(ielem, b);
  const double e = models_energy_beta(models, M, ielem, b, bt, nullptr, nullptr);
  compute_y(bt);
  compute_dedr(n, jelem, dedr);
  return e;
}

double SnapEngine::compute(int ielem, int n, const double *rij, const int *jelem, const SnapModel &model,
                           double *dedr, double *B, double *beta)
{
  return compute_mean(ielem, n, rij, jelem, &model, 1, dedr, B, beta);
}

double SnapEngine::compute(int ielem, int n, const double *rij, const int *jelem,
                           const std::vector<SnapModel> &models, double *dedr, double *B, double *beta)
{
  return compute_mean(ielem, n, rij, jelem, models.data(), static_cast<int>(models.size()), dedr, B, beta);
}

double SnapEngine::compute_members(int ielem, int n, const double *rij, const int *jelem,
                                   const std::vector<SnapModel> &models, double *E_members, double *dedr_members,
                                   double *dedr_mean, double *B)
{
  const int M = static_cast<int>(models.size());
  check_models(models.data(), M);
  compute_u_and_z(ielem, n, rij, jelem);
  double *b = B ? B : m_b.data();
  compute_b(ielem, b);
  const int nco = ncoeff();
  m_betas.resize(static_cast<std::size_t>(M) * nco);
  m_emem.resize(M);
  double *em = E_members ? E_members : m_emem.data();
  const double emean = models_energy_beta(models.data(), M, ielem, b, m_beta.data(), em, m_betas.data());
  const std::size_t per_member = static_cast<std::size_t>(n) * 3;
  for (int m = 0; m < M; ++m) {
    compute_y(m_betas.data() + static_cast<std::size_t>(m) * nco);
    compute_dedr(n, jelem, dedr_members + m * per_member);
  }
  if (dedr_mean) snap_committee_mean_rows(dedr_members, M, static_cast<long>(per_member), 3 * n, dedr_mean);
  return emean;
}

}    // namespace reval
