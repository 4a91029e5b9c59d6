// The plugin loads into LAMMPS, reports itself, survives `clear` + reload, refuses a foreign LAMMPS
// version, and LAMMPS runs a real SNAP MD with it loaded.
#include "lammps_session.h"

#include "core/version.h"

#include "version.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using reval::test::LammpsSession;

namespace {
std::string example(const std::string &name)
{
  return reval::test::source_dir() + "/examples/" + name;
}

int count(const std::string &hay, const std::string &needle)
{
  int n = 0;
  for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}
}    // namespace

TEST(Plugin, LoadReportsVersion)
{
  LammpsSession s;
  std::string out = s.output();
  EXPECT_NE(out.find(std::string("REVAL ") + reval::version() + " (git "), std::string::npos) << out;
  EXPECT_NE(out.find("for LAMMPS " LAMMPS_VERSION), std::string::npos) << out;
  EXPECT_NE(out.find("(" + std::to_string(REVAL_LAMMPS_VERSION) + ")"), std::string::npos) << out;
  if (reval::test::plugin_has_kokkos())
    EXPECT_NE(out.find("inactive (run with -k on"), std::string::npos) << out;
  else
    EXPECT_NE(out.find("without KOKKOS"), std::string::npos) << out;
}

TEST(Plugin, ReloadAfterClear)
{
  LammpsSession s;
  EXPECT_EQ(count(s.output(), "REVAL " + std::string(reval::version())), 1);
  s.clear();    // LAMMPS 2021 unloads plugins on clear; the session loads it again
  EXPECT_EQ(count(s.output(), "REVAL " + std::string(reval::version())), 2);
  s.commands("units metal\nlattice diamond 5.431\nregion b block 0 1 0 1 0 1\ncreate_box 1 b\n");
}

TEST(Plugin, ForeignLammpsVersionIsAnError)
{
  LammpsSession s({}, false);
  std::string err = s.error_of(std::string("plugin load ") + REVAL_TEST_WRONG_VERSION_PLUGIN);
  EXPECT_NE(err.find("compiled for LAMMPS version 20000101"), std::string::npos) << err;
  EXPECT_NE(err.find("rebuild REVAL against this LAMMPS"), std::string::npos) << err;
}

TEST(Plugin, SiSnapMdRunsWithPluginLoaded)
{
  ASSERT_TRUE(reval::test::lammps_has_package("ML-SNAP"));
  LammpsSession s({"-var", "plugin", reval::test::plugin_path(), "-var", "nsteps", "60"}, false);
  s.command("include " + example("si-snap-md/in.si-snap-md"));
  EXPECT_NE(s.output().find("REVAL " + std::string(reval::version())), std::string::npos);
  EXPECT_EQ(s.equal("atoms"), 216.0);
  EXPECT_EQ(s.equal("step"), 60.0);
  double t = s.thermo("temp");    // starts at 2T; equipartition brings it around T = 1230 K
  EXPECT_GT(t, 500.0);
  EXPECT_LT(t, 2500.0);
  EXPECT_NEAR(s.equal("pe/atoms"), -5.2, 0.3);    // Si_Zuo SNAP, hot diamond crystal, eV/atom
  // NVE with working forces: the total energy stays put while ~eV/atom flow between PE and KE
  double dpe = std::fabs(s.equal("v_dpe"));
  EXPECT_GT(dpe, 0.05);
  EXPECT_LT(std::fabs(s.equal("v_drift")), 0.02 * dpe) << "NVE total-energy change per atom";
}
