// What the hooks and `hook install` ask of a remote's refs/notes/vouch
// (docs/hooks.md, "Approvals travel in `refs/notes/vouch`"): whether the remote has approvals the
// pre-push hook may count, and the config that makes plain fetch and push
// carry them. Only git processes with argument vectors, never a shell.
#pragma once

#include <optional>
#include <string>

#include "git/repository.h"
#include "vouch/result.h"

namespace vouch::hooks {

/// The remote's refs/notes/vouch as `git ls-remote` reports it: its oid,
/// "" when the remote has none, nullopt when the remote cannot be asked.
std::optional<std::string> remote_notes(const std::string& where);

/// `hook install --share-approvals REMOTE`: plain `git fetch` and `git push`
/// of REMOTE carry refs/notes/vouch from now on (and push the current branch,
/// as a push refspec replaces git's default). Existing values are kept.
/// Returns the `git config --add` lines it ran, one per line.
Result<std::string> share_approvals(git::Repository& repo, const std::string& remote);

}  // namespace vouch::hooks
