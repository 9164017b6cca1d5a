// `vouch hook install` and `vouch hook run pre-receive|update|pre-push`
// (docs/hooks.md; docs/hooks.md). The decisions live in hooks/hook_runner.h.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/options.h"

namespace vouch::cli {

/// Registers `hook install` and `hook run` on `app`; each sets `exit_code`.
void add_hook_commands(CLI::App& app, GlobalOptions& global, int& exit_code);

}  // namespace vouch::cli
