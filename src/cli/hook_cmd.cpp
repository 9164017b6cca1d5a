#include "cli/hook_cmd.h"

#include <iostream>
#include <iterator>
#include <memory>
#include <optional>

#include "git/notes.h"
#include "git/repository.h"
#include "hooks/hook_installer.h"
#include "hooks/hook_runner.h"
#include "hooks/proposed_repo.h"
#include "hooks/remote_notes.h"

namespace vouch::cli {
namespace {

struct InstallArgs {
  bool pre_receive = false, update = false, pre_push = false, force = false;
  std::string trust_root;
  std::string share_remote;  ///< --share-approvals REMOTE
};

struct RunArgs {
  std::string hook;
  std::vector<std::string> args;
};

int run_install(const GlobalOptions& g, const InstallArgs& a) {
  auto repo = git::Repository::open(g.repo);
  if (!repo) return fail(g, repo.error());
  std::vector<hooks::HookName> which;
  if (a.pre_receive) which.push_back(hooks::HookName::pre_receive);
  if (a.update) which.push_back(hooks::HookName::update);
  if (a.pre_push) which.push_back(hooks::HookName::pre_push);
  if (which.empty()) which.push_back(hooks::is_bare(*repo) ? hooks::HookName::pre_receive : hooks::HookName::pre_push);
  auto dir = hooks::hooks_dir(*repo);
  if (!dir) return fail(g, dir.error());
  std::string self = hooks::self_executable();
  if (self.empty()) self = "vouch";
  nlohmann::json installed = nlohmann::json::array();
  std::string text;
  for (auto h : which) {
    auto path = hooks::install_hook(*dir, h, hooks::hook_script(h, self, g.db),
                                    a.force ? hooks::Overwrite::force : hooks::Overwrite::refuse_foreign);
    if (!path) return fail(g, path.error());
    text += "installed " + *path + " (runs " + self + " hook run " + hooks::hook_file_name(h) + ")\n";
    installed.push_back({{"hook", hooks::hook_file_name(h)}, {"path", *path}, {"vouch", self}});
  }
  auto root = hooks::choose_trust_root(*repo, a.trust_root);
  if (!root) return fail(g, root.error());
  if (root->write) {
    if (auto set = repo->set_config_string("vouch.trustRoot", root->oid); !set) return fail(g, set.error());
  }
  nlohmann::json trust = {{"trust_root", root->oid.empty() ? nlohmann::json() : nlohmann::json(root->oid)},
                          {"source", root->how}};
  if (root->oid.empty()) {
    text += "no trust root (" + root->how + "): every branch and tag push will be refused until you run\n"
            "  git -C " + repo->git_dir() + " config vouch.trustRoot OID\n"
            "(OID: the first commit whose .vouch/policy.toml you accept as given)\n";
  } else {
    text += "trust root " + root->oid + " (" + root->how + ")" +
            (root->present ? "" : "; not in the repository yet: the push that brings it is checked against it") +
            "\n";
  }
  if (!a.share_remote.empty()) {
    auto shared = hooks::share_approvals(*repo, a.share_remote);
    if (!shared) return fail(g, shared.error());
    text += shared->empty() ? a.share_remote + " already fetches and pushes " + std::string(git::kNotesRef) + "\n"
                            : *shared;
  }
  if (!g.quiet || g.json()) emit(g, text, {{"schema", 1}, {"installed", installed}, {"trust_root", trust}});
  return kOk;
}


int run_uninstall(const GlobalOptions& g, const InstallArgs& a) {
  auto repo = git::Repository::open(g.repo);
  if (!repo) return fail(g, repo.error());
  std::vector<hooks::HookName> which;
  if (a.pre_receive) which.push_back(hooks::HookName::pre_receive);
  if (a.update) which.push_back(hooks::HookName::update);
  if (a.pre_push) which.push_back(hooks::HookName::pre_push);
  if (which.empty()) which = {hooks::HookName::pre_receive, hooks::HookName::update, hooks::HookName::pre_push};
  auto dir = hooks::hooks_dir(*repo);
  if (!dir) return fail(g, dir.error());
  std::string text;
  nlohmann::json removed = nlohmann::json::array(), kept = nlohmann::json::array();
  for (auto h : which) {
    auto r = hooks::uninstall_hook(*dir, h);
    if (!r) return fail(g, r.error());
    std::string path = *dir + "/" + hooks::hook_file_name(h);
    if (*r == hooks::Removal::removed) {
      text += "removed " + path + "\n";
      removed.push_back(path);
    } else if (*r == hooks::Removal::foreign) {
      text += "left " + path + " in place: vouch did not write it\n";
      kept.push_back(path);
    }
  }
  if (removed.empty() && kept.empty()) text += "no vouch hook installed in " + *dir + "\n";
  if (!g.quiet || g.json()) emit(g, text, {{"schema", 1}, {"removed", removed}, {"kept", kept}});
  return kOk;
}

/// Bad hook input or a hook that cannot work: say so and refuse (non-zero).
int refuse(const GlobalOptions& g, const Error& e) { return fail(g, e); }

int run_hook(const GlobalOptions& g, const RunArgs& a) {
  Result<std::vector<hooks::RefUpdate>> updates = std::vector<hooks::RefUpdate>{};
  hooks::HookOptions opts;
  if (a.hook == "update") {
    if (a.args.size() != 3)
      return refuse(g, make_error(ErrorKind::bad_input, "hook run update: expected REF OLD NEW, got " +
                                                            std::to_string(a.args.size()) + " arguments"));
    auto u = hooks::parse_update_args(a.args[0], a.args[1], a.args[2]);
    if (!u) return refuse(g, u.error());
    updates = std::vector<hooks::RefUpdate>{*u};
  } else {
    std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (a.hook == "pre-push") {
      if (a.args.empty())
        return refuse(g, make_error(ErrorKind::bad_input, "hook run pre-push: expected REMOTE [URL]"));
      opts.remote = a.args[0];
      opts.remote_notes = hooks::remote_notes(a.args.size() > 1 ? a.args[1] : a.args[0]);
      updates = hooks::parse_push_lines(input);
    } else {
      updates = hooks::parse_receive_lines(input);
    }
    if (!updates) return refuse(g, make_error(updates.error().kind, a.hook + " input " + updates.error().message));
  }
  if (updates->empty()) return kOk;
  opts.object_dirs = hooks::object_dirs_from_env();

  auto repo = git::Repository::open(g.repo);
  if (!repo) return refuse(g, repo.error());
  auto store = open_optional_store(g);
  if (!store) return refuse(g, store.error());
  opts.store = *store ? &**store : nullptr;
  auto outcome = hooks::check_push(*repo, *updates, opts);
  if (!outcome) return refuse(g, outcome.error());
  if (g.verbose) {
    for (const auto& n : outcome->notes) std::cerr << "vouch: " << n << "\n";
  }
  for (const auto& p : outcome->problems) std::cerr << "vouch: " << p << "\n";
  if (outcome->accepted()) return kOk;
  size_t n = outcome->problems.size();
  std::string count = std::to_string(n) + (n == 1 ? " problem" : " problems");
  if (a.hook == "pre-receive") std::cerr << "vouch: push refused (" << count << "); no ref was updated\n";
  else if (a.hook == "update") std::cerr << "vouch: update of " << updates->front().ref << " refused (" << count << ")\n";
  else std::cerr << "vouch: push stopped before sending (" << count << "); the server would refuse it\n";
  return kFailed;
}

}  // namespace

void add_hook_commands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* hook = app.add_subcommand("hook", "Install and run the git hooks that verify pushes");
  hook->require_subcommand(1);
  hook->footer("Examples:\n  vouch -C /srv/git/xz.git hook install --trust-root 5c2a1f0e...   # a server\n"
               "  vouch hook install --pre-push                                  # a workstation\n"
               "  vouch hook uninstall --pre-push");

  auto ia = std::make_shared<InstallArgs>();
  auto* install = hook->add_subcommand("install", "Write the hook scripts into the repository's hooks directory");
  install->add_flag("--pre-receive", ia->pre_receive, "the server hook (default in a bare repository)");
  install->add_flag("--update", ia->update, "the per-ref server hook");
  install->add_flag("--pre-push", ia->pre_push, "the client hook (default in a repository with a work tree)");
  install->add_flag("--force", ia->force, "replace an existing hook that vouch did not write");
  install->add_option("--share-approvals", ia->share_remote,
                      "make plain git fetch/push of REMOTE carry refs/notes/vouch (adds remote.REMOTE.fetch and "
                      ".push; the push refspecs are refs/notes/vouch and HEAD)")
      ->type_name("REMOTE");
  install->add_option("--trust-root", ia->trust_root,
                      "record this commit as git config vouch.trustRoot (a full oid may be one a push will bring; "
                      "default: keep the configured one, else the oldest commit with a policy on the first "
                      "protected branch)")
      ->type_name("REV");
  install->footer("Examples:\n  vouch -C /srv/git/xz.git hook install          # pre-receive on a server\n"
                  "  vouch -C /srv/git/xz.git hook install --trust-root 5c2a1f0e...   # an empty server\n"
                  "  vouch hook install --pre-push                   # warn before pushing");
  install->callback([&g, ia, &exit_code] { exit_code = run_install(g, *ia); });

  auto ua = std::make_shared<InstallArgs>();
  auto* uninstall = hook->add_subcommand("uninstall", "Remove the hook scripts vouch wrote (others stay)");
  uninstall->add_flag("--pre-receive", ua->pre_receive, "only the pre-receive hook");
  uninstall->add_flag("--update", ua->update, "only the update hook");
  uninstall->add_flag("--pre-push", ua->pre_push, "only the pre-push hook");
  uninstall->footer("Examples:\n  vouch hook uninstall                 # every hook vouch wrote here\n"
                    "  vouch -C /srv/git/xz.git hook uninstall --pre-receive\n"
                    "git config vouch.trustRoot stays; remove it with git config --unset vouch.trustRoot.");
  uninstall->callback([&g, ua, &exit_code] { exit_code = run_uninstall(g, *ua); });

  auto ra = std::make_shared<RunArgs>();
  auto* run = hook->add_subcommand("run", "What the installed hook scripts call (git passes the arguments)");
  run->add_option("hook", ra->hook, "pre-receive | update | pre-push")
      ->required()
      ->check(CLI::IsMember({"pre-receive", "update", "pre-push"}));
  run->add_option("args", ra->args, "the hook's arguments as git passes them");
  run->footer("Example:\n  printf '%s %s refs/heads/main\\n' \"$OLD\" \"$NEW\" | vouch hook run pre-receive");
  run->callback([&g, ra, &exit_code] { exit_code = run_hook(g, *ra); });
}

}  // namespace vouch::cli
