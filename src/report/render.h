// Renders verification results. Text and JSON come from the same structs, so
// the two never disagree. JSON is one document, "schema": 1 (docs/vouch.1).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "report/document.h"
#include "vouch/verify.h"

namespace vouch::report {

enum class Verbosity { quiet, normal, verbose };

nlohmann::json to_json(const SignatureResult& s);
nlohmann::json to_json(const VerifyReport& r);
nlohmann::json to_json(const TagVerdict& t);
nlohmann::json to_json(const FileVerdict& f);

/// One line per commit: "<oid12> good  ssh:SHA256:... <summary>" or what is
/// wrong; then a summary line. Quiet prints only failures and the summary.
std::string to_text(const VerifyReport& r, Verbosity v);
std::string to_text(const TagVerdict& t, Verbosity v);
std::string to_text(const FileVerdict& f, Verbosity v);

/// `verify-tag`: one tag's document as to_json, several as
/// {"schema":1,"verdict":"pass"|"fail","tags":[...]}.
Document render_tags(const std::vector<TagVerdict>& tags, Verbosity v);

/// A JSON document for a command that failed on bad input or the environment:
/// {"schema":1,"verdict":"error","errors":[message]}.
nlohmann::json error_json(const std::string& message);

// `verify-archive`: report/archive_render.h.

/// A name from untrusted input, printable on one line: valid UTF-8 and
/// printable ASCII pass; control bytes, invalid UTF-8 and '\' are written
/// as \xNN (and \\), so that no name can forge an output line.
std::string display_name(std::string_view raw);

}  // namespace vouch::report
