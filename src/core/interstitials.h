/// @file interstitials.h
/// Classification of interstitial defects against templates (science.md, "Interstitial types in
/// diamond-structure Si"): split-<110> dumbbell, tetrahedral, hexagonal, or other.
///
/// Algorithm (per sample):
///  1. Defect atoms: atoms farther than rvac from every site, and atoms sharing a site with another
///     atom. Vacant sites: sites with no atom within rvac.
///  2. Clusters: defect atoms and vacant sites closer than the cluster radius are joined (minimum
///     image). A cluster's excess = atoms - vacant sites - sites occupied by its atoms; a cluster with
///     excess >= 1 is an interstitial defect.
///  3. Each interstitial cluster is compared with every template placed at every lattice site, in
///     every orientation that the site symmetry allows (the site is found from the cluster: the lattice
///     point that puts the template's first atom onto one of the cluster's atoms): the template matches
///     if its atoms and the cluster's atoms pair up one to one within the tolerance itol. Exactly one
///     matching type -> that type; none or several -> other (e.g. half-way between two types).
/// Templates are atom offsets from a lattice site in lattice units (multiples of the cell edges),
/// defined for a site of basis atom 0; sites of other basis atoms use the lattice operation that maps
/// basis 0's surroundings onto theirs. The site symmetry is found numerically from the lattice.
#pragma once

#include "core/lattice_frame.h"
#include "core/static_sites.h"
#include "kernels/point/box_math.hpp"

#include <array>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace reval {

using Vec3 = std::array<double, 3>;
using LatticeOp = std::array<int, 9>;    ///< integer 3x3 matrix, row-major, acting on lattice coordinates

struct DefectTemplate {
  std::string label;
  std::vector<Vec3> offsets;    ///< lattice units, from a site of basis atom 0
};

/// split-<110> (two atoms sharing a site, d_nn apart along <110>), tetrahedral, hexagonal: the diamond
/// structure's templates in lattice units (anchored at a site of the fcc sublattice, basis 0).
std::vector<DefectTemplate> diamond_templates();

/// Reads templates: a line with a label (a word not starting with a number) starts a template, each
/// following line "dx dy dz" is one atom offset in lattice units; '#' comments. Throws reval::Error.
std::vector<DefectTemplate> read_defect_templates(std::istream &in, const std::string &name);

/// The 48 operations of the cubic point group (signed permutation matrices).
const std::vector<LatticeOp> &cubic_operations();

/// Per basis atom m: the operations mapping the crystal onto itself about a site of basis m, and one
/// operation mapping the surroundings of basis 0 onto those of basis m (-1 if there is none).
struct LatticeSymmetry {
  std::vector<std::vector<int>> site_ops;    ///< indices into cubic_operations()
  std::vector<int> from_basis0;
};
LatticeSymmetry lattice_symmetry(const LatticeMap &lat);

/// Basis index of a lattice position u (lattice coordinates), or -1 if it is no lattice site.
int basis_of(const LatticeMap &lat, const double u[3], double tol = 1e-4);

struct DefectAtom {
  double x[3];          ///< current position (box coordinates)
  int occupies_site;    ///< 1 if within rvac of its nearest site
  int64_t site;         ///< global index of its nearest site
};

struct VacantSite {
  double x[3];          ///< current position (box coordinates)
  int64_t site;         ///< global index
};

struct ClassifiedSample {
  int interstitials = 0;              ///< clusters with excess >= 1
  std::vector<int> per_template;      ///< matches of each template
  int other = 0;
};

class InterstitialClassifier {
 public:
  /// `itol` and `cluster_radius` in Å.
  InterstitialClassifier(LatticeMap lat, std::vector<DefectTemplate> templates, double itol, double cluster_radius);

  ClassifiedSample classify(const std::vector<DefectAtom> &atoms, const std::vector<VacantSite> &vacancies,
                            const kernels::BoxGeom &box, const LatticeFrame &frame) const;

  const std::vector<DefectTemplate> &templates() const { return m_templates; }

 private:
  /// Atoms of one cluster (indices into `atoms`) in lattice coordinates.
  struct Cluster {
    std::vector<int> atoms;
    std::vector<Vec3> u;
  };
  /// Indices of the templates that match the cluster (see the algorithm above).
  std::vector<int> matching_templates(const Cluster &c, const std::vector<DefectAtom> &atoms,
                                      const kernels::BoxGeom &box, const LatticeFrame &frame) const;
  /// Whether template `tpl` placed at some site of basis m, in some orientation, matches the cluster.
  bool matches_at_basis(const DefectTemplate &tpl, size_t m, const Cluster &c, const std::vector<DefectAtom> &atoms,
                        const kernels::BoxGeom &box, const LatticeFrame &frame) const;
  /// Whether the template atoms o (lattice offsets, one orientation), placed at the site of basis m that
  /// puts o[0] nearest to one of the cluster's atoms, pair up one to one with the cluster's atoms.
  bool matches_placed(const std::vector<Vec3> &o, size_t m, const Cluster &c, const std::vector<DefectAtom> &atoms,
                      const kernels::BoxGeom &box, const LatticeFrame &frame) const;


  LatticeMap m_lat;
  std::vector<DefectTemplate> m_templates;
  LatticeSymmetry m_sym;
  double m_itol, m_rc;
};

/// Minimum-image separation b - a in a (possibly triclinic) periodic box.
void minimum_image_delta(const kernels::BoxGeom &box, const double a[3], const double b[3], double d[3]);

}    // namespace reval
