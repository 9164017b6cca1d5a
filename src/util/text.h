// Small text helpers shared by the line-oriented parsers (allowed_signers and
// .pub files, .gitattributes).
#pragma once

#include <string_view>
#include <vector>

namespace vouch::util {

/// The words of `line`, split at runs of spaces, tabs and carriage returns;
/// views into `line`.
std::vector<std::string_view> split_words(std::string_view line);

}  // namespace vouch::util
