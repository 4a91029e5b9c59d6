/// @file peratom_value.h
/// A per-atom quantity named in LAMMPS reference syntax in a style's arguments: c_ID, c_ID[i], f_ID,
/// f_ID[i], v_name (atom-style variable), d_name / i_name (custom per-atom properties, e.g. from
/// fix property/atom). Parsed in the style's constructor, resolved in init(), evaluated for the local
/// atoms when needed. Errors name the owning style and keyword.
#pragma once

#include "pointers.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {
class Compute;
class Fix;
}    // namespace LAMMPS_NS

namespace reval_lmp {

class PerAtomValue : protected LAMMPS_NS::Pointers {
 public:
  /// `owner` and `keyword` only serve error messages ("compute force/error: ref ...").
  PerAtomValue(LAMMPS_NS::LAMMPS *lmp, const std::string &text, const std::string &owner,
               const std::string &keyword);
  /// Finds the compute/fix/variable/property again (IDs may have been redefined); call in init().
  void init();
  /// Fills out[i] for the nlocal owned atoms (0 where the source leaves atoms out of its group).
  void evaluate(std::vector<double> &out, int igroup);
  /// The compute or fix whose per-atom values evaluate() reads (for c_ and f_ references; both null for
  /// v_, d_, i_), after the same checks and invocation as evaluate() (the compute is invoked if it has
  /// not been on this step; the fix must provide values on this step). column: 0 = per-atom vector,
  /// else the 1-based column of the per-atom array. For readers of the values elsewhere (a /kk style
  /// reading a /kk source's device copy).
  struct Origin {
    LAMMPS_NS::Compute *compute = nullptr;
    LAMMPS_NS::Fix *fix = nullptr;
    int column = 0;
  };
  Origin prepare();
  const std::string &text() const { return m_text; }
  /// Whether this is a value of the compute with this ID (c_ID or c_ID[i]).
  bool is_compute(const std::string &id) const { return m_kind == COMPUTE && m_name == id; }

 private:
  enum Kind { COMPUTE, FIX, VARIABLE, DNAME, INAME };
  [[noreturn]] void fail(const std::string &what) const;
  /// ERROR unless the compute or fix `src` has the per-atom vector / column this reference names.
  template <class Source> void check_source(const Source *src, const char *kind, const char *prefix) const;
  std::string m_text, m_owner, m_keyword, m_name;
  int m_kind = COMPUTE;
  int m_index = 0;    // 0 = per-atom vector, >0 = column of a per-atom array
};

}    // namespace reval_lmp
