/* ----------------------------------------------------------------------
   REVAL: interstitial types of fix re/stats (see re_stats_interstitials.h)
------------------------------------------------------------------------- */

#include "re_stats_interstitials.h"

#include "adapter_utils.h"
#include "compute_vacancy_sites.h"
#include "site_analysis.h"
#include "site_decomposition.h"

#include "core/error.h"
#include "core/lattice_frame.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "lattice.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

using namespace LAMMPS_NS;
namespace rk = reval::kernels;

namespace reval_lmp {

ReStatsInterstitials::ReStatsInterstitials(LAMMPS *lmp, const ReStatsSettings &set) :
    m_lmp(lmp), m_enabled(set.itypes != ITypes::none)
{
  load_templates(set);
  if (m_enabled && (lmp->domain->lattice == nullptr || lmp->domain->lattice->style == Lattice::NONE))
    lmp->error->all(FLERR, "fix re/stats: interstitial types need a lattice command (templates are in lattice units)");
  for (auto &t : m_templates) m_labels.push_back(t.label);
  if (m_enabled) capture_lattice();
}

ReStatsInterstitials::~ReStatsInterstitials() = default;

void ReStatsInterstitials::load_templates(const ReStatsSettings &set)
{
  if (set.itypes == ITypes::diamond) m_templates = reval::diamond_templates();
  if (set.itypes != ITypes::file) return;
  std::string msg;
  if (m_lmp->comm->me == 0) {
    std::ifstream in(set.template_file);
    if (!in) {
      msg = "fix re/stats: cannot open template file '" + set.template_file + "': " + std::strerror(errno);
    } else {
      try {
        m_templates = reval::read_defect_templates(in, set.template_file);
      } catch (reval::Error &e) {
        msg = std::string("fix re/stats: ") + e.what();
      }
    }
  }
  error_all_from_root(m_lmp, msg, FLERR);
  broadcast_templates();
}

void ReStatsInterstitials::broadcast_templates()
{
  // every rank needs the labels and sizes for the output vector
  MPI_Comm world = m_lmp->world;
  int nt = static_cast<int>(m_templates.size());
  MPI_Bcast(&nt, 1, MPI_INT, 0, world);
  m_templates.resize(nt);
  for (auto &t : m_templates) {
    int len = static_cast<int>(t.label.size()), no = static_cast<int>(t.offsets.size());
    MPI_Bcast(&len, 1, MPI_INT, 0, world);
    MPI_Bcast(&no, 1, MPI_INT, 0, world);
    t.label.resize(len);
    t.offsets.resize(no);
    MPI_Bcast(&t.label[0], len, MPI_CHAR, 0, world);
    MPI_Bcast(t.offsets.data(), 3 * no, MPI_DOUBLE, 0, world);
  }
}

void ReStatsInterstitials::capture_lattice()
{
  // lattice as defined now, mapped through the current box (used when the sites carry no lattice)
  m_lattice = capture_lattice_map(m_lmp->domain->lattice);
  m_lattice_box = box_geom(m_lmp->domain);
  try {
    reval::InterstitialClassifier check(m_lattice, m_templates, 1.0, 1.0);    // validates lattice and templates now
  } catch (reval::Error &e) {
    m_lmp->error->all(FLERR, std::string("fix re/stats: ") + e.what());
  }
}

std::vector<double> ReStatsInterstitials::local_defect_atoms(ComputeVacancySites *sites, int groupbit) const
{
  const SiteAnalysis &sa = sites->host_analysis();
  const double rvac = sites->rvac();
  const int *mask = m_lmp->atom->mask;
  double **x = m_lmp->atom->x;
  std::vector<double> mine;    // records of 5 doubles: x y z occupies site
  for (int i = 0; i < m_lmp->atom->nlocal; ++i) {
    if (!(mask[i] & groupbit)) continue;
    const rk::NearestTwo &n = sa.nearest[i];
    if (n.s1 < 0) continue;
    const int l = sa.local_of_slot(n.s1);
    const bool on = n.d1 <= rvac;
    if (on && sa.occupancy_of(l) < 2) continue;
    mine.insert(mine.end(), {x[i][0], x[i][1], x[i][2], on ? 1.0 : 0.0, static_cast<double>(sa.gid[l])});
  }
  return mine;
}

std::vector<double> ReStatsInterstitials::local_vacancies(ComputeVacancySites *sites) const
{
  const SiteAnalysis &sa = sites->host_analysis();
  const auto box = box_geom(m_lmp->domain);
  std::vector<double> vac;    // x y z site
  for (int l : sa.vacancies) {
    double xs[3];
    rk::lamda2x(box, &sa.lam[3 * l], xs);
    vac.insert(vac.end(), {xs[0], xs[1], xs[2], static_cast<double>(sa.gid[l])});
  }
  return vac;
}

std::vector<int> ReStatsInterstitials::classify_gathered(ComputeVacancySites *sites,
                                                         const std::vector<double> &all_atoms,
                                                         const std::vector<double> &all_vac) const
{
  const SiteAnalysis &sa = sites->host_analysis();
  std::vector<reval::DefectAtom> atoms;
  for (size_t r = 0; r + 5 <= all_atoms.size(); r += 5)
    atoms.push_back({{all_atoms[r], all_atoms[r + 1], all_atoms[r + 2]}, all_atoms[r + 3] > 0.5 ? 1 : 0,
                     static_cast<int64_t>(all_atoms[r + 4])});
  std::vector<reval::VacantSite> vacancies;
  for (size_t r = 0; r + 4 <= all_vac.size(); r += 4)
    vacancies.push_back({{all_vac[r], all_vac[r + 1], all_vac[r + 2]}, static_cast<int64_t>(all_vac[r + 3])});
  // lattice coordinates <-> current box: through the box the lattice was applied to (sites follow the box)
  const bool sites_lattice = sa.has_lattice;
  const auto box = box_geom(m_lmp->domain);
  const reval::LatticeFrame frame =
      reval::lattice_frame(sites_lattice ? sa.lattice : m_lattice, sites_lattice ? sa.capture_box : m_lattice_box, box);
  const auto c = m_classifier->classify(atoms, vacancies, box, frame);
  std::vector<int> result(m_labels.size() + 2, 0);    // interstitials, per template, other
  result[0] = c.interstitials;
  for (size_t j = 0; j < c.per_template.size(); ++j) result[1 + j] = c.per_template[j];
  result[m_labels.size() + 1] = c.other;
  return result;
}

void ReStatsInterstitials::classify(ComputeVacancySites *sites, int groupbit, double itol, int &n_int,
                                    std::vector<int> &types)
{
  const SiteAnalysis &sa = sites->host_analysis();
  sites->exchange_ghost_occupancy();
  const std::vector<double> all_atoms = gather_to_root(m_lmp, local_defect_atoms(sites, groupbit));
  const std::vector<double> all_vac = gather_to_root(m_lmp, local_vacancies(sites));
  if (!m_classifier) {
    // tolerance 0.275 (V/n)^(1/3) of the reference study; clusters join within 1.1 site spacings
    const Domain *d = m_lmp->domain;
    if (itol <= 0) itol = 0.275 * std::cbrt(d->xprd * d->yprd * d->zprd / static_cast<double>(sa.nsites_total));
    const bool sites_lattice = sa.has_lattice;
    m_classifier.reset(
        new reval::InterstitialClassifier(sites_lattice ? sa.lattice : m_lattice, m_templates, itol, 1.1 * sa.nn_distance));
  }
  std::vector<int> result(m_labels.size() + 2, 0);
  if (m_lmp->comm->me == 0) result = classify_gathered(sites, all_atoms, all_vac);
  MPI_Bcast(result.data(), static_cast<int>(result.size()), MPI_INT, 0, m_lmp->world);
  n_int = result[0];
  types.assign(result.begin() + 1, result.end());
}

}    // namespace reval_lmp
