#include "rules/registry.h"

namespace postlint {

#define POSTLINT_RULE_KIND(id, Class, stem, summary) \
  std::unique_ptr<Rule> CreateRule_##stem(RuleInit& init);
#include "rules/rule_kinds.def"
#undef POSTLINT_RULE_KIND

const std::vector<RuleKindInfo>& RuleKinds() {
  static const std::vector<RuleKindInfo> kinds = {
#define POSTLINT_RULE_KIND(id, Class, stem, summary) {id, summary, &CreateRule_##stem},
#include "rules/rule_kinds.def"
#undef POSTLINT_RULE_KIND
  };
  return kinds;
}

const RuleKindInfo* FindRuleKind(std::string_view id) {
  for (const auto& k : RuleKinds()) {
    if (k.id == id)
      return &k;
  }
  return nullptr;
}

std::vector<std::string> RuleKindIds() {
  std::vector<std::string> ids;
  for (const auto& k : RuleKinds())
    ids.emplace_back(k.id);
  return ids;
}

}  // namespace postlint
