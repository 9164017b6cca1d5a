// Key-set bundles (bundle/bundle_manifest.h, bundle_people.h, bundle_export.h,
// bundle_import.h): MANIFEST and people.toml parsing, and export -> import
// between two real databases with real ssh-keygen keys and signatures,
// including every way a bundle is refused with nothing applied.
#include <gtest/gtest.h>

#include <filesystem>

#include "bundle/bundle_export.h"
#include "bundle/bundle_import.h"
#include "bundle/bundle_manifest.h"
#include "bundle/bundle_people.h"
#include "statement/signer.h"
#include "test_env.h"
#include "trust/statement.h"
#include "trustdb/key_import.h"

namespace vouch::trust {
namespace {

namespace fs = std::filesystem;
using test::SshKey;
using test::TempDir;

constexpr int64_t kNow = 1770000000;
const std::string kHash(64, 'a');
const std::string kSsh = "ssh:SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCde";

// ---- MANIFEST --------------------------------------------------------------

TEST(ManifestTest, ParsesAndSerializesCanonically) {
  std::string text = "vouch-manifest v1\nsha256 " + kHash + "  keys/ssh/a.pub\nsha256 " + kHash + "  people.toml\n";
  auto m = parse_manifest(text);
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[0].path, "keys/ssh/a.pub");
  EXPECT_EQ(serialize_manifest({(*m)[1], (*m)[0]}), text);
}

TEST(ManifestTest, RefusesEveryDeviation) {
  auto err = [](const std::string& text) {
    auto m = parse_manifest(text);
    return m.ok() ? std::string("accepted") : m.error().message;
  };
  const std::string h = "vouch-manifest v1\n";
  EXPECT_EQ(err("vouch-manifest v2\n"), "MANIFEST:1: expected \"vouch-manifest v1\"");
  EXPECT_EQ(err(h + "sha256 " + kHash + "  a"), "MANIFEST: the last line does not end in a line feed");
  EXPECT_EQ(err(h + "sha256 " + kHash + "  b\nsha256 " + kHash + "  a\n"), "MANIFEST:3: paths are not sorted");
  EXPECT_EQ(err(h + "sha256 " + kHash + "  a\nsha256 " + kHash + "  a\n"), "MANIFEST:3: duplicate path a");
  EXPECT_EQ(err(h + "sha256 " + kHash + "  ../etc/passwd\n"), "MANIFEST:2: path \"../etc/passwd\" is not allowed");
  EXPECT_EQ(err(h + "sha256 " + kHash + "  /etc/passwd\n"), "MANIFEST:2: path \"/etc/passwd\" is not allowed");
  EXPECT_EQ(err(h + "sha256 " + kHash + "  a//b\n"), "MANIFEST:2: path \"a//b\" is not allowed");
  EXPECT_EQ(err(h + "sha256 " + kHash + "  a b\n"), "MANIFEST:2: path \"a b\" is not allowed");
  EXPECT_EQ(err(h + "sha256 " + kHash + " abc\n"), "MANIFEST:2: expected two spaces between hash and path");
  EXPECT_EQ(err(h + "sha256 " + std::string(64, 'A') + "  a\n"), "MANIFEST:2: the hash is not 64 lower-case hex digits");
  EXPECT_EQ(err(h + "sha256 " + kHash + "  MANIFEST.sig\n"), "MANIFEST:2: MANIFEST cannot list MANIFEST.sig");
  EXPECT_EQ(err(h + "sha1 " + kHash + "  a\n"), "MANIFEST:2: expected \"sha256 <64 hex>  <path>\"");
}

TEST(ManifestTest, SignatureLines) {
  auto sigs = parse_manifest_signatures("vouch-manifest-signature v1 " + kSsh + " c2ln\n");
  ASSERT_TRUE(sigs.ok()) << sigs.error().message;
  EXPECT_EQ((*sigs)[0].key.str(), kSsh);
  EXPECT_EQ((*sigs)[0].signature, "sig");
  EXPECT_EQ(serialize_manifest_signatures(*sigs), "vouch-manifest-signature v1 " + kSsh + " c2ln\n");
  auto bad = parse_manifest_signatures("vouch-manifest-signature v1 SHA256:abc c2ln\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "MANIFEST.sig:1: \"SHA256:abc\" is not a canonical key id");
  auto b64 = parse_manifest_signatures("vouch-manifest-signature v1 " + kSsh + " c2ln=\n");
  ASSERT_FALSE(b64.ok());
  EXPECT_EQ(b64.error().message, "MANIFEST.sig:1: the signature is not valid base64");
}

// ---- people.toml -----------------------------------------------------------

TEST(PeopleTomlTest, RoundTrip) {
  std::vector<Person> people(2);
  people[0].name = "sam";
  people[0].display_name = "Sam \"S\" Doe";
  people[0].emails = {"sam@example.org"};
  people[0].keys = {*KeyId::parse(kSsh)};
  people[1].name = "a.b";
  people[1].keys = {KeyId{KeyKind::openpgp, std::string(40, 'A')}};
  std::string text = serialize_people_toml(people);
  auto parsed = parse_people_toml(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message << "\n" << text;
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].name, "a.b");
  EXPECT_EQ((*parsed)[1].display_name, "Sam \"S\" Doe");
  EXPECT_EQ((*parsed)[1].emails, people[0].emails);
  EXPECT_EQ((*parsed)[1].keys, people[0].keys);
  EXPECT_EQ(serialize_people_toml(*parsed), text);
}

TEST(PeopleTomlTest, ErrorsNameLineAndColumn) {
  auto err = [](const std::string& text) {
    auto p = parse_people_toml(text);
    return p.ok() ? std::string("accepted") : p.error().message;
  };
  EXPECT_EQ(err("[people.jia]\nkeys = [\"SHA256:abc\"]\n"),
            "people.toml:2:8: \"SHA256:abc\" is not a canonical key id");
  EXPECT_EQ(err("[people.jia]\nphone = \"1\"\n"),
            "people.toml:2:9: unknown field \"phone\" in [people.jia] (expected name, emails, keys)");
  EXPECT_EQ(err("[people.a]\nkeys = [\"" + kSsh + "\"]\n[people.b]\nkeys = [\"" + kSsh + "\"]\n"),
            "people.toml:3:1: key " + kSsh + " is listed for both a and b");
  EXPECT_EQ(err("[people.Jia]\n"), "people.toml:1:1: person name \"Jia\" is not [a-z0-9._-]+");
  EXPECT_EQ(err("[groups.x]\n"), "people.toml:1:1: unknown table \"groups\" (expected [people.NAME])");
  std::string e = err("[people.jia\n");
  EXPECT_TRUE(e.starts_with("people.toml:1:")) << e;
}

// ---- export and import -----------------------------------------------------

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice = test::make_ssh_key(dir.path(), "alice", "ed25519");
    bob = test::make_ssh_key(dir.path(), "bob", "ed25519");
    carol = test::make_ssh_key(dir.path(), "carol", "ed25519");
    mallory = test::make_ssh_key(dir.path(), "mallory", "ed25519");
    src.emplace(open_store("src.db"));
    for (const SshKey* k : {&alice, &bob, &carol}) add_key(*src, *k);
    add_person(*src, "alice", alice);
    add_person(*src, "bob", bob);
    add_person(*src, "carol", carol);
    endorse(alice, bob, 120, 1);
    endorse(bob, carol, 60, 0);
    RevocationStatement rev{id(carol), RevocationReason::superseded, 1765000000, "new key"};
    std::string text = *serialize_checked(rev);
    auto sig = statement::sign_statement(text, carol.private_path, statement::kRevocationType);
    ASSERT_TRUE(sig.ok()) << sig.error().message;
    std::string line = statement::to_transport_line({std::string(statement::kRevocationType), text, *sig});
    ASSERT_TRUE(src->add_revocation({rev.key, rev.reason, rev.created, line, rev.comment}).ok());
    // A local decision: never exported.
    ASSERT_TRUE(src->add_revocation({id(bob), RevocationReason::retired, 1766000000, std::nullopt, "local"}).ok());
    dst.emplace(open_store("dst.db"));
    dst_audit = dst->audit_log()->size();
  }

  TrustStore open_store(const std::string& name) {
    auto s = TrustStore::open(dir / name, OpenMode::create);
    EXPECT_TRUE(s.ok()) << s.error().message;
    s->set_clock([] { return kNow; });
    return std::move(*s);
  }
  static KeyId id(const SshKey& k) { return KeyId{KeyKind::ssh, k.fingerprint}; }
  static void add_key(TrustStore& s, const SshKey& k) {
    auto imported = import_key_file(k.public_path);
    ASSERT_TRUE(imported.ok()) << imported.error().message;
    ASSERT_TRUE(s.add_key(imported->keys.at(0)).ok());
  }
  static void add_person(TrustStore& s, const std::string& name, const SshKey& k) {
    Person p{name, "", {name + "@example.org"}, {id(k)}};
    auto r = s.add_person(p);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  std::string endorsement_line(const SshKey& issuer, const SshKey& target, int amount, int depth,
                               const SshKey* signer = nullptr) {
    Endorsement e;
    e.issuer = id(issuer);
    e.target = id(target);
    e.amount = amount;
    e.depth = depth;
    e.created = 1764000000;
    std::string text = *serialize_checked(e);
    auto sig = statement::sign_statement(text, (signer ? *signer : issuer).private_path, statement::kEndorsementType);
    EXPECT_TRUE(sig.ok()) << sig.error().message;
    return statement::to_transport_line({std::string(statement::kEndorsementType), text, sig.ok() ? *sig : ""});
  }
  void endorse(const SshKey& issuer, const SshKey& target, int amount, int depth) {
    std::string line = endorsement_line(issuer, target, amount, depth);
    auto st = statement::parse_transport_line(line);
    ASSERT_TRUE(st.ok());
    auto put = src->put_endorsement(*parse_endorsement(st->text), line);
    ASSERT_TRUE(put.ok()) << put.error().message;
  }
  std::string export_signed(const std::string& name = "bundle") {
    auto r = export_bundle(*src, dir / name, {alice.private_path, kNow});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return dir / name;
  }
  Result<BundleImportReport> import(const std::string& bundle, std::vector<KeyId> required = {}) {
    BundleImportOptions o;
    o.now = kNow;
    o.required_signers = std::move(required);
    return import_bundle(*dst, bundle, o);
  }
  /// Rewrites MANIFEST for the directory as it now is (what an attacker who
  /// cannot sign would do); MANIFEST.sig stays.
  static void rehash(const std::string& bundle) {
    auto entries = hash_bundle(bundle);
    ASSERT_TRUE(entries.ok()) << entries.error().message;
    test::write_file(bundle + "/MANIFEST", serialize_manifest(*entries));
  }
  /// Nothing at all landed in dst.
  void expect_untouched() {
    EXPECT_TRUE(dst->list_keys()->empty());
    EXPECT_TRUE(dst->list_people()->empty());
    EXPECT_TRUE(dst->list_endorsements()->empty());
    EXPECT_TRUE(dst->list_revocations()->empty());
    EXPECT_EQ(dst->audit_log()->size(), dst_audit);
  }
  std::string ssh_file(const std::string& person, const SshKey& k) {
    return "keys/ssh/" + person + "-" + key_file_stem(id(k)) + ".pub";
  }

  TempDir dir;
  SshKey alice, bob, carol, mallory;
  std::optional<TrustStore> src, dst;
  size_t dst_audit = 0;
};

TEST_F(BundleTest, ExportWritesTheLayout) {
  auto r = export_bundle(*src, dir / "bundle", {alice.private_path, kNow});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->keys, 3u);
  EXPECT_EQ(r->people, 3u);
  EXPECT_EQ(r->endorsements, 2u);
  EXPECT_EQ(r->revocations, 1u);  // the local decision stays home
  EXPECT_EQ(r->files, 8u);
  ASSERT_TRUE(r->signer.has_value());
  EXPECT_EQ(*r->signer, id(alice));
  auto files = list_bundle_files(dir / "bundle");
  ASSERT_TRUE(files.ok());
  std::vector<std::string> want = {"audit-head", "endorsements/ssh-" + key_file_stem(id(alice)) + ".endorsement",
                                   "endorsements/ssh-" + key_file_stem(id(bob)) + ".endorsement",
                                   ssh_file("alice", alice), ssh_file("bob", bob), ssh_file("carol", carol),
                                   "people.toml",
                                   "revocations/ssh-" + key_file_stem(id(carol)) + ".revocation"};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(*files, want);
  EXPECT_TRUE(check_bundle(dir / "bundle").ok());
}

TEST_F(BundleTest, ExportRefusesANonEmptyDirectoryButKeepsDocumentation) {
  fs::create_directories(dir / "busy");
  test::write_file(dir / "busy/notes.txt", "x");
  auto r = export_bundle(*src, dir / "busy", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "cannot export into " + (dir / "busy") + ": it already holds notes.txt (use a new or empty directory)");
  fs::create_directories(dir / "doc");
  test::write_file(dir / "doc/README.md", "throwaway keys\n");
  auto ok = export_bundle(*src, dir / "doc", {});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->files, 9u);
  EXPECT_FALSE(ok->signer.has_value());
  EXPECT_FALSE(fs::exists(dir / "doc/MANIFEST.sig"));
  auto imported = import(dir / "doc");
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_TRUE(imported->applied);
}

TEST_F(BundleTest, ExportRefusesASignerTheDatabaseDoesNotHold) {
  auto r = export_bundle(*src, dir / "bundle", {mallory.private_path, kNow});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().message.starts_with("the --sign key " + mallory.private_path +
                                            " made a MANIFEST signature that does not verify"))
      << r.error().message;
  EXPECT_FALSE(fs::exists(dir / "bundle/MANIFEST"));
}

TEST_F(BundleTest, RoundTripGivesTheSameDatabaseContent) {
  std::string bundle = export_signed();
  auto r = import(bundle);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->applied);
  EXPECT_TRUE(r->refused.empty());
  EXPECT_TRUE(r->skipped.empty());
  ASSERT_EQ(r->signatures.size(), 1u);
  EXPECT_EQ(r->signatures[0].result.status, SigStatus::unknown_key);  // dst does not know alice yet
  // 3 keys + 3 people + 2 endorsements + 1 revocation
  EXPECT_EQ(r->added.size(), 9u);

  auto keys_a = src->list_keys(), keys_b = dst->list_keys();
  ASSERT_EQ(keys_a->size(), keys_b->size());
  for (size_t i = 0; i < keys_a->size(); ++i) {
    EXPECT_EQ((*keys_a)[i].id, (*keys_b)[i].id);
    EXPECT_EQ((*keys_a)[i].material, (*keys_b)[i].material);
    EXPECT_EQ((*keys_a)[i].person, (*keys_b)[i].person);
  }
  auto people_a = src->list_people(), people_b = dst->list_people();
  ASSERT_EQ(people_a->size(), people_b->size());
  for (size_t i = 0; i < people_a->size(); ++i) {
    EXPECT_EQ((*people_a)[i].name, (*people_b)[i].name);
    EXPECT_EQ((*people_a)[i].emails, (*people_b)[i].emails);
    EXPECT_EQ((*people_a)[i].keys, (*people_b)[i].keys);
  }
  auto statements = [](TrustStore& s) {
    std::vector<std::string> out;
    auto stored = s.list_stored_endorsements();
    for (const auto& e : *stored) out.push_back(e.statement);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(statements(*src), statements(*dst));
  EXPECT_EQ(statements(*dst).size(), 2u);
  auto revs = dst->list_revocations();
  ASSERT_EQ(revs->size(), 1u);
  EXPECT_EQ((*revs)[0].key, id(carol));
  EXPECT_EQ((*revs)[0].reason, RevocationReason::superseded);
  EXPECT_TRUE(dst->list_roots()->empty());

  // Importing again changes nothing.
  auto again = import(bundle);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->added.empty());
  EXPECT_TRUE(again->changed.empty());
  EXPECT_EQ(again->unchanged.size(), 9u);
}

TEST_F(BundleTest, RequiredSignerMayBeTheBundlesOwnKey) {
  std::string bundle = export_signed();
  // Not required: a signature by a key dst does not hold is only reported.
  {
    auto reported = import(bundle);
    ASSERT_TRUE(reported.ok()) << reported.error().message;
    EXPECT_EQ(reported->signatures.at(0).result.status, SigStatus::unknown_key);
  }
  // Required by its fingerprint: the bundle ships alice's key, dst has never
  // held it, and the id the consumer asked for is what makes it trusted.
  auto r = import(bundle, {id(alice)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->applied);
  EXPECT_EQ(r->signatures.at(0).result.status, SigStatus::good);
  ASSERT_TRUE(r->publisher_head.has_value());
  EXPECT_EQ(r->publisher_head->hash, src->audit_head()->hash);
  EXPECT_EQ(dst->audit_log()->back().action, "keyring.import");
}

TEST_F(BundleTest, MissingRequiredSignerIsRefused) {
  std::string bundle = export_signed();
  add_key(*dst, bob);
  const size_t audit = dst->audit_log()->size();
  auto r = import(bundle, {id(bob)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "MANIFEST is not signed by required signer " + id(bob).str() +
                                   " (its signatures are by " + id(alice).str() + ")");
  EXPECT_EQ(dst->audit_log()->size(), audit);
}

TEST_F(BundleTest, AlteredFileAfterSigningIsRefused) {  // threat 24
  std::string bundle = export_signed();
  test::write_file(bundle + "/" + ssh_file("bob", bob), mallory.public_line + "\n");
  auto r = import(bundle);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "bundle file " + ssh_file("bob", bob) + " does not match its MANIFEST hash");
  expect_untouched();
}

TEST_F(BundleTest, RehashedManifestBreaksTheSignature) {  // threat 24, with a new MANIFEST
  std::string bundle = export_signed();
  test::write_file(bundle + "/" + ssh_file("bob", bob), mallory.public_line + "\n");
  rehash(bundle);
  add_key(*dst, alice);
  const size_t audit = dst->audit_log()->size();
  auto r = import(bundle, {id(alice)});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().message.starts_with("MANIFEST signature by " + id(alice).str() + " is bad"))
      << r.error().message;
  // Not required, still refused: the database knows alice, so this is tampering.
  auto unrequired = import(bundle);
  ASSERT_FALSE(unrequired.ok());
  EXPECT_EQ(dst->list_keys()->size(), 1u);
  EXPECT_EQ(dst->audit_log()->size(), audit);
}

TEST_F(BundleTest, MissingFileIsRefused) {
  std::string bundle = export_signed();
  fs::remove(bundle + "/people.toml");
  auto r = import(bundle);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "MANIFEST lists people.toml, which is missing");
  expect_untouched();
}

TEST_F(BundleTest, ExtraUnlistedFileIsRefused) {
  std::string bundle = export_signed();
  test::write_file(bundle + "/keys/ssh/mallory.pub", mallory.public_line + "\n");
  auto r = import(bundle);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "bundle file keys/ssh/mallory.pub is not listed in MANIFEST");
  expect_untouched();
}

TEST_F(BundleTest, SymlinkIsRefused) {
  std::string bundle = export_signed();
  fs::create_symlink(mallory.public_path, bundle + "/keys/ssh/link.pub");
  auto r = import(bundle);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "bundle file keys/ssh/link.pub is a symbolic link");
  expect_untouched();
}

TEST_F(BundleTest, MissingManifestIsRefused) {
  std::string bundle = export_signed();
  fs::remove(bundle + "/MANIFEST");
  auto r = import(bundle);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "bundle " + bundle + " has no MANIFEST");
}

TEST_F(BundleTest, EndorsementWithAWrongSignatureFailsTheWholeImport) {
  std::string bundle = export_signed("plain");
  // carol -> alice, but signed by mallory.
  std::string forged = endorsement_line(carol, alice, 120, 0, &mallory);
  test::write_file(bundle + "/endorsements/forged.endorsement", forged + "\n");
  rehash(bundle);
  fs::remove(bundle + "/MANIFEST.sig");
  auto r = import(bundle);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->applied);
  ASSERT_EQ(r->refused.size(), 1u);
  EXPECT_EQ(r->refused[0].kind, "endorsement");
  EXPECT_EQ(r->refused[0].id, id(carol).str() + " -> " + id(alice).str());
  EXPECT_TRUE(r->refused[0].detail.starts_with("endorsements/forged.endorsement:1: endorsement signature is unknown-key"))
      << r->refused[0].detail;
  EXPECT_TRUE(r->added.empty());
  expect_untouched();
}

TEST_F(BundleTest, EndorsementSignedByAnotherKnownKeyIsRefused) {
  std::string bundle = export_signed("plain");
  std::string forged = endorsement_line(carol, alice, 120, 0, &bob);
  test::write_file(bundle + "/endorsements/forged.endorsement", forged + "\n");
  rehash(bundle);
  fs::remove(bundle + "/MANIFEST.sig");
  auto r = import(bundle);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->applied);
  ASSERT_EQ(r->refused.size(), 1u);
  EXPECT_EQ(r->refused[0].detail, "endorsements/forged.endorsement:1: endorsement issuer " + id(carol).str() +
                                      " but signed by " + id(bob).str());
  expect_untouched();
}

TEST_F(BundleTest, EndorsementByAnIssuerTheDatabaseRevokedIsSkipped) {
  std::string bundle = export_signed("plain");
  test::write_file(bundle + "/endorsements/by-carol.endorsement", endorsement_line(carol, alice, 120, 0) + "\n");
  rehash(bundle);
  fs::remove(bundle + "/MANIFEST.sig");
  add_key(*dst, carol);
  ASSERT_TRUE(dst->add_revocation({id(carol), RevocationReason::compromised, 1700000000, std::nullopt, std::nullopt}).ok());
  auto r = import(bundle);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->applied);
  EXPECT_TRUE(r->refused.empty());
  ASSERT_EQ(r->skipped.size(), 1u);
  EXPECT_EQ(r->skipped[0].id, id(carol).str() + " -> " + id(alice).str());
  EXPECT_EQ(r->skipped[0].detail, "issuer " + id(carol).str() + " is revoked");
  EXPECT_EQ(dst->list_endorsements()->size(), 2u);
}

TEST_F(BundleTest, PersonOwningAKeyOfAnotherPersonInTheDatabaseIsRefused) {
  std::string bundle = export_signed();
  add_key(*dst, bob);
  add_person(*dst, "robert", bob);
  const size_t audit = dst->audit_log()->size();
  auto r = import(bundle);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->applied);
  ASSERT_EQ(r->refused.size(), 1u);
  EXPECT_EQ(r->refused[0].kind, "person");
  EXPECT_EQ(r->refused[0].id, "bob");
  EXPECT_EQ(r->refused[0].detail, "lists key " + id(bob).str() + ", which belongs to person robert in the database");
  EXPECT_EQ(dst->list_keys()->size(), 1u);
  EXPECT_EQ(dst->audit_log()->size(), audit);
}

TEST_F(BundleTest, KeyGivenToTwoPeopleInTheBundleIsRefused) {
  std::string bundle = export_signed("plain");
  std::string toml = test::read_file(bundle + "/people.toml");
  toml += "\n[people.zed]\nkeys = [\"" + id(bob).str() + "\"]\n";
  test::write_file(bundle + "/people.toml", toml);
  rehash(bundle);
  fs::remove(bundle + "/MANIFEST.sig");
  auto r = import(bundle);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->applied);
  ASSERT_EQ(r->refused.size(), 1u);
  EXPECT_EQ(r->refused[0].id, "people.toml");
  EXPECT_TRUE(r->refused[0].detail.ends_with("key " + id(bob).str() + " is listed for both bob and zed"))
      << r->refused[0].detail;
  expect_untouched();
}

TEST_F(BundleTest, UnknownFileKindAndMalformedKeyAreRefused) {
  std::string bundle = export_signed("plain");
  test::write_file(bundle + "/run.sh", "#!/bin/sh\n");
  test::write_file(bundle + "/keys/ssh/junk.pub", "not a key\n");
  rehash(bundle);
  fs::remove(bundle + "/MANIFEST.sig");
  auto r = import(bundle);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->applied);
  ASSERT_EQ(r->refused.size(), 2u);
  EXPECT_EQ(r->refused[0].id, "run.sh");
  EXPECT_TRUE(r->refused[0].detail.starts_with("unknown kind of bundle file")) << r->refused[0].detail;
  EXPECT_EQ(r->refused[1].id, "keys/ssh/junk.pub");
  expect_untouched();
}

TEST_F(BundleTest, RevocationByAnotherKeyThanARootIsSkipped) {
  // alice (not a root of dst) revokes bob: reported, not applied, not fatal.
  RevocationStatement rev{id(bob), RevocationReason::compromised, 1765000000, std::nullopt};
  std::string text = *serialize_checked(rev);
  auto sig = statement::sign_statement(text, alice.private_path, statement::kRevocationType);
  ASSERT_TRUE(sig.ok());
  std::string bundle = export_signed("plain");
  test::write_file(bundle + "/revocations/by-alice.revocation",
                   statement::to_transport_line({std::string(statement::kRevocationType), text, *sig}) + "\n");
  rehash(bundle);
  fs::remove(bundle + "/MANIFEST.sig");
  auto r = import(bundle);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->applied);
  ASSERT_EQ(r->skipped.size(), 1u);
  EXPECT_EQ(r->skipped[0].detail,
            "signed by " + id(alice).str() + ", which is neither the revoked key nor a root of this database");
  EXPECT_EQ(dst->list_revocations()->size(), 1u);  // carol's own
}

TEST_F(BundleTest, ExistingPersonGainsKeysButKeepsItsEmails) {
  std::string bundle = export_signed();
  add_key(*dst, bob);
  Person p{"bob", "Bob", {"bob@home.example"}, {id(bob)}};
  ASSERT_TRUE(dst->add_person(p).ok());
  auto r = import(bundle);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->applied);
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(r->warnings[0], "person bob: the bundle's name or emails differ from the database's; the database's are kept");
  EXPECT_EQ((*dst->get_person("bob"))->emails, std::vector<std::string>{"bob@home.example"});
}

}  // namespace
}  // namespace vouch::trust
