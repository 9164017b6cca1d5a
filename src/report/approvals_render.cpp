#include "report/approvals_render.h"

#include <sstream>

namespace vouch::report {
namespace {

nlohmann::json optional_json(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

Document render_approve(const app::ApproveResult& r, const app::ApproveOptions& opts) {
  std::string verb = r.withdrawn ? "withdrew the approval of " : "approved ";
  std::string text = r.archive ? verb + "archive " + opts.archive + " (sha256 " + r.archive->sha256.substr(0, 16) +
                                     ") for tag " + opts.tag + " as " + r.signer.str() + "\n"
                               : verb + r.object.oid.substr(0, 12) + " as " + r.signer.str() + "\n";
  nlohmann::json j = {{"schema", 1},    {"object", r.object.oid},  {"type", r.object.type}, {"signer", r.signer.str()},
                      {"line", r.line}, {"withdrawn", r.withdrawn}};
  if (r.archive) {
    j["object"] = r.archive->sha256;
    j["type"] = "archive";
    j["tag"] = r.archive->tag_oid;
  }
  return {text, j};
}

Document render_approval_list(const app::ApprovalList& list) {
  std::ostringstream text;
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& [s, person] : list.approvals) {
    std::string key = s.key.id.empty() ? "-" : s.key.str();
    text << s.status << " " << key;
    if (person) text << " (" << *person << ")";
    if (s.approval && s.approval->type == "archive") text << " archive sha256 " << s.approval->object.substr(0, 16);
    if (!s.reason.empty())
      text << ": " << s.reason;
    else if (s.approval && s.approval->comment)
      text << "  # " << *s.approval->comment;
    text << "\n";
    nlohmann::json e = {{"status", s.status}, {"counts", s.counts}, {"reason", s.reason}, {"line", s.line}};
    e["key"] = s.key.id.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.key.str());
    e["person"] = optional_json(person);
    if (s.approval) {
      e["type"] = s.approval->type;
      if (s.approval->type == "archive") e["archive_sha256"] = s.approval->object;
      e["created"] = s.approval->created;
      e["comment"] = optional_json(s.approval->comment);
    }
    entries.push_back(std::move(e));
  }
  if (list.approvals.empty())
    text << "no approvals of " << list.object.type << " " << list.object.oid.substr(0, 12) << "\n";
  nlohmann::json j = {{"schema", 1}, {"object", list.object.oid}, {"type", list.object.type}, {"approvals", entries}};
  j["tree"] = optional_json(list.object.tree);
  j["repository"] = optional_json(list.object.repository);
  return {text.str(), j};
}

Document render_sync(const app::SyncResult& r) {
  std::string text =
      r.fetched || r.pushed ? "approvals synced with " + r.remote + "\n" : "no approvals here or on " + r.remote + "\n";
  return {text, {{"schema", 1}, {"remote", r.remote}, {"fetched", r.fetched}, {"pushed", r.pushed}}};
}

}  // namespace vouch::report
