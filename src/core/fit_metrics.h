/// @file fit_metrics.h
/// The metrics report of reval-fit: per group and for the training and testing sets, the energy RMSE
/// per atom, the force RMSE and MAE (per component) on all atoms, and on the rare-event (RE,
/// migrating) atoms the metrics of Liu, He & Mo (2023) that compute force/error reports (dF > 0.5,
/// dtheta > 15 degrees, NAC of dF and dtheta, the force performance score P). One implementation of
/// the metrics: reval::ForceErrorStats and kernels::force_error_terms, as compute force/error.
#pragma once

#include "core/fit_data.h"
#include "core/force_error_stats.h"

#include <string>
#include <vector>

namespace reval {

/// Predictions of a model for one configuration.
struct FitPrediction {
  double energy = 0.0;            ///< eV
  std::vector<double> forces;     ///< 3N, eV/A
  /// Virial W (eV) as LAMMPS' pair virial (pressure = W / V; ASE stress = -W / V), Voigt xx yy zz yz xz
  /// xy; empty if not computed.
  std::vector<double> virial;
};

/// Accumulated metrics of one set of configurations.
struct FitMetricsSet {
  ForceErrorStats all, re;    ///< all atoms; RE atoms only (empty if the group has no RE labels)
  long configs = 0;
  /// Stress residuals (bar, per component, Voigt 6 per configuration) of the configurations with a
  /// stress (FitConfig::stress) and a predicted virial: sum of squares and count.
  double stress_sq = 0.0;
  long stress_n = 0;
  /// RMSE of the stress components (bar), NaN if none.
  double stress_rmse() const;
};

class FitMetrics {
 public:
  /// Groups of the input (names), each with a training and a testing set.
  explicit FitMetrics(const std::vector<std::string> &groups);
  /// Adds one configuration and its prediction (sizes must match the frame: Error otherwise). The stress
  /// is compared when the configuration has one and the prediction a virial (-virial / V vs stress).
  void add(const FitConfig &c, const FitPrediction &p);
  /// The set of `group` (-1: all groups pooled), training or testing.
  const FitMetricsSet &set(int group, bool training) const;
  /// Markdown: one table of all/train/test per group and pooled (with a stress RMSE column in bar when
  /// stresses were compared), and one of the RE-atom metrics.
  std::string markdown(const std::string &title) const;

 private:
  std::vector<std::string> m_groups;
  std::vector<FitMetricsSet> m_sets;    // (group + 1) * 2 + (training ? 0 : 1); group -1 = pooled
  FitMetricsSet &at(int group, bool training) { return m_sets[(group + 1) * 2 + (training ? 0 : 1)]; }
};

}    // namespace reval
