/* ----------------------------------------------------------------------
   REVAL: fix re/stats
   The sampler: time origins, the group's centre of mass, the per-atom part of a sample (displacements
   per time origin, home sites and hops by the migrating rule on the nearest-site data of a compute
   vacancy/sites: the point kernels of kernels/point/re_stats.hpp, looped over the atoms in the
   virtual sample_atoms(); fix re/stats/kk runs the same kernels on the device), the lag sums, the
   global vector, per-atom state and restarts. The other parts: re_stats_settings (arguments),
   re_stats_interstitials (interstitial types; it gathers only the few defect atoms and vacancies on
   rank 0), core/diffusion (D, sigma_D, N_eff), re_stats_output (file). Per-atom state migrates with
   the atoms and is written to restart files; the per-atom output (array_atom) migrates with the atoms
   too, so that it belongs to the right atoms after sorting, exchange and restarts; plain and /kk
   write the same restart data and read each other's (restart_twin.h).
------------------------------------------------------------------------- */

#include "fix_re_stats.h"

#include "adapter_utils.h"
#include "compute_vacancy_sites.h"
#include "restart_twin.h"
#include "site_analysis.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "group.h"
#include "memory.h"
#include "modify.h"
#include "update.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace LAMMPS_NS;
using namespace FixConst;
namespace rk = reval::kernels;
using reval_lmp::ITypes;

namespace {
// 2: per-atom records carry the output row (hops dx dy dz) after the state
constexpr int kRestartVersion = 2;
}    // namespace

FixREStats::FixREStats(LAMMPS *lmp, int narg, char **arg) :
    Fix(lmp, narg, arg), m_set(reval_lmp::parse_re_stats_settings(lmp, narg, arg)), m_interstitials(lmp, m_set)
{
  nevery = m_set.nevery;
  m_type_counts.assign(m_interstitials.labels().size() + 1, 0.0);
  m_xcm_ref.assign(3 * m_set.norigins, 0.0);
  m_fit.D = m_fit.sigma_D = std::numeric_limits<double>::quiet_NaN();
  declare_outputs();
  allocate_peratom();
  // the file is opened at the first init(): whether to append depends on restart data, given after this
}

void FixREStats::declare_outputs()
{
  vector_flag = 1;
  size_vector = 10 + 2 * static_cast<int>(m_type_counts.size());
  global_freq = nevery;
  extvector = 0;
  peratom_flag = 1;
  size_peratom_cols = kOutCols;
  peratom_freq = nevery;
  restart_global = 1;
  restart_peratom = 1;
  maxexchange = nmigrate();    // more than Comm's spare room (BUFEXTRA) with many origins
}

void FixREStats::allocate_peratom()
{
  grow_arrays(atom->nmax);
  atom->add_callback(Atom::GROW);
  atom->add_callback(Atom::RESTART);
  for (int i = 0; i < atom->nlocal; ++i) {
    std::fill(m_state[i], m_state[i] + nvalues(), 0.0);
    std::fill(m_out[i], m_out[i] + kOutCols, 0.0);
  }
}

FixREStats::~FixREStats()
{
  atom->delete_callback(id, Atom::GROW);
  atom->delete_callback(id, Atom::RESTART);
  memory->destroy(m_state);
  memory->destroy(m_out);
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
  if (m_set.file.empty() || comm->me != 0) return;
  // append when asked, or by default when the state continues a restart file (the earlier lines are
  // the first part of this time series); otherwise start the file anew
  const bool append = m_set.append == 1 || (m_set.append < 0 && m_restored);
  m_file.open(lmp, m_set.file, append, m_nsamples == 0);
}

void FixREStats::init()
{
  if (!m_file_opened) open_file();
  int ic = modify->find_compute(m_set.id_sites);
  if (ic < 0) error->all(FLERR, "fix re/stats: compute vacancy/sites ID '" + m_set.id_sites + "' does not exist");
  m_sites = dynamic_cast<ComputeVacancySites *>(modify->compute[ic]);
  if (!m_sites)
    error->all(FLERR, "fix re/stats: compute " + m_set.id_sites + " is a compute " + modify->compute[ic]->style +
                          ", not a compute vacancy/sites");
  m_sites->request(
      reval_lmp::SiteRequest{std::string("fix ") + id, 0.0, groupbit, !kokkosable, m_interstitials.enabled()});
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
  if (m_fit.fitted || comm->me != 0) return;
  const double elapsed = m_times.back();
  if (m_set.fit_start >= 0 || m_set.fit_end > 0)
    error->warning(FLERR, fmt::format("fix re/stats {}: D not fitted (NaN): the fit window {:.6g} to {:.6g} holds {} "
                                      "of the {} samples (elapsed time {:.6g}); set 'fit' inside the data",
                                      id, m_fit.window[0], m_fit.window[1], m_fit.npoints, m_nsamples, elapsed));
  else
    error->warning(FLERR, fmt::format("fix re/stats {}: D not fitted (NaN): the automatic fit window (from MSD = "
                                      "0.5 a^2 to 0.7 of the elapsed time {:.6g}) holds {} of the {} samples; "
                                      "N_eff = {:.3g}: run longer, or set 'fit'",
                                      id, elapsed, m_fit.npoints, m_nsamples, m_fit.n_eff));
}

double FixREStats::current_time() const
{
  // time since the first sample, accumulated step by step between samples: this also works in rerun,
  // where LAMMPS resets the timestep for every frame without advancing its simulation time
  if (m_nsamples == 0) return 0.0;
  return m_times.back() + (update->ntimestep - m_last_step) * update->dt;
}

// ---------------------------------------------------------------- centre of mass

void FixREStats::unwrapped(const rk::BoxGeom &box, int i, double u[3]) const
{
  int img[3];
  rk::decode_image<imageint>(atom->image[i], IMGMASK, IMGMAX, IMGBITS, IMG2BITS, img);
  rk::unwrap_position(box, atom->x[i], img, u);
}

void FixREStats::group_com_sums(double s[4])
{
  const auto box = reval_lmp::box_geom(domain);
  const int *mask = atom->mask, *type = atom->type;
  const double *rmass = atom->rmass, *mass = atom->mass;
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(mask[i] & groupbit)) continue;
    double u[3];
    unwrapped(box, i, u);
    rk::re_stats_com_add(rmass ? rmass[i] : mass[type[i]], u, s);
  }
}

void FixREStats::group_com(double cm[3])
{
  double local[4] = {0.0, 0.0, 0.0, 0.0}, all[4];
  group_com_sums(local);
  MPI_Allreduce(local, all, 4, MPI_DOUBLE, MPI_SUM, world);
  rk::re_stats_com_finish(all, cm);
}

// ---------------------------------------------------------------- one sample

void FixREStats::check_group_count()
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
}

std::vector<double> FixREStats::com_drift(int start)
{
  std::vector<double> xcm(3 * m_set.norigins, 0.0);
  if (!m_set.com) return xcm;
  double now[3];
  group_com(now);
  if (start >= 0)
    for (int d = 0; d < 3; ++d) m_xcm_ref[3 * start + d] = now[d];
  for (int m = 0; m < m_set.norigins; ++m)
    for (int d = 0; d < 3; ++d) xcm[3 * m + d] = now[d] - m_xcm_ref[3 * m + d];
  return xcm;
}

rk::ReStatsSample FixREStats::sample_parameters(int start, int nactive, const double *xcm) const
{
  const reval_lmp::SiteAnalysis &sa = m_sites->analysis();
  rk::ReStatsSample p;
  p.layout.norigins = m_set.norigins;
  p.nactive = nactive;
  p.start = start;
  p.xcm = xcm;
  p.rvac = m_sites->rvac();
  p.nn_cut2 = sa.nn_cut2;
  p.dre = m_set.dre;
  p.pairs = m_set.pairs;
  p.cap = m_sites->cap();
  return p;
}

void FixREStats::add_to_lags(bigint k, int nactive, const std::vector<double> &global)
{
  for (int m = 0; m < nactive; ++m) {
    const size_t lag = static_cast<size_t>(k - static_cast<bigint>(m) * m_set.origin_every);
    if (m_lag_sum.size() <= lag) {
      m_lag_sum.resize(lag + 1, 0.0);
      m_lag_count.resize(lag + 1, 0.0);
    }
    m_lag_sum[lag] += global[m];
    m_lag_count[lag] += 1.0;
  }
}

int FixREStats::count_interstitials(std::vector<int> &types)
{
  int n_int = 0;
  types.assign(m_type_counts.size(), 0);
  if (m_interstitials.enabled()) m_interstitials.classify(m_sites, groupbit, m_set.itol, n_int, types);
  if (n_int > 0) {
    ++m_nsamples_int;
    for (size_t j = 0; j < types.size(); ++j) m_type_counts[j] += types[j];
  }
  return n_int;
}

void FixREStats::write_file_row(double t, int n_int, const std::vector<int> &types)
{
  if (!m_file.is_open()) return;
  update_fit();
  reval_lmp::ReStatsRow r;
  r.step = update->ntimestep;
  r.time = t;
  r.tmsd = m_tmsd;
  r.msd = m_group_count ? m_tmsd / m_group_count : 0.0;
  r.D = m_fit.D;
  r.sigma_D = m_fit.sigma_D;
  r.n_eff = m_fit.n_eff;
  r.hops = m_total_hops;
  r.interstitials = n_int;
  r.types = &types;
  m_file.write(id, m_interstitials.labels(), r, m_nsamples == 1);    // a new time series at the first sample
}

void FixREStats::sample()
{
  check_group_count();
  const bigint k = m_nsamples;    // index of this sample
  // origins start at samples 0, S, 2S, ..., (M-1)S: at most one per sample
  const bigint every = m_set.origin_every;
  const int start = (k % every == 0 && k / every < m_set.norigins) ? static_cast<int>(k / every) : -1;
  const int nactive = static_cast<int>(std::min<bigint>(m_set.norigins, k / every + 1));
  const double t = current_time();
  m_times.push_back(t);
  const std::vector<double> xcm = com_drift(start);

  // per atom: displacements (TMSD of every active origin) and hops (changes of home site = nearest
  // site while on a site and not migrating), from the nearest-site data of the sites compute
  m_sites->analyse();
  std::vector<double> local(m_set.norigins + 1, 0.0), global(m_set.norigins + 1, 0.0);
  sample_atoms(sample_parameters(start, nactive, xcm.data()), local);
  MPI_Allreduce(local.data(), global.data(), m_set.norigins + 1, MPI_DOUBLE, MPI_SUM, world);
  m_tmsd = global[0];
  add_to_lags(k, nactive, global);
  m_total_hops += global[m_set.norigins];

  std::vector<int> types;
  const int n_int = count_interstitials(types);
  ++m_nsamples;
  m_last_step = update->ntimestep;
  m_fit_sample = -1;
  write_file_row(t, n_int, types);
}

void FixREStats::sample_atoms(const rk::ReStatsSample &p, std::vector<double> &sums)
{
  const reval_lmp::SiteAnalysis &sa = m_sites->host_analysis();
  const auto box = reval_lmp::box_geom(domain);
  const auto view = sa.grid.view(box);
  const auto gid_of = [&sa](int slot) { return static_cast<double>(sa.gid_of_slot(slot)); };
  int *mask = atom->mask;
  double new_hops = 0.0;
  for (int i = 0; i < atom->nlocal; ++i) {
    const bool in_group = (mask[i] & groupbit) != 0;
    double u[3];
    unwrapped(box, i, u);
    rk::re_stats_displacement(p, in_group, u, m_state[i], sums.data(), m_out[i]);
    if (in_group) new_hops += rk::re_stats_hop(p, sa.nearest[i], view.px, view.py, view.pz, gid_of, m_state[i], m_out[i]);
  }
  sums[m_set.norigins] = new_hops;
}

// ---------------------------------------------------------------- results

void FixREStats::update_fit()
{
  if (m_fit_sample == m_nsamples) return;
  m_fit_sample = m_nsamples;
  const double a = m_set.hop > 0 ? m_set.hop : m_sites->analysis().nn_distance;
  m_fit = reval::estimate_diffusion(m_times, m_lag_sum, m_lag_count, static_cast<double>(m_group_count), a,
                                    m_set.fit_start, m_set.fit_end, domain->dimension);
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
    case 3: return m_fit.D;
    case 4: return m_fit.sigma_D;
    case 5: return m_fit.n_eff;
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
                                  static_cast<int>(extra[nlocal][m]), nmigrate() + 1, m_set.norigins));
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
  b.push_back(m_set.norigins);
  b.push_back(m_set.origin_every);
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
  if (static_cast<int>(b[p++]) != m_set.norigins || static_cast<int>(b[p++]) != m_set.origin_every)
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
