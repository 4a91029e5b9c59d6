// compute vacancy/sites/kk equals its CPU twin on the Wigner-Seitz counts, Frenkel pairs and defect
// clusters (issue 13 part 3): both twins side by side on one hot, damaged trajectory (deleted atoms,
// interstitials, every atom displaced, NPT box changes, reneighboring), compared on every output
// step: the 9-vector, the histogram and the local cluster table (sums of every column), with
// migrating atoms in the clusters under pairs any and neighbours; 2 threads in-process, and 1 thread
// at MPI np 1 and 2 (tiled comm + balance at np 2) through lmp.
#include "lammps_session.h"
#include "require_kokkos.h"

#include <gtest/gtest.h>

#include <string>

using namespace reval::test;

namespace {

// compute reduce of local data (the cluster tables): LAMMPS 21Nov2023 and newer need "inputs local" for a
// compute that has both per-atom and local outputs; older versions do not know the keyword
const char *kReduceLocal = REVAL_LAMMPS_VERSION >= 20231121 ? "inputs local" : "";

const char *kTwins = R"IN(
units           metal
atom_modify     map array
lattice         diamond 5.431
region          box block 0 4 0 4 0 4
create_box      1 box
create_atoms    1 box
mass            1 28.0855
group           gone id 1 2 3 100 101 333
delete_atoms    group gone
create_atoms    1 single 1.5 1.5 1.5
create_atoms    1 single 2.5 2.6 1.5
create_atoms    1 single 3.5 0.5 2.45
displace_atoms  all random 0.03 0.03 0.03 4711
pair_style      sw
pair_coeff      * * Si.sw Si
comm_modify     cutoff 7.5
${tiled}
compute         sk all vacancy/sites cluster/migrating yes histo 6 local clusters
compute         nk all vacancy/sites cluster/migrating yes pairs neighbours dre 0.6 cluster 3.0 local clusters
suffix          off
compute         sc all vacancy/sites cluster/migrating yes histo 6 local clusters
compute         nc all vacancy/sites cluster/migrating yes pairs neighbours dre 0.6 cluster 3.0 local clusters
suffix          on
compute         lk all reduce sum c_sk[1] c_sk[2] c_sk[3] c_sk[4] c_sk[5] c_sk[6] c_sk[7] c_sk[8] ${reduce_local}
compute         lc all reduce sum c_sc[1] c_sc[2] c_sc[3] c_sc[4] c_sc[5] c_sc[6] c_sc[7] c_sc[8] ${reduce_local}
compute         mk all reduce sum c_nk[1] c_nk[2] c_nk[5] c_nk[6] c_nk[7] c_nk[8] ${reduce_local}
compute         mc all reduce sum c_nc[1] c_nc[2] c_nc[5] c_nc[6] c_nc[7] c_nc[8] ${reduce_local}
variable        dv equal abs(c_sk[1]-c_sc[1])+abs(c_sk[2]-c_sc[2])+abs(c_sk[3]-c_sc[3])+abs(c_sk[4]-c_sc[4])+abs(c_sk[5]-c_sc[5])+abs(c_sk[6]-c_sc[6])+abs(c_sk[7]-c_sc[7])+abs(c_sk[8]-c_sc[8])+abs(c_sk[9]-c_sc[9])+abs(c_nk[5]-c_nc[5])+abs(c_nk[6]-c_nc[6])+abs(c_nk[7]-c_nc[7])+abs(c_nk[8]-c_nc[8])+abs(c_nk[9]-c_nc[9])+abs(c_sk[10]-c_sc[10])+abs(c_nk[10]-c_nc[10])
variable        dh equal abs(c_sk[1][2]-c_sc[1][2])+abs(c_sk[2][2]-c_sc[2][2])+abs(c_sk[3][2]-c_sc[3][2])+abs(c_sk[4][2]-c_sc[4][2])+abs(c_sk[5][2]-c_sc[5][2])+abs(c_sk[6][2]-c_sc[6][2])
variable        dl equal abs(c_lk[1]-c_lc[1])+abs(c_lk[2]-c_lc[2])+abs(c_lk[3]-c_lc[3])+abs(c_lk[4]-c_lc[4])+abs(c_lk[5]-c_lc[5])+abs(c_lk[6]-c_lc[6])+abs(c_lk[7]-c_lc[7])+abs(c_lk[8]-c_lc[8])+abs(c_mk[1]-c_mc[1])+abs(c_mk[2]-c_mc[2])+abs(c_mk[3]-c_mc[3])+abs(c_mk[4]-c_mc[4])+abs(c_mk[5]-c_mc[5])+abs(c_mk[6]-c_mc[6])
variable        mig equal c_lc[5]
fix             d all ave/time 10 1 10 v_dv v_dh v_dl v_mig ave running
velocity        all create 2600 7 loop geom
fix             1 all npt temp 2300 2300 0.1 iso 0 0 1.0
${balance}
thermo          10
thermo_style    custom step temp vol c_sk[5] c_sc[5] c_sk[7] c_sc[7] c_sk[8] c_sk[9] v_dv v_dh v_dl
run             ${nsteps}
print "@@ dv = $(f_d[1]:%.17g)"
print "@@ dh = $(f_d[2]:%.17g)"
print "@@ dl = $(f_d[3]:%.17g)"
print "@@ mig = $(f_d[4]:%.17g)"
print "@@ frenkel = $(c_sc[7])"
print "@@ clusters = $(c_sc[8])"
)IN";

}    // namespace

TEST(KokkosVacancyClusters, TwinsAgreeInProcess)
{
  REVAL_REQUIRE_KOKKOS();
  auto args = kokkos_args(2);
  args.insert(args.end(), {"-var", "nsteps", "150", "-var", "tiled", "", "-var", "balance", "", "-var", "reduce_local",
                           kReduceLocal});
  LammpsSession s(args);
  s.commands(std::string(kTwins));
  EXPECT_EQ(s.style_of("compute", "sk"), "vacancy/sites/kk") << "the /kk twin ran";
  EXPECT_EQ(s.style_of("compute", "sc"), "vacancy/sites");
  EXPECT_EQ(s.equal("f_d[1]"), 0.0) << "vectors differ on some output step";
  EXPECT_EQ(s.equal("f_d[2]"), 0.0) << "histograms differ on some output step";
  EXPECT_LT(s.equal("f_d[3]"), 1e-10) << "local cluster tables differ on some output step";
  // the comparison covers defects, clusters and migrating atoms in them
  EXPECT_GT(s.equal("c_sc[7]"), 2.0);
  EXPECT_GT(s.equal("c_sc[8]"), 1.0);
  EXPECT_GT(s.equal("f_d[4]"), 0.0);
  // local tables row by row (one rank: all rows here)
  EXPECT_EQ(s.compute_local("sk"), s.compute_local("sc"));
  EXPECT_EQ(s.compute_array("sk"), s.compute_array("sc"));
}

TEST(KokkosVacancyClusters, OneThreadAndTwoRanksTiledBalanced)
{
  REVAL_REQUIRE_KOKKOS();
  for (int np : {1, 2}) {
    if (!ranks_available(np)) continue;
    LmpOptions o;
    o.np = np;
    o.args = kokkos_args(1);
    o.vars = {{"nsteps", "100"},
              {"reduce_local", kReduceLocal},
              {"tiled", np == 2 ? "comm_style tiled" : ""},
              {"balance", np == 2 ? "fix bal all balance 20 1.0 rcb" : ""}};
    LmpRun r = run_lmp(kTwins, o);
    ASSERT_TRUE(r.ok()) << r.error_line() << "\n" << r.output;
    EXPECT_EQ(r.value("dv"), 0.0) << "np " << np;
    EXPECT_EQ(r.value("dh"), 0.0) << "np " << np;
    EXPECT_LT(r.value("dl"), 1e-10) << "np " << np;
    EXPECT_GT(r.value("frenkel"), 2.0);
  }
}
