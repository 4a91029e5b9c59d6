/* -*- c++ -*- ----------------------------------------------------------
   REVAL: pair_style snap/model — linear, quadratic and neural-network SNAP models, and committees of
   them, on one descriptor engine (src/core/snap_engine.h). Thin adapter: neighbour lists, element
   map, force/virial/energy tallies, ghost reverse communication; the physics is in the core.
   Doc: doc/pair_snap_model.rst
------------------------------------------------------------------------- */

#ifndef LMP_PAIR_SNAP_MODEL_H
#define LMP_PAIR_SNAP_MODEL_H

#include "pair.h"

#include "committee_uncertainty.h"

#include "core/snap_engine.h"
#include "core/snap_pair_spec.h"

#include <memory>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class PairSNAPModel : public Pair, public reval_lmp::CommitteeUncertainty {
 public:
  PairSNAPModel(class LAMMPS *);
  ~PairSNAPModel() override;
  void compute(int, int) override;
  void settings(int, char **) override;
  void coeff(int, char **) override;
  void init_style() override;
  double init_one(int, int) override;
  void *extract(const char *, int &) override;
  int pack_reverse_comm(int, int, double *) override;
  void unpack_reverse_comm(int, int *, double *) override;
  double memory_usage() override;

  // reval_lmp::CommitteeUncertainty (returned by extract(CommitteeUncertainty::kExtract, dim))
  int committee_size() const override { return static_cast<int>(m_models.size()); }
  void request_uncertainty(Compute *c) override;
  bigint uncertainty_step() const override { return m_sigma_step; }
  const double *sigma_energy() const override { return m_sigma_e.data(); }
  const double *sigma_force() const override { return m_sigma_f.data(); }
  /// False if this rank's owned atoms changed since the uncertainties were computed: other atoms, another
  /// order, or positions moved by more than 1e-8 (distance units) relative to the box (positions that
  /// only follow the box, as fix deform remap x moves them, or a periodic wrap, are no change).
  bool uncertainty_configuration_current() const override;
  bool handles_type(int t) const override { return t >= 0 && t < static_cast<int>(m_map.size()) && m_map[t] >= 0; }
  /// Describes the potential (files, form, elements, descriptor size) for log messages.
  std::string describe() const;

 protected:
  enum class ReverseMode { GhostForce, Members };

  void allocate();
  /// Checks that pair_coeff was given; drops the uncertainty requests of the previous run (the
  /// computes renew them in their init(), which LAMMPS runs after the pair style's).
  void init_requests();
  /// True on steps where a compute that requested uncertainties is due (Compute::matchstep).
  bool uncertainty_requested();
  /// Per-step set-up: element of every atom, ghost force buffers (newton off), member buffers and
  /// zeroed uncertainties (uncertainty steps).
  void begin_step(bool sigma);
  /// Everything of one central atom i: short list, engine, tallies.
  void compute_atom(int i, bool sigma);
  /// f, ghost buffer and virial tallies of atom i's n neighbours from dedr (n x 3) scaled by s.
  void tally_forces(int i, int n, double s, const double *dedr);
  /// Per-member forces of atom i and its n neighbours from m_dedr_members, scaled by s.
  void tally_member_forces(int i, int n, double s);
  /// Sizes and zeroes sigma_E and sigma_F of the owned atoms.
  void reset_uncertainties();
  /// Uncertainty steps, after the atom loop: member forces to their owners, sigma_F of every
  /// handled owned atom (kernels::snap_committee_sigma_vec3), the configuration they belong to.
  void finish_uncertainties();
  /// The global virial as the F.r sum over owned (of the include group) and ghost atoms
  /// (kernels::virial_fdotr_add; the sum of Pair::virial_fdotr_compute, in its order).
  void virial_fdotr();
  std::string read_potential_text(const std::string &file);
  void reverse_ghost_forces(bool with_vatom);
  void reverse_member_forces();
  /// Stores the configuration the uncertainties belong to (owned atom IDs, fractional positions) and
  /// the timestep; host x and tag must be current.
  void record_uncertainty_configuration();

  reval::SnapPairSpec m_spec;
  std::shared_ptr<const reval::SnapDescriptor> m_desc;
  std::unique_ptr<reval::SnapEngine> m_engine;
  std::vector<reval::SnapModel> m_models;    // one model, or the members of a committee
  std::vector<Compute *> m_sigma_requests;   // computes that want uncertainties (renewed every init)
  std::vector<int> m_map;       // type -> element index (-1: not handled)
  double **scale = nullptr;     // per type pair, for fix adapt (energy and forces of atom i use scale[itype][itype])

  // per-step work arrays (reused; grow only)
  std::vector<int> m_elem_of;       // nall: element of each atom (-1: not handled)
  reval::SnapShortList m_short;
  std::vector<double> m_dedr, m_dedr_members, m_emem;
  std::vector<double> m_fghost;     // newton off: forces on ghost atoms, reverse communicated to owners
  std::vector<double> m_fmem;       // uncertainty steps: per-member forces, nall x M x 3
  std::vector<double> m_sigma_e, m_sigma_f;
  bigint m_sigma_step = -1;
  std::vector<tagint> m_sigma_tag;     // owned atoms at the uncertainty step, in local order
  std::vector<double> m_sigma_lamda;   // ... and their fractional positions

  // reverse communication state
  ReverseMode m_rc_mode = ReverseMode::GhostForce;
  bool m_rc_vatom = false;
  int m_rc_m0 = 0, m_rc_m1 = 0;     // members [m0, m1) in this pass
  static constexpr int kReverseValues = 12;    // values per atom per pass (comm buffers are sized once)
};

}    // namespace LAMMPS_NS

#endif
