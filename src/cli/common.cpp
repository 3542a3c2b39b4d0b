#include "cli/common.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "core/diagnostics.h"
#include "core/networks.h"
#include "core/utf8.h"
#include "io/export_readers.h"
#include "io/post_fields.h"

namespace postlint::cli {

namespace {

// --policy-path values of the one command that runs.
std::vector<std::string>& PolicyPathFlags() {
  static std::vector<std::string> dirs;
  return dirs;
}

}  // namespace

void AddPolicyPathOption(CLI::App* cmd) {
  cmd->add_option("--policy-path", PolicyPathFlags(),
                  "Directory whose policy files 'extends' may read (repeatable; after "
                  "$POSTLINT_POLICY_PATH). Shipped packs and files under the policy's own "
                  "directory are always allowed");
}

PolicyLoadOptions PolicyLoadOptionsFromCli() {
  PolicyLoadOptions options;
  if (const char* env = std::getenv("POSTLINT_POLICY_PATH"); env != nullptr)
    options.policy_path = SplitPolicyPath(env);
  for (const auto& dir : PolicyPathFlags())
    options.policy_path.push_back(dir);
  return options;
}

CompileOptions CliCompileOptions() {
  CompileOptions compile;
  compile.load = PolicyLoadOptionsFromCli();
  return compile;
}

std::shared_ptr<const Engine> LoadEngine(const std::string& explicit_policy) {
  const std::string path = explicit_policy.empty()
                               ? DiscoverPolicyPath(std::filesystem::current_path().string())
                               : explicit_policy;
  Diagnostics diags;
  auto engine = CompilePolicyFile(path, diags, CliCompileOptions());
  if (!engine) {
    std::cerr << diags.ToString();
    std::cerr << "postlint: policy " << path << " has " << diags.size() << " problem"
              << (diags.size() == 1 ? "" : "s") << "; nothing was checked\n";
  }
  return engine;
}

TeamLog OpenTeamLog(const std::string& db_option, bool create) {
  TeamLog team;
  team.path = db_option.empty() ? DecisionLog::DefaultPath() : db_option;
  std::string error;
  std::error_code ec;
  if (create) {
    team.log = DecisionLog::Open(team.path, DecisionLog::kCreate, &error);
  } else if (!db_option.empty() || std::filesystem::exists(team.path, ec)) {
    team.log = DecisionLog::Open(team.path, DecisionLog::kReadOnly, &error);
  }
  if (!team.log && !error.empty()) {
    std::cerr << "postlint: " << error << "\n";
    if (create || !db_option.empty()) {
      team.ok = false;
      return team;
    }
    std::cerr << "postlint: checking without waivers and approvals\n";
  }
  return team;
}

void AddInputOptions(CLI::App* cmd, CommonOptions& opts, bool networks) {
  cmd->add_option("--input-format", opts.input_format,
                  "Input format when it cannot be told from the file name")
      ->check(CLI::IsMember(InputFormatNames()));
  cmd->add_option("--column", opts.columns,
                  "CSV input: read a post field from this column, e.g. text=Body (repeatable)")
      ->check(CheckColumnSpec, "FIELD=COLUMN");
  cmd->add_option("--date-order", opts.date_order,
                  "CSV input: read dates such as 04/03/2026 day first (dmy) or month first "
                  "(mdy); default: each file decides from a date that reads one way only")
      ->check(CLI::IsMember({"dmy", "mdy"}));
  if (networks) {
    cmd->add_option("-n,--network", opts.networks,
                    "Networks to check posts against when a post names none, before the "
                    "policy's default_networks (x,bluesky or repeated)");
  }
}

ReadOptions MakeReadOptions(const CommonOptions& opts) {
  ReadOptions options;
  options.format = ParseInputFormat(opts.input_format).value_or(InputFormat::kAuto);
  ParseColumnMappings(opts.columns, &options.csv_columns);  // validated by CLI11 already
  if (opts.date_order == "dmy")
    options.date_order = DateOrder::kDayFirst;
  else if (opts.date_order == "mdy")
    options.date_order = DateOrder::kMonthFirst;
  return options;
}

std::optional<CheckOptions> MakeCheckOptions(const CommonOptions& opts, const Engine& engine) {
  CheckOptions options;
  for (const auto& n : ParseNetworkList(opts.networks)) {
    if (auto problem = engine.policy().UnknownNetworkProblem(n)) {
      std::cerr << "postlint: --network: " << *problem << "\n";
      return std::nullopt;
    }
    options.fallback_networks.push_back(n);
  }
  const char* env = std::getenv("POSTLINT_OFFLINE");
  options.offline = opts.offline || (env != nullptr && *env && std::string_view(env) != "0");
  if (options.offline && engine.UsesNetwork()) {
    std::cerr << "postlint: offline: live link checks skipped; links without a cached result are "
                 "reported 'unverifiable'\n";
  }
  return options;
}

InputSummary ForEachRecord(const std::vector<std::string>& paths, const ReadOptions& options,
                           const std::function<void(InputRecord&&)>& emit) {
  InputSummary summary;
  std::vector<std::string> inputs = paths;
  if (inputs.empty()) {
    inputs.push_back("-");
    if (isatty(STDIN_FILENO)) {
      std::cerr << "postlint: reading a post from standard input (end with Ctrl-D); "
                   "pass file or directory paths to check drafts\n";
    }
  }
  for (const std::string& input : inputs) {
    std::vector<std::string> missing;
    const std::vector<std::string> files = ExpandInputPaths({input}, &missing);
    for (const auto& m : missing) {
      std::cerr << "postlint: " << m << ": no such file or directory\n";
      summary.ok = false;
    }
    if (missing.empty() && files.empty()) {
      // A directory without a single draft: nothing to check is not a pass.
      std::cerr << "postlint: " << input
                << ": no posts found (looked for .txt .md .markdown .json .jsonl .ndjson .csv "
                   "and export archives, hidden entries skipped)\n";
      summary.ok = false;
    }
    for (const auto& file : files) {
      ++summary.inputs;
      ReadPosts(file, options, [&](InputRecord&& record) {
        if (const auto* warning = std::get_if<ReadWarning>(&record)) {
          std::cerr << "postlint: " << warning->source;
          if (warning->line > 0)
            std::cerr << ":" << warning->line;
          std::cerr << ": warning: " << warning->message << "\n";
          return;
        }
        if (std::holds_alternative<ReadError>(record))
          summary.ok = false;
        ++summary.records;
        emit(std::move(record));
      });
    }
  }
  return summary;
}

int ExitCodeFor(const RunSummary& summary, const InputSummary& inputs) {
  auto count = [&](Verdict v) {
    const auto it = summary.verdicts.find(v);
    return it == summary.verdicts.end() ? uint64_t{0} : it->second;
  };
  if (summary.posts == 0) {
    if (summary.skipped > 0) {
      std::cerr << "postlint: nothing was checked: all " << summary.skipped
                << " posts were left out by the filters\n";
    } else if (inputs.ok) {
      std::cerr << "postlint: nothing was checked: the input holds no posts\n";
    }
    return kExitError;
  }
  if (!inputs.ok || count(Verdict::kError) > 0)
    return kExitError;
  if (count(Verdict::kFail) > 0)
    return kExitFail;
  return count(Verdict::kReview) > 0 ? kExitReview : kExitPass;
}

std::vector<std::string> ParseNetworkList(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    for (auto& n : SplitNetworkList(v)) {
      if (std::find(out.begin(), out.end(), n) == out.end())
        out.push_back(std::move(n));
    }
  }
  return out;
}

void TakeOneValuePerOption(CLI::App& app) {
  for (CLI::Option* opt : app.get_options()) {
    if (!opt->get_positional() && opt->get_items_expected_max() > 1) {
      opt->allow_extra_args(false)->expected(1)->multi_option_policy(
          CLI::MultiOptionPolicy::TakeAll);
    }
  }
  for (CLI::App* sub : app.get_subcommands({}))
    TakeOneValuePerOption(*sub);
}

std::string ExitCodeFooter(const std::vector<int>& codes) {
  static const std::pair<int, const char*> kMeaning[] = {
      {kExitPass, "every post passed"},
      {kExitFail, "at least one post failed the gate"},
      {kExitError,
       "usage, policy or input error, or nothing was checked (an unreadable post is reported "
       "and the rest checked)"},
      {kExitReview, "at least one post needs review and none failed"},
      {kExitRefused, "the gate refused the request (a role without the right, a post that fails)"},
  };
  std::string out = "Exit codes:\n";
  for (int code : codes) {
    for (const auto& [c, meaning] : kMeaning) {
      if (c == code)
        out += "  " + std::to_string(c) + "  " + meaning + "\n";
    }
  }
  return out;
}

namespace {

std::vector<std::string> OptionSpellings(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : app.get_options()) {
    for (const auto& l : opt->get_lnames())
      out.push_back("--" + l);
    for (const auto& s : opt->get_snames())
      out.push_back("-" + s);
  }
  return out;
}

std::vector<std::string> SubcommandNames(CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::App* sub : app.get_subcommands({}))
    out.push_back(sub->get_name());
  return out;
}

}  // namespace

std::string DescribeParseError(CLI::App& app, const std::string& what,
                               const std::vector<std::string>& args) {
  // Follow the subcommands named on the line, as CLI11 did.
  CLI::App* current = &app;
  std::string path = "postlint";
  bool options_done = false;
  for (const std::string& arg : args) {
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && arg.size() > 1 && arg[0] == '-') {
      const std::string name = arg.substr(0, arg.find('='));
      const std::vector<std::string> known = OptionSpellings(*current);
      auto is_known = [&](const std::string& n) {
        return std::find(known.begin(), known.end(), n) != known.end();
      };
      // "-nx" is "-n x".
      const bool short_with_value = arg.size() > 2 && arg[1] != '-' && is_known(arg.substr(0, 2));
      if (is_known(name) || short_with_value || name == "--help" || name == "-h" ||
          name == "--version") {
        continue;
      }
      std::string message = path + ": unknown option '" + name + "'";
      const std::string closest = SuggestClosest(name, known);
      if (!closest.empty())
        message += " (did you mean '" + closest + "'?)";
      return message + "; see '" + path + " --help'";
    }
    CLI::App* sub = nullptr;
    for (CLI::App* candidate : current->get_subcommands({})) {
      if (candidate->get_name() == arg)
        sub = candidate;
    }
    if (sub != nullptr) {
      current = sub;
      path += " " + arg;
      continue;
    }
    if (current == &app || (current->get_require_subcommand_min() > 0)) {
      const std::vector<std::string> names = SubcommandNames(*current);
      std::string message = path + ": unknown command '" + arg + "'";
      const std::string closest = SuggestClosest(arg, names);
      if (!closest.empty())
        message += " (did you mean '" + closest + "'?)";
      return message + "; commands: " + Join(names);
    }
  }
  (void)what;
  return {};
}

}  // namespace postlint::cli
