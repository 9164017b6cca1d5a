#include "signature/signature_check.h"

#include <algorithm>
#include <cstdio>

#include "crypto/armor.h"
#include "crypto/openpgp_signature.h"
#include "crypto/openpgp_verify.h"
#include "crypto/sshsig.h"

namespace vouch::signature {
namespace {

/// How far after the reference time an OpenPGP signature may be dated.
constexpr int64_t kFutureTolerance = 24 * 60 * 60;

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(v));
  return buf;
}

std::string utc(int64_t t) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", &tm);
  return buf;
}

std::string utc_date(int64_t t) { return utc(t).substr(0, 10); }

/// OpenPGP hash algorithm numbers (RFC 9580 9.5) as reports name them.
std::string digest_name(int algo) {
  switch (algo) {
    case 1:
      return "md5";
    case 2:
      return "sha1";
    case 3:
      return "ripemd160";
    case 8:
      return "sha256";
    case 9:
      return "sha384";
    case 10:
      return "sha512";
    case 11:
      return "sha224";
    case 12:
      return "sha3-256";
    case 14:
      return "sha3-512";
    default:
      return "algorithm-" + std::to_string(algo);
  }
}

/// Decides a signature that verified but is weak only for its digest: SHA-1
/// counts when created before the cut-off (docs/signatures.md, "SHA-1").
/// Returns true when it counts; sets r.sha1_rule, and status/reason if not.
bool sha1_accepted(int hash_algo, std::optional<int64_t> created, const SignatureRules& rules,
                   const std::string& weak_reason, SignatureResult& r) {
  if (hash_algo != 2) {
    r.status = SigStatus::weak;
    r.reason = weak_reason;
    return false;
  }
  const std::string source = std::string(to_string(rules.sha1_source));
  r.status = SigStatus::weak;
  if (rules.sha1_cutoff == INT64_MIN) {
    r.sha1_rule = "rejected: SHA-1 is never accepted (" + source + ")";
    r.reason = "SHA-1 digests are never accepted (" + source + ")";
    return false;
  }
  const std::string cutoff = utc_date(rules.sha1_cutoff) + " (" + source + ")";
  if (created && *created < rules.sha1_cutoff) {
    r.status = SigStatus::good;
    r.sha1_rule = "allowed: created before " + cutoff;
    return true;
  }
  r.sha1_rule = "rejected: created on or after " + cutoff;
  r.reason = "SHA-1 digest in a signature created on or after " + cutoff;
  return false;
}

SignatureResult verdict(SigStatus status, std::string reason) {
  SignatureResult r;
  r.status = status;
  r.reason = std::move(reason);
  return r;
}

/// Applies expiry and revocation to a signature that verified
/// cryptographically, made at time `made` by `key`.
void apply_key_lifetime(const keys::SigningKey& key, int64_t made, SignatureResult& r) {
  if (key.revocation) {
    const keys::Revocation& rev = *key.revocation;
    if (rev.hard) {
      r.status = SigStatus::revoked_key;
      r.reason = "key " + key.id.str() + " is revoked (" + rev.reason + "): every signature by it is void";
      return;
    }
    if (made >= rev.time) {
      r.status = SigStatus::revoked_key;
      r.reason = "signature made " + utc(made) + ", after the key was revoked (" + rev.reason + ") at " + utc(rev.time);
      return;
    }
  }
  if (key.expires && made > *key.expires) {
    r.status = SigStatus::expired_key;
    r.reason = "signature made " + utc(made) + ", after the key expired at " + utc(*key.expires);
    return;
  }
  if (key.valid_after && made < *key.valid_after) {
    r.status = SigStatus::expired_key;
    r.reason = "signature made " + utc(made) + ", before the key became valid at " + utc(*key.valid_after) +
               " (allowed_signers valid-after)";
    return;
  }
  if (key.created && made < *key.created) {
    r.status = SigStatus::bad;
    r.reason = "signature claims " + utc(made) + ", before the key was created at " + utc(*key.created);
    return;
  }
  r.status = SigStatus::good;
  r.reason.clear();
}

SignatureResult check_ssh(const keys::Keyring& keyring, std::string_view text, std::string_view payload,
                          const SignatureContext& ctx) {
  auto sig = crypto::parse_sshsig_armored(text);
  if (!sig) {
    auto r = verdict(sig.error().kind == ErrorKind::unsupported ? SigStatus::unsupported : SigStatus::malformed,
                     sig.error().message);
    r.kind = KeyKind::ssh;
    return r;
  }
  SignatureResult r;
  r.kind = KeyKind::ssh;
  r.backend = "native";
  r.key = KeyId{KeyKind::ssh, sig->key.fingerprint()}.str();
  r.created = ctx.ssh_time;
  auto v = crypto::verify_sshsig(*sig, payload, ctx.ssh_namespace);
  const bool sk = sig->key_supported && sig->key.is_sk();
  if (sk) {
    r.user_presence = v.user_present;
    r.user_verification = v.user_verified;
  }
  if (v.status != SigStatus::good) {
    r.status = v.status;
    r.reason = v.reason;
    return r;
  }
  if (sk && !v.user_present && ctx.rules.require_user_presence) {
    r.status = SigStatus::bad;
    r.reason =
        "FIDO signature made without user presence (flag 0x01), which the policy requires "
        "([signatures] require_user_presence)";
    return r;
  }
  auto entries = keyring.find_ssh(sig->key.fingerprint());
  if (entries.empty()) {
    r.status = SigStatus::unknown_key;
    r.reason = "key " + r.key + " is not in the keyring";
    return r;
  }
  // allowed_signers: one accepting line suffices, as in ssh-keygen -Y verify.
  SignatureResult best = r;
  best.status = SigStatus::unknown_key;
  for (const keys::SigningKey* key : entries) {
    if (!key->namespaces.empty() &&
        std::find(key->namespaces.begin(), key->namespaces.end(), ctx.ssh_namespace) == key->namespaces.end()) {
      if (best.status == SigStatus::unknown_key)
        best.reason =
            "key " + r.key + " is not allowed to sign namespace \"" + ctx.ssh_namespace + "\" (" + key->source + ")";
      continue;
    }
    SignatureResult candidate = r;
    apply_key_lifetime(*key, ctx.ssh_time, candidate);
    if (candidate.status == SigStatus::good) return candidate;
    best = candidate;
  }
  return best;
}

SignatureResult check_openpgp(const keys::Keyring& keyring, std::string_view text, std::string_view payload,
                              const SignatureContext& ctx) {
  auto sig = crypto::pgp::parse_detached_signature(text);
  if (!sig) {
    auto r = verdict(sig.error().kind == ErrorKind::unsupported ? SigStatus::unsupported : SigStatus::malformed,
                     sig.error().message);
    r.kind = KeyKind::openpgp;
    return r;
  }
  SignatureResult r;
  r.kind = KeyKind::openpgp;
  r.created = sig->created;

  const keys::SigningKey* key = nullptr;
  std::string issuer;
  if (!sig->issuer_fingerprint.empty()) {
    issuer = sig->issuer_fingerprint;
    key = keyring.find_openpgp(issuer);
  } else if (sig->issuer_key_id) {
    issuer = hex64(*sig->issuer_key_id);
    key = keyring.find_openpgp_key_id(*sig->issuer_key_id);
  } else {
    return verdict(SigStatus::malformed, "OpenPGP signature names no issuer");
  }
  if (!key && !sig->issuer_fingerprint.empty()) {
    if (const std::string* why = keyring.rejected_openpgp(issuer)) {
      // A certificate in the keyring claims this subkey, but it may not sign (threat 31).
      r.status = SigStatus::bad;
      r.signing_key = "openpgp:" + issuer;
      r.reason = *why;
      return r;
    }
  }
  if (!key) {
    r.status = SigStatus::unknown_key;
    r.key = sig->issuer_fingerprint.empty() ? "" : "openpgp:" + issuer;
    r.reason = "no key in the keyring for issuer " + issuer;
    return r;
  }
  r.key = key->id.str();
  if (key->signing_fingerprint != key->id.id) r.signing_key = "openpgp:" + key->signing_fingerprint;
  r.digest = digest_name(sig->hash_algo);
  if (!key->rival_primaries.empty()) {
    // Two certificates validly claim this (sub)key: the signer is ambiguous.
    std::string all = key->id.id;
    for (const auto& other : key->rival_primaries) all += " and " + other;
    r.status = SigStatus::bad;
    r.reason = "signing key " + key->signing_fingerprint + " is validly bound to more than one certificate (" + all +
               "): the signer is ambiguous";
    return r;
  }

  auto native = crypto::pgp::verify_document(*sig, *key->pgp, payload);
  r.backend = "native";
  switch (native.result) {
    case crypto::pgp::NativeResult::good:
      break;
    case crypto::pgp::NativeResult::bad:
      r.status = SigStatus::bad;
      r.reason = native.reason;
      return r;
    case crypto::pgp::NativeResult::weak:
      if (native.weak_digest_only && sha1_accepted(sig->hash_algo, sig->created, ctx.rules, native.reason, r)) break;
      if (r.status != SigStatus::weak) r.reason = native.reason;  // else the SHA-1 rule said why
      r.status = SigStatus::weak;
      return r;
    case crypto::pgp::NativeResult::malformed:
      r.status = SigStatus::malformed;
      r.reason = native.reason;
      return r;
    case crypto::pgp::NativeResult::unsupported: {
      // Not handled natively (another algorithm, another version): GnuPG decides.
      r.backend = "gpgme";
      auto facts = keyring.gpgme_verify(text, payload);
      using C = crypto::GpgVerifyFacts::Crypto;
      switch (facts.crypto) {
        case C::good:
          break;
        case C::bad:
          r.status = SigStatus::bad;
          r.reason = facts.reason;
          return r;
        case C::no_key:
          r.status = SigStatus::unknown_key;
          r.reason = facts.reason;
          return r;
        case C::weak: {
          auto created = facts.created ? facts.created : sig->created;
          if (facts.weak_digest_only && sha1_accepted(facts.hash_algo, created, ctx.rules, facts.reason, r)) break;
          if (r.status != SigStatus::weak) r.reason = facts.reason;
          r.status = SigStatus::weak;
          return r;
        }
        case C::unsupported:
        case C::error:
          r.status = SigStatus::unsupported;
          r.reason = native.reason + "; GnuPG: " + facts.reason;
          return r;
      }
      if (facts.signing_fingerprint != key->signing_fingerprint) {
        r.status = SigStatus::bad;
        r.reason = "GnuPG verified the signature with " + facts.signing_fingerprint + ", not the issuer " + issuer;
        return r;
      }
      if (facts.created) r.created = facts.created;
      break;
    }
  }
  // Whichever backend verified it: the key itself may be unacceptable.
  if (!key->weakness.empty()) {
    r.status = SigStatus::weak;
    r.reason = key->weakness;
    return r;
  }
  if (!r.created) {
    r.status = SigStatus::malformed;
    r.reason = "OpenPGP signature has no creation time";
    return r;
  }
  // A signature dated after the reference time did not exist then; a day
  // covers a signer's clock running ahead (docs/signatures.md, "OpenPGP signatures").
  if (ctx.now > 0 && *r.created > ctx.now + kFutureTolerance) {
    r.status = SigStatus::bad;
    r.reason = "signature created " + utc(*r.created) + ", more than a day after the reference time " + utc(ctx.now);
    return r;
  }
  if (sig->expires_after && *sig->expires_after != 0 && ctx.now > *r.created + *sig->expires_after) {
    r.status = SigStatus::bad;
    r.reason = "signature expired at " + utc(*r.created + *sig->expires_after);
    return r;
  }
  apply_key_lifetime(*key, *r.created, r);
  return r;
}

bool starts_armor(std::string_view text, std::string_view header) {
  size_t i = 0;
  while (i < text.size() && (text[i] == '\n' || text[i] == '\r' || text[i] == ' ')) ++i;
  return text.substr(i).starts_with(header);
}

}  // namespace

SignatureResult check_signature(const keys::Keyring& keyring, std::string_view signature, std::string_view payload,
                                const SignatureContext& ctx) {
  if (signature.empty()) return verdict(SigStatus::missing, "not signed");
  if (starts_armor(signature, "-----BEGIN SSH SIGNATURE-----")) return check_ssh(keyring, signature, payload, ctx);
  if (starts_armor(signature, "-----BEGIN PGP SIGNATURE-----")) return check_openpgp(keyring, signature, payload, ctx);
  if (starts_armor(signature, "-----BEGIN SIGNED MESSAGE-----"))
    return verdict(SigStatus::unsupported, "X.509 (gitsign) signatures are not supported");
  // A binary OpenPGP signature packet (new or old format header).
  if (static_cast<unsigned char>(signature[0]) & 0x80) return check_openpgp(keyring, signature, payload, ctx);
  return verdict(SigStatus::malformed, "unrecognised signature format");
}

std::string signature_failure(const SignatureResult& s) {
  return "signature " + std::string(to_string(s.status)) + (s.key.empty() ? "" : " by " + s.key) +
         (s.reason.empty() ? "" : ": " + s.reason);
}

}  // namespace vouch::signature
