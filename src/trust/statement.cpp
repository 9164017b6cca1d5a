#include "trust/statement.h"

#include <limits>

namespace vouch::trust {
namespace {

using statement::FieldSpec;
using statement::malformed_at;
using statement::quote;
using statement::StatementField;
using statement::StatementSchema;

bool is_person_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
      return false;
  return true;
}

Result<std::string> checked_text(const statement::StatementField& f) {
  if (f.value.find(' ') != std::string_view::npos)
    return malformed_at(f.line, std::string(f.name) + " " + quote(f.value) + " contains a space");
  return std::string(f.value);
}

bool same(const Endorsement& a, const Endorsement& b) {
  return a.issuer == b.issuer && a.target == b.target && a.person == b.person && a.emails == b.emails &&
         a.amount == b.amount && a.depth == b.depth && a.scopes == b.scopes && a.created == b.created &&
         a.expires == b.expires && a.comment == b.comment;
}

bool same(const RevocationStatement& a, const RevocationStatement& b) {
  return a.key == b.key && a.reason == b.reason && a.created == b.created && a.comment == b.comment;
}

}  // namespace

const statement::StatementSchema& endorsement_schema() {
  static const statement::StatementSchema schema{statement::kEndorsementHeader,
                                                 {{"issuer", true, false},
                                                  {"target", true, false},
                                                  {"person", false, false},
                                                  {"email", false, true},
                                                  {"amount", true, false},
                                                  {"depth", true, false},
                                                  {"scope", false, true},
                                                  {"created", true, false},
                                                  {"expires", false, false},
                                                  {"comment", false, false}}};
  return schema;
}

const statement::StatementSchema& revocation_schema() {
  static const statement::StatementSchema schema{
      statement::kRevocationHeader,
      {{"key", true, false}, {"reason", true, false}, {"created", true, false}, {"comment", false, false}}};
  return schema;
}

Result<Endorsement> parse_endorsement(std::string_view text) {
  auto fields = statement::parse_statement_fields(text, endorsement_schema());
  if (!fields) return fields.error();
  constexpr int64_t kMaxTime = std::numeric_limits<int64_t>::max();
  Endorsement e;
  size_t expires_line = 0;
  for (const statement::StatementField& f : *fields) {
    if (f.name == "issuer" || f.name == "target") {
      auto id = statement::parse_statement_key(f);
      if (!id) return id.error();
      (f.name == "issuer" ? e.issuer : e.target) = *id;
    } else if (f.name == "person") {
      if (!is_person_name(f.value))
        return malformed_at(f.line, "person " + quote(f.value) + " must match [a-z0-9._-]+");
      e.person = std::string(f.value);
    } else if (f.name == "email" || f.name == "scope") {
      auto v = checked_text(f);
      if (!v) return v.error();
      (f.name == "email" ? e.emails : e.scopes).push_back(std::move(*v));
    } else if (f.name == "amount" || f.name == "depth") {
      bool amount = f.name == "amount";
      auto v = statement::parse_statement_number(f, 0, amount ? kFullTrust : kUnlimitedDepth);
      if (!v) return v.error();
      (amount ? e.amount : e.depth) = static_cast<int>(*v);
    } else if (f.name == "created" || f.name == "expires") {
      auto v = statement::parse_statement_number(f, 0, kMaxTime);
      if (!v) return v.error();
      if (f.name == "created") {
        e.created = *v;
      } else {
        e.expires = *v;
        expires_line = f.line;
      }
    } else if (f.name == "comment") {
      e.comment = std::string(f.value);
    }
  }
  if (e.expires && *e.expires <= e.created)
    return malformed_at(expires_line, "expires " + std::to_string(*e.expires) + " is not after created " +
                                          std::to_string(e.created));
  return e;
}

std::string serialize(const Endorsement& e) {
  std::string out(statement::kEndorsementHeader);
  out += "\nissuer " + e.issuer.str() + "\ntarget " + e.target.str() + "\n";
  if (e.person) out += "person " + *e.person + "\n";
  for (const auto& m : e.emails) out += "email " + m + "\n";
  out += "amount " + std::to_string(e.amount) + "\ndepth " + std::to_string(e.depth) + "\n";
  for (const auto& s : e.scopes) out += "scope " + s + "\n";
  out += "created " + std::to_string(e.created) + "\n";
  if (e.expires) out += "expires " + std::to_string(*e.expires) + "\n";
  if (e.comment) out += "comment " + *e.comment + "\n";
  return out;
}

Result<std::string> serialize_checked(const Endorsement& e) {
  std::string text = serialize(e);
  auto back = parse_endorsement(text);
  if (!back) return back.error();
  // A value holding a newline can parse as other fields: compare the fields.
  if (!same(*back, e)) return make_error(ErrorKind::malformed, "endorsement: a value holds a line break");
  return text;
}

Result<RevocationStatement> parse_revocation(std::string_view text) {
  auto fields = statement::parse_statement_fields(text, revocation_schema());
  if (!fields) return fields.error();
  RevocationStatement r;
  for (const statement::StatementField& f : *fields) {
    if (f.name == "key") {
      auto id = statement::parse_statement_key(f);
      if (!id) return id.error();
      r.key = *id;
    } else if (f.name == "reason") {
      auto reason = parse_revocation_reason(f.value);
      if (!reason)
        return malformed_at(f.line, "unknown reason " + quote(f.value) +
                                        " (compromised, superseded, retired or unspecified)");
      r.reason = *reason;
    } else if (f.name == "created") {
      auto v = statement::parse_statement_number(f, 0, std::numeric_limits<int64_t>::max());
      if (!v) return v.error();
      r.created = *v;
    } else if (f.name == "comment") {
      r.comment = std::string(f.value);
    }
  }
  return r;
}

std::string serialize(const RevocationStatement& r) {
  std::string out(statement::kRevocationHeader);
  out += "\nkey " + r.key.str() + "\nreason " + std::string(to_string(r.reason)) + "\ncreated " +
         std::to_string(r.created) + "\n";
  if (r.comment) out += "comment " + *r.comment + "\n";
  return out;
}

Result<std::string> serialize_checked(const RevocationStatement& r) {
  std::string text = serialize(r);
  auto back = parse_revocation(text);
  if (!back) return back.error();
  if (!same(*back, r)) return make_error(ErrorKind::malformed, "revocation: a value holds a line break");
  return text;
}

}  // namespace vouch::trust
