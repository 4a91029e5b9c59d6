// core/extxyz: the training-data format of reval-fit (ASE's extended XYZ): bitwise round trips, what
// ASE and tools/reval_convert.py write, and bad data named by file, frame and line.
#include "core/error.h"
#include "core/extxyz.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>
#include <string>

using reval::XyzFrame;

namespace {

XyzFrame random_frame(std::mt19937 &rng, int n, bool forces)
{
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  XyzFrame f;
  for (int k = 0; k < 9; ++k) f.cell[k] = (k % 4 == 0 ? 10.0 : 0.0) + 0.3 * u(rng);
  for (int i = 0; i < n; ++i) {
    f.species.push_back(i % 3 ? "Si" : "Ge");
    for (int d = 0; d < 3; ++d) f.pos.push_back(5.0 * u(rng) + 1e-13 * u(rng));
    if (forces)
      for (int d = 0; d < 3; ++d) f.forces.push_back(u(rng) / 3.0);
  }
  f.has_energy = true;
  f.energy = -346.96583085 + u(rng);
  f.info["config_type"] = "AIMD-NVT";
  f.info["source"] = "snapshot 3 of 32";
  return f;
}

std::vector<XyzFrame> parse(const std::string &text, const std::string &name = "t.xyz")
{
  std::istringstream in(text);
  return reval::read_extxyz(in, name);
}

/// The Error message of parsing `text`, or "" if it parsed.
std::string error_of(const std::string &text)
{
  try {
    parse(text, "bad.xyz");
  } catch (const reval::Error &e) {
    return e.what();
  }
  return "";
}

const char *kAse =
    "2\n"
    "Lattice=\"5.43 0.0 0.0 0.0 5.43 0.0 0.0 0.0 5.43\" Properties=species:S:1:pos:R:3:forces:R:3 "
    "energy=-10.5 pbc=\"T T T\"\n"
    "Si 0.0 0.0 0.0 0.1 -0.2 0.3\n"
    "Si 1.3575 1.3575 1.3575 -0.1 0.2 -0.3\n";

}    // namespace

TEST(ExtXyz, RoundTripIsBitwise)
{
  std::mt19937 rng(5);
  std::ostringstream out;
  const XyzFrame a = random_frame(rng, 7, true), b = random_frame(rng, 3, false);
  reval::write_extxyz(out, a);
  reval::write_extxyz(out, b);
  const auto got = parse(out.str());
  ASSERT_EQ(got.size(), 2u);
  for (int k = 0; k < 2; ++k) {
    const XyzFrame &e = k ? b : a, &g = got[k];
    for (int j = 0; j < 9; ++j) EXPECT_EQ(g.cell[j], e.cell[j]);
    EXPECT_EQ(g.species, e.species);
    EXPECT_EQ(g.pos, e.pos);
    EXPECT_EQ(g.forces, e.forces);
    EXPECT_TRUE(g.has_energy);
    EXPECT_EQ(g.energy, e.energy);
    EXPECT_EQ(g.info, e.info);    // "snapshot 3 of 32" keeps its spaces through the quotes
  }
  EXPECT_TRUE(got[1].forces.empty());
}

TEST(ExtXyz, ReadsWhatAseWrites)
{
  const auto f = parse(kAse);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].natoms(), 2);
  EXPECT_EQ(f[0].cell[4], 5.43);
  EXPECT_EQ(f[0].pos[3], 1.3575);
  EXPECT_EQ(f[0].forces[5], -0.3);
  EXPECT_EQ(f[0].energy, -10.5);
  EXPECT_TRUE(f[0].pbc[0] && f[0].pbc[1] && f[0].pbc[2]);
  // lower-case keys, extra per-atom columns (kept by name), bare flags, non-periodic z
  const auto g = parse("1\nlattice=\"4 0 0 0 4 0 0 0 9\" properties=species:S:1:pos:R:3:charge:R:1:tags:I:1 "
                       "is_re energy=1e-3 pbc=\"T T F\"\nSi 1 2 3 -0.5 7\n");
  EXPECT_EQ(g[0].arrays.at("charge")[0], -0.5);
  EXPECT_EQ(g[0].arrays.at("tags")[0], 7.0);
  EXPECT_EQ(g[0].info.at("is_re"), "T");
  EXPECT_FALSE(g[0].pbc[2]);
}

TEST(ExtXyz, BadDataNamesFileFrameAndLine)
{
  const std::string good(kAse);
  struct Case {
    std::string text, expect;
  } cases[] = {
      {good + "x\n", "frame 1 (line 5): the first line of a frame must be a positive atom count"},
      {good + "1\nProperties=species:S:1:pos:R:3\nSi 0 0 0\n", "frame 1 (line 6): no Lattice"},
      {good + "1\nLattice=\"1 0 0 0 1 0 0 0\"\nSi 0 0 0\n", "Lattice must hold 9 numbers"},
      {good + "1\nLattice=\"1 0 0 2 0 0 0 0 1\"\nSi 0 0 0\n", "linearly dependent"},
      {good + "1\nLattice=\"1 0 0 0 1 0 0 0 1\"\nSi 0 nan 0\n", "frame 1 (line 7): atom 1: pos value 'nan'"},
      {good + "1\nLattice=\"1 0 0 0 1 0 0 0 1\"\nXx 0 0 0\n", "unknown element 'Xx'"},
      {good + "2\nLattice=\"1 0 0 0 1 0 0 0 1\"\nSi 0 0 0\n", "file ends after 1 of 2 atom rows"},
      {good + "1\nLattice=\"1 0 0 0 1 0 0 0 1\" Properties=species:S:1:pos:R:3:forces:R:3\nSi 0 0 0 1 1\n",
       "atom row 1 has 6 columns, Properties need 7"},
      {good + "1\nLattice=\"1 0 0 0 1 0 0 0 1\" Properties=species:S:1:forces:R:3\nSi 0 0 0\n",
       "Properties must include 'pos'"},
      {good + "1\nLattice=\"1 0 0 0 1 0 0 0 1\" Properties=species:S:1:pos:R:3:forces:R:2\nSi 0 0 0 1 1\n",
       "'forces' must be R:3"},
      {good + "1\nLattice=\"1 0 0 0 1 0 0 0 1\" energy=0x10\nSi 0 0 0\n", "energy '0x10' is not a finite number"},
      {good + "1\nLattice=\"1 0 0 0 1 0 0 0 1\" config_type=\"open\nSi 0 0 0\n", "unterminated quote"},
      {good + "1\n", "file ends before the comment line"},
      {"", "no frame"},
  };
  for (const Case &c : cases) {
    const std::string msg = error_of(c.text);
    EXPECT_NE(msg.find("bad.xyz"), std::string::npos) << msg;
    EXPECT_NE(msg.find(c.expect), std::string::npos) << "expected '" << c.expect << "' in: " << msg;
  }
  EXPECT_THROW(reval::read_extxyz("/nonexistent/file.xyz"), reval::Error);
}

TEST(ExtXyz, ElementSymbols)
{
  EXPECT_TRUE(reval::is_element_symbol("Si"));
  EXPECT_TRUE(reval::is_element_symbol("Og"));
  EXPECT_FALSE(reval::is_element_symbol("si"));
  EXPECT_FALSE(reval::is_element_symbol("X"));
}
