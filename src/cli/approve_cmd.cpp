#include "cli/approve_cmd.h"

#include <memory>
#include <optional>
#include <sstream>

#include "archive/archive_approvals.h"
#include "archive/archive_reader.h"
#include "git/notes.h"
#include "git/repository.h"
#include "git/signed_object.h"
#include "git/tree_reader.h"
#include "keys/keyring.h"
#include "policy/approval_check.h"
#include "policy/approval_signer.h"
#include "policy/policy_parser.h"
#include "trust/db_keyring.h"
#include "util/clock.h"
#include "util/process.h"
#include "verify/policy_context.h"

namespace vouch::cli {
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

// ---- the commands -------------------------------------------------------------

struct ApproveArgs {
  std::string rev, key, comment, archive, tag, trust_root;
  bool has_comment = false;
  bool withdraw = false;
};

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
    return make_error(ErrorKind::bad_input, "tag " + tag_name + " is a lightweight tag: an archive approval is noted on "
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

int run_approve(const GlobalOptions& g, const ApproveArgs& a) {
  auto repo = git::Repository::open(g.repo);
  if (!repo) return fail(g, repo.error());
  if (a.archive.empty() != a.tag.empty())
    return fail(g, make_error(ErrorKind::bad_input, "approve: --archive FILE and --tag TAG go together"));
  if (a.archive.empty() == a.rev.empty())
    return fail(g, make_error(ErrorKind::bad_input, "approve: give REV, or --archive FILE --tag TAG"));
  auto target = a.archive.empty() ? resolve_target(*repo, a.rev) : archive_target(*repo, a.archive, a.tag);
  if (!target) return fail(g, target.error());
  if (auto rooted = check_descends_from_root(*repo, target->commit, a.trust_root); !rooted)
    return fail(g, rooted.error());
  auto pol = policy_at(*repo, target->commit);
  if (!pol) return fail(g, pol.error());
  if (*pol) target->object.repository = (*pol)->repository;

  Result<policy::SigningIdentity> id = make_error(ErrorKind::internal, "unset");
  if (!a.key.empty()) {
    id = policy::resolve_signing_key(a.key);
  } else {
    auto optional_config = [&](const char* k) -> std::optional<std::string> {
      auto v = repo->config_string(k);
      if (v) return *v;
      return std::nullopt;
    };
    id = policy::default_signing_key(optional_config("user.signingkey"), optional_config("gpg.format"));
  }
  if (!id) return fail(g, id.error());
  std::optional<std::string> comment;
  if (a.has_comment) comment = a.comment;
  if (target->archive) target->archive->repository = target->object.repository;
  auto withdraw = a.withdraw ? policy::Withdraw::yes : policy::Withdraw::no;
  auto line = target->archive ? archive::make_archive_approval_line(*target->archive, id->signing_key, id->signer,
                                                                    util::now(), comment, withdraw)
                              : policy::make_approval_line(target->object, id->signing_key, id->signer, util::now(),
                                                           comment, withdraw);
  if (!line) return fail(g, line.error());
  // An archive's approval is noted on the tag object it is bound to.
  if (auto ok = git::append_note_line(*repo, target->object.oid, *line, kNotesRef); !ok) return fail(g, ok.error());

  std::string verb = a.withdraw ? "withdrew the approval of " : "approved ";
  std::string text = target->archive ? verb + "archive " + a.archive + " (sha256 " +
                                           target->archive->sha256.substr(0, 16) + ") for tag " + a.tag + " as " +
                                           id->signer.str() + "\n"
                                     : verb + target->object.oid.substr(0, 12) + " as " + id->signer.str() + "\n";
  nlohmann::json j = {{"schema", 1},          {"object", target->object.oid}, {"type", target->object.type},
                      {"signer", id->signer.str()}, {"line", *line}, {"withdrawn", a.withdraw}};
  if (target->archive) {
    j["object"] = target->archive->sha256;
    j["type"] = "archive";
    j["tag"] = target->archive->tag_oid;
  }
  if (g.quiet && !g.json()) return kOk;
  emit(g, text, j);
  return kOk;
}

struct ListArgs {
  std::string rev, keyring, archive;
};

int run_list(const GlobalOptions& g, const ListArgs& a) {
  auto repo = git::Repository::open(g.repo);
  if (!repo) return fail(g, repo.error());
  auto target = resolve_target(*repo, a.rev);
  if (!target) return fail(g, target.error());

  // Keys and repository id: --keyring DIR with the policy's repository id, or
  // the governing policy's keyring (its directory at the commit, then the
  // trust database), or without a policy the commit's .vouch/keys.
  std::optional<trust::TrustStore> store;
  std::shared_ptr<const keys::Keyring> ring;
  std::optional<policy::Policy> pol;
  if (!a.keyring.empty()) {
    auto loaded = keys::Keyring::load_directory(a.keyring);
    if (!loaded) return fail(g, loaded.error());
    ring = std::make_shared<const keys::Keyring>(std::move(*loaded));
    auto p = policy_at(*repo, target->commit);
    if (!p) return fail(g, p.error());
    pol = std::move(*p);
  } else {
    auto opened = open_optional_store(g);
    if (!opened) return fail(g, opened.error());
    store = std::move(*opened);
    verify::PolicyCache cache(*repo, store ? &*store : nullptr);
    auto gp = cache.at(target->commit);
    if (!gp) return fail(g, gp.error());
    if (*gp) {
      ring = (*gp)->keyring;
      pol = (*gp)->policy;
    } else {
      auto tr = verify::tree_keyring(*repo, target->commit, ".vouch/keys");
      if (!tr) return fail(g, tr.error());
      ring = *tr;
    }
  }
  if (pol) target->object.repository = pol->repository;

  auto note = git::read_note(*repo, target->object.oid, kNotesRef);
  if (!note) return fail(g, note.error());
  auto statuses = policy::check_note(note->value_or(""), target->object, *ring, util::now());
  // On a tag object, archive approvals sit beside the tag's own: each is
  // checked as an approval of the archive it names (or of --archive FILE).
  std::optional<std::string> archive_sha;
  if (!a.archive.empty()) {
    auto sha = archive::file_sha256(a.archive);
    if (!sha) return fail(g, sha.error());
    archive_sha = *sha;
  }
  if (target->object.type == "tag") {
    for (auto& s : statuses) {
      if (!s.approval || s.approval->type != "archive") continue;
      archive::ArchiveObject expected{archive_sha.value_or(s.approval->object), target->object.oid,
                                      target->object.repository};
      s = archive::check_archive_line(s.line, expected, *ring, util::now());
    }
  }

  std::ostringstream text;
  nlohmann::json list = nlohmann::json::array();
  for (const policy::ApprovalStatus& s : statuses) {
    std::string key = s.key.id.empty() ? "-" : s.key.str();
    std::optional<std::string> person;
    if (pol && !s.key.id.empty()) person = pol->person_of(s.key);
    text << s.status << " " << key;
    if (person) text << " (" << *person << ")";
    if (s.approval && s.approval->type == "archive") text << " archive sha256 " << s.approval->object.substr(0, 16);
    if (!s.reason.empty()) text << ": " << s.reason;
    else if (s.approval && s.approval->comment) text << "  # " << *s.approval->comment;
    text << "\n";
    nlohmann::json e = {{"status", s.status}, {"counts", s.counts}, {"reason", s.reason}, {"line", s.line}};
    e["key"] = s.key.id.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.key.str());
    e["person"] = person ? nlohmann::json(*person) : nlohmann::json(nullptr);
    if (s.approval) {
      e["type"] = s.approval->type;
      if (s.approval->type == "archive") e["archive_sha256"] = s.approval->object;
      e["created"] = s.approval->created;
      e["comment"] = s.approval->comment ? nlohmann::json(*s.approval->comment) : nlohmann::json(nullptr);
    }
    list.push_back(std::move(e));
  }
  if (statuses.empty()) text << "no approvals of " << target->object.type << " " << target->object.oid.substr(0, 12) << "\n";
  nlohmann::json j = {{"schema", 1}, {"object", target->object.oid}, {"type", target->object.type}, {"approvals", list}};
  j["tree"] = target->object.tree ? nlohmann::json(*target->object.tree) : nlohmann::json(nullptr);
  j["repository"] = target->object.repository ? nlohmann::json(*target->object.repository) : nlohmann::json(nullptr);
  emit(g, text.str(), j);
  return kOk;
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
Result<nlohmann::json> sync_notes(const std::string& dir, const std::string& remote) {
  if (remote.empty() || remote.front() == '-')
    return make_error(ErrorKind::bad_input, "remote \"" + remote.substr(0, 80) + "\" must not be empty or start with '-'");
  if (remote.find_first_of(std::string_view("\0\n\r", 3)) != std::string::npos)
    return make_error(ErrorKind::bad_input, "remote name contains a control character");
  auto listed = git_ok(dir, {"ls-remote", remote, kNotesRef});
  if (!listed) return listed.error();
  const bool remote_has = !listed->out.empty();
  auto local = run_git(dir, {"rev-parse", "--verify", "-q", std::string(kNotesRef) + "^{commit}"});
  if (!local) return local.error();
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
      auto u = git_ok(dir, {"update-ref", kNotesRef, kSyncTmpRef});
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
  return nlohmann::json{{"schema", 1}, {"remote", remote}, {"fetched", merged}, {"pushed", pushed}};
}

int run_sync(const GlobalOptions& g, const std::string& remote) {
  auto repo = git::Repository::open(g.repo);
  if (!repo) return fail(g, repo.error());
  auto j = sync_notes(repo->path(), remote);
  if (!j) return fail(g, j.error());
  std::string text;
  if (!(*j)["fetched"].get<bool>() && !(*j)["pushed"].get<bool>()) text = "no approvals here or on " + remote + "\n";
  else text = "approvals synced with " + remote + "\n";
  if (g.quiet && !g.json()) return kOk;
  emit(g, text, *j);
  return kOk;
}

}  // namespace

void add_approval_commands(CLI::App& app, GlobalOptions& global, int& exit_code) {
  auto approve_args = std::make_shared<ApproveArgs>();
  CLI::App* approve = app.add_subcommand("approve", "sign an approval of a commit or tag (stored in refs/notes/vouch)");
  approve->add_option("REV", approve_args->rev, "the commit, or an annotated tag (approves the tag object)");
  approve->add_option("--archive", approve_args->archive,
                      "approve this release archive (its SHA-256) for --tag, noted on the tag object")
      ->type_name("FILE");
  approve->add_option("--tag", approve_args->tag, "with --archive: the release tag the archive was checked against")
      ->type_name("TAG");
  approve->add_option("--key", approve_args->key,
                      "signing key: SSH key file (or the .pub of an agent key) or OpenPGP fingerprint "
                      "(default: git's user.signingkey and gpg.format)")
      ->type_name("KEY");
  approve->add_option("--comment", approve_args->comment, "one line stored in the approval")->type_name("TEXT");
  approve->add_flag("--withdraw", approve_args->withdraw,
                    "sign a retraction instead: your earlier approvals of REV (or of the archive) stop counting");
  approve->add_option("--trust-root", approve_args->trust_root,
                      "refuse unless REV descends from this commit (default: git config vouch.trustRoot)")
      ->type_name("REV");
  approve->footer("Examples:\n  vouch approve HEAD --key ~/.ssh/id_ed25519 --comment \"reviewed m4 changes\"\n"
                  "  vouch approve --archive xz-5.6.1.tar.gz --tag v5.6.1 --comment \"reviewed the 7 unknown files\"\n"
                  "  vouch approve HEAD --withdraw --comment \"found a problem after all\"\n"
                  "  git push origin refs/notes/vouch   # or: vouch approvals sync");
  approve->callback([approve, approve_args, &global, &exit_code] {
    approve_args->has_comment = approve->count("--comment") > 0;
    exit_code = run_approve(global, *approve_args);
  });

  auto list_args = std::make_shared<ListArgs>();
  CLI::App* approvals = app.add_subcommand("approvals", "list approvals of REV with their status; `sync` shares them");
  approvals->add_option("REV", list_args->rev, "the commit or annotated tag");
  approvals->add_option("--keyring", list_args->keyring,
                        "keys to check the signatures with (default: the policy's keyring at REV and the trust "
                        "database)")
      ->type_name("DIR");
  approvals->add_option("--archive", list_args->archive,
                        "REV is a tag: check its archive approvals against this file's SHA-256")
      ->type_name("FILE");
  approvals->footer("Examples:\n  vouch approvals HEAD\n  vouch approvals sync origin");
  auto remote = std::make_shared<std::string>("origin");
  CLI::App* sync = approvals->add_subcommand("sync", "fetch REMOTE's refs/notes/vouch, merge (union), push back");
  sync->add_option("REMOTE", *remote, "the remote (default: origin)");
  sync->footer("Example:\n  vouch approvals sync origin");
  sync->callback([remote, &global, &exit_code] { exit_code = run_sync(global, *remote); });
  approvals->callback([sync, list_args, &global, &exit_code] {
    if (sync->parsed()) return;
    if (list_args->rev.empty()) {
      exit_code = fail(global, make_error(ErrorKind::bad_input, "approvals: REV is required (or `approvals sync`)"));
      return;
    }
    exit_code = run_list(global, *list_args);
  });
}

}  // namespace vouch::cli
