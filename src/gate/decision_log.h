// The gate's record: an append-only, hash-chained log of decisions in an SQLite database.
//
//   std::string error;
//   std::unique_ptr<DecisionLog> log = DecisionLog::Open(path, DecisionLog::kCreate, &error);
//   if (!log) { print error; exit 2; }
//   LogEntry e;
//   e.action = "gate"; e.actor = "ci"; e.fingerprint = ...; e.verdict = "review";
//   if (!log->Append(e, &error)) ...   // e.seq, e.time, e.prev_hash, e.hash are now filled
//   LogVerification v = log->Verify();  // v.ok, or v.bad_seq and v.problem
//
// Every entry's hash covers all of its fields, its sequence number and the previous entry's hash,
// so editing, deleting or reordering entries breaks the chain, and Verify() names the first entry
// where it breaks. Appends are serialised by SQLite's write lock (BEGIN IMMEDIATE): the chain head
// is read inside the writing transaction, so any number of processes may append at once without
// losing an entry or forking the chain.
//
// What a hash chain cannot show: that entries were cut off the end, or that someone rewrote the
// whole file with fresh hashes. The database keeps its own copy of the head, which catches a
// careless truncation; to catch a careful one, keep the head that Verify() reports somewhere else
// and pass it back as `anchor` (`postlint log verify --head SEQ:HASH`).
//
// Thread safety: one DecisionLog per thread; SQLite handles concurrency between connections.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace postlint {

namespace sqlite {
class Database;
}

struct LogEntry {
  int64_t seq = 0;     // 1, 2, 3, ... in append order; filled by Append()
  std::string time;    // RFC 3339 UTC; Append() fills it with NowSeconds() when empty
  std::string action;  // "gate" | "approve" | "waive" | "revoke"
  std::string actor;   // who did it (`--as`, else $POSTLINT_ACTOR, else $USER)
  std::string role;    // the role they acted in (approve, waive, revoke)
  std::string post_id;
  std::string account;
  std::string fingerprint;  // gate/fingerprint.h; empty for waivers by pattern
  std::string policy_name;
  std::string policy_version;
  std::string policy_sha256;
  std::string verdict;  // gate: the verdict given
  std::string rules;    // rule ids the entry concerns, space-separated (for filtering)
  std::string details;  // a JSON object with the rest: findings, roles, reason, expiry, ...
  std::string prev_hash;
  std::string hash;
};

// What `postlint log` filters on. Empty fields do not filter.
struct LogFilter {
  std::string post;  // post id, or a fingerprint prefix (8+ hex digits)
  std::string account;
  std::string rule;
  std::string verdict;
  std::vector<std::string> actions;
  std::string since;   // RFC 3339 UTC, inclusive
  std::string until;   // RFC 3339 UTC, exclusive
  uint64_t limit = 0;  // the latest `limit` matching entries; 0: all
};

struct LogVerification {
  bool ok = true;
  uint64_t entries = 0;
  int64_t head_seq = 0;  // the last entry's seq and hash: the anchor to keep elsewhere
  std::string head_hash;
  int64_t bad_seq = 0;  // first entry where the chain breaks (when !ok)
  std::string problem;  // what is wrong there, in a sentence
};

// An entry already verified: where an incremental walk resumes. {0, ""} is the start of the log.
struct LogHead {
  int64_t seq = 0;
  std::string hash;
};

class DecisionLog {
 public:
  enum OpenMode { kCreate, kExisting, kReadOnly };

  // Opens (kCreate: creating the file, its directory and the schema when missing) the log at
  // `path`. Returns nullptr with `*error` set when the file cannot be opened or is not a postlint
  // decision log.
  static std::unique_ptr<DecisionLog> Open(const std::string& path, OpenMode mode,
                                           std::string* error);

  // $POSTLINT_DB, else $XDG_STATE_HOME/postlint/decisions.db, else
  // ~/.local/state/postlint/decisions.db.
  static std::string DefaultPath();

  ~DecisionLog();
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;

  // Appends `entries` in one transaction, in order, filling seq, time (when empty), prev_hash and
  // hash. All or nothing: returns false with `*error` set and appends nothing on failure. Waits
  // up to 30 s for other writers. Fails, appending nothing, when the file was deleted or
  // replaced since Open().
  bool Append(std::vector<LogEntry>& entries, std::string* error);
  bool Append(LogEntry& entry, std::string* error);

  // Matching entries in append order.
  std::vector<LogEntry> Query(const LogFilter& filter) const;
  // Streams every entry with one of `actions` (all when empty) in append order; stops when
  // `visit` returns false.
  void ForEach(const std::vector<std::string>& actions,
               const std::function<bool(const LogEntry&)>& visit) const;

  // The path it was opened from.
  const std::string& path() const { return path_; }

  // The last entry's seq (0 for an empty log): a cheap way to notice that others appended.
  int64_t HeadSeq() const;

  // Walks the whole chain. `anchor` (seq, hash), when given, must be an entry of the chain.
  LogVerification Verify(
      const std::optional<std::pair<int64_t, std::string>>& anchor = std::nullopt) const;

  // Verify() and reading in one pass: walks the entries after `from`, checking each one's
  // sequence number, hash and link to the one before, and hands every intact entry to `visit`,
  // in order. Stops at the first broken entry (nothing from it on is visited) and reports it as
  // Verify() does, including entries cut off the end; `from` itself must still carry its hash
  // (the chain was not rewritten under it). Callers that trust waivers and approvals read them
  // this way, so a log edited outside postlint is an error, not a changed verdict.
  LogVerification Walk(const LogHead& from,
                       const std::function<void(const LogEntry&)>& visit) const;

  // The hash an entry must carry: SHA-256 over a versioned, length-prefixed encoding of every
  // field but `hash` itself.
  static std::string HashOf(const LogEntry& entry);

 private:
  DecisionLog(std::unique_ptr<sqlite::Database> db, std::string path);
  // Whether `path_` still names the file that was opened; false with `*error` set when it was
  // deleted or replaced (SQLite would go on writing to the unlinked file, and every entry would
  // be lost).
  bool StillAtPath(std::string* error) const;
  std::unique_ptr<sqlite::Database> db_;
  std::string path_;
  uint64_t device_ = 0;  // identity of the opened file
  uint64_t inode_ = 0;
};

}  // namespace postlint
