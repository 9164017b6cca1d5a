// Rendering for `vouch policy check` and `vouch policy init` (docs/vouch.1).
#pragma once

#include <nlohmann/json.hpp>

#include "app/policy_init.h"
#include "policy/policy.h"
#include "policy/policy_parser.h"
#include "report/document.h"

namespace vouch::report {

/// "serial 3, 4 people, 2 groups, 3 rules + implicit policy rule[, 1 tag rule]".
std::string policy_summary_text(const policy::Policy& p);
nlohmann::json policy_summary_json(const policy::Policy& p);

/// "wrote .vouch/policy.toml[ and .vouch/keys/x.pub]" and what to do next.
Document render_policy_init(const app::PolicyInitResult& r);

/// `vouch policy check`: "FILE: valid (summary)" (text empty when `quiet`);
/// {"schema", "file", "verdict": "valid"|"invalid", "errors", "summary"}.
/// An invalid policy's errors go to stderr, one per line, so its text is empty.
Document render_policy_check(const policy::PolicyCheck& check, const std::string& shown, bool quiet);

}  // namespace vouch::report
