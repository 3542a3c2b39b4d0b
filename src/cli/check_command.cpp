// postlint check: the writer's loop and the approval gate's verdict.
#include <iostream>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "engine/batch.h"
#include "io/export_readers.h"
#include "report/reporter.h"

namespace postlint::cli {

void AddCheckCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<CommonOptions>();
  auto format = std::make_shared<std::string>("text");
  auto color = std::make_shared<std::string>("auto");
  auto show_passing = std::make_shared<bool>(false);
  auto offline = std::make_shared<bool>(false);
  auto jobs = std::make_shared<unsigned>(0);
  CLI::App* cmd = app.add_subcommand(
      "check", "Check drafts against the policy and print a report with a verdict per post");
  cmd->add_option("paths", opts->paths,
                  "Draft files (.txt .md .json .jsonl) or directories; '-' or none: stdin");
  cmd->add_option("-p,--policy", opts->policy,
                  "Policy file (default: postlint.yaml or .postlint.yaml here or in a parent "
                  "directory, else the shipped default)");
  cmd->add_option("-f,--format", *format, "Report format")->check(CLI::IsMember(ReporterNames()));
  cmd->add_option("--input-format", opts->input_format,
                  "Input format when it cannot be told from the file name")
      ->check(CLI::IsMember(InputFormatNames()));
  cmd->add_option_function<std::vector<std::string>>(
         "--column", SetCsvColumnsFromSpecs,
         "CSV input: read a post field from this column, e.g. text=Body (repeatable)")
      ->check(CheckColumnSpec, "FIELD=COLUMN");
  cmd->add_option("-n,--network", opts->networks,
                  "Networks to check posts against when a post names none (e.g. x,bluesky)");
  cmd->add_option("--color", *color, "Colour in the text report")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--show-passing", *show_passing, "Text report: also list posts that passed");
  cmd->add_flag("--offline", *offline,
                "No network: links rules answer from their cache only (sets POSTLINT_OFFLINE=1)");
  cmd->add_option("-j,--jobs", *jobs,
                  "Worker threads (default: all cores; output keeps input order)");
  cmd->footer(kExitCodeHelp);
  cmd->callback([opts, format, color, show_passing, offline, jobs, &exit_code] {
    if (*offline)
      setenv("POSTLINT_OFFLINE", "1", 1);  // read by the links rule (before any thread starts)
    auto engine = LoadEngine(opts->policy);
    if (!engine) {
      exit_code = kExitError;
      return;
    }
    ReporterOptions ropts;
    ropts.color = *color == "always" ||
                  (*color == "auto" && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr);
    ropts.show_passing = *show_passing;
    auto reporter = MakeReporter(*format, std::cout, ropts);
    BatchOptions batch;
    batch.jobs = *jobs;
    batch.fallback_networks = ParseNetworkList(opts->networks);
    RunSummary summary;
    bool inputs_ok = true;
    reporter->Begin(engine->info());
    RunBatch(
        *engine, batch,
        [&](const RecordCallback& emit) {
          inputs_ok = ForEachRecord(opts->paths, opts->input_format, emit);
        },
        [&](PostResult&& result) {
          summary.Add(result);
          reporter->Add(result);
        });
    reporter->End(summary);
    std::cout.flush();
    if (!inputs_ok || summary.verdicts[Verdict::kError] > 0) {
      exit_code = kExitError;
    } else if (summary.verdicts[Verdict::kFail] > 0) {
      exit_code = kExitFail;
    } else if (summary.verdicts[Verdict::kReview] > 0) {
      exit_code = kExitReview;
    } else {
      exit_code = kExitPass;
    }
  });
}

}  // namespace postlint::cli
