/* ----------------------------------------------------------------------
   REVAL: compute force/error
   The per-atom error terms and their tallies are the point kernels of kernels/point/force_error.hpp;
   the statistics (sums that merge exactly across ranks and frames) live in reval::ForceErrorStats.
   The per-atom loop is tally_atoms(), which compute force/error/kk overrides with a device reduction.
   With `accumulate yes` (or `file`), an internal fix (fix_force_error_report.h) counts every
   `every`-th timestep once (setup and end_of_step, so every rerun frame too), keeps the accumulated
   state in restart files and writes the report; output only reads the results.
------------------------------------------------------------------------- */

#include "compute_force_error.h"

#include "adapter_utils.h"
#include "peratom_value.h"

#include "fix_force_error_report.h"

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
#include <climits>
#include <limits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_map>

using namespace LAMMPS_NS;
namespace rk = reval::kernels;

namespace {
const char *const kKeywords[] = {"ref", "pred", "mask", "bins", "thresholds", "accumulate",
                                 "energy", "uncertainty", "file", "fmin", "every"};
bool is_keyword(const char *a)
{
  for (auto *k : kKeywords)
    if (strcmp(a, k) == 0) return true;
  return false;
}

// Restart data layout version (compute force/error accumulated state, kept by its internal fix).
constexpr int kRestartVersion = 1;
constexpr int kRestartHeader = 17;    // values before the sums

// RAII: marks a compute as evaluating (recursion guard); cleared on return and on error unwinding.
struct Busy {
  bool &flag;
  explicit Busy(bool &f) : flag(f) { flag = true; }
  ~Busy() { flag = false; }
};
}    // namespace

ComputeForceError::ComputeForceError(LAMMPS *lmp, int narg, char **arg) : Compute(lmp, narg, arg)
{
  const reval::ForceErrorSettings set = parse_arguments(narg, arg);
  check_inputs_are_not_this_compute();
  m_local.reset(new reval::ForceErrorStats(set));
  m_total.reset(new reval::ForceErrorStats(set));
  declare_outputs(set);
  // the internal fix: accumulation every `every` steps (run and rerun), restart data, report files
  if (!m_report_file.empty() || m_accumulate) add_report_fix();
}

reval::ForceErrorSettings ComputeForceError::parse_arguments(int narg, char **arg)
{
  reval::ForceErrorSettings set;
  bool have_ref = false, have_every = false;
  int iarg = 3;
  auto need = [&](int n, const char *what) {
    if (iarg + n >= narg) error->all(FLERR, std::string("compute force/error: '") + arg[iarg] + "' needs " + what);
  };
  while (iarg < narg) {
    const std::string key = arg[iarg];
    if (key == "ref") {
      if (have_ref) error->all(FLERR, "compute force/error: keyword 'ref' is given twice");
      parse_source(m_ref, "ref", narg, arg, iarg);
      have_ref = true;
    } else if (key == "pred") {
      if (!m_pred_forces) error->all(FLERR, "compute force/error: keyword 'pred' is given twice");
      parse_source(m_pred, "pred", narg, arg, iarg);
      m_pred_forces = false;
    } else if (key == "mask" || key == "uncertainty") {
      need(1, "a per-atom value");
      (key == "mask" ? m_mask : m_sigma)
          .reset(new reval_lmp::PerAtomValue(lmp, arg[iarg + 1], "compute force/error", key.c_str()));
      iarg += 2;
    } else if (key == "bins") {
      need(4, "4 values: nF Fmax ntheta thetamax");
      parse_bins(set, arg + iarg + 1);
      iarg += 5;
    } else if (key == "thresholds") {
      need(3, "3 values: dF dtheta1 dtheta2");
      parse_thresholds(set, arg + iarg + 1);
      iarg += 4;
    } else if (key == "accumulate") {
      need(1, "yes or no");
      const std::string v = arg[iarg + 1];
      if (v != "yes" && v != "no") error->all(FLERR, "compute force/error: accumulate must be yes or no (got '" + v + "')");
      m_accumulate = v == "yes";
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
      if (!(set.fmin > 0) || !std::isfinite(set.fmin)) error->all(FLERR, "compute force/error: fmin must be finite and > 0");
      iarg += 2;
    } else if (key == "every") {
      need(1, "a number of steps");
      m_every = parse_every(arg[iarg + 1]);
      have_every = true;
      iarg += 2;
    } else {
      error->all(FLERR, "compute force/error: unknown keyword '" + key + "'");
    }
  }
  if (!have_ref)
    error->all(FLERR, "compute force/error: a reference is required: 'ref X Y Z' (per-atom values) or 'ref file FILE'");
  if (have_every && !m_accumulate) error->all(FLERR, "compute force/error: every needs accumulate yes");
  return set;
}

void ComputeForceError::parse_bins(reval::ForceErrorSettings &set, char **v)
{
  const int kMax = reval::ForceErrorSettings::MAX_BINS;
  const std::string got = std::string(" (got ") + v[0] + " " + v[1] + " " + v[2] + " " + v[3] + ")";
  int64_t nb[2] = {0, 0};
  for (int k = 0; k < 2; ++k) {
    const std::string a = v[2 * k];
    const bool digits = !a.empty() && a.find_first_not_of("0123456789") == std::string::npos;
    if (!reval::parse_bounded_integer(a, INT64_MAX, nb[k])) {
      if (!digits) error->all(FLERR, "compute force/error: bins needs positive numbers of bins and ranges" + got);
      nb[k] = INT64_MAX;    // an integer beyond any limit
    }
    if (nb[k] < 1) error->all(FLERR, "compute force/error: bins needs positive numbers of bins and ranges" + got);
    if (nb[k] > kMax)
      error->all(FLERR, "compute force/error: bins: at most " + std::to_string(kMax) +
                            " bins per distribution (the limit of REVAL; got " + v[2 * k] + ")");
  }
  set.nF = static_cast<int>(nb[0]);
  set.nT = static_cast<int>(nb[1]);
  set.Fmax = utils::numeric(FLERR, v[1], false, lmp);
  set.Tmax = utils::numeric(FLERR, v[3], false, lmp);
  if (!(set.Fmax > 0) || !(set.Tmax > 0) || !std::isfinite(set.Fmax))
    error->all(FLERR, "compute force/error: bins needs positive numbers of bins and ranges" + got);
  if (set.Tmax > 180.0) error->all(FLERR, "compute force/error: bins: the angle range cannot exceed 180 degrees");
}

void ComputeForceError::parse_thresholds(reval::ForceErrorSettings &set, char **v)
{
  set.thr_dF = utils::numeric(FLERR, v[0], false, lmp);
  set.thr_t1 = utils::numeric(FLERR, v[1], false, lmp);
  set.thr_t2 = utils::numeric(FLERR, v[2], false, lmp);
  if (!(set.thr_dF >= 0) || !(set.thr_t1 >= 0) || !(set.thr_t2 >= 0) || !std::isfinite(set.thr_dF) ||
      !std::isfinite(set.thr_t1) || !std::isfinite(set.thr_t2))
    error->all(FLERR, "compute force/error: thresholds must be finite and >= 0");
}

int ComputeForceError::parse_every(const char *word)
{
  int64_t n = 0;
  if (!reval::parse_bounded_integer(word, INT_MAX, n) || n < 1)
    error->all(FLERR, "compute force/error: every must be an integer from 1 to " + std::to_string(INT_MAX) + " (got " +
                          word + ")");
  return static_cast<int>(n);
}

void ComputeForceError::check_inputs_are_not_this_compute()
{
  // a value of this compute as its own input: it would be read before it is computed
  std::vector<std::pair<const char *, const reval_lmp::PerAtomValue *>> inputs;
  for (auto &v : m_ref.xyz) inputs.emplace_back("ref", v.get());
  for (auto &v : m_pred.xyz) inputs.emplace_back("pred", v.get());
  if (m_mask) inputs.emplace_back("mask", m_mask.get());
  if (m_sigma) inputs.emplace_back("uncertainty", m_sigma.get());
  for (auto &in : inputs)
    if (in.second->is_compute(id))
      error->all(FLERR, std::string("compute force/error: ") + in.first + " " + in.second->text() +
                            " refers to this compute (" + id + ") itself: its values cannot be inputs of its own evaluation");
}

void ComputeForceError::declare_outputs(const reval::ForceErrorSettings &set)
{
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
  if (m_accumulate) timeflag = 1;    // the internal fix schedules the steps it evaluates (addstep)
  memory->create(m_cdf, m_nrows, 4, "force/error:cdf");
  for (int k = 0; k < m_nrows; ++k) std::fill(m_cdf[k], m_cdf[k] + 4, 0.0);
  array = m_cdf;
  vector = m_results;
}

void ComputeForceError::add_report_fix()
{
  m_id_report_fix = std::string(id) + "_REVAL_REPORT";
  modify->add_fix(m_id_report_fix + " all REVAL/FE/REPORT " + id + " " + std::to_string(m_accumulate ? m_every : 0));
  auto *fix = dynamic_cast<FixForceErrorReport *>(modify->fix[modify->find_fix(m_id_report_fix)]);
  if (!fix) return;
  const std::vector<double> state = fix->take_restart_state();
  if (!state.empty() && m_accumulate)
    restore_state(state.data());
  else if (!state.empty() && comm->me == 0)
    error->warning(FLERR, std::string("compute force/error: the statistics accumulated by compute ") + id +
                              " in the restart file are not used: it is defined without accumulate yes now");
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
        s.reader->set_max_id(static_cast<int64_t>(MAXTAGINT));
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
  if (s.file.empty()) {
    for (int k = 0; k < 3; ++k) {
      m_loading = std::string(keyword) + " " + s.xyz[k]->text();
      s.xyz[k]->evaluate(out[k], igroup);
    }
    return;
  }
  const std::string where = std::string("compute force/error: ") + keyword + " file " + s.file;
  reval::DumpFrame frame;
  int cols[4] = {-1, -1, -1, -1};
  read_frame(s, where, frame, cols);
  scatter_frame(frame, cols, where, out);
}

void ComputeForceError::read_frame(Source &s, const std::string &where, reval::DumpFrame &frame, int cols[4])
{
  std::string msg;
  if (comm->me == 0) {
    try {
      if (!s.reader->seek(update->ntimestep, frame)) {
        msg = where + " has no frame for timestep " + std::to_string(update->ntimestep);
      } else {
        const char *names[4] = {"id", "fx", "fy", "fz"};
        for (int c = 0; c < 4 && msg.empty(); ++c) {
          cols[c] = frame.column(names[c]);
          if (cols[c] >= 0) continue;
          std::string have;
          for (auto &n : frame.columns) have += " " + n;
          msg = where + " has no column '" + names[c] + "' (columns:" + have + ")";
        }
      }
    } catch (reval::Error &e) {
      msg = where + ": " + e.what();
    }
  }
  reval_lmp::error_all_from_root(lmp, msg, FLERR);
}

void ComputeForceError::scatter_frame(const reval::DumpFrame &frame, const int cols[4], const std::string &where,
                                      std::vector<double> out[3])
{
  // the reader checked the IDs: integers in 1..MAXTAGINT, each once in the frame
  const int nlocal = atom->nlocal;
  std::unordered_map<tagint, int> local;
  local.reserve(nlocal);
  for (int i = 0; i < nlocal; ++i) local[atom->tag[i]] = i;
  for (int k = 0; k < 3; ++k) out[k].assign(std::max(nlocal, atom->nmax), 0.0);
  std::vector<char> got(nlocal, 0);
  bigint nrows = comm->me == 0 ? frame.natoms : 0, matched = 0;
  MPI_Bcast(&nrows, 1, MPI_LMP_BIGINT, 0, world);
  // rank 0 broadcasts the rows (id fx fy fz) in chunks; every rank keeps those of its atoms
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
      const double idv = buf[4 * r];
      if (!(idv >= 1.0 && idv <= static_cast<double>(MAXTAGINT))) continue;    // never: checked by the reader
      auto it = local.find(static_cast<tagint>(idv));
      if (it == local.end()) continue;
      ++matched;
      got[it->second] = 1;
      for (int k = 0; k < 3; ++k) out[k][it->second] = buf[4 * r + 1 + k];
    }
  }
  check_frame_covers_atoms(got, matched, nrows, where);
}

void ComputeForceError::check_frame_covers_atoms(const std::vector<char> &got, bigint matched, bigint nrows,
                                                 const std::string &where)
{
  bigint all_matched = 0;
  MPI_Allreduce(&matched, &all_matched, 1, MPI_LMP_BIGINT, MPI_SUM, world);
  tagint missing_id = 0, any_missing = 0;
  for (int i = 0; i < atom->nlocal && !missing_id; ++i)
    if ((atom->mask[i] & groupbit) && !got[i]) missing_id = atom->tag[i];
  MPI_Allreduce(&missing_id, &any_missing, 1, MPI_LMP_TAGINT, MPI_MAX, world);
  if (any_missing)
    error->all(FLERR, where + ": the frame of timestep " + std::to_string(update->ntimestep) +
                          " has no row for atom ID " + std::to_string(any_missing));
  if (all_matched != nrows)
    error->all(FLERR, where + ": the frame of timestep " + std::to_string(update->ntimestep) + " has " +
                          std::to_string(nrows - all_matched) + " atom IDs that are not in the system");
}

void ComputeForceError::check_finite(const std::vector<const std::vector<double> *> &values,
                                     const std::vector<std::string> &what, const std::vector<double> *mask)
{
  // the first counted atom with a NaN or inf in each input, then one reduction for all inputs
  std::vector<tagint> bad(values.size(), 0), any(values.size(), 0);
  for (size_t k = 0; k < values.size(); ++k)
    for (int i = 0; i < atom->nlocal && !bad[k]; ++i)
      if (rk::force_error_counted(atom->mask[i], groupbit, mask != nullptr, mask ? (*mask)[i] : 0.0) &&
          !std::isfinite((*values[k])[i]))
        bad[k] = atom->tag[i];
  MPI_Allreduce(bad.data(), any.data(), static_cast<int>(bad.size()), MPI_LMP_TAGINT, MPI_MAX, world);
  for (size_t k = 0; k < values.size(); ++k)
    if (any[k])
      error->all(FLERR, "compute force/error: " + what[k] + ": the value of atom ID " + std::to_string(any[k]) +
                            " on timestep " + std::to_string(update->ntimestep) + " is not a finite number");
}

void ComputeForceError::evaluate(bool count)
{
  // A value of this compute needed to evaluate this compute (a variable or another compute that reads
  // it, used as ref, pred, mask or uncertainty): it would be read before it exists.
  if (m_evaluating)
    error->all(FLERR, std::string("compute force/error: circular reference: evaluating compute ") + id + " needs " +
                          "compute " + id + " itself (through " + m_loading + ")");
  Busy busy(m_evaluating);

  const bool fresh = m_evaluated == update->ntimestep && m_evaluated_setup == m_setups;
  if (!fresh) evaluate_atoms();
  // the energy error enters the statistics of this step only if they are used: without accumulate,
  // or when the step is counted (with accumulate, other steps only refresh the per-atom array)
  const bool use = !m_accumulate || (count && m_counted != update->ntimestep);
  const bool energy_added = !m_energy_var.empty() && use && !m_local_energy;
  if (energy_added) add_energy_error();
  if (!m_accumulate) {
    if (!fresh || energy_added) {
      m_total->clear();
      m_total->merge(*m_local);
      m_vector_stale = m_array_stale = true;
    }
  } else if (use) {
    m_total->merge(*m_local);
    m_counted = update->ntimestep;
    m_vector_stale = m_array_stale = true;
  }
}

void ComputeForceError::load_inputs(std::vector<double> F[3], std::vector<double> P[3], std::vector<double> &mask,
                                    std::vector<double> &sigma)
{
  load_source(m_ref, "ref", F);
  if (!m_pred_forces) load_source(m_pred, "pred", P);
  if (m_mask) {
    m_loading = "mask " + m_mask->text();
    m_mask->evaluate(mask, igroup);
  }
  if (m_sigma) {
    m_loading = "uncertainty " + m_sigma->text();
    m_sigma->evaluate(sigma, igroup);
  }
  m_loading.clear();
  // NaN or inf inputs of counted atoms would give meaningless sums (dump files are checked when read)
  std::vector<const std::vector<double> *> values;
  std::vector<std::string> names;
  for (int k = 0; k < 3 && m_ref.file.empty(); ++k) {
    values.push_back(&F[k]);
    names.push_back("ref " + m_ref.xyz[k]->text());
  }
  for (int k = 0; k < 3 && !m_pred_forces && m_pred.file.empty(); ++k) {
    values.push_back(&P[k]);
    names.push_back("pred " + m_pred.xyz[k]->text());
  }
  if (m_sigma) {
    values.push_back(&sigma);
    names.push_back("uncertainty " + m_sigma->text());
  }
  if (!values.empty()) check_finite(values, names, m_mask ? &mask : nullptr);
}

void ComputeForceError::evaluate_atoms()
{
  std::vector<double> F[3], P[3], mask, sigma;
  load_inputs(F, P, mask, sigma);
  m_local->clear();
  AtomInputs in;
  in.ref = F;
  in.pred = m_pred_forces ? nullptr : P;
  in.mask = m_mask ? &mask : nullptr;
  in.sigma = m_sigma ? &sigma : nullptr;
  tally_atoms(in);

  // reduce this step's sums over the ranks (the uncertainty samples stay where the atoms are)
  std::vector<double> sums(m_local->sums().size());
  MPI_Allreduce(m_local->sums().data(), sums.data(), static_cast<int>(sums.size()), MPI_DOUBLE, MPI_SUM, world);
  double mx = 0.0;
  MPI_Allreduce(&m_local->max_error(), &mx, 1, MPI_DOUBLE, MPI_MAX, world);
  m_local->sums() = sums;
  m_local->max_error() = mx;
  m_local_energy = false;
  m_evaluated = update->ntimestep;
  m_evaluated_setup = m_setups;
}

void ComputeForceError::add_energy_error()
{
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
  m_local->add_energy(pe->scalar - eref, static_cast<double>(atom->natoms));    // global sums: every rank
  m_local_energy = true;
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
  tagint *tag = atom->tag;
  for (int i = 0; i < nlocal; ++i) {
    double *row = m_peratom[i];
    row[0] = row[1] = row[2] = row[3] = row[4] = 0.0;
    if (!rk::force_error_counted(amask[i], groupbit, in.mask != nullptr, in.mask ? (*in.mask)[i] : 0.0)) continue;
    const double Fi[3] = {F[0][i], F[1][i], F[2][i]};
    const double Pi[3] = {P ? P[0][i] : f[i][0], P ? P[1][i] : f[i][1], P ? P[2][i] : f[i][2]};
    const rk::ForceErrorTerms t = rk::force_error_terms(Fi, Pi, fmin);
    m_local->add(t);
    if (in.sigma) m_local->add_uncertainty(t.err, (*in.sigma)[i], static_cast<double>(tag[i]));
    rk::force_error_row(t, row);    // dtheta -1: undefined direction (|F| or |P| below fmin)
  }
}

void ComputeForceError::update_vector()
{
  if (!m_vector_stale) return;
  // Spearman's rank correlation needs all (sigma, |error|) samples: gathered on rank 0 only here, and
  // put in the order (frame, atom ID) there, so that the result does not depend on the ranks
  m_spearman = 0.0;
  if (m_sigma && m_samples_dropped) {
    m_spearman = std::numeric_limits<double>::quiet_NaN();    // part of the samples is gone (restart)
  } else if (m_sigma) {
    const std::vector<double> sig = reval_lmp::gather_to_root(lmp, m_total->sigma_samples());
    const std::vector<double> eps = reval_lmp::gather_to_root(lmp, m_total->error_samples());
    const std::vector<double> ids = reval_lmp::gather_to_root(lmp, m_total->id_samples());
    const std::vector<double> frm = reval_lmp::gather_to_root(lmp, m_total->frame_samples());
    if (comm->me == 0) m_spearman = reval::calibration_spearman(sig, eps, ids, frm, m_total->settings().fmin);
    MPI_Bcast(&m_spearman, 1, MPI_DOUBLE, 0, world);
  }
  auto r = m_total->results(m_spearman);
  std::copy(r.begin(), r.end(), m_results);
  m_vector_stale = false;
}

void ComputeForceError::update_array()
{
  if (!m_array_stale) return;
  const auto cf = m_total->cdf_dF(), ct = m_total->cdf_dtheta();
  const int nF = static_cast<int>(cf.size()), nT = static_cast<int>(ct.size());
  for (int k = 0; k < m_nrows; ++k) {    // a shorter column repeats its last bin
    const int kf = std::min(k, nF - 1), kt = std::min(k, nT - 1);
    m_cdf[k][0] = m_total->edge_dF(kf);
    m_cdf[k][1] = cf[kf];
    m_cdf[k][2] = m_total->edge_dtheta(kt);
    m_cdf[k][3] = ct[kt];
  }
  m_array_stale = false;
}

void ComputeForceError::compute_vector()
{
  invoked_vector = update->ntimestep;
  evaluate(false);
  update_vector();
}

void ComputeForceError::compute_array()
{
  invoked_array = update->ntimestep;
  evaluate(false);
  update_array();
}

void ComputeForceError::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  evaluate(false);
}

void ComputeForceError::accumulate_step()
{
  if (!m_accumulate || update->ntimestep % m_every) return;
  if (m_counted == update->ntimestep && m_evaluated == update->ntimestep && m_evaluated_setup == m_setups) return;
  evaluate(true);
  // the per-atom array is this step's; the global results are refreshed when they are read
  invoked_peratom = update->ntimestep;
  invoked_flag |= Compute::INVOKED_PERATOM;
  if (invoked_vector == update->ntimestep) invoked_vector = -1;
  if (invoked_array == update->ntimestep) invoked_array = -1;
}

void ComputeForceError::end_of_run()
{
  if (!m_accumulate) return;
  update_vector();
  update_array();
  invoked_vector = invoked_array = update->ntimestep;
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
  m_counted = -1;
  m_samples_dropped = false;
  m_vector_stale = m_array_stale = true;
  update_vector();
  update_array();
}

void ComputeForceError::write_report()
{
  if (m_report_file.empty()) return;
  update_vector();
  update_array();
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

// ---------------------------------------------------------------- restart

// Layout: [0] number of values, [1] version, [2..9] nF Fmax nT Tmax thr_dF thr_t1 thr_t2 fmin,
// [10] every, [11] uncertainty (0/1), [12] energy (0/1), [13] last counted timestep, [14] frames,
// [15] max |P - F|, [16] number of sums; the sums; the number of samples; then sigma, |P - F|, atom
// ID and frame of every sample.
std::vector<double> ComputeForceError::restart_state()
{
  const auto &set = m_total->settings();
  bigint mine = static_cast<bigint>(m_total->sigma_samples().size()), nsamples = 0;
  MPI_Allreduce(&mine, &nsamples, 1, MPI_LMP_BIGINT, MPI_SUM, world);
  // LAMMPS stores a fix's global restart data with an int byte count: beyond it, the run goes on and the
  // restart keeps everything but the samples (rank correlation NaN after reading it), with a WARNING
  const bigint max_samples =
      (static_cast<bigint>(INT_MAX / sizeof(double)) - kRestartHeader - static_cast<bigint>(m_total->sums().size()) - 1) / 4;
  const bool drop = m_samples_dropped || nsamples > max_samples;
  if (drop && nsamples > max_samples && comm->me == 0)
    error->warning(FLERR, "compute force/error " + std::string(id) + ": " + std::to_string(nsamples) +
                              " accumulated uncertainty samples do not fit a restart file (at most " +
                              std::to_string(max_samples) + "): it holds all other statistics; after reading it "
                              "the rank correlation is NaN (use 'every N' or fewer frames)");
  if (drop) nsamples = 0;
  const bigint nvalues = kRestartHeader + static_cast<bigint>(m_total->sums().size()) + 1 + 4 * nsamples;
  std::vector<double> sig, eps, ids, frm;
  if (!drop) {
    sig = reval_lmp::gather_to_root(lmp, m_total->sigma_samples());
    eps = reval_lmp::gather_to_root(lmp, m_total->error_samples());
    ids = reval_lmp::gather_to_root(lmp, m_total->id_samples());
    frm = reval_lmp::gather_to_root(lmp, m_total->frame_samples());
  }
  if (comm->me != 0) return {};
  std::vector<double> b = {static_cast<double>(nvalues),
                           static_cast<double>(kRestartVersion),
                           static_cast<double>(set.nF),
                           set.Fmax,
                           static_cast<double>(set.nT),
                           set.Tmax,
                           set.thr_dF,
                           set.thr_t1,
                           set.thr_t2,
                           set.fmin,
                           static_cast<double>(m_every),
                           m_sigma ? 1.0 : 0.0,
                           m_energy_var.empty() ? 0.0 : 1.0,
                           static_cast<double>(m_counted),
                           m_total->frames(),
                           m_total->max_error(),
                           static_cast<double>(m_total->sums().size())};
  b.insert(b.end(), m_total->sums().begin(), m_total->sums().end());
  b.push_back(drop ? -1.0 : static_cast<double>(nsamples));    // -1: samples dropped
  for (const auto *v : {&sig, &eps, &ids, &frm}) b.insert(b.end(), v->begin(), v->end());
  return b;
}

void ComputeForceError::restore_state(const double *b)
{
  const auto &set = m_total->settings();
  const std::string what = std::string("compute force/error: compute ") + id + " was accumulated with other ";
  const double nvalues = b[0];
  const double nsums_stored = nvalues >= kRestartHeader ? b[16] : -1.0;
  const double nsamples_stored =
      nsums_stored >= 0 && nvalues > kRestartHeader + nsums_stored ? b[kRestartHeader + static_cast<size_t>(nsums_stored)] : -1.0;
  if (static_cast<int>(b[1]) != kRestartVersion || nsums_stored < 0 || nsamples_stored < -1 ||
      nvalues != kRestartHeader + nsums_stored + 1 + 4 * std::max(0.0, nsamples_stored))
    error->all(FLERR, "compute force/error: the restart file holds accumulated statistics of an unknown layout");
  const double mine[8] = {static_cast<double>(set.nF), set.Fmax, static_cast<double>(set.nT), set.Tmax,
                          set.thr_dF, set.thr_t1, set.thr_t2, set.fmin};
  const char *names[8] = {"bins", "bins", "bins", "bins", "thresholds", "thresholds", "thresholds", "fmin"};
  for (int k = 0; k < 8; ++k)
    if (b[2 + k] != mine[k])
      error->all(FLERR, what + names[k] + " settings in the restart file: define it with the same keywords");
  if (static_cast<int>(b[10]) != m_every)
    error->all(FLERR, what + "'every' (" + std::to_string(static_cast<int>(b[10])) + ") in the restart file");
  if ((b[11] != 0.0) != static_cast<bool>(m_sigma))
    error->all(FLERR, what + "settings in the restart file: 'uncertainty' was " + (b[11] != 0.0 ? "" : "not ") +
                          "given there");
  if ((b[12] != 0.0) != !m_energy_var.empty())
    error->all(FLERR, what + "settings in the restart file: 'energy' was " + (b[12] != 0.0 ? "" : "not ") +
                          "given there");
  const size_t nsums = static_cast<size_t>(b[16]);
  if (nsums != m_total->sums().size())
    error->all(FLERR, "compute force/error: the restart file holds accumulated statistics of an unknown layout");
  m_total->clear();
  m_counted = static_cast<bigint>(b[13]);
  m_total->set_frames(b[14]);
  m_total->max_error() = b[15];
  std::copy(b + kRestartHeader, b + kRestartHeader + nsums, m_total->sums().begin());
  const double *p = b + kRestartHeader + nsums;
  m_samples_dropped = p[0] < 0;
  if (m_samples_dropped && m_sigma && comm->me == 0)
    error->warning(FLERR, "compute force/error " + std::string(id) + ": the restart file could not hold the "
                          "uncertainty samples: the rank correlation (vector element 17) is NaN until 'reval reset'");
  const size_t n = m_samples_dropped ? 0 : static_cast<size_t>(p[0]);
  if (comm->me == 0) m_total->restore_samples(p + 1, p + 1 + n, p + 1 + 2 * n, p + 1 + 3 * n, n);    // rank 0 keeps them
  m_vector_stale = m_array_stale = true;
}

double ComputeForceError::memory_usage()
{
  return static_cast<double>(m_nmax) * 5 * sizeof(double) + m_nrows * 4 * sizeof(double) +
      4.0 * m_total->sigma_samples().size() * sizeof(double);
}
