// The approval workflow end to end through the real binary: gate, queue, approve, edit, waive,
// revoke, expiry, reports marking waived findings, log and log verify, concurrent gates.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "support/cli_harness.h"

namespace postlint {
namespace {

using testing::CliRun;
using ::testing::HasSubstr;
using ::testing::Not;

class GateCliTest : public testing::CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    policy_ = testing::SourcePath("fixtures/gate/acme.yaml");
    At("2026-11-24T09:00:00Z");
  }
  // Runs the following commands at this moment.
  void At(const std::string& time) { env_ = "POSTLINT_NOW=" + time; }
  // A command that loads the team's policy; reports without colour.
  CliRun Run(const std::string& args) {
    const bool reports = args.rfind("check", 0) == 0 || args.rfind("gate", 0) == 0;
    return Postlint(args + " --policy " + policy_ + (reports ? " --color never" : ""));
  }
  CliRun RunLog(const std::string& args) { return Postlint(args); }

  std::string policy_;
};

TEST_F(GateCliTest, ReviewApproveThenEditVoidsTheApproval) {
  Write("launch.md", "Our new web site beats Globex.\n");
  CliRun r = Run("gate launch.md --as ci");
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("launch.md: review (2 warnings); waits for editor, legal"));

  r = RunLog("queue");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("launch.md ("));
  EXPECT_THAT(r.out, HasSubstr("waits for editor, legal"));

  // Wrong role, wrong person, then the right ones.
  r = Run("approve launch.md --role compliance --as carol");
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_THAT(r.err, HasSubstr("waits for editor, legal, not for role 'compliance'"));
  r = Run("approve launch.md --role legal --as mallory");
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_THAT(r.err, HasSubstr("'mallory' is not a member of role 'legal'"));
  r = Run("approve launch.md --role editor --as bob --note 'tone ok'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("as editor (entry 2); still waiting for legal"));
  r = Run("approve launch.md --role legal --as lena");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("the post may now be published"));

  r = Run("gate launch.md --as ci");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out,
              HasSubstr("launch.md: pass (2 warnings); approved by bob (editor), lena (legal)"));
  EXPECT_THAT(RunLog("queue").out, HasSubstr("no posts waiting for review"));

  // An edit after approval: a new fingerprint, so the post waits again.
  Write("launch.md", "Our new web site beats Globex!\n");
  r = Run("gate launch.md --as ci");
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_THAT(r.out, HasSubstr("waits for editor, legal"));
  EXPECT_THAT(RunLog("queue").out, HasSubstr("1 waiting"));
}

TEST_F(GateCliTest, PostsThatShareAnIdAreTwoPostsInTheQueue) {
  // Two schedulers' posts with the same id on two accounts (issue 12: "post-1" for all).
  Write("a.json",
        "{\"id\": \"post-1\", \"account\": \"@acme\", \"text\": \"Our web site is live\"}");
  Write("b.json", "{\"id\": \"post-1\", \"account\": \"@acme_lv\", \"text\": \"Write an e-mail\"}");
  EXPECT_EQ(Run("gate a.json --as ci").exit_code, 3);
  EXPECT_EQ(Run("gate b.json --as ci").exit_code, 3);
  CliRun queue = RunLog("queue --format json");
  ASSERT_EQ(queue.exit_code, 0) << queue.err;
  EXPECT_EQ(nlohmann::json::parse(queue.out).size(), 2u) << queue.out;

  // --post post-1 names two posts: refused, with both fingerprints to choose from.
  CliRun r = Run("approve --post post-1 --role editor --as bob");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("'post-1' matches 2 posts"));
  EXPECT_THAT(r.err, HasSubstr("@acme_lv"));
  const std::string first = nlohmann::json::parse(queue.out)[0]["fingerprint"];
  r = Run("approve --post " + first.substr(0, 12) + " --role editor --as bob");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(RunLog("queue --format json").out).size(), 1u);
}

TEST_F(GateCliTest, AnEditedPostReplacesItsOlderVersionInTheQueue) {
  Write("launch.md", "Our web site is live\n");
  EXPECT_EQ(Run("gate launch.md --as ci").exit_code, 3);
  Write("launch.md", "Our new web site is live\n");
  EXPECT_EQ(Run("gate launch.md --as ci").exit_code, 3);
  const auto queue = nlohmann::json::parse(RunLog("queue --format json").out);
  ASSERT_EQ(queue.size(), 1u);
  // --post by id names the latest version, so it is not ambiguous.
  EXPECT_EQ(Run("approve --post launch.md --role editor --as bob").exit_code, 0);
}

TEST_F(GateCliTest, ApprovalIsRefusedForFailingPostsAndByPostFromTheLog) {
  Write("bad.md", "Launch date: TBD\n");
  EXPECT_EQ(Run("gate bad.md").exit_code, 1);
  CliRun r = Run("approve bad.md --role editor --as bob");
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_THAT(r.err, HasSubstr("fails the gate; approval cannot override a failure"));

  Write("style.md", "Send us an e-mail\n");
  r = Run("gate style.md -f json");
  const auto j = nlohmann::json::parse(r.out);
  const std::string fp = j["posts"][0]["fingerprint"];
  EXPECT_EQ(j["posts"][0]["review"]["pending_roles"], nlohmann::json({"editor"}));
  r = Run("approve --post " + fp.substr(0, 10) + " --role editor --as erin");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("approved style.md (" + fp.substr(0, 12) + ")"));
  r = Run("approve --post style.md --role editor --as bob");
  EXPECT_THAT(r.out, HasSubstr("already approved for role 'editor'"));
}

TEST_F(GateCliTest, WaiversRespectRolesAndAreMarkedInEveryReport) {
  Write("bad.md", "Our web site launches TBD\n");
  CliRun r =
      Run("waive unfinished bad.md --role editor --as bob --reason 'date is secret' "
          "--until 2026-11-26");
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_THAT(r.err, HasSubstr("role 'editor' may not waive rule 'unfinished' (error); "
                               "roles that may: compliance"));
  r = Run("waive unfinished bad.md --role compliance --as carol --reason 'date is secret'");
  EXPECT_EQ(r.exit_code, 2) << "an expiry is required";
  EXPECT_THAT(r.err, HasSubstr("--until DATE or --for DURATION"));
  r = Run("waive spelling bad.md --role compliance --as carol --reason x --until 2026-11-01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("already past"));
  r = Run("waive competitors bad.md --role legal --as lena --reason x --for 1d");
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_THAT(r.err, HasSubstr("has no unwaived finding of rule 'competitors'"));

  r =
      Run("waive unfinished bad.md --role compliance --as carol --reason 'date is secret' "
          "--until 2026-11-26");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("waiver w1: rule 'unfinished' on bad.md ("));
  EXPECT_THAT(r.out, HasSubstr("until 2026-11-27T00:00:00Z"));

  // Text: shown, marked, not counted. The spelling warning still needs review.
  r = Run("check bad.md");
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_THAT(r.out, HasSubstr("error (waived) unfinished: Unfinished draft: 'TBD'"));
  EXPECT_THAT(r.out, HasSubstr("waived by carol (compliance) until 2026-11-27T00:00:00Z: date "
                               "is secret [w1]"));
  EXPECT_THAT(r.out, HasSubstr("bad.md: review (1 warning, 1 waived)"));

  // JSON: the finding is there with its suppression.
  r = Run("check bad.md -f json");
  auto j = nlohmann::json::parse(r.out);
  const auto& findings = j["posts"][0]["findings"];
  ASSERT_EQ(findings.size(), 2u);
  const auto waived = std::find_if(findings.begin(), findings.end(),
                                   [](const auto& f) { return f["rule"] == "unfinished"; });
  ASSERT_NE(waived, findings.end());
  EXPECT_EQ((*waived)["level"], "error");
  EXPECT_EQ((*waived)["suppressed"]["by"], "carol");
  EXPECT_EQ((*waived)["suppressed"]["reason"], "date is secret");
  EXPECT_EQ(j["summary"]["suppressed"], 1);
  EXPECT_EQ(j["summary"]["findings"]["error"], 0);

  // SARIF: an accepted external suppression with the justification.
  r = Run("check bad.md -f sarif");
  j = nlohmann::json::parse(r.out);
  int suppressed = 0;
  for (const auto& result : j["runs"][0]["results"]) {
    if (result["ruleId"] != "unfinished") {
      EXPECT_FALSE(result.contains("suppressions"));
      continue;
    }
    ++suppressed;
    const auto& s = result["suppressions"][0];
    EXPECT_EQ(s["kind"], "external");
    EXPECT_EQ(s["status"], "accepted");
    EXPECT_EQ(s["justification"], "date is secret");
    EXPECT_EQ(s["properties"]["role"], "compliance");
  }
  EXPECT_EQ(suppressed, 1);

  // CSV: a column names the waiver.
  r = Run("check bad.md -f csv");
  EXPECT_THAT(r.out, HasSubstr(",created_at,waiver\r\n"));
  EXPECT_THAT(r.out, HasSubstr(",w1\r\n"));

  // After the expiry the finding counts again.
  At("2026-11-27T00:00:00Z");
  r = Run("check bad.md");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_THAT(r.out, Not(HasSubstr("waived")));
}

TEST_F(GateCliTest, CampaignWaiversByPatternAndRevocation) {
  Write("a.md", "Why we beat Globex #AcmeVsGlobex\n");
  Write("b.md", "Globex again, no campaign tag\n");
  CliRun r =
      Run("waive competitors --pattern '#AcmeVsGlobex\\b' --role legal --as lena "
          "--reason 'approved comparison campaign' --for 7d");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("on posts matching /#AcmeVsGlobex\\b/"));
  r = Run("check a.md b.md");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.out, HasSubstr("a.md: pass (1 waived)"));
  EXPECT_THAT(r.out, HasSubstr("b.md: review (1 warning); waits for legal"));

  r = Run("revoke w1 --role editor --as bob --reason nope");
  EXPECT_EQ(r.exit_code, 4) << "an editor may not waive competitors, so may not revoke either";
  EXPECT_THAT(RunLog("waivers").out, HasSubstr("w1  active  competitors on /#AcmeVsGlobex\\b/"));
  r = Run("revoke w1 --role legal --as lena --reason 'campaign pulled'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(RunLog("waivers").out, HasSubstr("no waivers in force"));
  EXPECT_THAT(RunLog("waivers --all").out, HasSubstr("w1  revoked  competitors"));
  At("2026-12-24T09:00:00Z");
  EXPECT_EQ(Run("waive competitors a.md --role legal --as lena --reason r --for 1d").exit_code, 0);
  At("2026-12-26T09:00:00Z");
  const auto waivers = nlohmann::json::parse(RunLog("waivers --all -f json").out);
  ASSERT_EQ(waivers.size(), 2u);
  EXPECT_EQ(waivers[1]["status"], "expired");
  r = Run("check a.md");
  EXPECT_EQ(r.exit_code, 3) << r.out;
}

TEST_F(GateCliTest, QueueListsOldestFirstAndFlagsPostsPastTheDeadline) {
  Write("old.md", "Our web site is new\n");
  Write("new.md", "Email us at the e-mail address\n");
  Write("ok.md", "All good here\n");
  At("2026-11-22T08:00:00Z");
  Run("gate old.md ok.md");
  At("2026-11-24T08:00:00Z");
  Run("gate new.md");
  At("2026-11-24T09:00:00Z");
  Run("gate old.md");  // re-checked unchanged: keeps its place in the queue
  CliRun r = RunLog("queue");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const size_t old_at = r.out.find("old.md");
  const size_t new_at = r.out.find("new.md");
  ASSERT_NE(old_at, std::string::npos) << r.out;
  ASSERT_NE(new_at, std::string::npos) << r.out;
  EXPECT_LT(old_at, new_at) << "oldest first:\n" << r.out;
  EXPECT_THAT(r.out, HasSubstr("2026-11-22T08:00:00Z  2d 1h  old.md"));
  EXPECT_THAT(r.out, HasSubstr("OVERDUE (deadline 24h)"));
  EXPECT_THAT(r.out, HasSubstr("2 waiting, 1 overdue"));
  EXPECT_THAT(r.out, Not(HasSubstr("ok.md")));

  r = RunLog("queue -f json");
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["post_id"], "old.md");
  EXPECT_EQ(j[0]["overdue"], true);
  EXPECT_EQ(j[0]["age_seconds"], 2 * 86400 + 3600);
  EXPECT_EQ(j[1]["overdue"], false);
}

TEST_F(GateCliTest, LogListsFiltersAndVerifies) {
  Write("a.md", "Our web site\n");
  Write("b.md", "Launch TBD\n");
  Run("gate a.md b.md --as ci");
  Run("approve a.md --role editor --as bob");
  CliRun r = RunLog("log");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("#1  2026-11-24T09:00:00Z  gate    review  a.md ("));
  EXPECT_THAT(r.out, HasSubstr("#3  2026-11-24T09:00:00Z  approve a.md ("));
  EXPECT_THAT(r.out, HasSubstr("[policy acme-social 4.1 "));

  r = RunLog("log --verdict fail -f json");
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["post_id"], "b.md");
  EXPECT_EQ(j[0]["details"]["findings"][0]["rule"], "unfinished");
  EXPECT_EQ(j[0]["policy"]["version"], "4.1");
  r = RunLog("log --action approve -f csv");
  EXPECT_THAT(r.out, HasSubstr("seq,time,action,actor,role,"));
  EXPECT_THAT(r.out, HasSubstr("3,2026-11-24T09:00:00Z,approve,bob,editor,a.md,"));
  EXPECT_THAT(RunLog("log --since 2026-11-25").out, HasSubstr("no entries"));

  r = RunLog("log verify");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("intact, 3 entries; head 3:"));

  // An insider edits the file: verify exits 1 and names the entry.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "decisions.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE entries SET verdict = 'pass' WHERE seq = 2", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  r = RunLog("log verify");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("BROKEN at entry 2: entry 2 was altered"));
}

TEST_F(GateCliTest, NobodyApprovesTheirOwnPost) {
  Write("own.md", "---\nauthor: bob\n---\nVisit our web site\n");
  EXPECT_EQ(Run("gate own.md").exit_code, 3);
  CliRun r = Run("approve own.md --role editor --as bob");
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_THAT(r.err, HasSubstr("bob wrote own.md"));
  r = Run("approve --post own.md --role editor --as bob");
  EXPECT_EQ(r.exit_code, 4) << "the log remembers the author too";
  r = Run("approve own.md --role editor --as erin");
  EXPECT_EQ(r.exit_code, 0) << r.err;

  // The team's policy extends the walkthrough's by name, from the policy path.
  Write("team.yaml", "extends: [acme]\ngate: {allow_self_approval: true}\n");
  Write("own2.md", "---\nauthor: bob\n---\nOur web site\n");
  const std::string policy_path = " --policy-path " + testing::SourcePath("fixtures/gate");
  r = Postlint("approve own2.md --role editor --as bob --policy team.yaml" + policy_path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(GateCliTest, UnreadableRecordsAreRecordedAsErrors) {
  Write("batch.jsonl", "{\"id\": \"ok-1\", \"text\": \"Fine\"}\n{\"id\": \"bad-2\"}\n");
  CliRun r = Run("gate batch.jsonl");
  EXPECT_EQ(r.exit_code, 2);
  r = RunLog("log --verdict error -f json");
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 1u) << r.out;
  EXPECT_EQ(j[0]["post_id"], "bad-2");
  EXPECT_EQ(j[0]["details"]["line"], 2);
  EXPECT_THAT(j[0]["details"]["error"].get<std::string>(), HasSubstr("text"));
  EXPECT_THAT(RunLog("log").out, HasSubstr("gate    error  bad-2: "));
  EXPECT_THAT(RunLog("queue").out, HasSubstr("no posts waiting"));
}

TEST_F(GateCliTest, PolicyExplainNamesTheRolesOfARule) {
  CliRun r = Run("policy explain competitors");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("review by:   legal\n"));
  EXPECT_THAT(r.out, HasSubstr("waivable by: legal\n"));
  r = Run("policy explain unfinished");
  EXPECT_THAT(r.out, Not(HasSubstr("review by:"))) << "errors fail; nobody reviews them";
  EXPECT_THAT(r.out, HasSubstr("waivable by: compliance (the level's default)"));
}

TEST_F(GateCliTest, TwoGateProcessesAtOnceLoseNoDecision) {
  for (int i = 0; i < 20; ++i)
    Write("p" + std::to_string(i) + ".md", "Post number " + std::to_string(i) + "\n");
  // Two shells, each running ten separate `postlint gate` processes, at the same time.
  const std::string loop = "for i in 0 1 2 3 4 5 6 7 8 9; do '" + std::string(POSTLINT_BINARY) +
                           "' gate --policy " + policy_ + " p\\$i.md >/dev/null; done";
  const std::string loop2 = "for i in 10 11 12 13 14 15 16 17 18 19; do '" +
                            std::string(POSTLINT_BINARY) + "' gate --policy " + policy_ +
                            " p\\$i.md >/dev/null; done";
  const std::string cmd = "cd '" + dir_.string() + "' && export POSTLINT_DB='" +
                          (dir_ / "decisions.db").string() + "' && { (" + loop + ") & (" + loop2 +
                          ") & wait; }";
  ASSERT_EQ(std::system(("bash -c \"" + cmd + "\"").c_str()), 0);
  CliRun r = RunLog("log verify");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("intact, 20 entries"));
  r = RunLog("log -f json");
  const auto j = nlohmann::json::parse(r.out);
  std::set<std::string> posts;
  for (const auto& e : j)
    posts.insert(e["post_id"].get<std::string>());
  EXPECT_EQ(posts.size(), 20u);
}

}  // namespace
}  // namespace postlint
