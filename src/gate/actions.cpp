#include "gate/actions.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/fingerprint.h"
#include "core/utf8.h"

namespace postlint {

namespace {

using nlohmann::ordered_json;

bool ListContains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

Verdict VerdictNamed(const std::string& name) {
  return name == "fail" ? Verdict::kFail : name == "review" ? Verdict::kReview : Verdict::kPass;
}

GateTarget TargetOfDecision(const LogEntry& e, const GateState& state) {
  GateTarget t;
  t.post_id = e.post_id;
  t.account = e.account;
  t.fingerprint = e.fingerprint;
  t.verdict = VerdictNamed(e.verdict);
  const auto details = nlohmann::json::parse(e.details, nullptr, false);
  if (!details.is_object())
    return t;
  t.author = details.value("author", "");
  if (details.contains("findings") && details["findings"].is_array()) {
    for (const auto& f : details["findings"]) {
      if (!f.is_object() || f.contains("waiver"))
        continue;
      t.findings.emplace_back(f.value("rule", ""),
                              ParseLevel(f.value("level", "")).value_or(Level::kWarning));
    }
  }
  if (details.contains("review") && details["review"].is_object()) {
    std::vector<std::string> required;
    for (const auto& r : details["review"].value("required", nlohmann::json::array())) {
      if (r.is_string())
        required.push_back(r.get<std::string>());
    }
    t.review = ReviewFor(std::move(required), t.fingerprint, state);
  }
  return t;
}

}  // namespace

GateTarget TargetOf(const PostResult& result) {
  GateTarget t{result.post.id,     result.post.account, result.post.author,
               result.fingerprint, result.verdict,      {},
               result.review};
  for (const auto& f : result.findings) {
    if (!f.suppression)
      t.findings.emplace_back(f.rule, f.level);
  }
  return t;
}

std::string TargetLabel(const std::string& post_id, const std::string& fingerprint) {
  return EscapeControls(post_id.empty() ? std::string("post") : post_id) + " (" +
         ShortFingerprint(fingerprint) + ")";
}

std::optional<GateTarget> LookupTarget(const DecisionLog& log, const GateState& state,
                                       const std::string& post, std::string* problem) {
  LogFilter filter;
  filter.post = post;
  filter.actions = {"gate"};
  const std::vector<LogEntry> entries = log.Query(filter);
  if (entries.empty()) {
    *problem = "no gate decision for post '" + EscapeControls(post) +
               "' in the log; run `postlint gate` on it first";
    return std::nullopt;
  }
  std::map<std::pair<std::string, std::string>, const LogEntry*> latest_by_id;
  std::map<std::string, const LogEntry*> latest_by_fingerprint;
  for (const auto& e : entries) {
    if (e.post_id == post)
      latest_by_id[{e.account, e.post_id}] = &e;
    else
      latest_by_fingerprint[e.fingerprint] = &e;
  }
  for (const auto& [key, e] : latest_by_id)
    latest_by_fingerprint[e->fingerprint] = e;
  if (latest_by_fingerprint.size() > 1) {
    *problem = "'" + EscapeControls(post) + "' matches " +
               std::to_string(latest_by_fingerprint.size()) +
               " posts; name one by its fingerprint:";
    for (const auto& [fingerprint, e] : latest_by_fingerprint) {
      *problem += "\n  " + ShortFingerprint(fingerprint) + "  " +
                  EscapeControls(e->post_id.empty() ? "post" : e->post_id) +
                  (e->account.empty() ? "" : "  " + EscapeControls(e->account)) + "  gated " +
                  e->time;
    }
    return std::nullopt;
  }
  return TargetOfDecision(*latest_by_fingerprint.begin()->second, state);
}

ApprovalCheck CheckApproval(const Policy& policy, const GateTarget& target,
                            const std::string& actor, const std::string& role) {
  ApprovalCheck c;
  const std::string label = TargetLabel(target.post_id, target.fingerprint);
  if (target.verdict == Verdict::kFail) {
    c.message = label +
                " fails the gate; approval cannot override a failure: fix the post, or have a "
                "role that may waive the findings waive them";
    return c;
  }
  if (!target.review) {
    c.outcome = ApprovalCheck::kNothing;
    c.message = label + ": nothing to approve, the post passes";
    return c;
  }
  if (!policy.routing.allow_self_approval && !target.author.empty() && target.author == actor) {
    c.message = EscapeControls(actor) + " wrote " + label +
                " and cannot approve it (four eyes; the policy's gate may set "
                "allow_self_approval: true)";
    return c;
  }
  const ReviewState& review = *target.review;
  c.required = review.required_roles;
  if (!c.required.empty() && !ListContains(c.required, role)) {
    c.message = label + " waits for " + Join(c.required) + ", not for role '" + role + "'";
    return c;
  }
  const bool already =
      std::any_of(review.approvals.begin(), review.approvals.end(),
                  [&](const Approval& a) { return a.role == role || c.required.empty(); });
  if (already) {
    c.outcome = ApprovalCheck::kNothing;
    c.message = label + ": already approved for role '" + role + "'";
    return c;
  }
  c.outcome = ApprovalCheck::kApprove;
  for (const auto& r : review.pending_roles) {
    if (r != role)
      c.still_pending.push_back(r);
  }
  return c;
}

LogEntry ActEntry(const Policy& policy, const std::string& action, const std::string& actor,
                  const std::string& role, const GateTarget* target) {
  LogEntry e;
  e.action = action;
  e.actor = actor;
  e.role = role;
  if (target != nullptr) {
    e.post_id = target->post_id;
    e.account = target->account;
    e.fingerprint = target->fingerprint;
  }
  e.policy_name = policy.name;
  e.policy_version = policy.version;
  e.policy_sha256 = policy.sha256;
  return e;
}

LogEntry ApprovalEntry(const Policy& policy, const GateTarget& target, const std::string& actor,
                       const std::string& role, const std::string& note,
                       const std::vector<std::string>& required) {
  LogEntry e = ActEntry(policy, "approve", actor, role, &target);
  e.verdict = "review";
  ordered_json details = {{"required", required}};
  if (!note.empty())
    details["note"] = note;
  e.details = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return e;
}

std::optional<std::string> CheckWaiverOn(const Policy& policy, const GateTarget& target,
                                         const std::string& rule, const std::string& role) {
  const std::string label = TargetLabel(target.post_id, target.fingerprint);
  std::vector<Level> levels;
  for (const auto& [r, level] : target.findings) {
    if (r == rule)
      levels.push_back(level);
  }
  if (levels.empty())
    return label + " has no unwaived finding of rule '" + rule + "'; nothing to waive";
  for (Level level : levels) {
    const auto allowed = policy.WaiverRoles(rule, level);
    if (!ListContains(allowed, role)) {
      return "role '" + role + "' may not waive '" + rule + "' findings at level " +
             std::string(ToString(level)) + " on " + label +
             "; roles that may: " + (allowed.empty() ? std::string("none") : Join(allowed));
    }
  }
  return std::nullopt;
}

Expiry WaiverExpiry(const std::string& until, const std::string& duration, int64_t now) {
  Expiry out;
  if (until.empty() == duration.empty()) {
    out.problem = "give the waiver an expiry: --until DATE or --for DURATION";
    return out;
  }
  if (!until.empty()) {
    out.until = ParseTime(until, /*end_of_day=*/true);
    if (!out.until) {
      out.problem = "--until takes YYYY-MM-DD or an RFC 3339 time, not '" + until + "'";
      return out;
    }
  } else {
    const auto seconds = ParseDuration(duration);
    if (!seconds) {
      out.problem = "--for takes a duration such as 90m, 12h, 7d or 2w, not '" + duration + "'";
      return out;
    }
    out.until = now + *seconds;
  }
  if (*out.until <= now) {
    out.problem = "the expiry " + FormatTime(*out.until) + " is already past";
    out.until.reset();
  }
  return out;
}

std::optional<std::string> CheckRevocation(const Policy& policy, const Waiver& waiver,
                                           const std::string& actor, const std::string& role) {
  if (auto why = CheckActsInRole(policy, actor, role))
    return why;
  if (role != waiver.role)
    return CheckMayWaive(policy, waiver.rule, role);
  return std::nullopt;
}

std::vector<QueueItem> BuildQueue(const DecisionLog& log, const GateState& state, int64_t now) {
  std::map<std::string, QueueItem> waiting;  // by fingerprint
  std::map<std::pair<std::string, std::string>, std::string> latest_version;
  log.ForEach({"gate"}, [&](const LogEntry& e) {
    if (!e.post_id.empty()) {
      auto [it, inserted] = latest_version.try_emplace({e.account, e.post_id}, e.fingerprint);
      if (!inserted && it->second != e.fingerprint) {
        waiting.erase(it->second);
        it->second = e.fingerprint;
      }
    }
    if (e.verdict != "review") {
      waiting.erase(e.fingerprint);
      return true;
    }
    const auto details = nlohmann::json::parse(e.details, nullptr, false);
    QueueItem item;
    const auto it = waiting.find(e.fingerprint);
    item.since = it != waiting.end() ? it->second.since : e.time;
    item.decision = e;
    if (details.is_object() && details.contains("review") && details["review"].is_object()) {
      const auto& review = details["review"];
      for (const auto& r : review.value("required", nlohmann::json::array())) {
        if (r.is_string())
          item.required.push_back(r.get<std::string>());
      }
      item.deadline_seconds = review.value("deadline_seconds", int64_t{0});
      if (item.deadline_seconds == 0)
        item.deadline_seconds = review.value("deadline_hours", int64_t{0}) * 3600;
    }
    waiting[e.fingerprint] = std::move(item);
    return true;
  });
  std::vector<QueueItem> out;
  for (auto& [key, item] : waiting) {
    const ReviewState review = ReviewFor(item.required, item.decision.fingerprint, state);
    if (review.approved())
      continue;
    item.pending = review.pending_roles;
    item.age = now - ParseTime(item.since).value_or(now);
    item.overdue = item.deadline_seconds > 0 && item.age > item.deadline_seconds;
    out.push_back(std::move(item));
  }
  std::sort(out.begin(), out.end(), [](const QueueItem& a, const QueueItem& b) {
    return a.since != b.since ? a.since < b.since : a.decision.seq < b.decision.seq;
  });
  return out;
}

}  // namespace postlint
