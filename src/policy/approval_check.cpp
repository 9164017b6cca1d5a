#include "policy/approval_check.h"

#include <algorithm>
#include <map>

#include "statement/statement.h"
#include "statement/verifier.h"

namespace vouch::policy {
namespace {

/// Two oids for a message: 12 digits each, unless those are equal (then the
/// message must show where they differ).
std::pair<std::string, std::string> shorten(const std::string& a, const std::string& b) {
  if (a.substr(0, 12) != b.substr(0, 12)) return {a.substr(0, 12), b.substr(0, 12)};
  return {a, b};
}

/// Printable text for a message: the first 80 bytes of a line, controls as '?'.
std::string excerpt(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < 80; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    out += (c < 0x20 || c >= 0x7f) ? '?' : static_cast<char>(c);
  }
  if (s.size() > 80) out += "...";
  return out;
}

/// Why a good, correctly signed approval does not fit `expected`; empty when it does.
std::string mismatch(const Approval& a, const ExpectedObject& e, int64_t now) {
  if (a.type != e.type) return "approval is of type " + a.type + ", not " + e.type;
  if (a.object != e.oid) {
    auto [got, want] = shorten(a.object, e.oid);
    return "approval is for " + a.type + " " + got + ", not " + want;
  }
  if (a.tree != e.tree) {
    auto [got, want] = shorten(a.tree.value_or("-"), e.tree.value_or("-"));
    return "approval is for tree " + got + ", not " + want;
  }
  if (a.repository != e.repository) {
    if (!a.repository) return "approval names no repository, not " + *e.repository;
    if (!e.repository) return "approval is for repository " + *a.repository + ", but the policy sets no repository";
    return "approval is for repository " + *a.repository + ", not " + *e.repository;
  }
  if (a.created < e.time)
    return "approval created at " + std::to_string(a.created) + ", before the " + e.type + "'s own time " +
           std::to_string(e.time);
  if (a.created > now && a.created - now > kApprovalClockSkew)
    return "approval created at " + std::to_string(a.created) + ", after now " + std::to_string(now);
  return {};
}

}  // namespace

ApprovalStatus check_approval_line(std::string_view line, const ExpectedObject& expected,
                                   const keys::Keyring& keyring, int64_t now, const SignatureRules& rules) {
  ApprovalStatus s;
  s.line = std::string(line);
  // Only "vouch-approval v1 ..." is ours; other lines (another tool's notes, a
  // future version) are reported and ignored rather than called malformed.
  std::string_view prefix = "vouch-approval v1 ";
  if (!line.starts_with(prefix)) {
    s.status = "unrecognised";
    s.reason = "not a vouch-approval v1 line: " + excerpt(line);
    return s;
  }
  auto st = statement::parse_transport_line(line);
  if (!st) {
    s.status = "malformed";
    s.reason = st.error().message;
    return s;
  }
  auto a = parse_approval(st->text);
  if (!a) {
    s.status = "malformed";
    s.reason = "approval " + a.error().message;
    return s;
  }
  s.approval = *a;
  s.key = a->signer;
  s.signature = statement::verify_statement(*st, keyring, statement::kApprovalType, now, a->created, rules);
  if (!s.signature.key.empty()) {
    if (auto k = KeyId::parse(s.signature.key)) s.key = *k;
  }
  if (s.signature.status != SigStatus::good) {
    s.status = std::string(to_string(s.signature.status));
    s.reason = s.signature.reason;
    return s;
  }
  if (s.signature.key != a->signer.str()) {
    s.status = "mismatch";
    s.reason = "signer line names " + a->signer.str() + " but " + s.signature.key + " signed";
    return s;
  }
  if (std::string why = mismatch(*a, expected, now); !why.empty()) {
    s.status = "mismatch";
    s.reason = std::move(why);
    return s;
  }
  s.status = "good";
  s.counts = true;
  return s;
}

void apply_withdrawals(std::vector<ApprovalStatus>& statuses) {
  std::map<std::string, int64_t> latest;  // key -> newest retraction time
  for (auto& s : statuses) {
    if (s.status != "good" || !s.approval || !s.approval->withdrawn) continue;
    s.status = "withdrawal";
    s.counts = false;
    s.reason = "withdraws " + s.key.str() + "'s approvals made at or before " + std::to_string(s.approval->created);
    auto [it, fresh] = latest.emplace(s.key.str(), s.approval->created);
    if (!fresh) it->second = std::max(it->second, s.approval->created);
  }
  for (auto& s : statuses) {
    if (s.status != "good" || !s.approval) continue;
    auto it = latest.find(s.key.str());
    if (it == latest.end() || s.approval->created > it->second) continue;
    s.status = "withdrawn";
    s.counts = false;
    s.reason = "withdrawn by the same key at " + std::to_string(it->second);
  }
}

std::vector<ApprovalStatus> check_note(std::string_view note_text, const ExpectedObject& expected,
                                       const keys::Keyring& keyring, int64_t now, const SignatureRules& rules) {
  std::vector<ApprovalStatus> out;
  size_t start = 0;
  while (start < note_text.size()) {
    size_t lf = note_text.find('\n', start);
    size_t end = lf == std::string_view::npos ? note_text.size() : lf;
    std::string_view line = note_text.substr(start, end - start);
    if (!line.empty()) out.push_back(check_approval_line(line, expected, keyring, now, rules));
    start = end + 1;
  }
  apply_withdrawals(out);
  return out;
}

}  // namespace vouch::policy
