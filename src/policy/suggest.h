// Near-miss names for error messages: `unknown field "self_aproval" (did you
// mean "self_approval"?)`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vouch::policy {

/// Optimal-string-alignment (restricted Damerau-Levenshtein) distance:
/// insertions, deletions, substitutions and swaps of two adjacent bytes each
/// cost 1. ASCII letters compare case-insensitively.
size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` when it is close enough to be a typo
/// (distance <= 2, or <= 1 for words of 3 bytes or fewer); the first such
/// candidate wins ties. nullopt when none is close or `word` is a candidate.
std::optional<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates);

/// ` (did you mean "X"?)` when suggest() finds an X for `word`, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace vouch::policy
