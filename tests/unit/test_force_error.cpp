// Force-error point kernel, accumulated statistics (CDF, NAC, P score, RMSE/MAE, thresholds,
// energies, calibration), Spearman correlation, and the LAMMPS dump reader, against hand-computed values.
#include "core/dump_reader.h"
#include "core/error.h"
#include "core/force_error_stats.h"
#include "kernels/point/force_error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <vector>

using namespace reval;
using kernels::force_error_terms;

namespace {
const double kPi = 3.14159265358979323846;
}

TEST(ForceErrorTerms, RotatedForceIsPureDirectionError)
{
  const double F[3] = {2.0, 0.0, 0.0};
  const double a = 30.0 * kPi / 180.0;
  const double P[3] = {2.0 * std::cos(a), 2.0 * std::sin(a), 0.0};
  auto t = force_error_terms(F, P, 1e-6);
  EXPECT_NEAR(t.dF, 0.0, 1e-14);
  EXPECT_NEAR(t.dtheta, 30.0, 1e-12);
  EXPECT_NEAR(t.err, 2.0 * 2.0 * std::sin(a / 2), 1e-14);
  EXPECT_EQ(t.angle_defined, 1);
}

TEST(ForceErrorTerms, ScaledForceIsPureMagnitudeError)
{
  const double F[3] = {0.3, -0.4, 1.2};    // |F| = 1.3
  const double P[3] = {0.6, -0.8, 2.4};
  auto t = force_error_terms(F, P, 1e-6);
  EXPECT_NEAR(t.dF, 1.3, 1e-14);
  EXPECT_NEAR(t.dtheta, 0.0, 1e-6);
  EXPECT_NEAR(t.fref, 1.3, 1e-14);
  EXPECT_NEAR(t.fpred, 2.6, 1e-14);
  const double Q[3] = {-0.3, 0.4, -1.2};    // reversed: 180 degrees
  EXPECT_NEAR(force_error_terms(F, Q, 1e-6).dtheta, 180.0, 1e-12);
}

TEST(ForceErrorTerms, TinyForceHasNoDirection)
{
  const double F[3] = {1e-9, 0, 0}, P[3] = {0.5, 0.1, 0};
  auto t = force_error_terms(F, P, 1e-6);
  EXPECT_EQ(t.angle_defined, 0);
  EXPECT_EQ(t.dtheta, -1.0);
  EXPECT_FALSE(std::isnan(t.dtheta));
  EXPECT_NEAR(t.dF, std::sqrt(0.26) - 1e-9, 1e-12);
}

TEST(ForceErrorStats, HandComputedMetrics)
{
  ForceErrorSettings s;
  s.nF = 2;
  s.Fmax = 1.0;
  s.nT = 3;
  s.Tmax = 90.0;
  s.thr_dF = 0.5;
  s.thr_t1 = 15;
  s.thr_t2 = 30;
  ForceErrorStats st(s);
  // four atoms: F along x with |F| = 1, P scaled and rotated in the xy plane
  const double mags[4] = {1.05, 1.25, 1.75, 2.5};    // dF = 0.05, 0.25, 0.75, 1.5
  const double angs[4] = {10, 20, 40, 100};          // degrees
  double sq = 0, ab = 0, mx = 0;
  for (int i = 0; i < 4; ++i) {
    const double F[3] = {1, 0, 0};
    const double a = angs[i] * kPi / 180;
    const double P[3] = {mags[i] * std::cos(a), mags[i] * std::sin(a), 0};
    st.add(force_error_terms(F, P, 1e-6));
    for (int c = 0; c < 3; ++c) {
      sq += (P[c] - F[c]) * (P[c] - F[c]);
      ab += std::fabs(P[c] - F[c]);
    }
    mx = std::max(mx, std::hypot(P[0] - F[0], P[1] - F[1]));
  }
  const double F0[3] = {0, 0, 0}, P0[3] = {0.2, 0, 0};    // no direction: dF = 0.2
  st.add(force_error_terms(F0, P0, 1e-6));
  sq += 0.04;
  ab += 0.2;
  auto r = st.results();
  EXPECT_EQ(r[ForceErrorStats::N_COUNTED], 5);
  EXPECT_EQ(r[ForceErrorStats::N_UNDEFINED_ANGLE], 1);
  EXPECT_NEAR(r[ForceErrorStats::RMSE_COMPONENTS], std::sqrt(sq / 15), 1e-12);
  EXPECT_NEAR(r[ForceErrorStats::MAE_COMPONENTS], ab / 15, 1e-12);
  EXPECT_NEAR(r[ForceErrorStats::MAX_ERROR], mx, 1e-12);
  EXPECT_NEAR(r[ForceErrorStats::MEAN_DF], (0.05 + 0.25 + 0.75 + 1.5 + 0.2) / 5, 1e-12);
  EXPECT_NEAR(r[ForceErrorStats::MEAN_DTHETA], 170.0 / 4, 1e-9);
  EXPECT_NEAR(r[ForceErrorStats::FRAC_DF_ABOVE], 2.0 / 5, 1e-12);
  EXPECT_NEAR(r[ForceErrorStats::FRAC_DTHETA_ABOVE_1], 3.0 / 4, 1e-12);
  EXPECT_NEAR(r[ForceErrorStats::FRAC_DTHETA_ABOVE_2], 2.0 / 4, 1e-12);
  // dF CDF at 0.5, 1.0: {0.05, 0.25, 0.2} <= 0.5, + 0.75 <= 1.0  -> 3/5, 4/5
  auto cf = st.cdf_dF();
  EXPECT_NEAR(cf[0], 0.6, 1e-12);
  EXPECT_NEAR(cf[1], 0.8, 1e-12);
  EXPECT_NEAR(r[ForceErrorStats::NAC_DF], 0.7, 1e-12);
  // dtheta CDF at 30, 60, 90 over the 4 defined angles: 2/4, 3/4, 3/4
  auto ct = st.cdf_dtheta();
  EXPECT_NEAR(ct[0], 0.5, 1e-12);
  EXPECT_NEAR(ct[2], 0.75, 1e-12);
  EXPECT_NEAR(r[ForceErrorStats::NAC_DTHETA], 2.0 / 3, 1e-12);
  EXPECT_NEAR(r[ForceErrorStats::P_SCORE], 0.7 * 2.0 / 3, 1e-12);
  EXPECT_EQ(r[ForceErrorStats::ENERGY_RMSE_PER_ATOM], 0.0);    // not applicable
}

TEST(ForceErrorStats, EnergiesAndCalibration)
{
  ForceErrorStats st;
  st.add_energy(2.0, 64);
  st.add_energy(-4.0, 16);
  auto r = st.results();
  EXPECT_NEAR(r[ForceErrorStats::ENERGY_RMSE_PER_ATOM], std::sqrt((std::pow(2.0 / 64, 2) + std::pow(4.0 / 16, 2)) / 2), 1e-14);
  EXPECT_NEAR(r[ForceErrorStats::ENERGY_RMSE_PER_SQRT_N], std::sqrt((4.0 / 64 + 16.0 / 16) / 2), 1e-14);
  st.add_uncertainty(0.1, 0.2);
  st.add_uncertainty(0.3, 0.2);
  st.add_uncertainty(0.2, 0.2);
  r = st.results(0.5);
  EXPECT_NEAR(r[ForceErrorStats::FRAC_WITHIN_SIGMA], 2.0 / 3, 1e-14);
  EXPECT_EQ(r[ForceErrorStats::SPEARMAN_SIGMA_ERROR], 0.5);
}

TEST(ForceErrorStats, MergeEqualsPooled)
{
  std::mt19937 rng(3);
  std::normal_distribution<double> g(0.0, 0.4);
  ForceErrorStats pooled, a, b;
  for (int i = 0; i < 500; ++i) {
    double F[3] = {g(rng), g(rng), g(rng)}, P[3] = {F[0] + g(rng), F[1] + g(rng), F[2] + g(rng)};
    auto t = force_error_terms(F, P, 1e-6);
    pooled.add(t);
    (i % 3 ? a : b).add(t);
  }
  a.merge(b);
  auto ra = a.results(), rp = pooled.results();
  for (int k = 0; k < ForceErrorStats::N_RESULTS; ++k) EXPECT_NEAR(ra[k], rp[k], 1e-12) << k;
}

// What compute force/error/kk does: partial tallies (force_error_tally into a raw array per thread,
// joined) handed over with add_tallies() and the samples with add_uncertainty_samples() give what
// add()/add_uncertainty() give, including the maximum and the calibration.
TEST(ForceErrorStats, ExternalTalliesEqualAdd)
{
  std::mt19937 rng(5);
  std::normal_distribution<double> g(0.0, 0.6);
  std::uniform_real_distribution<double> u(0.05, 1.0);
  ForceErrorSettings set;
  set.nF = 8;
  set.Fmax = 0.9;
  set.nT = 11;
  set.Tmax = 70.0;
  ForceErrorStats direct(set), tallied(set);
  const int nsums = kernels::force_error_nsums(tallied.bins());
  ASSERT_EQ(nsums, static_cast<int>(tallied.sums().size()));
  std::vector<double> part[2] = {std::vector<double>(nsums, 0.0), std::vector<double>(nsums, 0.0)};
  double mx[2] = {0.0, 0.0};
  std::vector<double> sig, eps;
  for (int i = 0; i < 300; ++i) {
    double F[3] = {g(rng), g(rng), g(rng)}, P[3] = {F[0] + g(rng), F[1] + g(rng), F[2] + g(rng)};
    if (i % 50 == 0) P[0] = P[1] = P[2] = 0.0;    // undefined direction
    const auto t = force_error_terms(F, P, 1e-6);
    const double sigma = u(rng);
    direct.add(t);
    direct.add_uncertainty(t.err, sigma);
    kernels::force_error_tally(part[i % 2].data(), mx[i % 2], t, tallied.bins());
    kernels::force_error_tally_uncertainty(part[i % 2].data(), t.err, sigma);
    sig.push_back(sigma);
    eps.push_back(t.err);
  }
  tallied.add_tallies(part[0].data(), mx[0]);
  tallied.add_tallies(part[1].data(), mx[1]);
  tallied.add_uncertainty_samples(sig.data(), eps.data(), sig.size());
  EXPECT_EQ(tallied.max_error(), direct.max_error());
  EXPECT_EQ(tallied.sigma_samples(), direct.sigma_samples());
  EXPECT_EQ(tallied.error_samples(), direct.error_samples());
  const double rho = spearman(direct.sigma_samples(), direct.error_samples());
  auto rt = tallied.results(rho), rd = direct.results(rho);
  EXPECT_GT(rd[ForceErrorStats::N_UNDEFINED_ANGLE], 0);
  for (int k = 0; k < ForceErrorStats::N_RESULTS; ++k)
    EXPECT_NEAR(rt[k], rd[k], 1e-13 * std::max(1.0, std::fabs(rd[k]))) << k;
  EXPECT_EQ(tallied.cdf_dF(), direct.cdf_dF());
  EXPECT_EQ(tallied.cdf_dtheta(), direct.cdf_dtheta());
}

TEST(ForceErrorStats, BadBins)
{
  ForceErrorSettings s;
  s.nF = 0;
  EXPECT_THROW(ForceErrorStats{s}, Error);
  s.nF = 5;
  s.Tmax = -1;
  EXPECT_THROW(ForceErrorStats{s}, Error);
}

TEST(Spearman, KnownValues)
{
  EXPECT_NEAR(spearman({1, 2, 3, 4}, {10, 20, 30, 400}), 1.0, 1e-14);
  EXPECT_NEAR(spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0, 1e-14);
  EXPECT_NEAR(spearman({1, 2, 2, 3}, {1, 3, 2, 4}), 4.5 / std::sqrt(22.5), 1e-14);
  EXPECT_EQ(spearman({1}, {2}), 0.0);
  EXPECT_EQ(spearman({1, 1, 1}, {1, 2, 3}), 0.0);
}

namespace {
std::string write_tmp(const std::string &name, const std::string &text)
{
  std::string p = ::testing::TempDir() + "/" + name;
  std::ofstream(p) << text;
  return p;
}
const char *kDump = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\n"
                    "ITEM: ATOMS id type fx fy fz\n2 1 0.5 0.6 0.7\n1 1 0.1 0.2 0.3\n"
                    "ITEM: TIMESTEP\n10\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS xy xz yz pp pp pp\n0 1 0\n0 1 0\n0 1 0\n"
                    "ITEM: ATOMS fz fy fx id\n1 2 3 1\n4 5 6 2\n";
}    // namespace

TEST(DumpReader, FramesColumnsAndSeek)
{
  DumpReader r(write_tmp("a.dump", kDump));
  DumpFrame f;
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(f.timestep, 0);
  EXPECT_EQ(f.natoms, 2);
  EXPECT_EQ(f.column("fy"), 3);
  EXPECT_EQ(f.at(1, f.column("fz")), 0.3);
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(f.timestep, 10);
  EXPECT_EQ(f.at(0, f.column("fx")), 3);
  EXPECT_FALSE(r.next(f));
  ASSERT_TRUE(r.seek(0, f));    // behind: rewinds
  EXPECT_EQ(f.at(0, f.column("id")), 2);
  ASSERT_TRUE(r.seek(10, f));
  EXPECT_EQ(f.at(1, f.column("fz")), 4);
  EXPECT_FALSE(r.seek(5, f));
}

TEST(DumpReader, Errors)
{
  EXPECT_THROW(DumpReader("/nonexistent/x.dump"), Error);
  auto err = [](const std::string &text) {
    try {
      DumpReader r(write_tmp("bad.dump", text));
      DumpFrame f;
      while (r.next(f)) {
      }
    } catch (Error &e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(err("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: ATOMS id fx\n1 0.5\n").find("truncated frame"),
            std::string::npos);
  EXPECT_NE(err("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: ATOMS id fx fy\n1 0.5\n").find("fewer than 3"),
            std::string::npos);
  EXPECT_NE(err("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: ATOMS id\n1 0.5\n").find("more than 1"),
            std::string::npos);
  EXPECT_NE(err("hello\n").find("expected 'ITEM: TIMESTEP'"), std::string::npos);
  EXPECT_NE(err("ITEM: TIMESTEP\n0\nITEM: ATOMS id\n").find("no 'ITEM: NUMBER OF ATOMS'"), std::string::npos);
}
