#include "core/fit_input.h"

#include "core/dump_reader.h"    // parse_finite_double, parse_bounded_integer
#include "core/error.h"
#include "core/text.h"
#include "core/extxyz.h"         // is_element_symbol

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <istream>
#include <set>
#include <sstream>

namespace reval {

const FitSites &FitInput::sites_of(const std::string &group) const
{
  const auto it = re_sites_group.find(group);
  return it == re_sites_group.end() ? re_sites : it->second;
}

namespace {

struct Entry {
  std::string key, value;
  long line = 0;
};

/// The sections of a file in order, each with its entries in order.
struct Ini {
  std::string path;
  std::vector<std::pair<std::string, std::vector<Entry>>> sections;
  std::map<std::string, long> section_line;
};

/// Messages: "FILE line N: [SECTION] key: what".
struct Reporter {
  const std::string &path;
  [[noreturn]] void fail(long line, const std::string &section, const std::string &key, const std::string &what) const
  {
    std::string where = path + " line " + std::to_string(line) + ": [" + section + "]";
    if (!key.empty()) where += " " + key;
    throw Error(where + ": " + what);
  }
};

Ini read_ini(std::istream &in, const std::string &path)
{
  Ini ini;
  ini.path = path;
  Reporter rep{path};
  std::string raw;
  long line = 0;
  std::vector<Entry> *cur = nullptr;
  std::string cur_name;
  while (std::getline(in, raw)) {
    ++line;
    const size_t hash = raw.find_first_of("#;");
    const std::string s = text::trim(hash == std::string::npos ? raw : raw.substr(0, hash));
    if (s.empty()) continue;
    if (s.front() == '[') {
      if (s.back() != ']' || s.size() < 3) rep.fail(line, cur_name, "", "malformed section header '" + s + "'");
      cur_name = text::to_upper(text::trim(s.substr(1, s.size() - 2)));
      if (ini.section_line.count(cur_name)) rep.fail(line, cur_name, "", "section given twice");
      ini.section_line[cur_name] = line;
      ini.sections.emplace_back(cur_name, std::vector<Entry>());
      cur = &ini.sections.back().second;
      continue;
    }
    const size_t eq = s.find('=');
    if (!cur) throw Error(path + " line " + std::to_string(line) + ": a key outside any [SECTION]: '" + s + "'");
    if (eq == std::string::npos) rep.fail(line, cur_name, "", "expected 'key = value', got '" + s + "'");
    Entry e{text::trim(s.substr(0, eq)), text::trim(s.substr(eq + 1)), line};
    if (e.key.empty()) rep.fail(line, cur_name, "", "empty key");
    for (const Entry &o : *cur)
      if (o.key == e.key)
        rep.fail(line, cur_name, e.key, "given twice (first on line " + std::to_string(o.line) + ")");
    cur->push_back(e);
  }
  return ini;
}

/// Typed access to the entries of one section; every entry must be consumed (else "unknown key").
class Section {
 public:
  Section(const Reporter &rep, std::string name, const std::vector<Entry> *entries) :
      m_rep(rep), m_name(std::move(name)), m_entries(entries)
  {
  }
  const Entry *find(const std::string &key)
  {
    if (!m_entries) return nullptr;
    for (const Entry &e : *m_entries)
      if (e.key == key) {
        m_used.insert(key);
        return &e;
      }
    return nullptr;
  }
  [[noreturn]] void fail(const Entry &e, const std::string &what) const { m_rep.fail(e.line, m_name, e.key, what); }
  double real(const std::string &key, double def, double lo, double hi, bool lo_open = false)
  {
    const Entry *e = find(key);
    if (!e) return def;
    double v = 0.0;
    if (!parse_finite_double(e->value, v)) fail(*e, "'" + e->value + "' is not a finite number");
    if (v < lo || v > hi || (lo_open && v == lo))
      fail(*e, "value " + e->value + " out of range " + (lo_open ? "(" : "[") + num(lo) + ", " + num(hi) + "]");
    return v;
  }
  int integer(const std::string &key, int def, int lo, int hi)
  {
    const Entry *e = find(key);
    if (!e) return def;
    int64_t v = 0;
    if (!parse_bounded_integer(e->value, hi, v) || v < lo)
      fail(*e, "'" + e->value + "' must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
    return static_cast<int>(v);
  }
  int flag(const std::string &key, int def) { return integer(key, def, 0, 1); }
  std::string text(const std::string &key, const std::string &def)
  {
    const Entry *e = find(key);
    if (!e) return def;
    if (e->value.empty()) fail(*e, "empty value");
    return e->value;
  }
  /// Keys FitSNAP knows that reval-fit does not implement: an error naming the key.
  void refuse(const std::string &key, const std::string &why)
  {
    if (const Entry *e = find(key)) fail(*e, "not supported by reval-fit (" + why + ")");
  }
  /// Every entry not consumed is an unknown key.
  void finish(const std::string &known) const
  {
    if (!m_entries) return;
    for (const Entry &e : *m_entries)
      if (!m_used.count(e.key)) fail(e, "unknown key (this section accepts: " + known + ")");
  }
  const std::vector<Entry> &entries() const
  {
    static const std::vector<Entry> none;
    return m_entries ? *m_entries : none;
  }
  void use(const std::string &key) { m_used.insert(key); }
  const std::string &name() const { return m_name; }

 private:
  static std::string num(double v)
  {
    std::ostringstream ss;
    ss << v;
    return ss.str();
  }
  const Reporter &m_rep;
  std::string m_name;
  const std::vector<Entry> *m_entries;
  std::set<std::string> m_used;
};

const std::vector<Entry> *entries_of(const Ini &ini, const std::string &name)
{
  for (const auto &s : ini.sections)
    if (s.first == name) return &s.second;
  return nullptr;
}

/// A per-element list given either as `key = v1 v2 ...` or as `key1 = v1`, `key2 = v2`, ... (old FitSNAP):
/// the values with the entry each comes from (for messages).
std::vector<std::pair<std::string, const Entry *>> element_list(Section &sec, const std::string &key, int ntypes,
                                                                const std::string &path)
{
  std::vector<std::pair<std::string, const Entry *>> out;
  if (const Entry *e = sec.find(key)) {
    for (const auto &w : text::words(e->value)) out.emplace_back(w, e);
    if (static_cast<int>(out.size()) != ntypes)
      sec.fail(*e, std::to_string(out.size()) + " values for numTypes = " + std::to_string(ntypes));
    for (int k = 1; k <= ntypes; ++k)
      if (const Entry *o = sec.find(key + std::to_string(k))) sec.fail(*o, "given together with '" + key + "'");
    return out;
  }
  for (int k = 1; k <= ntypes; ++k) {
    const Entry *e = sec.find(key + std::to_string(k));
    if (!e)
      throw Error(path + ": [" + sec.name() + "] missing '" + key + "' (or '" + key + std::to_string(k) +
                  "'): one value per type is required");
    const auto w = text::words(e->value);
    if (w.size() != 1) sec.fail(*e, "one value expected");
    out.emplace_back(w[0], e);
  }
  return out;
}

void parse_bispectrum(Section &b, FitInput &f)
{
  SnapParams &p = f.snap;
  const int ntypes = b.integer("numTypes", -1, 1, 64);
  if (ntypes < 0) throw Error(f.path + ": [BISPECTRUM] numTypes is required");
  const Entry *tj = b.find("twojmax");
  if (!tj) throw Error(f.path + ": [BISPECTRUM] twojmax is required");
  {
    const auto w = text::words(tj->value);
    int64_t v = 0;
    for (const auto &s : w)
      if (!parse_bounded_integer(s, 30, v)) b.fail(*tj, "'" + s + "' must be an integer in 0..30");
    if (w.empty()) b.fail(*tj, "empty value");
    for (const auto &s : w)
      if (s != w[0]) b.fail(*tj, "per-type twojmax values must be equal (LAMMPS SNAP has one band limit)");
    parse_bounded_integer(w[0], 30, v);
    p.twojmax = static_cast<int>(v);
  }
  if (!b.find("rcutfac")) throw Error(f.path + ": [BISPECTRUM] rcutfac is required");
  p.rcutfac = b.real("rcutfac", 0.0, 0.0, 1e6, true);
  p.rfac0 = b.real("rfac0", 0.99363, 0.0, 1.0, true);
  p.rmin0 = b.real("rmin0", 0.0, 0.0, 1e6);
  p.switchflag = b.flag("switchflag", 1);
  p.bzeroflag = b.flag("bzeroflag", 1);
  p.chemflag = b.flag("chemflag", 0);
  p.bnormflag = b.flag("bnormflag", p.chemflag);
  p.wselfallflag = b.flag("wselfallflag", 0);
  f.quadraticflag = b.flag("quadraticflag", 0);
  const auto types = element_list(b, "type", ntypes, f.path);
  const auto wj = element_list(b, "wj", ntypes, f.path);
  const auto rad = element_list(b, "radelem", ntypes, f.path);
  p.elements.clear();
  p.radelem.clear();
  p.wjelem.clear();
  for (int k = 0; k < ntypes; ++k) {
    if (!is_element_symbol(types[k].first))
      b.fail(*types[k].second, "'" + types[k].first + "' is not a chemical element symbol");
    double w = 0.0, r = 0.0;
    if (!parse_finite_double(wj[k].first, w) || !(w > 0.0))
      b.fail(*wj[k].second, "'" + wj[k].first + "' must be a positive number");
    if (!parse_finite_double(rad[k].first, r) || !(r > 0.0))
      b.fail(*rad[k].second, "'" + rad[k].first + "' must be a positive number");
    p.elements.push_back(types[k].first);
    p.wjelem.push_back(w);
    p.radelem.push_back(r);
  }
  // inner switching function (FitSNAP / LAMMPS 2022+): sinner and dinner, one value per type (Å)
  p.switchinnerflag = b.flag("switchinnerflag", 0);
  p.sinnerelem.clear();
  p.dinnerelem.clear();
  if (p.switchinnerflag) {
    const auto si = element_list(b, "sinner", ntypes, f.path);
    const auto di = element_list(b, "dinner", ntypes, f.path);
    for (int k = 0; k < ntypes; ++k) {
      double sv = 0.0, dv = 0.0;
      if (!parse_finite_double(si[k].first, sv) || !(sv > 0.0))
        b.fail(*si[k].second, "'" + si[k].first + "' must be a positive number (Å)");
      if (!parse_finite_double(di[k].first, dv) || !(dv > 0.0))
        b.fail(*di[k].second, "'" + di[k].first + "' must be a positive number (Å)");
      p.sinnerelem.push_back(sv);
      p.dinnerelem.push_back(dv);
    }
  } else {
    for (const char *k : {"sinner", "dinner"}) {
      if (const Entry *e = b.find(k)) b.fail(*e, "given but switchinnerflag is not 1");
      for (int t = 1; t <= ntypes; ++t)
        if (const Entry *e = b.find(k + std::to_string(t))) b.fail(*e, "given but switchinnerflag is not 1");
    }
  }
  b.refuse("bikflag", "per-atom descriptor rows are not a fitting target of reval-fit");
  b.refuse("BOLTZT", "Boltzmann weighting of energies is a FitSNAP option reval-fit does not have");
  b.finish("numTypes twojmax rcutfac rfac0 rmin0 wj radelem type (or wjK radelemK typeK) switchflag bzeroflag "
           "chemflag bnormflag wselfallflag quadraticflag switchinnerflag sinner dinner");
  p.validate(f.path + ": [BISPECTRUM]");
}

void parse_calculator(Section &c, FitInput &f)
{
  if (const Entry *e = c.find("calculator"))
    if (e->value != "LAMMPSSNAP")
      c.fail(*e, "'" + e->value + "' is not supported: reval-fit computes SNAP descriptors itself (LAMMPSSNAP)");
  f.use_energy = c.flag("energy", 1) == 1;
  f.use_force = c.flag("force", 1) == 1;
  f.use_stress = c.flag("stress", 0) == 1;
  c.refuse("per_atom_energy", "per-atom energies are not a fitting target");
  c.refuse("nonlinear", "nonlinear (neural network) fits are not in reval-fit");
  c.finish("calculator energy force stress");
  if (!f.use_energy && !f.use_force && !f.use_stress)
    throw Error(f.path + ": [CALCULATOR] energy, force and stress are all 0: nothing to fit");
}

void parse_eshift(Section &e, FitInput &f)
{
  for (const Entry &x : e.entries()) {
    if (std::find(f.snap.elements.begin(), f.snap.elements.end(), x.key) == f.snap.elements.end())
      e.fail(x, "not one of the [BISPECTRUM] types");
    e.use(x.key);
    double v = 0.0;
    if (!parse_finite_double(x.value, v)) e.fail(x, "'" + x.value + "' is not a finite number");
    f.eshift[x.key] = v;
  }
}

void parse_solver(Section &s, Section &ridge, FitInput &f)
{
  const std::string solver = s.text("solver", "SVD");
  if (solver == "SVD") f.solver = FitInput::Solver::svd;
  else if (solver == "RIDGE") f.solver = FitInput::Solver::ridge;
  else s.fail(*s.find("solver"), "'" + solver + "' is not supported (reval-fit solvers: SVD, RIDGE)");
  f.compute_testerrs = s.flag("compute_testerrs", 1) == 1;
  f.detailed_errors = s.flag("detailed_errors", 1) == 1;
  s.refuse("normweight", "an old FitSNAP key; give group weights in [GROUPS]");
  s.refuse("normratio", "an old FitSNAP key; give group weights in [GROUPS]");
  s.finish("solver compute_testerrs detailed_errors");
  if (f.solver == FitInput::Solver::ridge) {
    if (!ridge.find("alpha")) throw Error(f.path + ": [RIDGE] alpha is required with solver = RIDGE");
    f.ridge_alpha = ridge.real("alpha", 0.0, 0.0, 1e30, true);
  } else if (const Entry *a = ridge.find("alpha")) {
    ridge.fail(*a, "given but [SOLVER] solver is not RIDGE");
  }
  ridge.finish("alpha");
}

void parse_groups(Section &g, FitInput &f)
{
  if (const Entry *e = g.find("group_sections")) {
    if (text::words(e->value) != text::words("name training_size testing_size eweight fweight vweight"))
      g.fail(*e, "reval-fit reads 'name training_size testing_size eweight fweight vweight', got '" + e->value + "'");
  }
  if (const Entry *e = g.find("group_types"))
    if (text::words(e->value) != text::words("str float float float float float"))
      g.fail(*e, "must be 'str float float float float float'");
  if (const Entry *e = g.find("smartweights"))
    if (e->value != "0") g.fail(*e, "not supported by reval-fit (weights are taken as given); set it to 0");
  f.random_sampling = g.flag("random_sampling", 0) == 1;
  for (const Entry &e : g.entries()) {
    if (e.key == "group_sections" || e.key == "group_types" || e.key == "smartweights" || e.key == "random_sampling")
      continue;
    g.use(e.key);
    const auto w = text::words(e.value);
    if (w.size() != 5) g.fail(e, "a group needs 5 values: training_size testing_size eweight fweight vweight");
    double v[5];
    for (int k = 0; k < 5; ++k)
      if (!parse_finite_double(w[k], v[k]) || v[k] < 0.0) g.fail(e, "'" + w[k] + "' must be a number >= 0");
    if (e.key.find('/') != std::string::npos || e.key == "." || e.key == "..")
      g.fail(e, "a group name is a file or folder name under dataPath (no '/')");
    for (const double s : {v[0], v[1]})
      if (s > 1.0 && (s > 1e9 || s != std::floor(s)))
        g.fail(e, "a size above 1 is a count of configurations and must be an integer (at most 1e9)");
    if (v[0] == 0.0 && v[1] == 0.0) g.fail(e, "training_size and testing_size are both 0");
    f.groups.push_back({e.key, v[0], v[1], v[2], v[3], v[4]});
  }
  if (f.groups.empty()) throw Error(f.path + ": [GROUPS] has no group");
}

FitSites parse_sites(Section &r, const Entry &e)
{
  const auto w = text::words(e.value);
  FitSites s;
  if (w.size() == 3 && w[0] == "lattice") {
    static const char *const kinds[] = {"diamond", "fcc", "bcc", "sc"};
    if (std::find(std::begin(kinds), std::end(kinds), w[1]) == std::end(kinds))
      r.fail(e, "lattice '" + w[1] + "' must be diamond, fcc, bcc or sc");
    s.kind = FitSites::Kind::lattice;
    s.lattice = w[1];
    if (!parse_finite_double(w[2], s.a) || !(s.a > 0.0)) r.fail(e, "lattice constant '" + w[2] + "' must be > 0");
  } else if (w.size() == 2 && w[0] == "file") {
    s.kind = FitSites::Kind::file;
    s.file = w[1];
  } else if (w.size() == 1 && w[0] == "none") {
    s.kind = FitSites::Kind::none;
  } else {
    r.fail(e, "expected 'lattice STYLE A', 'file PATH' or 'none', got '" + e.value + "'");
  }
  return s;
}

void parse_reval(Section &r, FitInput &f)
{
  f.re_fweight = r.real("re_fweight", 1.0, 0.0, 1e12);
  f.re_dre = r.real("re_dre", 0.75, 0.0, 1e3, true);
  const std::string pairs = r.text("re_pairs", "any");
  if (pairs != "any" && pairs != "neighbours") r.fail(*r.find("re_pairs"), "must be any or neighbours");
  f.re_pairs_any = pairs == "any";
  f.committee = r.integer("committee", 0, 0, 1000);
  if (const Entry *e = r.find("committee_method"))
    if (e->value != "bootstrap") r.fail(*e, "'" + e->value + "' is not supported (reval-fit: bootstrap)");
  const int64_t seed = r.integer("seed", 12345, 0, 2147483647);
  f.seed = static_cast<uint64_t>(seed);
  for (const Entry &e : r.entries()) {
    if (e.key == "re_sites") {
      r.use(e.key);
      f.re_sites = parse_sites(r, e);
    } else if (e.key.rfind("re_sites.", 0) == 0) {
      r.use(e.key);
      const std::string g = e.key.substr(9);
      if (std::none_of(f.groups.begin(), f.groups.end(), [&](const FitGroup &x) { return x.name == g; }))
        r.fail(e, "'" + g + "' is not a group of [GROUPS]");
      f.re_sites_group[g] = parse_sites(r, e);
    }
  }
  r.finish("re_fweight re_dre re_pairs re_sites re_sites.GROUP committee committee_method seed");
  // a relative site file is relative to the input file's folder (as dataPath)
  const size_t slash = f.path.find_last_of('/');
  auto resolve = [&](FitSites &s) {
    if (s.kind == FitSites::Kind::file && !s.file.empty() && s.file.front() != '/' && slash != std::string::npos)
      s.file = f.path.substr(0, slash + 1) + s.file;
  };
  resolve(f.re_sites);
  for (auto &kv : f.re_sites_group) resolve(kv.second);
  if (f.re_fweight != 1.0) {
    bool any = f.re_sites.kind != FitSites::Kind::none;
    for (const auto &kv : f.re_sites_group) any = any || kv.second.kind != FitSites::Kind::none;
    if (!any)
      throw Error(f.path + ": [REVAL] re_fweight = " + std::to_string(f.re_fweight) +
                  " needs re_sites (or re_sites.GROUP) to find the RE atoms");
  }
}

}    // namespace

FitInput read_fit_input(std::istream &in, const std::string &path)
{
  const Ini ini = read_ini(in, path);
  Reporter rep{path};
  static const char *const known[] = {"BISPECTRUM", "CALCULATOR", "ESHIFT", "SOLVER", "RIDGE", "SCRAPER",
                                      "PATH",       "OUTFILE",    "GROUPS", "REVAL"};
  for (const auto &s : ini.sections)
    if (std::find(std::begin(known), std::end(known), s.first) == std::end(known)) {
      const std::string why = s.first == "REFERENCE" ? "a reference potential needs LAMMPS at fit time"
          : s.first == "ACE" || s.first == "PYACE"   ? "reval-fit fits SNAP only"
                                                     : "unknown section";
      rep.fail(ini.section_line.at(s.first), s.first, "",
               why + " (reval-fit reads BISPECTRUM CALCULATOR ESHIFT SOLVER RIDGE SCRAPER PATH OUTFILE GROUPS REVAL)");
    }
  if (!entries_of(ini, "BISPECTRUM")) throw Error(path + ": no [BISPECTRUM] section");
  if (!entries_of(ini, "GROUPS")) throw Error(path + ": no [GROUPS] section");

  FitInput f;
  f.path = path;
  Section bis(rep, "BISPECTRUM", entries_of(ini, "BISPECTRUM")), calc(rep, "CALCULATOR", entries_of(ini, "CALCULATOR")),
      esh(rep, "ESHIFT", entries_of(ini, "ESHIFT")), sol(rep, "SOLVER", entries_of(ini, "SOLVER")),
      ridge(rep, "RIDGE", entries_of(ini, "RIDGE")), scr(rep, "SCRAPER", entries_of(ini, "SCRAPER")),
      pth(rep, "PATH", entries_of(ini, "PATH")), out(rep, "OUTFILE", entries_of(ini, "OUTFILE")),
      grp(rep, "GROUPS", entries_of(ini, "GROUPS")), rev(rep, "REVAL", entries_of(ini, "REVAL"));
  parse_bispectrum(bis, f);
  parse_calculator(calc, f);
  parse_eshift(esh, f);
  parse_solver(sol, ridge, f);
  if (const Entry *e = scr.find("scraper"))
    if (e->value != "XYZ")
      scr.fail(*e, "'" + e->value + "' is not supported: reval-fit reads extended XYZ (convert with tools/reval_convert.py)");
  scr.finish("scraper");
  {
    const std::string dp = pth.text("dataPath", ".");
    const size_t slash = path.find_last_of('/');
    f.data_path = (dp.front() == '/' || slash == std::string::npos) ? dp : path.substr(0, slash + 1) + dp;
    pth.finish("dataPath");
  }
  f.metrics_file = out.text("metrics", "");
  f.potential_name = out.text("potential", "");
  if (const Entry *e = out.find("output_style"))
    if (e->value != "SNAP") out.fail(*e, "'" + e->value + "' is not supported (reval-fit writes SNAP)");
  out.finish("metrics potential output_style");
  if (f.potential_name.empty()) throw Error(path + ": [OUTFILE] potential is required (the name of the files to write)");
  parse_groups(grp, f);
  grp.finish("group_sections group_types smartweights random_sampling GROUP = 5 values");
  parse_reval(rev, f);
  return f;
}

FitInput read_fit_input(const std::string &path)
{
  std::ifstream in(path);
  if (!in) throw Error("cannot open reval-fit input file '" + path + "'");
  return read_fit_input(in, path);
}

}    // namespace reval
