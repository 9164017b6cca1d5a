// `vouch --version`: which vouch ran, built from which commit, on which
// libraries, so that a CI log says exactly what verified a release.
#pragma once

#include <string>

namespace vouch::cli {

/// Several lines: "vouch 0.1.0 (git v0.1.0-12-gabc1234)", then one line
/// naming every library linked in with its run-time version.
std::string version_text();

}  // namespace vouch::cli
