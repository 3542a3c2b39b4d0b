// postlint policy validate | show; postlint rules list.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "rules/registry.h"

namespace postlint::cli {

void AddPolicyCommand(CLI::App& app, int& exit_code) {
  CLI::App* policy = app.add_subcommand("policy", "Work with policy files");
  policy->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  CLI::App* validate = policy->add_subcommand(
      "validate", "Load and compile a policy; print every problem as file:line:col");
  validate->add_option("file", *file, "Policy file (default: the discovered policy)");
  validate->footer(kExitCodeHelp);
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
}

void AddRulesCommand(CLI::App& app, int& exit_code) {
  CLI::App* rules = app.add_subcommand("rules", "List the rule kinds postlint knows");
  rules->callback([&exit_code] {
    for (const auto& k : RuleKinds()) {
      std::cout << k.id << std::string(k.id.size() < 14 ? 14 - k.id.size() : 1, ' ') << k.summary
                << "\n";
    }
    exit_code = kExitPass;
  });
}

}  // namespace postlint::cli
