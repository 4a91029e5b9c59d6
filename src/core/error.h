/// @file error.h
/// The one exception type of the core. LAMMPS adapters catch it at the boundary and turn it into
/// error->all/one(FLERR, ...); the message must therefore name the problem and, where possible, the fix.
#pragma once

#include <stdexcept>
#include <string>

namespace reval {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string &what) : std::runtime_error(what) {}
};

}    // namespace reval
