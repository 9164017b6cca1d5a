#include "policy/approval.h"

#include <limits>

namespace vouch::policy {
namespace {

using statement::malformed_at;
using statement::quote;

/// A full object id: 40 (SHA-1) or 64 (SHA-256) lower-case hex digits, the
/// only spelling git prints, so that equal objects compare equal as text.
bool is_oid(std::string_view s) {
  if (s.size() != 40 && s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Result<std::string> oid_value(const statement::StatementField& f) {
  if (!is_oid(f.value))
    return malformed_at(f.line, std::string(f.name) + " " + quote(f.value) +
                                    " is not an object id (40 or 64 lower-case hex digits)");
  return std::string(f.value);
}

}  // namespace

const statement::StatementSchema& approval_schema() {
  static const statement::StatementSchema schema{statement::kApprovalHeader,
                                                 {{"object", true, false},
                                                  {"type", true, false},
                                                  {"tree", false, false},
                                                  {"tag", false, false},
                                                  {"repository", false, false},
                                                  {"signer", true, false},
                                                  {"created", true, false},
                                                  {"withdrawn", false, false},
                                                  {"comment", false, false}}};
  return schema;
}

Result<Approval> parse_approval(std::string_view text) {
  auto fields = statement::parse_statement_fields(text, approval_schema());
  if (!fields) return fields.error();
  Approval a;
  size_t type_line = 0;
  size_t tree_line = 0;
  size_t tag_line = 0;
  size_t object_line = 0;
  for (const statement::StatementField& f : *fields) {
    if (f.name == "object") {
      auto v = oid_value(f);
      if (!v) return v.error();
      a.object = std::move(*v);
      object_line = f.line;
    } else if (f.name == "type") {
      if (f.value != "commit" && f.value != "tag" && f.value != "archive")
        return malformed_at(f.line, "type " + quote(f.value) + " is not \"commit\", \"tag\" or \"archive\"");
      a.type = std::string(f.value);
      type_line = f.line;
    } else if (f.name == "tree") {
      auto v = oid_value(f);
      if (!v) return v.error();
      a.tree = std::move(*v);
      tree_line = f.line;
    } else if (f.name == "tag") {
      auto v = oid_value(f);
      if (!v) return v.error();
      a.tag = std::move(*v);
      tag_line = f.line;
    } else if (f.name == "repository") {
      a.repository = std::string(f.value);
    } else if (f.name == "signer") {
      auto id = statement::parse_statement_key(f);
      if (!id) return id.error();
      a.signer = *id;
    } else if (f.name == "created") {
      auto v = statement::parse_statement_number(f, 0, std::numeric_limits<int64_t>::max());
      if (!v) return v.error();
      a.created = *v;
    } else if (f.name == "withdrawn") {
      if (f.value != "yes") return malformed_at(f.line, "withdrawn " + quote(f.value) + " is not \"yes\"");
      a.withdrawn = true;
    } else if (f.name == "comment") {
      a.comment = std::string(f.value);
    }
  }
  // The tree binds a commit approval to the content; a tag object has no tree
  // of its own (its content is the tag's target, which its oid already binds).
  if (a.type == "commit" && !a.tree) return malformed_at(type_line + 1, "a commit approval needs a \"tree\" line");
  if (a.type != "commit" && a.tree) return malformed_at(tree_line, "a " + a.type + " approval has no \"tree\" line");
  // An archive is bound to the tag whose tree it was compared with; its
  // object is the file's SHA-256, never a git object id.
  if (a.type == "archive" && !a.tag) return malformed_at(type_line + 1, "an archive approval needs a \"tag\" line");
  if (a.type != "archive" && a.tag) return malformed_at(tag_line, "a " + a.type + " approval has no \"tag\" line");
  if (a.type == "archive" && a.object.size() != 64)
    return malformed_at(object_line, "an archive approval's object is the SHA-256 of the file (64 hex digits)");
  return a;
}

std::string serialize(const Approval& a) {
  std::string out(statement::kApprovalHeader);
  out += "\nobject " + a.object + "\ntype " + a.type + "\n";
  if (a.tree) out += "tree " + *a.tree + "\n";
  if (a.tag) out += "tag " + *a.tag + "\n";
  if (a.repository) out += "repository " + *a.repository + "\n";
  out += "signer " + a.signer.str() + "\ncreated " + std::to_string(a.created) + "\n";
  if (a.withdrawn) out += "withdrawn yes\n";
  if (a.comment) out += "comment " + *a.comment + "\n";
  return out;
}

Result<std::string> serialize_checked(const Approval& a) {
  std::string text = serialize(a);
  auto back = parse_approval(text);
  if (!back) return back.error();
  // A value holding a newline can parse as other fields: compare them all.
  if (!(*back == a)) return make_error(ErrorKind::malformed, "approval: a value holds a line break");
  return text;
}

}  // namespace vouch::policy
