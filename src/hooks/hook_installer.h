// `vouch hook install`: writes small sh scripts into the repository's hooks
// directory that hand everything to `vouch hook run HOOK`. The script names
// the absolute path of the vouch binary that installed it (so a server's git
// user needs no PATH set up) and falls back to `vouch` on PATH when that file
// is gone (an upgrade moved it). No input ever becomes shell text: the script
// only passes "$@" and stdin through.
#pragma once

#include <string>
#include <vector>

#include "git/repository.h"
#include "vouch/result.h"

namespace vouch::hooks {

enum class HookName { pre_receive, update, pre_push };

/// "pre-receive", "update", "pre-push".
const char* hook_file_name(HookName h);

/// The marker line every script vouch writes carries; a hook file without it
/// is somebody else's and is replaced only with --force.
inline constexpr const char* kHookMarker = "# vouch-hook: written by `vouch hook install`";

/// The hooks directory git runs hooks from: core.hooksPath when set (a
/// relative value is taken from the work tree root, or from the git dir of a
/// bare repository, as git does; "~/" is $HOME), otherwise GIT_DIR/hooks.
Result<std::string> hooks_dir(git::Repository& repo);

/// Whether `repo` is bare (no work tree).
bool is_bare(git::Repository& repo);

/// The script for `hook`: `vouch_path` (absolute) is tried first, then
/// `vouch` on PATH; `db` (empty: none) is passed as --db. Both are single-
/// quoted for sh, so any bytes in them stay data.
std::string hook_script(HookName hook, const std::string& vouch_path, const std::string& db);

/// The absolute path of the running executable (/proc/self/exe); empty
/// when it cannot be read.
std::string self_executable();

/// The trust root a hook install records (docs/hooks.md).
struct TrustRootChoice {
  std::string oid;      ///< 40 hex; empty when there is none (pushes will be refused)
  std::string how;      ///< one line: where it came from, for the install message
  bool present = true;  ///< false: named by --trust-root but not in the repository yet (arrives in a push)
  bool write = false;   ///< whether vouch.trustRoot must be written
};

/// `requested` (--trust-root REV; a full 40-hex oid may name a commit the
/// repository does not have yet); else an existing vouch.trustRoot, kept;
/// else the oldest commit with .vouch/policy.toml on the first-parent chain
/// of the first protected branch the repository has ([refs] protected of the
/// policy at HEAD, in order; HEAD's own branch when it has no policy).
/// Errors: an unknown REV that is not a full oid (bad_input).
Result<TrustRootChoice> choose_trust_root(git::Repository& repo, const std::string& requested);

enum class Overwrite { refuse_foreign, force };

/// Writes the script into `dir` (created if missing), mode 0755, atomically
/// (temporary file + rename). Returns the file's path. Errors (bad_input):
/// "DIR/pre-receive exists and was not written by vouch; use --force to
/// replace it" (when overwrite is refuse_foreign); (environment) I/O errors.
Result<std::string> install_hook(const std::string& dir, HookName hook, const std::string& script,
                                 Overwrite overwrite);

/// What uninstall_hook did with one hook file.
enum class Removal { removed, absent, foreign };

/// Removes `dir`/HOOK when vouch wrote it (it carries kHookMarker); a hook
/// somebody else wrote is left in place (`foreign`), a missing one is
/// `absent`. Errors (environment): the file exists but cannot be read or removed.
Result<Removal> uninstall_hook(const std::string& dir, HookName hook);

}  // namespace vouch::hooks
