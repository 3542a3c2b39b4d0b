#include "support/rule_harness.h"

#include <sstream>

#include <gtest/gtest.h>

namespace postlint::testing {

std::string SourcePath(const std::string& relative) {
  return std::string(POSTLINT_SOURCE_ROOT) + "/" + relative;
}

Post MakePost(const std::string& text, std::vector<std::string> networks) {
  Post p;
  p.id = "test";
  p.source = "test.txt";
  p.text = text;
  p.networks = std::move(networks);
  return p;
}

namespace {

std::string PolicyYaml(const std::string& kind, const std::string& options_yaml,
                       const std::string& level) {
  std::ostringstream yaml;
  yaml << "name: test\nextends: [" << SourcePath("rules/networks.yaml") << "]\nrules:\n"
       << "  - id: under-test\n    kind: " << kind << "\n    level: " << level << "\n";
  // Options may be given flow style ("banned: [x]") or as several block lines.
  std::istringstream lines(options_yaml);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty())
      yaml << "    " << line << "\n";
  }
  return yaml.str();
}

}  // namespace

std::shared_ptr<const Engine> CompileRule(const std::string& kind, const std::string& options_yaml,
                                          const std::string& level) {
  Diagnostics diags;
  auto engine = CompilePolicyString(PolicyYaml(kind, options_yaml, level), "test.yaml", diags);
  EXPECT_TRUE(engine != nullptr) << diags.ToString();
  return engine;
}

std::vector<Finding> RunRule(const std::string& kind, const std::string& options_yaml,
                             const Post& post, const CheckOptions& check) {
  auto engine = CompileRule(kind, options_yaml);
  if (!engine)
    return {};
  // The rule's own findings: what the engine adds (postlint.network-coverage) is tested in
  // tests/engine.
  std::vector<Finding> findings = engine->Check(post, check).findings;
  std::erase_if(findings, [](const Finding& f) { return f.rule != "under-test"; });
  return findings;
}

std::vector<Finding> RunRule(const std::string& kind, const std::string& options_yaml,
                             const std::string& text, std::vector<std::string> networks) {
  return RunRule(kind, options_yaml, MakePost(text, std::move(networks)));
}

std::string RuleErrors(const std::string& kind, const std::string& options_yaml) {
  Diagnostics diags;
  auto engine = CompilePolicyString(PolicyYaml(kind, options_yaml, "warning"), "test.yaml", diags);
  EXPECT_TRUE(engine == nullptr) << "policy compiled, but errors were expected";
  return diags.ToString();
}

std::string Covered(const std::string& text, const Finding& f) {
  return text.substr(f.range.begin, f.range.size());
}

std::string Covered(const Post& post, const Finding& f) {
  return Covered(post.text, f);
}

}  // namespace postlint::testing
