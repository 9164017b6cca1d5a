// Placeholder registration; the command group is being written.
#include "cli/trust_cmds.h"

namespace vouch::cli {

void add_endorse_command(CLI::App&, GlobalOptions&, int&) {}

}  // namespace vouch::cli
