// Runs the real postlint binary: exit codes, report formats, error handling.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/cli_harness.h"
#include "support/rule_harness.h"

namespace postlint {
namespace {

namespace fs = std::filesystem;
using testing::CliRun;
using testing::CliTest;

TEST_F(CliTest, CleanDraftPassesWithExitZero) {
  const std::string draft = Write("ok.md", "---\nnetwork: x\n---\nHello world, launch day!\n");
  CliRun r = Postlint("check --policy " + DefaultPolicy() + " " + draft);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1 post checked"), std::string::npos) << r.out;
}

TEST_F(CliTest, TooLongDraftFailsWithLocationCaretAndExitOne) {
  std::string text(290, 'a');
  const std::string draft = Write("long.md", "---\nnetwork: x\n---\n" + text + "\n");
  CliRun r = Postlint("check --color never --policy " + DefaultPolicy() + " long.md");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("long.md:4:281: error length: Too long for X: 290 of 280"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("^~~~~~~~~"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << "no colour when not a TTY";
}

TEST_F(CliTest, WarningOnlyDraftNeedsReviewWithExitThree) {
  const std::string draft = Write("style.txt", "Send us an e-mail today\n");
  CliRun r = Postlint("check --policy " + DefaultPolicy() + " " + draft);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("fix:"), std::string::npos) << r.out;
}

TEST_F(CliTest, BrokenPolicyIsRefusedWithExitTwoAndEveryProblem) {
  const std::string policy =
      Write("bad.yaml",
            "name: x\nrules:\n  - id: a\n    kind: hashtags\n    max_hashtag: 3\n"
            "  - id: b\n    kind: pattern\n    patterns: ['(']\n");
  const std::string draft = Write("d.txt", "hello\n");
  CliRun r = Postlint("check --policy " + policy + " " + draft);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "") << "nothing is checked with a half-loaded policy";
  EXPECT_NE(r.err.find("bad.yaml:5:5: error: rule 'a': unknown option 'max_hashtag'"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("bad.yaml:8:16: error: rule 'b': invalid regular expression"),
            std::string::npos)
      << r.err;
  CliRun v = Postlint("policy validate " + policy);
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_NE(v.err.find("2 problems"), std::string::npos) << v.err;
}

TEST_F(CliTest, BadJsonlLineIsReportedAndTheRestIsChecked) {
  const std::string posts =
      Write("posts.jsonl",
            "{\"id\": \"p1\", \"text\": \"fine\"}\n{\"id\": \"p2\", \"text\": \n"
            "{\"id\": \"p3\", \"text\": \"TODO finish\"}\n");
  CliRun r = Postlint("check --format jsonl --policy " + DefaultPolicy() + " " + posts);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  std::istringstream lines(r.out);
  std::vector<nlohmann::json> objects;
  for (std::string line; std::getline(lines, line);)
    objects.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(objects.size(), 3u) << r.out;
  EXPECT_EQ(objects[0]["verdict"], "pass");
  EXPECT_EQ(objects[1]["verdict"], "error");
  EXPECT_EQ(objects[1]["error"]["line"], 2);
  EXPECT_EQ(objects[2]["verdict"], "fail");
  EXPECT_EQ(objects[2]["findings"][0]["rule"], "unfinished-draft");
  EXPECT_EQ(objects[2]["findings"][0]["start"], 0);
  EXPECT_EQ(objects[2]["findings"][0]["end"], 4);
}

TEST_F(CliTest, ReadsStandardInputAndSniffsJson) {
  CliRun text = Postlint("check --policy " + DefaultPolicy() + " -", "TBD\n");
  EXPECT_EQ(text.exit_code, 1) << text.out << text.err;
  CliRun json = Postlint("check --format jsonl --policy " + DefaultPolicy(),
                         "{\"id\": \"a\", \"text\": \"hello\", \"network\": \"bluesky\"}\n");
  EXPECT_EQ(json.exit_code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["id"], "a");
  EXPECT_EQ(j["metrics"]["bluesky"]["limit"], 300);
}

TEST_F(CliTest, JsonDocumentHasPolicyPostsAndSummary) {
  const std::string posts =
      Write("p.json", R"([{"text": "ok"}, {"text": "an e-mail"}, {"text": "TODO"}])");
  CliRun r = Postlint("check --format json --policy " + DefaultPolicy() + " " + posts);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["policy"]["name"], "postlint-default");
  EXPECT_EQ(j["policy"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(j["posts"].size(), 3u);
  EXPECT_EQ(j["summary"]["posts"], 3);
  EXPECT_EQ(j["summary"]["verdicts"]["pass"], 1);
  EXPECT_EQ(j["summary"]["verdicts"]["review"], 1);
  EXPECT_EQ(j["summary"]["verdicts"]["fail"], 1);
}

TEST_F(CliTest, NetworkFlagAppliesToPostsThatNameNone) {
  const std::string draft = Write("d.txt", std::string(290, 'a'));
  // The default policy's default_networks include X...
  EXPECT_EQ(Postlint("check --policy " + DefaultPolicy() + " " + draft).exit_code, 1);
  EXPECT_EQ(Postlint("check --network x --policy " + DefaultPolicy() + " " + draft).exit_code, 1);
  // ...and --network replaces them for posts that name none.
  EXPECT_EQ(
      Postlint("check --network linkedin --policy " + DefaultPolicy() + " " + draft).exit_code, 0);
}

TEST_F(CliTest, InspectShowsEntitiesInCodePoints) {
  CliRun r = Postlint("inspect --format jsonl --network x --policy " + DefaultPolicy(),
                      "😀 #tag @bob https://example.com $ACME");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["hashtags"][0]["text"], "#tag");
  EXPECT_EQ(j["hashtags"][0]["start"], 2);
  EXPECT_EQ(j["hashtags"][0]["end"], 6);
  EXPECT_EQ(j["mentions"][0]["start"], 7);
  EXPECT_EQ(j["urls"][0]["text"], "https://example.com");
  EXPECT_EQ(j["cashtags"][0]["text"], "$ACME");
  EXPECT_EQ(j["lengths"]["x"]["unit"], "x-weighted");
  EXPECT_EQ(j["lengths"]["x"]["length"], 2 + 1 + 5 + 5 + 23 + 1 + 5);
}

TEST_F(CliTest, MissingFileIsAnInputError) {
  CliRun r = Postlint("check --policy " + DefaultPolicy() + " nope.md");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nope.md"), std::string::npos);
}

TEST_F(CliTest, HelpDocumentsExitCodes) {
  CliRun r = Postlint("check --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("3  at least one post needs review"), std::string::npos) << r.out;
}

TEST_F(CliTest, DiscoversPostlintYamlInParentDirectory) {
  Write("postlint.yaml", "name: local\nrules:\n  - {id: no-x, kind: terms, banned: [banana]}\n");
  Write("drafts/a.txt", "banana bread");
  CliRun r = Postlint("check drafts/a.txt");
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
}

}  // namespace
}  // namespace postlint

namespace postlint {
namespace {

TEST_F(CliTest, AuditSummarisesInParallelKeepsOrderAndFiltersDates) {
  std::string jsonl;
  for (int i = 0; i < 300; ++i) {
    jsonl += "{\"id\": \"p" + std::to_string(i) + "\", \"text\": \"" +
             (i % 10 == 0 ? "TODO fix" : "hello") + "\", \"created_at\": \"2026-0" +
             std::to_string(1 + i % 3) + "-10\", \"account\": \"@acme\"}\n";
  }
  const std::string posts = Write("posts.jsonl", jsonl);
  CliRun r = Postlint("audit --jobs 2 --format jsonl --policy " + DefaultPolicy() + " " + posts);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::istringstream lines(r.out);
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    ASSERT_EQ(nlohmann::json::parse(line)["id"], "p" + std::to_string(n));
  }
  EXPECT_EQ(n, 300);
  // The tests run offline: the one line on stderr says so; no progress bar when stderr is not a
  // terminal.
  EXPECT_EQ(r.err,
            "postlint: offline: live link checks skipped; links without a cached result are "
            "reported 'unverifiable'\n");

  CliRun s =
      Postlint("audit --format summary-json --since 2026-02-01 --until 2026-02-28 --policy " +
               DefaultPolicy() + " " + posts);
  auto j = nlohmann::json::parse(s.out);
  EXPECT_EQ(j["posts"], 100);
  EXPECT_EQ(j["skipped"], 200);
  EXPECT_EQ(j["findings_by_rule"]["unfinished-draft"], 10);
  EXPECT_EQ(Postlint("audit --since 2026/02/01 " + posts).exit_code, 2);
}

TEST_F(CliTest, AuditWritesSarifToAFile) {
  const std::string posts = Write("p.jsonl", "{\"id\": \"a\", \"text\": \"TBD\"}\n");
  CliRun r = Postlint("audit --format sarif -o out.sarif --summary-json sum.json --policy " +
                      DefaultPolicy() + " " + posts);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto sarif = nlohmann::json::parse(Slurp((dir_ / "out.sarif").string()));
  EXPECT_EQ(sarif["runs"][0]["results"][0]["ruleId"], "unfinished-draft");
  auto sum = nlohmann::json::parse(Slurp((dir_ / "sum.json").string()));
  EXPECT_EQ(sum["verdicts"]["fail"], 1);
}

}  // namespace
}  // namespace postlint

namespace postlint {
namespace {

TEST_F(CliTest, PolicyTestPrintsFailuresAsADiffAndExitsOne) {
  CliRun r = Postlint("policy test " + testing::SourcePath("fixtures/policies/tested/acme.yaml"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL  a deliberately wrong expectation (" +
                       testing::SourcePath("fixtures/policies/tested/acme.tests.yaml") + ":6)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  - verdict: fail\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  + verdict: pass\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  - finding from rule no-jargon\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 passed, 1 failed"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("jargon needs review"), std::string::npos) << "passing tests stay quiet";
}

TEST_F(CliTest, PolicyTestRejectsUnknownRuleIdsInTests) {
  const std::string policy =
      Write("p.yaml", "name: p\nrules:\n  - {id: a, kind: terms, banned: [x]}\n");
  Write("p.tests.yaml", "tests:\n  - {name: t, text: x, expect: [b]}\n");
  CliRun r = Postlint("policy test " + policy);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("p.tests.yaml:2:5: error: test 't' names rule 'b'"), std::string::npos)
      << r.err;
}

TEST_F(CliTest, PolicyExplainShowsTheRule) {
  CliRun r = Postlint("policy explain spelling --policy " + DefaultPolicy());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("kind:        substitution"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("level:       warning -> verdict review"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("review by:   editor (the level's default)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("waivable by: editor, compliance (the level's default)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("swap:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("example:"), std::string::npos) << r.out;
  CliRun bad = Postlint("policy explain speling --policy " + DefaultPolicy());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("did you mean 'spelling'"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace postlint
