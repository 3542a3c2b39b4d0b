#include "engine/batch.h"

#include <gtest/gtest.h>

#include "support/rule_harness.h"

namespace postlint {
namespace {

std::shared_ptr<const Engine> TermsEngine() {
  Diagnostics diags;
  auto engine = CompilePolicyString(
      "rules:\n  - {id: banned, kind: terms, level: error, banned: [damn]}\n", "p.yaml", diags);
  EXPECT_NE(engine, nullptr) << diags.ToString();
  return engine;
}

// Emits n posts ("post i", every 7th contains a banned word) and a read error at position 5.
RecordProducer Posts(int n) {
  return [n](const RecordCallback& emit) {
    for (int i = 0; i < n; ++i) {
      if (i == 5) {
        emit(ReadError{"in.jsonl", 6, "", "invalid JSON"});
        continue;
      }
      Post p =
          testing::MakePost(i % 7 == 0 ? "damn " + std::to_string(i) : "ok " + std::to_string(i));
      p.id = std::to_string(i);
      p.created_at = i % 2 ? "2026-01-15T10:00:00Z" : "2026-03-01";
      emit(std::move(p));
    }
  };
}

class BatchTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(BatchTest, ResultsComeBackInInputOrderWithTheSameVerdicts) {
  auto engine = TermsEngine();
  ASSERT_TRUE(engine);
  BatchOptions options;
  options.jobs = GetParam();
  options.window = 16;  // small window: exercise back-pressure
  std::vector<PostResult> results;
  const BatchStats stats = RunBatch(*engine, options, Posts(2000),
                                    [&](PostResult&& r) { results.push_back(std::move(r)); });
  ASSERT_EQ(results.size(), 2000u);
  EXPECT_EQ(stats.records, 2000u);
  for (int i = 0; i < 2000; ++i) {
    if (i == 5) {
      EXPECT_EQ(results[i].verdict, Verdict::kError);
      continue;
    }
    ASSERT_EQ(results[i].post.id, std::to_string(i));
    EXPECT_EQ(results[i].verdict, i % 7 == 0 ? Verdict::kFail : Verdict::kPass) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Jobs, BatchTest, ::testing::Values(1u, 2u, 4u, 8u));

TEST(Batch, KeepFilterSkipsPostsButNotErrors) {
  auto engine = TermsEngine();
  ASSERT_TRUE(engine);
  BatchOptions options;
  options.jobs = 2;
  options.keep = [](const Post& p) { return p.created_at >= "2026-02"; };
  uint64_t consumed = 0;
  const BatchStats stats =
      RunBatch(*engine, options, Posts(100), [&](PostResult&&) { ++consumed; });
  // Even ids (and the error at 5) are kept: 50 even posts + 1 error.
  EXPECT_EQ(consumed, 51u);
  EXPECT_EQ(stats.skipped, 49u);
}

TEST(Batch, EmptyInput) {
  auto engine = TermsEngine();
  ASSERT_TRUE(engine);
  BatchOptions options;
  options.jobs = 3;
  int n = 0;
  RunBatch(
      *engine, options, [](const RecordCallback&) {}, [&](PostResult&&) { ++n; });
  EXPECT_EQ(n, 0);
}

}  // namespace
}  // namespace postlint
