/* ----------------------------------------------------------------------
   REVAL: compute re/atom/kk (see compute_re_atom_kokkos.h)
------------------------------------------------------------------------- */

#include "compute_re_atom_kokkos.h"
#include "kokkos_style.h"

#include "compute_vacancy_sites_kokkos.h"

#include "adapter_utils.h"
#include "lammps_bridge.h"
#include "site_analysis.h"

#include "core/point_grid.h"
#include "kernels/kokkos/site_kokkos.hpp"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "kokkos.h"
#include "memory_kokkos.h"
#include "modify.h"
#include "update.h"

#include <string>
#include <vector>

using namespace LAMMPS_NS;
namespace rk = reval::kernels;

namespace {
/// Host execution spaces: one one-thread team per cell of reval::PointQueries runs the plain style's
/// per-cell code (reval::point_cell_distances, with the team's scratch).
template <class Member>
struct REAtomHostCellFunctor {
  rk::PointGridView vac, mig;    // host grids
  reval::PointQueries *q;
  size_t scratch;                // doubles
  void operator()(const Member &t) const
  {
    const int k = t.league_rank();
    double *s = static_cast<double *>(t.team_scratch(0).get_shmem(scratch * sizeof(double)));
    reval::point_cell_distances(vac, mig, q->cell(k), q->begin(k), q->begin(k + 1), q->positions(), q->atoms(),
                                q->migrating(), q->rv(), q->r(), s);
  }
};
/// The results of reval::PointQueries into the per-atom array (columns RV, R; the first pass wrote rmax).
template <class ArrayView>
struct REAtomQueryWriteFunctor {
  const int *atom;
  const double *rv, *r;
  ArrayView array;
  double rmax;
  void operator()(const int q) const
  {
    if (rv[q] < rmax) array(atom[q], 2) = rv[q];
    if (r[q] < rmax) array(atom[q], 3) = r[q];
  }
};
}    // namespace

template <class DeviceType>
ComputeREAtomKokkos<DeviceType>::ComputeREAtomKokkos(LAMMPS *lmp, int narg, char **arg) :
    ComputeREAtom(reval_lmp::require_kokkos(lmp, "compute re/atom/kk"), narg, arg)
{
  reval_lmp::self_syncing<DeviceType>(this);
  atomKK = (AtomKokkos *) atom;
}

template <class DeviceType>
ComputeREAtomKokkos<DeviceType>::~ComputeREAtomKokkos()
{
  if (copymode) return;
  memoryKK->destroy_kokkos(k_array, m_array);
  m_array = nullptr;    // the base class must not free the Kokkos-owned array
}

template <class DeviceType>
void ComputeREAtomKokkos<DeviceType>::init()
{
  ComputeREAtom::init();
  m_sites_kk = dynamic_cast<ComputeVacancySitesKokkos<DeviceType> *>(m_sites);
  if (!m_sites_kk)
    error->all(FLERR, "compute re/atom/kk: compute " + m_id_sites +
                          " must be a compute vacancy/sites/kk (define both with the kk suffix, e.g. -sf kk)");
}

template <class DeviceType>
void ComputeREAtomKokkos<DeviceType>::compute_peratom()
{
  using exec_space = typename DeviceType::execution_space;
  invoked_peratom = update->ntimestep;
  m_sites->analyse();
  const reval_lmp::SiteAnalysis &sa = m_sites->analysis();
  const int nlocal = atom->nlocal;

  if (atom->nmax > m_nmax_kk) {
    m_nmax_kk = atom->nmax;
    memoryKK->destroy_kokkos(k_array, m_array);
    memoryKK->create_kokkos(k_array, m_array, m_nmax_kk, 5, "re/atom/kk:array");
    d_flag = Kokkos::View<double *, DeviceType>("re/atom/kk:flag", m_nmax_kk);
    m_nmax = m_nmax_kk;
  }
  grow_comm_arrays();
  array_atom = m_array;
  auto d_array = k_array.template view<DeviceType>();

  atomKK->sync(execution_space, X_MASK | MASK_MASK);
  auto x = atomKK->k_x.template view<DeviceType>();
  auto mask = atomKK->k_mask.template view<DeviceType>();
  const auto &dev = m_sites_kk->device_grid();

  // flags, nearest-site distance and index
  reval::kokkos::REAtomSiteFunctor<DeviceType, decltype(mask), decltype(d_array)> sf;
  sf.mask = mask;
  sf.groupbit = groupbit;
  sf.nearest = m_sites_kk->device_nearest();
  sf.px = dev.px;
  sf.py = dev.py;
  sf.pz = dev.pz;
  sf.gid_of_slot = dev.gid_of_slot;
  sf.flag = d_flag;
  sf.array = d_array;
  sf.nn_cut2 = sa.nn_cut2;
  sf.dre = m_dre;
  sf.cap = m_sites->cap();
  sf.rmax = m_rmax;
  sf.pairs = m_pairs;
  double nmig = 0.0;
  Kokkos::parallel_reduce("re/atom/kk:sites", Kokkos::RangePolicy<exec_space>(0, nlocal), sf, nmig);

  // migrating flags to the host; positions of the (few) migrating owned atoms gathered on the device
  // and copied to the host; then flags and positions of ghost atoms by forward communication
  // (migrating_points(): the current box, not the possibly stale ghost coordinates)
  {
    auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(),
                                                 Kokkos::subview(d_flag, std::make_pair(0, nlocal)));
    std::vector<int> own_index;
    for (int i = 0; i < nlocal; ++i) {
      m_flag[i] = h(i);
      if (m_flag[i] > 0.5) own_index.push_back(i);
    }
    Kokkos::View<int *, DeviceType> d_oi;
    reval::kokkos::to_device(d_oi, own_index, "re/atom/kk:own_index");
    const int nown = static_cast<int>(own_index.size());
    Kokkos::View<double *, DeviceType> d_xo("re/atom/kk:xown", 3 * nown);
    Kokkos::parallel_for(
        "re/atom/kk:gather", Kokkos::RangePolicy<exec_space>(0, nown), KOKKOS_LAMBDA(const int k) {
          const int i = d_oi(k);
          for (int d = 0; d < 3; ++d) d_xo(3 * k + d) = x(i, d);
        });
    auto h_xo = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), d_xo);
    for (int k = 0; k < nown; ++k)
      for (int d = 0; d < 3; ++d) m_xpos[3 * static_cast<size_t>(own_index[k]) + d] = h_xo(3 * k + d);
  }
  const std::vector<double> &mig = migrating_points(nmig);

  // points: vacancies (owned + ghost copies) and migrating atoms (owned + ghost), binned on the host
  // (reval::PointGrid, as compute re/atom does)
  const std::vector<double> &vac = vacancy_points();
  build_point_grids(vac, mig);
  if (m_vac_grid->npoints() > 0 || m_mig_grid->npoints() > 0) second_pass(x, mask, d_array);    // else rmax
  k_array.template modify<DeviceType>();
  k_array.template sync<LMPHostType>();
}

template <class DeviceType>
template <class XView, class MaskView, class ArrayView>
void ComputeREAtomKokkos<DeviceType>::second_pass(const XView &x, const MaskView &mask, const ArrayView &d_array)
{
  using exec_space = typename DeviceType::execution_space;
  const int nlocal = atom->nlocal;
  const rk::PointGridView hv = m_vac_grid->view(), hm = m_mig_grid->view();
  const bool few = hv.npoints <= rk::kFewPoints && hm.npoints <= rk::kFewPoints;
  // host execution space (LAMMPS' x is row-major there): the plain style's code (reval::PointQueries),
  // the cells in parallel
  if constexpr (Kokkos::SpaceAccessibility<exec_space, Kokkos::HostSpace>::accessible) {
    if (!few && x.stride(0) == 3 && x.stride(1) == 1 && mask.stride(0) == 1) {
      reval::PointQueries *q = m_queries.get();
      q->collect(hv, hm, nlocal, x.data(), mask.data(), groupbit, d_flag.data());
      const size_t ns = reval::PointQueries::scratch_size(hv, hm);
      using team_policy = Kokkos::TeamPolicy<exec_space>;
      team_policy cells(q->ncells(), 1);
      const REAtomHostCellFunctor<typename team_policy::member_type> f{hv, hm, q, ns};
      Kokkos::parallel_for("re/atom/kk:cells", cells.set_scratch_size(0, Kokkos::PerTeam(ns * sizeof(double))), f);
      const REAtomQueryWriteFunctor<ArrayView> w{q->atoms(), q->rv(), q->r(), d_array, m_rmax};
      Kokkos::parallel_for("re/atom/kk:write", Kokkos::RangePolicy<exec_space>(0, q->nqueries()), w);
      return;
    }
  }
  // device: the grids copied, the same kernels
  m_vac_dev.upload_from(*m_vac_grid);
  m_mig_dev.upload_from(*m_mig_grid);
  const rk::PointGridView dv = m_vac_dev.view(hv), dm = m_mig_dev.view(hm);
  if (few) {
    const reval::kokkos::REAtomFewPointsFunctor<DeviceType, XView, MaskView, ArrayView> ff{x,  mask,   groupbit, dv,
                                                                                         dm, d_flag, d_array};
    Kokkos::parallel_for("re/atom/kk:few", Kokkos::RangePolicy<exec_space>(0, nlocal), ff);
    return;
  }
  m_queries_dev.collect(dv, dm, nlocal, x, mask, groupbit);
  using Cell = reval::kokkos::REAtomCellFunctor<DeviceType, XView, ArrayView>;
  Cell cf{x, dv, dm, m_queries_dev.active, m_queries_dev.start, m_queries_dev.perm, d_flag, d_array, 0};
  const size_t bytes = Cell::scratch_bytes(dv, dm);
  cf.scratch_level = bytes <= 32768 ? 0 : 1;
  Kokkos::TeamPolicy<exec_space> cells(m_queries_dev.nactive, Kokkos::AUTO);
  Kokkos::parallel_for("re/atom/kk:cells", cells.set_scratch_size(cf.scratch_level, Kokkos::PerTeam(bytes)), cf);
}

template <class DeviceType>
double ComputeREAtomKokkos<DeviceType>::memory_usage()
{
  return static_cast<double>(m_nmax_kk) * 6 * sizeof(double) + static_cast<double>(m_nmax_comm) * 4 * sizeof(double) +
      m_vac_grid->memory_usage() + m_mig_grid->memory_usage() + m_queries->memory_usage() + m_vac_dev.memory_usage() +
      m_mig_dev.memory_usage();
}

namespace LAMMPS_NS {
template class ComputeREAtomKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class ComputeREAtomKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
