// The one check path (session/check_session.h): the engine's verdict, then the gate, then the
// recorded decision, the same for one post and for a batch.
#include "session/check_session.h"

#include <filesystem>
#include <unistd.h>

#include <gtest/gtest.h>

#include "gate/actions.h"
#include "support/rule_harness.h"

namespace postlint {
namespace {

constexpr int64_t kNow = 1795000000;

std::shared_ptr<const Engine> Acme() {
  Diagnostics diags;
  auto engine = CompilePolicyFile(testing::SourcePath("fixtures/gate/acme.yaml"), diags);
  EXPECT_NE(engine, nullptr) << diags.ToString();
  return engine;
}

TEST(CheckSession, AppliesWaiversAndRecordsTheDecisionItMade) {
  auto engine = Acme();
  const std::string path = ::testing::TempDir() + "session-" + std::to_string(::getpid()) + ".db";
  std::filesystem::remove(path);
  std::string error;
  auto log = DecisionLog::Open(path, DecisionLog::kCreate, &error);
  ASSERT_NE(log, nullptr) << error;
  const Post post = testing::MakePost("Our web site is live", {"linkedin"});

  // A waiver for this post's spelling finding...
  SessionOptions plain;
  plain.now = kNow;
  const PostResult before = CheckSession(*engine, plain).Check(post);
  EXPECT_EQ(before.verdict, Verdict::kReview);
  LogEntry waiver = ActEntry(engine->policy(), "waive", "bob", "editor", nullptr);
  waiver.fingerprint = before.fingerprint;
  waiver.rules = "spelling";
  waiver.details = R"({"reason": "ok", "until": "2030-01-01T00:00:00Z"})";
  ASSERT_TRUE(log->Append(waiver, &error)) << error;

  // ...counts through a session that reads the log, and the session records what it decided.
  DecisionRecorder recorder(log.get());
  SessionOptions gated;
  gated.now = kNow;
  std::string untrusted;
  gated.gate = GateStateSource(log.get()).Current(&untrusted);
  ASSERT_NE(gated.gate, nullptr) << untrusted;
  gated.recorder = &recorder;
  gated.actor = "ci";
  const PostResult after = CheckSession(*engine, gated).Check(post);
  EXPECT_EQ(after.verdict, Verdict::kPass);
  ASSERT_TRUE(recorder.Flush()) << recorder.error();
  const auto entries = log->Query({});
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].action, "gate");
  EXPECT_EQ(entries[1].verdict, "pass");
  EXPECT_EQ(entries[1].actor, "ci");
  std::filesystem::remove(path);
}

TEST(CheckSession, ABatchGivesTheSameResultsAsOnePostAtATimeInInputOrder) {
  auto engine = Acme();
  SessionOptions options;
  options.now = kNow;
  const CheckSession session(*engine, options);
  std::vector<Post> posts;
  for (int i = 0; i < 300; ++i) {
    posts.push_back(testing::MakePost(i % 3 == 0   ? "Launch: TBD"
                                      : i % 3 == 1 ? "Our web site beats Globex"
                                                   : "All clear " + std::to_string(i),
                                      {"linkedin"}));
    posts.back().id = "p" + std::to_string(i);
  }
  BatchOptions batch;
  batch.jobs = 2;
  batch.window = 16;
  std::vector<PostResult> results;
  session.Run(
      batch,
      [&](const RecordCallback& emit) {
        for (const auto& p : posts)
          emit(InputRecord(p));
        emit(InputRecord(ReadError{"bad.jsonl", 7, "", "invalid JSON"}));
      },
      [&](PostResult&& r) { results.push_back(std::move(r)); });
  ASSERT_EQ(results.size(), posts.size() + 1);
  for (size_t i = 0; i < posts.size(); ++i) {
    const PostResult one = session.Check(posts[i]);
    EXPECT_EQ(results[i].post.id, posts[i].id);
    EXPECT_EQ(results[i].verdict, one.verdict) << i;
    EXPECT_EQ(results[i].fingerprint, one.fingerprint) << i;
    EXPECT_EQ(results[i].review.has_value(), one.review.has_value()) << i;
  }
  EXPECT_EQ(results.back().verdict, Verdict::kError);
}

}  // namespace
}  // namespace postlint
