#include "app/endorse.h"

#include <cstdlib>
#include <filesystem>

#include "crypto/ssh_key.h"
#include "git/repository.h"
#include "statement/signer.h"
#include "trust/statement.h"
#include "trust/statement_verifier.h"
#include "trustdb/db_keyring.h"
#include "trustdb/key_import.h"
#include "util/base64.h"
#include "util/byte_reader.h"
#include "util/clock.h"
#include "util/file.h"
#include "util/time_parse.h"

namespace vouch::app {
namespace {

/// How to sign (the argument sign_statement takes) and the key id it signs as.
struct SigningKey {
  std::string sign_with;
  KeyId id;
};

/// The public key inside an unencrypted header of an OpenSSH private key file
/// ("openssh-key-v1": cipher, kdf, kdf options, key count, public keys...).
/// The public part is readable even when the private part is encrypted.
std::optional<std::string> public_blob_of_private_key(std::string_view pem) {
  constexpr std::string_view kBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
  constexpr std::string_view kEnd = "-----END OPENSSH PRIVATE KEY-----";
  auto b = pem.find(kBegin);
  auto e = pem.find(kEnd);
  if (b == std::string_view::npos || e == std::string_view::npos || e < b) return std::nullopt;
  std::string body;
  for (char c : pem.substr(b + kBegin.size(), e - b - kBegin.size()))
    if (c != '\n' && c != '\r' && c != ' ') body += c;
  auto raw = util::base64_decode(body);
  if (!raw) return std::nullopt;
  constexpr std::string_view kMagic{"openssh-key-v1\0", 15};
  util::ByteReader r(*raw);
  auto magic = r.bytes(kMagic.size());
  if (!magic || *magic != kMagic) return std::nullopt;
  if (!r.ssh_string() || !r.ssh_string() || !r.ssh_string()) return std::nullopt;
  auto n = r.u32();
  if (!n || *n < 1) return std::nullopt;
  auto pub = r.ssh_string();
  if (!pub) return std::nullopt;
  return std::string(*pub);
}

/// The SSH key id of a key file: a public key line, or a private key whose
/// public half is in its header or in FILE.pub beside it.
Result<KeyId> ssh_key_id_of_file(const std::string& path) {
  auto data = util::read_file(path);
  if (!data) return make_error(ErrorKind::bad_input, "cannot read signing key " + path);
  if (auto pub = crypto::parse_ssh_public_key_line(*data)) return KeyId{KeyKind::ssh, pub->fingerprint()};
  if (auto blob = public_blob_of_private_key(*data)) {
    auto pub = crypto::parse_ssh_public_key_blob(*blob);
    if (!pub) return make_error(ErrorKind::bad_input, "signing key " + path + ": " + pub.error().message);
    return KeyId{KeyKind::ssh, pub->fingerprint()};
  }
  if (auto side = util::read_file(path + ".pub")) {
    auto pub = crypto::parse_ssh_public_key_line(*side);
    if (!pub) return make_error(ErrorKind::bad_input, "signing key " + path + ".pub: " + pub.error().message);
    return KeyId{KeyKind::ssh, pub->fingerprint()};
  }
  return make_error(ErrorKind::bad_input, "cannot tell the public key of signing key " + path +
                                              ": expected an OpenSSH public or private key file (or " + path +
                                              ".pub beside it)");
}

/// git's user.signingkey (and gpg.format) of the repository, for a missing --as.
Result<std::string> git_signing_key(const std::string& repo_path) {
  const std::string hint =
      "no signing key: pass --as KEY (an SSH key file or an OpenPGP fingerprint) "
      "or set git's user.signingkey";
  auto repo = git::Repository::open(repo_path);
  if (!repo) return make_error(ErrorKind::bad_input, hint);
  auto key = repo->config_string("user.signingkey");
  if (!key) return make_error(ErrorKind::bad_input, hint);
  auto format = repo->config_string("gpg.format");
  if (format && *format == "ssh") {
    if (key->rfind("key::", 0) == 0)
      return make_error(ErrorKind::bad_input,
                        "git's user.signingkey is a literal key (key::...); pass --as with the key file instead");
    if (key->rfind("~/", 0) == 0)
      if (const char* home = std::getenv("HOME")) return std::string(home) + key->substr(1);
  }
  return *key;
}

Result<SigningKey> resolve_signing_key(const trust::TrustStore& store, const std::string& repo_path,
                                       const std::string& as) {
  std::string arg = as;
  if (arg.empty()) {
    auto from_git = git_signing_key(repo_path);
    if (!from_git) return from_git.error();
    arg = *from_git;
  }
  if (auto id = KeyId::parse(arg); id && id->kind == KeyKind::openpgp) {
    // A signing subkey signs for its certificate: the issuer is the primary.
    auto held = store.find_key_by_subkey(id->id);
    if (!held) return held.error();
    return SigningKey{id->id, *held ? (*held)->id : *id};
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(arg, ec))
    return make_error(ErrorKind::bad_input,
                      "signing key " + arg + " is neither an SSH key file nor an OpenPGP fingerprint");
  auto id = ssh_key_id_of_file(arg);
  if (!id) return id.error();
  return SigningKey{arg, *id};
}

Result<std::optional<int64_t>> parse_expires(const std::string& text, int64_t now) {
  if (text.empty()) return std::optional<int64_t>{};
  if (auto d = util::parse_duration(text)) return std::optional<int64_t>{now + *d};
  if (auto t = util::parse_time(text)) return std::optional<int64_t>{*t};
  return make_error(ErrorKind::bad_input,
                    "--expires " + text + ": expected a date (2027-01-31), unix seconds or a duration (90d, 1y)");
}

}  // namespace

Result<EndorseResult> endorse(const EndorseOptions& a, trust::TrustStore& db) {
  trust::TrustStore* store = &db;
  auto target = trust::resolve_key_argument(*store, a.target);
  if (!target) return target.error();
  auto signer = resolve_signing_key(*store, a.repo, a.as);
  if (!signer) return signer.error();
  auto held = store->get_key(signer->id);
  if (!held) return held.error();
  if (!*held)
    return make_error(ErrorKind::bad_input, "signing key " + signer->id.str() +
                                                " is not in the trust database; add it with `vouch key import`");

  const int64_t now = util::now();
  trust::Endorsement e;
  e.issuer = signer->id;
  e.target = *target;
  e.amount = a.amount;
  e.depth = a.depth;
  e.scopes = a.scopes;
  e.emails = a.emails;
  e.created = now;
  if (!a.comment.empty()) e.comment = a.comment;
  auto expires = parse_expires(a.expires, now);
  if (!expires) return expires.error();
  e.expires = *expires;
  // Without --person/--email the statement names whom the database already
  // binds the target to, so that it travels with the key in a bundle.
  if (!a.person.empty()) {
    e.person = a.person;
  } else {
    auto owner = store->person_of(*target);
    if (!owner) return owner.error();
    e.person = *owner;
    if (*owner && a.emails.empty()) {
      auto p = store->get_person(**owner);
      if (!p) return p.error();
      if (*p) e.emails = (*p)->emails;
    }
  }

  auto text = trust::serialize_checked(e);
  if (!text) return make_error(ErrorKind::bad_input, "cannot write this endorsement: " + text.error().message);
  auto sig = statement::sign_statement(*text, signer->sign_with, statement::kEndorsementType);
  if (!sig) return sig.error();
  trust::SignedStatement st{std::string(statement::kEndorsementType), *text, *sig};

  auto keyring = trust::keyring_from_store(*store);
  if (!keyring) return keyring.error();
  auto verified = trust::verify_endorsement(st, *keyring, now);
  if (!verified) return make_error(ErrorKind::bad_input, "refusing the endorsement: " + verified.error().message);

  const std::string line = statement::to_transport_line(st);
  auto put = store->put_endorsement(*verified, line, {signer->id.str(), a.comment});
  if (!put) return put.error();

  return EndorseResult{*verified, line, *put};
}

}  // namespace vouch::app
