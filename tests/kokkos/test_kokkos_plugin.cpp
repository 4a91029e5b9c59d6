// With -k on, the plugin shares LAMMPS' Kokkos runtime (one runtime), and LAMMPS' /kk styles run
// with the plugin loaded exactly as the plain ones.
#include "lammps_session.h"
#include "require_kokkos.h"

#include "core/version.h"

#include "force.h"
#include "lammps.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace reval::test;

namespace {
std::string example_input()
{
  return source_dir() + "/examples/si-snap-md/in.si-snap-md";
}
}    // namespace

TEST(Kokkos, PluginSharesLammpsRuntime)
{
  REVAL_REQUIRE_KOKKOS();
  const auto args = kokkos_args(2);
  LammpsSession s(args);
  std::string out = s.output();
  EXPECT_NE(out.find("runtime shared with LAMMPS"), std::string::npos) << out;
  if (args.size() > 3 && args[2] == "t") {
    EXPECT_NE(out.find("runtime shared with LAMMPS, concurrency " + args[3]), std::string::npos) << out;
  }
}

TEST(Kokkos, SnapKkWithPluginEqualsPlain)
{
  REVAL_REQUIRE_LAMMPS_KOKKOS();
  std::vector<std::string> vars = {"-var", "plugin", plugin_path(), "-var", "nsteps", "10"};
  LammpsSession plain(vars, false);
  plain.command("include " + example_input());
  auto kkargs = vars;
  for (const auto &a : kokkos_args(2)) kkargs.push_back(a);
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
  REVAL_REQUIRE_LAMMPS_KOKKOS();
  REVAL_REQUIRE_MPI();
  LmpOptions o;
  o.np = 2;
  o.vars = {{"nsteps", "20"}};
  o.args = kokkos_args(1);
  LmpRun r = run_lmp(read_file(example_input()), o);
  ASSERT_TRUE(r.ok()) << r.error_line() << "\n" << r.output;
  EXPECT_NE(r.output.find("REVAL " + std::string(reval::version())), std::string::npos);
  EXPECT_EQ(r.value("steps"), 20);
  if (plugin_has_kokkos()) {
    EXPECT_NE(r.output.find("runtime shared with LAMMPS"), std::string::npos) << r.output;
  }
}
