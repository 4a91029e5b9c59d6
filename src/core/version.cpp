#include "core/version.h"

#include "core/version_config.h"

namespace reval {

const char *version()
{
  return REVAL_VERSION_STRING;
}

int version_number()
{
  return REVAL_VERSION_MAJOR * 10000 + REVAL_VERSION_MINOR * 100 + REVAL_VERSION_PATCH;
}

std::string build_summary()
{
  std::string compiler;
#if defined(__clang__)
  compiler = "clang " __clang_version__;
#elif defined(__GNUC__)
  compiler = "GCC " __VERSION__;
#else
  compiler = "unknown compiler";
#endif
  return std::string("REVAL ") + REVAL_VERSION_STRING + " (git " + REVAL_GIT_REVISION + ", " +
      REVAL_BUILD_TYPE + ", " + compiler + ")";
}

}    // namespace reval
