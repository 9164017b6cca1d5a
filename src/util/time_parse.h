// Times and durations as users write them on the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vouch::util {

/// Unix seconds ("1764000000", "@1764000000"), a date "2026-01-31" (00:00 UTC)
/// or "2026-01-31T12:00:00Z". nullopt for anything else.
std::optional<int64_t> parse_time(std::string_view text);

/// "90d", "12h", "30m", "45s", "2w", "1y" (365 days); nullopt otherwise.
std::optional<int64_t> parse_duration(std::string_view text);

}  // namespace vouch::util
