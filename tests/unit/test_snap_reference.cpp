// SNAP engine + models against LAMMPS 29Sep2021 (the oracle): bispectrum (compute sna/atom),
// per-atom and total energies (compute pe/atom, pe) and forces of pair snap / pair mliap, frozen in
// tests/unit/refdata/*.ref by refdata/generate.sh; the inner switching function (switchinnerflag,
// not in LAMMPS 29Sep2021) against LAMMPS 4Feb2025, frozen by refdata/generate_inner.sh (inner_*.ref,
// synthetic potentials inner_sige*). The neighbour search is done here (brute force
// over periodic images), so no LAMMPS is needed. Tolerance: 1e-10 relative (plus a tiny absolute
// floor for values near zero).
#include "snap_test_support.h"

#include "core/snap_engine.h"
#include "core/snap_models.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace reval;
using namespace reval::test;

namespace {

struct RefCase {
  const char *name;                 // refdata/<name>.ref
  const char *kind;                 // "snap" or the ML-IAP model kind
  const char *file1, *file2;        // snap: coeff, param; mliap: model, descriptor
  std::vector<std::string> elements;    // pair_coeff element per LAMMPS type (1-based types)
  bool local = false;               // files are in refdata/ (else LAMMPS potentials)
};

std::ostream &operator<<(std::ostream &os, const RefCase &c) { return os << c.name; }

SnapPotential load(const RefCase &c)
{
  const std::string d = c.local ? snap_refdata_dir() + "/" : lammps_potentials_dir() + "/";
  if (std::string(c.kind) == "snap") return load_snap_potential(d + c.file1, d + c.file2, c.elements);
  return load_mliap_potential(c.kind, d + c.file1, d + c.file2);
}

struct MaxErr {
  double rel = 0.0, abs = 0.0;
  void add(double a, double ref)
  {
    const double e = std::fabs(a - ref);
    abs = std::max(abs, e);
    if (std::fabs(ref) > 1e-8) rel = std::max(rel, e / std::fabs(ref));
  }
};

class SnapReference : public ::testing::TestWithParam<RefCase> {};

TEST_P(SnapReference, MatchesLammps)
{
  const RefCase &c = GetParam();
  if (!c.local && !have_potentials()) GTEST_SKIP() << "LAMMPS potentials not installed in " << lammps_potentials_dir();
  const SnapPotential pot = load(c);
  const SnapRef ref = read_snap_ref(snap_refdata_dir() + "/" + c.name + ".ref");
  // element of each atom: the element named for its type, indexed in the potential's element list
  std::vector<int> elem(ref.natoms);
  for (int i = 0; i < ref.natoms; ++i) {
    const std::string &name = c.elements.at(ref.type[i] - 1);
    const auto &el = pot.params.elements;
    elem[i] = static_cast<int>(std::find(el.begin(), el.end(), name) - el.begin());
    ASSERT_LT(elem[i], pot.params.nelements());
  }
  auto desc = std::make_shared<const SnapDescriptor>(pot.params);
  ASSERT_EQ(desc->ncoeff(), ref.nsna) << "descriptor count differs from compute sna/atom";
  SnapEngine engine(desc);
  const SnapResult r = evaluate_periodic(engine, pot.model, ref.x, elem, ref.lo, ref.hi);

  const double tol = 1e-10;
  MaxErr eb, ee, ef;
  double bscale = 0.0, fscale = 0.0;
  for (double v : ref.sna) bscale = std::max(bscale, std::fabs(v));
  for (double v : ref.f) fscale = std::max(fscale, std::fabs(v));
  int bad = 0;
  for (int i = 0; i < ref.natoms; ++i) {
    for (int k = 0; k < ref.nsna; ++k) {
      const double a = r.B[static_cast<std::size_t>(i) * ref.nsna + k], b = ref.sna[static_cast<std::size_t>(i) * ref.nsna + k];
      eb.add(a, b);
      if (!close(a, b, tol, 1e-13 * bscale) && bad++ < 5)
        ADD_FAILURE() << c.name << ": B[" << k << "] of atom " << i + 1 << ": " << a << " vs LAMMPS " << b;
    }
    ee.add(r.pe[i], ref.pe[i]);
    EXPECT_TRUE(close(r.pe[i], ref.pe[i], tol, 1e-12)) << c.name << ": E of atom " << i + 1 << ": " << r.pe[i]
                                                       << " vs LAMMPS " << ref.pe[i];
    for (int k = 0; k < 3; ++k) {
      ef.add(r.f[3 * i + k], ref.f[3 * i + k]);
      if (!close(r.f[3 * i + k], ref.f[3 * i + k], tol, 1e-12 * std::max(1.0, fscale)) && bad++ < 10)
        ADD_FAILURE() << c.name << ": f[" << k << "] of atom " << i + 1 << ": " << r.f[3 * i + k] << " vs LAMMPS "
                      << ref.f[3 * i + k];
    }
  }
  EXPECT_TRUE(close(r.energy, ref.energy, tol, 1e-12)) << r.energy << " vs LAMMPS " << ref.energy;
  std::printf("[ accuracy ] %-18s %-9s B: max rel %.1e (abs %.1e of %.1f)  E_i: max abs %.1e  E: rel %.1e  "
              "F: max rel %.1e (abs %.1e of %.1f eV/A)\n",
              c.name, snap_model_kind_name(pot.model.kind()).c_str(), eb.rel, eb.abs, bscale, ee.abs,
              std::fabs(r.energy - ref.energy) / std::fabs(ref.energy), ef.rel, ef.abs, fscale);
}

INSTANTIATE_TEST_SUITE_P(
    Potentials, SnapReference,
    ::testing::Values(
        RefCase{"si_zuo_linear", "snap", "Si_Zuo_JPCA2020.snapcoeff", "Si_Zuo_JPCA2020.snapparam", {"Si"}},
        RefCase{"si_zuo_quadratic", "snap", "Si_Zuo_JPCA2020.quadratic.snapcoeff",
                "Si_Zuo_JPCA2020.quadratic.snapparam", {"Si"}},
        RefCase{"ta06a_linear", "snap", "Ta06A.snapcoeff", "Ta06A.snapparam", {"Ta"}},
        RefCase{"ta06a_nn", "nn", "Ta06A.nn.mliap.model", "Ta06A.mliap.descriptor", {"Ta"}},
        RefCase{"w_linear", "snap", "W_2940_2017_2.snapcoeff", "W_2940_2017_2.snapparam", {"W"}},
        RefCase{"w_quadratic", "quadratic", "W.quadratic.mliap.model", "W.quadratic.mliap.descriptor", {"W"}},
        RefCase{"cu_nn", "nn", "Cu.nn.mliap.model", "Cu.snap.mliap.descriptor", {"Cu"}},
        RefCase{"inp_chem", "snap", "InP_JCPA2020.snapcoeff", "InP_JCPA2020.snapparam", {"In", "P"}},
        RefCase{"wbe_linear", "snap", "WBe_Wood_PRB2019.snapcoeff", "WBe_Wood_PRB2019.snapparam", {"W", "Be"}},
        RefCase{"si_synthetic_nn", "nn", "si_synthetic.nn.mliap.model", "si_synthetic.mliap.descriptor", {"Si"},
                true},
        RefCase{"inner_snap", "snap", "inner_sige.snapcoeff", "inner_sige.snapparam", {"Si", "Ge"}, true},
        RefCase{"inner_mliap_chem", "linear", "inner_sige_chem.mliap.model", "inner_sige_chem.mliap.descriptor",
                {"Si", "Ge"}, true}),
    [](const ::testing::TestParamInfo<RefCase> &info) { return std::string(info.param.name); });

}    // namespace
