#include "engine/engine.h"

#include <gtest/gtest.h>

#include "support/rule_harness.h"

namespace postlint {
namespace {

using testing::MakePost;

std::shared_ptr<const Engine> Compile(const std::string& yaml) {
  Diagnostics diags;
  auto engine = CompilePolicyString(yaml, "p.yaml", diags);
  EXPECT_NE(engine, nullptr) << diags.ToString();
  return engine;
}

const char* kPolicy = R"(
name: gate-test
extends: [networks]
rules:
  - id: banned
    kind: terms
    level: error
    banned: [damn]
  - id: jargon
    kind: terms
    level: warning
    banned: [synergy]
  - id: note
    kind: terms
    level: info
    banned: [fyi]
  - id: sponsored-needs-ad
    kind: terms
    level: error
    required: ['#ad']
    when: {sponsored: true}
  - id: x-only
    kind: terms
    level: warning
    banned: [tweet]
    when: {network: x}
)";

TEST(EngineVerdict, MapsTheWorstLevelThroughTheGate) {
  auto engine = Compile(kPolicy);
  ASSERT_TRUE(engine);
  EXPECT_EQ(engine->Check(MakePost("All good here")).verdict, Verdict::kPass);
  EXPECT_EQ(engine->Check(MakePost("fyi: launch")).verdict, Verdict::kPass);
  EXPECT_EQ(engine->Check(MakePost("synergy")).verdict, Verdict::kReview);
  EXPECT_EQ(engine->Check(MakePost("damn synergy")).verdict, Verdict::kFail);
}

TEST(EngineVerdict, GateCanBeStricter) {
  auto engine = Compile(std::string(kPolicy) + "gate: {warning: fail, info: review}\n");
  ASSERT_TRUE(engine);
  EXPECT_EQ(engine->Check(MakePost("synergy")).verdict, Verdict::kFail);
  EXPECT_EQ(engine->Check(MakePost("fyi")).verdict, Verdict::kReview);
}

TEST(EngineWhen, ConditionsOnSponsoredAndNetwork) {
  auto engine = Compile(kPolicy);
  ASSERT_TRUE(engine);
  Post sponsored = MakePost("Love this blender");
  sponsored.sponsored = true;
  auto r = engine->Check(sponsored);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, "sponsored-needs-ad");
  sponsored.text = "#ad Love this blender";
  EXPECT_TRUE(engine->Check(sponsored).findings.empty());
  EXPECT_TRUE(engine->Check(MakePost("Love this blender")).findings.empty());

  EXPECT_EQ(engine->Check(MakePost("new tweet", {"x"})).findings.size(), 1u);
  EXPECT_TRUE(engine->Check(MakePost("new tweet", {"linkedin"})).findings.empty());
  // A network-independent rule runs once even when several networks match.
  EXPECT_EQ(engine->Check(MakePost("damn", {"x", "bluesky", "linkedin"})).findings.size(), 1u);
}

TEST(EngineFindings, AreSortedByPositionAndCarryRuleData) {
  auto engine = Compile(kPolicy);
  ASSERT_TRUE(engine);
  auto r = engine->Check(MakePost("synergy and damn"));
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].rule, "jargon");
  EXPECT_EQ(r.findings[0].kind, "terms");
  EXPECT_EQ(r.findings[0].level, Level::kWarning);
  EXPECT_EQ(r.findings[0].excerpt, "synergy");
  EXPECT_EQ(r.findings[1].rule, "banned");
}

TEST(EngineMetrics, OnePerNetworkWithLimit) {
  auto engine = Compile(kPolicy);
  ASSERT_TRUE(engine);
  auto r = engine->Check(MakePost("Hello #one #two https://example.com", {"x", "bluesky"}));
  ASSERT_EQ(r.metrics.size(), 2u);
  EXPECT_EQ(r.metrics[0].network, "x");
  EXPECT_EQ(r.metrics[0].unit, "x-weighted");
  EXPECT_EQ(r.metrics[0].length, 6u + 5 + 5 + 23);
  EXPECT_EQ(r.metrics[0].limit, 280u);
  EXPECT_EQ(r.metrics[0].hashtags, 2u);
  EXPECT_EQ(r.metrics[1].unit, "graphemes");
  EXPECT_EQ(r.metrics[1].limit, 300u);
}

TEST(EngineNetworks, FallbackAndDefaultNetworks) {
  auto engine = Compile(kPolicy);
  ASSERT_TRUE(engine);
  CheckOptions on_x;
  on_x.fallback_networks = {"x"};
  EXPECT_EQ(engine->Check(MakePost("a tweet"), on_x).findings.size(), 1u);
  auto with_default = Compile(std::string(kPolicy) + "default_networks: [x]\n");
  ASSERT_TRUE(with_default);
  EXPECT_EQ(with_default->Check(MakePost("a tweet")).findings.size(), 1u);
}

TEST(EngineNetworks, TheCommandLineNetworksComeBeforeThePolicyDefault) {
  auto engine = Compile(std::string(kPolicy) + "default_networks: [linkedin]\n");
  ASSERT_TRUE(engine);
  EXPECT_TRUE(engine->Check(MakePost("a tweet")).findings.empty());  // linkedin
  CheckOptions on_x;
  on_x.fallback_networks = {"x"};
  EXPECT_EQ(engine->Check(MakePost("a tweet"), on_x).findings.size(), 1u);
  // The post's own networks come first of all.
  EXPECT_TRUE(engine->Check(MakePost("a tweet", {"linkedin"}), on_x).findings.empty());
}

const char* kLengthPolicy = R"(
name: limits
extends: [networks]
rules:
  - {id: length, kind: length, level: error}
  - {id: banned, kind: terms, level: error, banned: [damn]}
)";

TEST(EngineNetworkCoverage, APostCheckedAgainstNoNetworkSaysSo) {
  auto engine = Compile(kLengthPolicy);
  ASSERT_TRUE(engine);
  const PostResult r = engine->Check(MakePost(std::string(400, 'a')));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, kNetworkCoverageRule);
  EXPECT_EQ(r.findings[0].type, "no-network");
  EXPECT_EQ(r.findings[0].level, Level::kWarning);
  EXPECT_NE(r.findings[0].message.find("default_networks"), std::string::npos);
  EXPECT_EQ(r.verdict, Verdict::kReview);  // not a pass it did not earn
  bool listed = false;
  for (const auto& rule : engine->info().rules)
    listed = listed || rule.id == kNetworkCoverageRule;
  EXPECT_TRUE(listed) << "reports (SARIF) describe the engine's own rule too";
}

TEST(EngineNetworkCoverage, ANetworkThePolicyHasNoLimitsForSaysSo) {
  auto engine = Compile(R"(
name: no-limits
networks: {x: {length: {unit: x-weighted, max: 280}}}
rules:
  - {id: length, kind: length, level: error}
)");
  ASSERT_TRUE(engine);
  const PostResult r = engine->Check(MakePost("hello", {"x", "tiktok"}));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].type, "no-limits");
  EXPECT_EQ(r.findings[0].network, "tiktok");
  EXPECT_TRUE(engine->Check(MakePost("hello", {"x"})).findings.empty());
}

TEST(EngineNetworkCoverage, PoliciesWithoutNetworkRulesDoNotCare) {
  auto engine = Compile("name: t\nrules:\n  - {id: b, kind: terms, banned: [damn]}\n");
  ASSERT_TRUE(engine);
  EXPECT_TRUE(engine->Check(MakePost("fine")).findings.empty());
  EXPECT_EQ(engine->Check(MakePost("fine")).verdict, Verdict::kPass);
}

TEST(EngineNetworkCoverage, DefaultNetworksCoverPostsThatNameNone) {
  auto engine = Compile(std::string(kLengthPolicy) + "default_networks: [x]\n");
  ASSERT_TRUE(engine);
  const PostResult r = engine->Check(MakePost(std::string(300, 'a')));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, "length");
  EXPECT_EQ(r.findings[0].network, "x");
}

TEST(EngineUncheckable, AnUnknownNetworkIsAnErrorWithASuggestion) {
  auto engine = Compile(kLengthPolicy);
  ASSERT_TRUE(engine);
  Post post = MakePost("hello", {"linkdin"});
  post.source = "drafts/a.md";
  post.source_line = 7;
  const PostResult r = engine->Check(post);
  EXPECT_EQ(r.verdict, Verdict::kError);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->source, "drafts/a.md");
  EXPECT_EQ(r.error->line, 7u);
  EXPECT_NE(r.error->message.find("unknown network 'linkdin' (did you mean 'linkedin'?)"),
            std::string::npos)
      << r.error->message;
  EXPECT_EQ(r.post.text, "hello");
}

TEST(EngineUncheckable, APolicyMayDefineNetworksOfItsOwn) {
  auto engine = Compile(R"(
name: intranet
networks: {yammer: {length: {unit: code-points, max: 10}}}
rules:
  - {id: length, kind: length, level: error}
)");
  ASSERT_TRUE(engine);
  const PostResult r = engine->Check(MakePost("far too long for it", {"yammer"}));
  EXPECT_EQ(r.verdict, Verdict::kFail);
}

TEST(EngineUncheckable, AnEmptyPostIsAnError) {
  auto engine = Compile(kLengthPolicy);
  ASSERT_TRUE(engine);
  for (const std::string text : {"", "  \n\t "}) {
    const PostResult r = engine->Check(MakePost(text, {"x"}));
    EXPECT_EQ(r.verdict, Verdict::kError);
    ASSERT_TRUE(r.error);
    EXPECT_NE(r.error->message.find("empty"), std::string::npos);
  }
  Post image_only = MakePost("", {"instagram"});
  image_only.media.push_back({"A red rocket on a blue sky"});
  EXPECT_NE(engine->Check(image_only).verdict, Verdict::kError);
}

TEST(EngineMessages, PolicyMessageOverridesDefaultAndExpandsPlaceholders) {
  auto engine = Compile(R"(
rules:
  - id: brand
    kind: substitution
    swap: {Iphone: iPhone}
    message: "[{rule}] {match} -> {replacement}"
)");
  ASSERT_TRUE(engine);
  auto r = engine->Check(MakePost("my Iphone"));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].message, "[brand] Iphone -> iPhone");
}

TEST(EngineMessages, ExpandMessageLeavesUnknownBracesAlone) {
  EXPECT_EQ(ExpandMessage("{a} {b} {", {{"a", "1"}}), "1 {b} {");
}

TEST(Engine, ErrorResultKeepsTheSourceAndLine) {
  ReadError e{"posts.jsonl", 7, "p7", "invalid JSON"};
  PostResult r = Engine::ErrorResult(e);
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_EQ(r.post.source_line, 7u);
  ASSERT_TRUE(r.error.has_value());
}

TEST(Engine, DisabledRulesAreNotCompiled) {
  auto engine = Compile("rules:\n  - {id: a, kind: terms, banned: [x], enabled: false}\n");
  ASSERT_TRUE(engine);
  EXPECT_TRUE(engine->rules().empty());
}

}  // namespace
}  // namespace postlint
