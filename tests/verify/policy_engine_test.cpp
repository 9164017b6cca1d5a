// The policy verifier through its seam (src/verify/object_source.h): each case
// builds a small history in memory, with real in-process SSH signatures and
// approvals, and asserts the engine's exact verdict lines. No git, no
// ssh-keygen, no gpg: the whole table runs in milliseconds.
#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "memory_objects.h"
#include "verify/policy_verifier.h"

namespace vouch::verify {
namespace {

using testing::MemoryObjects;
using testing::SshSigner;

constexpr int64_t kT0 = 1'780'000'000;  // 2026-05-28, the root commit
constexpr int64_t kNow = kT0 + 86400;

const SshSigner& alice() {
  static SshSigner s(1);
  return s;
}
const SshSigner& bob() {
  static SshSigner s(2);
  return s;
}
const SshSigner& sam() {
  static SshSigner s(3);
  return s;
}
const SshSigner& mallory() {
  static SshSigner s(4);
  return s;
}

std::string policy_text(int serial, const std::string& maintainers_extra = "") {
  return "version = 1\nserial = " + std::to_string(serial) + "\n\n[people.alice]\nkeys = [\"" + alice().id().str() +
         "\"]\n[people.bob]\nkeys = [\"" + bob().id().str() + "\"]\n[people.sam]\nkeys = [\"" + sam().id().str() +
         "\"]\n" + maintainers_extra + "\n[groups]\nmaintainers = [\"alice\", \"bob\"" +
         (maintainers_extra.empty() ? "" : ", \"mallory\"") +
         "]\nsecurity = [\"sam\"]\n\n[commits]\nrequire = [\"1 of maintainers\"]\n\n"
         "[[rules]]\nname = \"build-system\"\npaths = [\"m4/**\"]\nrequire = [\"2 of maintainers\", \"1 of "
         "security\"]\n";
}

MemoryObjects::Files base_files() {
  return {{".vouch/policy.toml", policy_text(1)},
          {".vouch/keys/alice.pub", alice().public_line("alice")},
          {".vouch/keys/bob.pub", bob().public_line("bob")},
          {".vouch/keys/sam.pub", sam().public_line("sam")},
          {"src/main.c", "int main(void) { return 0; }\n"}};
}

/// An approval of `commit` by `who`, created `offset` seconds after the commit.
std::string approval(MemoryObjects& repo, const std::string& commit, const SshSigner& who, int64_t created) {
  policy::Approval a;
  a.object = commit;
  a.type = "commit";
  a.tree = repo.tree_oid(commit);
  a.signer = who.id();
  a.created = created;
  return who.approval_line(a);
}

struct Case {
  const char* name;
  /// Builds the child of the root commit (policy 1, trust root) and returns it.
  std::function<std::string(MemoryObjects&, const std::string& root)> child;
  /// The child's error lines, "%" standing for its 12-digit oid.
  std::vector<std::string> errors;
  std::vector<std::string> approval_statuses;
};

std::string with_oid(std::string line, const std::string& oid) {
  if (auto at = line.find('%'); at != std::string::npos) line.replace(at, 1, oid.substr(0, 12));
  return line;
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class PolicyEngine : public ::testing::TestWithParam<Case> {};

TEST_P(PolicyEngine, GivesTheExactVerdict) {
  MemoryObjects repo;
  std::string root = repo.commit(base_files(), {}, &alice(), kT0, "policy");
  std::string child = GetParam().child(repo, root);

  PolicyVerifyOptions opts;
  opts.trust_root = root;
  opts.now = kNow;
  auto report = verify_policy(repo, {child}, opts);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->commits.size(), 2u);
  EXPECT_EQ(report->trust_root, root);
  const CommitVerdict& c = report->commits.front();
  EXPECT_EQ(c.oid, child);
  std::vector<std::string> expected;
  for (const auto& e : GetParam().errors) expected.push_back(with_oid(e, child));
  EXPECT_EQ(c.errors, expected);
  EXPECT_EQ(c.pass, expected.empty());
  std::vector<std::string> statuses;
  for (const auto& a : c.approvals) statuses.push_back(a.status + (a.counted ? " counted" : ""));
  EXPECT_EQ(statuses, GetParam().approval_statuses);
  EXPECT_TRUE(report->commits.back().pass) << "the root commit";
}

MemoryObjects::Files changed(const std::string& path, const std::string& content) {
  auto files = base_files();
  files[path] = content;
  return files;
}

INSTANTIATE_TEST_SUITE_P(
    Table, PolicyEngine,
    ::testing::Values(
        Case{"signed_by_maintainer",
             [](MemoryObjects& r, const std::string& root) {
               return r.commit(changed("src/main.c", "int main(void) { return 1; }\n"), {root}, &bob(), kT0 + 60);
             },
             {},
             {}},
        Case{"unsigned",
             [](MemoryObjects& r, const std::string& root) {
               return r.commit(changed("src/main.c", "x\n"), {root}, nullptr, kT0 + 60);
             },
             {"commit %: signature missing: not signed",
              "commit %: rule commits needs 1 more of maintainers (have 0: -)"},
             {}},
        Case{"signed_by_stranger",
             [](MemoryObjects& r, const std::string& root) {
               return r.commit(changed("src/main.c", "x\n"), {root}, &mallory(), kT0 + 60);
             },
             {"commit %: signature unknown-key by " + mallory().id().str() + ": key " + mallory().id().str() +
                  " is not in the keyring",
              "commit %: rule commits needs 1 more of maintainers (have 0: -)"},
             {}},
        // XZ: one maintainer changes the build system alone.
        Case{"build_system_alone",
             [](MemoryObjects& r, const std::string& root) {
               return r.commit(changed("m4/build-to-host.m4", "evil\n"), {root}, &alice(), kT0 + 60);
             },
             {"commit %: rule build-system needs 1 more of maintainers (have 1: alice) for m4/build-to-host.m4",
              "commit %: rule build-system needs 1 more of security (have 0: -) for m4/build-to-host.m4"},
             {}},
        Case{"build_system_approved",
             [](MemoryObjects& r, const std::string& root) {
               auto c = r.commit(changed("m4/build-to-host.m4", "fixed\n"), {root}, &alice(), kT0 + 60);
               r.add_note_line(c, approval(r, c, bob(), kT0 + 120));
               r.add_note_line(c, approval(r, c, sam(), kT0 + 180));
               return c;
             },
             {},
             {"good counted", "good counted"}},
        // A key outside the governing policy approves: listed, never counted.
        Case{"approval_by_stranger",
             [](MemoryObjects& r, const std::string& root) {
               auto c = r.commit(changed("m4/a.m4", "x\n"), {root}, &alice(), kT0 + 60);
               r.add_note_line(c, approval(r, c, mallory(), kT0 + 120));
               r.add_note_line(c, approval(r, c, sam(), kT0 + 180));
               return c;
             },
             {"commit %: rule build-system needs 1 more of maintainers (have 1: alice) for m4/a.m4"},
             {"unknown-key", "good counted"}},
        // An approval cannot predate what it approves (threat 27).
        Case{"backdated_approval",
             [](MemoryObjects& r, const std::string& root) {
               auto c = r.commit(changed("m4/a.m4", "x\n"), {root}, &alice(), kT0 + 600);
               r.add_note_line(c, approval(r, c, bob(), kT0 + 60));
               r.add_note_line(c, approval(r, c, sam(), kT0 + 900));
               return c;
             },
             {"commit %: rule build-system needs 1 more of maintainers (have 1: alice) for m4/a.m4"},
             {"mismatch", "good counted"}},
        // An approval of another object does not count here.
        Case{"approval_of_other_commit",
             [](MemoryObjects& r, const std::string& root) {
               auto c = r.commit(changed("m4/a.m4", "x\n"), {root}, &alice(), kT0 + 60);
               auto line = approval(r, root, bob(), kT0 + 120);
               r.add_note_line(c, line);
               r.add_note_line(c, approval(r, c, sam(), kT0 + 180));
               return c;
             },
             {"commit %: rule build-system needs 1 more of maintainers (have 1: alice) for m4/a.m4"},
             {"mismatch", "good counted"}},
        // The parent's policy governs: a commit cannot vote its author in.
        Case{"policy_takeover",
             [](MemoryObjects& r, const std::string& root) {
               auto files = base_files();
               files[".vouch/policy.toml"] =
                   policy_text(2, "[people.mallory]\nkeys = [\"" + mallory().id().str() + "\"]\n");
               files[".vouch/keys/mallory.pub"] = mallory().public_line("mallory");
               return r.commit(files, {root}, &mallory(), kT0 + 60);
             },
             // The implicit "policy" rule: all of every group, under the parent's policy.
             {"commit %: signature unknown-key by " + mallory().id().str() + ": key " + mallory().id().str() +
                  " is not in the keyring",
              "commit %: rule commits needs 1 more of maintainers (have 0: -)",
              "commit %: rule policy needs 2 more of maintainers (have 0: -) for .vouch/keys/mallory.pub, "
              ".vouch/policy.toml",
              "commit %: rule policy needs 1 more of security (have 0: -) for .vouch/keys/mallory.pub, "
              ".vouch/policy.toml"},
             {}}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

// A history that does not reach the trust root through first parents cannot
// bring its own policy: a failing verdict, not an error.
TEST(PolicyEngineSeam, CommitOutsideTheTrustRootFails) {
  MemoryObjects repo;
  std::string root = repo.commit(base_files(), {}, &alice(), kT0, "policy");
  std::string orphan = repo.commit(base_files(), {}, &alice(), kT0 + 60, "orphan");
  PolicyVerifyOptions opts;
  opts.trust_root = root;
  opts.now = kNow;
  auto report = verify_policy(repo, {orphan}, opts);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->commits.size(), 1u);
  EXPECT_FALSE(report->pass());
  EXPECT_EQ(report->commits[0].errors,
            std::vector<std::string>{"commit " + orphan.substr(0, 12) + ": not descended from the trust root " +
                                     root.substr(0, 12) +
                                     " through first parents; its history cannot choose its own policy"});
}

}  // namespace
}  // namespace vouch::verify
