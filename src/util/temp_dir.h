// A private temporary directory (mode 0700 under $TMPDIR, else /tmp), removed
// with everything in it when the object goes away. For gpg homes, signing
// scratch space and the hooks' proposed repository view.
#pragma once

#include <cstddef>
#include <string>

#include "vouch/result.h"

namespace vouch::util {

class TempDir {
 public:
  /// Creates PREFIX.XXXXXX under $TMPDIR (when absolute and at most
  /// `max_base_length` bytes long: a gpg home's socket path must fit in
  /// sockaddr_un) or /tmp. Errors (environment): "cannot create a temporary
  /// directory under D: REASON".
  static Result<TempDir> create(const std::string& prefix = "vouch", size_t max_base_length = 4096);

  ~TempDir();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  /// Gives up ownership: the directory stays; returns its path.
  std::string release();

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  void remove();
  std::string path_;
};

}  // namespace vouch::util
