#include "gate/decision_log.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/hash.h"
#include "db/sqlite.h"

namespace postlint {

namespace fs = std::filesystem;

namespace {

constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";
constexpr const char* kColumns =
    "seq, time, action, actor, role, post_id, account, fingerprint, policy_name, policy_version, "
    "policy_sha256, verdict, rules, details, prev_hash, hash";

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  post_id TEXT NOT NULL,
  account TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  policy_name TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  policy_sha256 TEXT NOT NULL,
  verdict TEXT NOT NULL,
  rules TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entries_by_fingerprint ON entries(fingerprint);
CREATE INDEX IF NOT EXISTS entries_by_post ON entries(post_id);
CREATE INDEX IF NOT EXISTS entries_by_action ON entries(action);
INSERT OR IGNORE INTO meta(key, value) VALUES ('format', 'postlint-decision-log-1');
)sql";

using sqlite::Statement;

LogEntry ReadEntry(const Statement& s) {
  LogEntry e;
  e.seq = s.Int(0);
  std::string* fields[] = {&e.time,           &e.action,        &e.actor,       &e.role,
                           &e.post_id,        &e.account,       &e.fingerprint, &e.policy_name,
                           &e.policy_version, &e.policy_sha256, &e.verdict,     &e.rules,
                           &e.details,        &e.prev_hash,     &e.hash};
  int column = 1;
  for (std::string* f : fields)
    *f = s.Text(column++);
  return e;
}

// "LEN:VALUE\n" per field (core/hash.h).
void AppendField(std::string& out, const std::string& value) {
  AppendLengthPrefixed(out, value);
  out += '\n';
}

std::string ActionList(const std::vector<std::string>& actions, std::vector<std::string>& binds) {
  std::string sql;
  for (const auto& a : actions) {
    sql += sql.empty() ? "?" : ", ?";
    binds.push_back(a);
  }
  return "action IN (" + sql + ")";
}

// SQLite's own words ("unable to open database file", "attempt to write a readonly database")
// name neither the file nor the cause, and a WAL log that cannot create its `-shm` beside it
// fails even to be read. The person who has to fix it needs to know which path and what is
// missing, so look for the likely cause ourselves; SQLite's message stays as the last resort.
std::string WhyUnusable(const std::string& path, DecisionLog::OpenMode mode,
                        const std::string& sqlite_why) {
  const fs::path file(path);
  const std::string dir = file.has_parent_path() ? file.parent_path().string() : ".";
  std::error_code ec;
  const bool exists = fs::exists(file, ec);
  if (exists && ::access(path.c_str(), R_OK) != 0)
    return "this user cannot read " + path + " (" + std::strerror(errno) + ")";
  if (mode != DecisionLog::kReadOnly && exists && ::access(path.c_str(), W_OK) != 0)
    return path + " is read-only for this user (" + std::strerror(errno) +
           "); recording decisions needs write access to it";
  if (::access(dir.c_str(), W_OK) != 0) {
    const std::string cause = std::strerror(errno);
    return exists ? "the directory " + dir + " is not writable (" + cause + "): SQLite creates " +
                        file.filename().string() + "-wal and " + file.filename().string() +
                        "-shm beside the log, even to read it; make the directory writable "
                        "or move the log"
                  : "cannot create the log in " + dir + " (" + cause + ")";
  }
  return sqlite_why;
}

}  // namespace

std::string DecisionLog::DefaultPath() {
  if (const char* db = std::getenv("POSTLINT_DB"); db != nullptr && *db != '\0')
    return db;
  if (const char* state = std::getenv("XDG_STATE_HOME"); state != nullptr && *state == '/')
    return (fs::path(state) / "postlint" / "decisions.db").string();
  const char* home = std::getenv("HOME");
  return (fs::path(home != nullptr ? home : ".") / ".local" / "state" / "postlint" / "decisions.db")
      .string();
}

std::unique_ptr<DecisionLog> DecisionLog::Open(const std::string& path, OpenMode mode,
                                               std::string* error) {
  std::error_code ec;
  if (mode == kCreate) {
    const fs::path dir = fs::path(path).parent_path();
    if (!dir.empty() && !fs::create_directories(dir, ec) && ec) {
      *error =
          "cannot create the directory " + dir.string() + " for the decision log: " + ec.message();
      return nullptr;
    }
  } else if (!fs::exists(path, ec)) {
    *error = "no decision log at " + path;
    return nullptr;
  }
  const int flags = mode == kReadOnly ? sqlite::kReadOnly
                    : mode == kCreate ? sqlite::kReadWrite | sqlite::kCreate
                                      : sqlite::kReadWrite;
  std::string why;
  std::unique_ptr<sqlite::Database> opened = sqlite::Database::Open(path, flags, &why);
  if (!opened) {
    *error = "cannot open decision log " + path + ": " + WhyUnusable(path, mode, why);
    return nullptr;
  }
  sqlite::Database& db = *opened;
  std::unique_ptr<DecisionLog> log(new DecisionLog(std::move(opened), path));
  // A query that fails is not a verdict on the file's format: say why it failed instead.
  bool unreadable = false;
  auto is_decision_log = [&] {
    // sqlite_master is readable in every SQLite file, so its failure means "cannot read".
    Statement probe(db, "SELECT count(*) FROM sqlite_master");
    if (!probe.ok() || probe.Step() != sqlite::kRow) {
      unreadable = true;
      why = db.LastError();
      return false;
    }
    Statement format(db, "SELECT value FROM meta WHERE key = 'format'");
    return format.ok() && format.Step() == sqlite::kRow &&
           format.Text(0) == "postlint-decision-log-1";
  };
  if (mode == kCreate) {
    // Only an empty database becomes a log: never add tables to someone else's file. The check
    // and the creation share one write transaction, so two first runs cannot both see an empty
    // file (or one see the other's half-made schema).
    if (!db.Exec("BEGIN IMMEDIATE", &why)) {
      *error = "cannot open decision log " + path + ": " + WhyUnusable(path, mode, why);
      return nullptr;
    }
    bool empty = false;
    {
      Statement tables(db, "SELECT count(*) FROM sqlite_master");
      empty = tables.ok() && tables.Step() == sqlite::kRow && tables.Int(0) == 0;
    }
    if (empty && !db.Exec(kSchema, &why)) {
      db.Exec("ROLLBACK");
      *error = "cannot create a decision log at " + path + ": " + why;
      return nullptr;
    }
    if (!db.Exec("COMMIT", &why)) {
      db.Exec("ROLLBACK");
      *error = "cannot create a decision log at " + path + ": " + why;
      return nullptr;
    }
    // WAL lets readers (`postlint queue`, `check`) work while a writer appends. Persistent, so
    // setting it again on every open is a no-op.
    if (is_decision_log() && !db.Exec("PRAGMA journal_mode=WAL", &why)) {
      *error = "cannot use decision log " + path + ": " + why;
      return nullptr;
    }
  }
  if (!is_decision_log()) {
    *error = unreadable ? "cannot read decision log " + path + ": " + WhyUnusable(path, mode, why)
                        : path + " is not a postlint decision log";
    return nullptr;
  }
  return log;
}

DecisionLog::DecisionLog(std::unique_ptr<sqlite::Database> db, std::string path)
    : db_(std::move(db)), path_(std::move(path)) {
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0) {
    device_ = static_cast<uint64_t>(st.st_dev);
    inode_ = static_cast<uint64_t>(st.st_ino);
  }
}

bool DecisionLog::StillAtPath(std::string* error) const {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) {
    *error = "the decision log " + path_ +
             " was deleted after postlint opened it; nothing was recorded (restore it from a "
             "backup, or start a new log)";
    return false;
  }
  if (static_cast<uint64_t>(st.st_dev) != device_ || static_cast<uint64_t>(st.st_ino) != inode_) {
    *error = "the decision log " + path_ +
             " was replaced by another file after postlint opened it; nothing was recorded";
    return false;
  }
  return true;
}
DecisionLog::~DecisionLog() = default;

std::string DecisionLog::HashOf(const LogEntry& e) {
  std::string encoded = "postlint-log-v1\n";
  AppendField(encoded, std::to_string(e.seq));
  for (const std::string* f : {&e.time, &e.action, &e.actor, &e.role, &e.post_id, &e.account,
                               &e.fingerprint, &e.policy_name, &e.policy_version, &e.policy_sha256,
                               &e.verdict, &e.rules, &e.details, &e.prev_hash}) {
    AppendField(encoded, *f);
  }
  return Sha256Hex(encoded);
}

bool DecisionLog::Append(LogEntry& entry, std::string* error) {
  std::vector<LogEntry> one{std::move(entry)};
  const bool ok = Append(one, error);
  entry = std::move(one.front());
  return ok;
}

bool DecisionLog::Append(std::vector<LogEntry>& entries, std::string* error) {
  if (entries.empty())
    return true;
  if (!StillAtPath(error))
    return false;
  // IMMEDIATE takes the write lock before reading the head, so no other writer can append
  // between our read and our insert.
  if (std::string why; !db_->Exec("BEGIN IMMEDIATE", &why)) {
    *error = "cannot write to the decision log " + path_ + ": " + WhyUnusable(path_, kCreate, why);
    return false;
  }
  auto fail = [&](const std::string& what) {
    *error = what + ": " + WhyUnusable(path_, kCreate, db_->LastError());
    db_->Exec("ROLLBACK");
    return false;
  };
  int64_t seq = 0;
  std::string prev = kGenesisHash;
  {
    Statement head(*db_, "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1");
    if (!head.ok())
      return fail("cannot read the log's head");
    if (head.Step() == sqlite::kRow) {
      seq = head.Int(0);
      prev = head.Text(1);
    }
  }
  Statement insert(*db_, std::string("INSERT INTO entries (") + kColumns +
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok())
    return fail("cannot append to the log");
  const std::string now = FormatTime(NowSeconds());
  for (LogEntry& e : entries) {
    e.seq = ++seq;
    if (e.time.empty())
      e.time = now;
    e.prev_hash = prev;
    e.hash = HashOf(e);
    prev = e.hash;
    insert.Reset();
    insert.Bind(1, e.seq);
    const std::string* fields[] = {
        &e.time,    &e.action,      &e.actor,       &e.role,           &e.post_id,
        &e.account, &e.fingerprint, &e.policy_name, &e.policy_version, &e.policy_sha256,
        &e.verdict, &e.rules,       &e.details,     &e.prev_hash,      &e.hash};
    int column = 2;
    for (const std::string* f : fields)
      insert.Bind(column++, *f);
    if (insert.Step() != sqlite::kDone)
      return fail("cannot append to the log");
  }
  Statement head(
      *db_, "INSERT OR REPLACE INTO meta(key, value) VALUES ('head_seq', ?), ('head_hash', ?)");
  if (!head.ok())
    return fail("cannot update the log's head");
  head.Bind(1, std::to_string(seq));
  head.Bind(2, prev);
  if (head.Step() != sqlite::kDone)
    return fail("cannot update the log's head");
  if (!db_->Exec("COMMIT", error)) {
    db_->Exec("ROLLBACK");
    return false;
  }
  return true;
}

std::vector<LogEntry> DecisionLog::Query(const LogFilter& filter) const {
  std::string where;
  std::vector<std::string> binds;
  auto add = [&](const std::string& clause) {
    where += (where.empty() ? " WHERE " : " AND ") + clause;
  };
  if (!filter.post.empty()) {
    add("(post_id = ? OR (length(?) >= 8 AND substr(fingerprint, 1, length(?)) = ?))");
    for (int i = 0; i < 4; ++i)
      binds.push_back(filter.post);
  }
  if (!filter.account.empty()) {
    add("account = ?");
    binds.push_back(filter.account);
  }
  if (!filter.rule.empty()) {
    add("instr(' ' || rules || ' ', ' ' || ? || ' ') > 0");
    binds.push_back(filter.rule);
  }
  if (!filter.verdict.empty()) {
    add("verdict = ?");
    binds.push_back(filter.verdict);
  }
  if (!filter.actions.empty())
    add(ActionList(filter.actions, binds));
  if (!filter.since.empty()) {
    add("time >= ?");
    binds.push_back(filter.since);
  }
  if (!filter.until.empty()) {
    add("time < ?");
    binds.push_back(filter.until);
  }
  // The latest `limit` entries, returned oldest first.
  std::string sql = std::string("SELECT ") + kColumns + " FROM entries" + where + " ORDER BY seq";
  if (filter.limit > 0) {
    sql = std::string("SELECT * FROM (SELECT ") + kColumns + " FROM entries" + where +
          " ORDER BY seq DESC LIMIT " + std::to_string(filter.limit) + ") ORDER BY seq";
  }
  Statement s(*db_, sql);
  std::vector<LogEntry> out;
  if (!s.ok())
    return out;
  int index = 1;
  for (const auto& b : binds)
    s.Bind(index++, b);
  while (s.Step() == sqlite::kRow)
    out.push_back(ReadEntry(s));
  return out;
}

void DecisionLog::ForEach(const std::vector<std::string>& actions,
                          const std::function<bool(const LogEntry&)>& visit) const {
  std::vector<std::string> binds;
  std::string sql = std::string("SELECT ") + kColumns + " FROM entries";
  if (!actions.empty())
    sql += " WHERE " + ActionList(actions, binds);
  sql += " ORDER BY seq";
  Statement s(*db_, sql);
  if (!s.ok())
    return;
  int index = 1;
  for (const auto& b : binds)
    s.Bind(index++, b);
  while (s.Step() == sqlite::kRow) {
    if (!visit(ReadEntry(s)))
      return;
  }
}

int64_t DecisionLog::HeadSeq() const {
  Statement s(*db_, "SELECT max(seq) FROM entries");
  return s.ok() && s.Step() == sqlite::kRow ? s.Int(0) : 0;
}

LogVerification DecisionLog::Verify(
    const std::optional<std::pair<int64_t, std::string>>& anchor) const {
  bool anchor_seen = false;
  bool anchor_differs = false;
  LogVerification v = Walk({}, [&](const LogEntry& e) {
    if (anchor && anchor->first == e.seq) {
      anchor_seen = true;
      anchor_differs = anchor->second != e.hash;
    }
  });
  if (!v.ok || !anchor)
    return v;
  if (anchor_differs || !anchor_seen) {
    v.ok = false;
    v.bad_seq = anchor->first;
    v.problem =
        "entry " + std::to_string(anchor->first) +
        (anchor_differs ? " differs from the anchor you kept: the log was rewritten up to here"
                        : " from your anchor is not in the log: entries were removed");
  }
  return v;
}

LogVerification DecisionLog::Walk(const LogHead& from,
                                  const std::function<void(const LogEntry&)>& visit) const {
  LogVerification v;
  v.head_seq = from.seq;
  v.head_hash = from.seq == 0 ? "" : from.hash;
  auto bad = [&](int64_t seq, std::string problem) {
    if (!v.ok)
      return;
    v.ok = false;
    v.bad_seq = seq;
    v.problem = std::move(problem);
  };
  std::string prev = kGenesisHash;
  if (from.seq > 0) {
    Statement at(*db_, "SELECT hash FROM entries WHERE seq = ?");
    at.Bind(1, from.seq);
    if (!at.ok() || at.Step() != sqlite::kRow || at.Text(0) != from.hash) {
      bad(from.seq, "entry " + std::to_string(from.seq) +
                        " is no longer the entry postlint verified: the log was rewritten");
      return v;
    }
    prev = from.hash;
  }
  int64_t expected = from.seq + 1;
  Statement s(*db_, std::string("SELECT ") + kColumns + " FROM entries WHERE seq > ? ORDER BY seq");
  if (!s.ok()) {
    bad(expected, "the log cannot be read: " + db_->LastError());
    return v;
  }
  s.Bind(1, from.seq);
  while (s.Step() == sqlite::kRow) {
    const LogEntry e = ReadEntry(s);
    ++v.entries;
    if (e.seq != expected) {
      bad(expected, e.seq > expected
                        ? "entry " + std::to_string(expected) +
                              " is missing: the log jumps from entry " +
                              std::to_string(expected - 1) + " to entry " + std::to_string(e.seq)
                        : "entry " + std::to_string(e.seq) + " is out of sequence");
      return v;
    }
    if (HashOf(e) != e.hash) {
      bad(e.seq, "entry " + std::to_string(e.seq) +
                     " was altered: its contents do not match its hash (edited, or moved here "
                     "from another position)");
      return v;
    }
    if (e.prev_hash != prev) {
      bad(e.seq, "entry " + std::to_string(e.seq) + " does not follow entry " +
                     std::to_string(e.seq - 1) +
                     ": the chain was rewritten before it (entries removed, inserted or "
                     "reordered)");
      return v;
    }
    visit(e);
    prev = e.hash;
    v.head_seq = e.seq;
    v.head_hash = e.hash;
    ++expected;
  }
  // The database's own record of the head catches entries cut off the end.
  Statement head(*db_, "SELECT value FROM meta WHERE key = 'head_seq'");
  if (head.ok() && head.Step() == sqlite::kRow) {
    const int64_t recorded = std::strtoll(head.Text(0).c_str(), nullptr, 10);
    if (recorded > v.head_seq) {
      bad(v.head_seq + 1, "entries " + std::to_string(v.head_seq + 1) + " to " +
                              std::to_string(recorded) + " were removed from the end of the log");
    } else if (recorded < v.head_seq) {
      bad(recorded + 1, "entries after " + std::to_string(recorded) +
                            " were added without going through postlint");
    } else if (v.head_seq > 0) {
      Statement hash(*db_, "SELECT value FROM meta WHERE key = 'head_hash'");
      if (hash.ok() && hash.Step() == sqlite::kRow && hash.Text(0) != v.head_hash)
        bad(v.head_seq,
            "entry " + std::to_string(v.head_seq) + " does not match the head the log recorded");
    }
  }
  return v;
}

}  // namespace postlint
