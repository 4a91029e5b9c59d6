/// @file snap_kokkos.hpp
/// Kokkos launch structure of the SNAP pair (pair_style snap/model/kk): two functors that call the
/// same point kernels as the host engine (kernels/point/snap_kernels.hpp, snap_model_kernels.hpp,
/// snap_committee.hpp) on plain device views of the tables and models (kernels::SnapTablesView and
/// kernels::SnapModelView of device pointers; the adapter makes the device copies):
///  - SnapAtomFunctor: one team per central atom, in named steps: short_list (snap_short_list),
///    ulisttot (threads over neighbours), z_list (threads over rows), bispectrum (threads over
///    components), model_betas (snap_committee_energy_beta: every model, their mean), then Y (threads
///    over Z elements) and dE_i/dr_j (threads over neighbours, U recomputed in per-thread scratch, so
///    nothing of size neighbours x idxu is stored; member_forces on uncertainty steps). On a host
///    backend the team has one thread and, where the host SIMD layouts are built (REVAL_HOST_SIMD), the
///    steps U/Ulisttot, Z, Y and dE_i/dr_j run them (kernels/point/snap_host_simd.hpp: the code of the plain
///    engine, core/snap_engine): run_host. A GPU runs the portable kernels (run).
///  - SnapForceFunctor: one thread per central atom: forces (atomic scatter to neighbours), energy,
///    global virial (reduction) and per-atom energy/virial; per-member forces on uncertainty steps.
/// No LAMMPS types: the adapter passes LAMMPS' views as template parameters.
#pragma once

#include "kernels/kokkos/device_copy.hpp"
#include "kernels/point/snap_committee.hpp"
#include "kernels/point/snap_host_simd.hpp"
#include "kernels/point/snap_kernels.hpp"
#include "kernels/point/snap_model_kernels.hpp"
#include "kernels/point/virial.hpp"

#include <Kokkos_Core.hpp>

#include <cstddef>

namespace reval::kokkos {

/// Atomic accumulation for point kernels whose target is shared by the threads of a team.
struct SnapAtomicAdd {
  KOKKOS_INLINE_FUNCTION void operator()(double *target, double value) const { Kokkos::atomic_add(target, value); }
};

/// Per-chunk work arrays of the atom functor (grown, never shrunk).
template <class DeviceType>
struct SnapWork {
  using d1 = Kokkos::View<double *, DeviceType>;
  using d2 = Kokkos::View<double **, Kokkos::LayoutRight, DeviceType>;
  using d3 = Kokkos::View<double ***, Kokkos::LayoutRight, DeviceType>;
  using d4 = Kokkos::View<double ****, Kokkos::LayoutRight, DeviceType>;
  using i1 = Kokkos::View<int *, DeviceType>;
  using i2 = Kokkos::View<int **, Kokkos::LayoutRight, DeviceType>;
  int chunk = 0, maxneigh = 0, team_size = 0, members = 0;
  d3 rij, dedr, scr;
  i2 jelem, jatom;
  i1 ninside, ielem;
  Kokkos::View<kernels::SnapNeighborGeom **, Kokkos::LayoutRight, DeviceType> geom;
  d2 utot_r, utot_i, z_r, z_i, y_r, y_i, b, beta, mscr, emem;
  d1 ei;
  d3 betamem;
  d4 dedr_mem;

  /// Sizes for `chunk` atoms with up to `maxneigh` neighbours; per-member arrays only if members > 0.
  /// `atom_buffers`: also the per-atom U/Z/Y/B/beta arrays (teams that do not keep them in scratch).
  void resize(const kernels::SnapTablesView &t, int model_scratch, int chunk_, int maxneigh_, int team_size_,
              int members_, bool atom_buffers = true)
  {
    if (chunk_ <= chunk && maxneigh_ <= maxneigh && team_size_ <= team_size && members_ <= members &&
        rij.extent(0) > 0 && (!atom_buffers || utot_r.extent(0) >= static_cast<std::size_t>(chunk_)))
      return;
    chunk = chunk_ > chunk ? chunk_ : chunk;
    maxneigh = maxneigh_ > maxneigh ? maxneigh_ : maxneigh;
    team_size = team_size_ > team_size ? team_size_ : team_size;
    members = members_ > members ? members_ : members;
    const int nc = t.nchannels, nu = t.idxu_max, nz = t.idxz_max;
    rij = d3("snap:rij", chunk, maxneigh, 3);
    dedr = d3("snap:dedr", chunk, maxneigh, 3);
    scr = d3("snap:scr", chunk, team_size, 4 * nu);
    jelem = i2("snap:jelem", chunk, maxneigh);
    jatom = i2("snap:jatom", chunk, maxneigh);
    ninside = i1("snap:ninside", chunk);
    ielem = i1("snap:ielem", chunk);
    geom = decltype(geom)("snap:geom", chunk, maxneigh);
    const int na = atom_buffers ? chunk : 0;
    utot_r = d2("snap:utot_r", na, nc * nu);
    utot_i = d2("snap:utot_i", na, nc * nu);
    z_r = d2("snap:z_r", na, nc * nc * nz);
    z_i = d2("snap:z_i", na, nc * nc * nz);
    y_r = d2("snap:y_r", na, nc * nu);
    y_i = d2("snap:y_i", na, nc * nu);
    b = d2("snap:b", na, t.ncoeff);
    beta = d2("snap:beta", na, t.ncoeff);
    mscr = d2("snap:mscr", na, model_scratch + t.ncoeff + 1);
    ei = d1("snap:ei", chunk);
    emem = d2("snap:emem", chunk, members > 0 ? members : 1);
    betamem = d3("snap:betamem", members > 0 ? na : 0, members, t.ncoeff);
    dedr_mem = d4("snap:dedr_mem", members > 0 ? chunk : 0, members, maxneigh, 3);
  }
};

/// One team per central atom of a chunk: everything up to dE_i/dr_j (see the file comment).
/// XView: positions (n x 3), TypeView: atom types, NeighView: neighbour indices [i][jj], IntView:
/// numneigh and ilist. `members` mode: every model's beta, Y and dE_i/dr_j are kept (committee
/// uncertainty steps); otherwise one pass with the mean beta of the models.
template <class DeviceType, class XView, class TypeView, class NeighView, class IntView>
struct SnapAtomFunctor {
  using exec_space = typename DeviceType::execution_space;
  using member_type = typename Kokkos::TeamPolicy<exec_space>::member_type;
  /// Host execution space with the host SIMD layouts built: one-thread teams (local_scratch) take run_host.
  static constexpr bool kHostLanes =
      REVAL_HOST_SIMD && Kokkos::SpaceAccessibility<exec_space, Kokkos::HostSpace>::accessible;
  static constexpr int kUPad = kernels::SnapHostZPlan::kUPad;

  kernels::SnapTablesView t;
  kernels::SnapHostZPlanView zplan;    // host Z kernel tables (host memory; run_host only)
  Kokkos::View<kernels::SnapModelView *, DeviceType> models;
  int nmodels = 1;
  bool members = false;
  XView x;
  TypeView type;
  NeighView neighbors;
  IntView numneigh, ilist;
  Kokkos::View<int *, DeviceType> map;    // type -> element (-1: not handled)
  Kokkos::View<double *, DeviceType> radelem, wjelem;
  double rcutfac = 0.0;
  int chemflag = 0;
  int offset = 0;    // first ilist index of the chunk
  int neighmask = ~0;    // bits of a neighbour entry that are the atom index (LAMMPS NEIGHMASK)
  /// One-thread teams (host backends): the atom's U of every neighbour and its Ulisttot, Z, Y, B and
  /// beta live in the team's level-1 scratch pad (per thread, reused from atom to atom, cache-hot)
  /// instead of per-atom rows of the chunk arrays, and U is not recomputed in the force pass.
  bool local_scratch = false;
  int model_scratch = 0;    // doubles the model kernels need
  SnapWork<DeviceType> w;

  KOKKOS_INLINE_FUNCTION int channel(int e) const { return chemflag ? e : 0; }

  /// Doubles of the per-atom buffers (without the U store).
  KOKKOS_INLINE_FUNCTION int atom_buffer_doubles() const
  {
    const int nc = t.nchannels, nu = t.idxu_max, nz = t.idxz_max;
    return 4 * nc * nu + 2 * nc * nc * nz + 2 * t.ncoeff + (model_scratch + t.ncoeff + 1) +
           (members ? nmodels * t.ncoeff : 0);
  }
  /// Doubles of the U store of an atom with up to maxn neighbours (run_host: whole neighbour groups) and, for
  /// run_host, of the lane sums of Ulisttot, the adjoint of a group and the pads around Ulisttot.
  KOKKOS_INLINE_FUNCTION int ustore_doubles(int maxn) const
  {
    const int n = maxn > 0 ? maxn : 1;
    return 2 * t.idxu_max * (kHostLanes ? kernels::snap_host_u_slots(n) : n);
  }
  KOKKOS_INLINE_FUNCTION int host_lane_doubles() const
  {
    return kHostLanes ? 2 * kernels::kNbLanes * (t.nchannels + 1) * t.idxu_max + 4 * kUPad : 0;
  }
  /// Level-1 team scratch for local_scratch teams with atoms of up to maxneigh neighbours.
  std::size_t local_scratch_bytes(int maxneigh) const
  {
    return sizeof(double) * (static_cast<std::size_t>(atom_buffer_doubles()) + ustore_doubles(maxneigh) +
                             host_lane_doubles()) + 256;
  }

  /// Where one atom's work arrays are (team scratch or its rows of the chunk arrays).
  struct AtomBuffers {
    double *utr, *uti, *zr, *zi, *yr, *yi, *b, *beta, *tmp, *betamem, *ustore;
    double *uacc, *adj;    // run_host: Ulisttot lane sums (2 x kNbLanes x nchannels x idxu_max), group adjoint
    int betamem_stride;
  };

  KOKKOS_INLINE_FUNCTION AtomBuffers buffers(const member_type &team, int ii, int maxn) const
  {
    AtomBuffers a;
    const int nc = t.nchannels, nu = t.idxu_max, nz = t.idxz_max;
    if (local_scratch) {
      double *p = static_cast<double *>(team.team_scratch(1).get_shmem(
          sizeof(double) * (atom_buffer_doubles() + ustore_doubles(maxn) + host_lane_doubles())));
      if (kHostLanes) {    // zero pads around each Ulisttot array (the host Z kernel reads into them)
        a.utr = p + kUPad;
        a.uti = a.utr + nc * nu + 2 * kUPad;
        for (int k = 0; k < kUPad; ++k) a.utr[-1 - k] = a.utr[nc * nu + k] = a.uti[-1 - k] = a.uti[nc * nu + k] = 0.0;
        a.yr = a.uti + nc * nu + kUPad;
      } else {
        a.utr = p;
        a.uti = a.utr + nc * nu;
        a.yr = a.uti + nc * nu;
      }
      a.yi = a.yr + nc * nu;
      a.zr = a.yi + nc * nu;
      a.zi = a.zr + nc * nc * nz;
      a.b = a.zi + nc * nc * nz;
      a.beta = a.b + t.ncoeff;
      a.tmp = a.beta + t.ncoeff;
      a.betamem = a.tmp + model_scratch + t.ncoeff + 1;
      a.betamem_stride = t.ncoeff;
      a.ustore = a.betamem + (members ? nmodels * t.ncoeff : 0);
      a.uacc = a.ustore + ustore_doubles(maxn);
      a.adj = a.uacc + 2 * kernels::kNbLanes * nc * nu;
    } else {
      a.utr = &w.utot_r(ii, 0);
      a.uti = &w.utot_i(ii, 0);
      a.yr = &w.y_r(ii, 0);
      a.yi = &w.y_i(ii, 0);
      a.zr = &w.z_r(ii, 0);
      a.zi = &w.z_i(ii, 0);
      a.b = &w.b(ii, 0);
      a.beta = &w.beta(ii, 0);
      a.tmp = &w.mscr(ii, 0);
      a.betamem = members ? &w.betamem(ii, 0, 0) : nullptr;
      a.betamem_stride = t.ncoeff;
      a.ustore = a.uacc = a.adj = nullptr;
    }
    return a;
  }

  template <class Add>
  KOKKOS_INLINE_FUNCTION void y_and_dedr(const member_type &team, int ii, const AtomBuffers &a, const double *beta,
                                         double *dedr_out, const Add &add) const
  {
    const int nu = t.idxu_max, nc = t.nchannels;
    const int n = w.ninside(ii);
    double *yr = a.yr, *yi = a.yi;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, nc),
                         [&](const int c) { kernels::snap_zero_y(t, yr + c * nu, yi + c * nu); });
    team.team_barrier();
    const double *zr = a.zr, *zi = a.zi;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, t.idxz_max),
                         [&](const int jjz) { kernels::snap_add_y_terms(t, jjz, zr, zi, beta, yr, yi, add); });
    team.team_barrier();
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, n), [&](const int jj) {
      double *s = &w.scr(ii, team.team_rank(), 0);
      double *ar = s + 2 * nu, *ai = s + 3 * nu;
      const kernels::SnapNeighborGeom &g = w.geom(ii, jj);
      const double *ur = s, *ui = s + nu;
      if (a.ustore) {    // U of this neighbour kept from the Ulisttot pass
        ur = a.ustore + 2 * static_cast<std::size_t>(jj) * nu;
        ui = ur + nu;
      } else {
        kernels::snap_compute_u(t, g, s, s + nu);
      }
      const int c = channel(w.jelem(ii, jj));
      double d[3];
      kernels::snap_deidrj(t, g, ur, ui, yr + c * nu, yi + c * nu, ar, ai, d);
      for (int k = 0; k < 3; ++k) dedr_out[3 * jj + k] = d[k];
    });
    team.team_barrier();
  }

  /// Step 1 (one thread): the short list of atom i (element ie, < 0: not handled) into the chunk's
  /// row ii; zero energy and Ulisttot.
  KOKKOS_INLINE_FUNCTION void short_list(const member_type &team, int ii, int i, int ie, const AtomBuffers &a) const
  {
    Kokkos::single(Kokkos::PerTeam(team), [&]() {
      w.ielem(ii) = ie;
      int count = 0;
      if (ie >= 0) {
        const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
        count = kernels::snap_short_list(
            radelem.data(), rcutfac, ie, xi, numneigh(i), [&](int jj) { return neighbors(i, jj) & neighmask; },
            [&](int j) { return map(type(j)); }, [&](int j, int k) { return x(j, k); },
            [&](int nk, int j, int je, double dx, double dy, double dz) {
              w.rij(ii, nk, 0) = dx;
              w.rij(ii, nk, 1) = dy;
              w.rij(ii, nk, 2) = dz;
              w.jelem(ii, nk) = je;
              w.jatom(ii, nk) = j;
            });
      }
      w.ninside(ii) = count;
      w.ei(ii) = 0.0;
      if (ie >= 0) kernels::snap_zero_utot(t, channel(ie), a.utr, a.uti);
    });
    team.team_barrier();
  }

  /// Geometry of neighbour jj of atom ii (element ie), kept in w.geom for the dE_i/dr_j step.
  KOKKOS_INLINE_FUNCTION const kernels::SnapNeighborGeom &neighbour_geom(int ii, int ie, int jj) const
  {
    const int je = w.jelem(ii, jj);
    kernels::SnapNeighborGeom &g = w.geom(ii, jj);
    double sinner, dinner;
    kernels::snap_pair_inner(t, ie, je, sinner, dinner);
    kernels::snap_neighbor_geom(t, w.rij(ii, jj, 0), w.rij(ii, jj, 1), w.rij(ii, jj, 2),
                                kernels::snap_pair_cutoff(radelem(ie), radelem(je), rcutfac), wjelem(je), sinner,
                                dinner, g);
    return g;
  }

  /// Step 2: Ulisttot (threads over neighbours; U of each neighbour kept in a.ustore when there is one).
  template <class Add>
  KOKKOS_INLINE_FUNCTION void ulisttot(const member_type &team, int ii, int ie, const AtomBuffers &a,
                                       const Add &add) const
  {
    const int nu = t.idxu_max, nc = t.nchannels;
    double *utr = a.utr, *uti = a.uti;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, w.ninside(ii)), [&](const int jj) {
      const int je = w.jelem(ii, jj);
      const kernels::SnapNeighborGeom &g = neighbour_geom(ii, ie, jj);
      double *s = a.ustore ? a.ustore + 2 * static_cast<std::size_t>(jj) * nu : &w.scr(ii, team.team_rank(), 0);
      kernels::snap_compute_u(t, g, s, s + nu);
      const int c = channel(je);
      kernels::snap_add_u_with(t, g.sfac, s, s + nu, utr + c * nu, uti + c * nu, add);
    });
    team.team_barrier();
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, nc),
                         [&](const int c) { kernels::snap_symmetrize_utot(t, utr + c * nu, uti + c * nu); });
    team.team_barrier();
  }

  /// Step 3: the Z list (threads over rows of every channel pair).
  KOKKOS_INLINE_FUNCTION void z_list(const member_type &team, const AtomBuffers &a) const
  {
    const int nu = t.idxu_max, nc = t.nchannels, nz = t.idxz_max;
    const double *utr = a.utr, *uti = a.uti;
    double *zr = a.zr, *zi = a.zi;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, nc * nc * t.nzrows), [&](const int k) {
      const int e12 = k / t.nzrows, row = k % t.nzrows;
      const int e1 = e12 / nc, e2 = e12 % nc;
      kernels::snap_compute_z_row(t, t.zrow[row], utr + e1 * nu, uti + e1 * nu, utr + e2 * nu, uti + e2 * nu,
                                  zr + e12 * nz, zi + e12 * nz);
    });
    team.team_barrier();
  }

  /// Step 4: B (threads over components).
  KOKKOS_INLINE_FUNCTION void bispectrum(const member_type &team, int ie, const AtomBuffers &a) const
  {
    double *b = a.b;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, t.ncoeff), [&](const int k) {
      b[k] = kernels::snap_b_value(t, channel(ie), k / t.idxb_max, k % t.idxb_max, a.utr, a.uti, a.zr, a.zi);
    });
    team.team_barrier();
  }

  /// Step 5 (one thread): E_i and beta of every model, their means (the mean drives MD); members'
  /// energies and betas kept in `members` mode.
  KOKKOS_INLINE_FUNCTION void model_betas(const member_type &team, int ii, int ie, const AtomBuffers &a) const
  {
    Kokkos::single(Kokkos::PerTeam(team), [&]() {
      w.ei(ii) = kernels::snap_committee_energy_beta(models.data(), nmodels, ie, a.b, a.beta,
                                                      members ? &w.emem(ii, 0) : nullptr,
                                                      members ? a.betamem : nullptr, a.betamem_stride, a.tmp,
                                                      a.tmp + t.ncoeff);
    });
    team.team_barrier();
  }

  /// Step 6, `members` mode: Y and dE_i/dr_j of every member, and their mean (what drives MD).
  template <class Add>
  KOKKOS_INLINE_FUNCTION void member_forces(const member_type &team, int ii, const AtomBuffers &a,
                                            const Add &add) const
  {
    for (int m = 0; m < nmodels; ++m)
      y_and_dedr(team, ii, a, a.betamem + m * a.betamem_stride, &w.dedr_mem(ii, m, 0, 0), add);
    member_mean(team, ii);
  }

  /// dE_i/dr_j of the committee mean from the members' (what drives MD).
  KOKKOS_INLINE_FUNCTION void member_mean(const member_type &team, int ii) const
  {
    const long stride = static_cast<long>(w.dedr_mem.extent(2)) * 3;    // between members
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, w.ninside(ii)), [&](const int jj) {
      kernels::snap_committee_mean_rows(&w.dedr_mem(ii, 0, jj, 0), nmodels, stride, 3, &w.dedr(ii, jj, 0));
    });
  }

  /// The team's atom (chunk row ii, element ie), its buffers and short list (step 1); false: an atom the
  /// potential does not handle.
  KOKKOS_INLINE_FUNCTION bool start_atom(const member_type &team, int &ii, int &ie, AtomBuffers &a) const
  {
    ii = team.league_rank();
    const int i = ilist(offset + ii);
    ie = map(type(i));
    a = buffers(team, ii, w.maxneigh);
    short_list(team, ii, i, ie, a);
    return ie >= 0;
  }

#if REVAL_HOST_SIMD
  /// Host path of one-thread teams: the plain engine's code (kernels/point/snap_host_simd.hpp) for U and
  /// Ulisttot (kNbLanes neighbours at a time, U kept interleaved in a.ustore), Z, Y and dE_i/dr_j; the short
  /// list, B and the models as in run.
  void run_host(const member_type &team) const
  {
    int ii, ie;
    AtomBuffers a;
    if (!start_atom(team, ii, ie, a)) return;
    const int nu = t.idxu_max, nc = t.nchannels, n = w.ninside(ii);
    for (int jj = 0; jj < n; ++jj) neighbour_geom(ii, ie, jj);
    const auto chan = [&](int jj) { return channel(w.jelem(ii, jj)); };
    const std::size_t slots = static_cast<std::size_t>(kernels::snap_host_u_slots(n));
    double *us_r = a.ustore, *us_i = a.ustore + slots * nu;    // interleaved U of the neighbours
    kernels::snap_host_ulisttot(t, &w.geom(ii, 0), n, chan, us_r, us_i, a.uacc,
                                a.uacc + kernels::kNbLanes * nc * nu, a.utr, a.uti);
    for (int c = 0; c < nc; ++c) kernels::snap_symmetrize_utot(t, a.utr + c * nu, a.uti + c * nu);
    kernels::snap_host_z_all(t, zplan, a.utr, a.uti, a.zr, a.zi);
    bispectrum(team, ie, a);
    model_betas(team, ii, ie, a);
    const auto y_and_dedr_host = [&](const double *beta, double *dedr_out) {
      kernels::snap_host_compute_y(t, a.zr, a.zi, beta, a.yr, a.yi);
      kernels::snap_host_dedr(t, &w.geom(ii, 0), n, chan, us_r, us_i, a.yr, a.yi, a.adj,
                              a.adj + kernels::kNbLanes * nu, dedr_out);
    };
    if (members) {
      for (int m = 0; m < nmodels; ++m) y_and_dedr_host(a.betamem + m * a.betamem_stride, &w.dedr_mem(ii, m, 0, 0));
      member_mean(team, ii);
    } else {
      y_and_dedr_host(a.beta, &w.dedr(ii, 0, 0));
    }
  }
#endif

  template <class Add>
  KOKKOS_INLINE_FUNCTION void run(const member_type &team, const Add &add) const
  {
    int ii, ie;
    AtomBuffers a;
    if (!start_atom(team, ii, ie, a)) return;
    ulisttot(team, ii, ie, a, add);
    z_list(team, a);
    bispectrum(team, ie, a);
    model_betas(team, ii, ie, a);
    if (members)
      member_forces(team, ii, a, add);
    else
      y_and_dedr(team, ii, a, a.beta, &w.dedr(ii, 0, 0), add);
  }

  KOKKOS_INLINE_FUNCTION void operator()(const member_type &team) const
  {
#if REVAL_HOST_SIMD
    if constexpr (kHostLanes) {
      if (local_scratch) {
        run_host(team);
        return;
      }
    }
#endif
    if (team.team_size() == 1)
      run(team, kernels::SnapPlainAdd());
    else
      run(team, SnapAtomicAdd());
  }
};

/// One thread per central atom of a chunk: forces, energies, virials from dE_i/dr_j.
/// FView: forces (n x 3); ghost forces go to `fghost` (newton pair off: j >= nlocal). Reduces the
/// energy (ev[0]) and the global virial (ev[1..6]) of the chunk.
template <class DeviceType, class FView, class TypeView, class IntView, class EView, class VView>
struct SnapForceFunctor {
  using value_type = Sums<7>;
  SnapWork<DeviceType> w;
  FView f;
  TypeView type;
  IntView ilist;
  Kokkos::View<double *, DeviceType> scale;    // per type: scale[itype][itype]
  Kokkos::View<double **, Kokkos::LayoutRight, DeviceType> fghost;
  EView eatom;      // per-atom energy (1-d)
  VView vatom;      // per-atom virial (n x 6)
  Kokkos::View<double *, DeviceType> sigma_e;
  Kokkos::View<double ***, Kokkos::LayoutRight, DeviceType> fmem;    // members: [atom][m][3]
  int offset = 0, nlocal = 0, nmodels = 1;
  bool newton = true, eflag_global = false, eflag_atom = false, vflag_global = false, vflag_atom = false;
  bool members = false;

  KOKKOS_INLINE_FUNCTION void operator()(const int ii, Sums<7> &ev) const
  {
    const int i = ilist(offset + ii);
    if (w.ielem(ii) < 0) return;
    const int n = w.ninside(ii);
    const double s = scale(type(i));
    double fi[3] = {0.0, 0.0, 0.0};
    for (int jj = 0; jj < n; ++jj) {
      const int j = w.jatom(ii, jj);
      const double fij[3] = {s * w.dedr(ii, jj, 0), s * w.dedr(ii, jj, 1), s * w.dedr(ii, jj, 2)};
      for (int k = 0; k < 3; ++k) fi[k] += fij[k];
      if (newton || j < nlocal)
        for (int k = 0; k < 3; ++k) Kokkos::atomic_add(&f(j, k), -fij[k]);
      else
        for (int k = 0; k < 3; ++k) Kokkos::atomic_add(&fghost(j - nlocal, k), -fij[k]);
      if (vflag_global || vflag_atom) {
        const double dx = -w.rij(ii, jj, 0), dy = -w.rij(ii, jj, 1), dz = -w.rij(ii, jj, 2);
        const double v[6] = {dx * fij[0], dy * fij[1], dz * fij[2], dx * fij[1], dx * fij[2], dy * fij[2]};
        if (vflag_global)
          for (int k = 0; k < 6; ++k) ev[1 + k] += v[k];
        if (vflag_atom)
          for (int k = 0; k < 6; ++k) {
            Kokkos::atomic_add(&vatom(i, k), 0.5 * v[k]);
            Kokkos::atomic_add(&vatom(j, k), 0.5 * v[k]);
          }
      }
      if (members)
        for (int m = 0; m < nmodels; ++m)
          for (int k = 0; k < 3; ++k) {
            const double d = s * w.dedr_mem(ii, m, jj, k);
            Kokkos::atomic_add(&fmem(i, m, k), d);
            Kokkos::atomic_add(&fmem(j, m, k), -d);
          }
    }
    for (int k = 0; k < 3; ++k) Kokkos::atomic_add(&f(i, k), fi[k]);
    const double e = s * w.ei(ii);
    if (eflag_global) ev[0] += e;
    if (eflag_atom) eatom(i) += e;
    if (members) sigma_e(i) = s * kernels::snap_committee_sigma(&w.emem(ii, 0), nmodels);
  }
};

/// Global virial as sum_i r_i (x) F_i over owned and ghost atoms (kernels::virial_fdotr_add, the
/// kernel the plain style loops; what LAMMPS' F.r virial does).
template <class XView, class FView>
struct SnapVirialFdotr {
  using value_type = Sums<6>;
  XView x;
  FView f;
  KOKKOS_INLINE_FUNCTION void operator()(const int i, Sums<6> &v) const
  {
    const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)}, fi[3] = {f(i, 0), f(i, 1), f(i, 2)};
    kernels::virial_fdotr_add(xi, fi, v.v);
  }
};

}    // namespace reval::kokkos
