// A policy as loaded from YAML: metadata, network limits, rule instances and the gate. Loading
// is strict and exhaustive: unknown keys, wrong types and bad values are all reported, each with
// file:line:col and a suggestion, and no Policy is returned when any problem was found.
//
//   Diagnostics diags;
//   std::optional<Policy> policy = LoadPolicyFile("acme.yaml", diags);
//   if (!policy) { std::cerr << diags.ToString(); return 2; }
//
// Rule options are not interpreted here: each rule keeps its YAML node, and the rule kind reads
// its own options when the engine compiles the policy (see rules/rule.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "analysis/length_unit.h"
#include "core/data_dir.h"
#include "core/diagnostics.h"
#include "core/finding.h"
#include "core/level.h"
#include "core/post.h"
#include "policy/policy_limits.h"

namespace postlint {

struct SourceLocation {
  std::string file;
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based
};

struct LengthLimit {
  LengthUnit unit = LengthUnit::kCodePoints;
  uint32_t max = 0;
};

// What one network allows. Fields left unset mean "no limit".
struct NetworkProfile {
  std::string name;                 // canonical network name
  std::string display_name;         // "X", "Bluesky", ...
  std::vector<LengthLimit> length;  // all must hold; the first is the primary
  std::optional<uint32_t> max_hashtags;
  std::optional<uint32_t> max_mentions;
  std::optional<uint32_t> max_links;
};

// `when:` conditions on post fields. Every present field must match; a list matches any item.
struct Condition {
  std::vector<std::string> networks;  // canonical names
  std::vector<std::string> accounts;
  std::vector<std::string> authors;
  std::vector<std::string> langs;  // primary language subtag match ("en" matches "en-GB")
  std::optional<bool> sponsored;   // absent `sponsored` on a post counts as false
  std::map<std::string, std::vector<std::string>> labels;

  bool empty() const;
  // `network` is the network the post is being checked for ("" when none).
  bool Matches(const Post& post, const std::string& network) const;
};

// A role people act in at the approval gate (writer, editor, legal, ...). See docs/gate.md.
struct RoleSpec {
  std::string name;
  std::string description;
  // When non-empty, only these people (as named by `--as`) may act in the role. postlint does not
  // authenticate anyone: the list stops honest mistakes, and the decision log records who claimed
  // what.
  std::vector<std::string> members;
};

// Who must approve a post that needs review, and who may accept a finding as a risk, per level.
// Rules may override both (RuleSpec::review_by, RuleSpec::waivable_by).
struct GateRouting {
  std::map<Level, std::vector<std::string>> review_by;
  std::map<Level, std::vector<std::string>> waivable_by;
  // Posts waiting for review longer than this are flagged by `postlint queue`; 0: no deadline.
  int64_t approval_deadline_seconds = 0;
  // Four eyes: by default nobody approves a post whose `author` they are.
  bool allow_self_approval = false;
};

struct RuleSpec {
  std::string id;
  std::string kind;
  Level level = Level::kWarning;
  std::string message;  // empty: the kind's default message
  std::string description;
  Condition when;
  bool enabled = true;
  // Gate routing for this rule's findings; unset: the policy's GateRouting for the level.
  std::optional<std::vector<std::string>> review_by;
  std::optional<std::vector<std::string>> waivable_by;
  YAML::Node node;  // the rule's whole mapping; the kind reads its own options from it
  SourceLocation location;
};

struct Policy {
  std::string name;
  std::string version;
  std::string description;
  std::map<std::string, NetworkProfile> networks;
  std::vector<std::string> default_networks;  // used for posts that name none
  std::vector<RuleSpec> rules;
  std::map<Level, Verdict> gate;  // always has all three levels
  std::map<std::string, RoleSpec> roles;
  GateRouting routing;
  std::vector<std::string> files;  // every file loaded, in load order (extends first)
  std::string sha256;              // of the loaded files' contents, in load order

  const NetworkProfile* FindNetwork(const std::string& name) const;
  // Network names are a closed vocabulary: the policy's own networks and the ones postlint
  // knows (core/networks.h). For a canonical name outside it, a message with the closest
  // names ("unknown network 'linkdin' (did you mean 'linkedin'?); ..."); nullopt when known.
  std::optional<std::string> UnknownNetworkProblem(const std::string& canonical) const;
  const RuleSpec* FindRule(const std::string& id) const;
  // The worst verdict `gate` gives to the findings that are not suppressed (none: pass).
  Verdict VerdictFor(const std::vector<Finding>& findings) const;
  // Roles that must approve a post because of a finding of rule `rule` at `level` (the finding's
  // own level, which may differ from the rule's): the rule's review_by, else the level's.
  std::vector<std::string> ReviewRoles(const std::string& rule, Level level) const;
  // Roles that may waive such a finding: the rule's waivable_by, else the level's.
  std::vector<std::string> WaiverRoles(const std::string& rule, Level level) const;
};

// Loads `path` and everything it extends, appending every problem to `diags`. Best effort: the
// returned Policy leaves out what could not be loaded, so it is complete only when `diags` is
// empty; this lets the engine report rule-option problems in the same run. Returns nullopt when
// the file itself cannot be read or parsed as YAML. Most callers want CompilePolicyFile() from
// engine/engine.h, which loads, compiles and refuses half-loaded policies.
// `extends` reads only shipped packs, files under the extending file's own directory and files
// under `options.policy_path`; each file is loaded once, and sizes are capped
// (policy/policy_limits.h). YAML aliases are capped before the tree is used
// (core/yaml_limits.h).
std::optional<Policy> LoadPolicyFile(const std::string& path, Diagnostics& diags,
                                     const PolicyLoadOptions& options = {});

// Loads a policy from memory (tests, the HTTP service). `file` names it in diagnostics and
// anchors relative `extends` paths (its directory is the one `extends` may read besides the
// shipped packs and the policy path). Same contract as LoadPolicyFile().
std::optional<Policy> LoadPolicyString(const std::string& yaml, const std::string& file,
                                       Diagnostics& diags, const PolicyLoadOptions& options = {});

// The policy a command uses when none is given: postlint.yaml or .postlint.yaml in `start_dir`
// or the nearest parent that has one, else the shipped default (DataDir()/default.yaml).
std::string DiscoverPolicyPath(const std::string& start_dir);

// Location of a YAML node as 1-based line and column.
SourceLocation LocationOf(const YAML::Node& node, const std::string& file);

}  // namespace postlint
