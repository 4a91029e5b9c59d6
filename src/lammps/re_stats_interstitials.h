/// @file re_stats_interstitials.h
/// The interstitial part of fix re/stats: templates (diamond, or a file read on rank 0 and broadcast),
/// the lattice as defined when the fix was created, and one classification per sample: the defect
/// atoms and vacant sites of every rank gathered on rank 0, classified there by
/// reval::InterstitialClassifier through the lattice frame of the current box, counts broadcast.
#pragma once

#include "re_stats_settings.h"

#include "core/interstitials.h"
#include "kernels/point/box_math.hpp"

#include <memory>
#include <string>
#include <vector>

namespace LAMMPS_NS {
class LAMMPS;
class ComputeVacancySites;
}    // namespace LAMMPS_NS

namespace reval_lmp {

class ReStatsInterstitials {
 public:
  /// Loads the templates of `set.itypes` and captures the lattice (ERROR on a bad file, no lattice, or
  /// a lattice / templates the classifier cannot use). With itypes none: no templates, classify() off.
  ReStatsInterstitials(LAMMPS_NS::LAMMPS *lmp, const ReStatsSettings &set);
  ~ReStatsInterstitials();

  bool enabled() const { return m_enabled; }
  const std::vector<std::string> &labels() const { return m_labels; }

  /// Classifies the interstitials of the group (collective): n_int interstitial defects; types[j]
  /// matches of template j, types[labels().size()] the others. `itol` <= 0: 0.275 (V/n)^(1/3).
  void classify(LAMMPS_NS::ComputeVacancySites *sites, int groupbit, double itol, int &n_int,
                std::vector<int> &types);

 private:
  void load_templates(const ReStatsSettings &set);
  void broadcast_templates();
  void capture_lattice();
  /// Defect atoms (off every site, or sharing a site) of this rank's group atoms: x y z occupies site.
  std::vector<double> local_defect_atoms(LAMMPS_NS::ComputeVacancySites *sites, int groupbit) const;
  /// Vacant sites owned by this rank: x y z site.
  std::vector<double> local_vacancies(LAMMPS_NS::ComputeVacancySites *sites) const;
  /// On rank 0: the classification of the gathered records; {interstitials, per template..., other}.
  std::vector<int> classify_gathered(LAMMPS_NS::ComputeVacancySites *sites, const std::vector<double> &all_atoms,
                                     const std::vector<double> &all_vac) const;

  LAMMPS_NS::LAMMPS *m_lmp;
  bool m_enabled = false;
  std::vector<reval::DefectTemplate> m_templates;
  std::vector<std::string> m_labels;
  reval::LatticeMap m_lattice;                    ///< the lattice when the fix was created
  reval::kernels::BoxGeom m_lattice_box{};        ///< the box it was applied to
  std::unique_ptr<reval::InterstitialClassifier> m_classifier;    ///< built at the first classification
};

}    // namespace reval_lmp
