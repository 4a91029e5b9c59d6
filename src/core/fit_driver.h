/// @file fit_driver.h
/// The fit of reval-fit, LAMMPS-free and MPI-free: the weighted least-squares problem of a linear or
/// quadratic SNAP fit (rows from SnapFitRows, one configuration at a time, folded into LinearFit
/// accumulators of O(ncols^2) memory), its solution, the committee of bootstrap fits, and the
/// predictions of a fitted model for the metrics. The program (src/tools/reval_fit.cpp) adds the MPI
/// reduction: each rank accumulates a part of the configurations, pack() / merge_packed() carry the
/// accumulators to rank 0, which merges them in rank order.
///
/// Conventions (FitSNAP's, doc/reval_fit.md):
///  - energy row of a configuration of N atoms: (energy row of SnapFitRows) / N, target
///    (E - sum_i eshift[element of i]) / N (energy per atom), row weight eweight of its group;
///  - force rows: target the reference force components, row weight fweight, times re_fweight on the
///    three rows of a rare-event (migrating) atom;
///  - FitSNAP multiplies rows and targets by the row weight w, so the squared residual is weighted by
///    w^2: LinearFit gets w^2 (times the bootstrap multiplicity of the configuration for a committee
///    member: a configuration drawn c times counts c times);
///  - the constant beta0 of each element is fitted only with bzeroflag = 0 (FitSNAP's one-hot column:
///    the fraction of atoms of the element in the energy row, 0 in force and stress rows); with
///    bzeroflag = 1 the descriptors of an isolated atom are 0 and beta0 is not fitted (FitSNAP writes
///    0): the isolated-atom energy then comes from [ESHIFT];
///  - the written beta0 of element e is the fitted constant (0 with bzeroflag = 1) plus eshift[e], so
///    that the written potential predicts total energies.
///  - stress rows ([CALCULATOR] stress = 1), as FitSNAP: the six virial rows of SnapFitRows (Voigt xx
///    yy zz yz xz xy) times kFitSnapBar / V, target the pressure tensor in bar (-stress x kFitSnapBar,
///    the data's stress being in eV/A^3 with ASE's sign), row weight vweight of the group.
#pragma once

#include "core/fit_data.h"
#include "core/fit_input.h"
#include "core/fit_metrics.h"
#include "core/frame_images.h"
#include "core/linear_fit.h"
#include "core/snap_descriptor.h"
#include "core/snap_engine.h"
#include "core/snap_fit_rows.h"
#include "core/snap_models.h"

#include <memory>
#include <string>
#include <vector>

namespace reval {

/// One fitted model: coefficients in the .snapcoeff layout (per element a block of
/// SnapFitRows::block() values: beta0 with eshift added, linear, [quadratic]) and the solver's report.
struct FitModel {
  std::vector<double> coeffs;      ///< nelements x block
  LinearFitSolution solution;      ///< x (the fitted columns, FitDriver::nfitted(), without eshift), rank, ...
};

class FitDriver {
 public:
  /// Builds the descriptor tables of in.snap and the row assembly (throws reval::Error).
  explicit FitDriver(const FitInput &in);

  const FitInput &input() const { return m_in; }
  const SnapParams &params() const { return m_desc->params(); }
  std::shared_ptr<const SnapDescriptor> descriptor() const { return m_desc; }
  bool quadratic() const { return m_rows.quadratic(); }
  int ncoeff() const { return m_rows.ncoeff(); }
  int block() const { return m_rows.block(); }
  int ncols() const { return m_rows.ncols(); }
  /// Columns actually fitted: ncols(), less the nelements beta0 columns with bzeroflag = 1.
  int nfitted() const { return static_cast<int>(m_fitcols.size()); }
  /// Fits accumulated: 1 (all training configurations) + committee members.
  int nfits() const { return static_cast<int>(m_fits.size()); }
  /// Rows (non-zero weight) folded into fit 0 so far.
  long long nrows() const { return m_fits[0].nrows(); }

  /// Adds the rows of the training configurations of `configs` whose training index t (position
  /// among the training configurations of `configs`, 0-based) has t % nparts == part: into fit 0 with
  /// their weights, into committee member m with weight x bootstrap_counts(ntrain, seed, m)[t]. The
  /// rows of a configuration are computed once for all fits. Testing configurations are skipped.
  /// Errors name the configuration (FitConfig::source).
  void accumulate(const std::vector<FitConfig> &configs, int part = 0, int nparts = 1);

  /// Every accumulator's state as plain doubles (nfits x LinearFit::pack()), for the MPI reduction.
  std::vector<double> pack() const;
  /// Folds in the packed state of another FitDriver with the same input (Error on a size mismatch).
  void merge_packed(const std::vector<double> &packed);

  /// Solves every fit ([SOLVER]: SVD or RIDGE with [RIDGE] alpha): [0] the fit on all training
  /// configurations, [1..M] the committee members. Throws reval::Error if nothing was accumulated.
  std::vector<FitModel> solve() const;

  /// The model of coefficients `coeffs` (nelements x block, as FitModel::coeffs).
  SnapModel model(const std::vector<double> &coeffs) const;
  /// Energy (eV), forces (3N, eV/A) and virial (6, eV) of `model` on `frame` through REVAL's SNAP
  /// engine (the code pair_style snap/model runs; LAMMPS pair snap with the written files gives the
  /// same values).
  FitPrediction predict(const SnapModel &model, const XyzFrame &frame, const std::string &where = "frame");

  /// Row weights (FitSNAP's, before squaring) of configuration `c`: [0] the energy row (0 if the
  /// energy is not fitted), then the 3N force rows (0 if forces are not fitted), then the 6 stress
  /// rows (0 if stresses are not fitted). For tests and reports.
  std::vector<double> row_weights(const FitConfig &c) const;

 private:
  FitInput m_in;
  std::shared_ptr<const SnapDescriptor> m_desc;
  SnapFitRows m_rows;
  SnapEngine m_engine;
  std::vector<LinearFit> m_fits;
  std::vector<double> m_eshift;    // per element (eV/atom)
  std::vector<int> m_fitcols;      // fitted columns (indices into the SnapFitRows columns)
  // scratch
  std::vector<double> m_a, m_ac, m_b, m_w, m_wm;
  SnapShortList m_list;
  std::vector<FrameImage> m_images;
  FrameNeighbours m_nb;
  std::vector<double> m_dedr;
};

/// Metrics of `model` on `configs` (testing configurations only when in.compute_testerrs): predictions
/// through driver.predict(), accumulated in configuration order.
FitMetrics fit_metrics(FitDriver &driver, const SnapModel &model, const std::vector<FitConfig> &configs);

}    // namespace reval
