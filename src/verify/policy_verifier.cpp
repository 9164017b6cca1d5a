#include "verify/policy_verifier.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <optional>

#include "git/changed_paths.h"
#include "git/notes.h"
#include "git/signed_object.h"
#include "git/tree_reader.h"
#include "policy/approval_check.h"
#include "policy/policy_parser.h"
#include "trust/wot.h"
#include "trust/wot_loader.h"
#include "verify/policy_context.h"
#include "verify/signature_check.h"
#include "verify/signature_rules.h"

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
  git::Repository& repo;
  const PolicyVerifyOptions& opts;
  PolicyCache cache;
  TrustOracle oracle;
  std::shared_ptr<const GoverningPolicy> shadow;
  int64_t now;

  Evaluator(git::Repository& r, const PolicyVerifyOptions& o, int64_t t)
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
    SignatureContext ctx{"git", git::committer_time(*raw).value_or(0), now,
                         signature_rules(gp->policy, opts.allow_sha1_before)};
    if (!split) {
      v.signature.status = SigStatus::malformed;
      v.signature.reason = split.error().message;
    } else {
      v.signature = check_signature(*gp->keyring, split->present ? split->signature : "",
                                    split->present ? split->payload : "", ctx);
    }
    for (const auto& tag_raw : git::mergetags(*raw)) {
      auto ts = git::split_tag_signature(tag_raw);
      SignatureContext tctx{"git", git::tagger_time(tag_raw).value_or(0), now, ctx.rules};
      v.mergetags.push_back({"", ts.present ? check_signature(*gp->keyring, ts.signature, ts.payload, tctx)
                                            : SignatureResult{}});
    }

    auto tree = git::tree_of(repo, oid);
    if (!tree) return tree.error();
    auto note = git::read_note(repo, oid);
    if (!note) return note.error();
    std::vector<policy::ApprovalStatus> statuses;
    if (*note)
      statuses = policy::check_note(**note, {oid, "commit", *tree, gp->policy.repository}, *gp->keyring, now,
                                    ctx.rules);
    std::vector<std::string> errors;
    auto people = participants(*gp, v.signature, v.signer_person, v.approvals, statuses, errors);
    if (!people) return people.error();

    const std::string prefix = "commit " + short_oid(oid) + ": ";
    if (v.signature.status != SigStatus::good) {
      v.errors.push_back(prefix + signature_failure(v.signature));
    } else if (v.signer_person.empty()) {
      v.errors.push_back(prefix + "unknown signer: key " + v.signature.key + " is not in the governing policy");
    }
    if (opts.check_clock_skew && v.signature.created &&
        std::llabs(*v.signature.created - now) > gp->policy.max_clock_skew) {
      v.errors.push_back(prefix + "signature time " + std::to_string(*v.signature.created) +
                         " is more than max_clock_skew (" + std::to_string(gp->policy.max_clock_skew) +
                         " s) away from now");
    }
    for (auto& e : errors) v.errors.push_back(prefix + e);

    auto changed = git::changed_path_names(repo, oid);
    if (!changed) return changed.error();
    RuleEvaluation ev = evaluate_commit_rules(gp->policy, gp->rules, *changed, *people);
    v.rules = std::move(ev.rules);
    v.notices = std::move(ev.notices);
    for (auto& f : ev.failures) v.errors.push_back(prefix + f);

    // A commit that changes the policy must leave a valid one with a higher serial.
    if (std::find(changed->begin(), changed->end(), policy::kPolicyPath) != changed->end()) {
      auto text = git::read_file_at(repo, oid, policy::kPolicyPath);
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
    SignatureContext ctx{"git", git::committer_time(*raw).value_or(0), now,
                         signature_rules(governing_policy->policy, opts.allow_sha1_before)};
    if (!split) {
      v.signature.status = SigStatus::malformed;
      v.signature.reason = split.error().message;
    } else {
      v.signature = check_signature(*governing_policy->keyring, split->present ? split->signature : "",
                                    split->present ? split->payload : "", ctx);
    }
    const std::string prefix = "commit " + short_oid(oid) + " (trust root): ";
    if (v.signature.status != SigStatus::good) {
      v.errors.push_back(prefix + signature_failure(v.signature));
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
};

Result<Chain> chain_for(git::Repository& repo, const std::string& spec, const PolicyVerifyOptions& opts) {
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
  if (!opts.trust_root.empty()) {
    auto root = repo.resolve_commit(opts.trust_root);
    if (!root) return root.error();
    c.root = *root;
    c.root_source = "flag";
  } else if (auto configured = repo.config_string("vouch.trustRoot"); configured) {
    auto root = repo.resolve_commit(*configured);
    if (!root) return make_error(ErrorKind::bad_input, "git config vouch.trustRoot: " + root.error().message);
    c.root = *root;
    c.root_source = "config";
  } else {
    // Trust on first use: the oldest commit on the first-parent chain that has a policy.
    auto all = repo.first_parent_chain(*tip, "");
    if (!all) return all.error();
    for (auto it = all->rbegin(); it != all->rend(); ++it) {
      auto text = git::read_file_at(repo, *it, policy::kPolicyPath);
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
  auto chain = repo.first_parent_chain(*tip, c.root);
  if (!chain) return chain.error();
  c.commits.assign(chain->rbegin(), chain->rend());
  return c;
}

int64_t clock_now(const PolicyVerifyOptions& opts) {
  return opts.now != 0 ? opts.now : static_cast<int64_t>(std::time(nullptr));
}

}  // namespace

Result<VerifyReport> verify_policy(git::Repository& repo, const std::vector<std::string>& ranges,
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
    std::string parent = chain->root.empty() ? chain->base : chain->root;
    if (!chain->root.empty()) {
      auto root = ev.evaluate_root(chain->root);
      if (!root) return root.error();
      stop = opts.fail_fast && !root->pass;
      verdicts.push_back(std::move(*root));
    }
    size_t done = 0;
    for (const auto& oid : chain->commits) {
      if (stop) break;
      if (opts.progress) opts.progress(done++, chain->commits.size());
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
  }
  if (opts.progress) opts.progress(verdicts.size(), verdicts.size());
  report.commits.assign(std::make_move_iterator(verdicts.rbegin()), std::make_move_iterator(verdicts.rend()));
  return report;
}

Result<TagVerdict> verify_tag_policy(git::Repository& repo, const std::string& name,
                                     const PolicyVerifyOptions& opts) {
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
  if (!gp)
    return make_error(ErrorKind::bad_input, "tag " + name + ": the tagged commit " + short_oid(*commit) + " has no " +
                                                policy::kPolicyPath);
  const std::string prefix = "tag " + name + ": ";
  std::vector<policy::ApprovalStatus> statuses;
  if (!tag->annotated) {
    v.signature.status = SigStatus::missing;
    v.signature.reason = "lightweight tag: there is no tag object to sign";
  } else {
    auto split = git::split_tag_signature(tag->raw);
    SignatureContext ctx{"git", git::tagger_time(tag->raw).value_or(0), ev.now,
                         signature_rules(gp->policy, opts.allow_sha1_before)};
    if (split.present) v.signature = check_signature(*gp->keyring, split.signature, split.payload, ctx);
    else v.signature.reason = "tag is not signed";
    auto note = git::read_note(repo, tag->tag_oid);
    if (!note) return note.error();
    if (*note)
      statuses = policy::check_note(**note, {tag->tag_oid, "tag", std::nullopt, gp->policy.repository}, *gp->keyring,
                                    ev.now, ctx.rules);
  }
  std::vector<std::string> errors;
  auto people = ev.participants(*gp, v.signature, v.signer_person, v.approvals, statuses, errors);
  if (!people) return people.error();
  if (v.signature.status != SigStatus::good) {
    v.errors.push_back(prefix + signature_failure(v.signature));
  } else if (v.signer_person.empty()) {
    v.errors.push_back(prefix + "unknown signer: key " + v.signature.key + " is not in the policy");
  }
  for (auto& e : errors) v.errors.push_back(prefix + e);
  bool matched = false;
  RuleEvaluation tev = evaluate_tag_rules(gp->policy, v.ref, *people, matched);
  v.rules = std::move(tev.rules);
  for (auto& f : tev.failures) v.errors.push_back(prefix + f);
  v.pass = v.errors.empty();
  return v;
}

}  // namespace vouch::verify
