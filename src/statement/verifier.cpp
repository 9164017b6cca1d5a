#include "statement/verifier.h"

#include "signature/signature_check.h"
#include "util/base64.h"

namespace vouch::statement {

std::string armor_sshsig(std::string_view blob) {
  std::string b64 = util::base64_encode(blob);
  std::string out = "-----BEGIN SSH SIGNATURE-----\n";
  for (size_t i = 0; i < b64.size(); i += 70) out += b64.substr(i, 70) + "\n";
  out += "-----END SSH SIGNATURE-----\n";
  return out;
}

SignatureResult verify_statement(const SignedStatement& st, const keys::Keyring& keyring, std::string_view ns,
                                 int64_t now, std::optional<int64_t> ssh_time, const SignatureRules& rules) {
  signature::SignatureContext ctx{std::string(ns), ssh_time.value_or(now), now, rules};
  const std::string& sig = st.signature;
  if (sig.empty()) return signature::check_signature(keyring, sig, st.text, ctx);
  if (sig.starts_with("SSHSIG")) return signature::check_signature(keyring, armor_sshsig(sig), st.text, ctx);
  if (static_cast<unsigned char>(sig[0]) & 0x80) return signature::check_signature(keyring, sig, st.text, ctx);
  SignatureResult r;
  r.status = SigStatus::malformed;
  r.reason = "statement signature is neither an SSHSIG blob nor an OpenPGP signature packet";
  return r;
}

}  // namespace vouch::statement
