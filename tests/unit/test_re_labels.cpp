// core/re_labels: compute re/atom's migrating rule on training frames (reval-fit's re_fweight): lattice
// sites of (strained, rotated) supercells, the mid-hop and tetrahedral cases of science.md, and a
// brute-force minimum-image reference.
#include "core/error.h"
#include "core/re_labels.h"

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace {

constexpr double kA = 5.431;

reval::FitSites diamond()
{
  reval::FitSites s;
  s.kind = reval::FitSites::Kind::lattice;
  s.lattice = "diamond";
  s.a = kA;
  return s;
}

/// A 2x2x2 diamond supercell (cell rows = strain * 2a along x, y, z), atoms on the sites.
reval::XyzFrame crystal(const Eigen::Matrix3d &cell_rows)
{
  reval::XyzFrame f;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) f.cell[3 * r + c] = cell_rows(r, c);
  const auto sites = reval::frame_sites(f, diamond(), "test");
  for (size_t k = 0; k < sites.size(); k += 3) {
    f.species.push_back("Si");
    f.pos.insert(f.pos.end(), {sites[k], sites[k + 1], sites[k + 2]});
  }
  return f;
}

/// Brute force: nearest two sites by minimum image over 27 images, then the rule.
std::vector<int> brute_force(const reval::XyzFrame &f, const std::vector<double> &sites, double dre, bool any)
{
  Eigen::Matrix3d c;
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 3; ++k) c(k, r) = f.cell[3 * r + k];
  std::vector<int> out;
  const int ns = static_cast<int>(sites.size() / 3);
  double dnn = 0.0;
  auto mind = [&](const Eigen::Vector3d &a, const Eigen::Vector3d &b) {
    double best = 1e300;
    for (int i = -1; i <= 1; ++i)
      for (int j = -1; j <= 1; ++j)
        for (int k = -1; k <= 1; ++k) best = std::min(best, (a - b + c * Eigen::Vector3d(i, j, k)).norm());
    return best;
  };
  auto site = [&](int s) { return Eigen::Vector3d(sites[3 * s], sites[3 * s + 1], sites[3 * s + 2]); };
  // d_nn as compute vacancy/sites takes it: the mean over the sites of each one's nearest other site
  double sum = 0.0;
  for (int s = 0; s < ns; ++s) {
    double nearest = 1e300;
    for (int t = 0; t < ns; ++t)
      if (t != s) nearest = std::min(nearest, mind(site(s), site(t)));
    sum += nearest;
  }
  dnn = sum / ns;
  for (int i = 0; i < f.natoms(); ++i) {
    const Eigen::Vector3d x(f.pos[3 * i], f.pos[3 * i + 1], f.pos[3 * i + 2]);
    double d1 = 1e300, d2 = 1e300;
    int s1 = -1, s2 = -1;
    for (int s = 0; s < ns; ++s) {
      const double d = mind(x, site(s));
      if (d < d1) {
        d2 = d1, s2 = s1, d1 = d, s1 = s;
      } else if (d < d2) {
        d2 = d, s2 = s;
      }
    }
    const bool m = d2 < 5.5 && d2 - d1 < dre && (any || mind(site(s1), site(s2)) <= 1.1 * dnn);
    out.push_back(m ? 1 : 0);
  }
  return out;
}

}    // namespace

TEST(ReLabels, CrystalHasNoMigratingAtoms)
{
  reval::XyzFrame f = crystal(2 * kA * Eigen::Matrix3d::Identity());
  ASSERT_EQ(f.natoms(), 64);
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> u(-0.1, 0.1);
  for (double &v : f.pos) v += u(rng);
  const auto sites = reval::frame_sites(f, diamond(), "test");
  const auto l = reval::migrating_atoms(f, sites, 0.75, true);
  EXPECT_EQ(std::count(l.migrating.begin(), l.migrating.end(), 1), 0);
  EXPECT_NEAR(l.nn_distance, kA * std::sqrt(3.0) / 4.0, 1e-12);
}

TEST(ReLabels, MidHopAndTetrahedralAtoms)
{
  reval::XyzFrame f = crystal(2 * kA * Eigen::Matrix3d::Identity());
  // atom 0 halfway to its neighbour at (a/4, a/4, a/4): migrating under both rules
  for (int d = 0; d < 3; ++d) f.pos[d] = kA / 8.0 + 0.01 * d;
  // an interstitial at the tetrahedral site (a/2, a/2, a/2): 4 sites at 2.35 A, second neighbours of
  // each other (3.84 A): migrating under pairs any (the authors' labels), not under pairs neighbours
  f.species.push_back("Si");
  f.pos.insert(f.pos.end(), {kA / 2, kA / 2, kA / 2});
  const auto sites = reval::frame_sites(f, diamond(), "test");
  const auto any = reval::migrating_atoms(f, sites, 0.75, true).migrating;
  const auto nb = reval::migrating_atoms(f, sites, 0.75, false).migrating;
  EXPECT_EQ(any[0], 1);
  EXPECT_EQ(nb[0], 1);
  EXPECT_EQ(any[64], 1);
  EXPECT_EQ(nb[64], 0);
  EXPECT_EQ(std::count(any.begin(), any.end(), 1), 2);
}

TEST(ReLabels, RotatedStrainedFramesMatchBruteForce)
{
  std::mt19937 rng(4);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int trial = 0; trial < 4; ++trial) {
    Eigen::Matrix3d strain = Eigen::Matrix3d::Identity();
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) strain(i, j) += 0.03 * u(rng);
    Eigen::Matrix3d q = Eigen::Quaterniond::UnitRandom().toRotationMatrix();
    if (trial == 0) q.setIdentity();
    const Eigen::Matrix3d rows = (2 * kA * strain * q.transpose()).eval();    // rows = rotated strained vectors
    reval::XyzFrame f = crystal(rows);
    for (double &v : f.pos) v += 0.9 * u(rng);    // heavy damage: many migrating atoms
    const auto sites = reval::frame_sites(f, diamond(), "test");
    for (bool any : {true, false}) {
      const auto got = reval::migrating_atoms(f, sites, 0.75, any).migrating;
      EXPECT_EQ(got, brute_force(f, sites, 0.75, any)) << "trial " << trial << (any ? " any" : " neighbours");
      EXPECT_GT(std::count(got.begin(), got.end(), 1), 5);
    }
  }
}

TEST(ReLabels, CellsThatAreNotSupercellsAreErrors)
{
  Eigen::Matrix3d rows = 2 * kA * Eigen::Matrix3d::Identity();
  rows(0, 0) = 1.5 * kA;
  reval::XyzFrame f;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) f.cell[3 * r + c] = rows(r, c);
  try {
    reval::frame_sites(f, diamond(), "train.xyz: frame 3");
    FAIL() << "accepted 1.5 cells";
  } catch (const reval::Error &e) {
    EXPECT_NE(std::string(e.what()).find("train.xyz: frame 3: cell vector 1"), std::string::npos) << e.what();
  }
  rows = 2 * kA * Eigen::Matrix3d::Identity();
  rows(1, 0) = 0.5 * rows(1, 1);    // 63 degrees
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) f.cell[3 * r + c] = rows(r, c);
  EXPECT_THROW(reval::frame_sites(f, diamond(), "x"), reval::Error);
  reval::FitSites none;
  EXPECT_TRUE(reval::frame_sites(f, none, "x").empty());
}
