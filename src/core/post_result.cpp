#include "core/post_result.h"

namespace postlint {

RunSummary::RunSummary() {
  for (Verdict v : {Verdict::kPass, Verdict::kReview, Verdict::kFail, Verdict::kError}) {
    verdicts[v] = 0;
  }
  for (Level l : {Level::kInfo, Level::kWarning, Level::kError})
    findings[l] = 0;
}

void RunSummary::Add(const PostResult& result) {
  ++posts;
  ++verdicts[result.verdict];
  for (const auto& f : result.findings) {
    if (f.suppression) {
      ++suppressed;
      continue;
    }
    ++findings[f.level];
    ++findings_by_rule[f.rule];
  }
}

}  // namespace postlint
