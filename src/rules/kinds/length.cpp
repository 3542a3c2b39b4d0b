// Flags posts longer than a network allows, counted the way that network counts.
// User docs: docs/rules/length.md
#include <algorithm>

#include "core/networks.h"
#include "rules/rule.h"

namespace postlint {
namespace {

std::string UnitLabel(LengthUnit unit) {
  switch (unit) {
    case LengthUnit::kXWeighted:
      return "weighted characters";
    case LengthUnit::kMastodon:
    case LengthUnit::kThreads:
    case LengthUnit::kCodePoints:
      return "characters";
    case LengthUnit::kGraphemes:
      return "graphemes";
    case LengthUnit::kUtf16:
      return "UTF-16 units";
    case LengthUnit::kUtf8Bytes:
      return "bytes";
  }
  return "characters";
}

class LengthRule final : public Rule {
 public:
  explicit LengthRule(RuleInit& init)
      : Rule(init),
        networks_(init.options.StringList(
            "networks", "only check these networks (default: every network the post targets)")),
        max_(init.options.IntPerNetwork(
            "max", "override the primary limit: one number for every network, or per network")) {
    for (auto& n : networks_)
      n = CanonicalNetworkName(n);
    init.DeclarePlaceholders({"length", "limit", "unit", "over", "network_name"});
    init.SetDefaultMessage(
        "Too long for {network_name}: {length} of {limit} {unit} ({over} over); shorten the "
        "highlighted part");
  }

  bool IsNetworkSpecific() const override { return true; }
  bool NeedsNetworkLimits() const override { return true; }

  void Check(const AnalyzedPost& post, const CheckContext& ctx, FindingSink& sink) const override {
    if (ctx.network.empty())
      return;
    if (!networks_.empty() &&
        std::find(networks_.begin(), networks_.end(), ctx.network) == networks_.end()) {
      return;
    }
    std::vector<LengthLimit> limits;
    if (ctx.profile)
      limits = ctx.profile->length;
    auto override_it = max_.find(ctx.network);
    if (override_it == max_.end())
      override_it = max_.find("*");
    if (override_it != max_.end()) {
      if (limits.empty())
        limits.push_back({LengthUnit::kCodePoints, 0});
      limits.front().max = static_cast<uint32_t>(override_it->second);
    }
    const std::string display =
        ctx.profile && !ctx.profile->display_name.empty() ? ctx.profile->display_name : ctx.network;
    for (const LengthLimit& limit : limits) {
      const uint32_t length = post.Length(limit.unit);
      if (length <= limit.max)
        continue;
      const uint32_t from = post.OverflowOffset(limit.unit, limit.max);
      const auto size = static_cast<uint32_t>(post.text().size());
      sink.Report({std::min(from, size), size},
                  {{"length", std::to_string(length)},
                   {"limit", std::to_string(limit.max)},
                   {"unit", UnitLabel(limit.unit)},
                   {"over", std::to_string(length - limit.max)},
                   {"network_name", display}},
                  std::nullopt, std::nullopt, std::string(ToString(limit.unit)));
    }
  }

 private:
  std::vector<std::string> networks_;
  std::map<std::string, int64_t> max_;
};

}  // namespace

POSTLINT_DEFINE_RULE_FACTORY(LengthRule, length)

}  // namespace postlint
