// compute force/error through LAMMPS: synthetic cases with hand-computed answers, every reference
// source (custom properties, fix store/state, dump files with rerun), accumulation, energies,
// calibration, reports, reset, and every input error.
#include "force_error_reference.h"
#include "lammps_session.h"

#include "atom.h"
#include "lammps.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

using namespace reval::test;

namespace {

const double kPi = 3.14159265358979323846;

// 27 atoms on a simple-cubic lattice with custom per-atom properties for F, P, sigma and a mask
void setup_props(LammpsSession &s)
{
  s.commands("units metal\natom_style atomic\natom_modify map array\nlattice sc 3.0\n"
             "region box block 0 3 0 3 0 3\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0\n"
             "pair_style zero 4.0\npair_coeff * *\n"
             "fix props all property/atom d_fx d_fy d_fz d_px d_py d_pz d_sig d_m\n");
}

struct Case {
  std::vector<std::array<double, 3>> F, P;
  std::vector<double> sigma, mask;
};

void set_props(LammpsSession &s, const Case &c)
{
  for (size_t i = 0; i < c.F.size(); ++i) {
    std::ostringstream o;
    o.precision(17);
    o << "set atom " << i + 1 << " d_fx " << c.F[i][0] << " d_fy " << c.F[i][1] << " d_fz " << c.F[i][2] << " d_px "
      << c.P[i][0] << " d_py " << c.P[i][1] << " d_pz " << c.P[i][2] << " d_sig " << c.sigma[i] << " d_m " << c.mask[i];
    s.command(o.str());
  }
}

Case random_case(unsigned seed, int n = 27)
{
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, 0.8), noise(0.0, 0.3);
  std::uniform_real_distribution<double> u(0.05, 0.6);
  Case c;
  for (int i = 0; i < n; ++i) {
    std::array<double, 3> f = {g(rng), g(rng), g(rng)};
    if (i == 3) f = {0, 0, 0};    // no direction
    c.F.push_back(f);
    c.P.push_back({f[0] + noise(rng), f[1] + noise(rng), f[2] + noise(rng)});
    c.sigma.push_back(u(rng));
    c.mask.push_back(i % 3 == 0 ? 0.0 : 1.0);
  }
  return c;
}

void expect_vector(const std::vector<double> &got, const std::array<double, 17> &want, double tol = 1e-12)
{
  ASSERT_EQ(got.size(), 17u);
  for (int k = 0; k < 17; ++k)
    EXPECT_NEAR(got[k], want[k], tol * std::max(1.0, std::fabs(want[k]))) << "vector element " << k + 1;
}

const std::string kProps = "ref d_fx d_fy d_fz pred d_px d_py d_pz";

}    // namespace

TEST(ForceError, SyntheticMatchesIndependentReference)
{
  LammpsSession s;
  setup_props(s);
  Case c = random_case(7);
  set_props(s, c);
  s.commands("compute fe all force/error " + kProps + " uncertainty d_sig\nrun 0 post no");
  expect_vector(s.compute_vector("fe"), force_error_reference(c.F, c.P, c.sigma));
  // per-atom columns
  auto dF = s.compute_peratom("fe", 1), dT = s.compute_peratom("fe", 2), err = s.compute_peratom("fe", 3);
  for (int i = 0; i < 27; ++i) {
    const double f = std::hypot(c.F[i][0], c.F[i][1], c.F[i][2]), p = std::hypot(c.P[i][0], c.P[i][1], c.P[i][2]);
    EXPECT_NEAR(dF[i + 1], std::fabs(f - p), 1e-12);
    EXPECT_NEAR(err[i + 1], std::hypot(c.P[i][0] - c.F[i][0], c.P[i][1] - c.F[i][1], c.P[i][2] - c.F[i][2]), 1e-12);
    if (i == 3) {
      EXPECT_EQ(dT[i + 1], -1.0) << "undefined direction is flagged, not NaN";
    }
  }
}

TEST(ForceError, MaskSelectsAtoms)
{
  LammpsSession s;
  setup_props(s);
  Case c = random_case(8);
  set_props(s, c);
  s.commands("compute fe all force/error " + kProps + " mask d_m uncertainty d_sig\nrun 0 post no");
  Case m;
  for (int i = 0; i < 27; ++i)
    if (c.mask[i] != 0) {
      m.F.push_back(c.F[i]);
      m.P.push_back(c.P[i]);
      m.sigma.push_back(c.sigma[i]);
    }
  expect_vector(s.compute_vector("fe"), force_error_reference(m.F, m.P, m.sigma));
  EXPECT_EQ(s.compute_vector("fe")[0], 18);
  auto dF = s.compute_peratom("fe", 1);
  EXPECT_EQ(dF[1], 0.0) << "masked-out atoms have zeros";
}

TEST(ForceError, RotatedForcesArePureDirectionError)
{
  LammpsSession s;
  setup_props(s);
  Case c;
  const double a = 20.0 * kPi / 180.0;
  for (int i = 0; i < 27; ++i) {
    c.F.push_back({1.0, 0.0, 0.0});
    c.P.push_back({std::cos(a), std::sin(a), 0.0});
    c.sigma.push_back(1.0);
    c.mask.push_back(1.0);
  }
  set_props(s, c);
  s.commands("compute fe all force/error " + kProps + "\nrun 0 post no");
  auto v = s.compute_vector("fe");
  EXPECT_NEAR(v[5], 0.0, 1e-14) << "mean dF";
  EXPECT_NEAR(v[6], 20.0, 1e-10) << "mean dtheta";
  EXPECT_EQ(v[8], 1.0) << "fraction > 15 degrees";
  EXPECT_EQ(v[9], 0.0) << "fraction > 30 degrees";
  EXPECT_NEAR(v[10], 1.0, 1e-14) << "NAC(dF)";
  EXPECT_NEAR(v[11], 16.0 / 20.0, 1e-14) << "NAC(dtheta): CDF 1 from the edge 22.5 on";
  EXPECT_NEAR(v[12], 0.8, 1e-14) << "P score";
  auto arr = s.compute_array("fe");
  ASSERT_EQ(arr.size(), 20u);
  EXPECT_NEAR(arr[3][2], 18.0, 1e-12);
  EXPECT_EQ(arr[3][3], 0.0);
  EXPECT_NEAR(arr[4][2], 22.5, 1e-12);
  EXPECT_EQ(arr[4][3], 1.0);
}

TEST(ForceError, ScaledForcesArePureMagnitudeError)
{
  LammpsSession s;
  setup_props(s);
  Case c;
  for (int i = 0; i < 27; ++i) {
    c.F.push_back({0.0, 0.6, 0.8});
    c.P.push_back({0.0, 0.78, 1.04});    // 1.3 x |F|: dF = 0.3
    c.sigma.push_back(1.0);
    c.mask.push_back(1.0);
  }
  set_props(s, c);
  s.commands("compute fe all force/error " + kProps + " bins 10 1.0 10 90 thresholds 0.25 5 10\nrun 0 post no");
  auto v = s.compute_vector("fe");
  EXPECT_NEAR(v[5], 0.3, 1e-12);
  EXPECT_NEAR(v[6], 0.0, 1e-5);
  EXPECT_EQ(v[7], 1.0) << "all dF > 0.25";
  EXPECT_NEAR(v[10], 0.7, 1e-12) << "NAC(dF) with 10 bins: CDF 1 from the edge 0.3 on";
  EXPECT_NEAR(v[11], 1.0, 1e-12);
  EXPECT_NEAR(v[2], std::sqrt((0.18 * 0.18 + 0.24 * 0.24) / 3), 1e-12) << "RMSE of components";
  EXPECT_NEAR(v[3], (0.18 + 0.24) / 3, 1e-12) << "MAE of components";
}

TEST(ForceError, StoredForcesAgainstCurrentForcesAndEnergy)
{
  LammpsSession s;
  s.commands("units metal\natom_style atomic\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\n"
             "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\npair_style sw\npair_coeff * * Si.sw Si\n"
             "displace_atoms all random 0.1 0.1 0.1 11 units box\n"
             "run 0 post no\nfix st all store/state 0 fx fy fz\n");    // stores the forces now
  std::vector<std::array<double, 3>> F, P;
  auto *atom = s.lmp()->atom;
  std::map<long, std::array<double, 3>> ref;
  for (int i = 0; i < atom->nlocal; ++i) ref[atom->tag[i]] = {atom->f[i][0], atom->f[i][1], atom->f[i][2]};
  s.commands("displace_atoms all random 0.05 0.05 0.05 12 units box\n"
             "variable eref equal pe+6.4\n"
             "compute fe all force/error ref f_st[1] f_st[2] f_st[3] energy v_eref\n"
             "thermo_style custom step pe c_fe[1] c_fe[14]\nrun 0 post no");
  for (int i = 0; i < atom->nlocal; ++i) {
    F.push_back(ref[atom->tag[i]]);
    P.push_back({atom->f[i][0], atom->f[i][1], atom->f[i][2]});
  }
  auto v = s.compute_vector("fe");
  auto want = force_error_reference(F, P, {});
  want[13] = 6.4 / 64;
  want[14] = 6.4 / 8;
  expect_vector(v, want, 1e-10);
}

// ---------------------------------------------------------------- dump files and rerun

namespace {

// 5 frames of hot Si (SW) with positions and forces at full precision
std::string make_trajectory(LammpsSession &s)
{
  const std::string traj = s.path("traj.dump");
  s.commands("units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n"
             "region box block 0 2 0 2 0 2\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n"
             "pair_style sw\npair_coeff * * Si.sw Si\ndisplace_atoms all random 0.1 0.1 0.1 3 units box\n"
             "velocity all create 2400 5 loop geom\nfix nve all nve\n"
             "dump d all custom 20 " + traj + " id x y z fx fy fz\ndump_modify d format float %22.16g sort id\n"
             "run 80 post no\nundump d\nunfix nve\n");
  return traj;
}

std::map<long, std::vector<std::array<double, 3>>> read_forces(const std::string &file, const std::string &cols)
{
  // frames of "id fx fy fz" (columns named in `cols` order after id x y z)
  std::map<long, std::vector<std::array<double, 3>>> out;
  std::ifstream in(file);
  std::string line;
  long step = -1;
  int natoms = 0;
  while (std::getline(in, line)) {
    if (line == "ITEM: TIMESTEP") {
      std::getline(in, line);
      step = std::stol(line);
    } else if (line == "ITEM: NUMBER OF ATOMS") {
      std::getline(in, line);
      natoms = std::stoi(line);
    } else if (line.rfind("ITEM: ATOMS", 0) == 0) {
      std::vector<std::array<double, 3>> f(natoms);
      for (int i = 0; i < natoms; ++i) {
        std::getline(in, line);
        std::istringstream ls(line);
        double id, x, y, z, fx, fy, fz;
        ls >> id >> x >> y >> z >> fx >> fy >> fz;
        f[static_cast<int>(id) - 1] = {fx, fy, fz};
      }
      out[step] = f;
    }
  }
  (void) cols;
  return out;
}

}    // namespace

TEST(ForceError, RerunSamePotentialGivesZeroError)
{
  LammpsSession s;
  const std::string traj = make_trajectory(s);
  s.commands("compute fe all force/error ref file " + traj + " accumulate yes\n"
             "thermo_style custom step pe c_fe[1] c_fe[3]\nthermo 1\n"
             "rerun " + traj + " dump x y z");
  auto v = s.compute_vector("fe");
  EXPECT_EQ(v[0], 5 * 64) << "5 frames accumulated";
  EXPECT_LT(v[2], 1e-10) << "RMSE";
  EXPECT_NEAR(v[12], 1.0, 1e-12) << "P score of a perfect prediction";
}

TEST(ForceError, RerunAccumulateEqualsPooledFrames)
{
  LammpsSession s;
  const std::string traj = make_trajectory(s);
  const std::string pred = s.path("pred.dump");
  s.commands("pair_style tersoff\npair_coeff * * Si.tersoff Si\n"
             "compute fe all force/error ref file " + traj + " accumulate yes uncertainty v_sig file " +
             s.path("report.txt") + "\nvariable sig atom 0.05+0.1*(id%7)\n"
             "compute one all force/error ref file " + traj + "\n"
             "thermo_style custom step pe c_fe[1] c_one[1]\nthermo 1\n"
             "dump p all custom 20 " + pred + " id x y z fx fy fz\ndump_modify p format float %22.16g sort id\n"
             "rerun " + traj + " dump x y z");
  auto ref = read_forces(traj, ""), got = read_forces(pred, "");
  ASSERT_EQ(ref.size(), 5u);
  std::vector<std::array<double, 3>> F, P;
  std::vector<double> sig;
  for (auto &kv : ref) {
    for (size_t i = 0; i < kv.second.size(); ++i) {
      F.push_back(kv.second[i]);
      P.push_back(got[kv.first][i]);
      sig.push_back(0.05 + 0.1 * ((i + 1) % 7));
    }
  }
  expect_vector(s.compute_vector("fe"), force_error_reference(F, P, sig), 1e-9);
  EXPECT_EQ(s.compute_vector("one")[0], 64) << "accumulate no: the last frame only";
  std::string report = read_file(s.path("report.txt"));
  EXPECT_NE(report.find("P score = NAC(dF) * NAC(dtheta)"), std::string::npos) << report;
  EXPECT_NE(report.find("atoms counted                     320"), std::string::npos) << report;
  EXPECT_NE(report.find("# CDF of dtheta"), std::string::npos);
  // reset forgets the accumulated frames
  s.command("reval reset fe");
  EXPECT_EQ(s.compute_vector("fe")[0], 0);
}

TEST(ForceError, MaskFromMigratingAtoms)
{
  LammpsSession s;
  setup_props(s);
  // one atom pushed to the middle of a bond of the sc lattice is "migrating" for compute re/atom
  Case c = random_case(9);
  set_props(s, c);
  s.commands("lattice sc 3.0\ncomm_modify cutoff 8.0\nset atom 14 x 4.5 y 3.01 z 3.0\n"
             "compute sites all vacancy/sites\ncompute re all re/atom sites\n"
             "compute fe all force/error " + kProps + " mask c_re[1]\nrun 0 post no");
  ASSERT_EQ(s.compute_scalar("re"), 1);
  auto v = s.compute_vector("fe");
  EXPECT_EQ(v[0], 1) << "only the migrating atom counts";
  expect_vector(v, force_error_reference({c.F[13]}, {c.P[13]}, {}));
}

// ---------------------------------------------------------------- bad input

TEST(ForceErrorErrors, EveryErrorNamesTheProblem)
{
  const std::string kThermo = "thermo_style custom step c_fe[1]\nrun 0 post no";
  const std::string dir = make_temp_dir("fe-errors");
  {
    std::ofstream f(dir + "/nofx.dump");
    f << "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n27\nITEM: BOX BOUNDS pp pp pp\n0 9\n0 9\n0 9\nITEM: ATOMS id fy fz\n";
    for (int i = 1; i <= 27; ++i) f << i << " 0 0\n";
  }
  {
    std::ofstream f(dir + "/ids.dump");
    f << "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n27\nITEM: BOX BOUNDS pp pp pp\n0 9\n0 9\n0 9\n"
         "ITEM: ATOMS id fx fy fz\n";
    for (int i = 1; i <= 27; ++i) f << (i == 27 ? 99 : i) << " 0 0 0\n";
  }
  struct E {
    std::string cmd, msg;
  } cases[] = {
      {"compute fe all force/error", "a reference is required"},
      {"compute fe all force/error pred d_px d_py d_pz", "a reference is required"},
      {"compute fe all force/error ref d_fx d_fy", "ref needs three per-atom values X Y Z or 'file FILE' (found 2)"},
      {"compute fe all force/error ref d_fx d_fy mask d_m", "ref needs three per-atom values X Y Z or 'file FILE' (found 2)"},
      {"compute fe all force/error ref d_fx d_fy d_nope\nrun 0 post no",
       "ref d_nope: custom per-atom property 'nope' does not exist"},
      {"compute fe all force/error ref file", "'ref file' needs a file name"},
      {"compute fe all force/error ref file " + dir + "/missing.dump", "cannot open dump file"},
      {"compute fe all force/error ref file " + dir + "/nofx.dump\n" + kThermo, "has no column 'fx'"},
      {"compute fe all force/error ref file " + dir + "/ids.dump\n" + kThermo, "has no row for atom ID 27"},
      {"compute fe all force/error ref file " + dir + "/ids.dump\nreset_timestep 5\n" + kThermo,
       "has no frame for timestep 5"},
      {"compute fe all force/error " + kProps + " mask c_thermo_temp\nrun 0 post no",
       "mask c_thermo_temp: compute thermo_temp does not calculate per-atom values"},
      {"compute fe all force/error " + kProps + " mask 1.0", "mask '1.0' is not a per-atom quantity reference"},
      {"compute fe all force/error " + kProps + " bins 0 1.0 20 90", "bins needs positive numbers of bins and ranges"},
      {"compute fe all force/error " + kProps + " bins 20 -1 20 90", "bins needs positive numbers"},
      {"compute fe all force/error " + kProps + " bins 20 1.0", "'bins' needs 4 values"},
      {"compute fe all force/error " + kProps + " accumulate maybe", "accumulate must be yes or no (got 'maybe')"},
      {"compute fe all force/error " + kProps + " energy v_nope\nrun 0 post no", "energy variable 'nope' does not exist"},
      {"variable a atom x\ncompute fe all force/error " + kProps + " energy v_a\nrun 0 post no",
       "energy variable a is not an equal-style variable"},
      {"compute fe all force/error " + kProps + " uncertainty c_nope\nrun 0 post no",
       "uncertainty c_nope: compute ID 'nope' does not exist"},
      {"compute fe all force/error " + kProps + " colour red", "unknown keyword 'colour'"},
      {"compute fe all force/error " + kProps + "\nreval reset thermo_temp", "which accumulates nothing to reset"},
  };
  for (auto &c : cases) {
    LammpsSession s;
    setup_props(s);
    std::string err = s.error_of(c.cmd);
    EXPECT_NE(err.find(c.msg), std::string::npos) << c.cmd << "\n  got: " << err;
  }
}

TEST(ForceError, ReferenceFromReadDataSection)
{
  // DFT forces delivered in a data file section into fix property/atom, as in the documentation
  LammpsSession s;
  const std::string data = s.path("test.data");
  {
    std::ofstream f(data);
    f << "test\n\n3 atoms\n1 atom types\n\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nMasses\n\n1 28.0855\n\n"
         "Atoms # atomic\n\n1 1 1 1 1\n2 1 4 1 1\n3 1 1 4 1\n\nDFTForces\n\n1 0.1 0.0 0.0\n2 0.0 0.2 0.0\n3 0.0 0.0 0.3\n";
  }
  s.commands("units metal\natom_style atomic\nfix dft all property/atom d_fx d_fy d_fz\n"
             "read_data " + data + " fix dft NULL DFTForces\npair_style zero 5.0\npair_coeff * *\n"
             "compute fe all force/error ref d_fx d_fy d_fz\nrun 0 post no");
  // zero pair forces: every error is the reference force itself
  auto v = s.compute_vector("fe");
  EXPECT_EQ(v[0], 3);
  EXPECT_EQ(v[1], 3) << "no predicted direction";
  EXPECT_NEAR(v[5], 0.2, 1e-14) << "mean dF";
  EXPECT_NEAR(v[4], 0.3, 1e-14) << "max error";
}
