#include "analysis/unicode_text.h"

#include <gtest/gtest.h>

namespace postlint {
namespace {

TEST(NormalizeNfc, IdentityForNfcText) {
  EXPECT_TRUE(NormalizeNfc("plain ascii").is_identity());
  EXPECT_TRUE(NormalizeNfc("Mīlestība 😀").is_identity());
}

TEST(NormalizeNfc, ComposesAndMapsBack) {
  const std::string text = "cafe\u0301!";  // 7 bytes: c a f e U+0301(2) !
  MappedText m = NormalizeNfc(text);
  EXPECT_EQ(m.text(), "café!");
  // "é" is view bytes [3,5); its source is original bytes [3,6).
  EXPECT_EQ(m.ToOriginalBegin(3), 3u);
  EXPECT_EQ(m.ToOriginalEnd(5), 6u);
  EXPECT_EQ(m.ToOriginalBegin(5), 6u);  // "!"
  EXPECT_EQ(m.ToOriginalEnd(6), 7u);
}

TEST(CaseFold, FoldsFullyAndMapsBack) {
  const std::string text = "STRAẞE";  // capital sharp s folds to "ss"
  MappedText m = CaseFold(text);
  EXPECT_EQ(m.text(), "strasse");
  EXPECT_EQ(m.ToOriginalBegin(4), 4u);  // first "s" of "ss" comes from "ẞ" at byte 4
  EXPECT_EQ(m.ToOriginalEnd(6), 7u);    // "ss" ends where "ẞ" (3 bytes) ends
  EXPECT_EQ(CaseFoldString("ÀÉÎ ΣΑΣ"), "àéî σασ");
}

TEST(WordBoundaries, KeepNonAsciiWordsWhole) {
  const std::string text = "Mīlestība, draugi!";
  auto b = WordBoundaries(text);
  // "Mīlestība" is 11 bytes and one word.
  EXPECT_NE(std::find(b.begin(), b.end(), 11u), b.end());
  EXPECT_EQ(std::find(b.begin(), b.end(), 2u), b.end());
  EXPECT_EQ(b.front(), 0u);
  EXPECT_EQ(b.back(), text.size());
}

TEST(GraphemeBoundaries, FamilyEmojiIsOneCluster) {
  const std::string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
  EXPECT_EQ(GraphemeBoundaries(family).size(), 2u);
  EXPECT_EQ(GraphemeBoundaries("ab\r\nc").size(), 5u);  // a b CRLF c
}

}  // namespace
}  // namespace postlint
