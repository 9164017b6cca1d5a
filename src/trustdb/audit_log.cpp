#include "trustdb/audit_log.h"

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "util/hex.h"

namespace vouch::trust {

namespace {

std::string entry(int64_t seq) { return "entry " + std::to_string(seq); }

/// The payload-vs-row check of verify_audit_log; empty when they agree.
std::string payload_problem(const AuditEntry& e) {
  auto doc = nlohmann::json::parse(e.payload, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return entry(e.seq) + ": payload is not a JSON object";
  if (doc.dump() != e.payload) return entry(e.seq) + ": payload is not canonical JSON";
  const auto same_int = [&](const char* key, int64_t v) {
    auto it = doc.find(key);
    return it != doc.end() && it->is_number_integer() && it->get<int64_t>() == v;
  };
  const auto same_str = [&](const char* key, const std::string& v) {
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() && it->get<std::string>() == v;
  };
  if (!same_int("seq", e.seq) || !same_int("time", e.time) || !same_str("actor", e.actor) ||
      !same_str("action", e.action))
    return entry(e.seq) + ": payload's seq/action/actor/time differ from the row";
  return {};
}

/// The meta row `audit_head` as "SEQ HASH": nullopt when absent, an
/// impossible head (seq -1) when malformed.
Result<std::optional<AuditHead>> read_head_record(const sql::Connection& conn) {
  auto meta =
      sql::Statement::prepare(conn, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  if (!meta) return meta.error();
  auto has_meta = meta->step();
  if (!has_meta) return has_meta.error();
  if (meta->column_int(0) == 0) return std::optional<AuditHead>();  // before the first migration
  auto st = sql::Statement::prepare(conn, "SELECT value FROM meta WHERE key = ?1");
  if (!st) return st.error();
  st->bind(1, kAuditHeadMetaKey);
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return std::optional<AuditHead>();
  const std::string value = st->column_text(0);
  const size_t sp = value.find(' ');
  auto head = parse_audit_head(sp == std::string::npos ? value : value.substr(0, sp) + ":" + value.substr(sp + 1),
                               "meta audit_head");
  if (!head) return std::optional<AuditHead>(AuditHead{-1, value});
  return std::optional<AuditHead>(*head);
}

/// The head record against the chain's actual end (see the header).
Result<AuditVerification> check_head_record(const sql::Connection& conn, AuditVerification v, int64_t last) {
  auto recorded = read_head_record(conn);
  if (!recorded) return recorded.error();
  if (!*recorded) {
    v.head_problem = AuditProblem{last,
                                  "the database has no head record (meta audit_head), so the end of the log "
                                  "cannot be checked: it was deleted"};
    return v;
  }
  const std::optional<AuditHead>& head = *recorded;
  if (head->seq < 0) {
    v.head_problem =
        AuditProblem{last, "the head record (meta audit_head) is malformed: \"" + head->hash.substr(0, 100) + "\""};
    return v;
  }
  const std::string named = "the head record names entry " + std::to_string(head->seq) + " (hash " + head->hash + ")";
  if (head->seq > last)
    v.head_problem = AuditProblem{last, "the log ends at entry " + std::to_string(last) + ", but " + named +
                                            ": entries were removed from the end"};
  else if (head->seq < last)
    v.head_problem = AuditProblem{
        head->seq + 1, "entries after " + std::to_string(head->seq) + " were not written by vouch (" + named + ")"};
  else if (head->hash != v.head_hash)
    v.head_problem =
        AuditProblem{last, "entry " + std::to_string(last) + " has hash " + v.head_hash + ", but " + named};
  return v;
}

}  // namespace

std::string sha256_hex(std::string_view data) { return util::to_hex(crypto::digest(crypto::HashAlgo::sha256, data)); }

bool operator==(const AuditHead& a, const AuditHead& b) { return a.seq == b.seq && a.hash == b.hash; }

std::string format_audit_head(const AuditHead& head) {
  return "vouch-audit-head v1\nseq " + std::to_string(head.seq) + "\nhash " + head.hash + "\n";
}

Result<AuditHead> parse_audit_head(std::string_view text, const std::string& source) {
  const auto bad = [&] {
    return make_error(ErrorKind::malformed, source +
                                                ": expected \"SEQ:HASH\" or an audit-head file "
                                                "(\"vouch-audit-head v1\", \"seq N\", \"hash <64 hex>\")");
  };
  std::string_view seq_text, hash;
  constexpr std::string_view kHeader = "vouch-audit-head v1\nseq ";
  if (text.starts_with(kHeader)) {
    text.remove_prefix(kHeader.size());
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos || !text.substr(nl + 1).starts_with("hash ") || !text.ends_with("\n"))
      return bad();
    seq_text = text.substr(0, nl);
    hash = text.substr(nl + 1 + 5);
    hash.remove_suffix(1);
  } else {
    const size_t colon = text.find(':');
    if (colon == std::string_view::npos) return bad();
    seq_text = text.substr(0, colon);
    hash = text.substr(colon + 1);
  }
  if (seq_text.empty() || seq_text.size() > 18 || hash.size() != 64) return bad();
  AuditHead head;
  for (char c : seq_text) {
    if (c < '0' || c > '9') return bad();
    head.seq = head.seq * 10 + (c - '0');
  }
  for (char c : hash)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return bad();
  head.hash = std::string(hash);
  return head;
}

Result<AuditHead> current_audit_head(const sql::Connection& conn) {
  auto last = sql::Statement::prepare(conn, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!last) return last.error();
  auto row = last->step();
  if (!row) return row.error();
  if (!*row) return AuditHead{0, std::string(kGenesisHash)};
  return AuditHead{last->column_int(0), last->column_text(1)};
}

std::string audit_hash(std::string_view prev_hash, std::string_view payload) {
  crypto::Hasher h(crypto::HashAlgo::sha256);
  h.update(prev_hash);
  h.update(payload);
  return util::to_hex(h.finish());
}

Result<AuditEntry> append_audit_entry(sql::Connection& conn, int64_t time, std::string_view actor,
                                      std::string_view action, const nlohmann::json& change) {
  // An entry outside a transaction could land without its change (or the
  // change without it); that is a bug in the caller.
  if (!conn.in_transaction()) return make_error(ErrorKind::internal, "audit log entry written outside a transaction");

  auto last = sql::Statement::prepare(conn, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!last) return last.error();
  auto has_row = last->step();
  if (!has_row) return has_row.error();
  // Appending to a log that no longer ends at its head record would write
  // over the evidence (the next head record would cover the cut): refuse.
  const AuditHead at_end =
      *has_row ? AuditHead{last->column_int(0), last->column_text(1)} : AuditHead{0, std::string(kGenesisHash)};
  auto recorded = read_head_record(conn);
  if (!recorded) return recorded.error();
  const bool migrating = action == "schema.migrate";  // databases older than the head record
  if ((*recorded && !(**recorded == at_end)) || (!*recorded && at_end.seq > 0 && !migrating))
    return make_error(ErrorKind::bad_input,
                      "trust database " + conn.path() + ": its audit log ends at entry " + std::to_string(at_end.seq) +
                          ", not where its head record says (" +
                          (*recorded ? "entry " + std::to_string((**recorded).seq) : std::string("no record")) +
                          "); nothing written: run `vouch log --verify`");

  AuditEntry e;
  e.seq = *has_row ? last->column_int(0) + 1 : 1;
  e.prev_hash = *has_row ? last->column_text(1) : std::string(kGenesisHash);
  e.time = time;
  e.actor = std::string(actor);
  e.action = std::string(action);
  nlohmann::json payload = {
      {"seq", e.seq}, {"time", e.time}, {"actor", e.actor}, {"action", e.action}, {"change", change}};
  e.payload = payload.dump();
  e.hash = audit_hash(e.prev_hash, e.payload);

  auto ins = sql::Statement::prepare(conn,
                                     "INSERT INTO audit_log (seq, time, actor, action, payload, prev_hash, hash) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!ins) return ins.error();
  ins->bind(1, e.seq).bind(2, e.time).bind(3, e.actor).bind(4, e.action).bind(5, e.payload);
  ins->bind(6, e.prev_hash).bind(7, e.hash);
  if (auto r = ins->run(); !r) return r.error();
  auto head = sql::Statement::prepare(
      conn, "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!head) return head.error();
  head->bind(1, kAuditHeadMetaKey).bind(2, std::to_string(e.seq) + " " + e.hash);
  if (auto r = head->run(); !r) return r.error();
  return e;
}

Result<std::vector<AuditEntry>> read_audit_log(const sql::Connection& conn, int64_t after_seq) {
  auto st = sql::Statement::prepare(conn,
                                    "SELECT seq, time, actor, action, payload, prev_hash, hash FROM audit_log "
                                    "WHERE seq > ?1 ORDER BY seq");
  if (!st) return st.error();
  st->bind(1, after_seq);
  std::vector<AuditEntry> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    AuditEntry e;
    e.seq = st->column_int(0);
    e.time = st->column_int(1);
    e.actor = st->column_text(2);
    e.action = st->column_text(3);
    e.payload = st->column_text(4);
    e.prev_hash = st->column_text(5);
    e.hash = st->column_text(6);
    out.push_back(std::move(e));
  }
  return out;
}

Result<AuditVerification> verify_audit_log(const sql::Connection& conn) {
  auto entries = read_audit_log(conn);
  if (!entries) return entries.error();
  AuditVerification v;
  v.head_hash = std::string(kGenesisHash);
  int64_t prev_seq = 0;
  for (const AuditEntry& e : *entries) {
    ++v.entries;
    const auto fail = [&](std::string message) {
      v.problem = AuditProblem{e.seq, std::move(message)};
      return v;
    };
    // Order matters for the message: a deleted row shows first as a gap,
    // a rewritten row as a bad hash, a rewritten-and-rehashed row as a
    // broken link in the entry after it.
    if (e.seq != prev_seq + 1) return fail("seq gap after " + std::to_string(prev_seq));
    if (e.prev_hash != v.head_hash) {
      if (prev_seq == 0) return fail(entry(e.seq) + ": prev_hash is not the genesis value (64 zeros)");
      return fail(entry(e.seq) + ": prev_hash does not match " + entry(prev_seq));
    }
    if (audit_hash(e.prev_hash, e.payload) != e.hash) return fail(entry(e.seq) + ": hash does not match its contents");
    if (auto p = payload_problem(e); !p.empty()) return fail(std::move(p));
    v.head_hash = e.hash;
    prev_seq = e.seq;
  }
  return check_head_record(conn, v, prev_seq);
}

std::string anchor_problem(const std::vector<AuditEntry>& entries, const AuditHead& anchor) {
  const std::string named = "the anchor " + std::to_string(anchor.seq) + ":" + anchor.hash;
  if (anchor.seq == 0)
    return anchor.hash == kGenesisHash ? "" : named + " is not a point of any log (seq 0 is the genesis hash)";
  for (const auto& e : entries) {
    if (e.seq != anchor.seq) continue;
    if (e.hash == anchor.hash) return "";
    return "entry " + std::to_string(e.seq) + " has hash " + e.hash + ", not the anchor's " + anchor.hash +
           ": the log was rewritten since the anchor was taken";
  }
  const int64_t last = entries.empty() ? 0 : entries.back().seq;
  return "the log ends at entry " + std::to_string(last) + ", before " + named +
         ": entries were removed from the end since the anchor was taken";
}

}  // namespace vouch::trust
