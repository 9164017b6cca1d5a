// vouch hook install|uninstall|run (docs/hooks.md): parsing arguments and
// rendering only; the work is app/hooks.h, the output report/hook_render.h.
#include "cli/hook_cmd.h"

#include <iostream>
#include <iterator>
#include <memory>

#include "app/hooks.h"
#include "report/hook_render.h"

namespace vouch::cli {
namespace {

struct HookArgs {
  bool pre_receive = false, update = false, pre_push = false, force = false;
  std::string trust_root;
  std::string share_remote;  ///< --share-approvals REMOTE

  std::vector<hooks::HookName> named() const {
    std::vector<hooks::HookName> which;
    if (pre_receive) which.push_back(hooks::HookName::pre_receive);
    if (update) which.push_back(hooks::HookName::update);
    if (pre_push) which.push_back(hooks::HookName::pre_push);
    return which;
  }
};

struct RunArgs {
  std::string hook;
  std::vector<std::string> args;
};

int run_install(const GlobalOptions& g, const HookArgs& a) {
  auto r = app::install_hooks({g.repo, g.db, a.named(), a.force, a.trust_root, a.share_remote});
  if (!r) return fail(g, r.error());
  auto doc = report::render_hook_install(*r);
  if (!g.quiet || g.json()) emit(g, doc.text, doc.json);
  return kOk;
}

int run_uninstall(const GlobalOptions& g, const HookArgs& a) {
  auto r = app::uninstall_hooks(g.repo, a.named());
  if (!r) return fail(g, r.error());
  auto doc = report::render_hook_uninstall(*r);
  if (!g.quiet || g.json()) emit(g, doc.text, doc.json);
  return kOk;
}

/// Bad hook input or a hook that cannot work: say so and refuse (non-zero).
int run_hook(const GlobalOptions& g, const RunArgs& a) {
  app::HookRunOptions opts{g.repo, a.hook, a.args, {}, g.db};
  if (a.hook != "update") opts.input.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  auto r = app::run_hook(opts);
  if (!r) return fail(g, r.error());
  if (g.verbose) {
    for (const auto& n : r->notes) std::cerr << "vouch: " << n << "\n";
  }
  for (const auto& p : r->problems) std::cerr << "vouch: " << p << "\n";
  if (r->accepted()) return kOk;
  std::cerr << report::hook_refusal_line(a.hook, *r) << "\n";
  return kFailed;
}

}  // namespace

void add_hook_commands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* hook = app.add_subcommand("hook", "Install and run the git hooks that verify pushes");
  hook->require_subcommand(1);
  hook->footer("Examples:\n  vouch -C /srv/git/xz.git hook install --trust-root 5c2a1f0e...   # a server\n"
               "  vouch hook install --pre-push                                  # a workstation\n"
               "  vouch hook uninstall --pre-push");

  auto ia = std::make_shared<HookArgs>();
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

  auto ua = std::make_shared<HookArgs>();
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
