/// @file text.h
/// The small text helpers the core's readers share (site files, templates, extended XYZ, reval-fit input).
#pragma once

#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

namespace reval::text {

/// v with 17 significant digits (%.17g): read back, it is bitwise the same double.
inline std::string g17(double v)
{
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// Whitespace-separated words of s (spaces, tabs, carriage returns, ...).
inline std::vector<std::string> words(const std::string &s)
{
  std::vector<std::string> out;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    while (i < n && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < n && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

/// s without the part from the first of `starts` (comment characters) on.
inline std::string strip_comment(const std::string &s, const char *starts = "#")
{
  const size_t at = s.find_first_of(starts);
  return at == std::string::npos ? s : s.substr(0, at);
}

/// s without leading and trailing whitespace.
inline std::string trim(const std::string &s)
{
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

inline std::string to_lower(std::string s)
{
  for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline std::string to_upper(std::string s)
{
  for (char &c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}    // namespace reval::text
