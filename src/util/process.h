// Running another program: an argument vector (never a shell string, so no
// byte of it is ever interpreted), stdin from /dev/null, stdout and stderr
// captured in full through private temporary files.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vouch/result.h"

namespace vouch::util {

struct ProcessResult {
  int status = -1;  ///< exit status, or 128 + signal number when killed
  std::string out;
  std::string err;
};

/// Variables set (or replaced) in the child's environment, on top of ours.
using EnvOverrides = std::vector<std::pair<std::string, std::string>>;

/// Runs argv[0] (looked up on PATH) with exactly `argv`. Errors
/// (environment): "cannot run NAME: REASON" when it cannot be started, or
/// when temporary files cannot be made. A non-zero exit is not an error.
Result<ProcessResult> run_process(const std::vector<std::string>& argv, const EnvOverrides& env = {});

/// The first non-empty line of a program's output, at most 200 bytes, for
/// one-line error messages.
std::string first_line(std::string_view text);

}  // namespace vouch::util
