// Renders `verify-archive` results (docs/release-archives.md "Output"). Text
// puts what a person must look at first: the summary line, then the
// allowed files nobody could match with a --known copy ("unknown"), then
// every failing difference, then the known and omitted allowed files. JSON
// is one document with every member and its class; its `notices` hold one
// line per unknown file, which `--format github` turns into annotations.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "report/render.h"
#include "vouch/verify.h"

namespace vouch::report {

/// {schema, archive, tag, commit, format, prefix, notes, known_dirs, verdict,
/// tag_verdict, summary: {members, matched, allowed, known, unknown,
/// omitted, added, changed, missing, unsafe}, approvals: {required, sha256,
/// requirements, list}, findings: [{kind, path, detail, origin, known_as}],
/// members: [{path, class}], export_ignored, notices, errors}. Names are
/// shown with display_name() so that the document is always valid UTF-8.
nlohmann::json to_json(const ArchiveVerdict& a);

/// "NAME: ok|FAIL 656 members: 453 matched, 128 allowed (121 known, 7
/// unknown), 0 added, 0 changed, 0 missing, 0 unsafe; approvals 2 of 2"
/// ("; approvals 2 of 2 maintainers, 0 of 1 security" with several
/// requirements; nothing when none are required).
std::string summary_line(const ArchiveVerdict& a);

/// The tag's line, the archive line and notes, the summary line, then
/// "unknown  PATH (...)", the failing findings, archive approvals, and the
/// known ("known    PATH = /usr/share/aclocal/PATH") and omitted allowed
/// files. Quiet leaves out the archive line, notes and known/omitted files.
std::string to_text(const ArchiveVerdict& a, Verbosity v);

}  // namespace vouch::report
