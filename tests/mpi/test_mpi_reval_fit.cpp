// reval-fit under mpirun -np 1, 2 and 4 writes the same coefficients (1e-10 relative to the largest),
// committee members included, for a noisy two-group problem with a testing set and rare-event
// weights: the configurations are split over the ranks and the accumulators merged in rank order.
#include "lammps_session.h"

#include "../unit/fit_test_support.h"
#include "core/extxyz.h"
#include "core/snap_files.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

using namespace reval;
using namespace reval::fittest;

namespace {

/// Runs reval-fit in `dir` under mpirun -np np (env cleaned of this process' own MPI variables).
int run_np(const std::string &dir, int np, std::string &out)
{
  std::string clean = "env";
  for (char **e = environ; *e; ++e) {
    const std::string kv = *e, k = kv.substr(0, kv.find('='));
    if ((k.rfind("OMPI_", 0) == 0 || k.rfind("PMIX_", 0) == 0 || k.rfind("OPAL_", 0) == 0 || k.rfind("PRTE_", 0) == 0) &&
        k.rfind("OMPI_ALLOW_RUN_AS_ROOT", 0) != 0)
      clean += " -u " + k;
  }
  std::string cmd = "cd " + dir + " && " + clean + " timeout 300 mpirun -np " + std::to_string(np) + " --oversubscribe ";
  if (geteuid() == 0) cmd += "--allow-run-as-root ";
  cmd += std::string(REVAL_FIT_EXE) + " fit.in > fit.txt 2>&1";
  const int st = std::system(cmd.c_str());
  out = reval::test::read_file(dir + "/fit.txt");
  return (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
}

}    // namespace

TEST(MpiRevalFit, SameCoefficientsAtNp124)
{
  if (!REVAL_FIT_HAS_MPI) GTEST_SKIP() << "reval-fit was built without MPI";
  const std::string dir = reval::test::make_temp_dir("mpi-reval-fit");
  const SnapParams p = params("Si", 6, 1);
  const auto truth = known_coeffs(1, p.ncoeff(), false);
  FitInput gin;
  gin.snap = p;
  gin.groups = {FitGroup{"g"}};
  FitDriver gen(gin);
  SplitMix64 rng(31);
  std::system(("mkdir -p " + dir + "/data").c_str());
  for (const char *g : {"bulk", "hot"}) {
    std::ofstream out(dir + "/data/" + g + ".xyz");
    for (int k = 0; k < 11; ++k) {
      XyzFrame f = random_frame(rng, "Si", "diamond", 1, g[0] == 'h' ? 0.45 : 0.15);
      if (g[0] == 'h')    // atom 0 half-way between the sites (0,0,0) and (1/4,1/4,1/4) a: a rare-event atom
        for (int d = 0; d < 3; ++d) f.pos[d] = 0.125 * 5.431 + 0.02 * (2 * uniform(rng) - 1);
      label(gen, truth, f);
      f.energy += 0.05 * (2 * uniform(rng) - 1);
      for (double &x : f.forces) x += 0.1 * (2 * uniform(rng) - 1);
      write_extxyz(out, f);
    }
  }
  std::ofstream(dir + "/fit.in") << input_text(
      p, false, "data", "bulk = 8 3 100.0 1.0 0.0\nhot = 0.7 0.3 50.0 2.0 0.0",
      "[ESHIFT]\nSi = -4.5\n\n[OUTFILE]\nmetrics = m.md\npotential = pot\n\n[REVAL]\nre_fweight = 3.0\n"
      "re_sites = lattice diamond 5.431\ncommittee = 3\nseed = 5\n");
  std::vector<std::vector<std::vector<double>>> coeffs;    // [run][file][value]
  for (int np : {1, 2, 4}) {
    std::string out;
    ASSERT_EQ(run_np(dir, np, out), 0) << "np " << np << ": " << out;
    EXPECT_NE(out.find(std::to_string(np) + " MPI rank(s)"), std::string::npos) << out;
    if (np == 4) std::printf("%s", out.c_str());
    EXPECT_EQ(out.find(" 0 rare-event atom(s)"), std::string::npos) << out;    // re_fweight acts
    std::vector<std::vector<double>> files;
    for (const std::string name : {"pot", "pot_1", "pot_2", "pot_3"})
      files.push_back(read_snapcoeff(dir + "/" + name + ".snapcoeff").blocks.at(0).coeffs);
    coeffs.push_back(files);
    std::system(("rm -f " + dir + "/pot*.snapcoeff").c_str());
  }
  for (int r = 1; r < 3; ++r)
    for (size_t f = 0; f < coeffs[0].size(); ++f) {
      const double d = max_rel_diff(coeffs[r][f], coeffs[0][f]);
      EXPECT_LT(d, 1e-10) << "run " << r << " file " << f;
      std::printf("[ reval-fit ] np %d vs np 1, file %zu: %.3g\n", r == 1 ? 2 : 4, f, d);
    }
  // the members differ from the full fit (real resamples)
  EXPECT_GT(max_rel_diff(coeffs[0][1], coeffs[0][0]), 1e-6);
}
