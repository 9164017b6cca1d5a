// Finding, opening and migrating the trust database file (docs/trust-model.md,
// "Database"). The store (store.h) is the only user; it layers the CRUD on
// the connection this returns.
//
// On open: the parent directory is created (0700) in create mode, the busy
// timeout set (10 s, or $VOUCH_DB_TIMEOUT_MS), the file checked
// (PRAGMA quick_check), WAL mode, foreign keys and synchronous=FULL set, and
// forward migrations applied, all pending steps in one BEGIN IMMEDIATE
// transaction, each step appending a "schema.migrate" audit entry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "trustdb/sqlite.h"
#include "vouch/result.h"

namespace vouch::trust {

/// create: make the directory and file when missing (commands that write).
/// existing: a missing file is a not_found error (read-only commands must
/// not leave an empty database behind).
enum class OpenMode { create, existing };

/// The schema version this vouch writes. Version 1 is the first release's
/// tables; version 2 adds keys.added_by/keys.comment (who added a key and
/// why, docs/trust-model.md) and the indexes the trust computation and key lookups use;
/// version 3 changes no table: its migration entry records the baseline from
/// which `vouch log --verify` replays the log (audit_replay.h).
inline constexpr int kSchemaVersion = 3;

/// Default busy timeout: hooks running concurrently wait this long for the
/// write lock before reporting "locked".
inline constexpr int kDefaultBusyTimeoutMs = 10'000;

/// `flag` if non-empty, else $VOUCH_DB, else $XDG_DATA_HOME/vouch/trust.db,
/// else $HOME/.local/share/vouch/trust.db. Empty environment variables count
/// as unset. Error (environment) only when none of them is available.
Result<std::string> resolve_db_path(std::string_view flag);

/// $VOUCH_DB_TIMEOUT_MS when it is a non-negative integer, else the default.
int busy_timeout_from_env();

/// The migration steps: element i holds the SQL that takes the schema from
/// version i to i+1. Exposed for tests and `vouch doctor`-style tools.
const std::vector<std::string_view>& schema_migrations();

/// Opens (and in create mode creates) the database at `path`, migrates it to
/// kSchemaVersion and returns the connection. `now` is the time recorded in
/// migration audit entries. Errors:
///   not_found    "trust database PATH does not exist (`vouch key import` creates it)"
///   bad_input    "PATH is not a valid vouch trust database: <reason>"
///   unsupported  a schema newer than this vouch knows; the file is untouched
///   environment  locked past the timeout, unwritable directory, I/O
Result<sql::Connection> open_database(const std::string& path, OpenMode mode, int64_t now);

/// PRAGMA user_version of an open connection.
Result<int> schema_version(const sql::Connection& conn);

}  // namespace vouch::trust
