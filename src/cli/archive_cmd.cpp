#include "cli/archive_cmd.h"

#include <memory>
#include <climits>
#include <optional>

#include "app/key_source.h"
#include "archive/archive_verifier.h"
#include "git/repository.h"
#include "keys/keyring.h"
#include "report/archive_render.h"
#include "util/time_parse.h"

namespace vouch::cli {
namespace {

struct ArchiveArgs {
  std::string archive, tag, keyring, policy, at, trust_root, allow_sha1_before;
  std::vector<std::string> known;
  std::string max_bytes = "4G";
  uint64_t max_members = archive::ReaderLimits{}.max_members;
};

/// "4294967296", "64M", "4G" (binary multiples), at least 1.
Result<uint64_t> parse_bytes(const std::string& text) {
  auto bad = [&] { return make_error(ErrorKind::bad_input, "--max-bytes " + text + ": expected a size such as 500M or 4G"); };
  if (text.empty()) return bad();
  uint64_t n = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (n > (UINT64_MAX - 9) / 10) return bad();
    n = n * 10 + static_cast<uint64_t>(text[i] - '0');
  }
  if (i == 0) return bad();
  int shift = 0;
  if (i + 1 == text.size()) {
    switch (text[i]) {
      case 'K': case 'k': shift = 10; break;
      case 'M': case 'm': shift = 20; break;
      case 'G': case 'g': shift = 30; break;
      case 'T': case 't': shift = 40; break;
      default: return bad();
    }
  } else if (i != text.size()) {
    return bad();
  }
  if (n == 0 || n > (UINT64_MAX >> shift)) return bad();
  return n << shift;
}


int run_verify_archive(const GlobalOptions& g, const ArchiveArgs& a) {
  archive::ArchiveVerifyOptions opts;
  auto max_bytes = parse_bytes(a.max_bytes);
  if (!max_bytes) return fail(g, max_bytes.error());
  if (a.max_members == 0) return fail(g, make_error(ErrorKind::bad_input, "--max-members must be at least 1"));
  opts.limits = {*max_bytes, a.max_members};
  if (!a.at.empty()) {
    auto t = util::parse_time(a.at);
    if (!t) return fail(g, make_error(ErrorKind::bad_input, "--at " + a.at + ": expected unix seconds or YYYY-MM-DD[THH:MM:SSZ]"));
    opts.now = *t;
    opts.policy.now = *t;
  }
  opts.known_dirs = a.known;
  opts.policy.trust_root = a.trust_root;
  if (!a.allow_sha1_before.empty()) {
    if (a.allow_sha1_before == "never") {
      opts.policy.allow_sha1_before = INT64_MIN;
    } else {
      auto t = util::parse_time(a.allow_sha1_before);
      if (!t)
        return fail(g, make_error(ErrorKind::bad_input, "--allow-sha1-before " + a.allow_sha1_before +
                                                            ": expected YYYY-MM-DD, unix seconds or \"never\""));
      opts.policy.allow_sha1_before = *t;
    }
  }
  if (!a.keyring.empty() && !a.policy.empty())
    return fail(g, make_error(ErrorKind::bad_input, "verify-archive: --keyring and --policy exclude each other"));
  auto repo = git::Repository::open(g.repo);
  if (!repo) return fail(g, repo.error());
  auto keys = app::open_key_source(a.keyring, g.db);
  if (!keys) return fail(g, keys.error());
  if (keys->keyring) {
    opts.keyring = &*keys->keyring;
  } else {
    opts.policy.policy_file = a.policy;
    opts.policy.store = keys->store_ptr();
  }
  auto v = archive::verify_archive(*repo, a.archive, a.tag, opts);
  if (!v) return fail(g, v.error());
  emit(g, report::to_text(*v, g.verbosity()), report::to_json(*v));
  return v->pass ? kOk : kFailed;
}

}  // namespace

void add_archive_commands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto args = std::make_shared<ArchiveArgs>();
  auto* cmd = app.add_subcommand("verify-archive", "Verify a release archive against its signed tag");
  cmd->add_option("archive", args->archive, "tar, tar.gz, tar.bz2, tar.xz or zip file")->required();
  cmd->add_option("--tag", args->tag, "the release tag whose tree the archive must match")->required();
  cmd->add_option("--keyring", args->keyring, "no policy: a good tag signature by a key in DIR suffices")
      ->type_name("DIR");
  cmd->add_option("--policy", args->policy, "use this policy instead of the tagged commit's")->type_name("FILE");
  cmd->add_option("--at", args->at, "reference time for the tag's signature (default: now)")->type_name("TIME");
  cmd->add_option("--trust-root", args->trust_root,
                  "the trust root the tagged commit must verify from (default: git config vouch.trustRoot)")
      ->type_name("REV");
  cmd->add_option("--known", args->known,
                  "a directory of standard files (e.g. /usr/share/aclocal); allowed files byte-identical to one of "
                  "the same name are \"known\", the rest \"unknown\" (repeatable)")
      ->type_name("DIR");
  cmd->add_option("--allow-sha1-before", args->allow_sha1_before,
                  "accept SHA-1 signatures created before DATE (default 2013-02-01, or the policy's); \"never\"")
      ->type_name("DATE");
  cmd->add_option("--max-bytes", args->max_bytes, "most member data to read, in total (default 4G)")
      ->type_name("SIZE");
  cmd->add_option("--max-members", args->max_members, "most archive entries to read (default 1000000)")
      ->type_name("N");
  cmd->footer(
      "Verifies TAG (as verify-tag), then compares every member of ARCHIVE, by git blob id, with the\n"
      "tagged commit's tree, after removing a common top-level directory (git archive --prefix).\n"
      "Fails on files added, changed (content, executable bit, symbolic link target) or missing\n"
      "unless [release] archive_may_add / archive_may_change / archive_may_omit allow them (files\n"
      "with export-ignore at the tag are not expected), and on unsafe members: absolute or '..'\n"
      "paths, links leaving the tree, hard links, devices, fifos, duplicates, names that collide\n"
      "case-insensitively or after Unicode NFC normalisation, names extractors read differently.\n"
      "Allowed files byte-identical to a --known file are \"known\", the rest \"unknown\" (listed\n"
      "first). When the archive differs at all, [release] require counts approvals of the archive\n"
      "(vouch approve --archive FILE --tag TAG). Nothing is extracted or written. Formats: tar\n"
      "(ustar, pax, GNU), plain or gzip/bzip2/xz-compressed, and zip.\n"
      "Example:\n  vouch verify-archive xz-5.6.1.tar.gz --tag v5.6.1 --known /usr/share/aclocal");
  cmd->callback([&g, args, &exit_code] { exit_code = run_verify_archive(g, *args); });
}

}  // namespace vouch::cli
