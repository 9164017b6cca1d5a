// What the git hooks decide (docs/hooks.md): given the ref updates of a push
// and the repository, every problem that must refuse the push, one line each.
//
// Trust root: --trust-root or git config vouch.trustRoot, looked up in the
// proposed state (it may arrive in this push). Never trust on first use:
// without one, every branch and tag update is refused (threat 26).
//
// The policy in force: the policy at the tip of the first branch the server
// has that the policy at its HEAD protects (else HEAD's, else the trust
// root's). It decides `[refs] unchecked` and, with the policy at the old tip,
// `[refs] protected`: never what the push proposes.
//
// Per ref (old -> new, either may be the zero id):
// - protected refs: deletion refused; a tag cannot move; a branch's old tip
//   must stay on the new tip's first-parent chain.
// - refs matching `[refs] unchecked` (and not protected): accepted without
//   verification; they never make a commit known.
// - refs/notes/vouch: every line the push adds must be a well-formed
//   approval created within max_clock_skew of now.
// - refs/tags/*: verify_tag_policy (tag name, tagged commit verified from the
//   trust root, [[tags]] of the tagged commit's policy and of the policy in
//   force, tagger time within max_clock_skew).
// - refs/heads/*: policy mode, `old..new` when old is a verified tip the
//   server has on new's first-parent chain, else the chain from the trust root.
// - anything else: refused.
// Commits reachable from no verified branch or tag of the server, and
// approvals not yet in its notes, must be dated within max_clock_skew of
// now (threats 21, 27, 28).
// Everything is evaluated in the state the push proposes (ProposedRepository):
// pushed objects are visible, and approvals pushed in the same push count.
// Nothing is cached between pushes (vouch has no verification cache; when it
// gets one, the hooks must not use it): a server must never accept a
// push because of state a client could have influenced.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/repository.h"
#include "trustdb/store.h"
#include "vouch/result.h"

namespace vouch::hooks {

inline constexpr std::string_view kZeroOid = "0000000000000000000000000000000000000000";

/// One ref update: git's `old new ref` (pre-receive, update) or the remote
/// side of a pre-push line. Oids are 40 lower-case hex; all zeros = none.
struct RefUpdate {
  std::string old_oid;
  std::string new_oid;
  std::string ref;

  bool is_create() const { return old_oid == kZeroOid; }
  bool is_delete() const { return new_oid == kZeroOid; }
};

/// pre-receive's stdin: lines `OLD NEW REF`. Errors (bad_input) name the
/// line: "line 2: expected 'OLD NEW REF'", "line 1: invalid object id 'x'",
/// "line 1: invalid ref name 'x'".
Result<std::vector<RefUpdate>> parse_receive_lines(std::string_view text);

/// pre-push's stdin: lines `LOCAL_REF LOCAL_SHA REMOTE_REF REMOTE_SHA`,
/// returned as remote-side updates {REMOTE_SHA -> LOCAL_SHA, REMOTE_REF}.
/// Errors as parse_receive_lines ("expected 'LOCAL_REF LOCAL_SHA REMOTE_REF REMOTE_SHA'").
Result<std::vector<RefUpdate>> parse_push_lines(std::string_view text);

/// The update hook's argv: REF OLD NEW. Errors as above.
Result<RefUpdate> parse_update_args(const std::string& ref, const std::string& old_oid, const std::string& new_oid);

struct HookOptions {
  /// Extra object directories (the push quarantine); object_dirs_from_env().
  std::vector<std::string> object_dirs;
  /// pre-push: the remote being pushed to; what the server has is then read
  /// from refs/remotes/<remote>/* (its branches) and its HEAD from
  /// refs/remotes/<remote>/HEAD. Empty for pre-receive and update, where the
  /// repository is the server.
  std::string remote;
  /// pre-push: the remote's refs/notes/vouch ("" when it has none; nullopt
  /// when unknown). Unless the push itself sends refs/notes/vouch, only the
  /// approvals the remote has are counted, as the server will count them,
  /// and approvals that exist only in this clone are named with the command
  /// that shares them.
  std::optional<std::string> remote_notes;
  /// Empty: git config vouch.trustRoot. Never trust on first use: with
  /// neither, every branch and tag update is refused with a message saying
  /// how to set one.
  std::string trust_root;
  int64_t now = 0;         ///< reference time; 0 = the clock (util::now())
  trust::TrustStore* store = nullptr;  ///< the local trust database, if any
};

struct HookOutcome {
  /// One line each, "REF: what is wrong" (verifier lines keep their own
  /// "commit OID12: ..." / "tag NAME: ..." text after the ref).
  std::vector<std::string> problems;
  /// Informational, one line each ("refs/notes/vouch: approvals accepted ...").
  std::vector<std::string> notes;
  bool accepted() const { return problems.empty(); }
};

/// Decides `updates` against `repo` (the receiving repository for
/// pre-receive/update, the local one for pre-push). All updates are applied
/// together to the proposed state, so one bad ref yields problems while the
/// others are still checked (the caller refuses the whole push).
/// Errors only when the hook cannot work at all (the proposed repository
/// cannot be created, refs cannot be listed, a configured trust root does
/// not resolve); the caller must then refuse the push as well.
Result<HookOutcome> check_push(git::Repository& repo, const std::vector<RefUpdate>& updates,
                               const HookOptions& opts);

}  // namespace vouch::hooks
