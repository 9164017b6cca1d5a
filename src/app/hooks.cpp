#include "app/hooks.h"

#include "app/key_source.h"
#include "git/notes.h"
#include "git/repository.h"
#include "hooks/hook_runner.h"
#include "hooks/proposed_repo.h"
#include "hooks/remote_notes.h"

namespace vouch::app {

Result<HookInstallResult> install_hooks(const HookInstallOptions& opts) {
  VOUCH_LET(repo, git::Repository::open(opts.repo));
  std::vector<hooks::HookName> which = opts.hooks;
  if (which.empty()) which.push_back(hooks::is_bare(repo) ? hooks::HookName::pre_receive : hooks::HookName::pre_push);
  VOUCH_LET(dir, hooks::hooks_dir(repo));
  std::string self = hooks::self_executable();
  if (self.empty()) self = "vouch";

  HookInstallResult out;
  out.git_dir = repo.git_dir();
  for (auto h : which) {
    VOUCH_LET(path, hooks::install_hook(dir, h, hooks::hook_script(h, self, opts.db),
                                        opts.force ? hooks::Overwrite::force : hooks::Overwrite::refuse_foreign));
    out.installed.push_back({hooks::hook_file_name(h), path, self});
  }
  VOUCH_LET(root, hooks::choose_trust_root(repo, opts.trust_root));
  if (root.write) VOUCH_TRY(repo.set_config_string("vouch.trustRoot", root.oid));
  out.trust_root = std::move(root);
  if (!opts.share_remote.empty()) {
    VOUCH_LET(shared, hooks::share_approvals(repo, opts.share_remote));
    out.shared = shared.empty()
                     ? opts.share_remote + " already fetches and pushes " + std::string(git::kNotesRef) + "\n"
                     : std::move(shared);
  }
  return out;
}

Result<HookUninstallResult> uninstall_hooks(const std::string& repo_path, std::vector<hooks::HookName> which) {
  VOUCH_LET(repo, git::Repository::open(repo_path));
  if (which.empty()) which = {hooks::HookName::pre_receive, hooks::HookName::update, hooks::HookName::pre_push};
  VOUCH_LET(dir, hooks::hooks_dir(repo));
  HookUninstallResult out;
  out.dir = dir;
  for (auto h : which) {
    VOUCH_LET(removal, hooks::uninstall_hook(dir, h));
    std::string path = dir + "/" + hooks::hook_file_name(h);
    if (removal == hooks::Removal::removed)
      out.removed.push_back(path);
    else if (removal == hooks::Removal::foreign)
      out.kept.push_back(path);
  }
  return out;
}

namespace {

/// The ref updates one invocation asks for, from its arguments (update) or
/// its input lines (pre-receive, pre-push).
Result<std::vector<hooks::RefUpdate>> ref_updates(const HookRunOptions& opts, hooks::HookOptions& hook_opts) {
  if (opts.hook == "update") {
    if (opts.args.size() != 3)
      return make_error(ErrorKind::bad_input, "hook run update: expected REF OLD NEW, got " +
                                                  std::to_string(opts.args.size()) + " arguments");
    VOUCH_LET(u, hooks::parse_update_args(opts.args[0], opts.args[1], opts.args[2]));
    return std::vector<hooks::RefUpdate>{u};
  }
  Result<std::vector<hooks::RefUpdate>> updates = std::vector<hooks::RefUpdate>{};
  if (opts.hook == "pre-push") {
    if (opts.args.empty()) return make_error(ErrorKind::bad_input, "hook run pre-push: expected REMOTE [URL]");
    hook_opts.remote = opts.args[0];
    hook_opts.remote_notes = hooks::remote_notes(opts.args.size() > 1 ? opts.args[1] : opts.args[0]);
    updates = hooks::parse_push_lines(opts.input);
  } else if (opts.hook == "pre-receive") {
    updates = hooks::parse_receive_lines(opts.input);
  } else {
    return make_error(ErrorKind::bad_input, "hook run " + opts.hook + ": expected pre-receive, update or pre-push");
  }
  if (!updates) return make_error(updates.error().kind, opts.hook + " input " + updates.error().message);
  return updates;
}

}  // namespace

Result<HookRunResult> run_hook(const HookRunOptions& opts) {
  hooks::HookOptions hook_opts;
  VOUCH_LET(updates, ref_updates(opts, hook_opts));
  HookRunResult out;
  if (updates.empty()) return out;
  out.first_ref = updates.front().ref;
  hook_opts.object_dirs = hooks::object_dirs_from_env();
  VOUCH_LET(repo, git::Repository::open(opts.repo));
  VOUCH_LET(store, open_optional_trust_db(opts.db));
  hook_opts.store = store ? &*store : nullptr;
  VOUCH_LET(outcome, hooks::check_push(repo, updates, hook_opts));
  out.notes = std::move(outcome.notes);
  out.problems = std::move(outcome.problems);
  return out;
}

}  // namespace vouch::app
