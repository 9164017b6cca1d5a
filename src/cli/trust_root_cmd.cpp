// vouch trust root add|remove|list (docs/trust-model.md, docs/vouch.1): the
// keys this database's owner trusts fully as introducers.
#include <memory>

#include "app/trust_query.h"
#include "cli/trust_cmds.h"
#include "report/trust_render.h"
#include "trustdb/key_import.h"

namespace vouch::cli {
namespace {

struct RootArgs {
  std::string key;
};

int run_root_change(const GlobalOptions& g, const RootArgs& a, bool add) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto key = trust::resolve_key_argument(*store, a.key);
  if (!key) return fail(g, key.error());
  auto changed = add ? store->add_root(*key) : store->remove_root(*key);
  if (!changed) return fail(g, changed.error());
  auto doc = report::render_root_change(*key, add, *changed);
  emit(g, doc.text, doc.json);
  return kOk;
}

int run_root_list(const GlobalOptions& g) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto roots = app::list_roots(*store);
  if (!roots) return fail(g, roots.error());
  auto doc = report::render_root_list(*roots, g.quiet);
  emit(g, doc.text, doc.json);
  return kOk;
}

}  // namespace

void add_trust_root_commands(CLI::App* trust, GlobalOptions& g, int& exit_code) {
  auto* root = trust->add_subcommand("root", "The keys this database's owner trusts fully as introducers");
  root->require_subcommand(1);
  root->footer("Example:\n  vouch trust root add ~/.ssh/id_ed25519.pub\n  vouch trust root list");
  auto ra = std::make_shared<RootArgs>();
  auto* radd = root->add_subcommand("add", "Make a key a root");
  radd->add_option("key", ra->key, "key id, fingerprint, public key file or person")->required()->type_name("KEY");
  radd->footer("Example:\n  vouch trust root add openpgp:3690C240CE51B4670D30AD1C38EE757D69184620");
  radd->callback([&g, ra, &exit_code] { exit_code = run_root_change(g, *ra, true); });
  auto rr = std::make_shared<RootArgs>();
  auto* rrm = root->add_subcommand("remove", "Stop trusting a key as a root");
  rrm->add_option("key", rr->key, "key id, fingerprint, public key file or person")->required()->type_name("KEY");
  rrm->footer("Example:\n  vouch trust root remove ssh:SHA256:Vn3Y...");
  rrm->callback([&g, rr, &exit_code] { exit_code = run_root_change(g, *rr, false); });
  auto* rls = root->add_subcommand("list", "List the roots");
  rls->footer("Example:\n  vouch trust root list --format json");
  rls->callback([&g, &exit_code] { exit_code = run_root_list(g); });
}

}  // namespace vouch::cli
