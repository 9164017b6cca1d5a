// Canonical signed statements (docs/policy.md "Approvals"; docs/trust-model.md): the exact text that is signed, parsed
// strictly into structs and written back byte for byte, and the one-line
// transport form `vouch-<type> v1 <base64 text> <base64 signature>`.
//
// The canonical rules are shared by every statement type: a fixed header
// line, then "key value" lines in a fixed order, each ending in LF (the last
// one too), optional lines may be absent, repeatable lines are consecutive,
// no CR, no blank line, no trailing space, no control character, valid UTF-8,
// nothing else. The generic machinery (StatementSchema, parse_statement_fields)
// is public so that approvals reuse it. Every accepted text x satisfies
// serialize(parse(x)) == x: one statement, one encoding, one signature.
//
// Errors are ErrorKind::malformed and say where: `statement:3: expected
// "target", found "person"`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/result.h"
#include "vouch/types.h"

namespace vouch::statement {

inline constexpr std::string_view kEndorsementHeader = "vouch endorsement v1";
inline constexpr std::string_view kRevocationHeader = "vouch revocation v1";
inline constexpr std::string_view kApprovalHeader = "vouch approval v1";

/// Transport types, which are also the SSH signature namespaces.
inline constexpr std::string_view kEndorsementType = "vouch-endorsement";
inline constexpr std::string_view kRevocationType = "vouch-revocation";
inline constexpr std::string_view kApprovalType = "vouch-approval";

/// Longest statement text accepted (a statement is a handful of short lines).
inline constexpr size_t kMaxStatementSize = 64 * 1024;

// ---- generic machinery -----------------------------------------------------

struct FieldSpec {
  std::string_view name;
  bool required = true;
  bool repeatable = false;
};

/// A statement type: its header line and its fields in canonical order.
struct StatementSchema {
  std::string_view header;
  std::vector<FieldSpec> fields;
};

/// One "key value" line as found; `line` is 1-based (the header is line 1).
struct StatementField {
  std::string_view name;
  std::string_view value;
  size_t line = 0;
};

/// Checks the canonical rules above against `schema` and splits the text into
/// its fields, in order; the views point into `text`. Values are non-empty
/// and do not start with a space; their content is the caller's to check.
Result<std::vector<StatementField>> parse_statement_fields(std::string_view text, const StatementSchema& schema);

/// Value checks shared by every statement type; each returns an Error naming the line.
/// A decimal number in [min, max] without sign or leading zero.
Result<int64_t> parse_statement_number(const StatementField& f, int64_t min, int64_t max);
/// A canonical key id: KeyId::parse(v)->str() == v.
Result<KeyId> parse_statement_key(const StatementField& f);

/// "statement:LINE: MESSAGE" (kind malformed), the one error shape of every
/// statement parser.
Error malformed_at(size_t line, const std::string& message);
/// Untrusted text for a one-line message: quoted, non-printable and
/// non-ASCII bytes as \xNN, cut after 60 bytes.
std::string quote(std::string_view s);

/// A statement as it travels: "vouch-endorsement v1 <b64 text> <b64 sig>".
struct SignedStatement {
  std::string type;       ///< "vouch-endorsement" | "vouch-revocation" | "vouch-approval"
  std::string text;       ///< the canonical statement bytes that were signed
  std::string signature;  ///< binary: SSHSIG blob or OpenPGP signature packet(s)
};

// ---- transport line --------------------------------------------------------

/// The header line a transport type carries ("vouch-endorsement" -> "vouch
/// endorsement v1"); empty for an unknown type.
std::string_view header_for_type(std::string_view type);

/// Parses `vouch-<type> v1 <base64 text> <base64 signature>`: exactly four
/// fields separated by single spaces, no line break, a known type, version
/// v1, strict padded base64, a non-empty signature, and a text whose first
/// line is the type's header. The text itself is not parsed further here.
/// Errors are malformed, prefixed "statement line: ".
Result<SignedStatement> parse_transport_line(std::string_view line);
/// The line for `st` (no trailing newline).
std::string to_transport_line(const SignedStatement& st);

}  // namespace vouch::statement
