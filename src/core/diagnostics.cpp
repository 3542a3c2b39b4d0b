#include "core/diagnostics.h"

#include <algorithm>

namespace postlint {

std::string Diagnostic::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0)
      out += ":" + std::to_string(column);
  }
  out += ": error: " + message;
  return out;
}

std::string Diagnostics::ToString() const {
  std::string out;
  for (const auto& d : items_)
    out += d.ToString() + "\n";
  return out;
}

namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and transpositions
// of neighbours ("nmae" -> "name") each cost 1.
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string SuggestClosest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(1, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const size_t d = EditDistance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  if (!best.empty())
    return best;
  // A longer spelling of a known key ("max_hashtag" for "max") is a likely mix-up too.
  for (const auto& c : candidates) {
    if (c.size() >= 3 && word.size() > c.size() && word.compare(0, c.size(), c) == 0 &&
        (word[c.size()] == '_' || word[c.size()] == '-') && c.size() > best.size()) {
      best = c;
    }
  }
  return best;
}

std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string s = SuggestClosest(word, candidates);
  return s.empty() ? std::string() : " (did you mean '" + s + "'?)";
}

}  // namespace postlint
