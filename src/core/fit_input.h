/// @file fit_input.h
/// The input file of reval-fit: FitSNAP's INI format (sections [BISPECTRUM], [CALCULATOR], [ESHIFT],
/// [SOLVER], [RIDGE], [SCRAPER], [PATH], [OUTFILE], [GROUPS]) plus REVAL's own section [REVAL], so
/// that FitSNAP users reuse their files. doc/reval_fit.md documents every key line by line.
///
/// Parsing is strict: an unknown section or key, a key FitSNAP has but reval-fit does not support
/// (another calculator or scraper, smartweights, a reference potential, ...), a duplicate key or a bad
/// value is an Error naming the file, the line, the section and the key. Lines are `key = value`;
/// `#` and `;` start comments; keys are case-sensitive as in FitSNAP (section names are not).
#pragma once

#include "core/snap_descriptor.h"

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace reval {

/// One training group ([GROUPS] line `name = training_size testing_size eweight fweight vweight`):
/// the configurations of dataPath/NAME.xyz or of the .xyz files in the folder dataPath/NAME.
/// Sizes <= 1 are fractions of the group's configurations, larger values are counts (as FitSNAP).
struct FitGroup {
  std::string name;
  double training_size = 1.0, testing_size = 0.0;
  double eweight = 1.0, fweight = 1.0, vweight = 0.0;
};

/// Where the static sites of a group's configurations come from for the rare-event (RE) rule
/// (compute re/atom's migrating-atom rule on static sites).
struct FitSites {
  enum class Kind { none, lattice, file };
  Kind kind = Kind::none;
  std::string lattice;      ///< diamond, fcc, bcc, sc (kind lattice)
  double a = 0.0;           ///< lattice constant (Å)
  std::string file;         ///< site file (kind file), read as compute vacancy/sites' `sites file`; a
                            ///< relative path is taken relative to the input file's folder
};

struct FitInput {
  std::string path;                        ///< the input file (for messages)
  SnapParams snap;                         ///< [BISPECTRUM] (elements from `type`)
  int quadraticflag = 0;                   ///< [BISPECTRUM] quadraticflag
  bool use_energy = true, use_force = true, use_stress = false;    ///< [CALCULATOR]
  std::map<std::string, double> eshift;    ///< [ESHIFT] element -> energy per atom (eV)
  enum class Solver { svd, ridge };
  Solver solver = Solver::svd;             ///< [SOLVER] solver
  bool compute_testerrs = true, detailed_errors = true;
  double ridge_alpha = 0.0;                ///< [RIDGE] alpha
  std::string data_path = ".";             ///< [PATH] dataPath (relative to the input file's folder)
  std::string metrics_file, potential_name;    ///< [OUTFILE] metrics, potential
  std::vector<FitGroup> groups;            ///< [GROUPS], in file order
  bool random_sampling = false;            ///< [GROUPS] random_sampling
  // [REVAL]
  double re_fweight = 1.0;                 ///< force-row weight factor on RE (migrating) atoms
  double re_dre = 0.75;                    ///< migrating rule: d2 - d1 < re_dre (Å), as compute re/atom
  bool re_pairs_any = true;                ///< re_pairs any (default) | neighbours
  FitSites re_sites;                       ///< default sites of every group
  std::map<std::string, FitSites> re_sites_group;    ///< re_sites.GROUP overrides
  int committee = 0;                       ///< number of bootstrap members (0: one fit, no committee)
  uint64_t seed = 12345;                   ///< random_sampling and bootstrap resamples

  /// The sites of `group` (its override, else the default).
  const FitSites &sites_of(const std::string &group) const;
};

/// Reads and validates an input file. Throws reval::Error naming file, line, section and key.
FitInput read_fit_input(const std::string &path);
/// Reads from a stream; `path` is used for messages and to resolve dataPath.
FitInput read_fit_input(std::istream &in, const std::string &path);

}    // namespace reval
