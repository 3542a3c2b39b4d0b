// The command-line front end: the only code that prints or chooses exit codes.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace postlint::cli {

// Exit codes, stable and documented (README, --help, docs/cli.md).
enum ExitCode : int {
  kExitPass = 0,     // every post passed
  kExitFail = 1,     // at least one post failed the gate
  kExitError = 2,    // usage, policy or input error (incl. an unreadable post)
  kExitReview = 3,   // at least one post needs review and none failed
  kExitRefused = 4,  // the gate refused an approval, waiver or revocation (role, state)
};

// Options shared by commands that load a policy and read posts.
struct CommonOptions {
  std::string policy;
  std::vector<std::string> paths;
  std::string input_format = "auto";
  std::vector<std::string> networks;  // networks for posts that name none (before the policy's)
  std::vector<std::string> columns;   // --column FIELD=COLUMN (CSV)
  std::string date_order;             // --date-order dmy|mdy (CSV)
  bool offline = false;               // --offline
};

void AddCheckCommand(CLI::App& app, int& exit_code);
void AddAuditCommand(CLI::App& app, int& exit_code);
void AddServeCommand(CLI::App& app, int& exit_code);
void AddInspectCommand(CLI::App& app, int& exit_code);
void AddPolicyCommand(CLI::App& app, int& exit_code);
void AddRulesCommand(CLI::App& app, int& exit_code);
// approve, waive, revoke, waivers, log (+ verify), queue.
void AddGateCommands(CLI::App& app, int& exit_code);

}  // namespace postlint::cli
