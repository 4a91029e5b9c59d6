// Test support of core/harvest's unit tests: a diamond-Si frame and a file reader. Header-only, test code.
#pragma once

#include "core/extxyz.h"

#include <fstream>
#include <sstream>
#include <string>

namespace reval::test {

constexpr double kDiamondA = 5.431;

/// n x n x n conventional cells of diamond Si (a = 5.431 Å), positions only.
inline reval::XyzFrame diamond_frame(int n)
{
  static const double b[8][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0},
                                 {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}};
  reval::XyzFrame f;
  f.cell[0] = f.cell[4] = f.cell[8] = n * kDiamondA;
  for (int z = 0; z < n; ++z)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x)
        for (const auto &p : b) {
          f.species.push_back("Si");
          f.pos.insert(f.pos.end(), {(x + p[0]) * kDiamondA, (y + p[1]) * kDiamondA, (z + p[2]) * kDiamondA});
        }
  return f;
}

/// The whole content of a file (empty if it cannot be read).
inline std::string read_all(const std::string &p)
{
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}    // namespace reval::test
