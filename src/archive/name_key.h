// When two archive names are "the same file" to some extractor on some file
// system (threat 30): case-insensitive file systems (NTFS, APFS and HFS+ by
// default) fold case with Unicode's rules, not only ASCII's; APFS and HFS+
// also treat NFD "café" (e + combining acute) and NFC "café" as one name;
// Windows extractors read '\' as a separator. The key of a name is what they
// all compare: '\' read as '/', then Unicode canonical caseless matching
// (NFD, full case folding, NFC) through libunistring.
#pragma once

#include <string>
#include <string_view>

namespace vouch::archive {

/// The collision key of `name`. Names that are not valid UTF-8 fold ASCII
/// letters only (no extractor agrees on what their other bytes mean).
std::string collision_key(std::string_view name);

/// `name` in Unicode NFC, or unchanged when it is not valid UTF-8.
std::string nfc(std::string_view name);

/// How `a` and `b` (different bytes, same collision key) collide, for a
/// message: "after Unicode NFC normalisation" when their NFC forms are
/// equal, "as Windows reads '\\'" when only separators differ, otherwise
/// "case-insensitively".
std::string collision_kind(std::string_view a, std::string_view b);

}  // namespace vouch::archive
