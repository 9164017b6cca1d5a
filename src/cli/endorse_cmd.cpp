// vouch endorse TARGET --as KEY ... (docs/trust-model.md, docs/vouch.1): parses,
// calls app::endorse (src/app/endorse.h), renders.
#include <memory>

#include "app/endorse.h"
#include "cli/trust_cmds.h"
#include "report/trust_render.h"

namespace vouch::cli {
namespace {

struct EndorseArgs {
  std::string target, as, person, expires, comment;
  int amount = trust::kFullTrust;
  bool full = false, partial = false;
  int depth = 0;
  std::vector<std::string> scopes, emails;
};

int run_endorse(const GlobalOptions& g, const EndorseArgs& a) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  app::EndorseOptions opts{
      g.repo,    a.target, a.as,     a.full ? trust::kFullTrust : a.partial ? trust::kFullTrust / 2 : a.amount,
      a.depth,   a.scopes, a.emails, a.person,
      a.expires, a.comment};
  auto r = app::endorse(opts, *store);
  if (!r) return fail(g, r.error());
  auto doc = report::render_endorse(*r, g.verbose);
  if (!g.quiet || g.json()) emit(g, doc.text, doc.json);
  return kOk;
}

}  // namespace

void add_endorse_command(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto a = std::make_shared<EndorseArgs>();
  auto* cmd = app.add_subcommand("endorse", "Sign and store an endorsement: your key vouches for another key");
  cmd->add_option("target", a->target, "the endorsed key: key id, fingerprint, public key file or person")
      ->required()
      ->type_name("TARGET");
  cmd->add_option("--as", a->as,
                  "sign as this key: an SSH key file (private, or .pub of an agent key) or an OpenPGP "
                  "fingerprint (default: git's user.signingkey)")
      ->type_name("KEY");
  auto* amount = cmd->add_option("--amount", a->amount, "trust amount 0..120 (0 retracts; default 120)")
                     ->check(CLI::Range(0, trust::kFullTrust))
                     ->type_name("N");
  auto* full = cmd->add_flag("--full", a->full, "amount 120");
  auto* partial = cmd->add_flag("--partial", a->partial, "amount 60");
  amount->excludes(full)->excludes(partial);
  full->excludes(partial);
  cmd->add_option("--depth", a->depth, "how many further hops the target may introduce (0 = identity only, "
                                       "255 = unlimited)")
      ->check(CLI::Range(0, trust::kUnlimitedDepth))
      ->type_name("N");
  cmd->add_option("--scope", a->scopes, "the target may only introduce emails matching this glob (repeatable)")
      ->type_name("GLOB");
  cmd->add_option("--person", a->person, "the person the target belongs to (default: the database's)")
      ->type_name("NAME");
  cmd->add_option("--email", a->emails, "an email of the target (repeatable; default: the person's)")
      ->type_name("E");
  cmd->add_option("--expires", a->expires, "end of validity: a date or a duration from now (90d, 1y)")
      ->type_name("DATE|DURATION");
  cmd->add_option("--comment", a->comment, "one line: why you vouch (e.g. met in person)")->type_name("TEXT");
  cmd->footer("Example:\n  vouch endorse ~/keys/alice.pub --as ~/.ssh/id_ed25519 --depth 1 --scope '*@example.org'\n"
              "  vouch endorse alice --as ~/.ssh/id_ed25519 --amount 0   # retract");
  cmd->callback([&g, a, &exit_code] { exit_code = run_endorse(g, *a); });
}

}  // namespace vouch::cli
