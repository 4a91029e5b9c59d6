/// @file snap_dbdr_plan.h
/// Host tables of kernels::SnapDbdrPlanView (the layer-grouped terms of dB/dr, kernels/point/snap_dbdr.hpp)
/// for one SnapDescriptor. Immutable once built.
#pragma once

#include "core/snap_descriptor.h"
#include "kernels/point/snap_dbdr.hpp"

#include <vector>

namespace reval {

class SnapDbdrPlan {
 public:
  explicit SnapDbdrPlan(const SnapDescriptor &desc);
  SnapDbdrPlan(const SnapDbdrPlan &) = delete;    // the view points into this object
  SnapDbdrPlan &operator=(const SnapDbdrPlan &) = delete;
  const kernels::SnapDbdrPlanView &view() const { return m_view; }

 private:
  std::vector<int> m_half, m_pair0, m_zmat_offset, m_zblock, m_zpair, m_term0, m_target;
  std::vector<double> m_factor;
  kernels::SnapDbdrPlanView m_view;
};

}    // namespace reval
