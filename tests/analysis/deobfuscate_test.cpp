#include "analysis/deobfuscate.h"

#include <gtest/gtest.h>

namespace postlint {
namespace {

std::string View(const std::string& text, DeobfuscateOptions o = {}) {
  DeobfuscatedText v;
  Deobfuscate(text, o, v);
  std::string out = v.text();
  for (char& c : out) {
    if (c == kMaskByte)
      c = '?';
  }
  return out;
}

TEST(Deobfuscate, AsciiIsLowercasedAndSpacesCollapse) {
  EXPECT_EQ(View("Hello   World\n\tAgain"), "helo world again");  // "ll": one letter, run 2
}

TEST(Deobfuscate, NfkcCaseFoldAndInvisibles) {
  EXPECT_EQ(View("ＦＵＣＫ"), "fuck");
  EXPECT_EQ(View("\U0001D41F\U0001D42E\U0001D41C\U0001D424"), "fuck");
  EXPECT_EQ(View("fu\u200B\u200C\u200D\u2060\u00AD\u200E\uFE0Fck"), "fuck");
  EXPECT_EQ(View("Stra\u00DFe"), "strasse");
  EXPECT_EQ(View("f\u0336u\u0336"), "fu");                         // decorative marks dropped
  EXPECT_EQ(View("s\u016Bds su\u0304ds"), "s\u016Bds s\u016Bds");  // composed letters kept
}

TEST(Deobfuscate, ConfusablesAreScriptAware) {
  EXPECT_EQ(View("\u0455h\u0456t"), "shit");  // Cyrillic inside a Latin word
  EXPECT_EQ(View("ƒuck"), "fuck");
  EXPECT_EQ(View("Сос хор"), "сос хор");      // genuine Cyrillic text stays
  EXPECT_EQ(View("ο ουρανός"), "ο ουρανόσ");  // case folding maps final sigma
}

TEST(Deobfuscate, LeetNeedsRealLetters) {
  EXPECT_EQ(View("sh1t $h!t b!tch"), "shit shit bitch");
  EXPECT_EQ(View("Room 455, 45s, $$3x, B4"), "rom 455, 45s, $$3x, b4");
  EXPECT_EQ(View("wow!"), "wow!");
  DeobfuscateOptions no_leet;
  no_leet.leet = false;
  EXPECT_EQ(View("sh1t", no_leet), "sh1t");
}

TEST(Deobfuscate, MasksInsideWordsOnly) {
  EXPECT_EQ(View("f*ck a**hole s#!t"), "f?ck a??hole s?it");
  EXPECT_EQ(View("*bold* #tag f****k"), "*bold* #tag f****k");  // edges; run too long
}

TEST(Deobfuscate, SpacedLettersJoinWithTheSameSeparator) {
  EXPECT_EQ(View("f.u.c.k s h i t F-U-C-K"), "fuck shit fuck");
  EXPECT_EQ(View("a b. c"), "a b. c");  // different separators
  EXPECT_EQ(View("a b"), "a b");        // fewer than three
}

TEST(Deobfuscate, RepeatsCollapseWithRunLengths) {
  DeobfuscatedText v;
  Deobfuscate("fuuuck ass", {}, v);
  EXPECT_EQ(v.text(), "fuck as");
  EXPECT_EQ(v.run(1), 3);
  EXPECT_EQ(v.run(6), 2);
  std::vector<uint8_t> runs;
  EXPECT_EQ(FoldTerm("Ass", &runs), "as");
  EXPECT_EQ(runs, (std::vector<uint8_t>{1, 2}));
}

TEST(Deobfuscate, MapsBackToOriginalBytes) {
  const std::string text = "x ｆｕ\u200Bｃｋ y";
  DeobfuscatedText v;
  Deobfuscate(text, {}, v);
  ASSERT_EQ(v.text(), "x fuck y");
  const ByteRange r = v.ToOriginal(2, 6);
  EXPECT_EQ(text.substr(r.begin, r.size()), "ｆｕ\u200Bｃｋ");
  EXPECT_EQ(InvisibleEvasionsIn(text, r), kEvasionInvisible);
}

TEST(Deobfuscate, EvasionNames) {
  EXPECT_EQ(EvasionNames(kEvasionLeet | kEvasionMask), "leet-speak, masking characters");
  EXPECT_EQ(EvasionNames(0), "");
}

}  // namespace
}  // namespace postlint
