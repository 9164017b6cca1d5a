// Whole files in and out, once for every module: key files, policies,
// statements, hook scripts. Reads are bounded when the caller says so; writes
// go to a temporary file renamed into place, so a reader never sees half.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

#include "vouch/result.h"

namespace vouch::util {

/// The bytes of the regular file `path`. Errors (one line, naming the path):
///   bad_input   "cannot read PATH: no such file" / ": not a regular file" /
///               ": larger than N bytes"
///   environment "cannot read PATH: REASON" (permissions, I/O)
Result<std::string> read_file(const std::string& path, size_t max_bytes = std::numeric_limits<size_t>::max());

/// Writes `data` to `path` through `path`.vouch-tmp and a rename, with file
/// mode `mode` (before the umask). Errors (environment) "cannot write PATH: REASON".
Result<void> write_file_atomic(const std::string& path, std::string_view data, unsigned mode = 0644);

}  // namespace vouch::util
