/// @file dump_reader.h
/// Reader of LAMMPS text dump files (dump atom/custom): frame by frame, columns by name.
/// Used by compute force/error to take reference forces from a dump ("ref file").
/// Parsing is strict: every atom value must be a complete decimal or floating-point token with a
/// finite value (no nan, inf, hex or trailing characters), a column named "id" must hold positive
/// integers (at most max_id()) that are unique within a frame, and column names must be unique.
/// Errors name the file, the line and, for values, the field and its column.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace reval {

struct DumpFrame {
  int64_t timestep = -1;
  int64_t natoms = 0;
  std::vector<std::string> columns;    ///< names from "ITEM: ATOMS ..."
  std::vector<double> values;          ///< natoms x columns, row-major
  /// Column index of `name`, or -1.
  int column(const std::string &name) const;
  double at(int64_t row, int col) const { return values[row * columns.size() + col]; }
};

class DumpReader {
 public:
  /// Largest atom ID accepted by default: 2^53, the largest integer up to which every integer is
  /// exact in the doubles that hold the values.
  static constexpr int64_t MAX_EXACT_ID = int64_t(1) << 53;

  /// Opens the file; throws reval::Error if it cannot be read.
  explicit DumpReader(const std::string &path);
  /// Reads the next frame into f; false at the end of the file. Throws reval::Error on a malformed
  /// or truncated frame or a bad value, naming the file and line.
  bool next(DumpFrame &f);
  /// Reads frames until the one with `timestep` (rewinding once to the start if it lies behind);
  /// false if the file has no such frame.
  bool seek(int64_t timestep, DumpFrame &f);
  const std::string &path() const { return m_path; }
  /// Atom IDs (column "id") must be in 1..max_id (e.g. the largest tagint of a LAMMPS build).
  void set_max_id(int64_t max_id) { m_max_id = max_id < MAX_EXACT_ID ? max_id : MAX_EXACT_ID; }
  int64_t max_id() const { return m_max_id; }

 private:
  bool read_frame(DumpFrame &f, bool parse_atoms);
  std::string m_path;
  std::ifstream m_in;
  long m_line = 0;
  int64_t m_max_id = MAX_EXACT_ID;
};

/// Strict number syntax shared by the parsers: the whole of `token` is [+-]digits[.digits][(e|E)[+-]digits]
/// (or [+-].digits...) and its value is finite; false otherwise (value untouched).
bool parse_finite_double(const std::string &token, double &value);
/// The whole of `token` is [+]digits with a value in 0..max; false otherwise.
bool parse_bounded_integer(const std::string &token, int64_t max, int64_t &value);

}    // namespace reval
