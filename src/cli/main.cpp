#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/common.h"

int main(int argc, char** argv) {
  using namespace postlint::cli;
  CLI::App app{"postlint: checks social media posts against your policy (YAML rules)"};
  app.set_version_flag("--version", std::string("postlint ") + POSTLINT_VERSION);
  app.footer(ExitCodeFooter({kExitPass, kExitFail, kExitError, kExitReview, kExitRefused}) +
             "Each command's --help lists the codes it returns; docs/cli.md has them all.\n");
  app.require_subcommand(1);
  int exit_code = kExitPass;
  AddCheckCommand(app, exit_code);
  AddAuditCommand(app, exit_code);
  AddServeCommand(app, exit_code);
  AddInspectCommand(app, exit_code);
  AddPolicyCommand(app, exit_code);
  AddRulesCommand(app, exit_code);
  AddGateCommands(app, exit_code);
  TakeOneValuePerOption(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0 && (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr ||
                                   dynamic_cast<const CLI::RequiredError*>(&e) != nullptr)) {
      const std::vector<std::string> args(argv + 1, argv + argc);
      const std::string better = DescribeParseError(app, e.what(), args);
      if (!better.empty()) {
        std::cerr << better << "\n";
        return kExitError;
      }
    }
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitError;
  }
  return exit_code;
}
