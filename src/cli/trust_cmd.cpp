// Placeholder registration; the command group is being written.
#include "cli/trust_cmds.h"

namespace vouch::cli {

void add_trust_commands(CLI::App&, GlobalOptions&, int&) {}

}  // namespace vouch::cli
