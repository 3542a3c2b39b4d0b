// Issue 15, item 6: the gate trusted a tampered log. An SQL edit that moved a waiver onto a
// failing post made `check` and `gate` pass it (exit 0); only `log verify` noticed. Every reader
// of waivers and approvals now verifies the chain it reads (DecisionLog::Walk), and a broken
// chain is an error (exit 2), never a verdict. Writes to a log whose file was deleted fail
// instead of vanishing into the unlinked file.
#include <filesystem>
#include <functional>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "gate/decision_log.h"
#include "gate/recording.h"
#include "support/cli_harness.h"

namespace postlint {
namespace {

using testing::CliRun;
using ::testing::HasSubstr;
using ::testing::Not;

void ExecSql(const std::filesystem::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
      << (message ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);
}

// Reads one entry straight from the file, as an attacker with SQL access would.
LogEntry EntryAt(const std::filesystem::path& db_path, int64_t seq) {
  std::string error;
  auto log = DecisionLog::Open(db_path.string(), DecisionLog::kReadOnly, &error);
  LogFilter all;
  for (const LogEntry& e : log->Query(all)) {
    if (e.seq == seq)
      return e;
  }
  return {};
}

class TamperedLog : public testing::CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    policy_ = testing::SourcePath("fixtures/gate/acme.yaml");
    env_ = "POSTLINT_NOW=2026-11-24T09:00:00Z";
    db_ = dir_ / "decisions.db";
    // Two unfinished drafts; compliance waives the rule on the first one only (entry 2).
    Write("waived.md", "Our website launches TBD\n");
    Write("failing.md", "Our pricing page goes live TBD\n");
    EXPECT_EQ(Run("gate failing.md --as ci").exit_code, 1);  // entry 1: the failing post
    const CliRun waive = Run(
        "waive unfinished waived.md --role compliance --as carol --reason r --until 2026-11-30");
    ASSERT_EQ(waive.exit_code, 0) << waive.err;
    ASSERT_EQ(Run("check waived.md").exit_code, 0);
    ASSERT_EQ(Run("check failing.md").exit_code, 1);
    failing_fingerprint_ = EntryAt(db_, 1).fingerprint;
    ASSERT_FALSE(failing_fingerprint_.empty());
  }
  CliRun Run(const std::string& args) {
    const bool reports = args.rfind("check", 0) == 0 || args.rfind("gate", 0) == 0;
    return Postlint(args + " --policy " + policy_ + (reports ? " --color never" : ""));
  }
  std::string policy_;
  std::filesystem::path db_;
  std::string failing_fingerprint_;
};

TEST_F(TamperedLog, AWaiverMovedOntoAFailingPostStopsCheckAndGate) {
  ExecSql(db_, "UPDATE entries SET fingerprint = '" + failing_fingerprint_ + "' WHERE seq = 2");
  for (const std::string command : {"check failing.md", "gate failing.md --as ci"}) {
    SCOPED_TRACE(command);
    const CliRun r = Run(command);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr("is not intact"));
    EXPECT_THAT(r.err, HasSubstr("entry 2 was altered"));
    EXPECT_THAT(r.out, ::testing::Not(HasSubstr("pass")));
  }
  EXPECT_EQ(Postlint("queue").exit_code, 2);
}

TEST_F(TamperedLog, ACarefulEditWithAFreshHashIsCaughtByTheNextLink) {
  ASSERT_EQ(Run("gate waived.md --as ci").exit_code, 0);  // entry 3 follows the waiver
  // The attacker recomputes the edited entry's hash (the algorithm is public): the next entry
  // still names the old one.
  LogEntry moved = EntryAt(db_, 2);
  moved.fingerprint = failing_fingerprint_;
  ExecSql(db_, "UPDATE entries SET fingerprint = '" + failing_fingerprint_ + "', hash = '" +
                   DecisionLog::HashOf(moved) + "' WHERE seq = 2");
  const CliRun r = Run("check failing.md");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_THAT(r.err, HasSubstr("entry 3 does not follow entry 2"));
}

TEST_F(TamperedLog, EntriesCutOffTheEndAreAnError) {
  ExecSql(db_, "DELETE FROM entries WHERE seq = 2");
  const CliRun r = Run("check waived.md");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_THAT(r.err, HasSubstr("removed from the end of the log"));
}

TEST(SecurityGateState, ALongRunningReaderVerifiesWhatWasAppendedAndNeverRereadsOldEntries) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("postlint-gatestate-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string error;
  auto log = DecisionLog::Open((dir / "log.db").string(), DecisionLog::kCreate, &error);
  ASSERT_TRUE(log) << error;
  auto append = [&](const std::string& action, const std::string& fingerprint) {
    LogEntry e;
    e.action = action;
    e.actor = "carol";
    e.role = "compliance";
    e.fingerprint = fingerprint;
    e.rules = "unfinished";
    e.details = R"({"reason": "r", "until": "2099-01-01T00:00:00Z"})";
    ASSERT_TRUE(log->Append(e, &error)) << error;
  };
  append("waive", "aaaa");
  GateStateSource source(log.get());
  auto state = source.Current(&error);
  ASSERT_TRUE(state) << error;
  EXPECT_EQ(state->waivers.size(), 1u);
  append("waive", "bbbb");
  state = source.Current(&error);
  ASSERT_TRUE(state) << error;
  ASSERT_EQ(state->waivers.size(), 2u);
  EXPECT_EQ(state->waivers[1].fingerprint, "bbbb");

  // A careful rewrite of the whole chain (fresh hashes everywhere) moves the entry the reader
  // verified last: the next reload refuses, and so does every one after it.
  const std::filesystem::path db = dir / "log.db";
  LogEntry first = EntryAt(db, 1);
  first.fingerprint = "ffff";
  first.hash = DecisionLog::HashOf(first);
  LogEntry second = EntryAt(db, 2);
  second.prev_hash = first.hash;
  second.hash = DecisionLog::HashOf(second);
  ExecSql(db, "UPDATE entries SET fingerprint = 'ffff', hash = '" + first.hash +
                  "' WHERE seq = 1; UPDATE entries SET prev_hash = '" + first.hash + "', hash = '" +
                  second.hash + "' WHERE seq = 2; UPDATE meta SET value = '" + second.hash +
                  "' WHERE key = 'head_hash'");
  append("waive", "cccc");  // postlint appends on top of the rewritten chain
  EXPECT_FALSE(source.Current(&error));
  EXPECT_THAT(error, HasSubstr("no longer the entry postlint verified"));
  EXPECT_FALSE(source.Current(&error)) << "once broken, always broken";
  std::filesystem::remove_all(dir);
}

TEST(SecurityDecisionLog, AppendsAfterTheFileWasDeletedOrReplacedFail) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("postlint-deleted-log-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string error;
  const std::string path = (dir / "log.db").string();
  auto log = DecisionLog::Open(path, DecisionLog::kCreate, &error);
  ASSERT_TRUE(log) << error;
  LogEntry e;
  e.action = "gate";
  e.actor = "ci";
  ASSERT_TRUE(log->Append(e, &error)) << error;

  std::filesystem::remove(path);
  LogEntry lost;
  lost.action = "gate";
  lost.actor = "ci";
  EXPECT_FALSE(log->Append(lost, &error));
  EXPECT_THAT(error, HasSubstr("was deleted after postlint opened it"));

  auto other = DecisionLog::Open(path, DecisionLog::kCreate, &error);  // a new file there
  ASSERT_TRUE(other) << error;
  EXPECT_FALSE(log->Append(lost, &error));
  EXPECT_THAT(error, HasSubstr("was replaced by another file"));
  std::filesystem::remove_all(dir);
}

// Runs `body` in a child process that cannot override file permissions (root drops to
// `nobody`, as the permission checks below mean nothing to root), and returns what it wrote
// as its error message.
std::string ErrorAsUnprivilegedUser(const std::function<std::string()>& body) {
  int fds[2];
  if (::pipe(fds) != 0)
    return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0))
      ::_exit(3);
    const std::string message = body();
    const ssize_t written = ::write(fds[1], message.data(), message.size());
    ::_exit(written == static_cast<ssize_t>(message.size()) ? 0 : 4);
  }
  ::close(fds[1]);
  std::string out;
  char buffer[512];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;)
    out.append(buffer, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "child failed: status " + std::to_string(status);
  return out;
}

// Issue 15, item 9: a log the user may not write (or whose directory is read-only, which WAL
// needs even to read) was reported as "not a postlint decision log" or with SQLite's bare
// "attempt to write a readonly database". Each cause is now named with the path to fix.
TEST(SecurityDecisionLog, PermissionProblemsNameTheCauseAndThePath) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("postlint-ro-log-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "ro");
  const std::string path = (dir / "ro" / "decisions.db").string();
  {
    std::string error;
    auto log = DecisionLog::Open(path, DecisionLog::kCreate, &error);
    ASSERT_TRUE(log) << error;
    LogEntry e;
    e.action = "gate";
    e.actor = "ci";
    ASSERT_TRUE(log->Append(e, &error)) << error;
  }
  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec |
                                  fs::perms::group_exec | fs::perms::others_exec);
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read);

  const std::string read_error = ErrorAsUnprivilegedUser([&] {
    std::string error;
    auto log = DecisionLog::Open(path, DecisionLog::kReadOnly, &error);
    return log ? std::string("opened") : error;
  });
  EXPECT_THAT(read_error, Not(HasSubstr("not a postlint decision log")));
  EXPECT_THAT(read_error, HasSubstr("the directory " + (dir / "ro").string() + " is not writable"));
  EXPECT_THAT(read_error, HasSubstr("decisions.db-shm"));

  const std::string create_error = ErrorAsUnprivilegedUser([&] {
    std::string error;
    auto log =
        DecisionLog::Open((dir / "ro" / "sub" / "new.db").string(), DecisionLog::kCreate, &error);
    return log ? std::string("created") : error;
  });
  EXPECT_THAT(create_error,
              HasSubstr("cannot create the directory " + (dir / "ro" / "sub").string()));

  // A writable directory but a log file this user may not write: recording says so.
  fs::permissions(dir / "ro", fs::perms::all);
  fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  const std::string write_error = ErrorAsUnprivilegedUser([&] {
    std::string error;
    auto log = DecisionLog::Open(path, DecisionLog::kCreate, &error);
    if (!log)
      return error;
    LogEntry e;
    e.action = "gate";
    e.actor = "ci";
    return log->Append(e, &error) ? std::string("appended") : error;
  });
  EXPECT_THAT(write_error, HasSubstr(path + " is read-only for this user"));
  fs::permissions(dir / "ro", fs::perms::all);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace postlint
