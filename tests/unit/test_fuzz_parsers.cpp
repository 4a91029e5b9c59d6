// Fuzz test of every reader of the core (issue 12: "0 crashes, 0 hangs"), in-process: .snapparam,
// .snapcoeff, ML-IAP descriptor and model files (linear, quadratic, nn), the pair_coeff syntax of
// pair_style snap/model (committees included), interstitial template files, site files and dump
// files. Seeds are the real files LAMMPS ships (/usr/share/lammps/potentials), REVAL's reference data
// and small generated files; each case mutates one seed (tests/unit/fuzz_mutator.h) and runs what the
// LAMMPS style would run with it: parse, then on success build the potential / classifier / frames
// and evaluate them once. Every case must either run through or throw reval::Error; an escaped
// other exception, a crash or a hang fails the test with the case's input (tests/unit/fuzz_harness.h).
#include "fuzz_harness.h"
#include "snap_test_support.h"

#include "core/dump_reader.h"
#include "core/extxyz.h"
#include "core/fit_input.h"
#include "core/interstitials.h"
#include "core/snap_descriptor.h"
#include "core/snap_engine.h"
#include "core/snap_files.h"
#include "core/snap_models.h"
#include "core/snap_pair_spec.h"
#include "core/static_sites.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include <unistd.h>

using namespace reval;
using namespace reval::fuzz;

#ifdef REVAL_FUZZ_ASAN
// Under AddressSanitizer the children cannot get an address-space limit (fuzz_harness.h): there an
// impossible allocation is an ASan out-of-memory report (ASan's operator new never throws), and a
// reader that allocates gigabytes piece by piece for a header count is stopped when the process
// outgrows 4 GiB. Either is a crash of the case.
extern "C" const char *__asan_default_options()
{
  return "hard_rss_limit_mb=4096";
}
#endif

namespace {

std::string slurp(const std::string &path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool have(const std::string &path)
{
  return std::ifstream(path).good();
}

std::string pot(const std::string &name)
{
  return reval::test::potential(name);
}

std::string refdata(const std::string &name)
{
  return reval::test::snap_refdata_dir() + "/" + name;
}

// What pair snap/model does with a potential after pair_coeff, in small: build the descriptor tables
// and the engine, and evaluate one atom of each element with neighbours of every element at several
// distances inside the cutoff (energy, B, beta and dE/dr).
void evaluate(const SnapParams &params, const std::vector<SnapModel> &models)
{
  auto desc = std::make_shared<const SnapDescriptor>(params);
  SnapEngine engine(desc);
  const int nel = params.nelements();
  for (int ie = 0; ie < nel && ie < 3; ++ie) {
    std::vector<double> rij;
    std::vector<int> jelem;
    const double dirs[4][3] = {{0.6, 0.8, 0.0}, {0.0, 0.6, -0.8}, {-0.48, 0.6, 0.64}, {1.0, 0.0, 0.0}};
    int k = 0;
    for (int je = 0; je < nel && je < 3; ++je)
      for (double f : {0.35, 0.7, 0.999}) {
        const double r = f * params.cutoff(ie, je);
        const double *d = dirs[k++ % 4];
        const double v[3] = {r * d[0], r * d[1], r * d[2]};
        const double r2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
        const double rc = params.cutoff(ie, je);
        if (!(r2 > 1e-20 && r2 < rc * rc)) continue;
        rij.insert(rij.end(), v, v + 3);
        jelem.push_back(je);
      }
    const int n = static_cast<int>(jelem.size());
    std::vector<double> dedr(3 * n + 3), B(engine.ncoeff() + 1), beta(engine.ncoeff() + 1);
    engine.compute(ie, n, rij.data(), jelem.data(), models, dedr.data(), B.data(), beta.data());
  }
}

void evaluate(const SnapPotential &p) { evaluate(p.params, {p.model}); }

// ------------------------------------------------------------------------------ generated seeds

// A tiny linear SNAP of element X: twojmax 2 (5 descriptors), 6 coefficients.
const char *kTinyParam = "# tiny SNAP for the fuzz test\nrcutfac 1.2\ntwojmax 2\nrfac0 0.99363\nrmin0 0\n"
                         "switchflag 1\nbzeroflag 1\n";
const char *kTinyCoeff = "# tiny SNAP coefficients\n1 6\nX 2.0 1.0\n-1.5\n0.1\n-0.2\n0.3\n0.05\n-0.01\n";
const char *kTinyDescriptor = "rcutfac 1.2\ntwojmax 2\nnelems 2\nelems X Y\nradelems 2.0 1.8\nwelems 1.0 0.7\n"
                              "rfac0 0.99363\nrmin0 0\nbzeroflag 0\n";

// linear ML-IAP model for kTinyDescriptor: 2 elements x 6 parameters
std::string tiny_linear_model()
{
  std::string s = "# nelements nparams\n2 6\n";
  for (int e = 0; e < 2; ++e)
    for (int k = 0; k < 6; ++k) s += std::to_string(0.1 * (k + 1) * (e ? -1 : 1)) + "\n";
  return s;
}

// quadratic ML-IAP model for kTinyDescriptor: 1 + 5 + 15 = 21 parameters
std::string tiny_quadratic_model()
{
  std::string s = "2 21\n";
  for (int e = 0; e < 2; ++e)
    for (int k = 0; k < 21; ++k) s += std::to_string(0.01 * (k % 7) - 0.02 * e) + "\n";
  return s;
}

// nn ML-IAP model for kTinyDescriptor: 5 inputs -> 3 relu -> 2 sigmoid -> 1 linear
std::string tiny_nn_model()
{
  const int np = (5 + 1) * 3 + (3 + 1) * 2 + (2 + 1) * 1;
  std::string s = "# tiny network\n2 " + std::to_string(np) + "\nNET 5 3 relu 3 sigmoid 2 linear 1\n";
  for (int e = 0; e < 2; ++e) {
    s += "0.1 0.2 0.3 0.4 0.5\n";
    s += "1.0 2.0 0.5 1.5 3.0\n";
    for (int k = 0; k < np; ++k) s += std::to_string(0.05 * ((k * 7 + e) % 11) - 0.25) + ((k % 10 == 9) ? "\n" : " ");
    s += "\n";
  }
  return s;
}

// ----------------------------------------------------------------------------- the campaigns

// A SNAP pair (coeff + param): mutate one of the two files, the other stays intact.
struct SnapPair {
  std::string label, coeff, param;
  std::vector<std::string> elements;
};

std::vector<SnapPair> snap_pairs()
{
  std::vector<SnapPair> v = {{"tiny", kTinyCoeff, kTinyParam, {"X"}}};
  const std::vector<std::pair<std::string, std::vector<std::string>>> real = {
      {"Si_Zuo_JPCA2020", {"Si"}},     {"Si_Zuo_JPCA2020.quadratic", {"Si"}}, {"InP_JCPA2020", {"In", "P"}},
      {"WBe_Wood_PRB2019", {"W", "Be"}}, {"Ta06A", {"Ta"}},                   {"W_2940_2017_2", {"W"}}};
  for (const auto &r : real)
    if (have(pot(r.first + ".snapcoeff")) && have(pot(r.first + ".snapparam")))
      v.push_back({r.first, slurp(pot(r.first + ".snapcoeff")), slurp(pot(r.first + ".snapparam")), r.second});
  // inner switching (switchinnerflag, per-element sinner / dinner lines; LAMMPS 2022+)
  v.push_back({"inner_sige", slurp(refdata("inner_sige.snapcoeff")), slurp(refdata("inner_sige.snapparam")),
               {"Si", "Ge"}});
  return v;
}

SnapPotential build_snap(const std::string &coeff, const std::string &param, const std::vector<std::string> &el)
{
  return build_snap_member({"snap", {"t.snapcoeff", "t.snapparam"}}, coeff, param, el);
}

Campaign snapparam_campaign()
{
  Campaign c{"snapparam", {}, {}};
  for (const auto &p : snap_pairs())
    c.seeds.push_back({p.label, p.param, [p](const std::string &t) { evaluate(build_snap(p.coeff, t, p.elements)); }});
  // seed 0 is the tiny SNAP (twojmax 2)
  c.directed = {{0, "denormal rcutfac", "rcutfac 1e-320\ntwojmax 2\n"},
                {0, "huge rcutfac", "rcutfac 1e300\ntwojmax 2\n"},
                {0, "twojmax INT_MAX", "rcutfac 1.2\ntwojmax 2147483647\n"},
                {0, "twojmax beyond int", "rcutfac 1.2\ntwojmax 2147483648\n"},
                {0, "twojmax 30 (coefficient count mismatch)", "rcutfac 1.2\ntwojmax 30\n"},
                {0, "rmin0 1e308", "rcutfac 1.2\ntwojmax 2\nrmin0 1e308\n"},
                {0, "denormal rfac0", "rcutfac 1.2\ntwojmax 2\nrfac0 1e-320\n"},
                {0, "chunksize beyond int", "rcutfac 1.2\ntwojmax 2\nchunksize 2147483648\n"},
                {0, "rcutfac twice", "rcutfac 1.2\ntwojmax 2\nrcutfac 1.3\n"},
                {0, "inner switching, denormal dinner", "rcutfac 1.2\ntwojmax 2\nswitchinnerflag 1\nsinner 1.0\ndinner 1e-320\n"},
                {0, "inner switching, huge sinner and dinner", "rcutfac 1.2\ntwojmax 2\nswitchinnerflag 1\nsinner 1e308\ndinner 1e308\n"},
                {0, "inner switching, negative sinner", "rcutfac 1.2\ntwojmax 2\nswitchinnerflag 1\nsinner -1e308\ndinner 0.5\n"}};
  return c;
}

Campaign snapcoeff_campaign()
{
  Campaign c{"snapcoeff", {}, {}};
  for (const auto &p : snap_pairs())
    c.seeds.push_back({p.label, p.coeff, [p](const std::string &t) { evaluate(build_snap(t, p.param, p.elements)); }});
  const std::string body = "X 2.0 1.0\n-1.5\n0.1\n-0.2\n0.3\n0.05\n-0.01\n";
  c.directed = {{0, "10^7 coefficients, truncated", "1 10000000\nX 2.0 1.0\n-1.5\n"},
                {0, "2*10^9 elements, truncated", "2000000000 6\n" + body},
                {0, "ncoeffall beyond int", "1 2147483648\n" + body},
                {0, "negative element count", "-5 6\n" + body},
                {0, "huge radius", "1 6\nX 1e308 1.0\n-1.5\n0.1\n-0.2\n0.3\n0.05\n-0.01\n"},
                {0, "denormal radius", "1 6\nX 1e-320 1.0\n-1.5\n0.1\n-0.2\n0.3\n0.05\n-0.01\n"},
                {0, "huge weight and coefficients", "1 6\nX 2.0 1e308\n1e308\n-1e308\n1e308\n1e308\n1e308\n1e308\n"}};
  return c;
}

// An ML-IAP pair (model of a kind + descriptor).
struct MliapPair {
  std::string label, kind, model, descriptor;
};

std::vector<MliapPair> mliap_pairs()
{
  std::vector<MliapPair> v = {{"tiny linear", "linear", tiny_linear_model(), kTinyDescriptor},
                              {"tiny quadratic", "quadratic", tiny_quadratic_model(), kTinyDescriptor},
                              {"tiny nn", "nn", tiny_nn_model(), kTinyDescriptor}};
  const std::vector<std::array<std::string, 4>> real = {
      {"Ta06A linear", "linear", pot("Ta06A.mliap.model"), pot("Ta06A.mliap.descriptor")},
      {"WBe linear", "linear", pot("WBe_Wood_PRB2019.mliap.model"), pot("WBe_Wood_PRB2019.mliap.descriptor")},
      {"InP linear", "linear", pot("InP_JCPA2020.mliap.model"), pot("InP_JCPA2020.mliap.descriptor")},
      {"W quadratic", "quadratic", pot("W.quadratic.mliap.model"), pot("W.quadratic.mliap.descriptor")},
      {"Cu nn", "nn", pot("Cu.nn.mliap.model"), pot("Cu.snap.mliap.descriptor")},
      {"Ta06A nn", "nn", pot("Ta06A.nn.mliap.model"), pot("Ta06A.mliap.descriptor")},
      {"Si synthetic nn", "nn", refdata("si_synthetic.nn.mliap.model"), refdata("si_synthetic.mliap.descriptor")},
      {"inner Si/Ge chemflag linear", "linear", refdata("inner_sige_chem.mliap.model"),
       refdata("inner_sige_chem.mliap.descriptor")}};
  for (const auto &r : real)
    if (have(r[2]) && have(r[3])) v.push_back({r[0], r[1], slurp(r[2]), slurp(r[3])});
  return v;
}

// "nelems N", "elems Aa Ab ...", "radelems ...", "welems ...": as many elements as LAMMPS' 1022-character
// lines allow (two-letter names).
std::string many_elements_descriptor_tail(int n)
{
  std::string names, radii, weights;
  for (int e = 0; e < n; ++e) {
    names += std::string(" ") + static_cast<char>('A' + e / 26) + static_cast<char>('a' + e % 26);
    radii += " 0.5";
    weights += " 1";
  }
  return "nelems " + std::to_string(n) + "\nelems" + names + "\nradelems" + radii + "\nwelems" + weights + "\n";
}

SnapPotential build_mliap(const std::string &kind, const std::string &model, const std::string &descriptor)
{
  return build_snap_member({kind, {"t.model", "t.descriptor"}}, model, descriptor, {});
}

Campaign mliap_model_campaign(const std::string &kind)
{
  Campaign c{"mliap-" + kind, {}, {}};
  for (const auto &p : mliap_pairs())
    if (p.kind == kind)
      c.seeds.push_back({p.label, p.model, [p](const std::string &t) { evaluate(build_mliap(p.kind, t, p.descriptor)); }});
  // seed 0 is the tiny model of this kind (2 elements, 5 descriptors)
  c.directed = {{0, "1000 elements x 10^7 parameters, truncated", "1000 10000000\n0.1\n0.2\n"},
                {0, "2 elements x 10^7 parameters, truncated", "2 10000000\n0.1\n"},
                {0, "parameter count beyond int", "2 2147483648\n0.1\n"},
                {0, "1000 elements", "1000 6\n0.1\n"}};
  if (kind == "nn") {
    std::string layers;
    for (int l = 0; l < 999; ++l) layers += " tanh 1000000";
    c.directed.push_back({0, "NET of 1000 layers of 10^6 nodes", "2 10000000\nNET 1000000 1000" + layers + " linear 1\n"});
    c.directed.push_back({0, "10^6 descriptors, truncated", "2 1000001\nNET 1000000 1 linear 1\n0.1 0.2\n"});
    c.directed.push_back({0, "zero scale", tiny_nn_model().replace(tiny_nn_model().find("1.0 2.0"), 7, "0.0 2.0")});
  }
  return c;
}

Campaign mliap_descriptor_campaign()
{
  Campaign c{"mliap-descriptor", {}, {}};
  for (const auto &p : mliap_pairs())
    c.seeds.push_back({p.label, p.descriptor, [p](const std::string &t) { evaluate(build_mliap(p.kind, p.model, t)); }});
  const std::string many = many_elements_descriptor_tail(200);
  c.directed = {{0, "chemflag, 200 elements, twojmax 30", "rcutfac 1.0\ntwojmax 30\nchemflag 1\n" + many},
                {0, "chemflag, 200 elements, twojmax 8", "rcutfac 1.0\ntwojmax 8\nchemflag 1\nbnormflag 1\n" + many},
                {0, "nelems beyond int", "rcutfac 1.2\ntwojmax 2\nnelems 2147483648\nelems X Y\n"},
                {0, "denormal rcutfac", std::string(kTinyDescriptor).replace(0, 11, "rcutfac 1e-320")},
                {0, "rmin0 above the cutoff", std::string(kTinyDescriptor) + "rmin0 1e308\n"}};
  return c;
}

// pair_coeff * * <args>: the words of the line after "* *" and the number of atom types. The file
// names refer to a small in-memory file system; a name it does not have is "cannot open", as in LAMMPS.
Campaign pair_coeff_campaign()
{
  std::map<std::string, std::string> files = {{"tiny.snapcoeff", kTinyCoeff},     {"tiny.snapparam", kTinyParam},
                                              {"tiny.descriptor", kTinyDescriptor}, {"tiny.linear", tiny_linear_model()},
                                              {"tiny.quadratic", tiny_quadratic_model()}, {"tiny.nn", tiny_nn_model()}};
  // a second linear member with other coefficients (same descriptor)
  {
    std::string m = tiny_linear_model();
    for (auto &ch : m)
      if (ch == '1') ch = '3';
    files["tiny2.linear"] = m;
    std::string cf = kTinyCoeff;
    cf.replace(cf.find("-1.5"), 4, "-1.7");
    files["tiny2.snapcoeff"] = cf;
  }
  struct Line {
    std::string label, line;
    int ntypes;
  };
  const std::vector<Line> lines = {
      {"snap", "tiny.snapcoeff tiny.snapparam X", 1},
      {"snap NULL", "tiny.snapcoeff tiny.snapparam X NULL X", 3},
      {"linear", "linear tiny.linear tiny.descriptor X Y", 2},
      {"nn", "nn tiny.nn tiny.descriptor Y X Y", 3},
      {"committee snap", "committee 2 tiny.snapcoeff tiny.snapparam tiny2.snapcoeff tiny.snapparam X", 1},
      {"committee mliap",
       "committee 3 linear tiny.linear tiny.descriptor quadratic tiny.quadratic tiny.descriptor nn tiny.nn "
       "tiny.descriptor X NULL Y",
       3},
      {"committee linear", "committee 2 linear tiny.linear tiny.descriptor linear tiny2.linear tiny.descriptor Y", 1}};
  Campaign c{"pair-coeff", {}, {}};
  std::string members64, members65;
  for (int m = 0; m < 65; ++m) (m < 64 ? members64 : members65) += " tiny.snapcoeff tiny.snapparam";
  c.directed = {{0, "committee of 2^31 members", "committee 2147483648 tiny.snapcoeff tiny.snapparam X\n1\n"},
                {0, "committee of 10^20 members", "committee 99999999999999999999 tiny.snapcoeff tiny.snapparam X\n1\n"},
                {0, "committee of -1 members", "committee -1 tiny.snapcoeff tiny.snapparam X\n1\n"},
                {0, "committee of 64 members", "committee 64" + members64 + " X\n1\n"},
                {0, "committee of 65 members", "committee 65" + members64 + members65 + " X\n1\n"},
                {0, "nested committee", "committee 2 committee 2 tiny.snapcoeff tiny.snapparam X\n1\n"}};
  for (const auto &l : lines) {
    const std::string text = l.line + "\n" + std::to_string(l.ntypes) + "\n";    // line 2: ntypes (mutated too)
    c.seeds.push_back({l.label, text, [files](const std::string &t) {
                         std::istringstream in(t);
                         std::string line, nt;
                         std::getline(in, line);
                         std::getline(in, nt);
                         std::istringstream ws(line);
                         std::vector<std::string> args;
                         for (std::string w; ws >> w;) args.push_back(w);
                         // LAMMPS' atom->ntypes: a positive int (create_box checks it); keep it small
                         int ntypes = std::atoi(nt.c_str());
                         if (ntypes < 1 || ntypes > 8) ntypes = 1 + static_cast<int>(nt.size() % 3);
                         const SnapPairSpec spec = parse_snap_pair_coeff(args, ntypes);
                         const std::vector<std::string> el = spec.distinct_elements();
                         std::vector<SnapPotential> members;
                         for (const auto &m : spec.members) {
                           std::string text[2];
                           for (int k = 0; k < 2; ++k) {
                             auto it = files.find(m.files.at(k));
                             if (it == files.end()) throw Error("cannot open potential file " + m.files.at(k));
                             text[k] = it->second;
                           }
                           members.push_back(build_snap_member(m, text[0], text[1], el));
                         }
                         std::vector<SnapModel> models = {members.front().model};
                         if (spec.committee) models = make_committee(members);
                         snap_type_map(spec, members.front().params);
                         evaluate(members.front().params, models);
                       }});
  }
  return c;
}

// Interstitial templates (fix re/stats itypes file): parse, build the classifier on the diamond
// lattice and classify a tetrahedral interstitial and a split-<110> dumbbell.
constexpr double kA = 5.431;

LatticeMap diamond()
{
  LatticeMap m;
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) m.a[c][r] = (c == r) ? kA : 0.0;
  m.basis = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}, {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
  return m;
}

void classify_with(const std::vector<DefectTemplate> &templates)
{
  InterstitialClassifier c(diamond(), templates, 0.275 * std::cbrt(kA * kA * kA / 8), 1.1 * std::sqrt(3.0) / 4 * kA);
  kernels::BoxGeom box{};
  for (int d = 0; d < 3; ++d) {
    box.h[d] = 3 * kA;
    box.h_inv[d] = 1 / (3 * kA);
    box.periodic[d] = 1;
  }
  LatticeFrame frame{[](const double *u, double *x) {
                       for (int k = 0; k < 3; ++k) x[k] = u[k] * kA;
                     },
                     [](const double *x, double *u) {
                       for (int k = 0; k < 3; ++k) u[k] = x[k] / kA;
                     }};
  // tetrahedral interstitial at site (1,1,1) + (-1/4,-1/4,-1/4)
  std::vector<DefectAtom> tet(1);
  for (int k = 0; k < 3; ++k) tet[0].x[k] = 0.75 * kA;
  tet[0].occupies_site = 0;
  tet[0].site = 0;
  c.classify(tet, {}, box, frame);
  // split-<110> dumbbell on site (1,1,1)
  const double s = std::sqrt(3.0) / 8.0 / std::sqrt(2.0);
  std::vector<DefectAtom> split(2);
  for (int a = 0; a < 2; ++a) {
    const double sign = a ? -1.0 : 1.0;
    split[a].x[0] = (1 + sign * s) * kA;
    split[a].x[1] = (1 + sign * s) * kA;
    split[a].x[2] = kA;
    split[a].occupies_site = 1;
    split[a].site = 7;
  }
  c.classify(split, {}, box, frame);
}

Campaign templates_campaign()
{
  std::string diamond_text = "# the diamond templates (lattice units from a basis-0 site)\n";
  for (const auto &t : diamond_templates()) {
    diamond_text += t.label + "\n";
    for (const auto &o : t.offsets) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "%.10f %.10f %.10f\n", o[0], o[1], o[2]);
      diamond_text += buf;
    }
  }
  const std::string relaxed = "# relaxed geometries\nsplit-110   # dumbbell\n 0.11 0.11 0.0\n-0.11 -0.11 0.0\n\n"
                              "tetrahedral\n-0.25 -0.25 -0.25\nhexagonal\n-0.375 0.125 0.125\n"
                              "three\n0.1 0 0\n-0.1 0 0\n0 0.2 0\n";
  Campaign c{"itypes-file", {}, {}};
  std::string many_atoms = "crowd\n";
  for (int k = 0; k < 500; ++k) many_atoms += "0.01 0.02 " + std::to_string(0.001 * k) + "\n";
  c.directed = {{0, "huge offsets", "big\n1e308 1e308 1e308\n"},
                {0, "huge two-atom template", "big\n1e308 -1e308 1e308\n-1e308 1e308 0\n"},
                {0, "denormal offset", "tiny\n1e-320 0 0\n"},
                {0, "hex offset", "hex\n0x10 0 0\n"},
                {0, "500-atom template", many_atoms},
                {0, "four-atom template", "four\n0.1 0 0\n-0.1 0 0\n0 0.1 0\n0 -0.1 0\n"}};
  for (const auto &seed : {std::make_pair(std::string("diamond"), diamond_text), std::make_pair(std::string("relaxed"), relaxed)})
    c.seeds.push_back({seed.first, seed.second, [](const std::string &t) {
                         std::istringstream in(t);
                         classify_with(read_defect_templates(in, "t.tpl"));
                       }});
  return c;
}

// Site files (compute vacancy/sites sites file): parse and map every site into a 2x2x2 diamond box.
Campaign sites_campaign()
{
  std::string text = "# diamond 2x2x2, a = 5.431\n";
  const LatticeMap lat = diamond();
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 2; ++j)
      for (int i = 0; i < 2; ++i)
        for (const auto &b : lat.basis) {
          char buf[128];
          std::snprintf(buf, sizeof buf, "%.6f %.6f %.6f\n", (i + b[0]) * kA, (j + b[1]) * kA, (k + b[2]) * kA);
          text += buf;
        }
  text += "\n# end\n";
  Campaign c{"sites-file", {}, {}};
  c.directed = {{0, "huge coordinates", "1e308 0 0\n0 -1e308 0\n"},
                {0, "denormal coordinates", "1e-320 0 0\n0 1e-320 0\n"},
                {0, "hex coordinates", "0x10 0 0\n"},
                {0, "one site", "1 1 1\n"}};
  c.seeds.push_back({"diamond 2x2x2", text, [](const std::string &t) {
                       std::istringstream in(t);
                       const auto sites = read_site_file(in, "t.sites");
                       kernels::BoxGeom box{};
                       for (int d = 0; d < 3; ++d) {
                         box.h[d] = 2 * kA;
                         box.h_inv[d] = 1 / (2 * kA);
                         box.periodic[d] = 1;
                       }
                       for (const auto &s : sites) {
                         double lam[3];
                         site_lamda_in_box(box, s.data(), lam);
                       }
                     }});
  return c;
}

// Dump files (compute force/error ref/pred file): read every frame, look up the columns the compute
// uses, and seek to a timestep behind and ahead.
std::string dump_text(bool custom)
{
  std::string s;
  for (int step : {0, 10}) {
    s += "ITEM: TIMESTEP\n" + std::to_string(step) + "\nITEM: NUMBER OF ATOMS\n8\n";
    if (!custom) s += "ITEM: BOX BOUNDS pp pp pp\n0 5.431\n0 5.431\n0 5.431\n";
    s += custom ? "ITEM: ATOMS id fx fy fz\n" : "ITEM: ATOMS id type x y z fx fy fz\n";
    const LatticeMap lat = diamond();
    for (int a = 0; a < 8; ++a) {
      char buf[256];
      const double f = 0.01 * (a + 1) * (step + 1);
      if (custom)
        std::snprintf(buf, sizeof buf, "%d %.6g %.6g %.6g\n", 8 - a, f, -f, 0.5 * f);
      else
        std::snprintf(buf, sizeof buf, "%d 1 %.6f %.6f %.6f %.6g %.6g %.6g\n", a + 1, lat.basis[a][0] * kA,
                      lat.basis[a][1] * kA, lat.basis[a][2] * kA, f, -f, 0.5 * f);
      s += buf;
    }
  }
  return s;
}

Campaign dump_campaign()
{
  Campaign c{"dump-file", {}, {}};
  const std::string atoms8 = "1 0 0 0\n2 0 0 0\n3 0 0 0\n4 0 0 0\n5 0 0 0\n6 0 0 0\n7 0 0 0\n8 0 0 0\n";
  auto frame = [&](const std::string &natoms) {
    return "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n" + natoms + "\nITEM: ATOMS id fx fy fz\n" + atoms8;
  };
  c.directed = {{1, "10^11 atoms", frame("99999999999")},
                {1, "2^61 atoms (x 4 columns x 8 bytes wraps to 0)", frame("2305843009213693952")},
                {1, "2^62 atoms (x 4 columns wraps to 0)", frame("4611686018427387904")},
                {1, "INT64_MAX atoms", frame("9223372036854775807")},
                {1, "atom count beyond int64", frame("99999999999999999999")},
                {1, "negative atom count", frame("-8")},
                {1, "timestep beyond int64", "ITEM: TIMESTEP\n99999999999999999999\nITEM: NUMBER OF ATOMS\n8\n"
                                             "ITEM: ATOMS id fx fy fz\n" + atoms8},
                {1, "id 1e30 and nan forces", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: ATOMS id fx fy fz\n"
                                             "1e30 nan inf 0x10\n4.7 1 2 3\n"}};
  for (bool custom : {false, true})
    c.seeds.push_back({custom ? "custom id fx fy fz" : "atom + forces", dump_text(custom), [](const std::string &t) {
                         const std::string path = "fuzz-dump-" + std::to_string(getpid()) + ".tmp";
                         std::ofstream(path, std::ios::binary) << t;
                         struct Remove {
                           std::string p;
                           ~Remove() { std::remove(p.c_str()); }
                         } rm{path};
                         DumpReader r(path);
                         DumpFrame f;
                         double sum = 0.0;
                         while (r.next(f)) {
                           const int cols[4] = {f.column("id"), f.column("fx"), f.column("fy"), f.column("fz")};
                           for (int64_t i = 0; i < f.natoms; ++i)
                             for (int col : cols)
                               if (col >= 0) sum += f.at(i, col);
                         }
                         r.seek(0, f);
                         r.seek(10, f);
                         r.seek(123456789, f);
                         if (sum == 12345.678) std::printf(" ");    // keep the reads
                       }});
  return c;
}

// extended XYZ (reval-fit's training data): two frames as ASE / tools/reval_convert.py write them
Campaign extxyz_campaign()
{
  std::string text;
  for (int frame = 0; frame < 2; ++frame) {
    text += "3\nLattice=\"5.431 0.0 0.0 0.0 5.431 0.0 0.1 0.0 5.431\" Properties=species:S:1:pos:R:3:forces:R:3 "
            "energy=-16.25 config_type=\"AIMD NVT\" pbc=\"T T T\"\n";
    for (int i = 0; i < 3; ++i) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "Si %.17g %.17g %.17g %.6f %.6f %.6f\n", 1.3575 * i, 0.25 + i, 2.0 - 0.5 * i,
                    0.1 * i - frame, -0.2, 0.05 * i);
      text += buf;
    }
  }
  Campaign c{"extxyz", {}, {}};
  c.directed = {{0, "2^31 atoms", "2147483648\nLattice=\"1 0 0 0 1 0 0 0 1\"\nSi 0 0 0\n"},
                {0, "huge Lattice", "1\nLattice=\"1e308 0 0 0 1e308 0 0 0 1e308\"\nSi 0 0 0\n"},
                {0, "tiny Lattice", "1\nLattice=\"1e-300 0 0 0 1e-300 0 0 0 1e-300\"\nSi 0 0 0\n"},
                {0, "count 1000 columns", "1\nLattice=\"1 0 0 0 1 0 0 0 1\" Properties=species:S:1:pos:R:3:x:R:1000\nSi 0 0 0\n"},
                {0, "quote at the end", "1\nLattice=\"1 0 0 0 1 0 0 0 1\" a=\"\\\nSi 0 0 0\n"}};
  c.seeds.push_back({"two frames", text, [](const std::string &t) {
                       std::istringstream in(t);
                       const auto frames = read_extxyz(in, "t.xyz");
                       double sum = 0.0;
                       for (const auto &f : frames)
                         for (double v : f.forces) sum += v;
                       std::ostringstream out;
                       for (const auto &f : frames) write_extxyz(out, f);
                       if (sum == 12345.678) std::printf(" ");    // keep the reads
                     }});
  return c;
}

// reval-fit's input (FitSNAP INI + [REVAL])
Campaign fit_input_campaign()
{
  const std::string text =
      "[BISPECTRUM]\nnumTypes = 2\ntwojmax = 6\nrcutfac = 4.9\nrfac0 = 0.99363\nrmin0 = 0.0\nwj = 1.0 0.5\n"
      "radelem = 0.5 0.4\ntype = Si Ge\nbzeroflag = 0\nquadraticflag = 1\n[CALCULATOR]\ncalculator = LAMMPSSNAP\n"
      "energy = 1\nforce = 1\nstress = 0\n[ESHIFT]\nSi = -5.4\nGe = -4.5\n[SOLVER]\nsolver = RIDGE\n[RIDGE]\n"
      "alpha = 1e-8\n[SCRAPER]\nscraper = XYZ\n[PATH]\ndataPath = xyz\n[OUTFILE]\nmetrics = m.md\npotential = p\n"
      "[GROUPS]\ngroup_sections = name training_size testing_size eweight fweight vweight\n"
      "group_types = str float float float float float\nsmartweights = 0\nrandom_sampling = 1\n"
      "AIMD = 0.9 0.1 100 1 1e-8\nVacancy = 12 3 100 1 0\n[REVAL]\nre_fweight = 5\n"
      "re_sites = lattice diamond 5.431\nre_sites.AIMD = none\ncommittee = 4\nseed = 7\n";
  Campaign c{"fit-input", {}, {}};
  c.directed = {{0, "numTypes 64 without types", "[BISPECTRUM]\nnumTypes = 64\ntwojmax = 8\nrcutfac = 4\n"},
                {0, "twojmax 30", "[BISPECTRUM]\nnumTypes = 1\ntwojmax = 30\nrcutfac = 4\nwj = 1\nradelem = .5\n"
                                  "type = Si\n[OUTFILE]\npotential = p\n[GROUPS]\nA = 1 0 1 1 0\n"},
                {0, "count 1e300", "[BISPECTRUM]\nnumTypes = 1\ntwojmax = 2\nrcutfac = 4\nwj = 1\nradelem = .5\n"
                                   "type = Si\n[OUTFILE]\npotential = p\n[GROUPS]\nA = 1e300 0 1 1 0\n"}};
  c.seeds.push_back({"Si+Ge ridge", text, [](const std::string &t) {
                       std::istringstream in(t);
                       const auto f = read_fit_input(in, "fit.in");
                       if (f.groups.size() == 12345) std::printf(" ");    // keep the read
                     }});
  return c;
}

}    // namespace

TEST(FuzzParsers, SnapParam) { run_campaign_test(snapparam_campaign()); }
TEST(FuzzParsers, SnapCoeff) { run_campaign_test(snapcoeff_campaign()); }
TEST(FuzzParsers, MliapDescriptor) { run_campaign_test(mliap_descriptor_campaign()); }
TEST(FuzzParsers, MliapLinearModel) { run_campaign_test(mliap_model_campaign("linear")); }
TEST(FuzzParsers, MliapQuadraticModel) { run_campaign_test(mliap_model_campaign("quadratic")); }
TEST(FuzzParsers, MliapNNModel) { run_campaign_test(mliap_model_campaign("nn")); }
TEST(FuzzParsers, PairCoeffCommittee) { run_campaign_test(pair_coeff_campaign()); }
TEST(FuzzParsers, InterstitialTemplates) { run_campaign_test(templates_campaign()); }
TEST(FuzzParsers, SiteFile) { run_campaign_test(sites_campaign()); }
TEST(FuzzParsers, DumpFile) { run_campaign_test(dump_campaign()); }
TEST(FuzzParsers, ExtXyz) { run_campaign_test(extxyz_campaign()); }
TEST(FuzzParsers, FitInput) { run_campaign_test(fit_input_campaign()); }

// Regressions of what the fuzz campaigns found (they fail on the code before the fixes).

// SnapParams::validate: chemflag with many elements made ncoeff() = components x nelements^3
// overflow an int (undefined behaviour; UBSan stops there).
TEST(FuzzRegressions, DescriptorCountIsBounded)
{
  std::istringstream in("rcutfac 1.0\ntwojmax 30\nchemflag 1\n" + many_elements_descriptor_tail(200));
  try {
    parse_mliap_descriptor(in, "many.descriptor");
    ADD_FAILURE() << "200 elements with chemflag and twojmax 30 were accepted";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("descriptors per atom, more than the 10000000 supported"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("many.descriptor"), std::string::npos) << e.what();
  }
  // the largest chemflag descriptors in use stay accepted (InP: 2 elements, twojmax 6)
  std::istringstream ok("rcutfac 1.0\ntwojmax 6\nchemflag 1\n" + many_elements_descriptor_tail(2));
  EXPECT_EQ(parse_mliap_descriptor(ok, "ok.descriptor").ncoeff(), 30 * 8);
}

// read_defect_templates used std::stod: hex offsets (0x10 = 16 lattice units) were taken silently,
// and denormal offsets were called "not a finite number".
TEST(FuzzRegressions, TemplateOffsetsAreDecimalNumbers)
{
  auto err = [](const std::string &text) {
    std::istringstream in(text);
    try {
      read_defect_templates(in, "t.tpl");
    } catch (const Error &e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(err("A\n0x10 0 0\n").find("line 2: '0x10' is not a finite number"), std::string::npos) << err("A\n0x10 0 0\n");
  EXPECT_NE(err("A\n0 0X1F 0\n").find("'0X1F' is not a finite number"), std::string::npos);
  EXPECT_NE(err("A\n0 0 nan\n").find("'nan' is not a finite number"), std::string::npos);
  EXPECT_NE(err("A\ninf 0 0\n").find("template label is one word"), std::string::npos);    // a word: a label line
  EXPECT_NE(err("A\n0 -inf 0\n").find("'-inf' is not a finite number"), std::string::npos);
  EXPECT_NE(err("A\n1e999 0 0\n").find("'1e999' is not a finite number"), std::string::npos);
  std::istringstream tiny("A\n1e-320 0 -0.5\n");
  const auto t = read_defect_templates(tiny, "t.tpl");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].offsets[0][0], 1e-320);
  EXPECT_EQ(t[0].offsets[0][2], -0.5);
}

// The harness itself: a crash, a hang, an escaped std::exception and a runaway allocation are each
// caught, attributed to their case, and the campaign goes on after them. (Under ASan the runaway
// allocation is left out: it would be an ASan report, which tools/sanitize.sh counts as a finding.)
TEST(FuzzHarness, CatchesCrashesHangsAndEscapes)
{
  auto run = [](const std::string &t) {
    if (t == "reject") throw Error("bad input");
    if (t == "crash") std::abort();
    if (t == "hang")
      for (;;) pause();
    if (t == "escape") throw std::out_of_range("escaped");
    if (t == "runaway") {
      std::vector<double> v(std::size_t(1) << 34, 1.0);    // 128 GiB
      if (v[12345] != 1.0) throw Error("?");
    }
  };
  Campaign c{"harness-self-test", {}, {}};
#ifdef REVAL_FUZZ_ASAN
  const std::vector<const char *> inputs = {"ok", "reject", "crash", "hang", "escape", "ok"};
  const std::string expected = "ARCHXA";
#else
  const std::vector<const char *> inputs = {"ok", "reject", "crash", "hang", "escape", "runaway", "ok"};
  const std::string expected = "ARCHXXA";    // runaway: std::bad_alloc under the address-space limit
#endif
  for (const char *t : inputs) c.seeds.push_back({t, t, run});
  c.cases = 0;
  c.case_timeout_s = 2;
  const CampaignResult r = run_campaign(c, 100);
  EXPECT_EQ(std::string(r.seed_outcome.begin(), r.seed_outcome.end()), expected);    // and the campaign went on
  EXPECT_EQ(r.cases, inputs.size());
  const std::size_t nfail = std::count_if(expected.begin(), expected.end(), [](char o) { return o != 'A' && o != 'R'; });
  EXPECT_EQ(r.crashes + r.hangs + r.other_exceptions, nfail);
  EXPECT_EQ(r.failures.size(), nfail);
}
