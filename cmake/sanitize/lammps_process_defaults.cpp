// Linked into the sanitized (REVAL_SANITIZE=ON) test executables that run LAMMPS in-process
// (cmake/RevalTestHarness.cmake) and into reval-fit when it uses MPI. OpenMPI and LAMMPS leak by design (at exit and on error paths), so
// leak checking is off in these processes; every other ASan/UBSan check stays on and fatal. Options in
// ASAN_OPTIONS / UBSAN_OPTIONS (tools/sanitize.sh sets log_path) are applied on top of these.
#ifndef REVAL_ASAN_EXTRA_OPTIONS
#define REVAL_ASAN_EXTRA_OPTIONS ""    // a target may add options, e.g. ":hard_rss_limit_mb=6144"
#endif

extern "C" const char *__asan_default_options()
{
  return "detect_leaks=0" REVAL_ASAN_EXTRA_OPTIONS;
}

extern "C" const char *__ubsan_default_options()
{
  return "print_stacktrace=1";
}
