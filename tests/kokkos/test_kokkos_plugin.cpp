// With -k on, the plugin shares LAMMPS' Kokkos runtime (one runtime), and LAMMPS' /kk styles run
// with the plugin loaded exactly as the plain ones.
#include "lammps_session.h"

#include "core/version.h"

#include "force.h"
#include "lammps.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace reval::test;

namespace {
void require_kokkos()
{
  if (!lammps_has_package("KOKKOS")) GTEST_SKIP() << "LAMMPS has no KOKKOS package";
}
std::string example_input()
{
  return source_dir() + "/examples/si-snap-md/in.si-snap-md";
}
}    // namespace

TEST(Kokkos, PluginSharesLammpsRuntime)
{
  require_kokkos();
  if (!plugin_has_kokkos()) GTEST_SKIP() << "plugin built without Kokkos";
  LammpsSession s({"-k", "on", "t", "2", "-sf", "kk"});
  std::string out = s.output();
  EXPECT_NE(out.find("runtime shared with LAMMPS, concurrency 2"), std::string::npos) << out;
}

TEST(Kokkos, SnapKkWithPluginEqualsPlain)
{
  require_kokkos();
  std::vector<std::string> vars = {"-var", "plugin", plugin_path(), "-var", "nsteps", "10"};
  LammpsSession plain(vars, false);
  plain.command("include " + example_input());
  auto kkargs = vars;
  for (auto a : {"-k", "on", "t", "2", "-sf", "kk"}) kkargs.emplace_back(a);
  LammpsSession kk(kkargs, false);
  kk.command("include " + example_input());
  EXPECT_STREQ(kk.lmp()->force->pair_style, "snap/kk");
  EXPECT_STREQ(plain.lmp()->force->pair_style, "snap");
  EXPECT_NE(kk.output().find("REVAL " + std::string(reval::version())), std::string::npos);
  double a = plain.equal("etotal"), b = kk.equal("etotal");
  EXPECT_NEAR(a, b, 1e-9 * std::fabs(a));
}

TEST(Kokkos, LmpWithKokkosAndMpi)
{
  require_kokkos();
  LmpOptions o;
  o.np = 2;
  o.vars = {{"nsteps", "20"}};
  o.args = {"-k", "on", "t", "1", "-sf", "kk"};
  LmpRun r = run_lmp(read_file(example_input()), o);
  ASSERT_TRUE(r.ok()) << r.error_line() << "\n" << r.output;
  EXPECT_NE(r.output.find("REVAL " + std::string(reval::version())), std::string::npos);
  EXPECT_EQ(r.value("steps"), 20);
  if (plugin_has_kokkos()) {
    EXPECT_NE(r.output.find("runtime shared with LAMMPS"), std::string::npos) << r.output;
  }
}
