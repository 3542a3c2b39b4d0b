// postlint approve | waive | revoke | waivers | log | log verify | queue: the people side of the
// gate.
// Every command here appends to or reads the decision log (gate/decision_log.h); `gate` itself
// lives beside `check` in check_command.cpp.
#include <algorithm>
#include <iostream>
#include <map>
#include <set>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "core/clock.h"
#include "core/fingerprint.h"
#include "core/utf8.h"
#include "gate/actions.h"
#include "gate/gate.h"
#include "report/json_post.h"
#include "report/markup.h"
#include "session/check_session.h"

namespace postlint::cli {

namespace {

using nlohmann::ordered_json;

// Options every gate command shares.
struct GateOptions {
  std::string policy;
  std::string db;
  std::string actor;
  std::string role;
  std::vector<std::string> paths;
  std::string post;  // post id or fingerprint prefix
  std::string input_format = "auto";

  std::string DbPath() const { return db.empty() ? DecisionLog::DefaultPath() : db; }
  std::string Actor() const { return actor.empty() ? DefaultActor() : actor; }
};

void AddDbOption(CLI::App* cmd, GateOptions& opts) {
  cmd->add_option("--db", opts.db,
                  "Decision log (default: $POSTLINT_DB, else "
                  "~/.local/state/postlint/decisions.db)");
}

void AddActorOptions(CLI::App* cmd, GateOptions& opts) {
  cmd->add_option("--as", opts.actor, "Who is acting (default: $POSTLINT_ACTOR, else $USER)");
  cmd->add_option("--role", opts.role, "The role you act in (declared in the policy's roles)")
      ->required();
  cmd->add_option("-p,--policy", opts.policy,
                  "Policy file (default: the discovered policy, else the shipped default)");
  AddPolicyPathOption(cmd);
  AddDbOption(cmd, opts);
}

// --format text|json|csv and --db: what every command that lists the log (log, queue, waivers)
// takes.
void AddListingOptions(CLI::App* cmd, GateOptions& opts, std::string& format) {
  cmd->add_option("-f,--format", format, "Output format")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  AddDbOption(cmd, opts);
}

std::unique_ptr<DecisionLog> OpenLog(const GateOptions& opts, DecisionLog::OpenMode mode) {
  std::string error;
  auto log = DecisionLog::Open(opts.DbPath(), mode, &error);
  if (!log)
    std::cerr << "postlint: " << error << "\n";
  return log;
}

// The log's waivers and approvals, its chain verified; nullptr (the reason printed) when the
// chain is broken: no approval, waiver or queue may rest on entries edited outside postlint.
std::shared_ptr<const GateState> TrustedState(const DecisionLog& log) {
  std::string error;
  std::optional<GateState> state = GateState::Load(&log, &error);
  if (!state) {
    std::cerr << "postlint: " << error << "\n";
    return nullptr;
  }
  return std::make_shared<const GateState>(std::move(*state));
}

std::string Label(const std::string& post_id, const std::string& fingerprint) {
  return TargetLabel(post_id, fingerprint);
}

// Checks the posts at `opts.paths` through the one check path, with the log's waivers and
// approvals. Returns false on unreadable input (already reported).
bool TargetsFromPosts(const GateOptions& opts, const Engine& engine,
                      std::shared_ptr<const GateState> state, std::vector<GateTarget>& out) {
  ReadOptions read;
  read.format = ParseInputFormat(opts.input_format).value_or(InputFormat::kAuto);
  SessionOptions session_options;
  const char* offline = std::getenv("POSTLINT_OFFLINE");
  session_options.check.offline = offline != nullptr && *offline && std::string(offline) != "0";
  session_options.gate = std::move(state);
  const CheckSession session(engine, session_options);
  bool ok = true;
  const InputSummary inputs = ForEachRecord(opts.paths, read, [&](InputRecord&& record) {
    const PostResult result = session.Check(std::move(record));
    if (result.error) {
      std::cerr << "postlint: " << result.error->source << ":" << result.error->line << ": "
                << result.error->message << "\n";
      ok = false;
      return;
    }
    out.push_back(TargetOf(result));
  });
  return ok && inputs.ok;
}

// Targets from posts or from --post; prints why when there are none.
bool ResolveTargets(const GateOptions& opts, const Engine& engine, const DecisionLog& log,
                    std::shared_ptr<const GateState> state, std::vector<GateTarget>& targets) {
  if (!opts.paths.empty() && !opts.post.empty()) {
    std::cerr << "postlint: give post files or --post, not both\n";
    return false;
  }
  if (!opts.post.empty()) {
    std::string problem;
    auto t = LookupTarget(log, *state, opts.post, &problem);
    if (!t) {
      std::cerr << "postlint: " << problem << "\n";
      return false;
    }
    targets.push_back(std::move(*t));
    return true;
  }
  if (opts.paths.empty()) {
    std::cerr << "postlint: name the post: its file(s), or --post ID|FINGERPRINT\n";
    return false;
  }
  return TargetsFromPosts(opts, engine, std::move(state), targets);
}

// ---- approve ----

void AddApproveCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<GateOptions>();
  auto note = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "approve", "Approve posts that need review, acting in a role the policy routes them to");
  cmd->add_option("paths", opts->paths, "The post files as they will be published");
  cmd->add_option("--post", opts->post,
                  "Instead of files: a post id or fingerprint prefix from the decision log");
  cmd->add_option("--note", *note, "A note kept with the approval");
  AddActorOptions(cmd, *opts);
  cmd->footer(ExitCodeFooter({kExitPass, kExitError, kExitRefused}));
  cmd->callback([opts, note, &exit_code] {
    auto engine = LoadEngine(opts->policy);
    auto log = engine ? OpenLog(*opts, DecisionLog::kCreate) : nullptr;
    if (!engine || !log) {
      exit_code = kExitError;
      return;
    }
    const Policy& policy = engine->policy();
    if (auto why = CheckActsInRole(policy, opts->Actor(), opts->role)) {
      std::cerr << "postlint: refused: " << *why << "\n";
      exit_code = kExitRefused;
      return;
    }
    const auto state = TrustedState(*log);
    std::vector<GateTarget> targets;
    if (!state || !ResolveTargets(*opts, *engine, *log, state, targets)) {
      exit_code = kExitError;
      return;
    }
    exit_code = kExitPass;
    for (const GateTarget& t : targets) {
      const ApprovalCheck check = CheckApproval(policy, t, opts->Actor(), opts->role);
      if (check.outcome == ApprovalCheck::kRefused) {
        std::cerr << "postlint: refused: " << check.message << "\n";
        exit_code = kExitRefused;
        continue;
      }
      if (check.outcome == ApprovalCheck::kNothing) {
        std::cout << check.message << "\n";
        continue;
      }
      LogEntry e = ApprovalEntry(policy, t, opts->Actor(), opts->role, *note, check.required);
      std::string error;
      if (!log->Append(e, &error)) {
        std::cerr << "postlint: cannot record the approval: " << error << "\n";
        exit_code = kExitError;
        return;
      }
      std::cout << "approved " << Label(t.post_id, t.fingerprint) << " as " << opts->role
                << " (entry " << e.seq << "); "
                << (check.still_pending.empty() ? std::string("the post may now be published")
                                                : "still waiting for " + Join(check.still_pending))
                << "\n";
    }
  });
}

// ---- waive / revoke ----

void AddWaiveCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<GateOptions>();
  auto rule = std::make_shared<std::string>();
  auto pattern = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  auto until = std::make_shared<std::string>();
  auto duration = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "waive",
      "Accept a rule's findings as a risk, on one post or on every post matching a pattern, "
      "until an expiry date");
  cmd->add_option("rule", *rule, "The rule id whose findings to accept")->required();
  cmd->add_option("paths", opts->paths, "The post files (one waiver per post)");
  cmd->add_option("--post", opts->post, "A post id or fingerprint prefix from the decision log");
  cmd->add_option("--pattern", *pattern,
                  "Instead of one post: every post whose text matches this RE2 pattern (a "
                  "campaign)");
  cmd->add_option("--reason", *reason, "Why the risk is accepted (kept in every report)")
      ->required();
  cmd->add_option("--until", *until,
                  "Expiry: YYYY-MM-DD (the waiver covers that whole day, UTC) or an RFC 3339 "
                  "time");
  cmd->add_option("--for", *duration, "Expiry as a duration from now: 12h, 7d, 2w");
  AddActorOptions(cmd, *opts);
  cmd->footer(ExitCodeFooter({kExitPass, kExitError, kExitRefused}));
  cmd->callback([=, &exit_code] {
    exit_code = kExitError;
    const Expiry expiry = WaiverExpiry(*until, *duration, NowSeconds());
    if (!expiry.until) {
      std::cerr << "postlint: " << expiry.problem << "\n";
      return;
    }
    if (reason->find_first_not_of(" \t\r\n") == std::string::npos) {
      std::cerr << "postlint: --reason must say why the risk is accepted\n";
      return;
    }
    const int targets_given =
        int(!opts->paths.empty()) + int(!opts->post.empty()) + int(!pattern->empty());
    if (targets_given != 1) {
      std::cerr << "postlint: waive one thing: post files, --post, or --pattern\n";
      return;
    }
    auto engine = LoadEngine(opts->policy);
    auto log = engine ? OpenLog(*opts, DecisionLog::kCreate) : nullptr;
    if (!engine || !log)
      return;
    const Policy& policy = engine->policy();
    for (const auto& why : {CheckActsInRole(policy, opts->Actor(), opts->role),
                            CheckMayWaive(policy, *rule, opts->role)}) {
      if (why) {
        std::cerr << "postlint: refused: " << *why << "\n";
        exit_code = kExitRefused;
        return;
      }
    }
    ordered_json details = {{"reason", *reason}, {"until", FormatTime(*expiry.until)}};
    std::vector<LogEntry> entries;
    std::vector<std::string> labels;
    if (!pattern->empty()) {
      RE2::Options re_options;
      re_options.set_log_errors(false);
      const RE2 re(*pattern, re_options);
      if (!re.ok()) {
        std::cerr << "postlint: invalid --pattern: " << re.error() << "\n";
        return;
      }
      details["pattern"] = *pattern;
      entries.push_back(ActEntry(policy, "waive", opts->Actor(), opts->role, nullptr));
      labels.push_back("posts matching /" + EscapeControls(*pattern) + "/");
    } else {
      const auto state = TrustedState(*log);
      std::vector<GateTarget> targets;
      if (!state || !ResolveTargets(*opts, *engine, *log, state, targets))
        return;
      for (const GateTarget& t : targets) {
        if (auto why = CheckWaiverOn(policy, t, *rule, opts->role)) {
          std::cerr << "postlint: refused: " << *why << "\n";
          exit_code = kExitRefused;
          return;
        }
        entries.push_back(ActEntry(policy, "waive", opts->Actor(), opts->role, &t));
        labels.push_back(Label(t.post_id, t.fingerprint));
      }
    }
    for (auto& e : entries) {
      e.rules = *rule;
      e.details = DumpJson(details);
    }
    std::string error;
    if (!log->Append(entries, &error)) {
      std::cerr << "postlint: cannot record the waiver: " << error << "\n";
      return;
    }
    for (size_t i = 0; i < entries.size(); ++i) {
      std::cout << "waiver w" << entries[i].seq << ": rule '" << *rule << "' on " << labels[i]
                << " accepted by " << EscapeControls(opts->Actor()) << " (" << opts->role
                << ") until " << FormatTime(*expiry.until) << "\n";
    }
    exit_code = kExitPass;
  });
}

void AddRevokeCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<GateOptions>();
  auto waiver = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("revoke", "End a waiver before its expiry");
  cmd->add_option("waiver", *waiver, "The waiver id, e.g. w12")->required();
  cmd->add_option("--reason", *reason, "Why it ends")->required();
  AddActorOptions(cmd, *opts);
  cmd->footer(ExitCodeFooter({kExitPass, kExitError, kExitRefused}));
  cmd->callback([=, &exit_code] {
    exit_code = kExitError;
    auto engine = LoadEngine(opts->policy);
    auto log = engine ? OpenLog(*opts, DecisionLog::kExisting) : nullptr;
    if (!engine || !log)
      return;
    const auto state = TrustedState(*log);
    if (!state)
      return;
    const Waiver* w = state->FindWaiver(*waiver);
    if (w == nullptr) {
      std::cerr << "postlint: no waiver '" << *waiver << "' in " << opts->DbPath() << "\n";
      return;
    }
    if (w->revoked) {
      std::cout << *waiver << " is already revoked\n";
      exit_code = kExitPass;
      return;
    }
    const Policy& policy = engine->policy();
    if (auto why = CheckRevocation(policy, *w, opts->Actor(), opts->role)) {
      std::cerr << "postlint: refused: " << *why << "\n";
      exit_code = kExitRefused;
      return;
    }
    LogEntry e = ActEntry(policy, "revoke", opts->Actor(), opts->role, nullptr);
    e.post_id = "";
    e.fingerprint = w->fingerprint;
    e.rules = w->rule;
    e.details = DumpJson(ordered_json{{"waiver", *waiver}, {"reason", *reason}});
    std::string error;
    if (!log->Append(e, &error)) {
      std::cerr << "postlint: cannot record the revocation: " << error << "\n";
      return;
    }
    std::cout << "revoked " << *waiver << " (entry " << e.seq << ")\n";
    exit_code = kExitPass;
  });
}

// ---- log, log verify ----

ordered_json EntryToJson(const LogEntry& e) {
  ordered_json details = ordered_json::parse(e.details, nullptr, false);
  if (details.is_discarded())
    details = e.details;
  return {{"seq", e.seq},
          {"time", e.time},
          {"action", e.action},
          {"actor", e.actor},
          {"role", e.role},
          {"post_id", e.post_id},
          {"account", e.account},
          {"fingerprint", e.fingerprint},
          {"policy",
           {{"name", e.policy_name}, {"version", e.policy_version}, {"sha256", e.policy_sha256}}},
          {"verdict", e.verdict},
          {"rules", e.rules},
          {"details", std::move(details)},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

// One line per entry, for people.
std::string EntryLine(const LogEntry& e) {
  const auto details = nlohmann::json::parse(e.details, nullptr, false);
  auto text = [&](const char* key) {
    return details.is_object() && details.contains(key) && details[key].is_string()
               ? details[key].get<std::string>()
               : std::string();
  };
  std::string who = e.actor + (e.role.empty() ? "" : " (" + e.role + ")");
  std::string line = "#" + std::to_string(e.seq) + "  " + e.time + "  " + e.action;
  line.append(std::max<size_t>(1, 8 - e.action.size()), ' ');
  if (e.action == "gate" && e.fingerprint.empty()) {
    line += e.verdict + "  " + (e.post_id.empty() ? text("source") : e.post_id) + ": " +
            text("error") + "  by " + who;
  } else if (e.action == "gate") {
    line += e.verdict + "  " + Label(e.post_id, e.fingerprint);
    if (!e.rules.empty())
      line += "  [" + e.rules + "]";
    line += "  by " + who;
  } else if (e.action == "approve") {
    line += Label(e.post_id, e.fingerprint) + "  by " + who;
    if (!text("note").empty())
      line += ": " + text("note");
  } else if (e.action == "waive") {
    line += "w" + std::to_string(e.seq) + " rule " + e.rules + " on " +
            (e.fingerprint.empty() ? "posts matching /" + text("pattern") + "/"
                                   : Label(e.post_id, e.fingerprint)) +
            " until " + text("until") + "  by " + who + ": " + text("reason");
  } else if (e.action == "revoke") {
    line += text("waiver") + "  by " + who + ": " + text("reason");
  }
  line += "  [policy " + e.policy_name + (e.policy_version.empty() ? "" : " " + e.policy_version) +
          " " + e.policy_sha256.substr(0, 12) + "]";
  // Actors, ids, accounts and reasons come from requests and posts: one entry, one line.
  return EscapeControls(line);
}

void AddLogCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<GateOptions>();
  auto filter = std::make_shared<LogFilter>();
  auto format = std::make_shared<std::string>("text");
  auto action = std::make_shared<std::vector<std::string>>();
  auto since = std::make_shared<std::string>();
  auto until = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "log", "List the decision log (gate decisions, approvals, waivers), oldest first");
  cmd->add_option("--post", filter->post, "Only this post id or fingerprint prefix");
  cmd->add_option("--account", filter->account, "Only this account");
  cmd->add_option("--rule", filter->rule, "Only entries concerning this rule");
  cmd->add_option("--verdict", filter->verdict, "Only gate decisions with this verdict")
      ->check(CLI::IsMember({"pass", "review", "fail", "error"}));
  cmd->add_option("--action", *action, "Only these actions")
      ->check(CLI::IsMember({"gate", "approve", "waive", "revoke"}));
  cmd->add_option("--since", *since, "From this time (YYYY-MM-DD or RFC 3339), inclusive");
  cmd->add_option("--until", *until, "Up to this time; a day includes the whole day");
  cmd->add_option("--limit", filter->limit, "Only the latest N matching entries");
  AddListingOptions(cmd, *opts, *format);
  cmd->footer(ExitCodeFooter({kExitPass, kExitError}));

  auto head = std::make_shared<std::string>();
  CLI::App* verify = cmd->add_subcommand(
      "verify", "Check the hash chain; name the first altered, removed or reordered entry");
  verify->add_option("--head", *head,
                     "An anchor kept elsewhere from an earlier verify, as SEQ:HASH; proves no "
                     "entry up to it was removed or rewritten");
  AddDbOption(verify, *opts);
  verify->footer(
      "Exit codes:\n  0  the chain is intact\n  1  the chain is broken (the first bad entry is "
      "named)\n  2  the log cannot be read\n");
  verify->callback([opts, head, &exit_code] {
    auto log = OpenLog(*opts, DecisionLog::kReadOnly);
    if (!log) {
      exit_code = kExitError;
      return;
    }
    std::optional<std::pair<int64_t, std::string>> anchor;
    if (!head->empty()) {
      const size_t colon = head->find(':');
      char* end = nullptr;
      const long long seq = colon == std::string::npos ? 0 : std::strtoll(head->c_str(), &end, 10);
      if (seq <= 0 || end != head->c_str() + colon || colon + 1 == head->size()) {
        std::cerr << "postlint: --head takes SEQ:HASH as printed by `postlint log verify`\n";
        exit_code = kExitError;
        return;
      }
      anchor.emplace(seq, head->substr(colon + 1));
    }
    const LogVerification v = log->Verify(anchor);
    if (!v.ok) {
      std::cout << opts->DbPath() << ": BROKEN at entry " << v.bad_seq << ": " << v.problem << "\n";
      exit_code = kExitFail;
      return;
    }
    std::cout << opts->DbPath() << ": intact, " << v.entries << " entries";
    if (v.head_seq > 0)
      std::cout << "; head " << v.head_seq << ":" << v.head_hash;
    std::cout << "\n";
    exit_code = kExitPass;
  });

  cmd->callback([=, &exit_code] {
    if (!cmd->get_subcommands().empty())
      return;  // `log verify` ran
    for (const auto& [text, out, end_of_day] : {std::tuple{since.get(), &filter->since, false},
                                                std::tuple{until.get(), &filter->until, true}}) {
      if (text->empty())
        continue;
      const auto t = ParseTime(*text, end_of_day);
      if (!t) {
        std::cerr << "postlint: --since/--until take YYYY-MM-DD or an RFC 3339 time, not '" << *text
                  << "'\n";
        exit_code = kExitError;
        return;
      }
      *out = FormatTime(*t);
    }
    filter->actions = *action;
    auto log = OpenLog(*opts, DecisionLog::kReadOnly);
    if (!log) {
      exit_code = kExitError;
      return;
    }
    const auto entries = log->Query(*filter);
    if (*format == "json") {
      ordered_json out = ordered_json::array();
      for (const auto& e : entries)
        out.push_back(EntryToJson(e));
      std::cout << DumpJson(out, 2) << "\n";
    } else if (*format == "csv") {
      std::cout << "seq,time,action,actor,role,post_id,account,fingerprint,policy_name,"
                   "policy_version,policy_sha256,verdict,rules,details,hash\r\n";
      for (const auto& e : entries) {
        const std::string cells[] = {std::to_string(e.seq),
                                     e.time,
                                     e.action,
                                     e.actor,
                                     e.role,
                                     e.post_id,
                                     e.account,
                                     e.fingerprint,
                                     e.policy_name,
                                     e.policy_version,
                                     e.policy_sha256,
                                     e.verdict,
                                     e.rules,
                                     e.details,
                                     e.hash};
        bool first = true;
        for (const auto& c : cells) {
          std::cout << (first ? "" : ",") << CsvField(c);
          first = false;
        }
        std::cout << "\r\n";
      }
    } else {
      for (const auto& e : entries)
        std::cout << EntryLine(e) << "\n";
      if (entries.empty())
        std::cout << "no entries\n";
    }
    exit_code = kExitPass;
  });
}

// ---- queue ----

std::string Age(int64_t seconds) {
  const int64_t hours = seconds / 3600;
  if (hours >= 48)
    return std::to_string(hours / 24) + "d " + std::to_string(hours % 24) + "h";
  if (hours >= 1)
    return std::to_string(hours) + "h " + std::to_string(seconds % 3600 / 60) + "m";
  return std::to_string(seconds / 60) + "m";
}

void AddQueueCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<GateOptions>();
  auto format = std::make_shared<std::string>("text");
  auto role = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "queue", "List posts waiting for review, oldest first, flagging those past the deadline");
  cmd->add_option("--role", *role, "Only posts waiting for this role");
  AddListingOptions(cmd, *opts, *format);
  cmd->footer(ExitCodeFooter({kExitPass, kExitError}));
  cmd->callback([=, &exit_code] {
    auto log = OpenLog(*opts, DecisionLog::kReadOnly);
    if (!log) {
      exit_code = kExitError;
      return;
    }
    const int64_t now = NowSeconds();
    const auto state = TrustedState(*log);
    if (!state) {
      exit_code = kExitError;
      return;
    }
    std::vector<QueueItem> items = BuildQueue(*log, *state, now);
    if (!role->empty()) {
      std::erase_if(items, [&](const QueueItem& i) {
        return !i.pending.empty() &&
               std::find(i.pending.begin(), i.pending.end(), *role) == i.pending.end();
      });
    }
    exit_code = kExitPass;
    if (*format == "json") {
      ordered_json out = ordered_json::array();
      for (const auto& i : items) {
        out.push_back({{"post_id", i.decision.post_id},
                       {"account", i.decision.account},
                       {"fingerprint", i.decision.fingerprint},
                       {"waiting_since", i.since},
                       {"age_seconds", i.age},
                       {"waits_for", i.pending},
                       {"deadline_hours", (i.deadline_seconds + 3599) / 3600},
                       {"overdue", i.overdue},
                       {"rules", i.decision.rules},
                       {"decision", i.decision.seq}});
      }
      std::cout << DumpJson(out, 2) << "\n";
      return;
    }
    if (*format == "csv") {
      std::cout << "waiting_since,age_seconds,post_id,account,fingerprint,waits_for,overdue,"
                   "rules,decision\r\n";
      for (const auto& i : items) {
        std::cout << i.since << "," << i.age << "," << CsvField(i.decision.post_id) << ","
                  << CsvField(i.decision.account) << "," << i.decision.fingerprint << ","
                  << CsvField(Join(i.pending)) << "," << (i.overdue ? "true" : "false") << ","
                  << CsvField(i.decision.rules) << "," << i.decision.seq << "\r\n";
      }
      return;
    }
    if (items.empty()) {
      std::cout << "no posts waiting for review\n";
      return;
    }
    size_t overdue = 0;
    for (const auto& i : items) {
      overdue += i.overdue;
      std::cout << i.since << "  " << Age(i.age) << "  "
                << Label(i.decision.post_id, i.decision.fingerprint)
                << (i.decision.account.empty() ? "" : "  " + EscapeControls(i.decision.account))
                << "  waits for "
                << (i.pending.empty() ? std::string("any reviewer") : Join(i.pending)) << "  ["
                << EscapeControls(i.decision.rules) << "]";
      if (i.overdue)
        std::cout << "  OVERDUE (deadline " << FormatDuration(i.deadline_seconds) << ")";
      std::cout << "\n";
    }
    std::cout << items.size() << " waiting, " << overdue << " overdue\n";
  });
}

// ---- waivers ----

void AddWaiversCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<GateOptions>();
  auto format = std::make_shared<std::string>("text");
  auto all = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "waivers", "List the waivers in force (with --all: expired and revoked ones too)");
  cmd->add_flag("--all", *all, "Also list expired and revoked waivers");
  AddListingOptions(cmd, *opts, *format);
  cmd->footer(ExitCodeFooter({kExitPass, kExitError}));
  cmd->callback([=, &exit_code] {
    auto log = OpenLog(*opts, DecisionLog::kReadOnly);
    if (!log) {
      exit_code = kExitError;
      return;
    }
    const int64_t now = NowSeconds();
    const auto loaded = TrustedState(*log);
    if (!loaded) {
      exit_code = kExitError;
      return;
    }
    const GateState& state = *loaded;
    auto status = [&](const Waiver& w) {
      return w.revoked ? "revoked" : now >= w.until ? "expired" : "active";
    };
    auto target = [](const Waiver& w) {
      return w.fingerprint.empty() ? "/" + w.pattern + "/" : ShortFingerprint(w.fingerprint);
    };
    std::vector<const Waiver*> shown;
    for (const auto& w : state.waivers) {
      if (*all || std::string(status(w)) == "active")
        shown.push_back(&w);
    }
    exit_code = kExitPass;
    if (*format == "json") {
      ordered_json out = ordered_json::array();
      for (const Waiver* w : shown) {
        out.push_back({{"id", w->id},
                       {"rule", w->rule},
                       {"fingerprint", w->fingerprint},
                       {"pattern", w->pattern},
                       {"by", w->by},
                       {"role", w->role},
                       {"reason", w->reason},
                       {"until", FormatTime(w->until)},
                       {"status", status(*w)}});
      }
      std::cout << DumpJson(out, 2) << "\n";
      return;
    }
    if (*format == "csv") {
      std::cout << "id,rule,fingerprint,pattern,by,role,reason,until,status\r\n";
      for (const Waiver* w : shown) {
        std::cout << w->id << "," << CsvField(w->rule) << "," << w->fingerprint << ","
                  << CsvField(w->pattern) << "," << CsvField(w->by) << "," << CsvField(w->role)
                  << "," << CsvField(w->reason) << "," << FormatTime(w->until) << "," << status(*w)
                  << "\r\n";
      }
      return;
    }
    if (shown.empty()) {
      std::cout << (*all ? "no waivers\n" : "no waivers in force\n");
      return;
    }
    for (const Waiver* w : shown) {
      std::cout << EscapeControls(w->id + "  " + status(*w) + "  " + w->rule + " on " + target(*w) +
                                  "  until " + FormatTime(w->until) + "  by " + w->by + " (" +
                                  w->role + "): " + w->reason)
                << "\n";
    }
  });
}

}  // namespace

void AddGateCommands(CLI::App& app, int& exit_code) {
  AddApproveCommand(app, exit_code);
  AddWaiveCommand(app, exit_code);
  AddRevokeCommand(app, exit_code);
  AddWaiversCommand(app, exit_code);
  AddLogCommand(app, exit_code);
  AddQueueCommand(app, exit_code);
}

}  // namespace postlint::cli
