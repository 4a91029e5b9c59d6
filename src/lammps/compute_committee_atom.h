/* -*- c++ -*- ----------------------------------------------------------
   REVAL: compute committee/atom — per-atom committee (ensemble) uncertainties sigma_E and sigma_F of
   pair_style snap/model with a committee of models, and their maxima and means over the group.
   Doc: doc/compute_committee_atom.rst
------------------------------------------------------------------------- */

#ifndef LMP_COMPUTE_COMMITTEE_ATOM_H
#define LMP_COMPUTE_COMMITTEE_ATOM_H

#include "compute.h"

namespace LAMMPS_NS {

class PairSNAPModel;

class ComputeCommitteeAtom : public Compute {
 public:
  ComputeCommitteeAtom(class LAMMPS *, int, char **);
  ~ComputeCommitteeAtom() override;
  void init() override;
  void compute_peratom() override;
  void compute_vector() override;
  double memory_usage() override;

  /// True if this compute reads its values from `pair` (the pair style then computes them on the
  /// steps this compute is due, see Compute::matchstep).
  bool uses_pair(const PairSNAPModel *pair) const { return pair != nullptr && pair == m_pair; }

 protected:
  PairSNAPModel *m_pair = nullptr;
  int m_nmax = 0;
  double **m_array = nullptr;
  double m_vector[4] = {0.0, 0.0, 0.0, 0.0};
};

}    // namespace LAMMPS_NS

#endif
