// The one place vouch touches the SQLite C API: move-only owners of sqlite3*
// and sqlite3_stmt*, a Statement helper (bind / step / column) and a
// transaction guard. Every SQLite failure becomes an Error that names the
// database file, with the kinds the CLI maps to exit codes:
//   SQLITE_BUSY / SQLITE_LOCKED      -> environment "trust database PATH is locked
//                                       by another process (waited 10 s)"
//   SQLITE_NOTADB / SQLITE_CORRUPT   -> bad_input "PATH is not a valid vouch trust
//                                       database: <sqlite message>"
//   SQLITE_CONSTRAINT                -> bad_input
//   I/O, permissions, disk full      -> environment
//   anything else                    -> internal
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "vouch/result.h"

namespace vouch::trust::sql {

/// An open database connection. Move-only; closes on destruction. The path
/// and busy timeout live on the heap so Statements keep a stable pointer to
/// them for error messages even when the Connection is moved.
class Connection {
 public:
  Connection() = default;
  /// Opens `path` with sqlite3_open_v2 `flags` and sets the busy timeout.
  static Result<Connection> open(const std::string& path, int flags, int busy_timeout_ms);

  sqlite3* get() const { return state_ ? state_->db : nullptr; }
  const std::string& path() const { return state_->path; }
  int busy_timeout_ms() const { return state_->timeout_ms; }

  /// Runs one or more statements without results (DDL, pragmas, BEGIN/COMMIT).
  Result<void> exec(std::string_view sql);
  /// exec() for clean-up paths (a destructor rolling back): errors ignored.
  void exec_quietly(std::string_view sql) noexcept;
  /// Whether a transaction is open (sqlite3_get_autocommit is off).
  bool in_transaction() const;
  /// Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  int64_t changes() const;
  /// The Error for SQLite result code `rc` (see the table above); `doing`
  /// says what failed ("reading keys") and is used for internal/env errors.
  Error error(int rc, std::string_view doing) const;

  struct State {
    sqlite3* db = nullptr;
    std::string path;
    int timeout_ms = 0;
    State() = default;
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    ~State();
  };
  const State* state() const { return state_.get(); }

 private:
  std::unique_ptr<State> state_;
};

/// Maps a result code to an Error for `state` (shared by Connection and Statement).
Error make_sqlite_error(const Connection::State& state, int rc, std::string_view doing);

/// A prepared statement. Move-only; finalized on destruction. Bind indexes
/// are 1-based, column indexes 0-based (SQLite's convention).
class Statement {
 public:
  /// Prepares `sql` (one statement) on `conn`.
  static Result<Statement> prepare(const Connection& conn, std::string_view sql);

  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binding copies the value (SQLITE_TRANSIENT), so temporaries are fine.
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, std::nullopt_t);
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind(int index, const std::optional<int64_t>& value);

  /// Advances: true when a row is available, false when done, or the error.
  /// A bind error (rare: out-of-range index) is reported here.
  Result<bool> step();
  /// Steps until done, for statements that return no rows.
  Result<void> run();
  /// Resets for re-execution and clears the bindings.
  void reset();

  bool is_null(int col) const;
  int64_t column_int(int col) const;
  std::string column_text(int col) const;
  /// Zero-copy view valid until the next step/reset.
  std::string_view column_view(int col) const;
  std::optional<std::string> column_opt_text(int col) const;
  std::optional<int64_t> column_opt_int(int col) const;

 private:
  Statement(sqlite3_stmt* stmt, const Connection::State* state) : stmt_(stmt), state_(state) {}
  void note_bind(int rc);

  sqlite3_stmt* stmt_ = nullptr;
  const Connection::State* state_ = nullptr;
  int bind_rc_ = SQLITE_OK;
};

/// BEGIN IMMEDIATE on construction-by-begin(), ROLLBACK on destruction unless
/// commit() succeeded. IMMEDIATE takes the write lock up front, so two writers
/// wait for each other (busy timeout) instead of both reading and then
/// failing to upgrade to a write lock (SQLITE_BUSY with no retry possible).
class Transaction {
 public:
  static Result<Transaction> begin(Connection& conn);
  Transaction(Transaction&& other) noexcept : conn_(std::exchange(other.conn_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Result<void> commit();

 private:
  explicit Transaction(Connection* conn) : conn_(conn) {}
  Connection* conn_ = nullptr;  ///< null once committed or rolled back
};

}  // namespace vouch::trust::sql
