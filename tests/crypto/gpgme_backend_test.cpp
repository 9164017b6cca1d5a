#include "crypto/gpgme_backend.h"

#include <dirent.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include <gtest/gtest.h>
#include <unistd.h>

#include "test_env.h"

namespace vouch::crypto {
namespace {

using test::GpgHome;
using test::TempDir;
using C = GpgVerifyFacts::Crypto;

GpgmeKeystore make_keystore() {
  auto ks = GpgmeKeystore::create();
  if (!ks) {
    ADD_FAILURE() << ks.error().message;
    std::abort();
  }
  return std::move(*ks);
}

/// Detached signature by exactly `fpr` (primary or subkey) over `payload`.
std::string sign(GpgHome& g, const std::string& fpr, const std::string& payload,
                 std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--detach-sign", "--armor", "--local-user", fpr + "!"};
  args.insert(args.end(), extra.begin(), extra.end());
  test::RunResult r = g.gpg(args, payload);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

const GpgKeyInfo* find_key(const std::vector<GpgKeyInfo>& keys, const std::string& fpr) {
  for (const auto& k : keys)
    if (k.primary_fingerprint == fpr) return &k;
  return nullptr;
}

/// Any running process whose command line mentions `needle`.
bool process_mentions(const std::string& needle) {
  DIR* d = opendir("/proc");
  if (d == nullptr) return false;
  bool found = false;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    std::string cmd = test::read_file(std::string("/proc/") + e->d_name + "/cmdline");
    if (cmd.find(needle) != std::string::npos) found = true;
  }
  closedir(d);
  return found;
}

/// Fingerprints (primary first) of the key matching `pattern` in `g`. The
/// test's own parse, independent of GpgHome::gen_key's return value.
std::vector<std::string> fingerprints(GpgHome& g, const std::string& pattern) {
  test::RunResult r = g.gpg({"--with-colons", "--fingerprint", "--fingerprint", pattern});
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = r.out.find("\nfpr:", pos)) != std::string::npos) {
    size_t eol = r.out.find('\n', pos + 1);
    std::string line = r.out.substr(pos + 1, eol - pos - 1);
    // fpr:::::::::<FPR>:  -- field 10
    size_t field = 0, start = 0;
    for (size_t i = 0; i < line.size() && field < 9; ++i)
      if (line[i] == ':' && ++field == 9) start = i + 1;
    out.push_back(line.substr(start, line.find(':', start) - start));
    pos = eol;
  }
  return out;
}

std::string gen_key(GpgHome& g, const std::string& uid, const std::string& algo,
                    const std::string& usage = "sign", const std::string& expire = "never",
                    const std::string& faked_time = "") {
  g.gen_key(uid, algo, usage, expire, faked_time);
  auto f = fingerprints(g, "=" + uid);
  EXPECT_EQ(f.size(), 1u) << uid;
  return f.empty() ? "" : f.front();
}

std::string add_subkey(GpgHome& g, const std::string& primary, const std::string& algo,
                       const std::string& usage) {
  g.add_subkey(primary, algo, usage);
  auto f = fingerprints(g, primary);
  return f.empty() ? "" : f.back();
}

TEST(GpgmeKeystore, ImportsEd25519Rsa3072AndNistp256) {
  TempDir dir;
  GpgHome g(dir.path());
  std::string ed = gen_key(g, "Ed <ed@example.org>", "ed25519");
  std::string rsa = gen_key(g, "Rsa <rsa@example.org>", "rsa3072");
  std::string p256 = gen_key(g, "P256 <p256@example.org>", "nistp256");
  GpgmeKeystore ks = make_keystore();

  auto imported = ks.import(g.export_public(ed) + g.export_public(rsa) + g.export_public(p256));
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_EQ(*imported, (std::vector<std::string>{ed, rsa, p256}));

  auto keys = ks.keys();
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->size(), 3u);
  struct Want { std::string fpr; int algo; std::string uid; };
  for (const Want& w : {Want{ed, 22, "Ed <ed@example.org>"}, Want{rsa, 1, "Rsa <rsa@example.org>"},
                        Want{p256, 19, "P256 <p256@example.org>"}}) {
    const GpgKeyInfo* k = find_key(*keys, w.fpr);
    ASSERT_NE(k, nullptr) << w.fpr;
    EXPECT_EQ(k->user_ids, std::vector<std::string>{w.uid});
    EXPECT_FALSE(k->revoked || k->expired || k->invalid || k->disabled);
    ASSERT_EQ(k->subkeys.size(), 1u);
    const GpgSubkeyInfo& s = k->subkeys[0];
    EXPECT_EQ(s.fingerprint, w.fpr);
    EXPECT_EQ(s.pubkey_algo, w.algo);
    EXPECT_TRUE(s.is_primary && s.can_sign);
    EXPECT_GT(s.created, 1600000000);
    EXPECT_EQ(s.expires, std::nullopt);
    EXPECT_FALSE(s.revoked || s.expired || s.invalid);
  }

  // Importing again reports the certificate as present.
  auto again = ks.import(g.export_public(ed));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, std::vector<std::string>{ed});
}

TEST(GpgmeKeystore, CertificationOnlyPrimaryWithSigningSubkey) {
  TempDir dir;
  GpgHome g(dir.path());
  std::string primary = gen_key(g, "Cert <cert@example.org>", "ed25519", "cert");
  std::string sub = add_subkey(g, primary, "ed25519", "sign");
  ASSERT_NE(primary, sub);
  GpgmeKeystore ks = make_keystore();
  ASSERT_TRUE(ks.import(g.export_public(primary)));

  auto keys = ks.keys();
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 1u);
  const GpgKeyInfo& k = keys->front();
  EXPECT_EQ(k.primary_fingerprint, primary);
  ASSERT_EQ(k.subkeys.size(), 2u);
  EXPECT_EQ(k.subkeys[0].fingerprint, primary);
  EXPECT_TRUE(k.subkeys[0].is_primary);
  EXPECT_FALSE(k.subkeys[0].can_sign);
  EXPECT_EQ(k.subkeys[1].fingerprint, sub);
  EXPECT_FALSE(k.subkeys[1].is_primary);
  EXPECT_TRUE(k.subkeys[1].can_sign);
  EXPECT_EQ(k.subkeys[1].pubkey_algo, 22);

  // A signature by the subkey names the subkey and maps to the primary.
  std::string sig = sign(g, sub, "payload\n");
  GpgVerifyFacts f = ks.verify_detached(sig, "payload\n");
  EXPECT_EQ(f.crypto, C::good) << f.reason;
  EXPECT_EQ(f.signing_fingerprint, sub);
  EXPECT_EQ(f.primary_fingerprint, primary);
}

TEST(GpgmeKeystore, ExpiredKeyKeepsExpiryAndCapabilities) {
  TempDir dir;
  GpgHome g(dir.path());
  std::string fpr = gen_key(g, "Old <old@example.org>", "ed25519", "sign", "1y", "20200101T000000!");
  // Made while the key was valid.
  std::string sig = sign(g, fpr, "old\n", {"--faked-system-time", "20200601T000000!"});
  GpgmeKeystore ks = make_keystore();
  ASSERT_TRUE(ks.import(g.export_public(fpr)));

  auto keys = ks.keys();
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 1u);
  const GpgKeyInfo& k = keys->front();
  EXPECT_TRUE(k.expired);
  EXPECT_FALSE(k.revoked);
  ASSERT_EQ(k.subkeys.size(), 1u);
  const GpgSubkeyInfo& s = k.subkeys[0];
  EXPECT_EQ(s.created, 1577836800);  // 2020-01-01T00:00:00Z
  EXPECT_EQ(s.expires, std::optional<int64_t>(1577836800 + 365 * 86400));
  EXPECT_TRUE(s.expired);
  EXPECT_TRUE(s.can_sign);

  // The math is good; judging the time is the caller's job.
  GpgVerifyFacts f = ks.verify_detached(sig, "old\n");
  EXPECT_EQ(f.crypto, C::good) << f.reason;
  EXPECT_EQ(f.created, std::optional<int64_t>(1590969600));  // 2020-06-01T00:00:00Z
  EXPECT_EQ(f.primary_fingerprint, fpr);
}

TEST(GpgmeKeystore, RevokedKeyIsListedRevoked) {
  TempDir dir;
  GpgHome g(dir.path());
  std::string fpr = gen_key(g, "Gone <gone@example.org>", "ed25519");
  std::string sig = sign(g, fpr, "before\n");
  // gpg --quick-gen-key leaves a revocation certificate, its armor line
  // prefixed with ':' so it is not imported by accident.
  std::string rev = test::read_file(g.path() + "/openpgp-revocs.d/" + fpr + ".rev");
  auto pos = rev.find(":-----BEGIN");
  ASSERT_NE(pos, std::string::npos);
  rev.erase(pos, 1);
  test::RunResult r = g.gpg({"--import"}, rev);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  GpgmeKeystore ks = make_keystore();
  auto imported = ks.import(g.export_public(fpr));
  ASSERT_TRUE(imported) << imported.error().message;
  auto keys = ks.keys();
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 1u);
  const GpgKeyInfo& k = keys->front();
  EXPECT_TRUE(k.revoked);
  EXPECT_FALSE(k.expired);
  ASSERT_EQ(k.subkeys.size(), 1u);
  EXPECT_TRUE(k.subkeys[0].revoked);
  EXPECT_TRUE(k.subkeys[0].can_sign);
  EXPECT_GT(k.subkeys[0].created, 1600000000);

  GpgVerifyFacts f = ks.verify_detached(sig, "before\n");
  EXPECT_EQ(f.crypto, C::good) << f.reason;
  EXPECT_EQ(f.primary_fingerprint, fpr);

  // The revocation signature itself is in the export for the native parser.
  auto exported = ks.export_key(fpr);
  ASSERT_TRUE(exported);
  GpgmeKeystore other = make_keystore();
  ASSERT_TRUE(other.import(*exported));
  auto other_keys = other.keys();
  ASSERT_TRUE(other_keys);
  ASSERT_EQ(other_keys->size(), 1u);
  EXPECT_TRUE(other_keys->front().revoked);
}

TEST(GpgmeKeystore, VerifyGoodBadAndNoKey) {
  TempDir dir;
  GpgHome g(dir.path());
  std::string fpr = gen_key(g, "Signer <signer@example.org>", "ed25519");
  std::string stranger = gen_key(g, "Stranger <stranger@example.org>", "rsa3072");
  GpgmeKeystore ks = make_keystore();
  ASSERT_TRUE(ks.import(g.export_public(fpr)));

  std::string sig = sign(g, fpr, "hello\n");
  GpgVerifyFacts good = ks.verify_detached(sig, "hello\n");
  EXPECT_EQ(good.crypto, C::good) << good.reason;
  EXPECT_EQ(good.signing_fingerprint, fpr);
  EXPECT_EQ(good.primary_fingerprint, fpr);
  EXPECT_EQ(good.pubkey_algo, 22);
  EXPECT_EQ(good.hash_algo, 8);  // SHA-256
  ASSERT_TRUE(good.created.has_value());
  EXPECT_GT(*good.created, 1600000000);
  EXPECT_EQ(good.reason, "");

  // Binary signatures work the same.
  test::RunResult bin = g.gpg({"--detach-sign", "--local-user", fpr + "!"}, "hello\n");
  ASSERT_EQ(bin.exit_code, 0);
  EXPECT_EQ(ks.verify_detached(bin.out, "hello\n").crypto, C::good);

  GpgVerifyFacts bad = ks.verify_detached(sig, "hellO\n");
  EXPECT_EQ(bad.crypto, C::bad);
  EXPECT_EQ(bad.reason, "signature does not match the data");
  EXPECT_EQ(bad.primary_fingerprint, fpr);

  std::string stranger_sig = sign(g, stranger, "hello\n");
  GpgVerifyFacts none = ks.verify_detached(stranger_sig, "hello\n");
  EXPECT_EQ(none.crypto, C::no_key);
  EXPECT_EQ(none.signing_fingerprint, stranger);  // from the issuer fingerprint subpacket
  EXPECT_EQ(none.primary_fingerprint, "");
  EXPECT_EQ(none.reason, "no public key " + stranger + " in the keystore");
  EXPECT_EQ(none.pubkey_algo, 1);

  GpgVerifyFacts garbage = ks.verify_detached("not a signature", "hello\n");
  EXPECT_EQ(garbage.crypto, C::error);
  EXPECT_EQ(garbage.reason, "no OpenPGP signature found");
}

TEST(GpgmeKeystore, Sha1SignatureIsWeak) {
  TempDir dir;
  GpgHome g(dir.path());
  std::string fpr = gen_key(g, "Sha <sha@example.org>", "rsa3072");
  GpgmeKeystore ks = make_keystore();
  ASSERT_TRUE(ks.import(g.export_public(fpr)));
  std::string sig = sign(g, fpr, "data\n", {"--digest-algo", "SHA1"});
  GpgVerifyFacts f = ks.verify_detached(sig, "data\n");
  EXPECT_EQ(f.crypto, C::weak);
  EXPECT_EQ(f.hash_algo, 2);
  EXPECT_EQ(f.reason, "weak digest algorithm SHA-1");
  EXPECT_EQ(f.primary_fingerprint, fpr);
  // GnuPG checked the math: a SHA-1 cut-off may accept it.
  EXPECT_TRUE(f.weak_digest_only);
  // A bad SHA-1 signature stays bad.
  GpgVerifyFacts bad = ks.verify_detached(sig, "other\n");
  EXPECT_EQ(bad.crypto, C::bad);
  EXPECT_FALSE(bad.weak_digest_only);
}

TEST(GpgmeKeystore, GarbageImportIsMalformed) {
  GpgmeKeystore ks = make_keystore();
  auto r = ks.import("this is not a key");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::malformed);
  EXPECT_EQ(r.error().message, "no OpenPGP certificate found in the input (17 bytes)");
  auto empty = ks.import("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, ErrorKind::malformed);
}

TEST(GpgmeKeystore, BrokenSelfSignatureIsRejected) {
  TempDir dir;
  GpgHome g(dir.path());
  std::string fpr = gen_key(g, "Broken <broken@example.org>", "ed25519");
  test::RunResult bin = g.gpg({"--export", fpr});
  ASSERT_EQ(bin.exit_code, 0);
  // The last packet is the user ID's self-signature; its final bytes are the
  // EdDSA value S. Flipping one leaves a certificate with no valid user ID.
  std::string cert = bin.out;
  ASSERT_GT(cert.size(), 10u);
  cert[cert.size() - 5] = static_cast<char>(cert[cert.size() - 5] ^ 0x01);
  GpgmeKeystore ks = make_keystore();
  auto r = ks.import(cert);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::malformed);
  EXPECT_EQ(r.error().message,
            "no usable OpenPGP certificate in the input (1 considered): no valid user ID "
            "(bad or missing self-signature)");
  auto keys = ks.keys();
  ASSERT_TRUE(keys);
  EXPECT_TRUE(keys->empty());
}

TEST(GpgmeKeystore, ExportKey) {
  TempDir dir;
  GpgHome g(dir.path());
  std::string fpr = gen_key(g, "Exp <exp@example.org>", "nistp256");
  GpgmeKeystore ks = make_keystore();
  ASSERT_TRUE(ks.import(g.export_public(fpr)));

  std::string lower = fpr;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto bin = ks.export_key(lower);
  ASSERT_TRUE(bin) << bin.error().message;
  ASSERT_FALSE(bin->empty());
  // Binary, starting with a public-key packet (tag 6, old or new format).
  unsigned char first = static_cast<unsigned char>((*bin)[0]);
  EXPECT_TRUE((first & 0xfc) == 0x98 || first == 0xc6) << int(first);

  auto missing = ks.export_key("0123456789ABCDEF0123456789ABCDEF01234567");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_EQ(missing.error().message,
            "no OpenPGP certificate 0123456789ABCDEF0123456789ABCDEF01234567 in the keystore");

  auto bad = ks.export_key("alice");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(bad.error().message, "not an OpenPGP fingerprint (40 or 64 hex digits): \"alice\"");
}

TEST(GpgmeKeystore, DestructionStopsAgentAndRemovesHome) {
  std::string home;
  {
    GpgmeKeystore ks = make_keystore();
    home = ks.home();
    struct stat st {};
    ASSERT_EQ(stat(home.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    EXPECT_EQ(test::read_file(home + "/gpg.conf"), TempGnupgHome::gpg_conf());
    // Make sure there is an agent to stop.
    test::RunOptions opts;
    opts.env = {{"GNUPGHOME", home}};
    test::run_ok({"gpgconf", "--launch", "gpg-agent"}, opts);
    EXPECT_TRUE(process_mentions(home));
    GpgmeKeystore moved = std::move(ks);
    EXPECT_EQ(moved.home(), home);
  }
  EXPECT_FALSE(std::filesystem::exists(home));
  // KILLAGENT is asynchronous: the agent removes its socket (which the
  // destructor waits for) and then exits; on a loaded machine the exit can
  // trail by a moment, so allow it up to 3 s to disappear.
  bool gone = false;
  for (int i = 0; i < 300 && !(gone = !process_mentions(home)); ++i) usleep(10000);
  EXPECT_TRUE(gone) << "gpg-agent for " << home << " still running";
}

TEST(GpgmeKeystore, IgnoresTheUsersGnupgHome) {
  TempDir dir;
  GpgHome g(dir.path());
  std::string fpr = gen_key(g, "Mine <mine@example.org>", "ed25519");
  std::string sig = sign(g, fpr, "x\n");
  const char* old = std::getenv("GNUPGHOME");
  std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
  setenv("GNUPGHOME", g.path().c_str(), 1);
  {
    GpgmeKeystore ks = make_keystore();
    EXPECT_NE(ks.home(), g.path());
    auto keys = ks.keys();
    ASSERT_TRUE(keys);
    EXPECT_TRUE(keys->empty());
    EXPECT_EQ(ks.verify_detached(sig, "x\n").crypto, C::no_key);
  }
  if (saved) setenv("GNUPGHOME", saved->c_str(), 1);
  else unsetenv("GNUPGHOME");
  // The test's home is untouched.
  EXPECT_TRUE(std::filesystem::exists(g.path() + "/pubring.kbx"));
}

}  // namespace
}  // namespace vouch::crypto
