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
  EXPECT_EQ(engine->Check(MakePost("a tweet"), {"x"}).findings.size(), 1u);
  auto with_default = Compile(std::string(kPolicy) + "default_networks: [x]\n");
  ASSERT_TRUE(with_default);
  EXPECT_EQ(with_default->Check(MakePost("a tweet")).findings.size(), 1u);
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
