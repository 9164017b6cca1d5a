// The documents of the trust-database and hook commands, rendered from
// result structs alone (report/log_render.h, report/keyring_render.h,
// report/hook_render.h, report/trust_render.h): exact text and JSON, no
// database, repository or binary involved.
#include <gtest/gtest.h>

#include <string>

#include "report/hook_render.h"
#include "report/keyring_render.h"
#include "report/log_render.h"
#include "report/trust_render.h"

namespace vouch::report {
namespace {

const KeyId kAlice{KeyKind::ssh, "SHA256:alice"};

TEST(AuditCheckRender, IntactLogWithAnchors) {
  app::AuditCheck c;
  c.entries = 12;
  c.head_hash = "5f0c";
  c.anchors = 2;
  auto doc = render_audit_check(c);
  EXPECT_EQ(doc.text, "audit log intact: 12 entries, head 5f0c\ntrust tables match the log; 2 anchors found\n");
  EXPECT_EQ(doc.json.dump(), R"({"differences":[],"entries":12,"head":"5f0c","schema":1,"verdict":"pass"})");
}

TEST(AuditCheckRender, BrokenChainSaysOnlyThat) {
  app::AuditCheck c;
  c.entries = 7;
  c.head_hash = "aa";
  c.problem = trust::AuditProblem{7, "entry 7: hash does not match its contents"};
  c.chain_broken = true;
  auto doc = render_audit_check(c);
  EXPECT_EQ(doc.text, "audit log broken: entry 7: hash does not match its contents\n");
  EXPECT_EQ(doc.json["verdict"], "fail");
  EXPECT_FALSE(doc.json.contains("differences"));
  EXPECT_EQ(doc.json["problem"]["seq"], 7);
  EXPECT_EQ(doc.json["errors"], nlohmann::json::array({"entry 7: hash does not match its contents"}));
}

TEST(AuditCheckRender, TablesDifferingFromTheLogAreEachNamed) {
  app::AuditCheck c;
  c.entries = 3;
  c.differences = {
      {"roots", "ssh:SHA256:x", "table roots, row ssh:SHA256:x: in the database but not in the audit log"}};
  auto doc = render_audit_check(c);
  EXPECT_EQ(doc.text,
            "trust tables differ from the audit log (1 difference):\n"
            "  table roots, row ssh:SHA256:x: in the database but not in the audit log\n");
  EXPECT_EQ(doc.json["verdict"], "fail");
  EXPECT_EQ(doc.json["differences"][0]["table"], "roots");
  EXPECT_EQ(doc.json["errors"].size(), 1u);
}

TEST(AuditLogRender, EntriesWithoutTheirEvidence) {
  trust::AuditEntry e;
  e.seq = 1;
  e.time = 0;
  e.actor = "local";
  e.action = "key.import";
  e.payload = R"({"change":{"id":"ssh:SHA256:alice","material":"AAAA","comment":""}})";
  auto doc = render_audit_log({e}, false);
  EXPECT_EQ(doc.text, "1  1970-01-01T00:00:00Z  local  key.import  id=ssh:SHA256:alice\n");
  EXPECT_EQ(doc.json["entries"][0]["change"]["material"], "AAAA");
  EXPECT_EQ(render_audit_log({}, false).text, "the audit log is empty\n");
  EXPECT_EQ(render_audit_log({}, true).text, "");
}

TEST(KeyringImportRender, RefusedItemsMakeItFailAndAreErrors) {
  trust::BundleImportReport r;
  SignatureResult bad;
  bad.status = SigStatus::bad;
  bad.reason = "signature does not verify";
  r.signatures = {{kAlice, bad}};
  r.added = {{"key", "ssh:SHA256:bob", ""}};
  r.unchanged = {{"person", "carol", ""}};
  r.refused = {{"endorsement", "A -> B", "issuer unknown"}};
  auto quiet = render_keyring_import(r, "ospo-keys", false);
  EXPECT_FALSE(keyring_import_ok(r));
  EXPECT_EQ(quiet.text,
            "MANIFEST signature by ssh:SHA256:alice: bad (signature does not verify)\n"
            "added: 1\n  key ssh:SHA256:bob\n"
            "unchanged: 1\n"
            "refused: 1\n  endorsement A -> B (issuer unknown)\n"
            "nothing imported: 1 item(s) refused\n");
  EXPECT_EQ(quiet.json["errors"], nlohmann::json::array({"endorsement A -> B: issuer unknown"}));
  EXPECT_EQ(quiet.json["verdict"], "fail");
  auto verbose = render_keyring_import(r, "ospo-keys", true);
  EXPECT_NE(verbose.text.find("unchanged: 1\n  person carol\n"), std::string::npos) << verbose.text;
}

TEST(HookRender, InstallWithoutTrustRootSaysHowToSetOne) {
  app::HookInstallResult r;
  r.installed = {{"pre-receive", "/srv/x.git/hooks/pre-receive", "/usr/bin/vouch"}};
  r.trust_root = {"", "no commit with a policy yet", true, false};
  r.git_dir = "/srv/x.git";
  auto doc = render_hook_install(r);
  EXPECT_EQ(doc.text,
            "installed /srv/x.git/hooks/pre-receive (runs /usr/bin/vouch hook run pre-receive)\n"
            "no trust root (no commit with a policy yet): every branch and tag push will be refused "
            "until you run\n  git -C /srv/x.git config vouch.trustRoot OID\n"
            "(OID: the first commit whose .vouch/policy.toml you accept as given)\n");
  EXPECT_TRUE(doc.json["trust_root"]["trust_root"].is_null());
  EXPECT_EQ(doc.json["installed"][0]["hook"], "pre-receive");
}

TEST(HookRender, RefusalLinePerHook) {
  app::HookRunResult r;
  r.problems = {"refs/heads/main: commit 1234: needs 1 more of maintainers"};
  r.first_ref = "refs/heads/main";
  EXPECT_EQ(hook_refusal_line("pre-receive", r), "vouch: push refused (1 problem); no ref was updated");
  EXPECT_EQ(hook_refusal_line("update", r), "vouch: update of refs/heads/main refused (1 problem)");
  r.problems.emplace_back("refs/tags/v1: tag v1: unsigned");
  EXPECT_EQ(hook_refusal_line("pre-push", r),
            "vouch: push stopped before sending (2 problems); the server would refuse it");
}

TEST(TrustRender, RootsAndPeopleChanges) {
  EXPECT_EQ(render_root_list({}, false).text, "no roots: add one with `vouch trust root add KEY`\n");
  auto roots = render_root_list({{kAlice, std::string("alice")}}, false);
  EXPECT_EQ(roots.text, "ssh:SHA256:alice  alice\n");
  EXPECT_EQ(roots.json.dump(), R"({"roots":[{"id":"ssh:SHA256:alice","person":"alice"}],"schema":1})");
  EXPECT_EQ(render_root_change(kAlice, true, false).text, "already a root: ssh:SHA256:alice\n");
  EXPECT_EQ(render_person_key_added("alice", kAlice, false).text, "ssh:SHA256:alice already belongs to person alice\n");
  auto removed = render_person_removed("alice", {kAlice});
  EXPECT_EQ(removed.text, "removed person alice and 1 key: ssh:SHA256:alice\n");
  EXPECT_EQ(removed.json["keys_removed"], nlohmann::json::array({"ssh:SHA256:alice"}));
}

}  // namespace
}  // namespace vouch::report
