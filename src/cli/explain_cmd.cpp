// vouch policy explain (docs/policy.md): which rules apply to a commit and
// who can satisfy them; the work is verify/explain.h, the output
// report/explain_render.h.
#include "cli/explain_cmd.h"

#include <memory>

#include "git/repository.h"
#include "report/explain_render.h"
#include "verify/explain.h"

namespace vouch::cli {

void add_policy_explain_command(CLI::App& app, GlobalOptions& g, int& exit_code) {
  CLI::App* policy = app.get_subcommand("policy");
  auto rev = std::make_shared<std::string>("HEAD");
  auto root = std::make_shared<std::string>();
  auto* explain = policy->add_subcommand("explain", "which rules apply to REV, why, and who can satisfy them");
  explain->add_option("REV", *rev, "the commit (default HEAD)");
  explain->add_option("--trust-root", *root,
                      "say whether the governing policy descends from this commit (default: git config "
                      "vouch.trustRoot)")
      ->type_name("REV");
  explain->footer("Example:\n  vouch policy explain HEAD\n  vouch policy explain --format json 5c2a1f0");
  explain->callback([&g, rev, root, &exit_code] {
    auto repo = git::Repository::open(g.repo);
    if (!repo) {
      exit_code = fail(g, repo.error());
      return;
    }
    auto ex = verify::explain_commit(*repo, *rev, *root);
    if (!ex) {
      exit_code = fail(g, ex.error());
      return;
    }
    emit(g, report::explain_text(*ex), report::explain_json(*ex));
    exit_code = kOk;
  });
}

}  // namespace vouch::cli
