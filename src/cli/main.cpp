#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace postlint::cli {

const char* const kExitCodeHelp =
    "Exit codes:\n"
    "  0  every post passed\n"
    "  1  at least one post failed the gate\n"
    "  2  usage, policy or input error (an unreadable post is reported and the rest checked)\n"
    "  3  at least one post needs review and none failed\n"
    "  4  the gate refused the request (approve, waive, revoke: a role without the right,\n"
    "     a post that fails)\n";

}  // namespace postlint::cli

int main(int argc, char** argv) {
  using namespace postlint::cli;
  CLI::App app{"postlint: checks social media posts against your policy (YAML rules)"};
  app.set_version_flag("--version", std::string("postlint ") + POSTLINT_VERSION);
  app.footer(kExitCodeHelp);
  app.require_subcommand(1);
  int exit_code = kExitPass;
  AddCheckCommand(app, exit_code);
  AddAuditCommand(app, exit_code);
  AddServeCommand(app, exit_code);
  AddInspectCommand(app, exit_code);
  AddPolicyCommand(app, exit_code);
  AddRulesCommand(app, exit_code);
  AddGateCommands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitError;
  }
  return exit_code;
}
