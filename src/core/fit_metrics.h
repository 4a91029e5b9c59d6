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
};

/// Accumulated metrics of one set of configurations.
struct FitMetricsSet {
  ForceErrorStats all, re;    ///< all atoms; RE atoms only (empty if the group has no RE labels)
  long configs = 0;
};

class FitMetrics {
 public:
  /// Groups of the input (names), each with a training and a testing set.
  explicit FitMetrics(const std::vector<std::string> &groups);
  /// Adds one configuration and its prediction (sizes must match the frame: Error otherwise).
  void add(const FitConfig &c, const FitPrediction &p);
  /// The set of `group` (-1: all groups pooled), training or testing.
  const FitMetricsSet &set(int group, bool training) const;
  /// Markdown: one table of all/train/test per group and pooled, and one of the RE-atom metrics.
  std::string markdown(const std::string &title) const;

 private:
  std::vector<std::string> m_groups;
  std::vector<FitMetricsSet> m_sets;    // (group + 1) * 2 + (training ? 0 : 1); group -1 = pooled
  FitMetricsSet &at(int group, bool training) { return m_sets[(group + 1) * 2 + (training ? 0 : 1)]; }
};

}    // namespace reval
