// compute force/error/kk equals compute force/error (its CPU twin, itself tested against an
// independent reference in tests/lammps/test_force_error.cpp): the global vector of 17, the CDF array,
// the per-atom array and the report file, with both computes evaluating the same frames in one run
// (the plain one defined after `suffix off`): per-atom sources with mask, uncertainty, group, bins and
// thresholds; the default prediction (device forces of a /kk pair style) with energy; accumulation over
// MD steps and `reval reset`; rerun over a dump reference. OpenMP 2 threads in-process, 1 thread and
// MPI np 2 x 1 thread through lmp; the same input ERRORs; a clear ERROR without -k on.
#include "lammps_session.h"
#include "require_kokkos.h"


#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace reval::test;

namespace {

const std::vector<std::string> kKokkosArgs = kokkos_args(2);
constexpr double kTol = 1e-10;


// Relative difference of two numbers (0 if both are 0).
double rel(double a, double b)
{
  const double scale = std::max(std::fabs(a), std::fabs(b));
  if (scale == 0.0) return 0.0;
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0.0 : 1.0;
  return std::fabs(a - b) / scale;
}

struct Outputs {
  std::vector<double> vec;
  std::vector<std::vector<double>> cdf;
  std::vector<std::map<long, double>> peratom;    // 5 columns, by atom ID
};

Outputs outputs(LammpsSession &s, const std::string &id)
{
  Outputs o;
  o.vec = s.compute_vector(id);
  o.cdf = s.compute_array(id);
  for (int c = 1; c <= 5; ++c) o.peratom.push_back(s.compute_peratom(id, c));
  return o;
}

// Every output of the /kk compute equals the plain one to kTol relative; returns the largest relative
// difference seen (printed, for the record).
double expect_same(const Outputs &kk, const Outputs &cpu, const std::string &what)
{
  double worst = 0.0;
  EXPECT_EQ(kk.vec.size(), 17u) << what;
  EXPECT_EQ(kk.vec.size(), cpu.vec.size()) << what;
  for (size_t k = 0; k < std::min(kk.vec.size(), cpu.vec.size()); ++k) {
    const double r = rel(kk.vec[k], cpu.vec[k]);
    worst = std::max(worst, r);
    EXPECT_LE(r, kTol) << what << ": vector element " << k + 1 << ": kk " << kk.vec[k] << " cpu " << cpu.vec[k];
  }
  EXPECT_EQ(kk.cdf.size(), cpu.cdf.size()) << what;
  for (size_t i = 0; i < std::min(kk.cdf.size(), cpu.cdf.size()); ++i)
    for (size_t c = 0; c < 4; ++c) {
      const double r = rel(kk.cdf[i][c], cpu.cdf[i][c]);
      worst = std::max(worst, r);
      EXPECT_LE(r, kTol) << what << ": array row " << i + 1 << " column " << c + 1;
    }
  EXPECT_EQ(kk.peratom.size(), 5u);
  for (size_t c = 0; c < std::min(kk.peratom.size(), cpu.peratom.size()); ++c) {
    EXPECT_EQ(kk.peratom[c].size(), cpu.peratom[c].size()) << what;
    // on a GPU, relative to the column's largest value: a value that is zero on the host (e.g. the angle
    // error of an atom whose prediction is parallel to its reference) may be 1e-16 there (fused
    // multiply-adds); host execution spaces keep the plain relative difference
    const bool device_fp = lammps_kokkos_gpu();
    double column = 0.0;
    for (const auto &kv : cpu.peratom[c])
      if (std::isfinite(kv.second)) column = std::max(column, std::fabs(kv.second));
    for (const auto &kv : cpu.peratom[c]) {
      auto it = kk.peratom[c].find(kv.first);
      if (it == kk.peratom[c].end()) {
        ADD_FAILURE() << what << ": atom " << kv.first << " missing";
        continue;
      }
      const double r =
          device_fp && std::fabs(it->second - kv.second) <= kTol * column ? 0.0 : rel(it->second, kv.second);
      worst = std::max(worst, r);
      EXPECT_LE(r, kTol) << what << ": per-atom column " << c + 1 << " atom " << kv.first << ": kk " << it->second
                         << " cpu " << kv.second;
    }
  }
  std::cout << "[ force/error/kk ] " << what << ": max relative difference " << worst << "\n";
  return worst;
}

// Reports equal line by line, token by token: words exactly, numbers to the last printed digit. The
// title names the compute: the plain twin's ID is the /kk one's + "0".
void expect_same_report(const std::string &kk, std::string cpu, const std::string &what)
{
  ASSERT_FALSE(cpu.empty()) << what << ": no report";
  const auto id = cpu.find("0, ref ");
  ASSERT_NE(id, std::string::npos) << cpu;
  cpu.erase(id, 1);
  EXPECT_EQ(kk.substr(0, kk.find('\n')), cpu.substr(0, cpu.find('\n'))) << what << ": titles";
  std::cout << "[ force/error/kk ] " << what << ": " << (kk == cpu ? "identical" : "differs in last digits") << "\n";
  std::istringstream a(kk), b(cpu);
  std::string la, lb;
  int line = 0;
  while (true) {
    const bool ga = static_cast<bool>(std::getline(a, la)), gb = static_cast<bool>(std::getline(b, lb));
    ++line;
    ASSERT_EQ(ga, gb) << what << ": reports differ in length at line " << line;
    if (!ga) break;
    if (la == lb) continue;
    std::istringstream ta(la), tb(lb);
    std::string wa, wb;
    while (true) {
      const bool ha = static_cast<bool>(ta >> wa), hb = static_cast<bool>(tb >> wb);
      ASSERT_EQ(ha, hb) << what << ": line " << line << ": '" << la << "' vs '" << lb << "'";
      if (!ha) break;
      if (wa == wb) continue;
      char *ea = nullptr, *eb = nullptr;
      const double va = std::strtod(wa.c_str(), &ea), vb = std::strtod(wb.c_str(), &eb);
      ASSERT_TRUE(*ea == '\0' && *eb == '\0') << what << ": line " << line << ": '" << la << "' vs '" << lb << "'";
      EXPECT_LE(rel(va, vb), 1e-5) << what << ": line " << line << ": '" << la << "' vs '" << lb << "'";
    }
  }
}

// Defines `compute ID group force/error ARGS` as the /kk twin (suffix kk) and `ID0 ...` as the plain
// style (suffix off), and checks which style each is.
void define_pair(LammpsSession &s, const std::string &id, const std::string &group, const std::string &args,
                 const std::string &kk_args_extra = "", const std::string &cpu_args_extra = "")
{
  s.command("compute " + id + " " + group + " force/error " + args + kk_args_extra);
  s.command("suffix off");
  s.command("compute " + id + "0 " + group + " force/error " + args + cpu_args_extra);
  s.command("suffix on");
  EXPECT_EQ(s.style_of("compute", id), "force/error/kk");
  EXPECT_EQ(s.style_of("compute", id + "0"), "force/error");
}

// 27 atoms on a simple-cubic lattice with custom per-atom properties for F, P, sigma and a mask
void setup_props(LammpsSession &s, unsigned seed)
{
  s.commands("units metal\natom_style atomic\natom_modify map array\nlattice sc 3.0\n"
             "region box block 0 3 0 3 0 3\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0\n"
             "pair_style zero 4.0\npair_coeff * *\n"
             "fix props all property/atom d_fx d_fy d_fz d_px d_py d_pz d_sig d_m\n");
  // Under -sf kk this is fix property/atom/kk, whose allocation marks its device copy modified, and the
  // set command of LAMMPS 29 Sep 2021 does not mark the host copy: on a GPU the first run would copy the
  // device's zeros over values set before it. One run first, then set.
  s.command("run 0 post no");
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, 0.8), noise(0.0, 0.3);
  std::uniform_real_distribution<double> u(0.05, 0.6);
  for (int i = 0; i < 27; ++i) {
    std::array<double, 3> f = {g(rng), g(rng), g(rng)};
    if (i == 3) f = {0, 0, 0};    // no direction
    std::array<double, 3> p = {f[0] + noise(rng), f[1] + noise(rng), f[2] + noise(rng)};
    if (i == 5) p = {0, 0, 0};
    if (i == 7) p = {4 * f[0], 4 * f[1], 4 * f[2]};    // beyond Fmax: overflow bin
    std::ostringstream o;
    o.precision(17);
    o << "set atom " << i + 1 << " d_fx " << f[0] << " d_fy " << f[1] << " d_fz " << f[2] << " d_px " << p[0]
      << " d_py " << p[1] << " d_pz " << p[2] << " d_sig " << (i == 9 ? 0.0 : u(rng)) << " d_m "
      << (i % 3 == 0 ? 0.0 : 1.0);
    s.command(o.str());
  }
}

const char *kSiSw = "units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n"
                    "region box block 0 3 0 3 0 3\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n"
                    "pair_style sw\npair_coeff * * Si.sw Si\n"
                    "displace_atoms all random 0.1 0.1 0.1 11 units box\n";

}    // namespace

// Per-atom sources for reference and prediction, mask, uncertainty, a group, custom bins and thresholds.
TEST(KokkosForceError, PerAtomSourcesEqualCpuTwin)
{
  REVAL_REQUIRE_KOKKOS();
  LammpsSession s(kKokkosArgs);
  setup_props(s, 17);
  s.command("group half id <= 20");
  const std::string props = "ref d_fx d_fy d_fz pred d_px d_py d_pz";
  define_pair(s, "fa", "all", props + " uncertainty d_sig");
  define_pair(s, "fm", "half", props + " mask d_m uncertainty d_sig bins 12 1.5 9 120 thresholds 0.3 10 25");
  define_pair(s, "fs", "all", props + " bins 7 0.8 30 60 fmin 0.2");
  s.command("compute fh all force/error/kk/host " + props + " uncertainty d_sig");
  s.command("run 0 post no");
  const Outputs a = outputs(s, "fa");
  EXPECT_EQ(a.vec[0], 27);
  EXPECT_GT(a.vec[1], 0) << "undefined directions are exercised";
  EXPECT_LT(a.vec[10], 1.0) << "overflow bins are exercised";
  EXPECT_NE(a.vec[16], 0.0) << "Spearman";
  expect_same(a, outputs(s, "fa0"), "all atoms, uncertainty");
  expect_same(outputs(s, "fh"), outputs(s, "fa0"), "force/error/kk/host");
  const Outputs m = outputs(s, "fm");
  EXPECT_EQ(m.vec[0], 13) << "20 atoms in the group, 7 of them masked out";
  EXPECT_EQ(m.peratom[0].at(25), 0.0) << "atoms outside the group have zeros";
  expect_same(m, outputs(s, "fm0"), "group, mask, uncertainty, bins, thresholds");
  expect_same(outputs(s, "fs"), outputs(s, "fs0"), "other bins, fmin");
}

// The default prediction is the forces of a /kk pair style, read on the device; energy keyword.
TEST(KokkosForceError, DeviceForcesAndEnergyEqualCpuTwin)
{
  REVAL_REQUIRE_KOKKOS();
  LammpsSession s(kKokkosArgs);
  s.commands(kSiSw);
  s.commands("run 0 post no\nfix st all store/state 0 fx fy fz\n"
             "displace_atoms all random 0.05 0.05 0.05 12 units box\n"
             "variable eref equal pe+6.4\nvariable sig atom 0.02+0.03*(id%9)\n");
  define_pair(s, "fe", "all", "ref f_st[1] f_st[2] f_st[3] energy v_eref uncertainty v_sig");
  s.commands("thermo_style custom step pe c_fe[1] c_fe0[1]\nrun 0 post no");
  EXPECT_NE(s.output().find("sw/kk"), std::string::npos) << "the forces come from a /kk pair style";
  const Outputs kk = outputs(s, "fe");
  EXPECT_EQ(kk.vec[0], 216);
  EXPECT_NEAR(kk.vec[13], 6.4 / 216, 1e-12);
  EXPECT_GT(kk.vec[2], 1e-3);
  expect_same(kk, outputs(s, "fe0"), "device forces, energy, uncertainty");
}

// accumulate yes over MD steps (forces change on the device every step; every step counts, not only
// thermo steps), mask, uncertainty, energy, report files; reval reset; accumulating again after the reset.
TEST(KokkosForceError, AccumulatedMdStepsReportAndResetEqualCpuTwin)
{
  REVAL_REQUIRE_KOKKOS();
  LammpsSession s(kKokkosArgs);
  s.commands(kSiSw);
  s.commands("run 0 post no\nfix st all store/state 0 fx fy fz\n"
             "variable sig atom 0.05+0.1*(id%7)\nvariable m atom (id%4)!=0\nvariable eref equal -930.0\n"
             "velocity all create 1800 5 loop geom\nfix nve all nve\n");
  const std::string args = "ref f_st[1] f_st[2] f_st[3] accumulate yes mask v_m uncertainty v_sig energy v_eref";
  define_pair(s, "fe", "all", args, " file " + s.path("kk.txt"), " file " + s.path("cpu.txt"));
  s.commands("thermo_style custom step pe c_fe[1] c_fe0[1] c_fe[3] c_fe0[3]\nthermo 5\nrun 20");
  Outputs kk = outputs(s, "fe");
  EXPECT_EQ(kk.vec[0], 21 * 162) << "every step 0..20 (not only the 5 thermo steps) x 162 masked-in atoms";
  EXPECT_EQ(kk.vec[15] > 0 && kk.vec[15] < 1, true);
  expect_same(kk, outputs(s, "fe0"), "accumulated MD steps");
  expect_same_report(read_file(s.path("kk.txt")), read_file(s.path("cpu.txt")), "report");
  EXPECT_NE(read_file(s.path("kk.txt")).find("Spearman"), std::string::npos);

  s.command("reval reset fe");
  s.command("reval reset fe0");
  kk = outputs(s, "fe");
  EXPECT_EQ(kk.vec[0], 0) << "reset";
  expect_same(kk, outputs(s, "fe0"), "after reval reset");
  s.command("run 10");
  kk = outputs(s, "fe");
  EXPECT_EQ(kk.vec[0], 11 * 162) << "steps 20..30 after the reset (the reset forgets that step 20 was counted)";
  expect_same(kk, outputs(s, "fe0"), "accumulated again after reval reset");
  expect_same_report(read_file(s.path("kk.txt")), read_file(s.path("cpu.txt")), "report after reset");
}

// rerun over a dump: reference forces from the dump file, prediction from a /kk pair style.
TEST(KokkosForceError, RerunDumpReferenceEqualsCpuTwin)
{
  REVAL_REQUIRE_KOKKOS();
  LammpsSession s(kKokkosArgs);
  const std::string traj = s.path("traj.dump");
  s.commands(kSiSw);
  s.commands("velocity all create 2400 5 loop geom\nfix nve all nve\n"
             "dump d all custom 10 " + traj + " id x y z fx fy fz\ndump_modify d format float %22.16g sort id\n"
             "run 40 post no\nundump d\nunfix nve\n"
             "pair_style tersoff\npair_coeff * * Si.tersoff Si\n"
             "variable sig atom 0.1+0.05*(id%5)\nvariable m atom (id%4)!=0\nvariable eref equal pe+3.0\n");
  define_pair(s, "fe", "all", "ref file " + traj + " accumulate yes mask v_m uncertainty v_sig energy v_eref",
              " file " + s.path("kk.txt"), " file " + s.path("cpu.txt"));
  define_pair(s, "one", "all", "ref file " + traj);
  s.commands("thermo_style custom step pe c_fe[1] c_fe0[1] c_one[1] c_one0[1]\nthermo 1\n"
             "rerun " + traj + " dump x y z");
  const Outputs kk = outputs(s, "fe");
  EXPECT_EQ(kk.vec[0], 5 * 162);
  expect_same(kk, outputs(s, "fe0"), "rerun, dump reference, accumulated");
  expect_same(outputs(s, "one"), outputs(s, "one0"), "rerun, last frame");
  expect_same_report(read_file(s.path("kk.txt")), read_file(s.path("cpu.txt")), "rerun report");
}

// 1 thread, and MPI np 2 x 1 thread, through lmp: the printed global results equal a plain run's.
TEST(KokkosForceErrorRuns, ThreadsAndRanks)
{
  REVAL_REQUIRE_KOKKOS();
  const std::string traj = make_temp_dir("kk-fe") + "/traj.dump";
  {
    LmpOptions o;
    o.vars = {{"traj", traj}};
    LmpRun r = run_lmp(std::string(kSiSw) +
                           "pair_style tersoff\npair_coeff * * Si.tersoff Si\n"
                           "velocity all create 2400 5 loop geom\nfix nve all nve\n"
                           "dump d all custom 10 ${traj} id x y z fx fy fz\n"
                           "dump_modify d format float %22.16g sort id\nrun 50\n",
                       o);
    ASSERT_TRUE(r.ok()) << r.error_line() << "\n" << r.output;
  }
  // reference: Tersoff frames; prediction: SW (sw/kk with -sf kk; LAMMPS 29Sep2021's tersoff/kk forces
  // differ from tersoff's by ~1e-5 on some of these frames, which is no matter of this compute)
  std::string input = std::string(kSiSw) +
      "variable sig atom 0.1+0.05*(id%5)\nvariable m atom (id%4)!=0\nvariable eref equal pe+3.0\n"
      "compute fe all force/error ref file ${traj} accumulate yes mask v_m uncertainty v_sig energy v_eref\n"
      "compute sdf all reduce sum c_fe[1] c_fe[2] c_fe[3]\n"
      "thermo_style custom step pe c_fe[1] c_fe[1][2] c_sdf[1]\nthermo 1\nrerun ${traj} dump x y z\ninfo computes\n";
  for (int k = 1; k <= 17; ++k)
    input += "print \"@@ v" + std::to_string(k) + " = $(c_fe[" + std::to_string(k) + "]:%.17g)\"\n";
  for (int row : {1, 5, 13, 20})
    for (int col : {2, 4})
      input += "print \"@@ a" + std::to_string(row) + "_" + std::to_string(col) + " = $(c_fe[" + std::to_string(row) +
          "][" + std::to_string(col) + "]:%.17g)\"\n";
  for (int k = 1; k <= 3; ++k)
    input += "print \"@@ s" + std::to_string(k) + " = $(c_sdf[" + std::to_string(k) + "]:%.17g)\"\n";

  LmpOptions plain;
  plain.vars = {{"traj", traj}};
  const LmpRun ref = run_lmp(input, plain);
  ASSERT_TRUE(ref.ok()) << ref.error_line() << "\n" << ref.output;
  EXPECT_EQ(ref.value("v1"), 6 * 162);
  EXPECT_NE(ref.output.find("style = force/error,"), std::string::npos) << ref.output;
  for (int np : {1, 2}) {
    if (!ranks_available(np)) continue;
    LmpOptions o = plain;
    o.np = np;
    o.args = kokkos_args(1);
    const LmpRun r = run_lmp(input, o);
    ASSERT_TRUE(r.ok()) << "np " << np << ": " << r.error_line() << "\n" << r.output;
    EXPECT_NE(r.output.find("style = force/error/kk,"), std::string::npos) << r.output;
    double worst = 0.0;
    for (const auto &kv : ref.values) {
      const double a = r.value(kv.first), b = ref.value(kv.first);
      worst = std::max(worst, rel(a, b));
      EXPECT_LE(rel(a, b), kTol) << kv.first << " np " << np << ": kk " << a << " plain " << b;
    }
    std::cout << "[ force/error/kk ] lmp np " << np << " t 1: max relative difference " << worst << "\n";
  }
}

// The same bad input gives the same ERROR as the plain style (parsing, init and evaluation are shared).
TEST(KokkosForceErrorErrors, SameErrorsAsCpuTwin)
{
  REVAL_REQUIRE_KOKKOS();
  const std::string dir = make_temp_dir("kk-fe-errors");
  {
    std::ofstream f(dir + "/ids.dump");
    f << "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n27\nITEM: BOX BOUNDS pp pp pp\n0 9\n0 9\n0 9\n"
         "ITEM: ATOMS id fx fy fz\n";
    for (int i = 1; i <= 27; ++i) f << (i == 27 ? 99 : i) << " 0 0 0\n";
  }
  for (const char *name : {"dup.dump", "nan.dump"}) {
    std::ofstream f(dir + "/" + name);
    f << "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n27\nITEM: BOX BOUNDS pp pp pp\n0 9\n0 9\n0 9\n"
         "ITEM: ATOMS id fx fy fz\n";
    for (int i = 1; i <= 27; ++i)
      f << (i == 27 && name[0] == 'd' ? 5 : i) << (i == 3 && name[0] == 'n' ? " 0 nan 0\n" : " 0 0 0\n");
  }
  const std::string props = "ref d_fx d_fy d_fz pred d_px d_py d_pz";
  const std::string run = "\nthermo_style custom step c_fe[1]\nrun 0 post no";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"compute fe all force/error", "a reference is required"},
      {"compute fe all force/error ref d_fx d_fy mask d_m",
       "ref needs three per-atom values X Y Z or 'file FILE' (found 2)"},
      {"compute fe all force/error ref d_fx d_fy d_nope" + run,
       "ref d_nope: custom per-atom property 'nope' does not exist"},
      {"compute fe all force/error ref file " + dir + "/missing.dump", "cannot open dump file"},
      {"compute fe all force/error ref file " + dir + "/ids.dump" + run, "has no row for atom ID 27"},
      {"compute fe all force/error " + props + " mask c_thermo_temp" + run,
       "does not calculate per-atom values"},
      {"compute fe all force/error " + props + " bins 20 -1 20 90", "bins needs positive numbers"},
      {"compute fe all force/error " + props + " accumulate maybe", "accumulate must be yes or no (got 'maybe')"},
      {"compute fe all force/error " + props + " energy v_nope" + run, "energy variable 'nope' does not exist"},
      {"compute fe all force/error " + props + " colour red", "unknown keyword 'colour'"},
      // issue 12: repeated keywords, bounded bins, strict dump files, own values as inputs
      {"compute fe all force/error " + props + " ref d_px d_py d_pz", "keyword 'ref' is given twice"},
      {"compute fe all force/error ref file " + dir + "/dup.dump" + run, "atom ID 5 appears twice in the frame"},
      {"compute fe all force/error ref file " + dir + "/nan.dump" + run, "field 3 (fy): 'nan' is not a finite"},
      {"compute fe all force/error " + props + " mask c_fe[1]", "mask c_fe[1] refers to this compute (fe) itself"},
      {"compute fe all force/error " + props + " accumulate yes every 2 restart", "unknown keyword 'restart'"},
  };
  for (const auto &c : cases) {
    std::string kk_err, cpu_err;
    {
      LammpsSession s(kKokkosArgs);
      setup_props(s, 3);
      kk_err = s.error_of(c.first);
    }
    {
      LammpsSession s(kKokkosArgs);
      setup_props(s, 3);
      s.command("suffix off");
      cpu_err = s.error_of(c.first);
    }
    EXPECT_NE(kk_err.find(c.second), std::string::npos) << c.first << "\n  got: " << kk_err;
    EXPECT_EQ(kk_err, cpu_err) << c.first;
  }
}

// Without -k on the /kk style stops with an ERROR saying what to do (it would crash otherwise).
TEST(KokkosForceErrorErrors, NeedsKokkosOn)
{
  REVAL_REQUIRE_KOKKOS();
  LammpsSession s;
  setup_props(s, 3);
  const std::string e = s.error_of("compute fe all force/error/kk ref d_fx d_fy d_fz");
  EXPECT_NE(e.find("compute force/error/kk"), std::string::npos) << e;
  EXPECT_NE(e.find("-k on"), std::string::npos) << e;
}

// ---------------------------------------------------------------- issue 12 (hardening), /kk twin

namespace {
bool clean_error(const LmpRun &r, const std::string &msg)
{
  return r.status != 0 && r.status < 128 && r.error_line().find(msg) != std::string::npos;
}
}    // namespace

// Items 1 and 2 under -sf kk: the compute's values as its own inputs, directly or through a variable,
// used to crash (null per-atom array), a huge bin count aborted (std::bad_alloc): clean ERRORs, as
// with the plain style.
TEST(KokkosForceErrorErrors, CrashCasesAreErrors)
{
  REVAL_REQUIRE_KOKKOS();
  const std::string head = "units metal\natom_style atomic\natom_modify map array\nlattice sc 3.0\n"
                           "region box block 0 3 0 3 0 3\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0\n"
                           "pair_style zero 4.0\npair_coeff * *\nfix props all property/atom d_fx d_fy d_fz\n"
                           "variable one atom 1.0+0.1*id\nset group all d_fx v_one\n"
                           "compute probe all force/error ref d_fx d_fy d_fz\ninfo computes\n";
  const std::string run = "\nthermo_style custom step c_fe[1]\nrun 2 post no\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"compute fe all force/error ref c_fe[1] c_fe[2] c_fe[3]", "ref c_fe[1] refers to this compute (fe) itself"},
      {"variable v atom c_fe[1]\ncompute fe all force/error ref d_fx d_fy d_fz mask v_v",
       "circular reference: evaluating compute fe needs compute fe itself (through mask v_v)"},
      {"variable v atom c_fe[3]\ncompute fe all force/error ref d_fx d_fy d_fz accumulate yes uncertainty v_v",
       "circular reference: evaluating compute fe needs compute fe itself (through uncertainty v_v)"},
      // item 2: std::bad_alloc before
      {"compute fe all force/error ref d_fx d_fy d_fz bins 2000000000 1 20 90",
       "compute force/error: bins: at most 1000000 bins per distribution"},
  };
  for (const auto &c : cases) {
    LmpOptions o;
    o.args = kokkos_args(1);
    const LmpRun r = run_lmp(head + c.first + run, o);
    EXPECT_TRUE(clean_error(r, c.second)) << c.first << "\n  status " << r.status << ", got: " << r.error_line() << "\n"
                                          << r.output.substr(r.output.size() > 3000 ? r.output.size() - 3000 : 0);
    // -sf kk made the computes /kk twins (the plugin's banner names every style: look for an instance)
    EXPECT_NE(r.output.find("style = force/error/kk,"), std::string::npos) << "the /kk style ran";
  }
}

namespace {
const char *kChainSystem = "units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n"
                           "region box block 0 2 0 2 0 2\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n"
                           "pair_style sw\npair_coeff * * Si.sw Si\n"
                           "displace_atoms all random 0.1 0.1 0.1 3 units box\n"
                           "velocity all create 2400 5 loop geom\n";
// After the system exists (or after read_restart): the reference, the compute (plain: defined with
// suffix off) and the integrator.
std::string chain_compute(bool kk)
{
  return std::string("pair_style sw\npair_coeff * * Si.sw Si\n"
                     "variable fx atom 0.5*sin(id)\nvariable fy atom 0.5*cos(id)\nvariable fz atom 0.2\n"
                     "variable sig atom 0.05+0.1*(id%7)\nvariable m atom (id%4)!=0\n"
                     "variable eref equal -280.0+0.01*step\n") +
      (kk ? "" : "suffix off\n") +
      "compute fe all force/error ref v_fx v_fy v_fz accumulate yes mask v_m "
      "uncertainty v_sig energy v_eref bins 30 2.0 30 180\n" +
      (kk ? "" : "suffix on\n") + "fix nve all nve\nthermo_style custom step pe c_fe[1]\nthermo 10\n";
}
}    // namespace

// Item 11 and the restart chain under -sf kk: run 20 = run 10 + write_restart + read_restart + run 10,
// equal to the plain style's run 20; a restart written by the plain style continues under /kk.
TEST(KokkosForceError, RestartChainEqualsOneRunAndPlainTwin)
{
  REVAL_REQUIRE_KOKKOS();
  const std::string dir = make_temp_dir("kk-fe-restart");
  auto full = [&](bool kk) {
    LammpsSession s(kKokkosArgs);
    s.commands(std::string(kChainSystem) + chain_compute(kk) + "run 20 post no");
    EXPECT_EQ(s.style_of("compute", "fe"), kk ? "force/error/kk" : "force/error");
    return outputs(s, "fe");
  };
  auto chain = [&](bool kk_first, bool kk_second, const std::string &tag) {
    {
      LammpsSession s(kKokkosArgs);
      s.commands(std::string(kChainSystem) + chain_compute(kk_first) + "run 10 post no\nwrite_restart " + dir + "/" +
                 tag);
      EXPECT_EQ(s.style_of("compute", "fe"), kk_first ? "force/error/kk" : "force/error");
      EXPECT_EQ(s.compute_vector("fe")[0], 11 * 48);
    }
    LammpsSession s(kKokkosArgs);
    s.command("read_restart " + dir + "/" + tag);
    s.commands(chain_compute(kk_second) + "run 10 post no");
    EXPECT_EQ(s.style_of("compute", "fe"), kk_second ? "force/error/kk" : "force/error");
    EXPECT_NE(s.output().find("Resetting global fix info from restart file"), std::string::npos);
    return outputs(s, "fe");
  };
  const Outputs kk = full(true), cpu = full(false);
  EXPECT_EQ(kk.vec[0], 21 * 48);
  EXPECT_NE(kk.vec[16], 0.0);
  expect_same(kk, cpu, "run 20: /kk vs plain");
  // the per-atom array is the last step's (restart or not); the statistics must be the whole run's
  for (const auto &c : {std::make_pair(true, "kk.restart"), std::make_pair(false, "cpu.restart")}) {
    const std::string what = std::string(c.first ? "/kk" : "plain") + " run 10 + restart + /kk run 10 vs /kk run 20";
    const Outputs o = chain(c.first, true, c.second);
    expect_same(o, kk, what);
    for (size_t k = 0; k < o.vec.size(); ++k)    // the statistics themselves: to round-off of the trajectory
      EXPECT_LE(rel(o.vec[k], kk.vec[k]), 1e-12) << what << ": vector element " << k + 1;
  }
}
