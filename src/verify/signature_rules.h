// Which SignatureRules a verification applies (docs/signatures.md, "SHA-1"
// and "FIDO user presence"): the governing policy's [signatures] table, the
// defaults in keyring mode, and --allow-sha1-before over either. One place,
// so that commits, tags, approvals, files and archives agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "policy/policy.h"
#include "vouch/types.h"

namespace vouch::verify {

/// The rules under `policy`; `allow_sha1_before` (the command line's
/// override, INT64_MIN for "never") replaces its SHA-1 cut-off when set.
/// The source is "policy" when the policy moves the cut-off from the
/// default, "default" when it does not, "--allow-sha1-before" for the flag.
SignatureRules signature_rules(const policy::Policy& policy, std::optional<int64_t> allow_sha1_before);

/// Keyring mode (no policy): the defaults, with the override when set.
SignatureRules signature_rules(std::optional<int64_t> allow_sha1_before);

/// Parses a --allow-sha1-before value: "never" (INT64_MIN), unix seconds or
/// a date ("2017-06-01", "2017-06-01T00:00:00Z"); nullopt for anything else.
std::optional<int64_t> parse_sha1_cutoff(std::string_view text);

}  // namespace vouch::verify
