// The outcome of checking one post: what reporters format. Plain data, produced by the engine
// and never modified by reporters.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "core/level.h"
#include "core/post.h"

namespace postlint {

// How a post measures up against one network's limits.
struct NetworkMetrics {
  std::string network;
  std::string unit;           // length unit of the primary limit ("x-weighted", "graphemes", ...)
  uint32_t length = 0;        // length in `unit`
  uint32_t limit = 0;         // 0 when the network has no length limit
  uint32_t hashtags = 0;      // hashtags in the post
  uint32_t max_hashtags = 0;  // 0 when unlimited
};

// One person's approval of a post that needed review (`postlint approve`).
struct Approval {
  std::string by;
  std::string role;
  std::string at;  // RFC 3339 UTC
  std::string note;
};

// Where a post that needs review stands: which roles must approve it and who has. Filled by the
// gate (gate/gate.h) for posts whose findings call for review.
struct ReviewState {
  std::vector<std::string> required_roles;  // in policy order of the findings that need them
  std::vector<Approval> approvals;          // matching approvals of this exact post
  std::vector<std::string> pending_roles;   // required roles nobody has approved for yet
  // Every required role approved; with no roles routed, any one approval will do.
  bool approved() const {
    return required_roles.empty() ? !approvals.empty() : pending_roles.empty();
  }
};

struct PostResult {
  Post post;
  Verdict verdict = Verdict::kPass;
  // Sorted by position, then rule id. Duplicates across networks are merged.
  std::vector<Finding> findings;
  std::vector<NetworkMetrics> metrics;  // one per network the post was checked against
  std::optional<ReadError> error;       // set when verdict == kError
  // Hash of the text and publishing metadata (gate/fingerprint.h); empty when not computed.
  std::string fingerprint;
  // Set by the gate when findings call for review. A post whose required roles have all
  // approved has verdict kPass and keeps this record of who approved it.
  std::optional<ReviewState> review;
};

// What reports say about one rule of the policy (SARIF rule descriptors, summaries).
struct RuleInfo {
  std::string id;
  std::string kind;
  Level level = Level::kWarning;
  std::string description;  // the policy's description, else the kind's summary
};

struct PolicyInfo {
  std::string name;
  std::string version;
  std::string sha256;           // of the policy files as loaded, in load order
  std::vector<RuleInfo> rules;  // enabled rules, in policy order
};

// Totals over a run, filled as results are added.
struct RunSummary {
  uint64_t posts = 0;
  uint64_t skipped = 0;                  // posts left out by a filter (e.g. audit --since)
  std::map<Verdict, uint64_t> verdicts;  // every verdict present, zero counts included
  std::map<Level, uint64_t> findings;    // every level present, zero counts included
  std::map<std::string, uint64_t> findings_by_rule;
  uint64_t suppressed = 0;  // waived findings; not counted in `findings` or `findings_by_rule`

  RunSummary();
  void Add(const PostResult& result);
};

}  // namespace postlint
