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
  if (s.kind == KeyKind::ssh && s.user_present) j["user_present"] = true;
  return j;
}

json to_json(const VerifyReport& r) {
  json commits = json::array();
  for (const auto& c : r.commits) {
    json jc = {{"commit", c.oid},
               {"verdict", c.pass ? "pass" : "fail"},
               {"summary", c.summary},
               {"signature", to_json(c.signature)},
               {"errors", c.errors}};
    if (!c.mergetags.empty()) {
      json tags = json::array();
      for (const auto& m : c.mergetags) tags.push_back({{"tag", m.tag_name}, {"signature", to_json(m.signature)}});
      jc["mergetags"] = tags;
    }
    commits.push_back(jc);
  }
  return {{"schema", 1},
          {"repository", r.repository},
          {"mode", r.mode},
          {"ranges", r.ranges},
          {"tip", r.tip},
          {"verdict", r.pass() ? "pass" : "fail"},
          {"summary", {{"commits", r.commits.size()}, {"passed", r.passed()}, {"failed", r.failed()}, {"cached", 0}}},
          {"warnings", r.warnings},
          {"commits", commits}};
}

json to_json(const TagVerdict& t) {
  return {{"schema", 1},
          {"tag", t.name},
          {"ref", t.ref},
          {"object", t.tag_oid},
          {"target", t.target},
          {"annotated", t.annotated},
          {"verdict", t.pass ? "pass" : "fail"},
          {"signature", to_json(t.signature)},
          {"errors", t.errors}};
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

std::string to_text(const VerifyReport& r, Verbosity v) {
  std::string out;
  for (const auto& w : r.warnings)
    if (v != Verbosity::quiet) out += "warning: " + w + "\n";
  for (const auto& c : r.commits) {
    if (c.pass && v == Verbosity::quiet) continue;
    out += c.oid.substr(0, 12) + (c.pass ? " ok   " : " FAIL ") + describe(c.signature);
    if (v != Verbosity::quiet && !c.summary.empty()) out += "  # " + c.summary;
    out += "\n";
    for (const auto& m : c.mergetags)
      if (v != Verbosity::quiet) out += "             mergetag " + m.tag_name + ": " + describe(m.signature) + "\n";
  }
  out += std::to_string(r.commits.size()) + " commits: " + std::to_string(r.passed()) + " passed, " +
         std::to_string(r.failed()) + " failed\n";
  return out;
}

std::string to_text(const TagVerdict& t, Verbosity) {
  std::string what = t.annotated ? "tag " + t.name + " (" + t.tag_oid.substr(0, 12) + " -> " +
                                       t.target.substr(0, 12) + ")"
                                 : "tag " + t.name + " (lightweight -> " + t.target.substr(0, 12) + ")";
  return what + (t.pass ? ": ok " : ": FAIL ") + describe(t.signature) + "\n";
}

std::string to_text(const FileVerdict& f, Verbosity) {
  return f.file + (f.pass ? ": ok " : ": FAIL ") + describe(f.signature) + "\n";
}

}  // namespace vouch::report
