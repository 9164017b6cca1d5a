// bench/trust-check — times the web-of-trust computation (src/wot/wot.h) on a
// synthetic graph against the spec's bar: with 10,000 keys and 100,000
// endorsements, one trust check answers in under 100 ms.
//
// The graph is generated from a fixed seed (same graph on every run, every
// machine: it uses its own xorshift generator, not <random>'s distributions):
//   - people own 1-3 keys each (person pN, email pN@example.org);
//   - R roots (default 5) and I introducers (default 100): each root endorses
//     every introducer at 120 with depth 3; each introducer endorses 5 other
//     introducers (60 or 120, depth 2);
//   - the rest of the endorsements go from a random introducer (40 %) or a
//     random key (60 %) to a random key: amount 120 (60 %) or 60, depth 255
//     (D %, default 5), else 0 (74 %) or 1; 1 % carry a scope, 2 % expired,
//     2 % are retracted by a newer amount-0 statement.
// It times TrustGraph::build() once and trust_of_key() for C random targets
// (default 100), and prints the figures. Exit 0 when the slowest check is
// under the bar, 1 otherwise, 2 on bad arguments.
//
// Usage: trust-check [--keys N] [--endorsements M] [--roots R] [--introducers I]
//                    [--checks C] [--seed S] [--min-age SECONDS]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "wot/wot.h"

namespace {

using vouch::KeyId;
using vouch::KeyKind;
using namespace vouch::trust;

struct Rng {
  uint64_t s;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  size_t below(size_t n) { return static_cast<size_t>(next() % n); }
  bool chance(int percent) { return below(100) < static_cast<size_t>(percent); }
};

struct Config {
  size_t keys = 10'000, endorsements = 100'000, roots = 5, introducers = 100, checks = 100;
  uint64_t seed = 0x5eed'0f'7e'57ULL;
  int64_t min_age = 0;
  size_t deep = 5;  ///< percent of the random endorsements with depth 255
};

constexpr int64_t kNow = 1'800'000'000;
constexpr int64_t kDay = 86'400;

KeyId key_id(size_t i) { return KeyId{KeyKind::ssh, "SHA256:bench" + std::to_string(i)}; }

WotInput generate(const Config& c) {
  Rng rng{c.seed};
  WotInput in;
  for (size_t k = 0, person = 0; k < c.keys; ++person) {
    size_t n = 1 + rng.below(3);
    for (size_t i = 0; i < n && k < c.keys; ++i, ++k)
      in.keys.push_back(WotKey{key_id(k), "p" + std::to_string(person),
                               {"p" + std::to_string(person) + "@example.org"}});
  }
  for (size_t r = 0; r < c.roots; ++r) in.roots.push_back(key_id(r));

  auto endorse = [&](size_t from, size_t to, int amount, int depth) -> Endorsement& {
    Endorsement e;
    e.issuer = key_id(from);
    e.target = key_id(to);
    e.amount = amount;
    e.depth = depth;
    e.created = kNow - static_cast<int64_t>(1 + rng.below(700)) * kDay;
    in.endorsements.push_back(std::move(e));
    return in.endorsements.back();
  };
  const size_t first_intro = c.roots, end_intro = c.roots + c.introducers;
  for (size_t r = 0; r < c.roots; ++r)
    for (size_t i = first_intro; i < end_intro; ++i) endorse(r, i, 120, 3);
  for (size_t i = first_intro; i < end_intro; ++i)
    for (int n = 0; n < 5; ++n) endorse(i, first_intro + rng.below(c.introducers), rng.chance(50) ? 120 : 60, 2);

  while (in.endorsements.size() < c.endorsements) {
    size_t from = rng.chance(40) ? first_intro + rng.below(c.introducers) : rng.below(c.keys);
    size_t to = rng.below(c.keys);
    int depth = rng.chance(static_cast<int>(c.deep)) ? 255 : (rng.chance(74) ? 0 : 1);
    Endorsement& e = endorse(from, to, rng.chance(60) ? 120 : 60, depth);
    if (rng.chance(1)) e.scopes = {"p1*@example.org"};
    if (rng.chance(2)) e.expires = kNow - kDay;
    if (rng.chance(2) && in.endorsements.size() < c.endorsements) {
      Endorsement retract = in.endorsements.back();
      retract.amount = 0;
      retract.created += kDay / 2;
      in.endorsements.push_back(std::move(retract));
    }
  }
  return in;
}

bool parse_size(std::string_view s, size_t& out) {
  char* end = nullptr;
  std::string str(s);
  unsigned long long v = std::strtoull(str.c_str(), &end, 10);
  if (str.empty() || *end != '\0') return false;
  out = static_cast<size_t>(v);
  return true;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    size_t v = 0;
    if (i + 1 >= argc || !parse_size(argv[i + 1], v)) {
      std::fprintf(stderr, "trust-check: %s needs a number\nusage: trust-check [--keys N] [--endorsements M] "
                           "[--roots R] [--introducers I] [--checks C] [--seed S] [--min-age SECONDS] [--deep D]\n",
                   argv[i]);
      return 2;
    }
    ++i;
    if (a == "--keys") c.keys = v;
    else if (a == "--endorsements") c.endorsements = v;
    else if (a == "--roots") c.roots = v;
    else if (a == "--introducers") c.introducers = v;
    else if (a == "--checks") c.checks = v;
    else if (a == "--seed") c.seed = v;
    else if (a == "--deep") c.deep = std::min<size_t>(v, 100);
    else if (a == "--min-age") c.min_age = static_cast<int64_t>(v);
    else {
      std::fprintf(stderr, "trust-check: unknown option %s\n", argv[i - 1]);
      return 2;
    }
  }
  if (c.keys < c.roots + c.introducers + 1 || c.roots == 0 || c.introducers == 0 || c.seed == 0) {
    std::fprintf(stderr, "trust-check: need keys > roots + introducers, roots > 0, introducers > 0, seed > 0\n");
    return 2;
  }

  auto t0 = std::chrono::steady_clock::now();
  WotInput in = generate(c);
  double gen_ms = ms_since(t0);

  WotOptions opts;
  opts.at = kNow;
  opts.min_age = c.min_age;
  t0 = std::chrono::steady_clock::now();
  TrustGraph g = TrustGraph::build(in, opts);
  double build_ms = ms_since(t0);

  Rng pick{c.seed ^ 0x9e3779b97f4a7c15ULL};
  std::vector<double> times;
  size_t trusted = 0, paths = 0, max_paths = 0, limited = 0;
  int max_amount = 0;
  for (size_t i = 0; i < c.checks; ++i) {
    KeyId target = key_id(c.roots + c.introducers + pick.below(c.keys - c.roots - c.introducers));
    t0 = std::chrono::steady_clock::now();
    TrustResult r = g.trust_of_key(target);
    times.push_back(ms_since(t0));
    trusted += r.amount >= kFullTrust ? 1 : 0;
    paths += r.paths.size();
    max_paths = std::max(max_paths, r.paths.size());
    max_amount = std::max(max_amount, r.amount);
    limited += r.note.rfind("stopped", 0) == 0 ? 1 : 0;
  }
  double sum = 0, worst = 0;
  for (double t : times) {
    sum += t;
    worst = std::max(worst, t);
  }
  std::sort(times.begin(), times.end());
  double avg = times.empty() ? 0 : sum / static_cast<double>(times.size());
  double median = times.empty() ? 0 : times[times.size() / 2];

  std::printf("trust-check: %zu keys, %zu endorsements (%zu roots, %zu introducers, seed %llu)\n", c.keys,
              in.endorsements.size(), c.roots, c.introducers, static_cast<unsigned long long>(c.seed));
  std::printf("graph:       %zu nodes (people and lone keys), %zu endorsements in force\n", g.node_count(),
              g.edge_count());
  std::printf("generate:    %.1f ms\n", gen_ms);
  std::printf("build:       %.1f ms\n", build_ms);
  std::printf("checks:      %zu random targets: avg %.3f ms, median %.3f ms, max %.3f ms\n", times.size(), avg,
              median, worst);
  std::printf("results:     %zu fully trusted, %.1f paths per check (max %zu), max amount %d, %zu hit the path limit\n",
              trusted, times.empty() ? 0.0 : static_cast<double>(paths) / static_cast<double>(times.size()),
              max_paths, max_amount, limited);
  std::printf("bar:         max check < 100 ms: %s\n", worst < 100.0 ? "PASS" : "MISS");
  return worst < 100.0 ? 0 : 1;
}
