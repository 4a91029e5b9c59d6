#include "adapter_utils.h"

#include "comm.h"
#include "domain.h"
#include "error.h"
#include "lammps.h"
#include "neighbor.h"

#include <algorithm>
#include <mpi.h>
#include <vector>

namespace reval_lmp {

reval::kernels::BoxGeom box_geom(const LAMMPS_NS::Domain *domain)
{
  reval::kernels::BoxGeom b{};
  for (int i = 0; i < 6; ++i) {
    b.h[i] = domain->h[i];
    b.h_inv[i] = domain->h_inv[i];
  }
  for (int d = 0; d < 3; ++d) b.boxlo[d] = domain->boxlo[d];
  b.periodic[0] = domain->xperiodic;
  b.periodic[1] = domain->yperiodic;
  b.periodic[2] = domain->zperiodic;
  return b;
}

void own_lamda_box(const LAMMPS_NS::Comm *comm, double lo[3], double hi[3])
{
  if (comm->layout == LAMMPS_NS::Comm::LAYOUT_TILED) {
    for (int d = 0; d < 3; ++d) {
      lo[d] = comm->mysplit[d][0];
      hi[d] = comm->mysplit[d][1];
    }
  } else {
    const double *split[3] = {comm->xsplit, comm->ysplit, comm->zsplit};
    for (int d = 0; d < 3; ++d) {
      lo[d] = split[d][comm->myloc[d]];
      hi[d] = split[d][comm->myloc[d] + 1];
    }
  }
}

double ghost_atom_cutoff(LAMMPS_NS::LAMMPS *lmp)
{
  return std::max(lmp->neighbor->cutneighmax, lmp->comm->cutghostuser);
}

void require_ghost_cutoff(LAMMPS_NS::LAMMPS *lmp, const char *style, const char *what, double value)
{
  const double skin = lmp->neighbor->skin, need = value + skin, have = ghost_atom_cutoff(lmp);
  if (need > have)
    lmp->error->all(FLERR, fmt::format("{}: {} ({}) plus the neighbor skin ({}) exceeds the ghost-atom cutoff ({}); "
                                       "use 'comm_modify cutoff {}' or larger",
                                       style, what, value, skin, have, need));
}

void error_all_from_root(LAMMPS_NS::LAMMPS *lmp, const std::string &msg, const char *file, int line)
{
  int n = lmp->comm->me == 0 ? static_cast<int>(msg.size()) : 0;
  MPI_Bcast(&n, 1, MPI_INT, 0, lmp->world);
  if (n == 0) return;
  std::vector<char> buf(n + 1, '\0');
  if (lmp->comm->me == 0) std::copy(msg.begin(), msg.end(), buf.begin());
  MPI_Bcast(buf.data(), n, MPI_CHAR, 0, lmp->world);
  lmp->error->all(file, line, std::string(buf.data()));
}

std::vector<double> gather_to_root(LAMMPS_NS::LAMMPS *lmp, const std::vector<double> &mine)
{
  const int me = lmp->comm->me, nprocs = lmp->comm->nprocs;
  int n = static_cast<int>(mine.size());
  std::vector<int> counts(nprocs), displs(nprocs, 0);
  MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, lmp->world);
  int total = 0;
  if (me == 0)
    for (int p = 0; p < nprocs; ++p) {
      displs[p] = total;
      total += counts[p];
    }
  std::vector<double> all(me == 0 ? total : 0);
  MPI_Gatherv(const_cast<double *>(mine.data()), n, MPI_DOUBLE, all.data(), counts.data(), displs.data(), MPI_DOUBLE, 0, lmp->world);
  return all;
}

}    // namespace reval_lmp
