/* ----------------------------------------------------------------------
   REVAL: compute re/atom
   Builds on compute vacancy/sites (nearest / second-nearest site per atom). The migrating rule is
   the point kernel reval::kernels::is_migrating (keyword pairs). Distances to the nearest vacancy and
   the nearest migrating atom: the points (owned and ghost) are binned (reval::PointGrid) in bins of
   rmax; the atoms with a point in the 27 bins around theirs (their cell) are sorted by cell
   (reval::PointQueries), the points of a cell gathered once and measured from each of its atoms
   (kernels::re_atom_point_distances), capped at rmax: the cost per atom depends on the points within
   reach only; compute re/atom/kk runs the same kernels (on the host the same code). Ghost vacancies
   come from the sites compute, ghost migrating flags and positions by forward communication (with the
   current box: see migrating_points()).
------------------------------------------------------------------------- */

#include "compute_re_atom.h"

#include "adapter_utils.h"
#include "compute_vacancy_sites.h"
#include "lammps_bridge.h"
#include "site_analysis.h"

#include "core/point_grid.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "memory.h"
#include "modify.h"
#include "neighbor.h"
#include "update.h"
#include "utils.h"

#include <algorithm>
#include <cmath>

using namespace LAMMPS_NS;
namespace rk = reval::kernels;

enum { COL_FLAG = 0, COL_RS, COL_RV, COL_R, COL_SITE };

ComputeREAtom::ComputeREAtom(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), m_vac_grid(new reval::PointGrid), m_mig_grid(new reval::PointGrid),
    m_queries(new reval::PointQueries)
{
  if (narg < 4) error->all(FLERR, "compute re/atom: missing the ID of a compute vacancy/sites");
  m_id_sites = arg[3];
  int iarg = 4;
  while (iarg < narg) {
    std::string key = arg[iarg];
    if (key == "dre" || key == "rmax") {
      if (iarg + 1 >= narg) error->all(FLERR, "compute re/atom: '" + key + "' needs a value");
      double v = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      if (!(v > 0.0)) error->all(FLERR, "compute re/atom: " + key + " must be > 0 (got " + arg[iarg + 1] + ")");
      (key == "dre" ? m_dre : m_rmax) = v;
      iarg += 2;
    } else if (key == "pairs") {
      if (iarg + 1 >= narg) error->all(FLERR, "compute re/atom: 'pairs' needs a value (any or neighbours)");
      if (!rk::parse_site_pairs(arg[iarg + 1], m_pairs))
        error->all(FLERR, std::string("compute re/atom: pairs must be any or neighbours (got '") + arg[iarg + 1] +
                              "')");
      iarg += 2;
    } else {
      error->all(FLERR, "compute re/atom: unknown keyword '" + key + "'");
    }
  }
  peratom_flag = 1;
  size_peratom_cols = 5;
  scalar_flag = 1;
  extscalar = 0;
  comm_forward = 4;    // migrating flag, then x y z (of flagged atoms)
}

ComputeREAtom::~ComputeREAtom() = default;

void ComputeREAtom::init()
{
  int ic = modify->find_compute(m_id_sites);
  if (ic < 0) error->all(FLERR, "compute re/atom: compute vacancy/sites ID '" + m_id_sites + "' does not exist");
  m_sites = dynamic_cast<ComputeVacancySites *>(modify->compute[ic]);
  if (!m_sites)
    error->all(FLERR, "compute re/atom: compute " + m_id_sites + " is a compute " + modify->compute[ic]->style +
                          ", not a compute vacancy/sites");
  m_sites->request(reval_lmp::SiteRequest{std::string("compute ") + id, m_rmax, groupbit, !kokkosable, true});
}

void ComputeREAtom::setup()
{
  reval_lmp::require_ghost_cutoff(lmp, "compute re/atom", "rmax", m_rmax);
}

void ComputeREAtom::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  m_sites->analyse();
  const reval_lmp::SiteAnalysis &sa = m_sites->host_analysis();
  const double cap = m_sites->cap();

  if (atom->nmax > m_nmax) {
    m_nmax = atom->nmax;
    m_array_store.assign(5 * static_cast<size_t>(m_nmax), 0.0);
    m_array_rows.resize(m_nmax);
    for (int i = 0; i < m_nmax; ++i) m_array_rows[i] = &m_array_store[5 * static_cast<size_t>(i)];
    m_array = m_array_rows.data();
  }
  grow_comm_arrays();
  array_atom = m_array;

  const int nlocal = atom->nlocal;
  int *mask = atom->mask;
  const double *x = nlocal > 0 ? atom->x[0] : nullptr;    // LAMMPS' x is one block
  double *rows = m_array_store.data();                    // m_array's rows, 5 values each
  const auto box = reval_lmp::box_geom(domain);
  const auto sites = sa.grid.view(box);
  const double *px = sites.px, *py = sites.py, *pz = sites.pz;
  const double *gid_of_slot = sa.gid_of_slots().data();
  double nmig = 0.0;
  for (int i = 0; i < nlocal; ++i) {
    double *row = rows + 5 * static_cast<size_t>(i);
    if (!(mask[i] & groupbit)) {
      row[0] = row[1] = row[2] = row[3] = row[4] = 0.0;
      m_flag[i] = 0.0;
      continue;
    }
    const rk::NearestTwo &n = sa.nearest[i];
    double rs;
    const int flag = rk::re_atom_site_terms(n, px, py, pz, sa.nn_cut2, m_dre, cap, m_pairs, m_rmax, rs);
    m_flag[i] = flag;
    if (flag) std::copy(x + 3 * i, x + 3 * i + 3, &m_xpos[3 * static_cast<size_t>(i)]);
    row[COL_FLAG] = flag;
    row[COL_RS] = rs;
    row[COL_RV] = m_rmax;
    row[COL_R] = m_rmax;
    row[COL_SITE] = (n.s1 >= 0 && n.d1 <= m_rmax) ? gid_of_slot[n.s1] : 0.0;
    nmig += flag;
  }
  const std::vector<double> &mig = migrating_points(nmig);
  const std::vector<double> &vac = vacancy_points();
  build_point_grids(vac, mig);

  // distances to the nearest vacancy (owned or ghost copy) and the nearest migrating atom (owned or
  // ghost; a migrating atom is a point at 0 from itself: no search). The rows hold rmax from the first
  // pass: atoms with no point within rmax (most atoms of a crystal) are not visited again.
  const rk::PointGridView vg = m_vac_grid->view(), mg = m_mig_grid->view();
  if (vg.npoints == 0 && mg.npoints == 0) return;
  if (vg.npoints <= rk::kFewPoints && mg.npoints <= rk::kFewPoints) {
    // a few points: measuring all of them costs less than finding each atom's cell
    const rk::PointCandidates vc = rk::all_points(vg), mc = rk::all_points(mg);
    for (int i = 0; i < nlocal; ++i) {
      if (!(mask[i] & groupbit)) continue;
      double rv, r;
      rk::re_atom_point_distances(vc, mc, m_rmax, x + 3 * i, m_flag[i] > 0.5, rv, r);
      double *row = rows + 5 * static_cast<size_t>(i);
      if (rv < m_rmax) row[COL_RV] = rv;
      if (r < m_rmax) row[COL_R] = r;
    }
    return;
  }
  // the atoms with a point within reach, sorted by cell: each cell's candidates gathered once
  m_queries->collect(vg, mg, nlocal, x, mask, groupbit, m_flag);
  m_queries->run(vg, mg);
  const int *qa = m_queries->atoms();
  const double *qrv = m_queries->rv(), *qr = m_queries->r();
  for (int q = 0; q < m_queries->nqueries(); ++q) {
    double *row = rows + 5 * static_cast<size_t>(qa[q]);
    if (qrv[q] < m_rmax) row[COL_RV] = qrv[q];
    if (qr[q] < m_rmax) row[COL_R] = qr[q];
  }
}

void ComputeREAtom::build_point_grids(const std::vector<double> &vac, const std::vector<double> &mig)
{
  // region: this rank's sub-domain, grown by rmax + skin (owned atoms stray up to skin/2 from it
  // between reneighbourings; points beyond the region go into the edge bins, which stays exact)
  const auto box = reval_lmp::box_geom(domain);
  double lo[3], hi[3];
  reval_lmp::own_lamda_box(comm, lo, hi);
  for (int d = 0; d < 3; ++d) {
    const double m = (m_rmax + neighbor->skin) * rk::lamda_per_length(box, d);
    lo[d] -= m;
    hi[d] += m;
  }
  m_vac_grid->build(box, lo, hi, vac.data(), static_cast<int>(vac.size() / 3), m_rmax);
  m_mig_grid->build(box, lo, hi, mig.data(), static_cast<int>(mig.size() / 3), m_rmax);
}

double ComputeREAtom::compute_scalar()
{
  invoked_scalar = update->ntimestep;
  if (invoked_peratom != update->ntimestep) compute_peratom();
  scalar = m_nmigrating;
  return scalar;
}

void ComputeREAtom::grow_comm_arrays()
{
  if (m_nmax_comm >= atom->nmax) return;
  m_nmax_comm = atom->nmax;
  m_flag_store.resize(m_nmax_comm);
  m_flag = m_flag_store.data();
  m_xpos.resize(3 * static_cast<size_t>(m_nmax_comm));
}

const std::vector<double> &ComputeREAtom::migrating_points(double nmig_local)
{
  MPI_Allreduce(&nmig_local, &m_nmigrating, 1, MPI_DOUBLE, MPI_SUM, world);
  std::vector<double> &pts = m_mig_pts;
  pts.clear();
  if (m_nmigrating == 0.0) return pts;    // none anywhere: no ghost flags needed (all ranks agree)
  reval_lmp::forward_comm(comm, this);
  const int nall = atom->nlocal + atom->nghost;
  for (int j = 0; j < nall; ++j)    // one pass; the member keeps its capacity from step to step
    if (m_flag[j] > 0.5)
      for (int d = 0; d < 3; ++d) pts.push_back(m_xpos[3 * static_cast<size_t>(j) + d]);
  return pts;
}

int ComputeREAtom::pack_forward_comm(int n, int *list, double *buf, int pbc_flag, int *pbc)
{
  // the periodic shift of the current box, as AtomVec::pack_comm applies it to positions
  double dx = 0.0, dy = 0.0, dz = 0.0;
  if (pbc_flag) {
    dx = pbc[0] * domain->xprd;
    dy = pbc[1] * domain->yprd;
    dz = pbc[2] * domain->zprd;
    if (domain->triclinic) {
      dx += pbc[5] * domain->xy + pbc[4] * domain->xz;
      dy += pbc[3] * domain->yz;
    }
  }
  // the flag of every atom, followed by x y z only for a flagged one (the buffers hold comm_forward = 4
  // values per atom; LAMMPS sends the count returned)
  int m = 0;
  for (int k = 0; k < n; ++k) {
    const int j = list[k];    // an owned atom, or a ghost received in an earlier swap
    buf[m++] = m_flag[j];
    if (m_flag[j] > 0.5) {
      buf[m++] = m_xpos[3 * j] + dx;
      buf[m++] = m_xpos[3 * j + 1] + dy;
      buf[m++] = m_xpos[3 * j + 2] + dz;
    }
  }
  return m;
}

void ComputeREAtom::unpack_forward_comm(int n, int first, double *buf)
{
  int m = 0;
  for (int k = 0; k < n; ++k) {
    m_flag[first + k] = buf[m++];
    if (m_flag[first + k] > 0.5) {
      std::copy(buf + m, buf + m + 3, &m_xpos[3 * static_cast<size_t>(first + k)]);
      m += 3;
    }
  }
}

double ComputeREAtom::memory_usage()
{
  return static_cast<double>(m_nmax) * 5 * sizeof(double) + static_cast<double>(m_nmax_comm) * 4 * sizeof(double) +
      static_cast<double>(m_mig_pts.capacity() + m_vac_pts.capacity()) * sizeof(double) + m_vac_grid->memory_usage() +
      m_mig_grid->memory_usage() + m_queries->memory_usage();
}

const std::vector<double> &ComputeREAtom::vacancy_points()
{
  m_sites->exchange_ghost_occupancy();
  const reval_lmp::SiteAnalysis &sa = m_sites->analysis();
  const auto box = reval_lmp::box_geom(domain);
  std::vector<double> &pts = m_vac_pts;
  pts.clear();
  auto add_site = [&](int l) {
    double xs[3];
    rk::lamda2x(box, &sa.lam[3 * static_cast<size_t>(l)], xs);
    for (int d = 0; d < 3; ++d) pts.push_back(xs[d]);
  };
  for (int l : sa.vacancies) add_site(l);
  for (int j = 0; j < sa.nghost; ++j)
    if (sa.ghost_occupancy[j] == 0) add_site(sa.nown + j);
  return pts;
}
