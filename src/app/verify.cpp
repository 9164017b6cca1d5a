#include "app/verify.h"

#include "app/key_source.h"
#include "git/repository.h"
#include "util/file.h"
#include "verify/keyring_verifier.h"
#include "verify/policy_verifier.h"
#include "verify/signature_rules.h"

namespace vouch::app {
namespace {

verify::PolicyVerifyOptions policy_options(const VerifyCommon& c, trust::TrustStore* store) {
  verify::PolicyVerifyOptions opts;
  opts.trust_root = c.trust_root;
  opts.policy_file = c.policy;
  opts.now = c.at;
  opts.allow_sha1_before = c.allow_sha1_before;
  opts.store = store;
  return opts;
}

}  // namespace

Result<VerifyReport> verify_commits(const VerifyCommitsOptions& o) {
  VOUCH_LET(repo, git::Repository::open(o.common.repo));
  VOUCH_LET(keys, open_key_source(o.common.keyring, o.common.db));
  if (keys.keyring) {
    verify::VerifyOptions opts{o.jobs, o.common.at, o.progress, verify::signature_rules(o.common.allow_sha1_before)};
    return verify::verify_commits(repo, *keys.keyring, o.revs, opts);
  }
  auto opts = policy_options(o.common, keys.store_ptr());
  opts.allow_first_use = o.allow_first_use;
  opts.all_commits = o.all_commits;
  opts.fail_fast = o.fail_fast;
  opts.progress = o.progress;
  return verify::verify_policy(repo, o.revs, opts);
}

Result<std::vector<TagVerdict>> verify_tags(const VerifyCommon& c, const std::vector<std::string>& tags) {
  VOUCH_LET(repo, git::Repository::open(c.repo));
  VOUCH_LET(keys, open_key_source(c.keyring, c.db));
  std::vector<TagVerdict> verdicts;
  for (const auto& name : tags) {
    auto v = keys.keyring ? verify::verify_tag(repo, *keys.keyring, name,
                                               {0, c.at, {}, verify::signature_rules(c.allow_sha1_before)})
                          : verify::verify_tag_policy(repo, name, policy_options(c, keys.store_ptr()));
    if (!v) return v.error();
    verdicts.push_back(std::move(*v));
  }
  return verdicts;
}

Result<FileVerdict> verify_file(const VerifyFileOptions& o) {
  if (o.keyring.empty()) return make_error(ErrorKind::bad_input, "verify-file: --keyring DIR is required");
  VOUCH_LET(data, util::read_file(o.file));
  VOUCH_LET(sig, util::read_file(o.signature));
  VOUCH_LET(keyring, keys::Keyring::load_directory(o.keyring));
  return verify::verify_file(keyring, o.file, data, o.signature, sig, o.ns,
                             {0, o.at, {}, verify::signature_rules(o.allow_sha1_before)});
}

}  // namespace vouch::app
