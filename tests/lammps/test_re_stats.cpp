// fix re/stats through LAMMPS: a lattice-gas random walk with known diffusivity (rerun of a synthetic
// trajectory), hops, time origins and centre-of-mass removal against independent computations;
// vacancy and interstitial MD with restart continuity; interstitial types placed in a diamond cell,
// ideal, noisy and relaxed; every input error.
#include "lammps_session.h"
#include "re_stats_test_helpers.h"

#include "atom.h"
#include "lammps.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

using namespace reval::test;

namespace {

const double kA = 5.431;
const double kNN = std::sqrt(3.0) / 4 * kA;
using V3 = std::array<double, 3>;

// diamond site positions in a 3x3x3 box, and the 4 bond vectors of each sublattice
const std::vector<V3> kBasis = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
                                {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
const V3 kBonds[4] = {{1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}};

struct Walk {
  std::vector<std::vector<V3>> frames;    // unwrapped positions per frame
  long hops = 0;
  double dt_frame = 0.0;
};

// independent random walkers on the diamond lattice (no exclusion): each frame each walker hops to a
// random neighbour site with probability p; an optional uniform drift per frame
Walk random_walk(int nwalkers, int nframes, double p, unsigned seed, V3 drift = {0, 0, 0})
{
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::uniform_int_distribution<int> pick(0, 3), site(0, 215);
  Walk w;
  std::vector<V3> pos(nwalkers);
  std::vector<int> sub(nwalkers);
  for (int i = 0; i < nwalkers; ++i) {
    int s = site(rng), cell = s / 8, b = s % 8;
    int ci = cell % 3, cj = (cell / 3) % 3, ck = cell / 9;
    pos[i] = {(ci + kBasis[b][0]) * kA, (cj + kBasis[b][1]) * kA, (ck + kBasis[b][2]) * kA};
    sub[i] = b < 4 ? 1 : -1;    // bonds point along +kBonds from sublattice 0, along - from sublattice 1
  }
  std::vector<V3> shift(nwalkers, {0, 0, 0});
  for (int f = 0; f < nframes; ++f) {
    if (f > 0) {
      for (int i = 0; i < nwalkers; ++i) {
        for (int d = 0; d < 3; ++d) shift[i][d] += drift[d];
        if (u(rng) < p) {
          const V3 &b = kBonds[pick(rng)];
          for (int d = 0; d < 3; ++d) pos[i][d] += sub[i] * b[d] * kA / 4;
          sub[i] = -sub[i];
          ++w.hops;
        }
      }
    }
    std::vector<V3> frame(nwalkers);
    for (int i = 0; i < nwalkers; ++i)
      for (int d = 0; d < 3; ++d) frame[i][d] = pos[i][d] + shift[i][d];
    w.frames.push_back(frame);
  }
  return w;
}

// a dump with wrapped positions and image flags, one frame every 10 steps
void write_dump(const Walk &w, const std::string &path)
{
  std::ofstream f(path);
  f.precision(17);
  const double L = 3 * kA;
  for (size_t k = 0; k < w.frames.size(); ++k) {
    f << "ITEM: TIMESTEP\n" << 10 * k << "\nITEM: NUMBER OF ATOMS\n" << w.frames[k].size()
      << "\nITEM: BOX BOUNDS pp pp pp\n0 " << L << "\n0 " << L << "\n0 " << L << "\nITEM: ATOMS id x y z ix iy iz\n";
    for (size_t i = 0; i < w.frames[k].size(); ++i) {
      f << i + 1;
      long img[3];
      double x[3];
      for (int d = 0; d < 3; ++d) {
        img[d] = static_cast<long>(std::floor(w.frames[k][i][d] / L));
        x[d] = w.frames[k][i][d] - img[d] * L;
      }
      f << " " << x[0] << " " << x[1] << " " << x[2] << " " << img[0] << " " << img[1] << " " << img[2] << "\n";
    }
  }
}

std::string rerun_input(int nwalkers, const std::string &dump, const std::string &fix_args)
{
  std::ostringstream o;
  o << "units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n"
       "region box block 0 3 0 3 0 3\ncreate_box 1 box\n";
  for (int i = 0; i < nwalkers; ++i) o << "create_atoms 1 single 0 0 0 units box\n";
  o << "mass 1 28.0855\npair_style zero 6.0\npair_coeff * *\ncomm_modify cutoff 8.0\ntimestep 0.001\n"
       "compute sites all vacancy/sites rvac 0.5\n"
       "fix st all re/stats 10 sites " << fix_args << "\nthermo_style custom step f_st[1] f_st[2]\nthermo 1000\n"
       "rerun " << dump << " dump x y z ix iy iz\n";
  return o.str();
}

struct Curve {
  std::vector<double> t, tmsd;
};

Curve tmsd_curve(const Walk &w, int origins = 1, int every = 1, bool com = false)
{
  // average over origins of sum_i |r_i(t0 + lag) - r_i(t0)|^2 (minus centre-of-mass drift)
  const size_t nf = w.frames.size(), n = w.frames[0].size();
  Curve c;
  std::vector<double> sum(nf, 0.0), cnt(nf, 0.0);
  for (int m = 0; m < origins; ++m) {
    const size_t s = static_cast<size_t>(m) * every;
    for (size_t k = s; k < nf; ++k) {
      V3 cm = {0, 0, 0};
      if (com)
        for (size_t i = 0; i < n; ++i)
          for (int d = 0; d < 3; ++d) cm[d] += (w.frames[k][i][d] - w.frames[s][i][d]) / n;
      double t = 0;
      for (size_t i = 0; i < n; ++i)
        for (int d = 0; d < 3; ++d) t += std::pow(w.frames[k][i][d] - w.frames[s][i][d] - cm[d], 2);
      sum[k - s] += t;
      cnt[k - s] += 1;
    }
  }
  for (size_t l = 0; l < nf; ++l) {
    c.t.push_back(0.01 * l);
    c.tmsd.push_back(sum[l] / cnt[l]);
  }
  return c;
}

double lsq_slope(const Curve &c, double n, double t0, double t1)
{
  double s = 0, st = 0, sy = 0, stt = 0, sty = 0;
  for (size_t k = 0; k < c.t.size(); ++k)
    if (c.t[k] >= t0 && c.t[k] <= t1) {
      const double y = c.tmsd[k] / n;
      s += 1;
      st += c.t[k];
      sy += y;
      stt += c.t[k] * c.t[k];
      sty += c.t[k] * y;
    }
  return (s * sty - st * sy) / (s * stt - st * st);
}

}    // namespace

TEST(ReStats, RandomWalkDiffusivityWithinItsErrorBar)
{
  const int n = 40, nf = 1500;
  const double p = 0.2;
  Walk w = random_walk(n, nf, p, 17);
  LammpsSession s;
  const std::string dump = s.path("walk.dump");
  write_dump(w, dump);
  s.commands(rerun_input(n, dump, "itypes none"));
  auto v = [&](int i) { return s.equal("f_st[" + std::to_string(i) + "]"); };
  const double elapsed = 0.01 * (nf - 1);
  EXPECT_NEAR(v(1), elapsed, 1e-9) << "elapsed time";
  EXPECT_EQ(v(9), nf) << "samples";
  EXPECT_EQ(v(7), w.hops) << "every hop to a neighbour site is counted";
  EXPECT_NEAR(v(8), w.hops / elapsed, 1e-9) << "hop rate";
  // TMSD, MSD, fit and error bar against independent computations
  Curve c = tmsd_curve(w);
  EXPECT_NEAR(v(2), c.tmsd.back(), 1e-8 * c.tmsd.back());
  EXPECT_NEAR(v(3), c.tmsd.back() / n, 1e-8 * c.tmsd.back());
  double t0 = 0;
  for (size_t k = 0; k < c.t.size(); ++k)
    if (c.tmsd[k] / n >= 0.5 * kNN * kNN) {
      t0 = c.t[k];
      break;
    }
  const double D = lsq_slope(c, n, t0, 0.7 * elapsed) / 6;
  EXPECT_NEAR(v(4), D, 1e-8 * D) << "least-squares D over the default window";
  const double neff = *std::max_element(c.tmsd.begin(), c.tmsd.end()) / (kNN * kNN);
  EXPECT_NEAR(v(6), neff, 1e-8 * neff);
  EXPECT_NEAR(v(5) / v(4), 3.43 / std::sqrt(neff) + 0.04, 1e-10) << "RSD = 3.43/sqrt(N_eff) + 0.04";
  // the estimate is within its own error bar of the exact diffusivity p a^2 / (6 dt)
  const double exact = p * kNN * kNN / (6 * 0.01);
  EXPECT_LT(std::fabs(v(4) - exact), v(5)) << "D " << v(4) << " +- " << v(5) << " vs exact " << exact;
}

TEST(ReStats, TimeOriginsAndCentreOfMass)
{
  const int n = 30, nf = 600;
  Walk w = random_walk(n, nf, 0.25, 5, {0.0004, -0.0002, 0.0001});
  LammpsSession s;
  const std::string dump = s.path("walk.dump");
  write_dump(w, dump);
  s.commands(rerun_input(n, dump, "itypes none origins 4 every 100 com yes fit 0.5 4.0"));
  Curve c = tmsd_curve(w, 4, 100, true);
  const double D = lsq_slope(c, n, 0.5, 4.0) / 6;
  EXPECT_NEAR(s.equal("f_st[4]"), D, 1e-8 * D) << "D from the origin-averaged, drift-free MSD";
  Curve c0 = tmsd_curve(w, 1, 1, true);
  EXPECT_NEAR(s.equal("f_st[2]"), c0.tmsd.back(), 1e-8 * c0.tmsd.back()) << "TMSD of origin 0 without drift";
}

// The centre of mass removed with com yes is LAMMPS' Group::xcm (per-type and per-atom masses).
TEST(ReStats, CentreOfMassIsGroupXcm)
{
  for (bool per_atom_mass : {false, true}) {
    LammpsSession s;
    check_com_is_group_xcm(s, per_atom_mass);
  }
}

namespace {
const std::string kVacancyMd = "units metal\natom_style atomic\nlattice diamond 5.431\nregion box block 0 3 0 3 0 3\n"
                               "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\ngroup gone id 1\n"
                               "delete_atoms group gone\npair_style sw\npair_coeff * * Si.sw Si\n"
                               "comm_modify cutoff 7.5\ncompute sites all vacancy/sites\n"
                               "velocity all create 3200 1234 loop geom\nfix nvt all nvt temp 1600 1600 0.1\n"
                               "timestep 0.001\n";
}

TEST(ReStats, VacancyMdHopsAndRestartContinuity)
{
  LammpsSession a;
  a.commands(kVacancyMd + "fix st all re/stats 50 sites\nrun 3000 post no");
  a.command("write_restart " + a.path("st.restart"));
  a.commands("run 3000 post no");
  std::vector<double> va;
  for (int k = 1; k <= 18; ++k) va.push_back(a.equal("f_st[" + std::to_string(k) + "]"));
  auto hops_a = a.fix_peratom("st", 1), dx_a = a.fix_peratom("st", 2);
  EXPECT_GT(va[6], 5) << "hops counted";
  EXPECT_GT(va[3], 0) << "D > 0";
  EXPECT_EQ(va[9], 0) << "no interstitial in a vacancy system";

  a.clear();
  a.commands("read_restart " + a.path("st.restart") +
             "\npair_style sw\npair_coeff * * Si.sw Si\ncomm_modify cutoff 7.5\nlattice diamond 5.431\n"
             "fix nvt all nvt temp 1600 1600 0.1\ntimestep 0.001\n"
             "compute sites all vacancy/sites\nfix st all re/stats 50 sites\nrun 3000 post no");
  for (int k = 1; k <= 18; ++k)
    EXPECT_NEAR(a.equal("f_st[" + std::to_string(k) + "]"), va[k - 1], 1e-9 * std::max(1.0, std::fabs(va[k - 1])))
        << "vector element " << k << " continues exactly across the restart";
  auto hops_b = a.fix_peratom("st", 1), dx_b = a.fix_peratom("st", 2);
  for (auto &kv : hops_a) {
    EXPECT_EQ(hops_b[kv.first], kv.second) << "hops of atom " << kv.first;
    EXPECT_NEAR(dx_b[kv.first], dx_a[kv.first], 1e-9) << "displacement of atom " << kv.first;
  }
}

TEST(ReStats, InterstitialMdIsClassified)
{
  LammpsSession s;
  std::string md = kVacancyMd;
  const std::string vac = "group gone id 1\ndelete_atoms group gone\n";
  md.replace(md.find(vac), vac.size(), "create_atoms 1 single 0.5 0.5 0.5\n");
  s.commands(md + "fix st all re/stats 50 sites file " + s.path("stats.txt") + "\nrun 2000 post no");
  EXPECT_EQ(s.equal("f_st[10]"), s.equal("f_st[9]")) << "every sample has the interstitial";
  double sum = 0;
  for (int k = 11; k <= 14; ++k) sum += s.equal("f_st[" + std::to_string(k) + "]");
  EXPECT_EQ(sum, s.equal("f_st[10]")) << "one classification per sample with one interstitial";
  EXPECT_NEAR(s.equal("f_st[15]+f_st[16]+f_st[17]+f_st[18]"), 1.0, 1e-12);
  std::string file = read_file(s.path("stats.txt"));
  EXPECT_NE(file.find("# fix re/stats st: step time TMSD MSD D sigma_D N_eff hops_total interstitials split-110 "
                      "tetrahedral hexagonal other"),
            std::string::npos)
      << file.substr(0, 300);
}

// ---------------------------------------------------------------- interstitial templates in LAMMPS

namespace {
std::string classify_one(const std::string &defect, const std::string &extra = "")
{
  LammpsSession s;
  s.commands("units metal\natom_style atomic\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\n"
             "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n" +
             defect + "\npair_style zero 6.0\npair_coeff * *\n" + extra +
             "\ncompute sites all vacancy/sites\nfix st all re/stats 1 sites\nrun 0 post no");
  if (s.equal("f_st[10]") != 1) return "interstitials " + std::to_string(s.equal("f_st[10]"));
  const char *names[4] = {"split-110", "tetrahedral", "hexagonal", "other"};
  for (int k = 0; k < 4; ++k)
    if (s.equal("f_st[" + std::to_string(11 + k) + "]") == 1) return names[k];
  return "?";
}
// lattice units: T site at (3/4,3/4,3/4), H site at (5/8,5/8,5/8); atom 5 sits at (1/4,1/4,1/4)
const std::string kT = "create_atoms 1 single 0.75 0.75 0.75";
const std::string kH = "create_atoms 1 single 0.625 0.625 0.625";
std::string split(const std::string &axis_sign)    // atom 5 and a new atom share its site along <110>
{
  const double h = kNN / 2 / std::sqrt(2.0) / kA;    // lattice units per component
  const double x = 0.25, sx = axis_sign == "+" ? 1 : -1;
  std::ostringstream o;
  o << "set atom 5 x " << (x + h) * kA << " y " << (x + sx * h) * kA << " z " << x * kA
    << "\ncreate_atoms 1 single " << x - h << " " << x - sx * h << " " << x;
  return o.str();
}
const std::string kNoise = "displace_atoms all random 0.05 0.05 0.05 4321 units box";
}    // namespace

TEST(ReStats, TemplatesIdealAndNoisy)
{
  for (const std::string &noise : {std::string(), kNoise}) {
    EXPECT_EQ(classify_one(kT + "\n" + noise), "tetrahedral") << noise;
    EXPECT_EQ(classify_one(kH + "\n" + noise), "hexagonal") << noise;
    EXPECT_EQ(classify_one(split("+") + "\n" + noise), "split-110") << noise;
    EXPECT_EQ(classify_one(split("-") + "\n" + noise), "split-110") << noise;
  }
  // half-way between the T site (3/4) and the H site (5/8): within the tolerance of both -> other
  EXPECT_EQ(classify_one("create_atoms 1 single 0.6875 0.6875 0.6875"), "other");
}

TEST(ReStats, SnapRelaxesEveryInterstitialToTetrahedral)
{
  // science.md: with Si_Zuo_JPCA2020 SNAP, split-<110> and H are not metastable: all relax to T
  const std::string relax = "pair_style snap\npair_coeff * * Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Si\n"
                            "comm_modify cutoff 8.0\nminimize 0 1e-6 2000 20000\n";
  for (const std::string &d : {kT, kH, split("+")}) {
    LammpsSession s;
    s.commands("units metal\natom_style atomic\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\n"
               "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n" + d + "\ndisplace_atoms all random 0.02 0.02 0.02 9 units box\n" +
               relax + "compute sites all vacancy/sites\nfix st all re/stats 1 sites\nrun 0 post no");
    EXPECT_EQ(s.equal("f_st[12]"), 1) << "relaxed from: " << d;
  }
}

// ---------------------------------------------------------------- bad input

TEST(ReStatsErrors, EveryErrorNamesTheProblem)
{
  const std::string dir = make_temp_dir("rs-errors");
  std::ofstream(dir + "/bad.tpl") << "A\n0 0\n";
  struct E {
    std::string setup, cmd, msg;
  } cases[] = {
      {"", "fix st all re/stats 10", "expected 'fix ID group re/stats N SITES-ID"},
      {"", "fix st all re/stats 0 sites", "the sampling interval N must be > 0 (got 0)"},
      {"", "fix st all re/stats 10 nosuch\nrun 0 post no", "compute vacancy/sites ID 'nosuch' does not exist"},
      {"compute ke all ke/atom\n", "fix st all re/stats 10 ke\nrun 0 post no",
       "compute ke is a compute ke/atom, not a compute vacancy/sites"},
      {"", "fix st all re/stats 10 sites fit 2.0 1.0", "bad fit window '2.0 1.0'"},
      {"", "fix st all re/stats 10 sites fit -1 auto", "bad fit window"},
      {"", "fix st all re/stats 10 sites itypes file " + dir + "/missing.tpl", "cannot open template file"},
      {"", "fix st all re/stats 10 sites itypes file " + dir + "/bad.tpl", "line 2: expected an offset"},
      {"lattice fcc 4.0\n", "fix st all re/stats 10 sites itypes diamond", "'itypes diamond' needs a diamond lattice"},
      {"", "fix st all re/stats 10 sites hop -1", "hop must be > 0"},
      {"", "fix st all re/stats 10 sites origins 0", "origins must be >= 1"},
      {"", "fix st all re/stats 10 sites colour red", "unknown keyword 'colour'"},
      {"", "fix st all re/stats 10 sites pairs all", "fix re/stats: pairs must be any or neighbours (got 'all')"},
      {"", "fix st all re/stats 10 sites pairs", "fix re/stats: 'pairs' needs any or neighbours"},
      {"", "fix st all re/stats 10 sites\nrun 0 post no\ngroup gone id 3\ndelete_atoms group gone\nrun 10 post no",
       "changed from 64 to 63 atoms"},
      {"variable m atom x<3\ngroup dyn dynamic all var m\n", "fix st dyn re/stats 10 sites\nrun 0 post no",
       "dynamic groups are not supported"},
  };
  for (auto &c : cases) {
    LammpsSession s;
    s.commands("units metal\natom_style atomic\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\n"
               "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\npair_style zero 6.0\npair_coeff * *\n"
               "comm_modify cutoff 8.0\ncompute sites all vacancy/sites\nfix nve all nve\n" + c.setup);
    std::string err = s.error_of(c.cmd);
    EXPECT_NE(err.find(c.msg), std::string::npos) << c.cmd << "\n  got: " << err;
  }
}

// ---------------------------------------------------------------- hardening (issue 12)

namespace {
// 2x2x2 diamond Si with a tetrahedral interstitial (65 atoms), Stillinger-Weber, hot enough to hop;
// the first hops after about 1 ps, 40 within 3 ps; atoms sorted every `sort_every` steps. With
// every-step neighbour lists and a sorting interval that divides 1000 (atoms sorted at step 1000 in
// either case), run 2000 and run 1000 + run 1000 (or a restart in between) follow the same trajectory
// bit for bit.
std::string hot_interstitial(int sort_every = 50)
{
  return "units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n"
         "region box block 0 2 0 2 0 2\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n"
         "create_atoms 1 single 0.75 0.75 0.75\npair_style sw\npair_coeff * * Si.sw Si\ncomm_modify cutoff 7.5\n"
         "atom_modify sort " + std::to_string(sort_every) + " 0.0\n"
         "neigh_modify every 1 delay 0 check no\nvelocity all create 5000 99 loop geom\nfix nve all nve\n"
         "timestep 0.001\ncompute sites all vacancy/sites\n";
}
// what the same input needs after read_restart (the fix and computes are re-defined by the caller)
const std::string kAfterRestart = "pair_style sw\npair_coeff * * Si.sw Si\ncomm_modify cutoff 7.5\n"
                                  "atom_modify sort 50 0.0\nneigh_modify every 1 delay 0 check no\n"
                                  "lattice diamond 5.431\nfix nve all nve\ntimestep 0.001\n"
                                  "compute sites all vacancy/sites\n";

// Per-atom checks: the fix's displacement columns against the built-in compute displace/atom (its
// reference positions migrate with the atoms in a fix STORE), and the fix's whole per-atom output
// against a snapshot taken every 100 steps, after the fix sampled, by fix store/state (which migrates
// with the atoms too). (Atom-style variables cannot read f_st[2]: that is the global vector.)
std::string peratom_checks(const std::string &fix)
{
  return "compute disp all displace/atom\n" + fix + "\nfix snap all store/state 100 f_st[1] f_st[2] f_st[3] f_st[4]\n"
         "compute hops all reduce sum f_st[1]\nthermo_style custom step temp c_hops\nthermo 100\n";
}

// number of atoms whose per-atom output differs from the snapshot
int differs_from_snapshot(LammpsSession &s)
{
  return rows_differing(peratom_of(s, "st"), peratom_of(s, "snap"));
}

std::vector<double> vector_of(LammpsSession &s, const std::string &id, int n)
{
  std::vector<double> v;
  for (int k = 0; k < n; ++k) v.push_back(s.fix_vector(id, k));
  return v;
}

int count_of(const std::string &text, const std::string &what)
{
  int n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}
}    // namespace

// Item 4: the per-atom output travels with its atoms when LAMMPS sorts them (every 70 steps, and at
// the set-up of every run): at the end of run 1 and at the start of run 2 it equals the snapshot taken
// at the end of run 1 and the displacements of compute displace/atom.
TEST(ReStatsPerAtom, TravelsWithTheAtomsThroughSortsAndRuns)
{
  LammpsSession s;
  // sorted every 70 steps: the last sort of run 1 (step 1470) is not its last sample (step 1500), so the
  // sort at the set-up of run 2 moves atoms to other indices
  s.commands(hot_interstitial(70) + peratom_checks("fix st all re/stats 10 sites") + "run 1500 post no");
  EXPECT_GT(s.equal("c_hops"), 0) << "hops happened";
  EXPECT_LE(displacement_deviation(s), 1e-12) << "end of run 1: displacements of the right atoms";
  EXPECT_EQ(differs_from_snapshot(s), 0) << "end of run 1";
  const PerAtom end1 = peratom_of(s, "st");
  s.command("run 0 post no");    // the set-up sorts the atoms again
  EXPECT_LE(displacement_deviation(s), 1e-12) << "start of run 2";
  EXPECT_EQ(differs_from_snapshot(s), 0) << "start of run 2: atoms whose output is not that of the end of run 1";
  EXPECT_EQ(rows_differing(peratom_of(s, "st"), end1), 0) << "start of run 2, read by atom ID";
  s.command("run 500 post no");
  EXPECT_LE(displacement_deviation(s), 1e-12) << "end of run 2";
}

// Item 3: after read_restart, the per-atom output is there on the first step (compute reduce, dump):
// the values written at the end of the first run. A subprocess: the landed code crashed here.
TEST(ReStatsRestart, PerAtomOutputOnTheFirstStepAfterReadRestart)
{
  const std::string dir = make_temp_dir("rs-first-step");
  LmpOptions o;
  o.workdir = dir;
  const std::string prints = "print \"@@ hops = $(c_sum:%.17g)\"\nprint \"@@ dx = $(c_mx[1]:%.17g)\"\n"
                             "print \"@@ dz = $(c_mx[2]:%.17g)\"\n";
  const std::string sums = "compute sum all reduce sum f_st[1]\ncompute mx all reduce max f_st[2] f_st[4]\n"
                           "thermo_style custom step c_sum c_mx[1] c_mx[2]\nthermo 100\n";
  LmpRun a = run_lmp(hot_interstitial() + "fix st all re/stats 20 sites\n" + sums +
                         "dump d all custom 1500 a.dump id f_st[1] f_st[2] f_st[3] f_st[4]\n"
                         "dump_modify d sort id format float %.17g\nrun 1500\n" + prints + "write_restart st.restart\n",
                     o);
  ASSERT_TRUE(a.ok()) << a.error_line() << a.output;
  EXPECT_GT(a.value("hops"), 0);
  LmpRun b = run_lmp("read_restart st.restart\n" + kAfterRestart + "fix st all re/stats 20 sites\n" + sums +
                         "dump d all custom 1500 b.dump id f_st[1] f_st[2] f_st[3] f_st[4]\n"
                         "dump_modify d sort id format float %.17g\nrun 0\n" + prints,
                     o);
  ASSERT_TRUE(b.ok()) << "status " << b.status << ": " << b.error_line() << "\n" << b.output;
  for (const char *k : {"hops", "dx", "dz"}) EXPECT_EQ(b.value(k), a.value(k)) << k;
  // the dump of the first step after read_restart holds the last frame written before
  const std::string da = read_file(dir + "/a.dump"), db = read_file(dir + "/b.dump");
  const size_t last = da.rfind("ITEM: TIMESTEP");
  ASSERT_NE(last, std::string::npos);
  EXPECT_EQ(db, da.substr(last));
}

// Restart chain: run 2000 = run 1000 + write_restart + read_restart + run 1000: every global output,
// every per-atom output (also right after read_restart) and the file, bit for bit; the file goes on
// after the restart with its header and earlier lines (append by default on restart).
TEST(ReStatsRestart, ChainEqualsTheUninterruptedRun)
{
  const std::string fix = "fix st all re/stats 20 sites origins 3 every 15 com yes file ";
  std::vector<double> va;
  PerAtom pa;
  std::string file_a;
  {
    LammpsSession a;    // one session with the plugin at a time
    a.commands(hot_interstitial() + fix + a.path("a.txt") + "\nrun 2000 post no");
    va = vector_of(a, "st", 18);
    pa = peratom_of(a, "st");
    file_a = read_file(a.path("a.txt"));
  }
  EXPECT_GT(va[6], 5) << "hops happened";
  EXPECT_GT(va[9], 0) << "interstitials classified";

  LammpsSession b;
  const std::string restart = b.path("st.restart"), file_b = b.path("b.txt");
  b.commands(hot_interstitial() + fix + file_b + "\nrun 1000 post no");
  const auto p1 = peratom_of(b, "st");
  b.command("write_restart " + restart);
  b.clear();
  b.commands("read_restart " + restart + "\n" + kAfterRestart + fix + file_b + "\nrun 0 post no");
  EXPECT_EQ(rows_differing(peratom_of(b, "st"), p1), 0) << "per-atom output right after read_restart";
  b.command("run 1000 post no");
  const auto vb = vector_of(b, "st", 18);
  for (int k = 0; k < 18; ++k) EXPECT_EQ(vb[k], va[k]) << "vector element " << k + 1;
  EXPECT_EQ(rows_differing(peratom_of(b, "st"), pa), 0) << "per-atom output after the chain";
  EXPECT_EQ(read_file(file_b), file_a) << "the file of the chain equals that of the uninterrupted run";
  EXPECT_EQ(count_of(file_a, "# fix re/stats"), 1);
}

// Item 12: 'append no' starts the file anew after a restart, 'append yes' keeps an existing file and
// starts a new time series (with its header) after it.
TEST(ReStatsFile, AppendKeyword)
{
  LammpsSession s;
  const std::string f = s.path("st.txt"), restart = s.path("st.restart");
  s.commands(hot_interstitial() + "fix st all re/stats 20 sites file " + f + "\nrun 200 post no\nwrite_restart " +
             restart);
  const std::string run1 = read_file(f);
  EXPECT_EQ(count_of(run1, "\n"), 1 + 11) << "header and 11 samples";
  s.clear();
  s.commands("read_restart " + restart + "\n" + kAfterRestart + "fix st all re/stats 20 sites file " + f +
             " append no\nrun 100 post no");
  const std::string restarted = read_file(f);
  EXPECT_EQ(count_of(restarted, "# fix re/stats st"), 1) << restarted;
  EXPECT_EQ(count_of(restarted, "\n"), 1 + 5) << "append no: a header and the 5 new samples only\n" << restarted;
  EXPECT_EQ(restarted.find("\n200 "), std::string::npos) << "the earlier lines are gone, as asked";

  s.clear();
  s.commands(hot_interstitial() + "fix st all re/stats 20 sites append yes file " + f + "\nrun 40 post no");
  const std::string appended = read_file(f);
  EXPECT_EQ(appended.substr(0, restarted.size()), restarted) << "append yes keeps the file";
  EXPECT_EQ(count_of(appended, "# fix re/stats st"), 2) << "and starts the new series with a header";
  EXPECT_EQ(count_of(appended, "\n"), 6 + 1 + 3);
}

// Item 9: a fit window beyond the data is reported as not fitted (NaN: D and sigma_D), with one
// WARNING per run, and NaN goes through thermo and fix ave/time.
TEST(ReStats, FitWindowBeyondTheDataIsNotFittedAndWarnsOncePerRun)
{
  const int n = 20, nf = 200;
  Walk w = random_walk(n, nf, 0.2, 3);
  LammpsSession s;
  const std::string dump = s.path("walk.dump");
  write_dump(w, dump);
  std::string input = rerun_input(n, dump, "itypes none fit 5.0 8.0");    // elapsed time: 1.99
  input.replace(input.find("thermo_style"), 0, "fix ave all ave/time 10 5 50 f_st[4] f_st[5]\n");
  input.replace(input.find("thermo_style custom step f_st[1] f_st[2]"), 40,
                "thermo_style custom step f_st[1] f_st[2] f_st[4] f_ave[1]");
  s.take_output();
  s.commands(input);
  EXPECT_TRUE(std::isnan(s.equal("f_st[4]"))) << "D not fitted: NaN, not 0";
  EXPECT_TRUE(std::isnan(s.equal("f_st[5]"))) << "sigma_D not fitted: NaN";
  EXPECT_TRUE(std::isnan(s.fix_vector("ave", 0))) << "fix ave/time passes NaN on";
  EXPECT_GT(s.equal("f_st[6]"), 1) << "N_eff is still reported";
  EXPECT_EQ(s.equal("f_st[4] != f_st[4]"), 1.0) << "the test for 'not fitted' the docs give";
  std::string out = s.take_output();
  EXPECT_EQ(count_of(out, "WARNING: fix re/stats st: D not fitted (NaN): the fit window 5 to 8 holds 0 of the 200 "
                          "samples (elapsed time 1.99)"),
            1)
      << out;
  // REVAL's warnings only (LAMMPS 2025 adds "No fixes with time integration" to a rerun of its own)
  EXPECT_EQ(count_of(out, "WARNING: fix re/stats"), 1) << out;
  EXPECT_NE(out.find(" nan "), std::string::npos) << "thermo prints nan\n" << out;
  // a window inside the data: fitted, no warning
  s.clear();
  s.commands(rerun_input(n, dump, "itypes none fit 0.5 1.5"));
  EXPECT_FALSE(std::isnan(s.equal("f_st[4]")));
  EXPECT_EQ(s.equal("f_st[4] != f_st[4]"), 0.0);
  EXPECT_EQ(count_of(s.take_output(), "WARNING: fix re/stats"), 0);
}

// Item 2 and the other bounds: huge counts stop with an ERROR naming the limit (the landed code
// overflowed 3 * origins + 3 in an int). A subprocess, since the landed code crashed.
TEST(ReStatsErrors, BoundsNameTheLimit)
{
  const std::string setup = "units metal\natom_style atomic\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\n"
                            "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\npair_style zero 6.0\npair_coeff * *\n"
                            "comm_modify cutoff 8.0\ncompute sites all vacancy/sites\n";
  struct E {
    std::string cmd, msg;
  } cases[] = {
      {"fix st all re/stats 10 sites origins 1000000000",
       "fix re/stats: origins must be <= 1000 (got 1000000000): every origin keeps 3 values per atom (24 KB per atom "
       "at 1000)"},
      {"fix st all re/stats 10 sites origins 1001", "origins must be <= 1000 (got 1001)"},
      {"fix st all re/stats 10 sites origins 99999999999", "origins must be <= 1000 (got 99999999999)"},
      {"fix st all re/stats 10 sites origins 3 every 2000000000",
       "origins ... every must be <= 1000000000 samples (got 2000000000)"},
      {"fix st all re/stats 10 sites origins 3 every", "'every' needs a number of samples"},
      {"fix st all re/stats 3000000000 sites", "the sampling interval N must be <= 1000000000 (got 3000000000)"},
      {"fix st all re/stats 10 sites append yes", "'append' needs 'file FILE'"},
      {"fix st all re/stats 10 sites file st.txt append maybe", "append must be yes or no (got 'maybe')"},
  };
  for (const auto &c : cases) {
    LmpRun r = run_lmp(setup + c.cmd + "\nrun 0 post no\n");
    EXPECT_NE(r.status, 0) << c.cmd;
    EXPECT_LT(r.status, 128) << c.cmd << ": ended by a signal\n" << r.output;
    EXPECT_NE(r.error_line().find(c.msg), std::string::npos) << c.cmd << "\n  got: " << r.error_line();
  }
}
