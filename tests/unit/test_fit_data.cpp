// core/fit_data: groups read from extended XYZ (file or folder), training/testing splits, seeded sampling
// and bootstrap resamples that are the same on every machine, RE labels, and data errors naming file and frame.
#include "core/error.h"
#include "core/fit_data.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace {

/// A temporary folder with xyz files written by write_extxyz.
struct Tmp {
  std::string dir;
  Tmp()
  {
    char t[] = "/tmp/reval-fitdata-XXXXXX";
    dir = ::mkdtemp(t);
  }
  ~Tmp() { std::system(("rm -rf " + dir).c_str()); }
  void write(const std::string &name, const std::vector<reval::XyzFrame> &frames) const
  {
    std::ofstream out(dir + "/" + name);
    for (const auto &f : frames) reval::write_extxyz(out, f);
  }
};

/// Frame k: 8 Si atoms of a diamond cell (a = 5.431), atom 0 moved by `shift` along x, energy -k.
reval::XyzFrame frame(int k, double shift = 0.0, bool energy = true, const char *el = "Si")
{
  static const double b[8][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
                                 {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
  reval::XyzFrame f;
  f.cell[0] = f.cell[4] = f.cell[8] = 5.431;
  for (int i = 0; i < 8; ++i) {
    f.species.push_back(i ? "Si" : el);
    for (int d = 0; d < 3; ++d) f.pos.push_back(b[i][d] * 5.431 + (i == 0 && d == 0 ? shift : 0.0));
    for (int d = 0; d < 3; ++d) f.forces.push_back(0.01 * (k + 1) * (d + 1));
  }
  f.has_energy = energy;
  f.energy = -k;
  return f;
}

reval::FitInput input(const std::string &data, const std::string &groups, const std::string &extra = "")
{
  std::istringstream in("[BISPECTRUM]\nnumTypes = 1\ntwojmax = 2\nrcutfac = 4.0\nwj = 1\nradelem = 0.5\ntype = Si\n"
                        "[PATH]\ndataPath = " + data + "\n[OUTFILE]\npotential = p\n[GROUPS]\n" + groups + extra);
  return reval::read_fit_input(in, "/nowhere/fit.in");
}

}    // namespace

TEST(FitData, SplitMix64IsTheReferenceGenerator)
{
  reval::SplitMix64 g(1234567);    // test vector of the reference implementation (Vigna, splitmix64.c)
  EXPECT_EQ(g.next(), 6457827717110365317ULL);
  EXPECT_EQ(g.next(), 3203168211198807973ULL);
  reval::SplitMix64 h(7);
  for (int k = 0; k < 1000; ++k) EXPECT_LT(h.below(3), 3u);
}

TEST(FitData, GroupsFromFilesAndFoldersSplitInOrder)
{
  Tmp t;
  std::vector<reval::XyzFrame> a, b1, b2;
  for (int k = 0; k < 10; ++k) a.push_back(frame(k));
  for (int k = 0; k < 3; ++k) b1.push_back(frame(100 + k));
  for (int k = 0; k < 2; ++k) b2.push_back(frame(200 + k));
  t.write("A.xyz", a);
  ::mkdir((t.dir + "/B").c_str(), 0755);
  t.write("B/2.xyz", b2);    // folder files are read in name order: 1.xyz before 2.xyz
  t.write("B/1.xyz", b1);
  const auto in = input(t.dir, "A = 0.7 0.2 100 1 0\nB = 3 2 10 1 0\n");
  const auto cfgs = reval::load_fit_data(in);
  ASSERT_EQ(cfgs.size(), 7u + 2u + 5u);
  for (int k = 0; k < 9; ++k) {
    EXPECT_EQ(cfgs[k].frame.energy, -k);
    EXPECT_EQ(cfgs[k].training, k < 7);
    EXPECT_EQ(cfgs[k].group, 0);
  }
  const double eb[5] = {-100, -101, -102, -200, -201};
  for (int k = 0; k < 5; ++k) {
    EXPECT_EQ(cfgs[9 + k].frame.energy, eb[k]);
    EXPECT_EQ(cfgs[9 + k].training, k < 3);    // sizes above 1 are counts
  }
  EXPECT_NE(cfgs[12].source.find("B/2.xyz: frame 0"), std::string::npos) << cfgs[12].source;
  EXPECT_TRUE(cfgs[0].re.empty());    // no sites given: no RE labels
}

TEST(FitData, RandomSamplingIsSeededAndBootstrapIsReproducible)
{
  Tmp t;
  std::vector<reval::XyzFrame> a;
  for (int k = 0; k < 20; ++k) a.push_back(frame(k));
  t.write("A.xyz", a);
  auto order = [&](int seed) {
    const auto cfgs = reval::load_fit_data(input(t.dir, "random_sampling = 1\nA = 0.5 0.5 1 1 0\n",
                                                 "[REVAL]\nseed = " + std::to_string(seed) + "\n"));
    std::vector<double> e;
    for (const auto &c : cfgs) e.push_back(c.frame.energy);
    return e;
  };
  const auto o1 = order(3), o2 = order(3), o3 = order(4);
  EXPECT_EQ(o1, o2);
  EXPECT_NE(o1, o3);
  std::vector<double> sorted = o1;
  std::sort(sorted.begin(), sorted.end());
  for (int k = 0; k < 20; ++k) EXPECT_EQ(sorted[k], -19 + k);    // a permutation of all 20
  const auto c0 = reval::bootstrap_counts(50, 9, 0), c0b = reval::bootstrap_counts(50, 9, 0),
             c1 = reval::bootstrap_counts(50, 9, 1);
  EXPECT_EQ(c0, c0b);
  EXPECT_NE(c0, c1);
  EXPECT_EQ(std::accumulate(c0.begin(), c0.end(), 0), 50);
  EXPECT_GT(std::count(c0.begin(), c0.end(), 0), 5);    // ~e^-1 of the configurations are left out
}

TEST(FitData, RareEventLabelsWhereSitesAreGiven)
{
  Tmp t;
  t.write("A.xyz", {frame(0), frame(1, 0.2)});    // atom 0 of frame 1 0.2 A off its site: not migrating
  const auto cfgs = reval::load_fit_data(input(t.dir, "A = 1 0 1 1 0\n", "[REVAL]\nre_sites = lattice diamond 5.431\n"));
  ASSERT_EQ(cfgs.size(), 2u);
  for (const auto &c : cfgs) {
    ASSERT_EQ(c.re.size(), 8u);
    EXPECT_EQ(std::count(c.re.begin(), c.re.end(), 1), 0);
  }
  // atom 0 in the middle of its bond to (a/4, a/4, a/4): migrating
  Tmp t2;
  reval::XyzFrame f = frame(1);
  for (int d = 0; d < 3; ++d) f.pos[d] = 5.431 / 8.0;
  t2.write("A.xyz", {f});
  const auto c2 = reval::load_fit_data(input(t2.dir, "A = 1 0 1 1 0\n", "[REVAL]\nre_sites = lattice diamond 5.431\n"));
  EXPECT_EQ(c2[0].re[0], 1);
  EXPECT_EQ(std::count(c2[0].re.begin(), c2[0].re.end(), 1), 1);
}

TEST(FitData, DataErrorsNameFileAndFrame)
{
  Tmp t;
  t.write("A.xyz", {frame(0), frame(1, 0.0, false)});
  t.write("C.xyz", {frame(0, 0.0, true, "Ge")});
  auto error_of = [&](const std::string &groups) -> std::string {
    try {
      reval::load_fit_data(input(t.dir, groups));
    } catch (const reval::Error &e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error_of("A = 1 0 1 1 0\n").find("A.xyz: frame 1: no energy="), std::string::npos);
  EXPECT_NE(error_of("C = 1 0 1 1 0\n").find("C.xyz: frame 0: element Ge is not one of the [BISPECTRUM] types"),
            std::string::npos);
  EXPECT_NE(error_of("Missing = 1 0 1 1 0\n").find("[GROUPS] Missing: neither"), std::string::npos);
  t.write("D.xyz", {frame(0), frame(1)});
  EXPECT_NE(error_of("D = 2 0.5 1 1 0\n").find("[GROUPS] D: training_size + testing_size ask for 2 + 1"),
            std::string::npos);
}
