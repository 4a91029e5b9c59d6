/* ----------------------------------------------------------------------
   REVAL: fix re/harvest
   Every N steps: the per-atom criteria of the group atoms (point kernels of kernels/point/harvest.hpp
   on per-atom values read through reval_lmp::PerAtomValue: compute re/atom's migrating flag, fix
   re/stats' hop count, any c_/f_/v_/d_/i_ value for sigma and error), counted and reduced with one
   MPI_Allreduce, plus the frame criteria (an equal-style variable, the vacancy count of a compute
   vacancy/sites). Nothing else happens on a step where no criterion holds. When one holds and the
   throttles (every_min, max) let it through, the configuration is gathered on rank 0 in atom-ID
   order (identical output whatever the decomposition), the novelty memory (core NoveltyMemory, on
   neighbour-distance descriptors of the trigger atoms) decides, and rank 0 writes the frame or its
   cut-outs (core cut_out) with core atomic_append / atomic_write: never a partial frame.
------------------------------------------------------------------------- */

#include "fix_re_harvest.h"

#include "adapter_utils.h"
#include "peratom_value.h"
#include "restart_twin.h"

#include "core/error.h"
#include "core/extxyz.h"
#include "core/frame_images.h"
#include "core/snap_descriptor.h"
#include "core/snap_engine.h"
#include "core/snap_fit_rows.h"    // frame_short_list

#include "atom.h"
#include "comm.h"
#include "compute.h"
#include "domain.h"
#include "error.h"
#include "force.h"
#include "group.h"
#include "input.h"
#include "memory.h"
#include "modify.h"
#include "pair.h"
#include "timer.h"
#include "update.h"
#include "utils.h"
#include "variable.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <sstream>

using namespace LAMMPS_NS;
using namespace FixConst;
namespace rk = reval::kernels;

namespace {
constexpr int kRestartVersion = 1;
constexpr int kGatherCols = 9;    // tag, type, x y z, fx fy fz, bits
const char *const kStyle = "fix re/harvest";

std::string lower_style(const char *style)
{
  return reval_lmp::strip_accelerator_suffix(style);
}
}    // namespace

/* ---------------------------------------------------------------------- */

FixREHarvest::FixREHarvest(LAMMPS *lmp, int narg, char **arg) : Fix(lmp, narg, arg)
{
  parse(narg, arg);
  nevery = m_set.nevery;
  vector_flag = 1;
  size_vector = 4;
  global_freq = 1;
  extvector = 0;
  restart_global = 1;
  restart_peratom = 1;
  create_attribute = 1;    // atoms created later start with no hops seen (set_arrays)
  if (m_set.novelty >= 0) m_memory = reval::NoveltyMemory(kNoveltyDim, m_set.novelty);
  grow_arrays(atom->nmax);
  atom->add_callback(Atom::GROW);
  atom->add_callback(Atom::RESTART);
  for (int i = 0; i < atom->nlocal; ++i) m_hops_seen[i] = 0.0;
}

FixREHarvest::~FixREHarvest()
{
  // (m_engine and m_desc are complete types here)
  atom->delete_callback(id, Atom::GROW);
  atom->delete_callback(id, Atom::RESTART);
  memory->destroy(m_hops_seen);
}

void FixREHarvest::parse(int narg, char **arg)
{
  auto fail = [&](const std::string &what) { error->all(FLERR, std::string(kStyle) + ": " + what); };
  if (narg < 6) fail("needs N file FILE and at least one criterion: fix ID group re/harvest N file FILE criterion args ...");
  const bigint n = utils::bnumeric(FLERR, arg[3], false, lmp);
  if (n < 1 || n > 1000000000) fail(std::string("N must be between 1 and 10^9 (got ") + arg[3] + ")");
  m_set.nevery = static_cast<int>(n);
  if (strcmp(arg[4], "file") != 0) fail(std::string("expected 'file FILE' after N, got '") + arg[4] + "'");
  m_set.file = arg[5];
  if (m_set.file.empty()) fail("file name is empty");
  bool have_cutout = false, have_format = false;
  int i = 6;
  auto need = [&](int k, const char *what) {
    if (i + k >= narg) fail(std::string("'") + arg[i] + "' needs " + what);
  };
  auto once = [&](int bit) {
    if (m_set.crit.enabled & bit) fail(std::string("criterion '") + arg[i] + "' given twice");
    m_set.crit.enabled |= bit;
  };
  auto positive = [&](const char *s, const char *key) {
    const double v = utils::numeric(FLERR, s, false, lmp);
    if (!(v > 0) || !std::isfinite(v)) fail(std::string(key) + " must be > 0 (got " + s + ")");
    return v;
  };
  while (i < narg) {
    const std::string k = arg[i];
    if (k == "migrating") {
      need(2, "a compute re/atom ID and a minimum number of migrating atoms M");
      once(rk::kHarvestMigrating);
      m_set.id_re_atom = arg[i + 1];
      const bigint m = utils::bnumeric(FLERR, arg[i + 2], false, lmp);
      if (m < 1 || m > 1000000000) fail(std::string("migrating M must be >= 1 (got ") + arg[i + 2] + ")");
      m_set.crit.min_migrating = static_cast<int>(m);
      i += 3;
    } else if (k == "hop") {
      need(1, "a fix re/stats ID");
      once(rk::kHarvestHop);
      m_set.id_stats = arg[i + 1];
      i += 2;
    } else if (k == "sigma" || k == "error") {
      need(2, "a per-atom quantity (c_ID, c_ID[i], f_ID, f_ID[i], v_name, d_name, i_name) and a threshold");
      const bool sigma = k == "sigma";
      once(sigma ? rk::kHarvestSigma : rk::kHarvestError);
      const double thr = utils::numeric(FLERR, arg[i + 2], false, lmp);
      if (!(thr >= 0) || !std::isfinite(thr)) fail(k + " threshold must be >= 0 (got " + arg[i + 2] + ")");
      (sigma ? m_set.sigma_text : m_set.error_text) = arg[i + 1];
      (sigma ? m_set.crit.sigma_max : m_set.crit.error_max) = thr;
      (sigma ? m_sigma : m_error) = std::make_unique<reval_lmp::PerAtomValue>(lmp, arg[i + 1], kStyle, k);
      i += 3;
    } else if (k == "variable") {
      need(1, "an equal-style variable v_name");
      once(rk::kHarvestVariable);
      if (strncmp(arg[i + 1], "v_", 2) != 0 || !arg[i + 1][2])
        fail(std::string("variable needs v_name (got '") + arg[i + 1] + "')");
      m_set.var_name = arg[i + 1] + 2;
      i += 2;
    } else if (k == "vacancies") {
      need(1, "a compute vacancy/sites ID");
      once(rk::kHarvestVacancies);
      m_set.id_sites = arg[i + 1];
      i += 2;
    } else if (k == "every_min") {
      need(1, "a number of steps");
      m_set.every_min = utils::bnumeric(FLERR, arg[i + 1], false, lmp);
      if (m_set.every_min < 0) fail(std::string("every_min must be >= 0 (got ") + arg[i + 1] + ")");
      i += 2;
    } else if (k == "max") {
      need(1, "a number of frames");
      m_set.max_frames = utils::bnumeric(FLERR, arg[i + 1], false, lmp);
      if (m_set.max_frames < 1) fail(std::string("max must be >= 1 (got ") + arg[i + 1] + ")");
      i += 2;
    } else if (k == "halt") {
      need(1, "yes or no");
      const std::string v = arg[i + 1];
      if (v != "yes" && v != "no") fail("halt must be yes or no (got '" + v + "')");
      m_set.halt = v == "yes";
      i += 2;
    } else if (k == "novelty") {
      need(1, "a distance D");
      m_set.novelty = utils::numeric(FLERR, arg[i + 1], false, lmp);
      if (!(m_set.novelty >= 0) || !std::isfinite(m_set.novelty))
        fail(std::string("novelty D must be >= 0 (got ") + arg[i + 1] + ")");
      i += 2;
    } else if (k == "cutout" || k == "box") {
      need(1, k == "cutout" ? "a radius R" : "a side L");
      if (have_cutout) fail("give one of cutout R or box L, once");
      have_cutout = true;
      m_set.cutout.kind = k == "cutout" ? reval::CutoutSpec::Kind::sphere : reval::CutoutSpec::Kind::box;
      m_set.cutout.size = positive(arg[i + 1], k == "cutout" ? "cutout R" : "box L");
      i += 2;
    } else if (k == "vacuum") {
      need(1, "a distance");
      m_set.vacuum = utils::numeric(FLERR, arg[i + 1], false, lmp);
      if (!(m_set.vacuum >= 0) || !std::isfinite(m_set.vacuum))
        fail(std::string("vacuum must be >= 0 (got ") + arg[i + 1] + ")");
      i += 2;
    } else if (k == "format") {
      need(1, "xyz, data or both");
      if (have_format) fail("format given twice");
      have_format = true;
      const std::string v = arg[i + 1];
      if (v != "xyz" && v != "data" && v != "both") fail("format must be xyz, data or both (got '" + v + "')");
      m_set.write_xyz = v != "data";
      m_set.write_data = v != "xyz";
      i += 2;
    } else if (k == "species") {
      const int nt = atom->ntypes;
      if (i + nt >= narg) fail("species needs one element symbol per atom type (" + std::to_string(nt) + ")");
      m_set.species.clear();
      for (int t = 0; t < nt; ++t) {
        const std::string e = arg[i + 1 + t];
        if (!reval::is_element_symbol(e))
          fail("species: '" + e + "' (type " + std::to_string(t + 1) + ") is not a chemical element symbol");
        m_set.species.push_back(e);
      }
      i += 1 + nt;
    } else if (k == "descriptor") {
      need(1, "snap or distances");
      const std::string v = arg[i + 1];
      if (v != "snap" && v != "distances") fail("descriptor must be snap or distances (got '" + v + "')");
      m_set.descriptor = v == "snap" ? HarvestSettings::Descriptor::snap : HarvestSettings::Descriptor::distances;
      i += 2;
    } else if (k == "file") {
      fail("file given twice");
    } else {
      fail("unknown keyword or criterion '" + k + "'");
    }
  }
  if (!(m_set.crit.enabled)) fail("no criterion given (migrating, hop, sigma, error, variable, vacancies)");
  if (m_set.halt && m_set.max_frames == 0) fail("halt yes needs max Nmax");
  if (m_set.descriptor != HarvestSettings::Descriptor::automatic && m_set.novelty < 0)
    fail("descriptor applies to novelty D: give novelty too");
  if (have_cutout && (m_set.crit.enabled & (rk::kHarvestVariable | rk::kHarvestVacancies)))
    fail("cutout and box centre the cells on the atoms that trigger a frame: the criteria variable and "
         "vacancies name no atom; use them without cutout/box");
  if (m_set.cutout.kind == reval::CutoutSpec::Kind::box && m_set.vacuum != 5.0)
    fail("vacuum applies to cutout R (the non-periodic sphere), not to box L");
  if (m_set.crit.enabled & rk::kHarvestMigrating)
    m_migrating = std::make_unique<reval_lmp::PerAtomValue>(lmp, "c_" + m_set.id_re_atom + "[1]", kStyle, "migrating");
  if (m_set.crit.enabled & rk::kHarvestHop)
    m_hops = std::make_unique<reval_lmp::PerAtomValue>(lmp, "f_" + m_set.id_stats + "[1]", kStyle, "hop");
}

int FixREHarvest::setmask()
{
  return END_OF_STEP | POST_FORCE;
}

void FixREHarvest::post_constructor()
{
  reval_lmp::restore_twin_restart(lmp, this);
}

/* ---------------------------------------------------------------------- */

void FixREHarvest::resolve_species()
{
  const int nt = atom->ntypes;
  if (!m_set.species.empty()) {
    if (static_cast<int>(m_set.species.size()) != nt)
      error->all(FLERR, fmt::format("{}: species names {} types, the system has {}", kStyle, m_set.species.size(), nt));
    return;
  }
  int dim = -1;
  void *p = force->pair ? force->pair->extract("reval:type_elements", dim) : nullptr;
  if (!p || dim != 0)
    error->all(FLERR, std::string(kStyle) + ": give 'species E1 ... En' (one element per atom type): the pair style "
                          "does not name the elements of the types (only pair snap/model does)");
  const auto &names = *static_cast<const std::vector<std::string> *>(p);
  for (int t = 0; t < nt; ++t)
    if (t >= static_cast<int>(names.size()) || !reval::is_element_symbol(names[t]))
      error->all(FLERR, fmt::format("{}: the pair style gives no element for atom type {}: give 'species E1 ... En'",
                                    kStyle, t + 1));
  m_set.species.assign(names.begin(), names.begin() + nt);
}

void FixREHarvest::init()
{
  if (strcmp(update->unit_style, "metal") != 0)
    error->all(FLERR, std::string(kStyle) + ": needs units metal (extended XYZ holds Angstrom, eV and eV/Angstrom)");
  if (!atom->tag_enable) error->all(FLERR, std::string(kStyle) + ": needs atom IDs");
  if (domain->dimension != 3) error->all(FLERR, std::string(kStyle) + ": needs a 3d system");
  if (utils::strmatch(update->integrate_style, "^respa"))
    error->all(FLERR, std::string(kStyle) + ": run_style respa is not supported (the forces are taken after post_force)");
  resolve_species();
  if (m_set.novelty >= 0) setup_descriptor();
  if (m_migrating) {
    const int ic = modify->find_compute(m_set.id_re_atom);
    if (ic < 0) error->all(FLERR, std::string(kStyle) + ": migrating: compute ID '" + m_set.id_re_atom + "' does not exist");
    if (lower_style(modify->compute[ic]->style) != "re/atom")
      error->all(FLERR, std::string(kStyle) + ": migrating: compute " + m_set.id_re_atom + " is a compute " +
                            modify->compute[ic]->style + ", not a compute re/atom");
    m_migrating->init();
  }
  if (m_hops) {
    const int ifx = modify->find_fix(m_set.id_stats);
    if (ifx < 0) error->all(FLERR, std::string(kStyle) + ": hop: fix ID '" + m_set.id_stats + "' does not exist");
    Fix *f = modify->fix[ifx];
    if (lower_style(f->style) != "re/stats")
      error->all(FLERR, std::string(kStyle) + ": hop: fix " + m_set.id_stats + " is a fix " + f->style + ", not a fix re/stats");
    if (nevery % f->nevery != 0)
      error->all(FLERR, fmt::format("{}: hop: N ({}) must be a multiple of the sampling interval of fix {} ({})", kStyle,
                                    nevery, m_set.id_stats, f->nevery));
    const int me = modify->find_fix(id);
    if (ifx > me)
      error->all(FLERR, std::string(kStyle) + ": hop: define fix " + m_set.id_stats + " (re/stats) before fix " + id +
                            " (its hops must be counted before they are read on the same step)");
    m_hops->init();
  }
  if (m_sigma) m_sigma->init();
  if (m_error) m_error->init();
  if (m_set.crit.enabled & rk::kHarvestVariable) {
    m_ivar = input->variable->find(m_set.var_name.c_str());
    if (m_ivar < 0) error->all(FLERR, std::string(kStyle) + ": variable: variable '" + m_set.var_name + "' does not exist");
    if (!input->variable->equalstyle(m_ivar))
      error->all(FLERR, std::string(kStyle) + ": variable: variable " + m_set.var_name + " is not an equal-style variable");
  }
  if (m_set.crit.enabled & rk::kHarvestVacancies) {
    const int ic = modify->find_compute(m_set.id_sites);
    if (ic < 0) error->all(FLERR, std::string(kStyle) + ": vacancies: compute ID '" + m_set.id_sites + "' does not exist");
    if (lower_style(modify->compute[ic]->style) != "vacancy/sites")
      error->all(FLERR, std::string(kStyle) + ": vacancies: compute " + m_set.id_sites + " is a compute " +
                            modify->compute[ic]->style + ", not a compute vacancy/sites");
  }
  if (modify->find_compute("thermo_pe") < 0)
    error->all(FLERR, std::string(kStyle) + ": the potential-energy compute thermo_pe does not exist");
  m_compute_ids = {"thermo_pe"};
  if (m_migrating) m_compute_ids.push_back(m_set.id_re_atom);
  if (m_set.crit.enabled & rk::kHarvestVacancies) m_compute_ids.push_back(m_set.id_sites);
  for (const std::string *t : {&m_set.sigma_text, &m_set.error_text})
    if (t->compare(0, 2, "c_") == 0) m_compute_ids.push_back(t->substr(2, t->find('[') - 2));

  // the output file: a run that does not continue a restart starts it anew; a restarted one appends
  if (!m_started) {
    m_started = true;
    if (comm->me == 0 && m_set.write_xyz && !m_restored) {
      try {
        reval::atomic_write(m_set.file, "");
      } catch (const reval::Error &e) {
        error->one(FLERR, std::string(kStyle) + ": " + e.what());
      }
    }
  }
}

void FixREHarvest::setup_descriptor()
{
  using D = HarvestSettings::Descriptor;
  m_engine.reset();
  m_desc.reset();
  if (m_set.descriptor != D::distances) {
    int dim_desc = -1, dim_map = -1;
    void *pd = force->pair ? force->pair->extract("reval:snap_descriptor", dim_desc) : nullptr;
    void *pm = force->pair ? force->pair->extract("reval:type_element_index", dim_map) : nullptr;
    if (pd && pm && dim_desc == 0 && dim_map == 0 && *static_cast<std::shared_ptr<const reval::SnapDescriptor> *>(pd)) {
      m_desc = *static_cast<std::shared_ptr<const reval::SnapDescriptor> *>(pd);
      m_elem_of_type = *static_cast<const std::vector<int> *>(pm);
      m_engine = std::make_unique<reval::SnapEngine>(m_desc);
    } else if (m_set.descriptor == D::snap) {
      error->all(FLERR, std::string(kStyle) + ": descriptor snap needs pair_style snap/model (its bispectrum)");
    }
  }
  m_desc_dim = m_engine ? m_engine->ncoeff() : kNoveltyDim;
  if (m_memory.dim() != m_desc_dim) {
    if (m_memory.size() > 0)
      error->all(FLERR, fmt::format("{}: the novelty memory (restart file) holds descriptors of dimension {}, this run's "
                                    "descriptor ({}) has {}: use the same pair style and descriptor",
                                    kStyle, m_memory.dim(), m_engine ? "SNAP bispectrum" : "neighbour distances",
                                    m_desc_dim));
    m_memory = reval::NoveltyMemory(m_desc_dim, m_set.novelty);
  }
}

void FixREHarvest::descriptors(const reval::XyzFrame &w, const std::vector<int> &types, const std::vector<int> &atoms,
                               double *out)
{
  if (!m_engine) {
    for (size_t t = 0; t < atoms.size(); ++t)
      reval::neighbour_distances(w, atoms[t], kNoveltyDim, kNoveltyRmax, out + t * m_desc_dim);
    return;
  }
  // the SNAP bispectrum of each atom from the same short lists as reval-fit's rows (kernels::snap_short_list
  // on the frame's periodic images); atoms of types the pair does not handle have element -1
  const reval::SnapParams &p = m_desc->params();
  std::vector<int> elem(w.natoms());
  for (int i = 0; i < w.natoms(); ++i)
    elem[i] = types[i] < static_cast<int>(m_elem_of_type.size()) ? m_elem_of_type[types[i]] : -1;
  reval::FrameNeighbours nb;
  nb.build(w, p.max_cutoff());
  reval::SnapShortList list;
  std::vector<reval::FrameImage> scratch;
  for (size_t t = 0; t < atoms.size(); ++t) {
    double *o = out + t * m_desc_dim;
    std::fill(o, o + m_desc_dim, 0.0);
    if (elem[atoms[t]] < 0) continue;    // a type the pair does not handle: no environment
    reval::frame_short_list(p, nb, elem, atoms[t], list, scratch);
    m_engine->bispectrum(elem[atoms[t]], list.n, list.rij.data(), list.jelem.data(), o);
  }
}

bigint FixREHarvest::next_check() const
{
  return (update->ntimestep / nevery) * nevery + nevery;
}

void FixREHarvest::setup(int)
{
  capture_forces();
  // the energy and the computes read on the next check step must be evaluated there
  schedule_computes(next_check());
}

void FixREHarvest::post_force(int)
{
  if (update->ntimestep % nevery == 0) capture_forces();
}

void FixREHarvest::capture_forces()
{
  const int nlocal = atom->nlocal;
  m_f.resize(3 * static_cast<size_t>(nlocal));
  double **f = atom->f;
  for (int i = 0; i < nlocal; ++i)
    for (int d = 0; d < 3; ++d) m_f[3 * i + d] = f[i][d];
  m_f_step = update->ntimestep;
}

/* ---------------------------------------------------------------------- */

std::string FixREHarvest::criterion_names(int bits)
{
  static const char *const names[rk::kHarvestCriteria] = {"migrating", "hop", "sigma", "error", "variable", "vacancies"};
  std::string s;
  for (int k = 0; k < rk::kHarvestCriteria; ++k)
    if (bits & (1 << k)) s += (s.empty() ? "" : "+") + std::string(names[k]);
  return s.empty() ? "none" : s;
}

void FixREHarvest::count_atoms(const rk::HarvestCriteria &c, double *counts)
{
  if (m_migrating) m_migrating->evaluate(m_vmig, igroup);
  if (m_hops) m_hops->evaluate(m_vhops, igroup);
  if (m_sigma) m_sigma->evaluate(m_vsigma, igroup);
  if (m_error) m_error->evaluate(m_verror, igroup);
  const int nlocal = atom->nlocal;
  const int *mask = atom->mask;
  m_bits.assign(nlocal, 0);
  for (int i = 0; i < nlocal; ++i) {
    if (!(mask[i] & groupbit)) continue;
    m_bits[i] = rk::harvest_atom_bits(c, m_migrating ? m_vmig[i] : 0.0, m_hops ? m_vhops[i] : 0.0, m_hops_seen[i],
                                      m_sigma ? m_vsigma[i] : 0.0, m_error ? m_verror[i] : 0.0);
    rk::harvest_count_add(m_bits[i], counts);
  }
  if (m_hops)
    for (int i = 0; i < nlocal; ++i) m_hops_seen[i] = m_vhops[i];
}

int FixREHarvest::evaluate_criteria()
{
  // the first evaluation of hop only records the counts (a hop needs an earlier value to compare with)
  rk::HarvestCriteria c = m_set.crit;
  if (!m_hops_init) c.enabled &= ~rk::kHarvestHop;
  double counts[rk::kHarvestAtomCriteria] = {0.0, 0.0, 0.0, 0.0};
  count_atoms(c, counts);
  if (m_hops) m_hops_init = true;
  double all[rk::kHarvestAtomCriteria];
  MPI_Allreduce(counts, all, rk::kHarvestAtomCriteria, MPI_DOUBLE, MPI_SUM, world);
  int bits = rk::harvest_frame_bits(c, all);
  if (m_ivar >= 0) {
    const double v = input->variable->compute_equal(m_ivar);
    if (v != 0.0) bits |= rk::kHarvestVariable;
  }
  if (m_set.crit.enabled & rk::kHarvestVacancies) {
    Compute *sites = modify->compute[modify->find_compute(m_set.id_sites)];
    const double nvac = sites->invoked_scalar == update->ntimestep ? sites->scalar : sites->compute_scalar();
    if (m_vac_init && nvac != m_vac_seen) bits |= rk::kHarvestVacancies;
    m_vac_seen = nvac;
    m_vac_init = true;
  }
  return bits;
}

void FixREHarvest::end_of_step()
{
  modify->clearstep_compute();
  const int bits = evaluate_criteria();
  if (bits) {
    const bool throttled = (m_set.max_frames > 0 && m_harvested >= m_set.max_frames) ||
        (m_set.every_min > 0 && m_last_harvest_step >= 0 && update->ntimestep - m_last_harvest_step < m_set.every_min);
    if (throttled) {
      ++m_rej_throttle;
    } else if (harvest(bits)) {
      ++m_harvested;
      m_last_bits = bits;
      m_last_harvest_step = update->ntimestep;
      if (m_set.halt && m_harvested >= m_set.max_frames) {
        if (comm->me == 0)
          utils::logmesg(lmp, fmt::format("fix {} (re/harvest): {} frames harvested (max), stopping the run on step {}\n",
                                          id, m_harvested, update->ntimestep));
        timer->force_timeout();
        m_halted = true;
      }
    } else {
      ++m_rej_novelty;
    }
  }
  schedule_computes(update->ntimestep + nevery);
}

void FixREHarvest::schedule_computes(bigint step)
{
  // only the computes this fix reads (the energy and the criteria's), not every compute with timeflag
  for (const std::string &cid : m_compute_ids) {
    const int ic = modify->find_compute(cid);
    if (ic >= 0 && modify->compute[ic]->timeflag) modify->compute[ic]->addstep(step);
  }
}

void FixREHarvest::post_run()
{
  if (m_halted) timer->reset_timeout();
  m_halted = false;
}

bool FixREHarvest::harvest(int bits)
{
  frame_to_host();
  if (m_f_step != update->ntimestep)
    error->all(FLERR, fmt::format("{}: no forces captured on step {} (internal)", kStyle, update->ntimestep));
  // the energy (collective; tallied on this step through addstep_compute)
  Compute *pe = modify->compute[modify->find_compute("thermo_pe")];
  const double energy = pe->invoked_scalar == update->ntimestep ? pe->scalar : pe->compute_scalar();

  const int nlocal = atom->nlocal;
  std::vector<double> mine;
  mine.reserve(static_cast<size_t>(nlocal) * kGatherCols);
  for (int i = 0; i < nlocal; ++i) {
    mine.push_back(static_cast<double>(atom->tag[i]));
    mine.push_back(atom->type[i]);
    for (int d = 0; d < 3; ++d) mine.push_back(atom->x[i][d]);
    for (int d = 0; d < 3; ++d) mine.push_back(m_f[3 * i + d]);
    mine.push_back(m_bits[i] & bits);
  }
  const std::vector<double> all = reval_lmp::gather_to_root(lmp, mine);

  int novel = 1;
  std::string message;
  if (comm->me == 0) {
    const int n = static_cast<int>(all.size() / kGatherCols);
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return all[a * kGatherCols] < all[b * kGatherCols]; });
    reval::XyzFrame w;
    w.cell[0] = domain->xprd;
    w.cell[3] = domain->xy;
    w.cell[4] = domain->yprd;
    w.cell[6] = domain->xz;
    w.cell[7] = domain->yz;
    w.cell[8] = domain->zprd;
    for (int d = 0; d < 3; ++d) w.pbc[d] = domain->periodicity[d] != 0;
    std::vector<int> types(n), trigger;
    auto &forces = w.arrays["mlip_forces"], &flags = w.arrays["harvest_flags"], &ids = w.arrays["id"];
    w.array_width["mlip_forces"] = 3;
    w.array_width["harvest_flags"] = w.array_width["id"] = 1;
    for (int k = 0; k < n; ++k) {
      const double *r = &all[static_cast<size_t>(order[k]) * kGatherCols];
      types[k] = static_cast<int>(r[1]);
      w.species.push_back(m_set.species[types[k] - 1]);
      for (int d = 0; d < 3; ++d) w.pos.push_back(r[2 + d] - domain->boxlo[d]);
      for (int d = 0; d < 3; ++d) forces.push_back(r[5 + d]);
      flags.push_back(r[8]);
      ids.push_back(r[0]);
      if (r[8] != 0.0) trigger.push_back(k);
    }
    w.info["step"] = std::to_string(update->ntimestep);
    w.info["criterion"] = criterion_names(bits);
    w.info["mlip_energy"] = fmt::format("{:.17g}", energy);
    w.info["harvest_frame"] = std::to_string(m_harvested);

    try {
      // novelty: descriptors of the trigger atoms (frames of frame criteria only have none: always novel)
      std::vector<double> desc(trigger.size() * m_desc_dim);
      if (m_set.novelty >= 0 && !trigger.empty()) {
        descriptors(w, types, trigger, desc.data());
        novel = m_memory.size() == 0 || m_memory.is_novel(desc.data(), static_cast<int>(trigger.size()));
      }
      if (novel) {
        // the frames to write: the whole cell, or a cut-out around each trigger atom not already in the
        // core (half the radius / the central half-cube) of an earlier cut-out of this step
        std::vector<reval::XyzFrame> frames;
        std::vector<std::vector<int>> frame_types;
        if (m_set.cutout.kind == reval::CutoutSpec::Kind::whole) {
          frames.push_back(w);
          frame_types.push_back(types);
        } else {
          const bool sphere = m_set.cutout.kind == reval::CutoutSpec::Kind::sphere;
          const double shift = sphere ? m_set.cutout.size + m_set.vacuum : 0.5 * m_set.cutout.size;
          std::vector<char> covered(n, 0);
          for (int t : trigger) {
            if (covered[t]) continue;
            std::vector<int> index;
            reval::XyzFrame c = reval::cut_out(w, &w.pos[3 * t], m_set.cutout, m_set.vacuum, &index);
            c.info.erase("mlip_energy");    // the energy of the whole cell, not of the cut-out
            c.info["centre_id"] = fmt::format("{:.0f}", w.arrays["id"][t]);
            std::vector<int> ct;
            for (size_t j = 0; j < index.size(); ++j) {
              ct.push_back(types[index[j]]);
              if (flags[index[j]] == 0.0) continue;
              double r2 = 0.0, rmax = 0.0;
              for (int d = 0; d < 3; ++d) {
                const double dd = c.pos[3 * j + d] - shift;
                r2 += dd * dd;
                rmax = std::max(rmax, std::fabs(dd));
              }
              if (sphere ? std::sqrt(r2) <= 0.5 * m_set.cutout.size : rmax <= 0.25 * m_set.cutout.size)
                covered[index[j]] = 1;
            }
            covered[t] = 1;
            frames.push_back(std::move(c));
            frame_types.push_back(std::move(ct));
          }
        }
        std::ostringstream xyz;
        for (const auto &f : frames) reval::write_extxyz(xyz, f);
        if (m_set.write_data) {
          std::vector<double> masses;
          if (atom->mass)
            for (int t = 1; t <= atom->ntypes; ++t) masses.push_back(atom->mass[t]);
          for (size_t k = 0; k < frames.size(); ++k) {
            const std::string path = m_set.file + "." + std::to_string(update->ntimestep) +
                (frames.size() > 1 || m_set.cutout.kind != reval::CutoutSpec::Kind::whole ? "." + std::to_string(k) : "") +
                ".data";
            const double zero[3] = {0.0, 0.0, 0.0};
            const bool whole = m_set.cutout.kind == reval::CutoutSpec::Kind::whole;
            const std::string title = fmt::format("REVAL fix re/harvest {} step {} criterion {}{}", id, update->ntimestep,
                                                  criterion_names(bits),
                                                  whole ? "" : m_set.cutout.kind == reval::CutoutSpec::Kind::sphere
                                                      ? " (cut-out sphere: non-periodic cluster)" : " (cut-out box)");
            reval::atomic_write(path, reval::lammps_data_text(frames[k], frame_types[k], atom->ntypes, masses, title,
                                                              whole ? domain->boxlo : zero));
          }
        }
        if (m_set.write_xyz) reval::atomic_append(m_set.file, xyz.str());
        if (m_set.novelty >= 0 && !trigger.empty()) m_memory.add(desc.data(), static_cast<int>(trigger.size()));
      }
    } catch (const reval::Error &e) {
      message = std::string(kStyle) + ": " + e.what();
    }
  }
  reval_lmp::error_all_from_root(lmp, message, FLERR);
  MPI_Bcast(&novel, 1, MPI_INT, 0, world);
  return novel != 0;
}

/* ---------------------------------------------------------------------- */

double FixREHarvest::compute_vector(int i)
{
  switch (i) {
    case 0: return static_cast<double>(m_harvested);
    case 1: return static_cast<double>(m_rej_throttle);
    case 2: return static_cast<double>(m_rej_novelty);
    case 3: return static_cast<double>(m_last_bits);
    default: return 0.0;
  }
}

double FixREHarvest::memory_usage()
{
  return static_cast<double>(atom->nmax) * sizeof(double) + static_cast<double>(m_memory.size()) * m_memory.dim() * sizeof(double) +
      (m_f.size() + m_vmig.size() + m_vhops.size() + m_vsigma.size() + m_verror.size()) * sizeof(double) +
      m_bits.size() * sizeof(int);
}

void FixREHarvest::grow_arrays(int nmax)
{
  memory->grow(m_hops_seen, nmax, "re/harvest:hops_seen");
}

void FixREHarvest::set_arrays(int i)
{
  m_hops_seen[i] = 0.0;
}

void FixREHarvest::copy_arrays(int i, int j, int)
{
  m_hops_seen[j] = m_hops_seen[i];
}

int FixREHarvest::pack_exchange(int i, double *buf)
{
  buf[0] = m_hops_seen[i];
  return 1;
}

int FixREHarvest::unpack_exchange(int nlocal, double *buf)
{
  m_hops_seen[nlocal] = buf[0];
  return 1;
}

int FixREHarvest::pack_restart(int i, double *buf)
{
  buf[0] = 2;    // record length, itself included
  buf[1] = m_hops_seen[i];
  return 2;
}

void FixREHarvest::unpack_restart(int nlocal, int nth)
{
  double **extra = atom->extra;
  int m = 0;
  for (int i = 0; i < nth; ++i) m += static_cast<int>(extra[nlocal][m]);
  if (static_cast<int>(extra[nlocal][m]) != 2)
    error->one(FLERR, fmt::format("{}: per-atom restart record of {} values, expected 2", kStyle,
                                  static_cast<int>(extra[nlocal][m])));
  m_hops_seen[nlocal] = extra[nlocal][m + 1];
}

int FixREHarvest::size_restart(int)
{
  return 2;
}

int FixREHarvest::maxsize_restart()
{
  return 2;
}

void FixREHarvest::write_restart(FILE *fp)
{
  std::vector<double> b{static_cast<double>(kRestartVersion),
                        static_cast<double>(m_harvested),
                        static_cast<double>(m_rej_throttle),
                        static_cast<double>(m_rej_novelty),
                        static_cast<double>(m_last_bits),
                        static_cast<double>(m_last_harvest_step),
                        m_vac_seen,
                        m_vac_init ? 1.0 : 0.0,
                        m_hops_init ? 1.0 : 0.0,
                        m_set.novelty >= 0 ? 1.0 : 0.0};
  if (m_set.novelty >= 0) {
    const std::vector<double> mem = m_memory.pack();
    b.push_back(static_cast<double>(mem.size()));
    b.insert(b.end(), mem.begin(), mem.end());
  }
  if (comm->me == 0) {
    const int size = static_cast<int>(b.size() * sizeof(double));
    fwrite(&size, sizeof(int), 1, fp);
    fwrite(b.data(), sizeof(double), b.size(), fp);
  }
}

void FixREHarvest::restart(char *buf)
{
  const double *b = reinterpret_cast<const double *>(buf);
  const int version = static_cast<int>(b[0]);
  if (version != kRestartVersion)
    error->all(FLERR, fmt::format("{}: restart data of version {}, this REVAL reads version {}", kStyle, version,
                                  kRestartVersion));
  m_harvested = static_cast<bigint>(b[1]);
  m_rej_throttle = static_cast<bigint>(b[2]);
  m_rej_novelty = static_cast<bigint>(b[3]);
  m_last_bits = static_cast<int>(b[4]);
  m_last_harvest_step = static_cast<bigint>(b[5]);
  m_vac_seen = b[6];
  m_vac_init = b[7] != 0.0;
  m_hops_init = b[8] != 0.0;
  const bool had_novelty = b[9] != 0.0;
  if (had_novelty && m_set.novelty >= 0) {
    const size_t n = static_cast<size_t>(b[10]);
    try {
      reval::NoveltyMemory mem = reval::NoveltyMemory::unpack(std::vector<double>(b + 11, b + 11 + n));
      // the threshold is this input's (it may change between runs); the stored descriptors are kept (init()
      // checks that they have the dimension of this run's descriptor)
      m_memory = reval::NoveltyMemory(mem.dim(), m_set.novelty);
      const std::vector<double> packed = mem.pack();
      if (mem.size() > 0) m_memory.add(packed.data() + 3, mem.size());
    } catch (const reval::Error &e) {
      error->all(FLERR, std::string(kStyle) + ": restart data: " + e.what());
    }
  }
  m_restored = true;
}
