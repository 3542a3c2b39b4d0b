// The approval gate: what a team's decisions (waivers, approvals) do to a post's result, who may
// make them, and how they are written to the decision log. The engine answers "what is wrong
// with this post"; the gate answers "may it be published, and who must look at it first".
//
//   GateState state = *GateState::Load(log.get(), &error);  // waivers + approvals (chain verified)
//   PostResult result = engine->Check(post);
//   ApplyGate(engine->policy(), state, NowSeconds(), result);
//   // result.findings: waived ones carry `suppression`; result.verdict counts only the rest;
//   // result.review: the roles that must approve, who has, who is still pending.
//
// Rules of the gate (docs/gate.md):
//  - A waiver accepts the findings of one rule, either on one post (its fingerprint) or on every
//    post whose text matches a pattern (a campaign), until it expires or is revoked. It applies
//    only while the policy still lets the waiver's role waive that rule at the finding's level.
//  - A post whose remaining findings call for review needs an approval from every role that
//    those findings route to (or from any role when the policy routes them nowhere). Approvals
//    belong to a fingerprint: editing the post voids them. Once all have approved, the verdict
//    is pass and `review` keeps the record of who approved.
//  - Nothing is hidden: waived findings stay in the result, marked.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "core/post_result.h"
#include "gate/decision_log.h"
#include "policy/policy.h"

namespace postlint {

struct Waiver {
  std::string id;  // "w" + the seq of its log entry
  std::string rule;
  std::string fingerprint;  // one post ...
  std::string pattern;      // ... or every post whose text matches this RE2 pattern
  std::string by;
  std::string role;
  std::string reason;
  int64_t until = 0;  // expiry, seconds since the epoch (exclusive)
  bool revoked = false;
  std::shared_ptr<const RE2> regex;  // compiled `pattern`
};

struct RecordedApproval {
  std::string fingerprint;
  Approval approval;
};

// The waivers and approvals in force, read from the decision log once per run.
struct GateState {
  std::vector<Waiver> waivers;
  std::vector<RecordedApproval> approvals;

  // Reads every waive, revoke and approve entry of `log` while verifying its whole hash chain
  // (DecisionLog::Walk); an empty state when `log` is null. nullopt with `*error` set when the
  // chain is broken: an edit made outside postlint (a waiver moved onto a failing post) must
  // stop the gate, never change its verdict.
  static std::optional<GateState> Load(const DecisionLog* log, std::string* error);
  // Applies one entry in append order: a waiver, the revocation of one, or an approval; other
  // actions change nothing.
  void Apply(const LogEntry& entry);
  const Waiver* FindWaiver(const std::string& id) const;
};

// The error a front end reports when a decision log's chain is broken (`verification.ok` false):
// the log's path, what is wrong, and what to do.
std::string UntrustedLogError(const std::string& path, const LogVerification& verification);

// Where a post waiting for `required_roles` stands, given the approvals `state` holds for its
// `fingerprint`: approvals from roles it does not wait for do not count (unless no role is
// routed, when any does), and the roles still pending.
ReviewState ReviewFor(std::vector<std::string> required_roles, const std::string& fingerprint,
                      const GateState& state);

// Applies `state` to a result fresh from Engine::Check(): sets the fingerprint, marks findings
// that an active waiver covers, recomputes the verdict from the findings left, and fills
// `review`. Results of unreadable records (kError) are left as they are.
void ApplyGate(const Policy& policy, const GateState& state, int64_t now, PostResult& result);

// Permission checks for the commands: nullopt when allowed, else a message saying why not and
// what would be allowed.
std::optional<std::string> CheckActsInRole(const Policy& policy, const std::string& actor,
                                           const std::string& role);
std::optional<std::string> CheckMayWaive(const Policy& policy, const std::string& rule,
                                         const std::string& role);

// The log entry recording the gate's decision on `result` under `policy`; for a record that
// could not be read, verdict "error" with the reader's message.
LogEntry GateDecisionEntry(const Policy& policy, const PostResult& result, const std::string& actor,
                           int64_t now);

// Who is acting: $POSTLINT_ACTOR, else $USER, else "unknown".
std::string DefaultActor();

}  // namespace postlint
