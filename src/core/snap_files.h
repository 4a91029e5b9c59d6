/// @file snap_files.h
/// Readers of the SNAP potential files LAMMPS 29Sep2021 reads (plus the inner switching keywords of
/// LAMMPS 2022+, which REVAL's engine implements): pair snap's .snapparam and .snapcoeff,
/// ML-IAP's SNAP descriptor file (pair mliap ... descriptor sna FILE) and ML-IAP model files (model
/// linear / quadratic / nn FILE). They accept the files LAMMPS accepts, with the same defaults, and
/// are stricter where LAMMPS silently misreads: every malformed input (missing or extra values, wrong
/// counts, non-numbers, NaN/inf, unknown keywords or activations, truncation, lines longer than
/// LAMMPS' 1024-character buffer) throws reval::Error with a message "FILE:LINE: problem".
///
/// Common lexical rules (as LAMMPS): '#' starts a comment; words are separated by blanks, tabs and
/// quote characters; numbers are decimal (digits, '.', exponent), integers have no '.' or exponent.
#pragma once

#include "core/snap_descriptor.h"
#include "kernels/point/snap_model_kernels.hpp"

#include <istream>
#include <string>
#include <vector>

namespace reval {

/// Contents of a pair snap .snapparam file.
struct SnapParamFile {
  std::string path;
  double rcutfac = 0.0;    ///< required
  int twojmax = 0;         ///< required
  double rfac0 = 0.99363;
  double rmin0 = 0.0;
  int switchflag = 1;
  int bzeroflag = 1;
  int quadraticflag = 0;
  int chemflag = 0;
  int bnormflag = 0;
  int wselfallflag = 0;
  int switchinnerflag = 0;       ///< LAMMPS 2022+ inner switching function (REVAL's engine has it in any build)
  std::vector<double> sinner;    ///< "sinner v_1 .. v_n": one value per pair_coeff element (Å); only with switchinnerflag 1
  std::vector<double> dinner;    ///< "dinner v_1 .. v_n" likewise (Å, > 0)
  int chunksize = 32768;         ///< accepted and ignored (Kokkos tuning in LAMMPS)
  int parallelthresh = 8192;     ///< accepted and ignored (Kokkos tuning in LAMMPS)
};

/// One element block of a .snapcoeff file.
struct SnapCoeffBlock {
  std::string element;
  double radius = 0.0;    ///< radelem (dimensionless)
  double weight = 0.0;    ///< wjelem (dimensionless)
  std::vector<double> coeffs;    ///< ncoeffall values: beta0, linear block, [quadratic upper triangle]
  int line = 0;           ///< line of the "name radius weight" header (for messages)
};

/// Contents of a pair snap .snapcoeff file (all element blocks, in file order).
struct SnapCoeffFile {
  std::string path;
  int ncoeffall = 0;
  std::vector<SnapCoeffBlock> blocks;
  /// The block of element `name`, or nullptr.
  const SnapCoeffBlock *find(const std::string &name) const;
};

/// Contents of an ML-IAP "nn" model file.
struct MliapNNFile {
  std::string path;
  int nelements = 0;
  int nparams = 0;       ///< per element: sum over layers of (n_{l-1} + 1) n_l
  int ndescriptors = 0;
  std::vector<int> activation;    ///< per layer: kernels::SnapActivation (linear, sigmoid, tanh, relu)
  std::vector<int> nnodes;                 ///< per layer; the last layer has exactly 1 node
  std::vector<std::vector<double>> scale0;    ///< [element][descriptor]
  std::vector<std::vector<double>> scale1;    ///< [element][descriptor], nonzero
  std::vector<std::vector<double>> coeffs;    ///< [element][nparams], bias first per node
};

/// Contents of an ML-IAP "linear" or "quadratic" model file: nelements blocks of nparams values.
struct MliapSimpleModelFile {
  std::string path;
  int nelements = 0;
  int nparams = 0;
  std::vector<std::vector<double>> coeffs;    ///< [element][nparams]
};

/// Reads a .snapparam file. Keywords (LAMMPS 29Sep2021): rcutfac, twojmax (required), rfac0, rmin0,
/// switchflag, bzeroflag, quadraticflag, chemflag, bnormflag, wselfallflag, chunksize, parallelthresh;
/// and those of LAMMPS 2022+ (4Feb2025): switchinnerflag, sinner, dinner (one value per element of
/// pair_coeff, in its order: the count is checked by snap_params_from_files). As LAMMPS, switchinnerflag 1
/// needs both sinner and dinner and they are an error without it. Any other keyword is an error.
SnapParamFile read_snapparam(const std::string &path);
/// The same from a stream; `name` is used in messages.
SnapParamFile parse_snapparam(std::istream &in, const std::string &name);

/// Reads a .snapcoeff file: header "nelements ncoeffall", then per element a line "name radius
/// weight" followed by ncoeffall lines of one number each (no blank lines inside blocks, as LAMMPS).
SnapCoeffFile read_snapcoeff(const std::string &path);
SnapCoeffFile parse_snapcoeff(std::istream &in, const std::string &name);

/// Reads an ML-IAP SNAP descriptor file (keywords rcutfac, twojmax, nelems, elems, radelems, welems
/// required; rfac0, rmin0, switchflag, bzeroflag, chemflag, bnormflag, wselfallflag optional; LAMMPS
/// 2022+: switchinnerflag with sinnerelems and dinnerelems, nelems values each) into validated
/// SnapParams with the elements in file order.
SnapParams read_mliap_descriptor(const std::string &path);
SnapParams parse_mliap_descriptor(std::istream &in, const std::string &name);

/// Reads an ML-IAP nn model file ("nelements nparams", "NET nd nlayers act1 n1 ...", then per element
/// scale0, scale1 and the coefficients, each list possibly spread over lines of at most 30 values).
MliapNNFile read_mliap_nn(const std::string &path);
MliapNNFile parse_mliap_nn(std::istream &in, const std::string &name);

/// Reads an ML-IAP linear/quadratic model file ("nelements nparams", then one value per line).
MliapSimpleModelFile read_mliap_simple(const std::string &path);
MliapSimpleModelFile parse_mliap_simple(std::istream &in, const std::string &name);

/// Descriptor parameters of pair snap with the elements of `elements` (pair_coeff order: element
/// index = position in this list, which with chemflag also orders the B channels, as in LAMMPS).
/// Throws if an element has no block in the coefficient file, (chemflag) if the coefficient file
/// lists a different number of elements, or (switchinnerflag) if sinner / dinner do not have one
/// value per element of `elements` (as LAMMPS pair snap, whose element list is that of pair_coeff).
SnapParams snap_params_from_files(const SnapParamFile &param, const SnapCoeffFile &coeff,
                                  const std::vector<std::string> &elements);

/// Number of descriptors the coefficient file implies, decided as pair snap does: ncoeffall - 1
/// without quadraticflag; with quadraticflag n such that ncoeffall = 1 + n + n(n+1)/2 (throws if none).
int snap_ncoeff_from_file(const SnapParamFile &param, const SnapCoeffFile &coeff);

// ---- writers (reval-fit) ----

/// Writes a .snapparam file that LAMMPS pair snap (29Sep2021 and later) and pair_style snap/model read:
/// rcutfac, twojmax, rfac0, rmin0, switchflag, bzeroflag, quadraticflag, chemflag, bnormflag,
/// wselfallflag of `params`, every value explicit (%.17g: read back bitwise equal); with switchinnerflag
/// also "switchinnerflag 1", "sinner v_1 .. v_n", "dinner v_1 .. v_n" (params.elements order, which must
/// be the pair_coeff element order; LAMMPS 2022+ and snap/model read them, 29Sep2021 does not). `comment` lines
/// (without '#') are written first. Throws reval::Error if the file cannot be written.
void write_snapparam(std::ostream &out, const SnapParams &params, bool quadratic,
                     const std::vector<std::string> &comment = {});
void write_snapparam(const std::string &path, const SnapParams &params, bool quadratic,
                     const std::vector<std::string> &comment = {});

/// Writes a .snapcoeff file: a first comment line with the UNITS: metal tag LAMMPS checks, the
/// `comment` lines, "nelements ncoeffall", then per element (params.elements order) "name radius
/// weight" and its ncoeffall coefficients one per line (%.17g). `coeffs` holds nelements blocks of
/// ncoeffall = 1 + ncoeff (+ ncoeff (ncoeff + 1) / 2 with quadratic) values in the order
/// SnapCoeffBlock::coeffs has (beta0, linear, quadratic upper triangle). Throws reval::Error on a size
/// mismatch or a non-finite coefficient (LAMMPS would read it as garbage) or if the file cannot be written.
void write_snapcoeff(std::ostream &out, const SnapParams &params, bool quadratic, const std::vector<double> &coeffs,
                     const std::vector<std::string> &comment = {});
void write_snapcoeff(const std::string &path, const SnapParams &params, bool quadratic,
                     const std::vector<double> &coeffs, const std::vector<std::string> &comment = {});

/// File names of a committee of M members written by reval-fit for pair_style snap/model
/// (`pair_coeff * * committee M NAME_1.snapcoeff NAME.snapparam ... NAME_M.snapcoeff NAME.snapparam El...`):
/// NAME_m.snapcoeff, m = 1..M (1-based).
std::string committee_member_file(const std::string &name, int m);

}    // namespace reval
