// pair_style snap/model through LAMMPS against LAMMPS' own pair_style snap and pair_style mliap (the
// oracles) on perturbed crystals: energy, per-atom energy, forces, global and per-atom virial, with
// newton on and off, hybrid/overlay with zbl, chemflag, triclinic boxes; NVE trajectories and energy
// conservation; finite-difference forces; committees (mean, sigma_E, sigma_F against separate runs of
// the members); restarts; fix adapt scaling; the inner switching function (LAMMPS 2022+) against
// LAMMPS 4Feb2025; every input error.
#include "lammps_session.h"
#include "pair_test_helpers.h"

#include "atom.h"
#include "lammps.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace reval::test;

namespace {

struct OracleCase {
  const char *name;
  Structure st;
  std::string oracle, model;
};

std::vector<OracleCase> oracle_cases()
{
  const std::string si = "Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Si";
  const std::string siq = "Si_Zuo_JPCA2020.quadratic.snapcoeff Si_Zuo_JPCA2020.quadratic.snapparam Si";
  const std::string syn_model = refdata("si_synthetic.nn.mliap.model"), syn_desc = refdata("si_synthetic.mliap.descriptor");
  return {
      {"Si_Zuo linear", kSi, "pair_style snap\npair_coeff * * " + si, "pair_style snap/model\npair_coeff * * " + si},
      {"Si_Zuo linear triclinic", kSiTriclinic, "pair_style snap\npair_coeff * * " + si,
       "pair_style snap/model\npair_coeff * * " + si},
      {"Si_Zuo quadratic", kSi, "pair_style snap\npair_coeff * * " + siq, "pair_style snap/model\npair_coeff * * " + siq},
      {"Ta06A + zbl", kTa, zbl("snap", "snap Ta06A.snapcoeff Ta06A.snapparam Ta", "pair_coeff 1 1 zbl 73 73"),
       zbl("snap/model", "snap/model Ta06A.snapcoeff Ta06A.snapparam Ta", "pair_coeff 1 1 zbl 73 73")},
      {"W_2940 + zbl", kW, zbl("snap", "snap W_2940_2017_2.snapcoeff W_2940_2017_2.snapparam W", "pair_coeff 1 1 zbl 74 74"),
       zbl("snap/model", "snap/model W_2940_2017_2.snapcoeff W_2940_2017_2.snapparam W", "pair_coeff 1 1 zbl 74 74")},
      {"WBe two elements + zbl", kWBe,
       zbl("snap", "snap WBe_Wood_PRB2019.snapcoeff WBe_Wood_PRB2019.snapparam W Be",
           "pair_coeff 1 1 zbl 74 74\npair_coeff 1 2 zbl 74 4\npair_coeff 2 2 zbl 4 4"),
       zbl("snap/model", "snap/model WBe_Wood_PRB2019.snapcoeff WBe_Wood_PRB2019.snapparam W Be",
           "pair_coeff 1 1 zbl 74 74\npair_coeff 1 2 zbl 74 4\npair_coeff 2 2 zbl 4 4")},
      {"InP chemflag", kInP, "pair_style snap\npair_coeff * * InP_JCPA2020.snapcoeff InP_JCPA2020.snapparam In P",
       "pair_style snap/model\npair_coeff * * InP_JCPA2020.snapcoeff InP_JCPA2020.snapparam In P"},
      {"W quadratic (ML-IAP files) + zbl", kW,
       "pair_style hybrid/overlay zbl 4 4.8 mliap model quadratic W.quadratic.mliap.model descriptor sna "
       "W.quadratic.mliap.descriptor\npair_coeff 1 1 zbl 74 74\npair_coeff * * mliap W",
       zbl("snap/model", "snap/model quadratic W.quadratic.mliap.model W.quadratic.mliap.descriptor W",
           "pair_coeff 1 1 zbl 74 74")},
      {"Ta06A linear (ML-IAP files)", kTa,
       "pair_style mliap model linear Ta06A.mliap.model descriptor sna Ta06A.mliap.descriptor\npair_coeff * * Ta",
       "pair_style snap/model\npair_coeff * * linear Ta06A.mliap.model Ta06A.mliap.descriptor Ta"},
      {"Ta06A NN + zbl", kTa,
       "pair_style hybrid/overlay zbl 4 4.8 mliap model nn Ta06A.nn.mliap.model descriptor sna Ta06A.mliap.descriptor\n"
       "pair_coeff 1 1 zbl 73 73\npair_coeff * * mliap Ta",
       zbl("snap/model", "snap/model nn Ta06A.nn.mliap.model Ta06A.mliap.descriptor Ta", "pair_coeff 1 1 zbl 73 73")},
      {"Cu NN", kCu, "pair_style mliap model nn Cu.nn.mliap.model descriptor sna Cu.snap.mliap.descriptor\npair_coeff * * Cu",
       "pair_style snap/model\npair_coeff * * nn Cu.nn.mliap.model Cu.snap.mliap.descriptor Cu"},
      {"synthetic NN 55-64-32-1 tanh", kSi,
       "pair_style mliap model nn " + syn_model + " descriptor sna " + syn_desc + "\npair_coeff * * Si",
       "pair_style snap/model\npair_coeff * * nn " + syn_model + " " + syn_desc + " Si"},
  };
}

}    // namespace

class PairSnapModelOracle : public ::testing::TestWithParam<int> {};

// Energies, forces and virials equal LAMMPS pair snap / pair mliap to 1e-10, newton on and off.
TEST_P(PairSnapModelOracle, MatchesLammps)
{
  REQUIRE_POTENTIALS();
  const OracleCase c = oracle_cases()[GetParam()];
  if (c.oracle.find("mliap") != std::string::npos && !lammps_has_package("ML-IAP"))
    GTEST_SKIP() << "the oracle, pair_style mliap, needs the ML-IAP package (e.g. not in the GPU build)";
  SCOPED_TRACE(c.name);
  Result want, got_on;
  {
    LammpsSession s;
    build(s, c.st);
    want = evaluate(s, c.oracle);
    got_on = evaluate(s, c.model);
  }
  expect_same(got_on, want, 1e-10, std::string(c.name) + " newton on");
  // newton pair off: ghost forces and per-atom virials are sent to their owners by the style itself;
  // "off on" (newton_bond on) makes LAMMPS treat per-atom virials of ghosts as if newton were on
  for (const char *newton : {"off", "off on"}) {
    LammpsSession s;
    build(s, c.st, newton);
    expect_same(evaluate(s, c.model), want, 1e-10, std::string(c.name) + " newton " + newton);
  }
}

INSTANTIATE_TEST_SUITE_P(Potentials, PairSnapModelOracle, ::testing::Range(0, static_cast<int>(oracle_cases().size())),
                         [](const ::testing::TestParamInfo<int> &info) {
                           std::string n = oracle_cases()[info.param].name;
                           for (auto &ch : n)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

namespace {

// positions (by tag, x y z) after an NVE run, and the total energies at the start and the end
struct Trajectory {
  std::vector<double> x;
  double e0 = 0.0, e1 = 0.0;
};

Trajectory nve(const std::string &pair, int steps)
{
  LammpsSession s;
  build(s, kSi);
  s.commands(pair);
  s.commands("velocity all create 1200 8472 loop geom\nfix nve all nve\ntimestep 0.0005\n"
             "thermo_style custom step etotal\nthermo_modify format float %.16g\nrun 0 post no");
  Trajectory t;
  t.e0 = s.thermo("etotal");
  s.command("run " + std::to_string(steps) + " post no");
  t.e1 = s.thermo("etotal");
  s.command("compute px all property/atom xu yu zu");
  for (int k = 1; k <= 3; ++k)
    for (const auto &kv : s.compute_peratom("px", k)) t.x.push_back(kv.second);
  return t;
}

}    // namespace

// 100 NVE steps: trajectories stay together with pair snap's, and energy is conserved.
TEST(PairSnapModel, NveTrajectoryFollowsPairSnap)
{
  REQUIRE_POTENTIALS();
  const std::string files = "Si_Zuo_JPCA2020.quadratic.snapcoeff Si_Zuo_JPCA2020.quadratic.snapparam Si";
  const Trajectory a = nve("pair_style snap\npair_coeff * * " + files, 100);
  const Trajectory b = nve("pair_style snap/model\npair_coeff * * " + files, 100);
  ASSERT_EQ(a.x.size(), b.x.size());
  double d = 0.0;
  for (size_t i = 0; i < a.x.size(); ++i) d = std::max(d, std::fabs(a.x[i] - b.x[i]));
  EXPECT_LT(d, 1e-8) << "largest position difference after 100 steps (Å)";
  EXPECT_NEAR(b.e0, a.e0, 1e-9 * std::fabs(a.e0));
  const double natoms = static_cast<double>(a.x.size()) / 3;
  EXPECT_LT(std::fabs(b.e1 - b.e0) / natoms, 2e-5) << "energy drift (eV/atom) over 100 steps of 0.5 fs at 1200 K";
}

namespace {

// -dE/dx by central differences for atoms `ids`, against the forces of the pair style
void check_finite_differences(const Structure &st, const std::string &pair, const std::vector<int> &ids)
{
  LammpsSession s;
  build(s, st);
  s.commands(pair);
  s.commands("thermo_style custom step pe\nthermo_modify format float %.17g\nrun 0 post no\n"
             "compute ff all property/atom fx fy fz");
  s.command("run 0 post no");
  std::vector<std::map<long, double>> f;
  for (int k = 1; k <= 3; ++k) f.push_back(s.compute_peratom("ff", k));
  const double h = 2e-5;
  const char *dim[3] = {"x", "y", "z"};
  double worst = 0.0;
  for (int id : ids)
    for (int k = 0; k < 3; ++k) {
      const std::string v = std::string(dim[k]) + "[" + std::to_string(id) + "]";
      const double x0 = s.equal(v);
      std::ostringstream up, down, back;
      up.precision(17);
      down.precision(17);
      back.precision(17);
      up << "set atom " << id << " " << dim[k] << " " << x0 + h;
      down << "set atom " << id << " " << dim[k] << " " << x0 - h;
      back << "set atom " << id << " " << dim[k] << " " << x0;
      s.command(up.str());
      s.command("run 0 post no");
      const double ep = s.thermo("pe");
      s.command(down.str());
      s.command("run 0 post no");
      const double em = s.thermo("pe");
      s.command(back.str());
      const double fd = -(ep - em) / (2 * h);
      worst = std::max(worst, std::fabs(fd - f[k].at(id)));
      EXPECT_NEAR(f[k].at(id), fd, 2e-6 * std::max(1.0, std::fabs(fd))) << "atom " << id << " " << dim[k];
    }
  EXPECT_LT(worst, 1e-5);
}

}    // namespace

TEST(PairSnapModel, FiniteDifferenceForces)
{
  REQUIRE_POTENTIALS();
  check_finite_differences(kSi, "pair_style snap/model\npair_coeff * * Si_Zuo_JPCA2020.quadratic.snapcoeff "
                                "Si_Zuo_JPCA2020.quadratic.snapparam Si", {1, 77, 150});
  check_finite_differences(kSi, "pair_style snap/model\npair_coeff * * nn " + refdata("si_synthetic.nn.mliap.model") +
                                    " " + refdata("si_synthetic.mliap.descriptor") + " Si", {3, 100});
  check_finite_differences(kCu, "pair_style snap/model\npair_coeff * * nn Cu.nn.mliap.model Cu.snap.mliap.descriptor Cu",
                           {5, 200});
  check_finite_differences(kW, zbl("snap/model", "snap/model quadratic W.quadratic.mliap.model W.quadratic.mliap.descriptor W",
                                   "pair_coeff 1 1 zbl 74 74"), {9});
}

namespace {

// Two Si members for committees: Si_Zuo (a) and a 5% perturbed copy (b) in the session's folder.
struct TwoMembers {
  std::string param = "Si_Zuo_JPCA2020.snapparam";
  std::string a, b;
  explicit TwoMembers(LammpsSession &s)
      : a(potentials_dir() + "/Si_Zuo_JPCA2020.snapcoeff"),
        b(perturbed_snapcoeff(a, s.path("member1.snapcoeff"), 0.05, 1))
  {
  }
  std::string committee() const
  {
    return "pair_style snap/model\npair_coeff * * committee 2 " + a + " " + param + " " + b + " " + param + " Si";
  }
};

}    // namespace

// The committee mean equals the average of separate single-model runs; sigma_E and sigma_F equal the
// spread of the members' per-atom energies and forces from those runs (exact for two members:
// sigma = |a - b| / 2).
TEST(PairSnapModel, CommitteeMatchesSeparateMembers)
{
  REQUIRE_POTENTIALS();
  LammpsSession s;
  build(s, kSi);
  const TwoMembers two(s);
  const std::string &param = two.param, &a = two.a, &b = two.b;
  const Result ra = evaluate(s, "pair_style snap/model\npair_coeff * * " + a + " " + param + " Si");
  const Result rb = evaluate(s, "pair_style snap/model\npair_coeff * * " + b + " " + param + " Si");
  ASSERT_GT(rel_diff(ra.f, rb.f), 1e-3) << "the members must differ";

  const std::string committee = two.committee();
  // without the uncertainty compute: one force pass with the mean beta
  const Result mean_only = evaluate(s, committee);
  // with it: per-member forces
  s.command("compute unc all committee/atom");
  const Result with_sigma = evaluate(s, committee + "\nthermo_style custom step pe c_unc[1]");
  Result avg = ra;
  avg.pe = 0.5 * (ra.pe + rb.pe);
  for (size_t i = 0; i < avg.f.size(); ++i) avg.f[i] = 0.5 * (ra.f[i] + rb.f[i]);
  for (size_t i = 0; i < avg.eatom.size(); ++i) avg.eatom[i] = 0.5 * (ra.eatom[i] + rb.eatom[i]);
  for (size_t i = 0; i < avg.vatom.size(); ++i) avg.vatom[i] = 0.5 * (ra.vatom[i] + rb.vatom[i]);
  for (size_t i = 0; i < avg.virial.size(); ++i) avg.virial[i] = 0.5 * (ra.virial[i] + rb.virial[i]);
  expect_same(mean_only, avg, 1e-10, "committee mean (mean beta)");
  expect_same(with_sigma, avg, 1e-10, "committee mean (per-member forces)");

  s.command("run 0 post no");
  const auto se = s.compute_peratom("unc", 1);
  const auto sf = s.compute_peratom("unc", 2);
  const size_t n = ra.eatom.size();
  ASSERT_EQ(se.size(), n);
  double max_sf = 0.0, sum_sf = 0.0, max_se = 0.0;
  size_t i = 0;
  for (const auto &kv : se) {
    const double want_e = 0.5 * std::fabs(ra.eatom[i] - rb.eatom[i]);
    double d2 = 0.0;
    for (int k = 0; k < 3; ++k) d2 += std::pow(ra.f[k * n + i] - rb.f[k * n + i], 2);
    const double want_f = 0.5 * std::sqrt(d2);
    EXPECT_NEAR(kv.second, want_e, 1e-10 * std::max(1.0, want_e)) << "sigma_E of atom " << kv.first;
    EXPECT_NEAR(sf.at(kv.first), want_f, 1e-10 * std::max(1.0, want_f)) << "sigma_F of atom " << kv.first;
    max_sf = std::max(max_sf, want_f);
    max_se = std::max(max_se, want_e);
    sum_sf += want_f;
    ++i;
  }
  EXPECT_GT(max_sf, 1e-3);
  const auto v = s.compute_vector("unc");
  ASSERT_EQ(v.size(), 4u);
  EXPECT_NEAR(v[0], max_sf, 1e-10);
  EXPECT_NEAR(v[1], sum_sf / n, 1e-10);
  EXPECT_NEAR(v[2], max_se, 1e-10);
}

// compute committee/atom asks the pair style for uncertainties through its published interface
// (Pair::extract) in init(); requests of deleted computes are dropped at the next run, a new compute
// gets the same values.
TEST(PairSnapModel, CommitteeUncertaintyRequestsFollowTheComputes)
{
  REQUIRE_POTENTIALS();
  LammpsSession s;
  build(s, kSi);
  s.commands(TwoMembers(s).committee());
  s.commands("compute first all committee/atom\nthermo_style custom step pe c_first[1] c_first[3]\nrun 0 post no");
  const auto v1 = s.compute_vector("first");
  ASSERT_GT(v1[0], 1e-3);
  // the compute is gone: the next runs must not consult it
  s.commands("thermo_style custom step pe\nuncompute first\nrun 0 post no\nrun 2 post no");
  s.commands("compute second all committee/atom\nthermo_style custom step pe c_second[1] c_second[3]\nrun 0 post no");
  const auto v2 = s.compute_vector("second");
  ASSERT_EQ(v2.size(), 4u);
  EXPECT_GT(v2[0], 1e-3);
  EXPECT_GT(v2[2], 0.0);
  // the same configuration after 'run 2' with no velocities: the same uncertainties
  EXPECT_NEAR(v2[0], v1[0], 1e-10 * v1[0]);
  EXPECT_NEAR(v2[2], v1[2], 1e-10 * v1[2]);
}

// A 5-member NN committee (more members than one reverse-communication pass carries) in MD with
// sigma output every 5 steps, newton off: identical members give sigma = 0 and the single
// model's trajectory.
TEST(PairSnapModel, CommitteeOfIdenticalMembersIsTheSingleModel)
{
  REQUIRE_POTENTIALS();
  const std::string m = "nn Cu.nn.mliap.model Cu.snap.mliap.descriptor";
  auto run = [&](const std::string &coeff, bool with_compute) {
    LammpsSession s;
    build(s, kCu, "off");
    s.commands("pair_style snap/model\npair_coeff * * " + coeff);
    if (with_compute) s.commands("compute unc all committee/atom\nthermo_style custom step pe c_unc[1] c_unc[3]");
    s.commands("velocity all create 600 99 loop geom\nfix nve all nve\ntimestep 0.001\nthermo 5\n"
               "thermo_modify format float %.16g\nrun 20 post no");
    std::vector<double> out = {s.thermo("pe")};
    if (with_compute) {
      out.push_back(s.compute_vector("unc")[0]);
      out.push_back(s.compute_vector("unc")[2]);
    }
    return out;
  };
  const auto single = run(m + " Cu", false);
  const auto committee = run("committee 5 " + m + " " + m + " " + m + " " + m + " " + m + " Cu", true);
  EXPECT_NEAR(committee[0], single[0], 1e-9 * std::fabs(single[0]));
  EXPECT_LT(committee[1], 1e-9) << "max sigma_F of identical members";
  EXPECT_LT(committee[2], 1e-12) << "max sigma_E of identical members";
}

// write_restart stores no coefficients (as pair snap): after read_restart the pair style is given
// again and the results are those before.
TEST(PairSnapModel, RestartWithPairCoeffAgain)
{
  REQUIRE_POTENTIALS();
  LammpsSession s;
  build(s, kSi);
  const std::string pair = "pair_style snap/model\npair_coeff * * Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Si";
  const Result before = evaluate(s, pair);
  s.command("write_restart " + s.path("snap.restart"));
  s.clear();
  s.command("read_restart " + s.path("snap.restart"));
  const Result after = evaluate(s, pair);
  expect_same(after, before, 1e-12, "after read_restart");
}

// pair snap's "scale" for fix adapt: the energy and forces of each atom scale with its type's factor.
TEST(PairSnapModel, FixAdaptScale)
{
  REQUIRE_POTENTIALS();
  LammpsSession s;
  build(s, kSi);
  const Result full = evaluate(s, "pair_style snap/model\npair_coeff * * Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Si");
  s.commands("variable sc equal 0.25\nfix ad all adapt 1 pair snap/model scale 1 1 v_sc");
  const Result scaled = evaluate(s, "");
  EXPECT_NEAR(scaled.pe, 0.25 * full.pe, 1e-10 * std::fabs(full.pe));
  std::vector<double> f4 = full.f;
  for (double &x : f4) x *= 0.25;
  EXPECT_LT(rel_diff(scaled.f, f4), 1e-12);
}

namespace {

// A reference of tests/unit/refdata/inner_*.ref (written by LAMMPS 4Feb2025, generate_inner.sh): the
// configuration as a data file, and LAMMPS' energies and forces by atom ID.
struct InnerRef {
  std::string data;              // LAMMPS data file text (atomic style, 2 types)
  double energy = 0.0;
  std::vector<double> f, pe;     // in atom ID order: fx of every atom, then fy, fz (as evaluate()); pe
};

InnerRef read_inner_ref(const std::string &path)
{
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  InnerRef r;
  std::string line, box[3], atoms;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.rfind("energy ", 0) == 0) r.energy = std::stod(line.substr(7));
    if (line.rfind("ITEM: NUMBER OF ATOMS", 0) == 0 && std::getline(in, line)) n = std::stoi(line);
    if (line.rfind("ITEM: BOX BOUNDS", 0) == 0)
      for (auto &b : box) std::getline(in, b);
    if (line.rfind("ITEM: ATOMS id type x y z fx fy fz c_pe", 0) == 0) {
      r.f.assign(3 * n, 0.0);
      r.pe.assign(n, 0.0);
      for (int a = 0; a < n && std::getline(in, line); ++a) {
        std::istringstream ls(line);
        long id;
        int type;
        double x[3], f[3], pe;
        ls >> id >> type >> x[0] >> x[1] >> x[2] >> f[0] >> f[1] >> f[2] >> pe;
        std::ostringstream o;
        o.precision(17);
        o << id << " " << type << " " << x[0] << " " << x[1] << " " << x[2] << "\n";
        atoms += o.str();
        for (int k = 0; k < 3; ++k) r.f[k * n + (id - 1)] = f[k];    // evaluate()'s layout: fx of all, fy, fz
        r.pe[id - 1] = pe;
      }
    }
  }
  std::ostringstream d;
  d << "inner switching reference (LAMMPS 4Feb2025)\n\n" << n << " atoms\n2 atom types\n\n"
    << box[0] << " xlo xhi\n" << box[1] << " ylo yhi\n" << box[2] << " zlo zhi\n\nMasses\n\n1 28.0855\n2 72.63\n\n"
    << "Atoms # atomic\n\n" << atoms;
  r.data = d.str();
  EXPECT_GT(n, 0) << path;
  return r;
}

void read_inner_structure(LammpsSession &s, const InnerRef &ref, const std::string &newton = "on")
{
  std::ofstream(s.path("inner.data")) << ref.data;
  s.commands("units metal\natom_style atomic\natom_modify map array\nboundary p p p\nnewton " + newton +
             "\nread_data " + s.path("inner.data"));
}

struct InnerCase {
  const char *ref;
  std::string model;     // pair_style snap/model ...
  std::string oracle;    // the same potential in LAMMPS' own style (2022+ only)
};

std::vector<InnerCase> inner_cases()
{
  const std::string snap = refdata("inner_sige.snapcoeff") + " " + refdata("inner_sige.snapparam") + " Si Ge";
  const std::string model = refdata("inner_sige_chem.mliap.model"), desc = refdata("inner_sige_chem.mliap.descriptor");
  return {{"inner_snap", "pair_style snap/model\npair_coeff * * " + snap, "pair_style snap\npair_coeff * * " + snap},
          {"inner_mliap_chem", "pair_style snap/model\npair_coeff * * linear " + model + " " + desc + " Si Ge",
           "pair_style mliap model linear " + model + " descriptor sna " + desc + "\npair_coeff * * Si Ge"}};
}

}    // namespace

// The inner switching function (switchinnerflag, sinner, dinner; LAMMPS 2022+): snap/model equals LAMMPS
// 4Feb2025's pair snap and pair mliap, frozen in tests/unit/refdata/inner_*.ref (so the check runs in any
// LAMMPS, 29Sep2021 included, whose own pair snap refuses these files), newton on and off; and, when
// this LAMMPS is 2022 or later, the live pair snap / pair mliap too (energy, forces, virials).
TEST(PairSnapModel, InnerSwitchingMatchesLammps2025)
{
  for (const InnerCase &c : inner_cases()) {
    SCOPED_TRACE(c.ref);
    const InnerRef ref = read_inner_ref(refdata(std::string(c.ref) + ".ref"));
    for (const std::string newton : {"on", "off"}) {
      LammpsSession s;
      read_inner_structure(s, ref, newton);
      const Result got = evaluate(s, c.model);
      EXPECT_NEAR(got.pe, ref.energy, 1e-10 * std::fabs(ref.energy)) << "newton " << newton;
      EXPECT_LT(rel_diff(got.f, ref.f), 1e-10) << "newton " << newton << ": forces";
      EXPECT_LT(rel_diff(got.eatom, ref.pe), 1e-10) << "newton " << newton << ": per-atom energies";
      EXPECT_GT(max_abs(ref.f), 0.1);
      if (newton == "on") {
        EXPECT_NE(s.output().find("inner switching"), std::string::npos) << "pair_coeff's log line";
      }
    }
    LammpsSession s;
    if (lammps_version(s.lmp()) < 20220101) {    // LAMMPS 29Sep2021: pair snap has no switchinnerflag
      std::printf("[ inner    ] %s: LAMMPS %d has no inner switching in pair snap; checked against the stored "
                  "LAMMPS 4Feb2025 values only\n", c.ref, lammps_version(s.lmp()));
      continue;
    }
    if (c.oracle.find("mliap") != std::string::npos && !lammps_has_package("ML-IAP")) continue;
    read_inner_structure(s, ref);
    const Result want = evaluate(s, c.oracle);
    const Result got = evaluate(s, c.model);
    expect_same(got, want, 1e-10, std::string(c.ref) + " against this LAMMPS' own style");
    std::printf("[ inner    ] %s: against the live %s of LAMMPS %d: forces rel %.1e, energy %.1e\n", c.ref,
                c.oracle.substr(11, c.oracle.find_first_of(" \n", 11) - 11).c_str(), lammps_version(s.lmp()),
                rel_diff(got.f, want.f), std::fabs(got.pe - want.pe));
  }
}

// Every input error stops with an ERROR naming the problem.
TEST(PairSnapModel, InputErrors)
{
  REQUIRE_POTENTIALS();
  const std::string si = "Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam";
  LammpsSession s;
  build(s, kSi);
  auto err = [&](const std::string &block) { return s.error_of(block); };
  EXPECT_NE(err("pair_style snap/model 2.0").find("unknown argument '2.0'"), std::string::npos);
  EXPECT_NE(err("pair_style snap/model chunksize 0").find("chunksize must be a positive integer"), std::string::npos);
  EXPECT_NE(err("pair_style snap/model\npair_coeff * * " + si).find("expected 1 element names"), std::string::npos);
  EXPECT_NE(err("pair_style snap/model\npair_coeff * * " + si + " Si Si").find("expected 1 element names"),
            std::string::npos);
  EXPECT_NE(err("pair_style snap/model\npair_coeff * * " + si + " Ge").find("Ge"), std::string::npos);
  EXPECT_NE(err("pair_style snap/model\npair_coeff * * missing.snapcoeff Si_Zuo_JPCA2020.snapparam Si")
                .find("cannot open potential file missing.snapcoeff"),
            std::string::npos);
  EXPECT_NE(err("pair_style snap/model\npair_coeff * * nn Cu.nn.mliap.model Si").find("element"), std::string::npos);
  EXPECT_NE(err("pair_style snap/model\npair_coeff * * committee 1 " + si + " Si").find("at least 2 members"),
            std::string::npos);
  EXPECT_NE(err("pair_style snap/model\npair_coeff * * committee x " + si + " Si").find("not an integer"),
            std::string::npos);
  EXPECT_NE(err("pair_style snap/model\npair_coeff * * committee 2 " + si +
                " Si_Zuo_JPCA2020.quadratic.snapcoeff Si_Zuo_JPCA2020.quadratic.snapparam Si")
                .find("does not share the descriptor"),
            std::string::npos);
  EXPECT_NE(err("pair_style snap/model\nrun 0").find("All pair coeffs are not set"), std::string::npos);

  // malformed files: truncated, NaN, unknown activation (the core parsers are fuzzed in unit tests;
  // here the messages must reach the LAMMPS ERROR with the file name and line)
  const std::string coeff = read_file(potentials_dir() + "/Si_Zuo_JPCA2020.snapcoeff");
  ASSERT_FALSE(coeff.empty());
  std::ofstream(s.path("trunc.snapcoeff")) << coeff.substr(0, coeff.size() / 2);
  const std::string e1 = err("pair_style snap/model\npair_coeff * * " + s.path("trunc.snapcoeff") +
                             " Si_Zuo_JPCA2020.snapparam Si");
  EXPECT_NE(e1.find("trunc.snapcoeff"), std::string::npos) << e1;
  std::string nan = coeff;
  const auto pos = nan.rfind('\n', nan.size() - 2);
  nan = nan.substr(0, pos + 1) + "nan\n";
  std::ofstream(s.path("nan.snapcoeff")) << nan;
  const std::string e2 = err("pair_style snap/model\npair_coeff * * " + s.path("nan.snapcoeff") +
                             " Si_Zuo_JPCA2020.snapparam Si");
  EXPECT_NE(e2.find("nan.snapcoeff"), std::string::npos) << e2;
  std::string nn = read_file(refdata("si_synthetic.nn.mliap.model"));
  const auto t = nn.find("tanh");
  ASSERT_NE(t, std::string::npos);
  nn.replace(t, 4, "swish");
  std::ofstream(s.path("act.nn.mliap.model")) << nn;
  const std::string e3 = err("pair_style snap/model\npair_coeff * * nn " + s.path("act.nn.mliap.model") + " " +
                             refdata("si_synthetic.mliap.descriptor") + " Si");
  EXPECT_NE(e3.find("swish"), std::string::npos) << e3;

  // inner switching: one sinner / dinner value per pair_coeff element (LAMMPS rule), checked values
  const std::string ic = refdata("inner_sige.snapcoeff");
  std::ofstream(s.path("one.snapparam")) << "rcutfac 4.4\ntwojmax 6\nswitchinnerflag 1\nsinner 2.4 2.3\ndinner 0.2 0.3\n";
  const std::string e6 = err("pair_style snap/model\npair_coeff * * " + ic + " " + s.path("one.snapparam") + " Si");
  EXPECT_NE(e6.find("sinner has 2 values, but pair_coeff names 1 distinct element"), std::string::npos) << e6;
  std::ofstream(s.path("zero.snapparam")) << "rcutfac 4.4\ntwojmax 6\nswitchinnerflag 1\nsinner 2.4\ndinner 0\n";
  const std::string e7 = err("pair_style snap/model\npair_coeff * * " + ic + " " + s.path("zero.snapparam") + " Si");
  EXPECT_NE(e7.find("zero.snapparam:5: dinner values must be positive"), std::string::npos) << e7;

  // compute committee/atom needs a committee
  const std::string e4 = err("pair_style snap/model\npair_coeff * * " + si + " Si\ncompute u all committee/atom\nrun 0");
  EXPECT_NE(e4.find("single model"), std::string::npos) << e4;
  const std::string e5 = err("pair_style zero 4.0\npair_coeff * *\ncompute u2 all committee/atom\nrun 0");
  EXPECT_NE(e5.find("requires pair_style snap/model"), std::string::npos) << e5;
}

TEST(PairSnapModel, UnitsMismatch)
{
  REQUIRE_POTENTIALS();
  LammpsSession s;
  s.commands("units real\nlattice diamond 5.431\nregion box block 0 1 0 1 0 1\ncreate_box 1 box\n"
             "create_atoms 1 box\nmass 1 28.0855");
  // the Si_Zuo files declare "UNITS: metal" on their first line, as LAMMPS' potential readers check
  const std::string e = s.error_of("pair_style snap/model\npair_coeff * * Si_Zuo_JPCA2020.snapcoeff "
                                   "Si_Zuo_JPCA2020.snapparam Si");
  EXPECT_NE(e.find("requires metal units but real units are in use"), std::string::npos) << e;
}

// pair_modify nofdotr: the global virial is tallied pair by pair instead of from F.r, same result.
TEST(PairSnapModel, PairModifyNoFdotr)
{
  REQUIRE_POTENTIALS();
  LammpsSession s;
  build(s, kSi);
  const std::string pair = "pair_style snap/model\npair_coeff * * nn " + refdata("si_synthetic.nn.mliap.model") + " " +
                           refdata("si_synthetic.mliap.descriptor") + " Si";
  const Result fdotr = evaluate(s, pair);
  const Result tally = evaluate(s, pair + "\npair_modify nofdotr");
  expect_same(tally, fdotr, 1e-11, "pair_modify nofdotr");
}

// compute force/error reads the committee's sigma_F as its uncertainty. With two members and member A's
// forces as the reference, the error of the mean is exactly the spread: |F_mean - F_A| = |F_B - F_A|/2
// = sigma_F for every atom, so the per-atom error equals sigma_F and the rank correlation is 1.
TEST(PairSnapModel, CommitteeUncertaintyFeedsForceError)
{
  REQUIRE_POTENTIALS();
  LammpsSession s;
  build(s, kSi);
  const std::string param = "Si_Zuo_JPCA2020.snapparam";
  const std::string a = potentials_dir() + "/Si_Zuo_JPCA2020.snapcoeff";
  const std::string b = perturbed_snapcoeff(a, s.path("member2.snapcoeff"), 0.05, 2);
  s.commands("pair_style snap/model\npair_coeff * * " + a + " " + param + " Si\nrun 0 post no\n"
             "fix ref all store/state 0 fx fy fz");
  s.commands("pair_style snap/model\npair_coeff * * committee 2 " + a + " " + param + " " + b + " " + param + " Si\n"
             "compute unc all committee/atom\n"
             "compute fe all force/error ref f_ref[1] f_ref[2] f_ref[3] uncertainty c_unc[2]\n"
             "thermo_style custom step pe c_fe[17]\nrun 0 post no");
  const auto err = s.compute_peratom("fe", 3);
  const auto sig = s.compute_peratom("unc", 2);
  ASSERT_EQ(err.size(), sig.size());
  for (const auto &kv : err) EXPECT_NEAR(kv.second, sig.at(kv.first), 1e-10) << "atom " << kv.first;
  EXPECT_NEAR(s.compute_vector("fe")[16], 1.0, 1e-12) << "Spearman rank correlation of sigma and |error|";
}

// The uncertainties belong to the configuration the pair style saw: compute committee/atom refuses
// moved atoms with an ERROR (tests/support/pair_test_helpers.h).
TEST(PairSnapModel, CommitteeUncertaintyRefusesMovedAtoms)
{
  REQUIRE_POTENTIALS();
  LammpsSession s;
  expect_committee_refuses_moved_atoms(s);
}
