/// @file re_stats_settings.h
/// The settings of fix re/stats (its arguments, doc/fix_re_stats.rst) and their parser: every bad
/// value is a LAMMPS ERROR naming the keyword.
#pragma once

#include "lmptype.h"

#include "kernels/point/site_search.hpp"

#include <string>

namespace LAMMPS_NS {
class LAMMPS;
}

namespace reval_lmp {

/// Interstitial types: none, the diamond templates, or templates from a file.
enum class ITypes { none = 0, diamond = 1, file = 2 };

struct ReStatsSettings {
  int nevery = 1;                  ///< sampling interval N (timesteps)
  std::string id_sites;            ///< compute vacancy/sites ID
  double hop = 0.0;                ///< hop distance a (0: the sites' neighbour spacing)
  double fit_start = -1.0, fit_end = -1.0;    ///< fit window (times); < 0: automatic
  int norigins = 1, origin_every = 1;         ///< time origins, one every origin_every samples
  bool com = false;                ///< remove the group's centre-of-mass drift
  double dre = 0.75;               ///< migrating rule (compute re/atom's dre)
  reval::kernels::SitePairs pairs = reval::kernels::SitePairs::any;    ///< keyword pairs (migrating rule)
  ITypes itypes = ITypes::none;    ///< default: diamond on a diamond lattice
  std::string template_file;
  double itol = -1.0;              ///< < 0: 0.275 (V/n)^(1/3)
  std::string file;
  int append = -1;                 ///< file: 1 append, 0 truncate, -1 append only if the state comes from a restart file
};

/// Most time origins: 3 doubles per atom and origin are kept, migrated and written to restart files
/// (24 KB per atom at 1000 origins, 2.4 GB for 100 000 atoms).
constexpr int kReStatsMaxOrigins = 1000;
/// Most samples between time origins (origins ... every S), and largest sampling interval N.
constexpr int kReStatsMaxEvery = 1000000000;

/// Parses `fix ID group re/stats N SITES-ID keyword value ...` (arg as LAMMPS passes it to the fix).
ReStatsSettings parse_re_stats_settings(LAMMPS_NS::LAMMPS *lmp, int narg, char **arg);

}    // namespace reval_lmp
