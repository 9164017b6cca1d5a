// vouch keyring export|import (docs/vouch.1; docs/trust-model.md "Keyring directory and
// key-set bundles"). Parsing arguments and rendering only: the work is
// app/keyring.h, the output report/keyring_render.h.
#include <iostream>
#include <memory>

#include "app/keyring.h"
#include "cli/trust_cmds.h"
#include "report/keyring_render.h"

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
  auto r = app::export_keyring(g.db, a.dir, a.sign);
  if (!r) return fail(g, r.error());
  auto doc = report::render_keyring_export(*r, a.dir);
  emit(g, doc.text, doc.json);
  return kOk;
}

int run_import(const GlobalOptions& g, const ImportArgs& a) {
  auto r = app::import_keyring(g.db, a.dir, a.require_signers);
  if (!r) return fail(g, r.error());
  for (const auto& w : r->warnings) std::cerr << "vouch: warning: " << w << "\n";
  auto doc = report::render_keyring_import(*r, a.dir, g.verbose);
  if (!report::keyring_import_ok(*r)) {
    for (const auto& i : r->refused) std::cerr << "vouch: error: refused " << i.kind << " " << i.id << ": " << i.detail << "\n";
  }
  emit(g, doc.text, doc.json);
  return report::keyring_import_ok(*r) ? kOk : kBadInput;
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
