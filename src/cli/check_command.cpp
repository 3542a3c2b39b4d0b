// postlint check (the writer's loop) and postlint gate (the same check, recorded as a decision).
#include <filesystem>
#include <iostream>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "core/clock.h"
#include "gate/gate.h"
#include "gate/recording.h"
#include "io/export_readers.h"
#include "report/reporter.h"
#include "session/check_session.h"

namespace postlint::cli {

namespace {

struct CheckCommandOptions {
  CommonOptions common;
  std::string format = "text";
  std::string color = "auto";
  bool show_passing = false;
  unsigned jobs = 0;
  std::string db;
  std::string actor;
  bool record = false;  // `gate`: append each decision to the decision log
};

void RunCheck(const CheckCommandOptions& opts, int& exit_code) {
  auto engine = LoadEngine(opts.common.policy);
  if (!engine) {
    exit_code = kExitError;
    return;
  }
  const std::optional<CheckOptions> check = MakeCheckOptions(opts.common, *engine);
  if (!check) {
    exit_code = kExitError;
    return;
  }
  // `check` reads the team's waivers and approvals when there is a log; `gate` needs one.
  TeamLog team = OpenTeamLog(opts.db, /*create=*/opts.record);
  if (!team.ok) {
    exit_code = kExitError;
    return;
  }
  DecisionRecorder recorder(opts.record ? team.log.get() : nullptr);
  SessionOptions session_options;
  session_options.check = *check;
  std::string untrusted;
  session_options.gate = GateStateSource(team.log.get()).Current(&untrusted);
  if (!session_options.gate) {
    std::cerr << "postlint: " << untrusted << "\n";
    exit_code = kExitError;
    return;
  }
  session_options.recorder = opts.record ? &recorder : nullptr;
  session_options.actor = opts.actor.empty() ? DefaultActor() : opts.actor;
  const CheckSession session(*engine, session_options);

  ReporterOptions ropts;
  ropts.color = opts.color == "always" || (opts.color == "auto" && isatty(STDOUT_FILENO) &&
                                           std::getenv("NO_COLOR") == nullptr);
  ropts.show_passing = opts.show_passing;
  auto reporter = MakeReporter(opts.format, std::cout, ropts);
  BatchOptions batch;
  batch.jobs = opts.jobs;
  const ReadOptions read = MakeReadOptions(opts.common);
  RunSummary summary;
  InputSummary inputs;
  reporter->Begin(engine->info());
  session.Run(
      batch,
      [&](const RecordCallback& emit) { inputs = ForEachRecord(opts.common.paths, read, emit); },
      [&](PostResult&& result) {
        summary.Add(result);
        reporter->Add(result);
      });
  reporter->End(summary);
  std::cout.flush();
  if (!recorder.Flush())
    std::cerr << "postlint: cannot record decisions: " << recorder.error() << "\n";
  if (opts.record && recorder.last() > 0 && opts.format == "text") {
    std::cerr << "postlint: recorded decision" << (recorder.first() == recorder.last() ? " " : "s ")
              << recorder.first()
              << (recorder.first() == recorder.last() ? "" : "-" + std::to_string(recorder.last()))
              << " in " << team.path << "\n";
  }
  if (recorder.failed())
    inputs.ok = false;
  exit_code = ExitCodeFor(summary, inputs);
}

CLI::App* AddCheckLikeCommand(CLI::App& app, int& exit_code, const std::string& name,
                              const std::string& description, bool record) {
  auto opts = std::make_shared<CheckCommandOptions>();
  opts->record = record;
  CLI::App* cmd = app.add_subcommand(name, description);
  cmd->add_option("paths", opts->common.paths,
                  "Draft files (.txt .md .json .jsonl) or directories; '-' or none: stdin");
  cmd->add_option("-p,--policy", opts->common.policy,
                  "Policy file (default: postlint.yaml or .postlint.yaml here or in a parent "
                  "directory, else the shipped default)");
  AddPolicyPathOption(cmd);
  cmd->add_option("-f,--format", opts->format, "Report format")
      ->check(CLI::IsMember(ReporterNames()));
  AddInputOptions(cmd, opts->common);
  cmd->add_option("--color", opts->color, "Colour in the text report")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--show-passing", opts->show_passing, "Text report: also list posts that passed");
  cmd->add_flag("--offline", opts->common.offline,
                "No network: live link checks answer from the cache only; links not in it are "
                "'unverifiable' (also POSTLINT_OFFLINE=1)");
  cmd->add_option("-j,--jobs", opts->jobs,
                  "Worker threads (default: all cores; output keeps input order)");
  cmd->add_option("--db", opts->db,
                  "Decision log with the team's waivers and approvals (default: $POSTLINT_DB, "
                  "else ~/.local/state/postlint/decisions.db)");
  if (record) {
    cmd->add_option("--as", opts->actor,
                    "Who is recording the decisions (default: $POSTLINT_ACTOR, else $USER)");
  }
  cmd->footer(ExitCodeFooter({kExitPass, kExitFail, kExitError, kExitReview}) +
              "Nothing checked (exit 2): no input, a directory without drafts, an empty post, an "
              "unknown network.\n");
  cmd->callback([opts, &exit_code] { RunCheck(*opts, exit_code); });
  return cmd;
}

}  // namespace

void AddCheckCommand(CLI::App& app, int& exit_code) {
  AddCheckLikeCommand(app, exit_code, "check",
                      "Check drafts against the policy and print a report with a verdict per post "
                      "(waivers and approvals in the decision log apply)",
                      /*record=*/false);
  AddCheckLikeCommand(app, exit_code, "gate",
                      "Check posts as the approval gate: like check, and record each verdict in "
                      "the decision log (see docs/gate.md)",
                      /*record=*/true);
}

}  // namespace postlint::cli
