// vouch key import|list|show|remove|revoke and vouch person add|list|show|add-key
// through the real binary, against a trust database in the test's TempDir.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace vouch::test {
namespace {

constexpr const char* kNow = "1800000000";  // 2027-01-15T08:00:00Z

class KeyPersonE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    fpr_ = gpg_.gen_key("Alice <alice@example.org>");
    write_file(dir_ / "alice.asc", gpg_.export_public(fpr_));
    dev_ = make_ssh_key(dir_.path(), "dev", "ed25519");
    other_ = make_ssh_key(dir_.path(), "other", "ed25519");
  }

  /// Runs vouch with --db in the TempDir, the test's GnuPG home and a fixed clock.
  RunResult v(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    auto env = gpg_.env();
    env["VOUCH_NOW"] = kNow;
    return vouch(args, dir_.path(), env);
  }
  nlohmann::json j(std::vector<std::string> args, int expected_exit = 0) {
    args.insert(args.begin(), {"--format", "json"});
    RunResult r = v(args);
    EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
    auto doc = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << "not JSON: " << r.out;
    return doc;
  }
  int64_t pgp_created() {
    auto r = gpg_.gpg({"--with-colons", "--list-keys", fpr_});
    auto line = r.out.substr(r.out.find("\npub:") + 1);
    std::vector<std::string> f;
    size_t start = 0;
    for (size_t i = 0; i < 6; ++i) {
      size_t end = line.find(':', start);
      f.push_back(line.substr(start, end - start));
      start = end + 1;
    }
    return std::stoll(f[5]);
  }
  void import_both() {
    RunResult r = v({"key", "import", "alice.asc", dev_.public_path, "--comment", "team"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string dev_id() const { return "ssh:" + dev_.fingerprint; }
  std::string pgp_id() const { return "openpgp:" + fpr_; }

  TempDir dir_;
  GpgHome gpg_{dir_.path()};
  std::string db_ = dir_ / "trust.db";
  std::string fpr_;
  SshKey dev_, other_;
};

TEST_F(KeyPersonE2E, ImportReportsAddedThenUnchanged) {
  RunResult r = v({"key", "import", "alice.asc", dev_.public_path, "--comment", "team"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "added " + pgp_id() + " (alice.asc)\nadded " + dev_id() + " (" + dev_.public_path + ")\n");
  EXPECT_EQ(r.err, "");
  auto again = j({"key", "import", "alice.asc"});
  EXPECT_EQ(again, (nlohmann::json{{"schema", 1},
                                   {"keys", {{{"id", pgp_id()}, {"kind", "openpgp"}, {"file", "alice.asc"},
                                              {"result", "unchanged"}}}},
                                   {"revocations", nlohmann::json::array()},
                                   {"warnings", nlohmann::json::array()}}));
}

TEST_F(KeyPersonE2E, ListAndShowJson) {
  import_both();
  auto list = j({"key", "list"});
  EXPECT_EQ(list, (nlohmann::json{{"schema", 1},
                                  {"keys",
                                   {{{"id", pgp_id()}, {"kind", "openpgp"}, {"person", nullptr},
                                     {"created", pgp_created()}, {"expires", nullptr}, {"revoked", false}},
                                    {{"id", dev_id()}, {"kind", "ssh"}, {"person", nullptr},
                                     {"created", nullptr}, {"expires", nullptr}, {"revoked", false}}}}}));

  auto show = j({"key", "show", fpr_});
  ASSERT_TRUE(show.contains("key"));
  auto key = show["key"];
  std::vector<std::string> fields;
  for (auto it = key.begin(); it != key.end(); ++it) fields.push_back(it.key());
  EXPECT_EQ(fields, (std::vector<std::string>{"added_by", "comment", "created", "endorsements", "expires",
                                              "first_seen", "id", "kind", "material", "person", "revocations",
                                              "revoked", "root", "signing_subkeys"}));
  EXPECT_EQ(show["schema"], 1);
  EXPECT_EQ(key["id"], pgp_id());
  EXPECT_EQ(key["signing_subkeys"], nlohmann::json::array({fpr_}));
  EXPECT_EQ(key["added_by"], "local");
  EXPECT_EQ(key["comment"], "team");
  EXPECT_EQ(key["root"], false);
  EXPECT_EQ(key["first_seen"], 1800000000);
  EXPECT_EQ(key["revocations"], nlohmann::json::array());
  EXPECT_EQ(key["endorsements"], nlohmann::json::array());
  EXPECT_TRUE(key["material"].get<std::string>().starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));

  RunResult text = v({"key", "show", dev_.public_path});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out, "key " + dev_id() + "\n"
                      "  kind:       ssh\n"
                      "  person:     (none)\n"
                      "  created:    (unknown)\n"
                      "  expires:    never\n"
                      "  first seen: 2027-01-15T08:00:00Z (added by local)\n"
                      "  comment:    team\n"
                      "  root:       no\n"
                      "  revoked:    no\n"
                      "  endorsements: none\n");
}

TEST_F(KeyPersonE2E, BadFileAppliesNothing) {
  ASSERT_EQ(v({"key", "import", "alice.asc"}).exit_code, 0);
  write_file(dir_ / "junk.txt", "not a key at all\n");
  RunResult r = v({"key", "import", dev_.public_path, "junk.txt"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: junk.txt: not an OpenPGP certificate, an OpenSSH public key or an "
                   "allowed_signers file\n");
  auto list = j({"key", "list"});
  ASSERT_EQ(list["keys"].size(), 1u);
  EXPECT_EQ(list["keys"][0]["id"], pgp_id());
}

TEST_F(KeyPersonE2E, PeopleAndTheOneOwnerRule) {
  import_both();
  RunResult add = v({"person", "add", "alice", "--name", "Alice Liddell", "--email", "alice@example.org",
                     "--key", "alice.asc"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_EQ(add.out, "added person alice with 1 key\n");
  RunResult addkey = v({"person", "add-key", "alice", dev_.fingerprint});
  ASSERT_EQ(addkey.exit_code, 0) << addkey.err;
  EXPECT_EQ(addkey.out, "added " + dev_id() + " to person alice\n");

  const std::string dup = "vouch: error: key " + dev_id() + " already belongs to person alice\n";
  RunResult bob = v({"person", "add", "bob", "--key", dev_.public_path});
  EXPECT_EQ(bob.exit_code, 2);
  EXPECT_EQ(bob.err, dup);
  ASSERT_EQ(v({"person", "add", "carol"}).exit_code, 0);
  RunResult carol = v({"person", "add-key", "carol", dev_id()});
  EXPECT_EQ(carol.exit_code, 2);
  EXPECT_EQ(carol.err, dup);

  EXPECT_EQ(j({"person", "list"}),
            (nlohmann::json{{"schema", 1},
                            {"people",
                             {{{"name", "alice"}, {"display_name", "Alice Liddell"},
                               {"emails", {"alice@example.org"}}, {"keys", {pgp_id(), dev_id()}}},
                              {{"name", "carol"}, {"display_name", ""}, {"emails", nlohmann::json::array()},
                               {"keys", nlohmann::json::array()}}}}}));
  auto show = j({"person", "show", "alice"});
  ASSERT_EQ(show["person"]["keys"].size(), 2u);
  EXPECT_EQ(show["person"]["keys"][1],
            (nlohmann::json{{"id", dev_id()}, {"kind", "ssh"}, {"person", "alice"}, {"created", nullptr},
                            {"expires", nullptr}, {"revoked", false}}));
  // A person's name resolves to their key where a KEY is expected... only with one key.
  RunResult ambiguous = v({"key", "show", "alice"});
  EXPECT_EQ(ambiguous.exit_code, 2);
  EXPECT_EQ(ambiguous.err, "vouch: error: person alice has 2 keys; name one of them\n");
  RunResult missing = v({"person", "show", "zed"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "vouch: error: person zed does not exist\n");
}

TEST_F(KeyPersonE2E, RevokeLocally) {
  import_both();
  RunResult r = v({"key", "revoke", dev_.public_path, "--reason", "superseded", "--comment", "rotated"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "revoked " + dev_id() + " (superseded, soft) at 2027-01-15T08:00:00Z, local decision\n");
  auto show = j({"key", "show", dev_id()});
  EXPECT_EQ(show["key"]["revoked"], true);
  EXPECT_EQ(show["key"]["revocations"],
            nlohmann::json::array({{{"reason", "superseded"}, {"hard", false}, {"time", 1800000000},
                                    {"signed", false}, {"comment", "rotated"}}}));
  RunResult bad = v({"key", "revoke", dev_id(), "--reason", "lost"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "vouch: error: --reason lost: expected compromised, superseded, retired or unspecified\n");
}

TEST_F(KeyPersonE2E, RevokeSignedByTheKeyItself) {
  import_both();
  RunResult r = v({"key", "revoke", dev_id(), "--reason", "compromised", "--sign-with", dev_.private_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "revoked " + dev_id() + " (compromised, hard) at 2027-01-15T08:00:00Z, signed\n");
  auto rev = j({"key", "show", dev_id()})["key"]["revocations"];
  ASSERT_EQ(rev.size(), 1u);
  EXPECT_EQ(rev[0]["signed"], true);
  EXPECT_TRUE(rev[0]["statement"].get<std::string>().starts_with("vouch-revocation v1 ")) << rev[0];

  // OpenPGP: signed through GPGME with the test's GnuPG home.
  RunResult p = v({"key", "revoke", fpr_, "--reason", "retired", "--sign-with", fpr_});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(p.out, "revoked " + pgp_id() + " (retired, soft) at 2027-01-15T08:00:00Z, signed\n");
}

TEST_F(KeyPersonE2E, RevokeSignedByNonRootIsRefused) {
  import_both();
  ASSERT_EQ(v({"key", "import", other_.public_path}).exit_code, 0);
  RunResult r = v({"key", "revoke", dev_id(), "--reason", "retired", "--sign-with", other_.private_path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: refused: revocation of " + dev_id() + " signed by ssh:" + other_.fingerprint +
                       ", which is neither the revoked key nor a root\n");
  EXPECT_EQ(j({"key", "show", dev_id()})["key"]["revocations"], nlohmann::json::array());
}

TEST_F(KeyPersonE2E, RemoveKey) {
  import_both();
  RunResult r = v({"key", "remove", dev_.public_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "removed " + dev_id() + "\n");
  auto list = j({"key", "list"});
  ASSERT_EQ(list["keys"].size(), 1u);
  EXPECT_EQ(list["keys"][0]["id"], pgp_id());
  RunResult again = v({"key", "remove", dev_id()});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_EQ(again.err, "vouch: error: key " + dev_id() + " is not in the trust database\n");
}

TEST_F(KeyPersonE2E, ImportsOpenPgpRevocation) {
  std::string fpr = gpg_.gen_key("Old <old@example.org>", "ed25519", "sign", "never", "20240101T000000!");
  revoke_openpgp(gpg_, fpr, 2, "20250101T000000!");  // superseded
  write_file(dir_ / "old.asc", gpg_.export_public(fpr));
  auto imported = j({"key", "import", "old.asc"});
  EXPECT_EQ(imported["revocations"],
            nlohmann::json::array({{{"key", "openpgp:" + fpr}, {"reason", "superseded"}, {"time", 1735689600},
                                    {"result", "added"}}}));
  auto list = j({"key", "list"});
  EXPECT_EQ(list["keys"][0]["revoked"], true);
}

TEST_F(KeyPersonE2E, CorruptDatabaseIsBadInput) {
  write_file(db_, std::string(4096, 'x'));
  RunResult r = v({"key", "list"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: " + db_ + " is not a valid vouch trust database: file is not a database\n");
  RunResult imp = v({"key", "import", "alice.asc"});
  EXPECT_EQ(imp.exit_code, 2);
}

}  // namespace
}  // namespace vouch::test
