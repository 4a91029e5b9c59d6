#include "core/fit_metrics.h"

#include "core/error.h"
#include "kernels/point/force_error.hpp"

#include <cmath>
#include <cstdio>

namespace reval {

FitMetrics::FitMetrics(const std::vector<std::string> &groups) : m_groups(groups), m_sets((groups.size() + 1) * 2) {}

void FitMetrics::add(const FitConfig &c, const FitPrediction &p)
{
  const int n = c.frame.natoms();
  if (c.group < 0 || c.group >= static_cast<int>(m_groups.size())) throw Error(c.source + ": unknown group index");
  const bool forces = !c.frame.forces.empty();
  if (forces && static_cast<int>(p.forces.size()) != 3 * n)
    throw Error(c.source + ": the prediction has " + std::to_string(p.forces.size() / 3) + " forces for " +
                std::to_string(n) + " atoms");
  const bool stress = c.stress.size() == 6 && p.virial.size() == 6;
  double dstress[6] = {0, 0, 0, 0, 0, 0};
  if (stress) {
    const double vol = frame_volume(c.frame);
    if (!(vol > 0.0)) throw Error(c.source + ": the cell has no volume");
    for (int k = 0; k < 6; ++k) dstress[k] = (-p.virial[k] / vol - c.stress[k]) * kFitSnapBar;
  }
  for (FitMetricsSet *s : {&at(c.group, c.training), &at(-1, c.training)}) {
    ++s->configs;
    if (stress) {
      for (double d : dstress) s->stress_sq += d * d;
      s->stress_n += 6;
    }
    if (c.frame.has_energy) s->all.add_energy(p.energy - c.frame.energy, n);
    if (!forces) continue;
    const double fmin = s->all.settings().fmin;
    for (int i = 0; i < n; ++i) {
      const auto t = kernels::force_error_terms(&c.frame.forces[3 * i], &p.forces[3 * i], fmin);
      s->all.add(t);
      if (!c.re.empty() && c.re[i]) s->re.add(t);
    }
  }
}

double FitMetricsSet::stress_rmse() const
{
  return stress_n > 0 ? std::sqrt(stress_sq / static_cast<double>(stress_n)) : std::nan("");
}

const FitMetricsSet &FitMetrics::set(int group, bool training) const
{
  return m_sets[(group + 1) * 2 + (training ? 0 : 1)];
}

namespace {
std::string fmt(double v, const char *f = "%.4g")
{
  if (std::isnan(v)) return "-";
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}
}    // namespace

std::string FitMetrics::markdown(const std::string &title) const
{
  using R = ForceErrorStats;
  bool any_stress = false;
  for (const FitMetricsSet &x : m_sets) any_stress = any_stress || x.stress_n > 0;
  std::string s = "# " + title + "\n\n## Energies and forces\n\n";
  s += "| group | set | configs | atoms | energy RMSE (eV/atom) | force RMSE (eV/A) | force MAE (eV/A) |";
  s += any_stress ? " stress RMSE (bar) |\n|---|---|---|---|---|---|---|---|\n" : "\n|---|---|---|---|---|---|---|\n";
  std::string re = "## Rare-event (migrating) atoms\n\n";
  re += "| group | set | RE atoms | force RMSE | dF > 0.5 | dtheta > 15 deg | NAC(dF) | NAC(dtheta) | P |\n";
  re += "|---|---|---|---|---|---|---|---|---|\n";
  bool any_re = false;
  for (int g = 0; g <= static_cast<int>(m_groups.size()); ++g) {
    const int gi = g == static_cast<int>(m_groups.size()) ? -1 : g;
    const std::string name = gi < 0 ? "**all**" : m_groups[gi];
    for (bool training : {true, false}) {
      const FitMetricsSet &x = set(gi, training);
      if (x.configs == 0) continue;
      const auto a = x.all.results();
      const char *set_name = training ? "training" : "testing";
      s += "| " + name + " | " + set_name + " | " + std::to_string(x.configs) + " | " + fmt(a[R::N_COUNTED], "%.0f") +
          " | " + fmt(a[R::ENERGY_RMSE_PER_ATOM]) + " | " + fmt(a[R::RMSE_COMPONENTS]) + " | " +
          fmt(a[R::MAE_COMPONENTS]) + " |" + (any_stress ? " " + fmt(x.stress_rmse()) + " |" : "") + "\n";
      const auto r = x.re.results();
      if (r[R::N_COUNTED] > 0) {
        any_re = true;
        re += "| " + name + " | " + set_name + " | " + fmt(r[R::N_COUNTED], "%.0f") + " | " +
            fmt(r[R::RMSE_COMPONENTS]) + " | " + fmt(r[R::FRAC_DF_ABOVE]) + " | " + fmt(r[R::FRAC_DTHETA_ABOVE_1]) +
            " | " + fmt(r[R::NAC_DF]) + " | " + fmt(r[R::NAC_DTHETA]) + " | " + fmt(r[R::P_SCORE]) + " |\n";
      }
    }
  }
  s += "\n";
  if (any_re) s += re + "\n";
  else s += "No rare-event atoms (no group has re_sites, or none is migrating).\n";
  return s;
}

}    // namespace reval
