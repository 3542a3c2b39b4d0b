#include <gtest/gtest.h>

#include "support/rule_harness.h"

namespace postlint {
namespace {

using testing::Covered;
using testing::RunRule;

TEST(SubstitutionRule, FlagsWrongSpellingWithFix) {
  const std::string text = "Get the new Iphone today";
  auto f = RunRule("substitution", "swap: {Iphone: iPhone}", text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Covered(text, f[0]), "Iphone");
  ASSERT_TRUE(f[0].fix.has_value());
  EXPECT_EQ(*f[0].fix, "iPhone");
  EXPECT_EQ(f[0].message, "Write 'iPhone' instead of 'Iphone'");
}

TEST(SubstitutionRule, MatchesAnyCaseButLeavesThePreferredFormAlone) {
  EXPECT_EQ(RunRule("substitution", "swap: {Iphone: iPhone}", "IPHONE sale").size(), 1u);
  EXPECT_TRUE(RunRule("substitution", "swap: {Iphone: iPhone}", "Get the new iPhone").empty());
}

TEST(SubstitutionRule, KeepsSentenceCapitalInTheFix) {
  auto f = RunRule("substitution", "swap: {e-mail: email}", "E-mail us today");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(*f[0].fix, "Email");
}

TEST(SubstitutionRule, LeavesPartsOfWordsAlone) {
  EXPECT_TRUE(RunRule("substitution", "swap: {web site: website}", "cobweb sites").empty());
}

TEST(SubstitutionRule, LeavesHandlesAndUrlsAlone) {
  EXPECT_TRUE(RunRule("substitution", "swap: {tiktok: TikTok}",
                      "Follow @tiktok and see https://tiktok.com/@tiktok")
                  .empty());
}

TEST(SubstitutionRule, CaseSensitiveOptionMatchesOnlyTheWrittenCase) {
  const std::string opts = "swap: {Iphone: iPhone}\ncase_sensitive: true";
  EXPECT_TRUE(RunRule("substitution", opts, "IPHONE").empty());
  EXPECT_EQ(RunRule("substitution", opts, "Iphone").size(), 1u);
}

TEST(SubstitutionRule, RequiresAMappingOfStrings) {
  EXPECT_NE(testing::RuleErrors("substitution", "swap: [a, b]").find("must be a mapping"),
            std::string::npos);
  EXPECT_NE(testing::RuleErrors("substitution", "").find("needs at least one entry"),
            std::string::npos);
}

}  // namespace
}  // namespace postlint
