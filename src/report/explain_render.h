// Text and JSON of `vouch policy explain` (docs/policy.md).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "verify/explain.h"

namespace vouch::report {

/// {"schema", "commit", "governed_by", "serial", "changed_paths", "rules":
/// [{"name", "implicit", "self_approval", "notify", "matches": [{"pattern",
/// "paths"}], "requirements": [{"requirement", "need", "candidates"}]}],
/// "notes", and with a trust root "trust_root", "descends_from_trust_root"}.
nlohmann::json explain_json(const verify::Explanation& ex);

/// "commit C is governed by the policy of P (serial N)", then per rule what
/// matched and who can satisfy it, then the notes.
std::string explain_text(const verify::Explanation& ex);

}  // namespace vouch::report
