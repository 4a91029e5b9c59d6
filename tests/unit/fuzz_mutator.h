/// @file fuzz_mutator.h
/// Deterministic mutations of text input files for the fuzz tests (tests/unit/test_fuzz_parsers.cpp,
/// tests/lammps/test_fuzz_files.cpp). Header-only test code, no dependencies.
///
/// Every case is reproducible on its own: case `index` of a kind draws from
/// FuzzRng(case_seed(kind, index)), independent of the cases before it, so a failing case is rerun
/// alone (REVAL_FUZZ_CASE=<kind>:<index>) and its input printed. The generator (SplitMix64) and the
/// draws (modulo, no std:: distributions) give the same cases on every platform and standard library.
#pragma once

#include "core/splitmix64.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace reval::fuzz {

/// reval::SplitMix64 (core/splitmix64.h): tiny, fast, the same everywhere; below() by modulo (the
/// campaigns' cases were drawn so: keep it).
class FuzzRng {
 public:
  explicit FuzzRng(uint64_t seed) : m_g(seed) {}
  uint64_t next() { return m_g.next(); }
  /// Uniform-enough integer in [0, n) (0 if n == 0).
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }

 private:
  SplitMix64 m_g;
};

/// FNV-1a of the kind name, mixed with the case index and a fixed campaign seed.
inline uint64_t case_seed(const std::string &kind, uint64_t index)
{
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : kind) h = (h ^ c) * 1099511628211ULL;
  return h ^ (index * 0x9e3779b97f4a7c15ULL) ^ 20240613ULL;
}

/// Tokens that break parsers: non-finite and extreme numbers, hex, huge and negative counts, integer
/// overflows, half numbers, separators, empty.
inline const std::vector<std::string> &nasty_tokens()
{
  static const std::vector<std::string> t = {
      "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "-0", "-0.0", "0", "0.0", "1e308", "-1e308", "1e309",
      "1e-320", "4.9e-324", "1e-300", "0x10", "0x1p3", "0X1F", "99999999999999999999", "2147483647", "2147483648",
      "-2147483648", "-2147483649", "4294967297", "9223372036854775808", "1000000000", "2000000000", "-1", "-7",
      "1", "2", "3", "1.5", "4.7", "1e30", "-1e30", "1e10", "1,5", "", "#", "abc", "NULL", "*", "'", "\"", "1e",
      "e5", "+", "-", ".", "--1", "1.2.3", "0.", ".5e1", "+1", "1d0", "12abc", "\t"};
  return t;
}

/// Splits into lines (without '\n'); remembers whether the text ended with a newline.
inline std::vector<std::string> split_lines(const std::string &text, bool &final_newline)
{
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) {
      lines.push_back(text.substr(pos));
      pos = text.size();
    } else {
      lines.push_back(text.substr(pos, nl - pos));
      pos = nl + 1;
    }
  }
  final_newline = !text.empty() && text.back() == '\n';
  return lines;
}

inline std::string join_lines(const std::vector<std::string> &lines, bool final_newline)
{
  std::string s;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    s += lines[i];
    if (i + 1 < lines.size() || final_newline) s += '\n';
  }
  return s;
}

/// Words of a line separated by blanks/tabs, with their start offsets.
inline std::vector<std::pair<std::size_t, std::size_t>> word_spans(const std::string &line)
{
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  std::size_t pos = 0;
  while (true) {
    pos = line.find_first_not_of(" \t\r", pos);
    if (pos == std::string::npos) break;
    std::size_t end = line.find_first_of(" \t\r", pos);
    if (end == std::string::npos) end = line.size();
    spans.emplace_back(pos, end - pos);
    pos = end;
  }
  return spans;
}

/// The mutation operators (names for the per-kind statistics).
enum MutationOp {
  kBitFlip,          ///< flip one bit of one byte
  kByteReplace,      ///< replace one byte by a random byte (0..255)
  kTruncateByte,     ///< cut the text at a random byte
  kTruncateLine,     ///< keep only the first k lines
  kTokenNasty,       ///< replace one word by a nasty token
  kTokenNumeric,     ///< replace one number by a related extreme value (negated, x1e6, +1, 0, huge)
  kLineDelete,       ///< delete a line
  kLineDuplicate,    ///< duplicate a line
  kLineEmpty,        ///< insert an empty line
  kLineSwap,         ///< swap two lines
  kTokenDuplicate,   ///< repeat a word on its line
  kTokenDelete,      ///< delete a word
  kJunkInsert,       ///< insert 1-8 random bytes
  kLongLine,         ///< append a 2000-character word to a line
  kNumMutationOps
};

inline const char *mutation_name(int op)
{
  static const char *names[] = {"bit-flip",   "byte-replace",   "truncate-byte",   "truncate-line",  "token-nasty",
                                "token-numeric", "line-delete", "line-duplicate",  "line-empty",     "line-swap",
                                "token-duplicate", "token-delete", "junk-insert",  "long-line"};
  return (op >= 0 && op < kNumMutationOps) ? names[op] : "?";
}

/// A numeric relative of `w`: what a careless edit or a bad generator writes instead.
inline std::string numeric_variant(const std::string &w, FuzzRng &rng)
{
  static const char *extremes[] = {"0", "-1", "1e308", "-1e308", "1e-320", "2147483648", "-2147483649",
                                   "99999999999999999999", "1000000000", "nan", "inf", "0x10"};
  switch (rng.below(6)) {
    case 0: return (!w.empty() && w[0] == '-') ? w.substr(1) : "-" + w;
    case 1: return w + "000000";
    case 2: return w + "e30";
    case 3: return w + "e-30";
    case 4: {
      char *end = nullptr;
      const long long v = std::strtoll(w.c_str(), &end, 10);
      if (end && *end == '\0' && !w.empty()) return std::to_string(v + (rng.chance(50) ? 1 : -1));
      return w + "1";
    }
    default: return extremes[rng.below(sizeof(extremes) / sizeof(extremes[0]))];
  }
}

/// Applies operator `op` to `text` (a no-op where it does not apply, e.g. a line swap of one line).
inline std::string apply_mutation(const std::string &text, int op, FuzzRng &rng)
{
  bool nl = true;
  std::vector<std::string> lines = split_lines(text, nl);
  auto pick_word_line = [&]() -> long {
    std::vector<std::size_t> with_words;
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (!word_spans(lines[i]).empty()) with_words.push_back(i);
    return with_words.empty() ? -1 : static_cast<long>(with_words[rng.below(with_words.size())]);
  };
  switch (op) {
    case kBitFlip: {
      if (text.empty()) return text;
      std::string t = text;
      t[rng.below(t.size())] ^= static_cast<char>(1u << rng.below(8));
      return t;
    }
    case kByteReplace: {
      if (text.empty()) return text;
      std::string t = text;
      t[rng.below(t.size())] = static_cast<char>(rng.below(256));
      return t;
    }
    case kTruncateByte: return text.substr(0, rng.below(text.size() + 1));
    case kTruncateLine:
      lines.resize(rng.below(lines.size() + 1));
      return join_lines(lines, true);
    case kTokenNasty:
    case kTokenNumeric:
    case kTokenDuplicate:
    case kTokenDelete: {
      const long li = pick_word_line();
      if (li < 0) return text;
      std::string &l = lines[li];
      const auto spans = word_spans(l);
      std::vector<std::size_t> numeric;
      for (std::size_t k = 0; k < spans.size(); ++k) {
        const char c = l[spans[k].first];
        if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') numeric.push_back(k);
      }
      std::size_t k = rng.below(spans.size());
      if (op == kTokenNumeric && !numeric.empty()) k = numeric[rng.below(numeric.size())];
      const std::string word = l.substr(spans[k].first, spans[k].second);
      std::string repl;
      if (op == kTokenNasty) repl = nasty_tokens()[rng.below(nasty_tokens().size())];
      else if (op == kTokenNumeric) repl = numeric_variant(word, rng);
      else if (op == kTokenDuplicate) repl = word + " " + word;
      l.replace(spans[k].first, spans[k].second, repl);
      return join_lines(lines, nl);
    }
    case kLineDelete:
      if (lines.empty()) return text;
      lines.erase(lines.begin() + static_cast<long>(rng.below(lines.size())));
      return join_lines(lines, nl);
    case kLineDuplicate: {
      if (lines.empty()) return text;
      const std::size_t i = rng.below(lines.size());
      lines.insert(lines.begin() + static_cast<long>(i), lines[i]);
      return join_lines(lines, nl);
    }
    case kLineEmpty:
      lines.insert(lines.begin() + static_cast<long>(rng.below(lines.size() + 1)), std::string());
      return join_lines(lines, nl);
    case kLineSwap:
      if (lines.size() < 2) return text;
      std::swap(lines[rng.below(lines.size())], lines[rng.below(lines.size())]);
      return join_lines(lines, nl);
    case kJunkInsert: {
      std::string t = text;
      std::string junk;
      const std::size_t n = 1 + rng.below(8);
      for (std::size_t k = 0; k < n; ++k) junk += static_cast<char>(rng.below(256));
      return t.insert(rng.below(t.size() + 1), junk);
    }
    case kLongLine: {
      if (lines.empty()) lines.emplace_back();
      lines[rng.below(lines.size())] += " " + std::string(2000, rng.chance(50) ? '7' : 'x');
      return join_lines(lines, nl);
    }
    default: return text;
  }
}

/// One fuzz case: 1 to 3 mutations of `seed` (mostly 1); `ops` receives the operators applied.
inline std::string mutate(const std::string &seed, FuzzRng &rng, std::vector<int> *ops = nullptr)
{
  const std::size_t n = rng.chance(70) ? 1 : (rng.chance(60) ? 2 : 3);
  std::string t = seed;
  for (std::size_t k = 0; k < n; ++k) {
    const int op = static_cast<int>(rng.below(kNumMutationOps));
    if (ops) ops->push_back(op);
    t = apply_mutation(t, op, rng);
  }
  return t;
}

/// Printable excerpt of a (possibly binary) input for failure messages.
inline std::string printable(const std::string &s, std::size_t max = 4000)
{
  std::string out;
  for (std::size_t i = 0; i < s.size() && out.size() < max; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n' || c == '\t' || (c >= 32 && c < 127)) {
      out += static_cast<char>(c);
    } else {
      static const char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (out.size() >= max) out += "\n... (" + std::to_string(s.size()) + " bytes in all)";
  return out;
}

}    // namespace reval::fuzz
