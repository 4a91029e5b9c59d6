// core/fit_metrics: reval-fit's report numbers equal hand-computed RMSE/MAE and the RE-atom metrics of
// compute force/error, per group and set, pooled over groups.
#include "core/error.h"
#include "core/fit_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace {
reval::FitConfig config(int group, bool training, double energy, std::vector<double> forces, std::vector<int> re)
{
  reval::FitConfig c;
  c.group = group;
  c.training = training;
  c.source = "t.xyz: frame 0";
  c.frame.cell[0] = c.frame.cell[4] = c.frame.cell[8] = 10.0;
  const int n = static_cast<int>(forces.size() / 3);
  for (int i = 0; i < n; ++i) {
    c.frame.species.push_back("Si");
    c.frame.pos.insert(c.frame.pos.end(), {1.0 * i, 0.0, 0.0});
  }
  c.frame.forces = forces;
  c.frame.has_energy = true;
  c.frame.energy = energy;
  c.re = re;
  return c;
}
}    // namespace

TEST(FitMetrics, RmseMaeEnergyAndReAtoms)
{
  reval::FitMetrics m({"A", "B"});
  // group A training: 2 atoms, errors (0.3, 0, 0) and (0, -0.4, 0); energy error 0.2 eV over 2 atoms
  auto a = config(0, true, -10.0, {1, 0, 0, 0, 1, 0}, {1, 0});
  m.add(a, {-9.8, {1.3, 0, 0, 0, 0.6, 0}});
  // group B testing: 1 RE atom whose force turned by 90 degrees with the same magnitude
  auto b = config(1, false, -5.0, {1, 0, 0}, {1});
  m.add(b, {-5.0, {0, 1, 0}});
  using R = reval::ForceErrorStats;
  const auto ta = m.set(0, true).all.results();
  EXPECT_EQ(ta[R::N_COUNTED], 2);
  EXPECT_NEAR(ta[R::RMSE_COMPONENTS], std::sqrt((0.09 + 0.16) / 6.0), 1e-14);
  EXPECT_NEAR(ta[R::MAE_COMPONENTS], 0.7 / 6.0, 1e-14);
  EXPECT_NEAR(ta[R::ENERGY_RMSE_PER_ATOM], 0.1, 1e-14);
  const auto ra = m.set(0, true).re.results();
  EXPECT_EQ(ra[R::N_COUNTED], 1);
  EXPECT_NEAR(ra[R::RMSE_COMPONENTS], std::sqrt(0.09 / 3.0), 1e-14);
  const auto rb = m.set(1, false).re.results();
  EXPECT_EQ(rb[R::FRAC_DTHETA_ABOVE_1], 1.0);    // 90 degrees > 15
  EXPECT_EQ(m.set(1, true).configs, 0);
  const auto pooled = m.set(-1, true).all.results();
  EXPECT_EQ(pooled[R::N_COUNTED], 2);            // only A is training
  EXPECT_EQ(m.set(-1, false).re.results()[R::N_COUNTED], 1);
  const std::string md = m.markdown("si_re");
  EXPECT_NE(md.find("| A | training | 1 | 2 | 0.1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("Rare-event"), std::string::npos);
  EXPECT_THROW(m.add(a, {-9.8, {1.3, 0, 0}}), reval::Error);    // 1 force for 2 atoms
}
