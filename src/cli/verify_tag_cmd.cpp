// `vouch verify-tag` and `vouch verify-file` (docs/vouch.1): parsing
// arguments and rendering only; the work is app/verify.h.
#include <memory>

#include "app/verify.h"
#include "cli/verify_cmd.h"

namespace vouch::cli {
namespace {

struct TagArgs {
  std::vector<std::string> tags;
  std::string keyring, policy, at, trust_root, allow_sha1_before;
};

struct FileArgs {
  std::string file, signature, ns = "file", keyring, at, allow_sha1_before;
};

int run_verify_tag(const GlobalOptions& g, const TagArgs& a) {
  auto at = parse_time_option("--at", a.at, 0);
  if (!at) return fail(g, at.error());
  auto sha1 = parse_sha1_option(a.allow_sha1_before);
  if (!sha1) return fail(g, sha1.error());
  auto verdicts = app::verify_tags({g.repo, a.keyring, g.db, a.trust_root, a.policy, *at, *sha1}, a.tags);
  if (!verdicts) return fail(g, verdicts.error());
  auto doc = report::render_tags(*verdicts, g.verbosity());
  emit(g, doc.text, doc.json);
  return doc.json["verdict"] == "pass" ? kOk : kFailed;
}

int run_verify_file(const GlobalOptions& g, const FileArgs& a) {
  if (a.keyring.empty()) return fail(g, make_error(ErrorKind::bad_input, "verify-file: --keyring DIR is required"));
  auto at = parse_time_option("--at", a.at, 0);
  if (!at) return fail(g, at.error());
  auto sha1 = parse_sha1_option(a.allow_sha1_before);
  if (!sha1) return fail(g, sha1.error());
  auto v = app::verify_file({a.file, a.signature, a.ns, a.keyring, *at, *sha1});
  if (!v) return fail(g, v.error());
  emit(g, report::to_text(*v, g.verbosity()), report::to_json(*v));
  return v->pass ? kOk : kFailed;
}

}  // namespace

void add_verify_tag_commands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto ta = std::make_shared<TagArgs>();
  auto* tag = app.add_subcommand("verify-tag", "Verify annotated, signed tags");
  tag->add_option("tags", ta->tags, "tag names")->required();
  tag->add_option("--keyring", ta->keyring, "a good signature by a key in DIR suffices")->type_name("DIR");
  tag->add_option("--trust-root", ta->trust_root,
                  "the trust root the tagged commit must verify from (default: git config vouch.trustRoot)")
      ->type_name("REV");
  tag->add_option("--policy", ta->policy, "use this policy instead of the tagged commit's")->type_name("FILE");
  tag->add_option("--at", ta->at, "reference time (default: now)")->type_name("TIME");
  tag->add_option("--allow-sha1-before", ta->allow_sha1_before, kSha1OptionHelp)->type_name("DATE|never");
  tag->footer(
      "Examples:\n  vouch verify-tag v5.6.1                      # policy mode, from git config vouch.trustRoot\n"
      "  vouch verify-tag v5.6.1 --keyring .vouch/keys");
  tag->callback([&g, ta, &exit_code] { exit_code = run_verify_tag(g, *ta); });

  auto fa = std::make_shared<FileArgs>();
  auto* file = app.add_subcommand("verify-file", "Verify a detached OpenPGP or SSH signature over a file");
  file->add_option("file", fa->file, "the signed file")->required();
  file->add_option("--signature,-s", fa->signature, "the detached signature (.sig, .asc)")
      ->required()
      ->type_name("SIG");
  file->add_option("--namespace,-n", fa->ns, "SSH signature namespace (default: file)")->type_name("NS");
  file->add_option("--keyring", fa->keyring, "keys that may sign")->required()->type_name("DIR");
  file->add_option("--at", fa->at, "reference time (default: now)")->type_name("TIME");
  file->add_option("--allow-sha1-before", fa->allow_sha1_before, kSha1OptionHelp)->type_name("DATE|never");
  file->footer("Example:\n  vouch verify-file xz-5.6.1.tar.gz --signature xz-5.6.1.tar.gz.sig --keyring keys/");
  file->callback([&g, fa, &exit_code] { exit_code = run_verify_file(g, *fa); });
}

}  // namespace vouch::cli
