// The vouch command-line front end: parses arguments, calls the library,
// renders results. Holds no verification logic.
#pragma once

namespace vouch::cli {

/// Runs the CLI; returns the process exit code (docs/vouch.1).
int run_app(int argc, char** argv);

}  // namespace vouch::cli
