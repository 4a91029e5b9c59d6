#include "core/extxyz.h"

#include "core/dump_reader.h"    // parse_finite_double, parse_bounded_integer
#include "core/error.h"
#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <istream>
#include <ostream>
#include <sstream>

namespace reval {

namespace {

const char *const kElements[] = {
    "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si", "P",  "S",  "Cl", "Ar",
    "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr",
    "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I",  "Xe",
    "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf",
    "Ta", "W",  "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th",
    "Pa", "U",  "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf", "Db", "Sg", "Bh", "Hs",
    "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og"};

/// Reader state: file name, frame and line for the messages.
struct Where {
  const std::string &name;
  int frame = 0;
  long line = 0;
  [[noreturn]] void fail(const std::string &what) const
  {
    throw Error(name + ": frame " + std::to_string(frame) + " (line " + std::to_string(line) + "): " + what);
  }
};

/// key=value pairs of the comment line; values "quoted" (with \" escapes) or bare; a bare key means T.
std::vector<std::pair<std::string, std::string>> parse_comment(const std::string &s, const Where &w)
{
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  const size_t n = s.size();
  auto skip_ws = [&]() {
    while (i < n && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  };
  auto read_value = [&](std::string &v) {
    if (i < n && s[i] == '"') {
      ++i;
      while (i < n && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < n) ++i;
        v += s[i++];
      }
      if (i == n) w.fail("unterminated quote in the comment line");
      ++i;
    } else {
      while (i < n && !std::isspace(static_cast<unsigned char>(s[i]))) v += s[i++];
    }
  };
  for (skip_ws(); i < n; skip_ws()) {
    std::string key;
    while (i < n && s[i] != '=' && !std::isspace(static_cast<unsigned char>(s[i]))) key += s[i++];
    skip_ws();
    std::string value = "T";
    if (i < n && s[i] == '=') {
      ++i;
      skip_ws();
      value.clear();
      read_value(value);
    }
    if (key.empty()) w.fail("empty key in the comment line");
    out.emplace_back(key, value);
  }
  return out;
}

struct Column {
  std::string name;
  char type;
  int count;
};

std::vector<Column> parse_properties(const std::string &spec, const Where &w)
{
  std::vector<std::string> parts;
  std::string cur;
  for (char c : spec) {
    if (c == ':') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  if (parts.size() % 3 != 0) w.fail("Properties must be name:type:count triples, got '" + spec + "'");
  std::vector<Column> cols;
  for (size_t k = 0; k < parts.size(); k += 3) {
    const std::string type = parts[k + 1];
    int64_t count = 0;
    if (type.size() != 1 || std::string("SRIL").find(type[0]) == std::string::npos)
      w.fail("Properties: type of '" + parts[k] + "' must be S, R, I or L, got '" + type + "'");
    if (!parse_bounded_integer(parts[k + 2], 1000, count) || count < 1)
      w.fail("Properties: count of '" + parts[k] + "' must be a positive integer, got '" + parts[k + 2] + "'");
    const std::string low = text::to_lower(parts[k]);
    const std::string name = (low == "pos" || low == "species" || low == "forces") ? low : parts[k];
    for (const Column &c : cols)
      if (c.name == name) w.fail("Properties: column '" + name + "' given twice");
    cols.push_back({name, type[0], static_cast<int>(count)});
  }
  auto need = [&](const char *name, char type, int count) {
    for (const Column &c : cols)
      if (c.name == name) {
        if (c.type != type || c.count != count)
          w.fail(std::string("Properties: '") + name + "' must be " + type + ":" + std::to_string(count));
        return;
      }
    if (std::string(name) != "forces") w.fail(std::string("Properties must include '") + name + "'");
  };
  need("species", 'S', 1);
  need("pos", 'R', 3);
  need("forces", 'R', 3);
  return cols;
}

void check_cell(const double h[9], const Where &w)
{
  for (int k = 0; k < 9; ++k)
    if (!std::isfinite(h[k])) w.fail("Lattice holds a non-finite value");
  const double det = h[0] * (h[4] * h[8] - h[5] * h[7]) - h[1] * (h[3] * h[8] - h[5] * h[6]) +
      h[2] * (h[3] * h[7] - h[4] * h[6]);
  double scale = 0.0;
  for (int r = 0; r < 3; ++r) scale = std::max(scale, std::sqrt(h[3 * r] * h[3 * r] + h[3 * r + 1] * h[3 * r + 1] +
                                                                h[3 * r + 2] * h[3 * r + 2]));
  if (!(std::fabs(det) > 1e-10 * scale * scale * scale))
    w.fail("Lattice vectors are linearly dependent (zero cell volume)");
}

void apply_comment(XyzFrame &f, const std::vector<std::pair<std::string, std::string>> &kv, std::string &props,
                   const Where &w)
{
  bool lattice = false;
  props = "species:S:1:pos:R:3";
  for (const auto &p : kv) {
    const std::string key = text::to_lower(p.first);
    if (key == "lattice") {
      const auto v = text::words(p.second);
      if (v.size() != 9) w.fail("Lattice must hold 9 numbers, got " + std::to_string(v.size()));
      for (int k = 0; k < 9; ++k)
        if (!parse_finite_double(v[k], f.cell[k])) w.fail("Lattice value '" + v[k] + "' is not a finite number");
      lattice = true;
    } else if (key == "properties") {
      props = p.second;
    } else if (key == "energy") {
      if (!parse_finite_double(p.second, f.energy)) w.fail("energy '" + p.second + "' is not a finite number");
      f.has_energy = true;
    } else if (key == "pbc") {
      const auto v = text::words(p.second);
      if (v.size() != 3) w.fail("pbc must hold 3 flags (T/F), got '" + p.second + "'");
      for (int d = 0; d < 3; ++d) {
        const std::string b = text::to_lower(v[d]);
        if (b == "t" || b == "true" || b == "1") f.pbc[d] = true;
        else if (b == "f" || b == "false" || b == "0") f.pbc[d] = false;
        else w.fail("pbc flag '" + v[d] + "' must be T or F");
      }
    } else {
      f.info[p.first] = p.second;
    }
  }
  if (!lattice) w.fail("no Lattice=\"...\" on the comment line (a periodic cell is required)");
  check_cell(f.cell, w);
}

void read_atoms(std::istream &in, XyzFrame &f, const std::vector<Column> &cols, int64_t n, Where &w)
{
  // rows are appended as they are read: a count larger than the file never allocates for the count
  int width = 0;
  for (const Column &c : cols) {
    width += c.count;
    if (c.name != "species" && c.name != "pos" && c.name != "forces" && (c.type == 'R' || c.type == 'I'))
      f.array_width[c.name] = c.count;
  }
  std::string line;
  for (int64_t i = 0; i < n; ++i) {
    if (!std::getline(in, line))
      w.fail("file ends after " + std::to_string(i) + " of " + std::to_string(n) + " atom rows");
    ++w.line;
    const auto tok = text::words(line);
    if (static_cast<int>(tok.size()) != width)
      w.fail("atom row " + std::to_string(i + 1) + " has " + std::to_string(tok.size()) + " columns, Properties need " +
             std::to_string(width));
    int at = 0;
    for (const Column &c : cols) {
      for (int k = 0; k < c.count; ++k, ++at) {
        const std::string &t = tok[at];
        if (c.name == "species") {
          if (!is_element_symbol(t)) w.fail("atom " + std::to_string(i + 1) + ": unknown element '" + t + "'");
          f.species.push_back(t);
          continue;
        }
        if (c.type == 'S' || c.type == 'L') continue;    // other text/logical columns: not kept
        double v = 0.0;
        if (!parse_finite_double(t, v))
          w.fail("atom " + std::to_string(i + 1) + ": " + c.name + " value '" + t + "' is not a finite number");
        if (c.name == "pos") f.pos.push_back(v);
        else if (c.name == "forces") f.forces.push_back(v);
        else f.arrays[c.name].push_back(v);
      }
    }
  }
}

}    // namespace

bool is_element_symbol(const std::string &symbol)
{
  return std::find_if(std::begin(kElements), std::end(kElements),
                      [&](const char *e) { return symbol == e; }) != std::end(kElements);
}

std::vector<XyzFrame> read_extxyz(std::istream &in, const std::string &name)
{
  std::vector<XyzFrame> frames;
  Where w{name};
  std::string line;
  while (std::getline(in, line)) {
    ++w.line;
    if (text::words(line).empty()) continue;
    int64_t n = 0;
    const auto head = text::words(line);
    if (head.size() != 1 || !parse_bounded_integer(head[0], int64_t(1) << 31, n) || n < 1)
      w.fail("the first line of a frame must be a positive atom count, got '" + line + "'");
    if (!std::getline(in, line)) w.fail("file ends before the comment line");
    ++w.line;
    XyzFrame f;
    std::string props;
    apply_comment(f, parse_comment(line, w), props, w);
    read_atoms(in, f, parse_properties(props, w), n, w);
    frames.push_back(std::move(f));
    ++w.frame;
  }
  if (frames.empty()) throw Error(name + ": no frame (empty extended XYZ file)");
  return frames;
}

std::vector<XyzFrame> read_extxyz(const std::string &path)
{
  std::ifstream in(path);
  if (!in) throw Error("cannot open extended XYZ file '" + path + "'");
  return read_extxyz(in, path);
}

namespace {
using text::g17;
std::string quoted(const std::string &v)
{
  bool plain = !v.empty();
  for (char c : v) plain = plain && !std::isspace(static_cast<unsigned char>(c)) && c != '"' && c != '=';
  if (plain) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}
}    // namespace

void write_extxyz(std::ostream &out, const XyzFrame &f)
{
  const int n = f.natoms();
  if (static_cast<int>(f.pos.size()) != 3 * n || (!f.forces.empty() && static_cast<int>(f.forces.size()) != 3 * n))
    throw Error("write_extxyz: positions/forces do not match the number of species");
  out << n << "\nLattice=\"";
  for (int k = 0; k < 9; ++k) out << (k ? " " : "") << g17(f.cell[k]);
  out << "\" Properties=species:S:1:pos:R:3" << (f.forces.empty() ? "" : ":forces:R:3");
  for (const auto &a : f.arrays) out << ":" << a.first << ":R:" << f.array_width.at(a.first);
  if (f.has_energy) out << " energy=" << g17(f.energy);
  for (const auto &kv : f.info) out << " " << kv.first << "=" << quoted(kv.second);
  out << " pbc=\"" << (f.pbc[0] ? "T" : "F") << " " << (f.pbc[1] ? "T" : "F") << " " << (f.pbc[2] ? "T" : "F")
      << "\"\n";
  for (int i = 0; i < n; ++i) {
    out << f.species[i];
    for (int d = 0; d < 3; ++d) out << " " << g17(f.pos[3 * i + d]);
    if (!f.forces.empty())
      for (int d = 0; d < 3; ++d) out << " " << g17(f.forces[3 * i + d]);
    for (const auto &a : f.arrays) {
      const int wdt = f.array_width.at(a.first);
      for (int k = 0; k < wdt; ++k) out << " " << g17(a.second[static_cast<size_t>(i) * wdt + k]);
    }
    out << "\n";
  }
}

}    // namespace reval
