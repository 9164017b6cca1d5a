#include "trust/statement_verifier.h"

#include <algorithm>

#include "statement/verifier.h"
#include "trust/statement.h"
#include "util/base64.h"

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

Result<Endorsement> verify_endorsement(const SignedStatement& st, const keys::Keyring& issuer_keys, int64_t now) {
  if (st.type != statement::kEndorsementType) return wrong_type(statement::kEndorsementType, st.type);
  auto e = parse_endorsement(st.text);
  if (!e) return e.error();
  SignatureResult r = statement::verify_statement(st, issuer_keys, statement::kEndorsementType, now, e->created);
  if (r.status != SigStatus::good) return refused("endorsement", r);
  if (r.key != e->issuer.str())
    return make_error(ErrorKind::bad_input, "endorsement issuer " + e->issuer.str() + " but signed by " + r.key);
  return e;
}

Result<RevocationStatement> verify_revocation(const SignedStatement& st, const keys::Keyring& keyring,
                                              const std::vector<KeyId>& roots, int64_t now) {
  if (st.type != statement::kRevocationType) return wrong_type(statement::kRevocationType, st.type);
  auto rev = parse_revocation(st.text);
  if (!rev) return rev.error();
  SignatureResult r = statement::verify_statement(st, keyring, statement::kRevocationType, now, rev->created);
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
