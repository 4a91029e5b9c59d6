/// @file extxyz.h
/// Extended XYZ (the ASE convention): the training-data format of reval-fit and the output of
/// fix re/harvest. One frame = a line with the atom count, a comment line of key=value pairs
/// (values may be "quoted"; `Lattice="ax ay az bx by bz cx cy cz"` rows = cell vectors in Å,
/// `Properties=name:type:count:...` the per-atom columns, type S string, R real, I integer, L logical;
/// `energy=E` in eV), then one row per atom. `species:S:1` and `pos:R:3` are required; `forces:R:3`
/// (eV/Å) is read when present. Other per-atom real/integer columns are kept by name; other comment
/// keys are kept as text.
///
/// Parsing is strict (parse_finite_double): a frame with a missing or non-numeric value, a row with
/// the wrong number of columns, a NaN, an unknown element or a degenerate cell is an Error naming the
/// file, the frame (0-based) and the line. Writing uses 17 significant digits: a frame written and
/// read back is bitwise the same.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace reval {

struct XyzFrame {
  double cell[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};    ///< rows a, b, c (Å)
  bool pbc[3] = {true, true, true};
  std::vector<std::string> species;                ///< element symbol of each atom
  std::vector<double> pos;                         ///< 3N Cartesian positions (Å)
  std::vector<double> forces;                      ///< 3N (eV/Å), empty if the frame has none
  bool has_energy = false;
  double energy = 0.0;                             ///< eV
  std::map<std::string, std::vector<double>> arrays;    ///< other numeric per-atom columns (N x count)
  std::map<std::string, int> array_width;               ///< their column counts
  std::map<std::string, std::string> info;              ///< other comment keys (text, unquoted)

  int natoms() const { return static_cast<int>(species.size()); }
  /// Component d (x, y, z) of cell vector v (a, b, c).
  double cell_vector(int v, int d) const { return cell[3 * v + d]; }
};

/// Reads every frame of an extended XYZ file. Throws reval::Error naming the file, frame and line.
std::vector<XyzFrame> read_extxyz(const std::string &path);
/// Reads frames from a stream (`name` is used in messages).
std::vector<XyzFrame> read_extxyz(std::istream &in, const std::string &name);

/// Writes one frame (full precision; species, pos, forces if any, then the other arrays in name
/// order; energy, pbc and info on the comment line).
void write_extxyz(std::ostream &out, const XyzFrame &f);

/// True if `symbol` is a chemical element symbol (Z = 1..118).
bool is_element_symbol(const std::string &symbol);

}    // namespace reval
