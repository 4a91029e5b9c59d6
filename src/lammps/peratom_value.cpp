#include "peratom_value.h"

#include "arg_info.h"
#include "atom.h"
#include "compute.h"
#include "error.h"
#include "fix.h"
#include "input.h"
#include "modify.h"
#include "update.h"
#include "variable.h"

using namespace LAMMPS_NS;

namespace reval_lmp {

PerAtomValue::PerAtomValue(LAMMPS *lmp, const std::string &text, const std::string &owner, const std::string &keyword) :
    Pointers(lmp), m_text(text), m_owner(owner), m_keyword(keyword)
{
  ArgInfo info(text, ArgInfo::COMPUTE | ArgInfo::FIX | ArgInfo::VARIABLE | ArgInfo::DNAME | ArgInfo::INAME);
  switch (info.get_type()) {
    case ArgInfo::COMPUTE: m_kind = COMPUTE; break;
    case ArgInfo::FIX: m_kind = FIX; break;
    case ArgInfo::VARIABLE: m_kind = VARIABLE; break;
    case ArgInfo::DNAME: m_kind = DNAME; break;
    case ArgInfo::INAME: m_kind = INAME; break;
    default:
      fail("'" + text + "' is not a per-atom quantity reference (use c_ID, c_ID[i], f_ID, f_ID[i], v_name, "
           "d_name or i_name)");
  }
  if (info.get_dim() > 1) fail("'" + text + "' has more than one index");
  if ((m_kind == VARIABLE || m_kind == DNAME || m_kind == INAME) && info.get_dim() != 0)
    fail("'" + text + "' must not have an index");
  m_name = info.get_name();
  m_index = info.get_index1();
}

void PerAtomValue::fail(const std::string &what) const
{
  error->all(FLERR, m_owner + ": " + m_keyword + " " + what);
}

template <class Source> void PerAtomValue::check_source(const Source *src, const char *kind, const char *prefix) const
{
  const std::string what = std::string(kind) + " " + m_name;
  if (!src->peratom_flag) fail(m_text + ": " + what + " does not calculate per-atom values");
  const int cols = src->size_peratom_cols;
  if (m_index == 0 && cols != 0)
    fail(m_text + ": " + what + " calculates a per-atom array: give a column, " + prefix + m_name + "[i]");
  if (m_index > 0 && cols == 0) fail(m_text + ": " + what + " calculates a per-atom vector: no column index");
  if (m_index > cols && cols > 0) fail(m_text + ": " + what + " has only " + std::to_string(cols) + " per-atom columns");
}

void PerAtomValue::init()
{
  if (m_kind == COMPUTE) {
    int ic = modify->find_compute(m_name);
    if (ic < 0) fail(m_text + ": compute ID '" + m_name + "' does not exist");
    check_source(modify->compute[ic], "compute", "c_");
  } else if (m_kind == FIX) {
    int ifx = modify->find_fix(m_name);
    if (ifx < 0) fail(m_text + ": fix ID '" + m_name + "' does not exist");
    check_source(modify->fix[ifx], "fix", "f_");
  } else if (m_kind == VARIABLE) {
    int iv = input->variable->find(m_name.c_str());
    if (iv < 0) fail(m_text + ": variable '" + m_name + "' does not exist");
    if (!input->variable->atomstyle(iv)) fail(m_text + ": variable " + m_name + " is not an atom-style variable");
  } else {
    int flag = 0, cols = 0;
    int idx = atom->find_custom(m_name.c_str(), flag, cols);
    if (idx < 0) fail(m_text + ": custom per-atom property '" + m_name + "' does not exist (define it with fix property/atom)");
    if ((m_kind == DNAME) != (flag == 1))
      fail(m_text + ": custom property " + m_name + " is " + (flag ? "a floating-point (d_)" : "an integer (i_)") + " property");
    if (cols != 0) fail(m_text + ": custom property " + m_name + " is an array; only per-atom vectors are supported");
  }
}

PerAtomValue::Origin PerAtomValue::prepare()
{
  const int nlocal = atom->nlocal;
  Origin s;
  s.column = m_index;
  if (m_kind == COMPUTE) {
    const int ic = modify->find_compute(m_name);
    if (ic < 0) fail(m_text + ": compute ID '" + m_name + "' does not exist");
    Compute *c = modify->compute[ic];
    if (!(c->invoked_flag & Compute::INVOKED_PERATOM)) {
      c->compute_peratom();
      c->invoked_flag |= Compute::INVOKED_PERATOM;
    }
    // a compute that is still being evaluated (a circular reference) or failed has no values yet
    if (nlocal > 0 && (m_index == 0 ? c->vector_atom == nullptr : c->array_atom == nullptr))
      error->one(FLERR, m_owner + ": " + m_keyword + " " + m_text + ": compute " + m_name +
                            " has no per-atom values on timestep " + std::to_string(update->ntimestep));
    s.compute = c;
  } else if (m_kind == FIX) {
    const int ifx = modify->find_fix(m_name);
    if (ifx < 0) fail(m_text + ": fix ID '" + m_name + "' does not exist");
    Fix *f = modify->fix[ifx];
    if (f->peratom_freq > 0 && update->ntimestep % f->peratom_freq)
      fail(m_text + ": fix " + m_name + " does not provide per-atom values on timestep " +
           std::to_string(update->ntimestep) + " (only on multiples of " + std::to_string(f->peratom_freq) + ")");
    if (nlocal > 0 && (m_index == 0 ? f->vector_atom == nullptr : f->array_atom == nullptr))
      error->one(FLERR, m_owner + ": " + m_keyword + " " + m_text + ": fix " + m_name +
                            " has no per-atom values on timestep " + std::to_string(update->ntimestep));
    s.fix = f;
  }
  return s;
}

void PerAtomValue::evaluate(std::vector<double> &out, int igroup)
{
  const int nlocal = atom->nlocal;
  out.assign(atom->nmax > nlocal ? atom->nmax : nlocal, 0.0);
  if (m_kind == COMPUTE) {
    const Compute *c = prepare().compute;
    for (int i = 0; i < nlocal; ++i) out[i] = m_index == 0 ? c->vector_atom[i] : c->array_atom[i][m_index - 1];
  } else if (m_kind == FIX) {
    const Fix *f = prepare().fix;
    for (int i = 0; i < nlocal; ++i) out[i] = m_index == 0 ? f->vector_atom[i] : f->array_atom[i][m_index - 1];
  } else if (m_kind == VARIABLE) {
    const int iv = input->variable->find(m_name.c_str());
    if (iv < 0) fail(m_text + ": variable '" + m_name + "' does not exist");
    input->variable->compute_atom(iv, igroup, out.data(), 1, 0);
  } else {
    int flag = 0, cols = 0;
    int idx = atom->find_custom(m_name.c_str(), flag, cols);
    if (idx < 0 || (m_kind == DNAME) != (flag == 1) || cols != 0)
      fail(m_text + ": custom per-atom property '" + m_name + "' does not exist (any more) or changed its kind");
    if (m_kind == DNAME)
      for (int i = 0; i < nlocal; ++i) out[i] = atom->dvector[idx][i];
    else
      for (int i = 0; i < nlocal; ++i) out[i] = atom->ivector[idx][i];
  }
}

}    // namespace reval_lmp
