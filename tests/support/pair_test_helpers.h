/// @file pair_test_helpers.h
/// Helpers of the pair_style snap/model tests (plain and /kk): test crystals of the potentials LAMMPS
/// ships, and evaluation of everything a pair style produces (energy, per-atom energy, forces,
/// global and per-atom virial) through `run 0`, with scale-relative comparisons.
#pragma once

#include "lammps_session.h"
#include "library.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace reval::test {

inline bool have_potentials()
{
  return std::ifstream(potentials_dir() + "/Si_Zuo_JPCA2020.snapcoeff").good();
}

#define REQUIRE_POTENTIALS()                                                                     \
  if (!have_potentials()) GTEST_SKIP() << "LAMMPS potential files (Debian lammps-data) not found"

inline std::string refdata(const std::string &name)
{
  return source_dir() + "/tests/unit/refdata/" + name;
}

struct Structure {
  std::string lattice;       // lattice command arguments
  int reps = 3;
  int ntypes = 1;
  std::string create;        // extra create_atoms arguments (basis types)
  std::string masses;        // mass commands
  double disp = 0.1;         // random displacement amplitude (Å)
  std::string extra;         // commands after create_atoms (e.g. set type/fraction, change_box)
};

inline void build(LammpsSession &s, const Structure &st, const std::string &newton = "on")
{
  std::ostringstream o;
  o << "units metal\natom_style atomic\natom_modify map array\nboundary p p p\nnewton " << newton << "\n"
    << "lattice " << st.lattice << "\nregion box block 0 " << st.reps << " 0 " << st.reps << " 0 " << st.reps << "\n"
    << "create_box " << st.ntypes << " box\ncreate_atoms 1 box " << st.create << "\n"
    << st.masses << "\n" << st.extra << "\n"
    << "displace_atoms all random " << st.disp << " " << st.disp << " " << st.disp << " 4711 units box\n";
  s.commands(o.str());
}

struct Result {
  double pe = 0.0;
  std::vector<double> f, eatom, vatom, virial;
};

// Installs the pair commands, runs 0 steps and collects everything the pair style produces.
inline Result evaluate(LammpsSession &s, const std::string &pair)
{
  s.commands(pair);
  s.commands("compute rf all property/atom fx fy fz\ncompute rpe all pe/atom\n"
             "compute rsa all stress/atom NULL virial\ncompute rpv all pressure NULL virial\n"
             "thermo_style custom step pe c_rpv[1]\nthermo_modify format float %.16g\nrun 0 post no");
  Result r;
  r.pe = s.thermo("pe");
  for (int k = 1; k <= 3; ++k)
    for (const auto &kv : s.compute_peratom("rf", k)) r.f.push_back(kv.second);
  for (const auto &kv : s.compute_peratom("rpe")) r.eatom.push_back(kv.second);
  for (int k = 1; k <= 6; ++k)
    for (const auto &kv : s.compute_peratom("rsa", k)) r.vatom.push_back(kv.second);
  r.virial = s.compute_vector("rpv");
  s.commands("thermo_style custom step pe\nuncompute rf\nuncompute rpe\nuncompute rsa\nuncompute rpv");
  return r;
}

inline double max_abs(const std::vector<double> &v)
{
  double m = 0.0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

// max |a - b| / max |b| (scale-relative difference of two arrays)
inline double rel_diff(const std::vector<double> &a, const std::vector<double> &b)
{
  EXPECT_EQ(a.size(), b.size());
  double d = 0.0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) d = std::max(d, std::fabs(a[i] - b[i]));
  const double scale = max_abs(b);
  return scale > 0 ? d / scale : d;
}

inline void expect_same(const Result &got, const Result &want, double tol, const std::string &what)
{
  EXPECT_NEAR(got.pe, want.pe, tol * std::max(1.0, std::fabs(want.pe))) << what << ": energy";
  EXPECT_LT(rel_diff(got.f, want.f), tol) << what << ": forces";
  EXPECT_LT(rel_diff(got.eatom, want.eatom), tol) << what << ": per-atom energies";
  EXPECT_LT(rel_diff(got.vatom, want.vatom), tol) << what << ": per-atom virial";
  EXPECT_LT(rel_diff(got.virial, want.virial), tol) << what << ": global virial";
  EXPECT_GT(max_abs(want.f), 0.01) << what << ": the configuration must have forces";
}

inline const Structure kSi{"diamond 5.431", 3, 1, "", "mass 1 28.0855", 0.12, ""};
inline const Structure kSiTriclinic{"diamond 5.431", 3, 1, "", "mass 1 28.0855", 0.12,
                             "change_box all triclinic\nchange_box all xy final 1.3 xz final -0.8 yz final 0.6 remap"};
inline const Structure kTa{"bcc 3.316", 4, 1, "", "mass 1 180.95", 0.15, ""};
inline const Structure kW{"bcc 3.1803", 4, 1, "", "mass 1 183.84", 0.15, ""};
inline const Structure kWBe{"bcc 3.1803", 4, 2, "", "mass 1 183.84\nmass 2 9.012", 0.12, "set type 1 type/fraction 2 0.25 99"};
inline const Structure kCu{"fcc 3.621", 4, 1, "", "mass 1 63.546", 0.15, ""};
inline const Structure kInP{"diamond 5.869", 3, 2, "basis 5 2 basis 6 2 basis 7 2 basis 8 2", "mass 1 114.82\nmass 2 30.97",
                     0.12, ""};

inline std::string zbl(const std::string &style, const std::string &coeff, const std::string &zbl_coeffs)
{
  return "pair_style hybrid/overlay zbl 4 4.8 " + style + "\n" + zbl_coeffs + "\npair_coeff * * " + coeff;
}

/// The uncertainties belong to the configuration the pair style saw. Asking compute committee/atom for
/// them after the atoms moved on the same timestep (displace_atoms between runs, then the library's
/// extract, as Python users do) stops with an ERROR instead of returning the old values; positions that
/// only follow the box (fix deform remap x, during a run) or only wrap around the box are no change.
inline void expect_committee_refuses_moved_atoms(LammpsSession &s)
{
  build(s, kSi);
  const std::string param = "Si_Zuo_JPCA2020.snapparam";
  const std::string a = potentials_dir() + "/Si_Zuo_JPCA2020.snapcoeff";
  const std::string b = perturbed_snapcoeff(a, s.path("member2.snapcoeff"), 0.05, 2);
  // computes defined before a run 0 that does not output them: the pair style computes the
  // uncertainties at setup (every compute is due then); the first extract calls compute_peratom
  s.commands("pair_style snap/model\npair_coeff * * committee 2 " + a + " " + param + " " + b + " " + param +
             " Si\ncompute u1 all committee/atom\ncompute u2 all committee/atom\ncompute u3 all committee/atom\n"
             "thermo_style custom step pe\nrun 0 post no");
  auto extract = [&](const char *id, std::string &err) -> double {
    err.clear();
    auto **p = static_cast<double **>(lammps_extract_compute(s.lmp(), id, LMP_STYLE_ATOM, LMP_TYPE_ARRAY));
    if (lammps_has_error(s.lmp())) {
      char buf[2048];
      lammps_get_last_error_message(s.lmp(), buf, sizeof(buf));
      err = buf;
      return -1.0;
    }
    return p ? p[0][1] : -1.0;
  };
  std::string err;
  const double sigma0 = extract("u1", err);    // nothing moved
  EXPECT_EQ(err, "");
  EXPECT_GT(sigma0, 0.0);

  // a pure periodic wrap of the positions (one box length) is the same configuration
  s.command("displace_atoms all move 16.293 0 0 units box");
  EXPECT_NEAR(extract("u2", err), sigma0, 1e-12);
  EXPECT_EQ(err, "");

  // moved atoms: an ERROR, not the old values; after run 0 the values are current again
  s.command("displace_atoms all move 0.05 0 0 units box");
  extract("u3", err);
  EXPECT_NE(err.find("compute committee/atom: the atoms moved or changed after the pair style computed the "
                     "uncertainties on timestep 0"),
            std::string::npos)
      << err;
  s.command("run 0 post no");
  EXPECT_GT(extract("u3", err), 0.0);
  EXPECT_EQ(err, "");

  // during a run with fix deform remap x the owned atoms follow the box after the force computation:
  // committee/atom in thermo at every step is no ERROR
  s.commands("change_box all triclinic\nvelocity all create 600 4711 loop geom\nfix nve all nve\n"
             "fix def all deform 1 xy erate 0.5 x erate 0.1 remap x\nthermo 1\n"
             "thermo_style custom step pe c_u1[1] c_u1[3]");
  EXPECT_EQ(s.error_of("run 5 post no"), "");
  EXPECT_GT(s.compute_vector("u1")[0], 0.0);
}

}    // namespace reval::test
