/// @file fit_data.h
/// reval-fit's training data: the configurations of each [GROUPS] group read from extended XYZ,
/// split into training and testing sets, with their weights and rare-event (RE) atom labels, and the
/// bootstrap resamples of committee fits. Portable and deterministic: the random choices use
/// reval::SplitMix64 (core/splitmix64.h).
#pragma once

#include "core/extxyz.h"
#include "core/fit_input.h"
#include "core/splitmix64.h"

#include <cstdint>
#include <string>
#include <vector>

namespace reval {

/// eV/A^3 -> bar, the factor FitSNAP applies to the virial rows (LAMMPS metal units' nktv2p): stress
/// rows and stress metrics of reval-fit are in bar.
constexpr double kFitSnapBar = 1.6021765e6;

/// Volume of a frame's cell (A^3, |det|).
double frame_volume(const XyzFrame &f);

struct FitConfig {
  XyzFrame frame;
  std::string source;         ///< "file: frame k" (for messages and the metrics report)
  int group = 0;              ///< index into FitInput::groups
  bool training = true;       ///< false: testing set
  std::vector<int> re;        ///< per atom 1 if migrating (RE), empty if the group has no sites
  /// Stress (ASE convention: eV/A^3, positive under tension, = -pressure), Voigt order xx yy zz yz xz xy;
  /// read only when [CALCULATOR] stress = 1 (from the frame's stress= or virial= key), else empty.
  std::vector<double> stress;
};

/// The stress of `f` (6 values, Voigt xx yy zz yz xz xy, eV/A^3, ASE sign) from its comment key
/// `stress` (9 values row by row, or 6 in Voigt order, eV/A^3, as ASE writes it) or, if there is none,
/// `virial` (9 or 6 values, eV; stress = -virial / volume). Keys are matched case-insensitively.
/// Returns false if the frame has neither; throws reval::Error naming `where` and the key if a value
/// is malformed.
bool frame_stress(const XyzFrame &f, const std::string &where, double stress[6]);

/// The files of a group: dataPath/NAME.xyz, or every *.xyz in the folder dataPath/NAME (sorted by name).
/// Throws reval::Error naming the group if neither exists or the folder holds no .xyz file.
std::vector<std::string> group_files(const FitInput &in, const FitGroup &g);

/// Training / testing counts of a group of n configurations: sizes <= 1 are fractions (rounded to
/// the nearest count), larger sizes are counts. Throws reval::Error naming the group if they exceed n.
void split_counts(const FitGroup &g, int n, int &ntrain, int &ntest);

/// Reads every group: configurations in file order (or shuffled with the input's seed when
/// random_sampling = 1), the first ntrain training, the next ntest testing, the rest unused. Checks
/// what a fit needs (energies when the energy is fitted, forces when forces are, stresses when stresses
/// are, elements among the [BISPECTRUM] types) and labels RE atoms where the group has sites. Errors name file and frame.
std::vector<FitConfig> load_fit_data(const FitInput &in);

/// Bootstrap resample `member` (0-based) of the training configurations: for each of the ntrain
/// training configurations the number of times it is drawn (ntrain draws with replacement), from a
/// generator seeded by (seed, member): the same committee for the same input on any machine.
std::vector<int> bootstrap_counts(int ntrain, uint64_t seed, int member);

}    // namespace reval
