// The people side of the gate as a library (gate/actions.h): approvals, waivers, revocations and
// the queue, tested without the command line.
#include "gate/actions.h"

#include <filesystem>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "session/check_session.h"
#include "support/rule_harness.h"

namespace postlint {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kActionsNow = 1795000000;

class GateActions : public ::testing::Test {
 protected:
  void SetUp() override {
    Diagnostics diags;
    engine_ = CompilePolicyFile(testing::SourcePath("fixtures/gate/acme.yaml"), diags);
    ASSERT_NE(engine_, nullptr) << diags.ToString();
    path_ = ::testing::TempDir() + "actions-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    std::filesystem::remove(path_);
    std::string error;
    log_ = DecisionLog::Open(path_, DecisionLog::kCreate, &error);
    ASSERT_NE(log_, nullptr) << error;
  }
  void TearDown() override { std::filesystem::remove(path_); }

  // Checks `text` through the one check path with the log's current waivers and approvals.
  PostResult Check(const std::string& text, const std::string& author = "",
                   const std::string& id = "p") {
    Post post = testing::MakePost(text, {"linkedin"});
    post.author = author;
    post.id = id;
    SessionOptions options;
    std::string error;
    options.gate = std::make_shared<GateState>(GateState::Load(log_.get(), &error).value());
    options.now = kActionsNow;
    return CheckSession(*engine_, options).Check(std::move(post));
  }
  void Record(const PostResult& r, const std::string& account = "") {
    LogEntry e = GateDecisionEntry(engine_->policy(), r, "ci", kActionsNow);
    e.account = account;
    std::string error;
    ASSERT_TRUE(log_->Append(e, &error)) << error;
  }
  void Append(LogEntry e) {
    std::string error;
    ASSERT_TRUE(log_->Append(e, &error)) << error;
  }

  std::shared_ptr<const Engine> engine_;
  std::string path_;
  std::unique_ptr<DecisionLog> log_;
};

TEST_F(GateActions, ApprovalFollowsTheRoutingAndIsRecordedOnce) {
  const PostResult r = Check("Our web site beats Globex");
  const GateTarget t = TargetOf(r);
  ASSERT_TRUE(t.review);
  EXPECT_THAT(t.review->required_roles, ElementsAre("editor", "legal"));
  const Policy& p = engine_->policy();
  ApprovalCheck wrong = CheckApproval(p, t, "carol", "compliance");
  EXPECT_EQ(wrong.outcome, ApprovalCheck::kRefused);
  EXPECT_THAT(wrong.message, HasSubstr("waits for editor, legal, not for role 'compliance'"));
  ApprovalCheck ok = CheckApproval(p, t, "lena", "legal");
  ASSERT_EQ(ok.outcome, ApprovalCheck::kApprove);
  EXPECT_THAT(ok.still_pending, ElementsAre("editor"));
  Append(ApprovalEntry(p, t, "lena", "legal", "fine", ok.required));
  const ApprovalCheck again =
      CheckApproval(p, TargetOf(Check("Our web site beats Globex")), "lena", "legal");
  EXPECT_EQ(again.outcome, ApprovalCheck::kNothing);
  EXPECT_THAT(again.message, HasSubstr("already approved for role 'legal'"));
}

TEST_F(GateActions, AFailingPostIsNeverApprovedAndAuthorsDoNotApproveTheirOwn) {
  const Policy& p = engine_->policy();
  EXPECT_EQ(CheckApproval(p, TargetOf(Check("Launch: TBD")), "bob", "editor").outcome,
            ApprovalCheck::kRefused);
  const ApprovalCheck own =
      CheckApproval(p, TargetOf(Check("Our web site is live", "bob")), "bob", "editor");
  EXPECT_EQ(own.outcome, ApprovalCheck::kRefused);
  EXPECT_THAT(own.message, HasSubstr("four eyes"));
  EXPECT_EQ(CheckApproval(p, TargetOf(Check("All clear")), "bob", "editor").outcome,
            ApprovalCheck::kNothing);
}

TEST_F(GateActions, WaiversNeedAFindingAndTheRightToWaiveItsLevel) {
  const Policy& p = engine_->policy();
  const GateTarget t = TargetOf(Check("Launch: TBD on our web site"));
  EXPECT_THAT(*CheckWaiverOn(p, t, "competitors", "legal"), HasSubstr("nothing to waive"));
  EXPECT_THAT(*CheckWaiverOn(p, t, "unfinished", "editor"),
              HasSubstr("may not waive 'unfinished' findings at level error"));
  EXPECT_FALSE(CheckWaiverOn(p, t, "unfinished", "compliance"));
  EXPECT_FALSE(CheckWaiverOn(p, t, "spelling", "editor"));
}

TEST_F(GateActions, ExpiriesComeFromOneGrammarAndAreInTheFuture) {
  EXPECT_EQ(WaiverExpiry("", "90m", kActionsNow).until, kActionsNow + 90 * 60);
  EXPECT_EQ(WaiverExpiry("", "2w", kActionsNow).until, kActionsNow + 14 * 86400);
  EXPECT_THAT(WaiverExpiry("", "soon", kActionsNow).problem, HasSubstr("--for takes a duration"));
  EXPECT_THAT(WaiverExpiry("2020-01-01", "", kActionsNow).problem, HasSubstr("already past"));
  EXPECT_THAT(WaiverExpiry("", "", kActionsNow).problem, HasSubstr("give the waiver an expiry"));
  EXPECT_THAT(WaiverExpiry("2030-01-01", "7d", kActionsNow).problem,
              HasSubstr("--until DATE or --for"));
}

TEST_F(GateActions, RevocationByTheWaiversRoleOrOneThatMayWaiveIt) {
  const Policy& p = engine_->policy();
  Waiver w;
  w.id = "w1";
  w.rule = "spelling";
  w.role = "editor";
  EXPECT_FALSE(CheckRevocation(p, w, "bob", "editor"));
  EXPECT_FALSE(CheckRevocation(p, w, "carol", "compliance"));
  EXPECT_TRUE(CheckRevocation(p, w, "lena", "legal"));
  EXPECT_TRUE(CheckRevocation(p, w, "mallory", "editor"));  // not a member of editor
}

TEST_F(GateActions, LookupByIdRefusesToGuessBetweenTwoPosts) {
  Record(Check("Our web site is live", "", "post-1"), "@acme");
  Record(Check("Send an e-mail", "", "post-1"), "@acme_lv");
  std::string error;
  const GateState state = GateState::Load(log_.get(), &error).value();
  std::string problem;
  EXPECT_FALSE(LookupTarget(*log_, state, "post-1", &problem));
  EXPECT_THAT(problem, HasSubstr("matches 2 posts"));
  EXPECT_THAT(problem, HasSubstr("@acme_lv"));
  EXPECT_FALSE(LookupTarget(*log_, state, "nope", &problem));
  EXPECT_THAT(problem, HasSubstr("no gate decision"));
}

TEST_F(GateActions, TheQueueKeysByFingerprintAndAnEditReplacesTheOlderVersion) {
  Record(Check("Our web site is live", "", "post-1"), "@acme");
  Record(Check("Send an e-mail", "", "post-1"), "@acme_lv");
  std::string error;
  EXPECT_EQ(BuildQueue(*log_, *GateState::Load(log_.get(), &error), kActionsNow).size(), 2u);
  Record(Check("Our new web site is live", "", "post-1"), "@acme");  // an edit of the first
  const auto queue =
      BuildQueue(*log_, *GateState::Load(log_.get(), &error), kActionsNow + 3 * 86400);
  ASSERT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue[0].deadline_seconds, 24 * 3600);
  EXPECT_TRUE(queue[0].overdue);
  for (const auto& item : queue)
    EXPECT_NE(item.decision.fingerprint, TargetOf(Check("Our web site is live")).fingerprint);
}

}  // namespace
}  // namespace postlint
