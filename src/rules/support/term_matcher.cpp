#include "rules/support/term_matcher.h"

#include <algorithm>
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
  const auto add_node = [&] {
    nodes_.emplace_back();
    next_.resize(next_.size() + num_classes_, -1);
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
      if (next_[node * num_classes_ + c] < 0) {
        const int32_t child = add_node();
        next_[node * num_classes_ + c] = child;
      }
      node = next_[node * num_classes_ + c];
    }
    nodes_[node].terms.push_back(static_cast<uint32_t>(t));
  }
  // Breadth-first: complete the goto function into a DFA and link outputs.
  std::queue<int32_t> queue;
  for (uint32_t c = 0; c < num_classes_; ++c) {
    int32_t& child = next_[c];
    if (child < 0 || c == 0) {
      child = 0;
    } else {
      nodes_[child].fail = 0;
      queue.push(child);
    }
  }
  while (!queue.empty()) {
    const int32_t node = queue.front();
    queue.pop();
    const int32_t fail = nodes_[node].fail;
    nodes_[node].output_link = nodes_[fail].terms.empty() ? nodes_[fail].output_link : fail;
    for (uint32_t c = 0; c < num_classes_; ++c) {
      const int32_t child = next_[node * num_classes_ + c];
      if (child < 0) {
        next_[node * num_classes_ + c] = next_[fail * num_classes_ + c];
      } else {
        nodes_[child].fail = next_[fail * num_classes_ + c];
        queue.push(child);
      }
    }
  }
  emits_.resize(nodes_.size());
  for (size_t n = 0; n < nodes_.size(); ++n) {
    emits_[n] = !nodes_[n].terms.empty() || nodes_[n].output_link >= 0;
  }
}

void TermMatcher::FindAll(std::string_view text,
                          const std::function<void(size_t, uint32_t, uint32_t)>& on_match) const {
  if (nodes_.empty())
    return;
  int32_t node = 0;
  for (uint32_t i = 0; i < text.size(); ++i) {
    node = next_[node * num_classes_ + byte_class_[static_cast<unsigned char>(text[i])]];
    if (!emits_[node])
      continue;
    for (int32_t out = nodes_[node].terms.empty() ? nodes_[node].output_link : node; out >= 0;
         out = nodes_[out].output_link) {
      for (const uint32_t t : nodes_[out].terms) {
        on_match(t, i + 1 - term_lengths_[t], i + 1);
      }
    }
  }
}

}  // namespace postlint
