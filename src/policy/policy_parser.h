// Parser and validator of .vouch/policy.toml (docs/policy.md). Input is
// untrusted: any bytes give a Policy or errors, never a crash. Everything
// unknown or inconsistent is an error with `FILE:LINE:COLUMN: message`
// pointing at the offending key or value, with a near-miss suggestion where
// one exists (`unknown group "maintainer" (did you mean "maintainers"?)`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.h"
#include "vouch/result.h"

namespace vouch::policy {

/// Every problem found in one policy file, or the validated Policy.
struct PolicyCheck {
  std::optional<Policy> policy;     ///< set iff errors is empty
  std::vector<std::string> errors;  ///< "FILE:LINE:COLUMN: message", in file order
};

/// Parses and validates the whole file, collecting every error it can
/// (an error that would only repeat an earlier one is not reported twice).
/// On success, `policy->rules` ends with the implicit rule "policy"
/// (implicit = true) unless [[rules]] entries already cover both the policy
/// file and the keyring directory; its paths are the uncovered ones of
/// ".vouch/policy.toml" and "<keyring>/**", and it requires "all of G" for
/// every group G. Requirements "all of G" get count = size of G.
PolicyCheck check_policy(std::string_view text, std::string_view filename);

/// check_policy() for callers that want one error: the first one, as an
/// Error of kind malformed.
Result<Policy> parse_policy(std::string_view text, std::string_view filename);

}  // namespace vouch::policy
