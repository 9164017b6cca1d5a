// Approval statements (docs/policy.md "Approvals"): one person's signed statement
// that they approve one commit or tag object, bound to its tree (commits) and
// to the repository id when the policy sets one; or one release archive
// (docs/release-archives.md: type archive, object = the SHA-256 of the
// archive file, bound to the tag object it was compared with).
//
//   vouch approval v1
//   object <40 or 64 lower-case hex>
//   type commit|tag|archive
//   tree <hex>                 commits only (required for them, absent otherwise)
//   tag <hex>                  archives only: the tag object (required for them, absent otherwise)
//   repository <id>            present iff the policy sets `repository`
//   signer <canonical key id>
//   created <unix seconds>
//   withdrawn yes              optional: a retraction of this signer's approvals of the object
//   comment <text>             optional
//
// The canonical line rules are those of every statement (trust/statement.h):
// every accepted text x satisfies serialize(parse_approval(x)) == x. Errors are
// ErrorKind::malformed and name the line: `statement:3: type "blob" is not
// "commit", "tag" or "archive"`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "statement/statement.h"
#include "vouch/result.h"
#include "vouch/types.h"

namespace vouch::policy {

struct Approval {
  std::string object;  ///< oid of the approved commit or tag object; archives: SHA-256 of the file
  std::string type;    ///< "commit" | "tag" | "archive"
  std::optional<std::string> tree;        ///< commits: the approved tree
  std::optional<std::string> tag;         ///< archives: the tag object
  std::optional<std::string> repository;  ///< the policy's repository id, when it sets one
  KeyId signer;                           ///< the key that signs the statement
  int64_t created = 0;                    ///< unix seconds
  std::optional<std::string> comment;     ///< one line
  /// `withdrawn yes`: a signed retraction. It counts for nothing itself and
  /// voids this signer's approvals of the same object created at or before it.
  bool withdrawn = false;

  bool operator==(const Approval&) const = default;
};

/// The approval schema for parse_statement_fields.
const statement::StatementSchema& approval_schema();

/// Parses an approval statement. Beyond the line rules: object and tree are
/// 40 or 64 lower-case hex digits (an archive's object: 64); type is
/// "commit", "tag" or "archive"; a commit approval has a tree line and no
/// tag line, an archive approval a tag line and no tree line, a tag approval
/// neither; signer is a canonical
/// key id; created is a decimal number. repository and comment are free text
/// within the line rules.
Result<Approval> parse_approval(std::string_view text);

/// The canonical text, values written as they are (see serialize_checked).
std::string serialize(const Approval& a);

/// serialize() when the text parses back to the same approval; otherwise the
/// parse error (kind malformed), e.g. for a comment holding a newline or a
/// tag approval with a tree.
Result<std::string> serialize_checked(const Approval& a);

}  // namespace vouch::policy
