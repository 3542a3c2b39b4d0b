#include <gtest/gtest.h>

#include "support/rule_harness.h"

namespace postlint {
namespace {

using testing::Covered;
using testing::MakePost;
using testing::RunRule;

const char* kFtc =
    "accepted: ['#ad', 'ad:', advertisement, sponsored, paid partnership]\n"
    "rejected: ['#sp', '#spon', '#collab', 'thanks @']";

std::vector<Finding> Check(const std::string& text, std::vector<std::string> networks = {},
                           bool sponsored = true, const std::string& extra = "") {
  Post p = MakePost(text, std::move(networks));
  p.sponsored = sponsored;
  return RunRule("disclosure", std::string(kFtc) + "\n" + extra, p);
}

TEST(DisclosureRule, AcceptsLabelAtTheStart) {
  EXPECT_TRUE(Check("#ad Our new blender makes smoothies in 40 seconds").empty());
  EXPECT_TRUE(Check("Ad: the Blendr 500 is here").empty());
  EXPECT_TRUE(Check("Paid partnership with @acme: the Blendr 500").empty());
  EXPECT_TRUE(Check("ADVERTISEMENT - the Blendr 500").empty());
}

TEST(DisclosureRule, IgnoresPostsThatAreNotSponsored) {
  EXPECT_TRUE(Check("Love my blender", {}, false).empty());
  auto f = Check("Love my blender", {}, false, "sponsored_only: false");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "missing");
}

TEST(DisclosureRule, ReportsMissingLabelWithPrependFix) {
  auto f = Check("Our mornings start with the Blendr 500.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "missing");
  EXPECT_EQ(f[0].range, (ByteRange{0, 0}));
  EXPECT_EQ(f[0].fix.value_or(""), "#ad ");
  EXPECT_EQ(f[0].message, "Sponsored post without a disclosure: start it with '#ad'");
}

TEST(DisclosureRule, RejectsUnclearLabels) {
  for (const std::string text : {"Loving this blender #sp", "New gear! #spon",
                                 "Great collab #collab", "Thanks @acme for the blender!"}) {
    auto f = Check(text);
    ASSERT_EQ(f.size(), 1u) << text;
    EXPECT_EQ(f[0].type, "unclear") << text;
    EXPECT_EQ(f[0].fix.value_or(""), "#ad") << text;
  }
  auto f = Check("Thanks @acme for the blender!");
  EXPECT_EQ(Covered("Thanks @acme for the blender!", f[0]), "Thanks @");
}

TEST(DisclosureRule, LabelsAreWholeWords) {
  // "#adidas" and "road:" are not "#ad" and "ad:".
  auto f = Check("New #adidas drop, hit the road: now");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "missing");
}

TEST(DisclosureRule, LabelAfterTheMoreCutIsMisplaced) {
  const std::string text = std::string(130, 'x') + " #ad";
  auto f = Check(text, {"instagram"});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "placement");
  EXPECT_EQ(Covered(text, f[0]), "#ad");
  EXPECT_NE(f[0].message.find("first 125"), std::string::npos) << f[0].message;
  // Per-network limits.
  EXPECT_TRUE(Check(text, {"x"}, true, "within: {x: 280, instagram: 125}").empty());
  EXPECT_EQ(Check(text, {"x", "instagram"}, true, "within: {x: 280, instagram: 125}").size(), 1u);
}

TEST(DisclosureRule, LabelBuriedInTrailingHashtagsIsReported) {
  const std::string text = "Smoothies in 40 seconds! #blender #kitchen #ad #healthy #morning";
  auto f = Check(text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "buried");
  EXPECT_EQ(Covered(text, f[0]), "#ad");
  // Two trailing tags are not a block; hashtag_block: 0 turns the check off.
  EXPECT_TRUE(Check("Smoothies in 40 seconds! #ad #blender").empty());
  EXPECT_TRUE(Check(text, {}, true, "hashtag_block: 0").empty());
  // At the very start it is fine even when the whole post is hashtags.
  EXPECT_TRUE(Check("#ad #blender #kitchen #healthy").empty());
}

TEST(DisclosureRule, OneGoodLabelIsEnough) {
  EXPECT_TRUE(Check("#ad Smoothies! #blender #kitchen #sp #healthy").empty());
}

TEST(DisclosureRule, ShippedPacksCompile) {
  for (const char* pack : {"rules/disclosure-ftc.yaml", "rules/disclosure-asa.yaml"}) {
    Diagnostics diags;
    auto engine = CompilePolicyFile(testing::SourcePath(pack), diags);
    ASSERT_TRUE(engine) << pack << "\n" << diags.ToString();
    Post p = MakePost("Loving my new blender! #gifted #sp", {"instagram"});
    p.sponsored = true;
    auto r = engine->Check(p);
    ASSERT_EQ(r.findings.size(), 1u) << pack;
    EXPECT_EQ(r.findings[0].type, "unclear") << pack;
    p.text = "Ad: loving my new blender!";
    EXPECT_TRUE(engine->Check(p).findings.empty()) << pack;
  }
  // ASA treats "sponsored" as not enough; FTC accepts it.
  Post p = MakePost("Sponsored: loving my new blender!");
  p.sponsored = true;
  Diagnostics d1, d2;
  EXPECT_TRUE(CompilePolicyFile(testing::SourcePath("rules/disclosure-ftc.yaml"), d1)
                  ->Check(p)
                  .findings.empty());
  EXPECT_EQ(CompilePolicyFile(testing::SourcePath("rules/disclosure-asa.yaml"), d2)
                ->Check(p)
                .findings.size(),
            1u);
}

TEST(DisclosureRule, NeedsAcceptedLabels) {
  EXPECT_NE(testing::RuleErrors("disclosure", "rejected: ['#sp']").find("needs at least one label"),
            std::string::npos);
}

}  // namespace
}  // namespace postlint
