#include "core/version.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

TEST(Version, IsSemantic)
{
  std::string v = reval::version();
  std::smatch m;
  ASSERT_TRUE(std::regex_match(v, m, std::regex(R"(([0-9]+)\.([0-9]+)\.([0-9]+))"))) << v;
  EXPECT_EQ(reval::version_number(), std::stoi(m[1]) * 10000 + std::stoi(m[2]) * 100 + std::stoi(m[3]));
}

TEST(Version, BuildSummaryNamesVersion)
{
  std::string s = reval::build_summary();
  EXPECT_EQ(s.rfind(std::string("REVAL ") + reval::version() + " (git ", 0), 0u) << s;
  EXPECT_NE(s.find(')'), std::string::npos) << s;
}
