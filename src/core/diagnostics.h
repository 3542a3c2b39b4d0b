// Problems found while loading a policy or reading input, each with a location. Loading never
// stops at the first problem: callers collect all of them, then refuse to run if any is an error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace postlint {

struct Diagnostic {
  std::string file;
  uint32_t line = 0;    // 1-based; 0 when unknown
  uint32_t column = 0;  // 1-based; 0 when unknown
  std::string message;  // what is wrong and what was expected, incl. "did you mean ...?"

  // "file:line:col: error: message" (line/col omitted when unknown).
  std::string ToString() const;
};

class Diagnostics {
 public:
  void Add(Diagnostic d) { items_.push_back(std::move(d)); }
  void Add(std::string file, uint32_t line, uint32_t column, std::string message) {
    items_.push_back({std::move(file), line, column, std::move(message)});
  }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  // All diagnostics, one per line, in the order found.
  std::string ToString() const;

 private:
  std::vector<Diagnostic> items_;
};

// Returns the candidate closest to `word` by edit distance when it is close enough to be a
// plausible typo (distance <= max(1, word.size() / 3)), else an empty string.
std::string SuggestClosest(const std::string& word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" — ready to append to a message.
std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace postlint
