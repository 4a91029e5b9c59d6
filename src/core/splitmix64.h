/// @file splitmix64.h
/// SplitMix64 (Steele, Lea & Flood 2014, the reference splitmix64.c): a tiny generator whose numbers
/// are the same on every platform and standard library for a given seed (std:: distributions are
/// not). Used where REVAL's results or tests must be reproducible bit for bit: reval-fit's random
/// sampling and bootstrap committees, the fuzz campaigns.
#pragma once

#include <cstdint>

namespace reval {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : m_s(seed) {}
  uint64_t next()
  {
    uint64_t z = (m_s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// Uniform in 0..n-1 (n >= 1), unbiased (rejection).
  uint64_t below(uint64_t n)
  {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t v;
    do v = next();
    while (v >= limit);
    return v % n;
  }

 private:
  uint64_t m_s;
};

}    // namespace reval
