/// @file harvest.hpp
/// Point kernels of fix re/harvest: which criteria one atom satisfies, and the per-rank counts that
/// one MPI_Allreduce (MPI_SUM) turns into the frame's decision. Every atom criterion is a count (a
/// maximum above a threshold is "at least one atom above it"), so the reduction is a single sum of
/// kHarvestAtomCriteria values whatever criteria are enabled. Used by the plain fix (host loop) and
/// meant for a Kokkos reduction over the same per-atom values.
#pragma once

#include "kernels/point/reval_function.hpp"

namespace reval::kernels {

/// Bits of the criteria (per atom and per frame). The first four are atom criteria (they name the
/// atoms that triggered a frame); variable and vacancies are frame criteria only.
enum HarvestBit : int {
  kHarvestMigrating = 1,
  kHarvestHop = 2,
  kHarvestSigma = 4,
  kHarvestError = 8,
  kHarvestVariable = 16,
  kHarvestVacancies = 32,
};
constexpr int kHarvestAtomCriteria = 4;
constexpr int kHarvestCriteria = 6;

/// The enabled atom criteria and their thresholds.
struct HarvestCriteria {
  int enabled = 0;          ///< HarvestBit mask
  int min_migrating = 1;    ///< migrating: at least this many migrating group atoms
  double sigma_max = 0.0;   ///< sigma: fires when a group atom's value exceeds this
  double error_max = 0.0;   ///< error: likewise
};

/// The atom criteria one group atom satisfies (HarvestBit mask): migrating flag > 0.5; hop count of
/// fix re/stats above the count seen at the previous evaluation; sigma / error value strictly above
/// the threshold (a NaN never fires). Disabled criteria never fire.
REVAL_FUNCTION int harvest_atom_bits(const HarvestCriteria &c, double migrating, double hops, double hops_seen,
                                     double sigma, double error)
{
  int bits = 0;
  if ((c.enabled & kHarvestMigrating) && migrating > 0.5) bits |= kHarvestMigrating;
  if ((c.enabled & kHarvestHop) && hops > hops_seen) bits |= kHarvestHop;
  if ((c.enabled & kHarvestSigma) && sigma > c.sigma_max) bits |= kHarvestSigma;
  if ((c.enabled & kHarvestError) && error > c.error_max) bits |= kHarvestError;
  return bits;
}

/// Adds one atom's bits to the per-rank counts (one per atom criterion, in bit order).
REVAL_FUNCTION void harvest_count_add(int bits, double counts[kHarvestAtomCriteria])
{
  for (int k = 0; k < kHarvestAtomCriteria; ++k)
    if (bits & (1 << k)) counts[k] += 1.0;
}

/// The atom criteria that hold for the frame, from the reduced counts: migrating when at least
/// min_migrating atoms migrate, the others when at least one atom fired.
REVAL_FUNCTION int harvest_frame_bits(const HarvestCriteria &c, const double counts[kHarvestAtomCriteria])
{
  int bits = 0;
  if ((c.enabled & kHarvestMigrating) && counts[0] >= c.min_migrating && counts[0] > 0) bits |= kHarvestMigrating;
  for (int k = 1; k < kHarvestAtomCriteria; ++k)
    if ((c.enabled & (1 << k)) && counts[k] > 0) bits |= 1 << k;
  return bits;
}

}    // namespace reval::kernels
