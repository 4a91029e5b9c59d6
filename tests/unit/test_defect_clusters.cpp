// Defect clusters (core/defect_clusters.h) against an O(n^2) brute force over all pairs and all periodic
// images: random defects in orthogonal and triclinic boxes, a non-periodic dimension, clusters across the
// periodic boundary, boxes thinner than the distance, shuffled input, empty input, one defect, chains,
// hand-computed centres and the errors of bad input.
#include "core/defect_clusters.h"
#include "core/error.h"
#include "unit_boxes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <tuple>

using namespace reval;

namespace {

kernels::BoxGeom make_box(double lx, double ly, double lz, double xy, double xz, double yz, int px = 1, int py = 1,
                          int pz = 1)
{
  return reval::test::make_box(lx, ly, lz, xy, xz, yz, {-1.5, 2.0, 0.25}, {px, py, pz});
}

// ---- the brute-force reference: every pair, every image, union-find, then the documented tree ----
struct UnionFind {
  std::vector<int> p;
  explicit UnionFind(int n) : p(n) { std::iota(p.begin(), p.end(), 0); }
  int find(int a) { return p[a] == a ? a : p[a] = find(p[a]); }
  void join(int a, int b)
  {
    a = find(a);
    b = find(b);
    if (a != b) p[std::max(a, b)] = std::min(a, b);
  }
};

int g_crossing = 0;    // clusters of the last brute_force() with members in more than one periodic image

ClusterResult brute_force(const std::vector<Defect> &in, const kernels::BoxGeom &box, const ClusterParams &p)
{
  g_crossing = 0;
  const int n = static_cast<int>(in.size());
  std::vector<int> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  std::sort(perm.begin(), perm.end(), [&](int a, int b) { return in[a].key < in[b].key; });
  std::vector<double> lam(3 * n);
  for (int c = 0; c < n; ++c) {
    if (p.lamda) {
      for (int k = 0; k < 3; ++k) lam[3 * c + k] = in[perm[c]].x[k];
    } else {
      kernels::x2lamda(box, in[perm[c]].x, &lam[3 * c]);
    }
    for (int k = 0; k < 3; ++k)
      if (box.periodic[k]) lam[3 * c + k] = kernels::wrap_unit(lam[3 * c + k]);
  }
  int m[3];
  for (int k = 0; k < 3; ++k)
    m[k] = box.periodic[k] ? static_cast<int>(std::ceil(p.distance * kernels::lamda_per_length(box, k))) + 1 : 0;
  const double r2max = p.distance * p.distance;
  // best image of j seen from i (i < j), per joined pair
  std::map<std::pair<int, int>, std::tuple<double, std::array<int, 3>>> best;
  std::vector<int> self(n, 0);
  UnionFind uf(n);
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j) {
      int s[3];
      for (s[0] = -m[0]; s[0] <= m[0]; ++s[0])
        for (s[1] = -m[1]; s[1] <= m[1]; ++s[1])
          for (s[2] = -m[2]; s[2] <= m[2]; ++s[2]) {
            if (i == j && s[0] == 0 && s[1] == 0 && s[2] == 0) continue;
            double dv[3];
            lamda_delta_cartesian(box, &lam[3 * i], &lam[3 * j], s, dv);
            const double r2 = dv[0] * dv[0] + dv[1] * dv[1] + dv[2] * dv[2];
            if (!(r2 < r2max)) continue;
            if (i == j) {
              self[i] = 1;
              continue;
            }
            uf.join(i, j);
            std::array<int, 3> sh{s[0], s[1], s[2]};
            auto it = best.find({i, j});
            if (it == best.end() || r2 < std::get<0>(it->second) ||
                (r2 == std::get<0>(it->second) && sh < std::get<1>(it->second)))
              best[{i, j}] = {r2, sh};
          }
    }
  // adjacency sorted by key (= canonical index)
  std::vector<std::map<int, std::array<int, 3>>> adj(n);
  for (auto &kv : best) {
    auto sh = std::get<1>(kv.second);
    adj[kv.first.first][kv.first.second] = sh;
    adj[kv.first.second][kv.first.first] = {-sh[0], -sh[1], -sh[2]};
  }
  ClusterResult r;
  r.histogram.assign(p.histo, 0);
  r.label.assign(n, 0);
  std::vector<int64_t> cid(n, 0);
  std::vector<std::array<long long, 3>> img(n, {0, 0, 0});
  std::map<int, int64_t> id_of_root;    // union-find root -> id (roots are the smallest index)
  for (int c = 0; c < n; ++c) {
    const int root = uf.find(c);
    if (!id_of_root.count(root)) {
      id_of_root[root] = static_cast<int64_t>(r.clusters.size()) + 1;
      DefectCluster cl;
      cl.id = id_of_root[root];
      cl.first_key = in[perm[c]].key;
      r.clusters.push_back(cl);
      // BFS for the images
      std::vector<int> q{c};
      std::vector<char> seen(n, 0);
      seen[c] = 1;
      for (size_t h = 0; h < q.size(); ++h) {
        const int u = q[h];
        if (self[u]) r.clusters.back().wraps = 1;
        for (auto &kv : adj[u]) {
          std::array<long long, 3> w{img[u][0] + kv.second[0], img[u][1] + kv.second[1], img[u][2] + kv.second[2]};
          if (!seen[kv.first]) {
            seen[kv.first] = 1;
            img[kv.first] = w;
            q.push_back(kv.first);
          } else if (w != img[kv.first]) {
            r.clusters.back().wraps = 1;
          }
        }
      }
    }
    cid[c] = id_of_root[root];
  }
  std::vector<char> crossing(r.clusters.size(), 0);
  for (int c = 0; c < n; ++c)
    if (img[c][0] || img[c][1] || img[c][2]) crossing[cid[c] - 1] = 1;
  for (char x : crossing) g_crossing += x;
  std::vector<double> sum(3 * r.clusters.size(), 0.0);
  for (int c = 0; c < n; ++c) {
    const Defect &d = in[perm[c]];
    DefectCluster &cl = r.clusters[cid[c] - 1];
    cl.size += d.count;
    cl.members++;
    (d.kind == DefectKind::Vacancy ? cl.vacancies : d.kind == DefectKind::Interstitial ? cl.interstitials : cl.migrating) +=
        d.count;
    for (int k = 0; k < 3; ++k) sum[3 * (cid[c] - 1) + k] += double(d.count) * (lam[3 * c + k] + double(img[c][k]));
    r.label[perm[c]] = cid[c];
  }
  for (size_t q = 0; q < r.clusters.size(); ++q) {
    auto &cl = r.clusters[q];
    double l[3];
    for (int k = 0; k < 3; ++k) {
      l[k] = sum[3 * q + k] / double(cl.size);
      if (box.periodic[k]) l[k] = kernels::wrap_unit(l[k]);
    }
    if (p.lamda)
      std::copy(l, l + 3, cl.centre);
    else
      kernels::lamda2x(box, l, cl.centre);
    r.largest = std::max(r.largest, cl.size);
    r.histogram[std::min<int64_t>(cl.size, p.histo) - 1]++;
  }
  return r;
}

void expect_equal(const ClusterResult &a, const ClusterResult &b)
{
  ASSERT_EQ(a.clusters.size(), b.clusters.size());
  for (size_t q = 0; q < a.clusters.size(); ++q) {
    const auto &x = a.clusters[q], &y = b.clusters[q];
    SCOPED_TRACE("cluster " + std::to_string(q + 1));
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.size, y.size);
    EXPECT_EQ(x.vacancies, y.vacancies);
    EXPECT_EQ(x.interstitials, y.interstitials);
    EXPECT_EQ(x.migrating, y.migrating);
    EXPECT_EQ(x.first_key, y.first_key);
    EXPECT_EQ(x.members, y.members);
    EXPECT_EQ(x.wraps, y.wraps);
    for (int k = 0; k < 3; ++k) EXPECT_EQ(x.centre[k], y.centre[k]) << "dimension " << k;
  }
  EXPECT_EQ(a.largest, b.largest);
  EXPECT_EQ(a.histogram, b.histogram);
  EXPECT_EQ(a.label, b.label);
}

std::vector<Defect> random_defects(const kernels::BoxGeom &box, int n, std::mt19937_64 &rng, double spill = 0.0)
{
  std::uniform_real_distribution<double> u(-spill, 1.0 + spill);
  std::uniform_int_distribution<int> kind(0, 2), cnt(1, 3);
  std::vector<int64_t> keys(n);
  std::iota(keys.begin(), keys.end(), 1000);
  std::shuffle(keys.begin(), keys.end(), rng);
  std::vector<Defect> d(n);
  for (int i = 0; i < n; ++i) {
    double l[3] = {u(rng), u(rng), u(rng)};
    kernels::lamda2x(box, l, d[i].x);
    d[i].kind = static_cast<DefectKind>(kind(rng));
    d[i].count = d[i].kind == DefectKind::Interstitial ? cnt(rng) : 1;
    d[i].key = keys[i] * 7 - 3;
  }
  return d;
}

int64_t total_count(const std::vector<Defect> &d)
{
  int64_t s = 0;
  for (auto &x : d) s += x.count;
  return s;
}

void check_random(const kernels::BoxGeom &box, int n, double dist, unsigned seed, int histo = 6, double spill = 0.0)
{
  std::mt19937_64 rng(seed);
  auto d = random_defects(box, n, rng, spill);
  ClusterParams p;
  p.distance = dist;
  p.histo = histo;
  const auto got = cluster_defects(d, box, p);
  const auto ref = brute_force(d, box, p);
  expect_equal(got, ref);
  if (box.periodic[0] || box.periodic[1] || box.periodic[2]) {
    EXPECT_GT(g_crossing, 0);    // clusters across the periodic boundary
  }
  // invariants that do not depend on the reference
  int64_t sizes = 0, rows = 0;
  for (auto &c : got.clusters) sizes += c.size;
  for (auto h : got.histogram) rows += h;
  EXPECT_EQ(sizes, total_count(d));
  EXPECT_EQ(rows, static_cast<int64_t>(got.clusters.size()));
  // the same defects in another order give the same table, exactly
  auto s = d;
  std::vector<int> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::shuffle(idx.begin(), idx.end(), rng);
  for (int i = 0; i < n; ++i) s[i] = d[idx[i]];
  const auto sh = cluster_defects(s, box, p);
  ClusterResult back = sh;
  for (int i = 0; i < n; ++i) back.label[idx[i]] = sh.label[i];
  expect_equal(back, got);
  // lamda input gives the same clusters, centres in lamda
  std::vector<Defect> l = d;
  for (auto &x : l) kernels::x2lamda(box, x.x, x.x);
  ClusterParams pl = p;
  pl.lamda = true;
  const auto gl = cluster_defects(l, box, pl);
  expect_equal(gl, brute_force(l, box, pl));
  ASSERT_EQ(gl.clusters.size(), got.clusters.size());
  for (size_t q = 0; q < gl.clusters.size(); ++q) EXPECT_EQ(gl.clusters[q].size, got.clusters[q].size);
  // a non-trivial case: several clusters, some of them larger than one defect
  EXPECT_GT(got.clusters.size(), 1u);
  EXPECT_GT(got.largest, 3);
}

}    // namespace

TEST(DefectClusters, RandomOrthogonalPeriodic)
{
  const auto box = make_box(30, 25, 28, 0, 0, 0);
  for (unsigned seed = 1; seed <= 4; ++seed) check_random(box, 600, 2.2, seed);
}

TEST(DefectClusters, RandomTriclinicPeriodic)
{
  const auto box = make_box(30, 26, 24, 9.5, -7.0, 6.0);
  for (unsigned seed = 11; seed <= 14; ++seed) check_random(box, 600, 2.2, seed);
}

TEST(DefectClusters, RandomNonPeriodicDimension)
{
  // z not periodic, defects also beyond the box along z (and wrapped back along x, y)
  const auto box = make_box(30, 25, 28, 4.0, 3.0, -2.5, 1, 1, 0);
  for (unsigned seed = 21; seed <= 23; ++seed) check_random(box, 600, 2.2, seed, 6, 0.2);
  const auto open = make_box(20, 20, 20, 0, 0, 0, 0, 0, 0);
  check_random(open, 300, 2.2, 24, 8);
}

TEST(DefectClusters, BoxThinnerThanTwiceTheDistance)
{
  // thickness along y below 2x (and along z below 1x) the distance: several images of one defect in reach
  const auto box = make_box(120, 6.5, 3.0, 1.0, 0.5, 0.7);
  check_random(box, 24, 3.2, 31, 12);
  const auto res = [&] {
    std::mt19937_64 rng(31);
    auto d = random_defects(box, 24, rng);
    ClusterParams p;
    p.distance = 3.2;
    p.histo = 12;
    return cluster_defects(d, box, p);
  }();
  int wraps = 0;
  for (auto &c : res.clusters) wraps += c.wraps;
  EXPECT_EQ(wraps, static_cast<int>(res.clusters.size()));    // z thinner than the distance: every cluster wraps
}

TEST(DefectClusters, ManyDefectsDenseAndSparse)
{
  const auto box = make_box(40, 40, 40, 0, 0, 0);
  check_random(box, 2500, 2.5, 41, 10);    // near the percolation threshold: large clusters
  check_random(box, 2500, 1.9, 42, 10);
}

TEST(DefectClusters, EmptyAndOne)
{
  const auto box = make_box(10, 10, 10, 0, 0, 0);
  ClusterParams p;
  p.distance = 3.0;
  p.histo = 4;
  auto r = cluster_defects(std::vector<Defect>{}, box, p);
  EXPECT_TRUE(r.clusters.empty());
  EXPECT_EQ(r.largest, 0);
  EXPECT_EQ(r.histogram, std::vector<int64_t>(4, 0));
  Defect one{{12.0, 2.5, -1.0}, 5, DefectKind::Interstitial, 42};    // outside the box: wrapped
  r = cluster_defects(std::vector<Defect>{one}, box, p);
  ASSERT_EQ(r.clusters.size(), 1u);
  EXPECT_EQ(r.clusters[0].id, 1);
  EXPECT_EQ(r.clusters[0].size, 5);
  EXPECT_EQ(r.clusters[0].interstitials, 5);
  EXPECT_EQ(r.clusters[0].vacancies, 0);
  EXPECT_EQ(r.clusters[0].wraps, 0);
  EXPECT_NEAR(r.clusters[0].centre[0], 2.0, 1e-12);    // box [-1.5, 8.5): 12 -> 2
  EXPECT_NEAR(r.clusters[0].centre[1], 2.5, 1e-12);    // box [2, 12): inside
  EXPECT_NEAR(r.clusters[0].centre[2], 9.0, 1e-12);    // box [0.25, 10.25): -1 -> 9
  EXPECT_EQ(r.largest, 5);
  EXPECT_EQ(r.histogram, (std::vector<int64_t>{0, 0, 0, 1}));
  EXPECT_EQ(r.label, std::vector<int64_t>{1});
}

TEST(DefectClusters, ChainAcrossThePeriodicBoundaryHandComputed)
{
  // orthogonal box [-1.5, 18.5) along x: a chain of 5 defects 2 Å apart through the x boundary,
  // plus a separate pair; centre of the chain (counts 1,1,2,1,1) at the boundary
  auto box = make_box(20, 10, 10, 0, 0, 0);
  std::vector<Defect> d;
  const double xs[5] = {14.5, 16.5, 18.5, 0.5, 2.5};    // 18.5 == boxhi: wraps to -1.5
  for (int i = 0; i < 5; ++i) d.push_back({{xs[i], 5.0, 5.0}, i == 2 ? 2 : 1, DefectKind::Vacancy, 100 - i});
  d.push_back({{6.5, 5.0, 5.0}, 1, DefectKind::Migrating, 7});
  d.push_back({{6.5, 8.5, 5.0}, 1, DefectKind::Interstitial, 500});
  ClusterParams p;
  p.distance = 3.84;
  p.histo = 3;
  const auto r = cluster_defects(d, box, p);
  ASSERT_EQ(r.clusters.size(), 2u);
  // id 1: the pair (smallest key 7); id 2: the chain (smallest key 96)
  EXPECT_EQ(r.clusters[0].first_key, 7);
  EXPECT_EQ(r.clusters[0].size, 2);
  EXPECT_EQ(r.clusters[0].migrating, 1);
  EXPECT_EQ(r.clusters[0].interstitials, 1);
  EXPECT_NEAR(r.clusters[0].centre[0], 6.5, 1e-12);
  EXPECT_NEAR(r.clusters[0].centre[1], 6.75, 1e-12);
  EXPECT_EQ(r.clusters[1].first_key, 96);
  EXPECT_EQ(r.clusters[1].size, 6);
  EXPECT_EQ(r.clusters[1].vacancies, 6);
  EXPECT_EQ(r.clusters[1].members, 5);
  EXPECT_EQ(r.clusters[1].wraps, 0);
  // unwrapped: 14.5 16.5 18.5(x2) 20.5 22.5 -> mean 111.5/6... weighted: (14.5+16.5+37+20.5+22.5)/6 = 18.5
  const double cx = r.clusters[1].centre[0];
  EXPECT_TRUE(std::fabs(cx - (-1.5)) < 1e-9 || std::fabs(cx - 18.5) < 1e-9) << cx;
  EXPECT_GE(cx, -1.5);
  EXPECT_LE(cx, 18.5);
  EXPECT_EQ(r.largest, 6);
  EXPECT_EQ(r.histogram, (std::vector<int64_t>{0, 1, 1}));
  EXPECT_EQ(r.label, (std::vector<int64_t>{2, 2, 2, 2, 2, 1, 1}));
  expect_equal(r, brute_force(d, box, p));
  // the closer-than rule is strict: at exactly the distance no join
  std::vector<Defect> two{{{0.0, 5.0, 5.0}, 1, DefectKind::Vacancy, 1}, {{4.0, 5.0, 5.0}, 1, DefectKind::Vacancy, 2}};
  p.distance = 4.0;
  EXPECT_EQ(cluster_defects(two, box, p).clusters.size(), 2u);
  p.distance = std::nextafter(4.0, 5.0);
  EXPECT_EQ(cluster_defects(two, box, p).clusters.size(), 1u);
}

TEST(DefectClusters, ChainSpanningTheBoxWraps)
{
  // a chain closing on itself through the periodic boundary (a ring in the torus): one cluster, wraps = 1
  auto box = make_box(20, 10, 10, 0, 0, 0);
  std::vector<Defect> d;
  for (int i = 0; i < 10; ++i) d.push_back({{-1.5 + 2.0 * i, 5.0, 5.0}, 1, DefectKind::Vacancy, 10 + i});
  ClusterParams p;
  p.distance = 2.5;
  auto r = cluster_defects(d, box, p);
  ASSERT_EQ(r.clusters.size(), 1u);
  EXPECT_EQ(r.clusters[0].wraps, 1);
  EXPECT_EQ(r.clusters[0].size, 10);
  expect_equal(r, brute_force(d, box, p));
  // the same line along a non-periodic x: no wrap, the chain breaks nowhere, centre at the middle
  box.periodic[0] = 0;
  r = cluster_defects(d, box, p);
  ASSERT_EQ(r.clusters.size(), 1u);
  EXPECT_EQ(r.clusters[0].wraps, 0);
  EXPECT_NEAR(r.clusters[0].centre[0], -1.5 + 9.0, 1e-12);
  // two chains of 4 with a gap: two clusters
  d.erase(d.begin() + 4, d.begin() + 6);
  r = cluster_defects(d, box, p);
  ASSERT_EQ(r.clusters.size(), 2u);
  EXPECT_EQ(r.clusters[0].size, 4);
  EXPECT_EQ(r.clusters[1].size, 4);
  EXPECT_NEAR(r.clusters[0].centre[0], -1.5 + 3.0, 1e-12);
  EXPECT_NEAR(r.clusters[1].centre[0], -1.5 + 15.0, 1e-12);
}

TEST(DefectClusters, TriclinicMinimumImageAcrossTheTiltedBoundary)
{
  // maximal tilt xy = lx/2: b - a = (0.52, 0.89) in lamda. Rounding each lamda component (shift (-1,-1))
  // gives 10.92 Å; the true minimum image is the shift (0,-1) at 9.56 Å: joined at distance 10
  const auto box = make_box(20, 20, 20, 10.0, 0, 0);
  double la[3] = {0.10, 0.06, 0.5}, lb[3] = {0.62, 0.95, 0.5};
  Defect a{{0, 0, 0}, 1, DefectKind::Vacancy, 1}, b{{0, 0, 0}, 1, DefectKind::Interstitial, 2};
  kernels::lamda2x(box, la, a.x);
  kernels::lamda2x(box, lb, b.x);
  ClusterParams p;
  p.distance = 10.0;
  auto r = cluster_defects(std::vector<Defect>{a, b}, box, p);
  ASSERT_EQ(r.clusters.size(), 1u);
  EXPECT_EQ(r.clusters[0].size, 2);
  expect_equal(r, brute_force({a, b}, box, p));
  // centre: a and b's image (0.62, -0.05) -> lamda (0.36, 0.005): x = 20*0.36 + 10*0.005 - 1.5, y = 20*0.005 + 2
  EXPECT_NEAR(r.clusters[0].centre[0], 5.75, 1e-9);
  EXPECT_NEAR(r.clusters[0].centre[1], 2.1, 1e-9);
  p.distance = 9.5;
  r = cluster_defects(std::vector<Defect>{a, b}, box, p);
  EXPECT_EQ(r.clusters.size(), 2u);
}

TEST(DefectClusters, BadInputThrows)
{
  const auto box = make_box(10, 10, 10, 0, 0, 0);
  std::vector<Defect> d{{{1, 1, 1}, 1, DefectKind::Vacancy, 3}, {{2, 2, 2}, 1, DefectKind::Vacancy, 3}};
  ClusterParams p;
  p.distance = 2.0;
  EXPECT_THROW(cluster_defects(d, box, p), Error);    // duplicate key
  d[1].key = 4;
  d[1].count = 0;
  EXPECT_THROW(cluster_defects(d, box, p), Error);    // count < 1
  d[1].count = 1;
  d[1].x[2] = std::nan("");
  EXPECT_THROW(cluster_defects(d, box, p), Error);    // non-finite position
  d[1].x[2] = 2;
  EXPECT_NO_THROW(cluster_defects(d, box, p));
  for (double bad : {0.0, -1.0, std::nan(""), HUGE_VAL}) {
    p.distance = bad;
    EXPECT_THROW(cluster_defects(d, box, p), Error) << bad;
  }
  p.distance = 160.0;    // 16 box thicknesses
  EXPECT_THROW(cluster_defects(d, box, p), Error);
  p.distance = 2.0;
  p.histo = 0;
  EXPECT_THROW(cluster_defects(d, box, p), Error);
  try {
    p.histo = 5;
    d[1].key = 3;
    cluster_defects(d, box, p);
    FAIL();
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("duplicate defect key 3"), std::string::npos) << e.what();
  }
}
