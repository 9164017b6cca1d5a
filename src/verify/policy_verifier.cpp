#include "verify/policy_verifier.h"

#include <algorithm>
#include <iterator>
#include <tuple>
#include <map>
#include <optional>

#include "git/changed_paths.h"
#include "git/notes.h"
#include "git/signed_object.h"
#include "git/tree_reader.h"
#include "policy/approval_check.h"
#include "policy/policy_parser.h"
#include "signature/signature_check.h"
#include "util/clock.h"
#include "verify/policy_context.h"
#include "verify/signature_rules.h"
#include "wot/wot.h"
#include "wot/wot_loader.h"

namespace vouch::verify {
namespace {

std::string short_oid(std::string_view oid) { return std::string(oid.substr(0, 12)); }



/// Answers [trust] questions from the local trust database: does this key
/// reach min_amount, counting all endorsements, or only those older than
/// min_key_age? Graphs are built once per distinct min_age.
class TrustOracle {
 public:
  TrustOracle(trust::TrustStore* store, int64_t now) : store_(store), now_(now) {}

  Result<bool> reaches(const KeyId& key, int amount, int64_t min_age) {
    if (!store_) return false;
    auto graph = graph_for(min_age);
    if (!graph) return graph.error();
    return (*graph)->trust_of_key(key).amount >= amount;
  }

 private:
  Result<const trust::TrustGraph*> graph_for(int64_t min_age) {
    if (auto it = graphs_.find(min_age); it != graphs_.end()) return &it->second;
    if (!input_) {
      auto in = trust::load_wot_input(*store_);
      if (!in) return in.error();
      input_ = std::move(*in);
    }
    trust::WotOptions opts;
    opts.at = now_;
    opts.min_age = min_age;
    auto [it, _] = graphs_.emplace(min_age, trust::TrustGraph::build(*input_, opts));
    return &it->second;
  }

  trust::TrustStore* store_;
  int64_t now_;
  std::optional<trust::WotInput> input_;
  std::map<int64_t, trust::TrustGraph> graphs_;
};

struct Evaluator {
  ObjectSource& repo;
  const PolicyVerifyOptions& opts;
  PolicyCache cache;
  TrustOracle oracle;
  std::shared_ptr<const GoverningPolicy> shadow;
  int64_t now;

  Evaluator(ObjectSource& r, const PolicyVerifyOptions& o, int64_t t)
      : repo(r), opts(o), cache(r, o.store), oracle(o.store, t), now(t) {}

  /// Signer (if in the policy) and approvers as participants, with [trust] eligibility.
  Result<std::vector<Participant>> participants(const GoverningPolicy& gp, const SignatureResult& sig,
                                                std::string& signer_person, std::vector<ApprovalResult>& approvals,
                                                const std::vector<policy::ApprovalStatus>& statuses,
                                                std::vector<std::string>& errors) {
    std::vector<Participant> out;
    auto add = [&](const KeyId& key, const std::string& person, bool is_signer) -> Result<void> {
      Participant p;
      p.person = person;
      p.is_signer = is_signer;
      if (gp.policy.min_amount) {
        if (!opts.store) {
          p.trusted_for_commits = p.trusted_for_rules = false;
        } else {
          auto c = oracle.reaches(key, *gp.policy.min_amount, 0);
          if (!c) return c.error();
          auto r = oracle.reaches(key, *gp.policy.min_amount, gp.policy.min_key_age.value_or(0));
          if (!r) return r.error();
          p.trusted_for_commits = *c;
          p.trusted_for_rules = *r;
        }
      }
      out.push_back(p);
      return {};
    };
    if (sig.status == SigStatus::good) {
      if (auto key = KeyId::parse(sig.key)) {
        if (auto person = gp.policy.person_of(*key)) {
          signer_person = *person;
          if (auto r = add(*key, *person, true); !r) return r.error();
        }
      }
    }
    for (const auto& st : statuses) {
      ApprovalResult a;
      a.key = st.key.id.empty() ? "" : st.key.str();
      a.status = st.status;
      a.reason = st.reason;
      if (st.counts) {
        auto person = gp.policy.person_of(st.key);
        if (!person) {
          a.status = "not-in-policy";
          a.reason = "key " + a.key + " is not in the governing policy";
        } else {
          a.person = *person;
          a.counted = true;
          if (auto r = add(st.key, *person, false); !r) return r.error();
        }
      }
      approvals.push_back(std::move(a));
    }
    if (gp.policy.min_amount && !opts.store)
      errors.push_back("the policy's [trust] section needs the local trust database, which is not available");
    return out;
  }

  /// "signature time T is more than max_clock_skew (S s) away from now"
  /// when `time` (unset: no time at all) is too far from now; hook mode.
  std::optional<std::string> skew_problem(const std::string& what, std::optional<int64_t> time,
                                          const policy::Policy& policy) const {
    if (!time)
      return what + " missing: a newly pushed object must carry a time within max_clock_skew (" +
             std::to_string(policy.max_clock_skew) + " s) of now";
    if (std::llabs(*time - now) <= policy.max_clock_skew) return std::nullopt;
    return what + " " + std::to_string(*time) + " is more than max_clock_skew (" +
           std::to_string(policy.max_clock_skew) + " s) away from now";
  }

  /// The approvals in refs/notes/vouch for `object`, checked against it. In
  /// hook mode an approval the receiving side does not have yet counts only
  /// when created within max_clock_skew of now (threat 27).
  Result<std::vector<policy::ApprovalStatus>> approvals_of(const policy::ExpectedObject& object,
                                                            const policy::Policy& policy, const keys::Keyring& ring) {
    auto note = repo.read_note(object.oid);
    if (!note) return note.error();
    if (!*note) return std::vector<policy::ApprovalStatus>{};
    auto statuses = policy::check_note(**note, object, ring, now, signature_rules(policy, opts.allow_sha1_before));
    // A tag object's note also holds approvals of release archives built
    // from it; those are verify-archive's business, not the tag's.
    std::erase_if(statuses, [&](const policy::ApprovalStatus& st) {
      return object.type == "tag" && st.approval && st.approval->type == "archive";
    });
    if (!opts.freshness) return statuses;
    for (auto& st : statuses) {
      if (!st.counts || !st.approval || !opts.freshness->is_new_approval(object.oid, st.line)) continue;
      if (auto stale = skew_problem("approval created at", st.approval->created, policy)) {
        st.counts = false;
        st.status = "stale";
        st.reason = "new " + *stale;
      }
    }
    return statuses;
  }
  Result<std::vector<policy::ApprovalStatus>> approvals_of(const policy::ExpectedObject& object,
                                                            const GoverningPolicy& gp) {
    return approvals_of(object, gp.policy, *gp.keyring);
  }

  /// Evaluates commit `oid`, governed by `gp` (the first parent's policy).
  Result<CommitVerdict> evaluate(const std::string& oid, const std::shared_ptr<const GoverningPolicy>& gp,
                                 const std::string& parent) {
    CommitVerdict v;
    v.oid = oid;
    auto raw = repo.raw_object(oid);
    if (!raw) return raw.error();
    v.summary = git::message_summary(*raw);
    if (!gp) {
      v.errors.push_back("commit " + short_oid(oid) + ": no policy governs it: its first parent " + short_oid(parent) +
                         " has no " + policy::kPolicyPath);
      return v;
    }
    v.policy_from = gp->commit.empty() ? gp->source : gp->commit;
    auto split = git::split_commit_signature(*raw);
    signature::SignatureContext ctx{"git", git::committer_time(*raw).value_or(now), now,
                                    signature_rules(gp->policy, opts.allow_sha1_before)};
    if (!split) {
      v.signature.status = SigStatus::malformed;
      v.signature.reason = split.error().message;
    } else {
      v.signature = signature::check_signature(*gp->keyring, split->present ? split->signature : "",
                                               split->present ? split->payload : "", ctx);
    }
    for (const auto& tag_raw : git::mergetags(*raw)) {
      auto ts = git::split_tag_signature(tag_raw);
      signature::SignatureContext tctx{"git", git::tagger_time(tag_raw).value_or(now), now, ctx.rules};
      v.mergetags.push_back({"", ts.present ? signature::check_signature(*gp->keyring, ts.signature, ts.payload, tctx)
                                            : SignatureResult{}});
    }

    auto tree = repo.tree_of(oid);
    if (!tree) return tree.error();
    auto statuses = approvals_of({oid, "commit", *tree, gp->policy.repository, git::committer_time(*raw).value_or(0)},
                                 *gp);
    if (!statuses) return statuses.error();
    std::vector<std::string> errors;
    auto people = participants(*gp, v.signature, v.signer_person, v.approvals, *statuses, errors);
    if (!people) return people.error();

    const std::string prefix = "commit " + short_oid(oid) + ": ";
    if (v.signature.status != SigStatus::good) {
      v.errors.push_back(prefix + signature::signature_failure(v.signature));
    } else if (v.signer_person.empty()) {
      v.errors.push_back(prefix + "unknown signer: key " + v.signature.key + " is not in the governing policy");
    }
    if (opts.freshness && opts.freshness->is_new_commit(oid)) {
      // The signature's own time (OpenPGP), else the committer time (what SSH signatures are judged by).
      auto when = v.signature.created ? v.signature.created : git::committer_time(*raw);
      if (auto stale = skew_problem("signature time", when, gp->policy)) v.errors.push_back(prefix + *stale);
    }
    for (auto& e : errors) v.errors.push_back(prefix + e);

    auto changed = repo.changed_path_names(oid);
    if (!changed) return changed.error();
    RuleEvaluation ev = evaluate_commit_rules(gp->policy, gp->rules, *changed, *people);
    v.rules = std::move(ev.rules);
    v.notices = std::move(ev.notices);
    for (auto& f : ev.failures) v.errors.push_back(prefix + f);

    // A commit that changes the policy must leave a valid one with a higher serial.
    if (std::find(changed->begin(), changed->end(), policy::kPolicyPath) != changed->end()) {
      auto text = repo.read_file_at(oid, policy::kPolicyPath);
      if (!text) return text.error();
      if (!*text) {
        v.errors.push_back(prefix + "invalid policy: " + policy::kPolicyPath + " was removed");
      } else {
        auto parsed = policy::parse_policy(**text, short_oid(oid) + ":" + policy::kPolicyPath);
        auto before = cache.at(parent);
        if (!parsed) {
          v.errors.push_back(prefix + "invalid policy: " + parsed.error().message);
        } else if (before && *before && parsed->serial <= (*before)->policy.serial) {
          v.errors.push_back(prefix + "policy rollback: serial " + std::to_string(parsed->serial) +
                             " is not greater than the parent's " + std::to_string((*before)->policy.serial));
        }
      }
    }
    v.pass = v.errors.empty();
    return v;
  }

  Result<std::shared_ptr<const GoverningPolicy>> governing(const std::string& parent) {
    if (shadow) return shadow;
    return cache.at(parent);
  }

  /// The trust root itself: a good signature by a key of its own policy.
  Result<CommitVerdict> evaluate_root(const std::string& oid) {
    auto gp = cache.at(oid);
    if (!gp) return gp.error();
    if (!*gp)
      return make_error(ErrorKind::bad_input, "trust root " + short_oid(oid) + " has no " + policy::kPolicyPath);
    auto governing_policy = shadow ? shadow : *gp;
    CommitVerdict v;
    v.oid = oid;
    auto raw = repo.raw_object(oid);
    if (!raw) return raw.error();
    v.summary = git::message_summary(*raw);
    v.policy_from = oid;
    auto split = git::split_commit_signature(*raw);
    signature::SignatureContext ctx{"git", git::committer_time(*raw).value_or(now), now,
                                    signature_rules(governing_policy->policy, opts.allow_sha1_before)};
    if (!split) {
      v.signature.status = SigStatus::malformed;
      v.signature.reason = split.error().message;
    } else {
      v.signature = signature::check_signature(*governing_policy->keyring, split->present ? split->signature : "",
                                               split->present ? split->payload : "", ctx);
    }
    const std::string prefix = "commit " + short_oid(oid) + " (trust root): ";
    if (v.signature.status != SigStatus::good) {
      v.errors.push_back(prefix + signature::signature_failure(v.signature));
    } else if (auto key = KeyId::parse(v.signature.key); key && governing_policy->policy.person_of(*key)) {
      v.signer_person = *governing_policy->policy.person_of(*key);
    } else {
      v.errors.push_back(prefix + "unknown signer: key " + v.signature.key + " is not in its policy");
    }
    v.pass = v.errors.empty();
    return v;
  }
};

struct Chain {
  std::string root;         ///< trust root, evaluated for its signature only ("" for A..B)
  std::string root_source;  ///< flag | config | first-policy | range
  std::string base;         ///< A of A..B: its policy governs the first commit after it
  std::string tip;
  std::vector<std::string> commits;  ///< oldest first, excluding root and base
  /// Set when the tip does not descend from the trust root through first
  /// parents: the chain fails with this line, whatever the commits say.
  std::string unrooted;
};

/// The trust root from --trust-root or git config vouch.trustRoot, with its
/// source; empty when neither is set. Errors name the revision.
Result<std::pair<std::string, std::string>> configured_root(ObjectSource& repo, const PolicyVerifyOptions& opts) {
  if (!opts.trust_root.empty()) {
    auto root = repo.resolve_commit(opts.trust_root);
    if (!root) return make_error(root.error().kind, "--trust-root: " + root.error().message);
    return std::pair<std::string, std::string>(*root, "flag");
  }
  auto configured = repo.config_string("vouch.trustRoot");
  if (!configured) {
    if (configured.error().kind != ErrorKind::not_found) return configured.error();
    return std::pair<std::string, std::string>();
  }
  auto root = repo.resolve_commit(*configured);
  if (!root) return make_error(ErrorKind::bad_input, "git config vouch.trustRoot: " + root.error().message);
  return std::pair<std::string, std::string>(*root, "config");
}

Result<Chain> chain_for(ObjectSource& repo, const std::string& spec, const PolicyVerifyOptions& opts) {
  Chain c;
  if (auto dots = spec.find(".."); dots != std::string::npos) {
    std::string a = spec.substr(0, dots), b = spec.substr(dots + 2);
    auto base = repo.resolve_commit(a.empty() ? "HEAD" : a);
    if (!base) return base.error();
    auto tip = repo.resolve_commit(b.empty() ? "HEAD" : b);
    if (!tip) return tip.error();
    auto chain = repo.first_parent_chain(*tip, *base);
    if (!chain) return chain.error();
    c.base = *base;
    c.tip = *tip;
    c.root_source = "range";
    c.commits.assign(chain->rbegin(), chain->rend());
    return c;
  }
  auto tip = repo.resolve_commit(spec);
  if (!tip) return tip.error();
  c.tip = *tip;
  auto configured = configured_root(repo, opts);
  if (!configured) return configured.error();
  if (!configured->first.empty()) {
    std::tie(c.root, c.root_source) = *configured;
  } else if (!opts.allow_first_use) {
    return make_error(ErrorKind::bad_input, no_trust_root_message("verifying " + spec));
  } else {
    // Trust on first use: the oldest commit on the first-parent chain that has a policy.
    auto all = repo.first_parent_chain(*tip, "");
    if (!all) return all.error();
    for (auto it = all->rbegin(); it != all->rend(); ++it) {
      auto text = repo.read_file_at(*it, policy::kPolicyPath);
      if (!text) return text.error();
      if (*text) {
        c.root = *it;
        break;
      }
    }
    if (c.root.empty())
      return make_error(ErrorKind::bad_input, "no commit on the first-parent chain of " + spec + " has " +
                                                  policy::kPolicyPath + " (vouch policy init writes one)");
    c.root_source = "first-policy";
  }
  if (c.root == c.tip) return c;
  auto all = repo.first_parent_chain(*tip, "");
  if (!all) return all.error();
  auto at = std::find(all->begin(), all->end(), c.root);
  if (at == all->end()) {
    c.unrooted = "commit " + short_oid(c.tip) + ": not descended from the trust root " + short_oid(c.root) +
                 " through first parents; its history cannot choose its own policy";
    return c;
  }
  c.commits.assign(std::make_reverse_iterator(at), all->rend());
  return c;
}

int64_t clock_now(const PolicyVerifyOptions& opts) { return opts.now != 0 ? opts.now : util::now(); }

/// Verifies one range into `verdicts` (oldest first). Sets `stop` under --fail-fast.
Result<void> verify_range(Evaluator& ev, const Chain& chain, std::vector<CommitVerdict>& verdicts, bool& stop) {
  ObjectSource& repo = ev.repo;
  const PolicyVerifyOptions& opts = ev.opts;
  if (!chain.unrooted.empty()) {
    CommitVerdict v;
    v.oid = chain.tip;
    auto raw = repo.raw_object(chain.tip);
    if (!raw) return raw.error();
    v.summary = git::message_summary(*raw);
    v.errors.push_back(chain.unrooted);
    stop = opts.fail_fast;
    verdicts.push_back(std::move(v));
    return {};
  }
  std::string parent = chain.root.empty() ? chain.base : chain.root;
  if (!chain.root.empty()) {
    auto root = ev.evaluate_root(chain.root);
    if (!root) return root.error();
    stop = opts.fail_fast && !root->pass;
    verdicts.push_back(std::move(*root));
  }
  size_t done = 0;
  for (const auto& oid : chain.commits) {
    if (stop) break;
    if (opts.progress) opts.progress(done++, chain.commits.size());
    auto raw = repo.raw_object(oid);
    if (!raw) return raw.error();
    auto parents = git::commit_parents(*raw);
    auto gp = ev.governing(parents.empty() ? parent : parents.front());
    if (!gp) return gp.error();
    auto v = ev.evaluate(oid, *gp, parents.empty() ? parent : parents.front());
    if (!v) return v.error();
    stop = opts.fail_fast && !v->pass;
    verdicts.push_back(std::move(*v));
    // --all-commits: commits brought in by a merge, each under its own first parent's policy.
    if (opts.all_commits && parents.size() > 1 && !stop) {
      for (size_t i = 1; i < parents.size() && !stop; ++i) {
        auto side = repo.list_commits({parents.front() + ".." + parents[i]});
        if (!side) return side.error();
        for (auto it = side->rbegin(); it != side->rend() && !stop; ++it) {
          auto side_raw = repo.raw_object(*it);
          if (!side_raw) return side_raw.error();
          auto side_parents = git::commit_parents(*side_raw);
          if (side_parents.empty()) continue;
          auto sgp = ev.governing(side_parents.front());
          if (!sgp) return sgp.error();
          auto sv = ev.evaluate(*it, *sgp, side_parents.front());
          if (!sv) return sv.error();
          stop = opts.fail_fast && !sv->pass;
          verdicts.push_back(std::move(*sv));
        }
      }
    }
  }
  return {};
}

}  // namespace

std::string no_trust_root_message(const std::string& what) {
  return what + ": no trust root: pass --trust-root REV or run `git config vouch.trustRoot OID` "
                "(history from a push or a pull request must never choose its own trust root)";
}

Result<VerifyReport> verify_policy(ObjectSource& repo, const std::vector<std::string>& ranges,
                                   const PolicyVerifyOptions& opts) {
  Evaluator ev(repo, opts, clock_now(opts));
  if (!opts.policy_file.empty()) {
    auto shadow = ev.cache.from_file(opts.policy_file);
    if (!shadow) return shadow.error();
    ev.shadow = *shadow;
  }
  VerifyReport report;
  report.repository = repo.path();
  report.mode = "policy";
  report.ranges = ranges.empty() ? std::vector<std::string>{"HEAD"} : ranges;
  std::vector<CommitVerdict> verdicts;  // oldest first
  bool stop = false;
  for (const auto& spec : report.ranges) {
    if (stop) break;
    auto chain = chain_for(repo, spec, opts);
    if (!chain) return chain.error();
    report.tip = chain->tip;
    report.trust_root = chain->root.empty() ? chain->base : chain->root;
    report.trust_root_source = chain->root_source;
    if (auto r = verify_range(ev, *chain, verdicts, stop); !r) return r.error();
  }
  if (opts.progress) opts.progress(verdicts.size(), verdicts.size());
  // A fresh clone has no approvals at all: say so where they are missing.
  bool short_of_people = std::any_of(verdicts.begin(), verdicts.end(), [](const CommitVerdict& c) {
    return std::any_of(c.rules.begin(), c.rules.end(), [](const RuleResult& r) { return !r.satisfied; });
  });
  if (short_of_people && !repo.resolve_commit(git::kNotesRef))
    report.warnings.push_back(std::string("no approvals in this repository (") + git::kNotesRef +
                              " does not exist); if others approved, fetch them: vouch approvals sync origin");
  report.commits.assign(std::make_move_iterator(verdicts.rbegin()), std::make_move_iterator(verdicts.rend()));
  return report;
}

namespace {

/// The tag's signer and approvers under one governing policy: its [[tags]]
/// rules, or, when none matches, a good signature by a key of that policy.
/// `under` prefixes every line ("" for the tagged commit's own policy).
Result<void> judge_tag(Evaluator& ev, const git::Repository::Tag& tag, const GoverningPolicy& gp,
                       const std::string& under, TagVerdict& v) {
  const std::string prefix = "tag " + v.name + ": " + under;
  std::vector<policy::ApprovalStatus> statuses;
  SignatureResult signature;
  if (!tag.annotated) {
    signature.status = SigStatus::missing;
    signature.reason = "lightweight tag: there is no tag object to sign";
  } else {
    auto split = git::split_tag_signature(tag.raw);
    auto tagger = git::tagger_time(tag.raw);
    signature::SignatureContext ctx{"git", tagger.value_or(ev.now), ev.now,
                                    signature_rules(gp.policy, ev.opts.allow_sha1_before)};
    if (split.present)
      signature = signature::check_signature(*gp.keyring, split.signature, split.payload, ctx);
    else signature.reason = "tag is not signed";
    auto approvals = ev.approvals_of({tag.tag_oid, "tag", std::nullopt, gp.policy.repository, tagger.value_or(0)}, gp);
    if (!approvals) return approvals.error();
    statuses = std::move(*approvals);
    if (ev.opts.freshness) {
      if (auto stale = ev.skew_problem("tagger time", tagger, gp.policy)) v.errors.push_back(prefix + *stale);
    }
  }
  std::string signer_person;
  std::vector<ApprovalResult> approvals;
  std::vector<std::string> errors;
  auto people = ev.participants(gp, signature, signer_person, approvals, statuses, errors);
  if (!people) return people.error();
  if (signature.status != SigStatus::good) {
    v.errors.push_back(prefix + signature::signature_failure(signature));
  } else if (signer_person.empty()) {
    v.errors.push_back(prefix + "unknown signer: key " + signature.key + " is not in the policy");
  }
  for (auto& e : errors) v.errors.push_back(prefix + e);
  bool matched = false;
  RuleEvaluation tev = evaluate_tag_rules(gp.policy, v.ref, *people, matched);
  for (auto& f : tev.failures) v.errors.push_back(prefix + f);
  if (under.empty()) {
    v.signature = std::move(signature);
    v.signer_person = std::move(signer_person);
    v.approvals = std::move(approvals);
    v.rules = std::move(tev.rules);
  }
  return {};
}

}  // namespace

Result<TagVerdict> verify_tag_policy(ObjectSource& repo, const std::string& name, const PolicyVerifyOptions& opts) {
  Evaluator ev(repo, opts, clock_now(opts));
  auto tag = repo.tag(name);
  if (!tag) return tag.error();
  TagVerdict v;
  v.name = name;
  v.ref = tag->ref;
  v.tag_oid = tag->tag_oid;
  v.target = tag->target_oid;
  v.annotated = tag->annotated;
  auto commit = repo.resolve_commit(tag->target_oid);
  if (!commit) return commit.error();
  const std::string prefix = "tag " + name + ": ";
  if (auto mismatch = git::tag_name_mismatch(*tag)) v.errors.push_back(prefix + *mismatch);

  // The tagged commit must verify from the trust root before its policy may
  // judge the tag: otherwise whoever makes the commit writes the rules (threats 25, 38).
  auto root = configured_root(repo, opts);
  if (!root) return root.error();
  if (root->first.empty()) return make_error(ErrorKind::bad_input, no_trust_root_message("tag " + name));
  v.trust_root = root->first;
  v.trust_root_source = root->second;
  {
    PolicyVerifyOptions chain_opts = opts;
    chain_opts.trust_root = root->first;
    chain_opts.fail_fast = true;
    chain_opts.all_commits = false;
    chain_opts.progress = nullptr;
    Evaluator chain_ev(repo, chain_opts, ev.now);
    chain_ev.shadow = nullptr;
    if (!opts.policy_file.empty()) {
      auto shadow = chain_ev.cache.from_file(opts.policy_file);
      if (!shadow) return shadow.error();
      chain_ev.shadow = *shadow;
    }
    auto chain = chain_for(repo, *commit, chain_opts);
    if (!chain) return chain.error();
    std::vector<CommitVerdict> verdicts;
    bool stop = false;
    if (auto r = verify_range(chain_ev, *chain, verdicts, stop); !r) return r.error();
    for (const auto& c : verdicts) {
      if (c.pass) continue;
      v.errors.push_back(prefix + "tagged commit " + short_oid(*commit) + " not verified: " +
                         (c.errors.empty() ? "commit " + short_oid(c.oid) + " fails" : c.errors.front()));
      break;
    }
    v.commit_verified = std::all_of(verdicts.begin(), verdicts.end(), [](const CommitVerdict& c) { return c.pass; });
  }
  if (!v.commit_verified) {
    // Its policy is not in force: judging the tag by it would let the
    // tagged history write its own rules. The signature is still reported.
    if (tag->annotated) {
      auto split = git::split_tag_signature(tag->raw);
      if (split.present) {
        auto configured = ev.cache.at(root->first);
        if (configured && *configured)
          v.signature = signature::check_signature(*(*configured)->keyring, split.signature, split.payload,
                                                   {"git", git::tagger_time(tag->raw).value_or(ev.now), ev.now,
                                                    signature_rules((*configured)->policy, opts.allow_sha1_before)});
      }
    }
    v.pass = false;
    return v;
  }

  std::shared_ptr<const GoverningPolicy> gp;
  if (!opts.policy_file.empty()) {
    auto shadow = ev.cache.from_file(opts.policy_file);
    if (!shadow) return shadow.error();
    gp = *shadow;
  } else {
    auto at = ev.cache.at(*commit);
    if (!at) return at.error();
    gp = *at;
  }
  if (!gp) {
    v.errors.push_back(prefix + "the tagged commit " + short_oid(*commit) + " has no " + policy::kPolicyPath);
    v.pass = false;
    return v;
  }
  if (auto judged = judge_tag(ev, *tag, *gp, "", v); !judged) return judged.error();
  if (!opts.policy_in_force.empty() && opts.policy_file.empty()) {
    auto now_gp = ev.cache.at(opts.policy_in_force);
    if (!now_gp) return now_gp.error();
    if (*now_gp && (*now_gp)->blob_text != gp->blob_text) {
      std::string under = "under the policy in force (" + short_oid(opts.policy_in_force) + "): ";
      if (auto judged = judge_tag(ev, *tag, **now_gp, under, v); !judged) return judged.error();
    }
  }
  v.pass = v.errors.empty();
  return v;
}

Result<VerifyReport> verify_policy(git::Repository& repo, const std::vector<std::string>& ranges,
                                   const PolicyVerifyOptions& opts) {
  GitObjects objects(repo);
  return verify_policy(objects, ranges, opts);
}

Result<TagVerdict> verify_tag_policy(git::Repository& repo, const std::string& name, const PolicyVerifyOptions& opts) {
  GitObjects objects(repo);
  return verify_tag_policy(objects, name, opts);
}

}  // namespace vouch::verify
