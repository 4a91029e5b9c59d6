// reval_fuzz_lammps_driver CASEDIR FIRST LAST [TIMEOUT_S]: runs the fuzz cases FIRST..LAST-1 of
// tests/lammps/test_fuzz_files.cpp in one LAMMPS (library interface, REVAL plugin loaded, `clear`
// after each case), each from CASEDIR/case-<i>.lmp with CASEDIR as the working folder. For every case
// it prints, flushed at once,
//   @@BEGIN <i>
//   @@END <i> OK                   the input ran through
//   @@END <i> ERROR <message>      LAMMPS stopped it with an ERROR (the wanted answer to bad input)
//   @@END <i> ESCAPE <message>     another exception left a command (std::bad_alloc, ...): in lmp it
//                                  would terminate the program, so the test counts it as a crash
// so that the test knows, when this process dies (a crash) or the per-case alarm ends it (a hang),
// which case did it, and starts a new driver after that case.
#include "lammps_session.h"

#include "exceptions.h"
#include "input.h"
#include "lammps.h"

#include <mpi.h>

#include <csignal>
#include <stdexcept>
#include <typeinfo>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define REVAL_DRIVER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REVAL_DRIVER_ASAN 1
#endif
#endif

namespace {

// The commands of an input text: '&' continuation lines joined, blank and comment lines dropped.
std::vector<std::string> commands_of(const std::string &text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line, cur;
  while (std::getline(in, line)) {
    const auto end = line.find_last_not_of(" \t\r");
    if (end != std::string::npos && line[end] == '&') {
      cur += line.substr(0, end) + " ";
      continue;
    }
    cur += line;
    const auto first = cur.find_first_not_of(" \t");
    if (first != std::string::npos && cur[first] != '#') out.push_back(cur);
    cur.clear();
  }
  if (cur.find_first_not_of(" \t") != std::string::npos) out.push_back(cur);
  return out;
}

// Runs the commands; "" if they all ran, else "ERROR <message>" (a LAMMPS error) or
// "ESCAPE <type>: <message>" (any other exception).
std::string run_commands(LAMMPS_NS::LAMMPS *lmp, const std::string &text)
{
  for (const auto &c : commands_of(text)) {
    try {
      lmp->input->one(c);
    } catch (const LAMMPS_NS::LAMMPSException &e) {
      return std::string("ERROR ") + e.what();
    } catch (const std::exception &e) {
      return std::string("ESCAPE ") + typeid(e).name() + ": " + e.what() + " (in: " + c.substr(0, 200) + ")";
    } catch (...) {
      return "ESCAPE a non-std exception (in: " + c.substr(0, 200) + ")";
    }
  }
  return "";
}

}    // namespace

int main(int argc, char **argv)
{
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s CASEDIR FIRST LAST [TIMEOUT_S]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const long first = std::atol(argv[2]), last = std::atol(argv[3]);
  const unsigned timeout = argc > 4 ? static_cast<unsigned>(std::atoi(argv[4])) : 60u;
  if (chdir(dir.c_str()) != 0) {
    std::perror(dir.c_str());
    return 2;
  }
#ifndef REVAL_DRIVER_ASAN
  // a style that allocates for a count in a file instead of for the values it read fails at once
  // (std::bad_alloc) instead of loading the machine; under ASan, hard_rss_limit_mb does this job
  // (tests/lammps/CMakeLists.txt)
  struct rlimit rl;
  rl.rlim_cur = rl.rlim_max = rlim_t(4) << 30;
  setrlimit(RLIMIT_AS, &rl);
#endif
  MPI_Init(&argc, &argv);
  std::signal(SIGALRM, SIG_DFL);
  {
    reval::test::LammpsSession s;
    for (long i = first; i < last; ++i) {
      std::printf("@@BEGIN %ld\n", i);
      std::fflush(stdout);
      alarm(timeout);
      std::string res = run_commands(s.lmp(), reval::test::read_file("case-" + std::to_string(i) + ".lmp"));
      // `clear` here, so that a crash while deleting the case's styles is the case's crash
      std::string cleared = run_commands(s.lmp(), "clear");
      if (cleared.empty()) {
        try {
          s.load_plugin();
        } catch (const std::exception &e) {
          cleared = std::string("ESCAPE plugin load after clear failed: ") + e.what();
        }
      }
      if (!cleared.empty()) res += " / at clear: " + cleared;
      alarm(0);
      for (auto &c : res)
        if (c == '\n' || c == '\r') c = ' ';
      if (res.empty())
        std::printf("@@END %ld OK\n", i);
      else if (res.rfind("ESCAPE", 0) == 0 || cleared.rfind("ESCAPE", 0) == 0)
        std::printf("@@END %ld ESCAPE %s\n", i, res.c_str());
      else
        std::printf("@@END %ld %s\n", i, res.c_str());
      std::fflush(stdout);
    }
  }
  MPI_Finalize();
  return 0;
}
