// core/harvest, the parts fix re/harvest added: the novelty descriptor (sorted neighbour distances, with
// periodic images), LAMMPS data files of frames, atomic replacement of a file; and the point kernels of
// the criteria (kernels/point/harvest.hpp).
#include "core/error.h"
#include "core/harvest.h"
#include "harvest_test_support.h"
#include "kernels/point/harvest.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

using reval::test::read_all;
constexpr double kA = reval::test::kDiamondA;
reval::XyzFrame diamond(int n) { return reval::test::diamond_frame(n); }

}    // namespace

TEST(HarvestOutput, NeighbourDistancesAreTheDiamondShells)
{
  // 1x1x1 cell (8 atoms, 5.431 Å wide): the 16 nearest neighbours within 6 Å are mostly periodic images
  const reval::XyzFrame w = diamond(1);
  double d[20];
  reval::neighbour_distances(w, 0, 20, 6.0, d);
  const double nn = std::sqrt(3.0) / 4 * kA, nn2 = kA / std::sqrt(2.0), nn3 = std::sqrt(11.0) / 4 * kA;
  for (int j = 0; j < 4; ++j) EXPECT_NEAR(d[j], nn, 1e-12);
  for (int j = 4; j < 16; ++j) EXPECT_NEAR(d[j], nn2, 1e-12);
  for (int j = 16; j < 20; ++j) EXPECT_NEAR(d[j], nn3, 1e-12);
  // every atom of the perfect crystal has the same descriptor; a displaced atom does not
  double e[20];
  reval::neighbour_distances(w, 5, 20, 6.0, e);
  for (int j = 0; j < 20; ++j) EXPECT_NEAR(e[j], d[j], 1e-12);
  reval::XyzFrame m = w;
  m.pos[0] += 0.3;
  reval::neighbour_distances(m, 0, 20, 6.0, e);
  EXPECT_GT(std::fabs(e[0] - d[0]), 0.05);
  // fewer neighbours than slots within rmax: padded with rmax
  reval::neighbour_distances(w, 0, 8, 3.0, e);
  for (int j = 0; j < 4; ++j) EXPECT_NEAR(e[j], nn, 1e-12);
  for (int j = 4; j < 8; ++j) EXPECT_EQ(e[j], 3.0);
  EXPECT_THROW(reval::neighbour_distances(w, 0, 0, 6.0, e), reval::Error);
  EXPECT_THROW(reval::neighbour_distances(w, 0, 4, 0.0, e), reval::Error);
  EXPECT_THROW(reval::neighbour_distances(w, 8, 4, 6.0, e), reval::Error);
}

TEST(HarvestOutput, LammpsDataText)
{
  reval::XyzFrame w = diamond(1);
  w.cell[3] = 0.5;    // b = (0.5, a, 0): a tilted LAMMPS box
  std::vector<int> types(8, 1);
  types[3] = 2;
  const double origin[3] = {-1.0, 0.0, 2.0};
  const std::string t = reval::lammps_data_text(w, types, 2, {28.0855, 12.011}, "title line", origin);
  EXPECT_EQ(t.rfind("title line\n\n8 atoms\n2 atom types\n", 0), 0u) << t;
  EXPECT_NE(t.find("-1 4.431 xlo xhi"), std::string::npos) << t;
  EXPECT_NE(t.find("2 7.431 zlo zhi"), std::string::npos) << t;
  EXPECT_NE(t.find("0.5 0 0 xy xz yz"), std::string::npos) << t;
  EXPECT_NE(t.find("\n2 12.01"), std::string::npos) << t;    // 17 significant digits
  EXPECT_NE(t.find("\n4 2 1.7155"), std::string::npos) << t;    // atom 4: type 2 at (a/2 - 1, a/2, 2)
  EXPECT_EQ(t.find("Masses"), t.find("\nMasses") + 1);
  const std::string no_mass = reval::lammps_data_text(w, types, 2, {}, "t", origin);
  EXPECT_EQ(no_mass.find("Masses"), std::string::npos);
  reval::XyzFrame r = w;
  r.cell[1] = 0.1;    // a not along x
  EXPECT_THROW(reval::lammps_data_text(r, types, 2, {}, "t", origin), reval::Error);
  types[0] = 3;
  EXPECT_THROW(reval::lammps_data_text(w, types, 2, {}, "t", origin), reval::Error);
  EXPECT_THROW(reval::lammps_data_text(w, std::vector<int>(7, 1), 2, {}, "t", origin), reval::Error);
}

TEST(HarvestOutput, AtomicWriteReplaces)
{
  char dir[] = "/tmp/reval-harvest-out-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/f.data";
  reval::atomic_write(path, "one\n");
  reval::atomic_write(path, "two\n");
  EXPECT_EQ(read_all(path), "two\n");
  reval::atomic_append(path, "three\n");
  EXPECT_EQ(read_all(path), "two\nthree\n");
  EXPECT_FALSE(std::ifstream(path + ".tmp").good());
  EXPECT_THROW(reval::atomic_write(std::string(dir) + "/no/such/dir/f", "x"), reval::Error);
  std::remove(path.c_str());
  ::rmdir(dir);
}

TEST(HarvestOutput, CriterionKernels)
{
  namespace rk = reval::kernels;
  rk::HarvestCriteria c;
  c.enabled = rk::kHarvestMigrating | rk::kHarvestSigma | rk::kHarvestHop;
  c.min_migrating = 2;
  c.sigma_max = 0.3;
  EXPECT_EQ(rk::harvest_atom_bits(c, 1.0, 0, 0, 0.2, 99.0), rk::kHarvestMigrating);    // error not enabled
  EXPECT_EQ(rk::harvest_atom_bits(c, 0.0, 3, 2, 0.3, 0.0), rk::kHarvestHop);           // sigma = S does not fire
  EXPECT_EQ(rk::harvest_atom_bits(c, 0.0, 2, 2, 0.31, 0.0), rk::kHarvestSigma);
  EXPECT_EQ(rk::harvest_atom_bits(c, 0.0, 2, 2, std::nan(""), 0.0), 0);
  double counts[rk::kHarvestAtomCriteria] = {0, 0, 0, 0};
  rk::harvest_count_add(rk::kHarvestMigrating | rk::kHarvestSigma, counts);
  EXPECT_EQ(rk::harvest_frame_bits(c, counts), rk::kHarvestSigma);    // one migrating atom < M = 2
  rk::harvest_count_add(rk::kHarvestMigrating, counts);
  EXPECT_EQ(rk::harvest_frame_bits(c, counts), rk::kHarvestMigrating | rk::kHarvestSigma);
  c.enabled = rk::kHarvestError;
  EXPECT_EQ(rk::harvest_frame_bits(c, counts), 0);
}
