/* -*- c++ -*- ----------------------------------------------------------
   REVAL: what a pair style with a committee of models (pair_style snap/model, and its /kk twin)
   publishes to the computes of per-atom uncertainties (compute committee/atom). The pair style
   returns this interface from Pair::extract(CommitteeUncertainty::kExtract, dim) (dim 0); the compute
   asks for it and declares in its init() when it needs the values, as compute pe/atom's need reaches
   the pair through the integrator's eflag_atom. The pair never knows the compute's class.
------------------------------------------------------------------------- */

#ifndef LMP_REVAL_COMMITTEE_UNCERTAINTY_H
#define LMP_REVAL_COMMITTEE_UNCERTAINTY_H

#include "lmptype.h"

namespace LAMMPS_NS {
class Compute;
}

namespace reval_lmp {

class CommitteeUncertainty {
 public:
  /// The name Pair::extract() answers with this interface.
  static constexpr const char *kExtract = "committee/uncertainty";

  /// Committee size (1 for a single model).
  virtual int committee_size() const = 0;
  /// Called by a compute in its init(): the pair style computes the uncertainties on the timesteps
  /// `c` is due (Compute::matchstep, as for compute pe/atom; the compute sets timeflag). Requests
  /// last until the pair style's next init (which LAMMPS runs before the computes' init).
  virtual void request_uncertainty(LAMMPS_NS::Compute *c) = 0;
  /// Timestep on which per-atom uncertainties were last computed (-1: never).
  virtual LAMMPS_NS::bigint uncertainty_step() const = 0;
  /// Per owned atom (index < nlocal at that step): sigma_E (energy units) and sigma_F (force units);
  /// 0 for atoms of types the style does not handle.
  virtual const double *sigma_energy() const = 0;
  virtual const double *sigma_force() const = 0;
  /// False if this rank's owned atoms changed since the uncertainties were computed (local; the
  /// caller reduces over the ranks).
  virtual bool uncertainty_configuration_current() const = 0;
  /// True if atoms of type `t` are handled by the pair style (not NULL in pair_coeff).
  virtual bool handles_type(int t) const = 0;

 protected:
  ~CommitteeUncertainty() = default;
};

}    // namespace reval_lmp

#endif
