#include "app/approvals.h"

#include <memory>

#include "archive/archive_reader.h"
#include "git/notes.h"
#include "git/repository.h"
#include "git/signed_object.h"
#include "git/tree_reader.h"
#include "keys/keyring.h"
#include "policy/approval_signer.h"
#include "policy/policy_parser.h"
#include "util/clock.h"
#include "util/process.h"
#include "verify/policy_context.h"

namespace vouch::app {
namespace {

using git::kNotesRef;
constexpr const char* kSyncTmpRef = "refs/notes/vouch-sync-tmp";

// ---- revisions and the policy at them ---------------------------------------

/// What REV names: the approved object, and the commit whose policy governs it.
struct Target {
  policy::ExpectedObject object;
  std::string commit;
  std::optional<archive::ArchiveObject> archive;  ///< approve --archive: noted on the tag object
};

bool is_hex40(std::string_view s) {
  if (s.size() != 40) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

/// An annotated tag name (or a tag object's oid) is the tag object; anything
/// else peels to a commit. A tag is governed by its tagged commit's policy.
Result<Target> resolve_target(git::Repository& repo, const std::string& rev) {
  Target t;
  std::string tag_oid;
  if (auto tag = repo.tag(rev); tag && tag->annotated) {
    tag_oid = tag->tag_oid;
  } else if (is_hex40(rev)) {
    auto raw = repo.raw_object(rev);
    if (raw && raw->starts_with("object ")) tag_oid = rev;
  }
  auto commit = repo.resolve_commit(rev);
  if (!commit) return commit.error();
  t.commit = *commit;
  if (!tag_oid.empty()) {
    t.object.oid = tag_oid;
    t.object.type = "tag";
    auto raw = repo.raw_object(tag_oid);
    if (!raw) return raw.error();
    t.object.time = git::tagger_time(*raw).value_or(0);
    return t;
  }
  auto tree = git::tree_of(repo, *commit);
  if (!tree) return tree.error();
  auto raw = repo.raw_object(*commit);
  if (!raw) return raw.error();
  t.object.oid = *commit;
  t.object.type = "commit";
  t.object.tree = *tree;
  t.object.time = git::committer_time(*raw).value_or(0);
  return t;
}

/// The policy at `commit` (.vouch/policy.toml in that commit), nullopt when
/// it has none; an invalid policy is an error naming the file.
Result<std::optional<policy::Policy>> policy_at(git::Repository& repo, const std::string& commit) {
  auto text = git::read_file_at(repo, commit, policy::kPolicyPath);
  if (!text) return text.error();
  if (!*text) return std::optional<policy::Policy>{};
  auto p = policy::parse_policy(**text, commit.substr(0, 12) + ":" + policy::kPolicyPath);
  if (!p) return p.error();
  return std::optional<policy::Policy>(std::move(*p));
}

// ---- running git --------------------------------------------------------------

using GitRun = util::ProcessResult;

/// Runs `git -C DIR ARGS...` with an argument vector (never a shell).
Result<GitRun> run_git(const std::string& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"git", "-C", dir};
  argv.insert(argv.end(), args.begin(), args.end());
  return util::run_process(argv);
}

/// run_git that must succeed; the error quotes the command and git's first stderr line.
Result<GitRun> git_ok(const std::string& dir, const std::vector<std::string>& args) {
  auto r = run_git(dir, args);
  if (!r) return r.error();
  if (r->status != 0) {
    std::string cmd = "git";
    for (const auto& a : args) cmd += " " + a;
    std::string why = util::first_line(r->err);
    return make_error(ErrorKind::environment,
                      cmd + " failed: " + (why.empty() ? "exit status " + std::to_string(r->status) : why));
  }
  return r;
}

/// With a trust root (--trust-root, else git config vouch.trustRoot), the
/// approved commit must descend from it through first parents: otherwise the
/// policy that would count the approval is one its own history chose.
/// Without one, nothing is checked here (verification checks it later).
Result<void> check_descends_from_root(git::Repository& repo, const std::string& commit, const std::string& flag) {
  std::string wanted = flag;
  if (wanted.empty()) {
    auto configured = repo.config_string("vouch.trustRoot");
    if (!configured) return {};
    wanted = *configured;
  }
  auto root = repo.resolve_commit(wanted);
  if (!root) return make_error(root.error().kind, "trust root: " + root.error().message);
  if (repo.first_parent_chain(commit, *root)) return {};
  return make_error(ErrorKind::bad_input, "commit " + commit.substr(0, 12) + " does not descend from the trust root " +
                                              root->substr(0, 12) +
                                              " through first parents: no policy in force would count this approval");
}

/// `approve --archive FILE --tag TAG`: the archive's SHA-256, bound to the
/// tag object, noted on the tag object (docs/release-archives.md).
Result<Target> archive_target(git::Repository& repo, const std::string& file, const std::string& tag_name) {
  auto tag = repo.tag(tag_name);
  if (!tag) return tag.error();
  if (!tag->annotated)
    return make_error(ErrorKind::bad_input, "tag " + tag_name +
                                                " is a lightweight tag: an archive approval is noted on "
                                                "the tag object, which it does not have");
  auto commit = repo.resolve_commit(tag->tag_oid);
  if (!commit) return commit.error();
  auto sha = archive::file_sha256(file);
  if (!sha) return sha.error();
  Target t;
  t.commit = *commit;
  t.object.oid = tag->tag_oid;
  t.object.type = "tag";
  t.object.time = git::tagger_time(tag->raw).value_or(0);
  t.archive = archive::ArchiveObject{*sha, tag->tag_oid, std::nullopt};
  return t;
}

/// Deletes the temporary ref however sync ends.
class TmpRefGuard {
 public:
  explicit TmpRefGuard(std::string dir) : dir_(std::move(dir)) {}
  ~TmpRefGuard() { (void)run_git(dir_, {"update-ref", "-d", kSyncTmpRef}); }
  TmpRefGuard(const TmpRefGuard&) = delete;
  TmpRefGuard& operator=(const TmpRefGuard&) = delete;

 private:
  std::string dir_;
};

/// fetch REMOTE's notes into a temporary ref, union-merge them into ours
/// (cat_sort_uniq: each approval is one line, so the union is the set of
/// lines), push the result back.
Result<SyncResult> sync_notes(const std::string& dir, const std::string& remote) {
  if (remote.empty() || remote.front() == '-')
    return make_error(ErrorKind::bad_input,
                      "remote \"" + remote.substr(0, 80) + "\" must not be empty or start with '-'");
  if (remote.find_first_of(std::string_view("\0\n\r", 3)) != std::string::npos)
    return make_error(ErrorKind::bad_input, "remote name contains a control character");
  auto listed = git_ok(dir, {"ls-remote", remote, kNotesRef});
  if (!listed) return listed.error();
  const bool remote_has = !listed->out.empty();
  auto local = run_git(dir, {"rev-parse", "--verify", "-q", std::string(kNotesRef) + "^{commit}"});
  if (!local) return local.error();
  // Exit 1 is "no such ref"; anything else (a killed or failing git) must not
  // be taken for it, or the remote's notes would replace ours below.
  if (local->status != 0 && local->status != 1)
    return make_error(ErrorKind::environment, "git rev-parse " + std::string(kNotesRef) + " failed: exit status " +
                                                  std::to_string(local->status));
  bool local_has = local->status == 0;

  TmpRefGuard guard(dir);
  bool merged = false;
  if (remote_has) {
    auto fetched = git_ok(dir, {"fetch", "-q", remote, std::string("+") + kNotesRef + ":" + kSyncTmpRef});
    if (!fetched) return fetched.error();
    if (local_has) {
      auto m = git_ok(dir, {"notes", "--ref", kNotesRef, "merge", "-q", "-s", "cat_sort_uniq", kSyncTmpRef});
      if (!m) return m.error();
    } else {
      // Only if the ref still does not exist (an empty old value): approvals
      // written meanwhile are never overwritten.
      auto u = git_ok(dir, {"update-ref", kNotesRef, kSyncTmpRef, ""});
      if (!u) return u.error();
      local_has = true;
    }
    merged = true;
  }
  bool pushed = false;
  if (local_has) {
    auto p = git_ok(dir, {"push", "-q", remote, std::string(kNotesRef) + ":" + kNotesRef});
    if (!p) return p.error();
    pushed = true;
  }
  return SyncResult{remote, merged, pushed};
}

}  // namespace

Result<ApproveResult> approve(const ApproveOptions& a) {
  VOUCH_LET(repo, git::Repository::open(a.repo));
  if (a.archive.empty() != a.tag.empty())
    return make_error(ErrorKind::bad_input, "approve: --archive FILE and --tag TAG go together");
  if (a.archive.empty() == a.rev.empty())
    return make_error(ErrorKind::bad_input, "approve: give REV, or --archive FILE --tag TAG");
  VOUCH_LET(target, a.archive.empty() ? resolve_target(repo, a.rev) : archive_target(repo, a.archive, a.tag));
  VOUCH_TRY(check_descends_from_root(repo, target.commit, a.trust_root));
  VOUCH_LET(pol, policy_at(repo, target.commit));
  if (pol) target.object.repository = pol->repository;

  Result<policy::SigningIdentity> id = make_error(ErrorKind::internal, "unset");
  if (!a.key.empty()) {
    id = policy::resolve_signing_key(a.key);
  } else {
    auto optional_config = [&](const char* k) -> std::optional<std::string> {
      auto v = repo.config_string(k);
      if (v) return *v;
      return std::nullopt;
    };
    id = policy::default_signing_key(optional_config("user.signingkey"), optional_config("gpg.format"));
  }
  if (!id) return id.error();
  if (target.archive) target.archive->repository = target.object.repository;
  auto withdraw = a.withdraw ? policy::Withdraw::yes : policy::Withdraw::no;
  VOUCH_LET(line, target.archive ? archive::make_archive_approval_line(*target.archive, id->signing_key, id->signer,
                                                                       util::now(), a.comment, withdraw)
                                 : policy::make_approval_line(target.object, id->signing_key, id->signer, util::now(),
                                                              a.comment, withdraw));
  // An archive's approval is noted on the tag object it is bound to.
  VOUCH_TRY(git::append_note_line(repo, target.object.oid, line, kNotesRef));
  return ApproveResult{target.object, target.archive, id->signer, line, a.withdraw};
}

Result<ApprovalList> list_approvals(const ListApprovalsOptions& a, trust::TrustStore* store) {
  VOUCH_LET(repo, git::Repository::open(a.repo));
  VOUCH_LET(target, resolve_target(repo, a.rev));

  // Keys and repository id: --keyring DIR with the policy's repository id, or
  // the governing policy's keyring (its directory at the commit, then the
  // trust database), or without a policy the commit's .vouch/keys.
  std::shared_ptr<const keys::Keyring> ring;
  std::optional<policy::Policy> pol;
  if (!a.keyring.empty()) {
    VOUCH_LET(loaded, keys::Keyring::load_directory(a.keyring));
    ring = std::make_shared<const keys::Keyring>(std::move(loaded));
    VOUCH_LET(p, policy_at(repo, target.commit));
    pol = std::move(p);
  } else {
    verify::PolicyCache cache(repo, store);
    VOUCH_LET(gp, cache.at(target.commit));
    if (gp) {
      ring = gp->keyring;
      pol = gp->policy;
    } else {
      VOUCH_LET(tr, verify::tree_keyring(repo, target.commit, ".vouch/keys"));
      ring = tr;
    }
  }
  if (pol) target.object.repository = pol->repository;

  VOUCH_LET(note, git::read_note(repo, target.object.oid, kNotesRef));
  auto statuses = policy::check_note(note.value_or(""), target.object, *ring, util::now());
  // On a tag object, archive approvals sit beside the tag's own: each is
  // checked as an approval of the archive it names (or of --archive FILE).
  std::optional<std::string> archive_sha;
  if (!a.archive.empty()) {
    VOUCH_LET(sha, archive::file_sha256(a.archive));
    archive_sha = sha;
  }
  if (target.object.type == "tag") {
    for (auto& s : statuses) {
      if (!s.approval || s.approval->type != "archive") continue;
      archive::ArchiveObject expected{archive_sha.value_or(s.approval->object), target.object.oid,
                                      target.object.repository};
      s = archive::check_archive_line(s.line, expected, *ring, util::now());
    }
  }
  ApprovalList list{target.object, {}};
  for (auto& s : statuses) {
    std::optional<std::string> person;
    if (pol && !s.key.id.empty()) person = pol->person_of(s.key);
    list.approvals.push_back({std::move(s), std::move(person)});
  }
  return list;
}

Result<SyncResult> sync_approvals(const std::string& repo_path, const std::string& remote) {
  VOUCH_LET(repo, git::Repository::open(repo_path));
  return sync_notes(repo.path(), remote);
}

}  // namespace vouch::app
