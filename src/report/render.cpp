#include "report/render.h"

namespace vouch::report {
namespace {

using nlohmann::json;

std::string describe(const SignatureResult& s) {
  std::string out(to_string(s.status));
  if (!s.key.empty()) out += s.status == SigStatus::good ? " " + s.key : " (" + s.key + ")";
  if (!s.signing_key.empty() && s.status == SigStatus::good) out += " via subkey " + s.signing_key.substr(8);
  if (!s.reason.empty()) out += ": " + s.reason;
  return out;
}

}  // namespace

json to_json(const SignatureResult& s) {
  json j = {{"status", to_string(s.status)}};
  if (s.kind) j["kind"] = to_string(*s.kind);
  if (!s.key.empty()) j["key"] = s.key;
  if (!s.signing_key.empty()) j["signing_key"] = s.signing_key;
  if (s.created) j["created"] = *s.created;
  if (!s.reason.empty()) j["reason"] = s.reason;
  if (!s.backend.empty()) j["backend"] = s.backend;
  if (!s.digest.empty()) j["digest"] = s.digest;
  if (!s.sha1_rule.empty()) j["sha1_rule"] = s.sha1_rule;
  if (s.user_presence) j["user_presence"] = *s.user_presence;
  if (s.user_verification) j["user_verification"] = *s.user_verification;
  return j;
}

json rules_json(const std::vector<RuleResult>& rules) {
  json out = json::array();
  for (const auto& rule : rules) {
    json reqs = json::array();
    for (const auto& q : rule.requirements)
      reqs.push_back({{"group", q.group}, {"need", q.need}, {"have", q.have}, {"counted", q.counted}});
    out.push_back({{"name", rule.name}, {"satisfied", rule.satisfied}, {"paths", rule.paths}, {"requirements", reqs}});
  }
  return out;
}

json approvals_json(const std::vector<ApprovalResult>& approvals) {
  json out = json::array();
  for (const auto& a : approvals) {
    json ja = {{"key", a.key}, {"person", a.person}, {"status", a.status}, {"counted", a.counted}};
    if (!a.reason.empty()) ja["reason"] = a.reason;
    out.push_back(ja);
  }
  return out;
}

json to_json(const VerifyReport& r) {
  json commits = json::array();
  for (const auto& c : r.commits) {
    json signature = to_json(c.signature);
    if (!c.signer_person.empty()) signature["person"] = c.signer_person;
    json jc = {{"commit", c.oid},
               {"verdict", c.pass ? "pass" : "fail"},
               {"summary", c.summary},
               {"signature", signature},
               {"errors", c.errors}};
    if (r.mode == "policy") {
      jc["policy_from"] = c.policy_from;
      jc["rules"] = rules_json(c.rules);
      jc["approvals"] = approvals_json(c.approvals);
      jc["notices"] = c.notices;
    }
    if (!c.mergetags.empty()) {
      json tags = json::array();
      for (const auto& m : c.mergetags) tags.push_back({{"tag", m.tag_name}, {"signature", to_json(m.signature)}});
      jc["mergetags"] = tags;
    }
    commits.push_back(jc);
  }
  json doc = {{"schema", 1},
          {"repository", r.repository},
          {"mode", r.mode},
          {"ranges", r.ranges},
          {"tip", r.tip},
          {"verdict", r.pass() ? "pass" : "fail"},
          {"summary", {{"commits", r.commits.size()}, {"passed", r.passed()}, {"failed", r.failed()}, {"cached", 0}}},
          {"warnings", r.warnings},
          {"commits", commits}};
  if (r.mode == "policy") {
    doc["trust_root"] = r.trust_root;
    doc["trust_root_source"] = r.trust_root_source;
  }
  return doc;
}

json to_json(const TagVerdict& t) {
  json doc = {{"schema", 1},
          {"tag", t.name},
          {"ref", t.ref},
          {"object", t.tag_oid},
          {"target", t.target},
          {"annotated", t.annotated},
          {"verdict", t.pass ? "pass" : "fail"},
          {"signature", to_json(t.signature)},
          {"errors", t.errors}};
  if (!t.signer_person.empty()) doc["signature"]["person"] = t.signer_person;
  if (!t.trust_root.empty()) {
    doc["trust_root"] = t.trust_root;
    doc["trust_root_source"] = t.trust_root_source;
    doc["commit_verified"] = t.commit_verified;
  }
  if (!t.rules.empty() || !t.approvals.empty()) {
    doc["rules"] = rules_json(t.rules);
    doc["approvals"] = approvals_json(t.approvals);
  }
  return doc;
}

json to_json(const FileVerdict& f) {
  json j = {{"schema", 1},
            {"file", f.file},
            {"signature_file", f.signature_file},
            {"verdict", f.pass ? "pass" : "fail"},
            {"signature", to_json(f.signature)},
            {"errors", json::array()}};
  if (f.signature.kind == KeyKind::ssh) j["namespace"] = f.ssh_namespace;
  if (!f.pass) j["errors"].push_back(f.file + ": signature " + describe(f.signature));
  return j;
}

json error_json(const std::string& message) {
  return {{"schema", 1}, {"verdict", "error"}, {"errors", json::array({message})}};
}

namespace {

/// "    approved by lasse, sam; not counted: bob (withdrawn)", or "" when
/// nobody approved: who approved, compactly, in the same place as who signed.
std::string approvals_line(const std::vector<ApprovalResult>& approvals) {
  std::string counted, other;
  for (const auto& a : approvals) {
    if (a.status == "unrecognised") continue;
    std::string who = a.person.empty() ? a.key : a.person;
    if (who.empty()) who = "?";
    if (a.counted) counted += (counted.empty() ? "" : ", ") + who;
    else other += (other.empty() ? "" : ", ") + who + " (" + a.status + ")";
  }
  if (counted.empty() && other.empty()) return "";
  std::string line = "    approved by " + (counted.empty() ? std::string("-") : counted);
  if (!other.empty()) line += "; not counted: " + other;
  return line + "\n";
}

}  // namespace

std::string to_text(const VerifyReport& r, Verbosity v) {
  std::string out;
  for (const auto& w : r.warnings)
    if (v != Verbosity::quiet) out += "warning: " + w + "\n";
  if (r.mode == "policy" && v != Verbosity::quiet)
    out += "trust root " + r.trust_root.substr(0, 12) + " (" + r.trust_root_source + ")\n";
  for (const auto& c : r.commits) {
    if (c.pass && v == Verbosity::quiet) continue;
    out += c.oid.substr(0, 12) + (c.pass ? " ok   " : " FAIL ") + describe(c.signature);
    if (!c.signer_person.empty()) out += " (" + c.signer_person + ")";
    if (v != Verbosity::quiet && !c.summary.empty()) out += "  # " + c.summary;
    out += "\n";
    if (r.mode == "policy") {
      if (v != Verbosity::quiet) out += approvals_line(c.approvals);
      const std::string shown = "commit " + c.oid.substr(0, 12) + ": signature ";  // said by describe() above
      for (const auto& e : c.errors)
        if (!e.starts_with(shown)) out += "    " + e + "\n";
      if (v != Verbosity::quiet)
        for (const auto& n : c.notices) out += "    notice: " + n + "\n";
    }
    for (const auto& m : c.mergetags)
      if (v != Verbosity::quiet) out += "             mergetag " + m.tag_name + ": " + describe(m.signature) + "\n";
  }
  out += std::to_string(r.commits.size()) + " commits: " + std::to_string(r.passed()) + " passed, " +
         std::to_string(r.failed()) + " failed\n";
  return out;
}

std::string to_text(const TagVerdict& t, Verbosity v) {
  std::string what = t.annotated ? "tag " + t.name + " (" + t.tag_oid.substr(0, 12) + " -> " +
                                       t.target.substr(0, 12) + ")"
                                 : "tag " + t.name + " (lightweight -> " + t.target.substr(0, 12) + ")";
  std::string out = what + (t.pass ? ": ok " : ": FAIL ") + describe(t.signature) +
                    (t.signer_person.empty() ? "" : " (" + t.signer_person + ")") + "\n";
  if (v != Verbosity::quiet) out += approvals_line(t.approvals);
  const std::string shown = "tag " + t.name + ": signature ";  // already said by describe() above
  for (const auto& e : t.errors)
    if (!e.starts_with(shown)) out += "    " + e + "\n";
  return out;
}

Document render_tags(const std::vector<TagVerdict>& tags, Verbosity v) {
  std::string text;
  json list = json::array();
  bool all_pass = true;
  for (const auto& t : tags) {
    all_pass = all_pass && t.pass;
    text += to_text(t, v);
    list.push_back(to_json(t));
  }
  json doc = list.size() == 1 ? list[0] : json{{"schema", 1}, {"verdict", all_pass ? "pass" : "fail"}, {"tags", list}};
  return {text, doc};
}

std::string to_text(const FileVerdict& f, Verbosity) {
  return f.file + (f.pass ? ": ok " : ": FAIL ") + describe(f.signature) + "\n";
}

}  // namespace vouch::report

// --- verify-archive ---------------------------------------------------------

namespace vouch::report {
namespace {

/// Length of the valid UTF-8 sequence starting at s[i], or 0.
size_t utf8_length(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xc0) != 0x80) return 0;
  if (n == 3 && ((c == 0xe0 && b(i + 1) < 0xa0) || (c == 0xed && b(i + 1) >= 0xa0))) return 0;  // overlong, surrogate
  if (n == 4 && ((c == 0xf0 && b(i + 1) < 0x90) || (c == 0xf4 && b(i + 1) >= 0x90))) return 0;  // overlong, > U+10FFFF
  return n;
}

}  // namespace

std::string display_name(std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < raw.size();) {
    auto c = static_cast<unsigned char>(raw[i]);
    if (c == '\\') {
      out += "\\\\";
      ++i;
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
      ++i;
    } else if (size_t n = c >= 0x80 ? utf8_length(raw, i) : 0; n > 0) {
      out.append(raw.substr(i, n));
      i += n;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
      ++i;
    }
  }
  return out;
}

}  // namespace vouch::report
