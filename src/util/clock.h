// The one place vouch asks for "now". VOUCH_NOW (unix seconds) overrides the
// system clock so that tests and reproductions can pin time.
#pragma once

#include <cstdint>

namespace vouch::util {

/// Seconds since the epoch: $VOUCH_NOW when it is a plain non-negative
/// decimal number, the system clock otherwise (a malformed VOUCH_NOW is
/// ignored rather than trusted).
int64_t now();

}  // namespace vouch::util
