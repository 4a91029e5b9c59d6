/// @file snap_pair_spec.h
/// The arguments of `pair_coeff * * ...` for pair_style snap/model (after the two type wildcards),
/// parsed without LAMMPS, and the potential built from the texts of the files they name:
///   COEFF PARAM El_1 .. El_ntypes                      linear/quadratic, as pair_style snap
///   (nn|linear|quadratic) MODEL DESCRIPTOR El_1 ..     ML-IAP model + SNAP descriptor files, as pair_style mliap
///   committee N <spec> x N El_1 ..                     N >= 2 members, each spec one of the two above
/// El_t is the element of atom type t, or NULL (type not handled, for pair_style hybrid).
#pragma once

#include "core/snap_models.h"

#include <memory>
#include <string>
#include <vector>

namespace reval {

struct SnapMemberSpec {
  /// "snap" (files = coeff, param) or an ML-IAP model kind "linear", "quadratic", "nn"
  /// (files = model, descriptor).
  std::string kind;
  std::vector<std::string> files;
};

struct SnapPairSpec {
  std::vector<SnapMemberSpec> members;        ///< 1 (single model) or N (committee)
  bool committee = false;
  std::vector<std::string> type_elements;     ///< ntypes names, "NULL" for unhandled types
  /// Distinct non-NULL names of type_elements in first-appearance order (element order of the
  /// pair snap form, as LAMMPS pair snap).
  std::vector<std::string> distinct_elements() const;
};

/// Parses the arguments (without the leading "* *"); throws reval::Error naming the problem.
SnapPairSpec parse_snap_pair_coeff(const std::vector<std::string> &args, int ntypes);

/// Builds one member from the texts of its two files (in the order of SnapMemberSpec::files) and,
/// for the pair snap form, the element names. Throws reval::Error ("FILE:LINE: problem").
SnapPotential build_snap_member(const SnapMemberSpec &spec, const std::string &text0, const std::string &text1,
                                const std::vector<std::string> &elements);

/// The element index of every type (index 1..ntypes; entry 0 unused): the position of the type's name
/// in the potential's element list, -1 for NULL. Throws naming a type whose element the potential
/// does not have.
std::vector<int> snap_type_map(const SnapPairSpec &spec, const SnapParams &params);

}    // namespace reval
