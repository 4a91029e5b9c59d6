/// @file site_kokkos.hpp
/// Kokkos launch structure of the static-site analysis (compute vacancy/sites/kk, compute
/// re/atom/kk): device copies of the site grid and site neighbour lists, and functors that call the
/// point kernels of kernels/point/site_search.hpp exactly as the host loops do (one thread per atom;
/// occupancy counted with atomic increments). No LAMMPS types: the adapters pass LAMMPS' views as
/// template parameters.
#pragma once

#include "kernels/kokkos/device_copy.hpp"
#include "kernels/point/box_math.hpp"
#include "kernels/point/site_search.hpp"
#include "kernels/point/wigner_seitz.hpp"

#include <Kokkos_Core.hpp>

#include <string>
#include <vector>

namespace reval::kokkos {

/// The site grid (CellGrid) and site lists (SiteLists) of one rank in device memory.
template <class DeviceType>
struct SiteDeviceGrid {
  Kokkos::View<int *, DeviceType> bin_start, order, lstart, llist;
  Kokkos::View<unsigned char *, DeviceType> lcomplete;
  Kokkos::View<double *, DeviceType> px, py, pz;
  Kokkos::View<double *, DeviceType> gid_of_slot;    ///< global site index of each slot (compute re/atom)

  /// GridView / SiteListsView with the scalars of the host views and device pointers.
  kernels::GridView grid_view(kernels::GridView host) const
  {
    host.bin_start = bin_start.data();
    host.px = px.data();
    host.py = py.data();
    host.pz = pz.data();
    return host;
  }
  kernels::SiteListsView lists_view(kernels::SiteListsView host) const
  {
    host.start = lstart.data();
    host.list = llist.data();
    host.complete = lcomplete.data();
    return host;
  }
};

/// Counts one more atom at a local site, atomically (threads share the occupancy array).
template <class DeviceType>
struct AtomicSiteCount {
  Kokkos::View<int *, DeviceType> occ;
  KOKKOS_INLINE_FUNCTION void operator()(int local) const { Kokkos::atomic_add(&occ(local), 1); }
};

/// compute vacancy/sites: nearest two sites and occupancy of every requested owned atom
/// (kernels::site_analyse_atom); reduces the number of counted atoms farther than rvac from any site.
template <class DeviceType, class XView, class MaskView>
struct SiteSearchFunctor {
  using value_type = double;
  kernels::GridView g;
  kernels::SiteListsView l;
  Kokkos::View<int *, DeviceType> order;
  XView x;
  MaskView mask;
  Kokkos::View<kernels::NearestTwo *, DeviceType> nearest;
  AtomicSiteCount<DeviceType> count;
  int atom_mask = 0, groupbit = 0;
  double cap = 0.0, rvac = 0.0;

  KOKKOS_INLINE_FUNCTION void operator()(const int i, double &nfar) const
  {
    if (!(mask(i) & atom_mask)) return;
    const bool in_group = (mask(i) & groupbit) != 0;
    const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
    kernels::NearestTwo &n = nearest(i);    // n.s1: the last search's nearest slot, the guess
    kernels::site_analyse_atom(g, l, n.s1, xi, cap, rvac, in_group, order.data(), count, n);
    if (in_group && n.d1 > rvac) nfar += 1.0;
  }
};

/// compute vacancy/sites: forgets the guesses of the next search (nearest slots of an older grid).
template <class DeviceType>
struct ForgetGuessFunctor {
  Kokkos::View<kernels::NearestTwo *, DeviceType> nearest;
  KOKKOS_INLINE_FUNCTION void operator()(const int i) const { kernels::forget_nearest_guess(nearest(i)); }
};

/// compute vacancy/sites, Wigner-Seitz count: every owned group atom at its nearest site
/// (kernels::ws_local_site), with atomic increments as for the occupancy; atoms without an assignable
/// site are counted in bad(0) (no site within the cap) and bad(1) (nearest site maybe on another rank).
template <class DeviceType, class XView, class MaskView>
struct WsCountFunctor {
  kernels::BoxGeom box;
  kernels::WsRegion region;
  Kokkos::View<int *, DeviceType> order, ws, bad;
  Kokkos::View<kernels::NearestTwo *, DeviceType> nearest;
  XView x;
  MaskView mask;
  int groupbit = 0;
  KOKKOS_INLINE_FUNCTION void operator()(const int i) const
  {
    if (!(mask(i) & groupbit)) return;
    const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
    const int l = kernels::ws_local_site(nearest(i), order.data(), box, region, xi);
    if (l >= 0)
      Kokkos::atomic_add(&ws(l), 1);
    else
      Kokkos::atomic_add(&bad(l == kernels::kWsNoSite ? 0 : 1), 1);
  }
};

/// compute re/atom, first pass: migrating flag, distance to the nearest site and its global index
/// (kernels::re_atom_site_terms) for the owned atoms of the group; RV and R start at rmax.
/// Reduces the number of migrating atoms.
template <class DeviceType, class MaskView, class ArrayView>
struct REAtomSiteFunctor {
  using value_type = double;
  MaskView mask;
  int groupbit = 0;
  Kokkos::View<kernels::NearestTwo *, DeviceType> nearest;
  Kokkos::View<double *, DeviceType> px, py, pz, gid_of_slot;
  Kokkos::View<double *, DeviceType> flag;
  ArrayView array;    // n x 5: flag, rs, rv, r, site
  double nn_cut2 = 0.0, dre = 0.0, cap = 0.0, rmax = 0.0;
  kernels::SitePairs pairs = kernels::SitePairs::any;

  KOKKOS_INLINE_FUNCTION void operator()(const int i, double &nmig) const
  {
    for (int c = 0; c < 5; ++c) array(i, c) = 0.0;
    flag(i) = 0.0;
    if (!(mask(i) & groupbit)) return;
    const kernels::NearestTwo n = nearest(i);
    double rs;
    const int f = kernels::re_atom_site_terms(n, px.data(), py.data(), pz.data(), nn_cut2, dre, cap, pairs, rmax, rs);
    flag(i) = f;
    array(i, 0) = f;
    array(i, 1) = rs;
    array(i, 2) = rmax;
    array(i, 3) = rmax;
    array(i, 4) = (n.s1 >= 0 && n.d1 <= rmax) ? gid_of_slot(n.s1) : 0.0;
    nmig += f;
  }
};

/// A binned point set (reval::PointGrid: vacancies or migrating atoms) in device memory.
template <class DeviceType>
struct PointDeviceGrid {
  Kokkos::View<int *, DeviceType> bin_start, near;
  Kokkos::View<double *, DeviceType> px, py, pz;

  /// Copies the host grid's arrays (bins, padded slot coordinates, cell counts) to the device.
  template <class HostGrid>
  void upload_from(const HostGrid &h)
  {
    to_device(bin_start, h.bin_start(), "reval:points:bin_start");
    to_device(px, h.px(), "reval:points:px");
    to_device(py, h.py(), "reval:points:py");
    to_device(pz, h.pz(), "reval:points:pz");
    to_device(near, h.near(), "reval:points:near");
  }
  /// PointGridView with the scalars of the host view and device pointers.
  kernels::PointGridView view(kernels::PointGridView host) const
  {
    host.grid.bin_start = bin_start.data();
    host.grid.px = px.data();
    host.grid.py = py.data();
    host.grid.pz = pz.data();
    host.near = near.data();
    return host;
  }
  double memory_usage() const
  {
    return static_cast<double>(bin_start.size() + near.size()) * sizeof(int) +
        static_cast<double>(px.size() + py.size() + pz.size()) * sizeof(double);
  }
};

/// compute re/atom, second pass with a few points (both sets <= kernels::kFewPoints): every point
/// measured from every owned group atom (kernels::re_atom_point_distances on kernels::all_points).
template <class DeviceType, class XView, class MaskView, class ArrayView>
struct REAtomFewPointsFunctor {
  XView x;
  MaskView mask;
  int groupbit = 0;
  kernels::PointGridView vac, mig;    // device pointers
  Kokkos::View<double *, DeviceType> flag;    // migrating flags of the first pass
  ArrayView array;

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const
  {
    if (!(mask(i) & groupbit)) return;
    const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
    double rv, r;
    kernels::re_atom_point_distances(kernels::all_points(vac), kernels::all_points(mig), vac.rmax, xi, flag(i) > 0.5,
                                     rv, r);
    if (rv < vac.rmax) array(i, 2) = rv;    // the first pass wrote rmax
    if (r < mig.rmax) array(i, 3) = r;
  }
};

/// compute re/atom, second pass on the device (reval::PointQueries' work with device views): the owned
/// group atoms with a point within reach, sorted by cell (atomic counts, scans: the order inside a cell
/// may vary, the results do not: a minimum), then one team per cell gathers the cell's candidates of
/// both grids into its scratch (kernels::cell_candidates) and its threads measure them from the
/// cell's atoms (kernels::re_atom_point_distances).
template <class DeviceType>
struct PointQueriesDevice {
  using exec_space = typename DeviceType::execution_space;
  Kokkos::View<int *, DeviceType> cell_of, count, start, fill, active, perm;
  int nactive = 0, nqueries = 0;

  /// Sorts the owned group atoms i < n whose cell has a point within reach (vac.near or mig.near > 0).
  template <class XView, class MaskView>
  void collect(const kernels::PointGridView &vac, const kernels::PointGridView &mig, int n, const XView &x,
               const MaskView &mask, int groupbit)
  {
    const int ncell = vac.grid.nb[0] * vac.grid.nb[1] * vac.grid.nb[2];
    if (static_cast<int>(cell_of.extent(0)) < n + 1)
      cell_of = Kokkos::View<int *, DeviceType>("reval:points:cell_of", n + 1);
    if (static_cast<int>(count.extent(0)) != ncell + 1) {
      count = Kokkos::View<int *, DeviceType>("reval:points:count", ncell + 1);
      start = Kokkos::View<int *, DeviceType>("reval:points:start", ncell + 1);
      fill = Kokkos::View<int *, DeviceType>("reval:points:fill", ncell + 1);
      active = Kokkos::View<int *, DeviceType>("reval:points:active", ncell + 1);
    }
    Kokkos::deep_copy(count, 0);
    Kokkos::deep_copy(fill, 0);
    auto cell_of_ = cell_of;
    auto count_ = count, start_ = start, fill_ = fill, active_ = active;
    Kokkos::parallel_for(
        "reval:points:cells", Kokkos::RangePolicy<exec_space>(0, n), KOKKOS_LAMBDA(const int i) {
          int c = -1;
          if (mask(i) & groupbit) {
            const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
            c = kernels::re_atom_query_cell(vac, mig, xi);
          }
          cell_of_(i) = c;
          if (c >= 0) Kokkos::atomic_increment(&count_(c));
        });
    // start(c): queries before cell c (count(ncell) = 0, so start(ncell) = all); active: cells with queries
    Kokkos::parallel_scan(
        "reval:points:start", Kokkos::RangePolicy<exec_space>(0, ncell + 1),
        KOKKOS_LAMBDA(const int c, int &upd, const bool final) {
          const int k = count_(c);
          if (final) start_(c) = upd;
          upd += k;
        });
    Kokkos::parallel_scan(
        "reval:points:active", Kokkos::RangePolicy<exec_space>(0, ncell + 1),
        KOKKOS_LAMBDA(const int c, int &upd, const bool final) {
          const int k = c < ncell && count_(c) > 0 ? 1 : 0;
          if (final && k) active_(upd) = c;
          if (final && c == ncell) fill_(ncell) = upd;    // the number of active cells
          upd += k;
        });
    auto h_all = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), Kokkos::subview(start, ncell));
    auto h_nact = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), Kokkos::subview(fill, ncell));
    nqueries = h_all();
    nactive = h_nact();
    if (static_cast<int>(perm.extent(0)) < nqueries + 1)
      perm = Kokkos::View<int *, DeviceType>("reval:points:perm", nqueries + 1);
    auto perm_ = perm;
    Kokkos::parallel_for(
        "reval:points:sort", Kokkos::RangePolicy<exec_space>(0, n), KOKKOS_LAMBDA(const int i) {
          const int c = cell_of_(i);
          if (c >= 0) perm_(start_(c) + Kokkos::atomic_fetch_add(&fill_(c), 1)) = i;
        });
  }
};

/// One team per cell with queries (PointQueriesDevice): the cell's candidates of both grids gathered into
/// the team's scratch once, then each query atom's distances (the first pass wrote rmax).
template <class DeviceType, class XView, class ArrayView>
struct REAtomCellFunctor {
  using exec_space = typename DeviceType::execution_space;
  using member_type = typename Kokkos::TeamPolicy<exec_space>::member_type;
  XView x;
  kernels::PointGridView vac, mig;    // device pointers
  Kokkos::View<int *, DeviceType> active, start, perm;
  Kokkos::View<double *, DeviceType> flag;
  ArrayView array;
  int scratch_level = 0;

  /// Bytes of team scratch: the two counts, then the candidates (kernels::cell_candidates_size).
  KOKKOS_INLINE_FUNCTION static size_t scratch_bytes(const kernels::PointGridView &v, const kernels::PointGridView &m)
  {
    return (2 + kernels::cell_candidates_size(v, m)) * sizeof(double);
  }

  KOKKOS_INLINE_FUNCTION void operator()(const member_type &t) const
  {
    const int c = active(t.league_rank());
    double *buf = static_cast<double *>(t.team_scratch(scratch_level).get_shmem(scratch_bytes(vac, mig)));
    Kokkos::single(Kokkos::PerTeam(t), [&]() {    // one thread gathers, the team reads
      kernels::PointCandidates v, m;
      kernels::cell_candidates(vac, mig, c, buf + 2, v, m);
      buf[0] = v.n;
      buf[1] = m.n;
    });
    t.team_barrier();
    kernels::PointCandidates vc, mc;
    kernels::cell_candidates(vac, mig, -1, buf + 2, vc, mc, static_cast<int>(buf[0]), static_cast<int>(buf[1]));
    Kokkos::parallel_for(Kokkos::TeamThreadRange(t, start(c), start(c + 1)), [&](const int q) {
      const int i = perm(q);
      const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
      double rv, r;
      kernels::re_atom_point_distances(vc, mc, vac.rmax, xi, flag(i) > 0.5, rv, r);
      if (rv < vac.rmax) array(i, 2) = rv;
      if (r < mig.rmax) array(i, 3) = r;
    });
  }
};

}    // namespace reval::kokkos
