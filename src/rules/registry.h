// The table of rule kinds, generated from rule_kinds.def.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.h"

namespace postlint {

struct RuleKindInfo {
  std::string_view id;
  std::string_view summary;
  RuleFactory factory;
};

// All kinds, sorted by id.
const std::vector<RuleKindInfo>& RuleKinds();
// nullptr when `id` is not a registered kind.
const RuleKindInfo* FindRuleKind(std::string_view id);
std::vector<std::string> RuleKindIds();

}  // namespace postlint
