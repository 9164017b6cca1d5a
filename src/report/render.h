// Renders verification results. Text and JSON come from the same structs, so
// the two never disagree. JSON is one document, "schema": 1 (cli.md).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

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

/// A JSON document for a command that failed on bad input or the environment:
/// {"schema":1,"verdict":"error","errors":[message]}.
nlohmann::json error_json(const std::string& message);

/// `verify-archive`: {schema, archive, tag, commit, format, prefix, notes,
/// verdict, tag_verdict, summary: {members, matched, added, allowed, changed,
/// missing, unsafe}, findings: [{kind, path, detail}], errors}. Names are
/// shown with display_name() so that the document is always valid UTF-8.
nlohmann::json to_json(const ArchiveVerdict& a);
/// The tag's line, then one line per finding ("added    m4/build-to-host.m4",
/// "allowed  configure (archive_may_add: configure)") and a summary line.
/// Quiet leaves out the archive line, notes and allowed additions.
std::string to_text(const ArchiveVerdict& a, Verbosity v);

/// A name from untrusted input, printable on one line: valid UTF-8 and
/// printable ASCII pass; control bytes, invalid UTF-8 and '\' are written
/// as \xNN (and \\), so that no name can forge an output line.
std::string display_name(std::string_view raw);

}  // namespace vouch::report
