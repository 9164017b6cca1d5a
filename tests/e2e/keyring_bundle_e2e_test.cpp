// `vouch keyring export|import` end to end: the project's sample keyring/
// imports cleanly (also with --require-signer), a CLI round trip with a
// signed MANIFEST, a forged endorsement fails with exit 2 and nothing
// applied, and crash safety: an import of a large bundle killed with SIGKILL
// inside its transaction leaves the database exactly as it was.
#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>

#include <filesystem>

#include "bundle/bundle_export.h"
#include "bundle/bundle_manifest.h"
#include "crypto/digest.h"
#include "e2e_support.h"
#include "kill_points.h"
#include "statement/signer.h"
#include "trust/statement.h"
#include "trustdb/key_import.h"
#include "trustdb/store.h"
#include "util/base64.h"

namespace vouch::test {
namespace {

namespace fs = std::filesystem;
using trust::KeyRecord;
using trust::OpenMode;
using trust::TrustStore;

trust::TrustStore open_db(const std::string& path) {
  auto s = TrustStore::open(path, OpenMode::create);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return std::move(*s);
}

std::string sample_keyring() { return test::source_dir() + "/keyring"; }

// ---- fast throwaway Ed25519 SSH keys and SSHSIG signatures (libsodium) -----

std::string ssh_string(std::string_view s) {
  std::string out(4, '\0');
  const auto n = static_cast<uint32_t>(s.size());
  out[0] = static_cast<char>(n >> 24), out[1] = static_cast<char>(n >> 16);
  out[2] = static_cast<char>(n >> 8), out[3] = static_cast<char>(n);
  return out + std::string(s);
}

struct FastKey {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  std::string blob, line;
  KeyId id;
};

FastKey fast_key(int n) {
  FastKey k;
  crypto_sign_keypair(k.pk, k.sk);
  k.blob = ssh_string("ssh-ed25519") + ssh_string(std::string_view(reinterpret_cast<char*>(k.pk), sizeof k.pk));
  k.line = "ssh-ed25519 " + util::base64_encode(k.blob) + " k" + std::to_string(n) + "@example.org";
  k.id = KeyId{KeyKind::ssh, "SHA256:" + util::base64_encode_unpadded(crypto::digest(crypto::HashAlgo::sha256, k.blob))};
  return k;
}

/// PROTOCOL.sshsig: the binary blob ssh-keygen -Y sign would make.
std::string fast_sshsig(const FastKey& k, std::string_view ns, std::string_view msg) {
  const std::string h = crypto::digest(crypto::HashAlgo::sha512, msg);
  const std::string tail = ssh_string(ns) + ssh_string("") + ssh_string("sha512");
  const std::string to_sign = "SSHSIG" + tail + ssh_string(h);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(), k.sk);
  const std::string sigblob =
      ssh_string("ssh-ed25519") + ssh_string(std::string_view(reinterpret_cast<char*>(sig), sizeof sig));
  return std::string("SSHSIG") + std::string("\0\0\0\1", 4) + ssh_string(k.blob) + tail + ssh_string(sigblob);
}

/// A database with `n` keys, n/2 people of two keys each, and a chain of
/// signed endorsements (key i -> key i+1), built in one transaction.
void fill_large(TrustStore& db, int n) {
  ASSERT_EQ(sodium_init() < 0, false);
  std::vector<FastKey> keys;
  for (int i = 0; i < n; ++i) keys.push_back(fast_key(i));
  auto r = db.transaction([&]() -> Result<void> {
    for (const auto& k : keys) {
      auto imported = trust::import_key_data(k.line, "k.pub");
      if (!imported) return imported.error();
      if (auto a = db.add_key(imported->keys.at(0)); !a) return a.error();
    }
    for (int i = 0; i + 1 < n; i += 2) {
      trust::Person p{"p" + std::to_string(i), "Person " + std::to_string(i),
                      {"p" + std::to_string(i) + "@example.org"}, {keys[i].id, keys[i + 1].id}};
      if (auto a = db.add_person(p); !a) return a;
    }
    for (int i = 0; i + 1 < n; ++i) {
      trust::Endorsement e;
      e.issuer = keys[i].id;
      e.target = keys[i + 1].id;
      e.amount = i % 2 ? 60 : 120;
      e.depth = 1;
      e.created = 1764000000;
      std::string text = trust::serialize(e);
      std::string line = statement::to_transport_line(
          {std::string(statement::kEndorsementType), text, fast_sshsig(keys[i], statement::kEndorsementType, text)});
      if (auto a = db.put_endorsement(e, line); !a) return a.error();
    }
    return {};
  });
  ASSERT_TRUE(r.ok()) << r.error().message;
}

// ---- tests -----------------------------------------------------------------

TEST(KeyringBundleE2E, SampleKeyringImportsCleanly) {
  TempDir dir;
  const std::string db = dir / "trust.db";
  RunResult r = vouch({"--db", db, "keyring", "import", sample_keyring()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("imported " + sample_keyring()), std::string::npos) << r.out;
  TrustStore store = open_db(db);
  EXPECT_EQ(store.list_keys()->size(), 4u);
  EXPECT_EQ(store.list_people()->size(), 4u);
  EXPECT_EQ(store.list_endorsements()->size(), 3u);
  ASSERT_TRUE(store.get_person("lasse")->has_value());
  EXPECT_EQ((*store.get_person("lasse"))->keys.at(0).kind, KeyKind::openpgp);
}

TEST(KeyringBundleE2E, SampleKeyringWithRequiredSigner) {
  TempDir dir;
  const std::string db = dir / "trust.db";
  std::string ospo_pub;
  for (const auto& e : fs::directory_iterator(sample_keyring() + "/keys/ssh"))
    if (e.path().filename().string().starts_with("ospo-")) ospo_pub = e.path().string();
  ASSERT_FALSE(ospo_pub.empty());
  // The publisher's key file is trusted as given: no import needed first.
  auto j = vouch_json({"--db", db, "keyring", "import", sample_keyring(), "--require-signer", ospo_pub}, 0);
  EXPECT_EQ(j["verdict"], "pass");
  ASSERT_EQ(j["signatures"].size(), 1u);
  EXPECT_EQ(j["signatures"][0]["status"], "good");
  EXPECT_EQ(j["applied"], true);
  // And by fingerprint, the key coming in the bundle itself.
  auto imported = trust::import_key_file(ospo_pub);
  ASSERT_TRUE(imported.ok());
  const std::string fpr = imported->keys.at(0).id.id;  // "SHA256:..."
  auto k = vouch_json({"--db", dir / "fresh.db", "keyring", "import", sample_keyring(), "--require-signer", fpr}, 0);
  EXPECT_EQ(k["applied"], true);
}

class BundleCli : public ::testing::Test {
 protected:
  void SetUp() override {
    alice = make_ssh_key(dir.path(), "alice", "ed25519");
    bob = make_ssh_key(dir.path(), "bob", "ed25519");
    src = dir / "src.db";
    ASSERT_EQ(vouch({"--db", src, "key", "import", alice.public_path, bob.public_path}).exit_code, 0);
    TrustStore s = open_db(src);
    ASSERT_TRUE(s.add_person({"alice", "Alice", {"alice@example.org"}, {id(alice)}}).ok());
    ASSERT_TRUE(s.add_person({"bob", "Bob", {"bob@example.org"}, {id(bob)}}).ok());
    ASSERT_TRUE(s.put_endorsement(*trust::parse_endorsement(st(alice, bob).text), line(alice, bob)).ok());
  }
  static KeyId id(const SshKey& k) { return KeyId{KeyKind::ssh, k.fingerprint}; }
  trust::SignedStatement st(const SshKey& issuer, const SshKey& target, const SshKey* signer = nullptr) {
    trust::Endorsement e;
    e.issuer = id(issuer);
    e.target = id(target);
    e.created = 1764000000;
    std::string text = trust::serialize(e);
    auto sig = statement::sign_statement(text, (signer ? *signer : issuer).private_path, statement::kEndorsementType);
    EXPECT_TRUE(sig.ok());
    return {std::string(statement::kEndorsementType), text, sig.ok() ? *sig : ""};
  }
  std::string line(const SshKey& issuer, const SshKey& target, const SshKey* signer = nullptr) {
    return statement::to_transport_line(st(issuer, target, signer));
  }
  TempDir dir;
  SshKey alice, bob;
  std::string src;
};

TEST_F(BundleCli, SignedExportImportRoundTrip) {
  auto ex = vouch_json({"--db", src, "keyring", "export", dir / "bundle", "--sign", alice.private_path}, 0);
  EXPECT_EQ(ex["keys"], 2);
  EXPECT_EQ(ex["people"], 2);
  EXPECT_EQ(ex["endorsements"], 1);
  EXPECT_EQ(ex["signer"], id(alice).str());
  const std::string dst = dir / "dst.db";
  ASSERT_EQ(vouch({"--db", dst, "key", "import", alice.public_path}).exit_code, 0);
  auto im = vouch_json({"--db", dst, "keyring", "import", dir / "bundle", "--require-signer", id(alice).str()}, 0);
  EXPECT_EQ(im["verdict"], "pass");
  EXPECT_EQ(im["added"].size(), 4u);      // bob's key, two people, one endorsement
  EXPECT_EQ(im["unchanged"].size(), 1u);  // alice's key
  EXPECT_EQ(im["refused"].size(), 0u);
  TrustStore d = open_db(dst);
  EXPECT_EQ(d.list_stored_endorsements()->at(0).statement, open_db(src).list_stored_endorsements()->at(0).statement);
  EXPECT_EQ(vouch({"--db", dst, "log", "--verify"}).exit_code, 0);
}

TEST_F(BundleCli, ForgedEndorsementFailsWithExit2AndNothingApplied) {
  ASSERT_EQ(vouch({"--db", src, "keyring", "export", dir / "bundle"}).exit_code, 0);
  const std::string b = dir / "bundle";
  write_file(b + "/endorsements/forged.endorsement", line(bob, alice, &alice) + "\n");
  auto entries = trust::hash_bundle(b);
  ASSERT_TRUE(entries.ok());
  write_file(b + "/MANIFEST", trust::serialize_manifest(*entries));
  const std::string dst = dir / "dst.db";
  auto j = vouch_json({"--db", dst, "keyring", "import", b}, 2);
  EXPECT_EQ(j["verdict"], "fail");
  EXPECT_EQ(j["applied"], false);
  ASSERT_EQ(j["refused"].size(), 1u);
  EXPECT_EQ(j["refused"][0]["detail"], "endorsements/forged.endorsement:1: endorsement issuer " + id(bob).str() +
                                           " but signed by " + id(alice).str());
  TrustStore d = open_db(dst);
  EXPECT_TRUE(d.list_keys()->empty());
  EXPECT_TRUE(d.list_people()->empty());
  auto log = d.audit_log();
  for (const auto& e : *log) EXPECT_TRUE(e.action.starts_with("schema.")) << e.action;  // only the creation
}

// Threat 24: a signed bundle with one file altered after signing (a person's
// keys changed in people.toml, the MANIFEST left as signed) is refused as a
// whole, with the file named and exit 2; the database is as before.
TEST_F(BundleCli, Threat24FileAlteredAfterSigningIsRefusedAndNothingApplied) {
  const std::string b = dir / "bundle";
  ASSERT_EQ(vouch({"--db", src, "keyring", "export", b, "--sign", alice.private_path}).exit_code, 0);
  std::string people = read_file(b + "/people.toml");
  const std::string alice_key = id(alice).str(), bob_key = id(bob).str();
  const size_t at = people.find(bob_key);
  ASSERT_NE(at, std::string::npos) << people;
  people.replace(at, bob_key.size(), alice_key);  // bob now claims alice's key
  write_file(b + "/people.toml", people);

  const std::string dst = dir / "dst.db";
  ASSERT_EQ(vouch({"--db", dst, "key", "import", alice.public_path}).exit_code, 0);
  auto before = open_db(dst).audit_log();
  ASSERT_TRUE(before.ok());
  RunResult r = vouch({"--db", dst, "keyring", "import", b, "--require-signer", alice_key});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.err, "vouch: error: bundle file people.toml does not match its MANIFEST hash\n");
  EXPECT_EQ(r.out, "");
  TrustStore d = open_db(dst);
  EXPECT_EQ(d.list_keys()->size(), 1u);
  EXPECT_TRUE(d.list_people()->empty());
  EXPECT_TRUE(d.list_endorsements()->empty());
  auto after = d.audit_log();
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), before->size());
  EXPECT_EQ(after->back().hash, before->back().hash);
}

// --require-signer with the fingerprint an OSPO publishes: the publisher's
// key travels in the bundle, and the consumer has never imported it.
TEST_F(BundleCli, RequireSignerByFingerprintOfABundleKey) {
  ASSERT_EQ(vouch({"--db", src, "keyring", "export", dir / "bundle", "--sign", alice.private_path}).exit_code, 0);
  for (const std::string& want : {id(alice).str(), alice.fingerprint}) {
    const std::string dst = dir / ("dst-" + std::to_string(want.size()) + ".db");
    auto im = vouch_json({"--db", dst, "keyring", "import", dir / "bundle", "--require-signer", want}, 0);
    EXPECT_EQ(im["applied"], true);
    ASSERT_EQ(im["signatures"].size(), 1u);
    EXPECT_EQ(im["signatures"][0]["key"], id(alice).str());
    EXPECT_EQ(im["signatures"][0]["status"], "good");
    EXPECT_EQ(open_db(dst).list_keys()->size(), 2u);
  }
  // Signed by alice, but the consumer asked for bob (also in the bundle), or
  // for a key that is nowhere: refused, nothing applied.
  const std::string dst = dir / "refused.db";
  RunResult r = vouch({"--db", dst, "keyring", "import", dir / "bundle", "--require-signer", id(bob).str()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.err, "vouch: error: MANIFEST is not signed by required signer " + id(bob).str() +
                       " (its signatures are by " + id(alice).str() + ")\n");
  SshKey carol = make_ssh_key(dir.path(), "carol", "ed25519");
  r = vouch({"--db", dst, "keyring", "import", dir / "bundle", "--require-signer", "ssh:" + carol.fingerprint});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: MANIFEST is not signed by required signer ssh:" + carol.fingerprint +
                       " (no key with that fingerprint in the database, the bundle or the arguments; its "
                       "signatures are by " + id(alice).str() + ")\n");
  // A key file of another key: refused as well.
  r = vouch({"--db", dst, "keyring", "import", dir / "bundle", "--require-signer", carol.public_path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: MANIFEST is not signed by required signer ssh:" + carol.fingerprint +
                       " (its signatures are by " + id(alice).str() + ")\n");
  TrustStore d = open_db(dst);
  EXPECT_TRUE(d.list_keys()->empty());
  // An unsigned bundle with a required signer.
  ASSERT_EQ(vouch({"--db", src, "keyring", "export", dir / "plain"}).exit_code, 0);
  r = vouch({"--db", dst, "keyring", "import", dir / "plain", "--require-signer", id(alice).str()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: MANIFEST is not signed by required signer " + id(alice).str() +
                       " (MANIFEST has no signature)\n");
}

// The same with an OpenPGP publisher: primary fingerprint, bare or prefixed.
TEST(KeyringBundleE2E, RequireSignerByOpenPgpFingerprint) {
  TempDir dir;
  GpgHome gpg(dir / "g");
  const std::string fpr = gpg.gen_key("OSPO <ospo@example.org>", "ed25519", "sign");
  write_file(dir / "ospo.asc", gpg.export_public(fpr));
  const std::string src = dir / "src.db";
  ASSERT_EQ(vouch({"--db", src, "key", "import", dir / "ospo.asc"}).exit_code, 0);
  RunResult ex = vouch({"--db", src, "keyring", "export", dir / "bundle", "--sign", fpr}, "", gpg.env());
  ASSERT_EQ(ex.exit_code, 0) << ex.out << ex.err;
  for (const std::string& want : {"openpgp:" + fpr, fpr}) {
    const std::string dst = dir / ("dst-" + std::to_string(want.size()) + ".db");
    auto im = vouch_json({"--db", dst, "keyring", "import", dir / "bundle", "--require-signer", want}, 0);
    EXPECT_EQ(im["applied"], true);
    EXPECT_EQ(im["signatures"][0]["key"], "openpgp:" + fpr);
    EXPECT_EQ(im["signatures"][0]["status"], "good");
  }
  const std::string other = gpg.gen_key("Other <other@example.org>", "ed25519", "sign");
  RunResult r = vouch({"--db", dir / "x.db", "keyring", "import", dir / "bundle", "--require-signer", other});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: MANIFEST is not signed by required signer openpgp:" + other +
                       " (no key with that fingerprint in the database, the bundle or the arguments; its "
                       "signatures are by openpgp:" + fpr + ")\n");
}

TEST_F(BundleCli, ExportRefusesAMissingDatabase) {
  RunResult r = vouch({"--db", dir / "none.db", "keyring", "export", dir / "bundle"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(fs::exists(dir / "bundle"));
}

TEST(KeyringBundleE2E, ImportKilledInsideItsTransactionChangesNothing) {
  TempDir dir;
  const std::string src = dir / "src.db", dst = dir / "dst.db", bundle = dir / "bundle";
  {
    TrustStore s = open_db(src);
    fill_large(s, 1000);
    auto ex = trust::export_bundle(s, bundle, {});
    ASSERT_TRUE(ex.ok()) << ex.error().message;
    ASSERT_EQ(ex->keys, 1000u);
    ASSERT_EQ(ex->endorsements, 999u);
  }
  // The database before: one key, one person, a few audit entries.
  SshKey own = make_ssh_key(dir.path(), "own", "ed25519");
  ASSERT_EQ(vouch({"--db", dst, "key", "import", own.public_path}).exit_code, 0);
  std::vector<trust::AuditEntry> before;
  {
    TrustStore d = open_db(dst);
    ASSERT_TRUE(d.add_person({"own", "", {}, {KeyId{KeyKind::ssh, own.fingerprint}}}).ok());
    before = *d.audit_log();
  }
  ASSERT_GE(before.size(), 2u);

  // A dry run on a copy finds the import's last write to the write-ahead
  // log: the frame that commits the transaction. strace kills the real
  // binary as it enters that write (kill_points.h).
  const std::string copy = dir / "copy.db";
  for (const char* suffix : {"", "-wal", "-shm"})
    if (fs::exists(dst + suffix)) fs::copy_file(dst + suffix, copy + suffix);
  const auto points = dry_run_kill_points({vouch_binary(), "--db", copy, "keyring", "import", bundle}, {},
                                          dir / "strace.log", "pwrite64");
  const KillPoint* commit = nullptr;
  for (const auto& p : points)
    if (p.trace_line.find(copy + "-wal>") != std::string::npos) commit = &p;
  ASSERT_NE(commit, nullptr) << "the import never wrote its write-ahead log";
  RunResult killed = run(killed_at(*commit, {vouch_binary(), "--db", dst, "keyring", "import", bundle}), traced({}));
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.out << killed.err;
  // Inside the transaction: the write-ahead log holds the uncommitted pages.
  EXPECT_GT(fs::file_size(dst + "-wal"), 100000u);

  {
    TrustStore d = open_db(dst);
    EXPECT_EQ(d.list_keys()->size(), 1u);
    EXPECT_EQ(d.list_people()->size(), 1u);
    EXPECT_TRUE(d.list_endorsements()->empty());
    auto after = d.audit_log();
    ASSERT_EQ(after->size(), before.size());
    EXPECT_EQ(after->back().hash, before.back().hash);
    auto v = d.verify_audit_log();
    ASSERT_TRUE(v.ok());
    EXPECT_FALSE(v->problem.has_value());
    EXPECT_EQ(v->head_hash, before.back().hash);
  }
  RunResult log = vouch({"--db", dst, "log", "--verify"});
  EXPECT_EQ(log.exit_code, 0) << log.out << log.err;

  // And the same import, not interrupted, lands completely.
  RunResult again = vouch({"--db", dst, "keyring", "import", bundle});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  TrustStore d = open_db(dst);
  EXPECT_EQ(d.list_keys()->size(), 1001u);
  EXPECT_EQ(d.list_people()->size(), 501u);
  EXPECT_EQ(d.list_endorsements()->size(), 999u);
}

}  // namespace
}  // namespace vouch::test
