/// @file snap_pair_spec.cpp
#include "core/snap_pair_spec.h"

#include "core/error.h"
#include "core/snap_files.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace reval {

namespace {

bool is_mliap_kind(const std::string &w)
{
  return w == "nn" || w == "linear" || w == "quadratic";
}

std::string join(const std::vector<std::string> &v)
{
  std::string s;
  for (const auto &w : v) s += (s.empty() ? "" : " ") + w;
  return s;
}

// One member spec starting at args[pos]; advances pos.
SnapMemberSpec parse_member(const std::vector<std::string> &args, std::size_t &pos, const std::string &what)
{
  SnapMemberSpec m;
  if (pos >= args.size()) throw Error(what + " is missing (expected COEFF PARAM or nn|linear|quadratic MODEL DESCRIPTOR)");
  if (is_mliap_kind(args[pos])) {
    m.kind = args[pos];
    if (pos + 2 >= args.size())
      throw Error(what + ": '" + args[pos] + "' needs a model file and a descriptor file");
    m.files = {args[pos + 1], args[pos + 2]};
    pos += 3;
  } else {
    if (args[pos] == "committee") throw Error(what + ": a committee cannot contain another committee");
    if (pos + 1 >= args.size()) throw Error(what + ": '" + args[pos] + "' needs a .snapparam file after the .snapcoeff file");
    m.kind = "snap";
    m.files = {args[pos], args[pos + 1]};
    pos += 2;
  }
  return m;
}

}    // namespace

std::vector<std::string> SnapPairSpec::distinct_elements() const
{
  std::vector<std::string> out;
  for (const auto &e : type_elements)
    if (e != "NULL" && std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  return out;
}

SnapPairSpec parse_snap_pair_coeff(const std::vector<std::string> &args, int ntypes)
{
  if (ntypes < 1) throw Error("no atom types");
  SnapPairSpec spec;
  std::size_t pos = 0;
  if (!args.empty() && args[0] == "committee") {
    spec.committee = true;
    if (args.size() < 2) throw Error("committee needs the number of members N");
    char *end = nullptr;
    errno = 0;
    const long n = std::strtol(args[1].c_str(), &end, 10);
    if (args[1].empty() || *end != '\0' || errno != 0) throw Error("committee size '" + args[1] + "' is not an integer");
    if (n < 2) throw Error("a committee needs at least 2 members, got " + args[1]);
    if (n > 64) throw Error("a committee of " + args[1] + " members is more than the 64 supported");
    pos = 2;
    for (long m = 0; m < n; ++m)
      spec.members.push_back(parse_member(args, pos, "committee member " + std::to_string(m + 1) + " of " + args[1]));
  } else {
    spec.members.push_back(parse_member(args, pos, "the model"));
  }
  const std::size_t nel = args.size() - pos;
  if (nel != static_cast<std::size_t>(ntypes))
    throw Error("expected " + std::to_string(ntypes) + " element names (one per atom type, NULL to skip a type) after the " +
                (spec.committee ? "committee members" : "potential files") + ", got " + std::to_string(nel) +
                (nel ? " (" + join(std::vector<std::string>(args.begin() + pos, args.end())) + ")" : ""));
  spec.type_elements.assign(args.begin() + pos, args.end());
  for (const auto &e : spec.type_elements)
    if (is_mliap_kind(e) || e == "committee" || e.find('.') != std::string::npos)
      throw Error("'" + e + "' is not an element name (the element names must follow the potential files; "
                  "wrong number of files?)");
  if (spec.distinct_elements().empty()) throw Error("every atom type is NULL: no type uses the potential");
  return spec;
}

SnapPotential build_snap_member(const SnapMemberSpec &spec, const std::string &text0, const std::string &text1,
                                const std::vector<std::string> &elements)
{
  std::istringstream in0(text0), in1(text1);
  if (spec.kind == "snap") {
    const SnapCoeffFile coeff = parse_snapcoeff(in0, spec.files.at(0));
    const SnapParamFile param = parse_snapparam(in1, spec.files.at(1));
    return make_snap_potential(param, coeff, elements);
  }
  if (is_mliap_kind(spec.kind)) return make_mliap_potential(spec.kind, in0, spec.files.at(0), in1, spec.files.at(1));
  throw Error("unknown model kind '" + spec.kind + "'");
}

std::vector<int> snap_type_map(const SnapPairSpec &spec, const SnapParams &params)
{
  std::vector<int> map(spec.type_elements.size() + 1, -1);
  for (std::size_t t = 0; t < spec.type_elements.size(); ++t) {
    const std::string &e = spec.type_elements[t];
    if (e == "NULL") continue;
    const auto it = std::find(params.elements.begin(), params.elements.end(), e);
    if (it == params.elements.end())
      throw Error("element " + e + " of atom type " + std::to_string(t + 1) + " is not in the potential (its elements: " +
                  join(params.elements) + ")");
    map[t + 1] = static_cast<int>(it - params.elements.begin());
  }
  return map;
}

}    // namespace reval
