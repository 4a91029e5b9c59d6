// reval-fit against LAMMPS (issue 16, "Done when" exactness): synthetic training data made by LAMMPS
// pair snap with a known linear SNAP (Si, twojmax 6, stresses fitted too, committee of 2), a known
// quadratic SNAP (Ta, twojmax 4) and two-element linear SNAPs (Si + Ge, with and without chemflag) on
// random perturbed, strained triclinic cells, written as extended XYZ; reval-fit
// returns the known coefficients (1e-6 relative to the largest); the energies and forces it reports
// for its fitted model (--predictions) equal LAMMPS pair snap run with the written files (1e-9); the
// written files, committee members included, load in pair_style snap/model with the same energies.
#include "lammps_session.h"

#include "../unit/fit_test_support.h"
#include "core/extxyz.h"
#include "core/fit_driver.h"
#include "core/snap_files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

using namespace reval;
using namespace reval::fittest;
using reval::test::LammpsSession;

namespace {

std::string g17(double v)
{
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

/// A LAMMPS data file of frame f (restricted triclinic cell); atom type = 1 + position of the species in
/// `elements`.
void write_data_file(const std::string &path, const XyzFrame &f, double mass, const std::vector<std::string> &elements)
{
  std::ofstream o(path);
  o << "reval-fit test\n\n" << f.natoms() << " atoms\n" << elements.size() << " atom types\n\n"
    << "0 " << g17(f.cell[0]) << " xlo xhi\n0 " << g17(f.cell[4]) << " ylo yhi\n0 " << g17(f.cell[8]) << " zlo zhi\n"
    << g17(f.cell[3]) << " " << g17(f.cell[6]) << " " << g17(f.cell[7]) << " xy xz yz\n\nMasses\n\n";
  for (size_t t = 0; t < elements.size(); ++t) o << t + 1 << " " << mass << "\n";
  o << "\nAtoms # atomic\n\n";
  for (int i = 0; i < f.natoms(); ++i)
    o << i + 1 << " " << 1 + (std::find(elements.begin(), elements.end(), f.species[i]) - elements.begin()) << " "
      << g17(f.pos[3 * i]) << " " << g17(f.pos[3 * i + 1]) << " " << g17(f.pos[3 * i + 2]) << "\n";
}

/// Energy, forces (by atom ID order) and stress (3 x 3, ASE sign: -pressure, eV/A^3, from LAMMPS'
/// virial pressure in bar / nktv2p) of `pair` on frame f with LAMMPS.
void lammps_label(LammpsSession &s, const std::string &dir, const XyzFrame &f, const std::vector<std::string> &elements,
                  const std::string &pair_style, const std::string &pair_coeff, double &energy,
                  std::vector<double> &forces, std::vector<double> *stress = nullptr)
{
  write_data_file(dir + "/conf.data", f, 28.0, elements);
  s.clear();
  s.commands("units metal\natom_style atomic\natom_modify map array\nboundary p p p\nread_data " + dir +
             "/conf.data\npair_style " + pair_style + "\npair_coeff " + pair_coeff +
             "\ncompute f all property/atom fx fy fz\ncompute pv all pressure NULL virial\n"
             "thermo_style custom step pe c_pv[1]\nrun 0");
  energy = s.equal("pe");
  if (stress) {
    const auto pv = s.compute_vector("pv");    // pxx pyy pzz pxy pxz pyz (bar)
    const int full[9] = {0, 3, 4, 3, 1, 5, 4, 5, 2};
    stress->resize(9);
    for (int q = 0; q < 9; ++q) (*stress)[q] = -pv.at(full[q]) / reval::kFitSnapBar;
  }
  forces.assign(3 * static_cast<size_t>(f.natoms()), 0.0);
  for (int d = 0; d < 3; ++d)
    for (const auto &kv : s.compute_peratom("f", d + 1)) forces[3 * (kv.first - 1) + d] = kv.second;
}

int run_reval_fit(const std::string &dir, const std::string &args, std::string &out)
{
  const std::string cmd = "cd " + dir + " && " + REVAL_FIT_EXE + " " + args + " > fit.txt 2>&1";
  const int st = std::system(cmd.c_str());
  out = reval::test::read_file(dir + "/fit.txt");
  return (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
}

struct Case {
  std::string el, lattice;
  int twojmax, bzeroflag, nconf;
  double rcutfac;
  bool quadratic;
  int committee;
  bool stress;    ///< fit the stresses too ([CALCULATOR] stress = 1, vweight 1e-4)
  std::string el2 = "";    ///< second element (params2: Si + Ge), mixed in at random
  bool chem = false;       ///< chemflag 1 (and bnormflag 1)
};

void check_case(const Case &k)
{
  if (!reval::test::lammps_has_package("ML-SNAP")) GTEST_SKIP() << "LAMMPS without ML-SNAP";
  LammpsSession s;
  const std::string dir = s.dir();
  SnapParams p = k.el2.empty() ? params(k.el, k.twojmax, k.bzeroflag, k.rcutfac)
                               : params2(k.twojmax, k.bzeroflag, k.rcutfac);
  p.chemflag = p.bnormflag = k.chem ? 1 : 0;
  const std::vector<std::string> els = p.elements;
  std::string ellist;
  for (const auto &e : els) ellist += " " + e;
  auto truth = known_coeffs(p.nelements(), p.ncoeff(), k.quadratic);
  if (k.chem) {    // the orbit-averaged model (what a chemflag fit can return: FitDriver unit test)
    const SnapDescriptor desc(p);
    const int n = p.ncoeff();
    for (int e = 0; e < p.nelements(); ++e) {
      std::vector<double> sym(n);
      kernels::snap_symmetrize_beta(desc.view(), &truth[e * (1 + n) + 1], sym.data());
      std::copy(sym.begin(), sym.end(), truth.begin() + e * (1 + n) + 1);
    }
  }
  write_snapparam(dir + "/known.snapparam", p, k.quadratic);
  write_snapcoeff(dir + "/known.snapcoeff", p, k.quadratic, truth);
  const std::string known = "* * " + dir + "/known.snapcoeff " + dir + "/known.snapparam" + ellist;

  // training data from LAMMPS pair snap
  SplitMix64 rng(77);
  std::vector<XyzFrame> frames;
  std::system(("mkdir -p " + dir + "/data").c_str());
  {
    std::ofstream out(dir + "/data/train.xyz");
    for (int c = 0; c < k.nconf; ++c) {
      XyzFrame f = random_frame(rng, k.el, k.lattice, 1, 0.3);
      if (!k.el2.empty()) mix_in(rng, f, k.el2);
      f.has_energy = true;
      std::vector<double> st;
      lammps_label(s, dir, f, els, "snap", known, f.energy, f.forces, &st);
      if (k.stress) {
        std::string t;
        for (int q = 0; q < 9; ++q) t += (q ? " " : "") + g17(st[q]);
        f.info["stress"] = t;
      }
      write_extxyz(out, f);
      frames.push_back(f);
    }
  }
  // bzeroflag 1: beta0 is not fitted but written as [ESHIFT] (the known model's -3.1)
  std::string extra = std::string(k.bzeroflag ? "[ESHIFT]\n" + k.el + " = -3.1\n\n" : "") +
      "[OUTFILE]\nmetrics = m.md\npotential = fitted\n";
  if (k.committee) extra += "\n[REVAL]\ncommittee = " + std::to_string(k.committee) + "\n";
  std::string text =
      input_text(p, k.quadratic, "data", k.stress ? "train = 1.0 0.0 1.0 1.0 1e-4" : "train = 1.0 0.0 1.0 1.0 0.0", extra);
  if (k.stress) text.replace(text.find("stress = 0"), 10, "stress = 1");
  std::ofstream(dir + "/fit.in") << text;
  std::string out;
  ASSERT_EQ(run_reval_fit(dir, "--predictions pred.xyz fit.in", out), 0) << out;

  // 1. the known coefficients come back
  const SnapCoeffFile cf = read_snapcoeff(dir + "/fitted.snapcoeff");
  ASSERT_EQ(cf.blocks.size(), els.size());
  std::vector<double> got;
  for (const auto &b : cf.blocks) got.insert(got.end(), b.coeffs.begin(), b.coeffs.end());
  EXPECT_LT(max_rel_diff(got, truth), 1e-6) << out;

  // 2. reval-fit's energies and forces of its model = LAMMPS pair snap with the written files
  const auto pred = read_extxyz(dir + "/pred.xyz");
  ASSERT_EQ(pred.size(), frames.size());
  const std::string fitted = "* * " + dir + "/fitted.snapcoeff " + dir + "/fitted.snapparam" + ellist;
  double worst_e = 0.0, worst_f = 0.0, worst_s = 0.0;
  for (size_t c = 0; c < frames.size(); ++c) {
    double e = 0.0, e2 = 0.0;
    std::vector<double> f, f2, st;
    lammps_label(s, dir, frames[c], els, "snap", fitted, e, f, &st);
    {    // the stress reval-fit reports = LAMMPS' virial pressure
      std::istringstream rs(pred[c].info.at("reval_stress"));
      double smax = 0.0;
      for (double v : st) smax = std::max(smax, std::fabs(v));
      for (int q = 0; q < 9; ++q) {
        double v = 0.0;
        rs >> v;
        worst_s = std::max(worst_s, std::fabs(v - st[q]) / smax);
      }
    }
    const double re = std::stod(pred[c].info.at("reval_energy"));
    const auto &rf = pred[c].arrays.at("reval_forces");
    worst_e = std::max(worst_e, std::fabs(re - e) / std::fabs(e));
    for (size_t q = 0; q < f.size(); ++q) worst_f = std::max(worst_f, std::fabs(rf[q] - f[q]) / std::max(1.0, std::fabs(f[q])));
    // 3. pair_style snap/model reads the same files and gives the same energy and forces
    lammps_label(s, dir, frames[c], els, "snap/model", fitted, e2, f2);
    EXPECT_NEAR(e2, e, 1e-9 * std::fabs(e)) << c;
    for (size_t q = 0; q < f.size(); ++q) EXPECT_NEAR(f2[q], f[q], 1e-9 * std::max(1.0, std::fabs(f[q]))) << c;
  }
  EXPECT_LT(worst_e, 1e-9);
  EXPECT_LT(worst_f, 1e-9);
  EXPECT_LT(worst_s, 1e-9);
  std::printf("[ reval-fit ] %s: coefficients %.3g, energies %.3g, forces %.3g, stresses %.3g (worst relative "
              "differences)\n", (k.el + k.el2).c_str(), max_rel_diff(got, truth), worst_e, worst_f, worst_s);

  // 4. committee members load in pair_style snap/model as a committee
  if (k.committee) {
    std::string spec = "* * committee " + std::to_string(k.committee);
    for (int m = 1; m <= k.committee; ++m)
      spec += " " + dir + "/fitted_" + std::to_string(m) + ".snapcoeff " + dir + "/fitted.snapparam";
    double e = 0.0;
    std::vector<double> f;
    lammps_label(s, dir, frames[0], els, "snap/model", spec + ellist, e, f);
    EXPECT_NEAR(e, frames[0].energy, 1e-3 * std::fabs(frames[0].energy));    // bootstrap members of exact data
  }
}

}    // namespace

TEST(RevalFitLammps, LinearSiFromPairSnapDataReturnsTheModel)
{
  check_case({"Si", "diamond", 6, 1, 8, 4.2, false, 2, true});
}

TEST(RevalFitLammps, QuadraticTaFromPairSnapDataReturnsTheModel)
{
  check_case({"Ta", "bcc", 4, 0, 40, 4.6, true, 0, false});
}

TEST(RevalFitLammps, LinearSiGeTwoElementsReturnsTheModel)
{
  check_case({"Si", "diamond", 4, 0, 12, 4.4, false, 0, false, "Ge"});
}

TEST(RevalFitLammps, ChemflagSiGeReturnsTheModel)
{
  check_case({"Si", "diamond", 2, 0, 16, 4.4, false, 0, false, "Ge", true});
}
