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

}    // namespace reval::test
