#include "trust/model.h"

namespace vouch::trust {

std::string_view to_string(RevocationReason r) {
  switch (r) {
    case RevocationReason::compromised: return "compromised";
    case RevocationReason::superseded: return "superseded";
    case RevocationReason::retired: return "retired";
    case RevocationReason::unspecified: return "unspecified";
  }
  return "unspecified";
}

std::optional<RevocationReason> parse_revocation_reason(std::string_view s) {
  if (s == "compromised") return RevocationReason::compromised;
  if (s == "superseded") return RevocationReason::superseded;
  if (s == "retired") return RevocationReason::retired;
  if (s == "unspecified") return RevocationReason::unspecified;
  return std::nullopt;
}

}  // namespace vouch::trust
