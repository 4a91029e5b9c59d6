// fix re/harvest through LAMMPS: every criterion fires exactly on the frames of a constructed trajectory
// where it holds (rerun of a diamond cell with a vacancy and an atom that hops into it), throttling
// (every_min, max, halt), novelty (a repeated configuration rejected, a new one kept), sphere and box
// cut-outs against an independent selection (periodic wrap), data files and the energy/forces written
// against LAMMPS itself (read_data + run 0), restart continuity of counters, novelty memory and file, a
// run killed with SIGKILL while harvesting (never a partial frame), and every input error.
#include "lammps_session.h"

#include "core/extxyz.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <csignal>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

using namespace reval::test;

namespace {

const double kA = 5.431;
using V3 = std::array<double, 3>;
const std::vector<V3> kBasis = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
                                {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};

// diamond sites of an n x n x n cell (Å), in LAMMPS create_atoms order is not needed: IDs are ours
std::vector<V3> diamond(int n)
{
  std::vector<V3> s;
  for (int k = 0; k < n; ++k)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i)
        for (const V3 &b : kBasis) s.push_back({(i + b[0]) * kA, (j + b[1]) * kA, (k + b[2]) * kA});
  return s;
}

// The hop trajectory: 2x2x2 cell, site 0 (origin) vacant, its neighbour site 4 (a/4 (1,1,1)) holds atom
// kHopper, which is on its site at steps 0 and 10, mid-hop at 20, back at 30, on the vacant site from 40 on.
constexpr int kHopper = 4;    // atom ID (sites 1..63 hold atoms 1..63)
std::vector<std::vector<V3>> hop_frames()
{
  const std::vector<V3> sites = diamond(2);
  const double t[] = {0, 0, 0.5, 0, 1, 1, 1, 1, 1};
  std::vector<std::vector<V3>> frames;
  for (double f : t) {
    std::vector<V3> x(sites.begin() + 1, sites.end());
    for (int d = 0; d < 3; ++d) x[kHopper - 1][d] = (1 - f) * sites[kHopper][d] + f * sites[0][d];
    frames.push_back(x);
  }
  return frames;
}

void write_dump(const std::vector<std::vector<V3>> &frames, double L, const std::string &path)
{
  std::ofstream f(path);
  f.precision(17);
  for (size_t k = 0; k < frames.size(); ++k) {
    f << "ITEM: TIMESTEP\n" << 10 * k << "\nITEM: NUMBER OF ATOMS\n" << frames[k].size()
      << "\nITEM: BOX BOUNDS pp pp pp\n0 " << L << "\n0 " << L << "\n0 " << L << "\nITEM: ATOMS id x y z\n";
    for (size_t i = 0; i < frames[k].size(); ++i) {
      double x[3];
      for (int d = 0; d < 3; ++d) x[d] = frames[k][i][d] - std::floor(frames[k][i][d] / L) * L;
      f << i + 1 << " " << x[0] << " " << x[1] << " " << x[2] << "\n";
    }
  }
}

// a box of n^3 diamond cells with `natoms` placeholder atoms (rerun gives the positions)
std::string system(int n, int natoms)
{
  std::ostringstream o;
  o << "units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n"
       "region box block 0 " << n << " 0 " << n << " 0 " << n << "\ncreate_box 1 box\n";
  for (int i = 0; i < natoms; ++i) o << "create_atoms 1 single 0 0 0 units box\n";
  o << "mass 1 28.0855\npair_style sw\npair_coeff * * Si.sw Si\ncomm_modify cutoff 8.0\ntimestep 0.001\n"
       "thermo 1000\n";
  return o.str();
}

std::vector<reval::XyzFrame> frames_of(const std::string &path)
{
  return reval::read_extxyz(path);
}

std::vector<long> steps_of(const std::vector<reval::XyzFrame> &fr)
{
  std::vector<long> s;
  for (const auto &f : fr) s.push_back(std::stol(f.info.at("step")));
  return s;
}

// IDs of the atoms flagged in a frame (harvest_flags != 0) and the flags
std::map<long, int> flagged(const reval::XyzFrame &f)
{
  std::map<long, int> m;
  const auto &flags = f.arrays.at("harvest_flags"), &ids = f.arrays.at("id");
  for (int i = 0; i < f.natoms(); ++i)
    if (flags[i] != 0) m[static_cast<long>(ids[i])] = static_cast<int>(flags[i]);
  return m;
}

class ReHarvest : public ::testing::Test {
 protected:
  LammpsSession s;
  std::string hop_setup()
  {
    const std::string dump = s.path("hop.dump");
    write_dump(hop_frames(), 2 * kA, dump);
    return system(2, 63) +
        "compute sites all vacancy/sites rvac 0.8\ncompute re all re/atom sites\n"
        "fix st all re/stats 10 sites itypes none\n";
  }
};

}    // namespace

TEST_F(ReHarvest, EachCriterionFiresExactlyWhereItHolds)
{
  s.commands(hop_setup() +
             "variable sig atom (id==7)*(step==50)\nvariable err atom (id==9)*(step==60)*2\n"
             "variable big equal step==70\n"
             "fix hm all re/harvest 10 file " + s.path("m.xyz") + " migrating re 1 species Si\n"
             "fix hh all re/harvest 10 file " + s.path("h.xyz") + " hop st species Si\n"
             "fix hs all re/harvest 10 file " + s.path("s.xyz") + " sigma v_sig 0.5 species Si\n"
             "fix he all re/harvest 10 file " + s.path("e.xyz") + " error v_err 1.0 species Si\n"
             "fix hv all re/harvest 10 file " + s.path("v.xyz") + " variable v_big species Si\n"
             "fix hc all re/harvest 10 file " + s.path("c.xyz") + " vacancies sites species Si\n"
             "fix ha all re/harvest 10 file " + s.path("a.xyz") +
             " migrating re 1 hop st sigma v_sig 0.5 error v_err 1.0 variable v_big vacancies sites species Si\n"
             "rerun " + s.path("hop.dump") + " dump x y z\n");
  // migrating: the hopper mid-hop (step 20) only, it alone flagged
  auto m = frames_of(s.path("m.xyz"));
  EXPECT_EQ(steps_of(m), std::vector<long>({20}));
  EXPECT_EQ(flagged(m.at(0)), (std::map<long, int>{{kHopper, 1}}));
  EXPECT_EQ(m.at(0).info.at("criterion"), "migrating");
  EXPECT_EQ(m.at(0).natoms(), 63);
  // hop: counted by fix re/stats when the hopper settles on the vacant site (step 40)
  auto h = frames_of(s.path("h.xyz"));
  EXPECT_EQ(steps_of(h), std::vector<long>({40}));
  EXPECT_EQ(flagged(h.at(0)), (std::map<long, int>{{kHopper, 2}}));
  auto sg = frames_of(s.path("s.xyz"));
  EXPECT_EQ(steps_of(sg), std::vector<long>({50}));
  EXPECT_EQ(flagged(sg.at(0)), (std::map<long, int>{{7, 4}}));
  auto e = frames_of(s.path("e.xyz"));
  EXPECT_EQ(steps_of(e), std::vector<long>({60}));
  EXPECT_EQ(flagged(e.at(0)), (std::map<long, int>{{9, 8}}));
  auto v = frames_of(s.path("v.xyz"));
  EXPECT_EQ(steps_of(v), std::vector<long>({70}));
  EXPECT_TRUE(flagged(v.at(0)).empty());
  // vacancies (rvac 0.8): 1 -> 2 when the hopper leaves its site (20), 2 -> 1 when it is back (30);
  // at 40 the vacancy has moved but the count is the same
  auto c = frames_of(s.path("c.xyz"));
  EXPECT_EQ(steps_of(c), std::vector<long>({20, 30}));
  // all together: one frame per step where any holds, the criteria that hold named
  auto a = frames_of(s.path("a.xyz"));
  EXPECT_EQ(steps_of(a), std::vector<long>({20, 30, 40, 50, 60, 70}));
  EXPECT_EQ(a.at(0).info.at("criterion"), "migrating+vacancies");
  EXPECT_EQ(a.at(1).info.at("criterion"), "vacancies");
  EXPECT_EQ(a.at(2).info.at("criterion"), "hop");
  EXPECT_EQ(a.at(5).info.at("criterion"), "variable");
  EXPECT_DOUBLE_EQ(s.fix_vector("ha", 0), 6.0);
  EXPECT_DOUBLE_EQ(s.fix_vector("ha", 1), 0.0);
  EXPECT_DOUBLE_EQ(s.fix_vector("ha", 2), 0.0);
  EXPECT_DOUBLE_EQ(s.fix_vector("ha", 3), 16.0);    // the last frame's criterion: variable
  EXPECT_DOUBLE_EQ(s.fix_vector("hm", 0), 1.0);
}

namespace {

// a perfect 2x2x2 diamond cell (64 atoms) that does not move (no integrator): every step the same
const char *kStatic = "units metal\natom_modify map array\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\n"
                      "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\npair_style sw\n"
                      "pair_coeff * * Si.sw Si\nthermo 1000\n";

// minimum-image displacement from c to x in a cube of side L
V3 min_image(const V3 &x, const V3 &c, double L)
{
  V3 d;
  for (int k = 0; k < 3; ++k) {
    d[k] = x[k] - c[k];
    d[k] -= L * std::round(d[k] / L);
  }
  return d;
}

}    // namespace

TEST_F(ReHarvest, EveryMinAndMaxThrottle)
{
  s.commands(std::string(kStatic) + "variable on equal 1\n"
             "fix h1 all re/harvest 10 file " + s.path("t1.xyz") + " variable v_on every_min 25 species Si\n"
             "fix h2 all re/harvest 10 file " + s.path("t2.xyz") + " variable v_on max 2 species Si\n"
             "run 80\n");
  // checks at 10..80: every_min 25 keeps 10, 40 (30 steps later), 70; max 2 keeps 10, 20
  EXPECT_EQ(steps_of(frames_of(s.path("t1.xyz"))), std::vector<long>({10, 40, 70}));
  EXPECT_DOUBLE_EQ(s.fix_vector("h1", 0), 3.0);
  EXPECT_DOUBLE_EQ(s.fix_vector("h1", 1), 5.0);
  EXPECT_EQ(steps_of(frames_of(s.path("t2.xyz"))), std::vector<long>({10, 20}));
  EXPECT_DOUBLE_EQ(s.fix_vector("h2", 0), 2.0);
  EXPECT_DOUBLE_EQ(s.fix_vector("h2", 1), 6.0);
  EXPECT_DOUBLE_EQ(s.fix_vector("h2", 2), 0.0);
}

TEST_F(ReHarvest, HaltEndsTheRunAtMax)
{
  s.commands(std::string(kStatic) + "variable on equal step>=30\n"
             "fix h all re/harvest 10 file " + s.path("t.xyz") + " variable v_on max 2 halt yes species Si\n"
             "run 100\n");
  EXPECT_EQ(s.equal("step"), 40.0);
  EXPECT_EQ(steps_of(frames_of(s.path("t.xyz"))), std::vector<long>({30, 40}));
  // the next run is not stopped (nothing more is harvested: max reached)
  s.command("run 20");
  EXPECT_EQ(s.equal("step"), 60.0);
  EXPECT_DOUBLE_EQ(s.fix_vector("h", 1), 2.0);
}

TEST_F(ReHarvest, NoveltyRejectsRepeatsAndKeepsNewConfigurations)
{
  // frames 0-3 perfect, 4-6 atom 5 displaced by 0.4 Å, 7-8 perfect again; atom 5 always flagged
  const std::vector<V3> sites = diamond(2);
  std::vector<std::vector<V3>> frames;
  for (int k = 0; k < 9; ++k) {
    frames.push_back(sites);
    if (k >= 4 && k <= 6) frames.back()[4][0] += 0.4;
  }
  write_dump(frames, 2 * kA, s.path("nov.dump"));
  s.commands(system(2, 64) + "variable f atom id==5\n"
             "fix h all re/harvest 10 file " + s.path("n.xyz") + " sigma v_f 0.5 novelty 0.05 species Si\n"
             "fix all all re/harvest 10 file " + s.path("all.xyz") + " sigma v_f 0.5 species Si\n"
             "rerun " + s.path("nov.dump") + " dump x y z\n");
  EXPECT_EQ(steps_of(frames_of(s.path("n.xyz"))), std::vector<long>({0, 40}));
  EXPECT_DOUBLE_EQ(s.fix_vector("h", 0), 2.0);
  EXPECT_DOUBLE_EQ(s.fix_vector("h", 2), 7.0);
  EXPECT_EQ(frames_of(s.path("all.xyz")).size(), 9u);    // without novelty every frame
}

TEST_F(ReHarvest, NoveltyOnTheSnapBispectrumOfSnapModel)
{
  // the same frames with pair snap/model: the descriptor is the bispectrum (55 values for Si_Zuo); a repeat is
  // rejected, the displaced atom kept; a restart file's memory of another descriptor is refused
  const std::vector<V3> sites = diamond(2);
  std::vector<std::vector<V3>> frames;
  for (int k = 0; k < 6; ++k) {
    frames.push_back(sites);
    if (k >= 3) frames.back()[4][0] += 0.2;
  }
  write_dump(frames, 2 * kA, s.path("nov.dump"));
  const std::string pot = potentials_dir();
  std::string sys = system(2, 64);
  sys.replace(sys.find("pair_style sw\npair_coeff * * Si.sw Si"), std::string("pair_style sw\npair_coeff * * Si.sw Si").size(),
              "pair_style snap/model\npair_coeff * * " + pot + "/Si_Zuo_JPCA2020.snapcoeff " + pot +
                  "/Si_Zuo_JPCA2020.snapparam Si");
  s.commands(sys + "variable f atom id==5\n"
             "fix h all re/harvest 10 file " + s.path("n.xyz") + " sigma v_f 0.5 novelty 1e-6\n"
             "fix hd all re/harvest 10 file " + s.path("d.xyz") + " sigma v_f 0.5 novelty 1e-6 descriptor snap\n"
             "rerun " + s.path("nov.dump") + " dump x y z\n");
  EXPECT_EQ(steps_of(frames_of(s.path("n.xyz"))), std::vector<long>({0, 30}));
  EXPECT_EQ(steps_of(frames_of(s.path("d.xyz"))), std::vector<long>({0, 30}));
  EXPECT_DOUBLE_EQ(s.fix_vector("h", 2), 4.0);
  s.command("write_restart " + s.path("snap.restart"));
  s.clear();
  s.commands("read_restart " + s.path("snap.restart") + "\npair_style sw\npair_coeff * * Si.sw Si\nvariable f atom id==5\n"
             "fix h all re/harvest 10 file " + s.path("n.xyz") + " sigma v_f 0.5 novelty 1e-6 species Si\n");
  EXPECT_NE(s.error_of("run 0").find("holds descriptors of dimension 55, this run's descriptor (neighbour distances) "
                                     "has 16"), std::string::npos) << s.error_of("run 0");
}

TEST_F(ReHarvest, SphereAndBoxCutoutsAroundTriggerAtoms)
{
  // 3x3x3 cell; flagged: atom 1 (corner site: its cut-out wraps), atom 5 (its neighbour, inside the core of
  // atom 1's cut-out: no cut-out of its own) and atom 105 (site at a (1,1,1), far away)
  const std::vector<V3> sites = diamond(3);
  const double L = 3 * kA;
  write_dump({sites}, L, s.path("c.dump"));
  s.commands(system(3, 216) + "variable f atom (id==1)||(id==5)||(id==105)\n"
             "fix hs all re/harvest 10 file " + s.path("s.xyz") + " sigma v_f 0.5 cutout 5.0 vacuum 3.0 format both species Si\n"
             "fix hb all re/harvest 10 file " + s.path("b.xyz") + " sigma v_f 0.5 box 7.0 species Si\n"
             "rerun " + s.path("c.dump") + " dump x y z\n");
  for (const bool sphere : {true, false}) {
    const auto fr = frames_of(s.path(sphere ? "s.xyz" : "b.xyz"));
    ASSERT_EQ(fr.size(), 2u);
    const long centres[2] = {1, 105};
    for (int k = 0; k < 2; ++k) {
      const reval::XyzFrame &f = fr[k];
      EXPECT_EQ(f.info.at("centre_id"), std::to_string(centres[k]));
      EXPECT_EQ(f.info.count("mlip_energy"), 0u);
      EXPECT_EQ(f.pbc[0], !sphere);
      const double side = sphere ? 2 * (5.0 + 3.0) : 7.0, shift = side / 2;
      EXPECT_DOUBLE_EQ(f.cell[0], side);
      // independent selection: sites whose minimum-image displacement from the centre is within R / in the cube
      std::map<long, V3> expect;
      for (size_t i = 0; i < sites.size(); ++i) {
        const V3 d = min_image(sites[i], sites[centres[k] - 1], L);
        const double r = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        const bool in = sphere ? r <= 5.0 + 1e-9
                               : (d[0] >= -3.5 && d[0] < 3.5 && d[1] >= -3.5 && d[1] < 3.5 && d[2] >= -3.5 && d[2] < 3.5);
        if (in) expect[static_cast<long>(i) + 1] = d;
      }
      if (sphere) EXPECT_EQ(expect.size(), 29u);    // 1 + 4 + 12 + 12 atoms within 5 Å in diamond Si
      ASSERT_EQ(f.natoms(), static_cast<int>(expect.size()));
      const auto &ids = f.arrays.at("id");
      for (int i = 0; i < f.natoms(); ++i) {
        const long id = static_cast<long>(ids[i]);
        ASSERT_EQ(expect.count(id), 1u) << "atom " << id;
        for (int d = 0; d < 3; ++d) EXPECT_NEAR(f.pos[3 * i + d] - shift, expect[id][d], 1e-9) << "atom " << id;
      }
    }
  }
  // the data files of the sphere cut-outs: one per cut-out, 29 atoms each
  for (int k = 0; k < 2; ++k) {
    const std::string text = read_file(s.path("s.xyz.0." + std::to_string(k) + ".data"));
    EXPECT_NE(text.find("\n29 atoms\n"), std::string::npos) << text.substr(0, 200);
    EXPECT_NE(text.find("non-periodic"), std::string::npos);
  }
}

TEST_F(ReHarvest, EnergyForcesAndDataFileMatchLammps)
{
  s.commands(hop_setup() + "fix h all re/harvest 10 file " + s.path("m.xyz") +
             " migrating re 1 format both species Si\nrerun " + s.path("hop.dump") + " dump x y z\n");
  const auto fr = frames_of(s.path("m.xyz"));
  ASSERT_EQ(fr.size(), 1u);
  const double e = std::stod(fr[0].info.at("mlip_energy"));
  // LAMMPS itself on the data file written for the same frame
  s.clear();
  s.commands("units metal\natom_modify map array\nread_data " + s.path("m.xyz.20.data") +
             "\npair_style sw\npair_coeff * * Si.sw Si\ncompute f all property/atom fx fy fz\nrun 0\n");
  EXPECT_NEAR(s.equal("pe"), e, 1e-9 * std::fabs(e));
  const auto &ids = fr[0].arrays.at("id"), &mf = fr[0].arrays.at("mlip_forces");
  double fmax = 0.0;
  for (int c = 0; c < 3; ++c) {
    const auto f = s.compute_peratom("f", c + 1);
    for (int i = 0; i < fr[0].natoms(); ++i) {
      EXPECT_NEAR(mf[3 * i + c], f.at(static_cast<long>(ids[i])), 1e-9);
      fmax = std::max(fmax, std::fabs(mf[3 * i + c]));
    }
  }
  EXPECT_GT(fmax, 0.1);    // a mid-hop atom: real forces
}

TEST_F(ReHarvest, HarvestedFileReadsBackWithRevalConvert)
{
  const std::string py = "/usr/bin/python3";
  if (::access(py.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << py;
  s.commands(hop_setup() + "fix h all re/harvest 10 file " + s.path("m.xyz") +
             " migrating re 1 hop st species Si\nrerun " + s.path("hop.dump") + " dump x y z\n");
  const std::string cmd = py + " " + source_dir() + "/tools/reval_convert.py extxyz " + s.path("m.xyz") + " " +
      s.path("o.data") + " " + s.path("o.dump") + " > " + s.path("conv.log") + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_file(s.path("conv.log"));
  const std::string dump = read_file(s.path("o.dump"));
  size_t frames = 0;
  for (size_t p = dump.find("ITEM: TIMESTEP"); p != std::string::npos; p = dump.find("ITEM: TIMESTEP", p + 1)) ++frames;
  EXPECT_EQ(frames, 2u);    // steps 20 (migrating) and 40 (hop)
  EXPECT_NE(read_file(s.path("o.data")).find("63 atoms"), std::string::npos);
}

TEST_F(ReHarvest, RestartContinuesCountersNoveltyAndFile)
{
  const std::string fixes = "variable on equal (step==30)||(step==70)\nvariable f atom id==5\n"
                            "fix h1 all re/harvest 10 file FILE1 variable v_on species Si\n"
                            "fix h2 all re/harvest 10 file FILE2 sigma v_f 0.5 novelty 0.05 species Si\n";
  auto with = [&](const std::string &tag) {
    std::string t = fixes;
    t.replace(t.find("FILE1"), 5, s.path(tag + "1.xyz"));
    t.replace(t.find("FILE2"), 5, s.path(tag + "2.xyz"));
    return t;
  };
  s.commands(std::string(kStatic) + with("a") + "run 100\n");
  const double a[2][3] = {{s.fix_vector("h1", 0), s.fix_vector("h1", 1), s.fix_vector("h1", 2)},
                          {s.fix_vector("h2", 0), s.fix_vector("h2", 1), s.fix_vector("h2", 2)}};
  EXPECT_DOUBLE_EQ(a[0][0], 2.0);
  EXPECT_DOUBLE_EQ(a[1][0], 1.0);
  EXPECT_DOUBLE_EQ(a[1][2], 9.0);
  s.clear();
  s.commands(std::string(kStatic) + with("b") + "run 50\nwrite_restart " + s.path("h.restart") + "\n");
  s.clear();
  s.commands("read_restart " + s.path("h.restart") + "\npair_style sw\npair_coeff * * Si.sw Si\n" + with("b") +
             "run 50\n");
  for (int j = 0; j < 3; ++j) {
    EXPECT_DOUBLE_EQ(s.fix_vector("h1", j), a[0][j]) << j;
    EXPECT_DOUBLE_EQ(s.fix_vector("h2", j), a[1][j]) << j;    // the restored novelty memory rejects the repeat
  }
  EXPECT_EQ(steps_of(frames_of(s.path("b1.xyz"))), std::vector<long>({30, 70}));    // continued, not restarted
  EXPECT_EQ(steps_of(frames_of(s.path("b2.xyz"))), std::vector<long>({10}));
}

TEST_F(ReHarvest, KilledRunNeverLeavesAPartialFrame)
{
  // a 6x6x6 cell (1728 atoms) harvested every step; the writer is killed with SIGKILL while it appends
  const std::string dir = s.dir();
  {
    std::ofstream in(dir + "/in.kill");
    in << "plugin load ${plugin}\nunits metal\natom_modify map array\nlattice diamond 5.431\n"
          "region box block 0 6 0 6 0 6\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n"
          "pair_style sw\npair_coeff * * Si.sw Si\nvariable on equal 1\nvelocity all create 300 1\nfix nve all nve\n"
          "fix h all re/harvest 1 file " << dir << "/k.xyz variable v_on species Si\nrun 100000\n";
  }
  const std::string lmp = lmp_path(), plugin = plugin_path(), pot = potentials_dir();
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::setenv("LAMMPS_POTENTIALS", pot.c_str(), 1);
    ::execl(lmp.c_str(), lmp.c_str(), "-in", (dir + "/in.kill").c_str(), "-var", "plugin", plugin.c_str(), "-log",
            "none", "-screen", "none", static_cast<char *>(nullptr));
    ::_exit(127);
  }
  // wait until a few frames are there, then kill at once (mid-write or not: the file must parse)
  const auto t0 = std::chrono::steady_clock::now();
  size_t size = 0;
  while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60)) {
    std::ifstream f(dir + "/k.xyz", std::ios::ate | std::ios::binary);
    size = f ? static_cast<size_t>(f.tellg()) : 0;
    if (size > 3 * 1728 * 150) break;
    int st = 0;
    if (::waitpid(pid, &st, WNOHANG) == pid) FAIL() << "lmp ended before it was killed (status " << st << ")";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "lmp ended before it was killed";
  const auto fr = reval::read_extxyz(dir + "/k.xyz");
  ASSERT_GE(fr.size(), 1u);
  for (const auto &f : fr) EXPECT_EQ(f.natoms(), 1728);
  EXPECT_EQ(std::stol(fr.back().info.at("harvest_frame")) + 1, static_cast<long>(fr.size()));
}

TEST_F(ReHarvest, InputErrors)
{
  s.commands(std::string(kStatic) + "comm_modify cutoff 7.5\ncompute ke all ke/atom\nvariable a atom 1\nvariable e equal 1\n"
             "compute sites all vacancy/sites\ncompute re all re/atom sites\nfix st all re/stats 7 sites itypes none\n");
  const std::string f = "fix h all re/harvest 10 file " + s.path("x.xyz") + " ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"fix h all re/harvest 10 file", "at least one criterion"},
      {"fix h all re/harvest 10 file x.xyz", "no criterion given"},
      {"fix h all re/harvest 0 file x.xyz variable v_e", "N must be between 1 and 10^9"},
      {"fix h all re/harvest 10 fil x.xyz variable v_e", "expected 'file FILE' after N"},
      {f + "migrating re", "'migrating' needs"},
      {f + "migrating re 0", "migrating M must be >= 1"},
      {f + "hop", "'hop' needs a fix re/stats ID"},
      {f + "sigma c_ke", "'sigma' needs a per-atom quantity"},
      {f + "sigma c_ke -1", "sigma threshold must be >= 0"},
      {f + "error ke 0.5", "is not a per-atom quantity reference"},
      {f + "sigma v_a 0.5 sigma v_a 0.3", "criterion 'sigma' given twice"},
      {f + "variable e", "variable needs v_name"},
      {f + "vacancies", "'vacancies' needs"},
      {f + "variable v_e every_min -1", "every_min must be >= 0"},
      {f + "variable v_e max 0", "max must be >= 1"},
      {f + "variable v_e max 2 halt maybe", "halt must be yes or no"},
      {f + "variable v_e halt yes", "halt yes needs max Nmax"},
      {f + "variable v_e novelty -1", "novelty D must be >= 0"},
      {f + "sigma v_a 0.5 cutout 0", "cutout R must be > 0"},
      {f + "sigma v_a 0.5 box -2", "box L must be > 0"},
      {f + "sigma v_a 0.5 cutout 5 box 5", "give one of cutout R or box L, once"},
      {f + "variable v_e cutout 5", "the criteria variable and vacancies name no atom"},
      {f + "sigma v_a 0.5 box 5 vacuum 2", "vacuum applies to cutout R"},
      {f + "sigma v_a 0.5 cutout 5 vacuum -1", "vacuum must be >= 0"},
      {f + "variable v_e format pdb", "format must be xyz, data or both"},
      {f + "variable v_e species Xx", "'Xx' (type 1) is not a chemical element symbol"},
      {f + "variable v_e species", "species needs one element symbol per atom type (1)"},
      {f + "variable v_e frobnicate 1", "unknown keyword or criterion 'frobnicate'"},
      {f + "every_min 2", "no criterion given"},
      {f + "variable v_e descriptor snap", "descriptor applies to novelty D"},
      {f + "variable v_e novelty 0.1 descriptor bispectrum", "descriptor must be snap or distances"},
  };
  for (const auto &c : cases) EXPECT_NE(s.error_of(c.first).find(c.second), std::string::npos) << c.first << "\n -> " << s.error_of(c.first);
  // errors found when the run starts
  const std::vector<std::pair<std::string, std::string>> init_cases = {
      {f + "migrating nosuch 1 species Si", "migrating: compute ID 'nosuch' does not exist"},
      {f + "migrating ke 1 species Si", "compute ke is a compute ke/atom, not a compute re/atom"},
      {f + "hop nosuch species Si", "hop: fix ID 'nosuch' does not exist"},
      {f + "hop st species Si", "N (10) must be a multiple of the sampling interval of fix st (7)"},
      {f + "sigma c_nosuch 0.5 species Si", "compute ID 'nosuch' does not exist"},
      {f + "variable v_nosuch species Si", "variable 'nosuch' does not exist"},
      {f + "variable v_a species Si", "variable a is not an equal-style variable"},
      {f + "vacancies ke species Si", "compute ke is a compute ke/atom, not a compute vacancy/sites"},
      {f + "variable v_e", "give 'species E1 ... En'"},
      {f + "sigma v_a 0.5 box 20 species Si", "would both be in it"},
      {f + "sigma v_a 0.5 novelty 0.1 descriptor snap species Si", "descriptor snap needs pair_style snap/model"},
  };
  for (const auto &c : init_cases) {
    const std::string msg = s.error_of(c.first + "\nrun 10\n");
    EXPECT_NE(msg.find(c.second), std::string::npos) << c.first << "\n -> " << msg;
    s.error_of("unfix h");
  }
}

TEST_F(ReHarvest, NeedsMetalUnitsAndTakesSpeciesFromSnapModel)
{
  s.commands("units real\natom_modify map array\nlattice diamond 5.431\nregion box block 0 1 0 1 0 1\n"
             "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\npair_style zero 5.0\npair_coeff * *\n"
             "variable on equal 1\nfix h all re/harvest 10 file " + s.path("u.xyz") + " variable v_on species Si\n");
  EXPECT_NE(s.error_of("run 10").find("needs units metal"), std::string::npos);
  s.clear();
  const std::string pot = potentials_dir();
  s.commands(std::string("units metal\natom_modify map array\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\n"
                         "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\npair_style snap/model\n") +
             "pair_coeff * * " + pot + "/Si_Zuo_JPCA2020.snapcoeff " + pot + "/Si_Zuo_JPCA2020.snapparam Si\n"
             "variable on equal 1\nfix h all re/harvest 10 file " + s.path("p.xyz") + " variable v_on\nrun 10\n");
  const auto fr = frames_of(s.path("p.xyz"));
  ASSERT_EQ(fr.size(), 1u);
  EXPECT_EQ(fr[0].species.at(0), "Si");
  EXPECT_NEAR(std::stod(fr[0].info.at("mlip_energy")), s.equal("pe"), 1e-9 * std::fabs(s.equal("pe")));
}
