#include <gtest/gtest.h>

#include "support/rule_harness.h"

namespace postlint {
namespace {

using testing::Covered;
using testing::RunRule;

TEST(TermsRule, FlagsBannedWordCaseInsensitively) {
  const std::string text = "Well, DAMN, that was close.";
  auto f = RunRule("terms", "banned: [damn]", text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Covered(text, f[0]), "DAMN");
  EXPECT_EQ(f[0].message, "Avoid 'DAMN'");
}

TEST(TermsRule, LeavesWordsContainingTheTermAlone) {
  EXPECT_TRUE(
      RunRule("terms", "banned: [cunt, ass]", "Visit Scunthorpe and Essex; class passes.").empty());
}

TEST(TermsRule, UsesIcuWordBoundariesForNonAsciiLetters) {
  // RE2's \b would split "mīlestība" at "ī"; ICU keeps it one word.
  EXPECT_TRUE(RunRule("terms", "banned: [m]", "Mīlestība ir skaista").empty());
  auto f = RunRule("terms", "banned: [mīlestība]", "Mīlestība ir skaista");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Covered("Mīlestība ir skaista", f[0]), "Mīlestība");
}

TEST(TermsRule, CaseFoldsAcrossScripts) {
  const std::string text = "Die STRASSE ist gesperrt, Ὀδυσσεύς";
  auto f = RunRule("terms", "banned: [straße, ὀδυσσεύς]", text);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(Covered(text, f[0]), "STRASSE");
  EXPECT_EQ(Covered(text, f[1]), "Ὀδυσσεύς");
}

TEST(TermsRule, MatchesDecomposedTextAndUnderlinesWhatWasTyped) {
  const std::string text = "Un cafe\u0301 per favore";  // e + combining acute
  auto f = RunRule("terms", "banned: [café]", text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Covered(text, f[0]), "cafe\u0301");
}

TEST(TermsRule, FlagsPhrases) {
  const std::string text = "This is a Game Changer for us";
  auto f = RunRule("terms", "banned: ['game changer']", text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Covered(text, f[0]), "Game Changer");
}

TEST(TermsRule, AllowListShadowsBannedTermInsidePhrase) {
  const std::string opts = "banned: [dick]\nallow: ['Dick Van Dyke']";
  EXPECT_TRUE(RunRule("terms", opts, "Dick Van Dyke was great").empty());
  EXPECT_EQ(RunRule("terms", opts, "what a dick").size(), 1u);
}

TEST(TermsRule, CaseSensitiveOptionRespectsCase) {
  EXPECT_TRUE(RunRule("terms", "banned: [Apple]\ncase_sensitive: true", "an apple a day").empty());
  EXPECT_EQ(RunRule("terms", "banned: [Apple]\ncase_sensitive: true", "Apple ships").size(), 1u);
}

TEST(TermsRule, RequiredAnyReportsWhenNoneIsPresent) {
  auto f = RunRule("terms", "required: ['#ad', 'advertisement']", "Love this product!");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("'#ad' or 'advertisement'"), std::string::npos) << f[0].message;
  EXPECT_TRUE(RunRule("terms", "required: [advertisement]", "Advertisement: love it").empty());
}

TEST(TermsRule, RequiredAllNamesTheMissingOnes) {
  auto f = RunRule("terms", "required: [terms, conditions]\nrequired_mode: all", "See terms apply");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("'conditions'"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].message.find("'terms'"), std::string::npos) << f[0].message;
}

TEST(TermsRule, ReportsEachOccurrenceOnce) {
  auto f = RunRule("terms", "banned: [damn, damn it]", "damn it, damn");
  ASSERT_EQ(f.size(), 2u);  // the longer phrase wins at the first position
  EXPECT_EQ(Covered("damn it, damn", f[0]), "damn it");
}

TEST(TermsRule, RejectsEmptyAndMixedRules) {
  EXPECT_NE(testing::RuleErrors("terms", "case_sensitive: true").find("needs at least one term"),
            std::string::npos);
  EXPECT_NE(testing::RuleErrors("terms", "banned: [a]\nrequired: [b]").find("separate rules"),
            std::string::npos);
  EXPECT_NE(testing::RuleErrors("terms", "baned: [a]").find("did you mean 'banned'"),
            std::string::npos);
}

}  // namespace
}  // namespace postlint
