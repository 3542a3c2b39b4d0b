#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "core/networks.h"
#include "core/text_position.h"
#include "core/utf8.h"

namespace postlint {
namespace {

TEST(Utf8, SanitizeReplacesInvalidBytesOnly) {
  bool changed = false;
  EXPECT_EQ(SanitizeUtf8("caf\xE9 ok", &changed), "caf\xEF\xBF\xBD ok");
  EXPECT_TRUE(changed);
  EXPECT_EQ(SanitizeUtf8("Žūrija \xEF\xBF\xBD", &changed), "Žūrija \xEF\xBF\xBD");
  EXPECT_FALSE(changed);
  EXPECT_EQ(SanitizeUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(SanitizeUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

TEST(Utf8, Counts) {
  EXPECT_EQ(CountCodePoints("a😀é"), 3u);
  EXPECT_EQ(CountUtf16Units("a😀é"), 4u);
}

TEST(TextPositionIndex, CodePointsUtf16LinesAndColumns) {
  const std::string text = "😀 ab\r\nčd";
  TextPositionIndex idx(text);
  const TextPosition a = idx.At(5);  // 'a'
  EXPECT_EQ(a.code_point, 2u);
  EXPECT_EQ(a.utf16, 3u);
  EXPECT_EQ(a.line, 1u);
  EXPECT_EQ(a.column, 3u);
  const TextPosition d = idx.At(11);  // 'd' after "č"
  EXPECT_EQ(d.line, 2u);
  EXPECT_EQ(d.column, 2u);
  EXPECT_EQ(d.code_point, 7u);
  EXPECT_EQ(idx.Line(1), "😀 ab");
  EXPECT_EQ(idx.Line(2), "čd");
  EXPECT_EQ(idx.Line(3), "");
}

TEST(Diagnostics, SuggestsCloseWordsOnly) {
  EXPECT_EQ(SuggestClosest("max_hashtag", {"max_hashtags", "deny"}), "max_hashtags");
  EXPECT_EQ(SuggestClosest("banana", {"max_hashtags", "deny"}), "");
  EXPECT_EQ(SuggestClosest("nmae", {"name", "version"}), "name");            // transposition
  EXPECT_EQ(SuggestClosest("max_hashtag", {"max", "deny", "maxx"}), "max");  // longer spelling
  Diagnostic d{"p.yaml", 3, 7, "bad"};
  EXPECT_EQ(d.ToString(), "p.yaml:3:7: error: bad");
}

TEST(Networks, CanonicalNames) {
  EXPECT_EQ(CanonicalNetworkName("Twitter"), "x");
  EXPECT_EQ(CanonicalNetworkName("LinkedIn"), "linkedin");
}

}  // namespace
}  // namespace postlint
