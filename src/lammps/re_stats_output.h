/// @file re_stats_output.h
/// The `file` output of fix re/stats: one line per sample (step, time, TMSD, MSD, D, sigma_D, N_eff,
/// hops, interstitials and their types) after a header line that starts every new time series. Only
/// rank 0 writes.
#pragma once

#include "lmptype.h"

#include <cstdio>
#include <string>
#include <vector>

namespace LAMMPS_NS {
class LAMMPS;
}

namespace reval_lmp {

/// One output line of fix re/stats.
struct ReStatsRow {
  LAMMPS_NS::bigint step = 0;
  double time = 0.0, tmsd = 0.0, msd = 0.0, D = 0.0, sigma_D = 0.0, n_eff = 0.0, hops = 0.0;
  int interstitials = 0;
  const std::vector<int> *types = nullptr;    ///< per template, then other (with templates only)
};

class ReStatsFile {
 public:
  ReStatsFile() = default;
  ReStatsFile(const ReStatsFile &) = delete;
  ReStatsFile &operator=(const ReStatsFile &) = delete;
  ~ReStatsFile();

  /// Opens `path` on rank 0 (ERROR if it cannot): appended to, or truncated; a header goes before the
  /// next line if the file is empty or `new_series`.
  void open(LAMMPS_NS::LAMMPS *lmp, const std::string &path, bool append, bool new_series);
  bool is_open() const { return m_fp != nullptr; }
  /// Writes one line (and the header first when due, or when `new_series`).
  void write(const std::string &fix_id, const std::vector<std::string> &labels, const ReStatsRow &row, bool new_series);

 private:
  FILE *m_fp = nullptr;
  bool m_need_header = false;
};

}    // namespace reval_lmp
