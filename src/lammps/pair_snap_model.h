/* -*- c++ -*- ----------------------------------------------------------
   REVAL: pair_style snap/model — linear, quadratic and neural-network SNAP models, and committees of
   them, on one descriptor engine (src/core/snap_engine.h). Thin adapter: neighbour lists, element
   map, force/virial/energy tallies, ghost reverse communication; the physics is in the core.
   Doc: doc/pair_snap_model.rst
------------------------------------------------------------------------- */

#ifndef LMP_PAIR_SNAP_MODEL_H
#define LMP_PAIR_SNAP_MODEL_H

#include "pair.h"

#include "core/snap_engine.h"
#include "core/snap_pair_spec.h"

#include <memory>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class PairSNAPModel : public Pair {
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

  /// Committee size (1 for a single model).
  int committee_size() const { return m_committee ? m_committee->size() : 1; }
  /// Timestep on which per-atom uncertainties were last computed (-1: never).
  bigint uncertainty_step() const { return m_sigma_step; }
  /// Per owned atom (index < nlocal at that step): sigma_E (energy units) and sigma_F (force units);
  /// 0 for atoms of types the style does not handle.
  const double *sigma_energy() const { return m_sigma_e.data(); }
  const double *sigma_force() const { return m_sigma_f.data(); }
  /// False if this rank's owned atoms changed since the uncertainties were computed: other atoms, another
  /// order, or positions moved by more than 1e-8 (distance units) relative to the box (positions that
  /// only follow the box, as fix deform remap x moves them, or a periodic wrap, are no change).
  /// Local: compute committee/atom reduces it over the ranks.
  bool uncertainty_configuration_current() const;
  /// True if atoms of type `t` are handled by this style (not NULL in pair_coeff).
  bool handles_type(int t) const { return t >= 0 && t < static_cast<int>(m_map.size()) && m_map[t] >= 0; }
  /// Describes the potential (files, form, elements, descriptor size) for log messages.
  std::string describe() const;

 protected:
  enum class ReverseMode { GhostForce, Members };

  void allocate();
  bool uncertainty_requested();
  std::string read_potential_text(const std::string &file);
  void reverse_ghost_forces(bool with_vatom);
  void reverse_member_forces();
  /// Stores the configuration the uncertainties belong to (owned atom IDs, fractional positions) and
  /// the timestep; host x and tag must be current.
  void record_uncertainty_configuration();

  reval::SnapPairSpec m_spec;
  std::shared_ptr<const reval::SnapDescriptor> m_desc;
  std::unique_ptr<reval::SnapEngine> m_engine;
  std::shared_ptr<const reval::SnapModel> m_model;            // single model or committee mean
  std::shared_ptr<const reval::SnapCommittee> m_committee;    // null for a single model
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
