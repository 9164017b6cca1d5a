// The use cases behind `vouch hook install|uninstall|run` (docs/hooks.md):
// writing and removing the hook scripts, choosing the trust root a server
// starts from, and checking one hook invocation's ref updates. Plain options
// in, result structs out; report/hook_render.h renders them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hooks/hook_installer.h"
#include "vouch/result.h"

namespace vouch::app {

struct HookInstallOptions {
  std::string repo;                    ///< -C
  std::string db;                      ///< --db, written into the scripts ("" = the default)
  std::vector<hooks::HookName> hooks;  ///< empty: pre-receive in a bare repository, else pre-push
  bool force = false;                  ///< replace a hook vouch did not write
  std::string trust_root;              ///< --trust-root REV ("" = keep the configured one or choose)
  std::string share_remote;            ///< --share-approvals REMOTE ("" = leave the remotes alone)
};

struct InstalledHook {
  std::string hook;   ///< "pre-receive", "update", "pre-push"
  std::string path;   ///< the script written
  std::string vouch;  ///< the executable the script runs
};

struct HookInstallResult {
  std::vector<InstalledHook> installed;
  hooks::TrustRootChoice trust_root;  ///< oid empty: none, every push will be refused
  std::string git_dir;                ///< for the "git -C DIR config vouch.trustRoot" advice
  std::string shared;  ///< lines: what --share-approvals changed, or that REMOTE already shares approvals
};

/// Writes the scripts, records the trust root in git config when it was
/// chosen or given, and configures --share-approvals. Errors: the repository
/// does not open; a foreign hook without force (bad_input); I/O.
Result<HookInstallResult> install_hooks(const HookInstallOptions& opts);

struct HookUninstallResult {
  std::string dir;                   ///< the hooks directory
  std::vector<std::string> removed;  ///< scripts vouch wrote, now gone
  std::vector<std::string> kept;     ///< scripts at those names vouch did not write, left in place
};

/// Removes the named hooks (empty: all three) where vouch wrote them.
Result<HookUninstallResult> uninstall_hooks(const std::string& repo, std::vector<hooks::HookName> which);

struct HookRunOptions {
  std::string repo;
  std::string hook;               ///< "pre-receive", "update", "pre-push"
  std::vector<std::string> args;  ///< as git passes them
  std::string input;              ///< the hook's stdin (pre-receive, pre-push)
  std::string db;                 ///< the trust database, used when it exists (app/key_source.h)
};

struct HookRunResult {
  std::vector<std::string> notes;     ///< shown with --verbose
  std::vector<std::string> problems;  ///< each a reason to refuse
  std::string first_ref;              ///< the update hook's ref, for its refusal line
  bool accepted() const { return problems.empty(); }
};

/// Parses the hook's arguments or input and checks every ref update
/// (hooks/hook_runner.h). Errors (bad_input): wrong arguments, malformed
/// input lines; the repository or an existing database not opening. An
/// invocation without updates succeeds before either is opened.
Result<HookRunResult> run_hook(const HookRunOptions& opts);

}  // namespace vouch::app
