// A detected secret never leaves the engine in full (issue 14): whichever rule's finding covers
// it (an over-long post, a placeholder, a link, a hashtag), whatever field it sits in.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/fingerprint.h"
#include "engine/engine.h"
#include "support/rule_harness.h"

namespace postlint {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::shared_ptr<const Engine> CompileSecretsPolicy() {
  Diagnostics diags;
  auto engine = CompilePolicyString("name: t\nextends: [default, confidential]\n", "p.yaml", diags);
  EXPECT_NE(engine, nullptr) << diags.ToString();
  return engine;
}

// Every string of a result a reporter could print.
std::string Everything(const PostResult& r) {
  std::string all = r.post.text;
  for (const auto& m : r.post.media)
    all += "\n" + m.alt_text;
  for (const auto& f : r.findings)
    all += "\n" + f.message + "\n" + f.excerpt + "\n" + f.fix.value_or("");
  return all;
}

TEST(EngineSecrets, NoFindingOfAnyRuleShowsACardNumber) {
  auto engine = CompileSecretsPolicy();
  ASSERT_NE(engine, nullptr);
  std::string text;
  for (int i = 0; i < 50; ++i)
    text += "word ";
  text += "#a #b #c #d #e #f #g [add 4526 0181 5908 3012] pay to 4526 0181 5908 3012";
  const PostResult r = engine->Check(testing::MakePost(text, {"x"}));
  bool detected = false;
  bool too_long = false;
  for (const auto& f : r.findings) {
    detected = detected || f.type == "credit_card";
    too_long = too_long || f.kind == "length";
  }
  EXPECT_TRUE(detected);
  EXPECT_TRUE(too_long) << "the length finding's excerpt covers the card";
  const std::string all = Everything(r);
  EXPECT_THAT(all, Not(HasSubstr("0181")));
  EXPECT_THAT(all, Not(HasSubstr("5908")));
  EXPECT_THAT(all, Not(HasSubstr("4526018159083012")));
  EXPECT_THAT(all, HasSubstr("4526 •••• •••• 3012"));
  // The text keeps its length, so every position reporters compute stays right.
  EXPECT_EQ(r.post.text.size(), text.size());
}

TEST(EngineSecrets, TheFingerprintIsOfWhatWasWritten) {
  auto engine = CompileSecretsPolicy();
  ASSERT_NE(engine, nullptr);
  const Post a = testing::MakePost("card 4526 0181 5908 3012", {"x"});
  const Post b = testing::MakePost("card 4556 7375 8689 9855", {"x"});
  const PostResult ra = engine->Check(a);
  const PostResult rb = engine->Check(b);
  EXPECT_EQ(ra.fingerprint, PostFingerprint(a));
  EXPECT_NE(ra.fingerprint, rb.fingerprint) << "two different cards, two different posts";
}

TEST(EngineSecrets, LinkTokensAreMaskedAndNoFixWritesThemBack) {
  auto engine = CompileSecretsPolicy();
  ASSERT_NE(engine, nullptr);
  CheckOptions offline;
  offline.offline = true;
  const std::string text =
      "Read https://example.com/p?gclid=abc123&access_token=Zm9vYmFyYmF6cXV4MTIz now";
  const PostResult r = engine->Check(testing::MakePost(text, {"x"}), offline);
  const std::string all = Everything(r);
  EXPECT_THAT(all, Not(HasSubstr("Zm9vYmFy")));
  EXPECT_THAT(all, HasSubstr("gclid"));
  bool link_finding = false;
  for (const auto& f : r.findings)
    link_finding = link_finding || f.kind == "links";
  EXPECT_TRUE(link_finding);
}

TEST(EngineSecrets, LinksWithoutCredentialsAreLeftAlone) {
  auto engine = CompileSecretsPolicy();
  ASSERT_NE(engine, nullptr);
  const std::string text = "Read https://example.com/p?page=2&sort=new&keyword=shoes now";
  const PostResult r = engine->Check(testing::MakePost(text, {"x"}));
  EXPECT_EQ(r.post.text, text);
}

TEST(EngineSecrets, ACardNumberInAltTextIsAnErrorNamingTheAltText) {
  auto engine = CompileSecretsPolicy();
  ASSERT_NE(engine, nullptr);
  Post post = testing::MakePost("Our new office!", {"x"});
  post.media.push_back({"A photo of the desk"});
  post.media.push_back({"Sticky note: 4526 0181 5908 3012"});
  const PostResult r = engine->Check(post);
  const Finding* card = nullptr;
  for (const auto& f : r.findings) {
    if (f.type == "credit_card")
      card = &f;
  }
  ASSERT_NE(card, nullptr);
  EXPECT_EQ(card->level, Level::kError);
  EXPECT_EQ(card->field, "media[1].alt_text");
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_THAT(Everything(r), Not(HasSubstr("0181")));
  EXPECT_EQ(r.post.media[0].alt_text, "A photo of the desk");
}

TEST(EngineSecrets, OrderNumbersAndPlainTextAreNotMasked) {
  auto engine = CompileSecretsPolicy();
  ASSERT_NE(engine, nullptr);
  const std::string text = "Order 1234 5678 9012 3456 ships Monday. See you at booth 42!";
  const PostResult r = engine->Check(testing::MakePost(text, {"x"}));
  EXPECT_EQ(r.post.text, text);
}

}  // namespace
}  // namespace postlint
