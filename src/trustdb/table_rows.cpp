#include "trustdb/table_rows.h"

#include <functional>

#include "trustdb/audit_log.h"
#include "trustdb/audit_replay.h"

namespace vouch::trust {

namespace {

using nlohmann::json;

json opt_int(const sql::Statement& st, int col) { return st.is_null(col) ? json(nullptr) : json(st.column_int(col)); }
json opt_text(const sql::Statement& st, int col) { return st.is_null(col) ? json(nullptr) : json(st.column_text(col)); }

Result<void> scan(const sql::Connection& conn, std::string_view query,
                  const std::function<void(const sql::Statement&)>& row) {
  auto st = sql::Statement::prepare(conn, query);
  if (!st) return st.error();
  for (;;) {
    auto more = st->step();
    if (!more) return more.error();
    if (!*more) return {};
    row(*st);
  }
}

}  // namespace

std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (;;) {
    const size_t nl = s.find('\n', start);
    out.emplace_back(s.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) return out;
    start = nl + 1;
  }
}

std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back('\n');
    out += items[i];
  }
  return out;
}

json opt_sha(const json& text) { return text.is_string() ? json(sha256_hex(text.get<std::string>())) : json(nullptr); }

std::string subkey_row(const std::string& key, const std::string& fpr) { return key + " " + fpr; }
std::string email_row(const std::string& person, const std::string& email) { return person + " " + email; }
std::string endorsement_row(const std::string& issuer, const std::string& target) { return issuer + " -> " + target; }
std::string revocation_row(const std::string& key, const std::string& reason, int64_t time, const json& statement_sha) {
  return key + " " + reason + " " + std::to_string(time) + " " +
         (statement_sha.is_string() ? statement_sha.get<std::string>() : std::string("-"));
}

Result<TableRows> read_table_rows(const sql::Connection& conn, std::vector<DuplicateRow>& duplicates) {
  TableRows s;
  for (const auto& t : replayed_tables()) s[t];
  auto put = [&](const std::string& table, std::string key, json value) {
    auto [it, fresh] = s[table].emplace(std::move(key), std::move(value));
    if (!fresh) duplicates.push_back({table, it->first});
  };
  auto r = scan(conn, "SELECT id, kind, material, created, expires, first_seen, added_by, comment, person FROM keys",
                [&](const sql::Statement& st) {
                  put("keys", st.column_text(0),
                      {{"kind", st.column_text(1)},
                       {"material_sha256", sha256_hex(st.column_view(2))},
                       {"created", opt_int(st, 3)},
                       {"expires", opt_int(st, 4)},
                       {"first_seen", st.column_int(5)},
                       {"added_by", st.column_text(6)},
                       {"comment", st.column_text(7)},
                       {"person", opt_text(st, 8)}});
                });
  if (!r) return r.error();
  r = scan(conn, "SELECT key, fingerprint FROM key_subkeys", [&](const sql::Statement& st) {
    put("key_subkeys", subkey_row(st.column_text(0), st.column_text(1)), json::object());
  });
  if (!r) return r.error();
  r = scan(conn, "SELECT name, display_name FROM people", [&](const sql::Statement& st) {
    put("people", st.column_text(0), {{"display_name", st.column_text(1)}});
  });
  if (!r) return r.error();
  r = scan(conn, "SELECT person, email FROM person_emails", [&](const sql::Statement& st) {
    put("person_emails", email_row(st.column_text(0), st.column_text(1)), json::object());
  });
  if (!r) return r.error();
  r = scan(conn, "SELECT key FROM roots",
           [&](const sql::Statement& st) { put("roots", st.column_text(0), json::object()); });
  if (!r) return r.error();
  r = scan(conn,
           "SELECT issuer, target, person, emails, amount, depth, scopes, created, expires, comment, statement "
           "FROM endorsements",
           [&](const sql::Statement& st) {
             put("endorsements", endorsement_row(st.column_text(0), st.column_text(1)),
                 {{"person", opt_text(st, 2)},
                  {"emails", split_lines(st.column_view(3))},
                  {"amount", st.column_int(4)},
                  {"depth", st.column_int(5)},
                  {"scopes", split_lines(st.column_view(6))},
                  {"created", st.column_int(7)},
                  {"expires", opt_int(st, 8)},
                  {"comment", opt_text(st, 9)},
                  {"statement_sha256", sha256_hex(st.column_view(10))}});
           });
  if (!r) return r.error();
  r = scan(conn, "SELECT key, reason, time, statement, comment FROM revocations", [&](const sql::Statement& st) {
    const json sha = opt_sha(opt_text(st, 3));
    put("revocations", revocation_row(st.column_text(0), st.column_text(1), st.column_int(2), sha),
        {{"comment", opt_text(st, 4)}});
  });
  if (!r) return r.error();
  return s;
}

}  // namespace vouch::trust
