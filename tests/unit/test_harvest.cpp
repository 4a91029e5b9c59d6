// core/harvest (fix re/harvest's LAMMPS-free parts): cut-outs of periodic crystals (sphere with images,
// periodic cube without duplicates), the novelty memory, and appends that are never half-written (kill test).
#include "core/error.h"
#include "core/harvest.h"
#include "harvest_test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr double kA = reval::test::kDiamondA;

/// n x n x n diamond Si, forces f_i = (i, -i, 2i), an integer array "tag" = i + 1.
reval::XyzFrame diamond(int n)
{
  reval::XyzFrame f = reval::test::diamond_frame(n);
  for (int i = 0; i < f.natoms(); ++i) {
    f.forces.insert(f.forces.end(), {1.0 * i, -1.0 * i, 2.0 * i});
    f.arrays["tag"].push_back(i + 1);
  }
  f.array_width["tag"] = 1;
  f.has_energy = true;
  f.energy = -100.0;
  return f;
}

using reval::test::read_all;

}    // namespace

TEST(Harvest, SphereCutoutCountsShellsAndUsesImages)
{
  // shells of diamond Si around an atom: 1 + 4 (2.35 A) + 12 (3.84 A) + 12 (4.50 A)
  for (int n : {3, 1}) {    // n = 1: a 5.431 A cell, the sphere needs periodic images
    const reval::XyzFrame w = diamond(n);
    const double c[3] = {0.0, 0.0, 0.0};
    std::vector<int> idx;
    reval::CutoutSpec s{reval::CutoutSpec::Kind::sphere, 4.0};
    const reval::XyzFrame a = reval::cut_out(w, c, s, 5.0, &idx);
    EXPECT_EQ(a.natoms(), 17) << n;
    s.size = 4.6;
    EXPECT_EQ(reval::cut_out(w, c, s, 5.0).natoms(), 29) << n;
    EXPECT_FALSE(a.pbc[0] || a.pbc[1] || a.pbc[2]);
    EXPECT_EQ(a.cell[0], 2 * (4.0 + 5.0));
    EXPECT_FALSE(a.has_energy);
    EXPECT_EQ(a.info.at("cutout"), "sphere");
    // the centre atom first, at the middle of the cell; forces and arrays follow their atoms
    EXPECT_EQ(idx[0], 0);
    for (int d = 0; d < 3; ++d) EXPECT_DOUBLE_EQ(a.pos[d], 9.0);
    for (int k = 0; k < a.natoms(); ++k) {
      EXPECT_EQ(a.forces[3 * k], 1.0 * idx[k]);
      EXPECT_EQ(a.arrays.at("tag")[k], idx[k] + 1.0);
      double r2 = 0;
      for (int d = 0; d < 3; ++d) r2 += (a.pos[3 * k + d] - 9.0) * (a.pos[3 * k + d] - 9.0);
      EXPECT_LE(std::sqrt(r2), 4.0 + 1e-12);
    }
  }
}

TEST(Harvest, BoxCutoutIsPeriodicAndHasNoDuplicates)
{
  const reval::XyzFrame w = diamond(3);
  const double c[3] = {5.1, 9.77, 13.3};    // no atom on a face of the cube
  std::vector<int> idx;
  const reval::XyzFrame b = reval::cut_out(w, c, {reval::CutoutSpec::Kind::box, kA}, 0.0, &idx);
  EXPECT_EQ(b.natoms(), 8);    // one conventional cell's worth
  EXPECT_TRUE(b.pbc[0] && b.pbc[1] && b.pbc[2]);
  EXPECT_EQ(std::set<int>(idx.begin(), idx.end()).size(), idx.size());
  for (double x : b.pos) {
    EXPECT_GE(x, 0.0);
    EXPECT_LT(x, kA);
  }
  // a cube wrapping across the periodic boundary of the whole cell
  const double edge[3] = {0.1, 0.2, 0.3};
  EXPECT_EQ(reval::cut_out(w, edge, {reval::CutoutSpec::Kind::box, 2 * kA}, 0.0).natoms(), 64);
  // too large: an atom and its image would both be inside
  EXPECT_THROW(reval::cut_out(w, c, {reval::CutoutSpec::Kind::box, 3 * kA + 0.5}, 0.0), reval::Error);
  // skewed cell: the cube's extent across the tilted planes counts
  reval::XyzFrame t = diamond(2);
  t.cell[3] = 0.5 * t.cell[4];    // b = (a, 2a, 0) / ... tilted
  EXPECT_THROW(reval::cut_out(t, c, {reval::CutoutSpec::Kind::box, 2 * kA}, 0.0), reval::Error);
  EXPECT_THROW(reval::cut_out(w, c, {reval::CutoutSpec::Kind::box, -1.0}, 0.0), reval::Error);
}

TEST(Harvest, NoveltyMemory)
{
  reval::NoveltyMemory m(2, 0.5);
  const double a[4] = {0, 0, 10, 10}, near[4] = {0.3, 0.3, 10.2, 9.8}, one_new[4] = {0.1, 0, 5, 5};
  EXPECT_FALSE(m.is_novel(a, 0));
  EXPECT_TRUE(m.is_novel(a, 2));    // nothing stored yet
  m.add(a, 2);
  EXPECT_FALSE(m.is_novel(near, 2));      // every trigger atom within 0.5 of a stored one
  EXPECT_TRUE(m.is_novel(one_new, 2));    // one trigger atom is new
  const reval::NoveltyMemory r = reval::NoveltyMemory::unpack(m.pack());
  EXPECT_EQ(r.size(), 2);
  EXPECT_FALSE(r.is_novel(near, 2));
  EXPECT_TRUE(r.is_novel(one_new, 2));
  std::vector<double> bad = m.pack();
  bad.pop_back();
  EXPECT_THROW(reval::NoveltyMemory::unpack(bad), reval::Error);
  EXPECT_THROW(reval::NoveltyMemory(0, 1.0), reval::Error);
}

TEST(Harvest, AtomicAppendIsAllOrNothing)
{
  char dir[] = "/tmp/reval-harvest-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/frames.xyz";
  reval::atomic_append(path, "frame 1\n");
  reval::atomic_append(path, "frame 2\n");
  EXPECT_EQ(read_all(path), "frame 1\nframe 2\n");
  EXPECT_FALSE(std::ifstream(path + ".tmp").good());
  // kill a writer in the middle of a large append: the file is the old content or old + all, never between
  const std::string big(64 << 20, 'x');
  for (int trial = 0; trial < 3; ++trial) {
    const std::string before = read_all(path);
    const pid_t pid = ::fork();
    if (pid == 0) {
      reval::atomic_append(path, big);
      ::_exit(0);
    }
    ::usleep(1000 * (5 + 20 * trial));
    ::kill(pid, SIGKILL);
    int st = 0;
    ::waitpid(pid, &st, 0);
    const std::string after = read_all(path);
    EXPECT_TRUE(after == before || after == before + big) << "trial " << trial << ": " << after.size() << " bytes";
  }
  // an unwritable place: an Error naming the path, the old file untouched
  EXPECT_THROW(reval::atomic_append(std::string(dir) + "/no/such/dir/f.xyz", "x"), reval::Error);
  std::system((std::string("rm -rf ") + dir).c_str());
}
