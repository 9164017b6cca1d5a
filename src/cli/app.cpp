#include "cli/app.h"

#include <CLI/CLI.hpp>

namespace vouch::cli {

int run_app(int argc, char** argv) {
  CLI::App app{"vouch: verify that a git repository's history and releases were signed and approved"};
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return 0;
}

}  // namespace vouch::cli
