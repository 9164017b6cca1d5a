#include "git/notes.h"

#include <memory>

#include "git/handles.h"
#include "git/tree_reader.h"

namespace vouch::git {

namespace {

constexpr int kAppendAttempts = 5;

Result<std::string> checked_ref(std::string_view notes_ref) {
  std::string ref(notes_ref);
  int valid = 0;
  if (ref.rfind("refs/", 0) != 0 || ref.find('\0') != std::string::npos ||
      git_reference_name_is_valid(&valid, ref.c_str()) != 0 || valid == 0) {
    return make_error(ErrorKind::bad_input, "invalid notes ref '" + ref + "'");
  }
  return ref;
}

Error read_error(const std::string& ref) {
  return make_error(ErrorKind::environment, "cannot read notes ref " + ref + ": " + last_error());
}

// The commit `ref` points at; an empty handle when the ref does not exist.
Result<CommitHandle> notes_tip(Repository& repo, const std::string& ref) {
  git_oid tip;
  int rc = git_reference_name_to_id(&tip, repo.handle(), ref.c_str());
  if (rc == GIT_ENOTFOUND) return CommitHandle();
  if (rc != 0) return read_error(ref);
  CommitHandle commit;
  if (git_commit_lookup(commit.out(), repo.handle(), &tip) != 0) return read_error(ref);
  return commit;
}

// The exact bytes of the note for `oid` in notes commit `tip` (the blob, not
// git_note_message(), which stops at the first NUL).
Result<std::optional<std::string>> note_in(Repository& repo, const CommitHandle& tip,
                                           const git_oid& oid, const std::string& ref) {
  if (!tip) return std::optional<std::string>();
  NoteHandle note;
  int rc = git_note_commit_read(note.out(), repo.handle(), tip.get(), &oid);
  if (rc == GIT_ENOTFOUND) return std::optional<std::string>();
  if (rc != 0) return read_error(ref);
  BlobHandle blob;
  if (git_blob_lookup(blob.out(), repo.handle(), git_note_id(note.get())) != 0) {
    return read_error(ref);
  }
  const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::optional<std::string>(
      std::string(data, static_cast<size_t>(git_blob_rawsize(blob.get()))));
}

bool has_line(std::string_view text, std::string_view line) {
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    if (text.substr(start, end - start) == line) return true;
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return false;
}

// git config user.name/user.email when both are set, else a fixed identity.
Result<SignatureHandle> note_author(Repository& repo) {
  SignatureHandle sig;
  if (git_signature_default(sig.out(), repo.handle()) == 0) return sig;
  if (git_signature_now(sig.out(), "vouch", "vouch@localhost") != 0) {
    return make_error(ErrorKind::internal, "cannot make a note author: " + last_error());
  }
  return sig;
}

}  // namespace

Result<std::optional<std::string>> read_note(Repository& repo, std::string_view object_oid,
                                             std::string_view notes_ref) {
  auto oid = parse_object_id(object_oid);
  if (!oid) return oid.error();
  auto ref = checked_ref(notes_ref);
  if (!ref) return ref.error();
  auto tip = notes_tip(repo, *ref);
  if (!tip) return tip.error();
  return note_in(repo, *tip, *oid, *ref);
}

Result<std::map<std::string, std::string>> list_notes(Repository& repo, std::string_view notes_commit) {
  auto oid = parse_object_id(notes_commit);
  if (!oid) return oid.error();
  auto fail = [&] {
    return make_error(ErrorKind::environment, "cannot read notes commit " + std::string(notes_commit) + ": " +
                                                  last_error());
  };
  CommitHandle commit;
  if (git_commit_lookup(commit.out(), repo.handle(), &*oid) != 0) return fail();
  git_note_iterator* raw_it = nullptr;
  int rc = git_note_commit_iterator_new(&raw_it, commit.get());
  if (rc == GIT_ENOTFOUND) return std::map<std::string, std::string>();
  if (rc != 0) return fail();
  std::unique_ptr<git_note_iterator, void (*)(git_note_iterator*)> it(raw_it, git_note_iterator_free);
  std::map<std::string, std::string> out;
  git_oid note_id;
  git_oid annotated_id;
  while ((rc = git_note_next(&note_id, &annotated_id, it.get())) == 0)
    out.emplace(oid_hex(annotated_id), oid_hex(note_id));
  if (rc != GIT_ITEROVER) return fail();
  return out;
}

Result<void> append_note_line(Repository& repo, std::string_view object_oid,
                              std::string_view line, std::string_view notes_ref) {
  auto oid = parse_object_id(object_oid);
  if (!oid) return oid.error();
  auto ref = checked_ref(notes_ref);
  if (!ref) return ref.error();
  if (line.empty()) return make_error(ErrorKind::bad_input, "a note line must not be empty");
  if (line.find_first_of(std::string_view("\n\0", 2)) != std::string_view::npos) {
    return make_error(ErrorKind::bad_input,
                      "a note line must not contain a newline or NUL byte");
  }
  {
    ObjectHandle obj;
    int rc = git_object_lookup(obj.out(), repo.handle(), &*oid, GIT_OBJECT_ANY);
    if (rc == GIT_ENOTFOUND) {
      return make_error(ErrorKind::not_found, "no object " + std::string(object_oid));
    }
    if (rc != 0) {
      return make_error(ErrorKind::environment,
                        "cannot read object " + std::string(object_oid) + ": " + last_error());
    }
  }
  auto author = note_author(repo);
  if (!author) return author.error();

  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    auto tip = notes_tip(repo, *ref);
    if (!tip) return tip.error();
    auto existing = note_in(repo, *tip, *oid, *ref);
    if (!existing) return existing.error();

    std::string text = existing->value_or("");
    if (has_line(text, line)) return {};
    if (text.find('\0') != std::string::npos) {
      return make_error(ErrorKind::malformed, "the note of " + std::string(object_oid) + " in " +
                                                  *ref + " contains a NUL byte");
    }
    if (!text.empty() && text.back() != '\n') text += '\n';
    text.append(line);
    text += '\n';

    git_oid commit_id;
    git_oid blob_id;
    if (git_note_commit_create(&commit_id, &blob_id, repo.handle(), tip->get(), author->get(),
                               author->get(), &*oid, text.c_str(), 1) != 0) {
      return make_error(ErrorKind::environment,
                        "cannot write a note to " + *ref + ": " + last_error());
    }
    ReferenceHandle updated;
    const char* log = "vouch: note line appended";
    int rc = *tip ? git_reference_create_matching(updated.out(), repo.handle(), ref->c_str(),
                                                  &commit_id, 1,
                                                  git_commit_id(tip->get()), log)
                  : git_reference_create(updated.out(), repo.handle(), ref->c_str(), &commit_id,
                                         0, log);
    if (rc == 0) return {};
    if (rc != GIT_EMODIFIED && rc != GIT_EEXISTS && rc != GIT_ELOCKED) {
      return make_error(ErrorKind::environment,
                        "cannot update " + *ref + ": " + last_error());
    }
    // Another writer moved the ref since we read it: start over from its tip.
  }
  return make_error(ErrorKind::environment, "cannot update " + *ref +
                                                ": it kept changing under concurrent writers");
}

}  // namespace vouch::git
