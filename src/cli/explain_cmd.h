// `vouch policy explain REV`, registered on the "policy" subcommand.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/options.h"

namespace vouch::cli {

/// Call after add_policy_commands(): adds `explain` under `policy`.
void add_policy_explain_command(CLI::App& app, GlobalOptions& global, int& exit_code);

}  // namespace vouch::cli
