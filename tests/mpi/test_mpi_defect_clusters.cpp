// compute vacancy/sites' Wigner-Seitz counts, Frenkel pairs, cluster histogram and local cluster table
// (issue 13 part 3) at 1, 2 and 4 MPI ranks, brick and tiled + RCB balancing, along a short MD run with
// fix balance, after a restart with `sites initial`, and with the /kk twin: every run against the
// brute-force reference (tests/lammps/defect_cluster_reference.h) of its own atom positions.
#include "../lammps/defect_cluster_reference.h"
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

constexpr int kHisto = 6;

// thermo columns: the 10 global values and the histogram counts
std::string thermo_line()
{
  std::string t = "thermo_style custom step";
  for (int k = 1; k <= 10; ++k) t += " c_s[" + std::to_string(k) + "]";
  for (int k = 1; k <= kHisto; ++k) t += " c_s[" + std::to_string(k) + "][2]";
  return t + "\nthermo_modify format float %20.15g\n";
}

const std::string kOutputs = "dump cl all local ${every} clusters.dump c_s[1] c_s[2] c_s[3] c_s[4] c_s[5] c_s[6] c_s[7] c_s[8]\n"
                             "dump_modify cl format float %.17g\n";

const std::string kSetup = "units metal\natom_style atomic\nboundary p p p\n";
const std::string kPair = "lattice diamond 5.431\npair_style sw\npair_coeff * * Si.sw Si\ncomm_modify cutoff 7.5\n";

/// cluster distance "auto": the default (no cluster keyword)
std::string compute_line(const std::string &extra = "", const std::string &distance = "3.9")
{
  return "compute s all vacancy/sites" + (distance == "auto" ? std::string() : " cluster " + distance) + " histo " +
      std::to_string(kHisto) + " local clusters" + extra + "\n";
}

// the last block of numeric rows after an "ITEM: <item>" line of a dump file
std::vector<std::vector<double>> last_block(const std::string &file, const std::string &item)
{
  std::istringstream in(read_file(file));
  std::string line;
  std::vector<std::vector<double>> rows;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind("ITEM:", 0) == 0) {
      inside = line.rfind("ITEM: " + item, 0) == 0;
      if (inside) rows.clear();
      continue;
    }
    if (!inside) continue;
    std::istringstream ls(line);
    std::vector<double> v;
    for (double d; ls >> d;) v.push_back(d);
    if (!v.empty()) rows.push_back(v);
  }
  return rows;
}

std::vector<std::pair<long, Vec3d>> dumped_atoms(const std::string &file)
{
  std::vector<std::pair<long, Vec3d>> out;
  for (auto &r : last_block(file, "ATOMS"))
    if (r.size() == 4) out.push_back({static_cast<long>(r[0]), {r[1], r[2], r[3]}});
  return out;
}

struct Outcome {
  LmpRun run;
  std::vector<std::vector<double>> table;    // local clusters, sorted
  std::vector<std::pair<long, Vec3d>> atoms;
};

Outcome run_case(const std::string &script, int np, const std::map<std::string, std::string> &vars,
                 const std::vector<std::string> &args = {})
{
  LmpOptions o;
  o.np = np;
  o.args = args;
  o.vars = vars;
  Outcome r{run_lmp(script + "write_dump all custom atoms.dump id x y z modify format float %.17g\n", o), {}, {}};
  EXPECT_TRUE(r.run.ok()) << "np " << np << ": " << r.run.error_line() << "\n" << r.run.output;
  r.table = last_block(r.run.workdir + "/clusters.dump", "ENTRIES");
  std::sort(r.table.begin(), r.table.end());
  r.atoms = dumped_atoms(r.run.workdir + "/atoms.dump");
  return r;
}

/// `box` (triclinic) replaces the cube of edge L when given
void expect_reference(const Outcome &o, const DefectReference &ref, double L, const std::string &what,
                      const RefBox *box = nullptr)
{
  const RefBox cube = RefBox::cube(0.0, L);
  if (!box) box = &cube;
  SCOPED_TRACE(what);
  ASSERT_TRUE(o.run.ok());
  EXPECT_EQ(o.run.thermo("c_s[5]"), ref.ws_vac);
  EXPECT_EQ(o.run.thermo("c_s[6]"), ref.ws_int);
  EXPECT_EQ(o.run.thermo("c_s[7]"), ref.frenkel);
  EXPECT_EQ(o.run.thermo("c_s[8]"), static_cast<double>(ref.clusters.size()));
  EXPECT_EQ(o.run.thermo("c_s[9]"), ref.largest);
  EXPECT_EQ(o.run.thermo("c_s[10]"), ref.unassigned);
  for (int k = 1; k <= kHisto; ++k)
    EXPECT_EQ(o.run.thermo("c_s[" + std::to_string(k) + "][2]"), ref.histo[k - 1]) << "histogram row " << k;
  ASSERT_EQ(o.table.size(), ref.clusters.size());
  for (size_t q = 0; q < o.table.size(); ++q) {
    const auto &row = o.table[q];
    const auto &rc = ref.clusters[q];
    ASSERT_EQ(row.size(), 8u);
    EXPECT_EQ(row[0], rc.id);
    EXPECT_EQ(row[1], rc.size) << "cluster " << rc.id;
    EXPECT_EQ(row[2], rc.vac) << "cluster " << rc.id;
    EXPECT_EQ(row[3], rc.inter) << "cluster " << rc.id;
    EXPECT_EQ(row[4], rc.mig) << "cluster " << rc.id;
    EXPECT_LT(periodic_distance({row[5], row[6], row[7]}, rc.centre, *box), 1e-8) << "centre of cluster " << rc.id;
  }
}

void expect_same(const Outcome &a, const Outcome &b, double tol, const std::string &what)
{
  SCOPED_TRACE(what);
  for (int k = 1; k <= 10; ++k) {
    const std::string c = "c_s[" + std::to_string(k) + "]";
    EXPECT_EQ(a.run.thermo(c), b.run.thermo(c)) << c;
  }
  for (int k = 1; k <= kHisto; ++k) {
    const std::string c = "c_s[" + std::to_string(k) + "][2]";
    EXPECT_EQ(a.run.thermo(c), b.run.thermo(c)) << c;
  }
  ASSERT_EQ(a.table.size(), b.table.size());
  for (size_t q = 0; q < a.table.size(); ++q)
    for (size_t c = 0; c < a.table[q].size(); ++c) {
      if (c < 5) {
        EXPECT_EQ(a.table[q][c], b.table[q][c]) << "cluster " << q + 1 << " column " << c + 1;
      } else {
        EXPECT_NEAR(a.table[q][c], b.table[q][c], tol) << "cluster " << q + 1 << " column " << c + 1;
      }
    }
}

/// A static damaged crystal (no time integration: the atoms stay) analysed by compute line `compute` at
/// np 1, 2 and 4, brick and tiled, every run against `ref`. The tiled runs are balanced by the balance
/// command (run 0), or with `fix_balance` by fix balance every step (run 1).
void expect_static_decompositions(const std::string &compute, const std::string &data, const DefectReference &ref,
                                  double L, bool fix_balance, const std::string &what)
{
  const std::string body = "read_data ${config}\n" + kPair + compute + thermo_line();
  const std::string brick = "variable every equal 1\n" + kSetup + body + kOutputs + "run 0\n";
  const std::string tiled = "variable every equal 1\n" + kSetup + "comm_style tiled\n" + body +
                            (fix_balance ? kOutputs + "fix bal all balance 1 1.0 rcb\nrun 1\n"
                                         : "balance 1.0 rcb\n" + kOutputs + "run 0\n");
  const std::string how = fix_balance ? " tiled + fix balance rcb" : " tiled rcb";
  const std::map<std::string, std::string> vars{{"config", data}};
  expect_reference(run_case(brick, 1, vars), ref, L, "np 1" + what);
  expect_reference(run_case(brick, 2, vars), ref, L, "np 2" + what);
  expect_reference(run_case(brick, 4, vars), ref, L, "np 4" + what);
  expect_reference(run_case(tiled, 2, vars), ref, L, "np 2" + how + what);
  expect_reference(run_case(tiled, 4, vars), ref, L, "np 4" + how + what);
}

std::string damage_file(unsigned seed, const DamageSpec &spec, DamagedCrystal &crystal)
{
  crystal = make_damage(seed, spec);
  const std::string path = make_temp_dir("mpi-defect-clusters") + "/damage.data";
  write_data_file(crystal, path);
  return path;
}

}    // namespace

TEST(MpiDefectClusters, StaticDamageAtNp124BrickAndTiled)
{
  DamageSpec spec;
  spec.hops = 12;
  DamagedCrystal c;
  const std::string data = damage_file(3, spec, c);
  const auto ref = defect_reference(c.sites, c.atoms, 0.0, c.L(), 3.9, kHisto, true, 0.75);
  ASSERT_GT(ref.clusters.size(), 20u);
  ASSERT_GE(ref.migrating, 10);
  expect_static_decompositions(compute_line(" cluster/migrating yes"), data, ref, c.L(), false, "");
}

TEST(MpiDefectClusters, MdWithLoadBalancingAtNp124)
{
  DamageSpec spec;
  spec.split = 0;    // no atom 1 Å from another: a gentle MD start
  DamagedCrystal c;
  const std::string data = damage_file(8, spec, c);
  const std::string md = "velocity all create 1200 4711 loop geom\nfix nve all nve\ntimestep 0.0005\nthermo 10\n";
  const std::string body = "read_data ${config}\n" + kPair + md + compute_line() + thermo_line() + kOutputs;
  const std::map<std::string, std::string> vars{{"config", data}};
  const std::string brick = "variable every equal 40\n" + kSetup + body;
  const Outcome one = run_case(brick + "run 40\n", 1, vars);
  expect_reference(one, defect_reference(c.sites, one.atoms, 0.0, c.L(), 3.9, kHisto), c.L(), "np 1 after MD");
  const std::vector<std::pair<std::string, Outcome>> runs = {
      {"np 2", run_case(brick + "run 40\n", 2, vars)},
      {"np 4 fix balance shift", run_case(brick + "fix bal all balance 10 1.0 shift xyz 5 1.05\nrun 40\n", 4, vars)},
      {"np 2 tiled + fix balance rcb",
       run_case("variable every equal 40\n" + kSetup + "comm_style tiled\n" + body + "fix bal all balance 10 1.0 rcb\nrun 40\n",
                2, vars)},
      {"np 4 tiled + fix balance rcb",
       run_case("variable every equal 40\n" + kSetup + "comm_style tiled\n" + body + "fix bal all balance 10 1.0 rcb\nrun 40\n",
                4, vars)}};
  for (auto &r : runs) {
    expect_reference(r.second, defect_reference(c.sites, r.second.atoms, 0.0, c.L(), 3.9, kHisto), c.L(), r.first);
    expect_same(one, r.second, 1e-8, r.first + " vs np 1");
  }
}

// The default cluster distance (cluster auto: 1.1 x the second-neighbour site spacing, a / sqrt(2) in
// diamond) against the reference at np 1, 2 and 4, brick and tiled + fix balance.
TEST(MpiDefectClusters, DefaultClusterDistanceAtNp124)
{
  DamageSpec spec;
  spec.hops = 12;
  DamagedCrystal c;
  const std::string data = damage_file(5, spec, c);
  const auto ref = defect_reference(c.sites, c.atoms, 0.0, c.L(), 1.1 * 5.431 / std::sqrt(2.0), kHisto);
  ASSERT_GT(ref.clusters.size(), 10u);
  ASSERT_GE(ref.largest, 3);
  expect_static_decompositions(compute_line("", "auto"), data, ref, c.L(), true, ", cluster auto");
}

// MD under fix npt (iso) and fix deform (x only, remap x): the sites follow the box (lamda); each run
// against the reference of its final positions with the sites mapped into its final box.
TEST(MpiDefectClusters, NptAndDeformAgainstReference)
{
  DamageSpec spec;
  spec.split = 0;    // a gentle MD start
  DamagedCrystal c;
  const std::string data = damage_file(9, spec, c);
  const std::map<std::string, std::string> vars{{"config", data}};
  const std::string start = "variable every equal 40\n" + kSetup;
  const std::string body = "read_data ${config}\n" + kPair + "velocity all create 1200 4711 loop geom\ntimestep 0.0005\n" +
                           compute_line(" cluster/migrating yes") + thermo_line() + kOutputs;
  const std::string npt = "fix md all npt temp 1200 1200 0.05 iso 20000 20000 0.05\n";
  const std::string deform = "fix md all nve\nfix df all deform 1 x scale 1.03 remap x\n";
  const std::vector<std::pair<std::string, Outcome>> runs = {
      {"np 2 tiled + fix balance, npt",
       run_case(start + "comm_style tiled\n" + body + npt + "fix bal all balance 10 1.0 rcb\nrun 40\n", 2, vars)},
      {"np 4 fix deform", run_case(start + body + deform + "run 40\n", 4, vars)},
      {"np 1 npt", run_case(start + body + npt + "run 40\n", 1, vars)}};
  for (const auto &r : runs) {
    SCOPED_TRACE(r.first);
    ASSERT_TRUE(r.second.run.ok());
    const auto bounds = last_block(r.second.run.workdir + "/atoms.dump", "BOX BOUNDS");
    ASSERT_EQ(bounds.size(), 3u);
    RefBox box;
    box.lo = {bounds[0][0], bounds[1][0], bounds[2][0]};
    box.xprd = bounds[0][1] - bounds[0][0];
    box.yprd = bounds[1][1] - bounds[1][0];
    box.zprd = bounds[2][1] - bounds[2][0];
    EXPECT_GT(std::fabs(box.xprd / c.L() - 1.0), 1e-3) << "the box changed";
    std::vector<Vec3d> sites = c.sites;
    for (auto &s : sites) {
      s[0] = box.lo[0] + s[0] / c.L() * box.xprd;
      s[1] = box.lo[1] + s[1] / c.L() * box.yprd;
      s[2] = box.lo[2] + s[2] / c.L() * box.zprd;
    }
    const auto ref = defect_reference(sites, r.second.atoms, box, 3.9, kHisto, true, 0.75);
    ASSERT_GT(ref.ws_vac, 5);
    expect_reference(r.second, ref, c.L(), r.first, &box);
  }
}

TEST(MpiDefectClusters, RestartWithInitialSitesAtNp124)
{
  // sites captured at np 1 from the perfect crystal, damage by LAMMPS commands (atoms moved and added, none
  // deleted: see Reval_Lammps_DefectClusters.RestartAfterDeletedAtomsIsAnError), restart read at np 1, 2, 4
  DamagedCrystal perfect;
  const std::string data = damage_file(1, DamageSpec{0, 0, 0, 0, 0.0, false}, perfect);
  const std::string dir = make_temp_dir("mpi-defect-clusters-restart");
  const std::string make = "variable every equal 1\n" + kSetup + "read_data ${config}\n" + kPair +
                           "compute s all vacancy/sites sites initial cluster 3.9 histo 6 local clusters\n" +
                           thermo_line() + "run 0\n"
                           "set atom 77 x 8.1465 y 13.5775 z 19.0085\n"
                           "set atom 78 x 35.3015 y 8.1465 z 40.7325\n"
                           "set atom 1000 x 24.4395 y 40.7325 z 2.7155\n"
                           "set atom 2051 x 17.093 y 16.793 z 16.293\n"
                           "set atom 2300 x 0.3 y 42.9 z 0.4\n"
                           "set atom 4001 x 29.8705 y 29.8705 z 29.8705\n"
                           "create_atoms 1 single 2.7155 2.7155 2.7155 units box\n"
                           "create_atoms 1 single 13.5775 35.3015 13.5775 units box\n"
                           "displace_atoms all random 0.15 0.15 0.15 4711 units box\n" +
                           kOutputs + "run 0\nwrite_restart ${restart}\n";
  const std::map<std::string, std::string> vars{{"config", data}, {"restart", dir + "/damage.restart"}};
  const Outcome made = run_case(make, 1, vars);
  const auto ref = defect_reference(perfect.sites, made.atoms, 0.0, perfect.L(), 3.9, kHisto);
  ASSERT_GE(ref.ws_vac, 5);
  ASSERT_GE(ref.ws_int, 5);
  expect_reference(made, ref, perfect.L(), "before the restart");
  const std::string body = "read_restart ${restart}\n" + kPair +
                           "compute s all vacancy/sites sites initial cluster 3.9 histo 6 local clusters\n" +
                           thermo_line() + kOutputs + "run 0\n";
  const std::string brick = "variable every equal 1\n" + body;
  for (int np : {1, 2, 4}) {
    expect_reference(run_case(brick, np, vars), ref, perfect.L(), "restart np " + std::to_string(np));
  }
  // tiled and rebalanced after the restart: the compute must exist before atoms migrate (LAMMPS keeps per-atom
  // restart data with the local index until its fix exists), then the answers are the same
  const std::string compute = "compute s all vacancy/sites sites initial cluster 3.9 histo 6 local clusters\n";
  const std::string tiled_bal = "variable every equal 1\nread_restart ${restart}\ncomm_style tiled\n" + kPair + compute +
                                "balance 1.0 rcb\n" + thermo_line() + kOutputs + "run 0\n";
  expect_reference(run_case(tiled_bal, 4, vars), ref, perfect.L(), "restart np 4 tiled rcb");
  // defined after the balance: LAMMPS has already dropped the per-atom restart data ("Unused restart file peratom
  // fix info"), so the sites are captured again from the current positions, and the log says so
  LmpOptions o;
  o.np = 4;
  o.vars = vars;
  const LmpRun late = run_lmp("read_restart ${restart}\ncomm_style tiled\n" + kPair + "balance 1.0 rcb\n" + compute +
                                  thermo_line() + "run 0\n",
                              o);
  EXPECT_NE(late.output.find("captured from the current positions"), std::string::npos) << late.output;
  EXPECT_EQ(late.output.find("restored from the internal store"), std::string::npos) << late.output;
  EXPECT_NE(run_case(tiled_bal, 4, vars).run.output.find("restored from the internal store"), std::string::npos);
}

// The /kk twin at np 2 (one thread each) against the plain style at np 1: identical counts and tables.
TEST(MpiDefectClusters, KokkosTwinEqualsPlainStyle)
{
  REVAL_REQUIRE_KOKKOS();
  DamageSpec spec;
  spec.hops = 12;
  DamagedCrystal c;
  const std::string data = damage_file(4, spec, c);
  const std::string script = "variable every equal 1\n" + kSetup + "read_data ${config}\n" + kPair +
                             compute_line(" cluster/migrating yes") + thermo_line() + kOutputs + "run 0\ninfo computes\n";
  const std::map<std::string, std::string> vars{{"config", data}};
  const Outcome plain = run_case(script, 1, vars);
  const Outcome kk = run_case(script, 2, vars, kokkos_args(1));
  // (the plugin's banner names every /kk style: look for the instance)
  EXPECT_NE(kk.run.output.find("style = vacancy/sites/kk,"), std::string::npos) << "the /kk twin ran";
  EXPECT_NE(plain.run.output.find("style = vacancy/sites,"), std::string::npos) << "the plain style ran";
  expect_reference(kk, defect_reference(c.sites, c.atoms, 0.0, c.L(), 3.9, kHisto, true, 0.75), c.L(), "np 2 /kk");
  expect_same(plain, kk, 1e-10, "np 2 /kk vs plain np 1");
  // along a short MD run, tiled and rebalanced: each run against the reference of its own final positions
  DamageSpec gentle;
  gentle.split = 0;    // no atom 1 Å from another, no atom half-way through a hop: a gentle MD start
  DamagedCrystal cm;
  const std::map<std::string, std::string> mvars{{"config", damage_file(4, gentle, cm)}};
  const std::string md = "variable every equal 40\n" + kSetup + "comm_style tiled\nread_data ${config}\n" + kPair +
                         "velocity all create 1200 4711 loop geom\nfix nve all nve\ntimestep 0.0005\nthermo 10\n" +
                         compute_line(" cluster/migrating yes") + thermo_line() + kOutputs +
                         "fix bal all balance 10 1.0 rcb\nrun 40\ninfo computes\n";
  const Outcome mplain = run_case(md, 1, mvars);
  const Outcome mkk = run_case(md, 2, mvars, kokkos_args(1));
  EXPECT_NE(mkk.run.output.find("style = vacancy/sites/kk,"), std::string::npos) << "the /kk twin ran";
  expect_reference(mkk, defect_reference(cm.sites, mkk.atoms, 0.0, cm.L(), 3.9, kHisto, true, 0.75), cm.L(), "MD np 2 /kk");
  expect_same(mplain, mkk, 1e-8, "MD np 2 /kk tiled + fix balance vs plain np 1");
}

// examples/cascade/in.cascade, reduced (6x6x6 cells, 300 eV, 0.2 ps) at np 2: it runs, and its final
// Wigner-Seitz counts and cluster table equal the reference of the final atom positions.
TEST(MpiDefectClusters, CascadeExampleReducedAtNp2)
{
  std::string input = read_file(source_dir() + "/examples/cascade/in.cascade");
  ASSERT_FALSE(input.empty());
  LmpOptions o;
  o.np = 2;
  o.vars = {{"cells", "6"}, {"energy", "300"}, {"time", "0.2"}, {"every", "10"}};
  const LmpRun r = run_lmp(input + "write_dump all custom atoms.dump id x y z modify format float %.17g\n", o);
  ASSERT_TRUE(r.ok()) << r.error_line() << "\n" << r.output;
  EXPECT_GE(r.value("time"), 0.2);
  EXPECT_GE(r.value("peak_frenkel"), 1) << "300 eV displace atoms";
  EXPECT_LE(r.value("frenkel"), r.value("peak_frenkel"));
  EXPECT_EQ(r.value("frenkel"), std::min(r.value("ws_vacancies"), r.value("ws_interstitials")));
  // the final state against the brute force (Wigner-Seitz counts do not depend on the cluster distance)
  const auto sites = make_damage(1, DamageSpec{0, 0, 0, 0, 0.0, false}, 6).sites;
  const auto ref = defect_reference(sites, dumped_atoms(r.workdir + "/atoms.dump"), 0.0, 6 * 5.431, 0.0, 10);
  EXPECT_EQ(r.value("ws_vacancies"), ref.ws_vac);
  EXPECT_EQ(r.value("ws_interstitials"), ref.ws_int);
  EXPECT_EQ(r.value("frenkel"), ref.frenkel);
  const auto table = last_block(r.workdir + "/clusters.dump", "ENTRIES");
  EXPECT_EQ(static_cast<double>(table.size()), r.value("clusters"));
  long defects = 0;
  for (auto &row : table) defects += static_cast<long>(row.at(1));
  EXPECT_EQ(defects, ref.ws_vac + ref.ws_int) << "every Wigner-Seitz defect is in one cluster";
  // the time series for the plot: 7 columns, time increasing
  std::istringstream in(read_file(r.workdir + "/frenkel.txt"));
  std::string line;
  int rows = 0;
  double last_t = -1;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::vector<double> v;
    for (double d; ls >> d;) v.push_back(d);
    ASSERT_EQ(v.size(), 7u) << line;
    EXPECT_GT(v[1], last_t);
    EXPECT_EQ(v[4], std::min(v[2], v[3])) << line;
    last_t = v[1];
    ++rows;
  }
  EXPECT_GT(rows, 10);
}

// A tilted (triclinic) box: sites captured in the orthogonal box follow the tilt (lamda), the atoms are
// remapped with it; at np 1 and 3 (brick and tiled + RCB) against the reference in the tilted box.
TEST(MpiDefectClusters, TiltedBoxAtNp13BrickAndTiled)
{
  DamageSpec spec;
  spec.hops = 10;
  DamagedCrystal c;
  const std::string data = damage_file(9, spec, c);
  const std::string box = "print \"@@ xlo = $(xlo:%.17g)\"\nprint \"@@ ylo = $(ylo:%.17g)\"\nprint \"@@ zlo = $(zlo:%.17g)\"\n"
                          "print \"@@ lx = $(lx:%.17g)\"\nprint \"@@ ly = $(ly:%.17g)\"\nprint \"@@ lz = $(lz:%.17g)\"\n"
                          "print \"@@ xy = $(xy:%.17g)\"\nprint \"@@ xz = $(xz:%.17g)\"\nprint \"@@ yz = $(yz:%.17g)\"\n";
  const std::string body = "read_data ${config}\nchange_box all triclinic\n" + kPair +
                           "compute s all vacancy/sites cluster 4.2 histo 6 local clusters cluster/migrating yes\n" +
                           thermo_line() + "run 0\nchange_box all xy final 8.0 yz final -5.0 xz final 3.0 remap units box\n";
  const std::map<std::string, std::string> vars{{"config", data}};
  const std::string brick = "variable every equal 1\n" + kSetup + body + kOutputs + "run 0\n" + box;
  const std::string tiled = "variable every equal 1\n" + kSetup + "comm_style tiled\n" + body + "balance 1.0 rcb\n" +
                            kOutputs + "run 0\n" + box;
  const Outcome one = run_case(brick, 1, vars);
  ASSERT_TRUE(one.run.ok());
  RefBox b;
  b.lo = {one.run.value("xlo"), one.run.value("ylo"), one.run.value("zlo")};
  b.xprd = one.run.value("lx");
  b.yprd = one.run.value("ly");
  b.zprd = one.run.value("lz");
  b.xy = one.run.value("xy");
  b.xz = one.run.value("xz");
  b.yz = one.run.value("yz");
  ASSERT_EQ(b.xy, 8.0);
  ASSERT_EQ(b.yz, -5.0);
  std::vector<Vec3d> sites;
  for (auto &p : c.sites) {
    const Vec3d x = b.to_cart({p[0] / c.L(), p[1] / c.L(), p[2] / c.L()});
    sites.push_back({x[0] + b.lo[0], x[1] + b.lo[1], x[2] + b.lo[2]});
  }
  const auto ref = defect_reference(sites, one.atoms, b, 4.2, kHisto, true, 0.75);
  ASSERT_GT(ref.clusters.size(), 20u);
  auto check = [&](const Outcome &o, const std::string &what) {
    SCOPED_TRACE(what);
    expect_reference(o, ref, 0.0, what, &b);
  };
  check(one, "np 1 tilted");
  check(run_case(brick, 3, vars), "np 3 tilted");
  check(run_case(tiled, 3, vars), "np 3 tilted, tiled rcb");
}
