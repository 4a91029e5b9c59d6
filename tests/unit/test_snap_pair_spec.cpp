// The pair_coeff arguments of pair_style snap/model (core/snap_pair_spec): every form, the element
// map, and every malformed argument list.
#include "core/error.h"
#include "core/snap_pair_spec.h"

#include "snap_test_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using reval::Error;
using reval::parse_snap_pair_coeff;
using reval::SnapPairSpec;

namespace {

std::vector<std::string> words(const std::string &s)
{
  std::istringstream in(s);
  std::vector<std::string> w;
  for (std::string t; in >> t;) w.push_back(t);
  return w;
}

std::string error_of(const std::string &args, int ntypes)
{
  try {
    parse_snap_pair_coeff(words(args), ntypes);
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

std::string slurp(const std::string &path)
{
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}    // namespace

TEST(SnapPairSpec, SnapForm)
{
  const SnapPairSpec s = parse_snap_pair_coeff(words("a.snapcoeff a.snapparam W NULL Be W"), 4);
  ASSERT_EQ(s.members.size(), 1u);
  EXPECT_FALSE(s.committee);
  EXPECT_EQ(s.members[0].kind, "snap");
  EXPECT_EQ(s.members[0].files, (std::vector<std::string>{"a.snapcoeff", "a.snapparam"}));
  EXPECT_EQ(s.type_elements, (std::vector<std::string>{"W", "NULL", "Be", "W"}));
  EXPECT_EQ(s.distinct_elements(), (std::vector<std::string>{"W", "Be"}));
}

TEST(SnapPairSpec, MliapForms)
{
  for (const char *kind : {"nn", "linear", "quadratic"}) {
    const SnapPairSpec s = parse_snap_pair_coeff(words(std::string(kind) + " m.model d.descriptor Cu"), 1);
    ASSERT_EQ(s.members.size(), 1u);
    EXPECT_EQ(s.members[0].kind, kind);
    EXPECT_EQ(s.members[0].files, (std::vector<std::string>{"m.model", "d.descriptor"}));
  }
}

TEST(SnapPairSpec, Committee)
{
  const SnapPairSpec s =
      parse_snap_pair_coeff(words("committee 3 a.snapcoeff a.snapparam nn m.model d.desc b.snapcoeff b.snapparam Si Si"), 2);
  EXPECT_TRUE(s.committee);
  ASSERT_EQ(s.members.size(), 3u);
  EXPECT_EQ(s.members[0].kind, "snap");
  EXPECT_EQ(s.members[1].kind, "nn");
  EXPECT_EQ(s.members[1].files[1], "d.desc");
  EXPECT_EQ(s.members[2].files[0], "b.snapcoeff");
  EXPECT_EQ(s.distinct_elements(), (std::vector<std::string>{"Si"}));
}

TEST(SnapPairSpec, Errors)
{
  EXPECT_NE(error_of("", 1).find("is missing"), std::string::npos);
  EXPECT_NE(error_of("a.snapcoeff", 1).find("needs a .snapparam"), std::string::npos);
  EXPECT_NE(error_of("nn m.model", 1).find("needs a model file and a descriptor"), std::string::npos);
  EXPECT_NE(error_of("a.snapcoeff a.snapparam", 1).find("expected 1 element names"), std::string::npos);
  EXPECT_NE(error_of("a.snapcoeff a.snapparam Si Si", 1).find("got 2 (Si Si)"), std::string::npos);
  EXPECT_NE(error_of("a.snapcoeff a.snapparam NULL", 1).find("every atom type is NULL"), std::string::npos);
  EXPECT_NE(error_of("committee", 1).find("number of members"), std::string::npos);
  EXPECT_NE(error_of("committee two a b Si", 1).find("not an integer"), std::string::npos);
  EXPECT_NE(error_of("committee 2x a b Si", 1).find("not an integer"), std::string::npos);
  EXPECT_NE(error_of("committee 1 a b Si", 1).find("at least 2"), std::string::npos);
  EXPECT_NE(error_of("committee 100 a b Si", 1).find("64"), std::string::npos);
  EXPECT_NE(error_of("committee 2 a b Si", 1).find("member 2 of 2"), std::string::npos);
  EXPECT_NE(error_of("committee 2 a b committee 2 c d e f Si", 1).find("cannot contain another committee"),
            std::string::npos);
  // one file too many: a file name lands among the element names
  EXPECT_NE(error_of("a.snapcoeff a.snapparam extra.file Si", 2).find("is not an element name"), std::string::npos);
  EXPECT_NE(error_of("a b Si", 0).find("no atom types"), std::string::npos);
}

TEST(SnapPairSpec, TypeMapAndBuild)
{
  if (!reval::test::have_potentials()) GTEST_SKIP() << "LAMMPS potential files not found";
  const SnapPairSpec s = parse_snap_pair_coeff(
      words("WBe_Wood_PRB2019.snapcoeff WBe_Wood_PRB2019.snapparam Be NULL W"), 3);
  const auto pot = reval::build_snap_member(s.members[0], slurp(reval::test::potential("WBe_Wood_PRB2019.snapcoeff")),
                                            slurp(reval::test::potential("WBe_Wood_PRB2019.snapparam")),
                                            s.distinct_elements());
  // pair snap form: elements in pair_coeff order
  EXPECT_EQ(pot.params.elements, (std::vector<std::string>{"Be", "W"}));
  EXPECT_EQ(reval::snap_type_map(s, pot.params), (std::vector<int>{-1, 0, -1, 1}));

  // ML-IAP form: elements in descriptor-file order, pair_coeff names map onto them
  const SnapPairSpec m = parse_snap_pair_coeff(words("linear Ta06A.mliap.model Ta06A.mliap.descriptor Ta Ta"), 2);
  const auto mp = reval::build_snap_member(m.members[0], slurp(reval::test::potential("Ta06A.mliap.model")),
                                           slurp(reval::test::potential("Ta06A.mliap.descriptor")), m.distinct_elements());
  EXPECT_EQ(reval::snap_type_map(m, mp.params), (std::vector<int>{-1, 0, 0}));
  const SnapPairSpec bad = parse_snap_pair_coeff(words("linear Ta06A.mliap.model Ta06A.mliap.descriptor W"), 1);
  try {
    reval::snap_type_map(bad, mp.params);
    FAIL() << "element W is not in the Ta potential";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("element W of atom type 1 is not in the potential (its elements: Ta)"),
              std::string::npos)
        << e.what();
  }
  // a snap coefficient file without the element
  try {
    reval::build_snap_member(s.members[0], slurp(reval::test::potential("Ta06A.snapcoeff")),
                             slurp(reval::test::potential("Ta06A.snapparam")), s.distinct_elements());
    FAIL() << "Ta06A.snapcoeff has no Be";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("Be"), std::string::npos) << e.what();
  }
}
