#include "db/sqlite.h"

#include <sqlite3.h>

namespace postlint::sqlite {

std::unique_ptr<Database> Database::Open(const std::string& path, int flags, std::string* error,
                                         int busy_timeout_ms) {
  int native = (flags & kReadOnly) != 0 ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if ((flags & kCreate) != 0)
    native |= SQLITE_OPEN_CREATE;
  native |= (flags & kSerialized) != 0 ? SQLITE_OPEN_FULLMUTEX : SQLITE_OPEN_NOMUTEX;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, native, nullptr) != SQLITE_OK) {
    if (error != nullptr)
      *error = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<Database>(new Database(db));
}

Database::~Database() {
  sqlite3_close(db_);
}

bool Database::Exec(const char* sql, std::string* error) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) == SQLITE_OK)
    return true;
  if (error != nullptr)
    *error = message != nullptr ? message : sqlite3_errmsg(db_);
  sqlite3_free(message);
  return false;
}

std::string Database::LastError() const {
  return sqlite3_errmsg(db_);
}

Statement::Statement(const Database& db, std::string_view sql) {
  if (sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
  }
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

void Statement::Bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
}

void Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
}

int Statement::Step() {
  return stmt_ == nullptr ? SQLITE_MISUSE : sqlite3_step(stmt_);
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::Text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p == nullptr ? std::string()
                      : std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

}  // namespace postlint::sqlite
