// postlint policy validate | show; postlint rules list.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "core/utf8.h"
#include "rules/registry.h"
#include "session/check_session.h"
#include "session/policy_tests.h"

namespace postlint::cli {

void AddPolicyTestCommands(CLI::App& policy, int& exit_code);

void AddPolicyCommand(CLI::App& app, int& exit_code) {
  CLI::App* policy = app.add_subcommand("policy", "Work with policy files");
  policy->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  CLI::App* validate = policy->add_subcommand(
      "validate", "Load and compile a policy; print every problem as file:line:col");
  validate->add_option("file", *file, "Policy file (default: the discovered policy)");
  AddPolicyPathOption(validate);
  validate->footer(ExitCodeFooter({kExitPass, kExitError}));
  validate->callback([file, &exit_code] {
    auto engine = LoadEngine(*file);
    if (!engine) {
      exit_code = kExitError;
      return;
    }
    const Policy& p = engine->policy();
    std::cout << "policy '" << p.name << "'" << (p.version.empty() ? "" : " " + p.version)
              << " is valid: " << engine->rules().size() << " rules, " << p.networks.size()
              << " networks, sha256 " << p.sha256.substr(0, 12) << "\n";
    for (const auto& f : p.files)
      std::cout << "  loaded " << f << "\n";
    exit_code = kExitPass;
  });
  AddPolicyTestCommands(*policy, exit_code);
}

namespace {

// Runs the tests beside one policy; prints failures as a diff. Returns the exit code.
int TestPolicy(const std::string& path, bool verbose) {
  Diagnostics diags;
  auto engine = CompilePolicyFile(path, diags, CliCompileOptions());
  if (!engine) {
    std::cerr << diags.ToString() << "postlint: " << path << " does not load; no test ran\n";
    return kExitError;
  }
  const std::string tests_path = PolicyTestsPath(path);
  if (tests_path.empty()) {
    std::cerr << "postlint: " << path << " has no tests (expected "
              << path.substr(0, path.rfind('.')) << ".tests.yaml)\n";
    return kExitError;
  }
  const auto tests = LoadPolicyTests(tests_path, *engine, diags);
  if (!diags.empty()) {
    std::cerr << diags.ToString();
    return kExitError;
  }
  size_t failed = 0;
  for (const auto& o : RunPolicyTests(*engine, tests)) {
    if (o.passed) {
      if (verbose)
        std::cout << "ok    " << o.test->name << "\n";
      continue;
    }
    ++failed;
    std::cout << "FAIL  " << o.test->name << " (" << o.test->file << ":" << o.test->line << ")\n";
    for (const auto& line : o.expected)
      std::cout << "  - " << line << "\n";
    for (const auto& line : o.actual)
      std::cout << "  + " << line << "\n";
  }
  std::cout << path << ": " << (tests.size() - failed) << " passed, " << failed << " failed\n";
  return failed ? kExitFail : kExitPass;
}

std::string YamlOf(const YAML::Node& node) {
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

}  // namespace

void AddPolicyTestCommands(CLI::App& policy, int& exit_code) {
  auto paths = std::make_shared<std::vector<std::string>>();
  auto verbose = std::make_shared<bool>(false);
  CLI::App* test = policy.add_subcommand(
      "test", "Run the test cases beside each policy (<policy>.tests.yaml); failures as a diff");
  test->add_option("policies", *paths, "Policy files (default: the discovered policy)");
  test->add_flag("-v,--verbose", *verbose, "Also list passing tests");
  AddPolicyPathOption(test);
  test->footer(
      "Exit codes:\n  0  every test case passed\n  1  a test case failed\n  2  a policy or its "
      "tests file cannot be loaded, or there is no test case at all\n");
  test->callback([paths, verbose, &exit_code] {
    std::vector<std::string> list = *paths;
    if (list.empty())
      list.push_back(DiscoverPolicyPath("."));
    exit_code = kExitPass;
    for (const auto& p : list) {
      const int code = TestPolicy(p, *verbose);
      if (code == kExitError || (code == kExitFail && exit_code != kExitError))
        exit_code = code;
    }
  });

  auto rule_id = std::make_shared<std::string>();
  auto policy_path = std::make_shared<std::string>();
  CLI::App* explain = policy.add_subcommand(
      "explain",
      "Show a rule of the policy: kind, level, message, conditions, roles, options, example");
  explain->add_option("rule", *rule_id, "Rule id")->required();
  explain->add_option("-p,--policy", *policy_path, "Policy file (default: discovered)");
  AddPolicyPathOption(explain);
  explain->footer(ExitCodeFooter({kExitPass, kExitError}));
  explain->callback([rule_id, policy_path, &exit_code] {
    auto engine = LoadEngine(*policy_path);
    if (!engine) {
      exit_code = kExitError;
      return;
    }
    std::vector<std::string> ids;
    for (const auto& rule : engine->rules()) {
      const RuleSpec& spec = rule->spec();
      ids.push_back(spec.id);
      if (spec.id != *rule_id)
        continue;
      const RuleKindInfo* kind = FindRuleKind(spec.kind);
      std::cout << spec.id << "\n  kind:        " << spec.kind
                << (kind ? " (" + std::string(kind->summary) + ")" : "")
                << "\n  level:       " << ToString(spec.level) << " -> verdict "
                << ToString(engine->policy().gate.at(spec.level)) << "\n";
      if (!spec.description.empty())
        std::cout << "  description: " << spec.description << "\n";
      if (!spec.message.empty())
        std::cout << "  message:     " << spec.message << "\n";
      if (!spec.when.empty() && spec.node["when"]) {
        std::cout << "  when:        " << YamlOf(spec.node["when"]) << "\n";
      }
      // Who handles this rule's findings at the gate (docs/gate.md).
      const Policy& gate_policy = engine->policy();
      auto roles = [](const std::vector<std::string>& names) {
        return names.empty() ? std::string("(none)") : Join(names);
      };
      if (gate_policy.gate.at(spec.level) == Verdict::kReview) {
        std::cout << "  review by:   " << roles(gate_policy.ReviewRoles(spec.id, spec.level))
                  << (spec.review_by ? "" : " (the level's default)") << "\n";
      }
      std::cout << "  waivable by: " << roles(gate_policy.WaiverRoles(spec.id, spec.level))
                << (spec.waivable_by ? "" : " (the level's default)") << "\n";
      std::cout << "  defined at:  " << spec.location.file << ":" << spec.location.line << "\n";
      std::cout << "  options:\n";
      for (auto it = spec.node.begin(); it != spec.node.end(); ++it) {
        const std::string key = it->first.as<std::string>("");
        const auto& common = CommonRuleKeys();
        if (std::find(common.begin(), common.end(), key) != common.end())
          continue;
        std::string value = YamlOf(it->second);
        if (value.size() > 200)
          value = value.substr(0, 200) + "...";
        std::cout << "    " << key << ": " << value << "\n";
      }
      std::cout << "  docs:        docs/rules/" << spec.kind << ".md\n";
      for (const auto& file : engine->policy().files) {
        const std::string tests = PolicyTestsPath(file);
        if (tests.empty())
          continue;
        Diagnostics diags;
        bool shown = false;
        for (const auto& t : LoadPolicyTests(tests, *engine, diags)) {
          if (std::find(t.expect.begin(), t.expect.end(), spec.id) == t.expect.end())
            continue;
          SessionOptions example;
          example.check.live_checks = false;
          const PostResult r = CheckSession(*engine, example).Check(t.post);
          std::cout << "  example:     \"" << t.post.text.substr(0, 120) << "\"\n";
          for (const auto& f : r.findings) {
            if (f.rule == spec.id)
              std::cout << "               -> " << f.message << "\n";
          }
          shown = true;
          break;
        }
        if (shown)
          break;
      }
      exit_code = kExitPass;
      return;
    }
    std::cerr << "postlint: no enabled rule '" << *rule_id << "' in policy "
              << engine->policy().name << DidYouMean(*rule_id, ids) << "\n";
    exit_code = kExitError;
  });
}

void AddRulesCommand(CLI::App& app, int& exit_code) {
  CLI::App* rules = app.add_subcommand("rules", "List the rule kinds postlint knows");
  rules->footer("Exit codes:\n  0  always\n");
  rules->callback([&exit_code] {
    for (const auto& k : RuleKinds()) {
      std::cout << k.id << std::string(k.id.size() < 14 ? 14 - k.id.size() : 1, ' ') << k.summary
                << "\n";
    }
    exit_code = kExitPass;
  });
}

}  // namespace postlint::cli
