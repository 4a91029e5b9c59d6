// compute force/error gives the same global results at 1, 2 and 4 MPI ranks (rerun over a dump,
// reference forces from the dump file, a mask, uncertainties and energies).
#include "lammps_session.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
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

// ---------------------------------------------------------------- issue 12 (hardening)

namespace {
// Reference: SW frames 0 (a perfect lattice: every force is ~1e-15 round-off), 10 and 20 (hot).
const char *kLatticeTrajectory = R"(
units           metal
atom_style      atomic
lattice         diamond 5.431
region          box block 0 3 0 3 0 3
create_box      1 box
create_atoms    1 box
mass            1 28.0855
pair_style      sw
pair_coeff      * * Si.sw Si
velocity        all create 1000 5 loop geom
fix             nve all nve
dump            d all custom 10 ${traj} id x y z fx fy fz
dump_modify     d format float %22.16g sort id
thermo_style    custom step pe
run             20
)";

// Rerun with a 2-member SNAP committee: sigma_F from compute committee/atom against |P - F|. On the
// perfect lattice both are round-off (~1e-15) that differs with the domain decomposition.
const char *kCommitteeRerun = R"IN(
units           metal
atom_style      atomic
lattice         diamond 5.431
region          box block 0 3 0 3 0 3
create_box      1 box
create_atoms    1 box
mass            1 28.0855
pair_style      snap/model
pair_coeff      * * committee 2 Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam &
                m2.snapcoeff Si_Zuo_JPCA2020.snapparam Si
compute         unc all committee/atom
compute         fe all force/error ref file ${traj} accumulate yes uncertainty c_unc[2]
thermo_style    custom step pe c_fe[1]
thermo          100
rerun           ${traj} dump x y z
print           "@@ n = $(c_fe[1])"
print           "@@ within = $(c_fe[16]:%.17g)"
print           "@@ rho = $(c_fe[17]:%.17g)"
)IN";
}    // namespace

// Item 13: Spearman's rho of the committee calibration was 0.0105 different at np 4 than at np 1 (ties
// on a perfect-lattice frame, broken by round-off that depends on the decomposition): now identical,
// bit for bit, at np 1, 2 and 4.
TEST(MpiForceError, CalibrationRhoIdenticalAtNp124WithTies)
{
  const std::string coeff = potentials_dir() + "/Si_Zuo_JPCA2020.snapcoeff";
  if (!std::ifstream(coeff)) GTEST_SKIP() << "LAMMPS potential files (Debian lammps-data) not found";
  const std::string dir = make_temp_dir("mpi-fe-rho");
  const std::string traj = dir + "/traj.dump";
  perturbed_snapcoeff(coeff, dir + "/m2.snapcoeff", 0.05, 2);
  {
    LmpOptions o;
    o.vars = {{"traj", traj}};
    LmpRun r = run_lmp(kLatticeTrajectory, o);
    ASSERT_TRUE(r.ok()) << r.output;
  }
  std::map<int, LmpRun> runs;
  for (int np : {1, 2, 4}) {
    LmpOptions o;
    o.np = np;
    o.vars = {{"traj", traj}};
    o.workdir = dir + "/np" + std::to_string(np);
    o.files = {{"m2.snapcoeff", read_file(dir + "/m2.snapcoeff")}};
    runs[np] = run_lmp(kCommitteeRerun, o);
    ASSERT_TRUE(runs[np].ok()) << "np " << np << ": " << runs[np].error_line() << "\n" << runs[np].output;
    EXPECT_EQ(runs[np].value("n"), 3 * 216) << "3 frames pooled";
  }
  const double rho = runs[1].value("rho");
  EXPECT_GT(std::fabs(rho), 0.05);
  for (int np : {2, 4}) {
    EXPECT_EQ(runs[np].values.at("rho"), runs[1].values.at("rho")) << "np " << np << ": rho, all 17 digits";
    EXPECT_EQ(runs[np].values.at("within"), runs[1].values.at("within")) << "np " << np;
  }
}

namespace {
// (create_atoms numbers the atoms in an order that depends on the decomposition; reset_atom_ids sort
// yes numbers them by position, so that the per-atom references by ID are the same at any np)
const char *kRestartSystem = R"(
units           metal
atom_style      atomic
atom_modify     map array
lattice         diamond 5.431
region          box block 0 3 0 3 0 3
create_box      1 box
create_atoms    1 box
mass            1 28.0855
reset_atom_ids  sort yes
displace_atoms  all random 0.1 0.1 0.1 3 units box
velocity        all create 2400 5 loop geom
)";
const char *kRestartCompute = R"(
pair_style      sw
pair_coeff      * * Si.sw Si
variable        fx atom 0.5*sin(id)
variable        fy atom 0.5*cos(id)
variable        fz atom 0.2
variable        sig atom 0.05+0.1*(id%7)
variable        m atom (id%4)!=0
variable        eref equal -930.0+0.01*step
compute         fe all force/error ref v_fx v_fy v_fz accumulate yes mask v_m uncertainty v_sig energy v_eref
fix             nve all nve
thermo_style    custom step pe c_fe[1]
thermo          10
)";
std::string print_vector()
{
  std::string s;
  for (int k = 1; k <= 17; ++k) s += "print \"@@ v" + std::to_string(k) + " = $(c_fe[" + std::to_string(k) + "]:%.17g)\"\n";
  return s;
}
}    // namespace

// Items 11 and 13 across ranks: run 20 at np 1 = run 10 at np 2 + write_restart + read_restart at np 4
// + run 10 (the restart file holds the sums, the counted steps and the uncertainty samples of all ranks).
TEST(MpiForceError, RestartAcrossRankCounts)
{
  const std::string dir = make_temp_dir("mpi-fe-restart");
  LmpOptions one;
  one.np = 1;
  const LmpRun full = run_lmp(std::string(kRestartSystem) + kRestartCompute + "run 20\n" + print_vector(), one);
  ASSERT_TRUE(full.ok()) << full.error_line() << "\n" << full.output;
  EXPECT_EQ(full.value("v1"), 21 * 162);
  LmpOptions two;
  two.np = 2;
  two.vars = {{"restart", dir + "/fe.restart"}};
  const LmpRun first = run_lmp(std::string(kRestartSystem) + kRestartCompute + "run 10\nwrite_restart ${restart}\n", two);
  ASSERT_TRUE(first.ok()) << first.error_line() << "\n" << first.output;
  LmpOptions four;
  four.np = 4;
  four.vars = two.vars;
  const LmpRun second = run_lmp("read_restart ${restart}\n" + std::string(kRestartCompute) + "run 10\n" + print_vector(), four);
  ASSERT_TRUE(second.ok()) << second.error_line() << "\n" << second.output;
  for (int k = 1; k <= 17; ++k) {
    const std::string key = "v" + std::to_string(k);
    EXPECT_NEAR(second.value(key), full.value(key), 1e-12 * std::max(1.0, std::fabs(full.value(key)))) << key;
  }
}
