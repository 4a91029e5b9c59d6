/// @file snap_files.cpp
/// Strict readers of SNAP / ML-IAP potential files (see snap_files.h). Formats and defaults follow
/// LAMMPS 29Sep2021 (ML-SNAP/pair_snap.cpp read_files, ML-IAP/mliap_descriptor_snap.cpp
/// read_paramfile, ML-IAP/mliap_model.cpp and mliap_model_nn.cpp read_coeffs), the inner switching
/// keywords (switchinnerflag, sinner/dinner, sinnerelems/dinnerelems) LAMMPS 4Feb2025; the code is REVAL's own.
#include "core/snap_files.h"

#include "core/error.h"
#include "core/text.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

namespace reval {

namespace {

// LAMMPS reads lines with fgets into a 1024-byte buffer: 1022 characters plus the newline fit;
// a longer line is split and misread there, so it is an error here.
constexpr std::size_t kMaxLineChars = 1022;

// Storage follows the values actually read, never a count in a header: a hostile or truncated file
// ("1000 10000000") must end with "file ends early", not with gigabytes allocated up front.
constexpr std::size_t kMaxReserve = 4096;
inline std::size_t reserve_for(long long n)
{
  return n <= 0 ? 0 : static_cast<std::size_t>(std::min<long long>(n, kMaxReserve));
}

class LineReader {
 public:
  LineReader(std::istream &in, std::string name) : m_in(in), m_name(std::move(name)) {}

  /// Next raw line; false at the end of the input.
  bool next(std::string &line)
  {
    if (!std::getline(m_in, line)) return false;
    ++m_line;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() > kMaxLineChars)
      fail("line is " + std::to_string(line.size()) + " characters long; LAMMPS reads at most " +
           std::to_string(kMaxLineChars) + " per line and would misread it");
    if (line.find('\0') != std::string::npos) fail("line contains a NUL character (binary file?)");
    return true;
  }

  /// Next line with at least one word (comments stripped); false at the end.
  bool next_words(std::vector<std::string> &words)
  {
    std::string line;
    while (next(line)) {
      words = split(line);
      if (!words.empty()) return true;
    }
    return false;
  }

  /// True if only blank or comment lines remain; otherwise remembers the offending line.
  void expect_end(const std::string &after)
  {
    std::vector<std::string> words;
    if (next_words(words))
      fail("unexpected content '" + shorten(join(words)) + "' after " + after);
  }

  static std::vector<std::string> split(const std::string &line)
  {
    std::vector<std::string> words;
    const std::size_t hash = line.find('#');
    const std::string body = hash == std::string::npos ? line : line.substr(0, hash);
    static const char *seps = " \t\n\r\f\v'\"";
    std::size_t pos = 0;
    while (true) {
      pos = body.find_first_not_of(seps, pos);
      if (pos == std::string::npos) break;
      std::size_t end = body.find_first_of(seps, pos);
      if (end == std::string::npos) end = body.size();
      words.push_back(body.substr(pos, end - pos));
      pos = end;
    }
    return words;
  }

  static std::string join(const std::vector<std::string> &w)
  {
    std::string s;
    for (const auto &x : w) s += (s.empty() ? "" : " ") + x;
    return s;
  }

  static std::string shorten(const std::string &s)
  {
    return s.size() <= 60 ? s : s.substr(0, 57) + "...";
  }

  [[noreturn]] void fail(const std::string &what) const { fail_at(m_line, what); }
  [[noreturn]] void fail_at(int line, const std::string &what) const
  {
    throw Error(m_name + ":" + std::to_string(line) + ": " + what);
  }
  [[noreturn]] void fail_eof(const std::string &expected) const
  {
    throw Error(m_name + ":" + std::to_string(m_line) + ": file ends early (truncated?): expected " + expected);
  }

  double number(const std::string &w, const std::string &what) const
  {
    double v;
    if (!parse_double(w, v)) {
      if (looks_numeric(w))
        fail(what + " is '" + shorten(w) + "', which is not a finite number");
      fail("expected a number for " + what + ", found '" + shorten(w) + "'");
    }
    return v;
  }

  int integer(const std::string &w, const std::string &what) const
  {
    int v;
    if (!parse_int(w, v)) fail("expected an integer for " + what + ", found '" + shorten(w) + "'");
    return v;
  }

  int line() const { return m_line; }

 private:
  static bool looks_numeric(const std::string &w)
  {
    return !w.empty() && w.find_first_not_of("0123456789+-.eE") == std::string::npos;
  }

  static bool parse_double(const std::string &w, double &v)
  {
    if (!looks_numeric(w)) return false;    // rejects nan, inf, hex floats
    errno = 0;
    char *end = nullptr;
    v = std::strtod(w.c_str(), &end);
    if (end != w.c_str() + w.size()) return false;
    return std::isfinite(v);
  }

  static bool parse_int(const std::string &w, int &v)
  {
    std::size_t i = (!w.empty() && (w[0] == '+' || w[0] == '-')) ? 1 : 0;
    if (i >= w.size() || w.find_first_not_of("0123456789", i) != std::string::npos) return false;
    errno = 0;
    const long long x = std::strtoll(w.c_str(), nullptr, 10);
    if (errno == ERANGE || x < INT_MIN || x > INT_MAX) return false;
    v = static_cast<int>(x);
    return true;
  }

  std::istream &m_in;
  std::string m_name;
  int m_line = 0;
};

std::ifstream open_or_throw(const std::string &path, const char *what)
{
  std::ifstream in(path);
  if (!in) throw Error("cannot open " + std::string(what) + " '" + path + "'");
  return in;
}

int flag_value(LineReader &r, const std::string &key, const std::string &val)
{
  const int v = r.integer(val, key);
  if (v != 0 && v != 1) r.fail(key + " must be 0 or 1, got " + val);
  return v;
}

/// The SNAP hyperparameters that .snapparam and ML-IAP descriptor files share (into SnapParamFile or
/// SnapParams); false if `key` is not one of them.
template <class Params>
bool parse_snap_hyperparameter(LineReader &r, const std::string &key, const std::string &val, Params &p)
{
  if (key == "rcutfac") {
    p.rcutfac = r.number(val, key);
    if (p.rcutfac <= 0.0) r.fail("rcutfac must be positive, got " + val);
  } else if (key == "twojmax") {
    p.twojmax = r.integer(val, key);
    if (p.twojmax < 0 || p.twojmax > 30) r.fail("twojmax must be in 0..30, got " + val);
  } else if (key == "rfac0") {
    p.rfac0 = r.number(val, key);
    if (p.rfac0 <= 0.0 || p.rfac0 > 1.0) r.fail("rfac0 must be in (0, 1], got " + val);
  } else if (key == "rmin0") {
    p.rmin0 = r.number(val, key);
    if (p.rmin0 < 0.0) r.fail("rmin0 must be >= 0, got " + val);
  } else if (key == "switchflag") {
    p.switchflag = flag_value(r, key, val);
  } else if (key == "bzeroflag") {
    p.bzeroflag = flag_value(r, key, val);
  } else if (key == "chemflag") {
    p.chemflag = flag_value(r, key, val);
  } else if (key == "bnormflag") {
    p.bnormflag = flag_value(r, key, val);
  } else if (key == "wselfallflag") {
    p.wselfallflag = flag_value(r, key, val);
  } else if (key == "switchinnerflag") {
    p.switchinnerflag = flag_value(r, key, val);
  } else {
    return false;
  }
  return true;
}

/// Values 1.. of a per-element inner switching line ("sinner v_1 .. v_n"): finite numbers, dinner > 0.
std::vector<double> inner_values(LineReader &r, const std::vector<std::string> &w)
{
  const std::string &key = w[0];
  const bool width = key[0] == 'd';
  std::vector<double> v;
  for (std::size_t k = 1; k < w.size(); ++k) {
    v.push_back(r.number(w[k], key + " value " + std::to_string(k)));
    if (width && v.back() <= 0.0) r.fail(key + " values must be positive (half widths, Å), got " + w[k]);
  }
  return v;
}

/// The LAMMPS rules of the inner switching keywords at the end of a file: switchinnerflag 1 needs
/// both lists, the lists need switchinnerflag 1.
void check_inner_keywords(const std::string &name, int switchinnerflag, const std::map<std::string, int> &seen,
                          const char *skey, const char *dkey)
{
  const bool s = seen.count(skey) > 0, d = seen.count(dkey) > 0;
  if (switchinnerflag && !(s && d))
    throw Error(name + ": switchinnerflag 1 needs both " + skey + " and " + dkey + " (missing: " +
                (s ? std::string(dkey) : d ? std::string(skey) : std::string(skey) + " and " + dkey) + ")");
  if (!switchinnerflag && (s || d)) {
    const char *k = s ? skey : dkey;
    throw Error(name + ":" + std::to_string(seen.at(k)) + ": " + k +
                " is given but switchinnerflag is not 1 (LAMMPS refuses it: add 'switchinnerflag 1' or remove it)");
  }
}

}    // namespace

// ---------------------------------------------------------------------------------------- snapparam

SnapParamFile read_snapparam(const std::string &path)
{
  std::ifstream in = open_or_throw(path, "SNAP parameter file");
  SnapParamFile p = parse_snapparam(in, path);
  p.path = path;
  return p;
}

SnapParamFile parse_snapparam(std::istream &in, const std::string &name)
{
  LineReader r(in, name);
  SnapParamFile p;
  p.path = name;
  std::map<std::string, int> seen;
  std::vector<std::string> w;
  while (r.next_words(w)) {
    const std::string &key = w[0];
    auto it = seen.find(key);
    if (it != seen.end())
      r.fail("keyword " + key + " is given twice (first on line " + std::to_string(it->second) + ")");
    if (key == "sinner" || key == "dinner") {    // one value per element (LAMMPS 2022+)
      if (w.size() < 2) r.fail(key + " needs one value per element of pair_coeff, found none");
      (key == "sinner" ? p.sinner : p.dinner) = inner_values(r, w);
      seen[key] = r.line();
      continue;
    }
    if (w.size() != 2)
      r.fail("expected 'keyword value', found " + std::to_string(w.size()) + " words ('" +
             LineReader::shorten(LineReader::join(w)) + "')");
    const std::string &val = w[1];
    if (parse_snap_hyperparameter(r, key, val, p)) {
    } else if (key == "quadraticflag") {
      p.quadraticflag = flag_value(r, key, val);
    } else if (key == "chunksize") {
      p.chunksize = r.integer(val, key);
      if (p.chunksize <= 0) r.fail("chunksize must be positive, got " + val);
    } else if (key == "parallelthresh") {
      p.parallelthresh = r.integer(val, key);
    } else if (key == "sinnerelems" || key == "dinnerelems") {
      r.fail("keyword " + key + " belongs to ML-IAP descriptor files; a .snapparam file names it " +
             key.substr(0, 6));
    } else {
      r.fail("unknown keyword '" + LineReader::shorten(key) +
             "' (accepted: rcutfac twojmax rfac0 rmin0 switchflag bzeroflag quadraticflag chemflag "
             "bnormflag wselfallflag switchinnerflag sinner dinner chunksize parallelthresh)");
    }
    seen[key] = r.line();
  }
  if (!seen.count("rcutfac")) throw Error(name + ": required keyword rcutfac is missing");
  if (!seen.count("twojmax")) throw Error(name + ": required keyword twojmax is missing");
  check_inner_keywords(name, p.switchinnerflag, seen, "sinner", "dinner");
  return p;
}

// ---------------------------------------------------------------------------------------- snapcoeff

const SnapCoeffBlock *SnapCoeffFile::find(const std::string &name) const
{
  for (const auto &b : blocks)
    if (b.element == name) return &b;
  return nullptr;
}

SnapCoeffFile read_snapcoeff(const std::string &path)
{
  std::ifstream in = open_or_throw(path, "SNAP coefficient file");
  SnapCoeffFile c = parse_snapcoeff(in, path);
  c.path = path;
  return c;
}

SnapCoeffFile parse_snapcoeff(std::istream &in, const std::string &name)
{
  LineReader r(in, name);
  SnapCoeffFile c;
  c.path = name;
  std::vector<std::string> w;
  if (!r.next_words(w)) r.fail_eof("the header line 'nelements ncoeffall'");
  if (w.size() != 2)
    r.fail("expected the header 'nelements ncoeffall', found " + std::to_string(w.size()) + " words ('" +
           LineReader::shorten(LineReader::join(w)) + "')");
  const int nelem = r.integer(w[0], "nelements");
  c.ncoeffall = r.integer(w[1], "ncoeffall");
  if (nelem < 1) r.fail("nelements must be at least 1, got " + w[0]);
  if (c.ncoeffall < 1 || c.ncoeffall > 10000000) r.fail("ncoeffall must be in 1..10^7, got " + w[1]);
  std::set<std::string> names;
  std::string line;
  for (int e = 0; e < nelem; ++e) {
    const std::string which = "element block " + std::to_string(e + 1) + " of " + std::to_string(nelem);
    if (!r.next(line)) r.fail_eof("the line 'name radius weight' of " + which);
    w = LineReader::split(line);
    if (w.size() != 3)
      r.fail("expected 'name radius weight' starting " + which + ", found " +
             (w.empty() ? std::string("a blank or comment line (LAMMPS allows none inside the blocks)")
                        : std::to_string(w.size()) + " words ('" + LineReader::shorten(LineReader::join(w)) + "')"));
    SnapCoeffBlock b;
    b.element = w[0];
    b.line = r.line();
    if (!names.insert(b.element).second) r.fail("element " + b.element + " has a second block");
    b.radius = r.number(w[1], "the radius of " + b.element);
    b.weight = r.number(w[2], "the weight of " + b.element);
    if (b.radius <= 0.0) r.fail("the radius of " + b.element + " must be positive, got " + w[1]);
    b.coeffs.reserve(reserve_for(c.ncoeffall));
    for (int k = 0; k < c.ncoeffall; ++k) {
      const std::string what = "coefficient " + std::to_string(k) + " of " + b.element;
      if (!r.next(line))
        r.fail_eof(std::to_string(c.ncoeffall) + " coefficients of " + b.element + ", got " + std::to_string(k));
      w = LineReader::split(line);
      if (w.size() != 1)
        r.fail("expected one value (" + what + "), found " +
               (w.empty() ? std::string("a blank or comment line")
                          : std::to_string(w.size()) + " ('" + LineReader::shorten(LineReader::join(w)) + "')"));
      b.coeffs.push_back(r.number(w[0], what));
    }
    c.blocks.push_back(std::move(b));
  }
  r.expect_end("the last of " + std::to_string(nelem) + " element blocks of " + std::to_string(c.ncoeffall) +
               " coefficients");
  return c;
}

// ----------------------------------------------------------------------------------- ML-IAP descriptor

SnapParams read_mliap_descriptor(const std::string &path)
{
  std::ifstream in = open_or_throw(path, "ML-IAP SNAP descriptor file");
  return parse_mliap_descriptor(in, path);
}

SnapParams parse_mliap_descriptor(std::istream &in, const std::string &name)
{
  LineReader r(in, name);
  SnapParams p;
  std::map<std::string, int> seen;
  int nelems = -1;
  std::vector<std::string> w;
  while (r.next_words(w)) {
    const std::string &key = w[0];
    auto it = seen.find(key);
    if (it != seen.end())
      r.fail("keyword " + key + " is given twice (first on line " + std::to_string(it->second) + ")");
    if (key == "elems" || key == "radelems" || key == "welems" || key == "sinnerelems" || key == "dinnerelems") {
      if (nelems < 0) r.fail("keyword " + key + " must come after nelems (as LAMMPS requires)");
      if (static_cast<int>(w.size()) != nelems + 1)
        r.fail(key + " needs " + std::to_string(nelems) + " values (nelems), found " + std::to_string(w.size() - 1));
      if (key == "sinnerelems" || key == "dinnerelems") {    // LAMMPS 2022+
        (key == "sinnerelems" ? p.sinnerelem : p.dinnerelem) = inner_values(r, w);
        seen[key] = r.line();
        continue;
      }
      for (int e = 0; e < nelems; ++e) {
        if (key == "elems") {
          p.elements[e] = w[e + 1];
        } else if (key == "radelems") {
          p.radelem[e] = r.number(w[e + 1], "radelems value " + std::to_string(e + 1));
          if (p.radelem[e] <= 0.0) r.fail("radelems values must be positive, got " + w[e + 1]);
        } else {
          p.wjelem[e] = r.number(w[e + 1], "welems value " + std::to_string(e + 1));
        }
      }
    } else if (key == "sinner" || key == "dinner") {
      r.fail("keyword " + key + " belongs to .snapparam files; an ML-IAP descriptor file names it " + key + "elems");
    } else {
      if (w.size() != 2)
        r.fail("expected 'keyword value', found " + std::to_string(w.size()) + " words ('" +
               LineReader::shorten(LineReader::join(w)) + "')");
      const std::string &val = w[1];
      if (key == "nelems") {
        nelems = r.integer(val, key);
        if (nelems < 1 || nelems > 1000) r.fail("nelems must be in 1..1000, got " + val);
        p.elements.assign(nelems, "");
        p.radelem.assign(nelems, 0.0);
        p.wjelem.assign(nelems, 0.0);
      } else if (parse_snap_hyperparameter(r, key, val, p)) {
      } else if (key == "nmax" || key == "lmax" || key == "alpha") {
        r.fail("keyword " + key + " belongs to an SO3 descriptor file; REVAL reads SNAP descriptors only");
      } else {
        r.fail("unknown keyword '" + LineReader::shorten(key) +
               "' (accepted: rcutfac twojmax nelems elems radelems welems rfac0 rmin0 switchflag "
               "bzeroflag chemflag bnormflag wselfallflag switchinnerflag sinnerelems dinnerelems)");
      }
    }
    seen[key] = r.line();
  }
  for (const char *req : {"rcutfac", "twojmax", "nelems", "elems", "radelems", "welems"})
    if (!seen.count(req)) throw Error(name + ": required keyword " + std::string(req) + " is missing");
  check_inner_keywords(name, p.switchinnerflag, seen, "sinnerelems", "dinnerelems");
  p.validate(name);
  return p;
}

// ----------------------------------------------------------------------------------- ML-IAP models

namespace {

int activation_of(LineReader &r, const std::string &s)
{
  if (s == "linear") return kernels::kSnapActLinear;
  if (s == "sigmoid") return kernels::kSnapActSigmoid;
  if (s == "tanh") return kernels::kSnapActTanh;
  if (s == "relu") return kernels::kSnapActRelu;
  r.fail("unknown activation '" + LineReader::shorten(s) +
         "' (linear, sigmoid, tanh or relu; LAMMPS 29Sep2021 would silently treat it as linear)");
}

// Reads `n` values spread over lines (at most `maxper` per line, none crossing into the next list).
void read_list(LineReader &r, int n, int maxper, const std::string &what, std::vector<double> &out,
               bool nonzero = false)
{
  out.clear();
  out.reserve(reserve_for(n));
  std::vector<std::string> w;
  while (static_cast<int>(out.size()) < n) {
    if (!r.next_words(w)) r.fail_eof(std::to_string(n) + " values of " + what + ", got " + std::to_string(out.size()));
    if (maxper > 0 && static_cast<int>(w.size()) > maxper)
      r.fail("line has " + std::to_string(w.size()) + " values; LAMMPS allows at most " + std::to_string(maxper) +
             " per line in " + what);
    const int remaining = n - static_cast<int>(out.size());
    if (static_cast<int>(w.size()) > remaining)
      r.fail("line has " + std::to_string(w.size()) + " values but only " + std::to_string(remaining) +
             " of the " + std::to_string(n) + " values of " + what + " remain");
    for (const auto &x : w) {
      const std::string which = "value " + std::to_string(out.size() + 1) + " of " + what;
      out.push_back(r.number(x, which));
      if (nonzero && out.back() == 0.0) r.fail(which + " is zero (descriptors are divided by it)");
    }
  }
}

void read_model_header(LineReader &r, int &nelements, int &nparams)
{
  std::vector<std::string> w;
  if (!r.next_words(w)) r.fail_eof("the header line 'nelements nparams'");
  if (w.size() != 2)
    r.fail("expected the header 'nelements nparams', found " + std::to_string(w.size()) + " words ('" +
           LineReader::shorten(LineReader::join(w)) + "')");
  nelements = r.integer(w[0], "nelements");
  nparams = r.integer(w[1], "nparams");
  if (nelements < 1 || nelements > 1000) r.fail("nelements must be in 1..1000, got " + w[0]);
  if (nparams < 1 || nparams > 10000000) r.fail("nparams must be in 1..10^7, got " + w[1]);
}

}    // namespace

MliapNNFile read_mliap_nn(const std::string &path)
{
  std::ifstream in = open_or_throw(path, "ML-IAP nn model file");
  MliapNNFile f = parse_mliap_nn(in, path);
  f.path = path;
  return f;
}

MliapNNFile parse_mliap_nn(std::istream &in, const std::string &name)
{
  LineReader r(in, name);
  MliapNNFile f;
  f.path = name;
  read_model_header(r, f.nelements, f.nparams);
  std::vector<std::string> w;
  if (!r.next_words(w)) r.fail_eof("the line 'NET ndescriptors nlayers activation1 nodes1 ...'");
  if (w[0] != "NET") r.fail("expected the line 'NET ndescriptors nlayers activation1 nodes1 ...', found '" +
                            LineReader::shorten(LineReader::join(w)) + "'");
  if (w.size() < 3) r.fail("the NET line needs ndescriptors and nlayers");
  f.ndescriptors = r.integer(w[1], "ndescriptors");
  const int nlayers = r.integer(w[2], "nlayers");
  if (f.ndescriptors < 1 || f.ndescriptors > 1000000) r.fail("ndescriptors must be in 1..10^6, got " + w[1]);
  if (nlayers < 1 || nlayers > 1000) r.fail("nlayers must be in 1..1000, got " + w[2]);
  if (static_cast<int>(w.size()) != 3 + 2 * nlayers)
    r.fail("the NET line needs an activation and a node count for each of the " + std::to_string(nlayers) +
           " layers (" + std::to_string(3 + 2 * nlayers) + " words), found " + std::to_string(w.size()) + " words");
  long long expected = 0;
  int prev = f.ndescriptors;
  for (int l = 0; l < nlayers; ++l) {
    f.activation.push_back(activation_of(r, w[3 + 2 * l]));
    const int n = r.integer(w[4 + 2 * l], "the node count of layer " + std::to_string(l + 1));
    if (n < 1 || n > 1000000) r.fail("layer " + std::to_string(l + 1) + " must have 1..10^6 nodes, got " + w[4 + 2 * l]);
    f.nnodes.push_back(n);
    expected += static_cast<long long>(prev + 1) * n;
    prev = n;
  }
  if (f.nnodes.back() != 1)
    r.fail("the last layer must have exactly 1 node (the atom energy), found " + std::to_string(f.nnodes.back()) +
           " (LAMMPS would use node 0 for the energy but all nodes for the forces)");
  if (expected != f.nparams)
    r.fail("the network needs " + std::to_string(expected) + " parameters per element (sum of (inputs+1)*nodes), "
           "but the header says nparams = " + std::to_string(f.nparams));
  f.scale0.resize(f.nelements);
  f.scale1.resize(f.nelements);
  f.coeffs.resize(f.nelements);
  for (int e = 0; e < f.nelements; ++e) {
    const std::string el = " of element " + std::to_string(e + 1) + " of " + std::to_string(f.nelements);
    read_list(r, f.ndescriptors, 0, "scale0" + el, f.scale0[e]);
    read_list(r, f.ndescriptors, 0, "scale1" + el, f.scale1[e], true);
    read_list(r, f.nparams, 30, "the coefficients" + el, f.coeffs[e]);
  }
  r.expect_end("the coefficients of the last of " + std::to_string(f.nelements) + " elements");
  return f;
}

MliapSimpleModelFile read_mliap_simple(const std::string &path)
{
  std::ifstream in = open_or_throw(path, "ML-IAP model file");
  MliapSimpleModelFile f = parse_mliap_simple(in, path);
  f.path = path;
  return f;
}

MliapSimpleModelFile parse_mliap_simple(std::istream &in, const std::string &name)
{
  LineReader r(in, name);
  MliapSimpleModelFile f;
  f.path = name;
  read_model_header(r, f.nelements, f.nparams);
  std::string line;
  for (int e = 0; e < f.nelements; ++e) {
    f.coeffs.emplace_back();
    f.coeffs.back().reserve(reserve_for(f.nparams));
    for (int k = 0; k < f.nparams; ++k) {
      const std::string what = "coefficient " + std::to_string(k) + " of element " + std::to_string(e + 1);
      if (!r.next(line)) r.fail_eof(std::to_string(f.nparams) + " coefficients for each of " +
                                    std::to_string(f.nelements) + " elements (" + what + ")");
      const auto w = LineReader::split(line);
      if (w.size() != 1)
        r.fail("expected one value (" + what + "), found " +
               (w.empty() ? std::string("a blank or comment line (LAMMPS allows none among the coefficients)")
                          : std::to_string(w.size()) + " ('" + LineReader::shorten(LineReader::join(w)) + "')"));
      f.coeffs.back().push_back(r.number(w[0], what));
    }
  }
  r.expect_end("the last of " + std::to_string(f.nelements) + " blocks of " + std::to_string(f.nparams) +
               " coefficients");
  return f;
}

// ----------------------------------------------------------------------------------- combination

int snap_ncoeff_from_file(const SnapParamFile &param, const SnapCoeffFile &coeff)
{
  if (!param.quadraticflag) return coeff.ncoeffall - 1;
  int n = 0;
  while (1 + n + n * (n + 1) / 2 < coeff.ncoeffall) ++n;
  if (1 + n + n * (n + 1) / 2 != coeff.ncoeffall)
    throw Error(coeff.path + ": ncoeffall = " + std::to_string(coeff.ncoeffall) + " is not 1 + n + n(n+1)/2 for any n, "
                "but " + param.path + " sets quadraticflag 1");
  return n;
}

SnapParams snap_params_from_files(const SnapParamFile &param, const SnapCoeffFile &coeff,
                                  const std::vector<std::string> &elements)
{
  SnapParams p;
  p.rcutfac = param.rcutfac;
  p.twojmax = param.twojmax;
  p.rfac0 = param.rfac0;
  p.rmin0 = param.rmin0;
  p.switchflag = param.switchflag;
  p.bzeroflag = param.bzeroflag;
  p.chemflag = param.chemflag;
  p.bnormflag = param.bnormflag;
  p.wselfallflag = param.wselfallflag;
  p.switchinnerflag = param.switchinnerflag;
  if (elements.empty()) throw Error(coeff.path + ": no elements requested");
  if (param.switchinnerflag) {
    for (const auto *list : {&param.sinner, &param.dinner})
      if (list->size() != elements.size())
        throw Error(param.path + ": " + (list == &param.sinner ? "sinner" : "dinner") + " has " +
                    std::to_string(list->size()) + " value" + (list->size() == 1 ? "" : "s") + ", but pair_coeff names " +
                    std::to_string(elements.size()) + " distinct element" + (elements.size() == 1 ? "" : "s") +
                    ": one value per element, in pair_coeff order (LAMMPS rule)");
    p.sinnerelem = param.sinner;
    p.dinnerelem = param.dinner;
  }
  for (const auto &e : elements) {
    const SnapCoeffBlock *b = coeff.find(e);
    if (!b) {
      std::string have;
      for (const auto &x : coeff.blocks) have += (have.empty() ? "" : " ") + x.element;
      throw Error(coeff.path + ": element " + e + " not found in the SNAP coefficient file (it has: " + have + ")");
    }
    p.elements.push_back(e);
    p.radelem.push_back(b->radius);
    p.wjelem.push_back(b->weight);
  }
  if (p.chemflag && coeff.blocks.size() != elements.size())
    throw Error(param.path + ": chemflag 1 needs exactly the " + std::to_string(coeff.blocks.size()) +
                " elements of " + coeff.path + " (LAMMPS rule), but " + std::to_string(elements.size()) +
                " were requested");
  p.validate(param.path);
  const int ncoeff = snap_ncoeff_from_file(param, coeff);
  if (ncoeff != p.ncoeff())
    throw Error(coeff.path + ": ncoeffall = " + std::to_string(coeff.ncoeffall) + " implies " +
                std::to_string(ncoeff) + " descriptors" + (param.quadraticflag ? " (quadratic)" : " (linear)") +
                ", but twojmax " + std::to_string(p.twojmax) + (p.chemflag ? " with chemflag" : "") + " in " +
                param.path + " gives " + std::to_string(p.ncoeff()));
  return p;
}

// ---- writers (reval-fit) ----

namespace {
void write_comments(std::ostream &out, const std::vector<std::string> &comment)
{
  for (const std::string &c : comment) {
    if (c.find('\n') != std::string::npos) throw Error("SNAP file writer: a comment line holds a newline");
    out << "# " << c << "\n";
  }
}
template <class F>
void write_file(const std::string &path, F &&body)
{
  std::ofstream out(path);
  if (!out) throw Error("cannot open '" + path + "' for writing");
  body(out);
  out.flush();
  if (!out) throw Error("error writing '" + path + "'");
}
}    // namespace

void write_snapparam(std::ostream &out, const SnapParams &params, bool quadratic, const std::vector<std::string> &comment)
{
  params.validate("write_snapparam");
  write_comments(out, comment);
  out << "rcutfac " << text::g17(params.rcutfac) << "\n"
      << "twojmax " << params.twojmax << "\n"
      << "rfac0 " << text::g17(params.rfac0) << "\n"
      << "rmin0 " << text::g17(params.rmin0) << "\n"
      << "switchflag " << params.switchflag << "\n"
      << "bzeroflag " << params.bzeroflag << "\n"
      << "quadraticflag " << (quadratic ? 1 : 0) << "\n"
      << "chemflag " << params.chemflag << "\n"
      << "bnormflag " << params.bnormflag << "\n"
      << "wselfallflag " << params.wselfallflag << "\n";
  if (params.switchinnerflag) {    // LAMMPS 2022+ keywords (29Sep2021 does not read them): only when used
    out << "switchinnerflag 1\nsinner";
    for (double v : params.sinnerelem) out << " " << text::g17(v);
    out << "\ndinner";
    for (double v : params.dinnerelem) out << " " << text::g17(v);
    out << "\n";
  }
}

void write_snapparam(const std::string &path, const SnapParams &params, bool quadratic,
                     const std::vector<std::string> &comment)
{
  write_file(path, [&](std::ostream &out) { write_snapparam(out, params, quadratic, comment); });
}

void write_snapcoeff(std::ostream &out, const SnapParams &params, bool quadratic, const std::vector<double> &coeffs,
                     const std::vector<std::string> &comment)
{
  params.validate("write_snapcoeff");
  const long long n = params.ncoeff();
  const long long all = 1 + n + (quadratic ? n * (n + 1) / 2 : 0);
  const int ne = params.nelements();
  if (static_cast<long long>(coeffs.size()) != all * ne)
    throw Error("write_snapcoeff: " + std::to_string(coeffs.size()) + " coefficients, expected " +
                std::to_string(ne) + " x " + std::to_string(all));
  for (size_t k = 0; k < coeffs.size(); ++k)
    if (!std::isfinite(coeffs[k]))
      throw Error("write_snapcoeff: coefficient " + std::to_string(k % all) + " of element " +
                  params.elements[k / all] + " is not finite");
  out << "# UNITS: metal (eV, Angstrom)\n";
  write_comments(out, comment);
  out << ne << " " << all << "\n";
  for (int e = 0; e < ne; ++e) {
    out << params.elements[e] << " " << text::g17(params.radelem[e]) << " " << text::g17(params.wjelem[e]) << "\n";
    for (long long k = 0; k < all; ++k) out << text::g17(coeffs[static_cast<size_t>(e * all + k)]) << "\n";
  }
}

void write_snapcoeff(const std::string &path, const SnapParams &params, bool quadratic,
                     const std::vector<double> &coeffs, const std::vector<std::string> &comment)
{
  write_file(path, [&](std::ostream &out) { write_snapcoeff(out, params, quadratic, coeffs, comment); });
}

std::string committee_member_file(const std::string &name, int m)
{
  return name + "_" + std::to_string(m) + ".snapcoeff";
}

}    // namespace reval
