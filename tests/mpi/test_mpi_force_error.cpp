// compute force/error gives the same global results at 1, 2 and 4 MPI ranks (rerun over a dump,
// reference forces from the dump file, a mask, uncertainties and energies).
#include "lammps_session.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace reval::test;

namespace {
const char *kTrajectory = R"(
units           metal
atom_style      atomic
lattice         diamond 5.431
region          box block 0 3 0 3 0 3
create_box      1 box
create_atoms    1 box
mass            1 28.0855
pair_style      sw
pair_coeff      * * Si.sw Si
displace_atoms  all random 0.1 0.1 0.1 77 units box
velocity        all create 2400 5 loop geom
fix             nve all nve
dump            d all custom 10 ${traj} id x y z fx fy fz
dump_modify     d format float %22.16g sort id
thermo_style    custom step pe
run             50
)";

const char *kRerun = R"(
units           metal
atom_style      atomic
lattice         diamond 5.431
region          box block 0 3 0 3 0 3
create_box      1 box
create_atoms    1 box
mass            1 28.0855
pair_style      tersoff
pair_coeff      * * Si.tersoff Si
variable        sig atom 0.1+0.05*(id%5)
variable        m atom (id%4)!=0
variable        eref equal pe+3.0
compute         fe all force/error ref file ${traj} accumulate yes mask v_m uncertainty v_sig energy v_eref
thermo_style    custom step pe c_fe[1]
thermo          1
rerun           ${traj} dump x y z
)";
}    // namespace

TEST(MpiForceError, SameResultsAtNp124)
{
  const std::string traj = make_temp_dir("mpi-fe") + "/traj.dump";
  {
    LmpOptions o;
    o.vars = {{"traj", traj}};
    LmpRun r = run_lmp(kTrajectory, o);
    ASSERT_TRUE(r.ok()) << r.output;
  }
  std::string rerun = kRerun;
  for (int k = 1; k <= 17; ++k) rerun += "print \"@@ v" + std::to_string(k) + " = $(c_fe[" + std::to_string(k) + "]:%.15g)\"\n";
  LmpRun ref;
  for (int np : {1, 2, 4}) {
    LmpOptions o;
    o.np = np;
    o.vars = {{"traj", traj}};
    LmpRun r = run_lmp(rerun, o);
    ASSERT_TRUE(r.ok()) << "np " << np << ": " << r.error_line() << "\n" << r.output;
    EXPECT_EQ(r.value("v1"), 6 * 162) << "6 frames x 162 masked-in atoms";
    EXPECT_NEAR(r.value("v14"), 3.0 / 216, 1e-9);
    if (np == 1) {
      ref = r;
      EXPECT_GT(ref.value("v17"), -1.0);
      continue;
    }
    for (int k = 1; k <= 17; ++k) {
      const std::string key = "v" + std::to_string(k);
      EXPECT_NEAR(r.value(key), ref.value(key), 1e-10 * std::max(1.0, std::fabs(ref.value(key))))
          << "np " << np << " element " << k;
    }
  }
}
