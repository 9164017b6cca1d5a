#include "util/time_parse.h"

#include <gtest/gtest.h>

namespace vouch::util {
namespace {

TEST(TimeParseTest, AcceptsUnixSecondsAndUtcDates) {
  EXPECT_EQ(parse_time("1764000000"), 1764000000);
  EXPECT_EQ(parse_time("@1764000000"), 1764000000);
  EXPECT_EQ(parse_time("2024-01-16"), 1705363200);
  EXPECT_EQ(parse_time("2024-01-16T12:00:00Z"), 1705406400);
}

TEST(TimeParseTest, RejectsEverythingElse) {
  EXPECT_EQ(parse_time("2024-13-01"), std::nullopt);
  EXPECT_EQ(parse_time("yesterday"), std::nullopt);
  EXPECT_EQ(parse_time("2024-01-16 12:00"), std::nullopt);
  EXPECT_EQ(parse_time(""), std::nullopt);
}

TEST(TimeParseTest, ParsesDurations) {
  EXPECT_EQ(parse_duration("90d"), 90 * 86400);
  EXPECT_EQ(parse_duration("1d"), 86400);
  EXPECT_EQ(parse_duration("12h"), 12 * 3600);
  EXPECT_EQ(parse_duration("2w"), 14 * 86400);
  EXPECT_EQ(parse_duration("d"), std::nullopt);
  EXPECT_EQ(parse_duration("10x"), std::nullopt);
  EXPECT_EQ(parse_duration("-1d"), std::nullopt);
}

}  // namespace
}  // namespace vouch::util
