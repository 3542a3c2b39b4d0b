// Plumbing shared by the commands: policy loading with error printing, input options, input
// iteration, exit codes.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "engine/engine.h"
#include "gate/decision_log.h"
#include "io/post_reader.h"

namespace CLI {
class App;
}

namespace postlint::cli {

// Resolves the policy path (explicit, discovered, or shipped default), compiles it (with
// PolicyLoadOptionsFromCli()), and prints every problem to stderr. Returns nullptr on failure.
std::shared_ptr<const Engine> LoadEngine(const std::string& explicit_policy);

// Adds --policy-path DIR (repeatable) to a command that loads a policy: a directory whose
// files `extends` may read, after those of $POSTLINT_POLICY_PATH.
void AddPolicyPathOption(CLI::App* cmd);

// Where `extends` may read besides the shipped packs and the extending file's own directory:
// the directories of $POSTLINT_POLICY_PATH (colon-separated), then each --policy-path.
PolicyLoadOptions PolicyLoadOptionsFromCli();

// CompileOptions for the command line: PolicyLoadOptionsFromCli() and nothing strict.
CompileOptions CliCompileOptions();

// The team's decision log for a command: --db, else $POSTLINT_DB, else the default path. With
// `create` (gate, approve, waive) it is created when missing; otherwise an absent default log
// means "no log" and an unreadable one is reported and skipped (an explicit --db must open).
// `ok` is false, with the problem printed, when the command cannot go on.
struct TeamLog {
  std::unique_ptr<DecisionLog> log;
  std::string path;
  bool ok = true;
};
TeamLog OpenTeamLog(const std::string& db_option, bool create);

// Adds the options that say how to read inputs: --input-format, --column, --date-order and,
// with `networks`, -n/--network. They fill `opts`.
void AddInputOptions(CLI::App* cmd, CommonOptions& opts, bool networks = true);

// The reader settings `opts` asks for.
ReadOptions MakeReadOptions(const CommonOptions& opts);

// The check settings `opts` asks for under `engine`'s policy: --network validated against the
// policy's networks (a name it does not know is printed with a suggestion, and nullopt is
// returned), --offline or POSTLINT_OFFLINE=1. When live checks will be skipped, says so once on
// stderr.
std::optional<CheckOptions> MakeCheckOptions(const CommonOptions& opts, const Engine& engine);

// What reading the inputs found.
struct InputSummary {
  bool ok = true;        // every path existed and every record could be read
  uint64_t inputs = 0;   // files (and standard input) read
  uint64_t records = 0;  // posts and unreadable records
};

// Reads every record from `paths` (standard input when empty) in order. Paths that do not
// exist, directories without a single draft, and unreadable records make `ok` false (each is
// reported on stderr or through `emit`); reader warnings are printed on stderr once.
InputSummary ForEachRecord(const std::vector<std::string>& paths, const ReadOptions& options,
                           const std::function<void(InputRecord&&)>& emit);

// The exit code of a run that checked posts: 2 when an input could not be read (or an unreadable
// record was reported) or when nothing was checked at all, else 1 when a post failed, 3 when
// one needs review, 0 when all passed. Prints why when nothing was checked.
int ExitCodeFor(const RunSummary& summary, const InputSummary& inputs);

// Splits "x,bluesky" and repeated flags into canonical network names.
std::vector<std::string> ParseNetworkList(const std::vector<std::string>& values);

// Makes every option of `app` and its subcommands take exactly one value per occurrence, so an
// option never swallows the paths after it (`--network x,bluesky draft.txt`). Lists come as
// commas or repeated flags. Call once the whole command line is declared.
void TakeOneValuePerOption(CLI::App& app);

// Exit code help for a command's --help: only the codes it can return.
std::string ExitCodeFooter(const std::vector<int>& codes);

// The message for a command line CLI11 refused, with "did you mean" for mistyped options and
// subcommands; empty when CLI11's own message is as good.
std::string DescribeParseError(CLI::App& app, const std::string& what,
                               const std::vector<std::string>& args);

}  // namespace postlint::cli
