// `vouch policy init` and `vouch policy check` (docs/vouch.1, docs/policy.md).
// `vouch policy explain` is registered elsewhere on the same "policy"
// subcommand: `app.get_subcommand("policy")->add_subcommand("explain", ...)`
// after add_policy_commands() has run.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/options.h"

namespace vouch::cli {

/// Registers `vouch policy` with `init` and `check`; each sets `exit_code`
/// when it runs. The "policy" subcommand requires one of its subcommands.
void add_policy_commands(CLI::App& app, GlobalOptions& global, int& exit_code);

}  // namespace vouch::cli
