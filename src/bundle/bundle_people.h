// people.toml of a key-set bundle (docs/trust-model.md "Keyring directory and key-set
// bundles"): who holds which keys.
//
//   [people.jia]                 # short name, [a-z0-9._-]+
//   name = "Jia Tan"             # optional display name
//   emails = ["jia@example.org"] # optional
//   keys = ["ssh:SHA256:..."]    # canonical key ids
//
// Nothing else: an unknown table or field, a value of the wrong type, a
// non-canonical key id or a key listed for two people is an error
// (ErrorKind::malformed) of the form "people.toml:4:8: MESSAGE".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "trust/model.h"
#include "vouch/result.h"

namespace vouch::trust {

/// Parses people.toml (text as read; `source` names it in errors). People
/// come back ordered by name.
Result<std::vector<Person>> parse_people_toml(std::string_view text, const std::string& source = "people.toml");

/// The people.toml text for `people` (ordered by name, keys in given order).
std::string serialize_people_toml(const std::vector<Person>& people);

}  // namespace vouch::trust
