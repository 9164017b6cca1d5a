// Registration of the trust-database command groups (docs/trust-model.md, docs/vouch.1).
// Each group lives in its own file; each sets `exit_code` when it runs.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/options.h"

namespace vouch::cli {

/// vouch key import|list|show|remove|revoke; vouch person ...; vouch endorse;
/// vouch trust root|check|path|graph; vouch log  (src/cli/key_cmd.cpp,
/// person_cmd.cpp, endorse_cmd.cpp, trust_cmd.cpp, log_cmd.cpp)
void add_key_commands(CLI::App& app, GlobalOptions& global, int& exit_code);
void add_person_commands(CLI::App& app, GlobalOptions& global, int& exit_code);
void add_endorse_command(CLI::App& app, GlobalOptions& global, int& exit_code);
void add_trust_commands(CLI::App& app, GlobalOptions& global, int& exit_code);
void add_log_command(CLI::App& app, GlobalOptions& global, int& exit_code);
/// vouch trust root add|remove|list, under `trust`  (src/cli/trust_root_cmd.cpp)
void add_trust_root_commands(CLI::App* trust, GlobalOptions& global, int& exit_code);

/// vouch keyring export|import  (src/cli/keyring_cmd.cpp)
void add_keyring_commands(CLI::App& app, GlobalOptions& global, int& exit_code);

}  // namespace vouch::cli
