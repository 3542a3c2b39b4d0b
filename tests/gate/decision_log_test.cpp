// The decision log: appends, queries, and the hash chain catching every kind of tampering done
// directly in the SQLite file, plus concurrent writers from separate processes.
#include "gate/decision_log.h"

#include <filesystem>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

namespace postlint {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class DecisionLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("postlint-log-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    path_ = (dir_ / "sub" / "decisions.db").string();  // the directory is created on demand
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<DecisionLog> Open(DecisionLog::OpenMode mode = DecisionLog::kCreate) {
    std::string error;
    auto log = DecisionLog::Open(path_, mode, &error);
    EXPECT_NE(log, nullptr) << error;
    return log;
  }

  static LogEntry Gate(const std::string& post, const std::string& verdict,
                       const std::string& rules = "") {
    LogEntry e;
    e.action = "gate";
    e.actor = "ci";
    e.post_id = post;
    e.account = "@acme";
    e.fingerprint = std::string(64, post.empty() ? '0' : post[0]);
    e.policy_name = "acme";
    e.policy_version = "1";
    e.policy_sha256 = std::string(64, 'a');
    e.verdict = verdict;
    e.rules = rules;
    e.details = "{}";
    return e;
  }

  // Appends `n` gate decisions for posts p1..pn.
  void Fill(int n) {
    auto log = Open();
    for (int i = 1; i <= n; ++i) {
      LogEntry e = Gate("p" + std::to_string(i), i % 2 ? "review" : "pass");
      std::string error;
      ASSERT_TRUE(log->Append(e, &error)) << error;
    }
  }

  // Tampering the way an insider with the file would: plain SQL, no postlint.
  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
  }

  LogVerification Verify(
      const std::optional<std::pair<int64_t, std::string>>& anchor = std::nullopt) {
    return Open(DecisionLog::kReadOnly)->Verify(anchor);
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(DecisionLogTest, AppendChainsEntriesAndVerifies) {
  auto log = Open();
  std::vector<LogEntry> batch = {Gate("a", "review"), Gate("b", "pass")};
  std::string error;
  ASSERT_TRUE(log->Append(batch, &error)) << error;
  EXPECT_EQ(batch[0].seq, 1);
  EXPECT_EQ(batch[1].seq, 2);
  EXPECT_EQ(batch[0].prev_hash, std::string(64, '0'));
  EXPECT_EQ(batch[1].prev_hash, batch[0].hash);
  EXPECT_EQ(batch[1].hash, DecisionLog::HashOf(batch[1]));
  EXPECT_FALSE(batch[0].time.empty()) << "time is filled in";

  const LogVerification v = log->Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.entries, 2u);
  EXPECT_EQ(v.head_seq, 2);
  EXPECT_EQ(v.head_hash, batch[1].hash);
}

TEST_F(DecisionLogTest, EveryFieldIsCoveredByTheHash) {
  LogEntry e = Gate("a", "review");
  e.seq = 1;
  e.prev_hash = std::string(64, '0');
  const std::string h = DecisionLog::HashOf(e);
  for (std::string LogEntry::*field :
       {&LogEntry::time, &LogEntry::action, &LogEntry::actor, &LogEntry::role, &LogEntry::post_id,
        &LogEntry::account, &LogEntry::fingerprint, &LogEntry::policy_name,
        &LogEntry::policy_version, &LogEntry::policy_sha256, &LogEntry::verdict, &LogEntry::rules,
        &LogEntry::details, &LogEntry::prev_hash}) {
    LogEntry changed = e;
    changed.*field += "x";
    EXPECT_NE(DecisionLog::HashOf(changed), h);
  }
  LogEntry moved = e;
  moved.seq = 2;
  EXPECT_NE(DecisionLog::HashOf(moved), h);
  // Length prefixes: moving a character from one field to the next changes the hash.
  LogEntry shifted = e;
  shifted.actor = "c";
  shifted.role = "i";
  LogEntry original = e;
  original.actor = "ci";
  original.role = "";
  EXPECT_NE(DecisionLog::HashOf(shifted), DecisionLog::HashOf(original));
}

TEST_F(DecisionLogTest, AnEditedEntryIsNamed) {
  Fill(5);
  Sql("UPDATE entries SET verdict = 'pass' WHERE seq = 3");
  const LogVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.bad_seq, 3);
  EXPECT_THAT(v.problem, HasSubstr("entry 3 was altered"));
}

TEST_F(DecisionLogTest, AnEditWithARecomputedHashBreaksTheNextLink) {
  Fill(5);
  auto log = Open();
  LogEntry e = log->Query({}).at(2);
  e.verdict = "pass";
  Sql("UPDATE entries SET verdict = 'pass', hash = '" + DecisionLog::HashOf(e) + "' WHERE seq = 3");
  const LogVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.bad_seq, 4);
  EXPECT_THAT(v.problem, HasSubstr("entry 4 does not follow entry 3"));
}

TEST_F(DecisionLogTest, ADeletedEntryIsNamed) {
  Fill(5);
  Sql("DELETE FROM entries WHERE seq = 2");
  const LogVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.bad_seq, 2);
  EXPECT_THAT(v.problem, HasSubstr("entry 2 is missing: the log jumps from entry 1 to entry 3"));
}

TEST_F(DecisionLogTest, ReorderedEntriesAreNamed) {
  Fill(5);
  Sql("UPDATE entries SET seq = 100 WHERE seq = 2; UPDATE entries SET seq = 2 WHERE seq = 4; "
      "UPDATE entries SET seq = 4 WHERE seq = 100;");
  const LogVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.bad_seq, 2);
  EXPECT_THAT(v.problem, HasSubstr("entry 2 was altered"));
}

TEST_F(DecisionLogTest, EntriesCutOffTheEndAreNoticed) {
  Fill(5);
  Sql("DELETE FROM entries WHERE seq >= 4");
  const LogVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.bad_seq, 4);
  EXPECT_THAT(v.problem, HasSubstr("entries 4 to 5 were removed from the end"));
}

TEST_F(DecisionLogTest, ACarefulTruncationIsCaughtByAnAnchorKeptElsewhere) {
  Fill(5);
  const LogVerification before = Verify();
  ASSERT_TRUE(before.ok);
  auto log = Open();
  const LogEntry third = log->Query({}).at(2);
  Sql("DELETE FROM entries WHERE seq >= 4; UPDATE meta SET value = '3' WHERE key = 'head_seq'; "
      "UPDATE meta SET value = '" +
      third.hash + "' WHERE key = 'head_hash';");
  EXPECT_TRUE(Verify().ok) << "without an anchor a consistent truncation is invisible";
  const LogVerification v = Verify(std::make_pair(before.head_seq, before.head_hash));
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.bad_seq, 5);
  EXPECT_THAT(v.problem, HasSubstr("entry 5 from your anchor is not in the log"));
}

TEST_F(DecisionLogTest, QueriesFilterAndKeepAppendOrder) {
  auto log = Open();
  std::vector<LogEntry> batch = {Gate("a", "review", "spelling competitors"), Gate("b", "pass"),
                                 Gate("a", "pass", "spelling")};
  batch[1].account = "@acme_uk";
  batch[0].time = "2026-11-20T10:00:00Z";
  batch[1].time = "2026-11-21T10:00:00Z";
  batch[2].time = "2026-11-22T10:00:00Z";
  std::string error;
  ASSERT_TRUE(log->Append(batch, &error)) << error;
  auto seqs = [&](const LogFilter& f) {
    std::vector<int64_t> out;
    for (const auto& e : log->Query(f))
      out.push_back(e.seq);
    return out;
  };
  EXPECT_THAT(seqs({}), ::testing::ElementsAre(1, 2, 3));
  LogFilter f;
  f.post = "a";
  EXPECT_THAT(seqs(f), ::testing::ElementsAre(1, 3));
  f = {};
  f.post = std::string(10, 'b');  // a fingerprint prefix
  EXPECT_THAT(seqs(f), ::testing::ElementsAre(2));
  f = {};
  f.rule = "competitors";
  EXPECT_THAT(seqs(f), ::testing::ElementsAre(1));
  f.rule = "compet";  // whole rule ids only
  EXPECT_THAT(seqs(f), ::testing::IsEmpty());
  f = {};
  f.account = "@acme_uk";
  EXPECT_THAT(seqs(f), ::testing::ElementsAre(2));
  f = {};
  f.verdict = "pass";
  f.limit = 1;
  EXPECT_THAT(seqs(f), ::testing::ElementsAre(3)) << "the latest match";
  f = {};
  f.since = "2026-11-21T00:00:00Z";
  f.until = "2026-11-22T00:00:00Z";
  EXPECT_THAT(seqs(f), ::testing::ElementsAre(2));
  f = {};
  f.actions = {"approve"};
  EXPECT_THAT(seqs(f), ::testing::IsEmpty());
}

TEST_F(DecisionLogTest, ConcurrentWritersInSeparateProcessesLoseNothing) {
  // No log yet: both writers race to create it too, as two first runs of `postlint gate` would.
  constexpr int kWriters = 2;
  constexpr int kEach = 150;
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Child: its own connection, one append per transaction, as separate postlint runs do.
      std::string error;
      auto log = DecisionLog::Open(path_, DecisionLog::kCreate, &error);
      int ok = log != nullptr;
      for (int i = 0; ok && i < kEach; ++i) {
        LogEntry e = Gate("w" + std::to_string(w) + "-" + std::to_string(i), "pass");
        e.actor = "writer" + std::to_string(w);
        ok = log->Append(e, &error);
      }
      _exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto log = Open(DecisionLog::kReadOnly);
  const LogVerification v = log->Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.entries, static_cast<uint64_t>(kWriters * kEach));
  for (int w = 0; w < kWriters; ++w) {
    int count = 0;
    log->ForEach({"gate"}, [&](const LogEntry& e) {
      count += e.actor == "writer" + std::to_string(w);
      return true;
    });
    EXPECT_EQ(count, kEach) << "writer " << w;
  }
}

TEST_F(DecisionLogTest, RefusesFilesThatAreNotDecisionLogs) {
  fs::create_directories(dir_);
  path_ = (dir_ / "other.db").string();
  Sql("CREATE TABLE t (x)");
  std::string error;
  EXPECT_EQ(DecisionLog::Open(path_, DecisionLog::kReadOnly, &error), nullptr);
  EXPECT_THAT(error, HasSubstr("is not a postlint decision log"));
  EXPECT_EQ(DecisionLog::Open((dir_ / "missing.db").string(), DecisionLog::kExisting, &error),
            nullptr);
  EXPECT_THAT(error, HasSubstr("no decision log at"));
}

}  // namespace
}  // namespace postlint
