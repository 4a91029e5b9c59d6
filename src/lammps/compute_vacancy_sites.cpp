/* ----------------------------------------------------------------------
   REVAL: compute vacancy/sites
   Static sites (lattice, file or initial positions) stored in lamda coordinates, owned by the
   sub-domain they lie in, with ghost copies of the sites near each sub-domain. Per timestep: every
   requested atom finds its nearest and second-nearest site (exact binned search, point kernels in
   kernels/point/site_search.hpp); owned sites count the group atoms within rvac, from owned and
   ghost atoms, so no reduction of per-site data across ranks is needed.
------------------------------------------------------------------------- */

#include "compute_vacancy_sites.h"

#include "adapter_utils.h"
#include "lammps_bridge.h"
#include "site_analysis.h"

#include "core/error.h"
#include "core/static_sites.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "fix.h"
#include "group.h"
#include "irregular.h"
#include "lattice.h"
#include "memory.h"
#include "modify.h"
#include "neighbor.h"
#include "update.h"
#include "utils.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace LAMMPS_NS;
using reval_lmp::SiteAnalysis;
namespace rk = reval::kernels;

namespace {

struct SiteRecord {    // one site on the wire
  double lam[3];
  int64_t gid;
  int owner_proc, owner_local;    // set for ghost copies
};

struct SiteHit {    // atoms counted at a ghost copy, sent back to the owner
  int local, count;
};

constexpr double kDefaultCap = 5.5;          // science.md: distances capped at 5.5 Å
constexpr double kMarginSlack = 1.15;        // ghost margin kept beyond the need (box deformation)
constexpr double kNeighbourTolerance = 1.1;  // two sites are neighbours if closer than 1.1 d_nn
constexpr double kListRadius = 1.5;          // site neighbour lists reach 1.5 d_nn
constexpr double kListRebuild = 0.9;         // ... rebuilt when deformation shrinks their valid radius by 10%
constexpr double kDuplicateSite = 1e-6;      // two sites closer than 1e-6 rvac are the same site listed twice

}    // namespace

/* ---------------------------------------------------------------------- */

ComputeVacancySites::ComputeVacancySites(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), m_sa(new SiteAnalysis)
{
  scalar_flag = vector_flag = local_flag = 1;
  size_vector = 4;
  size_local_rows = 0;
  size_local_cols = 4;
  extscalar = 0;
  extvector = 0;
  m_atom_mask = groupbit;

  std::string file;
  int iarg = 3;
  while (iarg < narg) {
    std::string key = arg[iarg];
    if (key == "sites") {
      if (iarg + 1 >= narg) error->all(FLERR, "compute vacancy/sites: 'sites' needs lattice, file FILE or initial");
      std::string what = arg[iarg + 1];
      if (what == "lattice") {
        m_source = LATTICE;
        iarg += 2;
      } else if (what == "initial") {
        m_source = INITIAL;
        iarg += 2;
      } else if (what == "file") {
        if (iarg + 2 >= narg) error->all(FLERR, "compute vacancy/sites: 'sites file' needs a file name");
        m_source = FILE;
        file = arg[iarg + 2];
        iarg += 3;
      } else {
        error->all(FLERR, "compute vacancy/sites: unknown site source '" + what +
                              "' (use sites lattice, sites file FILE or sites initial)");
      }
    } else if (key == "rvac") {
      if (iarg + 1 >= narg) error->all(FLERR, "compute vacancy/sites: 'rvac' needs a value");
      m_rvac = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      if (!(m_rvac > 0.0))
        error->all(FLERR, "compute vacancy/sites: rvac must be > 0 (got " + std::string(arg[iarg + 1]) + ")");
      iarg += 2;
    } else {
      error->all(FLERR, "compute vacancy/sites: unknown keyword '" + key + "'");
    }
  }
  m_cap = std::max(kDefaultCap, m_rvac);

  if (domain->nonperiodic == 2)
    error->all(FLERR, "compute vacancy/sites: shrink-wrapped boundaries are not supported (sites are fixed in "
                      "fractional coordinates and would move with the box); use 'p' or 'f' boundaries");

  if (m_source == LATTICE)
    capture_lattice();
  else if (m_source == FILE)
    read_sites_file(file);
  else {
    // initial positions live in a restartable per-atom store: lamda x y z + "captured" flag
    m_id_store = std::string(id) + "_REVAL_SITES";
    modify->add_fix(reval_lmp::store_atom_command(m_id_store, group->names[igroup], 4));
  }
}

ComputeVacancySites::~ComputeVacancySites()
{
  delete m_ghost_plan;
  delete m_reverse_plan;
  memory->destroy(m_local);
  if (!m_id_store.empty() && modify && modify->find_fix(m_id_store) >= 0) modify->delete_fix(m_id_store);
}

/* ---------------------------------------------------------------------- */

void ComputeVacancySites::capture_lattice()
{
  Lattice *lat = domain->lattice;
  if (lat == nullptr || lat->style == Lattice::NONE)
    error->all(FLERR, "compute vacancy/sites: 'sites lattice' needs a lattice, but no lattice command was given "
                      "(define one with 'lattice', or use 'sites file FILE' or 'sites initial')");
  reval::LatticeMap map;
  double o[3] = {0.0, 0.0, 0.0};
  lat->lattice2box(o[0], o[1], o[2]);
  for (int d = 0; d < 3; ++d) map.p0[d] = o[d];
  for (int c = 0; c < 3; ++c) {
    double e[3] = {0.0, 0.0, 0.0};
    e[c] = 1.0;
    lat->lattice2box(e[0], e[1], e[2]);
    for (int d = 0; d < 3; ++d) map.a[c][d] = e[d] - o[d];
  }
  for (int m = 0; m < lat->nbasis; ++m) map.basis.push_back({lat->basis[m][0], lat->basis[m][1], lat->basis[m][2]});

  reval::ProcBox own;
  reval_lmp::own_lamda_box(comm, own.lo, own.hi);
  SiteAnalysis &sa = *m_sa;
  sa.lam.clear();
  sa.gid.clear();
  try {
    sa.nsites_total = reval::enumerate_lattice_sites(reval_lmp::box_geom(domain), map, [&](int64_t i, const double *l) {
      if (reval::in_proc_box(own, l)) {
        sa.lam.insert(sa.lam.end(), l, l + 3);
        sa.gid.push_back(i);
      }
    });
  } catch (reval::Error &e) {
    error->all(FLERR, std::string("compute vacancy/sites: ") + e.what());
  }
  if (sa.nsites_total == 0)
    error->all(FLERR, "compute vacancy/sites: the lattice places no site inside the box");
  sa.nown = static_cast<int>(sa.gid.size());
  sa.has_lattice = true;
  sa.lattice = map;
  sa.capture_box = reval_lmp::box_geom(domain);
  m_have_sites = true;
}

void ComputeVacancySites::read_sites_file(const std::string &path)
{
  std::vector<std::array<double, 3>> sites;
  std::string msg;
  const auto box = reval_lmp::box_geom(domain);
  std::vector<double> lam;
  if (comm->me == 0) {
    std::ifstream in(path);
    if (!in) {
      msg = "compute vacancy/sites: cannot open site file '" + path + "': " + std::strerror(errno);
    } else {
      try {
        sites = reval::read_site_file(in, path);
        lam.resize(3 * sites.size());
        for (size_t i = 0; i < sites.size() && msg.empty(); ++i)
          if (!reval::site_lamda_in_box(box, sites[i].data(), &lam[3 * i])) {
            std::ostringstream os;
            os << "compute vacancy/sites: site " << i + 1 << " of " << path << " at (" << sites[i][0] << ", "
               << sites[i][1] << ", " << sites[i][2] << ") is outside the box";
            msg = os.str();
          }
      } catch (reval::Error &e) {
        msg = std::string("compute vacancy/sites: ") + e.what();
      }
    }
  }
  reval_lmp::error_all_from_root(lmp, msg, FLERR);

  // broadcast in chunks; every rank keeps the sites inside its sub-domain
  int64_t n = static_cast<int64_t>(lam.size() / 3);
  MPI_Bcast(&n, 1, MPI_INT64_T, 0, world);
  reval::ProcBox own;
  reval_lmp::own_lamda_box(comm, own.lo, own.hi);
  SiteAnalysis &sa = *m_sa;
  sa.lam.clear();
  sa.gid.clear();
  const int64_t chunk = 1 << 18;
  std::vector<double> buf;
  for (int64_t start = 0; start < n; start += chunk) {
    const int64_t m = std::min(chunk, n - start);
    buf.resize(3 * m);
    if (comm->me == 0) std::copy(lam.begin() + 3 * start, lam.begin() + 3 * (start + m), buf.begin());
    MPI_Bcast(buf.data(), static_cast<int>(3 * m), MPI_DOUBLE, 0, world);
    for (int64_t i = 0; i < m; ++i)
      if (reval::in_proc_box(own, &buf[3 * i])) {
        sa.lam.insert(sa.lam.end(), &buf[3 * i], &buf[3 * i] + 3);
        sa.gid.push_back(start + i + 1);
      }
  }
  sa.nown = static_cast<int>(sa.gid.size());
  sa.nsites_total = n;
  m_have_sites = true;
}

void ComputeVacancySites::capture_initial()
{
  int ifix = modify->find_fix(m_id_store);
  if (ifix < 0) error->all(FLERR, "compute vacancy/sites: its internal fix " + m_id_store + " was deleted");
  auto *store = dynamic_cast<reval_lmp::StoreAtomFix *>(modify->fix[ifix]);
  if (!store) error->all(FLERR, "compute vacancy/sites: fix " + m_id_store + " is not the internal store");
  double **st = store->astore;
  const int nlocal = atom->nlocal;
  int *mask = atom->mask;
  double **x = atom->x;

  // restored from a restart file (some atom carries the flag) -> do not capture again
  int mine = 0, any = 0;
  for (int i = 0; i < nlocal; ++i)
    if ((mask[i] & groupbit) && st[i][3] > 0.5) mine = 1;
  MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, world);
  const auto box = reval_lmp::box_geom(domain);
  if (!any) {
    for (int i = 0; i < nlocal; ++i) {
      if (!(mask[i] & groupbit)) continue;
      double l[3];
      rk::x2lamda(box, x[i], l);
      for (int d = 0; d < 3; ++d)
        if (box.periodic[d]) l[d] = rk::wrap_unit(l[d]);
      for (int d = 0; d < 3; ++d) st[i][d] = l[d];
      st[i][3] = 1.0;
    }
  }
  SiteAnalysis &sa = *m_sa;
  sa.lam.clear();
  sa.gid.clear();
  for (int i = 0; i < nlocal; ++i)
    if ((mask[i] & groupbit) && st[i][3] > 0.5) {
      sa.lam.insert(sa.lam.end(), st[i], st[i] + 3);
      sa.gid.push_back(static_cast<int64_t>(atom->tag[i]));
    }
  sa.nown = static_cast<int>(sa.gid.size());
  int64_t mine64 = sa.nown;
  MPI_Allreduce(&mine64, &sa.nsites_total, 1, MPI_INT64_T, MPI_SUM, world);
  if (sa.nsites_total == 0) error->all(FLERR, "compute vacancy/sites: 'sites initial' found no atoms in the group");
  m_have_sites = true;
  // the sites still sit with the atoms' owners: make distribute() move them to the sub-domains
  delete m_ghost_plan;
  m_ghost_plan = nullptr;
  sa.own_box = reval::ProcBox{{-1, -1, -1}, {-1, -1, -1}};
}

/* ---------------------------------------------------------------------- */

void ComputeVacancySites::follow_box_flips()
{
  const auto box = reval_lmp::box_geom(domain);
  if (m_box_known) {
    const auto m = reval::box_flip(m_box_last, box);
    if (m[0] || m[1] || m[2]) {
      SiteAnalysis &sa = *m_sa;
      for (int i = 0; i < sa.nown; ++i) reval::apply_box_flip(m, box.periodic, &sa.lam[3 * i]);
      if (m_source == INITIAL) {    // the restartable copy must follow too
        int ifix = modify->find_fix(m_id_store);
        auto *store = ifix >= 0 ? dynamic_cast<reval_lmp::StoreAtomFix *>(modify->fix[ifix]) : nullptr;
        if (store)
          for (int i = 0; i < atom->nlocal; ++i)
            if (store->astore[i][3] > 0.5) reval::apply_box_flip(m, box.periodic, store->astore[i]);
      }
      delete m_ghost_plan;    // owned sites may now belong elsewhere: redistribute
      m_ghost_plan = nullptr;
    }
  }
  m_box_last = box;
  m_box_known = true;
}

void ComputeVacancySites::current_own_box(double lo[3], double hi[3]) const
{
  reval_lmp::own_lamda_box(comm, lo, hi);
}

double ComputeVacancySites::ghost_margin() const
{
  return std::max(m_cap, m_rvac) + neighbor->skin;
}

bool ComputeVacancySites::needs_distribution() const
{
  int need = 0;
  if (!m_ghost_plan) need = 1;
  double lo[3], hi[3];
  current_own_box(lo, hi);
  const auto box = reval_lmp::box_geom(domain);
  for (int d = 0; d < 3 && !need; ++d) {
    if (lo[d] != m_sa->own_box.lo[d] || hi[d] != m_sa->own_box.hi[d]) need = 1;
    if (ghost_margin() * rk::lamda_per_length(box, d) > m_sa->margin_lamda[d]) need = 1;
  }
  int any = 0;
  MPI_Allreduce(&need, &any, 1, MPI_INT, MPI_MAX, world);
  return any != 0;
}

void ComputeVacancySites::distribute()
{
  SiteAnalysis &sa = *m_sa;
  const int nprocs = comm->nprocs, me = comm->me;
  reval::ProcBox own;
  current_own_box(own.lo, own.hi);
  std::vector<reval::ProcBox> boxes(nprocs);
  MPI_Allgather(&own, 6, MPI_DOUBLE, boxes.data(), 6, MPI_DOUBLE, world);

  // 1. owned sites move to the rank whose sub-domain holds them (after balance or first capture)
  std::vector<SiteRecord> keep, send;
  std::vector<int> procs;
  for (int i = 0; i < sa.nown; ++i) {
    SiteRecord r{{sa.lam[3 * i], sa.lam[3 * i + 1], sa.lam[3 * i + 2]}, sa.gid[i], me, i};
    if (reval::in_proc_box(own, r.lam)) {
      keep.push_back(r);
      continue;
    }
    int owner = me;
    for (int q = 0; q < nprocs; ++q)
      if (reval::in_proc_box(boxes[q], r.lam)) {
        owner = q;
        break;
      }
    if (owner == me) {
      keep.push_back(r);
    } else {
      send.push_back(r);
      procs.push_back(owner);
    }
  }
  {
    Irregular irr(lmp);
    int nrecv = irr.create_data(static_cast<int>(send.size()), procs.data(), 1);
    std::vector<SiteRecord> recv(nrecv);
    irr.exchange_data(reinterpret_cast<char *>(send.data()), sizeof(SiteRecord),
                      reinterpret_cast<char *>(recv.data()));
    irr.destroy_data();
    keep.insert(keep.end(), recv.begin(), recv.end());
  }
  // deterministic order of owned sites (by global index), whatever the history of migrations
  std::sort(keep.begin(), keep.end(), [](const SiteRecord &a, const SiteRecord &b) { return a.gid < b.gid; });
  sa.nown = static_cast<int>(keep.size());

  // 2. ghost copies: sites within the margin of a sub-domain (periodic images included)
  const auto box = reval_lmp::box_geom(domain);
  double margin[3];
  for (int d = 0; d < 3; ++d) margin[d] = ghost_margin() * rk::lamda_per_length(box, d) * kMarginSlack;
  std::vector<reval::GhostTarget> targets;
  std::vector<SiteRecord> gsend;
  std::vector<int> gprocs;
  m_ghost_src.clear();
  for (int i = 0; i < sa.nown; ++i) {
    targets.clear();
    reval::ghost_targets(keep[i].lam, own, boxes, margin, box.periodic, me, targets);
    for (auto &t : targets) {
      SiteRecord r = keep[i];
      r.owner_proc = me;
      r.owner_local = i;
      for (int d = 0; d < 3; ++d) r.lam[d] += t.shift[d];
      gsend.push_back(r);
      gprocs.push_back(t.proc);
      m_ghost_src.push_back(i);
    }
  }
  delete m_ghost_plan;
  m_ghost_plan = new Irregular(lmp);
  const int nghost = m_ghost_plan->create_data(static_cast<int>(gsend.size()), gprocs.data(), 1);
  std::vector<SiteRecord> grecv(nghost);
  m_ghost_plan->exchange_data(reinterpret_cast<char *>(gsend.data()), sizeof(SiteRecord),
                              reinterpret_cast<char *>(grecv.data()));
  sa.nghost = nghost;

  sa.lam.resize(3 * static_cast<size_t>(sa.nown + sa.nghost));
  sa.gid.resize(sa.nown + sa.nghost);
  for (int i = 0; i < sa.nown; ++i) {
    std::copy(keep[i].lam, keep[i].lam + 3, &sa.lam[3 * i]);
    sa.gid[i] = keep[i].gid;
  }
  for (int j = 0; j < nghost; ++j) {
    std::copy(grecv[j].lam, grecv[j].lam + 3, &sa.lam[3 * (sa.nown + j)]);
    sa.gid[sa.nown + j] = grecv[j].gid;
  }
  sa.own_box = own;
  for (int d = 0; d < 3; ++d) sa.margin_lamda[d] = margin[d];

  // reverse plan: atoms counted at a ghost copy are added to the owner's count. Only ghost copies
  // that an owned atom can reach within rvac take part (owned atoms stay within skin of the box).
  std::vector<int> owner_procs;
  m_reverse_ghost.clear();
  m_ghost_owner_local.clear();
  for (int j = 0; j < nghost; ++j) {
    bool near = true;
    for (int d = 0; d < 3; ++d) {
      const double reach = (m_rvac + neighbor->skin) * rk::lamda_per_length(box, d) * kMarginSlack;
      if (grecv[j].lam[d] < own.lo[d] - reach || grecv[j].lam[d] >= own.hi[d] + reach) near = false;
    }
    if (!near) continue;
    owner_procs.push_back(grecv[j].owner_proc);
    m_ghost_owner_local.push_back(grecv[j].owner_local);
    m_reverse_ghost.push_back(j);
  }
  delete m_reverse_plan;
  m_reverse_plan = new Irregular(lmp);
  m_reverse_nrecv = m_reverse_plan->create_data(static_cast<int>(owner_procs.size()), owner_procs.data(), 1);

  // 3. bins over the sub-domain plus margin; about one site per bin
  double lo[3], hi[3];
  for (int d = 0; d < 3; ++d) {
    lo[d] = own.lo[d] - margin[d];
    hi[d] = own.hi[d] + margin[d];
  }
  double volume = domain->xprd * domain->yprd * domain->zprd;
  double spacing = std::cbrt(volume / std::max<double>(1.0, static_cast<double>(sa.nsites_total)));
  double width = std::max(m_rvac, spacing);
  sa.grid.layout(box, lo, hi, width);
  sa.grid.assign_lamda(sa.lam.data(), sa.nown + sa.nghost);
  sa.occupancy.assign(sa.nown, 0);
  sa.ghost_occupancy.assign(sa.nghost, 0);
  m_ghost_exchanged = -1;
  ++m_grid_epoch;
  if (m_nn_done) build_site_lists();
}

void ComputeVacancySites::build_site_lists()
{
  SiteAnalysis &sa = *m_sa;
  const auto box = reval_lmp::box_geom(domain);
  sa.grid.coords_from_lamda(box);
  double lo[3], hi[3];
  for (int d = 0; d < 3; ++d) {
    lo[d] = sa.own_box.lo[d] - sa.margin_lamda[d];
    hi[d] = sa.own_box.hi[d] + sa.margin_lamda[d];
  }
  sa.lists.build(sa.grid, sa.lam.data(), box, lo, hi, kListRadius * sa.nn_distance);
  ++m_grid_epoch;
}

void ComputeVacancySites::estimate_nn_distance()
{
  SiteAnalysis &sa = *m_sa;
  const auto box = reval_lmp::box_geom(domain);
  sa.grid.coords_from_lamda(box);
  auto view = sa.grid.view(box);
  if (sa.nsites_total < 2)
    error->all(FLERR, fmt::format("compute vacancy/sites: {} static site{}; the analysis needs at least 2 (a "
                                  "nearest-neighbour site spacing)", sa.nsites_total, sa.nsites_total ? "" : "s"));
  double sum[2] = {0.0, 0.0}, all[2];
  // the closest pair of distinct sites (duplicated or overlapping sites make fake vacancies and fake
  // migrating atoms): its distance and the two global site IDs
  struct {
    double d;
    int rank;
  } closest{m_cap, comm->me}, closest_all;
  int64_t pair[2] = {0, 0};
  for (int i = 0; i < sa.nown; ++i) {
    double x[3];
    rk::lamda2x(box, &sa.lam[3 * i], x);
    rk::NearestTwo n = rk::nearest_two_sites(view, x, m_cap);
    if (n.s2 >= 0 && n.d2 < m_cap) {    // one of s1, s2 is the site itself (both at 0 for a duplicate)
      sum[0] += n.d2;
      sum[1] += 1.0;
      if (n.d2 < closest.d) {
        closest.d = n.d2;
        const int other = sa.local_of_slot(n.s1) == i ? n.s2 : n.s1;
        pair[0] = sa.gid[i];
        pair[1] = sa.gid[sa.local_of_slot(other)];
      }
    }
  }
  MPI_Allreduce(sum, all, 2, MPI_DOUBLE, MPI_SUM, world);
  MPI_Allreduce(&closest, &closest_all, 1, MPI_DOUBLE_INT, MPI_MINLOC, world);
  MPI_Bcast(pair, 2, MPI_INT64_T, closest_all.rank, world);
  if (all[1] == 0.0)
    error->all(FLERR, fmt::format("compute vacancy/sites: no two of the {} static sites are closer than {} (the "
                                  "search cap): the sites do not form a lattice whose neighbour spacing can be "
                                  "found", sa.nsites_total, m_cap));
  // duplicates first (they also spoil the mean spacing), then rvac against the mean spacing, then pairs
  // of sites closer than rvac
  auto too_close = [&](const char *what) {
    const std::string a = std::to_string(std::min(pair[0], pair[1])), b = std::to_string(std::max(pair[0], pair[1]));
    const std::string which = m_source == FILE ? "sites " + a + " and " + b + " of the site file"
        : (m_source == INITIAL ? "the initial sites of atoms " + a + " and " + b : "lattice sites " + a + " and " + b);
    error->all(FLERR, fmt::format("compute vacancy/sites: {} are {:.6g} apart, {} (rvac = {}): one atom would "
                                  "occupy both, making fake vacancies and migrating atoms",
                                  which, closest_all.d, what, m_rvac));
  };
  if (closest_all.d < kDuplicateSite * m_rvac) too_close("duplicates");
  sa.nn_distance = all[0] / all[1];
  sa.nn_cut2 = std::pow(kNeighbourTolerance * sa.nn_distance, 2);
  if (m_rvac >= sa.nn_distance)
    error->all(FLERR, fmt::format("compute vacancy/sites: rvac ({}) must be smaller than the nearest-neighbour "
                                  "site spacing ({:.4f}): one atom would occupy several sites",
                                  m_rvac, sa.nn_distance));
  if (closest_all.d < m_rvac) too_close("closer than rvac");
  if (comm->me == 0)
    utils::logmesg(lmp, fmt::format("compute vacancy/sites {}: {} sites, nearest-neighbour spacing {:.4f}, "
                                    "rvac {}\n", id, sa.nsites_total, sa.nn_distance, m_rvac));
  m_nn_done = true;
  build_site_lists();
}

/* ---------------------------------------------------------------------- */

void ComputeVacancySites::add_user(double cap, int user_groupbit)
{
  if (cap > m_cap) {
    m_cap = cap;
    delete m_ghost_plan;    // a larger cap needs a larger ghost margin
    m_ghost_plan = nullptr;
  }
  m_atom_mask |= user_groupbit;
}

void ComputeVacancySites::init()
{
  if (m_source == INITIAL && modify->find_fix(m_id_store) < 0)
    error->all(FLERR, "compute vacancy/sites: its internal fix " + m_id_store + " was deleted");
}

void ComputeVacancySites::check_box()
{
  if (domain->nonperiodic == 2)
    error->all(FLERR, "compute vacancy/sites: shrink-wrapped boundaries are not supported (sites are fixed in "
                      "fractional coordinates and would move with the box); use 'p' or 'f' boundaries");
  const double need = m_rvac + neighbor->skin, have = reval_lmp::ghost_atom_cutoff(lmp);
  if (need > have)
    error->all(FLERR, fmt::format("compute vacancy/sites: rvac ({}) plus the neighbor skin ({}) exceeds the "
                                  "ghost-atom cutoff ({}); use 'comm_modify cutoff {}' or larger",
                                  m_rvac, neighbor->skin, have, need));
}

void ComputeVacancySites::setup()
{
  check_box();
  m_updated = -1;    // atoms may have been changed by commands between runs
  prepare_sites();
}

void ComputeVacancySites::prepare_sites()
{
  if (!m_have_sites) capture_initial();
  follow_box_flips();
  if (needs_distribution()) distribute();
  if (!m_nn_done) estimate_nn_distance();
}

void ComputeVacancySites::analyse()
{
  if (m_updated == update->ntimestep) return;
  prepare_sites();

  SiteAnalysis &sa = *m_sa;
  const auto box = reval_lmp::box_geom(domain);
  const int nsites = sa.nown + sa.nghost;
  if (!sa.grid.thick_enough(box, m_rvac)) {    // strong deformation: bins must stay >= rvac thick
    double lo[3], hi[3];
    for (int d = 0; d < 3; ++d) {
      lo[d] = sa.own_box.lo[d] - sa.margin_lamda[d];
      hi[d] = sa.own_box.hi[d] + sa.margin_lamda[d];
    }
    const double spacing = std::cbrt(domain->xprd * domain->yprd * domain->zprd /
                                     std::max<double>(1.0, static_cast<double>(sa.nsites_total)));
    sa.grid.layout(box, lo, hi, std::max(m_rvac, spacing));
    sa.grid.assign_lamda(sa.lam.data(), nsites);
    build_site_lists();
  } else if (sa.lists.radius_now(box) < kListRebuild * sa.lists.build_radius()) {
    build_site_lists();
  }
  const double nfar = search_atoms();
  finish_analysis(nfar);
}

double ComputeVacancySites::search_atoms()
{
  SiteAnalysis &sa = *m_sa;
  const auto box = reval_lmp::box_geom(domain);
  const int nsites = sa.nown + sa.nghost;
  refresh_site_coords();
  const auto view = sa.grid.view(box);
  const auto lview = sa.lists.view(box);
  const int *order = sa.grid.order().data();

  const int nlocal = atom->nlocal;
  double **x = atom->x;
  int *mask = atom->mask;
  if (static_cast<int>(sa.nearest.size()) < atom->nmax) sa.nearest.resize(atom->nmax);
  if (static_cast<int>(m_guess.size()) < atom->nmax) m_guess.resize(atom->nmax, -1);
  m_occ_all.assign(nsites, 0);
  int *occ = m_occ_all.data();
  const auto count = [occ](int local) { ++occ[local]; };

  // last step's nearest sites are good guesses while atoms keep their indices (no reneighboring)
  const bool cache = guesses_valid();
  double nfar = 0.0;
  for (int i = 0; i < nlocal; ++i) {
    if (!(mask[i] & m_atom_mask)) continue;
    const bool in_group = (mask[i] & groupbit) != 0;
    const rk::NearestTwo n =
        rk::site_analyse_atom(view, lview, cache ? m_guess[i] : -1, x[i], m_cap, m_rvac, in_group, order, count);
    sa.nearest[i] = n;
    m_guess[i] = n.s1;
    if (in_group && n.d1 > m_rvac) nfar += 1.0;
  }
  guesses_stored();
  return nfar;
}

bool ComputeVacancySites::refresh_site_coords()
{
  // Cartesian site coordinates change only with the box (or a new grid)
  const auto box = reval_lmp::box_geom(domain);
  bool same_box = m_coords_epoch == m_grid_epoch;
  for (int k = 0; k < 6 && same_box; ++k) same_box = (box.h[k] == m_coords_box.h[k]);
  for (int d = 0; d < 3 && same_box; ++d) same_box = (box.boxlo[d] == m_coords_box.boxlo[d]);
  if (same_box) return false;
  m_sa->grid.coords_from_lamda(box);
  m_coords_box = box;
  m_coords_epoch = m_grid_epoch;
  return true;
}

bool ComputeVacancySites::guesses_valid() const
{
  return m_cache_lastcall == neighbor->lastcall && m_cache_nlocal == atom->nlocal && m_cache_epoch == m_grid_epoch;
}

void ComputeVacancySites::guesses_stored()
{
  m_cache_lastcall = neighbor->lastcall;
  m_cache_nlocal = atom->nlocal;
  m_cache_epoch = m_grid_epoch;
}

void ComputeVacancySites::finish_analysis(double nfar)
{
  SiteAnalysis &sa = *m_sa;
  // atoms counted at ghost copies go to the owners of those sites
  std::vector<SiteHit> send(m_reverse_ghost.size()), recv(m_reverse_nrecv);
  for (size_t k = 0; k < m_reverse_ghost.size(); ++k)
    send[k] = SiteHit{m_ghost_owner_local[k], m_occ_all[sa.nown + m_reverse_ghost[k]]};
  m_reverse_plan->exchange_data(reinterpret_cast<char *>(send.data()), sizeof(SiteHit),
                                reinterpret_cast<char *>(recv.data()));
  std::copy(m_occ_all.begin(), m_occ_all.begin() + sa.nown, sa.occupancy.begin());
  for (auto &h : recv) sa.occupancy[h.local] += h.count;
  int lost = 0;
  for (int j = 0; j < sa.nghost; ++j) lost += m_occ_all[sa.nown + j];
  for (int j : m_reverse_ghost) lost -= m_occ_all[sa.nown + j];
  if (lost)
    error->one(FLERR, "compute vacancy/sites: an atom moved farther than the neighbor skin out of its sub-domain "
                      "without reneighboring; use 'neigh_modify check yes' or reneighbor more often");

  double local[4] = {0.0, 0.0, static_cast<double>(sa.nown), nfar};
  sa.vacancies.clear();
  for (int s = 0; s < sa.nown; ++s) {
    if (sa.occupancy[s] == 0) {
      local[0] += 1.0;
      sa.vacancies.push_back(s);
    } else if (sa.occupancy[s] >= 2) {
      local[1] += 1.0;
    }
  }
  m_nvac_local = static_cast<int>(sa.vacancies.size());
  MPI_Allreduce(local, m_counts, 4, MPI_DOUBLE, MPI_SUM, world);
  m_updated = update->ntimestep;
}

void ComputeVacancySites::exchange_ghost_occupancy()
{
  analyse();
  if (m_ghost_exchanged == update->ntimestep) return;
  SiteAnalysis &sa = *m_sa;
  std::vector<int> send(m_ghost_src.size());
  for (size_t k = 0; k < m_ghost_src.size(); ++k) send[k] = sa.occupancy[m_ghost_src[k]];
  sa.ghost_occupancy.resize(sa.nghost);
  m_ghost_plan->exchange_data(reinterpret_cast<char *>(send.data()), sizeof(int),
                              reinterpret_cast<char *>(sa.ghost_occupancy.data()));
  m_ghost_exchanged = update->ntimestep;
}

/* ---------------------------------------------------------------------- */

double ComputeVacancySites::compute_scalar()
{
  invoked_scalar = update->ntimestep;
  analyse();
  scalar = m_counts[0];
  return scalar;
}

void ComputeVacancySites::compute_vector()
{
  invoked_vector = update->ntimestep;
  analyse();
  vector = m_counts;
}

void ComputeVacancySites::compute_local()
{
  invoked_local = update->ntimestep;
  analyse();
  const SiteAnalysis &sa = *m_sa;
  if (m_nvac_local > m_maxlocal) {
    m_maxlocal = m_nvac_local;
    memory->destroy(m_local);
    memory->create(m_local, m_maxlocal, 4, "vacancy/sites:local");
  }
  const auto box = reval_lmp::box_geom(domain);
  int row = 0;
  for (int s : sa.vacancies) {
    double xs[3];
    rk::lamda2x(box, &sa.lam[3 * s], xs);
    m_local[row][0] = static_cast<double>(sa.gid[s]);
    m_local[row][1] = xs[0];
    m_local[row][2] = xs[1];
    m_local[row][3] = xs[2];
    ++row;
  }
  size_local_rows = row;
  array_local = m_local;
}

double ComputeVacancySites::memory_usage()
{
  const SiteAnalysis &sa = *m_sa;
  double bytes = sa.lam.size() * sizeof(double) + sa.gid.size() * sizeof(int64_t);
  bytes += sa.grid.npoints() * (3 * sizeof(double) + sizeof(int)) + sa.grid.bin_start().size() * sizeof(int);
  bytes += sa.nearest.size() * sizeof(rk::NearestTwo) + (sa.occupancy.size() + sa.ghost_occupancy.size()) * sizeof(int);
  bytes += m_ghost_src.size() * sizeof(int) + 4.0 * m_maxlocal * sizeof(double);
  return bytes;
}
