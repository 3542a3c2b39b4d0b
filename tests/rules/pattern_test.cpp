#include <gtest/gtest.h>

#include "support/rule_harness.h"

namespace postlint {
namespace {

using testing::Covered;
using testing::MakePost;
using testing::RunRule;

TEST(PatternRule, FlagsEveryMatchOfEveryPattern) {
  const std::string text = "TODO: add link. Price TBD.";
  auto f = RunRule("pattern", "patterns: ['\\bTODO\\b', '\\bTBD\\b']", text);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(Covered(text, f[0]), "TODO");
  EXPECT_EQ(Covered(text, f[1]), "TBD");
  EXPECT_EQ(f[0].message, "'TODO' matches a forbidden pattern");
}

TEST(PatternRule, LeavesNonMatchingTextAlone) {
  EXPECT_TRUE(RunRule("pattern", "patterns: ['\\bTODO\\b']", "Today we launch").empty());
}

TEST(PatternRule, OffsetsAreRightAfterMultibyteText) {
  const std::string text = "Žūrija 😀 TODO";
  auto f = RunRule("pattern", "patterns: [TODO]", text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Covered(text, f[0]), "TODO");
}

TEST(PatternRule, ScopeHashtagsMatchesOnlyTags) {
  const std::string text = "promo code inside #promo2024 #launch";
  auto f = RunRule("pattern", "patterns: ['\\d{4}$']\nscope: hashtags", text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Covered(text, f[0]), "2024");
  EXPECT_TRUE(RunRule("pattern", "patterns: [code]\nscope: hashtags", text).empty());
}

TEST(PatternRule, ScopeUrlsAndMentions) {
  const std::string text = "ping @intern_bob at http://staging.acme.com/x";
  auto urls = RunRule("pattern", "patterns: ['^http://']\nscope: urls", text);
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(Covered(text, urls[0]), "http://");
  auto mentions = RunRule("pattern", "patterns: ['^intern']\nscope: [mentions]", text);
  ASSERT_EQ(mentions.size(), 1u);
  EXPECT_EQ(Covered(text, mentions[0]), "intern");
}

TEST(PatternRule, ScopeAltTextReportsTheMatchInTheExcerpt) {
  Post post = MakePost("New photo!");
  post.media.push_back({"IMG_2041.jpg"});
  auto f = RunRule("pattern", "patterns: ['IMG_\\d+']\nscope: alt_text", post);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].excerpt, "IMG_2041");
  EXPECT_EQ(f[0].type, "alt_text");
}

TEST(PatternRule, RequireModeReportsMissingPattern) {
  const std::string opts = "patterns: ['(?i)#ad\\b']\nmode: require";
  EXPECT_EQ(RunRule("pattern", opts, "Loving this blender").size(), 1u);
  EXPECT_TRUE(RunRule("pattern", opts, "#AD Loving this blender").empty());
}

TEST(PatternRule, CaseInsensitiveOption) {
  EXPECT_EQ(RunRule("pattern", "patterns: [todo]\ncase_sensitive: false", "ToDo").size(), 1u);
  EXPECT_TRUE(RunRule("pattern", "patterns: [todo]", "ToDo").empty());
}

TEST(PatternRule, BadRegexIsAPolicyErrorWithLocation) {
  const std::string errors = testing::RuleErrors("pattern", "patterns: ['(unclosed']");
  EXPECT_NE(errors.find("test.yaml:7:16:"), std::string::npos) << errors;
  EXPECT_NE(errors.find("invalid regular expression '(unclosed'"), std::string::npos) << errors;
  EXPECT_NE(errors.find("missing )"), std::string::npos) << errors;
}

TEST(PatternRule, UnknownScopeSuggestsTheClosest) {
  const std::string errors = testing::RuleErrors("pattern", "patterns: [x]\nscope: hashtag");
  EXPECT_NE(errors.find("did you mean 'hashtags'"), std::string::npos) << errors;
}

}  // namespace
}  // namespace postlint
