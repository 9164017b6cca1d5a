// Loading the trust computation's input (wot.h) from the trust database.
//
// The store holds signed facts whose signatures were verified when they were
// stored (vouch endorse, keyring import); the loader only reshapes them.
#pragma once

#include "trustdb/store.h"
#include "vouch/result.h"
#include "wot/wot.h"

namespace vouch::trust {

/// Everything the store holds, as WotInput:
/// - keys: every held key with its person; its emails are that person's
///   emails (a key without a person has none: scopes can never match it);
/// - endorsements: the stored ones (the store keeps the newest per pair);
/// - roots and revocations as recorded.
/// Database errors pass through unchanged.
Result<WotInput> load_wot_input(const TrustStore& store);

}  // namespace vouch::trust
