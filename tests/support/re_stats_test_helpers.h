/// @file re_stats_test_helpers.h
/// Checks shared by the fix re/stats tests (lammps, mpi, kokkos tiers) that the per-atom output travels
/// with the atoms: the output `st` is compared with two references that LAMMPS itself carries with the
/// atoms, compute displace/atom `disp` (displacement columns) and a fix store/state snapshot `snap`.
#pragma once

#include "lammps_session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace reval::test {

using PerAtom = std::map<long, std::array<double, 4>>;

/// The four per-atom columns of fix `id`, by atom ID.
inline PerAtom peratom_of(LammpsSession &s, const std::string &id)
{
  PerAtom m;
  for (int c = 1; c <= 4; ++c)
    for (const auto &kv : s.fix_peratom(id, c)) m[kv.first][c - 1] = kv.second;
  return m;
}

/// Number of atoms whose rows differ (bit for bit), or that one of the two lacks.
inline int rows_differing(const PerAtom &a, const PerAtom &b)
{
  int n = 0;
  for (const auto &kv : a) {
    auto it = b.find(kv.first);
    if (it == b.end() || it->second != kv.second) ++n;
  }
  for (const auto &kv : b)
    if (!a.count(kv.first)) ++n;
  return n;
}

/// Max over atoms of |f_st[2..4] - c_disp[1..3]|.
inline double displacement_deviation(LammpsSession &s)
{
  const PerAtom st = peratom_of(s, "st");
  double worst = 0.0;
  for (int c = 1; c <= 3; ++c)
    for (const auto &kv : s.compute_peratom("disp", c)) worst = std::max(worst, std::fabs(st.at(kv.first)[c] - kv.second));
  return worst;
}

/// Columns of the dump read by dump_frames() / check_dump().
inline const std::string kDumpCols = "id f_st[1] f_st[2] f_st[3] f_st[4] c_disp[1] c_disp[2] c_disp[3] f_snap[1] "
                                     "f_snap[2] f_snap[3] f_snap[4]";

/// Frames of a dump custom with the columns kDumpCols: step -> atom ID -> the 11 values after the ID.
inline std::map<long, std::map<long, std::vector<double>>> dump_frames(const std::string &path)
{
  std::map<long, std::map<long, std::vector<double>>> frames;
  std::istringstream in(read_file(path));
  std::string line;
  long step = -1;
  while (std::getline(in, line)) {
    if (line == "ITEM: TIMESTEP") {
      std::getline(in, line);
      step = std::stol(line);
    } else if (line.rfind("ITEM:", 0) != 0 && step >= 0) {
      std::istringstream ls(line);
      std::vector<double> v;
      double x;
      while (ls >> x) v.push_back(x);
      if (v.size() == 12) frames[step][static_cast<long>(v[0])] = std::vector<double>(v.begin() + 1, v.end());
    }
  }
  return frames;
}

/// Every frame: displacements = compute displace/atom (1e-12), output = snapshot (bit for bit).
inline void check_dump(const std::string &path, const std::string &what, size_t natoms)
{
  const auto frames = dump_frames(path);
  EXPECT_FALSE(frames.empty()) << what;
  for (const auto &f : frames) {
    EXPECT_EQ(f.second.size(), natoms) << what << " step " << f.first;
    double dev = 0.0;
    int differ = 0;
    for (const auto &a : f.second) {
      const auto &v = a.second;
      for (int c = 0; c < 3; ++c) dev = std::max(dev, std::fabs(v[1 + c] - v[4 + c]));
      for (int c = 0; c < 4; ++c)
        if (v[c] != v[7 + c]) ++differ;
    }
    EXPECT_LE(dev, 1e-12) << what << " step " << f.first << ": displacements vs compute displace/atom";
    EXPECT_EQ(differ, 0) << what << " step " << f.first << ": values that differ from the snapshot";
  }
}

/// MD for the centre-of-mass check: 2x2x2 diamond Si (64 atoms), half of them type 2 with another
/// mass (per-type masses, or per-atom masses rmass with atom_style sphere), Stillinger-Weber, a drift
/// of 40 A/ps (every atom crosses the periodic box: image flags matter); fix `st` (re/stats, com yes)
/// and compute displace/atom `disp` on the group `sub` (atoms 1-40, both types).
inline std::string com_md_input(bool per_atom_mass)
{
  std::string in = std::string("units metal\natom_style ") + (per_atom_mass ? "sphere" : "atomic") +
      "\nlattice diamond 5.431\nregion box block 0 2 0 2 0 2\ncreate_box 2 box\ncreate_atoms 1 box\n"
      "group odd id 1:64:2\nset group odd type 2\n";
  in += per_atom_mass ? "set type 1 mass 28.0855\nset type 2 mass 61.5\n" : "mass 1 28.0855\nmass 2 61.5\n";
  in += "group sub id 1:40\npair_style sw\npair_coeff * * Si.sw Si Si\ncomm_modify cutoff 7.5\n"
        "velocity all create 2000 4711 loop geom\nvelocity all set 40.0 -25.0 15.0 sum yes\nfix nve all nve\n"
        "timestep 0.001\ncompute sites all vacancy/sites\ncompute disp sub displace/atom\n"
        "fix st sub re/stats 10 sites itypes none com yes\n";
  return in;
}

/// Group centre of mass by LAMMPS (Group::xcm through the xcm() function of variables).
inline std::array<double, 3> group_xcm(LammpsSession &s, const std::string &group)
{
  return {s.equal("xcm(" + group + ",x)"), s.equal("xcm(" + group + ",y)"), s.equal("xcm(" + group + ",z)")};
}

/// Max over the group atoms of |(c_disp - f_st[2..4]) - (Group::xcm now - at the first sample)|: the
/// drift that fix re/stats removed against the one of LAMMPS' own centre of mass.
inline double com_deviation(LammpsSession &s, const std::array<double, 3> &xcm0)
{
  const std::array<double, 3> now = group_xcm(s, "sub");
  const PerAtom st = peratom_of(s, "st");
  double worst = 0.0;
  for (int c = 1; c <= 3; ++c)
    for (const auto &kv : s.compute_peratom("disp", c)) {
      if (kv.first > 40) continue;    // not in the group: both outputs are zero
      const double removed = kv.second - st.at(kv.first)[c];
      worst = std::max(worst, std::fabs(removed - (now[c - 1] - xcm0[c - 1])));
    }
  return worst;
}

/// The check: after 300 steps (last sample on the last step) the drift removed by the fix equals
/// Group::xcm's to round-off, for every atom of the group.
inline void check_com_is_group_xcm(LammpsSession &s, bool per_atom_mass)
{
  s.commands(com_md_input(per_atom_mass));
  const std::array<double, 3> xcm0 = group_xcm(s, "sub");
  s.command("run 300 post no");
  const std::array<double, 3> now = group_xcm(s, "sub");
  EXPECT_GT(now[0] - xcm0[0], 11.0) << "the group drifted by more than a box length";
  EXPECT_LE(com_deviation(s, xcm0), 1e-10) << (per_atom_mass ? "rmass" : "per-type mass");
}

}    // namespace reval::test
