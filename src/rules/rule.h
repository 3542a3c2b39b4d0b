// The contract every rule kind implements. A rule kind is one class in one file
// (src/rules/kinds/<kind>.cpp), registered by one line in rules/rule_kinds.def, tested in
// tests/rules/<kind>_test.cpp and documented in docs/rules/<kind>.md.
//
//   class MyRule final : public Rule {
//    public:
//     explicit MyRule(RuleInit& init) : Rule(init), max_(init.options.Int("max", 3, "...")) {
//       init.DeclarePlaceholders({"count", "max"});
//     }
//     void Check(const AnalyzedPost& post, const CheckContext& ctx,
//                FindingSink& sink) const override { ... sink.Report(range, {{"count", "4"}}); }
//   };
//   POSTLINT_DEFINE_RULE_FACTORY(MyRule, my_rule)
//
// Rules are compiled once per policy and then shared, read-only, by every worker thread:
// Check() must be const and thread-safe (no mutable state without synchronisation).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/analyzed_post.h"
#include "core/finding.h"
#include "policy/policy.h"
#include "rules/rule_options.h"

namespace postlint {

// How a policy is compiled, chosen by the front end.
struct CompileOptions {
  // The service (`postlint serve`) fetches links that strangers send: no policy may open
  // internal addresses, so `allow_hosts` and `allow_ranges` are ignored and loopback, private,
  // link-local and metadata addresses are always refused.
  bool strict_addresses = false;
  // Directories `extends` may read besides the shipped packs and the extending file's own
  // directory ($POSTLINT_POLICY_PATH and --policy-path, read by the CLI).
  PolicyLoadOptions load;
};

// Everything a rule kind's constructor may use.
struct RuleInit {
  const RuleSpec& spec;
  const Policy& policy;
  RuleOptions& options;
  const CompileOptions& compile;
  std::vector<std::string> placeholders;  // names the kind fills in messages
  // Default message per finding type ("" is the fallback for every type).
  std::vector<std::pair<std::string, std::string>> default_messages;

  // Names of the {placeholders} this kind fills; policy messages may use only these plus
  // {rule}, {network} and {excerpt}. Unknown placeholders are policy errors.
  void DeclarePlaceholders(std::vector<std::string> names) { placeholders = std::move(names); }
  // The message used when the policy gives none, for findings of `type` (see
  // FindingSink::Report); a kind that reports several kinds of problem sets one per type. A
  // policy's `message` replaces all of them.
  void SetDefaultMessage(std::string message, std::string type = "") {
    default_messages.emplace_back(std::move(type), std::move(message));
  }
};

// How one run checks its posts, chosen by the entry point (the CLI from its flags, the service
// per request) and passed down explicitly: the same for every post of a batch or a request.
struct CheckOptions {
  // Networks for posts that name none; when empty, the policy's default_networks apply.
  std::vector<std::string> fallback_networks;
  // No network access: live checks (links) answer from their cache only, and what is not there
  // is reported as unverifiable, never as broken.
  bool offline = false;
  // False: no live checks at all, and no finding about them. For policy tests, which test the
  // policy's rules and must give the same answer on any machine; never for checking posts.
  bool live_checks = true;
  // Live checks still running at this time are reported `pending` (their results still fill
  // the cache). Unset: wait for every check.
  std::optional<std::chrono::steady_clock::time_point> live_deadline;
};

// What the post is being checked for right now.
struct CheckContext {
  std::string network;                      // "" when the post names no network
  const NetworkProfile* profile = nullptr;  // that network's limits, when the policy has them
  // True on the first (or only) network a network-specific rule runs for: checks that do not
  // depend on the network report only then, so they are not repeated per network.
  bool primary = true;
  const CheckOptions* options = nullptr;  // never null when the engine calls Check()
};

using Placeholders = std::vector<std::pair<std::string, std::string>>;

// Collects a rule's findings, filling in what every finding shares (rule id, kind, level,
// message template, excerpt, network). Rules report ranges and placeholder values only.
class FindingSink {
 public:
  virtual ~FindingSink() = default;
  // Reports a finding at `range` (bytes into post.text()). `values` fill the message's
  // placeholders. `fix` replaces the range. `excerpt` overrides the default excerpt (the text at
  // `range`): sensitive matches must pass a masked excerpt here. `type` names the kind of
  // problem (e.g. "count", "deny"); it selects the default message and appears in reports.
  // `level` overrides the rule's level for this finding, for kinds whose outcomes differ in
  // weight by nature (a broken link vs one that could not be verified); the policy sets it
  // through the kind's options.
  virtual void Report(ByteRange range, const Placeholders& values,
                      std::optional<std::string> fix = std::nullopt,
                      std::optional<std::string> excerpt = std::nullopt, std::string type = "",
                      std::optional<Level> level = std::nullopt) = 0;

  // Marks `range` (bytes into post.text()) as a secret that reports show only as `mask`, e.g. a
  // card number as "4526 •••• •••• 3012". The engine masks it in the post's text and in every
  // finding of every rule that covers it (an over-long post's excerpt, a placeholder's, a
  // link's), so a secret never leaves postlint in full. Report() does not imply it: a rule that
  // finds a secret calls both.
  virtual void MarkSensitive(ByteRange range, std::string mask) = 0;
};

class Rule {
 public:
  explicit Rule(const RuleInit& init) : spec_(init.spec) {}
  virtual ~Rule() = default;
  Rule(const Rule&) = delete;
  Rule& operator=(const Rule&) = delete;

  // True when findings depend on the network (length, hashtag caps): the engine then runs the
  // rule once per network and labels findings with it. Other rules run once per post.
  virtual bool IsNetworkSpecific() const { return false; }

  // True when the rule has nothing to check without a network's limits (length, hashtag caps):
  // the engine then says so on posts it could not check for a network, instead of passing them
  // in silence.
  virtual bool NeedsNetworkLimits() const { return false; }

  // True when Check() may use the network (live link checks): the CLI then tells the writer
  // once that --offline skipped them.
  virtual bool UsesNetwork() const { return false; }

  // True when the rule is about what a text says (secrets, banned words, patterns), not about
  // how a post is built (length, hashtags, links, disclosure): the engine then also runs it on
  // the post's other texts (media alt texts), which readers see too.
  virtual bool ChecksEveryText() const { return false; }

  virtual void Check(const AnalyzedPost& post, const CheckContext& context,
                     FindingSink& sink) const = 0;

  const RuleSpec& spec() const { return spec_; }

 private:
  const RuleSpec& spec_;
};

using RuleFactory = std::unique_ptr<Rule> (*)(RuleInit&);

// Defines the factory function the registry expects for `Class`, named after `stem`.
#define POSTLINT_DEFINE_RULE_FACTORY(Class, stem)                                   \
  std::unique_ptr<::postlint::Rule> CreateRule_##stem(::postlint::RuleInit& init) { \
    return std::make_unique<Class>(init);                                           \
  }

}  // namespace postlint
