// Options every command shares (docs/vouch.1) and the exit codes.
#pragma once

#include <cstdint>
#include <string>

#include "report/render.h"
#include "trustdb/store.h"
#include "vouch/result.h"

namespace vouch::cli {

/// docs/vouch.1.
enum ExitCode : int { kOk = 0, kFailed = 1, kBadInput = 2, kEnvironment = 3 };

struct GlobalOptions {
  std::string repo = ".";
  std::string db;
  std::string format = "text";  ///< "text" | "json" | "github" (text plus GitHub Actions annotations)
  bool quiet = false;
  bool verbose = false;
  std::string color = "auto";

  bool json() const { return format == "json"; }
  report::Verbosity verbosity() const {
    return quiet ? report::Verbosity::quiet : verbose ? report::Verbosity::verbose : report::Verbosity::normal;
  }
};

/// Exit code for an Error: bad input and malformed files are 2, the rest 3.
int exit_code_of(const Error& e);

/// Prints `vouch: error: MESSAGE` on stderr (and the JSON error document on
/// stdout in JSON mode); returns exit_code_of(e).
int fail(const GlobalOptions& g, const Error& e);

/// Opens the trust database named by --db, $VOUCH_DB or the XDG default.
/// Read-only commands pass OpenMode::existing so they never create one.
Result<trust::TrustStore> open_store(const GlobalOptions& g, trust::OpenMode mode);

/// The trust database when there is one, else nullopt (policy mode, hooks
/// and archives work without one); a database that exists but cannot be
/// opened is an error.
Result<std::optional<trust::TrustStore>> open_optional_store(const GlobalOptions& g);

/// A time option (--at): unix seconds or YYYY-MM-DD[THH:MM:SSZ];
/// `if_empty` when not given. Error (bad_input) names the flag.
Result<int64_t> parse_time_option(const std::string& flag, const std::string& text, int64_t if_empty);

/// A duration option (--min-age): 30d, 12h, 2w; 0 when not given.
Result<int64_t> parse_duration_option(const std::string& flag, const std::string& text);

/// Whether text output is coloured: --color always (even with NO_COLOR set:
/// an explicit request wins), never, or auto (stdout is a terminal, NO_COLOR
/// unset or empty, TERM not "dumb"). Never for JSON.
bool use_color(const GlobalOptions& g);

/// `text` with the verdict words (ok, FAIL) and "warning:" in ANSI colour;
/// every other byte unchanged.
std::string colorize(std::string_view text);

/// Writes text, JSON, or (github) the text followed by one GitHub Actions
/// annotation per error (`::error title=vouch::...`) and notice found in the
/// JSON document — the same values, so the three never disagree. Text is
/// coloured as use_color() says.
void emit(const GlobalOptions& g, const std::string& text, const nlohmann::json& json);

}  // namespace vouch::cli
