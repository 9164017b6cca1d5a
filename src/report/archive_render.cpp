#include "report/archive_render.h"

namespace vouch::report {
namespace {

using json = nlohmann::json;

std::string padded_kind(const std::string& kind) {
  std::string out = kind;
  out.resize(kind.size() < 8 ? 9 : kind.size() + 1, ' ');
  return out;
}

bool unknown(const ArchiveFinding& f) { return f.kind == "allowed" && f.origin != "omitted" && !f.known(); }

std::string finding_line(const std::string& kind, const ArchiveFinding& f) {
  std::string out = padded_kind(kind) + display_name(f.path);
  if (f.known()) out += " = " + display_name(f.known_as);
  if (!f.detail.empty()) out += " (" + display_name(f.detail) + ")";
  return out + "\n";
}

std::string approvals_part(const ArchiveApprovals& a) {
  if (!a.required) return "";
  if (a.requirements.size() == 1)
    return "; approvals " + std::to_string(a.requirements[0].have) + " of " + std::to_string(a.requirements[0].need);
  std::string out = "; approvals ";
  for (size_t i = 0; i < a.requirements.size(); ++i) {
    const auto& r = a.requirements[i];
    out += (i ? ", " : "") + std::to_string(r.have) + " of " + std::to_string(r.need) + " " + r.group;
  }
  return out;
}

}  // namespace

std::string summary_line(const ArchiveVerdict& a) {
  size_t omitted = a.count("allowed") - a.count_known(true) - a.count_known(false);
  std::string allowed = std::to_string(a.count("allowed")) + " allowed (" + std::to_string(a.count_known(true)) +
                        " known, " + std::to_string(a.count_known(false)) + " unknown" +
                        (omitted > 0 ? ", " + std::to_string(omitted) + " omitted" : "") + ")";
  return display_name(a.archive) + (a.pass ? ": ok " : ": FAIL ") + std::to_string(a.members) +
         " members: " + std::to_string(a.matched) + " matched, " + allowed + ", " + std::to_string(a.count("added")) +
         " added, " + std::to_string(a.count("changed")) + " changed, " + std::to_string(a.count("missing")) +
         " missing, " + std::to_string(a.count("unsafe")) + " unsafe" + approvals_part(a.approvals) +
         (a.tag_verdict.pass ? "" : "; tag " + a.tag + " does not verify");
}

json to_json(const ArchiveVerdict& a) {
  json findings = json::array();
  json notices = json::array();
  for (const auto& f : a.findings) {
    json j = {{"kind", f.kind}, {"path", display_name(f.path)}, {"detail", display_name(f.detail)}};
    if (f.kind == "allowed") {
      j["origin"] = f.origin;
      j["known_as"] = f.known() ? json(display_name(f.known_as)) : json(nullptr);
    }
    findings.push_back(std::move(j));
    if (unknown(f))
      notices.push_back("unknown file " + display_name(f.path) + " in " + display_name(a.archive) +
                        ": review it (" + display_name(f.detail) + ")");
  }
  json members = json::array();
  for (const auto& m : a.classes) members.push_back({{"path", display_name(m.path)}, {"class", m.klass}});
  json errors = json::array();
  for (const auto& e : a.errors) errors.push_back(display_name(e));
  json notes = json::array();
  for (const auto& n : a.notes) notes.push_back(display_name(n));
  json ignored = json::array();
  for (const auto& p : a.export_ignored) ignored.push_back(display_name(p));
  json known_dirs = json::array();
  for (const auto& d : a.known_dirs) known_dirs.push_back(display_name(d));
  json requirements = json::array();
  for (const auto& r : a.approvals.requirements)
    requirements.push_back({{"group", r.group}, {"need", r.need}, {"have", r.have}, {"counted", r.counted}});
  json list = json::array();
  for (const auto& ap : a.approvals.approvals)
    list.push_back({{"key", ap.key}, {"person", ap.person}, {"status", ap.status}, {"reason", ap.reason},
                    {"counted", ap.counted}});
  json tag = to_json(a.tag_verdict);
  tag.erase("schema");
  size_t omitted = a.count("allowed") - a.count_known(true) - a.count_known(false);
  return {{"schema", 1},
          {"archive", display_name(a.archive)},
          {"tag", a.tag},
          {"commit", a.commit},
          {"format", a.format},
          {"prefix", display_name(a.prefix)},
          {"notes", notes},
          {"known_dirs", known_dirs},
          {"verdict", a.pass ? "pass" : "fail"},
          {"tag_verdict", tag},
          {"summary",
           {{"members", a.members},
            {"matched", a.matched},
            {"allowed", a.count("allowed")},
            {"known", a.count_known(true)},
            {"unknown", a.count_known(false)},
            {"omitted", omitted},
            {"added", a.count("added")},
            {"changed", a.count("changed")},
            {"missing", a.count("missing")},
            {"unsafe", a.count("unsafe")}}},
          {"approvals",
           {{"required", a.approvals.required},
            {"satisfied", !a.approvals.required || a.approvals.satisfied()},
            {"sha256", a.approvals.sha256},
            {"requirements", requirements},
            {"list", list}}},
          {"findings", findings},
          {"members", members},
          {"export_ignored", ignored},
          {"notices", notices},
          {"errors", errors}};
}

std::string to_text(const ArchiveVerdict& a, Verbosity v) {
  std::string out = to_text(a.tag_verdict, v);
  if (v != Verbosity::quiet) {
    out += "archive " + display_name(a.archive) + " (" + a.format + ")";
    if (!a.prefix.empty()) out += ", prefix " + display_name(a.prefix) + " stripped";
    out += "\n";
    for (const auto& n : a.notes) out += "note: " + display_name(n) + "\n";
    if (!a.export_ignored.empty())
      out += "note: " + std::to_string(a.export_ignored.size()) +
             " file(s) with export-ignore at the tag are not expected (as git archive leaves them out)\n";
  }
  out += summary_line(a) + "\n";
  for (const auto& f : a.findings)
    if (unknown(f)) out += finding_line("unknown", f);
  for (const auto& f : a.findings)
    if (f.kind != "allowed") out += finding_line(f.kind, f);
  for (const auto& ap : a.approvals.approvals) {
    out += "approval " + ap.status + " " + (ap.key.empty() ? "-" : ap.key);
    if (!ap.person.empty()) out += " (" + ap.person + ")";
    if (!ap.reason.empty()) out += ": " + display_name(ap.reason);
    out += "\n";
  }
  if (v == Verbosity::quiet) return out;
  for (const auto& f : a.findings)
    if (f.kind == "allowed" && !unknown(f)) out += finding_line(f.origin == "omitted" ? "omitted" : "known", f);
  return out;
}

}  // namespace vouch::report
