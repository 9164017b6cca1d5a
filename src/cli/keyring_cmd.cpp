// vouch keyring export|import (docs/vouch.1; docs/trust-model.md "Keyring directory and
// key-set bundles"). Parsing arguments and rendering only: the bundle logic
// is bundle/bundle_export.h and bundle/bundle_import.h.
#include <cstdlib>
#include <iostream>
#include <memory>

#include "bundle/bundle_export.h"
#include "bundle/bundle_import.h"
#include "cli/trust_cmds.h"
#include "trustdb/key_import.h"
#include "util/clock.h"

namespace vouch::cli {
namespace {

struct ExportArgs {
  std::string dir, sign;
};

struct ImportArgs {
  std::string dir;
  std::vector<std::string> require_signers;
};

int run_export(const GlobalOptions& g, const ExportArgs& a) {
  auto store = open_store(g, trust::OpenMode::existing);
  if (!store) return fail(g, store.error());
  auto r = trust::export_bundle(*store, a.dir, {a.sign, util::now()});
  if (!r) return fail(g, r.error());
  std::string text = "exported " + std::to_string(r->keys) + " keys, " + std::to_string(r->people) + " people, " +
                     std::to_string(r->endorsements) + " endorsements, " + std::to_string(r->revocations) +
                     " revocations to " + a.dir + " (" + std::to_string(r->files) + " files in MANIFEST)\n";
  text += r->signer ? "MANIFEST signed by " + r->signer->str() + "\n" : "MANIFEST not signed (use --sign KEY)\n";
  const std::string head = std::to_string(r->head.seq) + ":" + r->head.hash;
  text += "audit log head " + head + " (audit-head; check it later with `vouch log --verify --head " + a.dir + "`)\n";
  nlohmann::json doc{{"schema", 1},
                     {"verdict", "pass"},
                     {"directory", a.dir},
                     {"keys", r->keys},
                     {"people", r->people},
                     {"endorsements", r->endorsements},
                     {"revocations", r->revocations},
                     {"files", r->files},
                     {"signer", r->signer ? nlohmann::json(r->signer->str()) : nlohmann::json()},
                     {"audit_head", head}};
  emit(g, text, doc);
  return kOk;
}

nlohmann::json items_json(const std::vector<trust::BundleItem>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : items) {
    nlohmann::json j{{"kind", i.kind}, {"id", i.id}};
    if (!i.detail.empty()) j["detail"] = i.detail;
    out.push_back(std::move(j));
  }
  return out;
}

void items_text(std::string& text, const char* label, const std::vector<trust::BundleItem>& items, bool verbose) {
  if (items.empty()) return;
  text += std::string(label) + ": " + std::to_string(items.size()) + "\n";
  if (!verbose && std::string_view(label) == "unchanged") return;
  for (const auto& i : items)
    text += "  " + i.kind + " " + i.id + (i.detail.empty() ? "" : " (" + i.detail + ")") + "\n";
}

int run_import(const GlobalOptions& g, const ImportArgs& a) {
  auto store = open_store(g, trust::OpenMode::create);
  if (!store) return fail(g, store.error());
  trust::BundleImportOptions opts;
  opts.now = util::now();
  for (const auto& s : a.require_signers) {
    // A key id (a fingerprint an OSPO publishes) need not be held anywhere
    // yet; a key file brings its own key; a person needs exactly one key.
    auto signer = trust::resolve_required_signer(*store, s);
    if (!signer) return fail(g, signer.error());
    opts.required_signers.push_back(signer->id);
    if (signer->key) opts.signer_keys.push_back(std::move(*signer->key));
  }

  auto r = trust::import_bundle(*store, a.dir, opts);
  if (!r) return fail(g, r.error());

  std::string text;
  nlohmann::json sigs = nlohmann::json::array();
  for (const auto& c : r->signatures) {
    text += "MANIFEST signature by " + c.key.str() + ": " + std::string(to_string(c.result.status)) +
            (c.result.reason.empty() || c.result.status == SigStatus::good ? "" : " (" + c.result.reason + ")") + "\n";
    sigs.push_back({{"key", c.key.str()}, {"status", to_string(c.result.status)}, {"reason", c.result.reason}});
  }
  const std::string publisher_head =
      r->publisher_head ? std::to_string(r->publisher_head->seq) + ":" + r->publisher_head->hash : "";
  if (r->publisher_head) text += "publisher's audit log head " + publisher_head + "\n";
  items_text(text, "added", r->added, true);
  items_text(text, "changed", r->changed, true);
  items_text(text, "unchanged", r->unchanged, g.verbose);
  items_text(text, "skipped", r->skipped, true);
  items_text(text, "refused", r->refused, true);
  for (const auto& w : r->warnings) std::cerr << "vouch: warning: " << w << "\n";
  const bool ok = r->refused.empty() && r->applied;
  text += ok ? "imported " + a.dir + "\n" : "nothing imported: " + std::to_string(r->refused.size()) + " item(s) refused\n";
  nlohmann::json doc{{"schema", 1},
                     {"verdict", ok ? "pass" : "fail"},
                     {"directory", a.dir},
                     {"applied", r->applied},
                     {"signatures", sigs},
                     {"added", items_json(r->added)},
                     {"changed", items_json(r->changed)},
                     {"unchanged", items_json(r->unchanged)},
                     {"skipped", items_json(r->skipped)},
                     {"refused", items_json(r->refused)},
                     {"warnings", r->warnings},
                     {"publisher_head", r->publisher_head ? nlohmann::json(publisher_head) : nlohmann::json()}};
  if (!ok) {
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& i : r->refused) errors.push_back(i.kind + " " + i.id + ": " + i.detail);
    doc["errors"] = errors;
    for (const auto& i : r->refused) std::cerr << "vouch: error: refused " << i.kind << " " << i.id << ": " << i.detail << "\n";
  }
  emit(g, text, doc);
  return ok ? kOk : kBadInput;
}

}  // namespace

void add_keyring_commands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto* keyring = app.add_subcommand("keyring", "Export or import key-set bundles");
  keyring->require_subcommand(1);

  auto ea = std::make_shared<ExportArgs>();
  auto* exp = keyring->add_subcommand("export", "Write the database's keys, people, endorsements and signed revocations");
  exp->add_option("dir", ea->dir, "a new or empty directory (top-level *.md files are kept)")->required();
  exp->add_option("--sign", ea->sign, "sign MANIFEST with this key (SSH key file or OpenPGP fingerprint)")
      ->type_name("KEY");
  exp->footer("Example:\n  vouch keyring export ospo-keys/ --sign ~/.ssh/ospo_ed25519");
  exp->callback([&g, ea, &exit_code] { exit_code = run_export(g, *ea); });

  auto ia = std::make_shared<ImportArgs>();
  auto* imp = keyring->add_subcommand("import", "Check a bundle's MANIFEST and signatures, then apply it all or nothing");
  imp->add_option("dir", ia->dir, "the bundle directory")->required();
  imp->add_option("--require-signer", ia->require_signers,
                  "MANIFEST must carry a good signature by this key: a fingerprint (openpgp:FPR, FPR, "
                  "ssh:SHA256:..., SHA256:...; the key may come in the bundle itself), a public key file, "
                  "or a person with one key (repeatable)")
      ->type_name("KEY");
  imp->footer("Example:\n  vouch keyring import ospo-keys/ --require-signer openpgp:3690C240CE51B4670D30AD1C38EE757D69184620\n"
              "  vouch keyring import ospo-keys/ --require-signer SHA256:Vn3YkJ0x...");
  imp->callback([&g, ia, &exit_code] { exit_code = run_import(g, *ia); });
}

}  // namespace vouch::cli
