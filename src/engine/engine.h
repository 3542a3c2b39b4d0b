// Compiles a policy into immutable rule instances and checks posts against it.
//
//   Diagnostics diags;
//   std::shared_ptr<const Engine> engine = CompilePolicyFile("acme.yaml", diags);
//   if (!engine) { print diags; exit 2; }
//   PostResult r = engine->Check(post);   // thread-safe; call from many threads at once
//
// Cost: all regexes, term tables and word lists are built in Compile(); Check() builds nothing
// and analyses the post once (lazily, only the views the loaded rules ask for).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/post_result.h"
#include "policy/policy.h"
#include "rules/rule.h"

namespace postlint {

class Engine {
 public:
  // Compiles every enabled rule of `policy`. Returns nullptr when `diags` already holds problems
  // (a half-loaded policy) or when any rule cannot be compiled; every problem is appended.
  static std::shared_ptr<const Engine> Compile(Policy policy, Diagnostics& diags,
                                               const CompileOptions& compile = {});

  // Checks one post. Networks: the post's own, else `options.fallback_networks` (the command
  // line's --network), else the policy's default_networks. Thread-safe.
  //
  // Nothing passes unread: a post that names a network outside the policy's vocabulary
  // (Policy::UnknownNetworkProblem) or that is empty (no text and no media) gets verdict kError
  // with the reason, as an unreadable record does. A post that could not be checked against any
  // network's limits, while the policy has rules that need them (length, hashtag caps), gets a
  // `postlint.network-coverage` warning saying which checks did not run and why.
  //
  // No secret leaves: the result's fingerprint is of the post as written, and then every span a
  // rule marked sensitive is masked in the post's text and in every finding's excerpt and
  // message, whichever rule's finding covers it; fixes that would write a
  // secret back are dropped. The same for each media alt text, which is checked too: its
  // findings name their field ("media[0].alt_text").
  PostResult Check(Post post, const CheckOptions& options = {}) const;

  // True when some rule may use the network (live link checks).
  bool UsesNetwork() const;

  // A result for a record that could not be read (verdict kError).
  static PostResult ErrorResult(const ReadError& error);

  const Policy& policy() const { return policy_; }
  PolicyInfo info() const;
  // Rule instances in policy order (enabled rules only).
  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }

 private:
  explicit Engine(Policy policy) : policy_(std::move(policy)) {}
  // The postlint.network-coverage findings for a post checked for `networks`.
  void AddNetworkCoverage(const std::vector<std::string>& networks,
                          std::vector<Finding>& findings) const;

  // Message templates of one rule: the policy's (applies to every type) or the kind's defaults.
  struct Messages {
    std::string policy_message;
    std::vector<std::pair<std::string, std::string>> defaults;  // type -> template
    const std::string& For(const std::string& type) const;
  };
  Policy policy_;
  bool needs_network_limits_ = false;  // some rule reads the network's limits
  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<Messages> messages_;  // parallel to rules_
};

// Loads `path` (with its extends), compiles it, and returns nullptr with every problem in
// `diags` when anything is wrong: nothing is ever checked with a half-loaded policy.
// `compile` says how (CompileOptions, rules/rule.h: the service's strict addresses).
std::shared_ptr<const Engine> CompilePolicyFile(const std::string& path, Diagnostics& diags,
                                                const CompileOptions& compile = {});
std::shared_ptr<const Engine> CompilePolicyString(const std::string& yaml, const std::string& file,
                                                  Diagnostics& diags,
                                                  const CompileOptions& compile = {});

// The id of the findings the engine itself makes (network coverage, engine.h). Policies may not
// use ids starting with "postlint.".
inline constexpr const char* kNetworkCoverageRule = "postlint.network-coverage";

// Keys every rule entry may have, whatever its kind.
const std::vector<std::string>& CommonRuleKeys();

// Expands {name} placeholders in `message` from `values`; unknown names are left as written.
std::string ExpandMessage(const std::string& message, const Placeholders& values);

}  // namespace postlint
