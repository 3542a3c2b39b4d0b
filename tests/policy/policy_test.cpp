#include "policy/policy.h"

#include <set>

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "support/rule_harness.h"

namespace postlint {
namespace {

using testing::SourcePath;

std::string Errors(const std::string& relative) {
  Diagnostics diags;
  auto engine = CompilePolicyFile(SourcePath(relative), diags);
  EXPECT_EQ(engine, nullptr) << "expected " << relative << " to be refused";
  return diags.ToString();
}

TEST(PolicyErrors, TypoedKeyNamesFileLineColumnAndSuggests) {
  const std::string e = Errors("fixtures/policies/bad/typo-key.yaml");
  EXPECT_NE(e.find("typo-key.yaml:5:5: error: rule 'tags': unknown option 'max_hashtag' for rule "
                   "kind 'hashtags' (did you mean 'max'?)"),
            std::string::npos)
      << e;
}

TEST(PolicyErrors, BadRegexPointsAtThePattern) {
  const std::string e = Errors("fixtures/policies/bad/bad-regex.yaml");
  EXPECT_NE(e.find("bad-regex.yaml:5:24: error: rule 'placeholders': invalid regular expression "
                   "'[unclosed'"),
            std::string::npos)
      << e;
}

TEST(PolicyErrors, WrongTypesAreAllReported) {
  const std::string e = Errors("fixtures/policies/bad/wrong-type.yaml");
  EXPECT_NE(e.find("wrong-type.yaml:4:37: error: 'max' must be a non-negative integer, not 'lots'"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("wrong-type.yaml:8:11: error: rule 'spelling': option 'swap' must be a mapping"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("wrong-type.yaml:9:14: error: 'enabled' must be true or false, not 'maybe'"),
            std::string::npos)
      << e;
}

TEST(PolicyErrors, InvalidYamlGivesThePosition) {
  const std::string e = Errors("fixtures/policies/bad/invalid-yaml.yaml");
  // yaml-cpp notices the unterminated string only at the end of the file.
  EXPECT_NE(e.find("invalid-yaml.yaml:6:1: error: invalid YAML: end of sequence flow not found"),
            std::string::npos)
      << e;
}

TEST(PolicyErrors, EveryProblemIsReportedAtOnce) {
  const std::string e = Errors("fixtures/policies/bad/many-problems.yaml");
  EXPECT_NE(e.find(":2:1: error: unknown key 'nmae' in policy"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'name'?"), std::string::npos) << e;
  EXPECT_NE(e.find(":5:11: error: rule 'one': unknown rule kind 'lenght' (did you mean 'length'?)"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find(":8:12: error: invalid level 'eror'"), std::string::npos) << e;
  EXPECT_NE(e.find("(did you mean 'error'?)"), std::string::npos) << e;
  EXPECT_NE(e.find(":10:14: error: rule 'two': unknown placeholder '{mach}' in message (did you "
                   "mean 'match'?)"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find(":12:12: error: invalid verdict 'block' for level 'warning'"), std::string::npos)
      << e;
}

TEST(PolicyErrors, MissingExtendsTargetAndCycles) {
  Diagnostics diags;
  LoadPolicyString("name: a\nextends: [no-such-pack]\n", "a.yaml", diags);
  EXPECT_NE(diags.ToString().find("a.yaml:2:11: error: cannot find policy 'no-such-pack'"),
            std::string::npos)
      << diags.ToString();
}

TEST(PolicyErrors, RuleWithoutIdOrKind) {
  Diagnostics diags;
  auto engine = CompilePolicyString("rules:\n  - kind: terms\n  - id: x\n", "p.yaml", diags);
  EXPECT_EQ(engine, nullptr);
  EXPECT_NE(diags.ToString().find("p.yaml:2:5: error: rule needs an 'id'"), std::string::npos)
      << diags.ToString();
  EXPECT_NE(diags.ToString().find("p.yaml:3:5: error: rule 'x' needs a 'kind'"), std::string::npos)
      << diags.ToString();
}

TEST(PolicyLoad, ExtendsMergesNetworksRulesAndGate) {
  Diagnostics diags;
  auto policy = LoadPolicyFile(SourcePath("fixtures/policies/good/child.yaml"), diags);
  ASSERT_TRUE(policy && diags.empty()) << diags.ToString();
  EXPECT_EQ(policy->name, "child");
  EXPECT_EQ(policy->version, "2.0");
  ASSERT_NE(policy->FindNetwork("x"), nullptr);
  EXPECT_EQ(policy->FindNetwork("x")->length.front().max, 250u);  // overridden
  ASSERT_NE(policy->FindNetwork("bluesky"), nullptr);             // inherited from the pack
  EXPECT_EQ(policy->FindNetwork("bluesky")->length.size(), 2u);
  ASSERT_EQ(policy->rules.size(), 2u);
  EXPECT_EQ(policy->rules[0].id, "no-jargon");
  EXPECT_EQ(policy->rules[0].kind, "terms");         // kept from the parent
  EXPECT_EQ(policy->rules[0].level, Level::kError);  // patched by the child
  EXPECT_FALSE(policy->rules[1].enabled);
  EXPECT_EQ(policy->gate.at(Level::kWarning), Verdict::kFail);
  EXPECT_EQ(policy->gate.at(Level::kError), Verdict::kFail);
  EXPECT_EQ(policy->gate.at(Level::kInfo), Verdict::kPass);
  EXPECT_EQ(policy->files.size(), 3u);
  EXPECT_EQ(policy->sha256.size(), 64u);
}

TEST(PolicyLoad, ShaChangesWithContent) {
  Diagnostics d;
  auto a = LoadPolicyString("name: a\n", "a.yaml", d);
  auto b = LoadPolicyString("name: b\n", "a.yaml", d);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->sha256, b->sha256);
}

TEST(PolicyLoad, DuplicateKeysAreErrorsAtEveryDepth) {
  Diagnostics d;
  LoadPolicyString(
      "name: a\nrules:\n  - {id: x, kind: terms, banned: [a], banned: [b]}\n"
      "networks:\n  x: {max_hashtags: 2}\n  x: {max_hashtags: 3}\nrules: []\n",
      "dup.yaml", d);
  const std::string text = d.ToString();
  EXPECT_NE(text.find("dup.yaml:3:39: error: duplicate key 'banned' (first at line 3)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("dup.yaml:6:3: error: duplicate key 'x' (first at line 5)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("dup.yaml:7:1: error: duplicate key 'rules' (first at line 2)"),
            std::string::npos)
      << text;
}

TEST(PolicyLoad, ShaDependsOnContentNotOnWhereThePolicyLives) {
  Diagnostics d;
  auto a = LoadPolicyString("name: a\n", "/srv/team/policy.yaml", d);
  auto b = LoadPolicyString("name: a\n", "/home/me/checkout/policy.yaml", d);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->sha256, b->sha256);
}

TEST(PolicyLoad, ShippedDefaultCompiles) {
  Diagnostics diags;
  auto engine = CompilePolicyFile(SourcePath("rules/default.yaml"), diags);
  ASSERT_NE(engine, nullptr) << diags.ToString();
  for (const char* n : {"x", "threads", "bluesky", "mastodon", "linkedin", "facebook", "instagram",
                        "tiktok", "youtube", "pinterest"}) {
    EXPECT_NE(engine->policy().FindNetwork(n), nullptr) << n;
  }
}

std::string StringErrors(const std::string& yaml) {
  Diagnostics diags;
  auto engine = CompilePolicyString(yaml, "p.yaml", diags);
  EXPECT_EQ(engine, nullptr) << "expected the policy to be refused";
  return diags.ToString();
}

TEST(PolicyErrors, UnknownNetworksInDefaultsAndConditionsNameTheSpot) {
  const std::string e = StringErrors(R"(name: t
extends: [networks]
default_networks: [x, linkdn]
rules:
  - id: tweet-only
    kind: terms
    banned: [toot]
    when: {network: twiter}
)");
  EXPECT_NE(e.find("p.yaml:3:23: error: in 'default_networks': unknown network 'linkdn' (did you "
                   "mean 'linkedin'?)"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("p.yaml:8:21: error: in 'when': unknown network 'twiter' (did you mean "
                   "'twitter' (x)?)"),
            std::string::npos)
      << e;
}

TEST(PolicyLoad, NetworksAPolicyDefinesAreKnownToIt) {
  Diagnostics diags;
  auto engine = CompilePolicyString(R"(name: t
networks: {yammer: {length: {unit: code-points, max: 500}}}
default_networks: [yammer, tiktok]
rules: []
)",
                                    "p.yaml", diags);
  EXPECT_NE(engine, nullptr) << diags.ToString();
}

TEST(PolicyErrors, ThePostlintRuleIdPrefixIsReserved) {
  const std::string e = StringErrors(
      "name: t\nrules:\n  - {id: postlint.network-coverage, kind: terms, "
      "banned: [x]}\n");
  EXPECT_NE(e.find("reserved"), std::string::npos) << e;
}

TEST(PolicyLoad, TheShippedDefaultCoversTheMission) {
  Diagnostics diags;
  auto engine = CompilePolicyFile(SourcePath("rules/default.yaml"), diags);
  ASSERT_NE(engine, nullptr) << diags.ToString();
  const Policy& p = engine->policy();
  EXPECT_FALSE(p.default_networks.empty()) << "plain drafts must be checked against networks";
  std::set<std::string> kinds;
  for (const auto& rule : p.rules)
    kinds.insert(rule.kind);
  for (const char* kind : {"length", "hashtags", "lexicon", "detector", "disclosure", "links"})
    EXPECT_TRUE(kinds.count(kind)) << kind;
  EXPECT_TRUE(engine->UsesNetwork()) << "links are checked live by default";
  for (const char* id : {"secrets", "payment-and-identity", "contact-details"})
    EXPECT_NE(p.FindRule(id), nullptr) << id;
}

TEST(PolicyLoad, DiscoversPolicyInParentDirectory) {
  EXPECT_EQ(DiscoverPolicyPath(SourcePath("fixtures/policies/discover/sub/dir")),
            SourcePath("fixtures/policies/discover/postlint.yaml"));
}

TEST(Condition, MatchesPostFields) {
  Condition c;
  c.networks = {"x"};
  c.sponsored = true;
  c.langs = {"en"};
  Post p;
  p.sponsored = true;
  p.lang = "en-GB";
  EXPECT_TRUE(c.Matches(p, "x"));
  EXPECT_FALSE(c.Matches(p, "bluesky"));
  p.sponsored = false;
  EXPECT_FALSE(c.Matches(p, "x"));
  p.sponsored.reset();
  EXPECT_FALSE(c.Matches(p, "x"));  // absent counts as not sponsored
}

}  // namespace
}  // namespace postlint
