#include "core/dump_reader.h"

#include "core/error.h"

#include <cstdlib>
#include <sstream>

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

namespace {
bool starts_with(const std::string &s, const char *p)
{
  return s.rfind(p, 0) == 0;
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
  // skip to the next "ITEM: TIMESTEP"
  bool found = false;
  while (getline()) {
    if (starts_with(line, "ITEM: TIMESTEP")) {
      found = true;
      break;
    }
    if (line.find_first_not_of(" \t\r") != std::string::npos && !starts_with(line, "ITEM:"))
      fail("expected 'ITEM: TIMESTEP', found '" + line + "'");
  }
  if (!found) return false;
  if (!getline()) fail("truncated frame (no timestep)");
  char *end = nullptr;
  f.timestep = std::strtoll(line.c_str(), &end, 10);
  if (end == line.c_str()) fail("'" + line + "' is not a timestep");
  f.natoms = -1;
  f.columns.clear();
  while (getline()) {
    if (starts_with(line, "ITEM: NUMBER OF ATOMS")) {
      if (!getline()) fail("truncated frame (no atom count)");
      f.natoms = std::strtoll(line.c_str(), &end, 10);
      if (end == line.c_str() || f.natoms < 0) fail("'" + line + "' is not an atom count");
    } else if (starts_with(line, "ITEM: BOX BOUNDS")) {
      for (int k = 0; k < 3; ++k)
        if (!getline()) fail("truncated box bounds");
    } else if (starts_with(line, "ITEM: ATOMS")) {
      std::istringstream ls(line.substr(11));
      for (std::string w; ls >> w;) f.columns.push_back(w);
      break;
    } else if (starts_with(line, "ITEM:")) {
      if (!getline()) fail("truncated frame");    // ITEM: TIME, ITEM: UNITS, ...: one value line
    } else {
      fail("unexpected line '" + line + "'");
    }
  }
  if (f.natoms < 0) fail("frame of timestep " + std::to_string(f.timestep) + " has no 'ITEM: NUMBER OF ATOMS'");
  if (f.columns.empty()) fail("frame of timestep " + std::to_string(f.timestep) + " has no 'ITEM: ATOMS' columns");
  const size_t nc = f.columns.size();
  f.values.clear();
  if (parse_atoms) f.values.resize(static_cast<size_t>(f.natoms) * nc);
  for (int64_t i = 0; i < f.natoms; ++i) {
    if (!getline()) fail("truncated frame of timestep " + std::to_string(f.timestep) + ": " + std::to_string(i) +
                         " of " + std::to_string(f.natoms) + " atom lines");
    if (!parse_atoms) continue;
    const char *p = line.c_str();
    for (size_t c = 0; c < nc; ++c) {
      double v = std::strtod(p, &end);
      if (end == p) fail("atom line has fewer than " + std::to_string(nc) + " numbers: '" + line + "'");
      f.values[i * nc + c] = v;
      p = end;
    }
    while (*p == ' ' || *p == '\t' || *p == '\r') ++p;
    if (*p) fail("atom line has more than " + std::to_string(nc) + " values: '" + line + "'");
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
