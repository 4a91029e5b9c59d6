// REVAL_SANITIZE=ON: makes UBSAN_OPTIONS=log_path work next to ASan (cmake/RevalSanitize.cmake).
// GCC links libasan and libubsan as two libraries, each with its own copy of the sanitizer report
// settings; libubsan's call that applies UBSAN_OPTIONS' log_path resolves to libasan's exported copy
// (loaded first), so UBSan reports would still go to stderr. This constructor gives libubsan's own copy
// the log_path of UBSAN_OPTIONS. It is compiled into every REVAL test executable and preloaded into lmp
// by the lmp-sanitized wrapper; without libubsan in the process (e.g. Clang) it does nothing.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

__attribute__((constructor)) void reval_ubsan_log_path()
{
  const char *opts = std::getenv("UBSAN_OPTIONS");
  if (!opts) return;
  const std::string s = opts;
  std::size_t p = std::string::npos;
  for (std::size_t q = s.find("log_path="); q != std::string::npos; q = s.find("log_path=", q + 1))
    if (q == 0 || s[q - 1] == ':' || s[q - 1] == ' ' || s[q - 1] == ',') p = q;    // the last one wins
  if (p == std::string::npos) return;
  const std::size_t start = p + 9, end = s.find_first_of(": ,", start);
  const std::string path = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (path.empty() || path == "stderr" || path == "stdout") return;
  void *ubsan = dlopen("libubsan.so.1", RTLD_NOW | RTLD_NOLOAD);
  if (!ubsan) return;
  using SetPath = void (*)(const char *);
  static char buf[4096];    // the runtime copies the path; kept anyway (no allocation: LSan is on in unit tests)
  std::snprintf(buf, sizeof buf, "%s", path.c_str());
  if (auto set = reinterpret_cast<SetPath>(dlsym(ubsan, "__sanitizer_set_report_path"))) set(buf);
  dlclose(ubsan);
}

}    // namespace
