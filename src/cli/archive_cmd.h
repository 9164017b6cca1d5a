// `vouch verify-archive ARCHIVE --tag TAG`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/options.h"

namespace vouch::cli {

/// Registers verify-archive on `app`; it sets `exit_code` when it runs.
void add_archive_commands(CLI::App& app, GlobalOptions& global, int& exit_code);

}  // namespace vouch::cli
