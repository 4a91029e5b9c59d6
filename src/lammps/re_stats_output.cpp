/* ----------------------------------------------------------------------
   REVAL: the file output of fix re/stats (see re_stats_output.h)
------------------------------------------------------------------------- */

#include "re_stats_output.h"

#include "error.h"
#include "lammps.h"

#include <cerrno>
#include <cstring>

using namespace LAMMPS_NS;

namespace reval_lmp {

ReStatsFile::~ReStatsFile()
{
  if (m_fp) fclose(m_fp);
}

void ReStatsFile::open(LAMMPS *lmp, const std::string &path, bool append, bool new_series)
{
  m_fp = fopen(path.c_str(), append ? "a" : "w");
  if (!m_fp) lmp->error->one(FLERR, "fix re/stats: cannot open file " + path + ": " + std::strerror(errno));
  fseek(m_fp, 0, SEEK_END);
  m_need_header = ftell(m_fp) == 0 || new_series;
}

void ReStatsFile::write(const std::string &fix_id, const std::vector<std::string> &labels, const ReStatsRow &r,
                        bool new_series)
{
  if (!m_fp) return;
  if (new_series || m_need_header) {
    m_need_header = false;
    fprintf(m_fp, "# fix re/stats %s: step time TMSD MSD D sigma_D N_eff hops_total interstitials", fix_id.c_str());
    for (auto &l : labels) fprintf(m_fp, " %s", l.c_str());
    fprintf(m_fp, "%s\n", labels.empty() ? "" : " other");
  }
  fprintf(m_fp, BIGINT_FORMAT " %.10g %.10g %.10g %.10g %.10g %.10g %.0f %d", r.step, r.time, r.tmsd, r.msd, r.D,
          r.sigma_D, r.n_eff, r.hops, r.interstitials);
  if (!labels.empty() && r.types)
    for (int v : *r.types) fprintf(m_fp, " %d", v);
  fprintf(m_fp, "\n");
  fflush(m_fp);
}

}    // namespace reval_lmp
