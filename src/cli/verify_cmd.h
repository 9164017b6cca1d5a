// `vouch verify`, `vouch verify-tag`, `vouch verify-file` (docs/vouch.1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/options.h"

namespace vouch::cli {

/// Registers the verify commands on `app`; each sets `exit_code` when it runs.
/// `verify` (src/cli/verify_cmd.cpp).
void add_verify_commands(CLI::App& app, GlobalOptions& global, int& exit_code);
/// `verify-tag` and `verify-file` (src/cli/verify_tag_cmd.cpp).
void add_verify_tag_commands(CLI::App& app, GlobalOptions& global, int& exit_code);

/// --allow-sha1-before DATE|never (verify/signature_rules.h); unset when not given.
Result<std::optional<int64_t>> parse_sha1_option(const std::string& text);

/// The --allow-sha1-before help every verify command shows.
inline constexpr const char* kSha1OptionHelp =
    "accept SHA-1 OpenPGP signatures created before DATE, or never (default: the policy's "
    "[signatures] allow_sha1_before, else 2013-02-01)";

}  // namespace vouch::cli
