/* ----------------------------------------------------------------------
   REVAL: decomposition of static sites over MPI ranks (see site_decomposition.h)
------------------------------------------------------------------------- */

#include "site_decomposition.h"

#include "adapter_utils.h"

#include "comm.h"
#include "domain.h"
#include "irregular.h"
#include "lattice.h"
#include "lammps.h"

#include <algorithm>
#include <mpi.h>

using namespace LAMMPS_NS;
namespace rk = reval::kernels;

namespace {

struct SiteRecord {    // one site on the wire
  double lam[3];
  int64_t gid;
  int owner_proc, owner_local;    // set for ghost copies
};

}    // namespace

namespace reval_lmp {

reval::LatticeMap capture_lattice_map(Lattice *lat)
{
  double o[3] = {0.0, 0.0, 0.0};
  lat->lattice2box(o[0], o[1], o[2]);
  double tips[3][3];
  for (int c = 0; c < 3; ++c) {
    double e[3] = {0.0, 0.0, 0.0};
    e[c] = 1.0;
    lat->lattice2box(e[0], e[1], e[2]);
    for (int d = 0; d < 3; ++d) tips[c][d] = e[d];
  }
  std::vector<std::array<double, 3>> basis;
  for (int m = 0; m < lat->nbasis; ++m) basis.push_back({lat->basis[m][0], lat->basis[m][1], lat->basis[m][2]});
  return reval::lattice_map_from_images(o, tips, basis);
}

SiteDecomposition::~SiteDecomposition()
{
  delete m_ghost_plan;
  delete m_reverse_plan;
}

void SiteDecomposition::invalidate()
{
  delete m_ghost_plan;
  m_ghost_plan = nullptr;
  delete m_reverse_plan;
  m_reverse_plan = nullptr;
}

bool SiteDecomposition::needed(const reval::SiteIndex &index, double margin_length) const
{
  int need = valid() ? 0 : 1;
  double lo[3], hi[3];
  own_lamda_box(m_lmp->comm, lo, hi);
  const auto box = box_geom(m_lmp->domain);
  for (int d = 0; d < 3 && !need; ++d) {
    if (lo[d] != index.own_box().lo[d] || hi[d] != index.own_box().hi[d]) need = 1;
    if (margin_length * rk::lamda_per_length(box, d) > index.margin_lamda()[d]) need = 1;
  }
  int any = 0;
  MPI_Allreduce(&need, &any, 1, MPI_INT, MPI_MAX, m_lmp->world);
  return any != 0;
}

void SiteDecomposition::distribute(reval::SiteIndex &index, double margin_length, double rvac)
{
  const int nprocs = m_lmp->comm->nprocs, me = m_lmp->comm->me;
  reval::ProcBox own;
  own_lamda_box(m_lmp->comm, own.lo, own.hi);
  std::vector<reval::ProcBox> boxes(nprocs);
  MPI_Allgather(&own, 6, MPI_DOUBLE, boxes.data(), 6, MPI_DOUBLE, m_lmp->world);

  // 1. owned sites move to the rank whose sub-domain holds them (after balance or first capture)
  std::vector<SiteRecord> keep, send;
  std::vector<int> procs;
  const auto &lam = index.lam();
  const auto &gid = index.gid();
  for (int i = 0; i < index.nown(); ++i) {
    SiteRecord r{{lam[3 * i], lam[3 * i + 1], lam[3 * i + 2]}, gid[i], me, i};
    if (reval::in_proc_box(own, r.lam)) {
      keep.push_back(r);
      continue;
    }
    int owner = me;
    for (int q = 0; q < nprocs; ++q)
      if (reval::in_proc_box(boxes[q], r.lam)) {
        owner = q;
        break;
      }
    if (owner == me) {
      keep.push_back(r);
    } else {
      send.push_back(r);
      procs.push_back(owner);
    }
  }
  {
    Irregular irr(m_lmp);
    int nrecv = irr.create_data(static_cast<int>(send.size()), procs.data(), 1);
    std::vector<SiteRecord> recv(nrecv);
    irr.exchange_data(reinterpret_cast<char *>(send.data()), sizeof(SiteRecord), reinterpret_cast<char *>(recv.data()));
    irr.destroy_data();
    keep.insert(keep.end(), recv.begin(), recv.end());
  }
  // deterministic order of owned sites (by global index), whatever the history of migrations
  std::sort(keep.begin(), keep.end(), [](const SiteRecord &a, const SiteRecord &b) { return a.gid < b.gid; });
  const int nown = static_cast<int>(keep.size());

  // 2. ghost copies: sites within the margin of a sub-domain (periodic images included)
  const auto box = box_geom(m_lmp->domain);
  double margin[3];
  for (int d = 0; d < 3; ++d) margin[d] = margin_length * rk::lamda_per_length(box, d) * kMarginSlack;
  std::vector<reval::GhostTarget> targets;
  std::vector<SiteRecord> gsend;
  std::vector<int> gprocs;
  m_ghost_src.clear();
  for (int i = 0; i < nown; ++i) {
    targets.clear();
    reval::ghost_targets(keep[i].lam, own, boxes, margin, box.periodic, me, targets);
    for (auto &t : targets) {
      SiteRecord r = keep[i];
      r.owner_proc = me;
      r.owner_local = i;
      for (int d = 0; d < 3; ++d) r.lam[d] += t.shift[d];
      gsend.push_back(r);
      gprocs.push_back(t.proc);
      m_ghost_src.push_back(i);
    }
  }
  delete m_ghost_plan;
  m_ghost_plan = new Irregular(m_lmp);
  const int nghost = m_ghost_plan->create_data(static_cast<int>(gsend.size()), gprocs.data(), 1);
  std::vector<SiteRecord> grecv(nghost);
  m_ghost_plan->exchange_data(reinterpret_cast<char *>(gsend.data()), sizeof(SiteRecord),
                              reinterpret_cast<char *>(grecv.data()));

  std::vector<double> llam(3 * static_cast<size_t>(nown + nghost));
  std::vector<int64_t> lgid(nown + nghost);
  for (int i = 0; i < nown; ++i) {
    std::copy(keep[i].lam, keep[i].lam + 3, &llam[3 * i]);
    lgid[i] = keep[i].gid;
  }
  m_ghost_owner_proc.resize(nghost);
  m_ghost_owner_local.resize(nghost);
  for (int j = 0; j < nghost; ++j) {
    std::copy(grecv[j].lam, grecv[j].lam + 3, &llam[3 * (nown + j)]);
    lgid[nown + j] = grecv[j].gid;
    m_ghost_owner_proc[j] = grecv[j].owner_proc;
    m_ghost_owner_local[j] = grecv[j].owner_local;
  }
  m_nown = nown;
  m_nghost = nghost;

  // 3. reverse plan (ghost copies -> owners), kept for the counts of every step: the owners learn once
  // which of their sites each delivered datum belongs to
  delete m_reverse_plan;
  m_reverse_plan = new Irregular(m_lmp);
  const int nrecv = m_reverse_plan->create_data(nghost, m_ghost_owner_proc.data(), 1);
  m_reverse_dest.resize(nrecv);
  m_reverse_plan->exchange_data(reinterpret_cast<char *>(m_ghost_owner_local.data()), sizeof(int),
                                reinterpret_cast<char *>(m_reverse_dest.data()));
  index.assign_local(std::move(llam), std::move(lgid), nown, own, margin, box, rvac);
}

void SiteDecomposition::forward(const int *owned, int *ghost) const
{
  std::vector<int> send(m_ghost_src.size());
  for (size_t k = 0; k < m_ghost_src.size(); ++k) send[k] = owned[m_ghost_src[k]];
  m_ghost_plan->exchange_data(reinterpret_cast<char *>(send.data()), sizeof(int), reinterpret_cast<char *>(ghost));
}

void SiteDecomposition::reverse_add(int nfield, const int *const *local, int *const *owned) const
{
  const size_t nf = static_cast<size_t>(nfield);
  std::vector<int> send(nf * m_nghost), recv(nf * m_reverse_dest.size());
  for (int j = 0; j < m_nghost; ++j)
    for (int f = 0; f < nfield; ++f) send[nf * j + f] = local[f][m_nown + j];
  for (int f = 0; f < nfield; ++f) std::copy(local[f], local[f] + m_nown, owned[f]);
  m_reverse_plan->exchange_data(reinterpret_cast<char *>(send.data()), nfield * static_cast<int>(sizeof(int)),
                                reinterpret_cast<char *>(recv.data()));
  for (size_t r = 0; r < m_reverse_dest.size(); ++r)
    for (int f = 0; f < nfield; ++f) owned[f][m_reverse_dest[r]] += recv[nf * r + f];
}

size_t SiteDecomposition::memory_bytes() const
{
  return (m_ghost_src.size() + m_ghost_owner_proc.size() + m_ghost_owner_local.size() + m_reverse_dest.size()) *
      sizeof(int);
}

}    // namespace reval_lmp
