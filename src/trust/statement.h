// Endorsement and revocation statements (docs/trust-model.md): the
// canonical texts of statement/statement.h for the two statement types the
// trust database keeps, parsed strictly and written back byte for byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "statement/statement.h"
#include "trust/model.h"
#include "vouch/result.h"

namespace vouch::trust {

const statement::StatementSchema& endorsement_schema();
const statement::StatementSchema& revocation_schema();

// ---- endorsements and revocations ------------------------------------------

/// Parses an endorsement. Beyond the line rules: person is [a-z0-9._-]+;
/// email and scope contain no space; amount 0..120; depth 0..255; expires, when
/// present, is after created.
Result<Endorsement> parse_endorsement(std::string_view text);
/// The canonical text. Values are written as they are: check_endorsement()
/// tells whether the struct is representable (serialize_checked does both).
std::string serialize(const Endorsement& e);
/// serialize() when the result parses back to the same text and fields;
/// otherwise the parse error (kind malformed), e.g. for amount 121 or a
/// comment holding a newline.
Result<std::string> serialize_checked(const Endorsement& e);

/// Parses a revocation statement (key, reason, created, optional comment).
Result<RevocationStatement> parse_revocation(std::string_view text);
std::string serialize(const RevocationStatement& r);
Result<std::string> serialize_checked(const RevocationStatement& r);

}  // namespace vouch::trust
