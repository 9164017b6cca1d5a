#include "hooks/hook_runner.h"

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "git/notes.h"
#include "git/tree_reader.h"
#include "hooks/proposed_repo.h"
#include "policy/approval.h"
#include "statement/statement.h"
#include "util/clock.h"
#include "verify/policy_context.h"
#include "verify/policy_verifier.h"
#include "verify/rule_evaluator.h"

namespace vouch::hooks {
namespace {

std::string short_oid(std::string_view oid) { return std::string(oid.substr(0, 12)); }

bool is_oid(std::string_view s) {
  if (s.size() != 40) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

/// Splits on single spaces; git writes exactly one between fields.
std::vector<std::string> fields_of(std::string_view line) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= line.size()) {
    size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    out.emplace_back(line.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

Result<RefUpdate> make_update(const std::string& where, const std::string& ref, const std::string& old_oid,
                              const std::string& new_oid) {
  for (const auto* oid : {&old_oid, &new_oid}) {
    if (!is_oid(*oid)) return make_error(ErrorKind::bad_input, where + "invalid object id '" + *oid + "'");
  }
  if (!valid_ref_name(ref)) return make_error(ErrorKind::bad_input, where + "invalid ref name '" + ref + "'");
  return RefUpdate{old_oid, new_oid, ref};
}

/// Calls `each(fields, "line N: ")` for every non-empty line of `text`, which must have `nfields` fields.
template <class F>
Result<std::vector<RefUpdate>> parse_lines(std::string_view text, size_t nfields, const std::string& expected, F each) {
  std::vector<RefUpdate> out;
  size_t pos = 0;
  int number = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    std::string where = "line " + std::to_string(number) + ": ";
    auto f = fields_of(line);
    if (f.size() != nfields) return make_error(ErrorKind::bad_input, where + "expected '" + expected + "'");
    auto u = each(f, where);
    if (!u) return u.error();
    out.push_back(std::move(*u));
  }
  return out;
}

struct Protection {
  std::string pattern;
  std::string source;
  std::string text() const { return "(protected by \"" + pattern + "\" in " + source + ")"; }
};

/// The refs the receiving side has before the push, as the server sees them,
/// and its HEAD commit (empty when unborn or unknown).
struct ServerView {
  std::map<std::string, std::string> refs;  ///< refs/heads/..., refs/tags/..., ... -> oid
  std::string head;
};

class Checker {
 public:
  Checker(git::Repository& base, git::Repository& repo, const HookOptions& opts, int64_t now, ServerView server)
      : base_(base), repo_(repo), opts_(opts), now_(now), server_(std::move(server)), policies_(repo, opts.store) {}

  /// Resolves the trust root (it may arrive in this very push, so it is
  /// looked up in the proposed state), the policy in force and the commits
  /// the server already has through verified refs.
  void prepare() {
    std::string wanted = opts_.trust_root;
    if (wanted.empty()) {
      auto configured = base_.config_string("vouch.trustRoot");
      if (configured) wanted = *configured;
      else if (configured.error().kind != ErrorKind::not_found) root_problem_ = configured.error().message;
    }
    if (wanted.empty() && root_problem_.empty()) {
      root_problem_ = verify::no_trust_root_message("this repository") +
                      "; on the server: git config vouch.trustRoot OID, or vouch hook install --trust-root REV";
    } else if (!wanted.empty()) {
      auto root = repo_.resolve_commit(wanted);
      if (root) trust_root_ = *root;
      else root_problem_ = "vouch.trustRoot " + wanted + ": " + root.error().message;
    }
    in_force_ = policy_in_force();
    if (!in_force_.empty()) {
      auto gp = policies_.at(in_force_);
      if (gp && *gp) in_force_policy_ = *gp;
    }
    for (const auto& [name, oid] : server_.refs) {
      // Only verified branches and tags make a commit known (threat 28).
      if (!name.starts_with("refs/heads/") && !name.starts_with("refs/tags/")) continue;
      if (unchecked(name)) continue;
      auto c = repo_.resolve_commit(oid);  // tags peel; trees and blobs are skipped
      if (c && known_set_.insert(*c).second) known_tips_.push_back(*c);
    }
  }

  void check(const RefUpdate& u, HookOutcome& out) {
    auto problem = [&](const std::string& what) { out.problems.push_back(u.ref + ": " + what); };
    auto prot = protection_of(u);
    if (!prot) return problem(prot.error().message);
    if (!u.is_create() && *prot) {
      if (u.is_delete()) return problem("deleting a protected ref is refused " + (*prot)->text());
      if (u.ref.starts_with("refs/tags/") && u.old_oid != u.new_oid)
        return problem("moving a protected tag is refused " + (*prot)->text());
      if (!first_parent_descendant(u.old_oid, u.new_oid))
        return problem("non-fast-forward update of a protected ref is refused: " + short_oid(u.old_oid) +
                       " is not on the first-parent chain of " + short_oid(u.new_oid) + " " + (*prot)->text());
    }
    if (u.is_delete()) return;
    // Approvals are always checked: an unchecked notes ref would make
    // back-dated approvals "known" before the push that uses them.
    if (u.ref == git::kNotesRef) return check_approvals_push(u, problem, out);
    if (!*prot && unchecked(u.ref)) {
      out.notes.push_back(u.ref + ": accepted without verification ([refs] unchecked); it never makes a commit known");
      return;
    }
    if (u.ref.starts_with("refs/tags/")) return check_tag(u, problem);
    if (u.ref.starts_with("refs/heads/")) return check_commits(u, problem);
    problem("only refs/heads/*, refs/tags/* and " + std::string(git::kNotesRef) +
            " are accepted; add a pattern for it to [refs] unchecked in the policy to allow it without verification");
  }

 private:
  /// The commit whose policy is in force now: the tip of the first branch the
  /// server has that the policy at its HEAD protects (in [refs] protected
  /// order), else HEAD, else the trust root; "" when there is none.
  std::string policy_in_force() {
    std::string start = server_.head.empty() ? trust_root_ : server_.head;
    if (start.empty()) return "";
    auto gp = policies_.at(start);
    if (!gp || !*gp) return start;
    for (const auto& pattern : (*gp)->policy.protected_refs) {
      for (const auto& [name, oid] : server_.refs) {
        if (!name.starts_with("refs/heads/") || !verify::ref_matches(pattern, name)) continue;
        auto c = repo_.resolve_commit(oid);
        if (!c) continue;
        auto there = policies_.at(*c);
        if (there && *there) return *c;
      }
    }
    return start;
  }

  bool unchecked(const std::string& ref) const {
    if (!in_force_policy_) return false;
    for (const auto& pattern : in_force_policy_->policy.unchecked_refs)
      if (verify::ref_matches(pattern, ref)) return true;
    return false;
  }

  int64_t max_skew() const { return in_force_policy_ ? in_force_policy_->policy.max_clock_skew : 86400; }

  /// The first `[refs] protected` pattern matching the ref, from the policy
  /// at the old tip, then the policy in force: never what the push proposes.
  Result<std::optional<Protection>> protection_of(const RefUpdate& u) {
    std::vector<std::string> commits;
    if (!u.is_create()) {
      if (auto c = repo_.resolve_commit(u.old_oid)) commits.push_back(*c);
    }
    if (!in_force_.empty()) commits.push_back(in_force_);
    for (const auto& c : commits) {
      auto gp = policies_.at(c);
      if (!gp) return make_error(gp.error().kind, "cannot read the protected refs: " + gp.error().message);
      if (!*gp) continue;
      for (const auto& pattern : (*gp)->policy.protected_refs) {
        if (verify::ref_matches(pattern, u.ref)) return std::optional<Protection>(Protection{pattern, (*gp)->source});
      }
    }
    return std::optional<Protection>();
  }

  /// Whether `old_oid` is on the first-parent chain of `new_oid` (or equal):
  /// a merge that brings the old tip in only as a second parent rewrites the
  /// governed line. False when either is not a commit here.
  bool first_parent_descendant(const std::string& old_oid, const std::string& new_oid) {
    auto o = repo_.resolve_commit(old_oid);
    auto n = repo_.resolve_commit(new_oid);
    return o && n && repo_.first_parent_chain(*n, *o).ok();
  }

  /// Hook-mode freshness for what descends from `tip`: commits reachable
  /// from no verified ref of the server, and approvals not yet in its notes.
  Result<verify::Freshness> freshness_for(const std::string& tip) {
    std::vector<std::string> specs = {tip};
    for (const auto& t : known_tips_) specs.push_back("^" + t);
    auto list = repo_.list_commits(specs);
    if (!list) return list.error();
    auto fresh = std::make_shared<std::set<std::string>>(list->begin(), list->end());
    verify::Freshness f;
    f.is_new_commit = [fresh](const std::string& c) { return fresh->contains(c); };
    f.is_new_approval = [this](const std::string& object, std::string_view line) {
      auto it = server_notes_.find(object);
      if (it == server_notes_.end()) {
        auto note = git::read_note(base_, object);
        it = server_notes_.emplace(object, note && *note ? **note : std::string()).first;
      }
      return !has_line(it->second, line);
    };
    return f;
  }

  verify::PolicyVerifyOptions verify_options() const {
    verify::PolicyVerifyOptions vo;
    vo.trust_root = trust_root_;
    vo.now = now_;
    vo.store = opts_.store;
    return vo;
  }

  template <class P>
  void check_tag(const RefUpdate& u, P& problem) {
    if (!root_problem_.empty()) return problem(root_problem_);
    auto target = repo_.resolve_commit(u.new_oid);
    if (!target) return problem(target.error().message);
    auto vo = verify_options();
    auto fresh = freshness_for(*target);
    if (!fresh) return problem(fresh.error().message);
    vo.freshness = std::move(*fresh);
    vo.policy_in_force = in_force_;
    auto v = verify::verify_tag_policy(repo_, u.ref.substr(std::string_view("refs/tags/").size()), vo);
    if (!v) return problem(v.error().message);
    for (const auto& e : v->errors) problem(e);
    if (!v->pass && !v->tag_oid.empty()) local_only_approvals("tag " + v->name, v->tag_oid, problem);
  }

  template <class P>
  void check_commits(const RefUpdate& u, P& problem) {
    if (!root_problem_.empty()) return problem(root_problem_);
    auto tip = repo_.resolve_commit(u.new_oid);
    if (!tip) return problem(tip.error().message);
    // old..new only when old is a verified tip the server has and lies on
    // new's first-parent chain; anything else is verified from the trust root.
    std::string range = *tip;
    if (!u.is_create()) {
      auto base = repo_.resolve_commit(u.old_oid);
      if (base && known_set_.contains(*base) && repo_.first_parent_chain(*tip, *base)) range = *base + ".." + *tip;
    }
    auto vo = verify_options();
    auto fresh = freshness_for(*tip);
    if (!fresh) return problem(fresh.error().message);
    vo.freshness = std::move(*fresh);
    auto report = verify::verify_policy(repo_, {range}, vo);
    if (!report) return problem(report.error().message);
    for (const auto& c : report->commits) {
      for (const auto& e : c.errors) problem(e);
      if (!c.pass) local_only_approvals("commit " + short_oid(c.oid), c.oid, problem);
    }
  }

  /// pre-push: approvals of `object` that this clone has and the remote will
  /// not (the push does not send refs/notes/vouch) count there for nothing.
  template <class P>
  void local_only_approvals(const std::string& what, const std::string& object, P& problem) {
    if (opts_.remote.empty()) return;
    auto here = git::read_note(base_, object);
    auto there = git::read_note(repo_, object);
    if (!here || !*here || !there) return;
    size_t missing = 0;
    for_each_line(**here, [&](std::string_view line) {
      if (line.starts_with("vouch-approval v1 ") && !has_line(there->value_or(""), line)) ++missing;
    });
    if (missing == 0) return;
    problem(what + ": " + std::to_string(missing) + " approval(s) in this clone are not on " + opts_.remote +
            ", where they are checked; share them: vouch approvals sync " + opts_.remote + " (or git push " +
            opts_.remote + " " + git::kNotesRef + ")");
  }

  /// A push to refs/notes/vouch: every line it adds must be a well-formed
  /// approval created within max_clock_skew of now (whether it counts is
  /// decided when it is used).
  template <class P>
  void check_approvals_push(const RefUpdate& u, P& problem, HookOutcome& out) {
    auto after = git::list_notes(repo_, u.new_oid);
    if (!after) return problem(after.error().message);
    std::map<std::string, std::string> before;
    if (!u.is_create()) {
      auto listed = git::list_notes(repo_, u.old_oid);
      if (!listed) return problem(listed.error().message);
      before = std::move(*listed);
    }
    size_t added = 0;
    for (const auto& entry : *after) {
      // Named, not a structured binding: clang 14 cannot capture one in a lambda.
      const auto& object = entry.first;
      const auto& blob = entry.second;
      auto old = before.find(object);
      if (old != before.end() && old->second == blob) continue;
      auto text = git::read_blob(repo_, blob);
      if (!text) return problem(text.error().message);
      std::string old_text;
      if (old != before.end()) {
        auto t = git::read_blob(repo_, old->second);
        if (!t) return problem(t.error().message);
        old_text = std::move(*t);
      }
      for_each_line(*text, [&](std::string_view line) {
        if (has_line(old_text, line)) return;
        ++added;
        std::string where = "approval of " + short_oid(object) + ": ";
        auto st = statement::parse_transport_line(line);
        if (!line.starts_with("vouch-approval v1 ") || !st)
          return problem(where + "not a well-formed vouch-approval v1 line");
        auto a = policy::parse_approval(st->text);
        if (!a) return problem(where + a.error().message);
        if (std::llabs(a->created - now_) > max_skew())
          problem(where + "created at " + std::to_string(a->created) + " by " + a->signer.str() +
                  ", more than max_clock_skew (" + std::to_string(max_skew()) + " s) away from now");
      });
    }
    out.notes.push_back(u.ref + ": " + std::to_string(added) + " new approval line(s) checked for form and time; "
                        "each counts only where it is used");
  }

  template <class F>
  static void for_each_line(std::string_view text, F each) {
    size_t start = 0;
    while (start < text.size()) {
      size_t lf = text.find('\n', start);
      size_t end = lf == std::string_view::npos ? text.size() : lf;
      if (end > start) each(text.substr(start, end - start));
      start = end + 1;
    }
  }

  static bool has_line(std::string_view text, std::string_view line) {
    bool found = false;
    for_each_line(text, [&](std::string_view l) { found = found || l == line; });
    return found;
  }

  git::Repository& base_;  ///< the receiving repository before the push (its notes, its config)
  git::Repository& repo_;  ///< the proposed state
  const HookOptions& opts_;
  int64_t now_;
  ServerView server_;
  verify::PolicyCache policies_;
  std::string trust_root_;
  std::string root_problem_;  ///< why branch and tag updates cannot be verified, if so
  std::string in_force_;
  std::shared_ptr<const verify::GoverningPolicy> in_force_policy_;
  std::vector<std::string> known_tips_;  ///< commits (peeled) of the verified refs the server has
  std::set<std::string> known_set_;
  std::map<std::string, std::string> server_notes_;  ///< object -> note text the server has
};

}  // namespace

Result<std::vector<RefUpdate>> parse_receive_lines(std::string_view text) {
  return parse_lines(text, 3, "OLD NEW REF", [](const std::vector<std::string>& f, const std::string& where) {
    return make_update(where, f[2], f[0], f[1]);
  });
}

Result<std::vector<RefUpdate>> parse_push_lines(std::string_view text) {
  return parse_lines(text, 4, "LOCAL_REF LOCAL_SHA REMOTE_REF REMOTE_SHA",
                     [](const std::vector<std::string>& f, const std::string& where) {
                       return make_update(where, f[2], f[3], f[1]);
                     });
}

Result<RefUpdate> parse_update_args(const std::string& ref, const std::string& old_oid, const std::string& new_oid) {
  return make_update("", ref, old_oid, new_oid);
}

Result<HookOutcome> check_push(git::Repository& repo, const std::vector<RefUpdate>& updates,
                               const HookOptions& opts) {
  int64_t now = opts.now != 0 ? opts.now : util::now();
  auto base_refs = repo.list_refs();
  if (!base_refs) return base_refs.error();

  std::map<std::string, std::string> proposed;
  ServerView server;
  for (const auto& [name, oid] : *base_refs) {
    // A name vouch would not write (git is laxer in corners) is left out of
    // the proposed view rather than making every push fail.
    if (!valid_ref_name(name)) continue;
    proposed[name] = oid;
    if (opts.remote.empty()) {
      server.refs[name] = oid;
    } else if (std::string prefix = "refs/remotes/" + opts.remote + "/";
               name.starts_with(prefix) && name != prefix + "HEAD") {
      server.refs["refs/heads/" + name.substr(prefix.size())] = oid;  // what the remote has, as it names it
    }
  }
  std::string head_ref = opts.remote.empty() ? "HEAD" : "refs/remotes/" + opts.remote + "/HEAD";
  if (auto h = repo.resolve_commit(head_ref)) server.head = *h;
  std::vector<std::string> notes;  // informational lines about the view itself
  if (!opts.remote.empty()) {
    // What the remote will hold: its own approvals unless the push sends them.
    std::string remote_notes = opts.remote_notes.value_or("");
    if (!remote_notes.empty() && !repo.raw_object(remote_notes)) {
      notes.push_back(std::string(git::kNotesRef) + " of " + opts.remote + " (" + remote_notes.substr(0, 12) +
                      ") is not in this clone; fetch it: git fetch " + opts.remote + " " + git::kNotesRef + ":" +
                      git::kNotesRef);
      remote_notes.clear();
    }
    if (remote_notes.empty()) proposed.erase(git::kNotesRef);
    else proposed[git::kNotesRef] = remote_notes;
  }
  for (const auto& u : updates) {
    if (u.is_delete()) proposed.erase(u.ref);
    else proposed[u.ref] = u.new_oid;
  }

  auto overlay = ProposedRepository::create(repo.git_dir(), proposed, opts.object_dirs);
  if (!overlay) return overlay.error();
  Checker checker(repo, overlay->repo(), opts, now, std::move(server));
  checker.prepare();
  HookOutcome out;
  out.notes = std::move(notes);
  for (const auto& u : updates) checker.check(u, out);
  return out;
}

}  // namespace vouch::hooks
