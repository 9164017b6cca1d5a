#include "trustdb/sqlite.h"

#include <cstdlib>
#include <utility>

namespace vouch::trust::sql {

namespace {

/// "10 s" for whole seconds, "100 ms" otherwise (tests use short timeouts).
std::string describe_wait(int ms) {
  if (ms >= 1000 && ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

}  // namespace

Connection::State::~State() {
  // close_v2 defers the close until every statement is finalized, so a
  // forgotten Statement cannot leak the connection.
  if (db != nullptr) sqlite3_close_v2(db);
}

Error make_sqlite_error(const Connection::State& state, int rc, std::string_view doing) {
  const int primary = rc & 0xff;
  std::string msg = state.db != nullptr ? sqlite3_errmsg(state.db) : sqlite3_errstr(rc);
  // sqlite3_errmsg may describe a later call; fall back to the code's text
  // when it says nothing useful.
  if (msg.empty() || msg == "not an error") msg = sqlite3_errstr(rc);
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return make_error(ErrorKind::environment, "trust database " + state.path +
                                                    " is locked by another process (waited " +
                                                    describe_wait(state.timeout_ms) + ")");
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return make_error(ErrorKind::bad_input, state.path + " is not a valid vouch trust database: " + msg);
    case SQLITE_CONSTRAINT:
      return make_error(ErrorKind::bad_input, "trust database " + state.path + ": " + std::string(doing) + ": " + msg);
    case SQLITE_READONLY:
      return make_error(ErrorKind::environment, "trust database " + state.path + " is read-only (" +
                                                    std::string(doing) + ": " + msg +
                                                    "): check the permissions of the file and its directory");
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_FULL:
    case SQLITE_NOLFS:
    case SQLITE_AUTH:
      return make_error(ErrorKind::environment,
                        "trust database " + state.path + ": " + std::string(doing) + ": " + msg);
    default:
      return make_error(ErrorKind::internal, "trust database " + state.path + ": " + std::string(doing) + ": " + msg);
  }
}

Result<Connection> Connection::open(const std::string& path, int flags, int busy_timeout_ms) {
  Connection conn;
  conn.state_ = std::make_unique<State>();
  conn.state_->path = path;
  conn.state_->timeout_ms = busy_timeout_ms;
  // Even on failure sqlite3_open_v2 usually returns a handle (for the
  // message); State's destructor closes it.
  const int rc = sqlite3_open_v2(path.c_str(), &conn.state_->db, flags, nullptr);
  if (rc != SQLITE_OK) return make_sqlite_error(*conn.state_, rc, "opening");
  sqlite3_extended_result_codes(conn.state_->db, 1);
  sqlite3_busy_timeout(conn.state_->db, busy_timeout_ms);
  return conn;
}

Result<void> Connection::exec(std::string_view sql) {
  const std::string text(sql);
  const int rc = sqlite3_exec(get(), text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error(rc, "executing " + text.substr(0, text.find_first_of(" \n")));
  return {};
}

Error Connection::error(int rc, std::string_view doing) const { return make_sqlite_error(*state_, rc, doing); }

Result<Statement> Statement::prepare(const Connection& conn, std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(conn.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return conn.error(rc, "preparing a statement");
  }
  return Statement(stmt, conn.state());
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), state_(other.state_), bind_rc_(other.bind_rc_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    state_ = other.state_;
    bind_rc_ = other.bind_rc_;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::bind(int index, int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  note_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
  note_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind(index, std::nullopt);
}

Statement& Statement::bind(int index, const std::optional<int64_t>& value) {
  return value ? bind(index, *value) : bind(index, std::nullopt);
}

Result<bool> Statement::step() {
  if (bind_rc_ != SQLITE_OK) return make_sqlite_error(*state_, bind_rc_, "binding a parameter");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // The statement's own error code is more precise than step's under v2.
  Error err = make_sqlite_error(*state_, rc, "running a statement");
  sqlite3_reset(stmt_);
  return err;
}

Result<void> Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) return r.error();
    if (!*r) return {};
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
}

bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

int64_t Statement::column_int(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string_view Statement::column_view(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return {};
  const int n = sqlite3_column_bytes(stmt_, col);
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(n)};
}

std::string Statement::column_text(int col) const { return std::string(column_view(col)); }

std::optional<std::string> Statement::column_opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return column_text(col);
}

std::optional<int64_t> Statement::column_opt_int(int col) const {
  if (is_null(col)) return std::nullopt;
  return column_int(col);
}

Result<Transaction> Transaction::begin(Connection& conn) {
  auto r = conn.exec("BEGIN IMMEDIATE");
  if (!r) return r.error();
  return Transaction(&conn);
}

Transaction::~Transaction() {
  // Rolling back can only fail if there is no transaction left (SQLite
  // already rolled back after e.g. SQLITE_FULL); nothing to do then.
  if (conn_ != nullptr) sqlite3_exec(conn_->get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> Transaction::commit() {
  auto r = conn_->exec("COMMIT");
  if (!r) return r;  // the destructor rolls back
  conn_ = nullptr;
  return {};
}

void Connection::exec_quietly(std::string_view sql) noexcept {
  try {
    if (get() != nullptr) sqlite3_exec(get(), std::string(sql).c_str(), nullptr, nullptr, nullptr);
  } catch (...) {
    // Only allocation can throw here; a clean-up path has nothing to report.
  }
}

bool Connection::in_transaction() const { return get() != nullptr && sqlite3_get_autocommit(get()) == 0; }

int64_t Connection::changes() const { return get() != nullptr ? sqlite3_changes64(get()) : 0; }

}  // namespace vouch::trust::sql
