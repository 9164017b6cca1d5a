#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/approve_cmd.h"
#include "cli/explain_cmd.h"
#include "cli/archive_cmd.h"
#include "cli/hook_cmd.h"
#include "cli/options.h"
#include "cli/policy_cmd.h"
#include "cli/trust_cmds.h"
#include "cli/verify_cmd.h"
#include "cli/version.h"
#include "policy/suggest.h"

namespace vouch::cli {
namespace {

/// The option of `app` or of an app above it (options fall through) named
/// `name` ("--fail-fast", "-q"), or nullptr.
const CLI::Option* find_option(const CLI::App* app, const std::string& name) {
  for (; app != nullptr; app = app->get_parent()) {
    for (const CLI::Option* o : app->get_options()) {
      if (o->get_positional()) continue;
      for (const auto& l : o->get_lnames())
        if ("--" + l == name) return o;
      for (const auto& sn : o->get_snames())
        if ("-" + sn == name) return o;
    }
  }
  return nullptr;
}

/// Every spelling of the options `app` and the apps above it accept.
std::vector<std::string> option_names(const CLI::App* app) {
  std::vector<std::string> out;
  for (; app != nullptr; app = app->get_parent()) {
    for (const CLI::Option* o : app->get_options()) {
      for (const auto& l : o->get_lnames()) out.push_back("--" + l);
    }
  }
  return out;
}

std::string command_path(const CLI::App* app) {
  std::string path;
  for (; app != nullptr; app = app->get_parent()) path = app->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

/// What CLI11 reports as "A subcommand is required" or "argument was not
/// expected", said in vouch's words, with a near miss when there is one:
/// "unknown command 'verfy' (did you mean 'verify'?)". nullopt when the
/// command line shows no such mistake.
std::optional<std::string> explain_mistake(const CLI::App& root, int argc, char** argv) {
  const CLI::App* app = &root;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() > 1 && arg[0] == '-') {
      std::string name = arg.substr(0, arg.find('='));
      const CLI::Option* o = find_option(app, name);
      if (o == nullptr) {
        std::vector<std::string> names = option_names(app);
        auto near = policy::suggest(name, names);
        return "unknown option '" + name + "' for '" + command_path(app) + "'" +
               (near ? " (did you mean '" + *near + "'?)" : "") + "; see " + command_path(app) + " --help";
      }
      if (o->get_expected_min() > 0 && name.size() == arg.size()) ++i;  // its value
      continue;
    }
    auto subs = app->get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty()) continue;  // a positional argument
    const CLI::App* next = nullptr;
    std::vector<std::string> names;
    for (const CLI::App* sub : subs) {
      names.push_back(sub->get_name());
      if (sub->get_name() == arg) next = sub;
    }
    if (next == nullptr) {
      auto near = policy::suggest(arg, names);
      return "unknown command '" + arg + "' for '" + command_path(app) + "'" +
             (near ? " (did you mean '" + *near + "'?)" : "") + "; see " + command_path(app) + " --help";
    }
    app = next;
  }
  if (!app->get_subcommands([](const CLI::App*) { return true; }).empty() && app->get_require_subcommand_min() > 0)
    return "'" + command_path(app) + "' needs a command; see " + command_path(app) + " --help";
  return std::nullopt;
}

}  // namespace

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
  app.set_version_flag("--version", [] { return version_text(); }, "which vouch this is, and its libraries");
  app.footer("Exit status: 0 verified, 1 verification failed, 2 bad input, 3 environment or internal error.\n"
             "Example:\n  vouch verify --keyring .vouch/keys HEAD~10..HEAD");

  int exit_code = kOk;
  add_verify_commands(app, g, exit_code);
  add_verify_tag_commands(app, g, exit_code);
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
  } catch (const CLI::CallForVersion& e) {
    std::cout << version_text();
    return kOk;
  } catch (const CLI::ParseError& e) {
    if (auto mistake = explain_mistake(app, argc, argv)) {
      std::cerr << "vouch: error: " << *mistake << "\n";
      return kBadInput;
    }
    std::cerr << "vouch: error: " << e.what() << "; see vouch --help\n";
    return kBadInput;
  } catch (const std::exception& e) {
    std::cerr << "vouch: internal error: " << e.what() << "\n";
    return kEnvironment;
  }
  return exit_code;
}

}  // namespace vouch::cli
