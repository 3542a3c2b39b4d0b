// The service's Prometheus metrics (GET /metrics). Every label comes from a fixed set: request
// paths are the service's own routes or "other", so no client can add a series, or a line, by
// asking for a path of its choosing. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace postlint::server {

class Metrics {
 public:
  // The label a request path is counted under: a route of the service, else "other".
  static std::string PathLabel(const std::string& path);

  void Request(const std::string& path, int status, double seconds);
  void Checked(const std::map<std::string, uint64_t>& verdicts,
               const std::map<std::string, uint64_t>& findings_by_rule);
  void Reload(bool ok);
  // The Prometheus text exposition (version 0.0.4).
  std::string Render() const;

 private:
  static constexpr std::array<double, 10> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,  0.1,    0.25,  1};
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;  // (route label, status)
  std::array<uint64_t, kBuckets.size()> latency_buckets_ = {};
  uint64_t latency_count_ = 0;
  double latency_sum_ = 0;
  std::map<std::string, uint64_t> verdicts_;
  std::map<std::string, uint64_t> findings_by_rule_;  // rule ids of the loaded policies
  uint64_t reloads_ok_ = 0, reloads_failed_ = 0;
};

}  // namespace postlint::server
