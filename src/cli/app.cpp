#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/approve_cmd.h"
#include "cli/explain_cmd.h"
#include "cli/archive_cmd.h"
#include "cli/hook_cmd.h"
#include "cli/options.h"
#include "cli/policy_cmd.h"
#include "cli/trust_cmds.h"
#include "cli/verify_cmd.h"

namespace vouch::cli {

int run_app(int argc, char** argv) {
  CLI::App app{"vouch: prove that a git repository's history and releases were signed and approved\n"
               "by the right people."};
  app.name("vouch");
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand
  GlobalOptions g;
  app.add_option("-C,--repo", g.repo, "the repository (default: the one containing the current directory)")
      ->type_name("DIR");
  app.add_option("--db", g.db, "the trust database (default $VOUCH_DB, then $XDG_DATA_HOME/vouch/trust.db)")
      ->type_name("FILE");
  app.add_option("--format", g.format, "output: text, json (one document, \"schema\": 1), or github (text plus GitHub Actions annotations)")
      ->check(CLI::IsMember({"text", "json", "github"}));
  app.add_flag("-q,--quiet", g.quiet, "less text");
  app.add_flag("-v,--verbose", g.verbose, "more text");
  app.add_option("--color", g.color, "colour (NO_COLOR is honoured)")->check(CLI::IsMember({"auto", "always", "never"}));
  app.footer("Exit status: 0 verified, 1 verification failed, 2 bad input, 3 environment or internal error.\n"
             "Example:\n  vouch verify --keyring .vouch/keys HEAD~10..HEAD");

  int exit_code = kOk;
  add_verify_commands(app, g, exit_code);
  add_archive_commands(app, g, exit_code);
  add_key_commands(app, g, exit_code);
  add_person_commands(app, g, exit_code);
  add_endorse_command(app, g, exit_code);
  add_trust_commands(app, g, exit_code);
  add_keyring_commands(app, g, exit_code);
  add_log_command(app, g, exit_code);
  add_approval_commands(app, g, exit_code);
  add_policy_commands(app, g, exit_code);
  add_policy_explain_command(app, g, exit_code);
  add_hook_commands(app, g, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kBadInput;
  } catch (const std::exception& e) {
    std::cerr << "vouch: internal error: " << e.what() << "\n";
    return kEnvironment;
  }
  return exit_code;
}

}  // namespace vouch::cli
