#include "gate/gate.h"

#include <algorithm>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/diagnostics.h"
#include "core/fingerprint.h"
#include "core/utf8.h"

namespace postlint {

namespace {

using nlohmann::ordered_json;

bool ListHas(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

bool Covers(const Waiver& w, const Policy& policy, const PostResult& result, const Finding& f,
            int64_t now) {
  if (w.revoked || now >= w.until || w.rule != f.rule)
    return false;
  if (!w.fingerprint.empty()) {
    if (w.fingerprint != result.fingerprint)
      return false;
  } else if (!w.regex || !RE2::PartialMatch(result.post.text, *w.regex)) {
    return false;
  }
  // A waiver is only as good as the right behind it: when the policy no longer lets the role
  // waive this rule at this level, the finding counts again.
  return ListHas(policy.WaiverRoles(f.rule, f.level), w.role);
}

}  // namespace

const Waiver* GateState::FindWaiver(const std::string& id) const {
  for (const auto& w : waivers) {
    if (w.id == id)
      return &w;
  }
  return nullptr;
}

std::optional<GateState> GateState::Load(const DecisionLog* log, std::string* error) {
  GateState state;
  if (log == nullptr)
    return state;
  const LogVerification v = log->Walk({}, [&](const LogEntry& e) { state.Apply(e); });
  if (!v.ok) {
    *error = UntrustedLogError(log->path(), v);
    return std::nullopt;
  }
  return state;
}

void GateState::Apply(const LogEntry& e) {
  if (e.action != "waive" && e.action != "revoke" && e.action != "approve")
    return;
  const auto details = nlohmann::json::parse(e.details, nullptr, /*allow_exceptions=*/false);
  const auto text = [&](const char* key) {
    return details.is_object() && details.contains(key) && details[key].is_string()
               ? details[key].get<std::string>()
               : std::string();
  };
  if (e.action == "waive") {
    Waiver w;
    w.id = "w" + std::to_string(e.seq);
    w.rule = e.rules;
    w.fingerprint = e.fingerprint;
    w.pattern = text("pattern");
    w.by = e.actor;
    w.role = e.role;
    w.reason = text("reason");
    w.until = ParseTime(text("until")).value_or(0);
    if (!w.pattern.empty()) {
      RE2::Options options;
      options.set_log_errors(false);
      auto regex = std::make_shared<RE2>(w.pattern, options);
      if (regex->ok())
        w.regex = std::move(regex);
    }
    waivers.push_back(std::move(w));
  } else if (e.action == "revoke") {
    for (auto& w : waivers) {
      if (w.id == text("waiver"))
        w.revoked = true;
    }
  } else {
    approvals.push_back({e.fingerprint, {e.actor, e.role, e.time, text("note")}});
  }
}

std::string UntrustedLogError(const std::string& path, const LogVerification& v) {
  return "the decision log" + (path.empty() ? std::string() : " " + path) +
         " is not intact, so its waivers and approvals cannot be trusted: " + v.problem +
         ". Nothing was checked against it; see `postlint log verify`";
}

void ApplyGate(const Policy& policy, const GateState& state, int64_t now, PostResult& result) {
  if (result.error)
    return;
  // The engine takes it before it masks secrets in the text; a result built elsewhere gets it here.
  if (result.fingerprint.empty())
    result.fingerprint = PostFingerprint(result.post);
  for (auto& f : result.findings) {
    f.suppression.reset();
    for (const auto& w : state.waivers) {
      if (Covers(w, policy, result, f, now)) {
        f.suppression = Suppression{w.id, w.by, w.role, w.reason, FormatTime(w.until)};
        break;
      }
    }
  }
  result.verdict = policy.VerdictFor(result.findings);
  result.review.reset();
  if (result.verdict != Verdict::kReview)
    return;
  std::vector<std::string> required;
  for (const auto& f : result.findings) {
    const auto it = policy.gate.find(f.level);
    if (f.suppression || it == policy.gate.end() || it->second != Verdict::kReview)
      continue;
    for (const auto& role : policy.ReviewRoles(f.rule, f.level)) {
      if (!ListHas(required, role))
        required.push_back(role);
    }
  }
  result.review = ReviewFor(std::move(required), result.fingerprint, state);
  if (result.review->approved())
    result.verdict = Verdict::kPass;
}

ReviewState ReviewFor(std::vector<std::string> required_roles, const std::string& fingerprint,
                      const GateState& state) {
  ReviewState review;
  review.required_roles = std::move(required_roles);
  for (const auto& a : state.approvals) {
    if (a.fingerprint == fingerprint &&
        (review.required_roles.empty() || ListHas(review.required_roles, a.approval.role)))
      review.approvals.push_back(a.approval);
  }
  for (const auto& role : review.required_roles) {
    if (std::none_of(review.approvals.begin(), review.approvals.end(),
                     [&](const Approval& a) { return a.role == role; }))
      review.pending_roles.push_back(role);
  }
  return review;
}

std::optional<std::string> CheckActsInRole(const Policy& policy, const std::string& actor,
                                           const std::string& role) {
  if (policy.roles.empty()) {
    return "policy '" + policy.name +
           "' declares no roles; add a 'roles:' section (see docs/gate.md)";
  }
  const auto it = policy.roles.find(role);
  if (it == policy.roles.end()) {
    std::vector<std::string> names;
    for (const auto& [name, spec] : policy.roles)
      names.push_back(name);
    return "unknown role '" + role + "'; the policy declares: " + Join(names) +
           DidYouMean(role, names);
  }
  if (!it->second.members.empty() && !ListHas(it->second.members, actor)) {
    return "'" + actor + "' is not a member of role '" + role +
           "' (members: " + Join(it->second.members) + ")";
  }
  return std::nullopt;
}

std::optional<std::string> CheckMayWaive(const Policy& policy, const std::string& rule,
                                         const std::string& role) {
  const RuleSpec* spec = policy.FindRule(rule);
  if (spec == nullptr) {
    std::vector<std::string> ids;
    for (const auto& r : policy.rules)
      ids.push_back(r.id);
    return "unknown rule '" + rule + "'" + DidYouMean(rule, ids);
  }
  const std::vector<std::string> allowed = policy.WaiverRoles(rule, spec->level);
  if (ListHas(allowed, role))
    return std::nullopt;
  return "role '" + role + "' may not waive rule '" + rule + "' (" +
         std::string(ToString(spec->level)) + "); " +
         (allowed.empty() ? std::string("no role may waive it")
                          : "roles that may: " + Join(allowed));
}

LogEntry GateDecisionEntry(const Policy& policy, const PostResult& result, const std::string& actor,
                           int64_t now) {
  LogEntry e;
  e.time = FormatTime(now);
  e.action = "gate";
  e.actor = actor;
  e.post_id = result.post.id;
  e.account = result.post.account;
  e.fingerprint = result.fingerprint;
  e.policy_name = policy.name;
  e.policy_version = policy.version;
  e.policy_sha256 = policy.sha256;
  e.verdict = std::string(ToString(result.verdict));
  if (result.error) {
    // A record the gate could not read is a decision too ("error": not published as is).
    const ReadError& error = *result.error;
    if (e.post_id.empty())
      e.post_id = error.id;
    e.details = ordered_json{{"source", error.source.empty() ? result.post.source : error.source},
                             {"line", error.line},
                             {"error", error.message}}
                    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return e;
  }
  ordered_json findings = ordered_json::array();
  std::vector<std::string> rules;
  for (const auto& f : result.findings) {
    ordered_json j = {{"rule", f.rule}, {"level", ToString(f.level)}, {"excerpt", f.excerpt}};
    if (f.suppression)
      j["waiver"] = f.suppression->waiver;
    findings.push_back(std::move(j));
    if (!ListHas(rules, f.rule))
      rules.push_back(f.rule);
  }
  for (const auto& r : rules)
    e.rules += (e.rules.empty() ? "" : " ") + r;
  ordered_json details = {{"source", result.post.source}, {"findings", std::move(findings)}};
  if (!result.post.author.empty())
    details["author"] = result.post.author;  // for the four-eyes check of `approve --post`
  if (result.review) {
    ordered_json approvals = ordered_json::array();
    for (const auto& a : result.review->approvals)
      approvals.push_back({{"by", a.by}, {"role", a.role}, {"at", a.at}});
    details["review"] = {{"required", result.review->required_roles},
                         {"approvals", std::move(approvals)},
                         {"pending", result.review->pending_roles}};
    const int64_t deadline = policy.routing.approval_deadline_seconds;
    if (deadline > 0 && !result.review->pending_roles.empty()) {
      // Whole hours as before durations came in minutes, so older readers of the log still see
      // their key.
      if (deadline % 3600 == 0)
        details["review"]["deadline_hours"] = deadline / 3600;
      else
        details["review"]["deadline_seconds"] = deadline;
    }
  }
  e.details = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return e;
}

std::string DefaultActor() {
  for (const char* name : {"POSTLINT_ACTOR", "USER", "LOGNAME"}) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0')
      return v;
  }
  return "unknown";
}

}  // namespace postlint
