// fix re/stats gives the same statistics at 1, 2 and 4 MPI ranks (brick and tiled decompositions):
// an interstitial in Si at high temperature, sampled every 20 steps.
#include "lammps_session.h"
#include "re_stats_test_helpers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace reval::test;

namespace {
const char *kMakeConfig = R"(
units           metal
atom_style      atomic
lattice         diamond 5.431
region          box block 0 3 0 3 0 3
create_box      1 box
create_atoms    1 box
mass            1 28.0855
create_atoms    1 single 0.75 0.75 0.75
velocity        all create 3200 99 loop geom
write_data      ${config} nocoeff
)";

const char *kRun = R"(
units           metal
atom_style      atomic
lattice         diamond 5.431
read_data       ${config}
pair_style      sw
pair_coeff      * * Si.sw Si
comm_modify     cutoff 7.5
compute         sites all vacancy/sites
fix             nve all nve
timestep        0.001
fix             st all re/stats 20 sites
thermo          100
run             1000
)";
}    // namespace

TEST(MpiReStats, SameStatisticsAtNp124)
{
  const std::string config = make_temp_dir("mpi-rs") + "/int.data";
  {
    LmpOptions o;
    o.vars = {{"config", config}};
    LmpRun r = run_lmp(kMakeConfig, o);
    ASSERT_TRUE(r.ok()) << r.output;
  }
  std::string run = kRun;
  for (int k = 1; k <= 18; ++k) run += "print \"@@ v" + std::to_string(k) + " = $(f_st[" + std::to_string(k) + "]:%.15g)\"\n";
  LmpRun ref;
  for (auto np : {1, 2, 4, -4}) {
    LmpOptions o;
    o.np = np < 0 ? -np : np;
    o.vars = {{"config", config}};
    LmpRun r = run_lmp(np < 0 ? "comm_style tiled\n" + run + "" : run, o);
    ASSERT_TRUE(r.ok()) << "np " << np << ": " << r.error_line() << "\n" << r.output;
    if (np == 1) {
      ref = r;
      EXPECT_EQ(ref.value("v9"), 51);
      EXPECT_EQ(ref.value("v10"), 51) << "the interstitial is seen in every sample";
      continue;
    }
    for (int k = 1; k <= 18; ++k) {
      const std::string key = "v" + std::to_string(k);
      // counts are exact; the trajectory differs only by summation order at different rank counts
      const double tol = (k >= 7 && k != 8) ? 0.0 : 1e-6 * std::max(1.0, std::fabs(ref.value(key)));
      EXPECT_NEAR(r.value(key), ref.value(key), tol) << "np " << np << " element " << k;
    }
  }
}

// ---------------------------------------------------------------- per-atom output and the atoms (issue 12)

namespace {
// The per-atom output of fix re/stats is dumped with two references that travel with the atoms:
// compute displace/atom (reference positions in a fix STORE) for the displacement columns, and a fix
// store/state snapshot of the whole output taken every 100 steps after the fix sampled.
const std::string kChecks = R"(
compute         disp all displace/atom
fix             st all re/stats 10 sites
fix             snap all store/state 100 f_st[1] f_st[2] f_st[3] f_st[4]
compute         hops all reduce sum f_st[1]
thermo_style    custom step temp c_hops
thermo          100
)";
const char *kSetup = R"(
units           metal
atom_style      atomic
atom_modify     map array
lattice         diamond 5.431
read_data       ${config}
velocity        all create 5000 7 loop geom
)";
const char *kPair = R"(
pair_style      sw
pair_coeff      * * Si.sw Si
comm_modify     cutoff 7.5
atom_modify     sort 70 0.0
compute         sites all vacancy/sites
fix             nve all nve
timestep        0.001
)";

std::string dump(const std::string &name)
{
  return "dump " + name + " all custom 100 " + name + ".dump " + kDumpCols + "\ndump_modify " + name +
         " format float %.17g\n";
}

// The last frame of dump `a` and the first frame of dump `b` (the same timestep): every atom has the
// same per-atom output of fix re/stats (f_st[1..4]), bit for bit.
void check_continues(const std::string &a, const std::string &b, const std::string &what)
{
  const auto fa = dump_frames(a), fb = dump_frames(b);
  ASSERT_FALSE(fa.empty() || fb.empty()) << what;
  const auto &last = fa.rbegin()->second, &first = fb.begin()->second;
  EXPECT_EQ(fa.rbegin()->first, fb.begin()->first) << what << ": timesteps";
  EXPECT_EQ(last.size(), first.size()) << what;
  int differ = 0;
  for (const auto &atom : last) {
    auto it = first.find(atom.first);
    if (it == first.end() || !std::equal(atom.second.begin(), atom.second.begin() + 4, it->second.begin())) ++differ;
  }
  EXPECT_EQ(differ, 0) << what << ": atoms whose f_st differs";
}

}    // namespace

// Item 4 at 1, 2 and 4 ranks, with fix balance (brick, shift) and comm_style tiled (rcb), sorting every
// 70 steps: the per-atom output stays with its atoms through exchanges, balancing and sorting, from the
// end of one run to the start of the next, and across restarts read at another number of ranks.
TEST(MpiReStats, PerAtomOutputTravelsWithTheAtoms)
{
  const std::string dir = make_temp_dir("mpi-rs-peratom");
  const std::string config = dir + "/int.data";
  {
    LmpOptions o;
    o.vars = {{"config", config}};
    LmpRun r = run_lmp(kMakeConfig, o);
    ASSERT_TRUE(r.ok()) << r.output;
  }
  struct Layout {
    int np;
    std::string comm, balance, tag;
  } layouts[] = {
      {1, "", "", "np1"},
      {2, "", "", "np2"},
      {4, "", "fix bal all balance 50 1.0 shift xyz 10 1.05\n", "np4-shift"},
      {4, "comm_style tiled\n", "fix bal all balance 50 1.0 rcb\n", "np4-tiled"},
  };
  for (const auto &l : layouts) {
    LmpOptions o;
    o.np = l.np;
    o.vars = {{"config", config}};
    o.workdir = dir + "/" + l.tag;
    LmpRun r = run_lmp(l.comm + kSetup + kPair + kChecks + l.balance + dump("d1") + "run 1000\nwrite_restart st.restart\n" +
                           "undump d1\n" + dump("d2") + "run 300\n",
                       o);
    ASSERT_TRUE(r.ok()) << l.tag << ": " << r.error_line() << "\n" << r.output;
    check_dump(o.workdir + "/d1.dump", l.tag + " run 1", 217);
    check_dump(o.workdir + "/d2.dump", l.tag + " run 2", 217);
    check_continues(o.workdir + "/d1.dump", o.workdir + "/d2.dump", l.tag + ": end of run 1 = start of run 2");
  }
  // restarts read at another number of ranks and decomposition
  for (const auto &rr : {std::make_pair(std::string("np2"), 3), std::make_pair(std::string("np4-tiled"), 1)}) {
    LmpOptions o;
    o.np = rr.second;
    o.workdir = dir + "/" + rr.first;
    const std::string comm = rr.second == 3 ? "comm_style tiled\n" : "";
    LmpRun r = run_lmp("read_restart st.restart\nlattice diamond 5.431\n" + comm + kPair + kChecks + dump("d3") + "run 0\n", o);
    ASSERT_TRUE(r.ok()) << rr.first << " read at np " << rr.second << ": " << r.error_line() << "\n" << r.output;
    const std::string what = "written at " + rr.first + ", read at np " + std::to_string(rr.second);
    check_dump(o.workdir + "/d3.dump", what, 217);
    check_continues(o.workdir + "/d1.dump", o.workdir + "/d3.dump", what + ": first step = end of run 1");
  }
}

// At the bound of 1000 time origins an atom carries 3007 values, more than the spare room LAMMPS keeps
// in its exchange buffers (the fix now declares its size: maxexchange); the landed code overflowed
// them at np 4 (heap corruption, abort). TMSD of origin 0 against compute msd at np 4 and 4 tiled.
TEST(MpiReStats, ThousandOriginsMigrateBetweenRanks)
{
  const std::string dir = make_temp_dir("mpi-rs-origins");
  const std::string config = dir + "/int.data";
  {
    LmpOptions o;
    o.vars = {{"config", config}};
    LmpRun r = run_lmp(kMakeConfig, o);
    ASSERT_TRUE(r.ok()) << r.output;
  }
  const std::string run = std::string(kSetup) + kPair +
                          "fix st all re/stats 10 sites origins 1000\ncompute msd all msd\n"
                          "thermo_style custom step temp f_st[2] c_msd[4]\nthermo 100\nrun 500\n"
                          "print \"@@ tmsd = $(f_st[2]:%.17g)\"\nprint \"@@ msd = $(c_msd[4]:%.17g)\"\n"
                          "print \"@@ n = $(count(all))\"\n";
  for (const std::string &comm : {std::string(), std::string("comm_style tiled\n")}) {
    LmpOptions o;
    o.np = 4;
    o.vars = {{"config", config}};
    LmpRun r = run_lmp(comm + run, o);
    ASSERT_TRUE(r.ok()) << comm << "status " << r.status << ": " << r.error_line() << "\n" << r.output;
    const double tmsd = r.value("tmsd"), ref = r.value("msd") * r.value("n");
    EXPECT_GT(tmsd, 10.0);
    EXPECT_NEAR(tmsd, ref, 1e-10 * ref) << comm << "TMSD = N x compute msd";
  }
}
