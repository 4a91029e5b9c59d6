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
#include <cstdint>
#include <fstream>
#include <limits>
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
    kernels::force_error_tally_uncertainty(part[i % 2].data(), t.err, sigma, set.fmin);
    sig.push_back(sigma);
    eps.push_back(t.err);
  }
  tallied.add_tallies(part[0].data(), mx[0]);
  tallied.add_tallies(part[1].data(), mx[1]);
  std::vector<double> ids(sig.size(), 0.0);
  tallied.add_uncertainty_samples(sig.data(), eps.data(), ids.data(), sig.size());
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

// ---------------------------------------------------------------- issue 12: strict dump files, bins bound

namespace {
// What DumpReader says about `text` (all frames read), or "" if it accepts it.
std::string dump_error(const std::string &text, int64_t max_id = DumpReader::MAX_EXACT_ID)
{
  try {
    DumpReader r(write_tmp("strict.dump", text));
    r.set_max_id(max_id);
    DumpFrame f;
    while (r.next(f)) {
    }
  } catch (Error &e) {
    return e.what();
  }
  return "";
}
const char *kHead2 = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\n"
                     "ITEM: ATOMS id fx fy fz\n";
}    // namespace

// Every malformed value is an error naming the file, the line and the field (with its column name):
// non-finite numbers, hex, trailing characters, IDs that are not positive integers or too large,
// a duplicated atom ID in a frame (it would override the real row), a duplicated column name.
TEST(DumpReader, StrictValuesAndIds)
{
  const std::string ok = std::string(kHead2) + "1 0.5 -1.5e-3 +2\n2 .25 3. 1E+2\n";
  EXPECT_EQ(dump_error(ok), "");
  struct Case {
    std::string row2, msg;
  } cases[] = {
      {"2 nan 0 0", "line 11: field 2 (fx): 'nan' is not a finite decimal number"},
      {"2 0 inf 0", "line 11: field 3 (fy): 'inf' is not a finite decimal number"},
      {"2 0 0 -INF", "field 4 (fz): '-INF' is not a finite decimal number"},
      {"2 0x10 0 0", "field 2 (fx): '0x10' is not a finite decimal number"},
      {"2 1e400 0 0", "field 2 (fx): '1e400' is not a finite decimal number"},
      {"2 1.5x 0 0", "field 2 (fx): '1.5x' is not a finite decimal number"},
      {"2 1e 0 0", "field 2 (fx): '1e' is not a finite decimal number"},
      {"4.7 0 0 0", "line 11: field 1 (id): '4.7' is not an atom ID (an integer from 1 to"},
      {"1e30 0 0 0", "field 1 (id): '1e30' is not an atom ID"},
      {"nan 0 0 0", "field 1 (id): 'nan' is not an atom ID"},
      {"0 0 0 0", "field 1 (id): '0' is not an atom ID"},
      {"-2 0 0 0", "field 1 (id): '-2' is not an atom ID"},
      {"0x2 0 0 0", "field 1 (id): '0x2' is not an atom ID"},
      {"99999999999999999999999 0 0 0", "is not an atom ID"},
      {"1 0 0 0", "line 11: field 1 (id): atom ID 1 appears twice in the frame of timestep 0 (first on line 10)"},
  };
  for (const auto &c : cases) {
    const std::string e = dump_error(std::string(kHead2) + "1 0 0 0\n" + c.row2 + "\n");
    EXPECT_NE(e.find(c.msg), std::string::npos) << c.row2 << "\n  got: " << e;
    EXPECT_NE(e.find("strict.dump"), std::string::npos) << e;
  }
  // the largest ID accepted is the caller's (e.g. the tagint range of LAMMPS)
  EXPECT_EQ(dump_error(std::string(kHead2) + "1 0 0 0\n2147483647 0 0 0\n", 2147483647), "");
  EXPECT_NE(dump_error(std::string(kHead2) + "1 0 0 0\n2147483648 0 0 0\n", 2147483647).find("from 1 to 2147483647"),
            std::string::npos);
  // the same ID in two frames is fine
  EXPECT_EQ(dump_error(std::string(kHead2) + "1 0 0 0\n2 0 0 0\n" + kHead2 + "1 0 0 0\n2 0 0 0\n"), "");
  EXPECT_NE(dump_error("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: ATOMS id fx fx\n1 0 0\n")
                .find("column 'fx' appears twice"),
            std::string::npos);
  EXPECT_NE(dump_error("ITEM: TIMESTEP\n0x5\nITEM: NUMBER OF ATOMS\n1\nITEM: ATOMS id\n1\n").find("is not a timestep"),
            std::string::npos);
  EXPECT_NE(dump_error("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1.5\nITEM: ATOMS id\n1\n").find("is not an atom count"),
            std::string::npos);
  // a huge atom count is not allocated up front: the frame is reported truncated
  EXPECT_NE(dump_error("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n9000000000000000000\nITEM: ATOMS id\n1\n")
                .find("truncated frame"),
            std::string::npos);
  // tabs and Windows line ends are whitespace
  EXPECT_EQ(dump_error("ITEM: TIMESTEP\r\n0\r\nITEM: NUMBER OF ATOMS\r\n1\r\nITEM: ATOMS id fx\r\n1\t0.5\r\n"), "");
}

TEST(DumpReader, NumberSyntax)
{
  double v = 0;
  for (const char *t : {"0", "-0", "+1", "1.", ".5", "-.5e-3", "1E+10", "12345678901234567890", "1e-400"})
    EXPECT_TRUE(parse_finite_double(t, v)) << t;
  for (const char *t : {"", "+", ".", "e5", "1e", "1e+", "1.2.3", "nan", "NaN", "inf", "-Infinity", "0x1p3", "1d5",
                        " 1", "1 ", "1,5", "1e309"})
    EXPECT_FALSE(parse_finite_double(t, v)) << t;
  int64_t n = 0;
  EXPECT_TRUE(parse_bounded_integer("9223372036854775807", INT64_MAX, n));
  EXPECT_EQ(n, INT64_MAX);
  EXPECT_FALSE(parse_bounded_integer("9223372036854775808", INT64_MAX, n));
  EXPECT_TRUE(parse_bounded_integer("+42", 42, n));
  EXPECT_EQ(n, 42);
  EXPECT_FALSE(parse_bounded_integer("43", 42, n));
  for (const char *t : {"", "+", "-1", "1.0", "1e3", "0x10", " 1"}) EXPECT_FALSE(parse_bounded_integer(t, 100, n)) << t;
}

TEST(ForceErrorStats, BinsAreBounded)
{
  ForceErrorSettings s;
  s.nF = ForceErrorSettings::MAX_BINS;
  EXPECT_NO_THROW(ForceErrorStats{s});
  s.nF = ForceErrorSettings::MAX_BINS + 1;
  try {
    ForceErrorStats st(s);
    ADD_FAILURE() << "no error for " << s.nF << " bins";
  } catch (Error &e) {
    EXPECT_NE(std::string(e.what()).find("at most 1000000"), std::string::npos) << e.what();
  }
  s.nF = 20;
  s.Fmax = std::numeric_limits<double>::infinity();
  EXPECT_THROW(ForceErrorStats{s}, Error);
}

// ---------------------------------------------------------------- issue 12: calibration rho vs decomposition

namespace {
struct Samples {
  std::vector<double> sigma, err, id, frame;
};
// Samples split over `parts` "ranks" as LAMMPS would (every part its own atoms, frames merged in
// order), then concatenated in part order: what compute force/error gathers on rank 0.
Samples split_and_gather(const Samples &all, int parts, unsigned seed)
{
  std::mt19937 rng(seed);
  std::vector<int> owner(all.sigma.size());
  for (auto &o : owner) o = static_cast<int>(rng() % parts);
  Samples out;
  for (int p = 0; p < parts; ++p)
    for (size_t k = 0; k < all.sigma.size(); ++k)
      if (owner[k] == p) {
        out.sigma.push_back(all.sigma[k]);
        out.err.push_back(all.err[k]);
        out.id.push_back(all.id[k]);
        out.frame.push_back(all.frame[k]);
      }
  return out;
}
}    // namespace

// A perfect-lattice frame gives sigma and |error| of ~1e-15 that are round-off, different for every
// domain decomposition; symmetric atoms have values equal up to round-off. Average ranks of the raw
// values change with that round-off (the np 1 vs np 4 difference of issue 12); calibration_spearman
// ties them (below the floor, or within 1e-9 relative) and sums in (frame, atom ID) order, so any
// split and any round-off give the same rho, bit for bit.
TEST(Spearman, CalibrationIndependentOfDecompositionAndRoundOff)
{
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> noise(1e-16, 3e-15), u(0.05, 0.5), jitter(-1.0, 1.0);
  Samples a, b;    // the same physics, round-off of two decompositions
  for (int frame = 0; frame < 3; ++frame)
    for (int id = 1; id <= 200; ++id) {
      double s, e;
      if (frame == 0) {    // perfect lattice
        a.sigma.push_back(noise(rng));
        a.err.push_back(noise(rng));
        b.sigma.push_back(noise(rng));
        b.err.push_back(noise(rng));
        a.id.push_back(id);
        b.id.push_back(id);
        a.frame.push_back(frame);
        b.frame.push_back(frame);
        continue;
      }
      // frame 1: pairs of symmetric atoms (equal values up to round-off); frame 2: all distinct
      s = frame == 1 ? 0.1 + 0.01 * ((id + 1) / 2) : u(rng);
      e = frame == 1 ? 0.2 - 0.003 * ((id + 1) / 2) : u(rng);
      for (Samples *x : {&a, &b}) {
        x->sigma.push_back(s * (1 + 4e-16 * jitter(rng)));
        x->err.push_back(e * (1 + 4e-16 * jitter(rng)));
        x->id.push_back(id);
        x->frame.push_back(frame);
      }
    }
  const double rho = calibration_spearman(a.sigma, a.err, a.id, a.frame, 1e-6);
  EXPECT_GT(rho, 0.1);
  EXPECT_LT(rho, 0.9);
  for (int parts : {1, 2, 3, 4, 7}) {
    for (const Samples *x : {&a, &b}) {
      const Samples g = split_and_gather(*x, parts, 100 + parts);
      EXPECT_EQ(calibration_spearman(g.sigma, g.err, g.id, g.frame, 1e-6), rho) << parts << " parts";
    }
  }
  // without the ties, the round-off decides: the raw values of the two decompositions disagree
  EXPECT_NE(spearman(a.sigma, a.err), spearman(b.sigma, b.err));
  // below the floor everything is one tie: equal to ranking the other frames with those samples at 0
  Samples z = a;
  for (size_t k = 0; k < z.sigma.size(); ++k)
    if (z.frame[k] == 0) z.sigma[k] = z.err[k] = 0.0;
  EXPECT_NEAR(calibration_spearman(z.sigma, z.err, z.id, z.frame, 1e-6), rho, 1e-15);
  // the floor is the caller's: with floor 0 the perfect-lattice noise is ranked (another value)
  EXPECT_NE(calibration_spearman(a.sigma, a.err, a.id, a.frame, 0.0), rho);
  // distinct values are ranked exactly as spearman() does
  Samples d;
  for (int i = 0; i < 50; ++i) {
    d.sigma.push_back(u(rng));
    d.err.push_back(u(rng));
    d.id.push_back(i + 1);
    d.frame.push_back(0);
  }
  EXPECT_NEAR(calibration_spearman(d.sigma, d.err, d.id, d.frame, 1e-6), spearman(d.sigma, d.err), 1e-14);
  EXPECT_THROW(calibration_spearman({1.0}, {1.0, 2.0}, {1}, {0}, 1e-6), Error);
}

// Merged accumulators number their frames in merge order; the samples keep their atom IDs.
TEST(ForceErrorStats, SamplesCarryAtomIdAndFrame)
{
  ForceErrorStats total, step;
  for (int frame = 0; frame < 3; ++frame) {
    step.clear();
    for (int id = 1; id <= 4; ++id) step.add_uncertainty(0.1 * id, 0.2, id);
    total.merge(step);
  }
  EXPECT_EQ(total.frames(), 3);
  ASSERT_EQ(total.id_samples().size(), 12u);
  EXPECT_EQ(total.id_samples()[5], 2);
  EXPECT_EQ(total.frame_samples()[5], 1);
  EXPECT_EQ(total.frame_samples()[11], 2);
  ForceErrorStats copy;
  copy.restore_samples(total.sigma_samples().data(), total.error_samples().data(), total.id_samples().data(),
                       total.frame_samples().data(), total.sigma_samples().size());
  EXPECT_EQ(copy.frame_samples(), total.frame_samples());
  // NaN samples do not break the ranking (rank last, tied)
  EXPECT_NO_THROW(spearman({1.0, std::nan(""), 2.0, std::nan("")}, {2.0, 1.0, std::nan(""), 3.0}));
}
