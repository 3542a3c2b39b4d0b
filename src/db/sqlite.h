// The one SQLite wrapper: a connection and its prepared statements, owned, with errors as
// strings. Used by the decision log (gate/decision_log.h) and the link cache (links/checker.cpp).
//
//   std::string error;
//   auto db = sqlite::Database::Open(path, sqlite::kReadWrite | sqlite::kCreate, &error);
//   if (!db) ...;
//   sqlite::Statement s(*db, "SELECT value FROM meta WHERE key = ?1");
//   s.Bind(1, "format");
//   if (s.Step() == sqlite::kRow) use(s.Text(0));
//
// Threading: a Database is used from one thread at a time (opened with SQLITE_OPEN_NOMUTEX, or
// FULLMUTEX when `kSerialized` is asked for); callers that share one hold their own lock.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace postlint::sqlite {

enum OpenFlags : int {
  kReadOnly = 1 << 0,
  kReadWrite = 1 << 1,
  kCreate = 1 << 2,
  kSerialized = 1 << 3,  // SQLite's own mutex: a connection shared between threads
};

// sqlite3_step() results callers compare against.
inline constexpr int kRow = 100;   // SQLITE_ROW
inline constexpr int kDone = 101;  // SQLITE_DONE

class Database {
 public:
  // Opens (or with kCreate creates) the file at `path`. Returns nullptr with `*error` set to
  // SQLite's reason ("unable to open database file") on failure. `busy_timeout_ms` is how long a
  // statement waits for another process's lock before failing.
  static std::unique_ptr<Database> Open(const std::string& path, int flags, std::string* error,
                                        int busy_timeout_ms = 30000);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements without results. False with `*error` (when not null) set.
  bool Exec(const char* sql, std::string* error = nullptr);
  // The last error SQLite reported on this connection.
  std::string LastError() const;
  sqlite3* handle() const { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// A prepared statement, finalized when destroyed. A statement that did not compile has
// ok() == false, and Step() on it returns an error code (never kRow).
class Statement {
 public:
  Statement(const Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  // Binds a 1-based parameter; text is copied.
  void Bind(int index, std::string_view value);
  void Bind(int index, int64_t value);
  void Bind(int index, int value) { Bind(index, static_cast<int64_t>(value)); }
  // sqlite3_step(): kRow, kDone or an error code.
  int Step();
  // Clears the bindings' results so the statement can run again with new ones.
  void Reset();
  std::string Text(int column) const;  // "" for NULL
  int64_t Int(int column) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace postlint::sqlite
