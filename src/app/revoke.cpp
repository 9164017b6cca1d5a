#include "app/revoke.h"

#include "statement/signer.h"
#include "trust/statement.h"
#include "trust/statement_verifier.h"
#include "trustdb/db_keyring.h"
#include "trustdb/key_import.h"
#include "util/clock.h"

namespace vouch::app {
namespace {

/// Signs a revocation statement with `sign_with`, checks it as anyone importing
/// it would (the revoked key itself or a root), and returns its transport line.
Result<std::string> signed_revocation(const trust::TrustStore& store, const trust::RevocationStatement& rs,
                                      const std::string& sign_with, int64_t now) {
  auto text = trust::serialize_checked(rs);
  if (!text) return text.error();
  auto sig = statement::sign_statement(*text, sign_with, statement::kRevocationType);
  if (!sig) return sig.error();
  trust::SignedStatement st{std::string(statement::kRevocationType), *text, *sig};
  auto keyring = trust::keyring_from_store(store);
  if (!keyring) return keyring.error();
  auto roots = store.list_roots();
  if (!roots) return roots.error();
  auto verified = trust::verify_revocation(st, *keyring, *roots, now);
  if (!verified) return make_error(verified.error().kind, "refused: " + verified.error().message);
  return statement::to_transport_line(st);
}

}  // namespace

Result<RevokeResult> revoke_key(trust::TrustStore& db, const RevokeOptions& a) {
  auto reason = trust::parse_revocation_reason(a.reason);
  if (!reason)
    return make_error(ErrorKind::bad_input,
                      "--reason " + a.reason + ": expected compromised, superseded, retired or unspecified");
  VOUCH_LET(id, trust::resolve_key_argument(db, a.key));
  trust::RevocationRecord rec{id, *reason, util::now(), std::nullopt, std::nullopt};
  if (!a.comment.empty()) rec.comment = a.comment;
  if (!a.sign_with.empty()) {
    VOUCH_LET(line, signed_revocation(db, {id, *reason, rec.time, rec.comment}, a.sign_with, rec.time));
    rec.statement = std::move(line);
  }
  VOUCH_LET(added, db.add_revocation(rec, trust::Change{"local", a.comment}));
  return RevokeResult{id, rec, added};
}

}  // namespace vouch::app
