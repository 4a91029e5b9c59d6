/* ----------------------------------------------------------------------
   REVAL: compute vacancy/sites
   Static sites (lattice, file or initial positions) stored in lamda coordinates (reval::SiteIndex),
   owned by the sub-domain they lie in, with ghost copies of the sites near each sub-domain
   (reval_lmp::SiteDecomposition). Per timestep: every requested atom finds its nearest and
   second-nearest site (exact binned search, point kernels in kernels/point/site_search.hpp); sites
   count the group atoms within rvac, counts made at ghost copies go back to the owners.
------------------------------------------------------------------------- */

#include "compute_vacancy_sites.h"

#include "adapter_utils.h"
#include "lammps_bridge.h"
#include "site_analysis.h"
#include "site_decomposition.h"

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
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <tuple>

using namespace LAMMPS_NS;
namespace rk = reval::kernels;

namespace {

constexpr double kDefaultCap = 5.5;          // science.md: distances capped at 5.5 Å
constexpr double kDuplicateSite = 1e-6;      // two sites closer than 1e-6 rvac are the same site listed twice
// 'sites initial' store, per atom: lamda x y z, number of sites captured (0: no site), site index (the
// atom's ID at the capture). Rows stay at their local index until the fix exists (LAMMPS keeps
// per-atom restart data unexchanged), and created atoms inherit stale rows (fix STORE has no
// set_arrays): the site set is checked by its indices and count when it is read back.
constexpr int kStoreColumns = 5;
constexpr double kShellReach = 2.0;          // the second-neighbour shell is searched up to 2 d_nn

}    // namespace

/* ---------------------------------------------------------------------- */

ComputeVacancySites::ComputeVacancySites(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), m_decomp(lmp),
    m_view(new reval_lmp::SiteAnalysis(m_index, m_res, m_cap, m_rvac))
{
  scalar_flag = vector_flag = array_flag = local_flag = 1;
  size_vector = kVectorSize;
  extscalar = 0;
  extvector = 0;
  extarray = 0;
  m_atom_mask = groupbit;

  std::string file;
  parse_keywords(narg, arg, file);
  size_array_rows = m_histo;
  size_array_cols = 2;
  size_local_rows = 0;
  m_local_cols = m_local_mode == LOCAL_CLUSTERS ? 8 : 4;
  size_local_cols = m_local_cols;
  memory->create(m_histo_array, m_histo, 2, "vacancy/sites:histo");
  for (int k = 0; k < m_histo; ++k) {
    m_histo_array[k][0] = k + 1;
    m_histo_array[k][1] = 0.0;
  }
  array = m_histo_array;
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
    modify->add_fix(reval_lmp::store_atom_command(m_id_store, group->names[igroup], kStoreColumns));
  }
}

void ComputeVacancySites::parse_keywords(int narg, char **arg, std::string &file)
{
  // a number > 0 (finite), or a clear error naming the keyword
  auto positive = [this](const std::string &key, const char *word) {
    char *end = nullptr;
    errno = 0;
    const double v = std::strtod(word, &end);
    if (end == word || *end != '\0' || errno == ERANGE || !std::isfinite(v) || !(v > 0.0))
      error->all(FLERR, fmt::format("compute vacancy/sites: {} must be a number > 0 (got '{}')", key, word));
    return v;
  };
  auto need_value = [&](int iarg, const std::string &key, const char *what) {
    if (iarg + 1 >= narg) error->all(FLERR, fmt::format("compute vacancy/sites: '{}' needs {}", key, what));
  };
  bool dre_given = false, pairs_given = false;
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
    } else if (key == "cluster") {
      need_value(iarg, key, "no, auto or a distance");
      const std::string v = arg[iarg + 1];
      if (v == "no") {
        m_cluster = CLUSTER_NO;
      } else if (v == "auto") {
        m_cluster = CLUSTER_AUTO;
      } else {
        m_cluster = CLUSTER_DISTANCE;
        char *end = nullptr;
        const double d = std::strtod(arg[iarg + 1], &end);
        if (end == arg[iarg + 1] || *end != '\0' || !std::isfinite(d) || !(d > 0.0))
          error->all(FLERR, "compute vacancy/sites: cluster must be no, auto or a distance > 0 (got '" + v + "')");
        m_cluster_dist = d;
      }
      iarg += 2;
    } else if (key == "cluster/migrating") {
      need_value(iarg, key, "yes or no");
      const std::string v = arg[iarg + 1];
      if (v != "yes" && v != "no")
        error->all(FLERR, "compute vacancy/sites: cluster/migrating must be yes or no (got '" + v + "')");
      m_cluster_migrating = v == "yes";
      iarg += 2;
    } else if (key == "dre") {
      need_value(iarg, key, "a value");
      m_dre = positive(key, arg[iarg + 1]);
      dre_given = true;
      iarg += 2;
    } else if (key == "pairs") {
      need_value(iarg, key, "any or neighbours");
      if (!reval::kernels::parse_site_pairs(arg[iarg + 1], m_pairs))
        error->all(FLERR,
                   fmt::format("compute vacancy/sites: pairs must be any or neighbours (got '{}')", arg[iarg + 1]));
      pairs_given = true;
      iarg += 2;
    } else if (key == "histo") {
      need_value(iarg, key, "a number of rows");
      char *end = nullptr;
      errno = 0;
      const long n = std::strtol(arg[iarg + 1], &end, 10);
      if (end == arg[iarg + 1] || *end != '\0' || errno == ERANGE || n < 1 || n > 1000000)
        error->all(FLERR, fmt::format("compute vacancy/sites: histo must be an integer from 1 to 1000000 (got '{}')",
                                      arg[iarg + 1]));
      m_histo = static_cast<int>(n);
      iarg += 2;
    } else if (key == "local") {
      need_value(iarg, key, "vacancies or clusters");
      const std::string v = arg[iarg + 1];
      if (v == "vacancies")
        m_local_mode = LOCAL_VACANCIES;
      else if (v == "clusters")
        m_local_mode = LOCAL_CLUSTERS;
      else
        error->all(FLERR, "compute vacancy/sites: local must be vacancies or clusters (got '" + v + "')");
      iarg += 2;
    } else {
      error->all(FLERR, "compute vacancy/sites: unknown keyword '" + key + "'");
    }
  }
  // combinations: keywords that would have no effect are errors
  // (histo and local clusters stay valid with cluster no: the cluster outputs are then 0 / empty)
  if (m_cluster == CLUSTER_NO && m_cluster_migrating)
    error->all(FLERR, "compute vacancy/sites: cluster/migrating yes needs a cluster analysis (cluster auto or "
                      "cluster D), not cluster no");
  if ((dre_given || pairs_given) && !m_cluster_migrating)
    error->all(FLERR, fmt::format("compute vacancy/sites: {} applies to migrating atoms in clusters only; it needs "
                                  "cluster/migrating yes", dre_given ? "dre" : "pairs"));
}

ComputeVacancySites::~ComputeVacancySites()
{
  memory->destroy(m_local);
  memory->destroy(m_histo_array);
  if (!m_id_store.empty() && modify && modify->find_fix(m_id_store) >= 0) modify->delete_fix(m_id_store);
}

/* ---------------------------------------------------------------------- */

void ComputeVacancySites::capture_lattice()
{
  Lattice *lat = domain->lattice;
  if (lat == nullptr || lat->style == Lattice::NONE)
    error->all(FLERR, "compute vacancy/sites: 'sites lattice' needs a lattice, but no lattice command was given "
                      "(define one with 'lattice', or use 'sites file FILE' or 'sites initial')");
  const reval::LatticeMap map = reval_lmp::capture_lattice_map(lat);

  reval::ProcBox own;
  reval_lmp::own_lamda_box(comm, own.lo, own.hi);
  std::vector<double> lam;
  std::vector<int64_t> gid;
  int64_t total = 0;
  try {
    total = reval::enumerate_lattice_sites(reval_lmp::box_geom(domain), map, [&](int64_t i, const double *l) {
      if (reval::in_proc_box(own, l)) {
        lam.insert(lam.end(), l, l + 3);
        gid.push_back(i);
      }
    });
  } catch (reval::Error &e) {
    error->all(FLERR, std::string("compute vacancy/sites: ") + e.what());
  }
  if (total == 0) error->all(FLERR, "compute vacancy/sites: the lattice places no site inside the box");
  m_index.assign_owned(std::move(lam), std::move(gid));
  m_index.set_total(total, total);
  m_index.set_lattice(map, reval_lmp::box_geom(domain));
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
  MPI_Bcast(&n, 1, REVAL_MPI_INT64, 0, world);
  reval::ProcBox own;
  reval_lmp::own_lamda_box(comm, own.lo, own.hi);
  std::vector<double> mylam;
  std::vector<int64_t> mygid;
  const int64_t chunk = 1 << 18;
  std::vector<double> buf;
  for (int64_t start = 0; start < n; start += chunk) {
    const int64_t m = std::min(chunk, n - start);
    buf.resize(3 * m);
    if (comm->me == 0) std::copy(lam.begin() + 3 * start, lam.begin() + 3 * (start + m), buf.begin());
    MPI_Bcast(buf.data(), static_cast<int>(3 * m), MPI_DOUBLE, 0, world);
    for (int64_t i = 0; i < m; ++i)
      if (reval::in_proc_box(own, &buf[3 * i])) {
        mylam.insert(mylam.end(), &buf[3 * i], &buf[3 * i] + 3);
        mygid.push_back(start + i + 1);
      }
  }
  m_index.assign_owned(std::move(mylam), std::move(mygid));
  m_index.set_total(n, n);
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

  // restored from a restart file or kept from an earlier run (some atom carries the count) -> do not
  // capture again
  double mine = 0.0, any = 0.0;
  for (int i = 0; i < nlocal; ++i)
    if ((mask[i] & groupbit) && st[i][3] > 0.5) mine = std::max(mine, st[i][3]);
  MPI_Allreduce(&mine, &any, 1, MPI_DOUBLE, MPI_MAX, world);
  if (any == 1.0)
    error->all(FLERR, "compute vacancy/sites: 'sites initial': the initial sites were stored by an earlier REVAL "
                      "version (4 values per atom), which this version cannot check; define the compute with a "
                      "new ID (new sites) or use 'sites file'");
  const auto box = reval_lmp::box_geom(domain);
  if (any == 0.0) {
    bigint ngroup = 0, nmine = 0;
    for (int i = 0; i < nlocal; ++i)
      if (mask[i] & groupbit) ++nmine;
    MPI_Allreduce(&nmine, &ngroup, 1, MPI_LMP_BIGINT, MPI_SUM, world);
    for (int i = 0; i < nlocal; ++i) {
      if (!(mask[i] & groupbit)) continue;
      double l[3];
      rk::x2lamda(box, x[i], l);
      for (int d = 0; d < 3; ++d)
        if (box.periodic[d]) l[d] = rk::wrap_unit(l[d]);
      for (int d = 0; d < 3; ++d) st[i][d] = l[d];
      st[i][3] = static_cast<double>(ngroup);
      st[i][4] = static_cast<double>(atom->tag[i]);
    }
  }
  std::vector<double> lam;
  std::vector<int64_t> gid;
  for (int i = 0; i < nlocal; ++i)
    if ((mask[i] & groupbit) && st[i][3] > 0.5) {
      lam.insert(lam.end(), st[i], st[i] + 3);
      gid.push_back(static_cast<int64_t>(st[i][4]));
    }
  int64_t mine64 = static_cast<int64_t>(gid.size()), total = 0;
  MPI_Allreduce(&mine64, &total, 1, REVAL_MPI_INT64, MPI_SUM, world);
  if (total == 0) error->all(FLERR, "compute vacancy/sites: 'sites initial' found no atoms in the group");
  // site indices are the atom IDs at the capture: the largest may exceed the number of sites (IDs with
  // gaps), and the keys of the cluster analysis must not collide with it
  int64_t mymax = gid.empty() ? 0 : *std::max_element(gid.begin(), gid.end()), maxindex = 0;
  MPI_Allreduce(&mymax, &maxindex, 1, REVAL_MPI_INT64, MPI_MAX, world);
  m_index.assign_owned(std::move(lam), std::move(gid));
  m_index.set_total(total, maxindex);
  m_have_sites = true;
  m_check_stale = any != 0.0;    // rows kept from before (restart, or an earlier run of the same ID)
  if (comm->me == 0)
    utils::logmesg(lmp, fmt::format("compute vacancy/sites {}: {} initial sites {}\n", id, total,
                                    any != 0.0 ? "restored from the internal store (restart or earlier run)"
                                               : "captured from the current positions"));
  m_captured_total = static_cast<int64_t>(any);
  // the sites still sit with the atoms' owners: make the decomposition move them to the sub-domains
  m_decomp.invalidate();
}

/* ---------------------------------------------------------------------- */

void ComputeVacancySites::drop_stale_initial_sites()
{
  // Sites read back from the store (after the decomposition, so copies of a site share its owner): a
  // site index held twice with the same position is a stale copy (an atom created after the capture
  // inherited it) and is dropped; the same index at two positions, or fewer sites than captured, means
  // rows were lost or no longer belong to their atoms -> ERROR, never a different site set.
  m_check_stale = false;
  const int nown = m_index.nown();
  const auto &lam = m_index.lam();
  const auto &gid = m_index.gid();
  std::vector<int> idx(nown);
  for (int i = 0; i < nown; ++i) idx[i] = i;
  auto key = [&](int i) { return std::make_tuple(gid[i], lam[3 * i], lam[3 * i + 1], lam[3 * i + 2]); };
  std::sort(idx.begin(), idx.end(), [&](int a, int b) { return key(a) < key(b); });
  std::vector<char> keep(nown, 1);
  double counts[2] = {0.0, 0.0}, all[2];    // stale copies, conflicting copies
  for (int k = 1; k < nown; ++k) {
    const int a = idx[k - 1], b = idx[k];
    if (gid[a] != gid[b]) continue;
    keep[b] = 0;
    const bool same = lam[3 * a] == lam[3 * b] && lam[3 * a + 1] == lam[3 * b + 1] && lam[3 * a + 2] == lam[3 * b + 2];
    counts[same ? 0 : 1] += 1.0;
  }
  MPI_Allreduce(counts, all, 2, MPI_DOUBLE, MPI_SUM, world);
  const int64_t left = m_index.nsites_total() - static_cast<int64_t>(all[0] + all[1]);
  if (all[1] > 0 || left != m_captured_total)
    error->all(FLERR, fmt::format("compute vacancy/sites: 'sites initial': {} of the {} initial sites are gone: "
                                  "they were stored with atoms deleted or lost since the capture, or the initial "
                                  "sites read from the restart file no longer belong to their atoms (atoms "
                                  "migrated before the compute was defined). Define compute vacancy/sites right "
                                  "after read_restart, before balance or run; to keep the sites of deleted atoms "
                                  "use 'sites file' with the initial positions (e.g. written by write_dump)",
                                  std::max<int64_t>(0, m_captured_total - left), m_captured_total));
  if (all[0] == 0) return;
  std::vector<double> klam;
  std::vector<int64_t> kgid;
  for (int i = 0; i < nown; ++i)
    if (keep[i]) {
      klam.insert(klam.end(), &lam[3 * i], &lam[3 * i] + 3);
      kgid.push_back(gid[i]);
    }
  m_index.assign_owned(std::move(klam), std::move(kgid));
  m_index.set_total(left, m_index.max_site_index());
  if (comm->me == 0)
    utils::logmesg(lmp, fmt::format("compute vacancy/sites {}: {:.0f} stored initial site(s) were copies held by "
                                    "atoms created after the capture; ignored\n", id, all[0]));
  m_decomp.distribute(m_index, ghost_margin(), m_rvac);
  m_res.occupancy.assign(m_index.nown(), 0);
  m_res.ghost_occupancy.assign(m_index.nghost(), 0);
  m_ghost_exchanged = -1;
}

double ComputeVacancySites::ghost_margin() const
{
  return std::max(m_cap, m_rvac) + neighbor->skin;
}

void ComputeVacancySites::estimate_nn_distance()
{
  const auto box = reval_lmp::box_geom(domain);
  const int64_t nsites_total = m_index.nsites_total();
  if (nsites_total < 2)
    error->all(FLERR, fmt::format("compute vacancy/sites: {} static site{}; the analysis needs at least 2 (a "
                                  "nearest-neighbour site spacing)", nsites_total, nsites_total ? "" : "s"));
  // the closest pair of distinct sites (duplicated or overlapping sites make fake vacancies and fake
  // migrating atoms): its distance and the two global site IDs
  const reval::NnScan scan = m_index.scan_nn(box, m_cap);
  double sum[2] = {scan.sum, scan.count}, all[2];
  struct {
    double d;
    int rank;
  } closest{scan.closest, comm->me}, closest_all;
  int64_t pair[2] = {scan.pair[0], scan.pair[1]};
  MPI_Allreduce(sum, all, 2, MPI_DOUBLE, MPI_SUM, world);
  MPI_Allreduce(&closest, &closest_all, 1, MPI_DOUBLE_INT, MPI_MINLOC, world);
  MPI_Bcast(pair, 2, REVAL_MPI_INT64, closest_all.rank, world);
  if (all[1] == 0.0)
    error->all(FLERR, fmt::format("compute vacancy/sites: no two of the {} static sites are closer than {} (the "
                                  "search cap): the sites do not form a lattice whose neighbour spacing can be "
                                  "found", nsites_total, m_cap));
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
  const double nn = all[0] / all[1];
  if (m_rvac >= nn)
    error->all(FLERR, fmt::format("compute vacancy/sites: rvac ({}) must be smaller than the nearest-neighbour "
                                  "site spacing ({:.4f}): one atom would occupy several sites", m_rvac, nn));
  if (closest_all.d < m_rvac) too_close("closer than rvac");
  if (comm->me == 0)
    utils::logmesg(lmp, fmt::format("compute vacancy/sites {}: {} sites, nearest-neighbour spacing {:.4f}, "
                                    "rvac {}\n", id, nsites_total, nn, m_rvac));
  m_index.set_nn_distance(nn, box);
}

/* ---------------------------------------------------------------------- */

void ComputeVacancySites::request(const reval_lmp::SiteRequest &req)
{
  auto it = std::find_if(m_requests.begin(), m_requests.end(),
                         [&](const reval_lmp::SiteRequest &r) { return r.requester == req.requester; });
  if (it != m_requests.end())
    *it = req;
  else
    m_requests.push_back(req);
  combine_requests();
}

void ComputeVacancySites::combine_requests()
{
  // requests of styles deleted since they were made no longer count
  m_requests.erase(std::remove_if(m_requests.begin(), m_requests.end(),
                                  [this](const reval_lmp::SiteRequest &r) {
                                    const auto sp = r.requester.find(' ');
                                    const std::string kind = r.requester.substr(0, sp);
                                    const std::string rid = sp == std::string::npos ? "" : r.requester.substr(sp + 1);
                                    if (kind == "compute") return modify->find_compute(rid) < 0;
                                    if (kind == "fix") return modify->find_fix(rid) < 0;
                                    return false;
                                  }),
                   m_requests.end());
  // a larger cap is met at the next analysis: the decomposition then needs a larger ghost margin
  m_cap = std::max(kDefaultCap, m_rvac);
  m_atom_mask = groupbit;
  m_ghost_wanted = m_host_nearest_wanted = false;
  for (const auto &r : m_requests) {
    m_cap = std::max(m_cap, r.cap);
    m_atom_mask |= r.groupbit;
    m_ghost_wanted = m_ghost_wanted || r.ghost_occupancy;
    m_host_nearest_wanted = m_host_nearest_wanted || r.host_nearest;
  }
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
  reval_lmp::require_ghost_cutoff(lmp, "compute vacancy/sites", "rvac", m_rvac);
}

void ComputeVacancySites::setup()
{
  check_box();
  m_updated = -1;    // atoms may have been changed by commands between runs
  combine_requests();
  prepare_sites();
}

void ComputeVacancySites::prepare_sites()
{
  if (!m_have_sites) capture_initial();
  const auto box = reval_lmp::box_geom(domain);
  const auto flip = m_index.follow_box(box);
  if (flip[0] || flip[1] || flip[2]) {
    if (m_source == INITIAL) {    // the restartable copy must follow too
      int ifix = modify->find_fix(m_id_store);
      auto *store = ifix >= 0 ? dynamic_cast<reval_lmp::StoreAtomFix *>(modify->fix[ifix]) : nullptr;
      if (store)
        for (int i = 0; i < atom->nlocal; ++i)
          if (store->astore[i][3] > 0.5) reval::apply_box_flip(flip, box.periodic, store->astore[i]);
    }
    m_decomp.invalidate();    // owned sites may now belong elsewhere: redistribute
  }
  if (m_decomp.needed(m_index, ghost_margin())) {
    m_decomp.distribute(m_index, ghost_margin(), m_rvac);
    m_res.occupancy.assign(m_index.nown(), 0);
    m_res.ghost_occupancy.assign(m_index.nghost(), 0);
    m_ghost_exchanged = -1;
  }
  if (m_check_stale) drop_stale_initial_sites();
  if (!m_index.nn_known()) {
    estimate_nn_distance();
    if (m_cluster == CLUSTER_AUTO) cluster_distance();    // once, from the sites as captured
  }
}

void ComputeVacancySites::analyse()
{
  if (m_updated == update->ntimestep) return;
  prepare_sites();
  const auto box = reval_lmp::box_geom(domain);
  m_index.keep_exact(box, m_rvac);
  m_index.refresh_coords(box);
  // the nearest sites of the last analysis are the start points of the searches: good while atoms keep
  // their indices, also across reneighborings, if they are slots of this grid (a search verifies its
  // start point and falls back to the full search)
  const bool guesses = m_cache_epoch == m_index.epoch();
  m_occ_all.assign(m_index.nown() + m_index.nghost(), 0);
  const double nfar = search_atoms(guesses, m_occ_all.data());
  m_cache_epoch = m_index.epoch();
  m_nearest_on_host = false;
  finish_analysis(nfar);
  // what the dependents declared they read
  if (m_host_nearest_wanted) sync_nearest();
  if (m_ghost_wanted) exchange_ghost_occupancy();
}

void ComputeVacancySites::sync_nearest()
{
  if (m_nearest_on_host) return;
  nearest_to_host(m_res.nearest);
  m_nearest_on_host = true;
}

double ComputeVacancySites::search_atoms(bool guesses, int *occ)
{
  const auto box = reval_lmp::box_geom(domain);
  const auto view = m_index.grid().view(box);
  const auto lview = m_index.lists().view(box);
  const int *order = m_index.grid().order().data();

  const int nlocal = atom->nlocal;
  const double *x = nlocal > 0 ? atom->x[0] : nullptr;    // LAMMPS' x is one block: no row pointers
  int *mask = atom->mask;
  auto &nearest = m_res.nearest;
  if (static_cast<int>(nearest.size()) < atom->nmax) nearest.resize(atom->nmax);    // new: s1 = -1
  const auto count = [occ](int local) { ++occ[local]; };
  if (!guesses)
    for (auto &n : nearest) rk::forget_nearest_guess(n);    // slots of an older grid
  double nfar = 0.0;
  for (int i = 0; i < nlocal; ++i) {
    if (!(mask[i] & m_atom_mask)) continue;
    const bool in_group = (mask[i] & groupbit) != 0;
    rk::NearestTwo &n = nearest[i];
    rk::site_analyse_atom(view, lview, n.s1, x + 3 * i, m_cap, m_rvac, in_group, order, count, n);
    if (in_group && n.d1 > m_rvac) nfar += 1.0;
  }
  return nfar;
}

reval::kernels::WsRegion ComputeVacancySites::ws_region() const
{
  const auto box = reval_lmp::box_geom(domain);
  reval::kernels::WsRegion r;
  for (int d = 0; d < 3; ++d) {
    r.lo[d] = m_index.own_box().lo[d] - m_index.margin_lamda()[d];
    r.hi[d] = m_index.own_box().hi[d] + m_index.margin_lamda()[d];
    r.lpl[d] = rk::lamda_per_length(box, d);
  }
  return r;
}

void ComputeVacancySites::count_ws(const rk::WsRegion &region, int *ws_all, int bad[2])
{
  const auto box = reval_lmp::box_geom(domain);
  const int *order = m_index.grid().order().data();
  double **x = atom->x;
  int *mask = atom->mask;
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(mask[i] & groupbit)) continue;
    const int l = rk::ws_local_site(m_res.nearest[i], order, box, region, x[i]);
    if (l >= 0)
      ++ws_all[l];
    else
      ++bad[l == rk::kWsNoSite ? 0 : 1];
  }
}

void ComputeVacancySites::finish_analysis(double nfar)
{
  const int nown = m_index.nown();
  // atoms within rvac of a ghost copy must be atoms of this sub-domain (within the skin of it): a count
  // farther out means an atom moved too far without reneighboring, and its search may have missed sites
  {
    const auto box = reval_lmp::box_geom(domain);
    const auto &lam = m_index.lam();
    double reach[3];
    for (int d = 0; d < 3; ++d) reach[d] = (m_rvac + neighbor->skin) * rk::lamda_per_length(box, d) *
                                 reval_lmp::SiteDecomposition::kMarginSlack;
    int lost = 0;
    for (int j = nown; j < nown + m_index.nghost(); ++j) {
      if (!m_occ_all[j]) continue;
      for (int d = 0; d < 3; ++d)
        if (lam[3 * j + d] < m_index.own_box().lo[d] - reach[d] || lam[3 * j + d] >= m_index.own_box().hi[d] + reach[d])
          lost = 1;
    }
    if (lost)
      error->one(FLERR, "compute vacancy/sites: an atom moved farther than the neighbor skin out of its sub-domain "
                        "without reneighboring; use 'neigh_modify check yes' or reneighbor more often");
  }
  // atoms counted at ghost copies go to the owners of those sites
  m_res.occupancy.resize(nown);
  const int *local[1] = {m_occ_all.data()};
  int *owned[1] = {m_res.occupancy.data()};
  m_decomp.reverse_add(1, local, owned);

  double counts[4] = {0.0, 0.0, static_cast<double>(nown), nfar};
  m_res.vacancies.clear();
  for (int s = 0; s < nown; ++s) {
    if (m_res.occupancy[s] == 0) {
      counts[0] += 1.0;
      m_res.vacancies.push_back(s);
    } else if (m_res.occupancy[s] >= 2) {
      counts[1] += 1.0;
    }
  }
  m_nvac_local = static_cast<int>(m_res.vacancies.size());
  MPI_Allreduce(counts, m_counts, 4, MPI_DOUBLE, MPI_SUM, world);
  for (int k = 4; k < kVectorSize; ++k) m_counts[k] = 0.0;    // Wigner-Seitz and clusters: on demand
  m_ws_step = m_cluster_step = -1;
  m_updated = update->ntimestep;
}

void ComputeVacancySites::analyse_ws()
{
  analyse();
  if (m_ws_step == update->ntimestep) return;
  m_ws_all.assign(m_index.nown() + m_index.nghost(), 0);
  m_ws_bad[0] = m_ws_bad[1] = 0;
  count_ws(ws_region(), m_ws_all.data(), m_ws_bad);
  const int nown = m_index.nown();
  m_res.ws_occupancy.resize(nown);
  const int *local[1] = {m_ws_all.data()};
  int *owned[1] = {m_res.ws_occupancy.data()};
  m_decomp.reverse_add(1, local, owned);
  // WS vacancies and interstitials, then the atoms without a site within the cap (assigned to none:
  // sputtered atoms, atoms in a vacuum or beyond the sites of a file) and those whose nearest site may
  // be on another rank (an atom moved too far without reneighboring: the count would be wrong)
  double counts[4] = {0.0, 0.0, static_cast<double>(m_ws_bad[0]), static_cast<double>(m_ws_bad[1])}, all[4];
  for (int s = 0; s < nown; ++s) {
    const int w = m_res.ws_occupancy[s];
    if (w == 0)
      counts[0] += 1.0;
    else
      counts[1] += w - 1;
  }
  MPI_Allreduce(counts, all, 4, MPI_DOUBLE, MPI_SUM, world);
  if (all[3] > 0)
    error->all(FLERR, fmt::format("compute vacancy/sites: {:.0f} atom(s) moved so far out of their sub-domain "
                                  "without reneighboring that their nearest site may lie on another rank; use "
                                  "'neigh_modify check yes' or reneighbor more often", all[3]));
  m_counts[4] = all[0];
  m_counts[5] = all[1];
  m_counts[6] = std::min(all[0], all[1]);    // Frenkel pairs
  m_counts[9] = all[2];
  m_ws_step = update->ntimestep;
}

double ComputeVacancySites::cluster_distance()
{
  if (m_cluster != CLUSTER_AUTO || m_cluster_dist > 0.0) return m_cluster_dist;
  // second distinct shell of the sites, from every owned site whose shell lies within this rank's sites
  const auto box = reval_lmp::box_geom(domain);
  const reval::ShellScan sh = m_index.scan_second_shell(box, kShellReach * m_index.nn_distance());
  double mine[2] = {sh.sum, sh.count}, all[2];
  MPI_Allreduce(mine, all, 2, MPI_DOUBLE, MPI_SUM, world);
  if (all[1] == 0.0)
    error->all(FLERR, fmt::format("compute vacancy/sites: cluster auto found no second-neighbour shell of sites "
                                  "within {:.4g} (2 nearest-neighbour spacings); give the cluster distance "
                                  "(cluster D)", kShellReach * m_index.nn_distance()));
  const double shell = all[0] / all[1];
  m_cluster_dist = reval::SiteIndex::kNeighbourTolerance * shell;
  if (comm->me == 0)
    utils::logmesg(lmp, fmt::format("compute vacancy/sites {}: second-neighbour site spacing {:.4f}, cluster "
                                    "distance {:.4f}\n", id, shell, m_cluster_dist));
  return m_cluster_dist;
}

void ComputeVacancySites::analyse_clusters()
{
  analyse();
  if (m_cluster == CLUSTER_NO || m_cluster_step == update->ntimestep) return;
  analyse_ws();
  const double dist = cluster_distance();
  const auto box = reval_lmp::box_geom(domain);
  const auto &lam = m_index.lam();
  const auto &gid = m_index.gid();
  // keys: a site defect's is its site index, a migrating atom's the largest site index plus its atom ID
  const int64_t key0 = m_index.max_site_index();

  // this rank's defects: records of 6 doubles (x y z count kind key); keys are exact in doubles
  std::vector<double> mine;
  for (int s = 0; s < m_index.nown(); ++s) {
    const int w = m_res.ws_occupancy[s];
    if (w == 1) continue;
    double xs[3];
    rk::lamda2x(box, &lam[3 * s], xs);
    const auto kind = w == 0 ? reval::DefectKind::Vacancy : reval::DefectKind::Interstitial;
    mine.insert(mine.end(), {xs[0], xs[1], xs[2], static_cast<double>(w == 0 ? 1 : w - 1),
                             static_cast<double>(static_cast<int>(kind)), static_cast<double>(gid[s])});
  }
  if (m_cluster_migrating) {
    sync_nearest();
    sync_host_atoms();
    m_index.refresh_coords(box);
    const auto view = m_index.grid().view(box);
    double **x = atom->x;
    int *mask = atom->mask;
    tagint *tag = atom->tag;
    for (int i = 0; i < atom->nlocal; ++i) {
      if (!(mask[i] & groupbit)) continue;
      const rk::NearestTwo &n = m_res.nearest[i];
      if (!rk::is_migrating_at_sites(n, view.px, view.py, view.pz, m_index.nn_cut2(), m_dre, m_cap, m_pairs)) continue;
      mine.insert(mine.end(), {x[i][0], x[i][1], x[i][2], 1.0,
                               static_cast<double>(static_cast<int>(reval::DefectKind::Migrating)),
                               static_cast<double>(key0 + static_cast<int64_t>(tag[i]))});
    }
  }
  const std::vector<double> all = reval_lmp::gather_to_root(lmp, mine);

  // clustered on rank 0; counts and histogram broadcast
  std::string msg;
  std::vector<double> summary(2 + m_histo, 0.0);    // clusters, largest, histogram
  m_clusters.clear();
  if (comm->me == 0) {
    std::vector<reval::Defect> defects(all.size() / 6);
    for (size_t k = 0; k < defects.size(); ++k) {
      const double *r = &all[6 * k];
      defects[k] = reval::Defect{{r[0], r[1], r[2]}, static_cast<int64_t>(r[3]),
                                 static_cast<reval::DefectKind>(static_cast<int>(r[4])), static_cast<int64_t>(r[5])};
    }
    reval::ClusterParams p;
    p.distance = dist;
    p.histo = m_histo;
    try {
      reval::ClusterResult res = reval::cluster_defects(defects, box, p);
      summary[0] = static_cast<double>(res.clusters.size());
      summary[1] = static_cast<double>(res.largest);
      for (int k = 0; k < m_histo; ++k) summary[2 + k] = static_cast<double>(res.histogram[k]);
      m_clusters = std::move(res.clusters);
    } catch (reval::Error &e) {
      msg = std::string("compute vacancy/sites: cluster analysis: ") + e.what();
    }
  }
  reval_lmp::error_all_from_root(lmp, msg, FLERR);
  MPI_Bcast(summary.data(), static_cast<int>(summary.size()), MPI_DOUBLE, 0, world);
  m_counts[7] = summary[0];
  m_counts[8] = summary[1];
  for (int k = 0; k < m_histo; ++k) m_histo_array[k][1] = summary[2 + k];
  m_cluster_step = update->ntimestep;
}

void ComputeVacancySites::exchange_ghost_occupancy()
{
  analyse();
  if (m_ghost_exchanged == update->ntimestep) return;
  m_res.ghost_occupancy.resize(m_index.nghost());
  m_decomp.forward(m_res.occupancy.data(), m_res.ghost_occupancy.data());
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
  analyse_ws();
  analyse_clusters();
  vector = m_counts;
}

void ComputeVacancySites::compute_array()
{
  invoked_array = update->ntimestep;
  analyse_ws();
  analyse_clusters();
  array = m_histo_array;
}

void ComputeVacancySites::compute_local()
{
  invoked_local = update->ntimestep;
  analyse();
  int nrows = m_nvac_local;
  if (m_local_mode == LOCAL_CLUSTERS) {
    analyse_clusters();
    nrows = static_cast<int>(m_clusters.size());    // rank 0 only
  }
  if (nrows > m_maxlocal) {
    m_maxlocal = nrows;
    memory->destroy(m_local);
    memory->create(m_local, m_maxlocal, m_local_cols, "vacancy/sites:local");
  }
  int row = 0;
  if (m_local_mode == LOCAL_CLUSTERS) {
    for (const auto &c : m_clusters) {
      double *r = m_local[row++];
      r[0] = static_cast<double>(c.id);
      r[1] = static_cast<double>(c.size);
      r[2] = static_cast<double>(c.vacancies);
      r[3] = static_cast<double>(c.interstitials);
      r[4] = static_cast<double>(c.migrating);
      for (int d = 0; d < 3; ++d) r[5 + d] = c.centre[d];
    }
  } else {
    const auto box = reval_lmp::box_geom(domain);
    const auto &lam = m_index.lam();
    const auto &gid = m_index.gid();
    for (int s : m_res.vacancies) {
      double xs[3];
      rk::lamda2x(box, &lam[3 * s], xs);
      m_local[row][0] = static_cast<double>(gid[s]);
      m_local[row][1] = xs[0];
      m_local[row][2] = xs[1];
      m_local[row][3] = xs[2];
      ++row;
    }
  }
  size_local_rows = row;
  array_local = m_local;
}

double ComputeVacancySites::memory_usage()
{
  double bytes = static_cast<double>(m_index.memory_bytes() + m_decomp.memory_bytes());
  bytes += m_res.nearest.size() * sizeof(rk::NearestTwo);
  bytes += (m_res.occupancy.size() + m_res.ghost_occupancy.size() + m_res.ws_occupancy.size() + m_occ_all.size()) *
      sizeof(int);
  bytes += 4.0 * m_maxlocal * sizeof(double);
  return bytes;
}
