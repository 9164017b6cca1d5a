// `vouch approve`, `vouch approvals`, `vouch approvals sync` (docs/vouch.1,
// docs/policy.md "Approvals").
#pragma once

#include <CLI/CLI.hpp>

#include "cli/options.h"

namespace vouch::cli {

/// Registers the approval commands on `app`; each sets `exit_code` when it runs.
void add_approval_commands(CLI::App& app, GlobalOptions& global, int& exit_code);

}  // namespace vouch::cli
