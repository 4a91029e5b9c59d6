/* -*- c++ -*- ----------------------------------------------------------
   REVAL: compute committee/atom — per-atom committee (ensemble) uncertainties sigma_E and sigma_F of
   pair_style snap/model with a committee of models, and their maxima and means over the group.
   Doc: doc/compute_committee_atom.rst
------------------------------------------------------------------------- */

#ifndef LMP_COMPUTE_COMMITTEE_ATOM_H
#define LMP_COMPUTE_COMMITTEE_ATOM_H

#include "compute.h"

#include "committee_uncertainty.h"

namespace LAMMPS_NS {

class ComputeCommitteeAtom : public Compute {
 public:
  ComputeCommitteeAtom(class LAMMPS *, int, char **);
  ~ComputeCommitteeAtom() override;
  void init() override;
  void compute_peratom() override;
  void compute_vector() override;
  double memory_usage() override;

 protected:
  /// The pair style's uncertainties (Pair::extract(CommitteeUncertainty::kExtract)); set in init().
  reval_lmp::CommitteeUncertainty *m_pair = nullptr;
  int m_nmax = 0;
  double **m_array = nullptr;
  double m_vector[4] = {0.0, 0.0, 0.0, 0.0};
};

}    // namespace LAMMPS_NS

#endif
