/* -*- c++ -*- ----------------------------------------------------------
   REVAL: fix re/harvest — every N steps, evaluate rare-event and uncertainty criteria (migrating
   atoms, hops, committee sigma, force errors, an equal-style variable, vacancy count changes) and,
   when one holds, write the configuration (or DFT-sized cut-outs of it) for DFT labelling.
   Doc: doc/fix_re_harvest.rst
------------------------------------------------------------------------- */

#ifndef LMP_FIX_RE_HARVEST_H
#define LMP_FIX_RE_HARVEST_H

#include "fix.h"

#include <memory>
#include <string>
#include <vector>

#include "core/harvest.h"
#include "kernels/point/harvest.hpp"

namespace reval {
class SnapDescriptor;
class SnapEngine;
}    // namespace reval

namespace reval_lmp {
class PerAtomValue;
}

namespace LAMMPS_NS {

/// The settings of one fix re/harvest (parsed in the constructor).
struct HarvestSettings {
  int nevery = 1;
  std::string file;
  reval::kernels::HarvestCriteria crit;
  std::string id_re_atom, id_stats, id_sites, var_name;    // migrating, hop, vacancies, variable
  std::string sigma_text, error_text;                      // sigma X, error X (per-atom references)
  bigint every_min = 0;                                    // 0: no minimum spacing
  bigint max_frames = 0;                                   // 0: no maximum
  bool halt = false;
  double novelty = -1.0;                                   // < 0: off
  reval::CutoutSpec cutout;
  double vacuum = 5.0;
  bool write_xyz = true, write_data = false;
  std::vector<std::string> species;                        // per type (index t-1); empty: from the pair
  enum class Descriptor { automatic, snap, distances };
  Descriptor descriptor = Descriptor::automatic;
};

class FixREHarvest : public Fix {
 public:
  FixREHarvest(class LAMMPS *, int, char **);
  ~FixREHarvest() override;    // out of line: unique_ptr of incomplete types
  int setmask() override;
  void post_constructor() override;
  void init() override;
  void setup(int) override;
  void post_force(int) override;
  void end_of_step() override;
  void post_run() override;
  double compute_vector(int) override;
  double memory_usage() override;

  void grow_arrays(int) override;
  void copy_arrays(int, int, int) override;
  void set_arrays(int) override;
  int pack_exchange(int, double *) override;
  int unpack_exchange(int, double *) override;
  int pack_restart(int, double *) override;
  void unpack_restart(int, int) override;
  int size_restart(int) override;
  int maxsize_restart() override;
  void write_restart(FILE *) override;
  void restart(char *) override;

  /// Names of the criteria in `bits` joined by '+' ("migrating+sigma"); "none" for 0.
  static std::string criterion_names(int bits);
  /// Novelty descriptor: sorted distances to this many nearest neighbours within kNoveltyRmax.
  static constexpr int kNoveltyDim = 16;
  static constexpr double kNoveltyRmax = 6.0;

 protected:
  void parse(int narg, char **arg);
  void resolve_species();
  /// Per-atom criterion bits of the local atoms (m_bits) and the reduced frame bits (collective).
  int evaluate_criteria();
  /// The per-atom step: reads the per-atom values of the atom criteria (this step's), sets the criterion
  /// bits of every local group atom (m_bits), counts them per criterion into counts[kHarvestAtomCriteria]
  /// (point kernels harvest_atom_bits, harvest_count_add) and, with hop, records the hop counts seen.
  /// Virtual: fix re/harvest/kk runs it on the device (m_bits then stays there until frame_to_host()).
  virtual void count_atoms(const reval::kernels::HarvestCriteria &c, double *counts);
  /// Makes what harvest() reads on the host current: atom IDs, types, positions, m_bits and the forces
  /// captured (m_f). Nothing to do for the plain fix; the /kk twin copies them from the device.
  virtual void frame_to_host() {}
  /// Gathers the whole configuration on rank 0 in atom-ID order and writes it (or its cut-outs) when it
  /// is novel; returns whether it was written (same value on every rank).
  bool harvest(int bits);
  /// Keeps the forces of this step (after post_force) for a frame harvested at end_of_step (m_f, m_f_step).
  virtual void capture_forces();
  /// The novelty descriptor to use (SNAP bispectrum of pair snap/model, or neighbour distances) and the
  /// memory's dimension; called in init().
  void setup_descriptor();
  /// Novelty descriptors of the atoms `atoms` of the gathered frame (`types`: its atom types) into out
  /// (atoms.size() x the memory's dimension).
  void descriptors(const reval::XyzFrame &w, const std::vector<int> &types, const std::vector<int> &atoms,
                   double *out);
  bigint next_check() const;
  /// Makes the computes this fix reads (thermo_pe, the criteria's computes) evaluate on `step`.
  void schedule_computes(bigint step);

  HarvestSettings m_set;
  std::unique_ptr<reval_lmp::PerAtomValue> m_migrating, m_hops, m_sigma, m_error;
  std::vector<double> m_vmig, m_vhops, m_vsigma, m_verror;    // per-atom values of this evaluation
  std::vector<int> m_bits;                                    // per local atom: criteria it satisfies
  std::vector<double> m_f;                                    // forces captured after the force evaluation
  bigint m_f_step = -1;
  int m_ivar = -1;
  std::vector<std::string> m_compute_ids;                     // computes read on check steps
  double *m_hops_seen = nullptr;                              // per atom: hop count at the last evaluation

  // state (restart)
  bigint m_harvested = 0, m_rej_throttle = 0, m_rej_novelty = 0;
  int m_last_bits = 0;
  bigint m_last_harvest_step = -1;
  double m_vac_seen = 0.0;
  bool m_vac_init = false, m_hops_init = false;
  reval::NoveltyMemory m_memory;
  // novelty descriptor: the bispectrum of pair snap/model (m_engine set) or neighbour distances
  std::shared_ptr<const reval::SnapDescriptor> m_desc;
  std::unique_ptr<reval::SnapEngine> m_engine;
  std::vector<int> m_elem_of_type;    // index = type
  int m_desc_dim = kNoveltyDim;

  bool m_started = false;      // the output file was (re)started or continued at the first init
  bool m_restored = false;
  bool m_halted = false;
};

}    // namespace LAMMPS_NS

#endif
