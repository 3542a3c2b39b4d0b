#include <gtest/gtest.h>

#include "support/rule_harness.h"

namespace postlint {
namespace {

using testing::Covered;
using testing::MakePost;
using testing::RunRule;

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += s;
  return out;
}

TEST(LengthRule, FlagsXPostOverWeightedLimitAndUnderlinesTheOverflow) {
  const std::string text = Repeat("a", 275) + " overflow";  // 284 weighted
  auto f = RunRule("length", "", text, {"x"});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].network, "x");
  EXPECT_EQ(Covered(text, f[0]), "flow");  // characters 281..284
  EXPECT_NE(f[0].message.find("284 of 280"), std::string::npos) << f[0].message;
  EXPECT_NE(f[0].message.find("X"), std::string::npos);
}

TEST(LengthRule, CountsCjkAsTwoOnX) {
  auto f = RunRule("length", "", Repeat("日", 141), {"x"});  // 282 weighted
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("282 of 280"), std::string::npos) << f[0].message;
}

TEST(LengthRule, LeavesLongUrlAloneOnXBecauseItCountsAs23) {
  const std::string text =
      Repeat("a", 250) + " https://example.com/" + Repeat("very-long-path/", 20);
  EXPECT_TRUE(RunRule("length", "", text, {"x"}).empty());
}

TEST(LengthRule, LeavesPostExactlyAtTheLimitAlone) {
  EXPECT_TRUE(RunRule("length", "", Repeat("a", 280), {"x"}).empty());
  EXPECT_TRUE(RunRule("length", "", Repeat("a", 300), {"bluesky"}).empty());
}

TEST(LengthRule, BlueskyCountsGraphemesSoFamilyEmojiIsOne) {
  // 300 family emoji = 300 graphemes (fits) but 7,500 bytes (over the 3,000-byte limit).
  const std::string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466";
  auto f = RunRule("length", "", Repeat(family, 300), {"bluesky"});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "utf8-bytes");
  auto g = RunRule("length", "", Repeat(family, 100), {"bluesky"});
  EXPECT_TRUE(g.empty());  // 100 graphemes, 2,500 bytes
  auto h = RunRule("length", "", Repeat("e\u0301", 301), {"bluesky"});
  ASSERT_EQ(h.size(), 1u);  // 301 graphemes (602 code points)
  EXPECT_EQ(h[0].type, "graphemes");
}

TEST(LengthRule, MastodonCountsUrlsAs23AndDropsRemoteMentionDomains) {
  // From Mastodon's own validator spec: 476 + 1 + 23 = 500 fits.
  const std::string fits = Repeat("a", 476) + " http://" + Repeat("b", 30) + ".com/example";
  EXPECT_TRUE(RunRule("length", "", fits, {"mastodon"}).empty());
  const std::string mention = Repeat("a", 475) + " @alice@" + Repeat("b", 30) + ".com";
  EXPECT_TRUE(RunRule("length", "", mention, {"mastodon"}).empty());
  auto f = RunRule("length", "", Repeat("a", 501), {"mastodon"});
  EXPECT_EQ(f.size(), 1u);
}

TEST(LengthRule, ChecksEachNetworkOfAMultiNetworkPost) {
  const std::string text = Repeat("word ", 60);  // 300 chars: too long for X only
  auto f = RunRule("length", "", MakePost(text, {"x", "bluesky", "linkedin"}));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].network, "x");
}

TEST(LengthRule, PolicyCanLowerTheLimitPerNetwork) {
  auto f = RunRule("length", "max: {x: 100}", Repeat("a", 150), {"x"});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("150 of 100"), std::string::npos);
  EXPECT_TRUE(RunRule("length", "max: {x: 100}", Repeat("a", 150), {"linkedin"}).empty());
}

TEST(LengthRule, NetworksOptionRestrictsTheCheck) {
  EXPECT_TRUE(RunRule("length", "networks: [bluesky]", Repeat("a", 290), {"x"}).empty());
}

TEST(LengthRule, LeavesPostsWithoutANetworkAlone) {
  EXPECT_TRUE(RunRule("length", "", Repeat("a", 5000)).empty());
}

TEST(LengthRule, RejectsBadOptions) {
  const std::string errors = testing::RuleErrors("length", "maxx: 3");
  EXPECT_NE(errors.find("unknown option 'maxx'"), std::string::npos) << errors;
  EXPECT_NE(errors.find("did you mean 'max'"), std::string::npos) << errors;
}

}  // namespace
}  // namespace postlint
