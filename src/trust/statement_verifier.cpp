#include "trust/statement_verifier.h"

#include <algorithm>

#include "trust/statement.h"
#include "util/base64.h"
#include "verify/signature_check.h"

namespace vouch::trust {
namespace {

Error refused(const std::string& what, const SignatureResult& r) {
  std::string m = what + " signature is " + std::string(to_string(r.status));
  if (!r.reason.empty()) m += ": " + r.reason;
  return make_error(ErrorKind::bad_input, m);
}

Error wrong_type(std::string_view expected, const std::string& found) {
  return make_error(ErrorKind::malformed,
                    "expected a " + std::string(expected) + " statement, found \"" + found.substr(0, 40) + "\"");
}

}  // namespace

std::string armor_sshsig(std::string_view blob) {
  std::string b64 = util::base64_encode(blob);
  std::string out = "-----BEGIN SSH SIGNATURE-----\n";
  for (size_t i = 0; i < b64.size(); i += 70) out += b64.substr(i, 70) + "\n";
  out += "-----END SSH SIGNATURE-----\n";
  return out;
}

SignatureResult verify_statement(const SignedStatement& st, const keys::Keyring& keyring, std::string_view ns,
                                 int64_t now, std::optional<int64_t> ssh_time, const SignatureRules& rules) {
  verify::SignatureContext ctx{std::string(ns), ssh_time.value_or(now), now, rules};
  const std::string& sig = st.signature;
  if (sig.empty()) return verify::check_signature(keyring, sig, st.text, ctx);
  if (sig.starts_with("SSHSIG")) return verify::check_signature(keyring, armor_sshsig(sig), st.text, ctx);
  if (static_cast<unsigned char>(sig[0]) & 0x80) return verify::check_signature(keyring, sig, st.text, ctx);
  SignatureResult r;
  r.status = SigStatus::malformed;
  r.reason = "statement signature is neither an SSHSIG blob nor an OpenPGP signature packet";
  return r;
}

Result<Endorsement> verify_endorsement(const SignedStatement& st, const keys::Keyring& issuer_keys, int64_t now) {
  if (st.type != kEndorsementType) return wrong_type(kEndorsementType, st.type);
  auto e = parse_endorsement(st.text);
  if (!e) return e.error();
  SignatureResult r = verify_statement(st, issuer_keys, kEndorsementType, now, e->created);
  if (r.status != SigStatus::good) return refused("endorsement", r);
  if (r.key != e->issuer.str())
    return make_error(ErrorKind::bad_input, "endorsement issuer " + e->issuer.str() + " but signed by " + r.key);
  return e;
}

Result<RevocationStatement> verify_revocation(const SignedStatement& st, const keys::Keyring& keyring,
                                              const std::vector<KeyId>& roots, int64_t now) {
  if (st.type != kRevocationType) return wrong_type(kRevocationType, st.type);
  auto rev = parse_revocation(st.text);
  if (!rev) return rev.error();
  SignatureResult r = verify_statement(st, keyring, kRevocationType, now, rev->created);
  const bool self = !r.key.empty() && r.key == rev->key.str();
  const bool self_ok =
      self && (r.status == SigStatus::revoked_key || r.status == SigStatus::expired_key);
  if (r.status != SigStatus::good && !self_ok) return refused("revocation", r);
  const bool root = std::any_of(roots.begin(), roots.end(), [&](const KeyId& k) { return k.str() == r.key; });
  if (!self && !root)
    return make_error(ErrorKind::bad_input, "revocation of " + rev->key.str() + " signed by " + r.key +
                                                ", which is neither the revoked key nor a root");
  return rev;
}

}  // namespace vouch::trust
