#include "server/metrics.h"

#include <sstream>

namespace postlint::server {

std::string Metrics::PathLabel(const std::string& path) {
  static constexpr const char* kRoutes[] = {"/v1/check", "/v1/policies", "/healthz", "/readyz",
                                            "/metrics"};
  for (const char* route : kRoutes) {
    if (path == route)
      return route;
  }
  return "other";
}

void Metrics::Request(const std::string& path, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{PathLabel(path), status}];
  ++latency_count_;
  latency_sum_ += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i])
      ++latency_buckets_[i];
  }
}

void Metrics::Checked(const std::map<std::string, uint64_t>& verdicts,
                      const std::map<std::string, uint64_t>& findings_by_rule) {
  std::lock_guard lock(mu_);
  for (const auto& [v, n] : verdicts)
    verdicts_[v] += n;
  for (const auto& [rule, n] : findings_by_rule)
    findings_by_rule_[rule] += n;
}

void Metrics::Reload(bool ok) {
  std::lock_guard lock(mu_);
  ++(ok ? reloads_ok_ : reloads_failed_);
}

std::string Metrics::Render() const {
  std::ostringstream m;
  std::lock_guard lock(mu_);
  m << "# HELP postlint_requests_total HTTP requests by path and status.\n"
       "# TYPE postlint_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    m << "postlint_requests_total{path=\"" << key.first << "\",code=\"" << key.second << "\"} " << n
      << "\n";
  }
  m << "# HELP postlint_request_duration_seconds Request latency.\n"
       "# TYPE postlint_request_duration_seconds histogram\n";
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    m << "postlint_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} "
      << latency_buckets_[i] << "\n";
  }
  m << "postlint_request_duration_seconds_bucket{le=\"+Inf\"} " << latency_count_ << "\n"
    << "postlint_request_duration_seconds_sum " << latency_sum_ << "\n"
    << "postlint_request_duration_seconds_count " << latency_count_ << "\n";
  m << "# HELP postlint_posts_checked_total Posts checked by verdict.\n"
       "# TYPE postlint_posts_checked_total counter\n";
  for (const char* v : {"pass", "review", "fail", "error"}) {
    const auto it = verdicts_.find(v);
    m << "postlint_posts_checked_total{verdict=\"" << v << "\"} "
      << (it == verdicts_.end() ? 0 : it->second) << "\n";
  }
  m << "# HELP postlint_findings_total Findings by rule.\n"
       "# TYPE postlint_findings_total counter\n";
  for (const auto& [rule, n] : findings_by_rule_)
    m << "postlint_findings_total{rule=\"" << rule << "\"} " << n << "\n";
  m << "# HELP postlint_policy_reloads_total Policy reloads by result.\n"
       "# TYPE postlint_policy_reloads_total counter\n"
       "postlint_policy_reloads_total{result=\"ok\"} "
    << reloads_ok_ << "\npostlint_policy_reloads_total{result=\"failed\"} " << reloads_failed_
    << "\n";
  return m.str();
}

}  // namespace postlint::server
