// compute vacancy/sites/kk and compute re/atom/kk equal their CPU twins (run side by side in the same
// MD run, so on the same positions): vacancy counts, per-atom flags, distances and site indices,
// through NPT box changes, reneighboring, vacancies created by migration; OpenMP 2 threads
// in-process, 1 thread and MPI np 2 through lmp; the ERRORs of wrong combinations.
#include "lammps_session.h"
#include "require_kokkos.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace reval::test;

namespace {


// Both twins on one trajectory; d_sum = sum over atoms and columns of |kk - cpu|.
const char *kSideBySide = R"IN(
units           metal
atom_modify     map array
lattice         diamond 5.431
region          box block 0 3 0 3 0 3
create_box      1 box
create_atoms    1 box
mass            1 28.0855
group           gone id 1 2
delete_atoms    group gone
pair_style      sw
pair_coeff      * * Si.sw Si
comm_modify     cutoff 7.5
compute         sk all vacancy/sites
compute         rk all re/atom sk
compute         rkn all re/atom sk pairs neighbours
suffix          off
compute         sc all vacancy/sites
compute         rc all re/atom sc
compute         rcn all re/atom sc pairs neighbours
compute         rx all re/atom sk      # the CPU re/atom on the device sites (host copy on request)
suffix          on
variable        d atom abs(c_rk[1]-c_rc[1])+abs(c_rk[2]-c_rc[2])+abs(c_rk[3]-c_rc[3])+abs(c_rk[4]-c_rc[4])+abs(c_rk[5]-c_rc[5])+abs(c_rx[1]-c_rc[1])+abs(c_rx[2]-c_rc[2])+abs(c_rx[3]-c_rc[3])+abs(c_rx[4]-c_rc[4])+abs(c_rx[5]-c_rc[5])+abs(c_rkn[1]-c_rcn[1])+abs(c_rkn[4]-c_rcn[4])
compute         dsum all reduce sum v_d
compute         rsum all reduce sum c_rk[1] c_rk[2] c_rk[3] c_rk[4]
variable        dv equal abs(c_sk[1]-c_sc[1])+abs(c_sk[2]-c_sc[2])+abs(c_sk[3]-c_sc[3])+abs(c_sk[4]-c_sc[4])
variable        dvsum equal 0
fix             dvmax all ave/time 25 1 25 v_dv c_dsum ave running
velocity        all create 3200 7 loop geom
fix             1 all npt temp 2600 2600 0.1 iso 0 0 1.0
thermo          25
thermo_style    custom step temp vol c_sk[1] c_sc[1] c_rk c_rc c_dsum v_dv c_rsum[1] c_rsum[2] c_rsum[3] c_rsum[4]
run             ${nsteps}
print "@@ dv_mean = $(f_dvmax[1]:%.17g)"
print "@@ dsum_mean = $(f_dvmax[2]:%.17g)"
print "@@ vac = $(c_sk[1])"
print "@@ rs_sum = $(c_rsum[2]:%.17g)"
print "@@ rv_sum = $(c_rsum[3]:%.17g)"
)IN";

// Heavy damage (as bench/sites: every atom displaced by up to 0.15 lattice units) in a triclinic box:
// thousands of vacancy and migrating-atom points, dense enough for the point grids' multi-ring layouts;
// kk and CPU twins side by side, both migrating rules. md = max over atoms of the sum over columns of
// |kk - cpu|.
const char *kDamage = R"IN(
units           metal
atom_modify     map array
lattice         diamond 5.431
region          box prism 0 6 0 5 0 5 1.5 -1.0 0.5
create_box      1 box
create_atoms    1 box
mass            1 28.0855
displace_atoms  all random 0.15 0.15 0.15 4711
pair_style      zero 5.5
pair_coeff      * *
comm_modify     cutoff 7.5
compute         sk all vacancy/sites
compute         rk all re/atom sk
compute         rkn all re/atom sk pairs neighbours
suffix          off
compute         sc all vacancy/sites
compute         rc all re/atom sc
compute         rcn all re/atom sc pairs neighbours
suffix          on
variable        d atom abs(c_rk[1]-c_rc[1])+abs(c_rk[2]-c_rc[2])+abs(c_rk[3]-c_rc[3])+abs(c_rk[4]-c_rc[4])+abs(c_rk[5]-c_rc[5])+abs(c_rkn[1]-c_rcn[1])+abs(c_rkn[4]-c_rcn[4])
compute         md all reduce max v_d
thermo_style    custom step c_md c_sc[1] c_rc c_rcn c_rk c_rkn
run             0 post no
print "@@ md = $(c_md:%.17g)"
print "@@ vac = $(c_sc[1])"
print "@@ mig_any = $(c_rc)"
print "@@ mig_nb = $(c_rcn)"
print "@@ mig_any_kk = $(c_rk)"
print "@@ mig_nb_kk = $(c_rkn)"
info            computes
)IN";

// a tetrahedral interstitial of a perfect diamond crystal (atom 37 moved to a T site); rk/rkn: kk
const char *kTetrahedral = R"IN(
units           metal
atom_modify     map array
lattice         diamond 5.431
region          box block 0 3 0 3 0 3
create_box      1 box
create_atoms    1 box
mass            1 28.0855
pair_style      zero 6.0
pair_coeff      * *
comm_modify     cutoff 8.0
set             atom 37 x 8.1465 y 8.1465 z 8.1465
compute         sk all vacancy/sites
compute         rk all re/atom sk
compute         rkn all re/atom sk pairs neighbours
variable        f1 atom c_rk[1]*(id==37)
variable        f2 atom c_rkn[1]*(id==37)
compute         f all reduce sum v_f1 v_f2
thermo_style    custom step c_f[1] c_f[2] c_rk c_rkn
run             0 post no
print "@@ any = $(c_f[1])"
print "@@ neighbours = $(c_f[2])"
print "@@ nany = $(c_rk)"
print "@@ nnb = $(c_rkn)"
info            computes
)IN";

}    // namespace

TEST(KokkosSites, TwinsAgreeUnderHeavyDamage)
{
  REVAL_REQUIRE_KOKKOS();
  for (int np : {1, 2}) {
    if (!ranks_available(np)) continue;
    LmpOptions o;
    o.np = np;
    o.args = kokkos_args(np == 1 ? 2 : 1);
    LmpRun r = run_lmp(kDamage, o);
    ASSERT_TRUE(r.ok()) << r.error_line() << "\n" << r.output;
    EXPECT_NE(r.output.find("style = re/atom/kk,"), std::string::npos) << "the /kk twin ran";
    EXPECT_NE(r.output.find("style = re/atom,"), std::string::npos) << "the plain style ran";
    EXPECT_LT(r.value("md"), 1e-10) << "np " << np;
    EXPECT_EQ(r.value("mig_any"), r.value("mig_any_kk"));
    EXPECT_EQ(r.value("mig_nb"), r.value("mig_nb_kk"));
    // heavy damage indeed: many vacancies and migrating atoms (dense point sets)
    EXPECT_GT(r.value("vac"), 30.0);
    EXPECT_GT(r.value("mig_nb"), 200.0);    // 248 of 1200 atoms
    EXPECT_GE(r.value("mig_any"), r.value("mig_nb")) << "pairs any flags a superset of pairs neighbours";
  }
}

TEST(KokkosSites, TetrahedralInterstitialIsMigratingUnderPairsAnyOnly)
{
  REVAL_REQUIRE_KOKKOS();
  LmpOptions o;
  o.args = kokkos_args(1);
  LmpRun r = run_lmp(kTetrahedral, o);
  ASSERT_TRUE(r.ok()) << r.error_line() << "\n" << r.output;
  // (the plugin's banner names every /kk style: look for the instances)
  EXPECT_NE(r.output.find("style = re/atom/kk,"), std::string::npos) << "the kk style ran";
  EXPECT_NE(r.output.find("style = vacancy/sites/kk,"), std::string::npos) << "the kk style ran";
  EXPECT_EQ(r.value("any"), 1.0) << "default pairs any: the atom at the T site is migrating";
  EXPECT_EQ(r.value("neighbours"), 0.0) << "pairs neighbours: its nearest sites are second neighbours";
  EXPECT_EQ(r.value("nany"), 1.0);
  EXPECT_EQ(r.value("nnb"), 0.0);
}

TEST(KokkosSites, TwinsAgreeAlongNptTrajectory)
{
  REVAL_REQUIRE_KOKKOS();
  auto args = kokkos_args(2);
  args.insert(args.end(), {"-var", "nsteps", "600"});
  LammpsSession s(args);
  s.commands(std::string(kSideBySide));
  EXPECT_EQ(s.style_of("compute", "sk"), "vacancy/sites/kk") << "the /kk twins ran";
  EXPECT_EQ(s.style_of("compute", "rk"), "re/atom/kk");
  // the run must have seen migrating atoms and extra vacancies, else the comparison proves little
  EXPECT_GT(s.equal("c_rsum[2]"), 10.0);
  EXPECT_EQ(s.equal("f_dvmax[1]"), 0.0) << "vacancy counts differ on some output step";
  EXPECT_LT(s.equal("f_dvmax[2]"), 1e-10) << "per-atom re/atom values differ on some output step";
  // host execution spaces: the same bits; on a GPU the /kk kernels may fuse multiply-adds (a few ulp)
  if (lammps_kokkos_gpu())
    EXPECT_LT(s.equal("c_dsum"), 1e-10);
  else
    EXPECT_EQ(s.equal("c_dsum"), 0.0);
}

TEST(KokkosSites, OneThreadAndTwoRanks)
{
  REVAL_REQUIRE_KOKKOS();
  for (int np : {1, 2}) {
    if (!ranks_available(np)) continue;
    LmpOptions o;
    o.np = np;
    o.args = kokkos_args(1);
    o.vars = {{"nsteps", "300"}};
    LmpRun r = run_lmp(kSideBySide, o);
    ASSERT_TRUE(r.ok()) << r.error_line() << "\n" << r.output;
    EXPECT_EQ(r.value("dv_mean"), 0.0) << "np " << np;
    EXPECT_LT(r.value("dsum_mean"), 1e-10) << "np " << np;
    EXPECT_GT(r.value("rs_sum"), 10.0);
  }
}

TEST(KokkosSites, Errors)
{
  REVAL_REQUIRE_KOKKOS();
  const char *setup = "units metal\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\ncreate_box 1 box\n"
                      "create_atoms 1 box\nmass 1 28.0855\npair_style zero 6.0\npair_coeff * *\n";
  {
    LammpsSession s;
    s.commands(setup);
    EXPECT_NE(s.error_of("compute sk all vacancy/sites/kk").find("-k on"), std::string::npos);
    EXPECT_NE(s.error_of("compute sites all vacancy/sites\ncompute rk all re/atom/kk sites").find("-k on"),
              std::string::npos);
  }
  LammpsSession k(kokkos_args(1));
  k.commands(setup);
  const std::string e = k.error_of("suffix off\ncompute sc all vacancy/sites\nsuffix on\ncompute rk all re/atom sc\nrun 0");
  EXPECT_NE(e.find("must be a compute vacancy/sites/kk"), std::string::npos) << e;
  EXPECT_NE(k.error_of("compute s2 all vacancy/sites rvac -1").find("rvac"), std::string::npos);
  EXPECT_NE(k.error_of("compute s3 all vacancy/sites\ncompute r3 all re/atom s3 pairs some")
                .find("compute re/atom: pairs must be any or neighbours (got 'some')"),
            std::string::npos);
}
