#include "verify/signature_rules.h"

#include <limits>

#include "util/time_parse.h"

namespace vouch::verify {

static_assert(policy::kDefaultSha1Cutoff == kDefaultSha1Cutoff, "one default SHA-1 cut-off");

SignatureRules signature_rules(const policy::Policy& policy, std::optional<int64_t> allow_sha1_before) {
  SignatureRules rules;
  rules.sha1_cutoff = policy.allow_sha1_before;
  rules.sha1_source = policy.allow_sha1_before == kDefaultSha1Cutoff ? Sha1RuleSource::default_cutoff
                                                                     : Sha1RuleSource::policy;
  rules.require_user_presence = policy.require_user_presence;
  if (allow_sha1_before) {
    rules.sha1_cutoff = *allow_sha1_before;
    rules.sha1_source = Sha1RuleSource::flag;
  }
  return rules;
}

SignatureRules signature_rules(std::optional<int64_t> allow_sha1_before) {
  SignatureRules rules;
  if (allow_sha1_before) {
    rules.sha1_cutoff = *allow_sha1_before;
    rules.sha1_source = Sha1RuleSource::flag;
  }
  return rules;
}

std::optional<int64_t> parse_sha1_cutoff(std::string_view text) {
  if (text == "never") return std::numeric_limits<int64_t>::min();
  return util::parse_time(text);
}

}  // namespace vouch::verify
