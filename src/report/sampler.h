// A reproducible random sample of posts for manual review, stratified by account: every
// account is represented in proportion to its share of the posts (largest remainder), and the
// same input, size and seed always give the same sample, in input order.
//
// Memory: one reservoir of at most `size` posts per account, whatever the input size.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/post_result.h"

namespace postlint {

class StratifiedSampler {
 public:
  StratifiedSampler(size_t size, uint64_t seed) : size_(size), rng_(seed) {}

  // Offer results in input order.
  void Offer(PostResult&& result);

  // The sample, in input order. Call once, after the last Offer().
  std::vector<PostResult> Take();

 private:
  struct Entry {
    uint64_t seq;
    PostResult result;
  };
  struct Stratum {
    uint64_t seen = 0;
    std::vector<Entry> reservoir;
  };
  size_t size_;
  std::mt19937_64 rng_;
  uint64_t seq_ = 0;
  std::map<std::string, Stratum> strata_;  // by account; ordered, so the sample is reproducible
};

}  // namespace postlint
