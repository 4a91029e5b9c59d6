// fix re/stats through LAMMPS: a lattice-gas random walk with known diffusivity (rerun of a synthetic
// trajectory), hops, time origins and centre-of-mass removal against independent computations;
// vacancy and interstitial MD with restart continuity; interstitial types placed in a diamond cell,
// ideal, noisy and relaxed; every input error.
#include "lammps_session.h"

#include "atom.h"
#include "lammps.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <fstream>
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
