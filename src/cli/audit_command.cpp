// postlint audit: a compliance officer's batch over past posts, on every core, with a progress
// bar, date filters and reports for people (summary) and machines (SARIF, JUnit, CSV, JSONL).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "core/clock.h"
#include "gate/recording.h"
#include "io/export_readers.h"
#include "report/audit_summary.h"
#include "report/reporter.h"
#include "report/sampler.h"
#include "session/check_session.h"

namespace postlint::cli {

namespace {

// "2026-03-14T10:00:00Z" -> "2026-03-14"; empty when not an ISO date.
std::string IsoDay(const std::string& s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-')
    return "";
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i])))
      return "";
  }
  return s.substr(0, 10);
}

// Progress on stderr: posts, rate, ETA (estimated from input bytes) and findings so far.
class Progress {
 public:
  Progress(bool enabled, uint64_t input_bytes) : enabled_(enabled), input_bytes_(input_bytes) {}

  void Update(const PostResult& r) {
    ++posts_;
    findings_ += r.findings.size();
    bytes_ += r.post.text.size() + 120;  // rough size of the record around its text
    if (!enabled_)
      return;
    const auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(100))
      return;
    last_ = now;
    Print(now, false);
  }

  void Finish() {
    if (enabled_)
      Print(Clock::now(), true);
  }

 private:
  using Clock = std::chrono::steady_clock;

  void Print(Clock::time_point now, bool final) {
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(posts_) / seconds : 0;
    char eta[32] = "";
    if (!final && input_bytes_ > bytes_ && bytes_ > 0 && rate > 0) {
      const double left =
          seconds * static_cast<double>(input_bytes_ - bytes_) / static_cast<double>(bytes_);
      std::snprintf(eta, sizeof eta, "  ETA ~%d:%02d", static_cast<int>(left) / 60,
                    static_cast<int>(left) % 60);
    }
    std::fprintf(stderr, "\r\033[K%llu posts  %.0f posts/s%s  %llu findings%s",
                 static_cast<unsigned long long>(posts_), rate, eta,
                 static_cast<unsigned long long>(findings_), final ? "\n" : "");
    std::fflush(stderr);
  }

  bool enabled_;
  uint64_t input_bytes_;
  uint64_t posts_ = 0, findings_ = 0, bytes_ = 0;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_{};
};

}  // namespace

void AddAuditCommand(CLI::App& app, int& exit_code) {
  struct Options : CommonOptions {
    std::string format = "summary";
    std::string output;
    std::string summary_json;
    std::string since, until;
    std::string progress = "auto";
    unsigned jobs = 0;
    size_t sample = 0;
    uint64_t seed = 1;
    std::string db;
  };
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "audit", "Audit past posts in bulk: parallel, streaming, with summaries and CI reports");
  cmd->add_option("paths", opts->paths, "Post files or directories; '-' or none: stdin");
  cmd->add_option("-p,--policy", opts->policy, "Policy file (default: discovered or shipped)");
  AddPolicyPathOption(cmd);
  cmd->add_option("-f,--format", opts->format, "Report format")
      ->check(CLI::IsMember(ReporterNames()));
  cmd->add_option("-o,--output", opts->output, "Write the report to this file (default stdout)");
  cmd->add_option("--summary-json", opts->summary_json, "Also write the JSON summary to this file");
  cmd->add_option("-j,--jobs", opts->jobs, "Worker threads (default: all cores)");
  cmd->add_option("--since", opts->since, "Only posts created on or after this day (YYYY-MM-DD)");
  cmd->add_option("--until", opts->until, "Only posts created on or before this day (YYYY-MM-DD)");
  AddInputOptions(cmd, *opts);
  cmd->add_option("--sample", opts->sample,
                  "Report only a random sample of N posts, stratified by account (the summary "
                  "still covers every post)");
  cmd->add_option("--seed", opts->seed, "Seed for --sample; the same seed gives the same sample");
  cmd->add_flag("--offline", opts->offline,
                "No network: live link checks answer from the cache only; links not in it are "
                "'unverifiable' (also POSTLINT_OFFLINE=1)");
  cmd->add_option("--db", opts->db,
                  "Decision log with the team's waivers and approvals, applied as `check` "
                  "applies them (default: $POSTLINT_DB, else ~/.local/state/postlint/"
                  "decisions.db when it exists)");
  cmd->add_option("--progress", opts->progress, "Progress bar on stderr")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->footer(ExitCodeFooter({kExitPass, kExitFail, kExitError, kExitReview}) +
              "Nothing checked (exit 2): no input, no readable post, or filters that leave no "
              "post; --since/--until not a real day, or --since after --until.\n");
  cmd->callback([opts, &exit_code] {
    for (const auto* day : {&opts->since, &opts->until}) {
      if (!day->empty() && (IsoDay(*day).empty() || day->size() != 10 || !ParseTime(*day))) {
        std::cerr << "postlint: --since/--until take a day as YYYY-MM-DD, not '" << *day << "'\n";
        exit_code = kExitError;
        return;
      }
    }
    if (!opts->since.empty() && !opts->until.empty() && opts->since > opts->until) {
      std::cerr << "postlint: --since " << opts->since << " is after --until " << opts->until
                << ": no post can be in that range\n";
      exit_code = kExitError;
      return;
    }
    auto engine = LoadEngine(opts->policy);
    if (!engine) {
      exit_code = kExitError;
      return;
    }
    const std::optional<CheckOptions> check = MakeCheckOptions(*opts, *engine);
    if (!check) {
      exit_code = kExitError;
      return;
    }
    TeamLog team = OpenTeamLog(opts->db, /*create=*/false);
    if (!team.ok) {
      exit_code = kExitError;
      return;
    }
    SessionOptions session_options;
    session_options.check = *check;
    std::string untrusted;
    session_options.gate = GateStateSource(team.log.get()).Current(&untrusted);
    if (!session_options.gate) {
      std::cerr << "postlint: " << untrusted << "\n";
      exit_code = kExitError;
      return;
    }
    const CheckSession session(*engine, session_options);
    std::ofstream file;
    if (!opts->output.empty()) {
      file.open(opts->output, std::ios::binary);
      if (!file) {
        std::cerr << "postlint: cannot write " << opts->output << "\n";
        exit_code = kExitError;
        return;
      }
    }
    std::ostream& out = opts->output.empty() ? std::cout : file;
    auto reporter = MakeReporter(opts->format, out, {});

    std::vector<std::string> missing;
    uint64_t input_bytes = 0;  // for the progress bar's estimate only
    for (const auto& f : ExpandInputPaths(opts->paths, &missing)) {
      std::error_code ec;
      if (f != "-")
        input_bytes += std::filesystem::file_size(f, ec);
    }
    const bool show_progress =
        opts->progress == "always" || (opts->progress == "auto" && isatty(STDERR_FILENO));
    Progress progress(show_progress, input_bytes);

    BatchOptions batch;
    batch.jobs = opts->jobs;
    const ReadOptions read = MakeReadOptions(*opts);
    if (!opts->since.empty() || !opts->until.empty()) {
      batch.keep = [since = opts->since, until = opts->until](const Post& p) {
        const std::string day = IsoDay(p.created_at);
        if (day.empty())
          return false;  // undated posts cannot be placed in the range
        return (since.empty() || day >= since) && (until.empty() || day <= until);
      };
    }
    AuditSummary summary;
    RunSummary totals;
    std::optional<StratifiedSampler> sampler;
    if (opts->sample > 0)
      sampler.emplace(opts->sample, opts->seed);
    InputSummary inputs;
    reporter->Begin(engine->info());
    const BatchStats stats = session.Run(
        batch, [&](const RecordCallback& emit) { inputs = ForEachRecord(opts->paths, read, emit); },
        [&](PostResult&& r) {
          progress.Update(r);
          totals.Add(r);
          summary.Add(r);
          if (sampler) {
            sampler->Offer(std::move(r));
          } else {
            reporter->Add(r);
          }
        });
    if (sampler) {
      for (const auto& r : sampler->Take())
        reporter->Add(r);
    }
    totals.skipped = stats.skipped;
    summary.set_skipped(stats.skipped);
    reporter->End(totals);
    progress.Finish();
    out.flush();
    if (!opts->summary_json.empty()) {
      std::ofstream s(opts->summary_json, std::ios::binary);
      s << summary.ToJson(engine->info()).dump(2) << "\n";
    }
    if (totals.posts == 0 && stats.skipped > 0) {
      std::cerr << "postlint: nothing was checked: none of the " << stats.skipped
                << " posts read is dated within "
                << (opts->since.empty() ? std::string("...") : opts->since) << " .. "
                << (opts->until.empty() ? std::string("...") : opts->until)
                << " (undated posts are left out by --since/--until)\n";
      exit_code = kExitError;
      return;
    }
    exit_code = ExitCodeFor(totals, inputs);
  });
}

}  // namespace postlint::cli
