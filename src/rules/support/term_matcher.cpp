#include "rules/support/term_matcher.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <queue>

namespace postlint {

TermMatcher::TermMatcher(const std::vector<std::string>& terms) {
  for (const auto& term : terms) {
    for (const char ch : term) {
      uint8_t& cls = byte_class_[static_cast<unsigned char>(ch)];
      if (cls == 0)
        cls = static_cast<uint8_t>(num_classes_++);
    }
  }
  std::vector<int32_t> next;  // next[node * num_classes_ + class]: the goto function, then the DFA
  const auto add_node = [&] {
    nodes_.emplace_back();
    next.resize(next.size() + num_classes_, -1);
    return static_cast<int32_t>(nodes_.size() - 1);
  };
  add_node();
  term_lengths_.resize(terms.size());
  for (size_t t = 0; t < terms.size(); ++t) {
    term_lengths_[t] = static_cast<uint32_t>(terms[t].size());
    if (terms[t].empty())
      continue;
    int32_t node = 0;
    for (const char ch : terms[t]) {
      const uint32_t c = byte_class_[static_cast<unsigned char>(ch)];
      if (next[node * num_classes_ + c] < 0) {
        const int32_t child = add_node();
        next[node * num_classes_ + c] = child;
      }
      node = next[node * num_classes_ + c];
    }
    nodes_[node].terms.push_back(static_cast<uint32_t>(t));
  }
  // Breadth-first: complete the goto function into a DFA and link outputs.
  std::queue<int32_t> queue;
  for (uint32_t c = 0; c < num_classes_; ++c) {
    int32_t& child = next[c];
    if (child < 0 || c == 0) {
      child = 0;
    } else {
      nodes_[child].fail = 0;
      queue.push(child);
    }
  }
  std::vector<int32_t> breadth_first = {0};  // nodes in the order the queue visits them
  breadth_first.reserve(nodes_.size());
  while (!queue.empty()) {
    const int32_t node = queue.front();
    queue.pop();
    breadth_first.push_back(node);
    const int32_t fail = nodes_[node].fail;
    nodes_[node].output_link = nodes_[fail].terms.empty() ? nodes_[fail].output_link : fail;
    for (uint32_t c = 0; c < num_classes_; ++c) {
      const int32_t child = next[node * num_classes_ + c];
      if (child < 0) {
        next[node * num_classes_ + c] = next[fail * num_classes_ + c];
      } else {
        nodes_[child].fail = next[fail * num_classes_ + c];
        queue.push(child);
      }
    }
  }
  // Renumber the nodes breadth-first. Ordinary text keeps the automaton near the root, so the
  // scan then reads a few kilobytes at the start of the table instead of rows scattered over
  // all of it (the whole table does not fit in the L1 cache for word lists of a few hundred
  // terms).
  std::vector<int32_t> renumbered(nodes_.size());
  for (size_t k = 0; k < breadth_first.size(); ++k)
    renumbered[breadth_first[k]] = static_cast<int32_t>(k);
  std::vector<Node> nodes(nodes_.size());
  for (size_t n = 0; n < nodes_.size(); ++n) {
    Node& node = nodes[renumbered[n]];
    node = std::move(nodes_[n]);
    node.fail = renumbered[node.fail];
    if (node.output_link >= 0)
      node.output_link = renumbered[node.output_link];
  }
  nodes_ = std::move(nodes);
  // Encode each transition as the target's row offset times two, plus one when the target
  // reports matches: the scan then needs no multiply and no second table per byte. (Offsets
  // fit: 2^31 transitions would take 8 GiB.)
  steps_.resize(next.size());
  for (size_t n = 0; n < nodes_.size(); ++n) {
    const uint32_t row = static_cast<uint32_t>(renumbered[n]) * num_classes_;
    for (uint32_t c = 0; c < num_classes_; ++c) {
      const auto target = static_cast<uint32_t>(renumbered[next[n * num_classes_ + c]]);
      const bool emits = !nodes_[target].terms.empty() || nodes_[target].output_link >= 0;
      steps_[row + c] = (target * num_classes_) << 1 | (emits ? 1u : 0u);
    }
  }
}

std::shared_ptr<const TermMatcher> TermMatcher::Shared(const std::vector<std::string>& terms) {
  static std::mutex mu;
  static std::map<std::vector<std::string>, std::weak_ptr<const TermMatcher>> interned;
  std::lock_guard lock(mu);
  std::weak_ptr<const TermMatcher>& slot = interned[terms];
  std::shared_ptr<const TermMatcher> matcher = slot.lock();
  if (!matcher) {
    matcher = std::make_shared<const TermMatcher>(terms);
    slot = matcher;
  }
  // Forget lists whose matchers are gone, so that compiling many policies does not accumulate.
  std::erase_if(interned, [](const auto& entry) { return entry.second.expired(); });
  return matcher;
}

void TermMatcher::FindAll(std::string_view text,
                          const std::function<void(size_t, uint32_t, uint32_t)>& on_match) const {
  if (nodes_.empty())
    return;
  // Locals, not members: `text` is char data, which may alias anything, so the compiler would
  // otherwise reload the table pointers on every byte.
  const uint32_t* const steps = steps_.data();
  const uint8_t* const classes = byte_class_;
  const auto* const bytes = reinterpret_cast<const unsigned char*>(text.data());
  const auto size = static_cast<uint32_t>(text.size());
  uint32_t step = 0;  // the root
  for (uint32_t i = 0; i < size; ++i) {
    step = steps[(step >> 1) + classes[bytes[i]]];
    if ((step & 1) != 0) [[unlikely]]
      Report(step, i + 1, on_match);
  }
}

void TermMatcher::Report(uint32_t step, uint32_t end,
                         const std::function<void(size_t, uint32_t, uint32_t)>& on_match) const {
  const auto node = static_cast<int32_t>((step >> 1) / num_classes_);
  for (int32_t out = nodes_[node].terms.empty() ? nodes_[node].output_link : node; out >= 0;
       out = nodes_[out].output_link) {
    for (const uint32_t t : nodes_[out].terms)
      on_match(t, end - term_lengths_[t], end);
  }
}

}  // namespace postlint
