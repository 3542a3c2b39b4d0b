#include "analysis/analyzed_post.h"

#include <gtest/gtest.h>

namespace postlint {
namespace {

Post P(const std::string& text) {
  Post p;
  p.text = text;
  return p;
}

TEST(AnalyzedPost, ExtractsEntitiesWithByteRanges) {
  Post p = P("Žūrija 😀 #tag @bob $ACME example.com/x");
  AnalyzedPost a(p);
  ASSERT_EQ(a.hashtags().size(), 1u);
  EXPECT_EQ(a.text().substr(a.hashtags()[0]->range.begin, a.hashtags()[0]->range.size()), "#tag");
  ASSERT_EQ(a.mentions().size(), 1u);
  EXPECT_EQ(a.mentions()[0]->value, "bob");
  ASSERT_EQ(a.cashtags().size(), 1u);
  ASSERT_EQ(a.urls().size(), 1u);
  EXPECT_FALSE(a.urls()[0]->url_has_scheme);
}

TEST(AnalyzedPost, LengthsInEveryUnit) {
  Post p = P("Hi 👋🏽 e\u0301");
  AnalyzedPost a(p);
  EXPECT_EQ(a.Length(LengthUnit::kCodePoints), 8u);  // H i sp 👋 🏽 sp e U+0301
  EXPECT_EQ(a.Length(LengthUnit::kGraphemes), 6u);   // H, i, sp, 👋🏽, sp, é
  EXPECT_EQ(a.Length(LengthUnit::kUtf16), 10u);
  EXPECT_EQ(a.Length(LengthUnit::kUtf8Bytes), p.text.size());
  EXPECT_EQ(a.Length(LengthUnit::kThreads), 3u + 8u + 3u);  // emoji count their bytes
}

TEST(AnalyzedPost, OverflowOffsetPointsAtFirstCharacterOverTheLimit) {
  Post p = P("abcdef");
  AnalyzedPost a(p);
  EXPECT_EQ(a.OverflowOffset(LengthUnit::kCodePoints, 4), 4u);
  EXPECT_EQ(a.OverflowOffset(LengthUnit::kCodePoints, 6), 6u);
}

TEST(AnalyzedPost, WordBoundariesAndPositions) {
  Post p = P("one\ntwo three");
  AnalyzedPost a(p);
  EXPECT_TRUE(a.IsWordBoundary(0));
  EXPECT_TRUE(a.IsWordBoundary(3));
  EXPECT_FALSE(a.IsWordBoundary(1));
  const TextPosition pos = a.positions().At(8);  // "three"
  EXPECT_EQ(pos.line, 2u);
  EXPECT_EQ(pos.column, 5u);
}

}  // namespace
}  // namespace postlint
