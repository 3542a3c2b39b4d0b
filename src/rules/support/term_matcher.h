// Finds every occurrence of many terms in one pass over a text (Aho-Corasick over bytes), so a
// rule with thousands of terms costs the same scan as a rule with one. Matches may overlap;
// callers filter them (e.g. by word boundaries).
//
//   TermMatcher m({"damn", "dang it"});
//   m.FindAll(folded_text, [](size_t term, uint32_t begin, uint32_t end) { ... });
//
// Immutable after construction; FindAll() is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace postlint {

class TermMatcher {
 public:
  TermMatcher() = default;
  // Empty terms are ignored (they never match). Term indices are positions in `terms`.
  explicit TermMatcher(const std::vector<std::string>& terms);

  // Calls `on_match(term_index, begin, end)` for every occurrence, ordered by end offset.
  void FindAll(std::string_view text,
               const std::function<void(size_t, uint32_t, uint32_t)>& on_match) const;

  bool empty() const { return term_lengths_.empty(); }

 private:
  struct Node {
    int32_t fail = 0;
    int32_t output_link = -1;  // nearest node on the fail chain that ends a term
    std::vector<uint32_t> terms;
  };
  // Bytes that occur in no term share class 0, which keeps the transition table small
  // (classes x nodes instead of 256 x nodes) for large word lists.
  uint8_t byte_class_[256] = {};
  uint32_t num_classes_ = 1;
  std::vector<int32_t> next_;  // next_[node * num_classes_ + class]
  // Per state: does any term end here or on its fail chain? Checked on every byte, so it is a
  // dense byte array rather than a field of Node (which would cost a cache miss per byte).
  std::vector<uint8_t> emits_;
  std::vector<Node> nodes_;
  std::vector<uint32_t> term_lengths_;
};

}  // namespace postlint
