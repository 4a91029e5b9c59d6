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

// ---------------------------------------------------------------- issue 12 (hardening)

namespace {

// lmp stopped with an ERROR containing `msg` and exited by itself (no signal, no abort).
void expect_clean_error(const LmpRun &r, const std::string &msg, const std::string &what)
{
  EXPECT_NE(r.status, 0) << what << "\n" << r.output;
  EXPECT_LT(r.status, 128) << what << ": killed by a signal (status " << r.status << ")\n" << r.output;
  EXPECT_NE(r.output.find("ERROR"), std::string::npos) << what << "\n" << r.output;
  EXPECT_NE(r.error_line().find(msg), std::string::npos) << what << "\n  got: " << r.error_line();
}

const char *kPropsLmp = "units metal\natom_style atomic\natom_modify map array\nlattice sc 3.0\n"
                        "region box block 0 3 0 3 0 3\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0\n"
                        "pair_style zero 4.0\npair_coeff * *\n"
                        "fix props all property/atom d_fx d_fy d_fz d_px d_py d_pz d_sig d_m\n"
                        "variable one atom 1.0+0.1*id\nset group all d_fx v_one\nset group all d_sig 0.5\n";

}    // namespace

// Item 1: the compute's own values as its inputs (directly, through a variable, through another
// compute, through another force/error compute) used to read a null per-atom array (SEGV): now an
// ERROR naming the problem, and lmp exits cleanly.
TEST(ForceErrorErrors, SelfAndCircularReferences)
{
  const std::string run = "\nthermo_style custom step c_fe[1]\nrun 0 post no\n";
  const std::string kk = kProps;
  struct Case {
    std::string cmd, msg;
    std::string newer = "";    // the error a LAMMPS newer than 29 Sep 2021 may give first instead
  } cases[] = {
      {"compute fe all force/error ref c_fe[1] c_fe[2] c_fe[3]" + run,
       "compute force/error: ref c_fe[1] refers to this compute (fe) itself"},
      {"compute fe all force/error " + kk + " mask c_fe[1]" + run, "mask c_fe[1] refers to this compute (fe) itself"},
      {"compute fe all force/error " + kk + " uncertainty c_fe[3]" + run,
       "uncertainty c_fe[3] refers to this compute (fe) itself"},
      {"compute fe all force/error ref d_fx d_fy d_fz pred d_px c_fe[2] d_pz" + run,
       "pred c_fe[2] refers to this compute (fe) itself"},
      {"variable v atom c_fe[1]\ncompute fe all force/error " + kk + " mask v_v" + run,
       "circular reference: evaluating compute fe needs compute fe itself (through mask v_v)"},
      {"variable v atom 2*c_fe[3]\ncompute fe all force/error ref v_v d_fy d_fz" + run,
       "circular reference: evaluating compute fe needs compute fe itself (through ref v_v)"},
      // (LAMMPS 2025 refuses this formula itself first: "Variable v: Mismatched compute in variable formula")
      {"compute fe all force/error " + kk + " uncertainty v_v\ncompute r all reduce sum c_fe[1]\nvariable v atom c_r+1" +
           run,
       "circular reference: evaluating compute fe needs compute fe itself (through uncertainty v_v)",
       "Variable v: Mismatched compute in variable formula"},
      {"compute fe2 all force/error " + kk + " mask c_fe[1]\ncompute fe all force/error " + kk + " mask c_fe2[1]" + run,
       "circular reference: evaluating compute fe"},
      {"compute fe all force/error " + kk + " accumulate yes mask c_fe[1]" + run, "refers to this compute (fe) itself"},
      {"variable v atom c_fe[1]\ncompute fe all force/error " + kk + " accumulate yes every 2 mask v_v\nrun 4 post no\n",
       "circular reference: evaluating compute fe needs compute fe itself (through mask v_v)"},
  };
  for (const auto &c : cases) {
    LmpRun r = run_lmp(std::string(kPropsLmp) + c.cmd);
    const bool newer = REVAL_LAMMPS_VERSION > 20210929 && !c.newer.empty() &&
        r.error_line().find(c.newer) != std::string::npos;
    expect_clean_error(r, newer ? c.newer : c.msg, c.cmd);
  }
}

// Item 2: bins 2000000000 threw std::bad_alloc (abort): now an ERROR naming the limit.
TEST(ForceErrorErrors, BinCountsAreBounded)
{
  for (const std::string bins : {"2000000000 1 20 90", "20 1 1000001 90", "99999999999999999999 1 20 90"}) {
    LmpRun r = run_lmp(std::string(kPropsLmp) + "compute fe all force/error " + kProps + " bins " + bins +
                       "\nthermo_style custom step c_fe[1]\nrun 0 post no\n");
    expect_clean_error(r, "compute force/error: bins: at most 1000000 bins per distribution", bins);
  }
  LammpsSession s;
  setup_props(s);
  s.commands("compute fe all force/error " + kProps + " bins 1000000 1.0 3 90\nrun 0 post no");
  EXPECT_EQ(s.compute_array("fe").size(), 1000000u) << "the limit itself is allowed";
}

// Item 7: repeated ref/pred keywords, and dump files with a duplicated atom ID, nan, inf, hex numbers,
// non-integer or out-of-range IDs: ERRORs naming the keyword, or the file, line and field.
TEST(ForceErrorErrors, RepeatedKeywordsAndBadDumpValues)
{
  const std::string dir = make_temp_dir("fe-strict");
  auto dump = [&](const std::string &name, int bad_row, const std::string &bad_line) {
    std::ofstream f(dir + "/" + name);
    f << "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n27\nITEM: BOX BOUNDS pp pp pp\n0 9\n0 9\n0 9\n"
         "ITEM: ATOMS id fx fy fz\n";
    for (int i = 1; i <= 27; ++i) f << (i == bad_row ? bad_line : std::to_string(i) + " 0.5 0.25 -0.125") << "\n";
    return dir + "/" + name;
  };
  const std::string run = "\nthermo_style custom step c_fe[1]\nrun 0 post no";
  struct Case {
    std::string cmd, msg;
    std::string newer = "";    // the error a LAMMPS newer than 29 Sep 2021 may give first instead
  } cases[] = {
      {"compute fe all force/error ref d_fx d_fy d_fz ref d_px d_py d_pz", "keyword 'ref' is given twice"},
      {"compute fe all force/error ref d_fx d_fy d_fz pred d_px d_py d_pz pred d_fx d_fy d_fz",
       "keyword 'pred' is given twice"},
      {"compute fe all force/error ref file " + dump("a.dump", 1, "1 0.5 0.25 -0.125") + " ref d_fx d_fy d_fz",
       "keyword 'ref' is given twice"},
      {"compute fe all force/error ref file " + dump("dup.dump", 27, "5 9 9 9") + run,
       "dup.dump line 36: field 1 (id): atom ID 5 appears twice in the frame of timestep 0 (first on line 14)"},
      {"compute fe all force/error ref file " + dump("nan.dump", 3, "3 nan 0 0") + run,
       "nan.dump line 12: field 2 (fx): 'nan' is not a finite decimal number"},
      {"compute fe all force/error ref file " + dump("inf.dump", 3, "3 0 -inf 0") + run,
       "inf.dump line 12: field 3 (fy): '-inf' is not a finite decimal number"},
      {"compute fe all force/error ref file " + dump("hex.dump", 4, "4 0 0 0x10") + run,
       "hex.dump line 13: field 4 (fz): '0x10' is not a finite decimal number"},
      {"compute fe all force/error ref file " + dump("frac.dump", 4, "4.7 0 0 0") + run,
       "frac.dump line 13: field 1 (id): '4.7' is not an atom ID (an integer from 1 to 2147483647)"},
      {"compute fe all force/error ref file " + dump("big.dump", 4, "1e30 0 0 0") + run,
       "big.dump line 13: field 1 (id): '1e30' is not an atom ID"},
      {"compute fe all force/error ref file " + dump("nanid.dump", 4, "nan 0 0 0") + run,
       "nanid.dump line 13: field 1 (id): 'nan' is not an atom ID"},
      {"compute fe all force/error ref file " + dump("range.dump", 4, "4294967300 0 0 0") + run,
       "range.dump line 13: field 1 (id): '4294967300' is not an atom ID"},
      {"compute fe all force/error ref d_fx d_fy d_fz pred file " + dump("p.dump", 2, "2 1e999 0 0") + run,
       "compute force/error: pred file " + dir + "/p.dump: dump file " + dir + "/p.dump line 11: field 2 (fx): '1e999'"},
      // per-atom inputs that are not finite numbers
      {"variable bad atom exp(1000*(id==7))\ncompute fe all force/error ref v_bad d_fy d_fz" + run,
       "compute force/error: ref v_bad: the value of atom ID 7 on timestep 0 is not a finite number"},
      {"variable bad atom exp(1000*(id==5))-exp(1000*(id==5))\ncompute fe all force/error " + kProps +
           " uncertainty v_bad" + run,
       "compute force/error: uncertainty v_bad: the value of atom ID 5 on timestep 0 is not a finite number"},
      {"compute fe all force/error " + kProps + " every 5", "every needs accumulate yes"},
      {"compute fe all force/error " + kProps + " accumulate yes every 0", "every must be an integer from 1 to"},
      {"compute fe all force/error " + kProps + " accumulate yes every 2.5", "every must be an integer from 1 to"},
      // (newer LAMMPS refuse 1e999 in utils::numeric already: "Floating point number 1e999 in input script or
      // data file is out of range")
      {"compute fe all force/error " + kProps + " thresholds 0.5 1e999 30",
       "thresholds must be finite and >= 0", "Floating point number 1e999 in input script or data file is out of range"},
      {"compute fe all force/error " + kProps + " fmin 1e999",
       "fmin must be finite and > 0", "Floating point number 1e999 in input script or data file is out of range"},
  };
  for (const auto &c : cases) {
    LammpsSession s;
    setup_props(s);
    std::string err = s.error_of(c.cmd);
    const bool newer = REVAL_LAMMPS_VERSION > 20210929 && !c.newer.empty() && err.find(c.newer) != std::string::npos;
    EXPECT_NE(err.find(newer ? c.newer : c.msg), std::string::npos) << c.cmd << "\n  got: " << err;
  }
  // a NaN mask value of an atom that is not counted is no error; masked atoms are not checked
  LammpsSession s;
  setup_props(s);
  EXPECT_EQ(s.error_of("variable m atom (id>1)\nvariable r atom exp(1000*(id==1))-exp(1000*(id==1))\n"
                       "compute fe all force/error ref v_r v_r v_r mask v_m" + run),
            "");
}

namespace {
// 100 frames (every step of a 99-step MD of 64 Si atoms, SW) with positions and forces
std::string make_long_trajectory(LammpsSession &s)
{
  const std::string traj = s.path("traj100.dump");
  s.commands("units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n"
             "region box block 0 2 0 2 0 2\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n"
             "pair_style sw\npair_coeff * * Si.sw Si\ndisplace_atoms all random 0.1 0.1 0.1 3 units box\n"
             "velocity all create 2400 5 loop geom\nfix nve all nve\n"
             "dump d all custom 1 " + traj + " id x y z fx fy fz\ndump_modify d format float %22.16g sort id\n"
             "thermo 1000\nrun 99 post no\nundump d\nunfix nve\n");
  return traj;
}
}    // namespace

// Item 10: accumulate yes pools every frame of a rerun, not only the frames that thermo output
// invokes the compute on (thermo 50: 3 of 100 frames before), and equals the pooled frames.
TEST(ForceError, AccumulateCountsEveryFrameNotOnlyOutputSteps)
{
  LammpsSession s;
  const std::string traj = make_long_trajectory(s);
  const std::string pred = s.path("pred.dump");
  s.commands("pair_style tersoff\npair_coeff * * Si.tersoff Si\nvariable sig atom 0.05+0.1*(id%7)\n"
             "compute fe all force/error ref file " + traj + " accumulate yes uncertainty v_sig\n"
             "thermo_style custom step pe c_fe[1]\nthermo 50\n"
             "dump p all custom 1 " + pred + " id x y z fx fy fz\ndump_modify p format float %22.16g sort id\n"
             "rerun " + traj + " dump x y z");
  auto v = s.compute_vector("fe");
  EXPECT_EQ(v[0], 100 * 64) << "100 frames pooled with thermo 50";
  auto ref = read_forces(traj, ""), got = read_forces(pred, "");
  ASSERT_EQ(ref.size(), 100u);
  std::vector<std::array<double, 3>> F, P;
  std::vector<double> sig;
  for (auto &kv : ref)
    for (size_t i = 0; i < kv.second.size(); ++i) {
      F.push_back(kv.second[i]);
      P.push_back(got[kv.first][i]);
      sig.push_back(0.05 + 0.1 * ((i + 1) % 7));
    }
  expect_vector(v, force_error_reference(F, P, sig), 1e-9);
  EXPECT_EQ(s.equal("c_fe[1]"), 100 * 64) << "variables read the accumulated results after the rerun";
}

// Item 10 under MD: every step counts (the potential energy is tallied on each of them for the energy
// keyword), or every N-th (keyword every); output steps do not matter; fix ave/time reads without
// counting again.
static void accumulate_md(bool with_every)
{
  LammpsSession s;
  s.commands("units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n"
             "region box block 0 2 0 2 0 2\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n"
             "pair_style sw\npair_coeff * * Si.sw Si\ndisplace_atoms all random 0.1 0.1 0.1 3 units box\n"
             "run 0 post no\nfix st all store/state 0 fx fy fz\n"
             "velocity all create 2400 5 loop geom\nfix nve all nve\n"
             "variable eref equal pe+0.01*step\n"
             "compute fe all force/error ref f_st[1] f_st[2] f_st[3] accumulate yes energy v_eref\n"
             "fix avg all ave/time 5 1 5 c_fe[1]\n");
  if (with_every)
    s.commands("compute fe3 all force/error ref f_st[1] f_st[2] f_st[3] accumulate yes every 3 energy v_eref\n"
               "fix avg3 all ave/time 5 1 5 c_fe3[1]\n");
  s.commands("thermo_style custom step pe\nthermo 7\nrun 20 post no");
  auto v = s.compute_vector("fe");
  EXPECT_EQ(v[0], 21 * 64) << "steps 0..20";
  // dE = -0.01 step on every counted step: RMS over the counted steps
  double sq = 0, sq3 = 0;
  for (int t = 0; t <= 20; ++t) {
    sq += std::pow(0.01 * t / 64, 2);
    if (t % 3 == 0) sq3 += std::pow(0.01 * t / 64, 2);
  }
  EXPECT_NEAR(v[13], std::sqrt(sq / 21), 1e-12);
  EXPECT_EQ(s.fix_scalar("avg"), 21 * 64) << "fix ave/time at step 20 reads the accumulation";
  if (!with_every) return;
  auto v3 = s.compute_vector("fe3");
  EXPECT_EQ(v3[0], 7 * 64) << "steps 0, 3, ..., 18";
  EXPECT_NEAR(v3[13], std::sqrt(sq3 / 7), 1e-12);
  EXPECT_EQ(s.fix_scalar("avg3"), 7 * 64);
}

TEST(ForceError, AccumulateEveryStepOfARun)
{
  accumulate_md(false);
}

TEST(ForceError, AccumulateEveryNSteps)
{
  accumulate_md(true);
  // rerun frames that are multiples of N
  LammpsSession s;
  const std::string traj = make_long_trajectory(s);
  s.commands("compute fe5 all force/error ref file " + traj + " accumulate yes every 5\n"
             "thermo_style custom step pe\nthermo 50\nrerun " + traj + " dump x y z");
  EXPECT_EQ(s.compute_vector("fe5")[0], 20 * 64) << "every 5: frames 0, 5, ..., 95";
  // a fix with per-atom values every 5 steps feeds an accumulation every 5 (or 10) steps, not every step
  s.commands("uncompute fe5\nfix st all ave/atom 1 5 5 fx fy fz\nfix nve all nve\n"
             "compute f5 all force/error ref f_st[1] f_st[2] f_st[3] accumulate yes every 10\nrun 20 post no");
  EXPECT_EQ(s.compute_vector("f5")[0], 2 * 64) << "steps 100 and 110 of the run from step 99 to 119";
  const std::string e = s.error_of("compute f1 all force/error ref f_st[1] f_st[2] f_st[3] accumulate yes\nrun 2 post no");
  EXPECT_NE(e.find("ref f_st[1]: fix st does not provide per-atom values on timestep 119 (only on multiples of 5)"),
            std::string::npos) << e;
}

// Item 11: run 10; run 10 counts the boundary step once: equal to run 20.
TEST(ForceError, ConsecutiveRunsCountTheBoundaryStepOnce)
{
  auto results = [](int nruns) {
    LammpsSession s;
    s.commands("units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n"
               "region box block 0 2 0 2 0 2\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n"
               "pair_style sw\npair_coeff * * Si.sw Si\ndisplace_atoms all random 0.1 0.1 0.1 3 units box\n"
               "run 0 post no\nfix st all store/state 0 fx fy fz\nvariable sig atom 0.05+0.1*(id%7)\n"
               "velocity all create 2400 5 loop geom\nfix nve all nve\n"
               "compute fe all force/error ref f_st[1] f_st[2] f_st[3] accumulate yes uncertainty v_sig\n"
               "thermo_style custom step pe c_fe[1]\nthermo 10\n");
    for (int k = 0; k < nruns; ++k) s.command("run " + std::to_string(20 / nruns) + " post no");
    return std::make_pair(s.compute_vector("fe"), s.compute_array("fe"));
  };
  const auto one = results(1), two = results(2), four = results(4);
  EXPECT_EQ(one.first[0], 21 * 64);
  // a new run sets up the forces again (another summation order): equal to round-off
  for (int k = 0; k < 17; ++k) {
    const double tol = 1e-12 * std::max(1.0, std::fabs(one.first[k]));
    EXPECT_NEAR(two.first[k], one.first[k], tol) << "run 10; run 10 = run 20: element " << k + 1;
    EXPECT_NEAR(four.first[k], one.first[k], tol) << "4 x run 5 = run 20: element " << k + 1;
  }
  for (size_t i = 0; i < one.second.size(); ++i)
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(two.second[i][c], one.second[i][c], 1e-12);
}

namespace {
const char *kRestartSystem = "units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n"
                             "region box block 0 2 0 2 0 2\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n"
                             "pair_style sw\npair_coeff * * Si.sw Si\n"
                             "displace_atoms all random 0.1 0.1 0.1 3 units box\n"
                             "velocity all create 2400 5 loop geom\n";
// After the system exists (or after read_restart): the reference, the compute and the integrator.
const char *kRestartCompute = "pair_style sw\npair_coeff * * Si.sw Si\n"
                              "variable fx atom 0.5*sin(id)\nvariable fy atom 0.5*cos(id)\nvariable fz atom 0.2\n"
                              "variable sig atom 0.05+0.1*(id%7)\nvariable m atom (id%4)!=0\n"
                              "variable eref equal -280.0+0.01*step\n"
                              "compute fe all force/error ref v_fx v_fy v_fz accumulate yes mask v_m "
                              "uncertainty v_sig energy v_eref bins 30 2.0 30 180 file ${report}\n"
                              "fix nve all nve\nthermo_style custom step pe c_fe[1]\nthermo 10\n";
}    // namespace

// Item 11 and the restart chain: run 20 = run 10 + write_restart + read_restart + run 10 (the sums,
// the maximum, the uncertainty samples and the counted steps are in the restart file).
TEST(ForceError, RestartChainEqualsOneRun)
{
  const std::string dir = make_temp_dir("fe-restart");
  std::vector<double> full, chain;
  std::vector<std::vector<double>> full_cdf, chain_cdf;
  {
    LammpsSession s;
    s.command("variable report string " + dir + "/full.txt");
    s.commands(std::string(kRestartSystem) + kRestartCompute + "run 20 post no");
    full = s.compute_vector("fe");
    full_cdf = s.compute_array("fe");
  }
  {
    LammpsSession s;
    s.command("variable report string " + dir + "/half.txt");
    s.commands(std::string(kRestartSystem) + kRestartCompute + "run 10 post no\nwrite_restart " + dir + "/fe.restart");
    EXPECT_EQ(s.compute_vector("fe")[0], 11 * 48);
  }
  {
    LammpsSession s;
    s.command("read_restart " + dir + "/fe.restart");
    s.command("variable report string " + dir + "/chain.txt");
    s.commands(std::string(kRestartCompute) + "run 10 post no");
    EXPECT_NE(s.output().find("Resetting global fix info from restart file"), std::string::npos);
    chain = s.compute_vector("fe");
    chain_cdf = s.compute_array("fe");
  }
  ASSERT_EQ(full.size(), 17u);
  EXPECT_EQ(full[0], 21 * 48) << "steps 0..20 x 48 masked-in atoms";
  EXPECT_GT(full[13], 0.0);
  EXPECT_NE(full[16], 0.0);
  for (int k = 0; k < 17; ++k)
    EXPECT_NEAR(chain[k], full[k], 1e-12 * std::max(1.0, std::fabs(full[k]))) << "vector element " << k + 1;
  ASSERT_EQ(chain_cdf.size(), full_cdf.size());
  for (size_t i = 0; i < full_cdf.size(); ++i)
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(chain_cdf[i][c], full_cdf[i][c], 1e-12) << "row " << i << " col " << c;
  // the report after the restarted run describes the whole chain
  const std::string rep = read_file(dir + "/chain.txt");
  EXPECT_NE(rep.find("atoms counted                     1008"), std::string::npos) << rep;
}

// Restart data written with other settings are not mixed in: ERROR.
TEST(ForceErrorErrors, RestartWithOtherSettings)
{
  const std::string dir = make_temp_dir("fe-restart-bad");
  {
    LammpsSession s;
    s.command("variable report string " + dir + "/r.txt");
    s.commands(std::string(kRestartSystem) + kRestartCompute + "run 2 post no\nwrite_restart " + dir + "/fe.restart");
  }
  const std::string base = "pair_style sw\npair_coeff * * Si.sw Si\n"
                           "variable fx atom 0.5\nvariable sig atom 0.1\nvariable eref equal -280\n";
  struct Case {
    std::string compute, msg;
  } cases[] = {
      {"ref v_fx v_fx v_fx accumulate yes uncertainty v_sig energy v_eref bins 20 2.0 30 180",
       "compute fe was accumulated with other bins settings in the restart file"},
      {"ref v_fx v_fx v_fx accumulate yes uncertainty v_sig energy v_eref bins 30 2.0 30 180 thresholds 0.4 15 30",
       "other thresholds settings"},
      {"ref v_fx v_fx v_fx accumulate yes uncertainty v_sig energy v_eref bins 30 2.0 30 180 fmin 1e-5",
       "other fmin settings"},
      {"ref v_fx v_fx v_fx accumulate yes every 2 uncertainty v_sig energy v_eref bins 30 2.0 30 180",
       "other 'every' (1) in the restart file"},
      {"ref v_fx v_fx v_fx accumulate yes energy v_eref bins 30 2.0 30 180", "'uncertainty' was given there"},
      {"ref v_fx v_fx v_fx accumulate yes uncertainty v_sig bins 30 2.0 30 180", "'energy' was given there"},
  };
  for (const auto &c : cases) {
    LammpsSession s;
    s.command("read_restart " + dir + "/fe.restart");
    const std::string e = s.error_of(base + "compute fe all force/error " + c.compute);
    EXPECT_NE(e.find(c.msg), std::string::npos) << c.compute << "\n  got: " << e;
  }
  // accumulate no does not take the data (a warning says so), another compute ID neither
  LammpsSession s;
  s.command("read_restart " + dir + "/fe.restart");
  s.take_output();
  EXPECT_EQ(s.error_of(base + "compute fe all force/error ref v_fx v_fx v_fx file " + dir + "/r2.txt\n"
                              "compute fe2 all force/error ref v_fx v_fx v_fx accumulate yes\nrun 0 post no"),
            "");
  EXPECT_NE(s.take_output().find("WARNING: compute force/error: the statistics accumulated by compute fe in the "
                                 "restart file are not used"),
            std::string::npos);
  EXPECT_EQ(s.compute_vector("fe")[0], 64);
  EXPECT_EQ(s.compute_vector("fe2")[0], 64) << "step 2 only";
}
