// `vouch verify`, `vouch verify-tag`, `vouch verify-file`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/options.h"

namespace vouch::cli {

/// Registers the verify commands on `app`; each sets `exit_code` when it runs.
void add_verify_commands(CLI::App& app, GlobalOptions& global, int& exit_code);

}  // namespace vouch::cli
