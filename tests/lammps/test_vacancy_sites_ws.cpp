// compute vacancy/sites, Wigner-Seitz analysis and clusters on configurations whose answer is known by
// hand (issue 13 part 3): a perfect crystal, one Frenkel pair made by moving an atom, a di-vacancy,
// migrating atoms in clusters under `pairs any` and `pairs neighbours`, the cluster distance of
// `cluster auto`, and the ERRORs of bad keyword values and combinations.
// (Random damage against a brute-force reference at np 1/2/4: test_defect_clusters.cpp.)
#include "lammps_session.h"

#include "atom.h"
#include "lammps.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

using namespace reval::test;

namespace {

constexpr double kA = 5.431;

void diamond(LammpsSession &s, int n = 3)
{
  const std::string N = std::to_string(n);
  s.commands("units metal\natom_style atomic\natom_modify map array\nboundary p p p\nlattice diamond 5.431\n"
             "region box block 0 " + N + " 0 " + N + " 0 " + N + "\ncreate_box 1 box\ncreate_atoms 1 box\n"
             "mass 1 28.0855\npair_style zero 8.0\npair_coeff * *\n");
}

// position (Å) of lattice coordinates u (in units of a)
std::string at(double ux, double uy, double uz)
{
  return std::to_string(ux * kA) + " " + std::to_string(uy * kA) + " " + std::to_string(uz * kA);
}

// moves the atom sitting at lattice position u (units of a) to Cartesian x y z (Å)
void move_atom_at(LammpsSession &s, double ux, double uy, double uz, const double x[3])
{
  s.commands("region here sphere " + at(ux, uy, uz) + " 0.1 units box\ngroup here region here\n"
             "set group here x " + std::to_string(x[0]) + " y " + std::to_string(x[1]) + " z " + std::to_string(x[2]) +
             "\ngroup here delete\nregion here delete\n");
}

// a point 0.3 Å from the tetrahedral interstitial site T = (1.5, 1.5, 1.5) a towards the lattice site
// (1.25, 1.25, 1.25) a: nearest site at 2.052 Å, second nearest (a second neighbour of the first, 3.84 Å
// apart) at 2.468 Å, so d2 - d1 = 0.42 < dre = 0.75
void near_tetrahedral_site(double x[3])
{
  for (int d = 0; d < 3; ++d) x[d] = std::stod(std::to_string(1.5 * kA - 0.3 / std::sqrt(3.0)));    // as set gets it
}

}    // namespace

TEST(VacancySitesWS, PerfectCrystalHasNoDefects)
{
  LammpsSession s;
  diamond(s);
  s.commands("compute s all vacancy/sites local clusters\nrun 0 post no");
  const auto v = s.compute_vector("s");
  ASSERT_EQ(v.size(), 10u);
  EXPECT_EQ(v[2], 216);
  for (int k : {0, 1, 3, 4, 5, 6, 7, 8, 9}) EXPECT_EQ(v[k], 0) << "entry " << k + 1;
  const auto h = s.compute_array("s");
  ASSERT_EQ(h.size(), 10u);
  for (size_t k = 0; k < h.size(); ++k) {
    EXPECT_EQ(h[k][0], k + 1.0);
    EXPECT_EQ(h[k][1], 0.0);
  }
  EXPECT_TRUE(s.compute_local("s").empty());
  // cluster auto: 1.1 x the second-neighbour spacing a / sqrt(2) of diamond
  EXPECT_NE(s.output().find("second-neighbour site spacing 3.8403, cluster distance 4.2243"), std::string::npos)
      << s.output();
}

TEST(VacancySitesWS, OneFrenkelPairMadeByMovingAnAtom)
{
  LammpsSession s;
  diamond(s);
  double x[3];
  near_tetrahedral_site(x);
  move_atom_at(s, 0, 0, 0, x);    // the atom of site 1 (create_atoms order) to near T, far from site 1
  s.commands("compute s all vacancy/sites histo 3 local clusters\n"
             "compute m all vacancy/sites histo 3 local clusters cluster/migrating yes\n"
             "compute n all vacancy/sites histo 3 local clusters cluster/migrating yes pairs neighbours\n"
             "compute tight all vacancy/sites cluster 2.0 cluster/migrating yes dre 0.3 local clusters\n"
             "run 0 post no");
  const auto v = s.compute_vector("s");
  // rvac rule: site 1 empty, the moved atom 2.05 Å from every site; WS: site 1 empty, the site at
  // (1.25, 1.25, 1.25) a holds two atoms
  EXPECT_EQ(v[0], 1);
  EXPECT_EQ(v[1], 0);
  EXPECT_EQ(v[3], 1);
  EXPECT_EQ(v[4], 1) << "WS vacancies";
  EXPECT_EQ(v[5], 1) << "WS interstitials";
  EXPECT_EQ(v[6], 1) << "Frenkel pairs";
  EXPECT_EQ(v[7], 2) << "the vacancy and the interstitial are 11.8 Å apart: two clusters";
  EXPECT_EQ(v[8], 1);
  auto h = s.compute_array("s");
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0][1], 2);
  EXPECT_EQ(h[1][1], 0);
  EXPECT_EQ(h[2][1], 0);
  auto loc = s.compute_local("s");
  ASSERT_EQ(loc.size(), 2u);
  ASSERT_EQ(loc[0].size(), 8u);
  // cluster 1: the vacancy at site 1 (smallest key), at the box corner
  EXPECT_EQ(loc[0][0], 1);
  EXPECT_EQ(loc[0][1], 1);
  EXPECT_EQ(loc[0][2], 1);
  EXPECT_EQ(loc[0][3], 0);
  EXPECT_EQ(loc[0][4], 0);
  for (int d = 0; d < 3; ++d) EXPECT_NEAR(loc[0][5 + d], 0.0, 1e-9);
  // cluster 2: the doubly occupied site (1.25, 1.25, 1.25) a
  EXPECT_EQ(loc[1][0], 2);
  EXPECT_EQ(loc[1][1], 1);
  EXPECT_EQ(loc[1][2], 0);
  EXPECT_EQ(loc[1][3], 1);
  EXPECT_EQ(loc[1][4], 0);
  for (int d = 0; d < 3; ++d) EXPECT_NEAR(loc[1][5 + d], 1.25 * kA, 1e-9);

  // the moved atom is migrating under pairs any (its two nearest sites are second neighbours): it
  // joins the interstitial's cluster, centre = mean of the site and the atom
  const auto vm = s.compute_vector("m");
  EXPECT_EQ(vm[4], 1);
  EXPECT_EQ(vm[5], 1);
  EXPECT_EQ(vm[6], 1);
  EXPECT_EQ(vm[7], 2);
  EXPECT_EQ(vm[8], 2);
  h = s.compute_array("m");
  EXPECT_EQ(h[0][1], 1);
  EXPECT_EQ(h[1][1], 1);
  loc = s.compute_local("m");
  ASSERT_EQ(loc.size(), 2u);
  EXPECT_EQ(loc[1][1], 2);
  EXPECT_EQ(loc[1][3], 1);
  EXPECT_EQ(loc[1][4], 1);
  for (int d = 0; d < 3; ++d) EXPECT_NEAR(loc[1][5 + d], 0.5 * (1.25 * kA + x[d]), 1e-9);
  // ... and not under pairs neighbours
  const auto vn = s.compute_vector("n");
  EXPECT_EQ(vn[7], 2);
  EXPECT_EQ(vn[8], 1);
  // dre 0.3 < d2 - d1: not migrating; cluster 2.0 < the 2.05 Å to the site: nothing joins anyway
  const auto vt = s.compute_vector("tight");
  EXPECT_EQ(vt[7], 2);
  EXPECT_EQ(vt[8], 1);
  EXPECT_EQ(s.compute_local("tight")[1][4], 0);
}

TEST(VacancySitesWS, DivacancyIsOneClusterOfTwo)
{
  LammpsSession s;
  diamond(s);
  // sites 1 (0, 0, 0) and its nearest neighbour (1/4, 1/4, 1/4) a, 2.35 Å apart, across nothing;
  // and a third vacancy at (1.5, 1.5, 1) a, far from both
  s.commands("region a sphere " + at(0, 0, 0) + " 0.1 units box\nregion b sphere " + at(0.25, 0.25, 0.25) +
             " 0.1 units box\nregion c sphere " + at(1.5, 1.5, 1.0) + " 0.1 units box\n"
             "delete_atoms region a\ndelete_atoms region b\ndelete_atoms region c\n"
             "compute s all vacancy/sites local clusters histo 2\ncompute no all vacancy/sites cluster no\n"
             "run 0 post no");
  const auto v = s.compute_vector("s");
  EXPECT_EQ(v[0], 3);
  EXPECT_EQ(v[4], 3);
  EXPECT_EQ(v[5], 0);
  EXPECT_EQ(v[6], 0) << "no interstitial, no Frenkel pair";
  EXPECT_EQ(v[7], 2);
  EXPECT_EQ(v[8], 2);
  const auto h = s.compute_array("s");
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0][1], 1);
  EXPECT_EQ(h[1][1], 1);
  const auto loc = s.compute_local("s");
  ASSERT_EQ(loc.size(), 2u);
  EXPECT_EQ(loc[0][1], 2);
  EXPECT_EQ(loc[0][2], 2);
  for (int d = 0; d < 3; ++d) EXPECT_NEAR(loc[0][5 + d], 0.125 * kA, 1e-9);
  EXPECT_EQ(loc[1][1], 1);
  EXPECT_NEAR(loc[1][5], 1.5 * kA, 1e-9);
  EXPECT_NEAR(loc[1][7], 1.0 * kA, 1e-9);
  // cluster no: WS counts as before, cluster outputs 0
  const auto vn = s.compute_vector("no");
  EXPECT_EQ(vn[4], 3);
  EXPECT_EQ(vn[7], 0);
  EXPECT_EQ(vn[8], 0);
  for (const auto &row : s.compute_array("no")) EXPECT_EQ(row[1], 0);
}

TEST(VacancySitesWS, ClusterAcrossThePeriodicBoundary)
{
  LammpsSession s;
  diamond(s);
  // site 1 at the corner and its neighbour at (-1/4, -1/4, 1/4) a = (2.75, 2.75, 0.25) a: one
  // di-vacancy across the x and y boundaries, centre (-1/8, -1/8, 1/8) a wrapped into the box
  s.commands("region a sphere " + at(0, 0, 0) + " 0.1 units box\nregion b sphere " + at(2.75, 2.75, 0.25) +
             " 0.1 units box\ndelete_atoms region a\ndelete_atoms region b\n"
             "compute s all vacancy/sites local clusters\nrun 0 post no");
  const auto v = s.compute_vector("s");
  EXPECT_EQ(v[4], 2);
  EXPECT_EQ(v[7], 1);
  EXPECT_EQ(v[8], 2);
  const auto loc = s.compute_local("s");
  ASSERT_EQ(loc.size(), 1u);
  EXPECT_NEAR(loc[0][5], (3 - 0.125) * kA, 1e-9);
  EXPECT_NEAR(loc[0][6], (3 - 0.125) * kA, 1e-9);
  EXPECT_NEAR(loc[0][7], 0.125 * kA, 1e-9);
}

TEST(VacancySitesWS, AtomsFarFromEverySiteAreAssignedToNone)
{
  // sites only in a slab z < 1.2 a of a 3x3x5 box, atoms everywhere: atoms near z = 3.1 a are more than
  // 5.5 Å (the search cap) from every site (periodic images included). The Wigner-Seitz rule assigns them
  // to no site (vector[10]: sputtered atoms, atoms in a vacuum); every output stays usable, the vector
  // through thermo too (it once stopped the run with an ERROR)
  LammpsSession s;
  s.commands("units metal\natom_style atomic\natom_modify map array\nboundary p p p\nlattice diamond 5.431\n"
             "region box block 0 3 0 3 0 5\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\n"
             "pair_style zero 8.0\npair_coeff * *\n");
  const std::string file = s.path("slab.sites");
  std::vector<std::array<double, 3>> sites;
  {
    const double basis[8][3] = {{0, 0, 0},       {0, 0.5, 0.5},     {0.5, 0, 0.5},     {0.5, 0.5, 0},
                                {0.25, 0.25, 0.25}, {0.25, 0.75, 0.75}, {0.75, 0.25, 0.75}, {0.75, 0.75, 0.25}};
    FILE *f = fopen(file.c_str(), "w");
    for (int k = 0; k < 2; ++k)
      for (int j = 0; j < 3; ++j)
        for (int i = 0; i < 3; ++i)
          for (const auto &b : basis)
            if (k + b[2] < 1.2) {
              sites.push_back({(i + b[0]) * kA, (j + b[1]) * kA, (k + b[2]) * kA});
              fprintf(f, "%.10g %.10g %.10g\n", sites.back()[0], sites.back()[1], sites.back()[2]);
            }
    fclose(f);
  }
  s.commands("compute s all vacancy/sites sites file " + file + "\nthermo_style custom step c_s c_s[1] c_s[4] c_s[5] "
             "c_s[6] c_s[10]\nrun 0 post no");
  // brute force: the atoms farther than 5.5 Å from every site, under the periodic minimum image
  const double L[3] = {3 * kA, 3 * kA, 5 * kA};
  int natoms = 0, far = 0;
  auto *atom = s.lmp()->atom;
  for (int i = 0; i < atom->nlocal; ++i) {
    const double *a = atom->x[i];
    ++natoms;
    double best = 1e300;
    for (const auto &p : sites) {
      double r2 = 0.0;
      for (int d = 0; d < 3; ++d) {
        double dx = a[d] - p[d];
        dx -= L[d] * std::round(dx / L[d]);
        r2 += dx * dx;
      }
      best = std::min(best, r2);
    }
    far += best >= 5.5 * 5.5;
  }
  ASSERT_GT(far, 0);
  ASSERT_GT(natoms - far, static_cast<int>(sites.size())) << "atoms off the sites within reach of them";
  const auto v = s.compute_vector("s");
  ASSERT_EQ(v.size(), 10u);
  EXPECT_EQ(v[0], 0) << "every site keeps its atom (rvac rule)";
  EXPECT_EQ(v[9], far) << "atoms assigned to no site";
  EXPECT_EQ(v[4], 0) << "WS vacancies";
  EXPECT_EQ(v[5], natoms - far - static_cast<int>(sites.size())) << "WS interstitials: the assigned atoms beyond one per site";
  EXPECT_EQ(v[6], 0) << "Frenkel pairs";
  EXPECT_EQ(s.equal("c_s[10]"), far);
}

TEST(VacancySitesWS, KeywordErrors)
{
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {"cluster", "'cluster' needs no, auto or a distance"},
      {"cluster 0", "cluster must be no, auto or a distance > 0 (got '0')"},
      {"cluster -3", "cluster must be no, auto or a distance > 0 (got '-3')"},
      {"cluster inf", "cluster must be no, auto or a distance > 0 (got 'inf')"},
      {"cluster 4A", "cluster must be no, auto or a distance > 0 (got '4A')"},
      {"cluster/migrating", "'cluster/migrating' needs yes or no"},
      {"cluster/migrating 1", "cluster/migrating must be yes or no (got '1')"},
      {"dre 0 cluster/migrating yes", "dre must be a number > 0 (got '0')"},
      {"dre x cluster/migrating yes", "dre must be a number > 0 (got 'x')"},
      {"dre", "'dre' needs a value"},
      {"pairs all cluster/migrating yes", "pairs must be any or neighbours (got 'all')"},
      {"pairs", "'pairs' needs any or neighbours"},
      {"histo 0", "histo must be an integer from 1 to 1000000 (got '0')"},
      {"histo 3.5", "histo must be an integer from 1 to 1000000 (got '3.5')"},
      {"histo", "'histo' needs a number of rows"},
      {"local sites", "local must be vacancies or clusters (got 'sites')"},
      {"local", "'local' needs vacancies or clusters"},
      {"cluster no cluster/migrating yes",
       "cluster/migrating yes needs a cluster analysis (cluster auto or cluster D), not cluster no"},
      {"cluster/migrating yes cluster no", "cluster/migrating yes needs a cluster analysis"},
      {"dre 0.5", "dre applies to migrating atoms in clusters only; it needs cluster/migrating yes"},
      {"pairs neighbours cluster/migrating no", "pairs applies to migrating atoms in clusters only"},
      {"cluster 200", "cluster analysis: "},    // more than 16 box thicknesses
  };
  for (const auto &c : cases) {
    LammpsSession s;
    diamond(s, 2);
    s.commands("region a sphere " + at(0, 0, 0) + " 0.1 units box\ndelete_atoms region a\n");
    const std::string err = s.error_of("compute s all vacancy/sites " + c.args + "\n"
                                       "thermo_style custom step c_s[8]\nrun 0 post no");
    EXPECT_EQ(err.rfind("ERROR", 0), 0u) << c.args << ": " << err;
    EXPECT_NE(err.find("compute vacancy/sites: " + c.message), std::string::npos) << c.args << ": got '" << err << "'";
  }
  // valid combinations
  LammpsSession s;
  diamond(s, 2);
  s.commands("compute a all vacancy/sites cluster no histo 4 local clusters\n"
             "compute b all vacancy/sites cluster 3.0 cluster/migrating yes dre 0.5 pairs neighbours histo 1\n"
             "compute c all vacancy/sites cluster auto cluster/migrating no local vacancies\nrun 0 post no");
  EXPECT_EQ(s.compute_vector("a")[7], 0);
  EXPECT_EQ(s.compute_array("b").size(), 1u);
  EXPECT_EQ(s.compute_vector("c")[4], 0);
}

TEST(VacancySitesWS, InitialSitesAcrossRestartWithCreatedAndDeletedAtoms)
{
  // atoms created after the capture are not sites (they inherit a stale store row: dropped with a note);
  // sites of atoms deleted since the capture cannot be restored: an ERROR, never fewer sites
  LammpsSession s;
  diamond(s);
  s.commands("compute s all vacancy/sites sites initial local clusters\nrun 0 post no\n"
             "create_atoms 1 single 1.5 1.5 1.5\nrun 0 post no");
  EXPECT_EQ(s.compute_vector("s")[5], 1) << "one WS interstitial";
  const auto before = s.compute_vector("s");
  s.command("write_restart " + s.path("created.restart"));
  s.clear();
  s.commands("read_restart " + s.path("created.restart") +
             "\npair_style zero 8.0\npair_coeff * *\ncompute s all vacancy/sites sites initial local clusters\n"
             "run 0 post no");
  EXPECT_EQ(s.compute_vector("s"), before) << "216 sites, the created atom is no site";

  // delete_atoms moves the last atom into the freed slot; the atom created next inherits the stale copy
  // of that atom's row: dropped at the restart, where the deleted atom's site is missing -> ERROR
  s.commands("group gone id 5\ndelete_atoms group gone\ncreate_atoms 1 single 0.5 0.5 0.5\nrun 0 post no");
  EXPECT_EQ(s.compute_vector("s")[2], 216) << "the same compute keeps the site of the deleted atom";
  EXPECT_EQ(s.compute_vector("s")[4], 1);
  s.command("write_restart " + s.path("deleted.restart"));
  s.clear();
  const std::string err = s.error_of("read_restart " + s.path("deleted.restart") +
                                     "\npair_style zero 8.0\npair_coeff * *\n"
                                     "compute s all vacancy/sites sites initial\nrun 0 post no");
  EXPECT_NE(err.find("compute vacancy/sites: 'sites initial': 1 of the 216 initial sites are gone"), std::string::npos)
      << err;
}
