// The web of trust's vocabulary (docs/trust-model.md): keys, people, signed endorsements
// and revocations, roots, audit entries. Plain values; the store persists
// them, statement.h signs and parses them, wot.h computes trust over them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "statement/statement.h"
#include "vouch/types.h"

namespace vouch::trust {

/// Amount of trust: 120 = full, 60 = partial, 0 = retraction.
inline constexpr int kFullTrust = 120;
/// Depth 255 = unlimited introductions.
inline constexpr int kUnlimitedDepth = 255;

/// "vouch endorsement v1": issuer vouches that target belongs to person/emails.
struct Endorsement {
  KeyId issuer;
  KeyId target;
  std::optional<std::string> person;
  std::vector<std::string> emails;
  int amount = kFullTrust;  ///< 0..120
  int depth = 0;            ///< 0 = identity only; n = may introduce n more hops; 255 = unlimited
  std::vector<std::string> scopes;  ///< globs over emails; empty = no restriction
  int64_t created = 0;
  std::optional<int64_t> expires;
  std::optional<std::string> comment;
};

enum class RevocationReason { compromised, superseded, retired, unspecified };
std::string_view to_string(RevocationReason r);
std::optional<RevocationReason> parse_revocation_reason(std::string_view s);
/// compromised and unspecified are hard: every signature by the key is void.
inline bool is_hard(RevocationReason r) {
  return r == RevocationReason::compromised || r == RevocationReason::unspecified;
}

/// "vouch revocation v1".
struct RevocationStatement {
  KeyId key;
  RevocationReason reason = RevocationReason::unspecified;
  int64_t created = 0;
  std::optional<std::string> comment;
};

/// A statement as it travels (statement/statement.h).
using SignedStatement = statement::SignedStatement;

/// A key as the database holds it.
struct KeyRecord {
  KeyId id;
  std::string material;  ///< armored OpenPGP certificate, or the OpenSSH public key line
  std::vector<std::string> signing_subkeys;  ///< OpenPGP: upper-hex fingerprints of signing-capable (sub)keys
  std::optional<int64_t> created;
  std::optional<int64_t> expires;
  int64_t first_seen = 0;
  std::string added_by = "local";  ///< actor key id or "local"
  std::string comment;             ///< why it was added
  std::optional<std::string> person;  ///< owner's short name
};

struct Person {
  std::string name;  ///< short name, [a-z0-9._-]+
  std::string display_name;
  std::vector<std::string> emails;
  std::vector<KeyId> keys;
};

/// A revocation as recorded: signed (statement line or OpenPGP revocation
/// certificate) or a local decision of the database owner (no statement).
struct RevocationRecord {
  KeyId key;
  RevocationReason reason = RevocationReason::unspecified;
  int64_t time = 0;
  std::optional<std::string> statement;  ///< the signed line; absent for a local decision
  std::optional<std::string> comment;
};

struct AuditEntry {
  int64_t seq = 0;
  int64_t time = 0;
  std::string actor;    ///< key id or "local"
  std::string action;   ///< "key.import", "person.add", "endorse", ...
  std::string payload;  ///< canonical JSON
  std::string prev_hash;  ///< hex
  std::string hash;       ///< hex SHA-256(prev_hash || payload)
};

}  // namespace vouch::trust
