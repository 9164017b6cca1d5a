// TrustStore CRUD: keys, people, endorsements, roots, revocations, and the
// all-or-nothing behaviour of transactions.
#include "trustdb/store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>

#include "test_env.h"

namespace vouch::trust {
namespace {

using test::TempDir;

const KeyId kPgp{KeyKind::openpgp, "3690C240CE51B4670D30AD1C38EE757D69184620"};
const KeyId kSsh{KeyKind::ssh, "SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCde"};
const KeyId kSsh2{KeyKind::ssh, "SHA256:BbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCde"};

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = TrustStore::open(dir_ / "trust.db", OpenMode::create);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_.emplace(std::move(*s));
    store_->set_clock([this] { return now_; });
  }
  TrustStore& store() { return *store_; }

  static KeyRecord pgp_key(std::string material = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nv1") {
    KeyRecord k;
    k.id = kPgp;
    k.material = std::move(material);
    k.signing_subkeys = {"aaaabbbbccccddddeeeeffff0000111122223333"};
    k.created = 1690000000;
    return k;
  }
  static KeyRecord ssh_key(const KeyId& id) {
    KeyRecord k;
    k.id = id;
    k.material = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI " + id.id;
    return k;
  }
  static Endorsement endorsement(int64_t created, int amount = 120) {
    Endorsement e;
    e.issuer = kPgp;
    e.target = kSsh;
    e.person = "jia";
    e.emails = {"jia@example.org", "jia@work.example"};
    e.amount = amount;
    e.depth = 1;
    e.scopes = {"*@example.org"};
    e.created = created;
    e.comment = "met in person";
    return e;
  }
  size_t audit_count() { return store().audit_log()->size(); }

  TempDir dir_;
  std::optional<TrustStore> store_;
  int64_t now_ = 1764000000;
};

TEST_F(StoreTest, AddKeyReportsAddedUnchangedUpdated) {
  auto r = store().add_key(pgp_key(), Change{"local", "imported from keyring/"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, KeyImport::added);
  const size_t after_add = audit_count();
  EXPECT_EQ(*store().add_key(pgp_key()), KeyImport::unchanged);
  EXPECT_EQ(audit_count(), after_add);  // nothing changed, nothing logged
  now_ += 100;
  EXPECT_EQ(*store().add_key(pgp_key("-----BEGIN PGP PUBLIC KEY BLOCK-----\nv2")), KeyImport::updated);
  EXPECT_EQ(audit_count(), after_add + 1);
  EXPECT_EQ(store().audit_log()->back().action, "key.update");

  auto k = store().get_key(kPgp);
  ASSERT_TRUE(k.ok() && k->has_value());
  EXPECT_EQ((*k)->material, "-----BEGIN PGP PUBLIC KEY BLOCK-----\nv2");
  EXPECT_EQ((*k)->first_seen, 1764000000);  // first import's time survives the update
  EXPECT_EQ((*k)->added_by, "local");
  EXPECT_EQ((*k)->comment, "imported from keyring/");
  EXPECT_EQ((*k)->created, 1690000000);
  EXPECT_FALSE((*k)->expires.has_value());
  EXPECT_EQ((*k)->signing_subkeys, std::vector<std::string>{"AAAABBBBCCCCDDDDEEEEFFFF0000111122223333"});
  EXPECT_FALSE(store().get_key(kSsh)->has_value());
}

TEST_F(StoreTest, KeyLookupsAndListing) {
  ASSERT_TRUE(store().add_key(pgp_key()).ok());
  ASSERT_TRUE(store().add_key(ssh_key(kSsh)).ok());
  auto by_sub = store().find_key_by_subkey("aaaabbbbccccddddeeeeffff0000111122223333");
  ASSERT_TRUE(by_sub.ok() && by_sub->has_value());
  EXPECT_EQ((*by_sub)->id, kPgp);
  auto by_primary = store().find_key_by_subkey("3690c240ce51b4670d30ad1c38ee757d69184620");
  ASSERT_TRUE(by_primary.ok() && by_primary->has_value());
  EXPECT_EQ((*by_primary)->id, kPgp);
  EXPECT_FALSE(store().find_key_by_subkey("0000000000000000000000000000000000000000")->has_value());

  auto keys = store().list_keys();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].id, kPgp);  // "openpgp:" < "ssh:"
  EXPECT_EQ((*keys)[0].signing_subkeys.size(), 1u);
  EXPECT_EQ((*keys)[1].id, kSsh);
  EXPECT_TRUE((*keys)[1].signing_subkeys.empty());
}

TEST_F(StoreTest, InvalidKeysAreRefused) {
  KeyRecord k = ssh_key(KeyId{KeyKind::ssh, "SHA256:short"});
  auto r = store().add_key(k);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().message, "invalid key id ssh:SHA256:short");
  KeyRecord empty = ssh_key(kSsh);
  empty.material.clear();
  EXPECT_EQ(store().add_key(empty).error().message, "key " + kSsh.str() + " has no key material");
  KeyRecord bad_sub = pgp_key();
  bad_sub.signing_subkeys = {"XYZ"};
  EXPECT_EQ(store().add_key(bad_sub).error().message, "invalid OpenPGP fingerprint \"XYZ\"");
  EXPECT_TRUE(store().list_keys()->empty());
}

TEST_F(StoreTest, RemoveKeyKeepsStatementsAboutIt) {
  ASSERT_TRUE(store().add_key(pgp_key()).ok());
  ASSERT_TRUE(store().add_person(Person{"jia", "Jia", {}, {kPgp}}).ok());
  ASSERT_TRUE(*store().add_root(kPgp));
  ASSERT_TRUE(store().put_endorsement(endorsement(100), "vouch-endorsement v1 a b").ok());
  ASSERT_TRUE(*store().add_revocation(RevocationRecord{kPgp, RevocationReason::retired, 50, std::nullopt, std::nullopt}));

  ASSERT_TRUE(store().remove_key(kPgp).ok());
  EXPECT_FALSE(store().get_key(kPgp)->has_value());
  EXPECT_FALSE(store().find_key_by_subkey("AAAABBBBCCCCDDDDEEEEFFFF0000111122223333")->has_value());
  EXPECT_TRUE(store().list_roots()->empty());
  EXPECT_TRUE((*store().get_person("jia"))->keys.empty());
  EXPECT_EQ(store().list_endorsements()->size(), 1u);
  EXPECT_EQ(store().revocations_of(kPgp)->size(), 1u);
  EXPECT_EQ(store().audit_log()->back().action, "key.remove");
  EXPECT_NE(store().audit_log()->back().payload.find(R"("was_root":true)"), std::string::npos);

  auto again = store().remove_key(kPgp);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::not_found);
  EXPECT_EQ(again.error().message, "key " + kPgp.str() + " is not in the trust database");
}

TEST_F(StoreTest, PeopleAndTheirKeys) {
  ASSERT_TRUE(store().add_key(pgp_key()).ok());
  ASSERT_TRUE(store().add_key(ssh_key(kSsh)).ok());
  ASSERT_TRUE(store().add_key(ssh_key(kSsh2)).ok());
  const size_t log_before = audit_count();
  ASSERT_TRUE(store().add_person(Person{"jia", "Jia Example", {"jia@example.org"}, {kPgp}}).ok());
  EXPECT_EQ(audit_count(), log_before + 1);  // one entry, naming the keys
  EXPECT_NE(store().audit_log()->back().payload.find(R"("keys":[")" + kPgp.str() + R"("])"),
            std::string::npos);
  ASSERT_TRUE(store().add_person(Person{"sam", "Sam", {}, {}}).ok());

  auto dup = store().add_person(Person{"jia", "Other", {}, {}});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(dup.error().message, "person jia already exists");
  EXPECT_EQ(store().add_person(Person{"Jia Example", "", {}, {}}).error().message,
            "invalid person name \"Jia Example\" (use lower-case letters, digits, '.', '_', '-')");

  EXPECT_TRUE(*store().add_key_to_person("jia", kSsh));
  EXPECT_FALSE(*store().add_key_to_person("jia", kSsh));  // already hers: no-op
  auto twice = store().add_key_to_person("sam", kSsh);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(twice.error().message, "key " + kSsh.str() + " already belongs to person jia");
  auto in_new = store().add_person(Person{"eve", "", {}, {kPgp}});
  ASSERT_FALSE(in_new.ok());
  EXPECT_EQ(in_new.error().message, "key " + kPgp.str() + " already belongs to person jia");
  EXPECT_FALSE(store().get_person("eve")->has_value());  // refused as a whole

  auto nobody = store().add_key_to_person("nobody", kSsh2);
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.error().kind, ErrorKind::not_found);
  EXPECT_EQ(nobody.error().message, "person nobody does not exist");
  const KeyId unknown{KeyKind::openpgp, "0000000000000000000000000000000000000001"};
  EXPECT_EQ(store().add_key_to_person("sam", unknown).error().message,
            "key " + unknown.str() + " is not in the trust database");

  auto jia = store().get_person("jia");
  ASSERT_TRUE(jia.ok() && jia->has_value());
  EXPECT_EQ((*jia)->display_name, "Jia Example");
  EXPECT_EQ((*jia)->emails, std::vector<std::string>{"jia@example.org"});
  EXPECT_EQ((*jia)->keys, (std::vector<KeyId>{kPgp, kSsh}));
  EXPECT_EQ(*store().person_of(kSsh), "jia");
  EXPECT_FALSE(store().person_of(kSsh2)->has_value());
  auto people = store().list_people();
  ASSERT_EQ(people->size(), 2u);
  EXPECT_EQ((*people)[1].name, "sam");
  EXPECT_TRUE((*people)[1].keys.empty());
}

TEST_F(StoreTest, NewestEndorsementPerPairWins) {
  auto first = store().put_endorsement(endorsement(1000), "line-1000");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->outcome, PutOutcome::added);
  EXPECT_EQ(store().put_endorsement(endorsement(1000), "line-1000")->outcome, PutOutcome::unchanged);

  auto older = store().put_endorsement(endorsement(900, 60), "line-900");
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(older->outcome, PutOutcome::ignored_older);
  EXPECT_EQ(older->reason, "endorsement of " + kSsh.str() + " by " + kPgp.str() +
                               " created 900 is not newer than the stored one (created 1000); "
                               "keeping the stored one");
  auto same_time = store().put_endorsement(endorsement(1000, 60), "line-1000-other");
  EXPECT_EQ(same_time->outcome, PutOutcome::ignored_older);

  auto retraction = store().put_endorsement(endorsement(2000, 0), "line-2000");
  EXPECT_EQ(retraction->outcome, PutOutcome::replaced);
  auto stored = store().get_endorsement(kPgp, kSsh);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->statement, "line-2000");
  EXPECT_EQ((*stored)->endorsement.amount, 0);
  EXPECT_EQ((*stored)->endorsement.created, 2000);

  auto all = store().list_endorsements();
  ASSERT_EQ(all->size(), 1u);
  const Endorsement& e = (*all)[0];
  EXPECT_EQ(e.issuer, kPgp);
  EXPECT_EQ(e.target, kSsh);
  EXPECT_EQ(e.person, "jia");
  EXPECT_EQ(e.emails, (std::vector<std::string>{"jia@example.org", "jia@work.example"}));
  EXPECT_EQ(e.scopes, std::vector<std::string>{"*@example.org"});
  EXPECT_EQ(e.depth, 1);
  EXPECT_EQ(e.comment, "met in person");
  EXPECT_FALSE(e.expires.has_value());
  EXPECT_EQ(store().endorsements_for(kSsh)->size(), 1u);
  EXPECT_TRUE(store().endorsements_for(kPgp)->empty());
  EXPECT_EQ((*store().list_stored_endorsements())[0].statement, "line-2000");

  auto log = store().audit_log();
  EXPECT_EQ((*log)[log->size() - 2].action, "endorsement.add");
  EXPECT_EQ(log->back().action, "endorsement.replace");
}

TEST_F(StoreTest, EndorsementFieldsAreChecked) {
  auto bad_amount = store().put_endorsement(endorsement(1, 121), "x");
  ASSERT_FALSE(bad_amount.ok());
  EXPECT_EQ(bad_amount.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(bad_amount.error().message,
            "endorsement of " + kSsh.str() + " by " + kPgp.str() + ": amount 121 is not in 0..120");
  Endorsement deep = endorsement(1);
  deep.depth = 256;
  EXPECT_EQ(store().put_endorsement(deep, "x").error().message,
            "endorsement of " + kSsh.str() + " by " + kPgp.str() + ": depth 256 is not in 0..255");
  Endorsement two_lines = endorsement(1);
  two_lines.emails = {"a@example.org\nb@example.org"};
  EXPECT_EQ(store().put_endorsement(two_lines, "x").error().message,
            "invalid email \"a@example.org\nb@example.org\"");
  EXPECT_TRUE(store().list_endorsements()->empty());
}

TEST_F(StoreTest, Roots) {
  auto missing = store().add_root(kPgp);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_EQ(missing.error().message, "key " + kPgp.str() + " is not in the trust database");
  ASSERT_TRUE(store().add_key(pgp_key()).ok());
  ASSERT_TRUE(store().add_key(ssh_key(kSsh)).ok());
  EXPECT_TRUE(*store().add_root(kSsh));
  EXPECT_TRUE(*store().add_root(kPgp));
  EXPECT_FALSE(*store().add_root(kPgp));
  EXPECT_EQ(*store().list_roots(), (std::vector<KeyId>{kPgp, kSsh}));
  EXPECT_TRUE(*store().remove_root(kSsh));
  EXPECT_FALSE(*store().remove_root(kSsh));
  EXPECT_EQ(*store().list_roots(), std::vector<KeyId>{kPgp});
  EXPECT_EQ(store().audit_log()->back().action, "root.remove");
}

TEST_F(StoreTest, Revocations) {
  RevocationRecord signed_rev{kSsh, RevocationReason::compromised, 1700, "vouch-revocation v1 a b",
                              "stolen laptop"};
  RevocationRecord local{kSsh, RevocationReason::superseded, 1800, std::nullopt, std::nullopt};
  EXPECT_TRUE(*store().add_revocation(signed_rev));  // key need not be held
  EXPECT_FALSE(*store().add_revocation(signed_rev));
  EXPECT_TRUE(*store().add_revocation(local, Change{"local", "new laptop"}));
  EXPECT_FALSE(*store().add_revocation(local));
  EXPECT_TRUE(*store().add_revocation(RevocationRecord{kPgp, RevocationReason::retired, 10, std::nullopt, std::nullopt}));

  auto of = store().revocations_of(kSsh);
  ASSERT_TRUE(of.ok());
  ASSERT_EQ(of->size(), 2u);
  EXPECT_EQ((*of)[0].reason, RevocationReason::compromised);
  EXPECT_EQ((*of)[0].statement, "vouch-revocation v1 a b");
  EXPECT_EQ((*of)[0].comment, "stolen laptop");
  EXPECT_EQ((*of)[1].reason, RevocationReason::superseded);
  EXPECT_FALSE((*of)[1].statement.has_value());
  EXPECT_EQ(store().list_revocations()->size(), 3u);
  auto log = store().audit_log();
  EXPECT_EQ((*log)[log->size() - 2].payload,
            R"({"action":"revocation.add","actor":"local","change":{"comment":null,"key":")" + kSsh.str() +
                R"(","reason":"superseded","statement":null,"time":1800,"why":"new laptop"},"seq":)" +
                std::to_string((*log)[log->size() - 2].seq) + R"(,"time":1764000000})");
}

TEST_F(StoreTest, FailedTransactionLeavesNothingBehind) {
  const size_t log_before = audit_count();
  // The second insert violates the amount rule: the first must vanish too.
  auto r = store().transaction([&]() -> Result<void> {
    auto a = store().put_endorsement(endorsement(1000), "line-1");
    if (!a) return a.error();
    Endorsement e = endorsement(1000, 500);
    e.target = kSsh2;
    auto b = store().put_endorsement(e, "line-2");
    if (!b) return b.error();
    return {};
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "endorsement of " + kSsh2.str() + " by " + kPgp.str() + ": amount 500 is not in 0..120");
  EXPECT_TRUE(store().list_endorsements()->empty());
  EXPECT_EQ(audit_count(), log_before);

  // A constraint SQLite itself enforces (a raw duplicate insert), same result.
  auto raw = store().transaction([&]() -> Result<void> {
    auto a = store().add_key(ssh_key(kSsh));
    if (!a) return a.error();
    return store().connection().exec(
        "INSERT INTO people (name) VALUES ('x'); INSERT INTO people (name) VALUES ('x')");
  });
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error().kind, ErrorKind::bad_input);
  EXPECT_TRUE(store().list_keys()->empty());
  EXPECT_TRUE(store().list_people()->empty());

  // An exception rolls back and propagates.
  EXPECT_THROW((void)store().transaction([&]() -> Result<void> {
                 (void)store().add_key(ssh_key(kSsh));
                 throw std::runtime_error("boom");
               }),
               std::runtime_error);
  EXPECT_TRUE(store().list_keys()->empty());
  EXPECT_EQ(audit_count(), log_before);
  // The store is usable afterwards.
  EXPECT_EQ(*store().add_key(ssh_key(kSsh)), KeyImport::added);
}

TEST_F(StoreTest, RefusedChangeInsideATransactionKeepsTheOthers) {
  auto r = store().transaction([&]() -> Result<void> {
    if (auto a = store().add_key(ssh_key(kSsh)); !a) return a.error();
    if (auto p = store().add_person(Person{"jia", "", {}, {kSsh}}); !p) return p;
    // Refused (key already belongs to jia); the caller reports it and goes on.
    auto refused = store().add_person(Person{"sam", "", {"sam@example.org"}, {kSsh}});
    EXPECT_FALSE(refused.ok());
    return {};
  });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(store().get_key(kSsh)->has_value());
  EXPECT_TRUE(store().get_person("jia")->has_value());
  EXPECT_FALSE(store().get_person("sam")->has_value());
  auto verified = store().verify_audit_log();
  EXPECT_FALSE(verified->problem.has_value());
}

TEST_F(StoreTest, ListsManyEndorsementsInOneScan) {
  // 100,000 rows written directly (the store's own path logs each one);
  // list_endorsements must return them all with their fields.
  constexpr int kRows = 100'000;
  ASSERT_TRUE(store().transaction([&]() -> Result<void> {
    auto st = sql::Statement::prepare(
        store().connection(),
        "INSERT INTO endorsements (issuer, target, emails, amount, depth, scopes, created, statement) "
        "VALUES (?1, ?2, 'a@example.org', 120, 2, '*@example.org\n*@example.net', ?3, 'line')");
    if (!st) return st.error();
    for (int i = 0; i < kRows; ++i) {
      st->reset();
      char issuer[64];
      std::snprintf(issuer, sizeof issuer, "openpgp:%040d", i);
      char target[64];
      std::snprintf(target, sizeof target, "openpgp:%040d", (i * 7 + 1) % kRows);
      st->bind(1, issuer).bind(2, target).bind(3, int64_t{i});
      if (auto r = st->run(); !r) return r;
    }
    return {};
  }).ok());
  const auto start = std::chrono::steady_clock::now();
  auto all = store().list_endorsements();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), static_cast<size_t>(kRows));
  EXPECT_EQ((*all)[5].issuer.id, "0000000000000000000000000000000000000005");
  EXPECT_EQ((*all)[5].target.id, "0000000000000000000000000000000000000036");
  EXPECT_EQ((*all)[5].scopes, (std::vector<std::string>{"*@example.org", "*@example.net"}));
  std::printf("list_endorsements: %d rows in %lld ms\n", kRows, static_cast<long long>(ms.count()));
}

}  // namespace
}  // namespace vouch::trust
