// fix re/harvest writes the same frames at 1, 2 and 4 MPI ranks, brick and tiled with fix balance: an
// interstitial in Si at high temperature, recorded once (np 1) and rerun, harvesting migrating atoms and
// hops (whole cells, and periodic boxes cut around the trigger atoms). Positions, atom IDs, species, flags
// and criteria are identical; energies and forces (summed in another order) agree to 1e-9.
#include "lammps_session.h"

#include "core/extxyz.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace reval::test;

namespace {
const char *kRecord = R"(
units           metal
atom_style      atomic
atom_modify     map array
lattice         diamond 5.431
region          box block 0 3 0 3 0 3
create_box      1 box
create_atoms    1 box
mass            1 28.0855
create_atoms    1 single 0.75 0.75 0.75
pair_style      sw
pair_coeff      * * Si.sw Si
velocity        all create 3200 99 loop geom
fix             nve all nve
timestep        0.001
dump            d all custom 10 ${traj} id x y z ix iy iz
dump_modify     d format float %.17g
run             400
write_data      ${config} nocoeff
)";

const char *kRerun = R"LMP(
units           metal
atom_style      atomic
atom_modify     map array
lattice         diamond 5.431
read_data       ${config}
pair_style      sw
pair_coeff      * * Si.sw Si
comm_modify     cutoff 7.5
compute         sites all vacancy/sites
compute         re all re/atom sites
fix             st all re/stats 10 sites itypes none
fix             h all re/harvest 10 file whole.xyz migrating re 1 hop st species Si
fix             hb all re/harvest 10 file box.xyz migrating re 1 box 9.0 species Si
thermo          1000
rerun           ${traj} dump x y z ix iy iz
print           "@@ harvested = $(f_h[1])"
)LMP";

void expect_same(const std::vector<reval::XyzFrame> &a, const std::vector<reval::XyzFrame> &b, const std::string &what)
{
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t k = 0; k < a.size(); ++k) {
    const auto &x = a[k], &y = b[k];
    const std::string w = what + " frame " + std::to_string(k);
    for (const char *key : {"step", "criterion", "centre_id", "harvest_frame", "cutout"})
      EXPECT_EQ(x.info.count(key) ? x.info.at(key) : "", y.info.count(key) ? y.info.at(key) : "") << w << " " << key;
    if (x.info.count("mlip_energy")) {
      const double ex = std::stod(x.info.at("mlip_energy")), ey = std::stod(y.info.at("mlip_energy"));
      EXPECT_NEAR(ex, ey, 1e-9 * std::fabs(ex)) << w;
    }
    ASSERT_EQ(x.natoms(), y.natoms()) << w;
    EXPECT_EQ(x.species, y.species) << w;
    EXPECT_EQ(x.pos, y.pos) << w;
    EXPECT_EQ(x.arrays.at("id"), y.arrays.at("id")) << w;
    EXPECT_EQ(x.arrays.at("harvest_flags"), y.arrays.at("harvest_flags")) << w;
    const auto &fx = x.arrays.at("mlip_forces"), &fy = y.arrays.at("mlip_forces");
    for (size_t i = 0; i < fx.size(); ++i) EXPECT_NEAR(fx[i], fy[i], 1e-9) << w << " value " << i;
  }
}
}    // namespace

TEST(MpiReHarvest, SameFramesAtNp124TiledAndBalanced)
{
  const std::string dir = make_temp_dir("mpi-harvest");
  const std::string traj = dir + "/traj.dump", config = dir + "/int.data";
  {
    LmpOptions o;
    o.vars = {{"traj", traj}, {"config", config}};
    LmpRun r = run_lmp(kRecord, o);
    ASSERT_TRUE(r.ok()) << r.output;
  }
  std::vector<reval::XyzFrame> ref_whole, ref_box;
  for (int np : {1, 2, 4, -4}) {
    LmpOptions o;
    o.np = np < 0 ? -np : np;
    o.vars = {{"traj", traj}, {"config", config}};
    const std::string input = np < 0 ? std::string("comm_style tiled\n") + kRerun : std::string(kRerun);
    std::string in = input;
    if (np < 0) in.replace(in.find("thermo "), 0, "fix bal all balance 10 1.0 rcb\n");
    LmpRun r = run_lmp(in, o);
    ASSERT_TRUE(r.ok()) << "np " << np << ": " << r.error_line() << "\n" << r.output;
    const auto whole = reval::read_extxyz(r.workdir + "/whole.xyz");
    const auto box = reval::read_extxyz(r.workdir + "/box.xyz");
    if (np == 1) {
      ref_whole = whole;
      ref_box = box;
      ASSERT_GE(ref_whole.size(), 2u) << "the trajectory must trigger the criteria";
      ASSERT_GE(ref_box.size(), 2u);
      EXPECT_EQ(r.value("harvested"), static_cast<double>(ref_whole.size()));
      continue;
    }
    const std::string what = np < 0 ? "tiled np 4 + balance" : "np " + std::to_string(np);
    expect_same(ref_whole, whole, what + " whole");
    expect_same(ref_box, box, what + " box");
  }
}
