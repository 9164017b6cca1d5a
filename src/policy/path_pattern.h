// Gitignore-style path patterns (docs/policy.md "Path patterns"), compiled once and
// matched against repository paths (byte strings, '/'-separated, no leading
// '/', as git writes them).
//
// Semantics (docs/policy.md has the full table):
// - `*` matches any run of bytes within one segment (also a leading '.'),
//   `?` one byte, `[abc]` `[a-z]` `[!a]` `[^a]` one byte of a class; `\x`
//   is a literal x. `**` as a whole segment spans zero or more segments
//   (`a/**/b`, `**/x`, `x/**`); elsewhere `**` is just `*`.
// - A pattern without a '/' (other than a trailing one) matches a name at
//   any depth: `*.m4` matches `m4/build-to-host.m4`. A leading '/' or a '/'
//   in the middle anchors the pattern at the repository root.
// - As in gitignore, a pattern that matches a directory covers everything
//   below it: `m4` covers `m4/x.m4` and `sub/m4/x`, `docs/*` covers
//   `docs/a/b`. A trailing '/' or '/**' says "this directory" explicitly;
//   because vouch sees paths and not file types (a submodule or a
//   file-for-directory swap is a single path), `m4/` also matches a path that
//   is exactly `m4` — vouch errs on the side of protecting more.
// - Case-insensitive with ASCII folding only: `SECURITY.md` matches
//   `Security.md`; bytes >= 0x80 (UTF-8 or not) compare exactly. No other
//   normalisation (no Unicode folding, no `./`, no `//` collapsing).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/result.h"

namespace vouch::policy {

class PathPattern {
 public:
  /// Compiles `pattern`. Errors (malformed), naming the pattern: empty
  /// pattern, empty segment ("a//b"), "." or ".." segment, unclosed "[",
  /// trailing "\".
  static Result<PathPattern> compile(std::string_view pattern);

  /// True when the pattern covers `path` (the path itself or a directory
  /// above it). Never allocates.
  bool matches(std::string_view path) const;

  /// The pattern as written.
  const std::string& text() const { return text_; }

 private:
  // One token of a segment glob.
  struct Token {
    enum class Kind : uint8_t { literal, any, cls, star } kind;
    uint8_t byte = 0;          ///< literal, already ASCII-folded
    uint16_t cls_index = 0;    ///< into classes_
  };
  struct Segment {
    enum class Kind : uint8_t { literal, suffix, glob, globstar } kind;
    std::string literal;       ///< literal: the whole segment; suffix: what follows the leading '*' (folded)
    std::vector<Token> tokens; ///< glob
  };
  using ByteSet = std::array<uint64_t, 4>;

  bool match_segment(const Segment& s, std::string_view name) const;
  bool match_glob(const std::vector<Token>& tokens, std::string_view name) const;

  std::string text_;
  std::vector<Segment> segments_;
  std::vector<ByteSet> classes_;
};

}  // namespace vouch::policy
