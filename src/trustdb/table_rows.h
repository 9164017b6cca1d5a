// The trust tables as rows keyed for comparison: the shape the audit log's
// replay builds and the snapshot it is compared with (audit_replay.h lists
// each table's row key and columns). Internal to src/trustdb.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "trustdb/sqlite.h"
#include "vouch/result.h"

namespace vouch::trust {

/// table -> row key -> the row's columns.
using TableRows = std::map<std::string, std::map<std::string, nlohmann::json>>;

/// Emails and scopes are stored LF-joined (database.cpp's design notes).
std::vector<std::string> split_lines(std::string_view s);
std::string join_lines(const std::vector<std::string>& items);

/// Row keys: "ID FPR", "NAME EMAIL", "ISSUER -> TARGET",
/// "KEY REASON TIME STATEMENT_SHA256|-".
std::string subkey_row(const std::string& key, const std::string& fpr);
std::string email_row(const std::string& person, const std::string& email);
std::string endorsement_row(const std::string& issuer, const std::string& target);
std::string revocation_row(const std::string& key, const std::string& reason, int64_t time,
                           const nlohmann::json& statement_sha);
/// SHA-256 hex of a JSON string, null for null.
nlohmann::json opt_sha(const nlohmann::json& text);

/// A row key the database holds twice (possible only behind vouch's back).
struct DuplicateRow {
  std::string table, row;
};

/// Reads every replayed table of `conn` into rows; every table of
/// replayed_tables() is present (empty when it has no rows).
Result<TableRows> read_table_rows(const sql::Connection& conn, std::vector<DuplicateRow>& duplicates);

}  // namespace vouch::trust
