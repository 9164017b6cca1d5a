// Move-only RAII owners for the libgit2 handles vouch uses, defined once here
// so that every handle is freed on every path. Nothing else in vouch calls a
// git_*_free function directly.
#pragma once

#include <git2.h>

#include <string>
#include <utility>

namespace vouch::git {

/// Owns a T* and frees it with Free. Empty (nullptr) handles free nothing.
template <class T, void (*Free)(T*)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(T* p) : p_(p) {}
  ~Handle() { reset(); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : p_(std::exchange(other.p_, nullptr)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      p_ = std::exchange(other.p_, nullptr);
    }
    return *this;
  }

  T* get() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  /// Frees the current handle and returns the slot for a libgit2 out-parameter.
  T** out() {
    reset();
    return &p_;
  }
  void reset() {
    if (p_ != nullptr) Free(p_);
    p_ = nullptr;
  }

 private:
  T* p_ = nullptr;
};

using RepositoryHandle = Handle<git_repository, git_repository_free>;
using OdbHandle = Handle<git_odb, git_odb_free>;
using OdbObjectHandle = Handle<git_odb_object, git_odb_object_free>;
using ObjectHandle = Handle<git_object, git_object_free>;
using CommitHandle = Handle<git_commit, git_commit_free>;
using TagHandle = Handle<git_tag, git_tag_free>;
using ReferenceHandle = Handle<git_reference, git_reference_free>;
using RevwalkHandle = Handle<git_revwalk, git_revwalk_free>;
using ConfigHandle = Handle<git_config, git_config_free>;
using TreeHandle = Handle<git_tree, git_tree_free>;
using TreeEntryHandle = Handle<git_tree_entry, git_tree_entry_free>;
using BlobHandle = Handle<git_blob, git_blob_free>;
using DiffHandle = Handle<git_diff, git_diff_free>;
using NoteHandle = Handle<git_note, git_note_free>;
using SignatureHandle = Handle<git_signature, git_signature_free>;

/// A git_buf that libgit2 fills; disposed on destruction.
class Buf {
 public:
  Buf() = default;
  ~Buf() { git_buf_dispose(&buf_); }
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
  git_buf* get() { return &buf_; }
  std::string str() const { return buf_.ptr ? std::string(buf_.ptr, buf_.size) : std::string(); }

 private:
  git_buf buf_ = GIT_BUF_INIT;
};

/// Initialises libgit2 once per process (on first use) and shuts it down at
/// exit. Function-local static: it is constructed before, and therefore
/// destroyed after, any object whose construction called it.
inline void ensure_libgit2() {
  struct Guard {
    Guard() { git_libgit2_init(); }
    ~Guard() { git_libgit2_shutdown(); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
  };
  static Guard guard;
}

/// libgit2's message for the last failure on this thread, or "unknown error".
inline std::string last_error() {
  const git_error* e = git_error_last();
  return (e != nullptr && e->message != nullptr) ? std::string(e->message) : "unknown error";
}

/// Lower-case hex of an oid.
inline std::string oid_hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return std::string(buf);
}

}  // namespace vouch::git
