#include <gtest/gtest.h>

#include "support/rule_harness.h"

namespace postlint {
namespace {

using testing::Covered;
using testing::MakePost;
using testing::RunRule;

std::string Tags(int n) {
  std::string out = "Our week:";
  for (int i = 0; i < n; ++i)
    out += " #Tag" + std::to_string(i) + "x";
  return out;
}

TEST(HashtagsRule, FlagsTooManyForInstagramAndUnderlinesTheExtraTags) {
  const std::string text = Tags(32);
  auto f = RunRule("hashtags", "camel_case: false", text, {"instagram"});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "count");
  EXPECT_EQ(Covered(text, f[0]), "#Tag30x #Tag31x");
  EXPECT_EQ(f[0].message, "Too many hashtags for Instagram: 32 of 30");
}

TEST(HashtagsRule, LeavesThirtyTagsOnInstagramAndAnyNumberOnXAlone) {
  EXPECT_TRUE(RunRule("hashtags", "camel_case: false", Tags(30), {"instagram"}).empty());
  EXPECT_TRUE(RunRule("hashtags", "camel_case: false", Tags(40), {"x"}).empty());
}

TEST(HashtagsRule, PolicyLimitsOverrideTheNetwork) {
  EXPECT_EQ(
      RunRule("hashtags", "max: {linkedin: 3}\ncamel_case: false", Tags(4), {"linkedin"}).size(),
      1u);
  EXPECT_EQ(RunRule("hashtags", "max: 2\ncamel_case: false", Tags(3), {"x"}).size(), 1u);
}

TEST(HashtagsRule, DeniedTagsAreCaseInsensitive) {
  const std::string text = "Great day #YOLO #launch";
  auto f = RunRule("hashtags", "deny: [yolo]", text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Covered(text, f[0]), "#YOLO");
}

TEST(HashtagsRule, RequiredTagsMustAllBePresent) {
  auto f = RunRule("hashtags", "require: ['#AcmeLaunch', Acme]\ncamel_case: false",
                   "Big news #acmelaunch");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message, "Missing required hashtag #Acme");
  EXPECT_TRUE(RunRule("hashtags", "require_any: [ad, sponsored]", "Try it #Sponsored").empty());
  EXPECT_EQ(RunRule("hashtags", "require_any: [ad, sponsored]", "Try it").size(), 1u);
}

TEST(HashtagsRule, MaxLength) {
  auto f =
      RunRule("hashtags", "max_length: 10\ncamel_case: false", "#ThisTagIsFarTooLong ok #Short");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "max_length");
}

TEST(HashtagsRule, SuggestsCamelCaseForMultiWordTags) {
  const std::string text = "Flashback! #throwbackthursday";
  auto f = RunRule("hashtags", "", text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "camel_case");
  ASSERT_TRUE(f[0].fix.has_value());
  EXPECT_EQ(*f[0].fix, "#ThrowbackThursday");
  EXPECT_NE(f[0].message.find("(#ThrowbackThursday)"), std::string::npos) << f[0].message;
}

TEST(HashtagsRule, LeavesSingleWordsCamelCaseAndOtherLanguagesAlone) {
  EXPECT_TRUE(RunRule("hashtags", "", "#sustainability #ThrowbackThursday #AI #ad #2024").empty());
  Post it = MakePost("Nuovo corso #marketingdigitale");
  it.lang = "it";
  EXPECT_TRUE(RunRule("hashtags", "", it).empty());
}

TEST(HashtagsRule, NetworkIndependentFindingsAreReportedOncePerPost) {
  auto f = RunRule("hashtags", "deny: [yolo]", "#yolo", {"x", "bluesky", "linkedin"});
  EXPECT_EQ(f.size(), 1u);
}

}  // namespace
}  // namespace postlint
