// Diffusivity fit, default window, N_eff and the He et al. (2018) relative standard deviation.
#include "core/diffusion.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace reval;

TEST(Diffusion, LineFitRecoversSlopeAndIntercept)
{
  std::vector<double> t, msd;
  for (int k = 0; k <= 100; ++k) {
    t.push_back(0.1 * k);
    msd.push_back(6 * 0.25 * 0.1 * k + 0.3);
  }
  auto f = fit_diffusivity(t, msd, 2.0, 7.0);
  EXPECT_NEAR(f.D, 0.25, 1e-12);
  EXPECT_NEAR(f.intercept, 0.3, 1e-10);
  EXPECT_EQ(f.npoints, 51);
  EXPECT_TRUE(f.fitted);
  EXPECT_NEAR(fit_diffusivity(t, msd, 0.0, 10.0, 1).D, 0.75, 1e-12) << "1-d: MSD = 2 D t";
}

// Not fitted is not a diffusivity of 0: a window with fewer than 2 samples, beyond the data, or with
// no spread in time gives fitted = false and NaN.
TEST(Diffusion, NoFitIsNaNNotZero)
{
  std::vector<double> t, msd;
  for (int k = 0; k <= 100; ++k) {
    t.push_back(0.1 * k);
    msd.push_back(6 * 0.25 * 0.1 * k + 0.3);
  }
  for (auto w : {std::make_pair(5.0, 5.0), std::make_pair(20.0, 30.0), std::make_pair(5.01, 5.09)}) {
    const auto f = fit_diffusivity(t, msd, w.first, w.second);
    EXPECT_FALSE(f.fitted) << w.first << " " << w.second;
    EXPECT_TRUE(std::isnan(f.D)) << w.first << " " << w.second;
    EXPECT_TRUE(std::isnan(f.intercept));
    EXPECT_LE(f.npoints, 1);
  }
  const auto same_time = fit_diffusivity({1.0, 1.0, 1.0}, {0.0, 1.0, 2.0}, 0.0, 2.0);
  EXPECT_EQ(same_time.npoints, 3);
  EXPECT_FALSE(same_time.fitted) << "no spread in t";
  EXPECT_TRUE(std::isnan(same_time.D));
}

TEST(Diffusion, DefaultWindowAndErrorBar)
{
  std::vector<double> t = {0, 1, 2, 3, 4, 5}, msd = {0, 1, 2.9, 3.0, 5, 6};
  auto w = default_fit_window(t, msd, 2.35, 5.0);    // 0.5 a^2 = 2.76
  EXPECT_EQ(w.first, 2.0);
  EXPECT_EQ(w.second, 3.5);
  auto none = default_fit_window(t, {0, 0, 0, 0, 0, 0}, 2.35, 5.0);
  EXPECT_TRUE(std::isinf(none.first));
  // dilute defects: per-atom MSD stays small, the total TMSD passes 0.5 a^2 at t = 1
  auto dilute = default_fit_window(t, {0, .01, .02, .03, .04, .05}, 2.35, 5.0, 0.7, {0, 3, 6, 9, 12, 15});
  EXPECT_EQ(dilute.first, 1.0);
  EXPECT_EQ(dilute.second, 3.5);
  EXPECT_NEAR(effective_hops({0, 10, 55.225, 30}, 2.35), 10.0, 1e-12);
  EXPECT_NEAR(diffusivity_rsd(100.0), 0.383, 1e-12);
  EXPECT_TRUE(std::isinf(diffusivity_rsd(0.0)));
}

// fix re/stats' estimate from origin-averaged lag sums: two origins, TMSD(t) = N (6 D t + c) at every lag
// (the second origin reaches only the first half of the lags); automatic and given windows; NaN when
// the window holds fewer than 2 samples.
TEST(Diffusion, EstimateFromOriginAveragedLags)
{
  const double D = 0.4, c = 0.2, a = 2.35, natoms = 8;
  std::vector<double> times, lag_sum, lag_count;
  for (int l = 0; l <= 200; ++l) {
    const double t = 0.05 * l, tmsd = natoms * (6 * D * t + c);
    times.push_back(t);
    const double origins = l <= 100 ? 2.0 : 1.0;
    lag_sum.push_back(origins * tmsd);
    lag_count.push_back(origins);
  }
  const DiffusionEstimate e = estimate_diffusion(times, lag_sum, lag_count, natoms, a, -1.0, -1.0, 3);
  ASSERT_TRUE(e.fitted);
  EXPECT_NEAR(e.D, D, 1e-12);
  // MSD reaches 0.5 a^2 at t = (0.5 a^2 - c) / 6D; the window ends at 0.7 x 10
  const double t0 = (0.5 * a * a - c) / (6 * D);
  EXPECT_GE(e.window[0], t0);
  EXPECT_LT(e.window[0], t0 + 0.05);
  EXPECT_DOUBLE_EQ(e.window[1], 7.0);
  EXPECT_EQ(e.npoints, static_cast<int>(std::floor(7.0 / 0.05 + 1e-9) - std::ceil(e.window[0] / 0.05 - 1e-9)) + 1);
  const double tmsd_max = natoms * (6 * D * 10.0 + c);
  EXPECT_NEAR(e.n_eff, tmsd_max / (a * a), 1e-9);
  EXPECT_NEAR(e.sigma_D, D * (3.43 / std::sqrt(e.n_eff) + 0.04), 1e-12);

  const DiffusionEstimate w = estimate_diffusion(times, lag_sum, lag_count, natoms, a, 1.0, 2.0, 1);
  EXPECT_NEAR(w.D, 3 * D, 1e-12) << "1-d: MSD = 2 D t";
  EXPECT_EQ(w.npoints, 21);
  EXPECT_DOUBLE_EQ(w.window[0], 1.0);
  EXPECT_DOUBLE_EQ(w.window[1], 2.0);

  const DiffusionEstimate none = estimate_diffusion(times, lag_sum, lag_count, natoms, a, 20.0, 30.0, 3);
  EXPECT_FALSE(none.fitted);
  EXPECT_TRUE(std::isnan(none.D));
  EXPECT_TRUE(std::isnan(none.sigma_D));
  EXPECT_NEAR(none.n_eff, e.n_eff, 1e-12) << "N_eff does not depend on the window";
}
