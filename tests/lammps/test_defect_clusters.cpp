// compute vacancy/sites' Wigner-Seitz counts, Frenkel pairs and defect clusters (issue 13 part 3) in LAMMPS
// (in-process, one rank) against an independent brute-force reference (defect_cluster_reference.h):
// random damage in diamond Si (deleted atoms, tetrahedral and split interstitials, hops in progress,
// a vacancy cluster across the periodic corner), migrating atoms in clusters, `cluster no`, the histogram
// tail, box scaling (lamda sites), restarts with `sites initial`, and bad keyword values.
#include "defect_cluster_reference.h"
#include "lammps_session.h"

#include "atom.h"
#include "fix.h"
#include "lammps.h"
#include "modify.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

using namespace reval::test;

namespace {

std::vector<std::pair<long, Vec3d>> atom_positions(LammpsSession &s)
{
  std::vector<std::pair<long, Vec3d>> out;
  auto *atom = s.lmp()->atom;
  for (int i = 0; i < atom->nlocal; ++i) out.push_back({atom->tag[i], {atom->x[i][0], atom->x[i][1], atom->x[i][2]}});
  return out;
}

void read_damage(LammpsSession &s, const DamagedCrystal &c)
{
  const std::string data = s.path("damage.data");
  write_data_file(c, data);
  s.commands("units metal\natom_style atomic\nboundary p p p\nread_data " + data +
             "\nlattice diamond 5.431\npair_style zero 8.0\npair_coeff * *\n");
}

/// compute `id`'s global vector (10), histogram array and local cluster table against the reference
void expect_matches(LammpsSession &s, const std::string &id, const DefectReference &ref, double L, bool clusters = true,
                    const std::string &what = "")
{
  SCOPED_TRACE(what);
  const auto v = s.compute_vector(id);
  ASSERT_EQ(v.size(), 10u);
  EXPECT_EQ(v[4], ref.ws_vac) << "WS vacancies";
  EXPECT_EQ(v[9], ref.unassigned) << "atoms without a site within the cap";
  EXPECT_EQ(v[5], ref.ws_int) << "WS interstitials";
  EXPECT_EQ(v[6], ref.frenkel) << "Frenkel pairs";
  EXPECT_EQ(v[7], clusters ? static_cast<double>(ref.clusters.size()) : 0.0) << "clusters";
  EXPECT_EQ(v[8], clusters ? ref.largest : 0) << "largest cluster";
  const auto h = s.compute_array(id);
  ASSERT_EQ(h.size(), ref.histo.size());
  for (size_t k = 0; k < h.size(); ++k) {
    ASSERT_EQ(h[k].size(), 2u);
    EXPECT_EQ(h[k][0], k + 1.0);
    EXPECT_EQ(h[k][1], clusters ? ref.histo[k] : 0) << "histogram row " << k + 1;
  }
  if (!clusters) return;
  auto loc = s.compute_local(id);
  ASSERT_EQ(loc.size(), ref.clusters.size());
  std::sort(loc.begin(), loc.end());
  for (size_t q = 0; q < loc.size(); ++q) {
    const auto &row = loc[q];
    const auto &rc = ref.clusters[q];
    ASSERT_EQ(row.size(), 8u);
    EXPECT_EQ(row[0], rc.id);
    EXPECT_EQ(row[1], rc.size) << "cluster " << rc.id;
    EXPECT_EQ(row[2], rc.vac) << "cluster " << rc.id;
    EXPECT_EQ(row[3], rc.inter) << "cluster " << rc.id;
    EXPECT_EQ(row[4], rc.mig) << "cluster " << rc.id;
    EXPECT_LT(periodic_distance({row[5], row[6], row[7]}, rc.centre, L), 1e-8) << "centre of cluster " << rc.id;
  }
}

}    // namespace

TEST(DefectClusters, WignerSeitzAndClustersMatchBruteForce)
{
  for (unsigned seed : {1u, 2u, 3u}) {
    const auto c = make_damage(seed, DamageSpec{});
    const auto ref = defect_reference(c.sites, c.atoms, 0.0, c.L(), 3.9, 6);
    ASSERT_GT(ref.clusters.size(), 20u);
    ASSERT_GE(ref.largest, 5) << "the corner cluster";
    ASSERT_GT(ref.histo[5], 0) << "the histogram tail (size >= 6) is used";
    LammpsSession s;
    read_damage(s, c);
    s.commands("compute s all vacancy/sites cluster 3.9 histo 6 local clusters\nrun 0 post no");
    expect_matches(s, "s", ref, c.L(), true, "seed " + std::to_string(seed));
    // the rvac columns are still there: 4096 sites
    EXPECT_EQ(s.compute_vector("s")[2], 4096);
  }
}

TEST(DefectClusters, MigratingAtomsJoinClustersOnRequest)
{
  DamageSpec spec;
  spec.hops = 20;
  const auto c = make_damage(7, spec);
  const auto with = defect_reference(c.sites, c.atoms, 0.0, c.L(), 3.9, 8, true, 0.75);
  const auto without = defect_reference(c.sites, c.atoms, 0.0, c.L(), 3.9, 8, false);
  ASSERT_GE(with.migrating, 15);
  ASSERT_NE(with.clusters.size(), without.clusters.size());
  LammpsSession s;
  read_damage(s, c);
  s.commands("compute s all vacancy/sites cluster 3.9 histo 8 local clusters cluster/migrating yes dre 0.75 pairs any\n"
             "compute n all vacancy/sites cluster 3.9 histo 8 local clusters\nrun 0 post no");
  expect_matches(s, "s", with, c.L(), true, "cluster/migrating yes");
  expect_matches(s, "n", without, c.L(), true, "cluster/migrating no (default)");
}

TEST(DefectClusters, ClusterNoHistogramTailAndLocalVacancies)
{
  const auto c = make_damage(11, DamageSpec{});
  LammpsSession s;
  read_damage(s, c);
  s.commands("compute no all vacancy/sites cluster no histo 3 local clusters\n"
             "compute two all vacancy/sites cluster 3.9 histo 2 local clusters\n"
             "compute vac all vacancy/sites cluster 3.9\n"
             "compute auto all vacancy/sites local clusters\nrun 0 post no");
  // cluster auto (default): 1.1 x the second-neighbour site spacing, 1.1 a / sqrt(2) = 4.2244 A
  expect_matches(s, "auto", defect_reference(c.sites, c.atoms, 0.0, c.L(), 1.1 * 5.431 / std::sqrt(2.0), 10), c.L(), true,
                 "cluster auto");
  expect_matches(s, "no", defect_reference(c.sites, c.atoms, 0.0, c.L(), 0.0, 3), c.L(), false, "cluster no");
  EXPECT_TRUE(s.compute_local("no").empty());
  const auto ref2 = defect_reference(c.sites, c.atoms, 0.0, c.L(), 3.9, 2);
  expect_matches(s, "two", ref2, c.L(), true, "histo 2");
  EXPECT_EQ(ref2.histo[0] + ref2.histo[1], static_cast<long>(ref2.clusters.size()));
  // default local output: the vacancies (rvac rule), 4 columns, and a default histogram of 10 rows
  const auto loc = s.compute_local("vac");
  EXPECT_EQ(static_cast<double>(loc.size()), s.compute_vector("vac")[0]);
  if (!loc.empty()) {
    EXPECT_EQ(loc[0].size(), 4u);
  }
  EXPECT_EQ(s.compute_array("vac").size(), 10u);
}

TEST(DefectClusters, HistogramsThroughFixAveHistoAndFixAveTime)
{
  // the cluster sizes of the local table through fix ave/histo (kind local: the compute has global and
  // local outputs) and the histogram array through fix ave/time mode vector, as the doc page shows
  const auto c = make_damage(2, DamageSpec{});
  const auto ref = defect_reference(c.sites, c.atoms, 0.0, c.L(), 3.9, 6);
  LammpsSession s;
  read_damage(s, c);
  s.commands("compute s all vacancy/sites cluster 3.9 histo 6 local clusters\n"
             "fix sizes all ave/histo 1 1 1 0.5 6.5 6 c_s[2] mode vector kind local\n"
             "fix histo all ave/time 1 1 1 c_s[2] mode vector\nrun 0 post no");
  std::vector<long> sizes(6, 0);
  for (const auto &cl : ref.clusters)
    if (cl.size <= 6) ++sizes[cl.size - 1];
  long above = 0;
  for (const auto &cl : ref.clusters) above += cl.size > 6;
  ASSERT_GT(above, 0) << "clusters beyond the histogram's range";
  auto *modify = s.lmp()->modify;
  LAMMPS_NS::Fix *h = modify->fix[modify->find_fix("sizes")];
  for (int k = 0; k < 6; ++k) {
    EXPECT_EQ(h->compute_array(k, 1), sizes[k]) << "ave/histo bin " << k + 1;    // column 2: counts
    EXPECT_EQ(s.fix_vector("histo", k), ref.histo[k]) << "ave/time row " << k + 1;
  }
  EXPECT_EQ(h->compute_vector(1), above) << "ave/histo: values outside the range (beyond ignore)";
}

TEST(DefectClusters, ScaledBoxKeepsClustersOfLamdaSites)
{
  const auto c = make_damage(5, DamageSpec{});
  LammpsSession s;
  read_damage(s, c);
  s.commands("compute s all vacancy/sites cluster 3.9 histo 6 local clusters\nrun 0 post no\n"
             "change_box all x scale 1.01 y scale 1.01 z scale 1.01 remap\nrun 0 post no");
  // sites follow the box (lamda): the reference on the scaled crystal
  const double lo = s.equal("xlo"), L = s.equal("lx");
  ASSERT_NEAR(L, 1.01 * c.L(), 1e-9);
  ASSERT_NEAR(lo, -0.005 * c.L(), 1e-9) << "change_box scales about the box centre";
  std::vector<Vec3d> sites = c.sites;
  for (auto &p : sites)
    for (double &v : p) v = lo + 1.01 * v;
  const auto ref = defect_reference(sites, atom_positions(s), lo, L, 3.9, 6);
  expect_matches(s, "s", ref, L, true, "box scaled by 1.01");
}

// damage by LAMMPS commands after the capture of `sites initial`: atoms moved to tetrahedral sites and
// next to occupied sites (leaving vacancies), atoms added, every atom displaced; no atom deleted
const char *kMoveDamage = "set atom 77 x 8.1465 y 13.5775 z 19.0085\n"
                          "set atom 78 x 35.3015 y 8.1465 z 40.7325\n"
                          "set atom 1000 x 24.4395 y 40.7325 z 2.7155\n"
                          "set atom 2051 x 17.093 y 16.793 z 16.293\n"
                          "set atom 2300 x 0.3 y 42.9 z 0.4\n"
                          "set atom 4001 x 29.8705 y 29.8705 z 29.8705\n"
                          "create_atoms 1 single 2.7155 2.7155 2.7155 units box\n"
                          "create_atoms 1 single 13.5775 35.3015 13.5775 units box\n"
                          "displace_atoms all random 0.15 0.15 0.15 4711 units box\n";

TEST(DefectClusters, RestartWithInitialSites)
{
  // sites captured from the perfect crystal, damage made by LAMMPS commands, then a restart
  const auto perfect = make_damage(1, DamageSpec{0, 0, 0, 0, 0.0, false});
  LammpsSession s;
  read_damage(s, perfect);
  s.commands(std::string("compute s all vacancy/sites sites initial cluster 3.9 histo 5 local clusters\nrun 0 post no\n") +
             kMoveDamage + "run 0 post no");
  const auto ref = defect_reference(perfect.sites, atom_positions(s), 0.0, perfect.L(), 3.9, 5);
  ASSERT_GE(ref.ws_vac, 5);
  ASSERT_GE(ref.ws_int, 5);
  expect_matches(s, "s", ref, perfect.L(), true, "before the restart");
  const auto before = s.compute_local("s");
  s.command("write_restart " + s.path("damage.restart"));
  s.clear();
  s.commands("read_restart " + s.path("damage.restart") +
             "\npair_style zero 8.0\npair_coeff * *\n"
             "compute s all vacancy/sites sites initial cluster 3.9 histo 5 local clusters\nrun 0 post no");
  // had the sites been captured again from the damaged crystal, there would be no vacancy
  expect_matches(s, "s", ref, perfect.L(), true, "after the restart");
  auto after = s.compute_local("s");
  EXPECT_EQ(after, before);
}

TEST(DefectClusters, InitialSitesWithIdGapsKeepKeysApart)
{
  // 'sites initial' after delete_atoms ... compress no: 4086 sites whose indices (the atom IDs) reach
  // 4096. A migrating atom's key is the largest site index plus its ID: atom 1 on a tetrahedral site and
  // the vacancy of site 4087 (its atom moved away) once had the same key (number of sites + ID), an ERROR
  const auto perfect = make_damage(1, DamageSpec{0, 0, 0, 0, 0.0, false});
  LammpsSession s;
  read_damage(s, perfect);
  s.commands("group gone id 2:11\ndelete_atoms group gone compress no\n"
             "compute s all vacancy/sites sites initial cluster 3.9 histo 5 local clusters cluster/migrating yes\n"
             "run 0 post no");
  std::vector<Vec3d> sites;
  std::vector<long> keys;
  for (const auto &a : atom_positions(s)) {
    sites.push_back(a.second);
    keys.push_back(a.first);
  }
  ASSERT_EQ(sites.size(), 4086u);
  s.commands(std::string("set atom 1 x 8.1465 y 8.1465 z 8.1465\nset atom 4087 x 19.0085 y 19.0085 z 19.0085\n") +
             kMoveDamage + "run 0 post no");
  const auto ref = defect_reference(sites, atom_positions(s), RefBox::cube(0.0, perfect.L()), 3.9, 5, true, 0.75, keys);
  ASSERT_GE(ref.migrating, 3);
  ASSERT_GE(ref.ws_vac, 6) << "the moved atoms leave vacancies (the deleted atoms' positions are not sites)";
  expect_matches(s, "s", ref, perfect.L(), true, "IDs with gaps");
}

TEST(DefectClusters, RestartAfterDeletedAtomsIsAnError)
{
  // the initial sites live with their atoms: sites of atoms deleted before the restart cannot come back
  const auto perfect = make_damage(1, DamageSpec{0, 0, 0, 0, 0.0, false}, 4);
  LammpsSession s;
  read_damage(s, perfect);
  s.commands("compute s all vacancy/sites sites initial cluster 3.9 local clusters\nrun 0 post no\n"
             "group gone id 5 77 78\ndelete_atoms group gone\ncreate_atoms 1 single 2.7155 2.7155 2.7155 units box\n"
             "run 0 post no");
  EXPECT_EQ(s.compute_vector("s")[4], 3) << "within the run the sites of the deleted atoms are kept";
  s.command("write_restart " + s.path("deleted.restart"));
  s.clear();
  const std::string err = s.error_of("read_restart " + s.path("deleted.restart") +
                                     "\npair_style zero 8.0\npair_coeff * *\n"
                                     "compute s all vacancy/sites sites initial cluster 3.9 local clusters\nrun 0 post no");
  EXPECT_NE(err.find("compute vacancy/sites: 'sites initial'"), std::string::npos) << err;
  EXPECT_NE(err.find("3 of the 512 initial sites are gone"), std::string::npos) << err;
}

TEST(DefectClusters, BadValuesGiveErrors)
{
  const auto c = make_damage(1, DamageSpec{0, 0, 0, 0, 0.0, false}, 3);
  LammpsSession s;
  read_damage(s, c);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"cluster", "cluster"},          {"cluster -1", "cluster"},        {"cluster 0", "cluster"},
      {"cluster foo", "cluster"},        {"cluster nan", "cluster"},       {"histo 0", "histo"},
      {"histo 2.5", "histo"},            {"histo", "histo"},               {"local foo", "local"},
      {"local", "local"},                {"cluster/migrating maybe", "cluster/migrating"},
      {"dre -0.5", "dre"},               {"dre", "dre"},                    {"pairs foo", "pairs"}};
  for (auto &kv : cases) {
    const std::string err = s.error_of("compute bad all vacancy/sites " + kv.first);
    EXPECT_NE(err.find("compute vacancy/sites"), std::string::npos) << kv.first << ": " << err;
    EXPECT_NE(err.find(kv.second), std::string::npos) << kv.first << ": " << err;
    s.error_of("uncompute bad");
  }
}
