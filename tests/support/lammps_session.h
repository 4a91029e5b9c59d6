/// @file lammps_session.h
/// Test helpers that run LAMMPS with the REVAL plugin, so that tests stay short:
///  - LammpsSession: an in-process LAMMPS (library interface) with `plugin load` done, and again
///    after every `clear` (LAMMPS before 12 Jun 2025 unloads plugins on clear); commands throw
///    std::runtime_error carrying the LAMMPS ERROR text; compute/variable/thermo values read back.
///  - run_lmp(): the lmp executable in a subprocess, optionally under `mpirun -np N`, returning
///    the exit status, the screen output, the last thermo row and every `print "@@ name = value"`.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace LAMMPS_NS {
class LAMMPS;
}

namespace reval::test {

/// Path of revalplugin.so under test ($REVAL_PLUGIN, else the one this build produced).
std::string plugin_path();
/// The lmp executable of the LAMMPS build ($REVAL_LMP, else the configured one).
std::string lmp_path();
/// Folder with LAMMPS potential files ($LAMMPS_POTENTIALS, else Debian's lammps-data folder).
std::string potentials_dir();
/// Folder with the shared public data (../shared/data); empty if it does not exist.
std::string shared_data_dir();
/// REVAL source tree (examples, potentials); the environment variable REVAL_SOURCE_DIR overrides it.
std::string source_dir();
/// A fresh, empty temporary folder (removed at process exit).
std::string make_temp_dir(const std::string &tag);
/// True if this LAMMPS has the package (e.g. "KOKKOS", "ML-SNAP").
bool lammps_has_package(const std::string &name);
/// True if the plugin was built with Kokkos styles (REVAL_ENABLE_KOKKOS).
bool plugin_has_kokkos();
/// True if LAMMPS' Kokkos has a GPU backend (CUDA, HIP or SYCL).
bool lammps_kokkos_gpu();
/// True if LAMMPS is built with an MPI library (false with its MPI stubs, as the GPU kit's build): runs at
/// several ranks (LmpOptions::np > 1) need it.
bool lammps_has_mpi();
/// For loops over rank counts: true if runs at `np` ranks can be made here; else prints why they are
/// skipped (LAMMPS with its MPI stubs) and returns false.
bool ranks_available(int np);
/// LAMMPS arguments that run the /kk styles: $REVAL_KOKKOS_ARGS if set; else on a GPU build of LAMMPS
/// "-k on g 1 -sf kk -pk kokkos newton on neigh half"; else "-k on t <threads> -sf kk" (OpenMP).
std::vector<std::string> kokkos_args(int threads);
/// kokkos_args() for runs whose trajectory is compared with another run's: on a GPU build also
/// "comm host", since LAMMPS' device communication orders ghost atoms nondeterministically (atomic
/// counters), which changes the order of force sums and so the trajectory in its last bits, run to run.
/// (Use it with host pair styles and integrators: the /kk pair styles sum forces with atomics on a GPU.)
std::vector<std::string> kokkos_args_reproducible(int threads);
/// Why the /kk styles cannot run here ("" if they can): no KOKKOS in LAMMPS, a plugin without Kokkos,
/// or a GPU build of LAMMPS on a machine without a usable GPU (probed once per process with lmp).
/// Tests use REVAL_REQUIRE_KOKKOS() (tests/support/require_kokkos.h).
/// With need_plugin_kokkos = false, a plugin without Kokkos styles is fine (it still loads under -k on).
std::string kokkos_unavailable(bool need_plugin_kokkos = true);

class LammpsSession {
 public:
  /// `extra_args` are LAMMPS command-line arguments, e.g. {"-k","on","t","2","-sf","kk"}.
  explicit LammpsSession(const std::vector<std::string> &extra_args = {}, bool load_plugin = true);
  ~LammpsSession();
  LammpsSession(const LammpsSession &) = delete;
  LammpsSession &operator=(const LammpsSession &) = delete;

  LAMMPS_NS::LAMMPS *lmp() const { return m_lmp; }

  /// One command (throws std::runtime_error with the LAMMPS ERROR message on failure).
  void command(const std::string &line);
  /// Several commands, one per line ('&' continuation lines joined, '#' comments allowed).
  void commands(const std::string &block);
  /// Runs `block` and returns the ERROR message it stops with, or "" if it runs through.
  std::string error_of(const std::string &block);

  void load_plugin();
  /// `clear`, then `plugin load` again.
  void clear();

  /// Screen output so far / since the last take_output().
  std::string output();
  std::string take_output();
  /// Working folder of this session (files written by tests go here).
  const std::string &dir() const { return m_dir; }
  std::string path(const std::string &name) const { return m_dir + "/" + name; }

  double compute_scalar(const std::string &id);
  std::vector<double> compute_vector(const std::string &id);
  /// Global array of a compute, rows x cols.
  std::vector<std::vector<double>> compute_array(const std::string &id);
  /// Per-atom vector or array column (1-based col, 0 = per-atom vector), indexed by atom ID (tag).
  std::map<long, double> compute_peratom(const std::string &id, int col = 0);
  /// Local array of a compute (rows x cols), this rank's rows.
  std::vector<std::vector<double>> compute_local(const std::string &id);
  double fix_scalar(const std::string &id);
  /// Per-atom vector (col 0) or array column (1-based) of a fix, indexed by atom ID.
  std::map<long, double> fix_peratom(const std::string &id, int col = 0);
  double fix_vector(const std::string &id, int i);
  /// Evaluates an equal-style formula, e.g. "c_vac" or "pe/atoms".
  double equal(const std::string &formula);
  double thermo(const std::string &keyword);
  bool has_style(const std::string &category, const std::string &name);
  /// The style of the instance `id` of a "compute" or "fix" ("(none)" if there is none), or of the pair
  /// style (kind "pair", id ignored): whether a suffix such as kk applied. (The plugin's load banner
  /// names every style it registers, so the output cannot tell.)
  std::string style_of(const std::string &kind, const std::string &id = "");
  /// The pair style, or the hybrid sub-style, whose name contains `style` (e.g. "snap/model"): 1 if it
  /// is a Kokkos style (a suffix kk applied, also to hybrid sub-styles), 0 if not, -1 if there is none.
  int pair_kokkosable(const std::string &style);

 private:
  LAMMPS_NS::LAMMPS *m_lmp = nullptr;
  std::string m_dir, m_screen;
  std::vector<std::string> m_args;
  size_t m_taken = 0;
  bool m_plugin = true;
};

struct LmpOptions {
  int np = 1;                                  ///< MPI ranks (mpirun -np; 1 runs lmp directly)
  std::vector<std::string> args;               ///< extra lmp arguments, e.g. {"-k","on","t","2","-sf","kk"}
  std::map<std::string, std::string> vars;     ///< -var name value
  std::string workdir;                         ///< run folder (default: a fresh temporary folder)
  std::map<std::string, std::string> files;    ///< extra files written into workdir before the run
  int timeout_s = 600;
  bool load_plugin = true;                     ///< prepend "plugin load ${plugin}" unless the input has one
};

struct LmpRun {
  int status = -1;                             ///< exit status of lmp (or mpirun)
  std::string output;                          ///< stdout + stderr
  std::string workdir;
  std::map<std::string, std::string> values;   ///< from lines "@@ name = value"
  std::vector<std::string> thermo_header;      ///< last thermo block's column names
  std::vector<double> thermo_last;             ///< ... and its last row

  bool ok() const { return status == 0 && output.find("ERROR") == std::string::npos; }
  /// Numeric value printed as "@@ name = value" (throws if absent).
  double value(const std::string &name) const;
  /// Column of the last thermo row (throws if absent).
  double thermo(const std::string &column) const;
  /// The first line containing "ERROR", or "".
  std::string error_line() const;
};

/// Runs `input` (the text of an input script) with the lmp executable; the plugin path is passed as
/// `-var plugin <path>` and LAMMPS_POTENTIALS is set.
LmpRun run_lmp(const std::string &input, const LmpOptions &opt = {});

/// Writes to `dest` a copy of the .snapcoeff file `source` with every coefficient c replaced by
/// c (1 + eps sin(1.7 k + seed)) (k = coefficient number): a committee member for tests. Returns dest.
std::string perturbed_snapcoeff(const std::string &source, const std::string &dest, double eps, int seed);

/// Reads a whole text file ("" if it cannot be read).
std::string read_file(const std::string &path);

}    // namespace reval::test
