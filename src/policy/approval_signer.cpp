#include "policy/approval_signer.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/ssh_key.h"
#include "crypto/sshsig.h"
#include "statement/signer.h"
#include "statement/statement.h"
#include "util/base64.h"
#include "util/byte_reader.h"
#include "util/file.h"

namespace vouch::policy {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxKeyFile = 1 << 20;

std::optional<std::string> read_small_file(const std::string& path) {
  auto text = util::read_file(path, kMaxKeyFile);
  if (!text) return std::nullopt;
  return std::move(*text);
}

/// The public key inside an OpenSSH private key file ("openssh-key-v1"):
/// stored in clear before the (possibly encrypted) private part, so no
/// passphrase is needed. nullopt for any other format.
std::optional<crypto::SshPublicKey> public_of_private(std::string_view text) {
  constexpr std::string_view kBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
  constexpr std::string_view kEnd = "-----END OPENSSH PRIVATE KEY-----";
  size_t b = text.find(kBegin);
  if (b == std::string_view::npos) return std::nullopt;
  size_t e = text.find(kEnd, b);
  if (e == std::string_view::npos) return std::nullopt;
  std::string joined;
  for (char c : text.substr(b + kBegin.size(), e - b - kBegin.size()))
    if (c != '\n' && c != '\r') joined += c;
  auto bin = util::base64_decode(joined);
  if (!bin) return std::nullopt;
  constexpr std::string_view kMagic("openssh-key-v1\0", 15);
  if (!std::string_view(*bin).starts_with(kMagic)) return std::nullopt;
  util::ByteReader r(std::string_view(*bin).substr(kMagic.size()));
  auto cipher = r.ssh_string();
  auto kdf = r.ssh_string();
  auto kdf_options = r.ssh_string();
  auto count = r.u32();
  if (!cipher || !kdf || !kdf_options || !count || *count != 1) return std::nullopt;
  auto blob = r.ssh_string();
  if (!blob) return std::nullopt;
  auto key = crypto::parse_ssh_public_key_blob(*blob);
  if (!key) return std::nullopt;
  return *key;
}

bool is_hex_fingerprint(std::string_view s) {
  if (s.size() != 40 && s.size() != 64) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

Result<SigningIdentity> ssh_identity(const std::string& path) {
  auto text = read_small_file(path);
  if (!text)
    return make_error(ErrorKind::bad_input, "signing key " + path +
                                                ": no such file (give an SSH key file, the .pub file of an "
                                                "ssh-agent key, or an OpenPGP fingerprint)");
  std::string_view first = std::string_view(*text).substr(0, text->find('\n'));
  std::optional<crypto::SshPublicKey> pub;
  if (auto line = crypto::parse_ssh_public_key_line(first)) pub = *line;
  if (!pub) pub = public_of_private(*text);
  if (!pub) {
    if (auto sibling = read_small_file(path + ".pub")) {
      auto line = crypto::parse_ssh_public_key_line(std::string_view(*sibling).substr(0, sibling->find('\n')));
      if (line) pub = *line;
    }
  }
  if (!pub)
    return make_error(ErrorKind::bad_input, "signing key " + path +
                                                ": not an OpenSSH key (expected a public key line, an OpenSSH "
                                                "private key, or a private key with its .pub beside it)");
  return SigningIdentity{path, KeyId{KeyKind::ssh, pub->fingerprint()}};
}

}  // namespace

Result<SigningIdentity> resolve_signing_key(const std::string& key) {
  std::string_view k = key;
  bool prefixed = k.starts_with("openpgp:");
  if (prefixed) k.remove_prefix(8);
  if (is_hex_fingerprint(k)) {
    auto id = KeyId::parse(k);
    if (id && id->kind == KeyKind::openpgp) return SigningIdentity{id->id, *id};
  }
  if (prefixed)
    return make_error(ErrorKind::bad_input,
                      "signing key " + key + " is not an OpenPGP fingerprint (40 or 64 hex digits)");
  return ssh_identity(key);
}

Result<SigningIdentity> default_signing_key(const std::optional<std::string>& signingkey,
                                            const std::optional<std::string>& format) {
  std::string fmt = format.value_or("openpgp");
  if (!signingkey || signingkey->empty())
    return make_error(ErrorKind::bad_input, "no signing key: pass --key KEY or set git config user.signingkey");
  const std::string& v = *signingkey;
  if (fmt == "ssh") {
    if (v.starts_with("key::"))
      return make_error(ErrorKind::bad_input,
                        "user.signingkey is a literal key (key::...); pass --key with the key's .pub file");
    std::string path = v;
    if (path.starts_with("~/")) {
      const char* home = std::getenv("HOME");
      if (home == nullptr || home[0] == '\0')
        return make_error(ErrorKind::bad_input, "user.signingkey " + v + ": HOME is not set");
      path = std::string(home) + path.substr(1);
    }
    return ssh_identity(path);
  }
  if (fmt == "openpgp") {
    if (!is_hex_fingerprint(v))
      return make_error(ErrorKind::bad_input, "user.signingkey \"" + v.substr(0, 80) +
                                                  "\" is not an OpenPGP fingerprint; pass --key FINGERPRINT");
    return resolve_signing_key(v);
  }
  return make_error(ErrorKind::unsupported, "gpg.format " + fmt + " is not supported for approvals (ssh or openpgp)");
}

Result<std::string> make_approval_line(const ExpectedObject& object, const std::string& signing_key,
                                       const KeyId& signer, int64_t now, const std::optional<std::string>& comment,
                                       Withdraw withdraw) {
  Approval a;
  a.object = object.oid;
  a.type = object.type;
  a.tree = object.tree;
  a.repository = object.repository;
  a.signer = signer;
  a.created = now;
  a.comment = comment;
  a.withdrawn = withdraw == Withdraw::yes;
  return sign_approval(a, signing_key);
}

Result<std::string> sign_approval(const Approval& a, const std::string& signing_key) {
  const KeyId& signer = a.signer;
  auto text = serialize_checked(a);
  if (!text) return text.error();
  auto sig = statement::sign_statement(*text, signing_key, statement::kApprovalType);
  if (!sig) return sig.error();
  // An approval whose signer line names another key never counts: refuse to
  // write one (e.g. a private key file whose .pub belongs to another key).
  if (sig->starts_with("SSHSIG")) {
    auto parsed = crypto::parse_sshsig_blob(*sig);
    if (!parsed) return make_error(ErrorKind::internal, "ssh-keygen wrote an unreadable signature");
    KeyId made{KeyKind::ssh, parsed->key.fingerprint()};
    if (made != signer)
      return make_error(ErrorKind::bad_input,
                        "signing key " + signing_key + " is " + made.str() + ", not the signer " + signer.str());
  }
  return statement::to_transport_line(statement::SignedStatement{std::string(statement::kApprovalType), *text, *sig});
}

}  // namespace vouch::policy
