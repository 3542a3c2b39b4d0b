// The people side of the gate as a library: who may approve, waive or revoke what, the entries
// those acts write to the decision log, and the review queue. The command line (`approve`,
// `waive`, `revoke`, `queue`), the service and front ends to come all ask here, so the rules of
// the gate hold the same way wherever someone acts; only the printing differs.
//
//   GateTarget t = TargetOf(session.Check(post));        // or LookupTarget(log, state, "post-1")
//   ApprovalCheck c = CheckApproval(policy, t, "bob", "editor");
//   if (c.outcome == ApprovalCheck::kApprove) log.Append(ApprovalEntry(policy, t, "bob", "editor",
//                                                                      "tone ok"), &error);
//
// Rules (docs/gate.md):
//  - Only members of a role act in it (when the role lists members).
//  - A failing post cannot be approved: approval never overrides a failure.
//  - Four eyes: nobody approves a post they wrote, unless the gate sets allow_self_approval.
//  - A post is approved by the roles its findings route to (any role when none is routed);
//    approving twice in one role is "already approved", not a second entry.
//  - A waiver accepts one rule's findings, at the levels the role may waive, until an expiry
//    in the future; a post with no such finding has nothing to waive.
//  - A waiver is revoked by its own role, or by a role that may waive its rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/post_result.h"
#include "gate/decision_log.h"
#include "gate/gate.h"
#include "policy/policy.h"

namespace postlint {

// What an act of the gate is about: a post checked now, or the latest gate decision on it.
struct GateTarget {
  std::string post_id;
  std::string account;
  std::string author;
  std::string fingerprint;
  Verdict verdict = Verdict::kPass;
  std::vector<std::pair<std::string, Level>> findings;  // rule and level, not waived
  std::optional<ReviewState> review;
};

// The target for a result of CheckSession (gate applied).
GateTarget TargetOf(const PostResult& result);

// "launch.md (a0be8f7a0550)": how messages name a target.
std::string TargetLabel(const std::string& post_id, const std::string& fingerprint);

// The post `post` names in the log: a fingerprint prefix (8+ hex digits) names one version; an
// id names the latest version of each post (account + id) carrying it. nullopt with `*problem`
// set when it names none, or several (the message lists their fingerprints, so a person can
// choose: an approval is never guessed).
std::optional<GateTarget> LookupTarget(const DecisionLog& log, const GateState& state,
                                       const std::string& post, std::string* problem);

struct ApprovalCheck {
  enum Outcome {
    kApprove,  // record the approval
    kNothing,  // nothing to record: the post passes, or this role already approved it
    kRefused,  // not allowed (exit 4 on the command line)
  };
  Outcome outcome = kRefused;
  std::string message;                     // why refused, or why there is nothing to do
  std::vector<std::string> required;       // roles the post waits for
  std::vector<std::string> still_pending;  // roles still pending once this approval counts
};

// May `actor`, acting in `role`, approve `target`? Role membership is checked separately
// (CheckActsInRole, gate.h), once per command rather than per post.
ApprovalCheck CheckApproval(const Policy& policy, const GateTarget& target,
                            const std::string& actor, const std::string& role);

// The entry an act writes: action, actor, role, the target's identity (when given), policy.
LogEntry ActEntry(const Policy& policy, const std::string& action, const std::string& actor,
                  const std::string& role, const GateTarget* target);

// The approval entry for a target CheckApproval allowed.
LogEntry ApprovalEntry(const Policy& policy, const GateTarget& target, const std::string& actor,
                       const std::string& role, const std::string& note,
                       const std::vector<std::string>& required);

// Why `role` may not waive `rule` on `target` (nullopt when it may): the target has no unwaived
// finding of the rule, or one at a level the role may not waive.
std::optional<std::string> CheckWaiverOn(const Policy& policy, const GateTarget& target,
                                         const std::string& rule, const std::string& role);

// A waiver's expiry from `--until` (a day, covering all of it, or an RFC 3339 time) or `--for`
// (a duration from `now`), exactly one of them given. The expiry, or why it is not one.
struct Expiry {
  std::optional<int64_t> until;
  std::string problem;
};
Expiry WaiverExpiry(const std::string& until, const std::string& duration, int64_t now);

// Why `actor` in `role` may not revoke `waiver` (nullopt when they may).
std::optional<std::string> CheckRevocation(const Policy& policy, const Waiver& waiver,
                                           const std::string& actor, const std::string& role);

// A post waiting for review.
struct QueueItem {
  LogEntry decision;  // the latest gate decision on this version of the post
  std::string since;  // when this version started waiting (RFC 3339)
  std::vector<std::string> required;
  std::vector<std::string> pending;
  int64_t deadline_seconds = 0;  // the policy's approval_deadline when it was gated; 0: none
  bool overdue = false;
  int64_t age = 0;  // seconds waited by `now`
};

// The posts still waiting for review at `now`, oldest first. Keyed by fingerprint: two posts
// that share an id (a scheduler's "post-1", two accounts' "42") are two posts; a newer decision
// on the same post (account + id) with another fingerprint is an edit that replaces the older
// version. A re-check of the same version keeps its place.
// `state` is the log's GateState (GateState::Load), for the approvals made since each decision.
std::vector<QueueItem> BuildQueue(const DecisionLog& log, const GateState& state, int64_t now);

}  // namespace postlint
