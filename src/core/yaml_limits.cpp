#include "core/yaml_limits.h"

#include <unordered_map>
#include <utility>
#include <vector>

#include "core/byte_size.h"

namespace postlint {
namespace {

// The nodes the walk has met. yaml-cpp gives no node identity but Node::is(); a node's position
// in the text is a good hash (only a container and its first child share one), is() decides.
class SeenNodes {
 public:
  // True when `node` was met before; remembers it otherwise.
  bool CheckAndInsert(const YAML::Node& node) {
    std::vector<YAML::Node>& bucket = by_position_[node.Mark().pos];
    for (const YAML::Node& seen : bucket) {
      if (seen.is(node))
        return true;
    }
    bucket.push_back(node);
    return false;
  }

 private:
  std::unordered_map<int, std::vector<YAML::Node>> by_position_;
};

struct Step {
  YAML::Node node;
  // True under an alias: the nodes were counted as aliases when first met.
  bool in_copy;
};

}  // namespace

std::optional<YamlLimitProblem> CheckYamlLimits(const YAML::Node& root, const YamlLimits& limits) {
  try {
    if (!root.IsDefined() || root.IsNull())
      return std::nullopt;
    SeenNodes seen;
    std::vector<Step> stack;
    size_t nodes = 0;
    size_t aliases = 0;
    // Nodes are counted as they are pushed, so the stack never holds more than the budget.
    std::optional<YamlLimitProblem> problem;
    auto push = [&](const YAML::Node& node, bool in_copy) {
      if (++nodes > limits.max_nodes) {
        problem = YamlLimitProblem{
            node.Mark(),
            "the YAML expands to more than " + FormatCount(limits.max_nodes) +
                " nodes once its aliases (*name) are replaced by what they repeat; postlint "
                "reads at most that many (an alias of an alias multiplies, so a few lines can "
                "stand for billions)"};
        return false;
      }
      stack.push_back({node, in_copy});
      return true;
    };
    push(root, false);
    while (!stack.empty()) {
      Step step = std::move(stack.back());
      stack.pop_back();
      bool in_copy = step.in_copy;
      if (seen.CheckAndInsert(step.node)) {
        if (!in_copy && ++aliases > limits.max_aliases) {
          return YamlLimitProblem{step.node.Mark(),
                                  "the YAML uses more than " + FormatCount(limits.max_aliases) +
                                      " aliases (*name); postlint reads at most that many (this "
                                      "one repeats the node with the anchor here)"};
        }
        in_copy = true;
      }
      if (step.node.IsSequence()) {
        for (const YAML::Node& item : step.node) {
          if (!push(item, in_copy))
            return problem;
        }
      } else if (step.node.IsMap()) {
        for (auto it = step.node.begin(); it != step.node.end(); ++it) {
          if (!push(it->first, in_copy) || !push(it->second, in_copy))
            return problem;
        }
      }
    }
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    // Walking a loaded tree does not throw; should it, refuse rather than use the tree.
    return YamlLimitProblem{e.mark, "cannot walk the YAML: " + e.msg};
  }
}

}  // namespace postlint
