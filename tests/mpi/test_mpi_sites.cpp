// compute vacancy/sites + compute re/atom give the same answers at 1, 2 and 4 MPI ranks, with brick
// and tiled (RCB) decompositions, static and dynamic load balancing, in a static defect
// configuration and along an MD trajectory.
#include "lammps_session.h"
#include "require_kokkos.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace reval::test;

namespace {

// Si diamond 4x4x4 with two vacancies, a tetrahedral interstitial, a hop in progress and noise,
// made once on one rank (atom IDs of create_atoms depend on the number of ranks) and read by all
const char *kMakeConfig = R"(
units           metal
atom_style      atomic
lattice         diamond 5.431
region          box block 0 4 0 4 0 4
create_box      1 box
create_atoms    1 box
mass            1 28.0855
group           gone id 5 300
delete_atoms    group gone
set             atom 1 x 0.74 y 0.74 z 0.74
set             atom 150 x 8.146 y 8.146 z 8.146
displace_atoms  all random ${disp} ${disp} ${disp} 4711 units box
write_data      ${config}
)";

const char *kReadConfig = R"(
units           metal
atom_style      atomic
lattice         diamond 5.431
read_data       ${config}
pair_style      sw
pair_coeff      * * Si.sw Si
comm_modify     cutoff 7.5
)";

// random displacements of up to `disp` Å (0.12: a few defects; 0.4: dozens of migrating atoms)
std::string config_file(const std::string &disp = "0.12")
{
  static std::map<std::string, std::string> paths;
  std::string &path = paths[disp];
  if (path.empty()) {
    path = make_temp_dir("mpi-sites") + "/defects.data";
    LmpOptions o;
    o.vars = {{"config", path}, {"disp", disp}};
    LmpRun r = run_lmp(kMakeConfig, o);
    EXPECT_TRUE(r.ok()) << r.output;
  }
  return path;
}

const char *kAnalysis = R"(
compute         s all vacancy/sites
compute         re all re/atom s
thermo_style    custom step c_s c_s[1] c_s[2] c_s[3] c_s[4] c_re
thermo_modify   format float %20.15g
dump            d all custom ${every} re.dump id c_re[1] c_re[2] c_re[3] c_re[4] c_re[5]
dump_modify     d sort id format float %20.15g
)";

using PerAtom = std::map<long, std::vector<double>>;

// the last snapshot of re.dump: id -> 5 columns
PerAtom last_snapshot(const std::string &dumpfile)
{
  std::istringstream in(read_file(dumpfile));
  std::string line;
  PerAtom snap;
  while (std::getline(in, line)) {
    if (line.rfind("ITEM: ATOMS", 0) == 0) {
      snap.clear();
      continue;
    }
    std::istringstream ls(line);
    std::vector<double> v;
    for (double d; ls >> d;) v.push_back(d);
    if (v.size() == 6 && line.find("ITEM") == std::string::npos) snap[static_cast<long>(v[0])] = {v.begin() + 1, v.end()};
  }
  return snap;
}

struct Result {
  LmpRun run;
  PerAtom atoms;
};

Result run_case(const std::string &script, int np, const std::string &disp = "0.12",
                const std::vector<std::string> &args = {})
{
  LmpOptions o;
  o.np = np;
  o.args = args;
  o.vars = {{"config", config_file(disp)}};
  Result r{run_lmp(script, o), {}};
  EXPECT_TRUE(r.run.ok()) << "np " << np << ": " << r.run.error_line() << "\n" << r.run.output;
  r.atoms = last_snapshot(r.run.workdir + "/re.dump");
  return r;
}

void expect_same(const Result &a, const Result &b, double tol, const std::string &what)
{
  for (auto col : {"c_s", "c_s[1]", "c_s[2]", "c_s[3]", "c_s[4]", "c_re"})
    EXPECT_EQ(a.run.thermo(col), b.run.thermo(col)) << what << " " << col;
  ASSERT_EQ(a.atoms.size(), b.atoms.size()) << what;
  ASSERT_GT(a.atoms.size(), 500u);
  for (auto &kv : a.atoms) {
    auto it = b.atoms.find(kv.first);
    ASSERT_NE(it, b.atoms.end()) << what << " atom " << kv.first;
    EXPECT_EQ(kv.second[0], it->second[0]) << what << " migrating flag of atom " << kv.first;
    EXPECT_EQ(kv.second[4], it->second[4]) << what << " nearest site of atom " << kv.first;
    for (int c = 1; c < 4; ++c)
      EXPECT_NEAR(kv.second[c], it->second[c], tol) << what << " column " << c + 1 << " of atom " << kv.first;
  }
}

}    // namespace

TEST(MpiSites, StaticDefectsIdenticalAtNp124AndTiled)
{
  const std::string base = std::string("variable every equal 1\n") + kReadConfig + kAnalysis;
  Result ref = run_case(base + "run 0\n", 1);
  EXPECT_EQ(ref.run.thermo("c_s[1]"), 4) << "two vacancies, the interstitial's and the hopping atom's sites";
  EXPECT_GE(ref.run.thermo("c_re"), 1);
  expect_same(ref, run_case(base + "run 0\n", 2), 1e-12, "np 2");
  expect_same(ref, run_case(base + "run 0\n", 4), 1e-12, "np 4");
  expect_same(ref, run_case(std::string("variable every equal 1\ncomm_style tiled\n") + kReadConfig +
                                "balance 1.0 rcb\n" + kAnalysis + "run 0\n",
                            4),
              1e-12, "np 4 tiled");
}

TEST(MpiSites, HeavyDamageIdenticalAtNp124AndTiled)
{
  // every atom displaced by up to 0.81 Å (bench/sites' heavy damage): dozens of vacancies and over a
  // hundred migrating atoms, so re/atom's point grids are dense and cross the sub-domain boundaries
  const std::string base = std::string("variable every equal 1\n") + kReadConfig + kAnalysis;
  Result ref = run_case(base + "run 0\n", 1, "0.81");
  EXPECT_GE(ref.run.thermo("c_s[1]"), 20);
  EXPECT_GE(ref.run.thermo("c_re"), 80);
  expect_same(ref, run_case(base + "run 0\n", 2, "0.81"), 1e-12, "np 2");
  expect_same(ref, run_case(std::string("variable every equal 1\ncomm_style tiled\n") + kReadConfig +
                                "balance 1.0 rcb\n" + kAnalysis + "run 0\n",
                            4, "0.81"),
              1e-12, "np 4 tiled");
}

TEST(MpiSites, MdTrajectoryIdenticalWithLoadBalancing)
{
  const std::string md = "velocity all create 2460 8765 loop geom\nfix nve all nve\ntimestep 0.001\nthermo 25\n";
  const std::string base = std::string("variable every equal 100\n") + kReadConfig + md + kAnalysis;
  Result ref = run_case(base + "run 100\n", 1);
  // brick decompositions, and RCB tiling rebalanced during the run
  expect_same(ref, run_case(base + "run 100\n", 2), 1e-8, "np 2");
  expect_same(ref, run_case(base + "fix bal all balance 20 1.0 shift xyz 5 1.05\nrun 100\n", 4), 1e-8,
              "np 4 fix balance shift");
  expect_same(ref, run_case(std::string("variable every equal 100\ncomm_style tiled\n") + kReadConfig + md +
                                kAnalysis + "fix bal all balance 20 1.0 rcb\nrun 100\n",
                            4),
              1e-8, "np 4 tiled + fix balance rcb");
}

// fix deform with remap x moves the owned atoms at the end of the step, after the last ghost update:
// re/atom must not read stale ghost positions (np 1 and np 3 differed by up to 4e-2 Å in column 4, the
// distance to the nearest migrating atom). Triclinic box, shear and stretch, dozens of migrating atoms.
// (remap v is left out: LAMMPS then moves an atom that is wrapped at a re-neighbouring, e.g. by fix
// balance, one step behind the box: positions at the end of that step depend on the decomposition.)
const std::string kDeformMd = "change_box all triclinic\nvelocity all create 2460 8765 loop geom\nfix nve all nve\n"
                         "timestep 0.001\nthermo 10\nfix def all deform 1 xy erate 2.0 z erate 0.5 remap x\n";

TEST(MpiSites, DeformRemapXTriclinicIdenticalAtNp13)
{
  const std::string md = kDeformMd;
  const std::string base = std::string("variable every equal 10\n") + kReadConfig + md + kAnalysis;
  Result ref = run_case(base + "run 60\n", 1, "0.4");
  EXPECT_GE(ref.run.thermo("c_re"), 20) << "dozens of migrating atoms";
  expect_same(ref, run_case(base + "run 60\n", 3, "0.4"), 1e-8, "np 3");
  expect_same(ref, run_case(std::string("variable every equal 10\ncomm_style tiled\n") + kReadConfig + md + kAnalysis +
                                "fix bal all balance 20 1.0 rcb\nrun 60\n",
                            3, "0.4"),
              1e-8, "np 3 tiled + fix balance rcb");
}

// The same with the /kk twins at np 3 (one thread each) against the plain styles at np 1.
TEST(MpiSites, DeformRemapXKokkosTwinsAtNp3)
{
  REVAL_REQUIRE_KOKKOS();
  const std::string base =
      std::string("variable every equal 10\n") + kReadConfig + kDeformMd + kAnalysis + "run 60\ninfo computes fixes\n";
  Result ref = run_case(base, 1, "0.4");
  Result kk = run_case(base, 3, "0.4", kokkos_args(1));
  // (the plugin's banner names every /kk style: look for the instances)
  EXPECT_NE(kk.run.output.find("style = vacancy/sites/kk,"), std::string::npos) << "the /kk twins ran";
  EXPECT_NE(kk.run.output.find("style = re/atom/kk,"), std::string::npos) << "the /kk twins ran";
  expect_same(ref, kk, 1e-8, "np 3 /kk");
}
