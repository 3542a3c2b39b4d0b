// Focused tests of twitter_text beyond the upstream conformance suite: byte offsets, full-width
// sigils, overflow offsets and linear running time.

#include "analysis/twitter_text.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

namespace postlint::twitter {
namespace {

std::string_view Slice(std::string_view text, ByteRange r) {
  return text.substr(r.begin, r.end - r.begin);
}

TEST(TwitterText, ByteOffsetsAfterMultibyteText) {
  const std::string text = "Žūrija 😀 #tag";
  auto entities = ExtractEntities(text);
  ASSERT_EQ(entities.size(), 1u);
  EXPECT_EQ(entities[0].type, EntityType::kHashtag);
  // "Žūrija " is 9 bytes (Ž and ū take two each), the emoji 4, then a space.
  EXPECT_EQ(entities[0].range, (ByteRange{14, 18}));
  EXPECT_EQ(Slice(text, entities[0].range), "#tag");
  EXPECT_EQ(entities[0].value, "tag");
}

TEST(TwitterText, FullWidthSigils) {
  // A hashtag needs a non-letter before its sign, so the space after 見て matters.
  const std::string text = "見て ＃東京 ＠user さん";
  auto entities = ExtractEntities(text);
  ASSERT_EQ(entities.size(), 2u);
  EXPECT_EQ(entities[0].type, EntityType::kHashtag);
  EXPECT_EQ(Slice(text, entities[0].range), "＃東京");
  EXPECT_EQ(entities[0].value, "東京");
  EXPECT_EQ(entities[1].type, EntityType::kMention);
  EXPECT_EQ(Slice(text, entities[1].range), "＠user");
  EXPECT_EQ(entities[1].value, "user");
}

TEST(TwitterText, MentionWithList) {
  auto m = ExtractMentionsOrLists("see @acme/launch-team now");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].value, "acme");
  EXPECT_EQ(m[0].list_slug, "/launch-team");
  EXPECT_TRUE(ExtractMentions("see @acme/launch-team now").empty());
}

TEST(TwitterText, EntitiesInTextOrderWithoutOverlap) {
  const std::string text = "Launch day! #Acme https://acme.example.com/x#frag @bob $ACME";
  auto e = ExtractEntities(text);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].type, EntityType::kHashtag);
  EXPECT_EQ(e[1].type, EntityType::kUrl);
  EXPECT_TRUE(e[1].url_has_scheme);
  EXPECT_EQ(e[1].value, "https://acme.example.com/x#frag");
  EXPECT_EQ(e[2].type, EntityType::kMention);
  EXPECT_EQ(e[3].type, EntityType::kCashtag);
  EXPECT_EQ(e[3].value, "ACME");
}

TEST(TwitterText, OverflowByteAscii) {
  std::string text(281, 'a');
  TweetLength n = ParseTweet(text);
  EXPECT_EQ(n.weighted_length, 281);
  EXPECT_FALSE(n.valid);
  EXPECT_EQ(n.overflow_byte, 280u);
  EXPECT_EQ(n.valid_range_end, 279);

  TweetLength fits = ParseTweet(std::string(280, 'a'));
  EXPECT_TRUE(fits.valid);
  EXPECT_EQ(fits.overflow_byte, 280u);
}

TEST(TwitterText, OverflowByteCjk) {
  std::string text;
  for (int i = 0; i < 141; ++i)
    text += "漢";  // 3 bytes, weight 2 each
  TweetLength n = ParseTweet(text);
  EXPECT_EQ(n.weighted_length, 282);
  EXPECT_FALSE(n.valid);
  EXPECT_EQ(n.overflow_byte, 140u * 3);
  EXPECT_EQ(n.valid_range_end, 139);
}

TEST(TwitterText, UrlWithoutSchemeInLatvianText) {
  const std::string text = "Sīkāka informācija: piemērs.lv/jaunumi šodien";
  auto urls = ExtractUrls(text);
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_FALSE(urls[0].url_has_scheme);
  EXPECT_EQ(urls[0].value, "piemērs.lv/jaunumi");
  EXPECT_EQ(Slice(text, urls[0].range), "piemērs.lv/jaunumi");
  EXPECT_TRUE(ExtractUrls(text, /*urls_without_protocol=*/false).empty());
}

TEST(TwitterText, IdnTlds) {
  // Without a scheme upstream only extracts ASCII host names, but the TLD itself may be an IDN.
  auto urls = ExtractUrls("sveiki пример.рф и site.みんな");
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(urls[0].value, "site.みんな");
  auto with_scheme = ExtractUrls("go to https://пример.РФ now");
  ASSERT_EQ(with_scheme.size(), 1u);
  EXPECT_EQ(with_scheme[0].value, "https://пример.РФ");
}

TEST(TwitterText, EmptyText) {
  EXPECT_TRUE(ExtractEntities("").empty());
  EXPECT_FALSE(ExtractReplyScreenName("").has_value());
  TweetLength n = ParseTweet("");
  EXPECT_EQ(n.weighted_length, 0);
  EXPECT_FALSE(n.valid);
  EXPECT_EQ(n.overflow_byte, 0u);
  EXPECT_EQ(n.display_range_end, 0);
}

TEST(TwitterText, OnlyAUrl) {
  const std::string text = "https://example.com/a/very/long/path/that/is/longer/than/23";
  auto e = ExtractEntities(text);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].range, (ByteRange{0, static_cast<uint32_t>(text.size())}));
  TweetLength n = ParseTweet(text);
  EXPECT_EQ(n.weighted_length, 23);
  EXPECT_TRUE(n.valid);
}

TEST(TwitterText, EmojiSequencesCountOnce) {
  EXPECT_EQ(ParseTweet("👨‍👩‍👧‍👦").weighted_length, 2);
  EXPECT_EQ(ParseTweet("👍🏽").weighted_length, 2);
  EXPECT_EQ(ParseTweet("🇱🇻").weighted_length, 2);
  EXPECT_EQ(ParseTweet("👨‍👩‍👧‍👦", WeightConfig::V2()).weighted_length, 2 * 4 + 3);
}

TEST(TwitterText, NfcNormalizationCountsComposedForm) {
  // "e" + combining acute normalizes to one code point.
  TweetLength n = ParseTweet("e\xCC\x81");
  EXPECT_EQ(n.weighted_length, 1);
  EXPECT_EQ(n.display_range_end, 1);
}

TEST(TwitterText, InvalidCharacters) {
  TweetLength n = ParseTweet("abc\xEF\xBF\xBE");  // U+FFFE
  EXPECT_FALSE(n.valid);
  EXPECT_EQ(n.valid_range_end, 2);
}

TEST(TwitterText, LongTextWithoutSpacesIsLinear) {
  // Pathological shapes for the URL scanner: a long run of domain characters, a long chain of
  // labels, and a long CJK run ending in a dot.
  std::string run(5000, 'a');
  run += ".com";
  std::string labels;
  for (int i = 0; i < 2500; ++i)
    labels += "a.";
  std::string cjk;
  for (int i = 0; i < 5000; ++i)
    cjk += "漢";
  cjk += ".x";
  std::string mixed;
  for (int i = 0; i < 1000; ++i)
    mixed += "a#b@c$d.";
  auto start = std::chrono::steady_clock::now();
  for (int rep = 0; rep < 5; ++rep) {
    for (const std::string* s : {&run, &labels, &cjk, &mixed}) {
      ExtractEntities(*s);
      ParseTweet(*s);
    }
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  EXPECT_LT(ms, 2000);  // quadratic behaviour would take far longer, even under sanitizers
  // A 5000-character label is longer than DNS allows (63), so it is not a URL.
  EXPECT_TRUE(ExtractUrls(run).empty());
  EXPECT_EQ(ParseTweet(run).weighted_length, 5004);
}

TEST(TwitterText, Validators) {
  EXPECT_TRUE(IsValidUsername("@jack"));
  EXPECT_FALSE(IsValidUsername("@jack!"));
  EXPECT_TRUE(IsValidList("@jack/list"));
  EXPECT_TRUE(IsValidHashtag("#Rīga"));
  EXPECT_FALSE(IsValidHashtag("#123"));
  EXPECT_TRUE(IsValidUrl("https://example.com/a?b=c#d"));
  EXPECT_FALSE(IsValidUrl("example.com"));
  EXPECT_TRUE(IsValidUrl("example.com", true, false));
}

}  // namespace
}  // namespace postlint::twitter
