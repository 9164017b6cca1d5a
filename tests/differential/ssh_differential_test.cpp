// SSH differential cases (docs/differential.md): vouch verify-file against
// ssh-keygen -Y verify with the same allowed_signers file.
// - ssh-keygen-made signatures over every key type (ed25519, ECDSA
//   P-256/384/521, RSA 2048/3072/4096), then random bit flips per SSHSIG
//   field (VOUCH_DIFF_FLIPS per signature, VOUCH_DIFF_SEED) and a namespace
//   mismatch;
// - hand-made SSHSIG blobs (libsodium, Ed25519): magic, version, reserved
//   field, hash algorithm, namespace and key type games, trailing bytes;
// - FIDO sk-ssh-ed25519 user presence/verification flags;
// - allowed_signers options: namespaces, valid-after, valid-before.
#include <gtest/gtest.h>

#include <chrono>

#include "crypto/digest.h"
#include "crypto/sshsig.h"
#include "differential.h"
#include "pgp_forge.h"
#include "statement/verifier.h"
#include "util/base64.h"

namespace vouch::test::diff {
namespace {

using forge::be32;
using forge::ssh_string;

const std::map<std::string, std::string> kStricter = {
    {"ssh-sshsig", "the SSHSIG version must be 1 (ssh-keygen 9.2 also takes 0)"},
    {"ssh-flip-magic-version", "the SSHSIG version must be 1 (ssh-keygen 9.2 also takes 0, which a bit flip makes)"},
    {"ssh-armor", "SSH SIGNATURE armor must be well formed"},
};

/// The SSHSIG blob inside an armored signature.
std::string dearmor(const std::string& armored) {
  std::string b64;
  size_t pos = armored.find('\n') + 1;
  while (pos < armored.size()) {
    size_t nl = armored.find('\n', pos);
    if (nl == std::string::npos) nl = armored.size();
    std::string line = armored.substr(pos, nl - pos);
    if (line.rfind("-----END", 0) == 0) break;
    b64 += line;
    pos = nl + 1;
  }
  return util::base64_decode(b64).value_or("");
}

std::string armor(const std::string& blob) { return statement::armor_sshsig(blob); }

/// Offsets of the SSHSIG fields: [magic+version, pubkey, ns, reserved, hash, signature, end].
std::vector<size_t> fields(const std::string& blob) {
  std::vector<size_t> at = {0, 10};
  size_t pos = 10;
  for (int i = 0; i < 5 && pos + 4 <= blob.size(); ++i) {
    const auto u = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>(blob[pos + k])); };
    pos += 4 + (u(0) << 24 | u(1) << 16 | u(2) << 8 | u(3));
    at.push_back(std::min(pos, blob.size()));
  }
  return at;
}

/// An Ed25519 SSH key signing with libsodium, for SSHSIG blobs ssh-keygen never writes.
struct EdSsh {
  forge::EdKey ed{0};
  std::string blob() const { return ssh_string("ssh-ed25519") + ssh_string(ed.pk); }
  std::string line() const { return "ssh-ed25519 " + util::base64_encode(blob()); }
  struct Opts {
    std::string magic = "SSHSIG";
    uint32_t version = 1;
    std::string ns = "file", signed_ns = "", reserved = "", hash = "sha512", sig_type = "ssh-ed25519";
    std::string key_blob;  ///< empty: this key's
    std::string trailing;
  };
  std::string sign(std::string_view message, const Opts& o) const {
    crypto::HashAlgo algo = o.hash == "sha256" ? crypto::HashAlgo::sha256
                            : o.hash == "sha1" ? crypto::HashAlgo::sha1
                            : o.hash == "md5"  ? crypto::HashAlgo::md5
                                               : crypto::HashAlgo::sha512;
    const std::string h = crypto::digest(algo, message);
    const std::string to_sign =
        crypto::sshsig_signed_data(o.signed_ns.empty() ? o.ns : o.signed_ns, o.reserved, o.hash, h);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(),
                         reinterpret_cast<const unsigned char*>(ed.sk.data()));
    const std::string wire =
        ssh_string(o.sig_type) + ssh_string(std::string(reinterpret_cast<const char*>(sig), sizeof sig));
    return o.magic + be32(o.version) + ssh_string(o.key_blob.empty() ? blob() : o.key_blob) + ssh_string(o.ns) +
           ssh_string(o.reserved) + ssh_string(o.hash) + ssh_string(wire) + o.trailing;
  }
};

class SshDifferential : public ::testing::Test {
 protected:
  void SetUp() override { forge::sodium_ready(); }
  TempDir dir;
  size_t run_and_check(const std::string& title, const std::vector<Case>& cases) {
    const auto start = std::chrono::steady_clock::now();
    const auto outcomes = run_cases(cases, dir.path());
    const size_t n = check_and_report(title, cases, outcomes, kStricter, {});
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    std::printf("  (%zu cases in %lld ms)\n", n, static_cast<long long>(ms.count()));
    return n;
  }
};

TEST_F(SshDifferential, SshKeygenSignaturesOverEveryKeyTypeAndBitFlips) {
  std::vector<std::pair<std::string, SshKey>> keys;
  for (const std::string type : {"ed25519", "ecdsa-256", "ecdsa-384", "ecdsa-521", "rsa-2048", "rsa-3072", "rsa-4096"})
    keys.emplace_back(type, make_ssh_key(dir.path(), "k-" + type, type));
  std::string allowed;
  for (const auto& [type, key] : keys) allowed += "signer@example.org " + key.public_line + "\n";
  auto w = ssh_world(dir.path(), "ssh-keys", allowed);

  std::mt19937_64 rng(seed());
  const int flips = flips_per_signature(5);
  const char* const names[] = {"magic-version", "publickey", "namespace", "reserved", "hash", "signature"};
  std::vector<Case> cases;
  size_t n = 0;
  for (const auto& [type, key] : keys) {
    const std::string data = "release " + std::to_string(n++) + "\n";
    const std::string sig = ssh_sign(key, "file", data, dir.path());
    cases.push_back({"ssh-keytype", type, data, sig, w, true, "file", true});
    cases.push_back({"ssh-namespace", type + "-signed-git-verified-file", data, ssh_sign(key, "git", data, dir.path()),
                     w, true, "file"});
    const std::string blob = dearmor(sig);
    const auto at = fields(blob);
    ASSERT_EQ(at.size(), 7u) << type;
    for (int f = 0; f < flips; ++f) {
      const size_t region = rng() % 6;
      cases.push_back({std::string("ssh-flip-") + names[region], type + "-flip" + std::to_string(f), data,
                       armor(flip_bit(blob, at[region], at[region + 1], rng)), w, true, "file"});
    }
  }
  const size_t total = run_and_check("SSH, ssh-keygen signatures", cases);
  EXPECT_EQ(total, keys.size() * (2 + static_cast<size_t>(flips)));
}

TEST_F(SshDifferential, CraftedSshsigBlobs) {
  EdSsh k, other;
  auto w = ssh_world(dir.path(), "crafted", "signer@example.org " + k.line() + "\n");
  std::vector<Case> cases;
  size_t n = 0;
  auto add = [&](const std::string& category, const std::string& name, const EdSsh::Opts& o, bool baseline = false) {
    const std::string data = "crafted " + std::to_string(n++) + "\n";
    cases.push_back({category, name, data, armor(k.sign(data, o)), w, true, "file", baseline});
  };
  add("ssh-sshsig", "baseline-sha512", {}, true);
  add("ssh-sshsig", "sha256", {.hash = "sha256"}, true);
  add("ssh-sshsig", "sha1", {.hash = "sha1"});
  add("ssh-sshsig", "md5", {.hash = "md5"});
  add("ssh-sshsig", "hash-upper-case", {.hash = "SHA512"});
  add("ssh-sshsig", "version-2", {.version = 2});
  add("ssh-sshsig", "version-0", {.version = 0});
  add("ssh-sshsig", "magic", {.magic = "SSHSIH"});
  add("ssh-sshsig", "reserved-non-empty", {.reserved = "x"});
  add("ssh-sshsig", "namespace-signed-differs", {.signed_ns = "git"});
  add("ssh-sshsig", "namespace-empty", {.ns = ""});
  add("ssh-sshsig", "namespace-with-nul", {.ns = std::string("file\0x", 6)});
  add("ssh-sshsig", "signature-type-rsa", {.sig_type = "ssh-rsa"});
  add("ssh-sshsig", "signature-type-sk", {.sig_type = "sk-ssh-ed25519@openssh.com"});
  add("ssh-sshsig", "publickey-of-other", {.key_blob = other.blob()});
  add("ssh-sshsig", "trailing-bytes", {.trailing = "xx"});
  {
    // Armor games over a good blob.
    const std::string data = "armor\n";
    const std::string blob = k.sign(data, {});
    const std::string a = armor(blob);
    auto arm = [&](const std::string& name, const std::string& text, bool baseline = false) {
      cases.push_back({"ssh-armor", name, data, text, w, true, "file", baseline});
    };
    arm("plain", a, true);
    arm("one-line", "-----BEGIN SSH SIGNATURE-----\n" + util::base64_encode(blob) + "\n-----END SSH SIGNATURE-----\n", true);
    arm("no-final-newline", a.substr(0, a.size() - 1), true);
    arm("crlf", [&] {
      std::string out;
      for (char ch : a) out += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
      return out;
    }());
    arm("text-before", "hello\n" + a);
    arm("binary-blob", blob);
    arm("missing-end", a.substr(0, a.find("-----END")));
    arm("wrong-label", "-----BEGIN SSH SIGNATURE-----\n" + util::base64_encode(blob) + "\n-----END PGP SIGNATURE-----\n");
  }
  run_and_check("SSH, crafted SSHSIG blobs", cases);
}

TEST_F(SshDifferential, FidoFlagsAndAllowedSignersOptions) {
  std::vector<Case> cases;
  size_t n = 0;
  forge::SkKey sk;
  auto fido = ssh_world(dir.path(), "fido", "signer@example.org " + sk.pub_line() + "\n");
  for (auto [flags, name] : {std::pair<uint8_t, const char*>{0x01, "presence"}, {0x05, "presence-verified"},
                             {0x00, "no-presence"}, {0x04, "verified-only"}}) {
    const std::string data = "fido " + std::to_string(n++) + "\n";
    cases.push_back({"ssh-fido", name, data, sk.sign(data, "file", flags), fido, true, "file", (flags & 0x01) != 0});
  }
  EdSsh k;
  auto option = [&](const std::string& name, const std::string& options, const std::string& ns, bool baseline) {
    auto w = ssh_world(dir.path(), "opt-" + name, "signer@example.org " + options + (options.empty() ? "" : " ") +
                                                      k.line() + "\n");
    const std::string data = "options " + std::to_string(n++) + "\n";
    cases.push_back({"ssh-allowed-signers", name, data, armor(k.sign(data, {.ns = ns})), w, true, ns, baseline});
  };
  option("no-options", "", "file", true);
  option("namespaces-match", "namespaces=\"git,file\"", "file", true);
  option("namespaces-other", "namespaces=\"git\"", "file", false);
  option("valid-before-past", "valid-before=\"20200101\"", "file", false);
  option("valid-after-future", "valid-after=\"20990101\"", "file", false);
  option("valid-window-now", "valid-after=\"20200101\",valid-before=\"20990101\"", "file", true);
  option("cert-authority", "cert-authority", "file", false);
  {
    // The principal column with several names and a quoted one.
    auto w = ssh_world(dir.path(), "principals",
                       "other@example.org,signer@example.org " + k.line() + " comment\n");
    const std::string data = "principals\n";
    cases.push_back({"ssh-allowed-signers", "principal-list", data, armor(k.sign(data, {})), w, true, "file", true});
  }
  run_and_check("SSH, FIDO flags and allowed_signers options", cases);
}

}  // namespace
}  // namespace vouch::test::diff
