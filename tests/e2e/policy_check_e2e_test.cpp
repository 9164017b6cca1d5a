// `vouch policy init` and `vouch policy check` through the real binary, in
// real repositories with real keys.
#include <gtest/gtest.h>

#include <filesystem>

#include "e2e_support.h"

namespace vouch::test {
namespace {

namespace fs = std::filesystem;

/// Line number (1-based) of the first line of `text` containing `needle`.
int line_of(const std::string& text, const std::string& needle) {
  auto at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

const std::string kValid = R"(version = 1
serial = 7
[people.lasse]
keys = ["openpgp:3690C240CE51B4670D30AD1C38EE757D69184620"]
[people.jia]
keys = ["ssh:SHA256:Yh1b0tXhfXxKQ4vJ2nQm4nH2b5kS3g6S2b6r9Xr2t1Q"]
[groups]
maintainers = ["lasse", "jia"]
[commits]
require = ["1 of maintainers"]
[[rules]]
name = "m4"
paths = ["*.m4"]
require = ["2 of maintainers"]
)";

TEST(PolicyCheckE2E, ValidFileGivenOnTheCommandLine) {
  TempDir dir;
  write_file(dir / "p.toml", kValid);
  RunResult r = vouch({"policy", "check", dir / "p.toml"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, dir / "p.toml" + ": valid (serial 7, 2 people, 1 group, 1 rule + implicit policy rule)\n");
  EXPECT_EQ(r.err, "");

  auto j = vouch_json({"policy", "check", dir / "p.toml"}, 0);
  EXPECT_EQ(j["schema"], 1);
  EXPECT_EQ(j["verdict"], "valid");
  EXPECT_EQ(j["file"], dir / "p.toml");
  EXPECT_EQ(j["errors"], nlohmann::json::array());
  EXPECT_EQ(j["summary"]["serial"], 7);
  EXPECT_EQ(j["summary"]["people"], 2);
  EXPECT_EQ(j["summary"]["rules"], 1);
  EXPECT_EQ(j["summary"]["implicit_policy_rule"], true);
  EXPECT_EQ(j["summary"]["implicit_policy_paths"], nlohmann::json({".vouch/policy.toml", ".vouch/keys/**"}));
}

TEST(PolicyCheckE2E, InvalidFileExitsTwoWithEveryError) {
  TempDir dir;
  std::string bad = kValid;
  bad.replace(bad.find("2 of maintainers"), 16, "2 of maintainer");
  bad += "self_aproval = false\n";
  write_file(dir / "policy.toml", bad);
  RunResult r = vouch({"policy", "check", "policy.toml"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "policy.toml:14:12: unknown group \"maintainer\" (did you mean \"maintainers\"?)\n"
            "policy.toml:15:1: unknown field \"self_aproval\" in [[rules]] (did you mean \"self_approval\"?)\n"
            "vouch: error: policy.toml is not a valid policy (2 errors)\n");

  auto j = vouch_json({"policy", "check", "policy.toml"}, 2, dir.path());
  EXPECT_EQ(j["verdict"], "invalid");
  EXPECT_EQ(j["errors"].size(), 2u);
  EXPECT_EQ(j["errors"][0], "policy.toml:14:12: unknown group \"maintainer\" (did you mean \"maintainers\"?)");
  EXPECT_TRUE(j["summary"].is_null());
}

TEST(PolicyCheckE2E, GarbageAndMissingFiles) {
  TempDir dir;
  write_file(dir / "bin.toml", std::string("\x00\xff\xfe garbage \x01", 13));
  RunResult r = vouch({"policy", "check", dir / "bin.toml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(dir / "bin.toml" + ":1:1: invalid TOML: "), std::string::npos) << r.err;

  r = vouch({"policy", "check", dir / "nope.toml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: cannot read policy " + dir / "nope.toml" +
                       ": no such file (run `vouch policy init` to write one)\n");

  r = vouch({"policy", "check", dir.path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: cannot read policy " + dir.path() + ": not a regular file\n");
}

TEST(PolicyCheckE2E, DefaultIsTheWorkingTreePolicyOfTheRepository) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  RunResult r = vouch({"-C", repo.path(), "policy", "check"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: cannot read policy " + repo.path() +
                       "/.vouch/policy.toml: no such file (run `vouch policy init` to write one)\n");

  fs::create_directories(repo.path() + "/.vouch");
  write_file(repo.path() + "/.vouch/policy.toml", kValid);
  fs::create_directories(repo.path() + "/sub/dir");
  r = vouch({"policy", "check"}, repo.path() + "/sub/dir");  // found from a subdirectory, like git
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, ".vouch/policy.toml: valid (serial 7, 2 people, 1 group, 1 rule + implicit policy rule)\n");

  r = vouch({"policy", "check"}, dir.path());  // not a repository
  EXPECT_EQ(r.exit_code, 2);
}

TEST(PolicyCheckE2E, InitWritesAStarterThatCheckRejectsUntilFilledIn) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  RunResult r = vouch({"-C", repo.path(), "policy", "init"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "wrote .vouch/policy.toml\n"
            "next: replace \"FILL-IN\" with your key id, copy your public key into .vouch/keys/, then run `vouch policy check`\n");
  EXPECT_TRUE(fs::is_directory(repo.path() + "/.vouch/keys"));
  std::string text = read_file(repo.path() + "/.vouch/policy.toml");

  r = vouch({"-C", repo.path(), "policy", "check"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, ".vouch/policy.toml:" + std::to_string(line_of(text, "keys = [\"FILL-IN\"]")) +
                       ":9: malformed key id \"FILL-IN\": expected \"openpgp:\" and 40 or 64 hex digits, "
                       "or \"ssh:SHA256:\" and 43 base64 characters\n"
                       "vouch: error: .vouch/policy.toml is not a valid policy (1 error)\n");

  // Filling in the key is all it takes.
  auto at = text.find("[\"FILL-IN\"]");
  text.replace(at + 2, 7, "ssh:SHA256:Yh1b0tXhfXxKQ4vJ2nQm4nH2b5kS3g6S2b6r9Xr2t1Q");
  write_file(repo.path() + "/.vouch/policy.toml", text);
  r = vouch({"-C", repo.path(), "policy", "check"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, ".vouch/policy.toml: valid (serial 1, 1 person, 1 group, 0 rules + implicit policy rule)\n");

  // An existing policy is never overwritten without --force.
  r = vouch({"-C", repo.path(), "policy", "init"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: " + repo.path() + "/.vouch/policy.toml already exists (use --force to overwrite it)\n");
  EXPECT_EQ(read_file(repo.path() + "/.vouch/policy.toml"), text);
  r = vouch({"-C", repo.path(), "policy", "init", "--force"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(repo.path() + "/.vouch/policy.toml").find("FILL-IN"), std::string::npos);
}

TEST(PolicyCheckE2E, InitWithPeopleAndKeysIsValidAndCopiesKeyFiles) {
  TempDir dir;
  GpgHome gpg(dir / "gnupg");
  TestRepo repo(dir / "repo", &gpg);
  SshKey alice = make_ssh_key(dir.path(), "alice", "ed25519");
  std::string bob_fpr = gpg.gen_key("Bob <bob@example.org>");
  write_file(dir / "bob.asc", gpg.export_public(bob_fpr));

  RunResult r = run({vouch_binary(), "-C", repo.path(), "policy", "init", "--person", "alice", "--key", alice.public_path,
                     "--person", "bob", "--key", dir / "bob.asc", "--person", "carol", "--key",
                     "openpgp:0000000000000000000000000000000000000C01"},
                    {.env = gpg.env()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "wrote .vouch/policy.toml and .vouch/keys/alice.pub and .vouch/keys/bob.asc\n"
            "next: copy the public keys given by id into .vouch/keys/, then commit .vouch/ with a signed commit\n");
  EXPECT_EQ(read_file(repo.path() + "/.vouch/keys/alice.pub").substr(0, alice.public_line.find(' ', 12)),
            alice.public_line.substr(0, alice.public_line.find(' ', 12)));
  EXPECT_NE(read_file(repo.path() + "/.vouch/keys/bob.asc").find("-----BEGIN PGP PUBLIC KEY BLOCK-----"), std::string::npos);
  std::string text = read_file(repo.path() + "/.vouch/policy.toml");
  EXPECT_NE(text.find("keys = [\"ssh:" + alice.fingerprint + "\"]"), std::string::npos) << text;
  EXPECT_NE(text.find("keys = [\"openpgp:" + bob_fpr + "\"]"), std::string::npos) << text;
  EXPECT_NE(text.find("maintainers = [\"alice\", \"bob\", \"carol\"]"), std::string::npos) << text;

  r = vouch({"-C", repo.path(), "policy", "check"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, ".vouch/policy.toml: valid (serial 1, 3 people, 1 group, 0 rules + implicit policy rule)\n");
}

TEST(PolicyCheckE2E, InitRefusesBadArgumentsAndWritesNothing) {
  TempDir dir;
  TestRepo repo(dir / "repo", nullptr);
  RunResult r = vouch({"-C", repo.path(), "policy", "init", "--person", "alice"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: policy init: give one --key for each --person (1 person, 0 keys)\n");

  r = vouch({"-C", repo.path(), "policy", "init", "--person", "alice", "--key", "not-a-key"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "vouch: error: policy init: --key not-a-key is neither a key id (ssh:SHA256:..., openpgp:FPR) "
                   "nor a public key file\n");

  r = vouch({"-C", repo.path(), "policy", "init", "--person", "alice smith", "--key",
             "openpgp:0000000000000000000000000000000000000C01"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("person name \"alice smith\" must be one word"), std::string::npos) << r.err;

  r = vouch({"-C", repo.path(), "policy", "init", "--person", "a", "--key", "openpgp:0000000000000000000000000000000000000C01",
             "--person", "b", "--key", "openpgp:0000000000000000000000000000000000000c01"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("already belongs to person \"a\""), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(repo.path() + "/.vouch"));
}

TEST(PolicyCheckE2E, ShippedTemplatesPassCheck) {
  for (std::string name : {"xz-style.toml", "release-tags.toml", "strict.toml"}) {
    std::string path = test::source_dir() + "/policies/" + name;
    RunResult r = vouch({"policy", "check", path});
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
    EXPECT_EQ(r.out.substr(0, path.size() + 9), path + ": valid (") << r.out;
  }
}

}  // namespace
}  // namespace vouch::test
