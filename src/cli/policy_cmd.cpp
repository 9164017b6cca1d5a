#include "cli/policy_cmd.h"

#include <iostream>

#include "app/policy_init.h"
#include "git/repository.h"
#include "policy/policy_parser.h"
#include "report/policy_render.h"
#include "util/file.h"

namespace vouch::cli {
namespace {

struct CheckArgs {
  std::string file;
};

struct InitArgs {
  std::vector<std::string> people;
  std::vector<std::string> keys;
  bool force = false;
};

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

Result<std::string> read_text(const std::string& path) {
  auto text = util::read_file(path);
  if (text) return text;
  std::string message = "cannot read policy " + text.error().message.substr(std::string_view("cannot read ").size());
  if (message.ends_with(": no such file")) message += " (run `vouch policy init` to write one)";
  return make_error(text.error().kind, message);
}

int run_check(const GlobalOptions& g, const CheckArgs& a) {
  std::string path = a.file, shown = a.file;
  if (path.empty()) {
    auto repo = git::Repository::open(g.repo);
    if (!repo) return fail(g, repo.error());
    path = repo->path() + "/" + policy::kPolicyPath;
    shown = policy::kPolicyPath;
  }
  auto text = read_text(path);
  if (!text) return fail(g, text.error());
  auto check = policy::check_policy(*text, shown);
  auto doc = report::render_policy_check(check, shown, g.quiet);
  if (check.policy) {
    emit(g, doc.text, doc.json);
    return kOk;
  }
  for (const auto& e : check.errors) std::cerr << e << "\n";
  std::cerr << "vouch: error: " << shown << " is not a valid policy (" << plural(check.errors.size(), "error", "errors")
            << ")\n";
  if (g.json()) std::cout << doc.json.dump(2) << "\n";
  return kBadInput;
}

int run_init(const GlobalOptions& g, const InitArgs& a) {
  auto r = app::init_policy({g.repo, a.people, a.keys, a.force});
  if (!r) return fail(g, r.error());
  auto doc = report::render_policy_init(*r);
  emit(g, g.quiet ? "" : doc.text, doc.json);
  return kOk;
}

}  // namespace

void add_policy_commands(CLI::App& app, GlobalOptions& global, int& exit_code) {
  auto* policy = app.add_subcommand("policy", "write, validate and explain .vouch/policy.toml");
  policy->require_subcommand(1);
  policy->footer("Examples:\n  vouch policy init --person alice --key ~/.ssh/id_ed25519.pub\n  vouch policy check\n"
                 "  vouch policy explain HEAD");

  auto check = std::make_shared<CheckArgs>();
  auto* c = policy->add_subcommand("check", "validate a policy file; exit 2 with FILE:LINE:COLUMN errors when invalid");
  c->add_option("FILE", check->file, "the policy to check (default: the working tree's .vouch/policy.toml)");
  c->footer("Example:\n  vouch policy check\n  vouch policy check --format json policies/strict.toml");
  c->callback([&global, &exit_code, check] { exit_code = run_check(global, *check); });

  auto init = std::make_shared<InitArgs>();
  auto* i = policy->add_subcommand("init", "write a commented starter .vouch/policy.toml and create .vouch/keys/");
  i->add_option("--person", init->people, "a maintainer's name (repeat; pairs with --key by position)")->type_name("NAME");
  i->add_option("--key", init->keys,
                "that maintainer's key: a key id, or a public key file (copied into .vouch/keys/)")
      ->type_name("KEY");
  i->add_flag("--force", init->force, "overwrite an existing .vouch/policy.toml");
  i->footer("Without --person the starter has a FILL-IN key that `policy check` rejects until you replace it.\n"
            "Example:\n  vouch policy init --person alice --key ~/.ssh/id_ed25519.pub --person bob --key openpgp:FPR");
  i->callback([&global, &exit_code, init] { exit_code = run_init(global, *init); });
}

}  // namespace vouch::cli
