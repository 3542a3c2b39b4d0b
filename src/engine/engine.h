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
#include "engine/post_result.h"
#include "policy/policy.h"
#include "rules/rule.h"

namespace postlint {

class Engine {
 public:
  // Compiles every enabled rule of `policy`. Returns nullptr when `diags` already holds problems
  // (a half-loaded policy) or when any rule cannot be compiled; every problem is appended.
  static std::shared_ptr<const Engine> Compile(Policy policy, Diagnostics& diags);

  // Checks one post. Networks: the post's own, else the policy's default_networks, else
  // `fallback_networks`. Thread-safe.
  PostResult Check(Post post, const std::vector<std::string>& fallback_networks = {}) const;

  // A result for a record that could not be read (verdict kError).
  static PostResult ErrorResult(const ReadError& error);

  const Policy& policy() const { return policy_; }
  PolicyInfo info() const;
  // Rule instances in policy order (enabled rules only).
  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }

 private:
  explicit Engine(Policy policy) : policy_(std::move(policy)) {}

  // Message templates of one rule: the policy's (applies to every type) or the kind's defaults.
  struct Messages {
    std::string policy_message;
    std::vector<std::pair<std::string, std::string>> defaults;  // type -> template
    const std::string& For(const std::string& type) const;
  };
  Policy policy_;
  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<Messages> messages_;  // parallel to rules_
};

// Loads `path` (with its extends), compiles it, and returns nullptr with every problem in
// `diags` when anything is wrong: nothing is ever checked with a half-loaded policy.
std::shared_ptr<const Engine> CompilePolicyFile(const std::string& path, Diagnostics& diags);
std::shared_ptr<const Engine> CompilePolicyString(const std::string& yaml, const std::string& file,
                                                  Diagnostics& diags);

// Keys every rule entry may have, whatever its kind.
const std::vector<std::string>& CommonRuleKeys();

// Expands {name} placeholders in `message` from `values`; unknown names are left as written.
std::string ExpandMessage(const std::string& message, const Placeholders& values);

}  // namespace postlint
