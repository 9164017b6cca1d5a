// Differential testing against the reference implementations (docs/differential.md):
// one case is a file, a detached signature over it and a set of keys; vouch
// (`vouch verify-file`, the real binary), GnuPG (`gpg --verify`), Sequoia
// (`sq verify`) and OpenSSH (`ssh-keygen -Y verify`) each say whether they
// accept it. vouch may be stricter than a reference where docs/differential.md
// says why, never more lenient.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_env.h"

namespace vouch::test::diff {

/// The keys of a set of cases, as every tool sees them.
struct World {
  std::string name;
  std::string dir;                     ///< the world's own directory
  std::string keyring;                 ///< vouch --keyring DIR
  std::string gnupghome;               ///< OpenPGP: a home with the certificates imported
  std::vector<std::string> sq_certs;   ///< OpenPGP: one certificate file each, for sq --signer-cert
  std::string allowed_signers;         ///< SSH: the file ssh-keygen -Y verify reads (also in `keyring`)
  std::string principal = "signer@example.org";
};

/// Where a reference's answer is not evidence, and why (docs/differential.md).
struct Exemption {
  std::string reference;  ///< "gpg", "sq" or "ssh-keygen"
  std::string reason;
};

struct Case {
  std::string category;
  std::string name;
  std::string data;
  std::string signature;          ///< file contents: armored or binary
  std::shared_ptr<World> world;
  bool ssh = false;
  std::string ns = "file";        ///< SSH namespace vouch and ssh-keygen verify under
  bool baseline = false;          ///< a valid signature: every tool must accept it
  std::optional<Exemption> exempt;
};

/// One tool's answer: accepted, rejected, or not asked.
enum class Answer { none, accept, reject };

struct Outcome {
  std::string vouch;  ///< the signature status ("good", "bad", ...) or "error"
  Answer gpg = Answer::none, sq = Answer::none, ssh = Answer::none;
  std::string detail;  ///< each tool's output, for failure messages
};


// ---------------------------------------------------------------- worlds

/// Makes an OpenPGP world from binary certificates: each is a key file of
/// vouch's keyring, a --signer-cert of sq, and imported into a GnuPG home.
/// `revocations` (binary revocation certificates) go to the keyring and the
/// GnuPG home only: sq takes one certificate per file, revocations included
/// in the certificate itself.
inline std::shared_ptr<World> pgp_world(const std::string& parent, const std::string& name,
                                        const std::vector<std::string>& certs,
                                        const std::vector<std::string>& revocations = {}) {
  auto w = std::make_shared<World>();
  w->name = name;
  w->dir = parent + "/" + name;
  w->keyring = w->dir + "/keys";
  w->gnupghome = w->dir + "/g";
  run_ok({"mkdir", "-p", w->keyring, w->gnupghome});
  run_ok({"chmod", "700", w->gnupghome});
  std::vector<std::string> import = {"gpg", "--batch", "--no-tty", "--quiet", "--import"};
  for (size_t i = 0; i < certs.size(); ++i) {
    const std::string file = w->keyring + "/cert" + std::to_string(i) + ".gpg";
    write_file(file, certs[i]);
    w->sq_certs.push_back(file);
    import.push_back(file);
  }
  for (size_t i = 0; i < revocations.size(); ++i) {
    const std::string file = w->keyring + "/revocation" + std::to_string(i) + ".gpg";
    write_file(file, revocations[i]);
    import.push_back(file);
  }
  // GnuPG refuses some crafted certificates on import: that is its answer.
  (void)run(import, {.env = {{"GNUPGHOME", w->gnupghome}}});
  return w;
}

/// Makes an SSH world whose only key file is `allowed_signers`.
inline std::shared_ptr<World> ssh_world(const std::string& parent, const std::string& name,
                                        const std::string& allowed_signers) {
  auto w = std::make_shared<World>();
  w->name = name;
  w->dir = parent + "/" + name;
  w->keyring = w->dir + "/keys";
  run_ok({"mkdir", "-p", w->keyring});
  w->allowed_signers = w->keyring + "/allowed_signers";
  write_file(w->allowed_signers, allowed_signers);
  return w;
}

/// The GnuPG home of a world ends its agent (none is normally started).
inline void end_world(const World& w) {
  if (!w.gnupghome.empty()) (void)run({"gpgconf", "--kill", "all"}, {.env = {{"GNUPGHOME", w.gnupghome}}});
}

// ---------------------------------------------------------------- one case

namespace detail {

inline std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    if (text.compare(pos, prefix.size(), prefix) == 0) out.push_back(text.substr(pos + prefix.size(), nl - pos - prefix.size()));
    pos = nl + 1;
  }
  return out;
}

inline std::string field(const std::string& line, size_t index) {
  size_t start = 0;
  for (size_t i = 0; i < index; ++i) {
    start = line.find(' ', start);
    if (start == std::string::npos) return "";
    ++start;
  }
  return line.substr(start, line.find(' ', start) - start);
}

/// gpg --verify's answer from its status lines. GOODSIG accepts. EXPKEYSIG
/// (good, key expired *now*) accepts when the key expired after the
/// signature was made (KEYEXPIRED and VALIDSIG give both times): git's %G? Y,
/// judged at the signature's time as vouch and Sequoia do. Anything bad,
/// unverifiable, expired or revoked rejects.
inline Answer gpg_answer(const RunResult& r) {
  const std::string& s = r.out;
  for (const char* bad : {"BADSIG", "ERRSIG", "EXPSIG", "REVKEYSIG", "NODATA", "FAILURE"})
    if (!lines_starting(s, std::string("[GNUPG:] ") + bad + " ").empty() ||
        !lines_starting(s, std::string("[GNUPG:] ") + bad + "\n").empty())
      return Answer::reject;
  const auto good = lines_starting(s, "[GNUPG:] GOODSIG ");
  const auto expired = lines_starting(s, "[GNUPG:] EXPKEYSIG ");
  const auto valid = lines_starting(s, "[GNUPG:] VALIDSIG ");
  if (valid.empty() || good.size() + expired.size() != valid.size()) return Answer::reject;
  if (!expired.empty()) {
    const auto keyexpired = lines_starting(s, "[GNUPG:] KEYEXPIRED ");
    if (keyexpired.empty() || valid.size() != 1) return Answer::reject;
    const int64_t expiry = std::stoll(field(keyexpired.back(), 0));
    const int64_t made = std::stoll(field(valid[0], 2));
    return made < expiry ? Answer::accept : Answer::reject;
  }
  return r.exit_code == 0 ? Answer::accept : Answer::reject;
}

inline const char* str(Answer a) {
  return a == Answer::accept ? "accept" : a == Answer::reject ? "reject" : "-";
}

}  // namespace detail

/// Runs one case through vouch and the references; `dir` is its scratch directory.
inline Outcome run_case(const Case& c, const std::string& dir) {
  Outcome o;
  const World& w = *c.world;
  const std::string data = dir + "/data", sig = dir + "/data.sig";
  write_file(data, c.data);
  write_file(sig, c.signature);

  RunResult v = run({vouch_binary(), "--format", "json", "verify-file", data, "--signature", sig, "--keyring",
                     w.keyring, "--namespace", c.ns});
  if (v.exit_code == 0 || v.exit_code == 1) {
    // The JSON's signature status; a pass (exit 0) is required for "good".
    const auto j = nlohmann::json::parse(v.out, nullptr, false);
    o.vouch = j.is_object() && j.contains("signature") && j["signature"].contains("status")
                  ? j["signature"]["status"].get<std::string>()
                  : "unparsed";
    if (o.vouch == "good" && v.exit_code != 0) o.vouch = "good-but-failed";
  } else {
    o.vouch = "error";
  }
  o.detail = "vouch (exit " + std::to_string(v.exit_code) + "): " + v.out + v.err;

  if (c.ssh) {
    RunResult r = run({"ssh-keygen", "-Y", "verify", "-f", w.allowed_signers, "-I", w.principal, "-n", c.ns, "-s", sig},
                      {.input = c.data.empty() ? std::string() : c.data});
    o.ssh = r.exit_code == 0 ? Answer::accept : Answer::reject;
    o.detail += "\nssh-keygen (exit " + std::to_string(r.exit_code) + "): " + r.out + r.err;
  } else {
    RunResult g = run({"gpg", "--batch", "--no-tty", "--status-fd", "1", "--verify", sig, data},
                      {.env = {{"GNUPGHOME", w.gnupghome}}});
    o.gpg = detail::gpg_answer(g);
    o.detail += "\ngpg (exit " + std::to_string(g.exit_code) + "): " + g.out + g.err;
    std::vector<std::string> sq = {"sq", "verify"};
    for (const auto& cert : w.sq_certs) sq.insert(sq.end(), {"--signer-cert", cert});
    sq.insert(sq.end(), {"--detached", sig, data});
    RunResult q = run(sq, {.env = {{"HOME", w.dir}}});
    o.sq = q.exit_code == 0 ? Answer::accept : Answer::reject;
    o.detail += "\nsq (exit " + std::to_string(q.exit_code) + "): " + q.out + q.err;
  }
  return o;
}

/// Runs every case, `jobs` at a time (each tool is a separate process).
inline std::vector<Outcome> run_cases(const std::vector<Case>& cases, const std::string& workdir, int jobs = 2) {
  std::vector<Outcome> out(cases.size());
  std::atomic<size_t> next{0};
  auto worker = [&](int id) {
    const std::string dir = workdir + "/run" + std::to_string(id);
    run_ok({"mkdir", "-p", dir});
    for (size_t i = next++; i < cases.size(); i = next++) out[i] = run_case(cases[i], dir);
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < jobs; ++j) threads.emplace_back(worker, j);
  for (auto& t : threads) t.join();
  return out;
}

// ---------------------------------------------------------------- verdicts

/// Checks and counts the outcomes per category (docs/differential.md):
/// - lenient: vouch says good and an applicable reference rejects: failure;
/// - baseline: a valid signature every tool must accept;
/// - stricter: vouch rejects, every applicable reference accepts: allowed
///   only in a category of `stricter` (category -> reason).
/// Prints one line per category; returns the number of cases.
inline size_t check_and_report(const std::string& title, const std::vector<Case>& cases,
                               const std::vector<Outcome>& outcomes,
                               const std::map<std::string, std::string>& stricter,
                               const std::map<std::string, std::string>& open_findings) {
  struct Count { size_t cases = 0, both_accept = 0, both_reject = 0, stricter = 0, lenient = 0, split = 0; };
  std::map<std::string, Count> counts;
  std::string stricter_lines;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const Outcome& o = outcomes[i];
    Count& n = counts[c.category];
    ++n.cases;
    std::vector<std::pair<std::string, Answer>> refs;
    for (auto [name, a] : {std::pair<std::string, Answer>{"gpg", o.gpg}, {"sq", o.sq}, {"ssh-keygen", o.ssh}}) {
      if (a == Answer::none) continue;
      if (c.exempt && c.exempt->reference == name) continue;
      refs.emplace_back(name, a);
    }
    bool any_reject = false, all_accept = !refs.empty();
    std::string answers;
    for (const auto& [name, a] : refs) {
      any_reject |= a == Answer::reject;
      all_accept &= a == Answer::accept;
      answers += " " + name + "=" + detail::str(a);
    }
    const bool good = o.vouch == "good";
    const std::string what = c.category + "/" + c.name + " (vouch=" + o.vouch + answers + ")";
    if (c.baseline) {
      EXPECT_TRUE(good && all_accept) << "baseline not accepted by all: " << what << "\n" << o.detail;
    }
    const auto open = open_findings.find(c.category + "/" + c.name);
    if (open != open_findings.end()) {
      EXPECT_TRUE(good && any_reject) << "open finding no longer reproduces, remove it: " << what;
      std::printf("    OPEN FINDING (lenient, not fixed): %s: %s\n", what.c_str(), open->second.c_str());
    }
    if (good && any_reject) {
      ++n.lenient;
      if (open == open_findings.end())
        ADD_FAILURE() << "LENIENT: vouch accepts what a reference rejects: " << what << "\n" << o.detail;
    } else if (good) {
      ++(all_accept ? n.both_accept : n.split);
    } else if (all_accept) {
      ++n.stricter;
      stricter_lines += "    stricter: " + what + "\n";
      if (!stricter.count(c.category))
        ADD_FAILURE() << "vouch is stricter in a category docs/differential.md does not list: " << what << "\n"
                      << o.detail;
    } else {
      bool all_reject = !refs.empty();
      for (const auto& r : refs) all_reject &= r.second == Answer::reject;
      ++(all_reject ? n.both_reject : n.split);  // split: the references disagree with each other
    }
  }
  std::printf("%s\n  %-34s %6s %7s %7s %8s %7s %6s\n", title.c_str(), "category", "cases", "accept", "reject",
              "stricter", "lenient", "split");
  size_t total = 0;
  for (const auto& [category, n] : counts) {
    std::printf("  %-34s %6zu %7zu %7zu %8zu %7zu %6zu\n", category.c_str(), n.cases, n.both_accept, n.both_reject,
                n.stricter, n.lenient, n.split);
    total += n.cases;
  }
  std::printf("  %-34s %6zu\n%s", "total", total, stricter_lines.c_str());
  std::fflush(stdout);
  return total;
}

// ---------------------------------------------------------------- sizes, mutations

/// VOUCH_DIFF_FLIPS: random mutations per base signature (default `fallback`).
inline int flips_per_signature(int fallback) {
  const char* v = std::getenv("VOUCH_DIFF_FLIPS");
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

/// VOUCH_DIFF_SEED: the random seed (default fixed, so CI is repeatable).
inline uint64_t seed() {
  const char* v = std::getenv("VOUCH_DIFF_SEED");
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : 20261202;
}

/// Flips one random bit of `bytes` in [from, to).
inline std::string flip_bit(std::string bytes, size_t from, size_t to, std::mt19937_64& rng) {
  if (to <= from) return bytes;
  const size_t at = from + rng() % (to - from);
  bytes[at] = static_cast<char>(bytes[at] ^ (1u << (rng() % 8)));
  return bytes;
}

}  // namespace vouch::test::diff
