#include "report/reporter.h"

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report/json_post.h"

namespace postlint {
namespace {

using nlohmann::json;

Finding MakeFinding(std::string_view text, std::string_view needle, std::string rule, Level level,
                    std::string message) {
  const size_t at = text.find(needle);
  EXPECT_NE(at, std::string_view::npos) << needle;
  Finding f;
  f.rule = std::move(rule);
  f.kind = "terms";
  f.level = level;
  f.message = std::move(message);
  f.range = {static_cast<uint32_t>(at), static_cast<uint32_t>(at + needle.size())};
  f.excerpt = std::string(needle);
  return f;
}

// "Žūrija 😀 damn": bytes, code points and UTF-16 units all differ before "damn".
PostResult MultibytePost() {
  PostResult r;
  r.post.id = "launch";
  r.post.source = "drafts/launch.md";
  r.post.source_line = 3;
  r.post.text_is_verbatim = true;
  r.post.text = "Žūrija 😀 damn";
  r.verdict = Verdict::kFail;
  Finding f =
      MakeFinding(r.post.text, "damn", "no-profanity", Level::kError, "Avoid profanity ('damn').");
  f.fix = "darn";
  f.network = "x";
  f.type = "profanity";
  r.findings.push_back(f);
  r.metrics.push_back({"x", "x-weighted", 15, 280, 0, 0});
  r.metrics.push_back({"bluesky", "graphemes", 13, 300, 0, 0});
  return r;
}

PostResult MultiLinePost() {
  PostResult r;
  r.post.id = "notes";
  r.post.source = "drafts/notes.txt";
  r.post.source_line = 5;
  r.post.text_is_verbatim = true;
  r.post.text = "Line one\nSecond damn line\nthird";
  r.verdict = Verdict::kReview;
  r.findings.push_back(
      MakeFinding(r.post.text, "damn", "no-profanity", Level::kWarning, "Mild profanity."));
  // Spans from "line" on line 2 into "th" on line 3.
  r.findings.push_back(
      MakeFinding(r.post.text, "line\nth", "no-break", Level::kInfo, "Odd line break."));
  return r;
}

PostResult JsonlPost() {
  PostResult r;
  r.post.id = "p-7";
  r.post.source = "posts.jsonl";
  r.post.source_line = 7;
  r.post.text_is_verbatim = false;
  r.post.text = std::string(39, 'a') + " spam";
  r.verdict = Verdict::kReview;
  r.findings.push_back(MakeFinding(r.post.text, "spam", "no-spam", Level::kWarning, "Spammy."));
  return r;
}

PostResult ErrorRecord() {
  PostResult r;
  r.verdict = Verdict::kError;
  r.error = ReadError{"posts.jsonl", 3, "p-9", "field 'text' is required"};
  return r;
}

PostResult CleanPost() {
  PostResult r;
  r.post.id = "ok";
  r.post.source = "drafts/ok.md";
  r.post.source_line = 1;
  r.post.text_is_verbatim = true;
  r.post.text = "All good.";
  r.metrics.push_back({"x", "x-weighted", 9, 280, 0, 0});
  return r;
}

constexpr std::string_view kCard = "4111 1111 1111 1111";
constexpr std::string_view kMasked = "4111 •••• •••• 1111";

PostResult SecretPost() {
  PostResult r;
  r.post.id = "s-1";
  r.post.source = "posts.jsonl";
  r.post.source_line = 2;
  r.post.text = "Pay with 4111 1111 1111 1111 today, damn";
  r.verdict = Verdict::kFail;
  Finding card = MakeFinding(r.post.text, kCard, "no-card-numbers", Level::kError,
                             "Looks like a payment card number.");
  card.excerpt = std::string(kMasked);
  card.type = "card";
  r.findings.push_back(card);
  // A second finding on the same line must not reveal the card in its context line.
  r.findings.push_back(
      MakeFinding(r.post.text, "damn", "no-profanity", Level::kWarning, "Mild profanity."));
  return r;
}

std::string Report(std::string_view format, const std::vector<PostResult>& results,
                   ReporterOptions options = {}) {
  std::ostringstream out;
  auto reporter = MakeReporter(format, out, options);
  EXPECT_NE(reporter, nullptr);
  if (reporter == nullptr)
    return "";
  RunSummary summary;
  reporter->Begin({"default", "1.2.0", "abc123", {}});
  for (const auto& r : results) {
    summary.Add(r);
    reporter->Add(r);
  }
  reporter->End(summary);
  return out.str();
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::vector<PostResult> AllPosts() {
  return {MultibytePost(), MultiLinePost(), JsonlPost(), ErrorRecord(), CleanPost()};
}

TEST(ReporterFactoryTest, KnowsItsNames) {
  EXPECT_EQ(ReporterNames(),
            (std::vector<std::string>{"text", "json", "jsonl", "summary", "summary-json", "sarif",
                                      "junit", "csv", "html"}));
  std::ostringstream out;
  for (const auto& name : ReporterNames())
    EXPECT_NE(MakeReporter(name, out, {}), nullptr);
  EXPECT_EQ(MakeReporter("xml", out, {}), nullptr);
  EXPECT_EQ(MakeReporter("", out, {}), nullptr);
}

TEST(PostResultToJsonTest, PositionsInCodePointsUtf16AndLines) {
  const json j = PostResultToJson(MultibytePost());
  EXPECT_EQ(j["id"], "launch");
  EXPECT_EQ(j["source"], "drafts/launch.md");
  EXPECT_EQ(j["source_line"], 3);
  EXPECT_EQ(j["verdict"], "fail");
  ASSERT_EQ(j["findings"].size(), 1u);
  const json& f = j["findings"][0];
  EXPECT_EQ(f["rule"], "no-profanity");
  EXPECT_EQ(f["kind"], "terms");
  EXPECT_EQ(f["level"], "error");
  EXPECT_EQ(f["message"], "Avoid profanity ('damn').");
  EXPECT_EQ(f["excerpt"], "damn");
  // Bytes 14..18; 9..13 in code points; 10..14 in UTF-16 (the emoji is a surrogate pair).
  EXPECT_EQ(f["start"], 9);
  EXPECT_EQ(f["end"], 13);
  EXPECT_EQ(f["utf16_start"], 10);
  EXPECT_EQ(f["utf16_end"], 14);
  EXPECT_EQ(f["line"], 1);
  EXPECT_EQ(f["column"], 10);
  EXPECT_EQ(f["end_line"], 1);
  EXPECT_EQ(f["end_column"], 14);
  EXPECT_EQ(f["fix"], "darn");
  EXPECT_EQ(f["network"], "x");
  EXPECT_EQ(f["type"], "profanity");
  EXPECT_EQ(j["metrics"]["x"], json({{"unit", "x-weighted"},
                                     {"length", 15},
                                     {"limit", 280},
                                     {"hashtags", 0},
                                     {"max_hashtags", 0}}));
  EXPECT_EQ(j["metrics"]["bluesky"]["unit"], "graphemes");
  EXPECT_FALSE(j.contains("error"));
  EXPECT_FALSE(j.contains("text"));
}

TEST(PostResultToJsonTest, OptionalFindingFieldsOnlyWhenSet) {
  const json j = PostResultToJson(JsonlPost());
  const json& f = j["findings"][0];
  EXPECT_FALSE(f.contains("fix"));
  EXPECT_FALSE(f.contains("network"));
  EXPECT_FALSE(f.contains("type"));
  EXPECT_EQ(f["column"], 41);
}

TEST(PostResultToJsonTest, MultiLineRanges) {
  const json j = PostResultToJson(MultiLinePost());
  const json& damn = j["findings"][0];
  EXPECT_EQ(damn["start"], 16);
  EXPECT_EQ(damn["end"], 20);
  EXPECT_EQ(damn["line"], 2);
  EXPECT_EQ(damn["column"], 8);
  const json& spanning = j["findings"][1];
  EXPECT_EQ(spanning["line"], 2);
  EXPECT_EQ(spanning["column"], 13);
  EXPECT_EQ(spanning["end_line"], 3);
  EXPECT_EQ(spanning["end_column"], 3);
  EXPECT_EQ(spanning["excerpt"], "line\nth");
}

TEST(PostResultToJsonTest, ErrorRecord) {
  const json j = PostResultToJson(ErrorRecord());
  EXPECT_EQ(j, json::parse(R"({"id": "p-9", "source": "posts.jsonl", "source_line": 3,
    "verdict": "error", "findings": [], "metrics": {},
    "error": {"message": "field 'text' is required", "line": 3}})"));
}

TEST(PostResultToJsonTest, InvalidUtf8DoesNotThrow) {
  PostResult r = JsonlPost();
  r.findings[0].message = "bad \xff byte";
  std::string dumped;
  EXPECT_NO_THROW(dumped = DumpJson(PostResultToJson(r)));
  EXPECT_NE(dumped.find("bad \xEF\xBF\xBD byte"), std::string::npos);
}

TEST(JsonlReporterTest, OneLinePerPostInOrder) {
  const std::string out = Report("jsonl", AllPosts());
  const auto lines = Lines(out);
  ASSERT_EQ(lines.size(), 5u);
  const char* ids[] = {"launch", "notes", "p-7", "p-9", "ok"};
  for (size_t i = 0; i < lines.size(); ++i) {
    const json j = json::parse(lines[i]);
    EXPECT_EQ(j["id"], ids[i]);
  }
  EXPECT_EQ(json::parse(lines[3])["verdict"], "error");
  // Keys come in the documented order, not alphabetically.
  EXPECT_EQ(lines[3], R"({"id":"p-9","source":"posts.jsonl","source_line":3,"verdict":"error",)"
                      R"("findings":[],"metrics":{},"error":{"message":"field 'text' is required",)"
                      R"("line":3}})");
  // Non-ASCII is written as is, not \u-escaped.
  EXPECT_NE(lines[0].find("\"damn\""), std::string::npos);
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find("summary"), std::string::npos);
}

TEST(JsonReporterTest, DocumentParsesAndSummaryMatches) {
  const std::string out = Report("json", AllPosts());
  const json doc = json::parse(out);
  EXPECT_EQ(doc["policy"], json({{"name", "default"}, {"version", "1.2.0"}, {"sha256", "abc123"}}));
  ASSERT_EQ(doc["posts"].size(), 5u);
  EXPECT_EQ(doc["posts"][0], PostResultToJson(MultibytePost()));
  EXPECT_EQ(doc["posts"][3]["verdict"], "error");
  const json& s = doc["summary"];
  EXPECT_EQ(s["posts"], 5);
  EXPECT_EQ(s["verdicts"], json({{"pass", 1}, {"review", 2}, {"fail", 1}, {"error", 1}}));
  EXPECT_EQ(s["findings"], json({{"error", 1}, {"warning", 2}, {"info", 1}}));
  EXPECT_EQ(s["findings_by_rule"], json({{"no-profanity", 2}, {"no-break", 1}, {"no-spam", 1}}));
  EXPECT_EQ(s["verdict"], "error");
  // One post per line keeps diffs and greps readable.
  EXPECT_EQ(Lines(out).size(), 11u);
}

TEST(JsonReporterTest, EmptyRunIsValid) {
  const json doc = json::parse(Report("json", {}));
  EXPECT_TRUE(doc["posts"].is_array());
  EXPECT_TRUE(doc["posts"].empty());
  EXPECT_EQ(doc["summary"]["posts"], 0);
  EXPECT_EQ(doc["summary"]["verdict"], "pass");
}

TEST(TextReporterTest, VerbatimLocationCaretAndFix) {
  const std::string out = Report("text", {MultibytePost()});
  EXPECT_EQ(out,
            "drafts/launch.md:3:10: error no-profanity: Avoid profanity ('damn'). [x]\n"
            "  Žūrija 😀 damn\n"
            // The emoji is two columns wide.
            "            ^~~~\n"
            "  fix: replace with 'darn'\n"
            "drafts/launch.md: fail (1 error)\n"
            "\n"
            "1 post checked: 0 passed, 0 need review, 1 failed, 0 unreadable; "
            "findings: 1 error, 0 warnings, 0 info\n");
}

TEST(TextReporterTest, MultiLinePostUsesFileLines) {
  const auto lines = Lines(Report("text", {MultiLinePost()}));
  ASSERT_GE(lines.size(), 7u);
  EXPECT_EQ(lines[0], "drafts/notes.txt:6:8: warning no-profanity: Mild profanity.");
  EXPECT_EQ(lines[1], "  Second damn line");
  EXPECT_EQ(lines[2], "         ^~~~");
  // A range running onto the next line is underlined to the end of its first line.
  EXPECT_EQ(lines[3], "drafts/notes.txt:6:13: info no-break: Odd line break.");
  EXPECT_EQ(lines[4], "  Second damn line");
  EXPECT_EQ(lines[5], "              ^~~~");
  EXPECT_EQ(lines[6], "drafts/notes.txt: review (1 warning, 1 info)");
}

TEST(TextReporterTest, NonVerbatimPostIsLocatedById) {
  const auto lines = Lines(Report("text", {JsonlPost()}));
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines[0], "posts.jsonl[p-7]:1:41: warning no-spam: Spammy.");
  EXPECT_EQ(lines[2], std::string(2 + 40, ' ') + "^~~~");
  EXPECT_EQ(lines[3], "posts.jsonl[p-7]: review (1 warning)");
}

TEST(TextReporterTest, ErrorRecordAndSummary) {
  const std::string out = Report("text", AllPosts());
  EXPECT_NE(out.find("\nposts.jsonl:3: error: field 'text' is required [p-9]\n"),
            std::string::npos);
  EXPECT_EQ(Lines(out).back(),
            "5 posts checked: 1 passed, 2 need review, 1 failed, 1 unreadable; "
            "findings: 1 error, 2 warnings, 1 info");
  // A clean pass prints nothing by default.
  EXPECT_EQ(out.find("drafts/ok.md"), std::string::npos);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
}

TEST(TextReporterTest, ShowPassing) {
  ReporterOptions options;
  options.show_passing = true;
  EXPECT_EQ(Lines(Report("text", {CleanPost()}, options))[0], "drafts/ok.md: pass");
}

TEST(TextReporterTest, ColorOnlyWhenAsked) {
  ReporterOptions options;
  options.color = true;
  const std::string colored = Report("text", AllPosts(), options);
  EXPECT_NE(colored.find("\x1b[31merror\x1b[0m"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[1mdrafts/launch.md:3:10:\x1b[0m"), std::string::npos);
  EXPECT_EQ(Report("text", AllPosts()).find('\x1b'), std::string::npos);
}

TEST(TextReporterTest, WideCharactersAndTabs) {
  PostResult r = JsonlPost();
  r.post.text = "日本語\tdamn";
  r.findings = {MakeFinding(r.post.text, "damn", "no-profanity", Level::kError, "x")};
  const auto lines = Lines(Report("text", {r}));
  EXPECT_EQ(lines[0], "posts.jsonl[p-7]:1:5: error no-profanity: x");
  // Six columns of CJK, then the tab runs to column 8.
  EXPECT_EQ(lines[1], "  日本語  damn");
  EXPECT_EQ(lines[2], "          ^~~~");
}

TEST(TextReporterTest, ControlCharactersAreNotSentToTheTerminal) {
  PostResult r = JsonlPost();
  r.post.id = "p-\x1b[2J";
  r.post.text = "hi \x1b[31mdamn";
  r.findings = {MakeFinding(r.post.text, "damn", "no-profanity", Level::kError, "bad\nmsg")};
  const std::string out = Report("text", {r});
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_NE(out.find("hi \u241b[31mdamn"), std::string::npos);
  EXPECT_NE(out.find("bad\u240amsg"), std::string::npos);
}

TEST(TextReporterTest, LongLinesAreWindowed) {
  PostResult r = JsonlPost();
  r.post.text = std::string(200, 'a') + " damn " + std::string(200, 'b');
  r.findings = {MakeFinding(r.post.text, "damn", "no-profanity", Level::kError, "x")};
  const auto lines = Lines(Report("text", {r}));
  const std::string& shown = lines[1];
  const std::string& caret = lines[2];
  EXPECT_EQ(shown.rfind("  …", 0), 0u);
  EXPECT_EQ(shown.substr(shown.size() - 3), "…");
  // Every character shown is one column and one byte, except the two 3-byte ellipses.
  EXPECT_LE(shown.size() - 4, 2u + 120u);
  const size_t col = caret.find('^');
  // Column `col` on screen is byte `col + 2` of the line (the leading ellipsis is 3 bytes).
  EXPECT_EQ(shown.substr(col + 2, 4), "damn");
  EXPECT_EQ(caret.substr(col), "^~~~");
}

TEST(TextReporterTest, LongLineEndWindowKeepsCaretAligned) {
  PostResult r = JsonlPost();
  r.post.text = std::string(200, 'a') + " damn";
  r.findings = {MakeFinding(r.post.text, "damn", "no-profanity", Level::kError, "x")};
  const auto lines = Lines(Report("text", {r}));
  EXPECT_EQ(lines[1].substr(lines[1].size() - 5), " damn");
  // 118 columns of text plus the leading ellipsis: the window fills up to the line's end.
  EXPECT_EQ(lines[1].size(), 2u + 3u + 118u);
  EXPECT_EQ(lines[2].find('^'), 2u + 1u + 118u - 4u);
}

TEST(TextReporterTest, EmptyRangeAtEndOfText) {
  PostResult r = JsonlPost();
  r.post.text = "abc";
  Finding f;
  f.rule = "needs-hashtag";
  f.message = "Add a hashtag.";
  f.range = {3, 3};
  r.findings = {f};
  auto lines = Lines(Report("text", {r}));
  EXPECT_EQ(lines[0], "posts.jsonl[p-7]:1:4: warning needs-hashtag: Add a hashtag.");
  // Nothing to underline: no snippet.
  EXPECT_EQ(lines[1].find("  abc"), std::string::npos) << lines[1];
  // With an insertion fix, the caret shows where it goes.
  r.findings[0].fix = " #tag";
  lines = Lines(Report("text", {r}));
  EXPECT_EQ(lines[1], "  abc");
  EXPECT_EQ(lines[2], "     ^");
  EXPECT_EQ(lines[3], "  fix: insert ' #tag'");
}

TEST(SecretMaskingTest, RawTextAtMaskedRangeNeverLeaves) {
  const std::vector<PostResult> posts = {SecretPost()};
  for (const std::string format : {"text", "json", "jsonl"}) {
    for (const bool color : {false, true}) {
      ReporterOptions options;
      options.color = color;
      const std::string out = Report(format, posts, options);
      EXPECT_EQ(out.find(kCard), std::string::npos) << format << "\n" << out;
      EXPECT_EQ(out.find("1111 1111"), std::string::npos) << format << "\n" << out;
      EXPECT_NE(out.find(kMasked), std::string::npos) << format << "\n" << out;
    }
  }
}

TEST(SecretMaskingTest, TextShowsExcerptInPlaceAndUnderlinesIt) {
  const auto lines = Lines(Report("text", {SecretPost()}));
  ASSERT_GE(lines.size(), 7u);
  EXPECT_EQ(lines[0],
            "posts.jsonl[s-1]:1:10: error no-card-numbers: Looks like a payment card number.");
  EXPECT_EQ(lines[1], "  Pay with 4111 •••• •••• 1111 today, damn");
  EXPECT_EQ(lines[2], "           ^~~~~~~~~~~~~~~~~~~");
  EXPECT_EQ(lines[3], "posts.jsonl[s-1]:1:37: warning no-profanity: Mild profanity.");
  EXPECT_EQ(lines[4], "  Pay with 4111 •••• •••• 1111 today, damn");
  EXPECT_EQ(lines[5], "                                      ^~~~");
}

TEST(SecretMaskingTest, MaskedRangeSpanningLines) {
  PostResult r = SecretPost();
  r.post.text = "card 4111 1111\n1111 1111 ok damn";
  r.findings[0].range = {5, 24};
  r.findings[1] = MakeFinding(r.post.text, "damn", "no-profanity", Level::kWarning, "x");
  const std::string out = Report("text", {r});
  EXPECT_EQ(out.find("1111 1111"), std::string::npos) << out;
  EXPECT_NE(out.find("  card 4111 •••• •••• 1111\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  … ok damn\n"), std::string::npos) << out;
}

// Prints the examples in docs/report-format.md. Regenerate them with
//   report_tests --gtest_also_run_disabled_tests --gtest_filter='*PrintExamples'
TEST(ReportFormatDocTest, DISABLED_PrintExamples) {
  std::vector<PostResult> posts = AllPosts();
  posts.insert(posts.begin() + 3, SecretPost());
  for (const std::string format : {"jsonl", "json", "text"}) {
    std::cout << "==== " << format << "\n" << Report(format, posts);
  }
}

}  // namespace
}  // namespace postlint
