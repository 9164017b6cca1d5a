// vouch key import|list|show|remove|revoke (docs/vouch.1, docs/trust-model.md,
// "Revocation statements"). Parsing arguments and rendering only: reading key
// files is trust/key_import.h, storing is trust/store.h, signing and
// verifying revocations trust/statement_signer.h and statement_verifier.h.
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

#include "cli/trust_cmds.h"
#include "report/trust_render.h"
#include "trust/db_keyring.h"
#include "trust/key_import.h"
#include "trust/statement.h"
#include "trust/statement_signer.h"
#include "trust/statement_verifier.h"
#include "util/clock.h"

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

Result<report::KeyView> view_of(const trust::TrustStore& store, trust::KeyRecord record, bool details) {
  report::KeyView v;
  auto revs = store.revocations_of(record.id);
  if (!revs) return revs.error();
  v.revocations = std::move(*revs);
  if (details) {
    auto ends = store.endorsements_for(record.id);
    if (!ends) return ends.error();
    v.endorsements = std::move(*ends);
    auto roots = store.list_roots();
    if (!roots) return roots.error();
    v.root = std::find(roots->begin(), roots->end(), record.id) != roots->end();
  }
  v.key = std::move(record);
  return v;
}

int run_import(const GlobalOptions& g, const ImportArgs& a) {
  // Read and validate every file before touching the database: one bad file
  // and nothing is applied.
  std::vector<std::pair<std::string, trust::ImportedKeys>> files;
  for (const auto& f : a.files) {
    auto imported = trust::import_key_file(f);
    if (!imported) return fail(g, imported.error());
    files.emplace_back(f, std::move(*imported));
  }
  auto store = open_store(g, trust::OpenMode::create);
  if (!store) return fail(g, store.error());

  const trust::Change change{"local", a.comment};
  nlohmann::json keys = nlohmann::json::array(), revocations = nlohmann::json::array();
  std::vector<std::string> warnings;
  std::string text;
  auto applied = store->transaction([&]() -> Result<void> {
    for (const auto& [file, imported] : files) {
      for (const auto& rec : imported.keys) {
        auto outcome = store->add_key(rec, change);
        if (!outcome) return outcome.error();
        const std::string what(trust::to_string(*outcome));
        text += what + " " + rec.id.str() + " (" + file + ")\n";
        keys.push_back({{"id", rec.id.str()}, {"kind", to_string(rec.id.kind)}, {"file", file}, {"result", what}});
      }
      for (const auto& rev : imported.revocations) {
        auto added = store->add_revocation(rev, change);
        if (!added) return added.error();
        const std::string reason(trust::to_string(rev.reason));
        text += std::string(*added ? "recorded" : "already recorded") + " revocation of " + rev.key.str() + " (" +
                reason + ", " + report::utc_time(rev.time) + ")\n";
        revocations.push_back({{"key", rev.key.str()}, {"reason", reason}, {"time", rev.time},
                               {"result", *added ? "added" : "unchanged"}});
      }
      warnings.insert(warnings.end(), imported.warnings.begin(), imported.warnings.end());
    }
    return {};
  });
  if (!applied) return fail(g, applied.error());
  print_warnings(warnings);
  emit(g, text, {{"schema", 1}, {"keys", keys}, {"revocations", revocations}, {"warnings", warnings}});
  return kOk;
}

int run_list(const GlobalOptions& g) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto keys = store->list_keys();
  if (!keys) return fail(g, keys.error());
  std::vector<report::KeyView> views;
  for (auto& k : *keys) {
    auto v = view_of(*store, std::move(k), false);
    if (!v) return fail(g, v.error());
    views.push_back(std::move(*v));
  }
  emit(g, report::key_list_text(views), report::key_list_json(views));
  return kOk;
}

/// The stored record of a KEY argument; not_found when the database lacks it.
Result<trust::KeyRecord> held_key(const trust::TrustStore& store, const std::string& arg) {
  auto id = trust::resolve_key_argument(store, arg);
  if (!id) return id.error();
  auto rec = store.get_key(*id);
  if (!rec) return rec.error();
  if (!*rec) return make_error(ErrorKind::not_found, "key " + id->str() + " is not in the trust database");
  return std::move(**rec);
}

int run_show(const GlobalOptions& g, const KeyArg& a) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto rec = held_key(*store, a.key);
  if (!rec) return fail(g, rec.error());
  auto v = view_of(*store, std::move(*rec), true);
  if (!v) return fail(g, v.error());
  emit(g, report::key_show_text(*v), report::key_show_json(*v));
  return kOk;
}

int run_remove(const GlobalOptions& g, const KeyArg& a) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto rec = held_key(*store, a.key);
  if (!rec) return fail(g, rec.error());
  if (auto removed = store->remove_key(rec->id); !removed) return fail(g, removed.error());
  emit(g, "removed " + rec->id.str() + "\n", {{"schema", 1}, {"removed", rec->id.str()}});
  return kOk;
}

/// Signs a revocation statement with `sign_with`, checks it as anyone importing
/// it would (the revoked key itself or a root), and returns its transport line.
Result<std::string> signed_revocation(const trust::TrustStore& store, const trust::RevocationStatement& rs,
                                      const std::string& sign_with, int64_t now) {
  auto text = trust::serialize_checked(rs);
  if (!text) return text.error();
  auto sig = trust::sign_statement(*text, sign_with, trust::kRevocationType);
  if (!sig) return sig.error();
  trust::SignedStatement st{std::string(trust::kRevocationType), *text, *sig};
  auto keyring = trust::keyring_from_store(store);
  if (!keyring) return keyring.error();
  auto roots = store.list_roots();
  if (!roots) return roots.error();
  auto verified = trust::verify_revocation(st, *keyring, *roots, now);
  if (!verified) return make_error(verified.error().kind, "refused: " + verified.error().message);
  return trust::to_transport_line(st);
}

int run_revoke(const GlobalOptions& g, const RevokeArgs& a) {
  auto reason = trust::parse_revocation_reason(a.reason);
  if (!reason)
    return fail(g, make_error(ErrorKind::bad_input, "--reason " + a.reason +
                                                        ": expected compromised, superseded, retired or unspecified"));
  auto store = open_store(g, trust::OpenMode::create);
  if (!store) return fail(g, store.error());
  auto id = trust::resolve_key_argument(*store, a.key);
  if (!id) return fail(g, id.error());

  trust::RevocationRecord rec{*id, *reason, util::now(), std::nullopt, std::nullopt};
  if (!a.comment.empty()) rec.comment = a.comment;
  if (!a.sign_with.empty()) {
    auto line = signed_revocation(*store, {*id, *reason, rec.time, rec.comment}, a.sign_with, rec.time);
    if (!line) return fail(g, line.error());
    rec.statement = std::move(*line);
  }
  auto added = store->add_revocation(rec, trust::Change{"local", a.comment});
  if (!added) return fail(g, added.error());

  const std::string kind = trust::is_hard(*reason) ? "hard" : "soft";
  const std::string text = "revoked " + id->str() + " (" + a.reason + ", " + kind + ") at " +
                           report::utc_time(rec.time) + (rec.statement ? ", signed" : ", local decision") + "\n";
  nlohmann::json j{{"schema", 1}, {"key", id->str()}, {"revocation", report::to_json(rec)},
                   {"result", *added ? "added" : "unchanged"}};
  emit(g, text, j);
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
