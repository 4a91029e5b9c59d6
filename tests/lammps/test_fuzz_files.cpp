// Fuzz test through LAMMPS (issue 12: "0 crashes, 0 hangs"): every kind of file REVAL's styles read
// (.snapcoeff, .snapparam, ML-IAP linear / quadratic / nn models and descriptors, the pair_coeff lines
// of pair_style snap/model with committees, site files of compute vacancy/sites, reference dumps of
// compute force/error, template files of fix re/stats) is mutated a few hundred times
// (tests/unit/fuzz_mutator.h) and used in a short LAMMPS run. Each case must either run or stop with a
// LAMMPS ERROR: never a signal, never a hang. The cases run in batches in reval_fuzz_lammps_driver
// (one LAMMPS, `clear` between cases, a per-case alarm); when a driver dies, the case it was running
// is the culprit and a new driver continues after it. A failing case is reported with its input;
// its files stay in the case folder, and REVAL_FUZZ_CASE=<kind>:<case> runs that case alone.
#include "lammps_session.h"

#include "fuzz_mutator.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

using namespace reval::test;
using namespace reval::fuzz;

extern char **environ;

namespace {

std::string pot(const std::string &name)
{
  return potentials_dir() + "/" + name;
}

bool have(const std::string &path)
{
  return std::ifstream(path).good();
}

std::string shell_quote(const std::string &s)
{
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// One seed: the text that is mutated (written to case-<i>.<ext>) and the LAMMPS input that uses it.
/// A line "@@INLINE <file>" of the input is replaced by the mutated text itself (commands).
struct LmpSeed {
  std::string label;
  std::string text;
  std::function<std::string(const std::string &file)> input;
};

struct LmpCampaign {
  std::string kind;
  std::string ext;                                  ///< extension of the mutated file
  std::vector<LmpSeed> seeds;
  std::vector<std::pair<std::size_t, std::string>> directed;    ///< (seed whose input to use, text)
  std::map<std::string, std::string> files;         ///< fixed files of the case folder
  int cases = 400;                                  ///< mutated cases
  unsigned case_timeout_s = 60;
};

struct LmpCase {
  std::size_t seed = 0;
  std::string text;
  std::vector<int> ops;
  bool directed = false;
};

std::string case_input(const LmpSeed &seed, const std::string &file, const std::string &text)
{
  std::string in = seed.input(file);
  const std::string mark = "@@INLINE " + file;
  const std::size_t p = in.find(mark);
  if (p != std::string::npos) in.replace(p, mark.size(), text);
  return in;
}

LmpCase make_case(const LmpCampaign &c, std::size_t i)
{
  LmpCase k;
  if (i < c.seeds.size()) {
    k.seed = i;
    k.text = c.seeds[i].text;
  } else if (i < c.seeds.size() + c.directed.size()) {
    k.seed = c.directed[i - c.seeds.size()].first;
    k.text = c.directed[i - c.seeds.size()].second;
    k.directed = true;
  } else {
    FuzzRng rng(case_seed("lammps-" + c.kind, i));
    k.seed = rng.below(c.seeds.size());
    k.text = mutate(c.seeds[k.seed].text, rng, &k.ops);
  }
  return k;
}

std::string describe(const LmpCampaign &c, const LmpCase &k)
{
  std::string s = "seed " + c.seeds[k.seed].label + ", ";
  if (k.directed) return s + "directed case";
  if (k.ops.empty()) return s + "unmutated";
  for (std::size_t j = 0; j < k.ops.size(); ++j) s += (j ? " + " : "") + std::string(mutation_name(k.ops[j]));
  return s;
}

struct LmpResult {
  std::size_t cases = 0, ran = 0, errors = 0, crashes = 0, hangs = 0;
  std::vector<char> outcome;                        ///< per case: O ran, E error, C crash, H hang, ? none
  std::map<std::string, std::size_t> messages;      ///< error messages (first 90 characters) and counts
  std::vector<std::string> failures;
  double seconds = 0.0;
};

/// Environment of a child process: without this process' own MPI singleton variables (as run_lmp).
std::string clean_env()
{
  std::string clean = "env";
  for (char **e = environ; *e; ++e) {
    const std::string kv = *e;
    const std::string k = kv.substr(0, kv.find('='));
    if ((k.rfind("OMPI_", 0) == 0 || k.rfind("PMIX_", 0) == 0 || k.rfind("OPAL_", 0) == 0 || k.rfind("PRTE_", 0) == 0) &&
        k.rfind("OMPI_ALLOW_RUN_AS_ROOT", 0) != 0)
      clean += " -u " + k;
  }
  return clean;
}

LmpResult run_lmp_campaign(const LmpCampaign &c, const std::string &dir, std::size_t batch = 100)
{
  LmpResult res;
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t total = c.seeds.size() + c.directed.size() + static_cast<std::size_t>(c.cases);
  for (const auto &f : c.files) std::ofstream(dir + "/" + f.first, std::ios::binary) << f.second;
  for (std::size_t i = 0; i < total; ++i) {
    const LmpCase k = make_case(c, i);
    const std::string file = "case-" + std::to_string(i) + "." + c.ext;
    std::ofstream(dir + "/" + file, std::ios::binary) << k.text;
    std::ofstream(dir + "/case-" + std::to_string(i) + ".lmp", std::ios::binary) << case_input(c.seeds[k.seed], file, k.text);
  }
  res.outcome.assign(total, '?');
  auto fail = [&](std::size_t i, const std::string &why) {
    const LmpCase k = make_case(c, i);
    res.failures.push_back(c.kind + " case " + std::to_string(i) + " (" + describe(c, k) + "): " + why +
                           "\n  files: " + dir + "/case-" + std::to_string(i) + ".{lmp," + c.ext +
                           "} (REVAL_KEEP_TEMP=1 keeps them); rerun alone: REVAL_FUZZ_CASE=" + c.kind + ":" +
                           std::to_string(i) + "\n  mutated " + c.ext + " file:\n" + printable(k.text, 1500));
  };
  const std::string env = clean_env() + " LAMMPS_POTENTIALS=" + shell_quote(potentials_dir()) + " OMP_NUM_THREADS=1";
  std::size_t next = 0;
  while (next < total) {
    const std::size_t last = std::min(total, next + batch);
    const std::string out = dir + "/driver-" + std::to_string(next) + ".out", err = out + ".err";
    // guard against a driver whose alarm does not fire: kill it well after every case had its time
    const unsigned guard = c.case_timeout_s + 60 + static_cast<unsigned>(last - next) * 5;
    const std::string cmd = "cd " + shell_quote(dir) + " && exec " + env + " timeout -s KILL " + std::to_string(guard) +
                            " " + shell_quote(REVAL_FUZZ_DRIVER) + " " + shell_quote(dir) + " " + std::to_string(next) +
                            " " + std::to_string(last) + " " + std::to_string(c.case_timeout_s) + " > " +
                            shell_quote(out) + " 2> " + shell_quote(err);
    const int st = std::system(cmd.c_str());
    std::ifstream in(out);
    std::string line;
    long begun = -1;
    std::size_t done = next;
    while (std::getline(in, line)) {
      long i = -1;
      char word[16] = {0};
      if (std::sscanf(line.c_str(), "@@BEGIN %ld", &i) == 1) {
        begun = i;
      } else if (std::sscanf(line.c_str(), "@@END %ld %15s", &i, word) == 2 && i >= 0 &&
                 static_cast<std::size_t>(i) < total) {
        ++res.cases;
        if (std::string(word) == "OK") {
          ++res.ran;
          res.outcome[i] = 'O';
        } else if (std::string(word) == "ESCAPE") {
          ++res.crashes;
          res.outcome[i] = 'C';
          fail(static_cast<std::size_t>(i), "crash: an exception other than a LAMMPS error left the input "
                                            "(lmp would terminate): " + line.substr(line.find("ESCAPE") + 7));
        } else {
          ++res.errors;
          res.outcome[i] = 'E';
          const std::size_t p = line.find("ERROR ");
          std::string m = p == std::string::npos ? line : line.substr(p + 6);
          std::string key;    // group messages: numbers (case, line, counts) as '#'
          for (std::size_t q = 0; q < m.size() && key.size() < 100; ++q)
            if (m[q] >= '0' && m[q] <= '9') {
              if (key.empty() || key.back() != '#') key += '#';
            } else {
              key += m[q];
            }
          ++res.messages[key];
        }
        done = static_cast<std::size_t>(i) + 1;
        begun = -1;
      }
    }
    if (done < last) {    // the driver died in case `done`
      std::string why;
      const bool signaled = st != -1 && WIFSIGNALED(st);
      const int sig = signaled ? WTERMSIG(st) : 0;
      const int code = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
      const bool hang = (signaled && (sig == SIGALRM || sig == SIGKILL)) || code == 128 + SIGALRM || code == 137;
      std::string tail = read_file(err);
      if (tail.size() > 3000) tail = "..." + tail.substr(tail.size() - 3000);
      if (begun < 0) begun = static_cast<long>(done);    // died before announcing the case
      ++res.cases;
      if (hang) {
        ++res.hangs;
        res.outcome[begun] = 'H';
        why = "hang: still running after " + std::to_string(c.case_timeout_s) + " s";
      } else {
        ++res.crashes;
        res.outcome[begun] = 'C';
        why = "crash: the driver " +
              (signaled ? "was killed by signal " + std::to_string(sig) : "exited with status " + std::to_string(code)) +
              " without an ERROR; its stderr:\n" + tail;
      }
      fail(static_cast<std::size_t>(begun), why);
      next = static_cast<std::size_t>(begun) + 1;
    } else {
      next = last;
    }
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

void run_lmp_campaign_test(LmpCampaign c)
{
  ASSERT_FALSE(c.seeds.empty());
  if (const char *v = std::getenv("REVAL_FUZZ_LAMMPS_CASES")) c.cases = std::max(0, std::atoi(v));
  if (const char *one = std::getenv("REVAL_FUZZ_CASE")) {
    const std::string s = one;
    const std::size_t colon = s.find(':');
    if (s.substr(0, colon) != c.kind) GTEST_SKIP() << "REVAL_FUZZ_CASE=" << s << " selects another kind";
    const std::size_t i = std::stoul(s.substr(colon + 1));
    const LmpCase k = make_case(c, i);
    LmpOptions o;
    o.timeout_s = static_cast<int>(c.case_timeout_s);
    o.files = c.files;
    const std::string file = "case-" + std::to_string(i) + "." + c.ext;
    o.files[file] = k.text;
    const std::string input = case_input(c.seeds[k.seed], file, k.text);
    std::printf("[ fuzz     ] %s case %zu (%s)\n--- %s:\n%s\n--- input:\n%s\n", c.kind.c_str(), i, describe(c, k).c_str(),
                file.c_str(), printable(k.text, 1u << 20).c_str(), input.c_str());
    const LmpRun r = run_lmp(input, o);
    std::printf("--- lmp exit status %d, output:\n%s\n", r.status, r.output.c_str());
    EXPECT_TRUE(r.status == 0 || r.error_line().find("ERROR") != std::string::npos) << "neither ran nor stopped with an ERROR";
    return;
  }
  const std::string dir = make_temp_dir("fuzz-" + c.kind);
  const LmpResult r = run_lmp_campaign(c, dir);
  std::printf("[ fuzz     ] lammps %s: %zu cases (%zu seeds + %zu directed + %d mutated) in %.1f s: %zu ran, %zu "
              "stopped with an ERROR, %zu crashes, %zu hangs\n",
              c.kind.c_str(), r.cases, c.seeds.size(), c.directed.size(), c.cases, r.seconds, r.ran, r.errors,
              r.crashes, r.hangs);
  std::vector<std::pair<std::size_t, std::string>> top;
  for (const auto &m : r.messages) top.emplace_back(m.second, m.first);
  std::sort(top.rbegin(), top.rend());
  for (std::size_t k = 0; k < top.size() && k < 6; ++k)
    std::printf("[ fuzz     ]   %4zu x ERROR %s\n", top[k].first, top[k].second.c_str());
  for (std::size_t k = 0; k < r.failures.size() && k < 10; ++k) ADD_FAILURE() << r.failures[k];
  EXPECT_EQ(r.crashes + r.hangs, 0u);
  EXPECT_EQ(r.cases, c.seeds.size() + c.directed.size() + static_cast<std::size_t>(c.cases));
  for (std::size_t i = 0; i < c.seeds.size(); ++i)
    EXPECT_EQ(r.outcome[i], 'O') << c.kind << " seed " << c.seeds[i].label << " does not run (case " << i
                                 << "; rerun it with REVAL_FUZZ_CASE=" << c.kind << ":" << i << ")";
  if (c.cases >= 100) {
    EXPECT_GT(r.errors, 0u) << "no mutation stopped with an ERROR";
    EXPECT_GT(r.ran, c.seeds.size()) << "no mutation ran";
  }
}

// ---------------------------------------------------------------------------------- inputs

// 8 atoms of a diamond cell, two types, slightly displaced (SNAP and force/error cases)
const char *kCell = "units metal\nboundary p p p\nlattice diamond 5.431\nregion box block 0 1 0 1 0 1\n"
                    "create_box 2 box\ncreate_atoms 1 box\nmass * 28.0855\nset type 1 type/fraction 2 0.5 4242\n"
                    "displace_atoms all random 0.05 0.05 0.05 777 units box\n";
// 64 atoms of a 2x2x2 diamond cell (sites and re/stats cases)
const char *kCell2 = "units metal\nboundary p p p\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\n"
                     "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n";

// tiny potentials (as in tests/unit/test_fuzz_parsers.cpp): twojmax 2, elements X and Y
const char *kTinyParam = "rcutfac 1.2\ntwojmax 2\nrfac0 0.99363\nrmin0 0\nswitchflag 1\nbzeroflag 1\n";
const char *kTinyCoeff = "2 6\nX 2.0 1.0\n-1.5\n0.1\n-0.2\n0.3\n0.05\n-0.01\nY 1.8 0.7\n-1.1\n0.2\n0.1\n-0.3\n0.02\n0.04\n";
const char *kTinyDescriptor = "rcutfac 1.2\ntwojmax 2\nnelems 2\nelems X Y\nradelems 2.0 1.8\nwelems 1.0 0.7\n"
                              "rfac0 0.99363\nrmin0 0\nbzeroflag 0\n";

std::string tiny_model(const std::string &kind, double scale = 1.0)
{
  std::string s;
  auto num = [&](double v) { return std::to_string(scale * v); };
  if (kind == "linear") {
    s = "2 6\n";
    for (int e = 0; e < 2; ++e)
      for (int k = 0; k < 6; ++k) s += num(0.1 * (k + 1) * (e ? -1 : 1)) + "\n";
  } else if (kind == "quadratic") {
    s = "2 21\n";
    for (int e = 0; e < 2; ++e)
      for (int k = 0; k < 21; ++k) s += num(0.01 * (k % 7) - 0.02 * e) + "\n";
  } else {
    const int np = (5 + 1) * 3 + (3 + 1) * 2 + (2 + 1) * 1;
    s = "2 " + std::to_string(np) + "\nNET 5 3 relu 3 sigmoid 2 linear 1\n";
    for (int e = 0; e < 2; ++e) {
      s += "0.1 0.2 0.3 0.4 0.5\n1.0 2.0 0.5 1.5 3.0\n";
      for (int k = 0; k < np; ++k) s += num(0.05 * ((k * 7 + e) % 11) - 0.25) + ((k % 10 == 9) ? "\n" : " ");
      s += "\n";
    }
  }
  return s;
}

std::string slurp(const std::string &path)
{
  return read_file(path);
}

std::string snap_input(const std::string &coeff, const std::string &param, const std::string &elements)
{
  return std::string(kCell) + "pair_style snap/model\npair_coeff * * " + coeff + " " + param + " " + elements +
         "\nthermo_style custom step pe press\nrun 0\n";
}

std::string mliap_input(const std::string &kind, const std::string &model, const std::string &desc,
                        const std::string &elements)
{
  return std::string(kCell) + "pair_style snap/model\npair_coeff * * " + kind + " " + model + " " + desc + " " +
         elements + "\nthermo_style custom step pe press\nrun 0\n";
}

struct SnapSet {
  std::string label, coeff_file, param_file, elements;
};

// SNAP seeds: (label, coeff file, param file, elements for the 2 types); the files go to the case folder
std::vector<SnapSet> snap_sets(std::map<std::string, std::string> &files)
{
  files["tiny.snapcoeff"] = kTinyCoeff;
  files["tiny.snapparam"] = kTinyParam;
  std::vector<SnapSet> v = {{"tiny", "tiny.snapcoeff", "tiny.snapparam", "X Y"}};
  const std::vector<std::pair<std::string, std::string>> real = {{"Si_Zuo_JPCA2020", "Si Si"},
                                                                 {"Si_Zuo_JPCA2020.quadratic", "Si Si"},
                                                                 {"InP_JCPA2020", "In P"},
                                                                 {"W_2940_2017_2", "W W"}};
  for (const auto &r : real)
    if (have(pot(r.first + ".snapcoeff"))) {
      files[r.first + ".snapcoeff"] = slurp(pot(r.first + ".snapcoeff"));
      files[r.first + ".snapparam"] = slurp(pot(r.first + ".snapparam"));
      v.push_back({r.first, r.first + ".snapcoeff", r.first + ".snapparam", r.second});
    }
  return v;
}

LmpCampaign snap_campaign(bool coeff)
{
  LmpCampaign c{coeff ? "snapcoeff" : "snapparam", coeff ? "snapcoeff" : "snapparam", {}, {}, {}};
  for (const auto &s : snap_sets(c.files)) {
    const std::string fixed = coeff ? s.param_file : s.coeff_file;
    c.seeds.push_back({s.label, c.files[coeff ? s.coeff_file : s.param_file], [s, fixed, coeff](const std::string &f) {
                         return coeff ? snap_input(f, fixed, s.elements) : snap_input(fixed, f, s.elements);
                       }});
  }
  if (coeff) {
    c.directed = {{0, "1 10000000\nX 2.0 1.0\n-1.5\n"},
                  {0, "2 6\nX 2.0 1.0\n-1.5\n0.1\n-0.2\n0.3\n0.05\n-0.01\nY 1e300 0.7\n-1.1\n0.2\n0.1\n-0.3\n0.02\n0.04\n"}};
  } else {
    c.directed = {{0, "rcutfac 1.2e30\ntwojmax 2\n"},
                  {0, "rcutfac 1e-300\ntwojmax 2\n"},
                  {0, "rcutfac 12\ntwojmax 2\n"}};
  }
  return c;
}

struct MliapSet {
  std::string label, kind, model_file, desc_file, elements;
};

std::vector<MliapSet> mliap_sets(std::map<std::string, std::string> &files)
{
  files["tiny.descriptor"] = kTinyDescriptor;
  std::vector<MliapSet> v;
  for (const char *k : {"linear", "quadratic", "nn"}) {
    files[std::string("tiny.") + k] = tiny_model(k);
    v.push_back({std::string("tiny ") + k, k, std::string("tiny.") + k, "tiny.descriptor", "X Y"});
  }
  const std::vector<std::array<std::string, 5>> real = {
      {"Ta06A linear", "linear", "Ta06A.mliap.model", "Ta06A.mliap.descriptor", "Ta Ta"},
      {"InP linear", "linear", "InP_JCPA2020.mliap.model", "InP_JCPA2020.mliap.descriptor", "In P"},
      {"W quadratic", "quadratic", "W.quadratic.mliap.model", "W.quadratic.mliap.descriptor", "W W"},
      {"Cu nn", "nn", "Cu.nn.mliap.model", "Cu.snap.mliap.descriptor", "Cu Cu"},
      {"Ta06A nn", "nn", "Ta06A.nn.mliap.model", "Ta06A.mliap.descriptor", "Ta Ta"}};
  for (const auto &r : real)
    if (have(pot(r[2])) && have(pot(r[3]))) {
      files[r[2]] = slurp(pot(r[2]));
      files[r[3]] = slurp(pot(r[3]));
      v.push_back({r[0], r[1], r[2], r[3], r[4]});
    }
  const std::string synth = source_dir() + "/tests/unit/refdata/si_synthetic";
  if (have(synth + ".nn.mliap.model")) {
    files["si_synthetic.nn.mliap.model"] = slurp(synth + ".nn.mliap.model");
    files["si_synthetic.mliap.descriptor"] = slurp(synth + ".mliap.descriptor");
    v.push_back({"Si synthetic nn", "nn", "si_synthetic.nn.mliap.model", "si_synthetic.mliap.descriptor", "Si Si"});
  }
  return v;
}

LmpCampaign mliap_model_campaign(const std::string &kind)
{
  LmpCampaign c{"mliap-" + kind, "model", {}, {}, {}};
  for (const auto &s : mliap_sets(c.files))
    if (s.kind == kind)
      c.seeds.push_back({s.label, c.files[s.model_file],
                         [s](const std::string &f) { return mliap_input(s.kind, f, s.desc_file, s.elements); }});
  c.directed = {{0, "1000 10000000\n0.1\n"}, {0, "2 2147483647\n0.1\n"}};
  return c;
}

LmpCampaign mliap_descriptor_campaign()
{
  LmpCampaign c{"mliap-descriptor", "descriptor", {}, {}, {}};
  for (const auto &s : mliap_sets(c.files))
    c.seeds.push_back({s.label, c.files[s.desc_file],
                       [s](const std::string &f) { return mliap_input(s.kind, s.model_file, f, s.elements); }});
  c.directed = {{0, std::string(kTinyDescriptor) + "rmin0 1e308\n"},
                {0, std::string(kTinyDescriptor).replace(0, 11, "rcutfac 1e30")}};
  return c;
}

// The pair_coeff command of pair_style snap/model is the mutated text (committees included); the
// lines around it are fixed. (Only that line: other LAMMPS commands have bugs of their own, e.g. a
// 2000-character thermo_style keyword corrupts the heap in LAMMPS 29Sep2021's Thermo.)
LmpCampaign pair_coeff_campaign()
{
  LmpCampaign c{"pair-coeff", "pair_coeff", {}, {}, {}};
  snap_sets(c.files);
  mliap_sets(c.files);
  const bool si = c.files.count("Si_Zuo_JPCA2020.snapcoeff") > 0;
  if (si) {
    // a second member: the Si coefficients scaled by 1.001
    std::istringstream in(c.files["Si_Zuo_JPCA2020.snapcoeff"]);
    std::string line, out;
    int header = 0;
    while (std::getline(in, line)) {
      std::istringstream ls(line);
      std::vector<std::string> w;
      for (std::string t; ls >> t;) w.push_back(t);
      if (w.empty() || w[0][0] == '#' || header < 2 || w.size() != 1) {
        if (!w.empty() && w[0][0] != '#') ++header;
        out += line + "\n";
      } else {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g\n", std::stod(w[0]) * 1.001);
        out += buf;
      }
    }
    c.files["Si2.snapcoeff"] = out;
  }
  c.files["tiny2.linear"] = tiny_model("linear", 1.3);
  // the case's .lmp reads the mutated pair_coeff line from the case file: `include` is not used
  // (LAMMPS 29Sep2021 does not unwind its include depth after an ERROR inside the file)
  struct Block {
    std::string label, before, line, after;
  };
  std::vector<Block> blocks = {
      {"tiny snap", "pair_style snap/model", "pair_coeff * * tiny.snapcoeff tiny.snapparam X Y", "thermo_style custom step pe"},
      {"tiny committee mliap", "pair_style snap/model",
       "pair_coeff * * committee 3 linear tiny.linear tiny.descriptor quadratic tiny.quadratic tiny.descriptor nn "
       "tiny.nn tiny.descriptor X Y",
       "compute unc all committee/atom\nthermo_style custom step pe c_unc[1] c_unc[2]"},
      {"tiny committee hybrid", "pair_style hybrid/overlay zero 4.0 snap/model\npair_coeff * * zero",
       "pair_coeff * * snap/model committee 2 linear tiny.linear tiny.descriptor linear tiny2.linear tiny.descriptor X NULL",
       "compute unc all committee/atom\nthermo_style custom step pe c_unc[1] c_unc[3]"}};
  if (si)
    blocks.push_back({"Si committee snap", "pair_style snap/model",
                      "pair_coeff * * committee 2 Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Si2.snapcoeff "
                      "Si_Zuo_JPCA2020.snapparam Si Si",
                      "compute unc all committee/atom\nthermo_style custom step pe c_unc[1] c_unc[2]"});
  for (const auto &b : blocks)
    c.seeds.push_back({b.label, b.line + "\n", [b](const std::string &f) {
                         return std::string(kCell) + b.before + "\n@@INLINE " + f + "\n" + b.after + "\nrun 0\n";
                       }});
  c.directed = {{0, "pair_coeff * * committee 2147483648 tiny.snapcoeff tiny.snapparam X Y\n"},
                {0, "pair_coeff * * committee 65 tiny.snapcoeff tiny.snapparam X Y\n"},
                {0, "pair_coeff * * committee 2 committee 2 tiny.snapcoeff tiny.snapparam X Y\n"},
                {1, "pair_coeff * * tiny.snapcoeff tiny.snapparam X Y\n"}};
  return c;
}

// Site files of compute vacancy/sites, used by compute re/atom too.
LmpCampaign sites_campaign()
{
  LmpCampaign c{"sites-file", "sites", {}, {}, {}};
  const double a = 5.431;
  const double basis[8][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
                              {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
  std::string text = "# diamond 2x2x2 (a = 5.431)\n";
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 2; ++j)
      for (int i = 0; i < 2; ++i)
        for (const auto &b : basis) {
          char buf[128];
          std::snprintf(buf, sizeof buf, "%.6f %.6f %.6f\n", (i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a);
          text += buf;
        }
  auto input = [](const std::string &f) {
    return std::string(kCell2) + "pair_style zero 6.0\npair_coeff * *\n"
           "displace_atoms all random 0.3 0.3 0.3 99 units box\n"
           "compute s all vacancy/sites sites file " + f + "\ncompute re all re/atom s\n"
           "compute nmig all reduce sum c_re[1]\nthermo_style custom step c_s c_s[2] c_nmig\nrun 0\n";
  };
  c.seeds.push_back({"diamond 2x2x2", text, input});
  c.directed = {{0, "1 1 1\n"}, {0, "1 1 1\n1 1 1\n"}, {0, text + text}};
  return c;
}

// Reference dumps of compute force/error (frames 0..10 of the 8-atom cell).
std::string dump_text(bool custom)
{
  std::string s;
  for (int step = 0; step <= 10; ++step) {
    s += "ITEM: TIMESTEP\n" + std::to_string(step) + "\nITEM: NUMBER OF ATOMS\n8\n";
    if (!custom) s += "ITEM: BOX BOUNDS pp pp pp\n0 5.431\n0 5.431\n0 5.431\n";
    s += custom ? "ITEM: ATOMS id fx fy fz\n" : "ITEM: ATOMS id type x y z fx fy fz\n";
    for (int k = 0; k < 8; ++k) {
      const int id = custom ? 8 - k : k + 1;
      const double f = 0.01 * (k + 1) * (step + 1);
      char buf[256];
      if (custom)
        std::snprintf(buf, sizeof buf, "%d %.6g %.6g %.6g\n", id, f, -f, 0.5 * f);
      else
        std::snprintf(buf, sizeof buf, "%d 1 0 0 0 %.6g %.6g %.6g\n", id, f, -f, 0.5 * f);
      s += buf;
    }
  }
  return s;
}

LmpCampaign dump_campaign()
{
  LmpCampaign c{"dump-file", "dump", {}, {}, {}};
  auto input = [](const std::string &keywords) {
    return [keywords](const std::string &f) {
      std::string kw = keywords;
      for (std::size_t p; (p = kw.find("FILE")) != std::string::npos;) kw.replace(p, 4, f);
      return std::string(kCell) + "pair_style zero 4.0\npair_coeff * *\ncompute fe all force/error " + kw +
             "\nthermo 5\nthermo_style custom step c_fe[1] c_fe[3] c_fe[5]\nrun 10\n";
    };
  };
  c.files["good.dump"] = dump_text(true);
  c.seeds = {{"atom + forces", dump_text(false), input("ref file FILE")},
             {"custom id fx fy fz", dump_text(true), input("ref file FILE accumulate yes")},
             {"pred file", dump_text(false), input("ref file good.dump pred file FILE bins 10 1.0 9 90")}};
  const std::string head = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n";
  c.directed = {{0, head + "99999999999\nITEM: ATOMS id fx fy fz\n1 0 0 0\n"},
                {0, head + "2305843009213693952\nITEM: ATOMS id fx fy fz\n1 0 0 0\n2 0 0 0\n"},
                {0, head + "2\nITEM: ATOMS id fx fy fz\n1 nan 0 0\n1 0 0 0\n"},
                {0, head + "2\nITEM: ATOMS id fx fy fz\n1e30 0 0 0\n4.7 0x10 0 0\n"}};
  return c;
}

// Interstitial templates of fix re/stats (2x2x2 diamond with a tetrahedral interstitial).
LmpCampaign itypes_campaign()
{
  LmpCampaign c{"itypes-file", "tpl", {}, {}, {}};
  const double s = std::sqrt(3.0) / 8.0 / std::sqrt(2.0);
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "# diamond templates\nsplit-110\n%.10f %.10f 0\n%.10f %.10f 0\ntetrahedral\n-0.25 -0.25 -0.25\n"
                "hexagonal\n-0.375 0.125 0.125\n",
                s, s, -s, -s);
  auto input = [](const std::string &f) {
    return std::string(kCell2) + "create_atoms 1 single 0.75 0.75 0.75\npair_style zero 6.0\npair_coeff * *\n"
           "compute s all vacancy/sites\nfix st all re/stats 1 s itypes file " + f +
           "\nthermo_style custom step f_st[2] f_st[7]\nrun 2\n";
  };
  c.seeds = {{"diamond", buf, input},
             {"relaxed + extra", "split\n0.11 0.11 0\n-0.11 -0.11 0\ntet # one atom\n-0.25 -0.25 -0.25\n"
                                 "three\n0.1 0 0\n-0.1 0 0\n0 0.2 0\n", input}};
  std::string crowd = "crowd\n";
  for (int k = 0; k < 300; ++k) crowd += "0.01 0.02 " + std::to_string(0.001 * k) + "\n";
  c.directed = {{0, "big\n1e308 1e308 1e308\n"}, {0, crowd}, {0, "hex\n0x10 0 0\n"}};
  return c;
}

}    // namespace

TEST(FuzzFiles, SnapCoeff) { run_lmp_campaign_test(snap_campaign(true)); }
TEST(FuzzFiles, SnapParam) { run_lmp_campaign_test(snap_campaign(false)); }
TEST(FuzzFiles, MliapLinearModel) { run_lmp_campaign_test(mliap_model_campaign("linear")); }
TEST(FuzzFiles, MliapQuadraticModel) { run_lmp_campaign_test(mliap_model_campaign("quadratic")); }
TEST(FuzzFiles, MliapNNModel) { run_lmp_campaign_test(mliap_model_campaign("nn")); }
TEST(FuzzFiles, MliapDescriptor) { run_lmp_campaign_test(mliap_descriptor_campaign()); }
TEST(FuzzFiles, PairCoeffCommittee) { run_lmp_campaign_test(pair_coeff_campaign()); }
TEST(FuzzFiles, SiteFile) { run_lmp_campaign_test(sites_campaign()); }
TEST(FuzzFiles, DumpFile) { run_lmp_campaign_test(dump_campaign()); }
TEST(FuzzFiles, InterstitialTemplates) { run_lmp_campaign_test(itypes_campaign()); }
