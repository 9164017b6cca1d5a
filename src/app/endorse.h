// The endorsement use case (docs/trust-model.md): build the canonical
// endorsement, sign it with the issuer's own key, verify the signature back
// against the database's keyring (so a statement that would be refused on
// import is never stored) and store it, audited.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "trust/model.h"
#include "trustdb/store.h"
#include "vouch/result.h"

namespace vouch::app {

struct EndorseOptions {
  std::string repo = ".";  ///< where git's user.signingkey is read when `as` is empty
  std::string target;      ///< key id, fingerprint, public key file or person
  /// SSH key file (private, or the .pub of an agent key) or OpenPGP fingerprint.
  std::string as;
  int amount = trust::kFullTrust;  ///< 0..120; 0 retracts
  int depth = 0;
  std::vector<std::string> scopes, emails;
  std::string person;   ///< empty: whom the database binds the target to
  std::string expires;  ///< a date, unix seconds or a duration from now; empty: never
  std::string comment;
};

struct EndorseResult {
  trust::Endorsement endorsement;  ///< as verified back from the signed statement
  std::string line;                ///< the transport line stored
  trust::PutEndorsementResult put;
};

/// Refusals (bad_input): an unknown target, a signing key that is not in the
/// database or cannot be read, a bad --expires, a statement whose signature
/// does not verify against the database's keyring.
Result<EndorseResult> endorse(const EndorseOptions& opts, trust::TrustStore& db);

}  // namespace vouch::app
