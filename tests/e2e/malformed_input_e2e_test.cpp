// Threat 19 end to end: malformed input of every kind named in the threat
// list — truncated armor, garbage packets, huge length fields, invalid TOML,
// a 100 MB commit message — gives a clear error (exit 2) or a `malformed`
// verdict (exit 1), never a crash, a hang or "pass", and writes nothing (no
// trust database appears, no note, no ref). A 100 MB message under a valid
// signature is verified in bounded time and its summary cut to 200 bytes.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "e2e_support.h"
#include "util/base64.h"

namespace vouch::test {
namespace {

namespace fs = std::filesystem;
using Signer = TestRepo::Signer;

class MalformedInputE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(keys_);
    write_file(keys_ + "/alice.pub", alice_.public_line + "\n");
  }
  /// vouch with a trust database path that must never be created.
  RunResult v(std::vector<std::string> args) {
    args.insert(args.begin(), {"-C", repo_.path(), "--db", db_});
    return vouch(args, "", repo_.env());
  }
  nlohmann::json vj(std::vector<std::string> args, int expected_exit) {
    args.insert(args.begin(), {"--format", "json"});
    RunResult r = v(args);
    EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.out << r.err;
    return j;
  }
  /// A commit object like `base` whose gpgsig header is `signature`.
  std::string with_signature(const std::string& base, const std::string& signature) {
    const std::string raw = repo_.git({"cat-file", "commit", base}) + "\n";
    return repo_.git({"hash-object", "-t", "commit", "-w", "--stdin"}, with_gpgsig(raw, signature));
  }
  static std::string armor(const std::string& bytes) {
    std::string b64 = util::base64_encode(bytes);
    std::string out = "-----BEGIN PGP SIGNATURE-----\n\n";
    for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
    return out + "-----END PGP SIGNATURE-----\n";
  }
  void expect_nothing_written() {
    EXPECT_FALSE(fs::exists(db_)) << "a trust database was created";
    EXPECT_NE(repo_.git_raw({"rev-parse", "-q", "--verify", "refs/notes/vouch"}).exit_code, 0) << "a note was written";
  }

  TempDir dir_;
  SshKey alice_ = make_ssh_key(dir_.path(), "alice", "ed25519");
  TestRepo repo_{dir_ / "r", nullptr};
  std::string keys_ = dir_ / "keyring";
  std::string db_ = dir_ / "never.db";
};

TEST_F(MalformedInputE2E, Threat19MalformedInputIsExit2OrMalformedAndWritesNothing) {
  const std::string base = repo_.commit({{"a.txt", "1\n"}}, "base", Signer::none());
  const std::string raw = repo_.git({"cat-file", "commit", base}) + "\n";
  const std::string good = ssh_sign(alice_, "git", raw, dir_.path());

  // Truncated armor, garbage packets, a packet claiming 4 GiB: each a
  // `malformed` verdict of its commit, exit 1, never good.
  const std::string huge_length = std::string("\x8a\xff\xff\xff\xff\x04\x00", 7) + std::string(32, '\x01');
  const std::vector<std::pair<std::string, std::string>> signatures = {
      {"truncated armor", good.substr(0, good.size() / 2)},
      {"garbage packets", armor(std::string("\xfe\xfe\xfe\xfe\x00\x13\x37garbage", 14))},
      {"huge length field", armor(huge_length)},
  };
  for (const auto& [what, sig] : signatures) {
    const std::string c = with_signature(base, sig);
    auto j = vj({"verify", "--keyring", keys_, c}, 1);
    EXPECT_EQ(j["verdict"], "fail") << what;
    ASSERT_EQ(j["commits"].size(), 1u) << what;
    EXPECT_EQ(j["commits"][0]["signature"]["status"], "malformed") << what << ": " << j.dump();
  }

  // Invalid TOML: exit 2 naming file, line and column.
  write_file(dir_ / "bad.toml", "version = 1\nserial = [1,\n");
  RunResult r = v({"policy", "check", dir_ / "bad.toml"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(r.err.starts_with((dir_ / "bad.toml") + ":2:14: invalid TOML: ")) << r.err;
  EXPECT_TRUE(r.err.ends_with("\nvouch: error: " + (dir_ / "bad.toml") + " is not a valid policy (1 error)\n")) << r.err;
  r = v({"verify", "--policy", dir_ / "bad.toml"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(r.err.starts_with("vouch: error: " + (dir_ / "bad.toml") + ":")) << r.err;

  // A 100 MB commit message, signed: an answer in bounded time.
  std::string message(100u << 20, 'm');
  message += "\n";
  const std::string tree = repo_.git({"rev-parse", base + "^{tree}"});
  const std::string unsigned_raw = "tree " + tree + "\nauthor A <a@example.org> 1770000000 +0000\n"
                                   "committer A <a@example.org> 1770000000 +0000\n\n" + message;
  const std::string big_sig = ssh_sign(alice_, "git", unsigned_raw, dir_.path());
  const std::string big = repo_.git({"hash-object", "-t", "commit", "-w", "--stdin"}, with_gpgsig(unsigned_raw, big_sig));
  const auto start = std::chrono::steady_clock::now();
  r = v({"--format", "json", "verify", "--keyring", keys_, big});
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 60.0 * test::kSlowdown);
  // Validly signed, so good; the report's summary is cut to 200 bytes, so
  // the document stays small.
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.out.size(), 16384u);
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out.substr(0, 400);
  EXPECT_EQ(j["commits"][0]["signature"]["status"], "good");
  EXPECT_EQ(j["commits"][0]["summary"], std::string(200, 'm') + "...");

  expect_nothing_written();
}

}  // namespace
}  // namespace vouch::test
