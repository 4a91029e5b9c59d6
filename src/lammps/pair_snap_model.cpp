/* ----------------------------------------------------------------------
   REVAL: pair_style snap/model (see pair_snap_model.h, doc/pair_snap_model.rst)
------------------------------------------------------------------------- */

#include "pair_snap_model.h"

#include "adapter_utils.h"
#include "lammps_bridge.h"

#include "core/error.h"

#include "kernels/point/box_math.hpp"
#include "kernels/point/snap_committee.hpp"
#include "kernels/point/snap_host_simd.hpp"
#include "kernels/point/virial.hpp"

#include "atom.h"
#include "comm.h"
#include "compute.h"
#include "domain.h"
#include "error.h"
#include "force.h"
#include "memory.h"
#include "neigh_list.h"
#include "neighbor.h"
#include "update.h"
#include "utils.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace LAMMPS_NS;

namespace {

const char *const kWho = "pair_style snap/model: ";

// "UNITS: x" on the first line of a potential file, as LAMMPS' potential readers check it.
std::string units_of(const std::string &text)
{
  const std::string first = text.substr(0, text.find('\n'));
  const auto pos = first.find("UNITS:");
  if (pos == std::string::npos) return "";
  std::istringstream in(first.substr(pos + 6));
  std::string u;
  in >> u;
  return u;
}

std::string fmt_g(double v)
{
  std::ostringstream o;
  o << v;
  return o.str();
}

}    // namespace

PairSNAPModel::PairSNAPModel(LAMMPS *lmp) : Pair(lmp)
{
  single_enable = 0;
  restartinfo = 0;
  one_coeff = 1;
  manybody_flag = 1;
  centroidstressflag = CENTROID_NOTAVAIL;
  // reverse communication of ghost forces (newton off) and per-member forces (uncertainty steps), in
  // passes of at most kReverseValues values per atom: pair_style hybrid sizes the comm buffers from
  // this value before pair_coeff tells the committee size
  comm_reverse = kReverseValues;
  comm_reverse_off = kReverseValues;
}

PairSNAPModel::~PairSNAPModel()
{
  if (allocated) {
    memory->destroy(setflag);
    memory->destroy(cutsq);
    memory->destroy(scale);
  }
}

void PairSNAPModel::allocate()
{
  allocated = 1;
  const int n = atom->ntypes;
  memory->create(setflag, n + 1, n + 1, "pair:setflag");
  memory->create(cutsq, n + 1, n + 1, "pair:cutsq");
  memory->create(scale, n + 1, n + 1, "pair:scale");
  for (int i = 0; i <= n; ++i)
    for (int j = 0; j <= n; ++j) {
      setflag[i][j] = 0;
      scale[i][j] = 1.0;
    }
}

void PairSNAPModel::settings(int narg, char **arg)
{
  // chunksize N, teamsize M tune the /kk variant only; accepted here so that one input runs with and without -sf kk
  int iarg = 0;
  while (iarg < narg) {
    if (std::strcmp(arg[iarg], "chunksize") == 0 || std::strcmp(arg[iarg], "teamsize") == 0) {
      if (iarg + 1 >= narg) error->all(FLERR, std::string(kWho) + arg[iarg] + " needs a value");
      if (utils::inumeric(FLERR, arg[iarg + 1], false, lmp) < 1)
        error->all(FLERR, std::string(kWho) + arg[iarg] + " must be a positive integer");
      iarg += 2;
    } else {
      error->all(FLERR, std::string(kWho) + "unknown argument '" + arg[iarg] +
                            "' (pair_style snap/model takes only 'chunksize N' and 'teamsize M'; the potential is given by pair_coeff * * ...)");
    }
  }
}

std::string PairSNAPModel::read_potential_text(const std::string &file)
{
  std::string text, msg;
  if (comm->me == 0) {
    const std::string path = utils::get_potential_file_path(file);
    std::ifstream in(path.empty() ? file : path, std::ios::binary);
    if (path.empty() || !in) {
      msg = std::string(kWho) + "cannot open potential file " + file +
            " (looked in the current folder and in $LAMMPS_POTENTIALS)";
    } else {
      std::ostringstream ss;
      ss << in.rdbuf();
      text = ss.str();
      const std::string units = units_of(text);
      if (!units.empty() && units != update->unit_style)
        msg = std::string(kWho) + "potential file " + file + " requires " + units + " units but " +
              update->unit_style + " units are in use";
    }
  }
  reval_lmp::error_all_from_root(lmp, msg, FLERR);
  long n = static_cast<long>(text.size());
  MPI_Bcast(&n, 1, MPI_LONG, 0, world);
  text.resize(n);
  if (n > 0) MPI_Bcast(&text[0], static_cast<int>(n), MPI_CHAR, 0, world);
  return text;
}

void PairSNAPModel::coeff(int narg, char **arg)
{
  if (!allocated) allocate();
  if (narg < 2 || std::strcmp(arg[0], "*") != 0 || std::strcmp(arg[1], "*") != 0)
    error->all(FLERR, std::string(kWho) + "pair_coeff must start with * *");

  std::vector<std::string> args(arg + 2, arg + narg);
  reval::SnapPairSpec spec;
  try {
    spec = reval::parse_snap_pair_coeff(args, atom->ntypes);
  } catch (const reval::Error &e) {
    error->all(FLERR, std::string(kWho) + "pair_coeff: " + e.what());
  }

  // rank 0 reads every file, all ranks parse the same text (so a parse error is raised on all ranks)
  std::vector<reval::SnapPotential> members;
  const std::vector<std::string> elements = spec.distinct_elements();
  for (const auto &m : spec.members) {
    const std::string t0 = read_potential_text(m.files[0]);
    const std::string t1 = read_potential_text(m.files[1]);
    try {
      members.push_back(reval::build_snap_member(m, t0, t1, elements));
    } catch (const reval::Error &e) {
      error->all(FLERR, std::string(kWho) + e.what());
    }
  }

  std::vector<reval::SnapModel> models;
  std::vector<int> map;
  try {
    models = reval::make_committee(members);
    map = reval::snap_type_map(spec, members.front().params);
    m_desc = std::make_shared<const reval::SnapDescriptor>(members.front().params);
  } catch (const reval::Error &e) {
    error->all(FLERR, std::string(kWho) + e.what());
  }

  m_spec = spec;
  m_models = std::move(models);
  m_map = map;
  m_engine = std::make_unique<reval::SnapEngine>(m_desc);
  m_sigma_step = -1;

  int count = 0;
  const int n = atom->ntypes;
  for (int i = 1; i <= n; ++i)
    for (int j = i; j <= n; ++j) {
      setflag[i][j] = (m_map[i] >= 0 && m_map[j] >= 0) ? 1 : 0;
      if (setflag[i][j]) ++count;
    }
  if (count == 0) error->all(FLERR, std::string(kWho) + "pair_coeff sets no type pairs");
  if (comm->me == 0) utils::logmesg(lmp, describe() + "\n");
}

std::string PairSNAPModel::describe() const
{
  if (m_models.empty()) return "pair_style snap/model: no potential";
  const auto &p = m_desc->params();
  std::string s = "pair_style snap/model: ";
  if (m_spec.committee) {
    s += "committee of " + std::to_string(committee_size()) + " models (";
    for (int m = 0; m < committee_size(); ++m) s += (m ? ", " : "") + reval::snap_model_kind_name(m_models[m].kind());
    s += ")";
  } else {
    s += reval::snap_model_kind_name(m_models.front().kind()) + " model";
  }
  s += ", " + std::to_string(m_desc->ncoeff()) + " descriptors (twojmax " + std::to_string(p.twojmax) +
       (p.chemflag ? ", chemflag" : "") + (p.switchinnerflag ? ", inner switching" : "") + "), elements";
  for (const auto &e : p.elements) s += " " + e;
  s += ", cutoff " + fmt_g(p.max_cutoff());
  s += std::string(", CPU kernels ") + reval::kernels::SnapHostSimdInfo::name();
  return s;
}

void PairSNAPModel::init_requests()
{
  if (m_models.empty()) error->all(FLERR, std::string(kWho) + "pair_coeff has not been given");
  m_sigma_requests.clear();
}

void PairSNAPModel::init_style()
{
  init_requests();
  reval_lmp::request_full_list(neighbor, this, instance_me, false);
}

double PairSNAPModel::init_one(int i, int j)
{
  if (setflag[i][j] == 0) error->all(FLERR, "All pair coeffs are not set");
  scale[j][i] = scale[i][j];
  if (m_map[i] < 0 || m_map[j] < 0) return 0.0;
  return m_desc->params().cutoff(m_map[i], m_map[j]);
}

void *PairSNAPModel::extract(const char *str, int &dim)
{
  if (std::strcmp(str, reval_lmp::CommitteeUncertainty::kExtract) == 0) {
    dim = 0;
    return static_cast<reval_lmp::CommitteeUncertainty *>(this);
  }
  // element name of each type (std::vector<std::string>, [t-1] for type t, "NULL" if unhandled): fix re/harvest
  if (std::strcmp(str, "reval:type_elements") == 0) {
    dim = 0;
    return static_cast<void *>(&m_spec.type_elements);
  }
  // the descriptor (std::shared_ptr<const reval::SnapDescriptor>) and type -> element index (std::vector<int>,
  // index = type, -1 unhandled): fix re/harvest's novelty descriptor (the bispectrum)
  if (std::strcmp(str, "reval:snap_descriptor") == 0) {
    dim = 0;
    return static_cast<void *>(&m_desc);
  }
  if (std::strcmp(str, "reval:type_element_index") == 0) {
    dim = 0;
    return static_cast<void *>(&m_map);
  }
  dim = 2;
  if (std::strcmp(str, "scale") == 0) return (void *) scale;
  return nullptr;
}

void PairSNAPModel::request_uncertainty(Compute *c)
{
  if (std::find(m_sigma_requests.begin(), m_sigma_requests.end(), c) == m_sigma_requests.end())
    m_sigma_requests.push_back(c);
}

bool PairSNAPModel::uncertainty_requested()
{
  if (!m_spec.committee) return false;
  bool want = false;
  for (Compute *c : m_sigma_requests)
    if (c->matchstep(update->ntimestep)) want = true;
  return want;
}

void PairSNAPModel::compute(int eflag, int vflag)
{
  ev_init(eflag, vflag);
  const bool sigma = uncertainty_requested();
  begin_step(sigma);
  try {
    for (int ii = 0; ii < list->inum; ++ii) compute_atom(list->ilist[ii], sigma);
  } catch (const reval::Error &e) {
    error->one(FLERR, std::string(kWho) + e.what());
  }
  if (!force->newton_pair) reverse_ghost_forces(vflag_atom != 0);
  if (sigma) finish_uncertainties();
  if (vflag_fdotr) virial_fdotr();
}

void PairSNAPModel::virial_fdotr()
{
  // Pair::virial_fdotr_compute's sum, in its order, through the kernel the /kk twin reduces with
  double **x = atom->x;
  double **f = atom->f;
  const int nlocal = atom->nlocal, nall = nlocal + atom->nghost;
  const int nown = neighbor->includegroup ? atom->nfirst : nlocal;
  for (int i = 0; i < nown; ++i) reval::kernels::virial_fdotr_add(x[i], f[i], virial);
  for (int i = nlocal; i < nall; ++i) reval::kernels::virial_fdotr_add(x[i], f[i], virial);
  vflag_fdotr = 0;
}

void PairSNAPModel::begin_step(bool sigma)
{
  const int *type = atom->type;
  const int nlocal = atom->nlocal;
  const int nall = nlocal + atom->nghost;
  if (static_cast<int>(m_elem_of.size()) < nall) m_elem_of.resize(nall);
  for (int i = 0; i < nall; ++i) m_elem_of[i] = m_map[type[i]];

  // newton off: LAMMPS neither zeroes nor communicates ghost forces and per-atom virials, so this
  // style collects them itself and sends them to the owners after the loop
  if (!force->newton_pair) {
    m_fghost.assign(3 * static_cast<std::size_t>(nall - nlocal), 0.0);
    if (vflag_atom)
      for (int i = nlocal; i < nall; ++i)
        for (int k = 0; k < 6; ++k) vatom[i][k] = 0.0;
  }
  if (sigma) {
    const int M = committee_size();
    m_fmem.assign(static_cast<std::size_t>(nall) * M * 3, 0.0);
    reset_uncertainties();
    m_emem.resize(M);
  }
}

void PairSNAPModel::compute_atom(int i, bool sigma)
{
  const int ielem = m_elem_of[i];
  if (ielem < 0) return;
  const int itype = atom->type[i];
  const double s = scale[itype][itype];
  const int n = m_engine->build_short_list(ielem, atom->x[i], list->numneigh[i], list->firstneigh[i], atom->x,
                                           m_elem_of.data(), m_short, NEIGHMASK);
  if (static_cast<int>(m_dedr.size()) < 3 * n) m_dedr.resize(3 * n);
  const double *rij = m_short.rij.data();
  const int *jelem = m_short.jelem.data();
  double ei;
  if (sigma) {
    const int M = committee_size();
    const std::size_t nm = static_cast<std::size_t>(M) * n * 3;
    if (m_dedr_members.size() < nm) m_dedr_members.resize(nm);
    ei = m_engine->compute_members(ielem, n, rij, jelem, m_models, m_emem.data(), m_dedr_members.data(),
                                   m_dedr.data());
    tally_member_forces(i, n, s);
    m_sigma_e[i] = s * reval::kernels::snap_committee_sigma(m_emem.data(), M);
  } else {
    ei = m_engine->compute(ielem, n, rij, jelem, m_models, m_dedr.data());
  }
  tally_forces(i, n, s, m_dedr.data());
  const double e = s * ei;
  if (eflag_global) eng_vdwl += e;
  if (eflag_atom) eatom[i] += e;
}

void PairSNAPModel::tally_forces(int i, int n, double s, const double *dedr)
{
  double **f = atom->f;
  const int nlocal = atom->nlocal;
  const bool newton = force->newton_pair != 0;
  const double *rij = m_short.rij.data();
  const int *jatom = m_short.jatom.data();
  for (int jj = 0; jj < n; ++jj) {
    const int j = jatom[jj];
    const double fij[3] = {s * dedr[3 * jj], s * dedr[3 * jj + 1], s * dedr[3 * jj + 2]};
    f[i][0] += fij[0];
    f[i][1] += fij[1];
    f[i][2] += fij[2];
    double *fj = (newton || j < nlocal) ? f[j] : &m_fghost[3 * static_cast<std::size_t>(j - nlocal)];
    fj[0] -= fij[0];
    fj[1] -= fij[1];
    fj[2] -= fij[2];
    // the whole pair term is tallied here (ghost contributions reach their owners by reverse comm)
    if (vflag_either)
      ev_tally_xyz(i, j, nlocal, 1, 0.0, 0.0, fij[0], fij[1], fij[2], -rij[3 * jj], -rij[3 * jj + 1],
                   -rij[3 * jj + 2]);
  }
}

void PairSNAPModel::tally_member_forces(int i, int n, double s)
{
  const int M = committee_size();
  const int *jatom = m_short.jatom.data();
  for (int m = 0; m < M; ++m) {
    const double *dm = m_dedr_members.data() + static_cast<std::size_t>(m) * n * 3;
    double *fi = m_fmem.data() + (static_cast<std::size_t>(i) * M + m) * 3;
    for (int jj = 0; jj < n; ++jj) {
      double *fj = m_fmem.data() + (static_cast<std::size_t>(jatom[jj]) * M + m) * 3;
      for (int k = 0; k < 3; ++k) {
        fi[k] += s * dm[3 * jj + k];
        fj[k] -= s * dm[3 * jj + k];
      }
    }
  }
}

void PairSNAPModel::reset_uncertainties()
{
  const int nlocal = atom->nlocal;
  if (static_cast<int>(m_sigma_e.size()) < nlocal) {
    m_sigma_e.resize(atom->nmax);
    m_sigma_f.resize(atom->nmax);
  }
  std::fill(m_sigma_e.begin(), m_sigma_e.begin() + nlocal, 0.0);
  std::fill(m_sigma_f.begin(), m_sigma_f.begin() + nlocal, 0.0);
}

void PairSNAPModel::finish_uncertainties()
{
  reverse_member_forces();
  const int M = committee_size();
  const int *type = atom->type;
  for (int i = 0; i < atom->nlocal; ++i)
    if (handles_type(type[i]))
      m_sigma_f[i] = reval::kernels::snap_committee_sigma_vec3(m_fmem.data() + static_cast<std::size_t>(i) * M * 3, M);
  record_uncertainty_configuration();
}

void PairSNAPModel::record_uncertainty_configuration()
{
  const int nlocal = atom->nlocal;
  m_sigma_tag.assign(atom->tag, atom->tag + nlocal);
  m_sigma_lamda.resize(3 * static_cast<std::size_t>(nlocal));
  const auto box = reval_lmp::box_geom(domain);
  for (int i = 0; i < nlocal; ++i) reval::kernels::x2lamda(box, atom->x[i], &m_sigma_lamda[3 * static_cast<std::size_t>(i)]);
  m_sigma_step = update->ntimestep;
}

bool PairSNAPModel::uncertainty_configuration_current() const
{
  const int nlocal = atom->nlocal;
  if (static_cast<int>(m_sigma_tag.size()) != nlocal) return false;
  const auto box = reval_lmp::box_geom(domain);
  constexpr double kMoved = 1e-8;    // distance units: far above round-off, far below any real move
  for (int i = 0; i < nlocal; ++i) {
    if (atom->tag[i] != m_sigma_tag[i]) return false;
    double l[3];
    reval::kernels::x2lamda(box, atom->x[i], l);
    for (int d = 0; d < 3; ++d) {
      double dl = l[d] - m_sigma_lamda[3 * static_cast<std::size_t>(i) + d];
      if (box.periodic[d]) dl -= std::nearbyint(dl);    // a periodic wrap is the same position
      // about the Cartesian move along lattice vector d
      const double len = d == 0 ? domain->xprd : (d == 1 ? domain->yprd : domain->zprd);
      if (!(std::fabs(dl) * len <= kMoved)) return false;
    }
  }
  return true;
}

void PairSNAPModel::reverse_ghost_forces(bool with_vatom)
{
  m_rc_mode = ReverseMode::GhostForce;
  m_rc_vatom = with_vatom;
  reval_lmp::reverse_comm(comm, this);
  // the ghost per-atom virials now sit with their owners; with newton_bond on (force->newton set)
  // LAMMPS would reverse-communicate them once more
  if (with_vatom)
    for (int i = atom->nlocal; i < atom->nlocal + atom->nghost; ++i)
      for (int k = 0; k < 6; ++k) vatom[i][k] = 0.0;
}

void PairSNAPModel::reverse_member_forces()
{
  m_rc_mode = ReverseMode::Members;
  const int M = committee_size();
  const int per_pass = kReverseValues / 3;
  for (int m0 = 0; m0 < M; m0 += per_pass) {
    m_rc_m0 = m0;
    m_rc_m1 = std::min(M, m0 + per_pass);
    reval_lmp::reverse_comm(comm, this);
  }
}

int PairSNAPModel::pack_reverse_comm(int n, int first, double *buf)
{
  const int nlocal = atom->nlocal;
  int m = 0;
  if (m_rc_mode == ReverseMode::GhostForce) {
    for (int i = first; i < first + n; ++i) {
      const double *fg = &m_fghost[3 * static_cast<std::size_t>(i - nlocal)];
      buf[m++] = fg[0];
      buf[m++] = fg[1];
      buf[m++] = fg[2];
      if (m_rc_vatom)
        for (int k = 0; k < 6; ++k) buf[m++] = vatom[i][k];
    }
  } else {
    const int M = committee_size();
    for (int i = first; i < first + n; ++i)
      for (int q = m_rc_m0; q < m_rc_m1; ++q)
        for (int k = 0; k < 3; ++k) buf[m++] = m_fmem[(static_cast<std::size_t>(i) * M + q) * 3 + k];
  }
  return m;
}

void PairSNAPModel::unpack_reverse_comm(int n, int *list, double *buf)
{
  const int nlocal = atom->nlocal;
  double **f = atom->f;
  int m = 0;
  if (m_rc_mode == ReverseMode::GhostForce) {
    for (int ii = 0; ii < n; ++ii) {
      const int j = list[ii];
      // j can itself be a ghost (multi-swap reverse communication): keep collecting there
      double *fj = j < nlocal ? f[j] : &m_fghost[3 * static_cast<std::size_t>(j - nlocal)];
      fj[0] += buf[m++];
      fj[1] += buf[m++];
      fj[2] += buf[m++];
      if (m_rc_vatom)
        for (int k = 0; k < 6; ++k) vatom[j][k] += buf[m++];
    }
  } else {
    const int M = committee_size();
    for (int ii = 0; ii < n; ++ii) {
      const int j = list[ii];
      for (int q = m_rc_m0; q < m_rc_m1; ++q)
        for (int k = 0; k < 3; ++k) m_fmem[(static_cast<std::size_t>(j) * M + q) * 3 + k] += buf[m++];
    }
  }
}

double PairSNAPModel::memory_usage()
{
  double bytes = Pair::memory_usage();
  bytes += sizeof(int) * m_elem_of.capacity();
  bytes += sizeof(double) * (m_dedr.capacity() + m_dedr_members.capacity() + m_fghost.capacity() +
                             m_fmem.capacity() + m_sigma_e.capacity() + m_sigma_f.capacity());
  bytes += sizeof(double) * (m_short.rij.capacity()) + sizeof(int) * (m_short.jelem.capacity() + m_short.jatom.capacity());
  return bytes;
}
