// pair_style snap/model/kk equals pair_style snap/model (its CPU twin, itself tested against LAMMPS
// pair snap / pair mliap) on every model form: energies, per-atom energies, forces, global and
// per-atom virials, committee uncertainties; OpenMP with 1 and 2 threads, MPI np 2, newton on/off,
// hybrid/overlay with zbl, the inner switching function (switchinnerflag); a clear ERROR without -k on.
#include "lammps_session.h"
#include "require_kokkos.h"
#include "pair_test_helpers.h"

#include "kernels/point/snap_host_simd.hpp"

#include "force.h"
#include "lammps.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace reval::test;

namespace {


const std::vector<std::string> kKokkosArgs = kokkos_args(2);

struct KkCase {
  const char *name;
  Structure st;
  std::string pair;    // the same commands run as /kk (suffix kk) and plain (suffix off)
};

std::vector<KkCase> kk_cases()
{
  const std::string syn = refdata("si_synthetic.nn.mliap.model") + " " + refdata("si_synthetic.mliap.descriptor");
  // the inner switching function (LAMMPS 2022+; synthetic Si/Ge potentials of tests/unit/refdata): the
  // first neighbour shell of this perturbed crystal is spread over the switching regions
  const Structure sige{"diamond 5.45", 2, 2, "", "mass 1 28.0855\nmass 2 72.63", 0.25, "set type 1 type/fraction 2 0.4 8080"};
  const std::string inner = refdata("inner_sige.snapcoeff") + " " + refdata("inner_sige.snapparam") + " Si Ge";
  const std::string inner_chem =
      "linear " + refdata("inner_sige_chem.mliap.model") + " " + refdata("inner_sige_chem.mliap.descriptor") + " Si Ge";
  return {
      {"inner switching SiGe", sige, "pair_style snap/model\npair_coeff * * " + inner},
      {"inner switching chemflag", sige, "pair_style snap/model\npair_coeff * * " + inner_chem},
      {"teamsize 2 inner switching chemflag", sige, "pair_style snap/model teamsize 2\npair_coeff * * " + inner_chem},
      {"Si_Zuo linear", kSi,
       "pair_style snap/model\npair_coeff * * Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Si"},
      {"Si_Zuo quadratic triclinic", kSiTriclinic,
       "pair_style snap/model\npair_coeff * * Si_Zuo_JPCA2020.quadratic.snapcoeff Si_Zuo_JPCA2020.quadratic.snapparam Si"},
      {"synthetic NN", kSi, "pair_style snap/model chunksize 50\npair_coeff * * nn " + syn + " Si"},
      {"Cu NN", kCu, "pair_style snap/model\npair_coeff * * nn Cu.nn.mliap.model Cu.snap.mliap.descriptor Cu"},
      {"Ta06A NN + zbl", kTa,
       zbl("snap/model", "snap/model nn Ta06A.nn.mliap.model Ta06A.mliap.descriptor Ta", "pair_coeff 1 1 zbl 73 73")},
      {"W quadratic + zbl", kW,
       zbl("snap/model", "snap/model quadratic W.quadratic.mliap.model W.quadratic.mliap.descriptor W",
           "pair_coeff 1 1 zbl 74 74")},
      {"InP chemflag", kInP,
       "pair_style snap/model\npair_coeff * * InP_JCPA2020.snapcoeff InP_JCPA2020.snapparam In P"},
      {"WBe two elements", kWBe,
       "pair_style snap/model\npair_coeff * * WBe_Wood_PRB2019.snapcoeff WBe_Wood_PRB2019.snapparam W Be"},
      // teams of 2 threads per atom: the GPU code path (atomic sums within a team, per-atom rows of the
      // chunk arrays, U recomputed in the force pass) on the host
      {"teamsize 2 quadratic", kSi,
       "pair_style snap/model teamsize 2 chunksize 60\npair_coeff * * Si_Zuo_JPCA2020.quadratic.snapcoeff "
       "Si_Zuo_JPCA2020.quadratic.snapparam Si"},
      {"teamsize 2 InP chemflag", kInP,
       "pair_style snap/model teamsize 2\npair_coeff * * InP_JCPA2020.snapcoeff InP_JCPA2020.snapparam In P"},
      {"teamsize 2 synthetic NN", kSi, "pair_style snap/model teamsize 2\npair_coeff * * nn " + syn + " Si"},
  };
}

}    // namespace

class KokkosSnapModel : public ::testing::TestWithParam<int> {};

TEST_P(KokkosSnapModel, EqualsCpuTwin)
{
  REVAL_REQUIRE_KOKKOS();
  REQUIRE_POTENTIALS();
  const KkCase c = kk_cases()[GetParam()];
  SCOPED_TRACE(c.name);
  for (const char *newton : {"on", "off"}) {
    LammpsSession s(kKokkosArgs);
    build(s, c.st, newton);
    const Result kk = evaluate(s, c.pair);
    EXPECT_EQ(s.pair_kokkosable("snap/model"), 1) << "the /kk style must have run (pair style " << s.style_of("pair") << ")";
    if (c.pair.find("teamsize 2") != std::string::npos) {
      EXPECT_NE(s.output().find("2 thread(s) per atom"), std::string::npos) << "teams of 2 threads must have run";
    } else if (REVAL_HOST_SIMD) {    // one-thread host teams: the plain engine's host SIMD layouts (run_host)
      EXPECT_NE(s.output().find("host SIMD layouts"), std::string::npos) << "run_host must have run";
    }
    s.command("suffix off");
    // the plain pair style inside pair_style hybrid needs the Kokkos hybrid style under -k on
    std::string plain = c.pair;
    const auto h = plain.find("hybrid/overlay ");
    if (h != std::string::npos) plain.replace(h, 14, "hybrid/overlay/kk");
    const Result cpu = evaluate(s, plain);
    expect_same(kk, cpu, 1e-10, std::string(c.name) + ", newton " + newton);
  }
}

INSTANTIATE_TEST_SUITE_P(Models, KokkosSnapModel, ::testing::Range(0, static_cast<int>(kk_cases().size())),
                         [](const ::testing::TestParamInfo<int> &info) {
                           std::string n = kk_cases()[info.param].name;
                           for (auto &ch : n)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

// Committee uncertainties from the device (per-member forces, atomics, reverse communication) equal
// the CPU twin's.
TEST(KokkosSnapModelCommittee, SigmaEqualsCpuTwin)
{
  REVAL_REQUIRE_KOKKOS();
  REQUIRE_POTENTIALS();
  LammpsSession s(kKokkosArgs);
  build(s, kSi);
  const std::string a = potentials_dir() + "/Si_Zuo_JPCA2020.snapcoeff";
  const std::string b = perturbed_snapcoeff(a, s.path("m2.snapcoeff"), 0.05, 2);
  const std::string pair = "pair_style snap/model teamsize 2\npair_coeff * * committee 3 " + a + " Si_Zuo_JPCA2020.snapparam " + b +
                           " Si_Zuo_JPCA2020.snapparam nn " + refdata("si_synthetic.nn.mliap.model") + " " +
                           refdata("si_synthetic.mliap.descriptor") + " Si";
  auto sigmas = [&]() {
    s.commands(pair + "\ncompute unc all committee/atom\nthermo_style custom step pe c_unc[1]\nrun 0 post no");
    std::vector<double> v;
    for (int col : {1, 2})
      for (const auto &kv : s.compute_peratom("unc", col)) v.push_back(kv.second);
    const double pe = s.thermo("pe");
    s.command("uncompute unc");
    s.command("thermo_style custom step pe");
    v.push_back(pe);
    return v;
  };
  const std::vector<double> kk = sigmas();
  s.command("suffix off");
  const std::vector<double> cpu = sigmas();
  EXPECT_GT(max_abs(cpu), 1e-3);
  EXPECT_LT(rel_diff(kk, cpu), 1e-10);
}

// compute committee/atom on snap/model/kk uncertainties refuses moved atoms like the plain style.
TEST(KokkosSnapModelCommittee, RefusesMovedAtoms)
{
  REVAL_REQUIRE_KOKKOS();
  REQUIRE_POTENTIALS();
  LammpsSession s(kKokkosArgs);
  expect_committee_refuses_moved_atoms(s);
  EXPECT_EQ(std::string(s.lmp()->force->pair_style), "snap/model/kk") << "the /kk pair computed the uncertainties";
}

// 1 thread and MPI np 2 x 1 thread give what the plain style gives (global values of an MD run).
TEST(KokkosSnapModelRuns, ThreadsAndRanks)
{
  REVAL_REQUIRE_KOKKOS();
  REQUIRE_POTENTIALS();
  const char *input = R"IN(
units           metal
atom_modify     map array
lattice         diamond 5.431
region          box block 0 3 0 3 0 3
create_box      1 box
create_atoms    1 box
mass            1 28.0855
displace_atoms  all random 0.1 0.1 0.1 4711 units box
pair_style      snap/model
pair_coeff      * * nn ${syn_model} ${syn_desc} Si
compute         pu all property/atom xu yu zu
variable        fw atom fx*(1+c_pu[1]/7)+fy*(1+c_pu[2]/5)-fz*(1+c_pu[3]/3)
compute         fsum all reduce sum v_fw
thermo_style    custom step pe press c_fsum
thermo_modify   format float %.15g
velocity        all create 900 31 loop geom
fix             nve all nve
timestep        0.0005
run             0
print "@@ pe0 = $(pe)"
print "@@ f0 = $(c_fsum)"
print "@@ p0 = $(press)"
run             10
print "@@ pe1 = $(pe)"
print "@@ f1 = $(c_fsum)"
)IN";
  std::vector<std::pair<std::string, LmpOptions>> runs;
  LmpOptions plain;
  plain.vars = {{"syn_model", refdata("si_synthetic.nn.mliap.model")}, {"syn_desc", refdata("si_synthetic.mliap.descriptor")}};
  LmpRun ref = run_lmp(input, plain);
  ASSERT_TRUE(ref.ok()) << ref.error_line() << ref.output;
  for (int np : {1, 2}) {
    if (!ranks_available(np)) continue;
    LmpOptions o = plain;
    o.np = np;
    o.args = kokkos_args(1);
    LmpRun r = run_lmp(input, o);
    ASSERT_TRUE(r.ok()) << r.error_line() << r.output;
    // the neighbor list summary names the instance (the plugin's banner names every style)
    EXPECT_NE(r.output.find("pair snap/model/kk, perpetual"), std::string::npos) << "the /kk style ran";
    for (const char *k : {"pe0", "f0", "p0"})
      EXPECT_NEAR(r.value(k), ref.value(k), 1e-10 * std::max(1.0, std::fabs(ref.value(k)))) << k << " np " << np;
    for (const char *k : {"pe1", "f1"})
      EXPECT_NEAR(r.value(k), ref.value(k), 1e-8 * std::max(1.0, std::fabs(ref.value(k)))) << k << " np " << np;
  }
}

// Without -k on, the /kk style stops with an ERROR saying what to do (LAMMPS itself would crash).
TEST(KokkosSnapModelErrors, NeedsKokkosOn)
{
  REVAL_REQUIRE_KOKKOS();
  {
    LammpsSession s;
    build(s, kSi);
    const std::string e = s.error_of("pair_style snap/model/kk");
    EXPECT_NE(e.find("-k on"), std::string::npos) << e;
  }
  LammpsSession k(kKokkosArgs);
  build(k, kSi);
  EXPECT_NE(k.error_of("pair_style snap/model chunksize -3").find("chunksize must be a positive integer"),
            std::string::npos);
  EXPECT_NE(k.error_of("pair_style snap/model\npair_coeff * * Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Ge")
                .find("Ge"),
            std::string::npos);
}
