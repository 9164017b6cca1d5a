#include "hooks/hook_runner.h"

#include <cstdlib>
#include <optional>
#include <set>

#include "hooks/proposed_repo.h"
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

class Checker {
 public:
  Checker(git::Repository& repo, const HookOptions& opts, int64_t now, std::vector<std::string> known_tips,
          std::string head, std::string trust_root)
      : repo_(repo),
        opts_(opts),
        now_(now),
        known_tips_(std::move(known_tips)),
        head_(std::move(head)),
        trust_root_(std::move(trust_root)),
        policies_(repo, opts.store) {}

  void check(const RefUpdate& u, HookOutcome& out) {
    auto problem = [&](const std::string& what) { out.problems.push_back(u.ref + ": " + what); };
    if (!u.is_create()) {
      auto prot = protection_of(u);
      if (!prot) {
        problem(prot.error().message);
      } else if (*prot) {
        if (u.is_delete()) {
          problem("deleting a protected ref is refused " + (*prot)->text());
        } else if (u.ref.starts_with("refs/tags/") && u.old_oid != u.new_oid) {
          problem("moving a protected tag is refused " + (*prot)->text());
        } else if (!fast_forward(u.old_oid, u.new_oid)) {
          problem("non-fast-forward update of a protected ref is refused: " + short_oid(u.old_oid) +
                  " is not an ancestor of " + short_oid(u.new_oid) + " " + (*prot)->text());
        }
      }
    }
    if (u.is_delete()) return;
    if (u.ref.starts_with("refs/notes/")) {
      out.notes.push_back(u.ref + ": accepted; notes are not history, and approvals are checked when they are used");
      return;
    }
    if (u.ref.starts_with("refs/tags/")) return check_tag(u, problem);
    check_commits(u, problem);
  }

 private:
  /// The first `[refs] protected` pattern matching the ref, from the policy
  /// at the old tip, then the policy at HEAD: what is protected now.
  Result<std::optional<Protection>> protection_of(const RefUpdate& u) {
    std::vector<std::string> commits;
    if (auto c = repo_.resolve_commit(u.old_oid)) commits.push_back(*c);
    if (!head_.empty()) commits.push_back(head_);
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

  /// Whether `old_oid` is an ancestor of (or equal to) `new_oid`; false when
  /// either is not a commit here (e.g. the remote's tip was never fetched).
  bool fast_forward(const std::string& old_oid, const std::string& new_oid) {
    auto o = repo_.resolve_commit(old_oid);
    auto n = repo_.resolve_commit(new_oid);
    if (!o || !n) return false;
    auto only_in_old = repo_.list_commits({*n + ".." + *o});
    return only_in_old && only_in_old->empty();
  }

  template <class P>
  void check_tag(const RefUpdate& u, P& problem) {
    verify::PolicyVerifyOptions vo;
    vo.now = now_;
    vo.store = opts_.store;
    auto v = verify::verify_tag_policy(repo_, u.ref, vo);
    if (!v) return problem(v.error().message);
    for (const auto& e : v->errors) problem(e);
  }

  template <class P>
  void check_commits(const RefUpdate& u, P& problem) {
    auto tip = repo_.resolve_commit(u.new_oid);
    if (!tip) return problem(tip.error().message);
    std::string range = *tip;
    if (!u.is_create()) {
      if (auto base = repo_.resolve_commit(u.old_oid); base && repo_.first_parent_chain(*tip, *base))
        range = *base + ".." + *tip;
    }
    verify::PolicyVerifyOptions vo;
    vo.trust_root = trust_root_;
    vo.now = now_;
    vo.store = opts_.store;
    // Clock skew is checked below, only for commits new to the receiving
    // side: re-pushing long-accepted history on a new branch is not a
    // back-dating attempt.
    vo.check_clock_skew = false;
    auto report = verify::verify_policy(repo_, {range}, vo);
    if (!report) return problem(report.error().message);
    for (const auto& c : report->commits) {
      for (const auto& e : c.errors) problem(e);
    }
    auto fresh = new_commits(*tip);
    if (!fresh) return problem(fresh.error().message);
    for (auto it = report->commits.rbegin(); it != report->commits.rend(); ++it) {
      const auto& c = *it;
      if (!fresh->contains(c.oid) || !c.signature.created || c.policy_from.empty()) continue;
      auto gp = policies_.at(c.policy_from);
      if (!gp || !*gp) continue;  // a missing policy already failed the commit
      int64_t skew = (*gp)->policy.max_clock_skew;
      if (std::llabs(*c.signature.created - now_) > skew) {
        problem("commit " + short_oid(c.oid) + ": signature time " + std::to_string(*c.signature.created) +
                " is more than max_clock_skew (" + std::to_string(skew) + " s) away from now");
      }
    }
  }

  /// Commits reachable from `tip` and from no known ref of the receiving side.
  Result<std::set<std::string>> new_commits(const std::string& tip) {
    std::vector<std::string> specs = {tip};
    for (const auto& t : known_tips_) specs.push_back("^" + t);
    auto list = repo_.list_commits(specs);
    if (!list) return list.error();
    return std::set<std::string>(list->begin(), list->end());
  }

  git::Repository& repo_;
  const HookOptions& opts_;
  int64_t now_;
  std::vector<std::string> known_tips_;  ///< commits (peeled) of the known refs
  std::string head_;
  std::string trust_root_;
  verify::PolicyCache policies_;
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
  auto base_refs = list_refs(repo.git_dir());
  if (!base_refs) return base_refs.error();

  std::map<std::string, std::string> proposed;
  std::vector<std::string> known;
  for (const auto& [name, oid] : *base_refs) {
    // A name vouch would not write (git is laxer in corners) is left out of
    // the proposed view rather than making every push fail.
    if (!valid_ref_name(name)) continue;
    proposed[name] = oid;
    if (name.starts_with(opts.known_refs_prefix)) known.push_back(oid);
  }
  for (const auto& u : updates) {
    if (u.is_delete()) proposed.erase(u.ref);
    else proposed[u.ref] = u.new_oid;
  }

  std::string trust_root = opts.trust_root;
  if (trust_root.empty()) {
    if (auto configured = repo.config_string("vouch.trustRoot")) {
      auto root = repo.resolve_commit(*configured);
      if (!root) return make_error(ErrorKind::bad_input, "git config vouch.trustRoot: " + root.error().message);
      trust_root = *root;
    }
  } else {
    auto root = repo.resolve_commit(trust_root);
    if (!root) return root.error();
    trust_root = *root;
  }
  std::string head;
  if (auto h = repo.resolve_commit("HEAD")) head = *h;

  auto overlay = ProposedRepository::create(repo.git_dir(), proposed, opts.object_dirs);
  if (!overlay) return overlay.error();
  std::vector<std::string> known_commits;
  std::set<std::string> seen;
  for (const auto& oid : known) {
    auto c = overlay->repo().resolve_commit(oid);  // tags peel; trees and blobs are skipped
    if (c && seen.insert(*c).second) known_commits.push_back(*c);
  }
  Checker checker(overlay->repo(), opts, now, std::move(known_commits), head, trust_root);
  HookOutcome out;
  for (const auto& u : updates) checker.check(u, out);
  return out;
}

}  // namespace vouch::hooks
