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
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace postlint {

class TermMatcher {
 public:
  TermMatcher() = default;
  // Empty terms are ignored (they never match). Term indices are positions in `terms`.
  explicit TermMatcher(const std::vector<std::string>& terms);

  // A matcher for `terms` that is the same object for every caller with an equal term list, for
  // as long as one of them holds it. Rules use its address as part of an AnalyzedPost::Derived
  // key, so that rules built from the same lists (the profanity pack's two lexicon rules) scan
  // each post once. Thread-safe.
  static std::shared_ptr<const TermMatcher> Shared(const std::vector<std::string>& terms);

  // Calls `on_match(term_index, begin, end)` for every occurrence, ordered by end offset.
  void FindAll(std::string_view text,
               const std::function<void(size_t, uint32_t, uint32_t)>& on_match) const;

  bool empty() const { return term_lengths_.empty(); }

 private:
  // Reports the terms that end at byte `end`, in the state `step` (an emitting one) leads to.
  void Report(uint32_t step, uint32_t end,
              const std::function<void(size_t, uint32_t, uint32_t)>& on_match) const;

  struct Node {
    int32_t fail = 0;
    int32_t output_link = -1;  // nearest node on the fail chain that ends a term
    std::vector<uint32_t> terms;
  };
  // Bytes that occur in no term share class 0, which keeps the transition table small
  // (classes x nodes instead of 256 x nodes) for large word lists.
  uint8_t byte_class_[256] = {};
  uint32_t num_classes_ = 1;
  // The DFA as the scan reads it: steps_[node * num_classes_ + class] is the next node's row
  // offset (node * num_classes_) shifted left by one, with the low bit set when the next node
  // ends a term (itself or along its fail chain). Checked on every byte, so the "emits" bit
  // rides in the value just loaded instead of costing a second lookup (and cache miss).
  std::vector<uint32_t> steps_;
  std::vector<Node> nodes_;
  std::vector<uint32_t> term_lengths_;
};

}  // namespace postlint
