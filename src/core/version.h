/// @file version.h
/// REVAL version and build information (LAMMPS-free).
#pragma once

#include <string>

namespace reval {

/// Semantic version of REVAL, e.g. "0.1.0".
const char *version();

/// Version as one number, major*10000 + minor*100 + patch (0.1.0 -> 100), for comparisons.
int version_number();

/// One line for logs: "REVAL 0.1.0 (git <rev>, Release, <compiler>)".
std::string build_summary();

}    // namespace reval
