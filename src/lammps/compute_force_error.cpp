/* ----------------------------------------------------------------------
   REVAL: compute force/error
   The per-atom error terms and their tallies are the point kernels of kernels/point/force_error.hpp;
   the statistics (sums that merge exactly across ranks and frames) live in reval::ForceErrorStats.
   The per-atom loop is tally_atoms(), which compute force/error/kk overrides with a device reduction.
------------------------------------------------------------------------- */

#include "compute_force_error.h"

#include "adapter_utils.h"
#include "peratom_value.h"

#include "core/dump_reader.h"
#include "core/error.h"
#include "core/force_error_stats.h"
#include "kernels/point/force_error.hpp"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "fix.h"
#include "input.h"
#include "memory.h"
#include "modify.h"
#include "update.h"
#include "utils.h"
#include "variable.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <unordered_map>

using namespace LAMMPS_NS;
namespace rk = reval::kernels;

namespace {
const char *const kKeywords[] = {"ref", "pred", "mask", "bins", "thresholds", "accumulate",
                                 "energy", "uncertainty", "file", "fmin"};
bool is_keyword(const char *a)
{
  for (auto *k : kKeywords)
    if (strcmp(a, k) == 0) return true;
  return false;
}
}    // namespace

ComputeForceError::ComputeForceError(LAMMPS *lmp, int narg, char **arg) : Compute(lmp, narg, arg)
{
  reval::ForceErrorSettings set;
  bool have_ref = false;
  int iarg = 3;
  auto need = [&](int n, const char *what) {
    if (iarg + n >= narg) error->all(FLERR, std::string("compute force/error: '") + arg[iarg] + "' needs " + what);
  };
  while (iarg < narg) {
    const std::string key = arg[iarg];
    if (key == "ref") {
      parse_source(m_ref, "ref", narg, arg, iarg);
      have_ref = true;
    } else if (key == "pred") {
      parse_source(m_pred, "pred", narg, arg, iarg);
      m_pred_forces = false;
    } else if (key == "mask") {
      need(1, "a per-atom value");
      m_mask.reset(new reval_lmp::PerAtomValue(lmp, arg[iarg + 1], "compute force/error", "mask"));
      iarg += 2;
    } else if (key == "uncertainty") {
      need(1, "a per-atom value");
      m_sigma.reset(new reval_lmp::PerAtomValue(lmp, arg[iarg + 1], "compute force/error", "uncertainty"));
      iarg += 2;
    } else if (key == "bins") {
      need(4, "4 values: nF Fmax ntheta thetamax");
      set.nF = utils::inumeric(FLERR, arg[iarg + 1], false, lmp);
      set.Fmax = utils::numeric(FLERR, arg[iarg + 2], false, lmp);
      set.nT = utils::inumeric(FLERR, arg[iarg + 3], false, lmp);
      set.Tmax = utils::numeric(FLERR, arg[iarg + 4], false, lmp);
      if (set.nF <= 0 || set.nT <= 0 || !(set.Fmax > 0) || !(set.Tmax > 0))
        error->all(FLERR, "compute force/error: bins needs positive numbers of bins and ranges (got " +
                              std::string(arg[iarg + 1]) + " " + arg[iarg + 2] + " " + arg[iarg + 3] + " " +
                              arg[iarg + 4] + ")");
      if (set.Tmax > 180.0) error->all(FLERR, "compute force/error: bins: the angle range cannot exceed 180 degrees");
      iarg += 5;
    } else if (key == "thresholds") {
      need(3, "3 values: dF dtheta1 dtheta2");
      set.thr_dF = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      set.thr_t1 = utils::numeric(FLERR, arg[iarg + 2], false, lmp);
      set.thr_t2 = utils::numeric(FLERR, arg[iarg + 3], false, lmp);
      if (set.thr_dF < 0 || set.thr_t1 < 0 || set.thr_t2 < 0)
        error->all(FLERR, "compute force/error: thresholds must be >= 0");
      iarg += 4;
    } else if (key == "accumulate") {
      need(1, "yes or no");
      const std::string v = arg[iarg + 1];
      if (v == "yes")
        m_accumulate = true;
      else if (v == "no")
        m_accumulate = false;
      else
        error->all(FLERR, "compute force/error: accumulate must be yes or no (got '" + v + "')");
      iarg += 2;
    } else if (key == "energy") {
      need(1, "an equal-style variable with the reference total energy");
      m_energy_var = arg[iarg + 1];
      if (m_energy_var.rfind("v_", 0) == 0) m_energy_var = m_energy_var.substr(2);
      iarg += 2;
    } else if (key == "file") {
      need(1, "a file name");
      m_report_file = arg[iarg + 1];
      iarg += 2;
    } else if (key == "fmin") {
      need(1, "a value");
      set.fmin = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      if (!(set.fmin > 0)) error->all(FLERR, "compute force/error: fmin must be > 0");
      iarg += 2;
    } else {
      error->all(FLERR, "compute force/error: unknown keyword '" + key + "'");
    }
  }
  if (!have_ref)
    error->all(FLERR, "compute force/error: a reference is required: 'ref X Y Z' (per-atom values) or 'ref file FILE'");

  m_local.reset(new reval::ForceErrorStats(set));
  m_total.reset(new reval::ForceErrorStats(set));
  std::fill(m_results, m_results + 17, 0.0);

  vector_flag = 1;
  size_vector = reval::ForceErrorStats::N_RESULTS;
  extvector = 0;
  array_flag = 1;
  m_nrows = std::max(set.nF, set.nT);
  size_array_rows = m_nrows;
  size_array_cols = 4;
  extarray = 0;
  peratom_flag = 1;
  size_peratom_cols = 5;
  if (!m_energy_var.empty()) {    // the potential energy must be tallied when this compute is invoked
    peflag = 1;
    timeflag = 1;
  }
  memory->create(m_cdf, m_nrows, 4, "force/error:cdf");
  for (int k = 0; k < m_nrows; ++k) std::fill(m_cdf[k], m_cdf[k] + 4, 0.0);
  array = m_cdf;
  vector = m_results;

  if (!m_report_file.empty()) {
    m_id_report_fix = std::string(id) + "_REVAL_REPORT";
    modify->add_fix(m_id_report_fix + " all REVAL/FE/REPORT " + id);
  }
}

ComputeForceError::~ComputeForceError()
{
  memory->destroy(m_cdf);
  memory->destroy(m_peratom);
  if (!m_id_report_fix.empty() && modify && modify->find_fix(m_id_report_fix) >= 0) modify->delete_fix(m_id_report_fix);
}

void ComputeForceError::parse_source(Source &s, const char *keyword, int narg, char **arg, int &iarg)
{
  const std::string kw = keyword;
  if (iarg + 1 < narg && strcmp(arg[iarg + 1], "file") == 0) {
    if (iarg + 2 >= narg) error->all(FLERR, "compute force/error: '" + kw + " file' needs a file name");
    s.file = arg[iarg + 2];
    std::string msg;
    if (comm->me == 0) {
      try {
        s.reader.reset(new reval::DumpReader(s.file));
      } catch (reval::Error &e) {
        msg = "compute force/error: " + kw + " file: " + e.what();
      }
    }
    reval_lmp::error_all_from_root(lmp, msg, FLERR);
    iarg += 3;
    return;
  }
  int n = 0;
  while (n < 3 && iarg + 1 + n < narg && !is_keyword(arg[iarg + 1 + n])) ++n;
  if (n != 3)
    error->all(FLERR, "compute force/error: " + kw + " needs three per-atom values X Y Z or 'file FILE' (found " +
                          std::to_string(n) + ")");
  for (int k = 0; k < 3; ++k)
    s.xyz.emplace_back(new reval_lmp::PerAtomValue(lmp, arg[iarg + 1 + k], "compute force/error", kw));
  iarg += 4;
}

void ComputeForceError::init_source(Source &s)
{
  for (auto &v : s.xyz) v->init();
}

void ComputeForceError::init()
{
  init_source(m_ref);
  if (!m_pred_forces) init_source(m_pred);
  if (m_mask) m_mask->init();
  if (m_sigma) m_sigma->init();
  if (!m_energy_var.empty()) {
    int iv = input->variable->find(m_energy_var.c_str());
    if (iv < 0) error->all(FLERR, "compute force/error: energy variable '" + m_energy_var + "' does not exist");
    if (!input->variable->equalstyle(iv))
      error->all(FLERR, "compute force/error: energy variable " + m_energy_var + " is not an equal-style variable");
    if (modify->find_compute("thermo_pe") < 0)
      error->all(FLERR, "compute force/error: energy needs the thermo_pe compute, which was deleted");
  }
}

void ComputeForceError::setup()
{
  ++m_setups;    // a new run (e.g. run 0 after changing atoms): evaluate again even on the same timestep
}

// Values of a source for the owned atoms; a dump frame is read on rank 0 and matched by atom ID.
void ComputeForceError::load_source(Source &s, const char *keyword, std::vector<double> out[3])
{
  const int nlocal = atom->nlocal;
  if (s.file.empty()) {
    for (int k = 0; k < 3; ++k) s.xyz[k]->evaluate(out[k], igroup);
    return;
  }
  const std::string where = std::string("compute force/error: ") + keyword + " file " + s.file;
  reval::DumpFrame frame;
  std::string msg;
  int cols[4] = {-1, -1, -1, -1};
  if (comm->me == 0) {
    try {
      if (!s.reader->seek(update->ntimestep, frame)) {
        msg = where + " has no frame for timestep " + std::to_string(update->ntimestep);
      } else {
        const char *names[4] = {"id", "fx", "fy", "fz"};
        for (int c = 0; c < 4; ++c) {
          cols[c] = frame.column(names[c]);
          if (cols[c] < 0) {
            std::string have;
            for (auto &n : frame.columns) have += " " + n;
            msg = where + " has no column '" + names[c] + "' (columns:" + have + ")";
            break;
          }
        }
      }
    } catch (reval::Error &e) {
      msg = where + ": " + e.what();
    }
  }
  reval_lmp::error_all_from_root(lmp, msg, FLERR);

  std::unordered_map<tagint, int> local;
  local.reserve(nlocal);
  for (int i = 0; i < nlocal; ++i) local[atom->tag[i]] = i;
  for (int k = 0; k < 3; ++k) out[k].assign(std::max(nlocal, atom->nmax), 0.0);
  std::vector<char> got(nlocal, 0);
  bigint nrows = comm->me == 0 ? frame.natoms : 0, matched = 0;
  MPI_Bcast(&nrows, 1, MPI_LMP_BIGINT, 0, world);
  const bigint chunk = 1 << 16;
  std::vector<double> buf;
  for (bigint start = 0; start < nrows; start += chunk) {
    const bigint m = std::min(chunk, nrows - start);
    buf.resize(4 * m);
    if (comm->me == 0)
      for (bigint r = 0; r < m; ++r)
        for (int c = 0; c < 4; ++c) buf[4 * r + c] = frame.at(start + r, cols[c]);
    MPI_Bcast(buf.data(), static_cast<int>(4 * m), MPI_DOUBLE, 0, world);
    for (bigint r = 0; r < m; ++r) {
      auto it = local.find(static_cast<tagint>(buf[4 * r]));
      if (it == local.end()) continue;
      ++matched;
      got[it->second] = 1;
      for (int k = 0; k < 3; ++k) out[k][it->second] = buf[4 * r + 1 + k];
    }
  }
  bigint all_matched = 0;
  MPI_Allreduce(&matched, &all_matched, 1, MPI_LMP_BIGINT, MPI_SUM, world);
  tagint missing_id = 0, any_missing = 0;
  for (int i = 0; i < nlocal && !missing_id; ++i)
    if ((atom->mask[i] & groupbit) && !got[i]) missing_id = atom->tag[i];
  MPI_Allreduce(&missing_id, &any_missing, 1, MPI_LMP_TAGINT, MPI_MAX, world);
  if (any_missing)
    error->all(FLERR, where + ": the frame of timestep " + std::to_string(update->ntimestep) +
                          " has no row for atom ID " + std::to_string(any_missing));
  if (all_matched != nrows)
    error->all(FLERR, where + ": the frame of timestep " + std::to_string(update->ntimestep) + " has " +
                          std::to_string(nrows - all_matched) + " atom IDs that are not in the system");
}

void ComputeForceError::evaluate()
{
  if (m_evaluated == update->ntimestep && m_evaluated_setup == m_setups) return;
  m_evaluated = update->ntimestep;
  m_evaluated_setup = m_setups;

  std::vector<double> F[3], P[3], mask, sigma;
  load_source(m_ref, "ref", F);
  if (!m_pred_forces) load_source(m_pred, "pred", P);
  if (m_mask) m_mask->evaluate(mask, igroup);
  if (m_sigma) m_sigma->evaluate(sigma, igroup);

  m_local->clear();
  AtomInputs in;
  in.ref = F;
  in.pred = m_pred_forces ? nullptr : P;
  in.mask = m_mask ? &mask : nullptr;
  in.sigma = m_sigma ? &sigma : nullptr;
  tally_atoms(in);

  if (!m_energy_var.empty()) {
    if (update->eflag_global != update->ntimestep)
      error->all(FLERR, "compute force/error: the potential energy is not available on timestep " +
                            std::to_string(update->ntimestep) +
                            ": invoke the compute on steps with thermo output or through fix ave/time");
    Compute *pe = modify->compute[modify->find_compute("thermo_pe")];
    if (!(pe->invoked_flag & Compute::INVOKED_SCALAR)) {
      pe->compute_scalar();
      pe->invoked_flag |= Compute::INVOKED_SCALAR;
    }
    const double eref = input->variable->compute_equal(input->variable->find(m_energy_var.c_str()));
    if (comm->me == 0) m_local->add_energy(pe->scalar - eref, static_cast<double>(atom->natoms));
  }

  // reduce this invocation's sums and fold them into the accumulated statistics
  std::vector<double> sums(m_local->sums().size());
  MPI_Allreduce(m_local->sums().data(), sums.data(), static_cast<int>(sums.size()), MPI_DOUBLE, MPI_SUM, world);
  double mx = 0.0;
  MPI_Allreduce(&m_local->max_error(), &mx, 1, MPI_DOUBLE, MPI_MAX, world);
  m_local->sums() = sums;
  m_local->max_error() = mx;
  if (!m_accumulate) m_total->clear();
  m_total->merge(*m_local);
  update_results();
}

void ComputeForceError::tally_atoms(const AtomInputs &in)
{
  const int nlocal = atom->nlocal;
  if (atom->nmax > m_nmax) {
    m_nmax = atom->nmax;
    memory->destroy(m_peratom);
    memory->create(m_peratom, m_nmax, 5, "force/error:peratom");
  }
  array_atom = m_peratom;

  const double fmin = m_local->settings().fmin;
  const std::vector<double> *F = in.ref, *P = in.pred;
  double **f = atom->f;
  int *amask = atom->mask;
  for (int i = 0; i < nlocal; ++i) {
    double *row = m_peratom[i];
    row[0] = row[1] = row[2] = row[3] = row[4] = 0.0;
    if (!rk::force_error_counted(amask[i], groupbit, in.mask != nullptr, in.mask ? (*in.mask)[i] : 0.0)) continue;
    const double Fi[3] = {F[0][i], F[1][i], F[2][i]};
    const double Pi[3] = {P ? P[0][i] : f[i][0], P ? P[1][i] : f[i][1], P ? P[2][i] : f[i][2]};
    const rk::ForceErrorTerms t = rk::force_error_terms(Fi, Pi, fmin);
    m_local->add(t);
    if (in.sigma) m_local->add_uncertainty(t.err, (*in.sigma)[i]);
    rk::force_error_row(t, row);    // dtheta -1: undefined direction (|F| or |P| below fmin)
  }
}

void ComputeForceError::update_results()
{
  // Spearman's rank correlation needs all (sigma, |error|) samples: gathered on rank 0 only here
  m_spearman = 0.0;
  if (m_sigma) {
    const std::vector<double> sig = reval_lmp::gather_to_root(lmp, m_total->sigma_samples());
    const std::vector<double> eps = reval_lmp::gather_to_root(lmp, m_total->error_samples());
    if (comm->me == 0) m_spearman = reval::spearman(sig, eps);
    MPI_Bcast(&m_spearman, 1, MPI_DOUBLE, 0, world);
  }
  auto r = m_total->results(m_spearman);
  std::copy(r.begin(), r.end(), m_results);
  const auto cf = m_total->cdf_dF(), ct = m_total->cdf_dtheta();
  const int nF = static_cast<int>(cf.size()), nT = static_cast<int>(ct.size());
  for (int k = 0; k < m_nrows; ++k) {    // a shorter column repeats its last bin
    const int kf = std::min(k, nF - 1), kt = std::min(k, nT - 1);
    m_cdf[k][0] = m_total->edge_dF(kf);
    m_cdf[k][1] = cf[kf];
    m_cdf[k][2] = m_total->edge_dtheta(kt);
    m_cdf[k][3] = ct[kt];
  }
}

void ComputeForceError::compute_vector()
{
  invoked_vector = update->ntimestep;
  evaluate();
}

void ComputeForceError::compute_array()
{
  invoked_array = update->ntimestep;
  evaluate();
}

void ComputeForceError::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  evaluate();
}

int ComputeForceError::modify_param(int narg, char **arg)
{
  if (narg >= 1 && strcmp(arg[0], "reset") == 0) {
    reset();
    return 1;
  }
  return 0;
}

void ComputeForceError::reset()
{
  m_total->clear();
  m_local->clear();
  m_evaluated = -1;
  update_results();
}

void ComputeForceError::write_report()
{
  if (m_report_file.empty()) return;
  update_results();
  if (comm->me != 0) return;
  FILE *fp = fopen(m_report_file.c_str(), "w");
  if (!fp) {
    error->warning(FLERR, "compute force/error: cannot write report file " + m_report_file);
    return;
  }
  std::string title = std::string("compute ") + id + ", ref " +
      (m_ref.file.empty() ? m_ref.xyz[0]->text() + " " + m_ref.xyz[1]->text() + " " + m_ref.xyz[2]->text()
                          : "file " + m_ref.file) +
      ", pred " +
      (m_pred_forces ? std::string("atom forces")
                     : (m_pred.file.empty() ? m_pred.xyz[0]->text() + " ..." : "file " + m_pred.file)) +
      (m_mask ? ", mask " + m_mask->text() : std::string()) + (m_accumulate ? ", accumulated" : "") +
      ", timestep " + std::to_string(update->ntimestep);
  fputs(m_total->report(m_spearman, title).c_str(), fp);
  fclose(fp);
}

double ComputeForceError::memory_usage()
{
  return static_cast<double>(m_nmax) * 5 * sizeof(double) + m_nrows * 4 * sizeof(double) +
      2.0 * m_total->sigma_samples().size() * sizeof(double);
}
