// fix re/harvest/kk, the Kokkos twin of fix re/harvest, under -k on ... -sf kk: it is the style -sf kk
// instantiates, and it writes the frames of the plain fix (same steps, criteria, flags, atoms, IDs and
// positions, byte for byte; energies and forces to 1e-9), criterion by criterion, reading the /kk
// sources on the device (compute re/atom/kk: migrating, fix re/stats/kk: hop, compute force/error/kk:
// error) and host values otherwise (the committee sigma of compute committee/atom, an atom-style
// variable, an equal-style variable of compute pe/atom, an equal-style variable, compute vacancy/sites/kk's count), at 1 and 2 threads and on
// 2 MPI ranks (atoms moving between ranks carry the hop counts seen); and the plain fix under -sf kk
// (suffix off) reads the /kk styles' host copies to the same frames. Restart of the /kk fix (to
// itself and to the plain twin) continues counters, hop counts seen and file; errors.
#include "lammps_session.h"
#include "require_kokkos.h"

#include "core/extxyz.h"

#include "fix.h"
#include "lammps.h"
#include "modify.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

using namespace reval::test;

namespace {
const char *kRecord = R"(
units           metal
atom_style      atomic
atom_modify     map array
lattice         diamond 5.431
region          box block 0 2 0 2 0 2
create_box      1 box
create_atoms    1 box
mass            1 28.0855
create_atoms    1 single 0.75 0.75 0.75
pair_style      sw
pair_coeff      * * Si.sw Si
velocity        all create 3200 99 loop geom
fix             nve all nve
timestep        0.001
dump            d all custom 10 ${traj} id x y z ix iy iz fx fy fz
dump_modify     d format float %.17g
run             400
write_data      ${config} nocoeff
)";

// the criteria one by one (one fix each) and all together; the reference forces of force/error are
// the recorded Stillinger-Weber ones, the prediction the committee mean of snap/model
const char *kSetup = R"LMP(
units           metal
atom_style      atomic
atom_modify     map array
lattice         diamond 5.431
read_data       ${config}
pair_style      snap/model
pair_coeff      * * committee 2 ${pot}/Si_Zuo_JPCA2020.snapcoeff ${pot}/Si_Zuo_JPCA2020.snapparam ${m2} ${pot}/Si_Zuo_JPCA2020.snapparam Si
comm_modify     cutoff 7.5
compute         sites all vacancy/sites
compute         re all re/atom sites pairs neighbours
compute         cm all committee/atom
compute         fe all force/error ref file ${traj}
fix             st all re/stats 10 sites itypes none
variable        big equal (step%100)==50
compute         pea all pe/atom
variable        sg atom c_pea+4.5
)LMP";

const char *kFixes = R"LMP(
fix             hm all re/harvest 10 file mig.xyz migrating re 1
fix             hh all re/harvest 10 file hop.xyz hop st
fix             hs all re/harvest 10 file sig.xyz sigma c_cm[2] 0.06
fix             hw all re/harvest 10 file sigv.xyz sigma v_sg 0.4
fix             he all re/harvest 10 file err.xyz error c_fe[3] 3.0
fix             hv all re/harvest 10 file var.xyz variable v_big
fix             hc all re/harvest 10 file vac.xyz vacancies sites
fix             ha all re/harvest 10 file all.xyz migrating re 1 hop st sigma c_cm[2] 0.06 error c_fe[3] 3.0 vacancies sites
)LMP";

const char *const kFiles[] = {"mig.xyz", "hop.xyz", "sig.xyz", "sigv.xyz", "err.xyz", "var.xyz", "vac.xyz", "all.xyz"};
const char *const kFixIds[] = {"hm", "hh", "hs", "hw", "he", "hv", "hc", "ha"};

struct Trajectory {
  std::string dir, traj, config, m2;
};

// records the hot-interstitial trajectory once per test program
const Trajectory &trajectory()
{
  static Trajectory t;
  if (t.dir.empty()) {
    t.dir = make_temp_dir("kk-harvest");
    t.traj = t.dir + "/traj.dump";
    t.config = t.dir + "/int.data";
    t.m2 = perturbed_snapcoeff(potentials_dir() + "/Si_Zuo_JPCA2020.snapcoeff", t.dir + "/m2.snapcoeff", 0.05, 2);
    LmpOptions o;
    o.vars = {{"traj", t.traj}, {"config", t.config}};
    LmpRun r = run_lmp(kRecord, o);
    EXPECT_TRUE(r.ok()) << r.output;
  }
  return t;
}

std::map<std::string, std::string> vars_of(const Trajectory &t)
{
  return {{"traj", t.traj}, {"config", t.config}, {"pot", potentials_dir()}, {"m2", t.m2}};
}

size_t count_of(const std::string &text, const std::string &what)
{
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// b's frames are a's: same keys, byte-identical positions, IDs, flags; energy and forces to 1e-9
void expect_same_frames(const std::vector<reval::XyzFrame> &a, const std::vector<reval::XyzFrame> &b,
                        const std::string &what)
{
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t k = 0; k < a.size(); ++k) {
    const std::string w = what + ", frame " + std::to_string(k);
    for (const char *key : {"step", "criterion", "harvest_frame"}) EXPECT_EQ(a[k].info.at(key), b[k].info.at(key)) << w;
    const double ea = std::stod(a[k].info.at("mlip_energy")), eb = std::stod(b[k].info.at("mlip_energy"));
    EXPECT_NEAR(ea, eb, 1e-9 * std::fabs(ea)) << w;
    ASSERT_EQ(a[k].natoms(), b[k].natoms()) << w;
    EXPECT_EQ(a[k].species, b[k].species) << w;
    EXPECT_EQ(a[k].pos, b[k].pos) << w;
    for (int c = 0; c < 9; ++c) EXPECT_EQ(a[k].cell[c], b[k].cell[c]) << w;
    EXPECT_EQ(a[k].arrays.at("id"), b[k].arrays.at("id")) << w;
    EXPECT_EQ(a[k].arrays.at("harvest_flags"), b[k].arrays.at("harvest_flags")) << w;
    const auto &fa = a[k].arrays.at("mlip_forces"), &fb = b[k].arrays.at("mlip_forces");
    ASSERT_EQ(fa.size(), fb.size()) << w;
    for (size_t i = 0; i < fa.size(); ++i) EXPECT_NEAR(fa[i], fb[i], 1e-9) << w << " value " << i;
  }
}

std::string style_of(LammpsSession &s, const std::string &id)
{
  auto *modify = s.lmp()->modify;
  const int i = modify->find_fix(id);
  return i >= 0 ? modify->fix[i]->style : std::string("(none)");
}
}    // namespace

// Each criterion alone, and all together: the /kk fix (1 and 2 threads, 2 MPI ranks) writes the plain
// fix's frames.
TEST(KokkosReHarvest, EachCriterionWritesThePlainFramesAt1And2ThreadsAnd2Ranks)
{
  REVAL_REQUIRE_KOKKOS();
  const Trajectory &t = trajectory();
  auto input = [](bool plain_fixes) {
    return std::string(kSetup) + (plain_fixes ? "suffix off\n" : "") + kFixes + (plain_fixes ? "suffix on\n" : "") +
        "info fixes computes\nthermo 1000\nrerun ${traj} dump x y z ix iy iz\n"
        "print \"@@ hm = $(f_hm[1])\"\nprint \"@@ ha = $(f_ha[1])\"\nprint \"@@ last = $(f_ha[4])\"\n";
  };
  const std::string rerun = input(false);
  LmpOptions plain;
  plain.vars = vars_of(t);
  LmpRun ref = run_lmp(rerun, plain);
  ASSERT_TRUE(ref.ok()) << "plain: " << ref.error_line() << "\n" << ref.output;
  EXPECT_EQ(count_of(ref.output, "style = re/harvest,"), 8u) << ref.output;
  std::vector<reval::XyzFrame> a[8];
  for (int k = 0; k < 8; ++k) {
    a[k] = reval::read_extxyz(ref.workdir + "/" + kFiles[k]);
    std::printf("[ re/harvest plain ] %s: %zu frames\n", kFiles[k], a[k].size());
  }
  // every criterion fires somewhere, and alone not everywhere (41 checks: steps 0, 10, ..., 400)
  for (int k = 0; k < 8; ++k) EXPECT_GE(a[k].size(), 1u) << kFiles[k] << ": the trajectory must trigger this criterion";
  for (int k = 0; k < 7; ++k) EXPECT_LT(a[k].size(), 41u) << kFiles[k] << ": the criterion must not hold on every check";
  std::string crits;
  for (const auto &f : a[7]) crits += f.info.at("criterion") + " ";
  for (const char *c : {"migrating", "hop", "sigma", "error"}) EXPECT_NE(crits.find(c), std::string::npos) << crits;

  // the last variant: the plain fix (suffix off) under -sf kk, reading the /kk styles' host copies
  struct Variant {
    const char *what;
    int threads, np;
    bool plain_fixes;
  };
  for (const Variant &v : {Variant{"kk t 1", 1, 1, false}, Variant{"kk t 2", 2, 1, false},
                           Variant{"kk t 1, np 2", 1, 2, false}, Variant{"plain fix, kk t 2", 2, 1, true}}) {
    if (!ranks_available(v.np)) continue;
    LmpOptions o = plain;
    o.args = kokkos_args(v.threads);
    o.np = v.np;
    LmpRun r = run_lmp(input(v.plain_fixes), o);
    ASSERT_TRUE(r.ok()) << v.what << ": " << r.error_line() << "\n" << r.output;
    EXPECT_EQ(count_of(r.output, "style = re/harvest/kk"), v.plain_fixes ? 0u : 8u)
        << v.what << ": the /kk twin is what -sf kk instantiates\n" << r.output;
    EXPECT_EQ(count_of(r.output, "style = re/harvest,"), v.plain_fixes ? 8u : 0u) << v.what;
    EXPECT_NE(r.output.find("style = re/atom/kk"), std::string::npos) << v.what;
    EXPECT_NE(r.output.find("style = re/stats/kk"), std::string::npos) << v.what;
    for (int k = 0; k < 8; ++k)
      expect_same_frames(a[k], reval::read_extxyz(r.workdir + "/" + kFiles[k]), std::string(v.what) + ", " + kFiles[k]);
    EXPECT_EQ(r.value("hm"), ref.value("hm")) << v.what;
    EXPECT_EQ(r.value("ha"), ref.value("ha")) << v.what;
    EXPECT_EQ(r.value("last"), ref.value("last")) << v.what;
  }
}

// Restart of the /kk fix: a rerun split by write_restart / read_restart right after a hop continues
// counters, the hop counts seen (per-atom restart data: without them the next check would see the hop
// again) and the file as the uninterrupted rerun, whether the second half runs the /kk fix again or the
// plain twin.
TEST(KokkosReHarvest, RestartContinuesInItselfAndInThePlainTwin)
{
  REVAL_REQUIRE_KOKKOS();
  const Trajectory &t = trajectory();
  std::string setup = kSetup;
  for (const auto &kv : vars_of(t)) {
    const std::string key = "${" + kv.first + "}";
    for (size_t p = setup.find(key); p != std::string::npos; p = setup.find(key)) setup.replace(p, key.size(), kv.second);
  }
  auto fixes = [&](LammpsSession &s, const std::string &tag, bool plain) {
    const std::string f = "fix hh all re/harvest 10 file " + s.path(tag + "h.xyz") +
        " migrating re 1 hop st error c_fe[3] 3.0 every_min 30\n"
        "fix hp all re/harvest 10 file " + s.path(tag + "p.xyz") + " hop st\n";
    return plain ? "suffix off\n" + f + "suffix on\n" : f;
  };
  auto range = [&](long first, long last) {
    return "rerun " + t.traj + " first " + std::to_string(first) + " last " + std::to_string(last) +
        " dump x y z ix iy iz\n";
  };
  const std::vector<std::string> kk = kokkos_args(1);
  std::vector<reval::XyzFrame> whole_h, whole_p;
  double counters[2][3];
  {
    LammpsSession s(kk);
    s.commands(setup + fixes(s, "w", false) + range(0, 400));
    ASSERT_EQ(style_of(s, "hh"), "re/harvest/kk");
    for (int j = 0; j < 3; ++j) {
      counters[0][j] = s.fix_vector("hh", j);
      counters[1][j] = s.fix_vector("hp", j);
    }
    whole_h = reval::read_extxyz(s.path("wh.xyz"));
    whole_p = reval::read_extxyz(s.path("wp.xyz"));
  }
  ASSERT_GE(whole_h.size(), 3u);
  ASSERT_GT(counters[0][1], 0.0) << "every_min rejected frames";
  ASSERT_GE(whole_p.size(), 1u) << "a hop in the trajectory";
  const long hop = std::stol(whole_p[0].info.at("step"));
  ASSERT_LT(hop, 390) << "the hop must leave checks after it";
  std::printf("[ re/harvest/kk restart ] split after the hop of step %ld; %zu + %zu frames\n", hop, whole_h.size(),
              whole_p.size());
  for (bool plain_after : {false, true}) {
    const std::string what = plain_after ? "/kk, then plain" : "/kk, then /kk";
    LammpsSession s(kk);
    s.commands(setup + fixes(s, "r", false) + range(0, hop) + "write_restart " + s.path("h.restart"));
    s.clear();
    std::string in = setup;
    const size_t p = in.find("read_data");
    in.replace(p, in.find('\n', p) - p, "read_restart " + s.path("h.restart"));
    s.commands(in + fixes(s, "r", plain_after) + range(hop + 1, 400));
    ASSERT_EQ(style_of(s, "hh"), plain_after ? "re/harvest" : "re/harvest/kk") << what;
    for (int j = 0; j < 3; ++j) {
      EXPECT_EQ(s.fix_vector("hh", j), counters[0][j]) << what << ", hh counter " << j + 1;
      EXPECT_EQ(s.fix_vector("hp", j), counters[1][j]) << what << ", hp counter " << j + 1;
    }
    expect_same_frames(whole_h, reval::read_extxyz(s.path("rh.xyz")), what + ", hh");
    expect_same_frames(whole_p, reval::read_extxyz(s.path("rp.xyz")), what + ", hp");
  }
}

// Errors: the /kk twin stops with the CPU twin's messages, and says what to do without -k on.
TEST(KokkosReHarvestErrors, SameErrorsAndNeedsKokkosOn)
{
  REVAL_REQUIRE_KOKKOS();
  const std::string sys = "units metal\natom_style atomic\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\n"
                          "create_box 1 box\ncreate_atoms 1 box\nmass 1 28.0855\npair_style sw\npair_coeff * * Si.sw Si\n"
                          "comm_modify cutoff 7.5\nvariable e equal 1\nvariable a atom 1\n";
  {
    LammpsSession s;    // no -k on
    s.commands(sys);
    const std::string e = s.error_of("fix h all re/harvest/kk 10 file x.xyz variable v_e");
    EXPECT_NE(e.find("fix re/harvest/kk: needs the KOKKOS package enabled: run LAMMPS with -k on"), std::string::npos) << e;
  }
  {
    LammpsSession s(kokkos_args(1));
    s.commands(sys);
    const struct {
      const char *cmd, *msg;
    } cases[] = {
        {"fix h all re/harvest 10 file x.xyz bogus 1", "fix re/harvest: unknown keyword or criterion 'bogus'"},
        {"fix h all re/harvest 10 file x.xyz variable v_e halt yes", "halt yes needs max Nmax"},
        {"fix h all re/harvest 10 file x.xyz sigma v_a -1", "sigma threshold must be >= 0"},
    };
    for (const auto &c : cases) {
      const std::string e = s.error_of(c.cmd);
      EXPECT_NE(e.find(c.msg), std::string::npos) << c.cmd << ": " << e;
    }
    // errors found in init(): a missing source, a wrong style, units
    s.command("fix h all re/harvest 10 file x.xyz migrating nope 1 species Si");
    EXPECT_EQ(style_of(s, "h"), "re/harvest/kk");
    std::string e = s.error_of("run 0");
    EXPECT_NE(e.find("fix re/harvest: migrating: compute ID 'nope' does not exist"), std::string::npos) << e;
    s.command("unfix h");
    s.command("fix h all re/harvest 10 file x.xyz sigma c_nope 0.1 species Si");
    e = s.error_of("run 0");
    EXPECT_NE(e.find("compute ID 'nope' does not exist"), std::string::npos) << e;
    s.command("unfix h");
  }
  // a fix whose per-atom values are not available on the check step (the same check as the CPU twin). A
  // fresh LAMMPS (one at a time: the plugin registers its styles in one instance): this run reaches the
  // pair style, and LAMMPS 4Feb2025's pair sw/kk is left inconsistent by the runs aborted in init above
  // (it then asks for 300 GiB or crashes; LAMMPS does not promise a usable state after an error)
  LammpsSession s(kokkos_args(1));
  s.commands(sys);
  s.commands("compute sites all vacancy/sites\nfix st all re/stats 20 sites\nfix h all re/harvest 10 file x.xyz sigma f_st[2] 0.1 species Si");
  const std::string e = s.error_of("run 10");
  EXPECT_NE(e.find("does not provide per-atom values on timestep 10"), std::string::npos) << e;
}
