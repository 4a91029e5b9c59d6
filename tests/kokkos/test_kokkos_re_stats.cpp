// fix re/stats/kk equals fix re/stats (its CPU twin, itself tested against independent computations
// in tests/lammps/test_re_stats.cpp): global vector, per-atom array and file, sampled side by side on
// the same trajectory (MD of an interstitial in Si, and a rerun of random walkers with time origins
// and centre-of-mass removal); restart continuation; OpenMP 2 threads in-process, 1 thread and
// MPI np 2 through lmp against a plain run; the CPU twin's input ERRORs; a clear ERROR without -k on.
#include "lammps_session.h"
#include "re_stats_test_helpers.h"
#include "require_kokkos.h"


#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace reval::test;

namespace {


const std::vector<std::string> kKokkosArgs = kokkos_args(2);
constexpr int kVectorSize = 18;    // itypes diamond: 10 + 2 x (3 templates + other)

// relative difference with a floor of 1 (values of order 1 and zeros compare absolutely); two NaNs
// (D not fitted) are equal, one NaN differs infinitely
double rdiff(double a, double b)
{
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0.0 : INFINITY;
  return std::fabs(a - b) / std::max(1.0, std::max(std::fabs(a), std::fabs(b)));
}

// 2x2x2 diamond Si with a tetrahedral interstitial (65 atoms), Stillinger-Weber, started at 5000 K:
// about 2000 K after equipartition, tens of hops and interstitial types within 2-3 ps (partly molten)
std::string si_interstitial(const std::string &pair_prefix = "", const std::string &pair_suffix = "")
{
  return "units metal\natom_style atomic\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\n"
         "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\ncreate_atoms 1 single 0.75 0.75 0.75\n" +
         pair_prefix + "pair_style sw\npair_coeff * * Si.sw Si\nfix nve all nve\n" + pair_suffix +
         "comm_modify cutoff 7.5\nvelocity all create 5000 4711 loop geom\ntimestep 0.001\n"
         "compute sites all vacancy/sites\n";
}

const std::string kFixArgs = "20 sites origins 3 every 15 com yes";

struct Outputs {
  std::vector<double> vec;                    // global vector
  std::map<long, std::array<double, 4>> atom;    // per-atom array by atom ID
};

Outputs outputs(LammpsSession &s, const std::string &id, int nvec = kVectorSize)
{
  Outputs o;
  for (int k = 0; k < nvec; ++k) o.vec.push_back(s.fix_vector(id, k));
  for (int c = 1; c <= 4; ++c)
    for (const auto &kv : s.fix_peratom(id, c)) o.atom[kv.first][c - 1] = kv.second;
  return o;
}

// max relative differences of the global vector and the per-atom array; counts must be equal
double compare(const Outputs &kk, const Outputs &cpu, const std::string &what, double tol = 1e-10)
{
  double worst = 0.0;
  EXPECT_EQ(kk.vec.size(), cpu.vec.size()) << what;
  for (size_t k = 0; k < kk.vec.size() && k < cpu.vec.size(); ++k) {
    const double d = rdiff(kk.vec[k], cpu.vec[k]);
    worst = std::max(worst, d);
    EXPECT_LE(d, tol) << what << ": vector element " << k + 1 << " kk " << kk.vec[k] << " cpu " << cpu.vec[k];
  }
  EXPECT_EQ(kk.atom.size(), cpu.atom.size()) << what;
  for (const auto &kv : cpu.atom) {
    auto it = kk.atom.find(kv.first);
    if (it == kk.atom.end()) {
      ADD_FAILURE() << what << ": atom " << kv.first << " missing";
      continue;
    }
    EXPECT_EQ(it->second[0], kv.second[0]) << what << ": hops of atom " << kv.first;
    for (int c = 1; c < 4; ++c) {
      const double d = rdiff(it->second[c], kv.second[c]);
      worst = std::max(worst, d);
      EXPECT_LE(d, tol) << what << ": column " << c + 1 << " of atom " << kv.first;
    }
  }
  return worst;
}

// numbers of a "file" output, one vector per line (comment lines skipped)
std::vector<std::vector<double>> file_rows(const std::string &path)
{
  std::vector<std::vector<double>> rows;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::vector<double> r;
    double v;
    while (ls >> v) r.push_back(v);
    rows.push_back(r);
  }
  return rows;
}

// the files are printed with 10 significant digits: equal up to the last printed digit
double compare_files(const std::string &kk, const std::string &cpu)
{
  const auto a = file_rows(kk), b = file_rows(cpu);
  EXPECT_GT(b.size(), 2u);
  EXPECT_EQ(a.size(), b.size());
  double worst = 0.0;
  for (size_t r = 0; r < a.size() && r < b.size(); ++r) {
    EXPECT_EQ(a[r].size(), b[r].size()) << "line " << r;
    for (size_t c = 0; c < a[r].size() && c < b[r].size(); ++c) {
      const double d = std::fabs(a[r][c] - b[r][c]) / std::max(1e-300, std::max(std::fabs(a[r][c]), std::fabs(b[r][c])));
      if (a[r][c] != b[r][c]) worst = std::max(worst, d);
      EXPECT_TRUE(a[r][c] == b[r][c] || d <= 1e-9) << "file line " << r << " column " << c << ": " << a[r][c]
                                                    << " vs " << b[r][c];
    }
  }
  return worst;
}

}    // namespace

// MD of a hot interstitial: both fixes sample the same trajectory (the /kk fix via -sf kk, the plain
// fix defined with the suffix off), every output equal.
TEST(KokkosReStats, MdEqualsCpuTwin)
{
  REVAL_REQUIRE_KOKKOS();
  LammpsSession s(kKokkosArgs);
  s.commands(si_interstitial());
  s.commands("fix kk all re/stats " + kFixArgs + " file " + s.path("kk.txt") + "\nsuffix off\nfix cpu all re/stats " +
             kFixArgs + " file " + s.path("cpu.txt") + "\nsuffix on");
  ASSERT_EQ(s.style_of("fix", "kk"), "re/stats/kk") << "-sf kk selects the /kk twin";
  ASSERT_EQ(s.style_of("fix", "cpu"), "re/stats");
  s.command("run 2000 post no");
  const Outputs kk = outputs(s, "kk"), cpu = outputs(s, "cpu");
  EXPECT_GT(cpu.vec[6], 5) << "hops happened";
  EXPECT_EQ(cpu.vec[8], 101) << "samples";
  EXPECT_GT(cpu.vec[9], 50) << "interstitials seen";
  EXPECT_GT(cpu.vec[1], 1.0) << "TMSD";
  const double worst = compare(kk, cpu, "MD");
  const double worst_file = compare_files(s.path("kk.txt"), s.path("cpu.txt"));
  std::printf("[ re/stats/kk vs re/stats, MD 2 threads ] max rel diff: outputs %.3g, file %.3g\n", worst, worst_file);
}

// The centre of mass removed with com yes is LAMMPS' Group::xcm on the /kk twin too (device reduction
// of the same point kernel; per-type and per-atom masses).
TEST(KokkosReStats, CentreOfMassIsGroupXcm)
{
  REVAL_REQUIRE_KOKKOS();
  for (bool per_atom_mass : {false, true}) {
    LammpsSession s(kKokkosArgs);
    check_com_is_group_xcm(s, per_atom_mass);
    EXPECT_EQ(s.style_of("fix", "st"), "re/stats/kk");
  }
}

// Rerun of random walkers on the diamond lattice (exact positions with image flags, uniform drift):
// time origins, centre-of-mass removal, hops counted exactly.
namespace {
const double kA = 5.431;
using V3 = std::array<double, 3>;

std::string walk_dump(const std::string &path, int nwalkers, int nframes, double p, unsigned seed, V3 drift)
{
  const std::vector<V3> basis = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
                                 {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
  const V3 bonds[4] = {{1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}};
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::uniform_int_distribution<int> pick(0, 3), site(0, 215);
  std::vector<V3> pos(nwalkers);
  std::vector<int> sub(nwalkers);
  for (int i = 0; i < nwalkers; ++i) {
    const int s = site(rng), cell = s / 8, b = s % 8;
    pos[i] = {(cell % 3 + basis[b][0]) * kA, ((cell / 3) % 3 + basis[b][1]) * kA, (cell / 9 + basis[b][2]) * kA};
    sub[i] = b < 4 ? 1 : -1;
  }
  std::ofstream f(path);
  f.precision(17);
  const double L = 3 * kA;
  for (int k = 0; k < nframes; ++k) {
    if (k > 0)
      for (int i = 0; i < nwalkers; ++i) {
        for (int d = 0; d < 3; ++d) pos[i][d] += drift[d];
        if (u(rng) < p) {
          const V3 &b = bonds[pick(rng)];
          for (int d = 0; d < 3; ++d) pos[i][d] += sub[i] * b[d] * kA / 4;
          sub[i] = -sub[i];
        }
      }
    f << "ITEM: TIMESTEP\n" << 10 * k << "\nITEM: NUMBER OF ATOMS\n" << nwalkers << "\nITEM: BOX BOUNDS pp pp pp\n0 "
      << L << "\n0 " << L << "\n0 " << L << "\nITEM: ATOMS id x y z ix iy iz\n";
    for (int i = 0; i < nwalkers; ++i) {
      long img[3];
      double x[3];
      for (int d = 0; d < 3; ++d) {
        img[d] = static_cast<long>(std::floor(pos[i][d] / L));
        x[d] = pos[i][d] - img[d] * L;
      }
      f << i + 1 << " " << x[0] << " " << x[1] << " " << x[2] << " " << img[0] << " " << img[1] << " " << img[2] << "\n";
    }
  }
  return path;
}
}    // namespace

TEST(KokkosReStats, RerunWalkersEqualsCpuTwin)
{
  REVAL_REQUIRE_KOKKOS();
  const int n = 30;
  LammpsSession s(kKokkosArgs);
  const std::string dump = walk_dump(s.path("walk.dump"), n, 400, 0.25, 5, {0.0004, -0.0002, 0.0001});
  std::ostringstream o;
  o << "units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n"
       "region box block 0 3 0 3 0 3\ncreate_box 1 box\n";
  for (int i = 0; i < n; ++i) o << "create_atoms 1 single 0 0 0 units box\n";
  o << "mass 1 28.0855\npair_style zero 6.0\npair_coeff * *\ncomm_modify cutoff 8.0\ntimestep 0.001\n"
       "compute sites all vacancy/sites rvac 0.5\n";
  const std::string args = "10 sites itypes none origins 4 every 60 com yes fit 0.5 3.0 hop 2.35";
  o << "fix kk all re/stats/kk " << args << " file " << s.path("kk.txt") << "\nsuffix off\nfix cpu all re/stats "
    << args << " file " << s.path("cpu.txt") << "\nsuffix on\nthermo 1000\nrerun " << dump << " dump x y z ix iy iz\n";
  s.commands(o.str());
  const Outputs kk = outputs(s, "kk", 12), cpu = outputs(s, "cpu", 12);
  EXPECT_EQ(cpu.vec[8], 400) << "samples";
  EXPECT_GT(cpu.vec[6], 100) << "hops";
  EXPECT_GT(cpu.vec[3], 0) << "D";
  const double worst = compare(kk, cpu, "rerun");
  const double worst_file = compare_files(s.path("kk.txt"), s.path("cpu.txt"));
  std::printf("[ re/stats/kk vs re/stats, rerun 2 threads ] max rel diff: outputs %.3g, file %.3g\n", worst,
              worst_file);
}

// write_restart in the middle of a run with the /kk fix, read_restart, continue: the same as the
// uninterrupted run, and the same as the CPU twin restarted alongside.
TEST(KokkosReStats, RestartContinuesExactly)
{
  REVAL_REQUIRE_KOKKOS();
  // On a GPU the /kk pair style and LAMMPS' device communication sum forces in an order that changes run to
  // run (atomics): two uninterrupted runs differ in the last bits and, at 5000 K, by 1e-10 after 2000
  // steps. There the MD runs on the host (plain pair and integrator, host communication), reproducible;
  // the /kk fix still runs on the device.
  const bool gpu = lammps_kokkos_gpu();
  const std::string off = gpu ? "suffix off\n" : "", on = gpu ? "suffix on\n" : "";
  LammpsSession a(gpu ? kokkos_args_reproducible(2) : kKokkosArgs);
  const std::string fixes = "fix kk all re/stats " + kFixArgs + "\nsuffix off\nfix cpu all re/stats " + kFixArgs +
                            "\nsuffix on\n";
  a.commands(si_interstitial(off, on) + fixes + "run 1000 post no");
  a.command("write_restart " + a.path("st.restart"));
  a.command("run 1000 post no");
  const Outputs kk_a = outputs(a, "kk"), cpu_a = outputs(a, "cpu");
  EXPECT_GT(cpu_a.vec[6], 0) << "hops happened";
  compare(kk_a, cpu_a, "uninterrupted");

  a.clear();
  a.commands("read_restart " + a.path("st.restart") +
             "\n" + off + "pair_style sw\npair_coeff * * Si.sw Si\nfix nve all nve\n" + on +
             "comm_modify cutoff 7.5\nlattice diamond 5.431\ntimestep 0.001\ncompute sites all vacancy/sites\n" + fixes +
             "run 1000 post no");
  ASSERT_EQ(a.style_of("fix", "kk"), "re/stats/kk");
  const Outputs kk_b = outputs(a, "kk"), cpu_b = outputs(a, "cpu");
  const double worst = compare(kk_b, kk_a, "kk restarted vs kk uninterrupted");
  compare(kk_b, cpu_b, "kk restarted vs cpu restarted");
  std::printf("[ re/stats/kk restart ] max rel diff restarted vs uninterrupted: %.3g\n", worst);
}

// 1 thread and MPI np 2 x 1 thread through lmp: the plain pair and integrator (suffix off) make the
// same trajectory as a plain run, whose fix re/stats prints the same values; the plain twin also runs
// alongside in the Kokkos run. Then everything Kokkos (pair sw/kk, fix nve/kk): the /kk fix equals
// the plain twin alongside. At np 2 the per-atom state migrates between ranks.
TEST(KokkosReStatsRuns, ThreadsAndRanks)
{
  REVAL_REQUIRE_KOKKOS();
  std::string prints;
  for (const char *id : {"st", "cpu"})
    for (int k = 1; k <= kVectorSize; ++k)
      prints += std::string("print \"@@ ") + id + std::to_string(k) + " = $(f_" + id + "[" + std::to_string(k) +
                "]:%.17g)\"\n";
  enum Mode { PLAIN, KK_FIX, KK_ALL };
  auto input = [&](Mode mode) {
    const std::string off = mode != PLAIN ? "suffix off\n" : "", on = mode != PLAIN ? "suffix on\n" : "";
    // default settings here (one origin, no centre-of-mass removal)
    return (mode == KK_FIX ? si_interstitial(off, on) : si_interstitial()) + "fix st all re/stats 20 sites\n" + off +
           "fix cpu all re/stats 20 sites\n" + on + "info fixes\nthermo 500\nrun 3000\n" + prints;
  };
  auto compare_runs = [&](const LmpRun &r, const std::string &key_prefix, const LmpRun &ref, const std::string &what) {
    double worst = 0.0;
    for (int k = 1; k <= kVectorSize; ++k) {
      const std::string key = "st" + std::to_string(k), rkey = key_prefix + std::to_string(k);
      const double d = rdiff(r.value(key), ref.value(rkey));
      worst = std::max(worst, d);
      EXPECT_LE(d, 1e-10) << what << " element " << k << ": kk " << r.value(key) << " plain " << ref.value(rkey);
    }
    return worst;
  };
  for (int np : {1, 2}) {
    if (!ranks_available(np)) continue;
    LmpOptions plain;
    plain.np = np;
    LmpRun ref = run_lmp(input(PLAIN), plain);
    ASSERT_TRUE(ref.ok()) << ref.error_line() << ref.output;
    EXPECT_GT(ref.value("st7"), 0) << "hops happened";
    LmpOptions o = plain;
    o.args = kokkos_args(1);
    for (Mode mode : {KK_FIX, KK_ALL}) {
      LmpRun r = run_lmp(input(mode), o);
      ASSERT_TRUE(r.ok()) << r.error_line() << r.output;
      EXPECT_NE(r.output.find("style = re/stats/kk"), std::string::npos) << "the /kk fix ran";
      EXPECT_NE(r.output.find(mode == KK_ALL ? "style = nve/kk," : "style = nve,"), std::string::npos);
      const std::string what = std::string(mode == KK_FIX ? "plain pair" : "pair sw/kk") + ", np " + std::to_string(np);
      double worst = compare_runs(r, "cpu", r, what + ", plain twin alongside");
      // The plain pair and integrator under -k on make the plain run's trajectory on host execution spaces.
      // Not on a GPU: there LAMMPS' Kokkos run (sw and nve plain, host communication) leaves the plain
      // run's trajectory in the last digits of the energy by step 250 with or without REVAL's styles
      // (measured on an H200, bench/README.md "GPU kit"), and at 5000 K the statistics differ by 3000
      // steps; the /kk fix is compared with the plain twin alongside only.
      if (mode == KK_FIX && !lammps_kokkos_gpu())
        worst = std::max(worst, compare_runs(r, "st", ref, what + ", plain run"));
      else if (mode == KK_FIX)
        std::printf("[ re/stats/kk t 1, %s ] on a GPU: compared with the plain twin alongside only\n", what.c_str());
      std::printf("[ re/stats/kk t 1, %s ] max rel diff vs plain: %.3g\n", what.c_str(), worst);
    }
  }
}

// The /kk twin stops with the CPU twin's messages on bad input, and says what to do without -k on.
TEST(KokkosReStatsErrors, SameErrorsAndNeedsKokkosOn)
{
  REVAL_REQUIRE_KOKKOS();
  const std::string setup = "units metal\natom_style atomic\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\n"
                            "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\npair_style zero 6.0\n"
                            "pair_coeff * *\ncomm_modify cutoff 8.0\ncompute sites all vacancy/sites\nfix nve all nve\n";
  {
    LammpsSession s;
    s.commands(setup);
    const std::string e = s.error_of("fix st all re/stats/kk 10 sites");
    EXPECT_NE(e.find("-k on"), std::string::npos) << e;
  }
  struct E {
    std::string cmd, msg;
  } cases[] = {
      {"fix st all re/stats 10", "expected 'fix ID group re/stats N SITES-ID"},
      {"fix st all re/stats 0 sites", "the sampling interval N must be > 0 (got 0)"},
      {"fix st all re/stats 10 nosuch\nrun 0 post no", "compute vacancy/sites ID 'nosuch' does not exist"},
      {"fix st all re/stats 10 sites fit 2.0 1.0", "bad fit window '2.0 1.0'"},
      {"fix st all re/stats 10 sites origins 0", "origins must be >= 1"},
      {"fix st all re/stats 10 sites colour red", "unknown keyword 'colour'"},
      {"fix st all re/stats 10 sites\nrun 0 post no\ngroup gone id 3\ndelete_atoms group gone\nrun 10 post no",
       "changed from 64 to 63 atoms"},
  };
  for (auto &c : cases) {
    LammpsSession s(kKokkosArgs);
    s.commands(setup);
    const std::string err = s.error_of(c.cmd);
    EXPECT_NE(err.find(c.msg), std::string::npos) << c.cmd << "\n  got: " << err;
    if (c.cmd.find("run 0") == std::string::npos) continue;
    EXPECT_EQ(s.style_of("fix", "st"), "re/stats/kk") << c.cmd;
  }
}

// ---------------------------------------------------------------- hardening (issue 12)

namespace {
// 2x2x2 diamond Si with a tetrahedral interstitial, hot (first hops after about 1 ps); atoms sorted
// every `sort_every` steps; every-step neighbour lists, so that a run 2000 and run 1000 + restart +
// run 1000 follow the same trajectory bit for bit when the sorting interval divides 1000.
// off/on: "suffix off\n"/"suffix on\n" around the pair style and integrator (plain ones under -sf kk).
std::string hot_interstitial(int sort_every, const std::string &off = "", const std::string &on = "")
{
  return "units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n"
         "region box block 0 2 0 2 0 2\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n"
         "create_atoms 1 single 0.75 0.75 0.75\n" + off + "pair_style sw\npair_coeff * * Si.sw Si\nfix nve all nve\n" +
         on + "comm_modify cutoff 7.5\natom_modify sort " + std::to_string(sort_every) + " 0.0\n"
         "neigh_modify every 1 delay 0 check no\nvelocity all create 5000 99 loop geom\ntimestep 0.001\n"
         "compute sites all vacancy/sites\n";
}
std::string after_restart(const std::string &off = "", const std::string &on = "")
{
  return off + "pair_style sw\npair_coeff * * Si.sw Si\nfix nve all nve\n" + on +
         "comm_modify cutoff 7.5\natom_modify sort 50 0.0\nneigh_modify every 1 delay 0 check no\n"
         "lattice diamond 5.431\ntimestep 0.001\ncompute sites all vacancy/sites\n";
}

}    // namespace

// Item 4 with /kk: the per-atom output travels with its atoms when LAMMPS sorts them (on the host, as
// KOKKOS does for fixes with per-atom data), checked against compute displace/atom and a fix
// store/state snapshot taken every 100 steps (end of run 1 = start of run 2).
TEST(KokkosReStats, PerAtomTravelsWithTheAtoms)
{
  REVAL_REQUIRE_KOKKOS();
  LammpsSession s(kKokkosArgs);
  // sorted every 70 steps: the set-up of run 2 moves atoms to other indices
  s.commands(hot_interstitial(70) + "compute disp all displace/atom\nfix st all re/stats 10 sites\n"
             "fix snap all store/state 100 f_st[1] f_st[2] f_st[3] f_st[4]\nthermo 100\nrun 1500 post no");
  ASSERT_EQ(s.style_of("fix", "st"), "re/stats/kk");
  EXPECT_GT(s.fix_vector("st", 6), 0) << "hops happened";
  const PerAtom end1 = peratom_of(s, "st");
  EXPECT_LE(displacement_deviation(s), 1e-12) << "end of run 1";
  EXPECT_EQ(rows_differing(end1, peratom_of(s, "snap")), 0) << "end of run 1";
  s.command("run 0 post no");
  EXPECT_LE(displacement_deviation(s), 1e-12) << "start of run 2";
  EXPECT_EQ(rows_differing(peratom_of(s, "st"), end1), 0) << "start of run 2: atoms whose output changed";
  EXPECT_EQ(rows_differing(peratom_of(s, "st"), peratom_of(s, "snap")), 0) << "start of run 2";
  s.command("run 500 post no");
  EXPECT_LE(displacement_deviation(s), 1e-12) << "end of run 2";
  EXPECT_EQ(rows_differing(peratom_of(s, "st"), peratom_of(s, "snap")), 0) << "end of run 2";
}

// Item 4 at 2 MPI ranks with /kk (exchange between ranks and sorting), and item 3: after read_restart
// the per-atom output is there on the first step (dump, compute reduce); subprocesses.
TEST(KokkosReStatsRuns, PerAtomAtTwoRanksAndAfterReadRestart)
{
  REVAL_REQUIRE_KOKKOS();
  REVAL_REQUIRE_MPI();
  const std::string dir = make_temp_dir("kk-rs-peratom");
  LmpOptions o;
  o.np = 2;
  o.args = kokkos_args(1);
  o.workdir = dir;
  const std::string checks = "compute disp all displace/atom\nfix st all re/stats 10 sites\n"
                             "fix snap all store/state 100 f_st[1] f_st[2] f_st[3] f_st[4]\n"
                             "compute sum all reduce sum f_st[1]\ncompute mx all reduce max f_st[2] f_st[4]\n"
                             "thermo_style custom step c_sum c_mx[1] c_mx[2]\n"
                             "thermo 100\ninfo fixes\n";
  auto dump = [&](const std::string &name) {
    return "dump " + name + " all custom 100 " + name + ".dump " + kDumpCols + "\ndump_modify " + name +
           " format float %.17g\n";
  };
  const std::string prints = "print \"@@ hops = $(c_sum:%.17g)\"\nprint \"@@ dx = $(c_mx[1]:%.17g)\"\n"
                             "print \"@@ dz = $(c_mx[2]:%.17g)\"\n";
  LmpRun a = run_lmp(hot_interstitial(70) + checks + dump("d1") + "run 1500\n" + prints + "write_restart st.restart\n" +
                         "undump d1\n" + dump("d2") + "run 500\n",
                     o);
  ASSERT_TRUE(a.ok()) << a.error_line() << a.output;
  EXPECT_NE(a.output.find("style = re/stats/kk"), std::string::npos) << "the /kk fix ran";
  EXPECT_GT(a.value("hops"), 0);
  check_dump(dir + "/d1.dump", "run 1 (np 2)", 65);
  check_dump(dir + "/d2.dump", "run 2 (np 2)", 65);    // its first frame: the set-up of run 2
  // read back at np 1: the first step has the output of the end of run 1, on the same atoms
  LmpOptions o1 = o;
  o1.np = 1;
  LmpRun b = run_lmp("read_restart st.restart\n" + after_restart() + checks + dump("d3") + "run 0\n" + prints, o1);
  ASSERT_TRUE(b.ok()) << "status " << b.status << ": " << b.error_line() << "\n" << b.output;
  EXPECT_EQ(b.value("hops"), a.value("hops"));
  EXPECT_EQ(b.value("dx"), a.value("dx")) << "largest dx";
  EXPECT_EQ(b.value("dz"), a.value("dz")) << "largest dz";
  check_dump(dir + "/d3.dump", "first step after read_restart", 65);
}

// Restart chain with /kk, and restarts across the twins (item 12): run 2000 = run 1000 + write_restart +
// read_restart + run 1000, where the fix written as re/stats/kk is read back as re/stats and the one
// written as re/stats is read back as re/stats/kk (both in the same run, plain pair style and
// integrator: one trajectory). Every output continues as in the uninterrupted run.
TEST(KokkosReStats, RestartChainAcrossTheTwins)
{
  REVAL_REQUIRE_KOKKOS();
  const std::string off = "suffix off\n", on = "suffix on\n";
  // kk: /kk, then plain; cpu: plain, then /kk; same: /kk both times
  auto fixes = [&](const std::string &dir, bool swapped) {
    const std::string kk = "fix kk all re/stats " + kFixArgs + " file " + dir + "/kk.txt\n",
                      cpu = "fix cpu all re/stats " + kFixArgs + " file " + dir + "/cpu.txt\n",
                      same = "fix same all re/stats " + kFixArgs + " file " + dir + "/same.txt\n";
    return (swapped ? off + kk + on + cpu : kk + off + cpu + on) + same;
  };
  Outputs kk_a, cpu_a, same_a;
  std::string dir_a;
  {
    LammpsSession a(kKokkosArgs);
    dir_a = a.dir();
    a.commands(hot_interstitial(50, off, on) + fixes(a.dir(), false) + "run 2000 post no");
    kk_a = outputs(a, "kk");
    cpu_a = outputs(a, "cpu");
    same_a = outputs(a, "same");
  }
  EXPECT_GT(cpu_a.vec[6], 5) << "hops happened";
  compare(kk_a, cpu_a, "uninterrupted: kk vs cpu");

  LammpsSession b(kKokkosArgs);
  b.commands(hot_interstitial(50, off, on) + fixes(b.dir(), false) + "run 1000 post no");
  ASSERT_EQ(b.style_of("fix", "kk"), "re/stats/kk");
  const Outputs kk_1 = outputs(b, "kk"), cpu_1 = outputs(b, "cpu"), same_1 = outputs(b, "same");
  b.command("write_restart " + b.path("st.restart"));
  b.clear();
  b.take_output();
  b.commands("read_restart " + b.path("st.restart") + "\n" + after_restart(off, on) + fixes(b.dir(), true) +
             "run 0 post no");
  ASSERT_EQ(b.style_of("fix", "kk"), "re/stats") << "written by re/stats/kk, read by re/stats";
  ASSERT_EQ(b.style_of("fix", "cpu"), "re/stats/kk") << "written by re/stats, read by re/stats/kk";
  ASSERT_EQ(b.style_of("fix", "same"), "re/stats/kk");
  const std::string log = b.take_output();
  EXPECT_NE(log.find("fix style: re/stats (written as re/stats/kk), fix ID: kk"), std::string::npos) << log;
  EXPECT_NE(log.find("fix style: re/stats/kk (written as re/stats), fix ID: cpu"), std::string::npos) << log;
  EXPECT_EQ(log.find("Unused restart file"), std::string::npos) << log;
  // right after read_restart: the state of the end of the first run, in the other twin
  for (auto &pr : {std::make_pair("kk", &kk_1), std::make_pair("cpu", &cpu_1), std::make_pair("same", &same_1)}) {
    const Outputs now = outputs(b, pr.first);
    for (size_t k = 0; k < now.vec.size(); ++k)
      EXPECT_TRUE(now.vec[k] == pr.second->vec[k] || (std::isnan(now.vec[k]) && std::isnan(pr.second->vec[k])))
          << pr.first << " element " << k + 1 << " after read_restart: " << now.vec[k] << " vs " << pr.second->vec[k];
    EXPECT_EQ(rows_differing(now.atom, pr.second->atom), 0) << pr.first << ": per-atom output after read_restart";
  }
  b.command("run 1000 post no");
  const Outputs kk_b = outputs(b, "kk"), cpu_b = outputs(b, "cpu"), same_b = outputs(b, "same");
  // the twins sum the squared displacements in another order: 1e-12
  const double w1 = compare(kk_b, kk_a, "kk: written by /kk, continued by the plain twin", 1e-12);
  const double w2 = compare(cpu_b, cpu_a, "cpu: written by the plain style, continued by /kk", 1e-12);
  const double w3 = compare(same_b, same_a, "same: /kk written and continued", 1e-12);
  const double wf = std::max({compare_files(b.path("kk.txt"), dir_a + "/kk.txt"),
                              compare_files(b.path("cpu.txt"), dir_a + "/cpu.txt"),
                              compare_files(b.path("same.txt"), dir_a + "/same.txt")});
  EXPECT_EQ(read_file(b.path("same.txt")), read_file(dir_a + "/same.txt")) << "/kk to /kk: the same file";
  std::printf("[ re/stats restart chain, /kk and across the twins ] max rel diff vs uninterrupted: %.3g %.3g %.3g, "
              "files %.3g\n",
              w1, w2, w3, wf);
}

// The bounds of the CPU twin (item 2), in a subprocess.
TEST(KokkosReStatsErrors, BoundsNameTheLimit)
{
  REVAL_REQUIRE_KOKKOS();
  const std::string setup = "units metal\natom_style atomic\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\n"
                            "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\npair_style zero 6.0\n"
                            "pair_coeff * *\ncomm_modify cutoff 8.0\ncompute sites all vacancy/sites\n";
  LmpOptions o;
  o.args = kokkos_args(1);
  for (const auto &c : {std::make_pair("origins 1000000000", "origins must be <= 1000 (got 1000000000)"),
                        std::make_pair("origins 2 every 2000000000", "every must be <= 1000000000 samples")}) {
    LmpRun r = run_lmp(setup + "fix st all re/stats 10 sites " + c.first + "\nrun 0 post no\n", o);
    EXPECT_NE(r.status, 0) << c.first;
    EXPECT_LT(r.status, 128) << c.first << ": ended by a signal\n" << r.output;
    EXPECT_NE(r.error_line().find(c.second), std::string::npos) << c.first << "\n  got: " << r.error_line();
  }
}

// Item 9 with /kk: a fit window beyond the data gives NaN (D, sigma_D) and one WARNING per run, as the
// plain style.
TEST(KokkosReStats, FitWindowBeyondTheDataIsNotFitted)
{
  REVAL_REQUIRE_KOKKOS();
  const int n = 20;
  LammpsSession s(kKokkosArgs);
  const std::string dump = walk_dump(s.path("walk.dump"), n, 200, 0.2, 3, {0, 0, 0});
  std::ostringstream o;
  o << "units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n"
       "region box block 0 3 0 3 0 3\ncreate_box 1 box\n";
  for (int i = 0; i < n; ++i) o << "create_atoms 1 single 0 0 0 units box\n";
  o << "mass 1 28.0855\npair_style zero 6.0\npair_coeff * *\ncomm_modify cutoff 8.0\ntimestep 0.001\n"
       "compute sites all vacancy/sites rvac 0.5\nfix st all re/stats 10 sites itypes none fit 5.0 8.0\n"
       "suffix off\nfix cpu all re/stats 10 sites itypes none fit 5.0 8.0\nsuffix on\nthermo 1000\n"
       "rerun " << dump << " dump x y z ix iy iz\n";
  s.take_output();
  s.commands(o.str());
  ASSERT_EQ(s.style_of("fix", "st"), "re/stats/kk");
  EXPECT_TRUE(std::isnan(s.fix_vector("st", 3))) << "D";
  EXPECT_TRUE(std::isnan(s.fix_vector("st", 4))) << "sigma_D";
  EXPECT_GT(s.fix_vector("st", 5), 1) << "N_eff";
  compare(outputs(s, "st", 12), outputs(s, "cpu", 12), "not fitted, kk vs plain");
  const std::string out = s.take_output();
  size_t count = 0;
  for (size_t p = out.find("WARNING: fix re/stats st: D not fitted (NaN)"); p != std::string::npos;
       p = out.find("WARNING: fix re/stats st: D not fitted (NaN)", p + 1))
    ++count;
  EXPECT_EQ(count, 1u) << out;
}
