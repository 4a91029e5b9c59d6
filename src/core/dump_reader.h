/// @file dump_reader.h
/// Reader of LAMMPS text dump files (dump atom/custom): frame by frame, columns by name.
/// Used by compute force/error to take reference forces from a dump ("ref file").
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
  /// Opens the file; throws reval::Error if it cannot be read.
  explicit DumpReader(const std::string &path);
  /// Reads the next frame into f; false at the end of the file. Throws reval::Error on a malformed
  /// or truncated frame, naming the file and line.
  bool next(DumpFrame &f);
  /// Reads frames until the one with `timestep` (rewinding once to the start if it lies behind);
  /// false if the file has no such frame.
  bool seek(int64_t timestep, DumpFrame &f);
  const std::string &path() const { return m_path; }

 private:
  bool read_frame(DumpFrame &f, bool parse_atoms);
  std::string m_path;
  std::ifstream m_in;
  long m_line = 0;
};

}    // namespace reval
