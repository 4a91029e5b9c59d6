// Plugin entry point: `plugin load revalplugin.so` calls lammpsplugin_init(), which registers the
// REVAL styles (plain, and /kk, /kk/device, /kk/host in a KOKKOS build) with LAMMPS.
// Only styles that exist and work are registered.
#include "plugin_info.h"

#include "command_reval.h"
#include "compute_committee_atom.h"
#include "compute_force_error.h"
#include "compute_re_atom.h"
#include "compute_vacancy_sites.h"
#include "fix_force_error_report.h"
#include "fix_re_harvest.h"
#include "fix_re_stats.h"
#include "pair_snap_model.h"
#ifdef REVAL_ENABLE_KOKKOS
#include "kokkos/compute_force_error_kokkos.h"
#include "kokkos/compute_re_atom_kokkos.h"
#include "kokkos/compute_vacancy_sites_kokkos.h"
#include "kokkos/fix_re_harvest_kokkos.h"
#include "kokkos/fix_re_stats_kokkos.h"
#include "kokkos/pair_snap_model_kokkos.h"
#endif

#include "comm.h"
#include "lammps.h"
#include "lammpsplugin.h"
#include "utils.h"
#include "version.h"

using namespace LAMMPS_NS;

#ifdef REVAL_ENABLE_KOKKOS
// the host instantiation exists only when the device is not the host (LAMMPS' rule)
#ifdef LMP_KOKKOS_GPU
#define REVAL_KK_HOST LMPHostType
#else
#define REVAL_KK_HOST LMPDeviceType
#endif
#endif

namespace {

template <class T>
Compute *compute_creator(LAMMPS *lmp, int narg, char **arg)
{
  return new T(lmp, narg, arg);
}

template <class T>
Pair *pair_creator(LAMMPS *lmp)
{
  return new T(lmp);
}

Command *command_creator(LAMMPS *lmp)
{
  return new CommandReval(lmp);
}

template <class T>
Fix *fix_creator(LAMMPS *lmp, int narg, char **arg)
{
  return new T(lmp, narg, arg);
}

struct StyleEntry {
  const char *style, *name, *info;
  lammpsplugin_factory1 *v1;
  lammpsplugin_factory2 *v2;
};

// Only styles that exist and work are listed here.
const StyleEntry kStyles[] = {
    {"compute", "vacancy/sites", "REVAL: static lattice sites, vacancies, occupancy", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&compute_creator<ComputeVacancySites>)},
    {"compute", "re/atom", "REVAL: per-atom migrating flag and distances to sites, vacancies, migrating atoms",
     nullptr, reinterpret_cast<lammpsplugin_factory2 *>(&compute_creator<ComputeREAtom>)},
    {"compute", "force/error", "REVAL: force errors vs reference forces, CDFs, NAC, P score, calibration", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&compute_creator<ComputeForceError>)},
    {"fix", "re/stats", "REVAL: TMSD, diffusivity with error bars, hops, interstitial-type occurrence", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&fix_creator<FixREStats>)},
    {"fix", "re/harvest", "REVAL: harvest rare-event and uncertain configurations for DFT labelling", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&fix_creator<FixREHarvest>)},
    {"pair", "snap/model", "REVAL: linear, quadratic and NN SNAP models and committees of them",
     reinterpret_cast<lammpsplugin_factory1 *>(&pair_creator<PairSNAPModel>), nullptr},
#ifdef REVAL_ENABLE_KOKKOS
    {"compute", "vacancy/sites/kk", "REVAL: compute vacancy/sites, Kokkos (device)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&compute_creator<ComputeVacancySitesKokkos<LMPDeviceType>>)},
    {"compute", "vacancy/sites/kk/device", "REVAL: compute vacancy/sites, Kokkos (device)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&compute_creator<ComputeVacancySitesKokkos<LMPDeviceType>>)},
    {"compute", "vacancy/sites/kk/host", "REVAL: compute vacancy/sites, Kokkos (host)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&compute_creator<ComputeVacancySitesKokkos<REVAL_KK_HOST>>)},
    {"compute", "force/error/kk", "REVAL: compute force/error, Kokkos (device)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&compute_creator<ComputeForceErrorKokkos<LMPDeviceType>>)},
    {"compute", "force/error/kk/device", "REVAL: compute force/error, Kokkos (device)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&compute_creator<ComputeForceErrorKokkos<LMPDeviceType>>)},
    {"compute", "force/error/kk/host", "REVAL: compute force/error, Kokkos (host)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&compute_creator<ComputeForceErrorKokkos<REVAL_KK_HOST>>)},
    {"compute", "re/atom/kk", "REVAL: compute re/atom, Kokkos (device)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&compute_creator<ComputeREAtomKokkos<LMPDeviceType>>)},
    {"compute", "re/atom/kk/device", "REVAL: compute re/atom, Kokkos (device)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&compute_creator<ComputeREAtomKokkos<LMPDeviceType>>)},
    {"compute", "re/atom/kk/host", "REVAL: compute re/atom, Kokkos (host)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&compute_creator<ComputeREAtomKokkos<REVAL_KK_HOST>>)},
    {"fix", "re/stats/kk", "REVAL: fix re/stats, Kokkos (device)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&fix_creator<FixREStatsKokkos<LMPDeviceType>>)},
    {"fix", "re/stats/kk/device", "REVAL: fix re/stats, Kokkos (device)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&fix_creator<FixREStatsKokkos<LMPDeviceType>>)},
    {"fix", "re/stats/kk/host", "REVAL: fix re/stats, Kokkos (host)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&fix_creator<FixREStatsKokkos<REVAL_KK_HOST>>)},
    {"fix", "re/harvest/kk", "REVAL: fix re/harvest, Kokkos (device)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&fix_creator<FixREHarvestKokkos<LMPDeviceType>>)},
    {"fix", "re/harvest/kk/device", "REVAL: fix re/harvest, Kokkos (device)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&fix_creator<FixREHarvestKokkos<LMPDeviceType>>)},
    {"fix", "re/harvest/kk/host", "REVAL: fix re/harvest, Kokkos (host)", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&fix_creator<FixREHarvestKokkos<REVAL_KK_HOST>>)},
    {"pair", "snap/model/kk", "REVAL: pair snap/model, Kokkos (device)",
     reinterpret_cast<lammpsplugin_factory1 *>(&pair_creator<PairSNAPModelKokkos<LMPDeviceType>>), nullptr},
    {"pair", "snap/model/kk/device", "REVAL: pair snap/model, Kokkos (device)",
     reinterpret_cast<lammpsplugin_factory1 *>(&pair_creator<PairSNAPModelKokkos<LMPDeviceType>>), nullptr},
#ifdef LMP_KOKKOS_GPU
    {"pair", "snap/model/kk/host", "REVAL: pair snap/model, Kokkos (host)",
     reinterpret_cast<lammpsplugin_factory1 *>(&pair_creator<PairSNAPModelKokkos<LMPHostType>>), nullptr},
#else
    {"pair", "snap/model/kk/host", "REVAL: pair snap/model, Kokkos (host)",
     reinterpret_cast<lammpsplugin_factory1 *>(&pair_creator<PairSNAPModelKokkos<LMPDeviceType>>), nullptr},
#endif
#endif
    {"compute", "committee/atom", "REVAL: per-atom committee uncertainties sigma_E, sigma_F of pair snap/model",
     nullptr, reinterpret_cast<lammpsplugin_factory2 *>(&compute_creator<ComputeCommitteeAtom>)},
    {"command", "reval", "REVAL: reval info | reval reset COMPUTE-ID",
     reinterpret_cast<lammpsplugin_factory1 *>(&command_creator), nullptr},
    {"fix", "REVAL/FE/REPORT", "REVAL internal: writes compute force/error reports", nullptr,
     reinterpret_cast<lammpsplugin_factory2 *>(&fix_creator<FixForceErrorReport>)},
};

}    // namespace

extern "C" void lammpsplugin_init(void *lmpptr, void *handle, void *regfunc)
{
  auto *lmp = static_cast<LAMMPS *>(lmpptr);
  auto register_plugin = reinterpret_cast<lammpsplugin_regfunc>(regfunc);
  reval_lmp::check_lammps_version(lmp);

  std::string names;
  for (const auto &s : kStyles) {
    lammpsplugin_t plugin;
    plugin.version = LAMMPS_VERSION;
    plugin.style = s.style;
    plugin.name = s.name;
    plugin.info = s.info;
    plugin.author = "REVAL developers";
    if (s.v1)
      plugin.creator.v1 = s.v1;
    else
      plugin.creator.v2 = s.v2;
    plugin.handle = handle;
    (*register_plugin)(&plugin, lmp);
    if (std::string(s.name).find("REVAL/") != 0) names += std::string(names.empty() ? "" : ", ") + s.style + " " + s.name;
  }
  if (lmp->comm->me == 0) utils::logmesg(lmp, reval_lmp::plugin_banner(lmp) + "\n  styles: " + names + "\n");
}
