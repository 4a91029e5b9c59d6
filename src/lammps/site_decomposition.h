/// @file site_decomposition.h
/// The MPI side of the static-site subsystem (LAMMPS adapter): which rank owns which site (the rank
/// whose sub-domain holds it, brick or tiled), which ranks hold ghost copies of it (sites within a
/// margin of their sub-domain, periodic images included), and the two plans that move per-site data
/// between owners and copies: forward (owner -> ghost copies, e.g. occupancy for fix re/stats) and
/// reverse (counts made at ghost copies -> owner, exact: every copy's count). Both plans are built
/// once per distribution and reused every step, as LAMMPS' Comm reuses its swaps.
/// Built with LAMMPS' Irregular; the site index itself (reval::SiteIndex) is LAMMPS-free.
#pragma once

#include "core/site_index.h"
#include "core/static_sites.h"

#include <vector>

namespace LAMMPS_NS {
class LAMMPS;
class Irregular;
class Lattice;
}    // namespace LAMMPS_NS

namespace reval_lmp {

/// The lattice of a LAMMPS lattice command as a LatticeMap (box units), via Lattice::lattice2box.
reval::LatticeMap capture_lattice_map(LAMMPS_NS::Lattice *lat);

class SiteDecomposition {
 public:
  /// Ghost margins are kept this much beyond the need (room for box deformation between rebuilds).
  static constexpr double kMarginSlack = 1.15;

  explicit SiteDecomposition(LAMMPS_NS::LAMMPS *lmp) : m_lmp(lmp) {}
  ~SiteDecomposition();
  SiteDecomposition(const SiteDecomposition &) = delete;
  SiteDecomposition &operator=(const SiteDecomposition &) = delete;

  /// Forget the plans (e.g. after a box flip moved sites across sub-domains).
  void invalidate();
  bool valid() const { return m_ghost_plan != nullptr; }
  /// True on every rank if any rank's sub-domain changed or its ghost margin no longer covers
  /// `margin_length` Å in the current box, or the plans are invalid (collective).
  bool needed(const reval::SiteIndex &index, double margin_length) const;
  /// Moves owned sites to their owners, sends ghost copies within margin_length * slack of every
  /// sub-domain, builds the plans and hands the local site set to index.assign_local() (collective).
  void distribute(reval::SiteIndex &index, double margin_length, double rvac);

  /// Owners' values -> every ghost copy (collective): ghost[j] for local site nown + j.
  void forward(const int *owned, int *ghost) const;
  /// Adds the counts made at ghost copies to their owners' counts, exactly (collective): for each of
  /// the `nfield` fields, local[f] holds nown + nghost counts, owned[f] receives the sums (nown).
  /// Every ghost copy sends its counts through the persistent reverse plan (no per-step set-up).
  void reverse_add(int nfield, const int *const *local, int *const *owned) const;

  size_t memory_bytes() const;

 private:
  LAMMPS_NS::LAMMPS *m_lmp;
  LAMMPS_NS::Irregular *m_ghost_plan = nullptr;    // owner -> ghost copies
  LAMMPS_NS::Irregular *m_reverse_plan = nullptr;  // ghost copies -> owner
  std::vector<int> m_reverse_dest;                 // owned local site of each datum m_reverse_plan delivers
  std::vector<int> m_ghost_src;                    // owned local site of each datum of m_ghost_plan
  std::vector<int> m_ghost_owner_proc, m_ghost_owner_local;    // per ghost copy: its owner
  int m_nown = 0, m_nghost = 0;
};

}    // namespace reval_lmp
