// The reval-fit program end to end (no LAMMPS needed): a FitSNAP-format input over extended XYZ data
// labelled by a known SNAP model gives back that model in .snapcoeff/.snapparam files that REVAL's
// pair snap loader reads, a committee of NAME_m.snapcoeff files, the metrics markdown and the
// predictions file; bad inputs and bad data stop with exit status 1 and a message naming the key, or
// the file and frame; --dry-run writes nothing.
#include "fit_test_support.h"

#include "core/error.h"
#include "core/extxyz.h"
#include "core/fit_input.h"
#include "core/snap_files.h"
#include "core/snap_models.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace reval;
using namespace reval::fittest;

namespace {

struct Dir {
  std::string path;
  Dir()
  {
    char t[] = "/tmp/reval-fitprog-XXXXXX";
    path = ::mkdtemp(t);
  }
  ~Dir() { std::system(("rm -rf " + path).c_str()); }
  std::string operator/(const std::string &n) const { return path + "/" + n; }
  void write(const std::string &name, const std::string &text) const { std::ofstream(path + "/" + name) << text; }
};

struct ProgRun {
  int status = -1;
  std::string out;
};

ProgRun reval_fit(const Dir &d, const std::string &args)
{
  const std::string cmd = "cd " + d.path + " && " + REVAL_FIT_EXE + " " + args + " > run.txt 2>&1";
  const int st = std::system(cmd.c_str());
  ProgRun r;
  r.status = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
  std::ifstream f(d / "run.txt");
  std::stringstream s;
  s << f.rdbuf();
  r.out = s.str();
  return r;
}

bool exists(const std::string &p) { return ::access(p.c_str(), F_OK) == 0; }

/// data/train.xyz: `n` Si configurations labelled by the known linear twojmax-4 model.
std::vector<XyzFrame> write_data(const Dir &d, int n, const SnapParams &p, const std::vector<double> &truth)
{
  FitInput in;
  in.snap = p;
  in.groups = {FitGroup{"g"}};
  FitDriver gen(in);
  SplitMix64 rng(2024);
  std::vector<XyzFrame> frames;
  std::system(("mkdir -p " + (d / "data")).c_str());
  std::ofstream out(d / "data/train.xyz");
  for (int k = 0; k < n; ++k) {
    frames.push_back(random_frame(rng, "Si", "diamond", 1, 0.3));
    label(gen, truth, frames.back());
    write_extxyz(out, frames.back());
  }
  return frames;
}

}    // namespace

TEST(RevalFitProgram, FitsWritesLoadableFilesCommitteeMetricsAndPredictions)
{
  Dir d;
  const SnapParams p = params("Si", 4, 1);
  const auto truth = known_coeffs(1, p.ncoeff(), false);
  const auto frames = write_data(d, 14, p, truth);
  d.write("fit.in", input_text(p, false, "data", "train = 10 4 1.0 1.0 0.0",
                               "[ESHIFT]\nSi = -3.1\n\n[OUTFILE]\nmetrics = fit_metrics.md\npotential = Si_fit\n\n[REVAL]\ncommittee = 3\n"
                               "committee_method = bootstrap\nseed = 7\n"));
  const ProgRun r = reval_fit(d, "--predictions pred.xyz fit.in");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("10 training configurations (80 atoms), 4 testing"), std::string::npos) << r.out;
  const SnapPotential pot = load_snap_potential(d / "Si_fit.snapcoeff", d / "Si_fit.snapparam", {"Si"});
  EXPECT_EQ(pot.params.difference(p), "");
  EXPECT_LT(max_rel_diff(pot.model.coeff(), truth), 1e-6);
  // committee: NAME_1 .. NAME_3, loadable as one committee sharing NAME.snapparam
  std::vector<SnapPotential> members;
  for (int m = 1; m <= 3; ++m) {
    ASSERT_TRUE(exists(d / ("Si_fit_" + std::to_string(m) + ".snapcoeff"))) << m;
    members.push_back(load_snap_potential(d / ("Si_fit_" + std::to_string(m) + ".snapcoeff"), d / "Si_fit.snapparam", {"Si"}));
  }
  EXPECT_FALSE(exists(d / "Si_fit_4.snapcoeff"));
  EXPECT_EQ(make_committee(members).size(), 3u);
  // metrics markdown with the training and the testing rows
  std::ifstream mf(d / "fit_metrics.md");
  std::stringstream ms;
  ms << mf.rdbuf();
  EXPECT_NE(ms.str().find("| train | training | 10 | 80 |"), std::string::npos) << ms.str();
  EXPECT_NE(ms.str().find("| train | testing | 4 | 32 |"), std::string::npos) << ms.str();
  // predictions: every configuration, the fitted model's energy and forces next to the data
  const auto pred = read_extxyz(d / "pred.xyz");
  ASSERT_EQ(pred.size(), 14u);
  for (size_t k = 0; k < pred.size(); ++k) {
    EXPECT_EQ(pred[k].info.at("reval_set"), k < 10 ? "training" : "testing");
    EXPECT_EQ(pred[k].info.at("reval_group"), "train");
    const double e = std::stod(pred[k].info.at("reval_energy"));
    EXPECT_NEAR(e, frames[k].energy, 1e-9 * std::fabs(frames[k].energy));
    const auto &f = pred[k].arrays.at("reval_forces");
    for (size_t c = 0; c < f.size(); ++c) EXPECT_NEAR(f[c], frames[k].forces[c], 1e-7);
  }
  // --evaluate: the written potential on the same input gives the same report tables, no fit, no files
  const ProgRun ev = reval_fit(d, "--evaluate Si_fit.snapcoeff Si_fit.snapparam --metrics eval.md fit.in");
  ASSERT_EQ(ev.status, 0) << ev.out;
  EXPECT_NE(ev.out.find("evaluating Si_fit.snapcoeff"), std::string::npos) << ev.out;
  std::ifstream ef(d / "eval.md");
  std::stringstream es;
  es << ef.rdbuf();
  auto tables = [](const std::string &md) {    // the energies-and-forces table
    const size_t a = md.find("## Energies");
    return md.substr(a, md.find("\n\n", md.find("|---")) - a);
  };
  EXPECT_NE(tables(es.str()).find("| train | testing | 4 | 32 |"), std::string::npos) << es.str();
  EXPECT_EQ(tables(es.str()), tables(ms.str()));
  EXPECT_NE(es.str().find("reval-fit evaluation: Si_fit.snapcoeff"), std::string::npos);
  const ProgRun eb = reval_fit(d, "--evaluate nothere.snapcoeff Si_fit.snapparam fit.in");
  EXPECT_EQ(eb.status, 1);
  EXPECT_NE(eb.out.find("nothere.snapcoeff"), std::string::npos) << eb.out;
  const ProgRun ver = reval_fit(d, "--version");
  EXPECT_EQ(ver.status, 0);
  EXPECT_TRUE(ver.out.find("(MPI)") != std::string::npos || ver.out.find("(serial)") != std::string::npos) << ver.out;

  // --dry-run: checks, writes nothing
  Dir d2;
  write_data(d2, 3, p, truth);
  d2.write("fit.in", input_text(p, false, "data", "train = 1.0 0.0 1.0 1.0 0.0", "[OUTFILE]\npotential = X\n"));
  const ProgRun dry = reval_fit(d2, "--dry-run fit.in");
  EXPECT_EQ(dry.status, 0) << dry.out;
  EXPECT_NE(dry.out.find("dry run"), std::string::npos) << dry.out;
  EXPECT_FALSE(exists(d2 / "X.snapcoeff"));
  const ProgRun quiet = reval_fit(d2, "--quiet fit.in");
  EXPECT_EQ(quiet.status, 0) << quiet.out;
  EXPECT_EQ(quiet.out, "");
  EXPECT_TRUE(exists(d2 / "X.snapcoeff"));
}

TEST(RevalFitProgram, CommandLineAndInputErrors)
{
  Dir d;
  const SnapParams p = params("Si", 2, 1);
  const auto truth = known_coeffs(1, p.ncoeff(), false);
  write_data(d, 3, p, truth);
  ProgRun r = reval_fit(d, "-h");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("usage: reval-fit"), std::string::npos);
  r = reval_fit(d, "");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("no input file"), std::string::npos) << r.out;
  r = reval_fit(d, "--bogus fit.in");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("unknown option '--bogus'"), std::string::npos) << r.out;
  r = reval_fit(d, "missing.in");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("missing.in"), std::string::npos) << r.out;

  const std::string g = "train = 1.0 0.0 1.0 1.0 0.0";
  const std::string out = "[OUTFILE]\npotential = P\n";
  auto error_of = [&](const std::string &text) {
    d.write("bad.in", text);
    const ProgRun b = reval_fit(d, "bad.in");
    EXPECT_EQ(b.status, 1) << b.out;
    EXPECT_NE(b.out.find("reval-fit: ERROR: "), std::string::npos) << b.out;
    return b.out;
  };
  // unsupported key, bad value, unsupported value: the key is named
  std::string e = error_of(input_text(p, false, "data", g, out + "[SOLVER]\nsolver = ANN\n"));
  EXPECT_NE(e.find("solver"), std::string::npos) << e;
  e = error_of(input_text(p, false, "data", g, out + "[REVAL]\nbogus_key = 1\n"));
  EXPECT_NE(e.find("bogus_key"), std::string::npos) << e;
  std::string t = input_text(p, false, "data", g, out);
  t.replace(t.find("twojmax = 2"), 11, "twojmax = x");
  e = error_of(t);
  EXPECT_NE(e.find("twojmax"), std::string::npos) << e;

  // data errors: the file and the frame are named
  auto data_error = [&](const std::string &xyz) {
    d.write("data/bad.xyz", xyz);
    return error_of(input_text(p, false, "data", "bad = 1.0 0.0 1.0 1.0 0.0", out));
  };
  const std::string cell = "Lattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3:forces:R:3 ";
  const std::string ok = "2\n" + cell + "energy=-1.0 pbc=\"T T T\"\nSi 0 0 0 0 0 0\nSi 1.3 1.3 1.3 0 0 0\n";
  e = data_error(ok + "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3 energy=-1 pbc=\"T T T\"\n"
                      "Si 0 0 0\nSi 1.3 1.3 1.3\n");
  EXPECT_NE(e.find("bad.xyz: frame 1"), std::string::npos) << e;
  EXPECT_NE(e.find("forces"), std::string::npos) << e;
  e = data_error(ok + "2\n" + cell + "energy=-1.0 pbc=\"T T T\"\nSi 0 0 nan 0 0 0\nSi 1.3 1.3 1.3 0 0 0\n");
  EXPECT_NE(e.find("bad.xyz"), std::string::npos) << e;
  EXPECT_NE(e.find("frame 1"), std::string::npos) << e;
  e = data_error(ok + "3\n" + cell + "energy=-1.0 pbc=\"T T T\"\nSi 0 0 0 0 0 0\nSi 1.3 1.3 1.3 0 0 0\n");
  EXPECT_NE(e.find("bad.xyz"), std::string::npos) << e;
  EXPECT_NE(e.find("frame 1"), std::string::npos) << e;
  e = data_error(ok + "2\n" + cell + "energy=-1.0 pbc=\"T T T\"\nSi 0 0 0 0 0 0\nGe 1.3 1.3 1.3 0 0 0\n");
  EXPECT_NE(e.find("bad.xyz: frame 1"), std::string::npos) << e;
  EXPECT_NE(e.find("Ge"), std::string::npos) << e;
  EXPECT_FALSE(exists(d / "P.snapcoeff"));
}

TEST(RevalFitProgram, TheInputOfTheDocParses)
{
  // doc/reval_fit.md's complete input is a valid input (docs and behaviour agree)
  std::ifstream f(std::string(REVAL_SOURCE_DIR) + "/doc/reval_fit.md");
  ASSERT_TRUE(f.good());
  std::stringstream all;
  all << f.rdbuf();
  const std::string doc = all.str();
  const size_t sec = doc.find("## The input file");
  ASSERT_NE(sec, std::string::npos);
  const size_t a = doc.find("```\n", sec), b = doc.find("```\n", a + 4);
  ASSERT_NE(b, std::string::npos);
  std::istringstream in(doc.substr(a + 4, b - a - 4));
  const FitInput fi = read_fit_input(in, "/doc/example.in");
  EXPECT_EQ(fi.snap.twojmax, 8);
  EXPECT_EQ(fi.snap.bzeroflag, 0);
  EXPECT_EQ(fi.groups.size(), 3u);
  EXPECT_EQ(fi.committee, 8);
  EXPECT_EQ(fi.re_fweight, 3.0);
  EXPECT_EQ(fi.sites_of("bulk").kind, FitSites::Kind::none);
  EXPECT_EQ(fi.sites_of("vacancy").kind, FitSites::Kind::lattice);
  EXPECT_EQ(fi.potential_name, "Si_fit");
  EXPECT_EQ(fi.data_path, "/doc/data");
}
