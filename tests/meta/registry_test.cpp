// Keeps the four touches of a rule kind consistent: every registered kind has a doc page that
// starts with its summary and documents every option the kind reads, and ids are kebab-case.
#include "rules/registry.h"

#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "policy/policy.h"
#include "support/rule_harness.h"

namespace postlint {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The options a kind reads, collected by constructing it with no options at all.
std::vector<OptionDoc> DocumentedOptions(const RuleKindInfo& kind) {
  RuleSpec spec;
  spec.id = "doc";
  spec.kind = std::string(kind.id);
  spec.node = YAML::Load("{id: doc, kind: " + spec.kind + "}");
  Policy policy;
  RuleOptions options(spec.node, "doc.yaml", "doc", /*diags=*/nullptr, {});
  const CompileOptions compile;
  RuleInit init{spec, policy, options, compile, {}, {}};
  auto rule = kind.factory(init);
  return options.documented();
}

TEST(Registry, KindIdsAreKebabCaseAndSorted) {
  std::string previous;
  for (const auto& k : RuleKinds()) {
    EXPECT_TRUE(std::regex_match(std::string(k.id), std::regex("[a-z][a-z0-9]*(-[a-z0-9]+)*")))
        << k.id;
    EXPECT_LT(previous, std::string(k.id)) << "rule_kinds.def must stay sorted by id";
    previous = std::string(k.id);
    EXPECT_FALSE(k.summary.empty());
  }
  EXPECT_GE(RuleKinds().size(), 5u);
}

TEST(Registry, EveryKindHasADocPageListingItsOptions) {
  for (const auto& k : RuleKinds()) {
    SCOPED_TRACE(std::string(k.id));
    const std::string page =
        ReadFile(testing::SourcePath("docs/rules/" + std::string(k.id) + ".md"));
    ASSERT_FALSE(page.empty()) << "missing docs/rules/" << k.id << ".md";
    EXPECT_EQ(page.rfind("# " + std::string(k.id), 0), 0u) << "page must start with '# <id>'";
    EXPECT_NE(page.find(std::string(k.summary)), std::string::npos)
        << "page must contain the kind's summary from rule_kinds.def";
    const auto options_at = page.find("## Options");
    ASSERT_NE(options_at, std::string::npos) << "page needs an '## Options' section";
    const std::string options_section = page.substr(options_at);
    for (const auto& option : DocumentedOptions(k)) {
      EXPECT_NE(options_section.find("`" + option.name + "`"), std::string::npos)
          << "option '" << option.name << "' is not documented";
    }
    for (const char* section :
         {"## What it catches", "## What it leaves alone", "## Limitations"}) {
      EXPECT_NE(page.find(section), std::string::npos) << "missing section " << section;
    }
  }
}

TEST(Registry, DocsIndexListsEveryKind) {
  const std::string index = ReadFile(testing::SourcePath("docs/rules/index.md"));
  for (const auto& k : RuleKinds()) {
    EXPECT_NE(index.find("[" + std::string(k.id) + "]"), std::string::npos) << k.id;
  }
}

}  // namespace
}  // namespace postlint
