#include "cli/approve_cmd.h"

#include <memory>

#include "app/approvals.h"
#include "report/approvals_render.h"

namespace vouch::cli {
namespace {

struct ApproveArgs {
  std::string rev, key, comment, archive, tag, trust_root;
  bool has_comment = false;
  bool withdraw = false;
};

int run_approve(const GlobalOptions& g, const ApproveArgs& a) {
  app::ApproveOptions opts{g.repo, a.rev, a.archive, a.tag, a.key, std::nullopt, a.withdraw, a.trust_root};
  if (a.has_comment) opts.comment = a.comment;
  auto r = app::approve(opts);
  if (!r) return fail(g, r.error());
  if (g.quiet && !g.json()) return kOk;
  auto doc = report::render_approve(*r, opts);
  emit(g, doc.text, doc.json);
  return kOk;
}

struct ListArgs {
  std::string rev, keyring, archive;
};

int run_list(const GlobalOptions& g, const ListArgs& a) {
  std::optional<trust::TrustStore> store;
  if (a.keyring.empty()) {
    auto opened = open_optional_store(g);
    if (!opened) return fail(g, opened.error());
    store = std::move(*opened);
  }
  auto list = app::list_approvals({g.repo, a.rev, a.keyring, a.archive}, store ? &*store : nullptr);
  if (!list) return fail(g, list.error());
  auto doc = report::render_approval_list(*list);
  emit(g, doc.text, doc.json);
  return kOk;
}

int run_sync(const GlobalOptions& g, const std::string& remote) {
  auto r = app::sync_approvals(g.repo, remote);
  if (!r) return fail(g, r.error());
  if (g.quiet && !g.json()) return kOk;
  auto doc = report::render_sync(*r);
  emit(g, doc.text, doc.json);
  return kOk;
}

}  // namespace

void add_approval_commands(CLI::App& app, GlobalOptions& global, int& exit_code) {
  auto approve_args = std::make_shared<ApproveArgs>();
  CLI::App* approve = app.add_subcommand("approve", "sign an approval of a commit or tag (stored in refs/notes/vouch)");
  approve->add_option("REV", approve_args->rev, "the commit, or an annotated tag (approves the tag object)");
  approve->add_option("--archive", approve_args->archive,
                      "approve this release archive (its SHA-256) for --tag, noted on the tag object")
      ->type_name("FILE");
  approve->add_option("--tag", approve_args->tag, "with --archive: the release tag the archive was checked against")
      ->type_name("TAG");
  approve->add_option("--key", approve_args->key,
                      "signing key: SSH key file (or the .pub of an agent key) or OpenPGP fingerprint "
                      "(default: git's user.signingkey and gpg.format)")
      ->type_name("KEY");
  approve->add_option("--comment", approve_args->comment, "one line stored in the approval")->type_name("TEXT");
  approve->add_flag("--withdraw", approve_args->withdraw,
                    "sign a retraction instead: your earlier approvals of REV (or of the archive) stop counting");
  approve->add_option("--trust-root", approve_args->trust_root,
                      "refuse unless REV descends from this commit (default: git config vouch.trustRoot)")
      ->type_name("REV");
  approve->footer("Examples:\n  vouch approve HEAD --key ~/.ssh/id_ed25519 --comment \"reviewed m4 changes\"\n"
                  "  vouch approve --archive xz-5.6.1.tar.gz --tag v5.6.1 --comment \"reviewed the 7 unknown files\"\n"
                  "  vouch approve HEAD --withdraw --comment \"found a problem after all\"\n"
                  "  git push origin refs/notes/vouch   # or: vouch approvals sync");
  approve->callback([approve, approve_args, &global, &exit_code] {
    approve_args->has_comment = approve->count("--comment") > 0;
    exit_code = run_approve(global, *approve_args);
  });

  auto list_args = std::make_shared<ListArgs>();
  CLI::App* approvals = app.add_subcommand("approvals", "list approvals of REV with their status; `sync` shares them");
  approvals->add_option("REV", list_args->rev, "the commit or annotated tag");
  approvals->add_option("--keyring", list_args->keyring,
                        "keys to check the signatures with (default: the policy's keyring at REV and the trust "
                        "database)")
      ->type_name("DIR");
  approvals->add_option("--archive", list_args->archive,
                        "REV is a tag: check its archive approvals against this file's SHA-256")
      ->type_name("FILE");
  approvals->footer("Examples:\n  vouch approvals HEAD\n  vouch approvals sync origin");
  auto remote = std::make_shared<std::string>("origin");
  CLI::App* sync = approvals->add_subcommand("sync", "fetch REMOTE's refs/notes/vouch, merge (union), push back");
  sync->add_option("REMOTE", *remote, "the remote (default: origin)");
  sync->footer("Example:\n  vouch approvals sync origin");
  sync->callback([remote, &global, &exit_code] { exit_code = run_sync(global, *remote); });
  approvals->callback([sync, list_args, &global, &exit_code] {
    if (sync->parsed()) return;
    if (list_args->rev.empty()) {
      exit_code = fail(global, make_error(ErrorKind::bad_input, "approvals: REV is required (or `approvals sync`)"));
      return;
    }
    exit_code = run_list(global, *list_args);
  });
}

}  // namespace vouch::cli
