/// @file wigner_seitz.hpp
/// Wigner-Seitz assignment of an atom to its nearest static site (compute vacancy/sites, issue 13
/// part 3), shared by the host loop and the Kokkos functor: the atom belongs to the site its nearest-
/// site search found (n.s1), provided that this search could see every site that may be nearer, i.e.
/// the ball of radius d1 around the atom lies inside the region of the sites held on this rank.
#pragma once

#include "kernels/point/box_math.hpp"
#include "kernels/point/reval_function.hpp"
#include "kernels/point/site_search.hpp"

namespace reval::kernels {

/// The lamda region of the sites held on one rank (owned + ghost copies) and the lamda extent of
/// one Å along each dimension in the current box (lamda_per_length).
struct WsRegion {
  double lo[3], hi[3], lpl[3];
};

constexpr int kWsNoSite = -1;         ///< no site within the search cap
constexpr int kWsUnreachable = -2;    ///< a nearer site could lie beyond the sites of this rank

/// Local site (index into the rank's sites) of an atom at x whose nearest two sites are n (grid
/// slots; order = slot -> local site), or kWsNoSite / kWsUnreachable.
REVAL_FUNCTION int ws_local_site(const NearestTwo &n, const int *order, const BoxGeom &box, const WsRegion &r,
                                 const double x[3])
{
  if (n.s1 < 0) return kWsNoSite;
  double l[3];
  x2lamda(box, x, l);
  for (int d = 0; d < 3; ++d)
    if (l[d] - n.d1 * r.lpl[d] < r.lo[d] || l[d] + n.d1 * r.lpl[d] > r.hi[d]) return kWsUnreachable;
  return order[n.s1];
}

}    // namespace reval::kernels
