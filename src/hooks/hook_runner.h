// What the git hooks decide (cli.md "Hooks"): given the ref updates of a push
// and the repository, every problem that must refuse the push, one line each.
//
// Per ref (old -> new, either may be the zero id):
// - refs matching `[refs] protected` of the policy at the OLD tip or at HEAD
//   (the protection in force now, never what the push proposes): deletion
//   and non-fast-forward updates are refused; a protected tag cannot be moved.
// - refs/notes/vouch and other refs/notes/*: accepted (approvals are signed
//   statements, checked whenever they are used; notes are never history).
// - refs/tags/*: verify-tag under [[tags]] (policy mode) on the pushed tag.
// - any other ref (branches, refs/for/*, ...): the pushed commit must pass
//   policy mode: `old..new` when old is a first-parent ancestor of new (old's
//   policy governs), otherwise the first-parent chain from the trust root.
//   A ref pointing at a tree or blob is refused.
// - commits new to the receiving side (reachable from no existing ref) whose
//   signature time is further than the governing policy's max_clock_skew
//   from now are refused (threat 21).
// Everything is evaluated in the state the push proposes (ProposedRepository):
// pushed objects are visible, and approvals pushed in the same push count.
// No verification cache is read or written here: a server must never accept a
// push because of state a client could have influenced.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "git/repository.h"
#include "trust/store.h"
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
  /// Commits reachable from refs under this prefix are not new to the
  /// receiving side: "" (every ref: pre-receive, update) or
  /// "refs/remotes/<remote>/" (pre-push).
  std::string known_refs_prefix;
  std::string trust_root;  ///< empty: git config vouch.trustRoot, then the first policy
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
