/* ----------------------------------------------------------------------
   REVAL: fix re/stats
   Diffusion statistics use reval/core/diffusion, the interstitial types reval::InterstitialClassifier.
   The per-atom part of a sample (displacements per time origin, home sites and hops by the migrating
   rule on the nearest-site data of a compute vacancy/sites) is the point kernels of
   kernels/point/re_stats.hpp, looped over the atoms in the virtual sample_atoms() (fix re/stats/kk
   runs the same kernels on the device). Per-atom state migrates with the atoms and is written to
   restart files; the interstitial classification gathers only the (few) defect atoms and vacancies
   on rank 0. The per-atom output (array_atom) migrates with the atoms too, so that it belongs to the
   right atoms after sorting, exchange and restarts; plain and /kk write the same restart data and
   read each other's (restart_twin.h).
------------------------------------------------------------------------- */

#include "fix_re_stats.h"

#include "adapter_utils.h"
#include "compute_vacancy_sites.h"
#include "restart_twin.h"
#include "site_analysis.h"

#include "core/diffusion.h"
#include "core/error.h"
#include "core/interstitials.h"
#include "kernels/point/site_search.hpp"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "group.h"
#include "lattice.h"
#include "memory.h"
#include "modify.h"
#include "update.h"
#include "utils.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

using namespace LAMMPS_NS;
using namespace FixConst;
namespace rk = reval::kernels;

namespace {
// 2: per-atom records carry the output row (hops dx dy dz) after the state
constexpr int kRestartVersion = 2;
enum { ITYPES_NONE = 0, ITYPES_DIAMOND = 1, ITYPES_FILE = 2 };
}    // namespace

FixREStats::FixREStats(LAMMPS *lmp, int narg, char **arg) : Fix(lmp, narg, arg)
{
  if (narg < 5) error->all(FLERR, "fix re/stats: expected 'fix ID group re/stats N SITES-ID keyword value ...'");
  {
    const bigint n = utils::bnumeric(FLERR, arg[3], false, lmp);
    if (n <= 0) error->all(FLERR, "fix re/stats: the sampling interval N must be > 0 (got " + std::string(arg[3]) + ")");
    if (n > kMaxEvery)
      error->all(FLERR, fmt::format("fix re/stats: the sampling interval N must be <= {} (got {})", kMaxEvery, arg[3]));
    nevery = static_cast<int>(n);
  }
  m_id_sites = arg[4];
  const bool diamond_lattice = domain->lattice && domain->lattice->style == Lattice::DIAMOND;
  m_itypes = diamond_lattice ? ITYPES_DIAMOND : ITYPES_NONE;

  int iarg = 5;
  auto need = [&](int n, const char *what) {
    if (iarg + n >= narg) error->all(FLERR, std::string("fix re/stats: '") + arg[iarg] + "' needs " + what);
  };
  auto positive = [&](const char *key, double v) {
    if (!(v > 0)) error->all(FLERR, std::string("fix re/stats: ") + key + " must be > 0");
  };
  while (iarg < narg) {
    const std::string key = arg[iarg];
    if (key == "hop") {
      need(1, "a distance");
      m_hop = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      positive("hop", m_hop);
      iarg += 2;
    } else if (key == "fit") {
      need(2, "a start and an end time (or auto)");
      m_fit_start = strcmp(arg[iarg + 1], "auto") == 0 ? -1.0 : utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      m_fit_end = strcmp(arg[iarg + 2], "auto") == 0 ? -1.0 : utils::numeric(FLERR, arg[iarg + 2], false, lmp);
      if ((strcmp(arg[iarg + 1], "auto") != 0 && m_fit_start < 0) || (strcmp(arg[iarg + 2], "auto") != 0 && m_fit_end <= 0) ||
          (m_fit_start >= 0 && m_fit_end > 0 && m_fit_start >= m_fit_end))
        error->all(FLERR, std::string("fix re/stats: bad fit window '") + arg[iarg + 1] + " " + arg[iarg + 2] +
                              "': need 0 <= start < end (times), or auto");
      iarg += 3;
    } else if (key == "origins") {
      need(1, "a number of time origins");
      const bigint m = utils::bnumeric(FLERR, arg[iarg + 1], false, lmp);
      if (m < 1) error->all(FLERR, "fix re/stats: origins must be >= 1");
      if (m > kMaxOrigins)
        error->all(FLERR, fmt::format("fix re/stats: origins must be <= {} (got {}): every origin keeps 3 values "
                                      "per atom ({} KB per atom at {})",
                                      kMaxOrigins, arg[iarg + 1], 3 * 8 * kMaxOrigins / 1000, kMaxOrigins));
      m_norigins = static_cast<int>(m);
      iarg += 2;
      if (iarg < narg && strcmp(arg[iarg], "every") == 0) {
        need(1, "a number of samples");
        const bigint e = utils::bnumeric(FLERR, arg[iarg + 1], false, lmp);
        if (e < 1) error->all(FLERR, "fix re/stats: origins ... every must be >= 1 (samples)");
        if (e > kMaxEvery)
          error->all(FLERR, fmt::format("fix re/stats: origins ... every must be <= {} samples (got {})", kMaxEvery,
                                        arg[iarg + 1]));
        m_origin_every = static_cast<int>(e);
        iarg += 2;
      }
    } else if (key == "com") {
      need(1, "yes or no");
      const std::string v = arg[iarg + 1];
      if (v != "yes" && v != "no") error->all(FLERR, "fix re/stats: com must be yes or no");
      m_com = v == "yes";
      iarg += 2;
    } else if (key == "dre") {
      need(1, "a distance");
      m_dre = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      positive("dre", m_dre);
      iarg += 2;
    } else if (key == "pairs") {
      need(1, "any or neighbours");
      if (!rk::parse_site_pairs(arg[iarg + 1], m_pairs))
        error->all(FLERR, std::string("fix re/stats: pairs must be any or neighbours (got '") + arg[iarg + 1] + "')");
      iarg += 2;
    } else if (key == "itypes") {
      need(1, "diamond, file FILE or none");
      const std::string v = arg[iarg + 1];
      if (v == "diamond") {
        if (!diamond_lattice)
          error->all(FLERR, "fix re/stats: 'itypes diamond' needs a diamond lattice (the current lattice is not "
                            "'lattice diamond'); use 'itypes file FILE' for other structures");
        m_itypes = ITYPES_DIAMOND;
        iarg += 2;
      } else if (v == "none") {
        m_itypes = ITYPES_NONE;
        iarg += 2;
      } else if (v == "file") {
        if (iarg + 2 >= narg) error->all(FLERR, "fix re/stats: 'itypes file' needs a file name");
        m_itypes = ITYPES_FILE;
        m_template_file = arg[iarg + 2];
        iarg += 3;
      } else {
        error->all(FLERR, "fix re/stats: unknown itypes '" + v + "' (use diamond, file FILE or none)");
      }
    } else if (key == "itol") {
      need(1, "a distance");
      m_itol = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      positive("itol", m_itol);
      iarg += 2;
    } else if (key == "file") {
      need(1, "a file name");
      m_file = arg[iarg + 1];
      iarg += 2;
    } else if (key == "append") {
      need(1, "yes or no");
      const std::string v = arg[iarg + 1];
      if (v != "yes" && v != "no") error->all(FLERR, "fix re/stats: append must be yes or no (got '" + v + "')");
      m_append = v == "yes" ? 1 : 0;
      iarg += 2;
    } else {
      error->all(FLERR, "fix re/stats: unknown keyword '" + key + "'");
    }
  }
  if (m_append >= 0 && m_file.empty()) error->all(FLERR, "fix re/stats: 'append' needs 'file FILE'");

  // templates
  std::vector<reval::DefectTemplate> templates;
  if (m_itypes == ITYPES_DIAMOND) {
    templates = reval::diamond_templates();
  } else if (m_itypes == ITYPES_FILE) {
    std::string msg;
    if (comm->me == 0) {
      std::ifstream in(m_template_file);
      if (!in) {
        msg = "fix re/stats: cannot open template file '" + m_template_file + "': " + std::strerror(errno);
      } else {
        try {
          templates = reval::read_defect_templates(in, m_template_file);
        } catch (reval::Error &e) {
          msg = std::string("fix re/stats: ") + e.what();
        }
      }
    }
    reval_lmp::error_all_from_root(lmp, msg, FLERR);
    // every rank needs the labels and sizes for the output vector
    int nt = static_cast<int>(templates.size());
    MPI_Bcast(&nt, 1, MPI_INT, 0, world);
    templates.resize(nt);
    for (auto &t : templates) {
      int len = static_cast<int>(t.label.size()), no = static_cast<int>(t.offsets.size());
      MPI_Bcast(&len, 1, MPI_INT, 0, world);
      MPI_Bcast(&no, 1, MPI_INT, 0, world);
      t.label.resize(len);
      t.offsets.resize(no);
      MPI_Bcast(&t.label[0], len, MPI_CHAR, 0, world);
      MPI_Bcast(t.offsets.data(), 3 * no, MPI_DOUBLE, 0, world);
    }
  }
  if (m_itypes != ITYPES_NONE && (domain->lattice == nullptr || domain->lattice->style == Lattice::NONE))
    error->all(FLERR, "fix re/stats: interstitial types need a lattice command (templates are in lattice units)");
  for (auto &t : templates) m_labels.push_back(t.label);
  m_type_counts.assign(m_labels.size() + 1, 0.0);
  m_templates = templates;
  if (m_itypes != ITYPES_NONE) {
    // lattice as defined now, mapped through the current box (used when the sites carry no lattice)
    m_lattice = reval_lmp::capture_lattice_map(domain->lattice);
    const reval::LatticeMap &map = m_lattice;
    m_lattice_box = reval_lmp::box_geom(domain);
    try {
      reval::InterstitialClassifier check(map, templates, 1.0, 1.0);    // validates lattice and templates now
    } catch (reval::Error &e) {
      error->all(FLERR, std::string("fix re/stats: ") + e.what());
    }
  }

  vector_flag = 1;
  size_vector = 10 + 2 * static_cast<int>(m_type_counts.size());
  global_freq = nevery;
  extvector = 0;
  peratom_flag = 1;
  size_peratom_cols = 4;
  peratom_freq = nevery;
  restart_global = 1;
  restart_peratom = 1;
  maxexchange = nmigrate();    // more than Comm's spare room (BUFEXTRA) with many origins
  m_vector.assign(size_vector, 0.0);
  m_D = m_sigma_D = std::numeric_limits<double>::quiet_NaN();

  grow_arrays(atom->nmax);
  atom->add_callback(Atom::GROW);
  atom->add_callback(Atom::RESTART);
  for (int i = 0; i < atom->nlocal; ++i) {
    std::fill(m_state[i], m_state[i] + nvalues(), 0.0);
    std::fill(m_out[i], m_out[i] + kOutCols, 0.0);
  }
  m_xcm_ref.assign(3 * m_norigins, 0.0);
  // the file is opened at the first init(): whether to append depends on restart data, given after this
}

FixREStats::~FixREStats()
{
  atom->delete_callback(id, Atom::GROW);
  atom->delete_callback(id, Atom::RESTART);
  memory->destroy(m_state);
  memory->destroy(m_out);
  if (m_fp) fclose(m_fp);
}

int FixREStats::setmask()
{
  return END_OF_STEP;
}

void FixREStats::post_constructor()
{
  // restart data written by the twin style (re/stats <-> re/stats/kk), which LAMMPS does not hand over
  reval_lmp::restore_twin_restart(lmp, this);
}

void FixREStats::open_file()
{
  m_file_opened = true;
  if (m_file.empty() || comm->me != 0) return;
  // append when asked, or by default when the state continues a restart file (the earlier lines are
  // the first part of this time series); otherwise start the file anew
  const bool append = m_append == 1 || (m_append < 0 && m_restored);
  m_fp = fopen(m_file.c_str(), append ? "a" : "w");
  if (!m_fp) error->one(FLERR, "fix re/stats: cannot open file " + m_file + ": " + std::strerror(errno));
  fseek(m_fp, 0, SEEK_END);
  m_need_header = ftell(m_fp) == 0 || m_nsamples == 0;
}

void FixREStats::init()
{
  if (!m_file_opened) open_file();
  int ic = modify->find_compute(m_id_sites);
  if (ic < 0) error->all(FLERR, "fix re/stats: compute vacancy/sites ID '" + m_id_sites + "' does not exist");
  m_sites = dynamic_cast<ComputeVacancySites *>(modify->compute[ic]);
  if (!m_sites)
    error->all(FLERR, "fix re/stats: compute " + m_id_sites + " is a compute " + modify->compute[ic]->style +
                          ", not a compute vacancy/sites");
  m_sites->request(
      reval_lmp::SiteRequest{std::string("fix ") + id, 0.0, groupbit, !kokkosable, m_itypes != ITYPES_NONE});
  if (group->dynamic[igroup]) error->all(FLERR, "fix re/stats: dynamic groups are not supported (the reference positions belong to fixed atoms)");
}

void FixREStats::setup(int)
{
  if (m_nsamples == 0) sample();    // the first sample defines the origin
}

void FixREStats::end_of_step()
{
  if (update->ntimestep != m_last_step) sample();    // rerun: setup and end_of_step on the first frame
}

void FixREStats::post_run()
{
  // once per run: D and sigma_D are NaN while the fit window holds fewer than 2 samples
  if (m_nsamples < 2) return;
  update_fit();
  if (m_fitted || comm->me != 0) return;
  const double elapsed = m_times.back();
  if (m_fit_start >= 0 || m_fit_end > 0)
    error->warning(FLERR, fmt::format("fix re/stats {}: D not fitted (NaN): the fit window {:.6g} to {:.6g} holds {} "
                                      "of the {} samples (elapsed time {:.6g}); set 'fit' inside the data",
                                      id, m_fit_window[0], m_fit_window[1], m_fit_points, m_nsamples, elapsed));
  else
    error->warning(FLERR, fmt::format("fix re/stats {}: D not fitted (NaN): the automatic fit window (from MSD = "
                                      "0.5 a^2 to 0.7 of the elapsed time {:.6g}) holds {} of the {} samples; "
                                      "N_eff = {:.3g}: run longer, or set 'fit'",
                                      id, elapsed, m_fit_points, m_nsamples, m_neff));
}

double FixREStats::current_time() const
{
  // time since the first sample, accumulated step by step between samples: this also works in rerun,
  // where LAMMPS resets the timestep for every frame without advancing its simulation time
  if (m_nsamples == 0) return 0.0;
  return m_times.back() + (update->ntimestep - m_last_step) * update->dt;
}

void FixREStats::group_com(double cm[3])
{
  group->xcm(igroup, group->mass(igroup), cm);
}

void FixREStats::sample()
{
  const bigint ngroup = group->count(igroup);
  if (m_nsamples == 0) {
    m_step0 = update->ntimestep;
    m_t0 = 0.0;
    m_group_count = ngroup;
  } else if (ngroup != m_group_count) {
    error->all(FLERR, fmt::format("fix re/stats: group {} changed from {} to {} atoms: the reference positions "
                                  "would be corrupted (define the fix after atoms are created or deleted)",
                                  group->names[igroup], m_group_count, ngroup));
  }
  const bigint k = m_nsamples;    // index of this sample
  // origins start at samples 0, S, 2S, ..., (M-1)S: at most one per sample
  const bigint every = m_origin_every;
  const int start = (k % every == 0 && k / every < m_norigins) ? static_cast<int>(k / every) : -1;
  const int nactive = static_cast<int>(std::min<bigint>(m_norigins, k / every + 1));
  const double t = current_time();
  m_times.push_back(t);

  // ---- centre-of-mass drift of every origin
  std::vector<double> xcm(3 * m_norigins, 0.0);
  if (m_com) {
    double now[3];
    group_com(now);
    if (start >= 0)
      for (int d = 0; d < 3; ++d) m_xcm_ref[3 * start + d] = now[d];
    for (int m = 0; m < m_norigins; ++m)
      for (int d = 0; d < 3; ++d) xcm[3 * m + d] = now[d] - m_xcm_ref[3 * m + d];
  }

  // ---- per atom: displacements (TMSD of every active origin) and hops (changes of home site =
  // nearest site while on a site and not migrating), from the nearest-site data of the sites compute
  m_sites->analyse();
  const reval_lmp::SiteAnalysis &sa = m_sites->analysis();
  rk::ReStatsSample p;
  p.layout.norigins = m_norigins;
  p.nactive = nactive;
  p.start = start;
  p.xcm = xcm.data();
  p.rvac = m_sites->rvac();
  p.nn_cut2 = sa.nn_cut2;
  p.dre = m_dre;
  p.pairs = m_pairs;
  p.cap = m_sites->cap();
  std::vector<double> local(m_norigins + 1, 0.0), global(m_norigins + 1, 0.0);
  sample_atoms(p, local);
  MPI_Allreduce(local.data(), global.data(), m_norigins + 1, MPI_DOUBLE, MPI_SUM, world);
  m_tmsd = global[0];
  for (int m = 0; m < nactive; ++m) {
    const size_t lag = static_cast<size_t>(k - static_cast<bigint>(m) * m_origin_every);
    if (m_lag_sum.size() <= lag) {
      m_lag_sum.resize(lag + 1, 0.0);
      m_lag_count.resize(lag + 1, 0.0);
    }
    m_lag_sum[lag] += global[m];
    m_lag_count[lag] += 1.0;
  }
  m_total_hops += global[m_norigins];

  // ---- interstitial types
  int n_int = 0;
  std::vector<int> types(m_type_counts.size(), 0);
  if (m_itypes != ITYPES_NONE) classify_interstitials(n_int, types);
  if (n_int > 0) {
    ++m_nsamples_int;
    for (size_t j = 0; j < types.size(); ++j) m_type_counts[j] += types[j];
  }
  ++m_nsamples;
  m_last_step = update->ntimestep;
  m_fit_sample = -1;

  if (m_fp) {
    if (m_nsamples == 1) m_need_header = true;    // a new time series
    if (m_need_header) {
      m_need_header = false;
      fprintf(m_fp, "# fix re/stats %s: step time TMSD MSD D sigma_D N_eff hops_total interstitials", id);
      for (auto &l : m_labels) fprintf(m_fp, " %s", l.c_str());
      fprintf(m_fp, "%s\n", m_labels.empty() ? "" : " other");
    }
    update_fit();
    fprintf(m_fp, BIGINT_FORMAT " %.10g %.10g %.10g %.10g %.10g %.10g %.0f %d", update->ntimestep, t, m_tmsd,
            m_group_count ? m_tmsd / m_group_count : 0.0, m_D, m_sigma_D, m_neff, m_total_hops, n_int);
    if (!m_labels.empty())
      for (int v : types) fprintf(m_fp, " %d", v);
    fprintf(m_fp, "\n");
    fflush(m_fp);
  }
}

void FixREStats::sample_atoms(const rk::ReStatsSample &p, std::vector<double> &sums)
{
  const reval_lmp::SiteAnalysis &sa = m_sites->host_analysis();
  const auto box = reval_lmp::box_geom(domain);
  const auto view = sa.grid.view(box);
  const auto gid_of = [&sa](int slot) { return static_cast<double>(sa.gid_of_slot(slot)); };
  double **x = atom->x;
  imageint *image = atom->image;
  int *mask = atom->mask;
  double new_hops = 0.0;
  for (int i = 0; i < atom->nlocal; ++i) {
    const bool in_group = (mask[i] & groupbit) != 0;
    int img[3];
    double u[3];
    rk::decode_image<imageint>(image[i], IMGMASK, IMGMAX, IMGBITS, IMG2BITS, img);
    rk::unwrap_position(box, x[i], img, u);
    rk::re_stats_displacement(p, in_group, u, m_state[i], sums.data(), m_out[i]);
    if (in_group) new_hops += rk::re_stats_hop(p, sa.nearest[i], view.px, view.py, view.pz, gid_of, m_state[i], m_out[i]);
  }
  sums[m_norigins] = new_hops;
}

void FixREStats::classify_interstitials(int &n_int, std::vector<int> &types)
{
  const reval_lmp::SiteAnalysis &sa = m_sites->host_analysis();
  m_sites->exchange_ghost_occupancy();
  const double rvac = m_sites->rvac();
  const auto box = reval_lmp::box_geom(domain);
  int *mask = atom->mask;
  double **x = atom->x;
  // defect atoms (off every site, or sharing a site) and vacant sites of this rank
  std::vector<double> mine;    // records of 5 doubles: x y z occupies site
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(mask[i] & groupbit)) continue;
    const rk::NearestTwo &n = sa.nearest[i];
    if (n.s1 < 0) continue;
    const int l = sa.local_of_slot(n.s1);
    const bool on = n.d1 <= rvac;
    if (on && sa.occupancy_of(l) < 2) continue;
    mine.insert(mine.end(), {x[i][0], x[i][1], x[i][2], on ? 1.0 : 0.0, static_cast<double>(sa.gid[l])});
  }
  std::vector<double> vac;    // x y z site
  for (int l : sa.vacancies) {
    double xs[3];
    rk::lamda2x(box, &sa.lam[3 * l], xs);
    vac.insert(vac.end(), {xs[0], xs[1], xs[2], static_cast<double>(sa.gid[l])});
  }
  const std::vector<double> all_atoms = reval_lmp::gather_to_root(lmp, mine);
  const std::vector<double> all_vac = reval_lmp::gather_to_root(lmp, vac);

  const bool sites_lattice = sa.has_lattice;
  const reval::LatticeMap &lat = sites_lattice ? sa.lattice : m_lattice;
  const auto &b0 = sites_lattice ? sa.capture_box : m_lattice_box;
  if (!m_classifier) {
    // tolerance 0.275 (V/n)^(1/3) of the reference study; clusters join within 1.1 site spacings
    double itol = m_itol;
    if (itol <= 0) itol = 0.275 * std::cbrt(domain->xprd * domain->yprd * domain->zprd / static_cast<double>(sa.nsites_total));
    m_classifier.reset(new reval::InterstitialClassifier(lat, m_templates, itol, 1.1 * sa.nn_distance));
  }

  std::vector<int> result(types.size() + 1, 0);    // interstitials, then per type
  if (comm->me == 0) {
    std::vector<reval::DefectAtom> atoms;
    for (size_t r = 0; r + 5 <= all_atoms.size(); r += 5)
      atoms.push_back({{all_atoms[r], all_atoms[r + 1], all_atoms[r + 2]}, all_atoms[r + 3] > 0.5 ? 1 : 0,
                       static_cast<int64_t>(all_atoms[r + 4])});
    std::vector<reval::VacantSite> vacancies;
    for (size_t r = 0; r + 4 <= all_vac.size(); r += 4)
      vacancies.push_back({{all_vac[r], all_vac[r + 1], all_vac[r + 2]}, static_cast<int64_t>(all_vac[r + 3])});
    // lattice coordinates <-> current box: through the box the lattice was applied to (sites follow the box)
    Eigen::Matrix3d A, H0, H;
    for (int c = 0; c < 3; ++c)
      for (int r = 0; r < 3; ++r) A(r, c) = lat.a[c][r];
    H0 << b0.h[0], b0.h[5], b0.h[4], 0, b0.h[1], b0.h[3], 0, 0, b0.h[2];
    H << box.h[0], box.h[5], box.h[4], 0, box.h[1], box.h[3], 0, 0, box.h[2];
    const Eigen::Matrix3d M = H * H0.inverse() * A, Minv = M.inverse();
    const Eigen::Vector3d p0(lat.p0[0], lat.p0[1], lat.p0[2]), lo0(b0.boxlo[0], b0.boxlo[1], b0.boxlo[2]),
        lo(box.boxlo[0], box.boxlo[1], box.boxlo[2]);
    const Eigen::Vector3d shift = H * H0.inverse() * (p0 - lo0) + lo;
    reval::LatticeFrame frame{[&](const double *u, double *xo) {
                                Eigen::Vector3d v = M * Eigen::Vector3d(u[0], u[1], u[2]) + shift;
                                for (int d = 0; d < 3; ++d) xo[d] = v[d];
                              },
                              [&](const double *xi, double *u) {
                                Eigen::Vector3d v = Minv * (Eigen::Vector3d(xi[0], xi[1], xi[2]) - shift);
                                for (int d = 0; d < 3; ++d) u[d] = v[d];
                              }};
    const auto c = m_classifier->classify(atoms, vacancies, box, frame);
    result[0] = c.interstitials;
    for (size_t j = 0; j < c.per_template.size(); ++j) result[1 + j] = c.per_template[j];
    result[types.size()] = c.other;
  }
  MPI_Bcast(result.data(), static_cast<int>(result.size()), MPI_INT, 0, world);
  n_int = result[0];
  for (size_t j = 0; j < types.size(); ++j) types[j] = result[1 + j];
}

void FixREStats::update_fit()
{
  if (m_fit_sample == m_nsamples) return;
  m_fit_sample = m_nsamples;
  const double a = m_hop > 0 ? m_hop : m_sites->analysis().nn_distance;
  const size_t L = std::min(m_lag_sum.size(), m_times.size());
  std::vector<double> t(L), msd(L), tmsd(L);
  const double n = m_group_count > 0 ? static_cast<double>(m_group_count) : 1.0;
  for (size_t l = 0; l < L; ++l) {
    t[l] = m_times[l];
    tmsd[l] = m_lag_count[l] > 0 ? m_lag_sum[l] / m_lag_count[l] : 0.0;
    msd[l] = tmsd[l] / n;
  }
  const double elapsed = m_times.empty() ? 0.0 : m_times.back();
  auto window = reval::default_fit_window(t, msd, a, elapsed, 0.7, tmsd);
  if (m_fit_start >= 0) window.first = m_fit_start;
  if (m_fit_end > 0) window.second = m_fit_end;
  const auto fit = reval::fit_diffusivity(t, msd, window.first, window.second, domain->dimension);
  m_fitted = fit.fitted;
  m_fit_points = fit.npoints;
  m_fit_window[0] = window.first;
  m_fit_window[1] = window.second;
  m_neff = reval::effective_hops(tmsd, a);
  // not fitted (fewer than 2 samples in the window): NaN, not a diffusivity of 0
  m_D = fit.D;
  m_sigma_D = fit.fitted ? std::fabs(m_D) * reval::diffusivity_rsd(m_neff) : std::numeric_limits<double>::quiet_NaN();
}

double FixREStats::compute_vector(int i)
{
  update_fit();
  const double elapsed = m_times.empty() ? 0.0 : m_times.back();
  const int nt = static_cast<int>(m_type_counts.size());
  switch (i) {
    case 0: return elapsed;
    case 1: return m_tmsd;
    case 2: return m_group_count ? m_tmsd / m_group_count : 0.0;
    case 3: return m_D;
    case 4: return m_sigma_D;
    case 5: return m_neff;
    case 6: return m_total_hops;
    case 7: return elapsed > 0 ? m_total_hops / elapsed : 0.0;
    case 8: return static_cast<double>(m_nsamples);
    case 9: return static_cast<double>(m_nsamples_int);
    default: break;
  }
  const int j = i - 10;
  if (j >= 0 && j < nt) return m_type_counts[j];
  if (j >= nt && j < 2 * nt) return m_nsamples_int > 0 ? m_type_counts[j - nt] / m_nsamples_int : 0.0;
  return 0.0;
}

// ---------------------------------------------------------------- per-atom state

void FixREStats::grow_arrays(int nmax)
{
  memory->grow(m_state, nmax, nvalues(), "re/stats:state");
  memory->grow(m_out, nmax, kOutCols, "re/stats:out");
  array_atom = m_out;
}

void FixREStats::copy_arrays(int i, int j, int)
{
  std::copy(m_state[i], m_state[i] + nvalues(), m_state[j]);
  std::copy(m_out[i], m_out[i] + kOutCols, m_out[j]);
}

int FixREStats::pack_exchange(int i, double *buf)
{
  std::copy(m_state[i], m_state[i] + nvalues(), buf);
  std::copy(m_out[i], m_out[i] + kOutCols, buf + nvalues());
  return nmigrate();
}

int FixREStats::unpack_exchange(int nlocal, double *buf)
{
  std::copy(buf, buf + nvalues(), m_state[nlocal]);
  std::copy(buf + nvalues(), buf + nmigrate(), m_out[nlocal]);
  return nmigrate();
}

int FixREStats::pack_restart(int i, double *buf)
{
  // LAMMPS convention: the first value is the record length, itself included
  buf[0] = nmigrate() + 1;
  std::copy(m_state[i], m_state[i] + nvalues(), buf + 1);
  std::copy(m_out[i], m_out[i] + kOutCols, buf + 1 + nvalues());
  return nmigrate() + 1;
}

void FixREStats::unpack_restart(int nlocal, int nth)
{
  double **extra = atom->extra;
  int m = 0;
  for (int i = 0; i < nth; ++i) m += static_cast<int>(extra[nlocal][m]);
  // the global data (read first) have checked the version and the origins: a mismatch here is a corrupt file
  if (static_cast<int>(extra[nlocal][m]) != nmigrate() + 1)
    error->one(FLERR, fmt::format("fix re/stats: per-atom restart record of {} values, expected {} ({} origins)",
                                  static_cast<int>(extra[nlocal][m]), nmigrate() + 1, m_norigins));
  ++m;
  for (int k = 0; k < nvalues(); ++k) m_state[nlocal][k] = extra[nlocal][m++];
  for (int k = 0; k < kOutCols; ++k) m_out[nlocal][k] = extra[nlocal][m++];
}

int FixREStats::size_restart(int)
{
  return nmigrate() + 1;
}

int FixREStats::maxsize_restart()
{
  return nmigrate() + 1;
}

// ---------------------------------------------------------------- global state

void FixREStats::write_restart(FILE *fp)
{
  std::vector<double> b;
  b.push_back(kRestartVersion);
  b.push_back(m_norigins);
  b.push_back(m_origin_every);
  b.push_back(static_cast<double>(m_type_counts.size()));
  b.push_back(static_cast<double>(m_nsamples));
  b.push_back(static_cast<double>(m_nsamples_int));
  b.push_back(static_cast<double>(m_step0));
  b.push_back(m_t0);
  b.push_back(m_total_hops);
  b.push_back(static_cast<double>(m_group_count));
  b.push_back(m_tmsd);
  b.push_back(static_cast<double>(m_last_step));
  b.insert(b.end(), m_type_counts.begin(), m_type_counts.end());
  b.insert(b.end(), m_xcm_ref.begin(), m_xcm_ref.end());
  b.push_back(static_cast<double>(m_times.size()));
  b.insert(b.end(), m_times.begin(), m_times.end());
  b.push_back(static_cast<double>(m_lag_sum.size()));
  b.insert(b.end(), m_lag_sum.begin(), m_lag_sum.end());
  b.insert(b.end(), m_lag_count.begin(), m_lag_count.end());
  if (comm->me == 0) {
    int size = static_cast<int>(b.size() * sizeof(double));
    fwrite(&size, sizeof(int), 1, fp);
    fwrite(b.data(), sizeof(double), b.size(), fp);
  }
}

void FixREStats::restart(char *buf)
{
  const double *b = reinterpret_cast<const double *>(buf);
  size_t p = 0;
  const int version = static_cast<int>(b[p++]);
  if (version != kRestartVersion)
    error->all(FLERR, fmt::format("fix re/stats: restart data of version {}, this REVAL reads version {}{}", version,
                                  kRestartVersion,
                                  version == 1 ? " (version 1 did not keep the per-atom output with its atoms: "
                                                 "continue that run with the REVAL that wrote it, or start anew)"
                                               : ""));
  if (static_cast<int>(b[p++]) != m_norigins || static_cast<int>(b[p++]) != m_origin_every)
    error->all(FLERR, "fix re/stats: the restart file was written with other 'origins' settings");
  if (static_cast<size_t>(b[p++]) != m_type_counts.size())
    error->all(FLERR, "fix re/stats: the restart file was written with other interstitial templates");
  m_nsamples = static_cast<bigint>(b[p++]);
  m_nsamples_int = static_cast<bigint>(b[p++]);
  m_step0 = static_cast<bigint>(b[p++]);
  m_t0 = b[p++];
  m_total_hops = b[p++];
  m_group_count = static_cast<bigint>(b[p++]);
  m_tmsd = b[p++];
  m_last_step = static_cast<bigint>(b[p++]);
  for (auto &c : m_type_counts) c = b[p++];
  for (auto &c : m_xcm_ref) c = b[p++];
  m_times.assign(b + p + 1, b + p + 1 + static_cast<size_t>(b[p]));
  p += 1 + m_times.size();
  const size_t nl = static_cast<size_t>(b[p++]);
  m_lag_sum.assign(b + p, b + p + nl);
  p += nl;
  m_lag_count.assign(b + p, b + p + nl);
  m_fit_sample = -1;
  m_restored = true;
}

double FixREStats::memory_usage()
{
  return static_cast<double>(atom->nmax) * nmigrate() * sizeof(double) +
      (m_times.size() + 2 * m_lag_sum.size()) * sizeof(double);
}
