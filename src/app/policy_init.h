// `vouch policy init` (docs/policy.md, docs/user-guide.md): writes a starter
// .vouch/policy.toml and, for --key FILE, the key files into .vouch/keys/.
// Every key is resolved and the policy checked before anything is written;
// files are written atomically.
#pragma once

#include <string>
#include <vector>

#include "vouch/result.h"

namespace vouch::app {

struct PolicyInitOptions {
  std::string repo = ".";
  std::vector<std::string> people;  ///< --person NAME, paired with...
  std::vector<std::string> keys;    ///< ...--key: a key id or a public key file
  bool force = false;               ///< overwrite an existing policy
};

struct PolicyInitResult {
  bool complete = false;               ///< people were given: no FILL-IN left
  size_t keys_given = 0;               ///< --key arguments
  std::vector<std::string> key_files;  ///< written, relative to the repository root
};

/// Refusals (bad_input): unpaired --person/--key, an existing policy without
/// `force`, a key file with other than one key, a --key that is neither an id
/// nor a file, a policy for these people that would not be valid.
Result<PolicyInitResult> init_policy(const PolicyInitOptions& opts);

}  // namespace vouch::app
