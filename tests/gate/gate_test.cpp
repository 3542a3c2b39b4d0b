// The gate's rules: routing to roles, approvals tied to a fingerprint, waivers with rights and
// expiry, and the policy syntax that declares them.
#include "gate/gate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/fingerprint.h"
#include "support/rule_harness.h"

namespace postlint {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int64_t kNow = 1795000000;  // 2026-11-16T...

std::shared_ptr<const Engine> AcmeEngine() {
  Diagnostics diags;
  auto engine = CompilePolicyFile(testing::SourcePath("fixtures/gate/acme.yaml"), diags);
  EXPECT_NE(engine, nullptr) << diags.ToString();
  return engine;
}

PostResult Gate(const Engine& engine, const GateState& state, const std::string& text,
                int64_t now = kNow) {
  PostResult r = engine.Check(testing::MakePost(text));
  ApplyGate(engine.policy(), state, now, r);
  return r;
}

Waiver MakeWaiver(const std::string& rule, const std::string& role, const std::string& fp,
                  int64_t until) {
  Waiver w;
  w.id = "w1";
  w.rule = rule;
  w.fingerprint = fp;
  w.by = role == "legal" ? "lena" : "carol";
  w.role = role;
  w.reason = "accepted";
  w.until = until;
  return w;
}

TEST(Fingerprint, CoversWhatIsPublishedAndNothingElse) {
  Post a = testing::MakePost("Launch day!", {"x", "linkedin"});
  a.account = "@acme";
  const std::string fp = PostFingerprint(a);
  EXPECT_EQ(fp.size(), 64u);

  Post moved = a;  // id, file, author and time are not what readers see
  moved.id = "other";
  moved.source = "drafts/renamed.md";
  moved.author = "someone else";
  moved.created_at = "2026-01-01";
  moved.networks = {"linkedin", "x"};  // order does not matter
  EXPECT_EQ(PostFingerprint(moved), fp);

  for (auto edit : std::vector<std::function<void(Post&)>>{
           [](Post& p) { p.text += " "; }, [](Post& p) { p.networks = {"x"}; },
           [](Post& p) { p.account = "@acme_uk"; }, [](Post& p) { p.sponsored = true; },
           [](Post& p) { p.lang = "lv"; }, [](Post& p) { p.media.push_back({"a chart"}); },
           [](Post& p) { p.labels["campaign"] = "spring"; }}) {
    Post edited = a;
    edit(edited);
    EXPECT_NE(PostFingerprint(edited), fp);
  }
  EXPECT_EQ(ShortFingerprint(fp), fp.substr(0, 12));
}

TEST(GateRouting, ReviewGoesToTheRolesTheFindingsRouteTo) {
  auto engine = AcmeEngine();
  const GateState none;
  PostResult r = Gate(*engine, none, "Our web site beats Globex.");
  EXPECT_EQ(r.verdict, Verdict::kReview);
  ASSERT_TRUE(r.review.has_value());
  // spelling routes to the level's default (editor), competitors to its own role (legal).
  EXPECT_THAT(r.review->required_roles, ElementsAre("editor", "legal"));
  EXPECT_THAT(r.review->pending_roles, ElementsAre("editor", "legal"));
  EXPECT_FALSE(r.review->approved());

  PostResult style_only = Gate(*engine, none, "Visit our web site.");
  EXPECT_THAT(style_only.review->required_roles, ElementsAre("editor"));

  PostResult clean = Gate(*engine, none, "Visit our website.");
  EXPECT_EQ(clean.verdict, Verdict::kPass);
  EXPECT_FALSE(clean.review.has_value());

  PostResult failing = Gate(*engine, none, "Our web site: TBD");
  EXPECT_EQ(failing.verdict, Verdict::kFail);
  EXPECT_FALSE(failing.review.has_value()) << "a failing post is not waiting for review";
}

TEST(GateRouting, PassesOnlyWhenEveryRequiredRoleApproved) {
  auto engine = AcmeEngine();
  const std::string text = "Our web site beats Globex.";
  const std::string fp = Gate(*engine, {}, text).fingerprint;

  GateState state;
  state.approvals.push_back({fp, {"bob", "editor", "2026-11-16T10:00:00Z", ""}});
  PostResult half = Gate(*engine, state, text);
  EXPECT_EQ(half.verdict, Verdict::kReview);
  EXPECT_THAT(half.review->pending_roles, ElementsAre("legal"));
  ASSERT_EQ(half.review->approvals.size(), 1u);

  state.approvals.push_back({fp, {"lena", "legal", "2026-11-16T11:00:00Z", "ok"}});
  PostResult done = Gate(*engine, state, text);
  EXPECT_EQ(done.verdict, Verdict::kPass);
  ASSERT_TRUE(done.review.has_value()) << "the record of who approved stays";
  EXPECT_THAT(done.review->pending_roles, IsEmpty());
  EXPECT_EQ(done.review->approvals.size(), 2u);
  EXPECT_EQ(done.findings.size(), 2u) << "approval does not hide findings";
}

TEST(GateRouting, WithNoRoleRoutedAnyOneApprovalWillDo) {
  Diagnostics diags;
  auto engine = CompilePolicyString(
      "name: t\nroles: {editor: Edits, legal: Signs}\n"
      "rules:\n  - {id: style, kind: pattern, level: warning, patterns: [web site]}\n",
      "t.yaml", diags);
  ASSERT_NE(engine, nullptr) << diags.ToString();
  const std::string text = "Our web site";
  PostResult waiting = Gate(*engine, {}, text);
  EXPECT_EQ(waiting.verdict, Verdict::kReview);
  ASSERT_TRUE(waiting.review.has_value());
  EXPECT_THAT(waiting.review->required_roles, IsEmpty());
  EXPECT_FALSE(waiting.review->approved()) << "nobody has approved yet";

  GateState state;
  state.approvals.push_back({waiting.fingerprint, {"lena", "legal", "2026-11-16T10:00:00Z", ""}});
  PostResult approved = Gate(*engine, state, text);
  EXPECT_EQ(approved.verdict, Verdict::kPass);
  EXPECT_TRUE(approved.review->approved());
  EXPECT_EQ(ReviewFor({}, waiting.fingerprint, state).approvals.size(), 1u);
  EXPECT_FALSE(ReviewFor({"editor"}, waiting.fingerprint, state).approved())
      << "once a role is asked for, another role's approval does not count";
}

TEST(GateRouting, AnApprovalFromARoleNotAskedForDoesNotCount) {
  auto engine = AcmeEngine();
  const std::string text = "Visit our web site.";
  GateState state;
  state.approvals.push_back(
      {Gate(*engine, {}, text).fingerprint, {"lena", "legal", "2026-11-16T10:00:00Z", ""}});
  PostResult r = Gate(*engine, state, text);
  EXPECT_EQ(r.verdict, Verdict::kReview);
  EXPECT_THAT(r.review->approvals, IsEmpty());
}

TEST(GateRouting, EditingAnApprovedPostVoidsTheApproval) {
  auto engine = AcmeEngine();
  const std::string text = "Visit our web site.";
  GateState state;
  state.approvals.push_back(
      {Gate(*engine, {}, text).fingerprint, {"bob", "editor", "2026-11-16T10:00:00Z", ""}});
  EXPECT_EQ(Gate(*engine, state, text).verdict, Verdict::kPass);
  PostResult edited = Gate(*engine, state, "Visit our web site today.");
  EXPECT_EQ(edited.verdict, Verdict::kReview);
  EXPECT_THAT(edited.review->approvals, IsEmpty());
  EXPECT_THAT(edited.review->pending_roles, ElementsAre("editor"));
}

TEST(GateWaivers, AWaivedFindingStaysMarkedAndStopsCounting) {
  auto engine = AcmeEngine();
  const std::string text = "Our web site: TBD";
  const std::string fp = Gate(*engine, {}, text).fingerprint;
  GateState state;
  state.waivers.push_back(MakeWaiver("unfinished", "compliance", fp, kNow + 3600));
  PostResult r = Gate(*engine, state, text);
  EXPECT_EQ(r.verdict, Verdict::kReview) << "the spelling warning still counts";
  ASSERT_EQ(r.findings.size(), 2u);
  const auto waived = std::find_if(r.findings.begin(), r.findings.end(),
                                   [](const Finding& f) { return f.rule == "unfinished"; });
  ASSERT_NE(waived, r.findings.end());
  ASSERT_TRUE(waived->suppression.has_value());
  EXPECT_EQ(waived->suppression->by, "carol");
  EXPECT_EQ(waived->suppression->role, "compliance");
  EXPECT_EQ(waived->suppression->until, FormatTime(kNow + 3600));
  EXPECT_EQ(waived->level, Level::kError) << "the level is kept";
}

TEST(GateWaivers, ExpiredRevokedOrOtherPostWaiversDoNotApply) {
  auto engine = AcmeEngine();
  const std::string text = "Launch: TBD";
  const std::string fp = Gate(*engine, {}, text).fingerprint;
  GateState state;
  state.waivers.push_back(MakeWaiver("unfinished", "compliance", fp, kNow + 60));
  EXPECT_EQ(Gate(*engine, state, text, kNow).verdict, Verdict::kPass);
  EXPECT_EQ(Gate(*engine, state, text, kNow + 60).verdict, Verdict::kFail) << "expired";
  EXPECT_EQ(Gate(*engine, state, "Launch: TBD!", kNow).verdict, Verdict::kFail)
      << "another post (edited text) is not covered";
  state.waivers.back().revoked = true;
  EXPECT_EQ(Gate(*engine, state, text, kNow).verdict, Verdict::kFail) << "revoked";
}

TEST(GateWaivers, APatternWaiverCoversACampaign) {
  auto engine = AcmeEngine();
  GateState state;
  Waiver w = MakeWaiver("competitors", "legal", "", kNow + 86400);
  w.pattern = "#AcmeVsGlobex";
  w.regex = std::make_shared<RE2>(w.pattern);
  state.waivers.push_back(w);
  EXPECT_EQ(Gate(*engine, state, "We beat Globex. #AcmeVsGlobex").verdict, Verdict::kPass);
  EXPECT_EQ(Gate(*engine, state, "We beat Globex.").verdict, Verdict::kReview);
  EXPECT_EQ(Gate(*engine, state, "We beat Initech. #AcmeVsGlobex web site").verdict,
            Verdict::kReview)
      << "only the waived rule's findings are covered";
}

TEST(GateWaivers, AWaiverNoLongerBackedByThePolicyStopsApplying) {
  auto engine = AcmeEngine();
  const std::string text = "Launch: TBD";
  GateState state;
  // An editor may waive warnings, not errors: such a waiver (recorded under an older policy, or
  // forged in the log) is ignored.
  state.waivers.push_back(
      MakeWaiver("unfinished", "editor", Gate(*engine, {}, text).fingerprint, kNow + 60));
  EXPECT_EQ(Gate(*engine, state, text).verdict, Verdict::kFail);
}

TEST(GatePermissions, WaiverRightsFollowRuleThenLevel) {
  auto engine = AcmeEngine();
  const Policy& p = engine->policy();
  EXPECT_EQ(CheckMayWaive(p, "spelling", "editor"), std::nullopt);
  EXPECT_EQ(CheckMayWaive(p, "competitors", "legal"), std::nullopt);
  const auto refused = CheckMayWaive(p, "competitors", "editor");
  ASSERT_TRUE(refused.has_value());
  EXPECT_THAT(*refused, HasSubstr("role 'editor' may not waive rule 'competitors'"));
  EXPECT_THAT(*refused, HasSubstr("roles that may: legal"));
  EXPECT_THAT(CheckMayWaive(p, "unfinished", "editor").value_or(""),
              HasSubstr("roles that may: compliance"));
  EXPECT_THAT(CheckMayWaive(p, "spellin", "editor").value_or(""),
              HasSubstr("did you mean 'spelling'"));
}

TEST(GatePermissions, MembersListsLimitWhoActsInARole) {
  auto engine = AcmeEngine();
  const Policy& p = engine->policy();
  EXPECT_EQ(CheckActsInRole(p, "bob", "editor"), std::nullopt);
  EXPECT_EQ(CheckActsInRole(p, "anyone", "compliance"), std::nullopt) << "no members list";
  EXPECT_THAT(CheckActsInRole(p, "mallory", "editor").value_or(""),
              HasSubstr("'mallory' is not a member of role 'editor' (members: bob, erin)"));
  EXPECT_THAT(CheckActsInRole(p, "bob", "editr").value_or(""), HasSubstr("did you mean 'editor'"));
}

TEST(GatePolicy, UnknownRolesAndBadDeadlinesAreReportedWithTheirLocation) {
  Diagnostics diags;
  auto engine = CompilePolicyString(
      "name: t\nroles: {editor: Edits}\ngate:\n  review_by: editr\n  approval_deadline: soon\n"
      "rules:\n  - {id: a, kind: pattern, patterns: [x], waivable_by: [legal]}\n",
      "t.yaml", diags);
  EXPECT_EQ(engine, nullptr);
  const std::string text = diags.ToString();
  EXPECT_THAT(text, HasSubstr("t.yaml:4:14: error: unknown role 'editr' in 'review_by'"));
  EXPECT_THAT(text, HasSubstr("did you mean 'editor'"));
  EXPECT_THAT(text, HasSubstr("t.yaml:5:22: error: invalid 'approval_deadline' 'soon'"));
  EXPECT_THAT(text, HasSubstr("t.yaml:7:57: error: unknown role 'legal' in 'waivable_by'"));
}

TEST(GatePolicy, RoutingMergesOverExtendedPoliciesAndRulePatches) {
  Diagnostics diags;
  const std::string base = testing::SourcePath("fixtures/gate/acme.yaml");
  // A file outside /tmp: `extends` reads it through the policy path.
  CompileOptions compile;
  compile.load.policy_path = {testing::SourcePath("fixtures/gate")};
  auto engine = CompilePolicyString("name: child\nextends: ['" + base +
                                        "']\nroles: {social-lead: Runs the channels}\n"
                                        "gate: {review_by: {warning: social-lead}}\n"
                                        "rules:\n  - {id: spelling, waivable_by: social-lead}\n",
                                    "/tmp/child.yaml", diags, compile);
  ASSERT_NE(engine, nullptr) << diags.ToString();
  const Policy& p = engine->policy();
  EXPECT_EQ(p.roles.size(), 5u);
  EXPECT_THAT(p.ReviewRoles("spelling", Level::kWarning), ElementsAre("social-lead"));
  EXPECT_THAT(p.ReviewRoles("competitors", Level::kWarning), ElementsAre("legal"));
  EXPECT_THAT(p.WaiverRoles("spelling", Level::kWarning), ElementsAre("social-lead"));
  EXPECT_THAT(p.WaiverRoles("unfinished", Level::kError), ElementsAre("compliance"));
  EXPECT_EQ(p.routing.approval_deadline_seconds, 24 * 3600);
}

TEST(Clock, ParsesDatesTimesAndDurations) {
  EXPECT_EQ(ParseTime("1970-01-02"), 86400);
  EXPECT_EQ(ParseTime("1970-01-02", /*end_of_day=*/true), 2 * 86400);
  EXPECT_EQ(ParseTime("2026-11-24T09:30:00Z"), ParseTime("2026-11-24T10:30:00+01:00"));
  EXPECT_EQ(ParseTime("2026-11-24 09:30"), ParseTime("2026-11-24T09:30:00Z"));
  EXPECT_EQ(ParseTime("2026-11-24T09:30:00.123Z"), ParseTime("2026-11-24T09:30:00Z"));
  EXPECT_EQ(FormatTime(*ParseTime("2028-02-29T23:59:59Z")), "2028-02-29T23:59:59Z");
  for (const char* bad : {"2026-02-30", "2026-13-01", "24.11.2026", "2026-11-24T25:00Z",
                          "2026-11-24T10:00:00+0100", "tomorrow", ""}) {
    EXPECT_EQ(ParseTime(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(ParseDuration("36h"), 36 * 3600);
  EXPECT_EQ(ParseDuration("2w"), 14 * 86400);
  EXPECT_EQ(ParseDuration("0d"), std::nullopt);
  EXPECT_EQ(ParseDuration("7"), std::nullopt);
  EXPECT_EQ(ParseDuration("-1d"), std::nullopt);
}

}  // namespace
}  // namespace postlint
