// The plugin loads under mpirun and LAMMPS gives the same MD at 1, 2 and 4 ranks.
#include "lammps_session.h"

#include "core/version.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace reval::test;

namespace {
int count(const std::string &hay, const std::string &needle)
{
  int n = 0;
  for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}
void expect_rel(double a, double b, double tol, const char *what)
{
  EXPECT_LE(std::fabs(a - b), tol * std::max(std::fabs(a), std::fabs(b))) << what << ": " << a << " vs " << b;
}
}    // namespace

TEST(Mpi, ExampleIdenticalAtNp124)
{
  std::string input = read_file(source_dir() + "/examples/si-snap-md/in.si-snap-md");
  ASSERT_FALSE(input.empty());
  LmpRun ref;
  for (int np : {1, 2, 4}) {
    LmpOptions o;
    o.np = np;
    o.vars = {{"nsteps", "40"}};
    LmpRun r = run_lmp(input, o);
    ASSERT_TRUE(r.ok()) << "np " << np << ": " << r.error_line() << "\n" << r.output;
    // the banner is printed once (by rank 0), whatever the number of ranks
    EXPECT_EQ(count(r.output, "REVAL " + std::string(reval::version()) + " (git"), 1) << r.output;
    EXPECT_EQ(r.value("natoms"), 216);
    if (np == 1) {
      ref = r;
      continue;
    }
    // forces are summed in another order on more ranks: rounding only
    expect_rel(r.value("etotal"), ref.value("etotal"), 1e-10, "etotal");
    expect_rel(r.value("pe_per_atom"), ref.value("pe_per_atom"), 1e-10, "pe/atom");
    expect_rel(r.value("temp"), ref.value("temp"), 1e-8, "temp");
  }
}

TEST(Mpi, SiVacancyExampleSameAtNp12)
{
  std::string input = read_file(source_dir() + "/examples/si-vacancy/in.si-vacancy");
  ASSERT_FALSE(input.empty());
  LmpRun ref;
  for (int np : {1, 2}) {
    LmpOptions o;
    o.np = np;
    o.vars = {{"nsteps", "400"}};
    LmpRun r = run_lmp(input, o);
    ASSERT_TRUE(r.ok()) << "np " << np << ": " << r.error_line() << "\n" << r.output;
    EXPECT_EQ(r.value("natoms"), 63);
    EXPECT_EQ(r.value("sites"), 64);
    EXPECT_GE(r.value("mean_vacancies"), 1.0);
    if (np == 1) {
      ref = r;
      continue;
    }
    for (auto v : {"mean_vacancies", "mean_migrating", "fraction_with_migrating", "mean_rs"})
      EXPECT_NEAR(r.value(v), ref.value(v), 1e-4) << v;
  }
}
