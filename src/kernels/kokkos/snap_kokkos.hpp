/// @file snap_kokkos.hpp
/// Kokkos launch structure of the SNAP pair (pair_style snap/model/kk): device copies of the SNAP
/// tables and models, and two functors that call the same point kernels as the host engine
/// (kernels/point/snap_kernels.hpp, snap_model_kernels.hpp):
///  - SnapAtomFunctor: one team per central atom: short list, Ulisttot (threads over neighbours), Z
///    (threads over rows), B (threads over components), beta (model kernels), Y (threads over Z
///    elements) and dE_i/dr_j (threads over neighbours, U recomputed in per-thread scratch, so nothing
///    of size neighbours x idxu is stored). On a host backend the team has one thread.
///  - SnapForceFunctor: one thread per central atom: forces (atomic scatter to neighbours), energy,
///    global virial (reduction) and per-atom energy/virial; per-member forces on uncertainty steps.
/// No LAMMPS types: the adapter passes LAMMPS' views as template parameters.
#pragma once

#include "core/snap_descriptor.h"
#include "core/snap_models.h"
#include "kernels/point/snap_kernels.hpp"
#include "kernels/point/snap_model_kernels.hpp"

#include <Kokkos_Core.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace reval::kokkos {

/// Atomic accumulation for point kernels whose target is shared by the threads of a team.
struct SnapAtomicAdd {
  KOKKOS_INLINE_FUNCTION void operator()(double *target, double value) const { Kokkos::atomic_add(target, value); }
};

/// Copies a host vector into a new device view.
template <class DeviceType, class T>
Kokkos::View<T *, DeviceType> to_device(const std::vector<T> &v, const char *label)
{
  Kokkos::View<T *, DeviceType> d(std::string(label), v.size());
  auto h = Kokkos::create_mirror_view(d);
  for (std::size_t k = 0; k < v.size(); ++k) h(k) = v[k];
  Kokkos::deep_copy(d, h);
  return d;
}

/// The SNAP tables of one descriptor in device memory and a SnapTablesView pointing at them.
template <class DeviceType>
struct SnapDeviceTables {
  Kokkos::View<int *, DeviceType> idxu_block, zrow, orbit_start, orbit;
  Kokkos::View<double *, DeviceType> rootpq, cglist, cglist_t, bzero, radelem, wjelem;
  Kokkos::View<kernels::SnapZIndex *, DeviceType> idxz;
  Kokkos::View<kernels::SnapBIndex *, DeviceType> idxb;
  kernels::SnapTablesView view;    ///< device pointers; valid while this object lives

  explicit SnapDeviceTables(const SnapDescriptor &d)
  {
    idxu_block = to_device<DeviceType>(d.idxu_block(), "snap:idxu_block");
    zrow = to_device<DeviceType>(d.zrow(), "snap:zrow");
    orbit_start = to_device<DeviceType>(d.beta_orbit_start(), "snap:orbit_start");
    orbit = to_device<DeviceType>(d.beta_orbit(), "snap:orbit");
    rootpq = to_device<DeviceType>(d.rootpq(), "snap:rootpq");
    cglist = to_device<DeviceType>(d.cglist(), "snap:cglist");
    cglist_t = to_device<DeviceType>(d.cglist_t(), "snap:cglist_t");
    bzero = to_device<DeviceType>(d.bzero(), "snap:bzero");
    radelem = to_device<DeviceType>(d.params().radelem, "snap:radelem");
    wjelem = to_device<DeviceType>(d.params().wjelem, "snap:wjelem");
    idxz = to_device<DeviceType>(d.idxz(), "snap:idxz");
    idxb = to_device<DeviceType>(d.idxb(), "snap:idxb");
    view = d.view();
    view.idxu_block = idxu_block.data();
    view.rootpq = rootpq.data();
    view.cglist = cglist.data();
    view.cglist_t = cglist_t.data();
    view.zrow = zrow.data();
    view.idxz = idxz.data();
    view.idxb = idxb.data();
    view.bzero = bzero.data();
    view.beta_orbit_start = orbit_start.data();
    view.beta_orbit = orbit.data();
  }
};

/// M >= 1 models (a single model or the members of a committee) in device memory.
template <class DeviceType>
struct SnapDeviceModels {
  std::vector<Kokkos::View<double *, DeviceType>> coeff, params;
  std::vector<Kokkos::View<int *, DeviceType>> nnodes, activation;
  Kokkos::View<kernels::SnapModelView *, DeviceType> views;
  int count = 0;
  int scratch = 0;    ///< max snap_model_scratch_size over the models

  explicit SnapDeviceModels(const std::vector<const SnapModelData *> &models)
  {
    count = static_cast<int>(models.size());
    views = Kokkos::View<kernels::SnapModelView *, DeviceType>("snap:models", count);
    auto h = Kokkos::create_mirror_view(views);
    for (int m = 0; m < count; ++m) {
      const SnapModelData &md = *models[m];
      coeff.push_back(to_device<DeviceType>(md.coeff(), "snap:model_coeff"));
      params.push_back(to_device<DeviceType>(md.params(), "snap:model_params"));
      nnodes.push_back(to_device<DeviceType>(md.nnodes(), "snap:model_nnodes"));
      activation.push_back(to_device<DeviceType>(md.activation(), "snap:model_activation"));
      h(m) = md.view_with(coeff.back().data(), params.back().data(), nnodes.back().data(), activation.back().data());
      if (md.scratch_size() > scratch) scratch = md.scratch_size();
    }
    Kokkos::deep_copy(views, h);
  }
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

  kernels::SnapTablesView t;
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
  /// Level-1 team scratch for local_scratch teams with atoms of up to maxneigh neighbours.
  std::size_t local_scratch_bytes(int maxneigh) const
  {
    return sizeof(double) * (static_cast<std::size_t>(atom_buffer_doubles()) +
                             2 * static_cast<std::size_t>(t.idxu_max) * (maxneigh > 0 ? maxneigh : 1)) + 256;
  }

  /// Where one atom's work arrays are (team scratch or its rows of the chunk arrays).
  struct AtomBuffers {
    double *utr, *uti, *zr, *zi, *yr, *yi, *b, *beta, *tmp, *betamem, *ustore;
    int betamem_stride;
  };

  KOKKOS_INLINE_FUNCTION AtomBuffers buffers(const member_type &team, int ii, int maxn) const
  {
    AtomBuffers a;
    const int nc = t.nchannels, nu = t.idxu_max, nz = t.idxz_max;
    if (local_scratch) {
      double *p = static_cast<double *>(
          team.team_scratch(1).get_shmem(sizeof(double) * (atom_buffer_doubles() + 2 * nu * (maxn > 0 ? maxn : 1))));
      a.utr = p;
      a.uti = a.utr + nc * nu;
      a.yr = a.uti + nc * nu;
      a.yi = a.yr + nc * nu;
      a.zr = a.yi + nc * nu;
      a.zi = a.zr + nc * nc * nz;
      a.b = a.zi + nc * nc * nz;
      a.beta = a.b + t.ncoeff;
      a.tmp = a.beta + t.ncoeff;
      a.betamem = a.tmp + model_scratch + t.ncoeff + 1;
      a.betamem_stride = t.ncoeff;
      a.ustore = a.betamem + (members ? nmodels * t.ncoeff : 0);
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
      a.ustore = nullptr;
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
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, nc * nu), [&](const int k) {
      yr[k] = 0.0;
      yi[k] = 0.0;
    });
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

  template <class Add>
  KOKKOS_INLINE_FUNCTION void run(const member_type &team, const Add &add) const
  {
    const int ii = team.league_rank();
    const int i = ilist(offset + ii);
    const int ie = map(type(i));
    const int nu = t.idxu_max, nc = t.nchannels, nz = t.idxz_max;
    const AtomBuffers a = buffers(team, ii, w.maxneigh);

    // short list (serial per atom: compaction)
    Kokkos::single(Kokkos::PerTeam(team), [&]() {
      w.ielem(ii) = ie;
      int n = 0;
      if (ie >= 0) {
        const int jnum = numneigh(i);
        for (int jj = 0; jj < jnum; ++jj) {
          const int j = neighbors(i, jj) & neighmask;
          const int je = map(type(j));
          if (je < 0) continue;
          const double dx = x(j, 0) - x(i, 0), dy = x(j, 1) - x(i, 1), dz = x(j, 2) - x(i, 2);
          const double rsq = dx * dx + dy * dy + dz * dz;
          const double rc = (radelem(ie) + radelem(je)) * rcutfac;
          if (rsq < rc * rc && rsq > 1e-20) {
            w.rij(ii, n, 0) = dx;
            w.rij(ii, n, 1) = dy;
            w.rij(ii, n, 2) = dz;
            w.jelem(ii, n) = je;
            w.jatom(ii, n) = j;
            ++n;
          }
        }
      }
      w.ninside(ii) = n;
      w.ei(ii) = 0.0;
      if (ie >= 0) kernels::snap_zero_utot(t, channel(ie), a.utr, a.uti);
    });
    team.team_barrier();
    if (ie < 0) return;
    const int n = w.ninside(ii);

    // Ulisttot: threads over neighbours
    double *utr = a.utr, *uti = a.uti;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, n), [&](const int jj) {
      const int je = w.jelem(ii, jj);
      kernels::SnapNeighborGeom &g = w.geom(ii, jj);
      kernels::snap_neighbor_geom(t, w.rij(ii, jj, 0), w.rij(ii, jj, 1), w.rij(ii, jj, 2),
                                  (radelem(ie) + radelem(je)) * rcutfac, wjelem(je), g);
      double *s = a.ustore ? a.ustore + 2 * static_cast<std::size_t>(jj) * nu : &w.scr(ii, team.team_rank(), 0);
      kernels::snap_compute_u(t, g, s, s + nu);
      const int c = channel(je);
      kernels::snap_add_u_with(t, g.sfac, s, s + nu, utr + c * nu, uti + c * nu, add);
    });
    team.team_barrier();
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, nc),
                         [&](const int c) { kernels::snap_symmetrize_utot(t, utr + c * nu, uti + c * nu); });
    team.team_barrier();

    // Z: threads over rows of every channel pair
    double *zr = a.zr, *zi = a.zi;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, nc * nc * t.nzrows), [&](const int k) {
      const int e12 = k / t.nzrows, row = k % t.nzrows;
      const int e1 = e12 / nc, e2 = e12 % nc;
      kernels::snap_compute_z_row(t, t.zrow[row], utr + e1 * nu, uti + e1 * nu, utr + e2 * nu, uti + e2 * nu,
                                  zr + e12 * nz, zi + e12 * nz);
    });
    team.team_barrier();

    // B: threads over components
    double *b = a.b;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, t.ncoeff), [&](const int k) {
      b[k] = kernels::snap_b_value(t, channel(ie), k / t.idxb_max, k % t.idxb_max, utr, uti, zr, zi);
    });
    team.team_barrier();

    // beta and E_i of every model; the mean drives MD
    Kokkos::single(Kokkos::PerTeam(team), [&]() {
      double *beta = a.beta;
      double *tmp = a.tmp;
      double *mscratch = tmp + t.ncoeff;
      for (int k = 0; k < t.ncoeff; ++k) beta[k] = 0.0;
      double esum = 0.0;
      for (int m = 0; m < nmodels; ++m) {
        double *bm = members ? a.betamem + m * a.betamem_stride : tmp;
        const double e = kernels::snap_model_energy_beta(models(m), ie, b, bm, mscratch);
        if (members) w.emem(ii, m) = e;
        esum += e;
        for (int k = 0; k < t.ncoeff; ++k) beta[k] += bm[k];
      }
      if (nmodels > 1)
        for (int k = 0; k < t.ncoeff; ++k) beta[k] /= nmodels;
      w.ei(ii) = esum / nmodels;
    });
    team.team_barrier();

    if (!members) {
      y_and_dedr(team, ii, a, a.beta, &w.dedr(ii, 0, 0), add);
      return;
    }
    for (int m = 0; m < nmodels; ++m)
      y_and_dedr(team, ii, a, a.betamem + m * a.betamem_stride, &w.dedr_mem(ii, m, 0, 0), add);
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, n), [&](const int jj) {
      for (int k = 0; k < 3; ++k) {
        double s = 0.0;
        for (int m = 0; m < nmodels; ++m) s += w.dedr_mem(ii, m, jj, k);
        w.dedr(ii, jj, k) = s / nmodels;
      }
    });
  }

  KOKKOS_INLINE_FUNCTION void operator()(const member_type &team) const
  {
    if (team.team_size() == 1)
      run(team, kernels::SnapPlainAdd());
    else
      run(team, SnapAtomicAdd());
  }
};

/// Energy and global virial of a chunk (reduction value).
struct SnapEV {
  double e = 0.0;
  double v[6] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
  KOKKOS_INLINE_FUNCTION SnapEV() {}
  KOKKOS_INLINE_FUNCTION void operator+=(const SnapEV &o)
  {
    e += o.e;
    for (int k = 0; k < 6; ++k) v[k] += o.v[k];
  }
  KOKKOS_INLINE_FUNCTION void operator+=(const volatile SnapEV &o) volatile
  {
    e += o.e;
    for (int k = 0; k < 6; ++k) v[k] += o.v[k];
  }
};

/// One thread per central atom of a chunk: forces, energies, virials from dE_i/dr_j.
/// FView: forces (n x 3); ghost forces go to `fghost` (newton pair off: j >= nlocal).
template <class DeviceType, class FView, class TypeView, class IntView, class EView, class VView>
struct SnapForceFunctor {
  using value_type = SnapEV;
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

  KOKKOS_INLINE_FUNCTION void operator()(const int ii, SnapEV &ev) const
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
          for (int k = 0; k < 6; ++k) ev.v[k] += v[k];
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
    if (eflag_global) ev.e += e;
    if (eflag_atom) eatom(i) += e;
    if (members) {
      double mean = 0.0, var = 0.0;
      for (int m = 0; m < nmodels; ++m) mean += w.emem(ii, m);
      mean /= nmodels;
      for (int m = 0; m < nmodels; ++m) var += (w.emem(ii, m) - mean) * (w.emem(ii, m) - mean);
      sigma_e(i) = s * sqrt(var / nmodels);
    }
  }
};

/// Global virial as sum_i r_i (x) F_i over owned and ghost atoms (what LAMMPS' F.r virial does).
template <class XView, class FView>
struct SnapVirialFdotr {
  using value_type = SnapEV;
  XView x;
  FView f;
  KOKKOS_INLINE_FUNCTION void operator()(const int i, SnapEV &ev) const
  {
    ev.v[0] += f(i, 0) * x(i, 0);
    ev.v[1] += f(i, 1) * x(i, 1);
    ev.v[2] += f(i, 2) * x(i, 2);
    ev.v[3] += f(i, 1) * x(i, 0);
    ev.v[4] += f(i, 2) * x(i, 0);
    ev.v[5] += f(i, 2) * x(i, 1);
  }
};

}    // namespace reval::kokkos
