/* ----------------------------------------------------------------------
   REVAL: compute committee/atom (see compute_committee_atom.h, doc/compute_committee_atom.rst)
------------------------------------------------------------------------- */

#include "compute_committee_atom.h"

#include "atom.h"
#include "error.h"
#include "force.h"
#include "memory.h"
#include "pair.h"
#include "update.h"

#include <algorithm>
#include <string>

using namespace LAMMPS_NS;

ComputeCommitteeAtom::ComputeCommitteeAtom(LAMMPS *lmp, int narg, char **arg) : Compute(lmp, narg, arg)
{
  if (narg > 3)
    error->all(FLERR, std::string("compute committee/atom: unexpected argument '") + arg[3] +
                          "' (syntax: compute ID group-ID committee/atom)");
  peratom_flag = 1;
  size_peratom_cols = 2;
  vector_flag = 1;
  size_vector = 4;
  extvector = 0;
  // the pair style computes the uncertainties only on steps this compute is due (matchstep)
  timeflag = 1;
  vector = m_vector;
}

ComputeCommitteeAtom::~ComputeCommitteeAtom()
{
  memory->destroy(m_array);
}

void ComputeCommitteeAtom::init()
{
  Pair *p = force->pair_match("^snap/model", 0, 0);
  if (!p) {
    // pair_match returns nullptr both for no match and for several matches in pair_style hybrid
    if (force->pair && force->pair_match("^snap/model", 0, 1))
      error->all(FLERR, "compute committee/atom: pair_style hybrid has several snap/model sub-styles; "
                        "only one is supported");
    error->all(FLERR, "compute committee/atom requires pair_style snap/model with a committee of models "
                      "(pair_coeff * * committee N ...)");
  }
  int dim = -1;
  m_pair = static_cast<reval_lmp::CommitteeUncertainty *>(p->extract(reval_lmp::CommitteeUncertainty::kExtract, dim));
  if (!m_pair || dim != 0)
    error->all(FLERR, "compute committee/atom: the snap/model pair style does not publish committee uncertainties");
  if (m_pair->committee_size() < 2)
    error->all(FLERR, "compute committee/atom: pair_style snap/model has a single model; uncertainties need "
                      "a committee (pair_coeff * * committee N ...)");
  // the pair style computes the uncertainties on the steps this compute is due (timeflag, matchstep)
  m_pair->request_uncertainty(this);
}

void ComputeCommitteeAtom::compute_peratom()
{
  if (!m_pair || m_pair->uncertainty_step() != update->ntimestep)
    error->all(FLERR, "compute committee/atom: uncertainties were not computed on timestep " +
                          std::to_string(update->ntimestep) +
                          "; the pair style computes them on the steps output (thermo, dump, fix ave/*) "
                          "asks for this compute, as for compute pe/atom");
  // same timestep, but the atoms may have moved since (displace_atoms, set, ... between runs)
  int stale = m_pair->uncertainty_configuration_current() ? 0 : 1, any = 0;
  MPI_Allreduce(&stale, &any, 1, MPI_INT, MPI_MAX, world);
  if (any)
    error->all(FLERR, "compute committee/atom: the atoms moved or changed after the pair style computed the "
                      "uncertainties on timestep " + std::to_string(update->ntimestep) +
                      " (e.g. displace_atoms or set between runs): do a 'run 0' first");
  invoked_peratom = update->ntimestep;    // only now: a refused evaluation must not look current
  if (atom->nmax > m_nmax) {
    memory->destroy(m_array);
    m_nmax = atom->nmax;
    memory->create(m_array, m_nmax, 2, "committee/atom:array");
    array_atom = m_array;
  }
  const int nlocal = atom->nlocal;
  const int *mask = atom->mask;
  const double *se = m_pair->sigma_energy();
  const double *sf = m_pair->sigma_force();
  for (int i = 0; i < nlocal; ++i) {
    const bool in = (mask[i] & groupbit) && m_pair->handles_type(atom->type[i]);
    m_array[i][0] = in ? se[i] : 0.0;
    m_array[i][1] = in ? sf[i] : 0.0;
  }
}

void ComputeCommitteeAtom::compute_vector()
{
  invoked_vector = update->ntimestep;
  if (invoked_peratom != update->ntimestep) compute_peratom();
  const int nlocal = atom->nlocal;
  const int *mask = atom->mask;
  double mx[2] = {0.0, 0.0}, sum[3] = {0.0, 0.0, 0.0};
  for (int i = 0; i < nlocal; ++i) {
    if (!(mask[i] & groupbit) || !m_pair->handles_type(atom->type[i])) continue;
    mx[0] = std::max(mx[0], m_array[i][1]);
    mx[1] = std::max(mx[1], m_array[i][0]);
    sum[0] += m_array[i][1];
    sum[1] += m_array[i][0];
    sum[2] += 1.0;
  }
  double gmx[2], gsum[3];
  MPI_Allreduce(mx, gmx, 2, MPI_DOUBLE, MPI_MAX, world);
  MPI_Allreduce(sum, gsum, 3, MPI_DOUBLE, MPI_SUM, world);
  m_vector[0] = gmx[0];
  m_vector[1] = gsum[2] > 0 ? gsum[0] / gsum[2] : 0.0;
  m_vector[2] = gmx[1];
  m_vector[3] = gsum[2] > 0 ? gsum[1] / gsum[2] : 0.0;
}

double ComputeCommitteeAtom::memory_usage()
{
  return 2.0 * sizeof(double) * m_nmax;
}
