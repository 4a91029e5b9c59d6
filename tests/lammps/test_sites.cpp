// compute vacancy/sites and compute re/atom in LAMMPS (in-process, one rank): perfect crystals,
// point defects against an independent brute-force implementation, box deformation, restarts,
// and every input error.
#include "lammps_session.h"
#include "site_reference.h"

#include "atom.h"
#include "lammps.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <fstream>
#include <random>
#include <string>

using namespace reval::test;

namespace {

const std::vector<Vec> kDiamond = {{0, 0, 0},       {0, 0.5, 0.5},      {0.5, 0, 0.5},      {0.5, 0.5, 0},
                                   {0.25, 0.25, 0.25}, {0.25, 0.75, 0.75}, {0.75, 0.25, 0.75}, {0.75, 0.75, 0.25}};
const std::vector<Vec> kFcc = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};
const std::vector<Vec> kBcc = {{0, 0, 0}, {0.5, 0.5, 0.5}};

// positions of all atoms by ID (one rank)
std::map<long, Vec> positions(LammpsSession &s)
{
  std::map<long, Vec> out;
  auto *atom = s.lmp()->atom;
  for (int i = 0; i < atom->nlocal; ++i) out[atom->tag[i]] = {atom->x[i][0], atom->x[i][1], atom->x[i][2]};
  return out;
}

void setup_crystal(LammpsSession &s, const std::string &lattice, const std::string &region)
{
  s.commands("units metal\natom_style atomic\nboundary p p p\n" + lattice + "\nregion box " + region +
             "\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\npair_style zero 8.0\npair_coeff * *\n");
}

void expect_perfect(LammpsSession &s)
{
  s.commands("compute s all vacancy/sites\ncompute re all re/atom s\nrun 0 post no");
  auto v = s.compute_vector("s");
  const double natoms = s.equal("atoms");
  EXPECT_EQ(v[0], 0) << "vacancies";
  EXPECT_EQ(v[1], 0) << "doubly occupied";
  EXPECT_EQ(v[2], natoms) << "sites";
  EXPECT_EQ(v[3], 0) << "atoms away from sites";
  EXPECT_EQ(s.compute_scalar("s"), 0);
  EXPECT_EQ(s.compute_scalar("re"), 0) << "migrating atoms";
  auto rs = s.compute_peratom("re", 2), idx = s.compute_peratom("re", 5), rv = s.compute_peratom("re", 3);
  for (auto &kv : rs) {
    EXPECT_LT(kv.second, 1e-9) << "atom " << kv.first;
    // create_atoms box and sites lattice visit the lattice in the same order: site index == atom ID
    EXPECT_EQ(idx[kv.first], kv.first);
    EXPECT_EQ(rv[kv.first], 5.5) << "no vacancy: r_v at the cap";
  }
}

}    // namespace

// ---------------------------------------------------------------- perfect crystals

TEST(Sites, PerfectDiamond)
{
  LammpsSession s;
  setup_crystal(s, "lattice diamond 5.431", "block 0 3 0 3 0 3");
  expect_perfect(s);
}

TEST(Sites, PerfectFcc)
{
  LammpsSession s;
  setup_crystal(s, "lattice fcc 3.615", "block 0 4 0 3 0 3");
  expect_perfect(s);
}

TEST(Sites, PerfectBcc)
{
  LammpsSession s;
  setup_crystal(s, "lattice bcc 3.3", "block 0 4 0 4 0 5");
  expect_perfect(s);
}

TEST(Sites, PerfectDiamondTriclinic)
{
  LammpsSession s;
  setup_crystal(s, "lattice diamond 5.431", "prism 0 3 0 3 0 3 1 1 -1");
  expect_perfect(s);
}

TEST(Sites, PerfectBccTriclinicRotated)
{
  LammpsSession s;
  setup_crystal(s, "lattice bcc 3.3 orient x 1 1 0 orient y -1 1 0 orient z 0 0 1", "prism 0 4 0 4 0 3 2 0 0");
  expect_perfect(s);
}

TEST(Sites, NearestNeighbourSpacingReported)
{
  LammpsSession s;
  setup_crystal(s, "lattice diamond 5.431", "block 0 2 0 2 0 2");
  s.commands("compute s all vacancy/sites\nrun 0 post no");
  EXPECT_NE(s.output().find("64 sites, nearest-neighbour spacing 2.3517"), std::string::npos) << s.output();
}

// ---------------------------------------------------------------- point defects vs brute force

namespace {

// diamond 3x3x3 with 0.15 Å noise, then the defect commands; every output compared to brute force, for
// both migrating rules in the same run (re: default pairs any, rn: pairs neighbours). Returns the
// number of migrating atoms under {any, neighbours}.
std::array<int, 2> compare_with_brute_force(const std::string &defects, int expect_vac)
{
  LammpsSession s;
  setup_crystal(s, "lattice diamond 5.431", "block 0 3 0 3 0 3");
  s.commands("displace_atoms all random 0.15 0.15 0.15 4711 units box\n" + defects);
  s.commands("compute s all vacancy/sites\ncompute re all re/atom s\ncompute rn all re/atom s pairs neighbours\n"
             "run 0 post no");
  const int n[3] = {3, 3, 3};
  auto sites = cubic_sites(5.431, kDiamond, n);
  auto pos = positions(s);
  std::vector<Vec> atoms;
  std::vector<long> ids;
  for (auto &kv : pos) {
    ids.push_back(kv.first);
    atoms.push_back(kv.second);
  }
  const Vec L = {3 * 5.431, 3 * 5.431, 3 * 5.431};
  std::array<int, 2> nmig_rule = {0, 0};
  for (int rule = 0; rule < 2; ++rule) {
    const std::string id = rule == 0 ? "re" : "rn";
    auto ref = brute_force_sites(sites, atoms, L, 1.1, 0.75, 5.5, rule == 1);
    auto v = s.compute_vector("s");
    EXPECT_EQ(v[0], ref.nvac);
    EXPECT_EQ(v[1], ref.ndouble);
    EXPECT_EQ(v[2], 216);
    EXPECT_EQ(v[3], ref.nfar);
    EXPECT_EQ(ref.nvac, expect_vac);
    int nmig = 0;
    for (int c = 1; c <= 5; ++c) {
      auto col = s.compute_peratom(id, c);
      for (size_t k = 0; k < ids.size(); ++k) {
        EXPECT_NEAR(col[ids[k]], ref.atom[k][c - 1], 1e-9) << id << " column " << c << " atom " << ids[k];
        if (c == 1) nmig += static_cast<int>(ref.atom[k][0]);
      }
    }
    EXPECT_EQ(s.compute_scalar(id), nmig) << id;
    nmig_rule[rule] = nmig;
    // the local array lists exactly the vacancies: site index and position
    auto rows = s.compute_local("s");
    EXPECT_EQ(static_cast<int>(rows.size()), ref.nvac);
    for (auto &row : rows) {
      const int site = static_cast<int>(row[0]) - 1;
      EXPECT_GE(site, 0);
      if (site < 0) continue;
      EXPECT_EQ(ref.occupancy[site], 0);
      for (int d = 0; d < 3; ++d) EXPECT_NEAR(row[1 + d], sites[site][d], 1e-9);
    }
  }
  EXPECT_GE(nmig_rule[0], nmig_rule[1]) << "every atom migrating under pairs neighbours is migrating under any";
  return nmig_rule;
}

}    // namespace

TEST(Sites, OneVacancy)
{
  compare_with_brute_force("group gone id 37\ndelete_atoms group gone", 1);
}

TEST(Sites, FrenkelPair)
{
  // atom 37 leaves its site for a tetrahedral interstitial position (4 sites at 2.35 Å that are
  // second neighbours of each other): migrating under pairs any (the authors' labels), not under
  // pairs neighbours
  const auto nmig = compare_with_brute_force("set atom 37 x 8.146 y 8.146 z 8.146", 1);
  EXPECT_GE(nmig[0], 1);
}

TEST(Sites, TetrahedralInterstitialIsMigratingUnderPairsAnyOnly)
{
  // an exact tetrahedral site of a perfect diamond crystal: d1 = d2 = 2.3517 Å (four sites, second
  // neighbours of each other, 3.84 Å apart)
  LammpsSession s;
  setup_crystal(s, "lattice diamond 5.431", "block 0 3 0 3 0 3");
  s.commands("set atom 37 x 8.1465 y 8.1465 z 8.1465\ncompute s all vacancy/sites\n"
             "compute re all re/atom s\ncompute ra all re/atom s pairs any\ncompute rn all re/atom s pairs neighbours\n"
             "run 0 post no");
  EXPECT_EQ(s.compute_peratom("re", 1)[37], 1.0) << "default (pairs any)";
  EXPECT_EQ(s.compute_peratom("ra", 1)[37], 1.0) << "pairs any";
  EXPECT_EQ(s.compute_peratom("rn", 1)[37], 0.0) << "pairs neighbours";
  EXPECT_EQ(s.compute_scalar("re"), 1.0);
  EXPECT_EQ(s.compute_scalar("rn"), 0.0);
  EXPECT_EQ(s.compute_peratom("re", 4)[37], 0.0) << "a migrating atom is at r = 0 from itself";
  EXPECT_EQ(s.compute_peratom("rn", 4)[37], 5.5) << "no migrating atom: r at the cap";
  EXPECT_NEAR(s.compute_peratom("re", 2)[37], std::sqrt(3.0) / 4 * 5.431, 1e-6);
}

namespace {
// atom 1 sits at the origin, atom 5 at a/4 (1,1,1): nearest neighbours (create_atoms order)
std::string move_atom1_towards_5(double fraction)
{
  const std::string c = std::to_string(fraction * 5.431 / 4);
  return "set atom 1 x " + c + " y " + c + " z " + c;
}
}    // namespace

TEST(Sites, AtomMidwayBetweenNeighbourSitesIsMigrating)
{
  const auto nmig = compare_with_brute_force(move_atom1_towards_5(0.45), 0);
  EXPECT_GE(nmig[1], 1) << "between neighbouring sites: migrating under both rules";
}

TEST(Sites, VacancyWithHoppingNeighbour)
{
  // the paper's vacancy hop: atom 5 is gone, atom 1 is 55% of the way into its site
  const auto nmig = compare_with_brute_force("group gone id 5\ndelete_atoms group gone\n" + move_atom1_towards_5(0.55), 1);
  EXPECT_GE(nmig[1], 1);
}

TEST(Sites, ManyDefects)
{
  // two vacancies, a hop in progress, an interstitial and an atom pushed off its site
  compare_with_brute_force("group gone id 5 100\ndelete_atoms group gone\n" + move_atom1_towards_5(0.5) +
                               "\nset atom 150 x 8.146 y 8.146 z 8.146\ndisplace_atoms all random 0.3 0.3 0.3 77 units box",
                           3);
}

// ---------------------------------------------------------------- box deformation

TEST(Sites, FollowBoxDeformationAndShear)
{
  LammpsSession s;
  setup_crystal(s, "lattice fcc 3.615", "prism 0 4 0 4 0 4 0 0 0");
  s.commands("compute s all vacancy/sites\ncompute re all re/atom s\ncompute rsmax all reduce max c_re[2]\n"
             "fix nve all nve\n"
             "fix def all deform 1 x scale 1.08 y scale 0.95 xy final 3.0 remap x\n"
             "variable bad equal c_s+c_re+(c_rsmax>1e-6)\n"
             "fix watch all ave/time 1 1 1 v_bad mode scalar ave running\n"
             "thermo_style custom step c_s c_re c_rsmax f_watch\nthermo 10\nrun 100 post no");
  EXPECT_EQ(s.fix_scalar("watch"), 0.0) << "a perfect crystal stayed defect-free at every step";
  EXPECT_EQ(s.compute_vector("s")[2], 256);
}

TEST(Sites, PerfectCrystalUnderNptStaysDefectFree)
{
  LammpsSession s;
  setup_crystal(s, "lattice diamond 5.431", "block 0 3 0 3 0 3");
  s.commands("pair_style sw\npair_coeff * * Si.sw Si\ncomm_modify cutoff 7.5\n"
             "compute s all vacancy/sites\ncompute re all re/atom s\n"
             "velocity all create 600 12345 loop geom\n"
             "fix npt all npt temp 300 300 0.1 iso 20000 20000 0.5\ntimestep 0.001\n"
             "variable bad equal c_s+c_re\n"
             "fix watch all ave/time 1 1 1 v_bad mode scalar ave running\nrun 300 post no");
  EXPECT_EQ(s.fix_scalar("watch"), 0.0);
  EXPECT_GT(std::fabs(s.equal("vol") - std::pow(3 * 5.431, 3)), 1.0) << "the box did change";
}

// ---------------------------------------------------------------- restarts

TEST(Sites, RestartKeepsInitialSites)
{
  LammpsSession s;
  setup_crystal(s, "lattice diamond 5.431", "block 0 3 0 3 0 3");
  s.commands("compute s all vacancy/sites sites initial\nrun 0 post no");
  EXPECT_EQ(s.compute_scalar("s"), 0);
  s.commands("set atom 37 x 8.146 y 8.146 z 8.146\nrun 0 post no");
  EXPECT_EQ(s.compute_scalar("s"), 1);
  s.command("write_restart " + s.path("sites.restart"));
  s.clear();
  s.commands("read_restart " + s.path("sites.restart") +
             "\npair_style zero 8.0\npair_coeff * *\ncompute s all vacancy/sites sites initial\nrun 0 post no");
  // had the sites been captured again from the displaced atoms, there would be no vacancy
  EXPECT_EQ(s.compute_scalar("s"), 1);
  EXPECT_EQ(s.compute_vector("s")[3], 1) << "the interstitial is still away from every site";
}

TEST(Sites, RestartContinuesIdentically)
{
  const std::string md = "pair_style sw\npair_coeff * * Si.sw Si\ncomm_modify cutoff 7.5\nfix nve all nve\ntimestep 0.002\n";
  const std::string analysis = "compute s all vacancy/sites\ncompute re all re/atom s\n"
                               "compute sum all reduce sum c_re[2] c_re[3] c_re[4] c_re[5]\n";
  LammpsSession a;
  setup_crystal(a, "lattice diamond 5.431", "block 0 3 0 3 0 3");
  a.commands("group gone id 37\ndelete_atoms group gone\nvelocity all create 2500 999 loop geom\n" + md + analysis +
             "run 100 post no");
  a.command("write_restart " + a.path("md.restart"));
  a.commands("run 100 post no");
  auto va = a.compute_vector("sum");
  const double nvac_a = a.compute_scalar("s"), nmig_a = a.compute_scalar("re");

  a.clear();
  a.commands("read_restart " + a.path("md.restart") + "\n" + md + "lattice diamond 5.431\n" + analysis +
             "run 100 post no");
  auto vb = a.compute_vector("sum");
  EXPECT_EQ(a.compute_scalar("s"), nvac_a);
  EXPECT_EQ(a.compute_scalar("re"), nmig_a);
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(vb[k], va[k], 1e-9 * std::fabs(va[k])) << "sum of column " << k + 2;
}

// ---------------------------------------------------------------- site files

TEST(Sites, SiteFileEqualsLattice)
{
  LammpsSession s;
  setup_crystal(s, "lattice fcc 3.615", "block 0 3 0 3 0 3");
  std::ofstream f(s.path("fcc.sites"));
  f << "# fcc sites\n";
  const int n[3] = {3, 3, 3};
  for (auto &p : cubic_sites(3.615, kFcc, n)) f << p[0] << " " << p[1] << " " << p[2] << "\n";
  f.close();
  s.commands("group gone id 10 20\ndelete_atoms group gone\n"
             "compute a all vacancy/sites sites file " + s.path("fcc.sites") +
             "\ncompute b all vacancy/sites\nrun 0 post no");
  EXPECT_EQ(s.compute_vector("a"), s.compute_vector("b"));
  EXPECT_EQ(s.compute_scalar("a"), 2);
}

// ---------------------------------------------------------------- dynamic group / mask use

TEST(Sites, DrivesDynamicGroupDumpAndReduce)
{
  LammpsSession s;
  setup_crystal(s, "lattice diamond 5.431", "block 0 3 0 3 0 3");
  s.commands(move_atom1_towards_5(0.45) +
             "\ncompute s all vacancy/sites\ncompute re all re/atom s\n"
             "variable m atom c_re[1]\ngroup mig dynamic all var m every 1\n"
             "variable nmig equal count(mig)\ncompute nm all reduce sum c_re[1]\n"
             "dump d mig custom 1 " + s.path("mig.dump") + " id c_re[1] c_re[2] c_re[5]\n"
             "thermo_style custom step v_nmig c_nm c_re\nrun 0 post no");
  EXPECT_EQ(s.compute_scalar("re"), 1);
  EXPECT_EQ(s.compute_scalar("nm"), 1);
  EXPECT_EQ(s.equal("count(mig)"), 1);
  s.command("undump d");
  std::string dump = read_file(s.path("mig.dump"));
  EXPECT_NE(dump.find("ITEM: NUMBER OF ATOMS\n1\n"), std::string::npos) << dump;
  EXPECT_NE(dump.find("\n1 1 "), std::string::npos) << dump;
}

// ---------------------------------------------------------------- bad input: one test per ERROR

namespace {
struct ErrorCase {
  const char *name;
  std::string setup;       // commands before the failing one (after a diamond crystal)
  std::string failing;     // the command(s) expected to fail
  std::string message;     // substring of the ERROR
};

void expect_error(const ErrorCase &c, const std::string &lattice = "lattice diamond 5.431")
{
  LammpsSession s;
  setup_crystal(s, lattice, "block 0 2 0 2 0 2");
  s.commands(c.setup);
  std::string err = s.error_of(c.failing);
  EXPECT_NE(err.find(c.message), std::string::npos) << c.name << ": got '" << err << "'";
  EXPECT_EQ(err.rfind("ERROR", 0), 0u) << c.name << ": " << err;
}
}    // namespace

TEST(SitesErrors, VacancySites)
{
  const std::string dir = make_temp_dir("sites-errors");
  {
    std::ofstream(dir + "/empty.sites") << "# nothing here\n\n";
    std::ofstream(dir + "/bad.sites") << "0 0 0\n1.0 2.0\n";
    std::ofstream(dir + "/outside.sites") << "0 0 0\n1 1 50\n";
    // the 64 diamond sites of the 2x2x2 box with one of them listed twice (as site 65, 1e-9 from
    // site 3), or all of them twice, or with a 65th site 0.4 from site 1; one site alone
    std::ofstream dup(dir + "/dup.sites"), all2(dir + "/all2.sites"), one(dir + "/one.sites"),
        near(dir + "/near.sites");
    for (auto *f : {&dup, &all2, &near}) f->precision(17);
    std::vector<Vec> sites;
    for (int k = 0; k < 2; ++k)
      for (int j = 0; j < 2; ++j)
        for (int i = 0; i < 2; ++i)
          for (const Vec &b : kDiamond) sites.push_back({5.431 * (i + b[0]), 5.431 * (j + b[1]), 5.431 * (k + b[2])});
    for (const Vec &p : sites) dup << p[0] << " " << p[1] << " " << p[2] << "\n";
    dup << sites[2][0] << " " << sites[2][1] << " " << sites[2][2] + 1e-9 << "\n";
    for (int r = 0; r < 2; ++r)
      for (const Vec &p : sites) all2 << p[0] << " " << p[1] << " " << p[2] << "\n";
    one << "1 1 1\n";
    for (const Vec &p : sites) near << p[0] << " " << p[1] << " " << p[2] << "\n";
    near << sites[0][0] + 0.4 << " " << sites[0][1] << " " << sites[0][2] << "\n";
  }
  std::vector<ErrorCase> cases = {
      {"no value", "", "compute s all vacancy/sites rvac", "'rvac' needs a value"},
      {"rvac zero", "", "compute s all vacancy/sites rvac 0", "rvac must be > 0 (got 0)"},
      {"rvac negative", "", "compute s all vacancy/sites rvac -1.0", "rvac must be > 0"},
      {"unknown keyword", "", "compute s all vacancy/sites cutoff 3", "unknown keyword 'cutoff'"},
      {"unknown source", "", "compute s all vacancy/sites sites voronoi", "unknown site source 'voronoi'"},
      {"file without name", "", "compute s all vacancy/sites sites file", "'sites file' needs a file name"},
      {"unreadable file", "", "compute s all vacancy/sites sites file " + dir + "/missing.sites",
       "cannot open site file '" + dir + "/missing.sites'"},
      {"empty file", "", "compute s all vacancy/sites sites file " + dir + "/empty.sites", "contains no sites"},
      {"malformed file", "", "compute s all vacancy/sites sites file " + dir + "/bad.sites",
       "line 2: expected 'x y z', found 2 values"},
      {"site outside", "", "compute s all vacancy/sites sites file " + dir + "/outside.sites",
       "site 2 of " + dir + "/outside.sites at (1, 1, 50) is outside the box"},
      {"rvac beyond ghost cutoff", "neighbor 0.5 bin\npair_style zero 1.0\npair_coeff * *\n",
       "compute s all vacancy/sites\nrun 0 post no",
       "rvac (1.1) plus the neighbor skin (0.5) exceeds the ghost-atom cutoff (1.5); use 'comm_modify cutoff 1.6'"},
      {"rvac larger than site spacing", "", "compute s all vacancy/sites rvac 2.5\nrun 0 post no",
       "rvac (2.5) must be smaller than the nearest-neighbour site spacing (2.3517)"},
      {"duplicated site", "", "compute s all vacancy/sites sites file " + dir + "/dup.sites\nrun 0 post no",
       "sites 3 and 65 of the site file are 1e-09 apart, duplicates (rvac = 1.1)"},
      {"every site twice", "", "compute s all vacancy/sites sites file " + dir + "/all2.sites\nrun 0 post no",
       "of the site file are 0 apart, duplicates"},
      {"single site", "", "compute s all vacancy/sites sites file " + dir + "/one.sites\nrun 0 post no",
       "1 static site; the analysis needs at least 2"},
      {"sites closer than rvac", "", "compute s all vacancy/sites sites file " + dir + "/near.sites\nrun 0 post no",
       "sites 1 and 65 of the site file are 0.4 apart, closer than rvac (rvac = 1.1)"},
      {"overlapping atoms as initial sites", "create_atoms 1 single 0.001 0 0\n",
       "compute s all vacancy/sites sites initial\nrun 0 post no",
       "the initial sites of atoms 1 and 65 are 0.005431 apart, closer than rvac (rvac = 1.1)"},
  };
  for (auto &c : cases) expect_error(c);
}

TEST(SitesErrors, NoLattice)
{
  LammpsSession s;
  s.commands("units metal\nregion box block 0 10 0 10 0 10 units box\ncreate_box 1 box\n");
  std::string err = s.error_of("compute s all vacancy/sites");
  EXPECT_NE(err.find("'sites lattice' needs a lattice, but no lattice command was given"), std::string::npos) << err;
}

TEST(SitesErrors, ShrinkWrap)
{
  LammpsSession s;
  s.commands("units metal\nboundary p p s\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\ncreate_box 1 box\n");
  std::string err = s.error_of("compute s all vacancy/sites");
  EXPECT_NE(err.find("shrink-wrapped boundaries are not supported"), std::string::npos) << err;
}

TEST(SitesErrors, ReAtom)
{
  std::vector<ErrorCase> cases = {
      {"missing id", "", "compute re all re/atom", "missing the ID of a compute vacancy/sites"},
      {"unknown id", "", "compute re all re/atom nosuch\nrun 0 post no",
       "compute vacancy/sites ID 'nosuch' does not exist"},
      {"wrong style", "compute ke all ke/atom\n", "compute re all re/atom ke\nrun 0 post no",
       "compute ke is a compute ke/atom, not a compute vacancy/sites"},
      {"dre zero", "compute s all vacancy/sites\n", "compute re all re/atom s dre 0", "dre must be > 0 (got 0)"},
      {"rmax negative", "compute s all vacancy/sites\n", "compute re all re/atom s rmax -2", "rmax must be > 0"},
      {"rmax no value", "compute s all vacancy/sites\n", "compute re all re/atom s rmax", "'rmax' needs a value"},
      {"unknown keyword", "compute s all vacancy/sites\n", "compute re all re/atom s rvac 1",
       "unknown keyword 'rvac'"},
      {"pairs bad value", "compute s all vacancy/sites\n", "compute re all re/atom s pairs neighbors",
       "compute re/atom: pairs must be any or neighbours (got 'neighbors')"},
      {"pairs number", "compute s all vacancy/sites\n", "compute re all re/atom s pairs 1",
       "compute re/atom: pairs must be any or neighbours (got '1')"},
      {"pairs no value", "compute s all vacancy/sites\n", "compute re all re/atom s pairs",
       "compute re/atom: 'pairs' needs a value (any or neighbours)"},
      {"rmax beyond ghost cutoff", "pair_style sw\npair_coeff * * Si.sw Si\ncompute s all vacancy/sites\n",
       "compute re all re/atom s\nrun 0 post no",
       "rmax (5.5) plus the neighbor skin (2) exceeds the ghost-atom cutoff (5.77118); use 'comm_modify cutoff 7.5'"},
  };
  for (auto &c : cases) expect_error(c);
}
