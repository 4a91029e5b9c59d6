#include "core/fit_data.h"

#include "core/dump_reader.h"    // parse_finite_double
#include "core/error.h"
#include "core/frame_cell.h"
#include "core/re_labels.h"
#include "core/text.h"

#include <algorithm>
#include <cmath>
#include <dirent.h>
#include <sys/stat.h>

namespace reval {

namespace {
bool is_file(const std::string &p)
{
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}
bool is_dir(const std::string &p)
{
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
}    // namespace

std::vector<std::string> group_files(const FitInput &in, const FitGroup &g)
{
  const std::string base = in.data_path + "/" + g.name;
  if (is_file(base + ".xyz")) return {base + ".xyz"};
  if (!is_dir(base))
    throw Error(in.path + ": [GROUPS] " + g.name + ": neither " + base + ".xyz nor a folder " + base + " exists");
  std::vector<std::string> out;
  if (DIR *d = ::opendir(base.c_str())) {
    while (const dirent *e = ::readdir(d)) {
      const std::string n = e->d_name;
      if (n.size() > 4 && n.compare(n.size() - 4, 4, ".xyz") == 0 && is_file(base + "/" + n)) out.push_back(base + "/" + n);
    }
    ::closedir(d);
  }
  std::sort(out.begin(), out.end());
  if (out.empty()) throw Error(in.path + ": [GROUPS] " + g.name + ": the folder " + base + " holds no .xyz file");
  return out;
}

void split_counts(const FitGroup &g, int n, int &ntrain, int &ntest)
{
  auto count = [n](double s) { return s <= 1.0 ? static_cast<int>(std::lround(s * n)) : static_cast<int>(s); };
  ntrain = count(g.training_size);
  ntest = count(g.testing_size);
  if (ntrain + ntest > n)
    throw Error("[GROUPS] " + g.name + ": training_size + testing_size ask for " + std::to_string(ntrain) + " + " +
                std::to_string(ntest) + " configurations, the group has " + std::to_string(n));
}

std::vector<FitConfig> load_fit_data(const FitInput &in)
{
  std::vector<FitConfig> out;
  SplitMix64 rng(in.seed);
  for (size_t gi = 0; gi < in.groups.size(); ++gi) {
    const FitGroup &g = in.groups[gi];
    std::vector<FitConfig> cfgs;
    for (const std::string &file : group_files(in, g)) {
      const auto frames = read_extxyz(file);
      for (size_t k = 0; k < frames.size(); ++k) {
        FitConfig c;
        c.frame = frames[k];
        c.source = file + ": frame " + std::to_string(k);
        c.group = static_cast<int>(gi);
        if (in.use_energy && !c.frame.has_energy) throw Error(c.source + ": no energy= (the fit uses energies)");
        if (in.use_force && c.frame.forces.empty()) throw Error(c.source + ": no forces column (the fit uses forces)");
        if (in.use_stress) {
          c.stress.assign(6, 0.0);
          if (!frame_stress(c.frame, c.source, c.stress.data()))
            throw Error(c.source + ": no stress= or virial= (the fit uses stresses: [CALCULATOR] stress = 1)");
        }
        for (const std::string &e : c.frame.species)
          if (std::find(in.snap.elements.begin(), in.snap.elements.end(), e) == in.snap.elements.end())
            throw Error(c.source + ": element " + e + " is not one of the [BISPECTRUM] types");
        const FitSites &sites = in.sites_of(g.name);
        if (sites.kind != FitSites::Kind::none)
          c.re = migrating_atoms(c.frame, frame_sites(c.frame, sites, c.source), in.re_dre, in.re_pairs_any).migrating;
        cfgs.push_back(std::move(c));
      }
    }
    int ntrain = 0, ntest = 0;
    split_counts(g, static_cast<int>(cfgs.size()), ntrain, ntest);
    if (in.random_sampling)    // Fisher-Yates with the portable generator
      for (size_t i = cfgs.size(); i > 1; --i) std::swap(cfgs[i - 1], cfgs[rng.below(i)]);
    for (int k = 0; k < ntrain + ntest; ++k) {
      cfgs[k].training = k < ntrain;
      out.push_back(std::move(cfgs[k]));
    }
  }
  return out;
}

double frame_volume(const XyzFrame &f) { return std::fabs(frame_cell(f).determinant()); }

bool frame_stress(const XyzFrame &f, const std::string &where, double stress[6])
{
  const std::string *text = nullptr;
  std::string key;
  for (const char *want : {"stress", "virial"}) {
    for (const auto &kv : f.info)
      if (text::to_lower(kv.first) == want) {
        text = &kv.second;
        key = kv.first;
        break;
      }
    if (text) break;
  }
  if (!text) return false;
  const auto w = text::words(*text);
  if (w.size() != 9 && w.size() != 6)
    throw Error(where + ": " + key + " must hold 9 (3 x 3) or 6 (Voigt xx yy zz yz xz xy) numbers, got " +
                std::to_string(w.size()));
  double v[9];
  for (size_t k = 0; k < w.size(); ++k)
    if (!parse_finite_double(w[k], v[k])) throw Error(where + ": " + key + " value '" + w[k] + "' is not a finite number");
  double voigt[6];
  if (w.size() == 9) {
    const int idx[6] = {0, 4, 8, 5, 2, 1};
    for (int k = 0; k < 6; ++k) voigt[k] = v[idx[k]];
  } else {
    for (int k = 0; k < 6; ++k) voigt[k] = v[k];
  }
  double scale = 1.0;
  if (text::to_lower(key) == "virial") {
    const double vol = frame_volume(f);
    if (!(vol > 0.0)) throw Error(where + ": virial given but the cell has no volume");
    scale = -1.0 / vol;
  }
  for (int k = 0; k < 6; ++k) stress[k] = scale * voigt[k];
  return true;
}

std::vector<int> bootstrap_counts(int ntrain, uint64_t seed, int member)
{
  SplitMix64 rng(seed ^ (0xD1B54A32D192ED03ULL * static_cast<uint64_t>(member + 1)));
  std::vector<int> c(ntrain, 0);
  for (int k = 0; k < ntrain; ++k) ++c[rng.below(static_cast<uint64_t>(ntrain))];
  return c;
}

}    // namespace reval
