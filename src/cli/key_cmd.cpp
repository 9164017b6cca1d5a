// vouch key import|list|show|remove|revoke (docs/vouch.1, docs/trust-model.md,
// "Revocation statements"). Parsing arguments and rendering only: reading key
// files and storing them is app/keys.h, signing and revoking app/revoke.h.
#include <iostream>
#include <memory>

#include "app/keys.h"
#include "app/revoke.h"
#include "cli/trust_cmds.h"
#include "report/trust_render.h"
#include "trustdb/key_import.h"

namespace vouch::cli {
namespace {

struct ImportArgs {
  std::vector<std::string> files;
  std::string comment;
};

struct KeyArg {
  std::string key;
};

struct RevokeArgs {
  std::string key, reason, sign_with, comment;
};

void print_warnings(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) std::cerr << "vouch: warning: " << w << "\n";
}

int run_import(const GlobalOptions& g, const ImportArgs& a) {
  auto r = app::import_keys(g.db, a.files, a.comment);
  if (!r) return fail(g, r.error());
  print_warnings(r->warnings);
  auto doc = report::render_key_import(*r);
  emit(g, doc.text, doc.json);
  return kOk;
}

int run_list(const GlobalOptions& g) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto views = app::list_keys(*store);
  if (!views) return fail(g, views.error());
  emit(g, report::key_list_text(*views), report::key_list_json(*views));
  return kOk;
}

int run_show(const GlobalOptions& g, const KeyArg& a) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto rec = app::held_key(*store, a.key);
  if (!rec) return fail(g, rec.error());
  auto v = app::key_view(*store, std::move(*rec), true);
  if (!v) return fail(g, v.error());
  emit(g, report::key_show_text(*v), report::key_show_json(*v));
  return kOk;
}

int run_remove(const GlobalOptions& g, const KeyArg& a) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto rec = app::held_key(*store, a.key);
  if (!rec) return fail(g, rec.error());
  if (auto removed = store->remove_key(rec->id); !removed) return fail(g, removed.error());
  auto doc = report::render_key_removed(rec->id);
  emit(g, doc.text, doc.json);
  return kOk;
}

int run_revoke(const GlobalOptions& g, const RevokeArgs& a) {
  // The reason is checked before the database is created.
  if (!trust::parse_revocation_reason(a.reason))
    return fail(g, make_error(ErrorKind::bad_input, "--reason " + a.reason +
                                                        ": expected compromised, superseded, retired or unspecified"));
  auto store = open_store(g, trust::OpenMode::create);
  if (!store) return fail(g, store.error());
  auto r = app::revoke_key(*store, {a.key, a.reason, a.sign_with, a.comment});
  if (!r) return fail(g, r.error());
  auto doc = report::render_revoke(*r, a.reason);
  emit(g, doc.text, doc.json);
  return kOk;
}

}  // namespace

void add_key_commands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* key = app.add_subcommand("key", "Keys in the trust database");
  key->require_subcommand(1);
  key->footer("Example:\n  vouch key import alice.asc bob.pub\n  vouch key list");

  auto ia = std::make_shared<ImportArgs>();
  auto* imp = key->add_subcommand("import", "Add or update keys from OpenPGP certificates, .pub files, allowed_signers");
  imp->add_option("files", ia->files, "key files")->required()->type_name("FILE");
  imp->add_option("--comment", ia->comment, "why these keys are added (kept with the key and in the log)")
      ->type_name("WHY");
  imp->footer("Example:\n  vouch key import alice.asc ~/.ssh/id_ed25519.pub --comment \"release managers\"");
  imp->callback([&g, ia, &exit_code] { exit_code = run_import(g, *ia); });

  auto* list = key->add_subcommand("list", "List the keys in the trust database");
  list->footer("Example:\n  vouch key list --format json");
  list->callback([&g, &exit_code] { exit_code = run_list(g); });

  auto sa = std::make_shared<KeyArg>();
  auto* show = key->add_subcommand("show", "Everything the database knows about a key");
  show->add_option("key", sa->key, "key id, fingerprint, public key file or person")->required()->type_name("KEY");
  show->footer("Example:\n  vouch key show openpgp:3690C240CE51B4670D30AD1C38EE757D69184620");
  show->callback([&g, sa, &exit_code] { exit_code = run_show(g, *sa); });

  auto ra = std::make_shared<KeyArg>();
  auto* rm = key->add_subcommand("remove", "Remove a key (its revocations and endorsements stay)");
  rm->add_option("key", ra->key, "key id, fingerprint, public key file or person")->required()->type_name("KEY");
  rm->footer("Example:\n  vouch key remove SHA256:Qm9i...");
  rm->callback([&g, ra, &exit_code] { exit_code = run_remove(g, *ra); });

  auto va = std::make_shared<RevokeArgs>();
  auto* rev = key->add_subcommand("revoke", "Revoke a key: a local decision, or a signed revocation statement");
  rev->add_option("key", va->key, "the key to revoke")->required()->type_name("KEY");
  rev->add_option("--reason", va->reason, "compromised|superseded|retired|unspecified")->required();
  rev->add_option("--sign-with", va->sign_with,
                  "sign a revocation statement with this key (the revoked key itself or a root)")
      ->type_name("KEY");
  rev->add_option("--comment", va->comment, "why")->type_name("TEXT");
  rev->footer("Example:\n  vouch key revoke old.pub --reason superseded\n"
              "  vouch key revoke SHA256:Qm9i... --reason compromised --sign-with ~/.ssh/id_ed25519");
  rev->callback([&g, va, &exit_code] { exit_code = run_revoke(g, *va); });
}

}  // namespace vouch::cli
