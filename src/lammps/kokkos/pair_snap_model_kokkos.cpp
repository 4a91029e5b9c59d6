/* ----------------------------------------------------------------------
   REVAL: pair_style snap/model/kk (see pair_snap_model_kokkos.h)
------------------------------------------------------------------------- */

#include "pair_snap_model_kokkos.h"
#include "kokkos_style.h"

#include "lammps_bridge.h"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "comm.h"
#include "error.h"
#include "force.h"
#include "kokkos.h"
#include "memory_kokkos.h"
#include "neigh_list_kokkos.h"
#include "neigh_request.h"
#include "neighbor.h"
#include "update.h"
#include "utils.h"

#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

using namespace LAMMPS_NS;

namespace {
const char *const kWhoKK = "pair_style snap/model/kk: ";
constexpr int kHostChunk = 1024;
constexpr int kDeviceChunk = 8192;
constexpr int kDeviceTeam = 32;

/// The LAMMPS views the functors read, by the types LAMMPS gives them (no version-specific names).
template <class DeviceType>
struct SnapKkTypes {
  using X = typename ArrayTypes<DeviceType>::t_x_array_randomread;
  using F = typename ArrayTypes<DeviceType>::t_f_array;
  using Type = std::decay_t<decltype(std::declval<AtomKokkos &>().k_type.template view<DeviceType>())>;
  using Neigh = decltype(NeighListKokkos<DeviceType>::d_neighbors);
  using Int = decltype(NeighListKokkos<DeviceType>::d_ilist);
  using E = std::decay_t<decltype(std::declval<DAT::tdual_efloat_1d &>().template view<DeviceType>())>;
  using V = std::decay_t<decltype(std::declval<DAT::tdual_virial_array &>().template view<DeviceType>())>;
  using AtomF = reval::kokkos::SnapAtomFunctor<DeviceType, X, Type, Neigh, Int>;
  using ForceF = reval::kokkos::SnapForceFunctor<DeviceType, F, Type, Int, E, V>;
};
}    // namespace

template <class DeviceType>
PairSNAPModelKokkos<DeviceType>::PairSNAPModelKokkos(LAMMPS *lmp) :
    PairSNAPModel(reval_lmp::require_kokkos(lmp, "pair_style snap/model/kk"))
{
  kokkosable = 1;
  atomKK = (AtomKokkos *) atom;
  execution_space = ExecutionSpaceFromDevice<DeviceType>::space;
  datamask_read = X_MASK | F_MASK | TYPE_MASK | ENERGY_MASK | VIRIAL_MASK;
  datamask_modify = F_MASK | ENERGY_MASK | VIRIAL_MASK;
}

template <class DeviceType>
PairSNAPModelKokkos<DeviceType>::~PairSNAPModelKokkos()
{
  if (copymode) return;
  memoryKK->destroy_kokkos(k_eatom, eatom);
  memoryKK->destroy_kokkos(k_vatom, vatom);
}

template <class DeviceType>
void PairSNAPModelKokkos<DeviceType>::settings(int narg, char **arg)
{
  // chunksize N: central atoms per kernel launch (memory ~ N x (Z list + work per neighbour))
  int iarg = 0;
  while (iarg < narg) {
    if (std::strcmp(arg[iarg], "chunksize") == 0) {
      if (iarg + 1 >= narg) error->all(FLERR, std::string(kWhoKK) + "chunksize needs a value");
      m_chunksize = utils::inumeric(FLERR, arg[iarg + 1], false, lmp);
      if (m_chunksize < 1) error->all(FLERR, std::string(kWhoKK) + "chunksize must be a positive integer");
      iarg += 2;
    } else if (std::strcmp(arg[iarg], "teamsize") == 0) {
      if (iarg + 1 >= narg) error->all(FLERR, std::string(kWhoKK) + "teamsize needs a value");
      m_teamsize = utils::inumeric(FLERR, arg[iarg + 1], false, lmp);
      if (m_teamsize < 1) error->all(FLERR, std::string(kWhoKK) + "teamsize must be a positive integer");
      iarg += 2;
    } else {
      error->all(FLERR, std::string(kWhoKK) + "unknown argument '" + arg[iarg] + "' (only: chunksize N, teamsize M)");
    }
  }
}

template <class DeviceType>
void PairSNAPModelKokkos<DeviceType>::coeff(int narg, char **arg)
{
  PairSNAPModel::coeff(narg, arg);
  copy_to_device();
}

template <class DeviceType>
void PairSNAPModelKokkos<DeviceType>::copy_to_device()
{
  m_dtables = std::make_unique<reval_lmp::SnapDeviceTables<DeviceType>>(*m_desc);
  // row tables of the host Z kernel (indices and Clebsch-Gordan values in host memory, from the host tables; read
  // by the functor's host path only)
  m_zplan = std::make_unique<reval::kernels::SnapHostZPlan>(m_desc->view());
  m_dmodels = std::make_unique<reval_lmp::SnapDeviceModels<DeviceType>>(m_models);
  d_map = reval::kokkos::to_device<DeviceType>(m_map, "snap:map");
  m_work = reval::kokkos::SnapWork<DeviceType>();
}

template <class DeviceType>
void PairSNAPModelKokkos<DeviceType>::init_style()
{
  init_requests();
  auto *req = reval_lmp::request_full_list(neighbor, this, instance_me, false);
  reval_lmp::set_kokkos_request(req,
                                std::is_same<DeviceType, LMPHostType>::value &&
                                    !std::is_same<DeviceType, LMPDeviceType>::value,
                                std::is_same<DeviceType, LMPDeviceType>::value);
}

template <class DeviceType>
void PairSNAPModelKokkos<DeviceType>::compute(int eflag_in, int vflag_in)
{
  constexpr bool on_host = std::is_same<typename DeviceType::memory_space, Kokkos::HostSpace>::value;
  using Types = SnapKkTypes<DeviceType>;
  ev_init(eflag_in, vflag_in, 0);
  grow_peratom();
  atomKK->sync(execution_space, X_MASK | F_MASK | TYPE_MASK);
  x = atomKK->k_x.template view<DeviceType>();
  f = atomKK->k_f.template view<DeviceType>();
  const bool sigma = uncertainty_requested();
  upload_scale();

  const int chunk = m_chunksize > 0 ? m_chunksize : (on_host ? kHostChunk : kDeviceChunk);
  const int team_size = team_size_for<typename Types::AtomF>();
  if (!m_reported && comm->me == 0) {
    utils::logmesg(lmp, "pair_style snap/model/kk: up to " + std::to_string(chunk) + " atoms per launch, " +
                            std::to_string(team_size) + " thread(s) per atom" +
                            (team_size == 1 ? ", per-atom work in team scratch" : "") +
                            (team_size == 1 && Types::AtomF::kHostLanes
                                 ? std::string(", host SIMD layouts (") + reval::kernels::SnapHostSimdInfo::name() + ")\n"
                                 : std::string("\n")));
  }
  m_reported = true;
  prepare_buffers(sigma, chunk, team_size);

  typename Types::AtomF af;
  fill_atom_functor(af, sigma, team_size);
  typename Types::ForceF ff;
  fill_force_functor(ff, sigma);
  run_chunks(af, ff, chunk, team_size);
  if (vflag_fdotr) virial_fdotr_device();
  atomKK->modified(execution_space, F_MASK);
  sync_per_atom_outputs();
  if (!force->newton_pair) reverse_ghost_forces_device();
  if (sigma) finish_uncertainties_device();
}

template <class DeviceType>
void PairSNAPModelKokkos<DeviceType>::grow_peratom()
{
  if (eflag_atom) {
    memoryKK->destroy_kokkos(k_eatom, eatom);
    memoryKK->create_kokkos(k_eatom, eatom, maxeatom, "pair:eatom");
  }
  if (vflag_atom) {
    memoryKK->destroy_kokkos(k_vatom, vatom);
    memoryKK->create_kokkos(k_vatom, vatom, maxvatom, "pair:vatom");
  }
}

template <class DeviceType>
void PairSNAPModelKokkos<DeviceType>::upload_scale()
{
  const int nt = atom->ntypes;
  std::vector<double> h(nt + 1, 0.0);
  for (int t = 1; t <= nt; ++t) h[t] = scale[t][t];
  reval::kokkos::to_device(d_scale, h, "snap:scale");
}

namespace {
// Longest neighbour list (a functor, not a lambda: nvcc refuses extended lambdas in non-public members)
template <class NumView, class IlistView>
struct MaxNeighbours {
  NumView numneigh;
  IlistView ilist;
  KOKKOS_INLINE_FUNCTION void operator()(const int ii, int &mx) const
  {
    const int n = numneigh(ilist(ii));
    if (n > mx) mx = n;
  }
};
}    // namespace

template <class DeviceType>
int PairSNAPModelKokkos<DeviceType>::max_neighbours() const
{
  using exec_space = typename DeviceType::execution_space;
  auto *k_list = static_cast<NeighListKokkos<DeviceType> *>(list);
  MaxNeighbours<decltype(k_list->d_numneigh), decltype(k_list->d_ilist)> f{k_list->d_numneigh, k_list->d_ilist};
  int maxneigh = 0;
  Kokkos::parallel_reduce("snap/model/kk:maxneigh", Kokkos::RangePolicy<exec_space>(0, list->inum), f,
                          Kokkos::Max<int>(maxneigh));
  return maxneigh;
}

template <class DeviceType>
template <class AtomF>
int PairSNAPModelKokkos<DeviceType>::team_size_for()
{
  using exec_space = typename DeviceType::execution_space;
  constexpr bool on_host = std::is_same<typename DeviceType::memory_space, Kokkos::HostSpace>::value;
  const int team_size = m_teamsize > 0 ? m_teamsize : (on_host ? 1 : kDeviceTeam);
  // the backend's limit for this functor (e.g. the threads of a host team)
  const int tmax = Kokkos::TeamPolicy<exec_space>(1, 1).team_size_max(AtomF(), Kokkos::ParallelForTag());
  return team_size > tmax ? tmax : team_size;
}

template <class DeviceType>
void PairSNAPModelKokkos<DeviceType>::prepare_buffers(bool sigma, int chunk, int team_size)
{
  const int nlocal = atom->nlocal, nall = nlocal + atom->nghost;
  const int M = committee_size();
  m_work.resize(m_dtables->view, m_dmodels->scratch, std::min(chunk, std::max(list->inum, 1)),
                std::max(max_neighbours(), 1), team_size, sigma ? M : 0, team_size > 1);
  if (!force->newton_pair) {
    if (static_cast<int>(d_fghost.extent(0)) < nall - nlocal)
      d_fghost = decltype(d_fghost)("snap:fghost", nall - nlocal, 3);
    else
      Kokkos::deep_copy(d_fghost, 0.0);
  }
  if (sigma) {
    d_fmem = decltype(d_fmem)("snap:fmem", nall, M, 3);
    if (static_cast<int>(d_sigma_e.extent(0)) < nall) d_sigma_e = Kokkos::View<double *, DeviceType>("snap:sigma_e", nall);
    else Kokkos::deep_copy(d_sigma_e, 0.0);
  }
}

template <class DeviceType>
template <class AtomF>
void PairSNAPModelKokkos<DeviceType>::fill_atom_functor(AtomF &af, bool sigma, int team_size) const
{
  auto *k_list = static_cast<NeighListKokkos<DeviceType> *>(list);
  af.t = m_dtables->view;
  if (m_zplan) af.zplan = m_zplan->view();
  af.models = m_dmodels->views;
  af.nmodels = m_dmodels->count;
  af.members = sigma;
  af.x = x;
  af.type = atomKK->k_type.template view<DeviceType>();
  af.neighbors = k_list->d_neighbors;
  af.numneigh = k_list->d_numneigh;
  af.ilist = k_list->d_ilist;
  af.map = d_map;
  af.radelem = m_dtables->radelem;
  af.wjelem = m_dtables->wjelem;
  af.rcutfac = m_desc->params().rcutfac;
  af.chemflag = m_desc->params().chemflag;
  af.neighmask = NEIGHMASK;
  af.local_scratch = (team_size == 1);
  af.model_scratch = m_dmodels->scratch;
  af.w = m_work;
}

template <class DeviceType>
template <class ForceF>
void PairSNAPModelKokkos<DeviceType>::fill_force_functor(ForceF &ff, bool sigma) const
{
  auto *k_list = static_cast<NeighListKokkos<DeviceType> *>(list);
  ff.w = m_work;
  ff.f = f;
  ff.type = atomKK->k_type.template view<DeviceType>();
  ff.ilist = k_list->d_ilist;
  ff.scale = d_scale;
  ff.fghost = d_fghost;
  ff.eatom = k_eatom.template view<DeviceType>();
  ff.vatom = k_vatom.template view<DeviceType>();
  ff.sigma_e = d_sigma_e;
  ff.fmem = d_fmem;
  ff.nlocal = atom->nlocal;
  ff.nmodels = committee_size();
  ff.newton = force->newton_pair != 0;
  ff.eflag_global = eflag_global != 0;
  ff.eflag_atom = eflag_atom != 0;
  ff.vflag_global = vflag_global != 0;
  ff.vflag_atom = vflag_atom != 0;
  ff.members = sigma;
}

template <class DeviceType>
template <class AtomF, class ForceF>
void PairSNAPModelKokkos<DeviceType>::run_chunks(AtomF &af, ForceF &ff, int chunk, int team_size)
{
  using exec_space = typename DeviceType::execution_space;
  const int inum = list->inum;
  reval::kokkos::Sums<7> ev;    // energy, then the six virial components
  for (int offset = 0; offset < inum; offset += chunk) {
    const int n = std::min(chunk, inum - offset);
    af.offset = offset;
    ff.offset = offset;
    Kokkos::TeamPolicy<exec_space> policy(n, team_size);
    if (af.local_scratch) policy.set_scratch_size(1, Kokkos::PerTeam(af.local_scratch_bytes(m_work.maxneigh)));
    Kokkos::parallel_for("snap/model/kk:atoms", policy, af);
    reval::kokkos::Sums<7> part;
    Kokkos::parallel_reduce("snap/model/kk:forces", Kokkos::RangePolicy<exec_space>(0, n), ff, part);
    ev += part;
  }
  if (eflag_global) eng_vdwl += ev[0];
  if (vflag_global)
    for (int k = 0; k < 6; ++k) virial[k] += ev[1 + k];
}

template <class DeviceType>
void PairSNAPModelKokkos<DeviceType>::virial_fdotr_device()
{
  // F.r over owned and ghost atoms (owned atoms of the include group only, as LAMMPS does)
  using exec_space = typename DeviceType::execution_space;
  const int nlocal = atom->nlocal, nall = nlocal + atom->nghost;
  reval::kokkos::Sums<6> vir, vghost;
  const reval::kokkos::SnapVirialFdotr<decltype(x), decltype(f)> fdotr{x, f};
  const int nown = neighbor->includegroup ? atom->nfirst : nlocal;
  Kokkos::parallel_reduce("snap/model/kk:fdotr", Kokkos::RangePolicy<exec_space>(0, nown), fdotr, vir);
  Kokkos::parallel_reduce("snap/model/kk:fdotr", Kokkos::RangePolicy<exec_space>(nlocal, nall), fdotr, vghost);
  for (int k = 0; k < 6; ++k) virial[k] = vir[k] + vghost[k];
  vflag_fdotr = 0;
}

template <class DeviceType>
void PairSNAPModelKokkos<DeviceType>::sync_per_atom_outputs()
{
  if (eflag_atom) {
    k_eatom.template modify<DeviceType>();
    k_eatom.template sync<LMPHostType>();
  }
  if (vflag_atom) {
    k_vatom.template modify<DeviceType>();
    k_vatom.template sync<LMPHostType>();
  }
}

template <class DeviceType>
void PairSNAPModelKokkos<DeviceType>::reverse_ghost_forces_device()
{
  // ghost forces (and per-atom virials) go to their owners through the host
  const int nghost = atom->nghost;
  m_fghost.assign(3 * static_cast<std::size_t>(nghost), 0.0);
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), d_fghost);
  for (int g = 0; g < nghost; ++g)
    for (int k = 0; k < 3; ++k) m_fghost[3 * static_cast<std::size_t>(g) + k] = h(g, k);
  atomKK->sync(Host, F_MASK);
  reverse_ghost_forces(vflag_atom != 0);
  atomKK->modified(Host, F_MASK);
  atomKK->sync(execution_space, F_MASK);
}

template <class DeviceType>
void PairSNAPModelKokkos<DeviceType>::finish_uncertainties_device()
{
  const int nlocal = atom->nlocal, nall = nlocal + atom->nghost;
  const int M = committee_size();
  auto hf = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), d_fmem);
  auto hs = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), d_sigma_e);
  m_fmem.assign(static_cast<std::size_t>(nall) * M * 3, 0.0);
  for (int i = 0; i < nall; ++i)
    for (int m = 0; m < M; ++m)
      for (int k = 0; k < 3; ++k) m_fmem[(static_cast<std::size_t>(i) * M + m) * 3 + k] = hf(i, m, k);
  // uncertainty steps only: the configuration they belong to, on the host
  atomKK->sync(Host, X_MASK | TAG_MASK | TYPE_MASK);
  reset_uncertainties();
  for (int i = 0; i < nlocal; ++i)
    if (handles_type(atom->type[i])) m_sigma_e[i] = hs(i);
  finish_uncertainties();
}

template <class DeviceType>
double PairSNAPModelKokkos<DeviceType>::memory_usage()
{
  double bytes = PairSNAPModel::memory_usage();
  const auto &w = m_work;
  bytes += sizeof(double) * (w.rij.size() + w.dedr.size() + w.scr.size() + w.utot_r.size() * 2 + w.z_r.size() * 2 +
                             w.y_r.size() * 2 + w.b.size() + w.beta.size() + w.mscr.size() + w.betamem.size() +
                             w.dedr_mem.size());
  bytes += sizeof(double) * (d_fghost.size() + d_fmem.size() + d_sigma_e.size());
  return bytes;
}

namespace LAMMPS_NS {
template class PairSNAPModelKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class PairSNAPModelKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
