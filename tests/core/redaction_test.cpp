// Redactor (core/redaction.h): a secret found once is masked in every string derived from the
// post, in part as well as in whole, and in the text itself without moving any offset.
#include "core/redaction.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/utf8.h"

namespace postlint {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kCard = "4526 0181 5908 3012";

struct CardPost {
  std::string text = "Pay to 4526 0181 5908 3012 today";
  ByteRange range{7, 26};
  Redactor redactor{text, {{range, "4526 •••• •••• 3012"}}};
};

TEST(RedactorTest, WholeSecretBecomesItsMask) {
  CardPost p;
  ASSERT_EQ(p.text.substr(7, 19), kCard);
  EXPECT_EQ(p.redactor.Scrub("card 4526 0181 5908 3012!"), "card 4526 •••• •••• 3012!");
}

TEST(RedactorTest, PartOfASecretBecomesBullets) {
  CardPost p;
  // An excerpt that starts inside the card (the part of a long post over the limit).
  const std::string scrubbed = p.redactor.Scrub("0181 5908 3012 today");
  EXPECT_THAT(scrubbed, Not(HasSubstr("0181")));
  EXPECT_THAT(scrubbed, Not(HasSubstr("5908")));
  EXPECT_THAT(scrubbed, HasSubstr("today"));
  // ...or ends inside it.
  EXPECT_THAT(p.redactor.Scrub("Pay to 4526 0181 59"), Not(HasSubstr("0181")));
}

TEST(RedactorTest, SeparatorsDoNotHideASecret) {
  CardPost p;
  EXPECT_THAT(p.redactor.Scrub("x 4526018159083012 y"), Not(HasSubstr("01815908")));
  EXPECT_THAT(p.redactor.Scrub("x 4526-0181-5908-3012 y"), Not(HasSubstr("0181-5908")));
  EXPECT_TRUE(p.redactor.Covers("4526018159083012"));
}

TEST(RedactorTest, LeavesEverythingElseAlone) {
  CardPost p;
  // Short runs and the parts the mask itself shows are no secret; other numbers neither.
  EXPECT_EQ(p.redactor.Scrub("order 4526 shipped, ref 3012"), "order 4526 shipped, ref 3012");
  EXPECT_EQ(p.redactor.Scrub("order 1234 5678 9012 3456"), "order 1234 5678 9012 3456");
  EXPECT_FALSE(p.redactor.Covers("nothing here"));
  // The detector's own masked excerpt stays as it is.
  EXPECT_EQ(p.redactor.Scrub("4526 •••• •••• 3012"), "4526 •••• •••• 3012");
}

TEST(RedactorTest, MaskInPlaceKeepsBytesCodePointsAndWhatTheMaskShows) {
  CardPost p;
  std::string text = p.text;
  p.redactor.MaskInPlace(text);
  EXPECT_EQ(text, "Pay to 4526 **** **** 3012 today");
  EXPECT_EQ(text.size(), p.text.size());

  // Non-ASCII characters in a secret are replaced by characters of the same UTF-8 length.
  const std::string password = "pw: Ğüzel-Şifre99";
  Redactor r(password, {{{4, static_cast<uint32_t>(password.size())}, "••••"}});
  std::string masked = password;
  r.MaskInPlace(masked);
  EXPECT_EQ(masked.size(), password.size());
  EXPECT_EQ(CountCodePoints(masked), CountCodePoints(password));
  EXPECT_THAT(masked, Not(HasSubstr("Şifre")));
  EXPECT_EQ(masked.substr(0, 4), "pw: ");
}

TEST(RedactorTest, WhatTheMaskShowsInTheMiddleIsNoSecret) {
  // An internal host: the mask hides the host name and the path, shows the domain.
  const std::string text = "see https://jenkins.corp.acme.com/job/deploy now";
  const uint32_t begin = 4;
  const auto end = static_cast<uint32_t>(text.find(" now"));
  const std::string mask = "https://•••••••.corp.acme.com/…";
  Redactor r(text, {{{begin, end}, mask}});
  EXPECT_EQ(r.Scrub(mask), mask);
  EXPECT_EQ(r.Scrub("on corp.acme.com today"), "on corp.acme.com today");
  EXPECT_THAT(r.Scrub("host jenkins.corp.acme.com/job/deploy"), Not(HasSubstr("job/deploy")));
  std::string masked = text;
  r.MaskInPlace(masked);
  EXPECT_EQ(masked, "see https://*******.corp.acme.com/********** now");
}

TEST(RedactorTest, KeyBlockKeepsItsLinesAndHeaders) {
  const std::string text =
      "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
  Redactor r(text, {{{0, static_cast<uint32_t>(text.size())},
                     "-----BEGIN PRIVATE KEY-----\n••••\n-----END PRIVATE KEY-----"}});
  std::string masked = text;
  r.MaskInPlace(masked);
  EXPECT_EQ(masked,
            "-----BEGIN PRIVATE KEY-----\n********************************\n"
            "-----END PRIVATE KEY-----");
  EXPECT_EQ(r.Scrub("-----BEGIN PRIVATE KEY-----"), "-----BEGIN PRIVATE KEY-----");
  EXPECT_THAT(r.Scrub("MIIEvQIBADANBgkqhkiG9w0B"), Not(HasSubstr("MIIEvQIB")));
}

TEST(RedactorTest, ShortSecretsCountOnlyWhole) {
  const std::string text = "pin: 90210";
  Redactor r(text, {{{5, 10}, "•••••"}});
  EXPECT_EQ(r.Scrub("zip 90210"), "zip •••••");
  EXPECT_EQ(r.Scrub("zip 9021"), "zip 9021");
}

TEST(RedactorTest, NoSpansNoWork) {
  Redactor r("text", {});
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.Scrub("anything 4526 0181 5908 3012"), "anything 4526 0181 5908 3012");
}

TEST(QuoteUntrustedTest, ShortAndWithoutNumbersOrKeys) {
  EXPECT_EQ(QuoteUntrusted("card 4526 0181 5908 3012, ok"), "card •••• •••• •••• ••••, ok");
  EXPECT_THAT(QuoteUntrusted("token ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
              Not(HasSubstr("abcdefgh")));
  EXPECT_THAT(QuoteUntrusted("pwd=H038KO7~ms^39"), Not(HasSubstr("H038")));
  // A random key without a single digit.
  EXPECT_THAT(QuoteUntrusted("\"key sk_live_FHQpNxHvZyqabcdefGHIJKLmn"), Not(HasSubstr("FHQp")));
  EXPECT_THAT(QuoteUntrusted("xoxb-4877687696-4435818737448-rzfo"), Not(HasSubstr("4877")));
  // Words, short numbers, years and dates stay readable.
  EXPECT_EQ(QuoteUntrusted("\"sponsored\": yes, 2026"), "\"sponsored\": yes, 2026");
  EXPECT_EQ(QuoteUntrusted("2024-13-01 10:00"), "2024-13-01 10:00");
  EXPECT_EQ(QuoteUntrusted("2024-01-01T10:00:00Z"), "2024-01-01T10:00:00Z");
  EXPECT_EQ(QuoteUntrusted("linkdin"), "linkdin");
  // At most 40 code points, then an ellipsis; control characters escaped.
  std::string long_text;
  for (int i = 0; i < 50; ++i)
    long_text += "ab ";
  EXPECT_EQ(QuoteUntrusted(long_text), long_text.substr(0, 40) + "…");
  EXPECT_EQ(QuoteUntrusted("a\nb"), "a\\nb");
}

}  // namespace
}  // namespace postlint
