// `verify-archive --known DIR`: standard files (autoconf and gettext macros,
// libtool's scripts) a release archive may carry unchanged. An allowed
// added or changed member is "known" when a file with the same name under
// one of the directories has exactly its bytes (same size and SHA-256); the
// report names that file. Everything else allowed is "unknown", the part a
// person must review (a modified m4/build-to-host.m4 among a hundred genuine
// macros).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vouch/result.h"

namespace vouch::archive {

class KnownFiles {
 public:
  /// Indexes the regular files below each of `dirs`, recursively, by file
  /// name; symbolic links to files are followed, to directories never.
  /// Nothing is read until match() needs it. Errors (bad_input): "--known
  /// DIR: not a directory", "--known DIR: more than 200000 files".
  static Result<KnownFiles> index(const std::vector<std::string>& dirs);

  /// The path of a file named `name` (the last component of a member's path)
  /// with `size` bytes whose SHA-256 is `sha256` (hex), or nullopt. A file
  /// that cannot be read is no match.
  std::optional<std::string> match(const std::string& name, uint64_t size, const std::string& sha256);

  bool empty() const { return by_name_.empty(); }

 private:
  struct Candidate {
    std::string path;
    uint64_t size = 0;
    std::optional<std::string> sha256;  ///< filled on first use; "" when unreadable
  };
  std::map<std::string, std::vector<Candidate>> by_name_;
};

}  // namespace vouch::archive
