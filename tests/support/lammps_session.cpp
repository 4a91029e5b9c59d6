#include "lammps_session.h"

#include "atom.h"
#include "compute.h"
#include "fix.h"
#include "force.h"
#include "pair.h"
#include "input.h"
#include "lammps.h"
#include "modify.h"
#include "library.h"

#include <mpi.h>

#include <unistd.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace reval::test {

namespace {

std::string env_or(const char *name, const std::string &fallback)
{
  const char *v = std::getenv(name);
  return (v && *v) ? std::string(v) : fallback;
}

std::vector<std::string> &temp_dirs()
{
  static std::vector<std::string> dirs;
  return dirs;
}

void remove_temp_dirs()
{
  if (std::getenv("REVAL_KEEP_TEMP")) return;
  std::error_code ec;
  for (auto &d : temp_dirs()) fs::remove_all(d, ec);
}

std::string shell_quote(const std::string &s)
{
  std::string q = "'";
  for (char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  return q + "'";
}

// Joins '&' continuation lines and drops blank/comment-only lines.
std::vector<std::string> split_commands(const std::string &block)
{
  std::vector<std::string> out;
  std::istringstream in(block);
  std::string line, cur;
  while (std::getline(in, line)) {
    auto end = line.find_last_not_of(" \t\r");
    if (end != std::string::npos && line[end] == '&') {
      cur += line.substr(0, end) + " ";
      continue;
    }
    cur += line;
    auto first = cur.find_first_not_of(" \t");
    if (first != std::string::npos && cur[first] != '#') out.push_back(cur);
    cur.clear();
  }
  if (cur.find_first_not_of(" \t") != std::string::npos) out.push_back(cur);
  return out;
}

}    // namespace

std::string plugin_path()
{
  return env_or("REVAL_PLUGIN", REVAL_TEST_PLUGIN);
}

std::string lmp_path()
{
  return env_or("REVAL_LMP", REVAL_TEST_LMP);
}

std::string potentials_dir()
{
  return env_or("LAMMPS_POTENTIALS", "/usr/share/lammps/potentials");
}

std::string source_dir()
{
  // REVAL_SOURCE_DIR in the environment: test executables moved to another machine (tools/gpu bundle)
  return env_or("REVAL_SOURCE_DIR", REVAL_SOURCE_DIR);
}

std::string shared_data_dir()
{
  std::string d = env_or("REVAL_SHARED_DATA", REVAL_SHARED_DATA_DIR);
  std::error_code ec;
  return fs::is_directory(d, ec) ? d : std::string();
}

std::string make_temp_dir(const std::string &tag)
{
  std::string tmpl = (fs::temp_directory_path() / ("reval-" + tag + "-XXXXXX")).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed for " + tmpl);
  auto &dirs = temp_dirs();    // constructed before the atexit handler is registered: outlives it
  static std::once_flag once;
  std::call_once(once, [] { std::atexit(remove_temp_dirs); });
  dirs.emplace_back(buf.data());
  return temp_dirs().back();
}

bool lammps_has_package(const std::string &name)
{
  return lammps_config_has_package(name.c_str()) != 0;
}

bool plugin_has_kokkos()
{
#ifdef REVAL_ENABLE_KOKKOS
  return true;
#else
  return false;
#endif
}

std::string read_file(const std::string &path)
{
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool lammps_kokkos_gpu()
{
  for (const char *api : {"cuda", "hip", "sycl"})
    if (lammps_config_accelerator("KOKKOS", "api", api)) return true;
  return false;
}

bool lammps_has_mpi()
{
  return lammps_config_has_mpi_support() != 0;
}

bool ranks_available(int np)
{
  if (np <= 1 || lammps_has_mpi()) return true;
  std::printf("[ skipped  ] the runs at %d ranks: LAMMPS is built with its MPI stubs\n", np);
  return false;
}

std::vector<std::string> kokkos_args(int threads)
{
  std::vector<std::string> a;
  if (const char *env = std::getenv("REVAL_KOKKOS_ARGS")) {
    std::istringstream in(env);
    for (std::string w; in >> w;) a.push_back(w);
    if (!a.empty()) return a;
  }
  if (lammps_kokkos_gpu()) return {"-k", "on", "g", "1", "-sf", "kk", "-pk", "kokkos", "newton", "on", "neigh", "half"};
  return {"-k", "on", "t", std::to_string(threads), "-sf", "kk"};
}

std::vector<std::string> kokkos_args_reproducible(int threads)
{
  std::vector<std::string> a = kokkos_args(threads);
  if (lammps_kokkos_gpu() && !std::getenv("REVAL_KOKKOS_ARGS")) a.insert(a.end(), {"comm", "host"});
  return a;
}

std::string kokkos_unavailable(bool need_plugin_kokkos)
{
  if (!lammps_has_package("KOKKOS")) return "LAMMPS has no KOKKOS package";
  if (need_plugin_kokkos && !plugin_has_kokkos()) return "plugin built without Kokkos";
  // a GPU build of LAMMPS needs a GPU: try once, in a subprocess (Kokkos may abort the process)
  static const std::string gpu_problem = [] {
    if (!lammps_kokkos_gpu()) return std::string();
    LmpOptions o;
    o.args = kokkos_args(1);
    o.load_plugin = false;
    o.timeout_s = 120;
    const LmpRun r = run_lmp("print \"@@ ok = 1\"\n", o);
    if (r.ok() && r.values.count("ok")) return std::string();
    // the LAMMPS ERROR, else the exception Kokkos terminated with (e.g. no CUDA driver), else the last line
    std::string why = r.error_line(), last;
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);) {
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      last = line;
      if (why.empty() && line.find("what():") != std::string::npos) why = line.substr(line.find("what():") + 8);
    }
    if (why.empty()) why = last.empty() ? "no output" : last;
    return "LAMMPS' Kokkos is built for a GPU, but none is usable here: " + why;
  }();
  return gpu_problem;
}

std::string perturbed_snapcoeff(const std::string &source, const std::string &dest, double eps, int seed)
{
  std::ifstream in(source);
  if (!in) throw std::runtime_error("perturbed_snapcoeff: cannot read " + source);
  std::ostringstream out;
  out.precision(17);
  std::string line;
  int header = 0, k = 0;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::vector<std::string> w;
    for (std::string t; ls >> t;) w.push_back(t);
    // comments, the "nelements ncoeff" line and each element's "name radius weight" line are kept
    if (w.empty() || w[0][0] == '#' || header < 2 || w.size() != 1) {
      if (!w.empty() && w[0][0] != '#') ++header;
      out << line << "\n";
      continue;
    }
    out << std::stod(w[0]) * (1.0 + eps * std::sin(1.7 * (k++) + seed)) << "\n";
  }
  std::ofstream(dest) << out.str();
  return dest;
}

// ---------------------------------------------------------------- LammpsSession

LammpsSession::LammpsSession(const std::vector<std::string> &extra_args, bool load) : m_plugin(load)
{
  if (!std::getenv("LAMMPS_POTENTIALS")) setenv("LAMMPS_POTENTIALS", potentials_dir().c_str(), 1);
  m_dir = make_temp_dir("session");
  m_screen = m_dir + "/screen.txt";
  m_args = {"reval_test", "-log", "none", "-echo", "screen", "-nocite", "-screen", m_screen};
  m_args.insert(m_args.end(), extra_args.begin(), extra_args.end());
  std::vector<char *> argv;
  for (auto &a : m_args) argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  m_lmp = new LAMMPS_NS::LAMMPS(static_cast<int>(m_args.size()), argv.data(), MPI_COMM_WORLD);
  if (m_plugin) load_plugin();
}

LammpsSession::~LammpsSession()
{
  delete m_lmp;
}

void LammpsSession::command(const std::string &line)
{
  try {
    m_lmp->input->one(line);
  } catch (std::exception &e) {
    std::string msg = e.what();
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    if (msg.empty()) msg = "LAMMPS error (no message) in: " + line;
    throw std::runtime_error(msg);
  }
}

void LammpsSession::commands(const std::string &block)
{
  for (auto &c : split_commands(block)) command(c);
}

std::string LammpsSession::error_of(const std::string &block)
{
  try {
    commands(block);
  } catch (std::runtime_error &e) {
    return e.what();
  }
  return "";
}

void LammpsSession::load_plugin()
{
  command("plugin load " + plugin_path());
}

void LammpsSession::clear()
{
  command("clear");
  if (m_plugin) load_plugin();
}

std::string LammpsSession::output()
{
  if (m_lmp && m_lmp->screen) fflush(m_lmp->screen);
  return read_file(m_screen);
}

std::string LammpsSession::take_output()
{
  std::string all = output();
  std::string out = m_taken < all.size() ? all.substr(m_taken) : std::string();
  m_taken = all.size();
  return out;
}

double LammpsSession::compute_scalar(const std::string &id)
{
  auto *p = static_cast<double *>(lammps_extract_compute(m_lmp, id.c_str(), LMP_STYLE_GLOBAL, LMP_TYPE_SCALAR));
  if (!p) throw std::runtime_error("compute " + id + " has no global scalar");
  return *p;
}

std::vector<double> LammpsSession::compute_vector(const std::string &id)
{
  auto *p = static_cast<double *>(lammps_extract_compute(m_lmp, id.c_str(), LMP_STYLE_GLOBAL, LMP_TYPE_VECTOR));
  auto *n = static_cast<int *>(lammps_extract_compute(m_lmp, id.c_str(), LMP_STYLE_GLOBAL, LMP_SIZE_VECTOR));
  if (!p || !n) throw std::runtime_error("compute " + id + " has no global vector");
  return std::vector<double>(p, p + *n);
}

std::vector<std::vector<double>> LammpsSession::compute_array(const std::string &id)
{
  auto **p = static_cast<double **>(lammps_extract_compute(m_lmp, id.c_str(), LMP_STYLE_GLOBAL, LMP_TYPE_ARRAY));
  auto *r = static_cast<int *>(lammps_extract_compute(m_lmp, id.c_str(), LMP_STYLE_GLOBAL, LMP_SIZE_ROWS));
  auto *c = static_cast<int *>(lammps_extract_compute(m_lmp, id.c_str(), LMP_STYLE_GLOBAL, LMP_SIZE_COLS));
  if (!p || !r || !c) throw std::runtime_error("compute " + id + " has no global array");
  std::vector<std::vector<double>> out(*r, std::vector<double>(*c));
  for (int i = 0; i < *r; ++i)
    for (int j = 0; j < *c; ++j) out[i][j] = p[i][j];
  return out;
}

std::map<long, double> LammpsSession::compute_peratom(const std::string &id, int col)
{
  std::map<long, double> out;
  int nlocal = m_lmp->atom->nlocal;
  auto *tag = m_lmp->atom->tag;
  if (col == 0) {
    auto *p = static_cast<double *>(lammps_extract_compute(m_lmp, id.c_str(), LMP_STYLE_ATOM, LMP_TYPE_VECTOR));
    if (!p) throw std::runtime_error("compute " + id + " has no per-atom vector");
    for (int i = 0; i < nlocal; ++i) out[static_cast<long>(tag[i])] = p[i];
  } else {
    auto **p = static_cast<double **>(lammps_extract_compute(m_lmp, id.c_str(), LMP_STYLE_ATOM, LMP_TYPE_ARRAY));
    if (!p) throw std::runtime_error("compute " + id + " has no per-atom array");
    for (int i = 0; i < nlocal; ++i) out[static_cast<long>(tag[i])] = p[i][col - 1];
  }
  return out;
}

std::vector<std::vector<double>> LammpsSession::compute_local(const std::string &id)
{
  auto *r = static_cast<int *>(lammps_extract_compute(m_lmp, id.c_str(), LMP_STYLE_LOCAL, LMP_SIZE_ROWS));
  auto *c = static_cast<int *>(lammps_extract_compute(m_lmp, id.c_str(), LMP_STYLE_LOCAL, LMP_SIZE_COLS));
  if (!r || !c) throw std::runtime_error("compute " + id + " has no local data");
  std::vector<std::vector<double>> out(*r, std::vector<double>(*c));
  if (*c == 0) {
    auto *v = static_cast<double *>(lammps_extract_compute(m_lmp, id.c_str(), LMP_STYLE_LOCAL, LMP_TYPE_VECTOR));
    for (int i = 0; i < *r; ++i) out[i] = {v[i]};
  } else {
    auto **a = static_cast<double **>(lammps_extract_compute(m_lmp, id.c_str(), LMP_STYLE_LOCAL, LMP_TYPE_ARRAY));
    for (int i = 0; i < *r; ++i)
      for (int j = 0; j < *c; ++j) out[i][j] = a[i][j];
  }
  return out;
}

std::map<long, double> LammpsSession::fix_peratom(const std::string &id, int col)
{
  std::map<long, double> out;
  int nlocal = m_lmp->atom->nlocal;
  auto *tag = m_lmp->atom->tag;
  if (col == 0) {
    auto *p = static_cast<double *>(lammps_extract_fix(m_lmp, id.c_str(), LMP_STYLE_ATOM, LMP_TYPE_VECTOR, 0, 0));
    if (!p) throw std::runtime_error("fix " + id + " has no per-atom vector");
    for (int i = 0; i < nlocal; ++i) out[static_cast<long>(tag[i])] = p[i];
  } else {
    auto **p = static_cast<double **>(lammps_extract_fix(m_lmp, id.c_str(), LMP_STYLE_ATOM, LMP_TYPE_ARRAY, 0, 0));
    if (!p) throw std::runtime_error("fix " + id + " has no per-atom array");
    for (int i = 0; i < nlocal; ++i) out[static_cast<long>(tag[i])] = p[i][col - 1];
  }
  return out;
}

double LammpsSession::fix_scalar(const std::string &id)
{
  auto *p = static_cast<double *>(lammps_extract_fix(m_lmp, id.c_str(), LMP_STYLE_GLOBAL, LMP_TYPE_SCALAR, 0, 0));
  if (!p) throw std::runtime_error("fix " + id + " has no global scalar");
  double v = *p;
  lammps_free(p);
  return v;
}

double LammpsSession::fix_vector(const std::string &id, int i)
{
  auto *p = static_cast<double *>(lammps_extract_fix(m_lmp, id.c_str(), LMP_STYLE_GLOBAL, LMP_TYPE_VECTOR, i, 0));
  if (!p) throw std::runtime_error("fix " + id + " has no global vector element " + std::to_string(i));
  double v = *p;
  lammps_free(p);
  return v;
}

double LammpsSession::equal(const std::string &formula)
{
  command("variable reval_test_eval equal \"" + formula + "\"");
  auto *p = static_cast<double *>(lammps_extract_variable(m_lmp, "reval_test_eval", nullptr));
  if (!p) throw std::runtime_error("cannot evaluate '" + formula + "'");
  double v = *p;
  lammps_free(p);
  command("variable reval_test_eval delete");
  return v;
}

double LammpsSession::thermo(const std::string &keyword)
{
  return lammps_get_thermo(m_lmp, keyword.c_str());
}

std::string LammpsSession::style_of(const std::string &kind, const std::string &id)
{
  auto *modify = m_lmp->modify;
  if (kind == "compute") {
    const int i = modify->find_compute(id);
    return i < 0 ? "(none)" : modify->compute[i]->style;
  }
  if (kind == "fix") {
    const int i = modify->find_fix(id);
    return i < 0 ? "(none)" : modify->fix[i]->style;
  }
  if (kind == "pair") return m_lmp->force->pair_style ? m_lmp->force->pair_style : "(none)";
  throw std::runtime_error("style_of: kind must be compute, fix or pair");
}

int LammpsSession::pair_kokkosable(const std::string &style)
{
  LAMMPS_NS::Pair *p = m_lmp->force->pair ? m_lmp->force->pair_match(style, 0) : nullptr;
  return p ? (p->kokkosable ? 1 : 0) : -1;
}

bool LammpsSession::has_style(const std::string &category, const std::string &name)
{
  return lammps_has_style(m_lmp, category.c_str(), name.c_str()) != 0;
}

// ---------------------------------------------------------------- run_lmp

double LmpRun::value(const std::string &name) const
{
  auto it = values.find(name);
  if (it == values.end()) throw std::runtime_error("no '@@ " + name + " = ...' line in the output");
  return std::stod(it->second);
}

double LmpRun::thermo(const std::string &column) const
{
  for (size_t i = 0; i < thermo_header.size() && i < thermo_last.size(); ++i)
    if (thermo_header[i] == column) return thermo_last[i];
  throw std::runtime_error("no thermo column '" + column + "' in the output");
}

std::string LmpRun::error_line() const
{
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line))
    if (line.find("ERROR") != std::string::npos) return line;
  return "";
}

LmpRun run_lmp(const std::string &input, const LmpOptions &opt)
{
  LmpRun r;
  r.workdir = opt.workdir.empty() ? make_temp_dir("run") : opt.workdir;
  fs::create_directories(r.workdir);
  {
    std::ofstream f(r.workdir + "/in.lmp");
    if (opt.load_plugin && input.find("plugin load") == std::string::npos) f << "plugin load ${plugin}\n";
    f << input;
  }
  for (auto &kv : opt.files) {
    std::ofstream f(r.workdir + "/" + kv.first);
    f << kv.second;
  }
  // This process may itself be an MPI singleton: its OMPI_/PMIX_ variables would make the child's
  // mpirun believe it runs inside a job. Start the child with them removed.
  std::string clean = "env";
  for (char **e = environ; *e; ++e) {
    std::string kv = *e;
    std::string k = kv.substr(0, kv.find('='));
    if ((k.rfind("OMPI_", 0) == 0 || k.rfind("PMIX_", 0) == 0 || k.rfind("OPAL_", 0) == 0 ||
         k.rfind("PRTE_", 0) == 0) &&
        k.rfind("OMPI_ALLOW_RUN_AS_ROOT", 0) != 0)
      clean += " -u " + k;
  }
  std::string cmd = "cd " + shell_quote(r.workdir) + " && " + clean + " LAMMPS_POTENTIALS=" + shell_quote(potentials_dir()) +
      " OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} timeout " + std::to_string(opt.timeout_s) + " ";
  if (opt.np > 1) {
    cmd += "mpirun -np " + std::to_string(opt.np) + " --oversubscribe ";
    if (geteuid() == 0) cmd += "--allow-run-as-root ";
  }
  cmd += shell_quote(lmp_path()) + " -in in.lmp -log log.lammps -echo none -nocite -var plugin " +
      shell_quote(plugin_path());
  for (auto &kv : opt.vars) cmd += " -var " + kv.first + " " + shell_quote(kv.second);
  for (auto &a : opt.args) cmd += " " + shell_quote(a);
  cmd += " > out.txt 2>&1";
  int st = std::system(cmd.c_str());
  r.status = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
  r.output = read_file(r.workdir + "/out.txt");

  static const std::regex value_re(R"(^@@ (\S+) = (.*?)\s*$)");
  std::istringstream in(r.output);
  std::string line;
  bool in_thermo = false;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, value_re)) {
      r.values[m[1]] = m[2];
      continue;
    }
    std::istringstream ls(line);
    std::vector<std::string> words;
    for (std::string w; ls >> w;) words.push_back(w);
    if (!words.empty() && words[0] == "Step") {
      r.thermo_header = words;
      r.thermo_last.clear();
      in_thermo = true;
      continue;
    }
    if (in_thermo) {
      if (words.size() != r.thermo_header.size()) {
        if (!words.empty() && words[0] == "Loop") in_thermo = false;
        continue;
      }
      std::vector<double> row;
      try {
        for (auto &w : words) row.push_back(std::stod(w));
      } catch (std::exception &) {
        in_thermo = false;
        continue;
      }
      r.thermo_last = row;
    }
  }
  return r;
}

}    // namespace reval::test
