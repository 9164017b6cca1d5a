// Pure functions over raw git object bytes (what `git cat-file commit|tag`
// prints): where the signature is, what bytes it signs, and a few header
// values. No libgit2 here; the input is untrusted and may be anything.
//
// The splitting rules are git's own (spec docs/signatures.md "Where signatures live
// in git"), so that the payload is byte-for-byte what the signer signed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/repository.h"

#include "vouch/result.h"

namespace vouch::git {

struct CommitSignature {
  /// Header value with continuation lines unfolded, every line '\n'-terminated
  /// as git's own parser returns it (libgit2's extract_signature drops the
  /// last newline; armor parsing does not care).
  std::string signature;
  std::string payload;    ///< the commit without its gpgsig/gpgsig-sha256 headers
  bool present = false;   ///< false: unsigned (signature empty)
  /// The commit carries a `gpgsig-sha256` header but no `gpgsig`: it is
  /// unsigned here (present false), and reports can say why.
  bool only_sha256_signature = false;
};

/// Splits a commit into signature and signed payload. The payload is the raw
/// commit with the `gpgsig` and `gpgsig-sha256` headers and their continuation
/// lines (lines starting with one space) removed; every other byte stays.
/// The signature is the `gpgsig` header's. vouch reads SHA-1 repositories
/// only, where git ignores `gpgsig-sha256` (it signs the SHA-256 encoding
/// of the commit): a commit signed only that way is unsigned (present
/// false, only_sha256_signature true), as `git verify-commit` says.
/// Errors (malformed): two gpgsig (or two gpgsig-sha256) headers, a
/// continuation line with no header before it, a header section not
/// terminated by a blank line.
Result<CommitSignature> split_commit_signature(std::string_view raw_commit);

struct TagSignature {
  std::string signature;  ///< from the armor header line to the end of the object
  std::string payload;    ///< every byte before it (the whole tag when unsigned)
  bool present = false;
};

/// Splits an annotated tag. Like git, the signature starts at the last line
/// that begins with a known armor header: "-----BEGIN PGP SIGNATURE-----",
/// "-----BEGIN PGP MESSAGE-----" (git accepts it; never a valid detached
/// signature, so it fails later), "-----BEGIN SSH SIGNATURE-----" or
/// "-----BEGIN SIGNED MESSAGE-----" (X.509, reported unsupported later).
TagSignature split_tag_signature(std::string_view raw_tag);

/// The `mergetag` headers of a commit, in order: each a raw tag object with
/// its continuation lines unfolded (exactly the bytes `git cat-file tag` would
/// print for that tag). Only the header section is read; garbage yields fewer.
std::vector<std::string> mergetags(std::string_view raw_commit);

/// The committer time (unix seconds, the ident's timezone does not change it)
/// of a raw commit; nullopt when missing or not a number.
std::optional<int64_t> committer_time(std::string_view raw_commit);

/// The tagger time of a raw annotated tag; nullopt when missing (old tags may
/// have no tagger) or not a number.
std::optional<int64_t> tagger_time(std::string_view raw_tag);

/// The `tag` header (the tag's own name, "v1.0") of a raw annotated tag;
/// nullopt when missing.
std::optional<std::string> tag_name(std::string_view raw_tag);

/// When an annotated tag's `tag` header does not equal the name it is
/// verified under (an old, validly signed tag re-published under a new name,
/// threat 29): "tag name mismatch: refs/tags/v2.0 holds tag object
/// 1a2b3c4d5e6f named v1.0". nullopt when they agree or the tag is lightweight.
std::optional<std::string> tag_name_mismatch(const Repository::Tag& tag);

/// The `parent` oids of a raw commit, in order (first parent first).
std::vector<std::string> commit_parents(std::string_view raw_commit);

/// Longest summary message_summary returns before it cuts and adds "...".
inline constexpr size_t kMaxSummaryBytes = 200;

/// First line of the message of a raw commit or tag object ("" if none),
/// cut to kMaxSummaryBytes bytes (at a UTF-8 boundary) followed by "...".
std::string message_summary(std::string_view raw_object);

}  // namespace vouch::git
