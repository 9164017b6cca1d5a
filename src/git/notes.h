// Approvals live as git notes (spec docs/policy.md "Approvals"): one note per
// approved object in refs/notes/vouch, one approval per line, so that notes
// from several clones merge with `git notes --ref vouch merge -s
// cat_sort_uniq` and travel with an ordinary fetch/push of the ref. This
// module reads and appends note text; it knows nothing of what a line means.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "git/repository.h"
#include "vouch/result.h"

namespace vouch::git {

inline constexpr const char* kNotesRef = "refs/notes/vouch";

/// The note attached to object `object_oid` (40 hex) in `notes_ref`, byte for
/// byte (including whatever blank lines `git notes append` put there).
/// nullopt when the ref does not exist or holds no note for the object.
/// Errors (bad_input): "invalid object id 'X'", "invalid notes ref 'R'" (a
/// full ref name under refs/ is required); (environment) "cannot read notes
/// ref R: ..." when the ref or its tree is unreadable.
Result<std::optional<std::string>> read_note(Repository& repo, std::string_view object_oid,
                                             std::string_view notes_ref = kNotesRef);

/// Every note of the notes commit `notes_commit` (40 hex, e.g. what a push
/// proposes for refs/notes/vouch), fan-out directories included: annotated
/// object oid -> oid of the blob holding its note. Errors: (bad_input)
/// "invalid object id 'X'"; (environment) "cannot read notes commit X: ...".
Result<std::map<std::string, std::string>> list_notes(Repository& repo, std::string_view notes_commit);

/// Adds `line` + "\n" to the note of `object_oid` in `notes_ref`, creating the
/// note and the ref as needed, unless a line equal to `line` is already
/// there (then nothing is written). Commits on the notes ref like `git notes
/// append` would, authored by git config user.name/user.email or, when
/// those are unset, "vouch <vouch@localhost>". The ref is updated with a
/// compare-and-swap, retried when another writer moved it meanwhile, so
/// concurrent appends are never lost.
/// Errors (bad_input): invalid oid or ref as read_note; "a note line must not
/// be empty" / "a note line must not contain a newline or NUL byte";
/// (not_found) "no object X"; (malformed) "the note of X in R contains a NUL
/// byte" (it cannot be rewritten); (environment) on write failures.
Result<void> append_note_line(Repository& repo, std::string_view object_oid,
                              std::string_view line, std::string_view notes_ref = kNotesRef);

}  // namespace vouch::git
