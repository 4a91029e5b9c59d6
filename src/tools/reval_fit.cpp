// reval-fit: fits linear and quadratic SNAP potentials (the models LAMMPS pair snap and REVAL's
// pair_style snap/model read) to energies and forces of extended XYZ training data, from a
// FitSNAP-format input file plus REVAL's [REVAL] section (rare-event force weights, bootstrap
// committees). doc/reval_fit.md documents the input, the outputs and MPI use.
//
//   reval-fit [--dry-run] [--quiet] [--predictions FILE] INPUT.in
//   mpirun -np N reval-fit INPUT.in        (when built with MPI)
//
// Under MPI the training configurations are split over the ranks round-robin; each rank folds its
// rows into its own O(ncols^2) accumulators, rank 0 merges them in rank order and solves: the result
// does not depend on the number of ranks beyond round-off.
#include "core/error.h"
#include "core/fit_data.h"
#include "core/fit_driver.h"
#include "core/fit_input.h"
#include "core/fit_metrics.h"
#include "core/snap_files.h"
#include "core/text.h"
#include "core/version.h"

#ifdef REVAL_FIT_WITH_MPI
#include <mpi.h>
#endif

#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace reval;

namespace {

int g_rank = 0, g_size = 1;

#ifdef REVAL_FIT_WITH_MPI
const char *const kMpiTag = " (MPI)";
#else
const char *const kMpiTag = " (serial)";
#endif

const char *kUsage =
    "usage: reval-fit [options] INPUT.in\n"
    "Fits a linear or quadratic SNAP potential (FitSNAP-format input, doc/reval_fit.md).\n"
    "  --dry-run           read and check the input and the training data, print what would be fitted\n"
    "  --quiet             print nothing but errors\n"
    "  --predictions FILE  also write every configuration used (training and testing) as extended XYZ\n"
    "                      with the fitted model's energy (info reval_energy), stress (reval_stress, eV/A^3,\n"
    "                      ASE sign) and forces (per-atom reval_forces)\n"
    "  --evaluate COEFF PARAM\n"
    "                      fit nothing: evaluate the existing SNAP potential COEFF.snapcoeff + PARAM.snapparam\n"
    "                      (linear or quadratic, elements = [BISPECTRUM] type) on every configuration of the\n"
    "                      input's groups and write the metrics report (and --predictions)\n"
    "  --metrics FILE      metrics report file (instead of [OUTFILE] metrics)\n"
    "  -h, --help          this text\n"
    "  --version           REVAL version\n"
    "Writes POTENTIAL.snapcoeff and POTENTIAL.snapparam ([OUTFILE] potential), with [REVAL] committee = M\n"
    "also POTENTIAL_1.snapcoeff .. POTENTIAL_M.snapcoeff, and the metrics markdown ([OUTFILE] metrics).\n"
    "Run under mpirun -np N to split the configurations over N ranks (same result).\n";

using text::g17;
std::string fmt(const char *f, double v)
{
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

/// Runs `step` on every rank; if it throws on any rank, the lowest such rank prints its message and
/// every rank gets false (no rank is left waiting in a collective).
bool collective_step(const std::function<void()> &step)
{
  std::string msg;
  try {
    step();
  } catch (const std::exception &e) {
    msg = e.what();
    if (msg.empty()) msg = "unknown error";
  }
  int bad = msg.empty() ? g_size : g_rank, first = bad;
#ifdef REVAL_FIT_WITH_MPI
  MPI_Allreduce(&bad, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
#endif
  if (first == g_size) return true;
  if (g_rank == first) std::cerr << "reval-fit: ERROR: " << msg << std::endl;
  return false;
}

#ifdef REVAL_FIT_WITH_MPI
void send_doubles(const std::vector<double> &v, int dest, int tag)
{
  long long n = static_cast<long long>(v.size());
  MPI_Send(&n, 1, MPI_LONG_LONG, dest, tag, MPI_COMM_WORLD);
  const size_t chunk = 1 << 26;
  for (size_t off = 0; off < v.size(); off += chunk)
    MPI_Send(v.data() + off, static_cast<int>(std::min(chunk, v.size() - off)), MPI_DOUBLE, dest, tag, MPI_COMM_WORLD);
}
std::vector<double> recv_doubles(int src, int tag)
{
  long long n = 0;
  MPI_Recv(&n, 1, MPI_LONG_LONG, src, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  std::vector<double> v(static_cast<size_t>(n));
  const size_t chunk = 1 << 26;
  for (size_t off = 0; off < v.size(); off += chunk)
    MPI_Recv(v.data() + off, static_cast<int>(std::min(chunk, v.size() - off)), MPI_DOUBLE, src, tag, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
  return v;
}
#endif

struct Options {
  bool dry_run = false, quiet = false, evaluate = false;
  std::string input, predictions, metrics, eval_coeff, eval_param;
};

/// Parses the command line; returns -1 to go on, else the exit status.
int parse_args(int argc, char **argv, Options &o)
{
  for (int k = 1; k < argc; ++k) {
    const std::string a = argv[k];
    if (a == "-h" || a == "--help") {
      if (g_rank == 0) std::cout << kUsage;
      return 0;
    } else if (a == "--version") {
      if (g_rank == 0) std::cout << "reval-fit " << std::string(version()) << kMpiTag << "\n";
      return 0;
    } else if (a == "--dry-run") {
      o.dry_run = true;
    } else if (a == "--quiet") {
      o.quiet = true;
    } else if (a == "--predictions" || a == "--metrics") {
      if (k + 1 >= argc) {
        if (g_rank == 0) std::cerr << "reval-fit: ERROR: " << a << " needs a file name\n" << kUsage;
        return 2;
      }
      (a == "--metrics" ? o.metrics : o.predictions) = argv[++k];
    } else if (a == "--evaluate") {
      if (k + 2 >= argc) {
        if (g_rank == 0) std::cerr << "reval-fit: ERROR: --evaluate needs COEFF.snapcoeff PARAM.snapparam\n" << kUsage;
        return 2;
      }
      o.evaluate = true;
      o.eval_coeff = argv[++k];
      o.eval_param = argv[++k];
    } else if (!a.empty() && a[0] == '-') {
      if (g_rank == 0) std::cerr << "reval-fit: ERROR: unknown option '" << a << "'\n" << kUsage;
      return 2;
    } else if (o.input.empty()) {
      o.input = a;
    } else {
      if (g_rank == 0) std::cerr << "reval-fit: ERROR: more than one input file ('" << o.input << "', '" << a << "')\n";
      return 2;
    }
  }
  if (o.input.empty()) {
    if (g_rank == 0) std::cerr << "reval-fit: ERROR: no input file\n" << kUsage;
    return 2;
  }
  return -1;
}

int run(int argc, char **argv)
{
  Options opt;
  const int st = parse_args(argc, argv, opt);
  if (st >= 0) return st;
  const bool talk = g_rank == 0 && !opt.quiet;

  FitInput in;
  std::vector<FitConfig> configs;
  if (!collective_step([&] {
        in = read_fit_input(opt.input);
        configs = load_fit_data(in);
      }))
    return 1;
  long ntrain = 0, ntest = 0, natoms_train = 0, nre = 0;
  for (const FitConfig &c : configs) {
    (c.training ? ntrain : ntest) += 1;
    if (c.training) natoms_train += c.frame.natoms();
    for (int r : c.re) nre += r;
  }
  std::unique_ptr<FitDriver> driver;
  SnapModel model;
  std::vector<FitModel> models;
  if (opt.evaluate) {
    // the potential's own descriptor settings; elements in [BISPECTRUM] type order
    if (!collective_step([&] {
          const SnapPotential pot = load_snap_potential(opt.eval_coeff, opt.eval_param, in.snap.elements);
          FitInput ev = in;
          ev.snap = pot.params;
          ev.quadraticflag = snap_model_kind_name(pot.model.kind()) == "quadratic" ? 1 : 0;
          ev.committee = 0;
          driver = std::make_unique<FitDriver>(ev);
          model = pot.model;
        }))
      return 1;
  } else if (!collective_step([&] { driver = std::make_unique<FitDriver>(in); })) {
    return 1;
  }
  const SnapParams &sp = driver->params();
  if (talk) {
    std::cout << "reval-fit " << std::string(version()) << kMpiTag << ": " << opt.input << "\n";
    if (opt.evaluate) std::cout << "  evaluating " << opt.eval_coeff << " + " << opt.eval_param << " (no fit)\n";
    std::cout << "  " << (driver->quadratic() ? "quadratic" : "linear") << " SNAP, twojmax " << sp.twojmax << ", "
              << sp.nelements() << " element(s), " << driver->ncoeff() << " descriptors, " << driver->ncols()
              << " coefficients";
    if (!opt.evaluate)
      std::cout << " (" << driver->nfitted() << " fitted" << (sp.bzeroflag ? "; bzeroflag 1: beta0 = [ESHIFT]" : "")
                << ")";
    std::cout << "\n  " << in.groups.size() << " group(s): " << ntrain << " training configurations (" << natoms_train
              << " atoms), " << ntest << " testing; " << nre << " rare-event atom(s)\n";
    if (!opt.evaluate)
      std::cout << "  solver " << (in.solver == FitInput::Solver::svd ? "SVD" : "RIDGE (alpha " + g17(in.ridge_alpha) + ")")
                << (in.committee > 0 ? ", committee of " + std::to_string(in.committee) + " bootstrap fits" : "");
    else
      std::cout << "  evaluation";
    std::cout << ", " << g_size << " MPI rank(s)\n";
  }
  if (ntrain == 0 && !opt.evaluate) {
    if (g_rank == 0) std::cerr << "reval-fit: ERROR: " << in.path << ": no training configuration ([GROUPS] sizes)\n";
    return 1;
  }
  if (opt.dry_run) {
    if (talk) std::cout << "  dry run: input and data checked, nothing " << (opt.evaluate ? "evaluated" : "fitted") << "\n";
    return 0;
  }

  if (!opt.evaluate) {
    // 1. rows -> per-rank accumulators -> rank 0, merged in rank order
    if (!collective_step([&] { driver->accumulate(configs, g_rank, g_size); })) return 1;
#ifdef REVAL_FIT_WITH_MPI
    if (g_size > 1) {
      if (g_rank == 0) {
        for (int r = 1; r < g_size; ++r) driver->merge_packed(recv_doubles(r, 11));
      } else {
        send_doubles(driver->pack(), 0, 11);
      }
    }
#endif

    // 2. solve on rank 0, coefficients of fit 0 to every rank (for the predictions)
    std::vector<double> coeffs;
    if (!collective_step([&] {
          if (g_rank == 0) {
            models = driver->solve();
            coeffs = models[0].coeffs;
          }
        }))
      return 1;
#ifdef REVAL_FIT_WITH_MPI
    coeffs.resize(driver->ncols());
    MPI_Bcast(coeffs.data(), driver->ncols(), MPI_DOUBLE, 0, MPI_COMM_WORLD);
#endif
    model = driver->model(coeffs);
  }

  // 3. predictions: configuration k on rank k % size, collected on rank 0 in configuration order
  std::vector<double> mine;    // per own configuration: energy, 3N forces
  if (!collective_step([&] {
        for (size_t k = static_cast<size_t>(g_rank); k < configs.size(); k += static_cast<size_t>(g_size)) {
          const FitPrediction p = driver->predict(model, configs[k].frame, configs[k].source);
          mine.push_back(p.energy);
          mine.insert(mine.end(), p.forces.begin(), p.forces.end());
          mine.insert(mine.end(), p.virial.begin(), p.virial.end());
        }
      }))
    return 1;
  std::vector<std::vector<double>> all(g_size);
  if (g_rank == 0) all[0] = std::move(mine);
#ifdef REVAL_FIT_WITH_MPI
  if (g_size > 1) {
    if (g_rank == 0)
      for (int r = 1; r < g_size; ++r) all[r] = recv_doubles(r, 12);
    else
      send_doubles(mine, 0, 12);
  }
#endif
  if (g_rank != 0) return 0;

  // 4. rank 0 alone: metrics, files, summary (errors here are reported by main's status broadcast)
  try {
    std::vector<std::string> names;
    for (const FitGroup &g : in.groups) names.push_back(g.name);
    FitMetrics metrics(names);
    std::vector<size_t> pos(g_size, 0);
    std::ofstream pred_out;
    if (!opt.predictions.empty()) {
      pred_out.open(opt.predictions);
      if (!pred_out) throw Error("cannot open '" + opt.predictions + "' for writing");
    }
    for (size_t k = 0; k < configs.size(); ++k) {
      const FitConfig &c = configs[k];
      const int r = static_cast<int>(k % static_cast<size_t>(g_size));
      const std::vector<double> &v = all[r];
      FitPrediction p;
      p.energy = v.at(pos[r]);
      const size_t n3 = 3 * static_cast<size_t>(c.frame.natoms());
      p.forces.assign(v.begin() + pos[r] + 1, v.begin() + pos[r] + 1 + n3);
      p.virial.assign(v.begin() + pos[r] + 1 + n3, v.begin() + pos[r] + 7 + n3);
      pos[r] += 7 + n3;
      if (c.training || in.compute_testerrs) metrics.add(c, p);
      if (pred_out.is_open()) {
        XyzFrame f = c.frame;
        f.arrays["reval_forces"] = p.forces;
        f.array_width["reval_forces"] = 3;
        f.info["reval_energy"] = g17(p.energy);
        {    // stress as ASE writes it (3 x 3, eV/A^3, -virial / volume)
          const double vol = frame_volume(f);
          const int full[9] = {0, 5, 4, 5, 1, 3, 4, 3, 2};    // Voigt xx yy zz yz xz xy -> 3 x 3
          std::string st;
          for (int q = 0; q < 9; ++q) st += (q ? " " : "") + g17(-p.virial[full[q]] / vol);
          f.info["reval_stress"] = st;
        }
        f.info["reval_set"] = c.training ? "training" : "testing";
        f.info["reval_group"] = in.groups[c.group].name;
        write_extxyz(pred_out, f);
      }
    }
    if (pred_out.is_open()) {
      pred_out.flush();
      if (!pred_out) throw Error("error writing '" + opt.predictions + "'");
    }

    const std::string name = in.potential_name;
    const std::string metrics_file = opt.metrics.empty() ? in.metrics_file : opt.metrics;
    if (!opt.evaluate) {
      const std::vector<std::string> comment = {"reval-fit " + std::string(version()) + " from " + in.path};
      write_snapparam(name + ".snapparam", in.snap, driver->quadratic(), comment);
      write_snapcoeff(name + ".snapcoeff", in.snap, driver->quadratic(), models[0].coeffs, comment);
      for (size_t m = 1; m < models.size(); ++m) {
        std::vector<std::string> cm = comment;
        cm.push_back("committee member " + std::to_string(m) + " of " + std::to_string(models.size() - 1) +
                     ": bootstrap resample, seed " + std::to_string(in.seed));
        write_snapcoeff(committee_member_file(name, static_cast<int>(m)), in.snap, driver->quadratic(),
                        models[m].coeffs, cm);
      }
    }
    if (!metrics_file.empty()) {
      std::ofstream mo(metrics_file);
      if (!mo) throw Error("cannot open '" + metrics_file + "' for writing (metrics report)");
      if (opt.evaluate) {
        mo << metrics.markdown("reval-fit evaluation: " + opt.eval_coeff);
        mo << "\nPotential: " << opt.eval_coeff << " + " << opt.eval_param << " (no fit).\n";
      } else {
        mo << metrics.markdown("reval-fit metrics: " + name);
        mo << "\nFit: " << driver->nrows() << " weighted rows, " << driver->nfitted()
           << " fitted coefficients, rank " << models[0].solution.rank << ", condition number "
           << fmt("%.3g", models[0].solution.cond) << ".\n";
      }
      mo.flush();
      if (!mo) throw Error("error writing '" + metrics_file + "'");
    }
    if (talk) {
      if (!opt.evaluate)
        std::cout << "  fit: " << driver->nrows() << " rows, rank " << models[0].solution.rank << " of "
                  << driver->nfitted() << ", condition number " << fmt("%.3g", models[0].solution.cond) << "\n";
      for (bool training : {true, false}) {
        const FitMetricsSet &x = metrics.set(-1, training);
        if (x.configs == 0) continue;
        const auto a = x.all.results();
        std::cout << (training ? "  training: " : "  testing:  ") << "energy RMSE "
                  << fmt("%.6g", a[ForceErrorStats::ENERGY_RMSE_PER_ATOM]) << " eV/atom, force RMSE "
                  << fmt("%.6g", a[ForceErrorStats::RMSE_COMPONENTS]) << " eV/A"
                  << (x.stress_n ? ", stress RMSE " + fmt("%.6g", x.stress_rmse()) + " bar" : "") << "\n";
      }
      std::vector<std::string> files;
      if (!opt.evaluate) {
        files = {name + ".snapcoeff", name + ".snapparam"};
        if (models.size() > 1)
          files.push_back(committee_member_file(name, 1) + " .. " +
                          committee_member_file(name, static_cast<int>(models.size() - 1)));
      }
      if (!metrics_file.empty()) files.push_back(metrics_file);
      if (!opt.predictions.empty()) files.push_back(opt.predictions);
      std::string list;
      for (const auto &f : files) list += (list.empty() ? "" : ", ") + f;
      std::cout << "  wrote " << (list.empty() ? std::string("nothing") : list) << "\n";
    }
  } catch (const std::exception &e) {
    std::cerr << "reval-fit: ERROR: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}

}    // namespace

int main(int argc, char **argv)
{
#ifdef REVAL_FIT_WITH_MPI
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
#endif
  int status = 1;
  try {
    status = run(argc, argv);
  } catch (const std::exception &e) {
    std::cerr << "reval-fit: ERROR: " << e.what() << std::endl;
#ifdef REVAL_FIT_WITH_MPI
    if (g_size > 1) MPI_Abort(MPI_COMM_WORLD, 1);
#endif
    status = 1;
  }
#ifdef REVAL_FIT_WITH_MPI
  // a failure seen on rank 0 alone (step 4) must give a non-zero status on every rank's exit
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Finalize();
#endif
  return status;
}
