// core/fit_driver: reval-fit's least-squares problem. A fit on data labelled by a known linear or
// quadratic SNAP model returns that model (eshift sign included); committee members are fits on the
// bootstrap multiplicities; accumulators split and merged (the MPI reduction) give the same fit; row
// weights follow FitSNAP (eweight, fweight, re_fweight); the SNAP file writers round-trip.
#include "fit_test_support.h"

#include "core/error.h"
#include "core/fit_data.h"
#include "core/fit_driver.h"
#include "core/snap_files.h"
#include "core/snap_models.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <sstream>
#include <unistd.h>

using namespace reval;
using namespace reval::fittest;

namespace {

FitInput make_input(const SnapParams &p, bool quadratic)
{
  FitInput in;
  in.path = "synthetic.in";
  in.snap = p;
  in.quadraticflag = quadratic ? 1 : 0;
  in.groups = {FitGroup{"g", 1.0, 0.0, 1.0, 1.0, 0.0}};
  in.potential_name = "p";
  return in;
}

/// nconf random configurations labelled by `coeffs` (plus Gaussian-free uniform noise of size `noise`
/// on energies and forces when noise > 0, so that the problem has a non-zero residual).
std::vector<FitConfig> make_configs(const FitInput &in, const std::vector<double> &coeffs, int nconf, uint64_t seed,
                                    double noise = 0.0, const std::string &lattice = "diamond")
{
  FitDriver gen(in);
  SplitMix64 rng(seed);
  std::vector<FitConfig> out;
  for (int k = 0; k < nconf; ++k) {
    FitConfig c;
    c.frame = random_frame(rng, in.snap.elements[0], lattice, 1, 0.3);
    label(gen, coeffs, c.frame);
    if (noise > 0.0) {
      c.frame.energy += noise * c.frame.natoms() * (2 * uniform(rng) - 1);
      for (double &f : c.frame.forces) f += noise * (2 * uniform(rng) - 1);
    }
    c.source = "synthetic: frame " + std::to_string(k);
    out.push_back(std::move(c));
  }
  return out;
}

}    // namespace

TEST(FitDriver, LinearFitReturnsTheKnownModelAndEshiftIsAddedToBeta0)
{
  // bzeroflag 0: beta0 is fitted; the fit sees E - N eshift, the written beta0 is the true one
  const SnapParams p = params("Si", 4, 0);
  FitInput in = make_input(p, false);
  const int n = p.ncoeff();
  const auto truth = known_coeffs(1, n, false);
  const auto configs = make_configs(in, truth, 12, 7);
  in.eshift["Si"] = -2.5;
  FitDriver drv(in);
  EXPECT_EQ(drv.ncols(), 1 + n);
  EXPECT_EQ(drv.nfitted(), 1 + n);
  drv.accumulate(configs);
  EXPECT_EQ(drv.nrows(), 12 * (1 + 24));
  const auto models = drv.solve();
  ASSERT_EQ(models.size(), 1u);
  EXPECT_EQ(models[0].solution.rank, 1 + n);
  EXPECT_LT(max_rel_diff(models[0].coeffs, truth), 1e-8);
  EXPECT_NEAR(models[0].solution.x[0], truth[0] + 2.5, 1e-7);    // the solved constant is relative to eshift

  // bzeroflag 1 (FitSNAP): beta0 is not fitted; the written beta0 is eshift, here the true -3.1
  const SnapParams p1 = params("Si", 4, 1);
  FitInput in1 = make_input(p1, false);
  const auto configs1 = make_configs(in1, truth, 12, 7);
  in1.eshift["Si"] = truth[0];
  FitDriver d1(in1);
  EXPECT_EQ(d1.nfitted(), n);
  d1.accumulate(configs1);
  const auto m1 = d1.solve();
  EXPECT_EQ(m1[0].solution.rank, n);
  EXPECT_EQ(m1[0].coeffs[0], truth[0]);
  EXPECT_LT(max_rel_diff(m1[0].coeffs, truth), 1e-8);
  // [SOLVER] RIDGE: a tiny alpha gives the same model, a large one shrinks the coefficients
  FitInput ridge = in1;
  ridge.solver = FitInput::Solver::ridge;
  ridge.ridge_alpha = 1e-12;
  FitDriver dr(ridge);
  dr.accumulate(configs1);
  EXPECT_LT(max_rel_diff(dr.solve()[0].coeffs, truth), 1e-6);
  ridge.ridge_alpha = 1e6;
  FitDriver dr2(ridge);
  dr2.accumulate(configs1);
  const auto shrunk = dr2.solve()[0].coeffs;
  double norm_shrunk = 0.0, norm_truth = 0.0;
  for (size_t k = 1; k < truth.size(); ++k) {
    norm_shrunk += shrunk[k] * shrunk[k];
    norm_truth += truth[k] * truth[k];
  }
  EXPECT_LT(norm_shrunk, 0.5 * norm_truth);
  in1.eshift["Si"] = -truth[0];    // the wrong sign cannot fit the energies
  FitDriver d2(in1);
  d2.accumulate(configs1);
  EXPECT_GT(max_rel_diff(d2.solve()[0].coeffs, truth), 1e-3);
  // the fitted model predicts the data
  const SnapModel m = drv.model(models[0].coeffs);
  for (const FitConfig &c : configs) {
    const FitPrediction pr = drv.predict(m, c.frame, c.source);
    EXPECT_NEAR(pr.energy, c.frame.energy, 1e-9 * std::fabs(c.frame.energy));
    for (size_t k = 0; k < pr.forces.size(); ++k) EXPECT_NEAR(pr.forces[k], c.frame.forces[k], 1e-8);
  }
}

TEST(FitDriver, QuadraticFitReturnsTheKnownModel)
{
  const SnapParams p = params("Ta", 4, 0, 4.6);
  const FitInput in = make_input(p, true);
  const int n = p.ncoeff();
  const auto truth = known_coeffs(1, n, true);
  const auto configs = make_configs(in, truth, 40, 11, 0.0, "bcc");
  FitDriver drv(in);
  EXPECT_EQ(drv.ncols(), 1 + n + n * (n + 1) / 2);
  drv.accumulate(configs);
  const auto models = drv.solve();
  EXPECT_EQ(models[0].solution.rank, drv.ncols()) << "condition number " << models[0].solution.cond;
  EXPECT_LT(max_rel_diff(models[0].coeffs, truth), 1e-6) << "condition number " << models[0].solution.cond;
}

TEST(FitDriver, TwoElementFitReturnsBothBlocks)
{
  const SnapParams p = params2(4, 0);
  const FitInput in = make_input(p, false);
  const int n = p.ncoeff();
  const auto truth = known_coeffs(2, n, false);
  FitDriver gen(in);
  SplitMix64 rng(41);
  std::vector<FitConfig> configs;
  for (int k = 0; k < 14; ++k) {
    FitConfig c;
    c.frame = random_frame(rng, "Si", "diamond", 1, 0.3);
    mix_in(rng, c.frame, "Ge");
    label(gen, truth, c.frame);
    c.source = "mix: frame " + std::to_string(k);
    configs.push_back(c);
  }
  FitDriver drv(in);
  EXPECT_EQ(drv.ncols(), 2 * (1 + n));
  drv.accumulate(configs);
  const auto m = drv.solve()[0];
  EXPECT_EQ(m.solution.rank, 2 * (1 + n));
  EXPECT_LT(max_rel_diff(m.coeffs, truth), 1e-8);
}

TEST(FitDriver, ChemflagFitReturnsTheOrbitSymmetricModel)
{
  // chemflag: bispectrum components of one orbit are equal, so only their sum of coefficients is
  // defined; the SVD's minimum-norm solution spreads it evenly, i.e. returns the orbit-averaged model
  // (the one LAMMPS' chemflag forces are the exact gradient of)
  SnapParams p = params2(2, 0);
  p.chemflag = 1;
  p.bnormflag = 1;
  const FitInput in = make_input(p, false);
  const int n = p.ncoeff();
  auto truth = known_coeffs(2, n, false);
  const SnapDescriptor desc(p);
  for (int e = 0; e < 2; ++e) {
    std::vector<double> sym(n);
    kernels::snap_symmetrize_beta(desc.view(), &truth[e * (1 + n) + 1], sym.data());
    std::copy(sym.begin(), sym.end(), truth.begin() + e * (1 + n) + 1);
  }
  FitDriver gen(in);
  SplitMix64 rng(43);
  std::vector<FitConfig> configs;
  for (int k = 0; k < 16; ++k) {
    FitConfig c;
    c.frame = random_frame(rng, "Si", "diamond", 1, 0.3);
    mix_in(rng, c.frame, "Ge");
    label(gen, truth, c.frame);
    c.source = "chem: frame " + std::to_string(k);
    configs.push_back(c);
  }
  FitDriver drv(in);
  drv.accumulate(configs);
  const auto m = drv.solve()[0];
  EXPECT_LT(m.solution.rank, drv.ncols());    // the orbits make the problem rank-deficient
  EXPECT_LT(max_rel_diff(m.coeffs, truth), 1e-8) << "rank " << m.solution.rank << " of " << drv.ncols();
}

TEST(FitDriver, CommitteeMembersAreFitsOnBootstrapMultiplicities)
{
  const SnapParams p = params("Si", 2, 1);
  FitInput in = make_input(p, false);
  const auto truth = known_coeffs(1, p.ncoeff(), false);
  auto configs = make_configs(in, truth, 9, 3, 0.02);
  configs.push_back(configs[0]);
  configs.back().training = false;    // testing configurations are not fitted
  configs.back().frame.energy += 100.0;
  in.committee = 3;
  in.seed = 99;
  FitDriver drv(in);
  drv.accumulate(configs);
  const auto models = drv.solve();
  ASSERT_EQ(models.size(), 4u);
  for (int m = 0; m < 3; ++m) {
    // reference: a plain fit of the training configurations, each repeated count times
    const auto counts = bootstrap_counts(9, 99, m);
    std::vector<FitConfig> dup;
    for (int k = 0; k < 9; ++k)
      for (int c = 0; c < counts[k]; ++c) dup.push_back(configs[k]);
    FitInput plain = in;
    plain.committee = 0;
    FitDriver ref(plain);
    ref.accumulate(dup);
    const auto r = ref.solve();
    EXPECT_LT(max_rel_diff(models[1 + m].coeffs, r[0].coeffs), 1e-10) << "member " << m;
    EXPECT_GT(max_rel_diff(models[1 + m].coeffs, models[0].coeffs), 1e-6) << "member " << m << " equals the full fit";
  }
  // fit 0 is the committee-free fit
  FitInput plain = in;
  plain.committee = 0;
  FitDriver ref(plain);
  ref.accumulate(configs);
  EXPECT_LT(max_rel_diff(models[0].coeffs, ref.solve()[0].coeffs), 1e-12);
}

TEST(FitDriver, SplitAccumulatorsMergedInOrderGiveTheSameFit)
{
  const SnapParams p = params("Si", 4, 1);
  FitInput in = make_input(p, false);
  in.committee = 2;
  const auto configs = make_configs(in, known_coeffs(1, p.ncoeff(), false), 10, 5, 0.05);
  FitDriver one(in);
  one.accumulate(configs);
  const auto a = one.solve();
  for (int np : {2, 4}) {
    std::vector<std::unique_ptr<FitDriver>> parts;
    for (int r = 0; r < np; ++r) {
      parts.push_back(std::make_unique<FitDriver>(in));
      parts.back()->accumulate(configs, r, np);
    }
    for (int r = 1; r < np; ++r) parts[0]->merge_packed(parts[r]->pack());
    const auto b = parts[0]->solve();
    EXPECT_EQ(parts[0]->nrows(), one.nrows());
    for (size_t m = 0; m < a.size(); ++m) EXPECT_LT(max_rel_diff(b[m].coeffs, a[m].coeffs), 1e-10) << np << " " << m;
  }
  FitInput other = in;
  other.committee = 1;
  FitDriver o(other);
  EXPECT_THROW(o.merge_packed(one.pack()), Error);
  EXPECT_THROW(one.accumulate(configs, 2, 2), Error);
}

TEST(FitDriver, RowWeightsFollowFitSnapAndRareEventAtoms)
{
  const SnapParams p = params("Si", 2, 1);
  FitInput in = make_input(p, false);
  in.groups[0].eweight = 3.0;
  in.groups[0].fweight = 0.5;
  in.re_fweight = 4.0;
  auto configs = make_configs(in, known_coeffs(1, p.ncoeff(), false), 1, 1);
  configs[0].re.assign(8, 0);
  configs[0].re[2] = 1;
  FitDriver drv(in);
  const auto w = drv.row_weights(configs[0]);
  ASSERT_EQ(w.size(), 31u);    // energy, 24 forces, 6 stresses
  EXPECT_EQ(w[0], 3.0);
  for (int i = 0; i < 8; ++i)
    for (int d = 0; d < 3; ++d) EXPECT_EQ(w[1 + 3 * i + d], i == 2 ? 2.0 : 0.5);
  for (int k = 25; k < 31; ++k) EXPECT_EQ(w[k], 0.0);    // stress not fitted
  in.use_energy = false;
  FitDriver drv2(in);
  EXPECT_EQ(drv2.row_weights(configs[0])[0], 0.0);

  // The weights act squared on the residuals (FitSNAP multiplies rows and targets by w): with noisy
  // data, scaling every weight by s leaves the fit unchanged, while changing their ratio does not.
  FitInput a = make_input(p, false), b = a, c = a;
  b.groups[0].eweight = b.groups[0].fweight = 7.0;
  c.groups[0].eweight = 7.0;
  const auto noisy = make_configs(a, known_coeffs(1, p.ncoeff(), false), 6, 2, 0.1);
  std::vector<std::vector<double>> x;
  for (const FitInput *fi : {&a, &b, &c}) {
    FitDriver d(*fi);
    d.accumulate(noisy);
    x.push_back(d.solve()[0].coeffs);
  }
  EXPECT_LT(max_rel_diff(x[1], x[0]), 1e-10);
  EXPECT_GT(max_rel_diff(x[2], x[0]), 1e-6);
}

TEST(FitDriver, StressRowsFollowFitSnapUnitsAndSign)
{
  // Stresses of the known model (ASE sign: -W / V, eV/A^3) are fitted alone: the linear coefficients
  // come back (beta0 changes no stress: SVD leaves it 0), so the virial rows' sign and scale are those
  // of the predictions' virial; with energies and forces too, the whole model comes back.
  const SnapParams p = params("Si", 4, 1);
  FitInput in = make_input(p, false);
  const auto truth = known_coeffs(1, p.ncoeff(), false);
  auto configs = make_configs(in, truth, 12, 21);
  FitDriver gen(in);
  for (FitConfig &c : configs) {
    const FitPrediction pr = gen.predict(gen.model(truth), c.frame, c.source);
    ASSERT_EQ(pr.virial.size(), 6u);
    const double *h = c.frame.cell;
    const double vol = h[0] * h[4] * h[8];    // lower-triangular cell
    for (int k = 0; k < 6; ++k) c.stress.push_back(-pr.virial[k] / vol);
  }
  in.use_stress = true;
  in.use_energy = in.use_force = false;
  in.groups[0].vweight = 1e-4;
  FitDriver drv(in);
  EXPECT_EQ(drv.row_weights(configs[0])[25], 1e-4);
  drv.accumulate(configs);
  EXPECT_EQ(drv.nrows(), 12 * 6);
  const auto x = drv.solve()[0];
  EXPECT_EQ(x.solution.rank, p.ncoeff());
  EXPECT_EQ(x.coeffs[0], 0.0);
  std::vector<double> lin(x.coeffs.begin() + 1, x.coeffs.end()), lt(truth.begin() + 1, truth.end());
  EXPECT_LT(max_rel_diff(lin, lt), 1e-8);
  in.use_energy = in.use_force = true;
  in.eshift["Si"] = truth[0];
  FitDriver all(in);
  all.accumulate(configs);
  const auto fitted = all.solve()[0].coeffs;
  EXPECT_LT(max_rel_diff(fitted, truth), 1e-8);
  // stress metrics (bar): ~0 for the exact fit; a known offset on one component of one configuration
  configs[3].stress[0] += 1e-6;    // eV/A^3 = 1.6021765 bar
  const FitMetrics fm = fit_metrics(all, all.model(fitted), configs);
  EXPECT_EQ(fm.set(-1, true).stress_n, 12 * 6);
  EXPECT_NEAR(fm.set(-1, true).stress_rmse(), std::sqrt(1.6021765 * 1.6021765 / 72.0), 1e-6);
  EXPECT_NE(fm.markdown("t").find("stress RMSE (bar)"), std::string::npos);
  configs[3].stress.clear();
  FitDriver bad(in);
  EXPECT_THROW(bad.accumulate(configs), Error);
}

TEST(FitData, StressFromStressOrVirialKeys)
{
  XyzFrame f;
  f.cell[0] = 2.0;
  f.cell[4] = 3.0;
  f.cell[8] = 4.0;
  double s[6];
  EXPECT_FALSE(frame_stress(f, "x.xyz: frame 0", s));
  f.info["stress"] = "1 6 5 6 2 4 5 4 3";
  ASSERT_TRUE(frame_stress(f, "x.xyz: frame 0", s));
  const double voigt[6] = {1, 2, 3, 4, 5, 6};
  for (int k = 0; k < 6; ++k) EXPECT_EQ(s[k], voigt[k]);
  f.info["stress"] = "1 2 3 4 5 6";
  ASSERT_TRUE(frame_stress(f, "x.xyz: frame 0", s));
  for (int k = 0; k < 6; ++k) EXPECT_EQ(s[k], voigt[k]);
  f.info.clear();
  f.info["Virial"] = "24 48 72 96 120 144";
  ASSERT_TRUE(frame_stress(f, "x.xyz: frame 0", s));
  for (int k = 0; k < 6; ++k) EXPECT_DOUBLE_EQ(s[k], -voigt[k]);    // -virial / V, V = 24
  f.info["Virial"] = "1 2 3";
  try {
    frame_stress(f, "x.xyz: frame 2", s);
    FAIL();
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("x.xyz: frame 2: Virial must hold 9"), std::string::npos) << e.what();
  }
  f.info["Virial"] = "1 2 3 4 5 nan";
  EXPECT_THROW(frame_stress(f, "x.xyz: frame 2", s), Error);
}

TEST(FitDriver, DataErrorsNameTheConfiguration)
{
  const SnapParams p = params("Si", 2, 1);
  const FitInput in = make_input(p, false);
  auto configs = make_configs(in, known_coeffs(1, p.ncoeff(), false), 2, 1);
  configs[1].frame.forces.clear();
  configs[1].source = "data/x.xyz: frame 1";
  FitDriver drv(in);
  try {
    drv.accumulate(configs);
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("data/x.xyz: frame 1: no forces"), std::string::npos) << e.what();
  }
  configs[1] = configs[0];
  configs[1].frame.species[3] = "Ge";
  configs[1].source = "data/y.xyz: frame 4";
  FitDriver drv2(in);
  try {
    drv2.accumulate(configs);
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("data/y.xyz: frame 4"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Ge"), std::string::npos) << e.what();
  }
  FitDriver empty(in);
  EXPECT_THROW(empty.solve(), Error);
}

TEST(FitDriver, InnerSwitchingFitReturnsTheModelAndItsFilesLoad)
{
  SnapParams p = params("Si", 4, 0);
  p.switchinnerflag = 1;
  p.sinnerelem = {2.1};
  p.dinnerelem = {0.5};    // switching over 1.6 .. 2.6 A: nearest neighbours of Si (2.35 A) feel it
  const FitInput in = make_input(p, false);
  const auto truth = known_coeffs(1, p.ncoeff(), false);
  const auto configs = make_configs(in, truth, 10, 17);
  FitDriver drv(in);
  drv.accumulate(configs);
  const auto coeffs = drv.solve()[0].coeffs;
  EXPECT_LT(max_rel_diff(coeffs, truth), 1e-8);
  // without the inner switching the same data cannot be fitted exactly (the switching matters here)
  FitInput plain = in;
  plain.snap.switchinnerflag = 0;
  plain.snap.sinnerelem.clear();
  plain.snap.dinnerelem.clear();
  FitDriver d0(plain);
  d0.accumulate(configs);
  EXPECT_GT(max_rel_diff(d0.solve()[0].coeffs, truth), 1e-4);
  // the written files carry the inner switching and load back as the same potential
  char dir[] = "/tmp/reval-inner-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string base = std::string(dir) + "/pot";
  write_snapparam(base + ".snapparam", p, false);
  write_snapcoeff(base + ".snapcoeff", p, false, coeffs);
  const SnapPotential pot = load_snap_potential(base + ".snapcoeff", base + ".snapparam", {"Si"});
  EXPECT_EQ(pot.params.difference(p), "");
  const FitPrediction a = drv.predict(pot.model, configs[0].frame), b = drv.predict(drv.model(coeffs), configs[0].frame);
  EXPECT_EQ(a.energy, b.energy);
  std::system(("rm -rf " + std::string(dir)).c_str());
}

TEST(SnapFileWriters, RoundTripAndLoadAsPairSnap)
{
  SnapParams p = params("Si", 4, 0, 4.9);
  p.rfac0 = 0.99363;
  p.rmin0 = 0.1;
  p.wjelem = {0.75};
  for (bool quad : {false, true}) {
    const int n = p.ncoeff();
    auto c = known_coeffs(1, n, quad);
    c[3] = 1.0 / 3.0;    // needs all 17 digits
    char dir[] = "/tmp/reval-writers-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    const std::string base = std::string(dir) + "/pot";
    write_snapparam(base + ".snapparam", p, quad, {"test"});
    write_snapcoeff(base + ".snapcoeff", p, quad, c, {"test", "second line"});
    const SnapParamFile pf = read_snapparam(base + ".snapparam");
    const SnapCoeffFile cf = read_snapcoeff(base + ".snapcoeff");
    EXPECT_EQ(pf.rcutfac, p.rcutfac);
    EXPECT_EQ(pf.twojmax, 4);
    EXPECT_EQ(pf.rfac0, p.rfac0);
    EXPECT_EQ(pf.rmin0, p.rmin0);
    EXPECT_EQ(pf.bzeroflag, 0);
    EXPECT_EQ(pf.quadraticflag, quad ? 1 : 0);
    ASSERT_EQ(cf.blocks.size(), 1u);
    EXPECT_EQ(cf.blocks[0].element, "Si");
    EXPECT_EQ(cf.blocks[0].radius, 0.5);
    EXPECT_EQ(cf.blocks[0].weight, 0.75);
    EXPECT_EQ(cf.blocks[0].coeffs, c);    // bitwise
    const SnapPotential pot = load_snap_potential(base + ".snapcoeff", base + ".snapparam", {"Si"});
    EXPECT_EQ(pot.params.difference(p), "");
    EXPECT_EQ(pot.model.coeff(), c);
    std::ifstream f(base + ".snapcoeff");
    std::string first;
    std::getline(f, first);
    EXPECT_NE(first.find("UNITS: metal"), std::string::npos);
    std::system(("rm -rf " + std::string(dir)).c_str());
  }
  std::ostringstream out;
  auto c = known_coeffs(1, p.ncoeff(), false);
  EXPECT_THROW(write_snapcoeff(out, p, true, c), Error);    // wrong count
  c[2] = std::nan("");
  EXPECT_THROW(write_snapcoeff(out, p, false, c), Error);
  EXPECT_THROW(write_snapparam("/nonexistent-dir/x.snapparam", p, false), Error);
  EXPECT_EQ(committee_member_file("out/pot", 3), "out/pot_3.snapcoeff");
}
