// core/fit_input: reval-fit reads FitSNAP's INI input (+ [REVAL]); what it does not support is an error
// naming the file, line, section and key.
#include "core/dump_reader.h"
#include "core/error.h"
#include "core/fit_input.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace {

const char *kSi = R"(# Si, the settings of Si_Zuo_JPCA2020 (Liu, He & Mo 2023 refit)
[BISPECTRUM]
numTypes = 1
twojmax = 8
rcutfac = 4.9
rfac0 = 0.99363
rmin0 = 0.0
wj = 1.0
radelem = 0.5
type = Si
wselfallflag = 0
chemflag = 0
bzeroflag = 0
quadraticflag = 1

[CALCULATOR]
calculator = LAMMPSSNAP
energy = 1
force = 1
stress = 0

[ESHIFT]
Si = -5.4

[SOLVER]
solver = RIDGE
compute_testerrs = 1
detailed_errors = 1

[RIDGE]
alpha = 1e-8

[SCRAPER]
scraper = XYZ

[PATH]
dataPath = xyz

[OUTFILE]
metrics = si_metrics.md
potential = si_re

[GROUPS]
# name size eweight fweight vweight
group_sections = name training_size testing_size eweight fweight vweight
group_types = str float float float float float
smartweights = 0
random_sampling = 1
AIMD-NVT = 0.9 0.1 100 1 1e-8
Vacancy  = 1.0 0.0 100 1 1e-8
Interstitial_RE = 40 5 100 1 0

[REVAL]
re_fweight = 5
re_sites = lattice diamond 5.431
re_sites.AIMD-NVT = none
committee = 4
committee_method = bootstrap
seed = 7
)";

reval::FitInput parse(const std::string &text, const std::string &path = "/data/fit/si.in")
{
  std::istringstream in(text);
  return reval::read_fit_input(in, path);
}

std::string error_of(const std::string &text)
{
  try {
    parse(text, "bad.in");
  } catch (const reval::Error &e) {
    return e.what();
  }
  return "";
}

/// kSi with `from` replaced by `to` (must occur).
std::string edit(const std::string &from, const std::string &to)
{
  std::string s(kSi);
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

}    // namespace

TEST(FitInput, ReadsTheSiExample)
{
  const reval::FitInput f = parse(kSi);
  EXPECT_EQ(f.snap.twojmax, 8);
  EXPECT_EQ(f.snap.rcutfac, 4.9);
  EXPECT_EQ(f.snap.rfac0, 0.99363);
  EXPECT_EQ(f.snap.elements, std::vector<std::string>{"Si"});
  EXPECT_EQ(f.snap.radelem, std::vector<double>{0.5});
  EXPECT_EQ(f.snap.bzeroflag, 0);
  EXPECT_EQ(f.snap.switchflag, 1);    // FitSNAP's and LAMMPS' default
  EXPECT_EQ(f.quadraticflag, 1);
  EXPECT_TRUE(f.use_energy && f.use_force && !f.use_stress);
  EXPECT_EQ(f.eshift.at("Si"), -5.4);
  EXPECT_EQ(f.solver, reval::FitInput::Solver::ridge);
  EXPECT_EQ(f.ridge_alpha, 1e-8);
  EXPECT_EQ(f.data_path, "/data/fit/xyz");    // relative to the input file
  EXPECT_EQ(f.metrics_file, "si_metrics.md");
  EXPECT_EQ(f.potential_name, "si_re");
  ASSERT_EQ(f.groups.size(), 3u);
  EXPECT_EQ(f.groups[0].name, "AIMD-NVT");
  EXPECT_EQ(f.groups[0].training_size, 0.9);
  EXPECT_EQ(f.groups[0].testing_size, 0.1);
  EXPECT_EQ(f.groups[0].eweight, 100.0);
  EXPECT_EQ(f.groups[2].training_size, 40.0);
  EXPECT_TRUE(f.random_sampling);
  EXPECT_EQ(f.re_fweight, 5.0);
  EXPECT_EQ(f.sites_of("Vacancy").kind, reval::FitSites::Kind::lattice);
  EXPECT_EQ(f.sites_of("Vacancy").lattice, "diamond");
  EXPECT_EQ(f.sites_of("Vacancy").a, 5.431);
  EXPECT_EQ(f.sites_of("AIMD-NVT").kind, reval::FitSites::Kind::none);
  EXPECT_EQ(f.committee, 4);
  EXPECT_EQ(f.seed, 7u);
}

TEST(FitInput, OldStylePerTypeKeysAndDefaults)
{
  const char *text = R"([BISPECTRUM]
numTypes = 2
twojmax = 6 6
rcutfac = 4.67637
wj1 = 1.0
wj2 = 0.5
radelem1 = 0.5
radelem2 = 0.4
type1 = In
type2 = P
[OUTFILE]
potential = InP
[GROUPS]
Bulk = 1.0 0.0 100 1 0
)";
  const reval::FitInput f = parse(text, "inp.in");
  EXPECT_EQ(f.snap.elements, (std::vector<std::string>{"In", "P"}));
  EXPECT_EQ(f.snap.wjelem, (std::vector<double>{1.0, 0.5}));
  EXPECT_EQ(f.snap.radelem, (std::vector<double>{0.5, 0.4}));
  EXPECT_EQ(f.snap.twojmax, 6);
  EXPECT_EQ(f.snap.bzeroflag, 1);
  EXPECT_EQ(f.solver, reval::FitInput::Solver::svd);
  EXPECT_EQ(f.data_path, ".");
  EXPECT_EQ(f.committee, 0);
  EXPECT_EQ(f.re_fweight, 1.0);
}

TEST(FitInput, UnsupportedAndBadValuesNameTheKey)
{
  struct Case {
    std::string text, expect;
  } cases[] = {
      {edit("calculator = LAMMPSSNAP", "calculator = LAMMPSPYACE"), "line 17: [CALCULATOR] calculator: 'LAMMPSPYACE' is not supported"},
      {edit("scraper = XYZ", "scraper = JSON"), "[SCRAPER] scraper: 'JSON' is not supported"},
      {edit("solver = RIDGE", "solver = ARD"), "[SOLVER] solver: 'ARD' is not supported"},
      {edit("smartweights = 0", "smartweights = 1"), "[GROUPS] smartweights: not supported"},
      {edit("[REVAL]", "[REFERENCE]\npair_style = zbl 4 4.8\n[REVAL]"), "[REFERENCE]: a reference potential needs LAMMPS"},
      {edit("[REVAL]", "[EXTRAS]\ndump_descriptors = 1\n[REVAL]"), "[EXTRAS]: unknown section"},
      {edit("rfac0 = 0.99363", "rfac0 = 0.99363\nBOLTZT = 1000"), "[BISPECTRUM] BOLTZT: not supported"},
      {edit("rfac0 = 0.99363", "rfac0 = 0.99363\nswitchinnerflag = 1"), "missing 'sinner' (or 'sinner1')"},
      {edit("rfac0 = 0.99363", "rfac0 = 0.99363\nswitchinnerflag = 1\nsinner = 1.5\ndinner = 0"),
       "[BISPECTRUM] dinner: '0' must be a positive number"},
      {edit("rfac0 = 0.99363", "rfac0 = 0.99363\nsinner = 1.5"), "[BISPECTRUM] sinner: given but switchinnerflag is not 1"},
      {edit("rfac0 = 0.99363", "rfac0 = 0.99363\nrcutfac2 = 1"), "line 7: [BISPECTRUM] rcutfac2: unknown key"},
      {edit("twojmax = 8", "twojmax = 8.5"), "[BISPECTRUM] twojmax: '8.5' must be an integer"},
      {edit("rcutfac = 4.9", "rcutfac = -4.9"), "[BISPECTRUM] rcutfac: value -4.9 out of range"},
      {edit("rfac0 = 0.99363", "rfac0 = 1.5"), "[BISPECTRUM] rfac0: value 1.5 out of range"},
      {edit("type = Si", "type = Silicon"), "[BISPECTRUM] type: 'Silicon' is not a chemical element symbol"},
      {edit("wj = 1.0", "wj = 1.0 1.0"), "[BISPECTRUM] wj: 2 values for numTypes = 1"},
      {edit("wj = 1.0", "wj1 = 1.0"), "wj1"},    // legacy keys are accepted ...
      {edit("quadraticflag = 1", "quadraticflag = 2"), "[BISPECTRUM] quadraticflag: '2' must be an integer in 0..1"},
      {edit("Si = -5.4", "Ge = -5.4"), "[ESHIFT] Ge: not one of the [BISPECTRUM] types"},
      {edit("alpha = 1e-8", "alpha = 0"), "[RIDGE] alpha: value 0 out of range"},
      {edit("AIMD-NVT = 0.9 0.1 100 1 1e-8", "AIMD-NVT = 0.9 0.1 100 1"), "[GROUPS] AIMD-NVT: a group needs 5 values"},
      {edit("AIMD-NVT = 0.9 0.1 100 1 1e-8", "AIMD-NVT = 0.9 0.1 -100 1 0"), "[GROUPS] AIMD-NVT: '-100' must be a number >= 0"},
      {edit("Interstitial_RE = 40 5", "Interstitial_RE = 40.5 5"), "must be an integer"},
      {edit("Vacancy  = 1.0 0.0 100 1 1e-8", "Vacancy  = 1.0 0.0 100 1 1e-8\nVacancy = 1 0 1 1 0"), "[GROUPS] Vacancy: given twice (first on line"},
      {edit("group_sections = name training_size testing_size eweight fweight vweight", "group_sections = name size eweight fweight vweight"), "[GROUPS] group_sections"},
      {edit("re_sites = lattice diamond 5.431", "re_sites = lattice hcp 3.2"), "[REVAL] re_sites: lattice 'hcp'"},
      {edit("re_sites.AIMD-NVT = none", "re_sites.Surface = none"), "[REVAL] re_sites.Surface: 'Surface' is not a group"},
      {edit("re_sites = lattice diamond 5.431\nre_sites.AIMD-NVT = none", ""), "re_fweight = 5.000000 needs re_sites"},
      {edit("committee_method = bootstrap", "committee_method = jackknife"), "[REVAL] committee_method: 'jackknife'"},
      {edit("potential = si_re", "potential ="), "[OUTFILE] potential: empty value"},
      {edit("[PATH]", "dangling line\n[PATH]"), "expected 'key = value'"},
  };
  for (const Case &c : cases) {
    const std::string msg = error_of(c.text);
    if (c.expect == "wj1") {
      EXPECT_EQ(msg, "");
      continue;
    }
    EXPECT_NE(msg.find("bad.in"), std::string::npos) << msg;
    EXPECT_NE(msg.find(c.expect), std::string::npos) << "expected '" << c.expect << "' in: " << msg;
  }
  EXPECT_THROW(reval::read_fit_input("/nonexistent/fit.in"), reval::Error);
}

// parse_bounded_integer accepted a single digit above a maximum below 10 (found with quadraticflag = 2):
// v * 10 + d > max was tested as v > (max - d) / 10, which truncates toward 0 for max < d.
TEST(FitInput, BoundedIntegersRefuseDigitsAboveSmallMaxima)
{
  int64_t v = -1;
  EXPECT_FALSE(reval::parse_bounded_integer("2", 1, v));
  EXPECT_FALSE(reval::parse_bounded_integer("9", 5, v));
  EXPECT_FALSE(reval::parse_bounded_integer("16", 15, v));
  EXPECT_TRUE(reval::parse_bounded_integer("1", 1, v));
  EXPECT_EQ(v, 1);
  EXPECT_TRUE(reval::parse_bounded_integer("15", 15, v));
  EXPECT_EQ(v, 15);
  EXPECT_TRUE(reval::parse_bounded_integer("0", 0, v));
  EXPECT_FALSE(reval::parse_bounded_integer("1", 0, v));
}

TEST(FitInput, InnerSwitchingAndSiteFilePaths)
{
  // FitSNAP's inner switching keys: one sinner / dinner per type (or sinnerK / dinnerK)
  const reval::FitInput f =
      parse(edit("rfac0 = 0.99363", "rfac0 = 0.99363\nswitchinnerflag = 1\nsinner = 1.6\ndinner1 = 0.3"));
  EXPECT_EQ(f.snap.switchinnerflag, 1);
  EXPECT_EQ(f.snap.sinnerelem, (std::vector<double>{1.6}));
  EXPECT_EQ(f.snap.dinnerelem, (std::vector<double>{0.3}));
  EXPECT_EQ(parse(kSi).snap.switchinnerflag, 0);
  EXPECT_TRUE(parse(kSi).snap.sinnerelem.empty());
  // a relative site file is relative to the input file's folder, an absolute one is kept
  const reval::FitInput g = parse(edit("re_sites = lattice diamond 5.431", "re_sites = file sites.txt\n"
                                                                          "re_sites.Vacancy = file /abs/v.txt"));
  EXPECT_EQ(g.re_sites.file, "/data/fit/sites.txt");
  EXPECT_EQ(g.sites_of("Vacancy").file, "/abs/v.txt");
}
