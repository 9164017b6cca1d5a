// OpenSSH allowed_signers files (ssh-keygen(1), "ALLOWED SIGNERS"):
//
//   principals [options] keytype base64 [comment]
//
// Blank lines and lines starting with '#' are skipped. Principals and option
// values may be double-quoted. Options: namespaces="a,b", valid-after=TIME,
// valid-before=TIME with TIME as YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z] (with Z in
// UTC, without Z in local time, as OpenSSH does). cert-authority is rejected:
// vouch does not verify SSH certificates, and silently dropping the line would
// change who may sign.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ssh_key.h"
#include "vouch/result.h"

namespace vouch::keys {

struct AllowedSigner {
  std::vector<std::string> principals;  ///< the comma-separated principals, split
  std::vector<std::string> namespaces;  ///< namespaces= list; empty = any namespace
  std::optional<int64_t> valid_after;   ///< unix seconds
  std::optional<int64_t> valid_before;  ///< unix seconds
  crypto::SshPublicKey key;             ///< comment set from the line's trailing text
  int line = 0;                         ///< 1-based line number in the file
};

/// Parses a whole file. On the first bad line returns an Error whose message is
/// `FILENAME:LINE:COLUMN: message` (1-based), e.g.
/// `allowed_signers:3:12: unknown option "foo"`. Kind is malformed, except
/// unsupported for cert-authority and unsupported key types.
Result<std::vector<AllowedSigner>> parse_allowed_signers(std::string_view text, std::string_view filename);

/// Parses an allowed_signers TIME; nullopt when it is not one of the formats.
std::optional<int64_t> parse_allowed_signers_time(std::string_view text);

}  // namespace vouch::keys
