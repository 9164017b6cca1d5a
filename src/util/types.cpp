#include "vouch/types.h"

#include <cctype>

namespace vouch {

std::string_view to_string(SigStatus s) {
  switch (s) {
    case SigStatus::good: return "good";
    case SigStatus::bad: return "bad";
    case SigStatus::missing: return "missing";
    case SigStatus::unknown_key: return "unknown-key";
    case SigStatus::expired_key: return "expired-key";
    case SigStatus::revoked_key: return "revoked-key";
    case SigStatus::weak: return "weak";
    case SigStatus::unsupported: return "unsupported";
    case SigStatus::malformed: return "malformed";
  }
  return "malformed";
}

std::string_view to_string(Sha1RuleSource s) {
  switch (s) {
    case Sha1RuleSource::default_cutoff: return "default";
    case Sha1RuleSource::policy: return "policy";
    case Sha1RuleSource::flag: return "--allow-sha1-before";
  }
  return "default";
}

std::string_view to_string(KeyKind k) { return k == KeyKind::ssh ? "ssh" : "openpgp"; }

std::string KeyId::str() const { return std::string(to_string(kind)) + ":" + id; }

namespace {
bool all_hex(std::string_view s) {
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}
std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}
bool valid_ssh_fpr(std::string_view s) {
  // "SHA256:" + 43 chars of unpadded base64 for a 32-byte digest.
  if (!s.starts_with("SHA256:") || s.size() != 7 + 43) return false;
  for (char c : s.substr(7))
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return false;
  return true;
}
}  // namespace

std::optional<KeyId> KeyId::parse(std::string_view text) {
  if (text.starts_with("openpgp:")) text.remove_prefix(8);
  else if (text.starts_with("ssh:")) {
    text.remove_prefix(4);
    if (!valid_ssh_fpr(text)) return std::nullopt;
    return KeyId{KeyKind::ssh, std::string(text)};
  } else if (valid_ssh_fpr(text)) {
    return KeyId{KeyKind::ssh, std::string(text)};
  }
  if ((text.size() == 40 || text.size() == 64) && all_hex(text))
    return KeyId{KeyKind::openpgp, upper(text)};
  return std::nullopt;
}

}  // namespace vouch
