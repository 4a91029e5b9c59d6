/* ----------------------------------------------------------------------
   REVAL: fix re/stats settings (see re_stats_settings.h). One small function per keyword.
------------------------------------------------------------------------- */

#include "re_stats_settings.h"

#include "domain.h"
#include "error.h"
#include "lattice.h"
#include "pointers.h"
#include "utils.h"

#include <cstring>
#include <functional>
#include <map>

using namespace LAMMPS_NS;
namespace rk = reval::kernels;

namespace reval_lmp {

namespace {

bool diamond_lattice(LAMMPS *lmp)
{
  return lmp->domain->lattice && lmp->domain->lattice->style == Lattice::DIAMOND;
}

// The arguments after N and SITES-ID, read keyword by keyword.
class Parser : protected Pointers {
 public:
  Parser(LAMMPS *lmp, int narg, char **arg, ReStatsSettings &set) : Pointers(lmp), m_narg(narg), m_arg(arg), m_set(set)
  {
  }
  void run(int iarg);

 private:
  int m_narg;
  char **m_arg;
  ReStatsSettings &m_set;
  int m_i = 0;    // the keyword being read

  const char *value(int k) const { return m_arg[m_i + k]; }
  // the word at m_i + k (the keyword, or a sub-keyword) needs n values
  void need(int n, const char *what, int k = 0)
  {
    if (m_i + k + n >= m_narg) error->all(FLERR, std::string("fix re/stats: '") + m_arg[m_i + k] + "' needs " + what);
  }
  double positive(const char *key)
  {
    need(1, "a distance");
    const double v = utils::numeric(FLERR, value(1), false, lmp);
    if (!(v > 0)) error->all(FLERR, std::string("fix re/stats: ") + key + " must be > 0");
    return v;
  }
  bool yes_no(const char *key, bool quote_value)
  {
    need(1, "yes or no");
    const std::string v = value(1);
    if (v != "yes" && v != "no")
      error->all(FLERR, std::string("fix re/stats: ") + key + " must be yes or no" +
                            (quote_value ? " (got '" + v + "')" : std::string()));
    return v == "yes";
  }
  // the keywords with more than one check; each returns the number of words it read (the others are
  // written in the table of run())
  int fit();
  int origins();
  int pairs();
  int itypes();
};

int Parser::fit()
{
  need(2, "a start and an end time (or auto)");
  const bool auto_start = strcmp(value(1), "auto") == 0, auto_end = strcmp(value(2), "auto") == 0;
  m_set.fit_start = auto_start ? -1.0 : utils::numeric(FLERR, value(1), false, lmp);
  m_set.fit_end = auto_end ? -1.0 : utils::numeric(FLERR, value(2), false, lmp);
  if ((!auto_start && m_set.fit_start < 0) || (!auto_end && m_set.fit_end <= 0) ||
      (m_set.fit_start >= 0 && m_set.fit_end > 0 && m_set.fit_start >= m_set.fit_end))
    error->all(FLERR, std::string("fix re/stats: bad fit window '") + value(1) + " " + value(2) +
                          "': need 0 <= start < end (times), or auto");
  return 3;
}

int Parser::origins()
{
  need(1, "a number of time origins");
  const bigint m = utils::bnumeric(FLERR, value(1), false, lmp);
  if (m < 1) error->all(FLERR, "fix re/stats: origins must be >= 1");
  if (m > kReStatsMaxOrigins)
    error->all(FLERR, fmt::format("fix re/stats: origins must be <= {} (got {}): every origin keeps 3 values "
                                  "per atom ({} KB per atom at {})",
                                  kReStatsMaxOrigins, value(1), 3 * 8 * kReStatsMaxOrigins / 1000, kReStatsMaxOrigins));
  m_set.norigins = static_cast<int>(m);
  if (m_i + 2 >= m_narg || strcmp(value(2), "every") != 0) return 2;
  // "every S" belongs to origins
  need(1, "a number of samples", 2);
  const bigint e = utils::bnumeric(FLERR, value(3), false, lmp);
  if (e < 1) error->all(FLERR, "fix re/stats: origins ... every must be >= 1 (samples)");
  if (e > kReStatsMaxEvery)
    error->all(FLERR, fmt::format("fix re/stats: origins ... every must be <= {} samples (got {})", kReStatsMaxEvery,
                                  value(3)));
  m_set.origin_every = static_cast<int>(e);
  return 4;
}

int Parser::pairs()
{
  need(1, "any or neighbours");
  if (!rk::parse_site_pairs(value(1), m_set.pairs))
    error->all(FLERR, std::string("fix re/stats: pairs must be any or neighbours (got '") + value(1) + "')");
  return 2;
}

int Parser::itypes()
{
  need(1, "diamond, file FILE or none");
  const std::string v = value(1);
  if (v == "diamond") {
    if (!diamond_lattice(lmp))
      error->all(FLERR, "fix re/stats: 'itypes diamond' needs a diamond lattice (the current lattice is not "
                        "'lattice diamond'); use 'itypes file FILE' for other structures");
    m_set.itypes = ITypes::diamond;
    return 2;
  }
  if (v == "none") {
    m_set.itypes = ITypes::none;
    return 2;
  }
  if (v == "file") {
    if (m_i + 2 >= m_narg) error->all(FLERR, "fix re/stats: 'itypes file' needs a file name");
    m_set.itypes = ITypes::file;
    m_set.template_file = value(2);
    return 3;
  }
  error->all(FLERR, "fix re/stats: unknown itypes '" + v + "' (use diamond, file FILE or none)");
  return 0;
}

void Parser::run(int iarg)
{
  const std::map<std::string, std::function<int()>> keywords = {
      {"hop", [this] { m_set.hop = positive("hop"); return 2; }},
      {"fit", [this] { return fit(); }},
      {"origins", [this] { return origins(); }},
      {"com", [this] { m_set.com = yes_no("com", false); return 2; }},
      {"dre", [this] { m_set.dre = positive("dre"); return 2; }},
      {"pairs", [this] { return pairs(); }},
      {"itypes", [this] { return itypes(); }},
      {"itol", [this] { m_set.itol = positive("itol"); return 2; }},
      {"file",
       [this] {
         need(1, "a file name");
         m_set.file = value(1);
         return 2;
       }},
      {"append", [this] { m_set.append = yes_no("append", true) ? 1 : 0; return 2; }},
  };
  for (m_i = iarg; m_i < m_narg;) {
    const auto it = keywords.find(m_arg[m_i]);
    if (it == keywords.end()) error->all(FLERR, std::string("fix re/stats: unknown keyword '") + m_arg[m_i] + "'");
    m_i += it->second();
  }
  if (m_set.append >= 0 && m_set.file.empty()) error->all(FLERR, "fix re/stats: 'append' needs 'file FILE'");
}

// N, the sampling interval
int sampling_interval(LAMMPS *lmp, const char *word)
{
  const bigint n = utils::bnumeric(FLERR, word, false, lmp);
  if (n <= 0) lmp->error->all(FLERR, "fix re/stats: the sampling interval N must be > 0 (got " + std::string(word) + ")");
  if (n > kReStatsMaxEvery)
    lmp->error->all(FLERR, fmt::format("fix re/stats: the sampling interval N must be <= {} (got {})", kReStatsMaxEvery, word));
  return static_cast<int>(n);
}

}    // namespace

ReStatsSettings parse_re_stats_settings(LAMMPS *lmp, int narg, char **arg)
{
  if (narg < 5) lmp->error->all(FLERR, "fix re/stats: expected 'fix ID group re/stats N SITES-ID keyword value ...'");
  ReStatsSettings set;
  set.nevery = sampling_interval(lmp, arg[3]);
  set.id_sites = arg[4];
  set.itypes = diamond_lattice(lmp) ? ITypes::diamond : ITypes::none;
  Parser(lmp, narg, arg, set).run(5);
  return set;
}

}    // namespace reval_lmp
