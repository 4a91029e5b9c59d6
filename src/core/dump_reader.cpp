#include "core/dump_reader.h"

#include "core/error.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <unordered_map>

namespace reval {

int DumpFrame::column(const std::string &name) const
{
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<int>(i);
  return -1;
}

DumpReader::DumpReader(const std::string &path) : m_path(path), m_in(path)
{
  if (!m_in) throw Error("cannot open dump file '" + path + "'");
}

bool parse_finite_double(const std::string &t, double &value)
{
  const size_t n = t.size();
  size_t i = 0;
  if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
  size_t digits = 0;
  while (i < n && std::isdigit(static_cast<unsigned char>(t[i]))) ++i, ++digits;
  if (i < n && t[i] == '.') {
    ++i;
    while (i < n && std::isdigit(static_cast<unsigned char>(t[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < n && std::isdigit(static_cast<unsigned char>(t[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != n) return false;
  const double v = std::strtod(t.c_str(), nullptr);    // the syntax above is a subset of strtod's
  if (!std::isfinite(v)) return false;
  value = v;
  return true;
}

bool parse_bounded_integer(const std::string &t, int64_t max, int64_t &value)
{
  size_t i = 0;
  if (i < t.size() && t[i] == '+') ++i;
  if (i == t.size()) return false;
  int64_t v = 0;
  for (; i < t.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return false;
    const int d = t[i] - '0';
    if (d > max || v > (max - d) / 10) return false;    // v * 10 + d > max, without overflow
    v = v * 10 + d;
  }
  value = v;
  return true;
}

namespace {
bool starts_with(const std::string &s, const char *p)
{
  return s.rfind(p, 0) == 0;
}

// Whitespace-separated tokens of a line (spaces, tabs, a trailing carriage return).
std::vector<std::string> tokens(const std::string &line)
{
  std::vector<std::string> out;
  size_t i = 0;
  const size_t n = line.size();
  while (i < n) {
    while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    if (i == n) break;
    size_t j = i;
    while (j < n && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

// The line of the value part of an ITEM: the first token, which must be the only one.
std::string single_token(const std::string &line)
{
  auto t = tokens(line);
  return t.size() == 1 ? t[0] : std::string();
}

std::string clip(const std::string &s)
{
  return s.size() <= 80 ? s : s.substr(0, 77) + "...";
}
}    // namespace

bool DumpReader::read_frame(DumpFrame &f, bool parse_atoms)
{
  std::string line;
  auto fail = [&](const std::string &what) {
    throw Error("dump file " + m_path + " line " + std::to_string(m_line) + ": " + what);
  };
  auto getline = [&]() -> bool {
    if (!std::getline(m_in, line)) return false;
    ++m_line;
    return true;
  };
  const int64_t kMaxInt64 = std::numeric_limits<int64_t>::max();
  // skip to the next "ITEM: TIMESTEP"
  bool found = false;
  while (getline()) {
    if (starts_with(line, "ITEM: TIMESTEP")) {
      found = true;
      break;
    }
    if (line.find_first_not_of(" \t\r") != std::string::npos && !starts_with(line, "ITEM:"))
      fail("expected 'ITEM: TIMESTEP', found '" + clip(line) + "'");
  }
  if (!found) return false;
  if (!getline()) fail("truncated frame (no timestep)");
  int64_t step = 0;
  if (!parse_bounded_integer(single_token(line), kMaxInt64, step))
    fail("'" + clip(line) + "' is not a timestep (an integer >= 0)");
  f.timestep = step;
  f.natoms = -1;
  f.columns.clear();
  while (getline()) {
    if (starts_with(line, "ITEM: NUMBER OF ATOMS")) {
      if (!getline()) fail("truncated frame (no atom count)");
      int64_t n = 0;
      if (!parse_bounded_integer(single_token(line), kMaxInt64, n))
        fail("'" + clip(line) + "' is not an atom count (an integer >= 0)");
      f.natoms = n;
    } else if (starts_with(line, "ITEM: BOX BOUNDS")) {
      for (int k = 0; k < 3; ++k)
        if (!getline()) fail("truncated box bounds");
    } else if (starts_with(line, "ITEM: ATOMS")) {
      f.columns = tokens(line.substr(11));
      for (size_t a = 0; a < f.columns.size(); ++a)
        for (size_t b = 0; b < a; ++b)
          if (f.columns[a] == f.columns[b]) fail("column '" + clip(f.columns[a]) + "' appears twice in 'ITEM: ATOMS'");
      break;
    } else if (starts_with(line, "ITEM:")) {
      if (!getline()) fail("truncated frame");    // ITEM: TIME, ITEM: UNITS, ...: one value line
    } else {
      fail("unexpected line '" + clip(line) + "'");
    }
  }
  if (f.natoms < 0) fail("frame of timestep " + std::to_string(f.timestep) + " has no 'ITEM: NUMBER OF ATOMS'");
  if (f.columns.empty()) fail("frame of timestep " + std::to_string(f.timestep) + " has no 'ITEM: ATOMS' columns");
  const size_t nc = f.columns.size();
  const int id_col = f.column("id");
  f.values.clear();
  // no allocation from the (untrusted) atom count: rows are appended as they are read
  std::unordered_map<int64_t, long> id_line;
  for (int64_t i = 0; i < f.natoms; ++i) {
    if (!getline()) fail("truncated frame of timestep " + std::to_string(f.timestep) + ": " + std::to_string(i) +
                         " of " + std::to_string(f.natoms) + " atom lines");
    if (!parse_atoms) continue;
    const auto t = tokens(line);
    if (t.size() < nc) fail("atom line has fewer than " + std::to_string(nc) + " numbers: '" + clip(line) + "'");
    if (t.size() > nc) fail("atom line has more than " + std::to_string(nc) + " values: '" + clip(line) + "'");
    for (size_t c = 0; c < nc; ++c) {
      const std::string field = "field " + std::to_string(c + 1) + " (" + f.columns[c] + ")";
      double v = 0.0;
      if (static_cast<int>(c) == id_col) {
        int64_t id = 0;
        if (!parse_bounded_integer(t[c], m_max_id, id) || id < 1)
          fail(field + ": '" + clip(t[c]) + "' is not an atom ID (an integer from 1 to " + std::to_string(m_max_id) +
               ")");
        auto ins = id_line.emplace(id, m_line);
        if (!ins.second)
          fail(field + ": atom ID " + std::to_string(id) + " appears twice in the frame of timestep " +
               std::to_string(f.timestep) + " (first on line " + std::to_string(ins.first->second) + ")");
        v = static_cast<double>(id);
      } else if (!parse_finite_double(t[c], v)) {
        fail(field + ": '" + clip(t[c]) + "' is not a finite decimal number");
      }
      f.values.push_back(v);
    }
  }
  return true;
}

bool DumpReader::next(DumpFrame &f)
{
  return read_frame(f, true);
}

bool DumpReader::seek(int64_t timestep, DumpFrame &f)
{
  for (int pass = 0; pass < 2; ++pass) {
    DumpFrame head;
    while (true) {
      std::streampos pos = m_in.tellg();
      long line = m_line;
      if (!read_frame(head, false)) break;
      if (head.timestep == timestep) {
        m_in.clear();
        m_in.seekg(pos);
        m_line = line;
        return read_frame(f, true);
      }
    }
    m_in.clear();
    m_in.seekg(0);
    m_line = 0;
  }
  return false;
}

}    // namespace reval
