// pair_style snap/model gives the same energies, forces, virials and committee uncertainties at 1, 2
// and 4 MPI ranks (brick and tiled decompositions), newton on and off, before and after 20 MD steps.
#include "lammps_session.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>

using namespace reval::test;

namespace {

// A 5-member committee (the per-member forces need two reverse-communication passes) of Si_Zuo
// variants; thermo every 5 steps asks for the uncertainties.
const char *kInput = R"IN(
units           metal
atom_style      atomic
atom_modify     map array
newton          ${newton}
comm_style      ${comm}
lattice         diamond 5.431
region          box block 0 3 0 3 0 3
create_box      1 box
create_atoms    1 box
mass            1 28.0855
displace_atoms  all random 0.12 0.12 0.12 4711 units box
if "${comm} == tiled" then "balance 1.0 rcb"
pair_style      snap/model
pair_coeff      * * committee 5 Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam &
                m1.snapcoeff Si_Zuo_JPCA2020.snapparam m2.snapcoeff Si_Zuo_JPCA2020.snapparam &
                m3.snapcoeff Si_Zuo_JPCA2020.snapparam m4.snapcoeff Si_Zuo_JPCA2020.snapparam Si
compute         unc all committee/atom
compute         sa all stress/atom NULL virial
compute         sas all reduce sum c_sa[1] c_sa[2] c_sa[3] c_sa[4] c_sa[5] c_sa[6]
compute         pu all property/atom xu yu zu
variable        fw atom fx*(1+c_pu[1]/7)+fy*(1+c_pu[2]/5)-fz*(1+c_pu[3]/3)
compute         fsum all reduce sum v_fw
variable        sw atom c_unc[1]*(1+c_pu[1]/7)+c_unc[2]*(1+c_pu[2]/5)
compute         usum all reduce sum v_sw
thermo_style    custom step pe press pxy c_unc[1] c_unc[2] c_unc[3] c_unc[4] c_fsum c_usum c_sas[1] c_sas[4] c_sas[6]
thermo_modify   format float %.15g
thermo          5
velocity        all create 900 31 loop geom
fix             nve all nve
timestep        0.0005
run             0
print "@@ pe0 = $(pe)"
print "@@ press0 = $(press)"
print "@@ pxy0 = $(pxy)"
print "@@ u10 = $(c_unc[1])"
print "@@ u20 = $(c_unc[2])"
print "@@ u30 = $(c_unc[3])"
print "@@ u40 = $(c_unc[4])"
print "@@ f0 = $(c_fsum)"
print "@@ s0 = $(c_usum)"
print "@@ sa10 = $(c_sas[1])"
print "@@ sa40 = $(c_sas[4])"
run             20
print "@@ pe1 = $(pe)"
print "@@ press1 = $(press)"
print "@@ u11 = $(c_unc[1])"
print "@@ u31 = $(c_unc[3])"
print "@@ f1 = $(c_fsum)"
print "@@ s1 = $(c_usum)"
print "@@ sa61 = $(c_sas[6])"
)IN";

}    // namespace

TEST(MpiSnapModel, SameResultsAtNp124)
{
  const std::string coeff = potentials_dir() + "/Si_Zuo_JPCA2020.snapcoeff";
  if (!std::ifstream(coeff).good()) GTEST_SKIP() << "LAMMPS potential files (Debian lammps-data) not found";
  const std::string dir = make_temp_dir("mpi-snap");
  for (int m = 1; m <= 4; ++m)
    perturbed_snapcoeff(coeff, dir + "/m" + std::to_string(m) + ".snapcoeff", 0.03, m);
  const char *keys0[] = {"pe0", "press0", "pxy0", "u10", "u20", "u30", "u40", "f0", "s0", "sa10", "sa40"};
  const char *keys1[] = {"pe1", "press1", "u11", "u31", "f1", "s1", "sa61"};

  LmpRun ref;
  bool have_ref = false;
  for (const char *newton : {"on", "off"})
    for (const char *commstyle : {"brick", "tiled"})
      for (int np : {1, 2, 4}) {
        if (std::string(commstyle) == "tiled" && np == 1) continue;
        SCOPED_TRACE(std::string("newton ") + newton + ", comm " + commstyle + ", np " + std::to_string(np));
        LmpOptions o;
        o.np = np;
        o.workdir = dir;
        o.vars = {{"newton", newton}, {"comm", commstyle}};
        LmpRun r = run_lmp(kInput, o);
        ASSERT_TRUE(r.ok()) << r.error_line() << "\n" << r.output;
        EXPECT_GT(r.value("u30"), 1e-4) << "the members must differ";
        if (!have_ref) {
          ref = r;
          have_ref = true;
          continue;
        }
        for (const char *k : keys0)
          EXPECT_NEAR(r.value(k), ref.value(k), 1e-10 * std::max(1.0, std::fabs(ref.value(k)))) << k;
        // after 20 MD steps round-off differences of the decomposition have grown a little
        for (const char *k : keys1)
          EXPECT_NEAR(r.value(k), ref.value(k), 1e-8 * std::max(1.0, std::fabs(ref.value(k)))) << k;
      }
}
