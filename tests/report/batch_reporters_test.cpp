#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report/audit_summary.h"
#include "report/reporter.h"

namespace postlint {
namespace {

PolicyInfo Policy() {
  return {"acme",
          "1.0",
          std::string(64, 'a'),
          {{"no-swearing", "terms", Level::kError, "No profanity"},
           {"spelling", "substitution", Level::kWarning, "House style"}}};
}

PostResult Result(const std::string& id, const std::string& text, Verdict verdict,
                  std::vector<Finding> findings, bool verbatim = false) {
  PostResult r;
  r.post.id = id;
  r.post.source = verbatim ? id + ".md" : "posts.jsonl";
  r.post.source_line = verbatim ? 4 : 12;
  r.post.text_is_verbatim = verbatim;
  r.post.text = text;
  r.post.account = "@acme";
  r.post.created_at = "2026-03-14T09:00:00Z";
  r.post.networks = {"x"};
  r.verdict = verdict;
  r.findings = std::move(findings);
  return r;
}

Finding F(const std::string& rule, Level level, ByteRange range, const std::string& excerpt,
          const std::string& message) {
  Finding f;
  f.rule = rule;
  f.kind = rule == "spelling" ? "substitution" : "terms";
  f.level = level;
  f.range = range;
  f.excerpt = excerpt;
  f.message = message;
  return f;
}

std::vector<PostResult> Sample() {
  std::vector<PostResult> v;
  v.push_back(Result("a", "all fine", Verdict::kPass, {}));
  v.push_back(Result("b", "line one\nwhat the damn", Verdict::kFail,
                     {F("no-swearing", Level::kError, {18, 22}, "damn", "Avoid 'damn'")}, true));
  v.push_back(
      Result("c", "=cmd an e-mail, \"quoted\"", Verdict::kReview,
             {F("spelling", Level::kWarning, {8, 14}, "e-mail", "Write 'email', not \"e-mail\"")}));
  PostResult err;
  err.post.id = "d";
  err.post.source = "posts.jsonl";
  err.verdict = Verdict::kError;
  err.error = ReadError{"posts.jsonl", 14, "d", "invalid JSON <&>"};
  v.push_back(err);
  return v;
}

std::string RunFormat(const std::string& format, const std::vector<PostResult>& posts = Sample()) {
  std::ostringstream out;
  auto r = MakeReporter(format, out, {});
  EXPECT_NE(r, nullptr);
  RunSummary totals;
  r->Begin(Policy());
  for (const auto& p : posts) {
    totals.Add(p);
    r->Add(p);
  }
  r->End(totals);
  return out.str();
}

TEST(SarifReporter, ProducesValidStructureWithRulesLocationsAndFingerprints) {
  const auto j = nlohmann::json::parse(RunFormat("sarif"));
  EXPECT_EQ(j["version"], "2.1.0");
  const auto& run = j["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "postlint");
  ASSERT_EQ(run["tool"]["driver"]["rules"].size(), 2u);
  EXPECT_EQ(run["tool"]["driver"]["rules"][0]["id"], "no-swearing");
  EXPECT_EQ(run["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"], "error");
  ASSERT_EQ(run["results"].size(), 3u);  // two findings and one unreadable record
  const auto& b = run["results"][0];
  EXPECT_EQ(b["ruleId"], "no-swearing");
  EXPECT_EQ(b["ruleIndex"], 0);
  EXPECT_EQ(b["level"], "error");
  const auto& region = b["locations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(b["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "b.md");
  EXPECT_EQ(region["startLine"], 5);  // file line 4 + text line 2 - 1
  EXPECT_EQ(region["startColumn"], 10);
  EXPECT_EQ(region["endColumn"], 14);
  EXPECT_EQ(b["partialFingerprints"]["postlint/v1"].get<std::string>().size(), 16u);
  EXPECT_EQ(run["results"][1]["level"], "warning");
  EXPECT_EQ(run["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"], 12);
  EXPECT_EQ(run["results"][2]["ruleId"], "postlint/unreadable-post");
  EXPECT_EQ(run["columnKind"], "unicodeCodePoints");
}

TEST(JunitReporter, OneTestCasePerPostWithFailuresAndErrors) {
  const std::string xml = RunFormat("junit");
  EXPECT_NE(xml.find("<testsuites name=\"postlint\" tests=\"4\" failures=\"2\" errors=\"1\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase name=\"a\" classname=\"posts.jsonl\">\n    </testcase>"),
            std::string::npos);
  EXPECT_NE(xml.find("type=\"fail\">error no-swearing 2:10: Avoid &#39;damn&#39;"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<error message=\"invalid JSON &lt;&amp;&gt;\""), std::string::npos);
}

TEST(CsvReporter, OneRowPerFindingQuotedAndFormulaSafe) {
  const std::string csv = RunFormat("csv");
  std::istringstream lines(csv);
  std::vector<std::string> rows;
  for (std::string l; std::getline(lines, l);)
    rows.push_back(l);
  ASSERT_EQ(rows.size(), 4u);  // header, two findings, one unreadable record
  EXPECT_EQ(rows[0].rfind("post_id,source,line,column,start,end,verdict,rule", 0), 0u);
  EXPECT_NE(rows[2].find("\"Write 'email', not \"\"e-mail\"\"\""), std::string::npos) << rows[2];
  // The message is safe; a cell that starts with '=' would be prefixed with an apostrophe.
  EXPECT_EQ(csv.find(",=cmd"), std::string::npos);
}

TEST(AuditSummary, CountsByRuleNetworkAccountMonthAndTopPosts) {
  AuditSummary s;
  for (const auto& p : Sample())
    s.Add(p);
  const auto j = s.ToJson(Policy());
  EXPECT_EQ(j["posts"], 4);
  EXPECT_EQ(j["verdicts"]["pass"], 1);
  EXPECT_EQ(j["verdicts"]["fail"], 1);
  EXPECT_EQ(j["verdicts"]["review"], 1);
  EXPECT_EQ(j["verdicts"]["error"], 1);
  EXPECT_EQ(j["findings_by_rule"]["no-swearing"], 1);
  EXPECT_EQ(j["findings_by_network"]["x"], 2);
  EXPECT_EQ(j["findings_by_account"]["@acme"], 2);
  EXPECT_EQ(j["by_month"]["2026-03"]["findings"], 2);
  ASSERT_GE(j["top_posts"].size(), 2u);
  EXPECT_EQ(j["top_posts"][0]["id"], "d");  // unreadable first, then failures
  EXPECT_EQ(j["top_posts"][1]["id"], "b");
  EXPECT_EQ(j["verdict"], "error");
  std::ostringstream text;
  s.PrintText(text, Policy());
  EXPECT_NE(text.str().find("Posts checked: 4"), std::string::npos) << text.str();
}

}  // namespace
}  // namespace postlint

#include "report/sampler.h"

namespace postlint {
namespace {

std::vector<std::string> SampleIds(size_t n, uint64_t seed) {
  StratifiedSampler s(n, seed);
  for (int i = 0; i < 1000; ++i) {
    PostResult r;
    r.post.id = std::to_string(i);
    r.post.account = i < 800 ? "@big" : (i < 950 ? "@mid" : "@small");
    s.Offer(std::move(r));
  }
  std::vector<std::string> ids;
  for (const auto& r : s.Take())
    ids.push_back(r.post.id);
  return ids;
}

TEST(StratifiedSampler, ProportionalReproducibleAndInInputOrder) {
  const auto a = SampleIds(20, 7);
  ASSERT_EQ(a.size(), 20u);
  EXPECT_EQ(a, SampleIds(20, 7));
  EXPECT_NE(a, SampleIds(20, 8));
  int big = 0, mid = 0, small = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const int id = std::stoi(a[i]);
    (id < 800 ? big : id < 950 ? mid : small)++;
    if (i) {
      EXPECT_LT(std::stoi(a[i - 1]), id);
    }
  }
  EXPECT_EQ(big, 16);                           // 80%
  EXPECT_EQ(mid, 3);                            // 15%
  EXPECT_EQ(small, 1);                          // 5%
  EXPECT_EQ(SampleIds(5000, 1).size(), 1000u);  // asking for more than there is
}

// A post whose only finding a waiver accepted: shown, marked, never counted as a finding.
std::vector<PostResult> WaivedSample() {
  Finding f = F("no-swearing", Level::kError, {9, 13}, "damn", "Avoid 'damn'");
  f.suppression =
      Suppression{"w4", "carol", "compliance", "quoting a customer", "2026-12-01T00:00:00Z"};
  return {Result("w", "what the damn", Verdict::kPass, {f})};
}

TEST(BatchReporters, WaivedFindingsAreMarkedNotCounted) {
  const auto summary = nlohmann::json::parse(RunFormat("summary-json", WaivedSample()));
  EXPECT_EQ(summary["suppressed"], 1);
  EXPECT_EQ(summary["findings"]["error"], 0);
  EXPECT_TRUE(summary["findings_by_rule"].empty());
  EXPECT_TRUE(summary["top_posts"].empty()) << "nothing serious left in the post";

  const std::string text = RunFormat("summary", WaivedSample());
  EXPECT_NE(text.find("Findings: 0 errors, 0 warnings, 0 info, 1 waived"), std::string::npos)
      << text;
  const std::string html = RunFormat("html", WaivedSample());
  EXPECT_NE(html.find("waived by carol (compliance) until 2026-12-01T00:00:00Z: quoting a "
                      "customer"),
            std::string::npos);
  const std::string csv = RunFormat("csv", WaivedSample());
  EXPECT_NE(csv.find(",w4\r\n"), std::string::npos) << csv;
}

}  // namespace
}  // namespace postlint
