// Interstitial classification against templates: lattice symmetry, template files, and split-<110>,
// tetrahedral and hexagonal interstitials placed in a diamond crystal, ideal and noisy, and
// configurations between two types.
#include "core/error.h"
#include "core/interstitials.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>
#include <sstream>

using namespace reval;

namespace {

const double kA = 5.431;

LatticeMap diamond()
{
  LatticeMap m;
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) m.a[c][r] = (c == r) ? kA : 0.0;
  m.basis = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}, {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
  return m;
}

kernels::BoxGeom box(double L)
{
  kernels::BoxGeom b{};
  for (int d = 0; d < 3; ++d) {
    b.h[d] = L;
    b.h_inv[d] = 1 / L;
    b.periodic[d] = 1;
  }
  return b;
}

// a 2x2x2 diamond cell with a defect made by `edit` on the atoms (positions in Å); finds defect atoms
// and vacant sites by brute force and classifies them
struct Crystal {
  LatticeMap lat = diamond();
  std::vector<Vec3> sites_u, atoms;
  Crystal()
  {
    for (int k = 0; k < 2; ++k)
      for (int j = 0; j < 2; ++j)
        for (int i = 0; i < 2; ++i)
          for (auto &b : lat.basis) {
            sites_u.push_back({i + b[0], j + b[1], k + b[2]});
            atoms.push_back({(i + b[0]) * kA, (j + b[1]) * kA, (k + b[2]) * kA});
          }
  }
  ClassifiedSample classify(double itol = 0.275 * std::cbrt(kA * kA * kA / 8), double rvac = 1.1)
  {
    const auto bx = box(2 * kA);
    std::vector<int> occ(sites_u.size(), 0);
    std::vector<DefectAtom> def;
    std::vector<int> nearest(atoms.size());
    std::vector<double> dmin(atoms.size());
    for (size_t a = 0; a < atoms.size(); ++a) {
      double best = 1e300;
      int s1 = 0;
      for (size_t s = 0; s < sites_u.size(); ++s) {
        double x[3] = {sites_u[s][0] * kA, sites_u[s][1] * kA, sites_u[s][2] * kA}, d[3];
        minimum_image_delta(bx, atoms[a].data(), x, d);
        double r = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        if (r < rvac) ++occ[s];
        if (r < best) {
          best = r;
          s1 = static_cast<int>(s);
        }
      }
      nearest[a] = s1;
      dmin[a] = best;
    }
    for (size_t a = 0; a < atoms.size(); ++a) {
      const bool on = dmin[a] <= rvac;
      if (on && occ[nearest[a]] < 2) continue;
      DefectAtom d{};
      for (int k = 0; k < 3; ++k) d.x[k] = atoms[a][k];
      d.occupies_site = on;
      d.site = nearest[a];
      def.push_back(d);
    }
    std::vector<VacantSite> vac;
    for (size_t s = 0; s < sites_u.size(); ++s)
      if (occ[s] == 0) {
        VacantSite v{};
        for (int k = 0; k < 3; ++k) v.x[k] = sites_u[s][k] * kA;
        v.site = static_cast<int64_t>(s);
        vac.push_back(v);
      }
    InterstitialClassifier c(lat, diamond_templates(), itol, 1.1 * std::sqrt(3.0) / 4 * kA);
    LatticeFrame frame{[](const double *u, double *x) {
                         for (int k = 0; k < 3; ++k) x[k] = u[k] * kA;
                       },
                       [](const double *x, double *u) {
                         for (int k = 0; k < 3; ++k) u[k] = x[k] / kA;
                       }};
    return c.classify(def, vac, bx, frame);
  }
  void noise(double amp, unsigned seed)
  {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(-amp, amp);
    for (auto &p : atoms)
      for (auto &c : p) c += u(rng);
  }
  // index of the atom created on lattice position u
  size_t atom_at(const Vec3 &u) const
  {
    for (size_t s = 0; s < sites_u.size(); ++s)
      if (std::fabs(sites_u[s][0] - u[0]) + std::fabs(sites_u[s][1] - u[1]) + std::fabs(sites_u[s][2] - u[2]) < 1e-9)
        return s;
    return 0;
  }
};

std::string type_of(const ClassifiedSample &s)
{
  if (s.interstitials != 1) return "interstitials=" + std::to_string(s.interstitials);
  const char *names[3] = {"split-110", "tetrahedral", "hexagonal"};
  for (int t = 0; t < 3; ++t)
    if (s.per_template[t] == 1) return names[t];
  return s.other == 1 ? "other" : "?";
}

// positions (Å): T site next to the basis-0 atom at (1,1,1) cell coordinates, H site, dumbbell
const Vec3 kT = {(1 - 0.25) * kA, (1 - 0.25) * kA, (1 - 0.25) * kA};
const Vec3 kH = {(1 - 0.375) * kA, (1 + 0.125) * kA, (1 + 0.125) * kA};

}    // namespace

TEST(Interstitials, CubicOperations)
{
  const auto &ops = cubic_operations();
  ASSERT_EQ(ops.size(), 48u);
  EXPECT_EQ(ops[0], (LatticeOp{1, 0, 0, 0, 1, 0, 0, 0, 1}));
  std::set<LatticeOp> unique(ops.begin(), ops.end());
  EXPECT_EQ(unique.size(), 48u);
}

TEST(Interstitials, DiamondSiteSymmetryIsTd)
{
  auto s = lattice_symmetry(diamond());
  for (int m = 0; m < 8; ++m) {
    EXPECT_EQ(s.site_ops[m].size(), 24u) << "basis " << m;
    EXPECT_GE(s.from_basis0[m], 0) << "basis " << m;
  }
  EXPECT_EQ(s.from_basis0[0], 0) << "identity";
  LatticeMap fcc = diamond();
  fcc.basis.resize(4);
  EXPECT_EQ(lattice_symmetry(fcc).site_ops[0].size(), 48u);
}

TEST(Interstitials, PerfectCrystalAndVacancyHaveNone)
{
  Crystal c;
  EXPECT_EQ(c.classify().interstitials, 0);
  c.atoms.erase(c.atoms.begin() + 5);
  EXPECT_EQ(c.classify().interstitials, 0);
}

TEST(Interstitials, TetrahedralHexagonalSplit)
{
  for (double amp : {0.0, 0.05}) {
    {
      Crystal c;
      c.atoms.push_back(kT);
      c.noise(amp, 1);
      EXPECT_EQ(type_of(c.classify()), "tetrahedral") << "noise " << amp;
    }
    {
      Crystal c;
      c.atoms.push_back(kH);
      c.noise(amp, 2);
      EXPECT_EQ(type_of(c.classify()), "hexagonal") << "noise " << amp;
    }
    for (auto axis : {Vec3{1, 1, 0}, Vec3{1, -1, 0}, Vec3{0, 1, 1}, Vec3{-1, 0, 1}}) {
      // the atom on site (1,1,1)+basis 4 shares its site with an extra atom along <110>
      Crystal c;
      const Vec3 u = {1.25, 1.25, 1.25};
      const size_t i = c.atom_at(u);
      const double h = std::sqrt(3.0) / 8 * kA / 2 / std::sqrt(2.0) * 2;    // d_nn/2 along the unit axis
      const double n = std::sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
      for (int k = 0; k < 3; ++k) c.atoms[i][k] = u[k] * kA + h * axis[k] / n;
      c.atoms.push_back({u[0] * kA - h * axis[0] / n, u[1] * kA - h * axis[1] / n, u[2] * kA - h * axis[2] / n});
      c.noise(amp, 3);
      EXPECT_EQ(type_of(c.classify()), "split-110") << "noise " << amp << " axis " << axis[0] << axis[1] << axis[2];
    }
  }
}

TEST(Interstitials, BetweenTwoTypesIsOther)
{
  // the H site between the T sites (1/2,1/2,1/2)a and (3/4,3/4,3/4)a, and half-way from it to kT:
  // 0.59 A from both templates, within the tolerance of both -> ambiguous
  const Vec3 h = {0.625 * kA, 0.625 * kA, 0.625 * kA};
  {
    Crystal c;
    c.atoms.push_back(h);
    EXPECT_EQ(type_of(c.classify()), "hexagonal");
  }
  Crystal c;
  c.atoms.push_back({0.5 * (kT[0] + h[0]), 0.5 * (kT[1] + h[1]), 0.5 * (kT[2] + h[2])});
  EXPECT_EQ(type_of(c.classify()), "other");
  Crystal d;    // near no template: 40% of the way from a T site towards its nearest site (1,1,1)a
  d.atoms.push_back({kT[0] + 0.4 * 0.25 * kA, kT[1] + 0.4 * 0.25 * kA, kT[2] + 0.4 * 0.25 * kA});
  EXPECT_EQ(type_of(d.classify()), "other");
}

TEST(Interstitials, FrenkelPairCountsOneInterstitial)
{
  Crystal c;
  c.atoms.erase(c.atoms.begin() + c.atom_at({0, 0, 0}));    // far from the T site next to (1,1,1)
  c.atoms.push_back(kT);
  auto r = c.classify();
  EXPECT_EQ(type_of(r), "tetrahedral");
}

TEST(Interstitials, TemplateFile)
{
  std::istringstream in("# two templates\nA\n0.1 0.2 0.3\n-0.1 -0.2 -0.3\nB  # one atom\n0.5 0.5 0.5\n");
  auto t = read_defect_templates(in, "t.txt");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].label, "A");
  EXPECT_EQ(t[0].offsets.size(), 2u);
  EXPECT_EQ(t[1].offsets[0][2], 0.5);
  auto err = [](const std::string &text) {
    std::istringstream s(text);
    try {
      read_defect_templates(s, "t.txt");
    } catch (Error &e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(err("").find("defines no templates"), std::string::npos);
  EXPECT_NE(err("0 0 0\n").find("line 1: an offset before the first template label"), std::string::npos);
  EXPECT_NE(err("A\n0 0\n").find("line 2: expected an offset"), std::string::npos);
  EXPECT_NE(err("A\n0 0 x\n").find("'x' is not a finite number"), std::string::npos);
  EXPECT_NE(err("A\nB\n0 0 0\n").find("template 'A' has no atoms"), std::string::npos);
  EXPECT_NE(err("A\n0 0 0\nA\n1 1 1\n").find("defined twice"), std::string::npos);
  EXPECT_NE(err("A B\n").find("one word"), std::string::npos);
}
