#include "verify/keyring_verifier.h"

#include <atomic>
#include <ctime>
#include <thread>

#include "git/signed_object.h"
#include "signature/signature_check.h"
#include "util/clock.h"

namespace vouch {

size_t VerifyReport::passed() const {
  size_t n = 0;
  for (const auto& c : commits) n += c.pass ? 1 : 0;
  return n;
}

namespace verify {
namespace {

int64_t now_or(const VerifyOptions& opts) {
  return opts.now != 0 ? opts.now : util::now();
}


/// Tagger time from a raw tag object ("tagger NAME <EMAIL> TIME TZ").
std::optional<int64_t> tagger_time(std::string_view raw) {
  size_t pos = 0;
  while (pos < raw.size()) {
    auto end = raw.find('\n', pos);
    if (end == std::string_view::npos || end == pos) break;
    auto line = raw.substr(pos, end - pos);
    if (line.starts_with("tagger ")) {
      auto gt = line.rfind('>');
      if (gt == std::string_view::npos) return std::nullopt;
      auto rest = line.substr(gt + 1);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      int64_t t = 0;
      size_t i = 0;
      for (; i < rest.size() && rest[i] >= '0' && rest[i] <= '9' && i < 18; ++i) t = t * 10 + (rest[i] - '0');
      if (i == 0) return std::nullopt;
      return t;
    }
    pos = end + 1;
  }
  return std::nullopt;
}

std::string tag_name_of(std::string_view raw) {
  size_t pos = 0;
  while (pos < raw.size()) {
    auto end = raw.find('\n', pos);
    if (end == std::string_view::npos || end == pos) break;
    auto line = raw.substr(pos, end - pos);
    if (line.starts_with("tag ")) return std::string(line.substr(4));
    pos = end + 1;
  }
  return "";
}

struct CommitWork {
  std::string signature;
  std::string payload;
  int64_t committer_time = 0;
  std::vector<std::string> mergetags;
  bool only_sha256 = false;  ///< signed only in gpgsig-sha256: unsigned here
};

SignatureResult check_tag_object(const keys::Keyring& keyring, std::string_view raw, int64_t now,
                                 const SignatureRules& rules) {
  auto split = git::split_tag_signature(raw);
  if (!split.present) {
    SignatureResult r;
    r.status = SigStatus::missing;
    r.reason = "tag is not signed";
    return r;
  }
  signature::SignatureContext ctx;
  ctx.ssh_namespace = "git";
  ctx.ssh_time = tagger_time(raw).value_or(0);
  ctx.now = now;
  ctx.rules = rules;
  return signature::check_signature(keyring, split.signature, split.payload, ctx);
}

std::string short_oid(const std::string& oid) { return oid.substr(0, 12); }

}  // namespace

Result<VerifyReport> verify_commits(git::Repository& repo, const keys::Keyring& keyring,
                                    const std::vector<std::string>& ranges, const VerifyOptions& opts) {
  GitObjects objects(repo);
  return verify_commits(objects, keyring, ranges, opts);
}

Result<TagVerdict> verify_tag(git::Repository& repo, const keys::Keyring& keyring, const std::string& name,
                              const VerifyOptions& opts) {
  GitObjects objects(repo);
  return verify_tag(objects, keyring, name, opts);
}

Result<VerifyReport> verify_commits(ObjectSource& repo, const keys::Keyring& keyring,
                                    const std::vector<std::string>& ranges, const VerifyOptions& opts) {
  VerifyReport report;
  report.repository = repo.path();
  report.ranges = ranges.empty() ? std::vector<std::string>{"HEAD"} : ranges;
  report.warnings = keyring.warnings();
  auto oids = repo.list_commits(report.ranges);
  if (!oids) return oids.error();
  const int64_t now = now_or(opts);
  if (auto tip = repo.resolve_commit(report.ranges.back().substr(report.ranges.back().find("..") == std::string::npos
                                                                     ? 0
                                                                     : report.ranges.back().find("..") + 2));
      tip)
    report.tip = *tip;

  // Reading objects is cheap and libgit2 handles are not shared across
  // threads: extract every payload first, then verify in parallel.
  std::vector<CommitWork> work(oids->size());
  report.commits.resize(oids->size());
  for (size_t i = 0; i < oids->size(); ++i) {
    const std::string& oid = (*oids)[i];
    auto raw = repo.raw_object(oid);
    if (!raw) return raw.error();
    CommitVerdict& c = report.commits[i];
    c.oid = oid;
    c.summary = git::message_summary(*raw);
    auto split = git::split_commit_signature(*raw);
    if (!split) {
      c.signature.status = SigStatus::malformed;
      c.signature.reason = split.error().message;
      continue;
    }
    if (split->present) {
      work[i].signature = std::move(split->signature);
      work[i].payload = std::move(split->payload);
    }
    work[i].only_sha256 = split->only_sha256_signature;
    work[i].committer_time = git::committer_time(*raw).value_or(0);
    work[i].mergetags = git::mergetags(*raw);
  }

  unsigned jobs = opts.jobs != 0 ? opts.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, static_cast<unsigned>(std::max<size_t>(1, work.size() / 64)));
  std::atomic<size_t> next{0};
  auto worker = [&, main_thread = std::this_thread::get_id()] {
    for (size_t i = next++; i < work.size(); i = next++) {
      if (opts.progress && (i & 255) == 0 && std::this_thread::get_id() == main_thread) opts.progress(i, work.size());
      CommitVerdict& c = report.commits[i];
      if (c.signature.status == SigStatus::malformed) continue;  // split failed above
      signature::SignatureContext ctx;
      ctx.ssh_namespace = "git";
      ctx.ssh_time = work[i].committer_time;
      ctx.now = now;
      ctx.rules = opts.rules;
      c.signature = signature::check_signature(keyring, work[i].signature, work[i].payload, ctx);
      if (work[i].only_sha256)
        c.signature.reason = "not signed (its only signature is a gpgsig-sha256 header, which git ignores in a "
                             "SHA-1 repository)";
      for (const auto& tag_raw : work[i].mergetags)
        c.mergetags.push_back({tag_name_of(tag_raw), check_tag_object(keyring, tag_raw, now, opts.rules)});
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (opts.progress) opts.progress(work.size(), work.size());

  for (auto& c : report.commits) {
    c.pass = c.signature.status == SigStatus::good;
    if (!c.pass) {
      c.errors.push_back("commit " + short_oid(c.oid) + ": " + signature::signature_failure(c.signature));
    }
  }
  return report;
}

Result<TagVerdict> verify_tag(ObjectSource& repo, const keys::Keyring& keyring, const std::string& name,
                              const VerifyOptions& opts) {
  auto tag = repo.tag(name);
  if (!tag) return tag.error();
  TagVerdict v;
  v.name = name;
  v.ref = tag->ref;
  v.tag_oid = tag->tag_oid;
  v.target = tag->target_oid;
  v.annotated = tag->annotated;
  if (!tag->annotated) {
    v.signature.status = SigStatus::missing;
    v.signature.reason = "lightweight tag: there is no tag object to sign";
  } else {
    v.signature = check_tag_object(keyring, tag->raw, now_or(opts), opts.rules);
  }
  if (v.signature.status != SigStatus::good)
    v.errors.push_back("tag " + name + ": " + signature::signature_failure(v.signature));
  if (auto mismatch = git::tag_name_mismatch(*tag)) v.errors.push_back("tag " + name + ": " + *mismatch);
  v.pass = v.errors.empty();
  return v;
}

FileVerdict verify_file(const keys::Keyring& keyring, const std::string& file, std::string_view data,
                        const std::string& signature_file, std::string_view signature,
                        const std::string& ssh_namespace, const VerifyOptions& opts) {
  FileVerdict v;
  v.file = file;
  v.signature_file = signature_file;
  v.ssh_namespace = ssh_namespace;
  signature::SignatureContext ctx;
  ctx.ssh_namespace = ssh_namespace;
  ctx.now = now_or(opts);
  ctx.ssh_time = ctx.now;  // SSHSIG carries no time: judge the key as of now
  ctx.rules = opts.rules;
  v.signature = signature::check_signature(keyring, signature, data, ctx);
  v.pass = v.signature.status == SigStatus::good;
  return v;
}

}  // namespace verify
}  // namespace vouch
