#include "archive/archive_approvals.h"

#include <algorithm>
#include <set>

#include "git/notes.h"
#include "policy/approval_signer.h"

namespace vouch::archive {

policy::ApprovalStatus check_archive_line(std::string_view line, const ArchiveObject& expected,
                                          const keys::Keyring& keyring, int64_t now) {
  policy::ExpectedObject e;
  e.oid = expected.sha256;
  e.type = "archive";
  e.repository = expected.repository;
  policy::ApprovalStatus s = policy::check_approval_line(line, e, keyring, now);
  if (s.status == "good" && s.approval->tag != expected.tag_oid) {
    std::string got = s.approval->tag.value_or("-"), want = expected.tag_oid;
    if (got.substr(0, 12) != want.substr(0, 12)) {
      got = got.substr(0, 12);
      want = want.substr(0, 12);
    }
    s.status = "mismatch";
    s.counts = false;
    s.reason = "approval is for tag " + got + ", not " + want;
  }
  return s;
}

Result<std::string> make_archive_approval_line(const ArchiveObject& object, const std::string& signing_key,
                                               const KeyId& signer, int64_t now,
                                               const std::optional<std::string>& comment, policy::Withdraw withdraw) {
  policy::Approval a;
  a.object = object.sha256;
  a.type = "archive";
  a.tag = object.tag_oid;
  a.repository = object.repository;
  a.signer = signer;
  a.created = now;
  a.comment = comment;
  a.withdrawn = withdraw == policy::Withdraw::yes;
  return policy::sign_approval(a, signing_key);
}

Result<ArchiveApprovals> check_archive_approvals(git::Repository& repo, const ArchiveApprovalInputs& in, bool differs) {
  ArchiveApprovals out;
  out.sha256 = in.sha256;
  const policy::Policy& pol = *in.policy;
  out.required = differs && !pol.release_require.empty();

  std::optional<std::string> text;  // a lightweight tag has no object to hold approvals
  if (!in.tag_oid.empty()) {
    auto note = git::read_note(repo, in.tag_oid);
    if (!note) return note.error();
    text = std::move(*note);
  }
  std::vector<policy::ApprovalStatus> statuses;
  if (text) {
    // The tag's own approvals share the note; only archive lines are ours.
    for (const auto& line : policy::check_note(*text, policy::ExpectedObject{}, *in.keyring, in.now)) {
      if (!line.approval || line.approval->type != "archive") continue;
      // check_note already voided this line if it was withdrawn: judge it afresh, withdrawals below.
      statuses.push_back(check_archive_line(line.line, {in.sha256, in.tag_oid, pol.repository}, *in.keyring, in.now));
    }
    policy::apply_withdrawals(statuses);
  }
  std::set<std::string> approvers;  // people with a good approval of this file
  for (const auto& s : statuses) {
    ApprovalResult a;
    a.key = s.key.id.empty() ? "" : s.key.str();
    a.status = s.status;
    a.reason = s.reason;
    if (s.counts) {
      if (auto person = pol.person_of(s.key)) {
        a.person = *person;
        if (*person == in.tag_signer && !pol.release_self_approval) {
          a.reason = "the tag's own signer does not count ([release] self_approval = false)";
        } else {
          a.counted = out.required;
          approvers.insert(*person);
        }
      } else {
        a.status = "not-in-policy";
        a.reason = "key " + a.key + " is not in the governing policy";
      }
    }
    out.approvals.push_back(std::move(a));
  }
  if (!out.required) return out;
  for (const auto& req : pol.release_require) {
    RequirementResult r;
    r.group = req.group;
    auto group = pol.groups.find(req.group);
    r.need = req.all && group != pol.groups.end() ? static_cast<int>(group->second.size()) : req.count;
    if (group != pol.groups.end())
      for (const auto& person : group->second)
        if (approvers.contains(person)) r.counted.push_back(person);
    std::sort(r.counted.begin(), r.counted.end());
    r.have = static_cast<int>(r.counted.size());
    out.requirements.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> approval_failures(const ArchiveApprovals& a) {
  std::vector<std::string> out;
  if (!a.required) return out;
  for (const auto& r : a.requirements) {
    if (r.have >= r.need) continue;
    std::string who;
    for (const auto& p : r.counted) who += (who.empty() ? "" : ", ") + p;
    out.push_back("[release] require needs " + std::to_string(r.need - r.have) + " more of " + r.group + " (have " +
                  std::to_string(r.have) + ": " + (who.empty() ? "-" : who) + ")");
  }
  return out;
}

}  // namespace vouch::archive
