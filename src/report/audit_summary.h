// Totals of an audit, built result by result in constant memory (whatever the number of posts):
// verdicts; findings by rule, level, network, account, author and month; the worst posts.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/post_result.h"

namespace postlint {

class AuditSummary {
 public:
  explicit AuditSummary(size_t top_posts = 10) : top_limit_(top_posts) {}

  void Add(const PostResult& result);
  void set_skipped(uint64_t skipped) { skipped_ = skipped; }

  const RunSummary& totals() const { return totals_; }
  // The whole summary as JSON (stable keys; see docs/audit.md).
  nlohmann::ordered_json ToJson(const PolicyInfo& policy) const;
  // The same for people.
  void PrintText(std::ostream& out, const PolicyInfo& policy) const;

  struct PostLine {
    std::string id;
    std::string source;
    uint32_t line = 0;
    Verdict verdict = Verdict::kPass;
    uint32_t errors = 0;
    uint32_t warnings = 0;
    uint32_t infos = 0;
  };
  const std::vector<PostLine>& top_posts() const { return top_; }

 private:
  RunSummary totals_;
  uint64_t skipped_ = 0;
  std::map<std::string, uint64_t> by_network_;
  std::map<std::string, uint64_t> by_account_;
  std::map<std::string, uint64_t> by_author_;
  // month ("2026-03") -> findings, and -> posts
  std::map<std::string, uint64_t> findings_by_month_;
  std::map<std::string, uint64_t> posts_by_month_;
  size_t top_limit_;
  std::vector<PostLine> top_;  // worst first
};

}  // namespace postlint
