// Readers of .snapparam, .snapcoeff, ML-IAP SNAP descriptor and ML-IAP model files: the real files
// shipped with LAMMPS parse with LAMMPS' values and defaults; every kind of malformed input throws
// reval::Error naming file, line and problem; and a deterministic fuzz test (truncations and
// mutations of real files) shows the readers never crash: they parse or throw reval::Error.
#include "snap_test_support.h"

#include "core/error.h"
#include "core/snap_files.h"
#include "core/snap_models.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <random>
#include <sstream>

using namespace reval;
using namespace reval::test;

namespace {

std::string slurp(const std::string &path)
{
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `parse` on `text`; expects reval::Error whose message contains every fragment.
template <class F>
void expect_error(F parse, const std::string &text, std::initializer_list<const char *> fragments)
{
  std::istringstream in(text);
  try {
    parse(in);
    ADD_FAILURE() << "no error for:\n" << text;
  } catch (const Error &e) {
    for (const char *f : fragments)
      EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << "message '" << e.what() << "' lacks '" << f << "'";
  }
}

auto P = [](std::istream &in) { return parse_snapparam(in, "t.snapparam"); };
auto C = [](std::istream &in) { return parse_snapcoeff(in, "t.snapcoeff"); };
auto D = [](std::istream &in) { return parse_mliap_descriptor(in, "t.descriptor"); };
auto N = [](std::istream &in) { return parse_mliap_nn(in, "t.nn"); };
auto S = [](std::istream &in) { return parse_mliap_simple(in, "t.model"); };

}    // namespace

// --------------------------------------------------------------------------------- real files

TEST(SnapFiles, RealParamFiles)
{
  if (!have_potentials()) GTEST_SKIP();
  const SnapParamFile si = read_snapparam(potential("Si_Zuo_JPCA2020.snapparam"));
  EXPECT_DOUBLE_EQ(si.rcutfac, 4.9);
  EXPECT_EQ(si.twojmax, 8);
  EXPECT_EQ(si.bzeroflag, 0);
  EXPECT_EQ(si.quadraticflag, 0);
  EXPECT_EQ(si.switchflag, 1);    // default
  EXPECT_DOUBLE_EQ(si.rfac0, 0.99363);
  const SnapParamFile inp = read_snapparam(potential("InP_JCPA2020.snapparam"));
  EXPECT_EQ(inp.chemflag, 1);
  EXPECT_EQ(inp.bnormflag, 1);
  EXPECT_EQ(inp.wselfallflag, 1);
  EXPECT_EQ(inp.bzeroflag, 1);
  for (const char *f : {"Ta06A.snapparam", "W_2940_2017_2.snapparam", "WBe_Wood_PRB2019.snapparam",
                        "Si_Zuo_JPCA2020.quadratic.snapparam", "Mo_Chen_PRM2017.snapparam", "Cu_Zuo_JPCA2020.snapparam"})
    EXPECT_NO_THROW(read_snapparam(potential(f))) << f;
}

TEST(SnapFiles, RealCoeffFiles)
{
  if (!have_potentials()) GTEST_SKIP();
  const SnapCoeffFile ta = read_snapcoeff(potential("Ta06A.snapcoeff"));
  ASSERT_EQ(ta.blocks.size(), 1u);
  EXPECT_EQ(ta.ncoeffall, 31);
  EXPECT_EQ(ta.blocks[0].element, "Ta");
  EXPECT_DOUBLE_EQ(ta.blocks[0].coeffs[0], -2.92477);
  const SnapCoeffFile wbe = read_snapcoeff(potential("WBe_Wood_PRB2019.snapcoeff"));
  ASSERT_EQ(wbe.blocks.size(), 2u);
  EXPECT_EQ(wbe.blocks[1].element, "Be");
  EXPECT_DOUBLE_EQ(wbe.blocks[1].radius, 0.417932);
  EXPECT_DOUBLE_EQ(wbe.blocks[1].weight, 0.959049);
  const SnapCoeffFile q = read_snapcoeff(potential("Si_Zuo_JPCA2020.quadratic.snapcoeff"));
  EXPECT_EQ(snap_ncoeff_from_file(read_snapparam(potential("Si_Zuo_JPCA2020.quadratic.snapparam")), q), 55);
  // element order follows pair_coeff, not the file
  const SnapPotential pb = load_snap_potential(potential("WBe_Wood_PRB2019.snapcoeff"),
                                               potential("WBe_Wood_PRB2019.snapparam"), {"Be", "W"});
  EXPECT_EQ(pb.params.elements[0], "Be");
  EXPECT_DOUBLE_EQ(pb.params.radelem[0], 0.417932);
  const SnapPotential w = load_snap_potential(potential("WBe_Wood_PRB2019.snapcoeff"),
                                              potential("WBe_Wood_PRB2019.snapparam"), {"W"});
  EXPECT_EQ(w.params.nelements(), 1);
}

TEST(SnapFiles, RealMliapFiles)
{
  if (!have_potentials()) GTEST_SKIP();
  const SnapParams inp = read_mliap_descriptor(potential("InP_JCPA2020.mliap.descriptor"));
  ASSERT_EQ(inp.nelements(), 2);
  EXPECT_EQ(inp.elements[1], "P");
  EXPECT_DOUBLE_EQ(inp.radelem[1], 3.82945);
  EXPECT_DOUBLE_EQ(inp.wjelem[1], 0.929316);
  EXPECT_EQ(inp.chemflag, 1);
  EXPECT_EQ(inp.ncoeff(), 240);
  const MliapNNFile cu = read_mliap_nn(potential("Cu.nn.mliap.model"));
  EXPECT_EQ(cu.ndescriptors, 30);
  EXPECT_EQ(cu.nparams, 71);
  EXPECT_EQ(cu.nnodes, (std::vector<int>{2, 2, 1}));
  EXPECT_EQ(cu.activation[0], kernels::kSnapActTanh);
  EXPECT_EQ(cu.activation[2], kernels::kSnapActLinear);
  const MliapSimpleModelFile w = read_mliap_simple(potential("W.quadratic.mliap.model"));
  EXPECT_EQ(w.nparams, 496);
  for (const auto &m : {std::make_pair("linear", "Ta06A.mliap.model"), std::make_pair("linear", "InP_JCPA2020.mliap.model"),
                        std::make_pair("linear", "WBe_Wood_PRB2019.mliap.model")}) {
    const std::string desc = std::string(m.second).replace(std::string(m.second).find(".model"), 6, ".descriptor");
    EXPECT_NO_THROW(load_mliap_potential(m.first, potential(m.second), potential(desc))) << m.second;
  }
  EXPECT_NO_THROW(load_mliap_potential("nn", potential("Ta06A.nn.mliap.model"), potential("Ta06A.mliap.descriptor")));
}

// ------------------------------------------------------------------------------------ errors

TEST(SnapFileErrors, SnapParam)
{
  expect_error(P, "rcutfac 4.9\ntwojmax 8\nfoo 1\n", {"t.snapparam:3:", "unknown keyword 'foo'"});
  expect_error(P, "rcutfac\ntwojmax 8\n", {"t.snapparam:1:", "expected 'keyword value'"});
  expect_error(P, "rcutfac 4.9 5\ntwojmax 8\n", {":1:", "found 3 words"});
  expect_error(P, "rcutfac abc\ntwojmax 8\n", {":1:", "expected a number for rcutfac, found 'abc'"});
  expect_error(P, "rcutfac nan\ntwojmax 8\n", {":1:", "expected a number for rcutfac, found 'nan'"});
  expect_error(P, "rcutfac 1e999\ntwojmax 8\n", {":1:", "not a finite number"});
  expect_error(P, "rcutfac 4.9\ntwojmax 8.0\n", {":2:", "expected an integer for twojmax"});
  expect_error(P, "rcutfac 4.9\ntwojmax 8\nbzeroflag 2\n", {":3:", "bzeroflag must be 0 or 1"});
  expect_error(P, "rcutfac 4.9\ntwojmax 8\nswitchinnerflag 1\n", {"t.snapparam", "switchinnerflag 1 needs both sinner and dinner (missing: sinner and dinner)"});
  expect_error(P, "rcutfac 4.9\n# comment\n\n", {"t.snapparam", "required keyword twojmax is missing"});
  expect_error(P, "twojmax 8\n", {"required keyword rcutfac is missing"});
  expect_error(P, "rcutfac 4.9\ntwojmax 8\nrcutfac 4.8\n", {":3:", "given twice (first on line 1)"});
  expect_error(P, "rcutfac -1\ntwojmax 8\n", {":1:", "rcutfac must be positive"});
  expect_error(P, "rcutfac 4.9\ntwojmax 99\n", {":2:", "twojmax must be in 0..30"});
  expect_error(P, "rcutfac 4.9\ntwojmax 8\nrfac0 1.5\n", {":3:", "rfac0 must be in (0, 1]"});
  expect_error(P, "rcutfac 4.9\ntwojmax 8\n# " + std::string(1100, 'x') + "\n", {":3:", "characters long"});
  // quotes are separators as in LAMMPS
  std::istringstream q("rcutfac '4.9'\ntwojmax \"8\"\n");
  EXPECT_DOUBLE_EQ(parse_snapparam(q, "q").rcutfac, 4.9);
}

// The inner switching keywords of LAMMPS 2022+ (switchinnerflag, sinner, dinner): parsed (REVAL's engine
// has the function whatever LAMMPS it runs in), with LAMMPS' rules and clear errors.
TEST(SnapFileErrors, SnapParamInnerSwitching)
{
  const std::string base = "rcutfac 4.9\ntwojmax 8\n";
  std::istringstream in(base + "sinner 2.45 2.25 # per element\nswitchinnerflag 1\ndinner 0.25 '0.35'\n");
  const SnapParamFile p = parse_snapparam(in, "ok");
  EXPECT_EQ(p.switchinnerflag, 1);
  EXPECT_EQ(p.sinner, (std::vector<double>{2.45, 2.25}));
  EXPECT_EQ(p.dinner, (std::vector<double>{0.25, 0.35}));
  std::istringstream off(base + "switchinnerflag 0\n");
  EXPECT_EQ(parse_snapparam(off, "off").switchinnerflag, 0);
  expect_error(P, base + "switchinnerflag 1\nsinner 2.4\n", {"t.snapparam:", "needs both sinner and dinner (missing: dinner)"});
  expect_error(P, base + "switchinnerflag 1\ndinner 0.2\n", {"needs both sinner and dinner (missing: sinner)"});
  expect_error(P, base + "sinner 2.4\ndinner 0.2\n", {"t.snapparam:3:", "sinner is given but switchinnerflag is not 1"});
  expect_error(P, base + "switchinnerflag 0\ndinner 0.2\n", {":4:", "dinner is given but switchinnerflag is not 1"});
  expect_error(P, base + "switchinnerflag 2\n", {":3:", "switchinnerflag must be 0 or 1"});
  expect_error(P, base + "switchinnerflag 1\nsinner\ndinner 0.2\n", {":4:", "sinner needs one value per element"});
  expect_error(P, base + "switchinnerflag 1\nsinner 2.4 x\ndinner 0.2\n", {":4:", "expected a number for sinner value 2"});
  expect_error(P, base + "switchinnerflag 1\nsinner 2.4\ndinner 0\n", {":5:", "dinner values must be positive"});
  expect_error(P, base + "switchinnerflag 1\nsinner 2.4\ndinner -0.1\n", {":5:", "dinner values must be positive"});
  expect_error(P, base + "switchinnerflag 1\nsinner inf\ndinner 0.1\n", {":4:", "expected a number for sinner value 1, found 'inf'"});
  expect_error(P, base + "switchinnerflag 1\nsinner 2.4\nsinner 2.4\ndinner 0.1\n", {":5:", "sinner is given twice"});
  expect_error(P, base + "switchinnerflag 1\nsinnerelems 2.4\n", {":4:", "belongs to ML-IAP descriptor files", "sinner"});
  expect_error(P, base + "switchinnerflags 1\n", {":3:", "unknown keyword 'switchinnerflags'", "switchinnerflag sinner dinner"});

  // one value per element of pair_coeff, in its order (the coefficient file's order does not matter)
  std::istringstream coeff_in("2 6\nGe 0.55 0.8\n0\n1\n2\n3\n4\n5\nSi 0.5 1\n0\n1\n2\n3\n4\n5\n");
  std::istringstream pp("rcutfac 4.9\ntwojmax 2\nbzeroflag 0\nswitchinnerflag 1\nsinner 2.45 2.25\ndinner 0.25 0.35\n");
  const SnapParamFile param = parse_snapparam(pp, "t.snapparam");
  const SnapCoeffFile coeff = parse_snapcoeff(coeff_in, "t.snapcoeff");
  const SnapParams sp = snap_params_from_files(param, coeff, {"Si", "Ge"});
  EXPECT_EQ(sp.switchinnerflag, 1);
  EXPECT_EQ(sp.elements, (std::vector<std::string>{"Si", "Ge"}));
  EXPECT_EQ(sp.sinnerelem, (std::vector<double>{2.45, 2.25}));
  EXPECT_EQ(sp.dinnerelem, (std::vector<double>{0.25, 0.35}));
  try {
    snap_params_from_files(param, coeff, {"Si"});
    FAIL() << "two sinner values for one pair_coeff element";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("t.snapparam: sinner has 2 values, but pair_coeff names 1 distinct element"),
              std::string::npos) << e.what();
  }
  // the two files in the repository (written by make_inner_potentials.py, used by the LAMMPS 4Feb2025 references)
  const SnapPotential pot = load_snap_potential(snap_refdata_dir() + "/inner_sige.snapcoeff",
                                                snap_refdata_dir() + "/inner_sige.snapparam", {"Si", "Ge"});
  EXPECT_EQ(pot.params.switchinnerflag, 1);
  EXPECT_EQ(pot.params.sinnerelem, (std::vector<double>{2.45, 2.25}));
  EXPECT_EQ(pot.params.wjelem, (std::vector<double>{1.0, 0.8}));
}

TEST(SnapFileErrors, MliapDescriptorInnerSwitching)
{
  const std::string base = "rcutfac 4.9\ntwojmax 6\nnelems 2\nelems A B\nradelems 0.5 0.4\nwelems 1 0.9\n";
  std::istringstream in(base + "switchinnerflag 1\nsinnerelems 2.0 2.5\ndinnerelems 0.4 0.5\n");
  const SnapParams p = parse_mliap_descriptor(in, "ok");
  EXPECT_EQ(p.switchinnerflag, 1);
  EXPECT_EQ(p.sinnerelem, (std::vector<double>{2.0, 2.5}));
  EXPECT_EQ(p.dinnerelem, (std::vector<double>{0.4, 0.5}));
  expect_error(D, base + "switchinnerflag 1\nsinnerelems 2.0 2.5\n", {"t.descriptor", "needs both sinnerelems and dinnerelems (missing: dinnerelems)"});
  expect_error(D, base + "sinnerelems 2.0 2.5\ndinnerelems 0.4 0.5\n", {":7:", "sinnerelems is given but switchinnerflag is not 1"});
  expect_error(D, base + "switchinnerflag 1\nsinnerelems 2.0\ndinnerelems 0.4 0.5\n", {":8:", "sinnerelems needs 2 values (nelems), found 1"});
  expect_error(D, "rcutfac 4.9\ntwojmax 6\nsinnerelems 2.0\nnelems 1\n", {":3:", "must come after nelems"});
  expect_error(D, base + "switchinnerflag 1\nsinnerelems 2.0 2.5\ndinnerelems 0.4 0\n", {":9:", "dinnerelems values must be positive"});
  expect_error(D, base + "switchinnerflag 1\nsinner 2.0 2.5\n", {":8:", "belongs to .snapparam files", "sinnerelems"});
  const SnapPotential pot = load_mliap_potential("linear", snap_refdata_dir() + "/inner_sige_chem.mliap.model",
                                                 snap_refdata_dir() + "/inner_sige_chem.mliap.descriptor");
  EXPECT_EQ(pot.params.switchinnerflag, 1);
  EXPECT_EQ(pot.params.chemflag, 1);
  EXPECT_EQ(pot.params.dinnerelem, (std::vector<double>{0.25, 0.35}));
}

TEST(SnapFileErrors, SnapCoeff)
{
  const std::string ok = "# c\n\n1 3\nSi 0.5 1\n0.1\n0.2 # comment\n-0.3\n\n# trailing comment\n";
  std::istringstream in(ok);
  const SnapCoeffFile c = parse_snapcoeff(in, "ok");
  EXPECT_DOUBLE_EQ(c.blocks[0].coeffs[2], -0.3);
  expect_error(C, "1\nSi 0.5 1\n0.1\n", {"t.snapcoeff:1:", "expected the header 'nelements ncoeffall'"});
  expect_error(C, "1 x\n", {":1:", "expected an integer for ncoeffall, found 'x'"});
  expect_error(C, "1 3\nSi 0.5 1\n0.1\n0.2\n", {":4:", "file ends early", "3 coefficients of Si, got 2"});
  expect_error(C, "1 3\nSi 0.5 1\n0.1\n0.2 0.5\n0.3\n", {":4:", "expected one value", "found 2"});
  expect_error(C, "1 3\nSi 0.5 1\n0.1\n\n0.3\n", {":4:", "blank or comment line"});
  expect_error(C, "1 3\nSi 0.5 1\n0.1\ninf\n0.3\n", {":4:", "coefficient 1 of Si", "'inf'"});
  expect_error(C, "1 3\nSi 0.5\n0.1\n0.2\n0.3\n", {":2:", "expected 'name radius weight' starting element block 1 of 1"});
  expect_error(C, "1 3\nSi 0.5 1\n0.1\n0.2\n0.3\n0.4\n", {":6:", "unexpected content '0.4' after the last of 1 element blocks"});
  expect_error(C, "2 1\nSi 0.5 1\n0.1\nSi 0.5 1\n0.2\n", {":4:", "element Si has a second block"});
  expect_error(C, "1 1\nSi -0.5 1\n0.1\n", {":2:", "radius of Si must be positive"});
  expect_error(C, "", {"t.snapcoeff:0:", "file ends early", "header"});
}

TEST(SnapFileErrors, SnapCombination)
{
  std::istringstream p1("rcutfac 4.9\ntwojmax 2\nbzeroflag 0\n"), c1("1 6\nSi 0.5 1\n0\n1\n2\n3\n4\n5\n");
  SnapParamFile p = parse_snapparam(p1, "t.snapparam");
  const SnapCoeffFile c = parse_snapcoeff(c1, "t.snapcoeff");
  EXPECT_EQ(make_snap_potential(p, c, {"Si"}).model.ndescriptors(), 5);
  try {
    make_snap_potential(p, c, {"Ge"});
    FAIL();
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("element Ge not found in the SNAP coefficient file (it has: Si)"),
              std::string::npos) << e.what();
  }
  p.twojmax = 4;
  try {
    make_snap_potential(p, c, {"Si"});
    FAIL();
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("implies 5 descriptors (linear), but twojmax 4"), std::string::npos) << e.what();
  }
  p.twojmax = 2;
  p.quadraticflag = 1;    // 7 = 1 + n + n(n+1)/2 has no solution
  std::istringstream c7("1 7\nSi 0.5 1\n0\n1\n2\n3\n4\n5\n6\n");
  try {
    make_snap_potential(p, parse_snapcoeff(c7, "t7.snapcoeff"), {"Si"});
    FAIL();
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("is not 1 + n + n(n+1)/2"), std::string::npos) << e.what();
  }
  if (!have_potentials()) return;
  // chemflag needs all elements of the file (LAMMPS rule)
  EXPECT_THROW(load_snap_potential(potential("InP_JCPA2020.snapcoeff"), potential("InP_JCPA2020.snapparam"), {"In"}),
               Error);
  // quadratic file read as linear
  EXPECT_THROW(load_snap_potential(potential("Si_Zuo_JPCA2020.quadratic.snapcoeff"),
                                   potential("Si_Zuo_JPCA2020.snapparam"), {"Si"}),
               Error);
  EXPECT_THROW(load_snap_potential("/nonexistent.snapcoeff", potential("Si_Zuo_JPCA2020.snapparam"), {"Si"}), Error);
}

TEST(SnapFileErrors, MliapDescriptor)
{
  const std::string base = "rcutfac 4.9\ntwojmax 6\nnelems 2\nelems A B\nradelems 0.5 0.4\nwelems 1 0.9\n";
  std::istringstream in(base + "chemflag 1\nbnormflag 1\n");
  const SnapParams p = parse_mliap_descriptor(in, "ok");
  EXPECT_EQ(p.ncoeff(), 240);
  expect_error(D, "rcutfac 4.9\ntwojmax 6\nelems A\nnelems 1\n", {"t.descriptor:3:", "must come after nelems"});
  expect_error(D, "rcutfac 4.9\ntwojmax 6\nnelems 2\nelems A\n", {":4:", "elems needs 2 values (nelems), found 1"});
  expect_error(D, "rcutfac 4.9\ntwojmax 6\nnelems 2\nelems A B\nradelems 0.5 x\n", {":5:", "radelems value 2"});
  expect_error(D, base + "quadraticflag 1\n", {":7:", "unknown keyword 'quadraticflag'"});
  expect_error(D, "rcutfac 4.9\ntwojmax 6\nnelems 1\nelems A\nwelems 1\n", {"required keyword radelems is missing"});
  expect_error(D, "rcutfac 5.0\nnmax 3\n", {":2:", "SO3 descriptor"});
  expect_error(D, "rcutfac 4.9\ntwojmax 6\nnelems 2\nelems A A\nradelems 0.5 0.5\nwelems 1 1\n", {"element A is listed twice"});
  expect_error(D, base + "rmin0 5\n", {"rmin0 (5) must be below the cutoff"});
  if (have_potentials()) {
    EXPECT_THROW(read_mliap_descriptor(potential("Si.nn.mliap.descriptor")), Error);
  }
}

TEST(SnapFileErrors, MliapNN)
{
  const std::string head = "1 13\nNET 2 2 tanh 3 linear 1\n";    // (2+1)*3 + (3+1)*1 = 13
  const std::string good = head + "0 0\n1 1\n1 2 3 4 5 6 7 8 9\n10 11 12 13\n";
  std::istringstream in(good);
  EXPECT_EQ(parse_mliap_nn(in, "ok").coeffs[0][12], 13.0);
  expect_error(N, "1 13\nNET 2 2 softplus 3 linear 1\n", {"t.nn:2:", "unknown activation 'softplus'", "silently treat it as linear"});
  expect_error(N, "1 13\nNET 2 2 tanhh 3 linear 1\n", {":2:", "unknown activation 'tanhh'"});
  expect_error(N, "1 14\nNET 2 2 tanh 3 linear 1\n", {":2:", "needs 13 parameters", "nparams = 14"});
  expect_error(N, "1 13\nNET 2 2 tanh 3 linear\n", {":2:", "activation and a node count"});
  expect_error(N, "1 17\nNET 2 2 tanh 3 linear 2\n", {":2:", "last layer must have exactly 1 node"});
  expect_error(N, "1 13\nNTE 2 2 tanh 3 linear 1\n", {":2:", "expected the line 'NET"});
  expect_error(N, head + "0 0\n1 0\n", {":4:", "value 2 of scale1 of element 1 of 1 is zero"});
  expect_error(N, head + "0 0 0\n", {":3:", "line has 3 values but only 2", "scale0"});
  expect_error(N, head + "0 0\n1 1\n1 2 3 4 5 6 7 8 9\n10 11 12\n", {"file ends early", "13 values of the coefficients"});
  expect_error(N, head + "0 0\n1 1\n1 2 3 4 5 6 7 8 9\n10 11 12 13\n0\n", {":7:", "unexpected content '0'"});
  expect_error(N, head + "0 0\n1 1\n1 2 3 4 5 6 7 8 9\n10 11 12 nan\n", {":6:", "value 13 of the coefficients"});
  std::string many = "1 31\nNET 2 2 tanh 6 linear 1\n0 0\n1 1\n";    // (3)*6 + 7 = 25, not 31
  expect_error(N, many, {"needs 25 parameters"});
  // scale lines may be long, coefficient lines hold at most 30 values (LAMMPS)
  std::string wide = "1 33\nNET 32 1 linear 1\n";
  for (int k = 0; k < 2; ++k) {
    for (int d = 0; d < 32; ++d) wide += "1 ";
    wide += "\n";
  }
  for (int d = 0; d < 33; ++d) wide += "0.5 ";
  expect_error(N, wide + "\n", {":5:", "line has 33 values; LAMMPS allows at most 30"});
}

TEST(SnapFileErrors, MliapSimple)
{
  std::istringstream in("# c\n2 2\n1.0\n2.0 # x\n3.0\n4.0\n");
  EXPECT_EQ(parse_mliap_simple(in, "ok").coeffs[1][1], 4.0);
  expect_error(S, "2 2\n1.0\n2.0\n3.0\n", {"t.model:4:", "file ends early"});
  expect_error(S, "1 2\n1.0\n\n2.0\n", {":3:", "blank or comment line"});
  expect_error(S, "1 2\n1.0 2.0\n", {":2:", "expected one value", "found 2"});
  expect_error(S, "1 2\n1.0\n2.0\n3.0\n", {":4:", "unexpected content '3.0'"});
  expect_error(S, "1 -2\n", {":1:", "nparams must be in 1..10^7"});
  if (!have_potentials()) return;
  EXPECT_THROW(load_mliap_potential("quadratic", potential("Ta06A.mliap.model"), potential("Ta06A.mliap.descriptor")),
               Error);
  EXPECT_THROW(load_mliap_potential("linear", potential("InP_JCPA2020.mliap.model"), potential("Ta06A.mliap.descriptor")),
               Error);
  EXPECT_THROW(load_mliap_potential("nn", potential("Cu.nn.mliap.model"), snap_refdata_dir() + "/si_synthetic.mliap.descriptor"),
               Error);
  EXPECT_THROW(load_mliap_potential("so3", potential("Ta06A.mliap.model"), potential("Ta06A.mliap.descriptor")), Error);
}

// -------------------------------------------------------------------------------------- fuzz

namespace {

// Applies one deterministic mutation to `text`.
std::string mutate(const std::string &text, std::mt19937 &rng)
{
  static const char *tokens[] = {"nan", "inf", "-inf", "abc", "1e999", "", "-1", "0", "1.5", "99999999999",
                                 "#", "'", "NET", "tanh", "1e-320", "0x10", "+", "--1", "1.2.3", "2147483648"};
  std::vector<std::string> lines;
  {
    std::istringstream in(text);
    std::string l;
    while (std::getline(in, l)) lines.push_back(l);
  }
  auto pick = [&](std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  const int kind = std::uniform_int_distribution<int>(0, 7)(rng);
  std::string out;
  switch (kind) {
    case 0:    // truncate at a random byte
      return text.substr(0, pick(text.size() + 1));
    case 1:    // delete a line
      if (!lines.empty()) lines.erase(lines.begin() + pick(lines.size()));
      break;
    case 2:    // duplicate a line
      if (!lines.empty()) {
        const std::size_t i = pick(lines.size());
        lines.insert(lines.begin() + i, lines[i]);
      }
      break;
    case 3:    // swap two lines
      if (lines.size() > 1) std::swap(lines[pick(lines.size())], lines[pick(lines.size())]);
      break;
    case 4: {    // replace one word by a nasty token
      if (lines.empty()) break;
      std::string &l = lines[pick(lines.size())];
      std::istringstream ls(l);
      std::vector<std::string> w;
      std::string x;
      while (ls >> x) w.push_back(x);
      if (w.empty()) break;
      w[pick(w.size())] = tokens[pick(sizeof(tokens) / sizeof(tokens[0]))];
      l.clear();
      for (const auto &y : w) l += y + " ";
      break;
    }
    case 5: {    // random bytes at a random position
      std::string t = text;
      const std::size_t pos = pick(t.size() + 1);
      std::string junk;
      for (int k = 0; k < 4; ++k) junk += static_cast<char>(std::uniform_int_distribution<int>(1, 255)(rng));
      return t.insert(pos, junk);
    }
    case 6:    // add a word to a line
      if (!lines.empty()) lines[pick(lines.size())] += std::string(" ") + tokens[pick(sizeof(tokens) / sizeof(tokens[0]))];
      break;
    default:    // flip one character
      if (!text.empty()) {
        std::string t = text;
        t[pick(t.size())] = "0123456789 .-e#x\n"[pick(17)];
        return t;
      }
  }
  for (const auto &l : lines) out += l + "\n";
  return out;
}

}    // namespace

TEST(SnapFileFuzz, ParsersParseOrThrowRevalError)
{
  if (!have_potentials()) GTEST_SKIP();
  struct Target {
    std::string file;
    std::function<void(std::istream &)> parse;
  };
  const std::vector<Target> targets = {
      {potential("Si_Zuo_JPCA2020.snapparam"), [](std::istream &in) { parse_snapparam(in, "f").rcutfac; }},
      {potential("InP_JCPA2020.snapparam"), [](std::istream &in) { parse_snapparam(in, "f"); }},
      {potential("WBe_Wood_PRB2019.snapcoeff"),
       [](std::istream &in) {
         const SnapCoeffFile c = parse_snapcoeff(in, "f");
         std::istringstream p("rcutfac 4.8123\ntwojmax 8\n");
         make_snap_potential(parse_snapparam(p, "p"), c, {"W", "Be"});
       }},
      {potential("Ta06A.snapcoeff"), [](std::istream &in) { parse_snapcoeff(in, "f"); }},
      {potential("InP_JCPA2020.mliap.descriptor"), [](std::istream &in) { parse_mliap_descriptor(in, "f").ncoeff(); }},
      {potential("Cu.snap.mliap.descriptor"), [](std::istream &in) { parse_mliap_descriptor(in, "f"); }},
      {potential("Cu.nn.mliap.model"),
       [](std::istream &in) {
         const MliapNNFile f = parse_mliap_nn(in, "f");
         const SnapModel m = SnapModel::nn(f);
         std::vector<double> B(f.ndescriptors, 1.0), beta(f.ndescriptors);
         for (int e = 0; e < m.nelements(); ++e) m.energy_and_beta(e, B.data(), beta.data());
       }},
      {snap_refdata_dir() + "/si_synthetic.nn.mliap.model", [](std::istream &in) { parse_mliap_nn(in, "f"); }},
      {potential("Ta06A.mliap.model"),
       [](std::istream &in) {
         const MliapSimpleModelFile f = parse_mliap_simple(in, "f");
         SnapModel::linear(f.nparams - 1 > 0 ? f.nparams - 1 : 1, f.coeffs);
       }},
  };
  std::mt19937 rng(20240613);
  int parsed = 0, rejected = 0;
  for (const auto &t : targets) {
    const std::string text = slurp(t.file);
    ASSERT_FALSE(text.empty()) << t.file;
    for (int trial = 0; trial < 150; ++trial) {
      std::string m = mutate(text, rng);
      if (trial % 3 == 2) m = mutate(m, rng);    // some double mutations
      std::istringstream in(m);
      try {
        t.parse(in);
        ++parsed;
      } catch (const Error &) {
        ++rejected;
      } catch (const std::exception &e) {
        ADD_FAILURE() << t.file << " trial " << trial << ": exception other than reval::Error: " << e.what();
      }
    }
  }
  std::printf("[ fuzz     ] %d mutated files parsed, %d rejected with reval::Error\n", parsed, rejected);
  EXPECT_GT(rejected, 0);
  EXPECT_GT(parsed, 0);
}
