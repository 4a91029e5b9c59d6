// reval-fit's descriptor rows (core/snap_fit_rows) against LAMMPS `compute snap`, the engine FitSNAP
// uses: the energy row (sum of B_i, quadratic products), the 3N force rows (-dB/dr summed over atoms and
// periodic images) and the 6 virial rows, on the settings of potentials shipped with LAMMPS (Si_Zuo
// linear and quadratic, WBe two elements, InP chemflag + bnormflag + wselfallflag), in a small
// triclinic cell whose periodic images lie inside the cutoff. compute snap has no beta0 column: REVAL's
// column 0 of each element block (atom counts) is checked separately.
#include "lammps_session.h"

#include "core/snap_descriptor.h"
#include "core/snap_files.h"
#include "core/snap_fit_rows.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace reval;

namespace {

const std::string kPot = "/usr/share/lammps/potentials/";

struct RowsCase {
  std::string name;      // potential file stem
  std::vector<std::string> elements;
  std::vector<double> masses;
};

/// A perturbed 2x1x1 diamond supercell in LAMMPS' triclinic convention, species by atom index.
XyzFrame cell_for(const RowsCase &c, double a)
{
  static const double basis[8][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
                                     {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
  XyzFrame f;
  const double lx = 2 * a, ly = a * 1.01, lz = a * 0.98, xy = 0.35, xz = -0.2, yz = 0.15;
  const double cell[9] = {lx, 0, 0, xy, ly, 0, xz, yz, lz};
  std::copy(cell, cell + 9, f.cell);
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> u(-0.2, 0.2);
  for (int r = 0; r < 2; ++r)
    for (int k = 0; k < 8; ++k) {
      const double fr[3] = {(basis[k][0] + r) / 2.0, basis[k][1], basis[k][2]};
      f.species.push_back(c.elements[(8 * r + k) % 5 == 2 ? c.elements.size() - 1 : 0]);
      for (int d = 0; d < 3; ++d) {
        double x = 0.0;
        for (int v = 0; v < 3; ++v) x += fr[v] * cell[3 * v + d];
        f.pos.push_back(x + u(rng));
      }
    }
  return f;
}

class FitRowsVsComputeSnap : public ::testing::TestWithParam<RowsCase> {};

TEST_P(FitRowsVsComputeSnap, SameRows)
{
  const RowsCase c = GetParam();
  if (!std::ifstream(kPot + c.name + ".snapcoeff").good()) GTEST_SKIP() << "no " << c.name << " potential";
  const SnapParamFile pf = read_snapparam(kPot + c.name + ".snapparam");
  const SnapCoeffFile cf = read_snapcoeff(kPot + c.name + ".snapcoeff");
  const SnapParams p = snap_params_from_files(pf, cf, c.elements);
  auto desc = std::make_shared<const SnapDescriptor>(p);
  SnapFitRows rows(desc, pf.quadraticflag != 0);
  const XyzFrame f = cell_for(c, 5.3);
  const int n = f.natoms(), nt = p.nelements(), blk = rows.block(), nc = rows.ncols();
  std::vector<double> e(nc), fr(3 * n * nc), w(6 * nc);
  rows.compute(f, e.data(), fr.data(), w.data());

  test::LammpsSession s({}, false);
  std::ostringstream in;
  in.precision(17);
  in << "units metal\natom_style atomic\natom_modify map array\nboundary p p p\n"
     << "region box prism 0 " << f.cell[0] << " 0 " << f.cell[4] << " 0 " << f.cell[8] << " " << f.cell[3] << " "
     << f.cell[6] << " " << f.cell[7] << " units box\n"
     << "create_box " << nt << " box\n";
  for (int i = 0; i < n; ++i) {
    int t = 1;
    for (int k = 0; k < nt; ++k)
      if (p.elements[k] == f.species[i]) t = k + 1;
    in << "create_atoms " << t << " single " << f.pos[3 * i] << " " << f.pos[3 * i + 1] << " " << f.pos[3 * i + 2]
       << " units box remap yes\n";
  }
  for (int k = 0; k < nt; ++k) in << "mass " << k + 1 << " " << c.masses[k] << "\n";
  in << "pair_style zero " << p.max_cutoff() + 0.5 << "\npair_coeff * *\n";
  in << "compute sn all snap " << p.rcutfac << " " << p.rfac0 << " " << p.twojmax;
  for (double r : p.radelem) in << " " << r;
  for (double wj : p.wjelem) in << " " << wj;
  in << " rmin0 " << p.rmin0 << " switchflag " << p.switchflag << " bzeroflag " << p.bzeroflag << " quadraticflag "
     << pf.quadraticflag;
  if (p.chemflag) {
    in << " chem " << nt;
    for (int k = 0; k < nt; ++k) in << " " << k;
  }
  in << " bnormflag " << p.bnormflag << " wselfallflag " << p.wselfallflag << "\n";
  in << "thermo_style custom step pe\nrun 0\n";
  s.commands(in.str());
  const auto a = s.compute_array("sn");
  ASSERT_EQ(static_cast<int>(a.size()), 1 + 3 * n + 6);
  ASSERT_EQ(static_cast<int>(a[0].size()), nt * (blk - 1) + 1);

  // compare every row; scale = the largest magnitude of the row kind
  auto compare = [&](const char *what, int lrow, const double *mine, double scale) {
    for (int t = 0; t < nt; ++t)
      for (int k = 0; k < blk - 1; ++k) {
        const double ref = a[lrow][t * (blk - 1) + k], got = mine[t * blk + 1 + k];
        ASSERT_NEAR(got, ref, 1e-10 * scale) << what << " row " << lrow << " element " << t << " column " << k;
      }
  };
  auto scale_of = [&](int r0, int r1) {
    double m = 0.0;
    for (int r = r0; r < r1; ++r)
      for (double v : a[r]) m = std::max(m, std::fabs(v));
    return std::max(m, 1.0);
  };
  const double se = scale_of(0, 1), sf = scale_of(1, 1 + 3 * n), sv = scale_of(1 + 3 * n, 7 + 3 * n);
  compare("energy", 0, e.data(), se);
  for (int r = 0; r < 3 * n; ++r) compare("force", 1 + r, &fr[r * nc], sf);
  for (int v = 0; v < 6; ++v) compare("virial", 1 + 3 * n + v, &w[v * nc], sv);
  // column 0 of each block: atom count in the energy row, nothing in forces and virial
  for (int t = 0; t < nt; ++t) {
    int count = 0;
    for (const auto &sp : f.species) count += sp == p.elements[t];
    EXPECT_EQ(e[t * blk], count);
    for (int r = 0; r < 3 * n; ++r) EXPECT_EQ(fr[r * nc + t * blk], 0.0);
  }
  EXPECT_GT(sf, 1.0 + 1e-6);    // the force rows are not trivially small
}

INSTANTIATE_TEST_SUITE_P(
    ShippedPotentials, FitRowsVsComputeSnap,
    ::testing::Values(RowsCase{"Si_Zuo_JPCA2020", {"Si"}, {28.0855}},
                      RowsCase{"Si_Zuo_JPCA2020.quadratic", {"Si"}, {28.0855}},
                      RowsCase{"WBe_Wood_PRB2019", {"W", "Be"}, {183.84, 9.012}},
                      RowsCase{"InP_JCPA2020", {"In", "P"}, {114.82, 30.97}}),
    [](const ::testing::TestParamInfo<RowsCase> &i) {
      std::string s = i.param.name;
      for (char &ch : s)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return s;
    });

}    // namespace
