#include "report/sampler.h"

#include <algorithm>

namespace postlint {

void StratifiedSampler::Offer(PostResult&& result) {
  Stratum& s = strata_[result.post.account];
  const uint64_t seq = seq_++;
  ++s.seen;
  if (s.reservoir.size() < size_) {
    s.reservoir.push_back({seq, std::move(result)});
    return;
  }
  // Algorithm R: keep each of the first n items with probability size/n.
  std::uniform_int_distribution<uint64_t> pick(0, s.seen - 1);
  const uint64_t j = pick(rng_);
  if (j < size_)
    s.reservoir[j] = {seq, std::move(result)};
}

std::vector<PostResult> StratifiedSampler::Take() {
  uint64_t total = 0;
  for (const auto& [account, s] : strata_)
    total += s.seen;
  const size_t want = static_cast<size_t>(std::min<uint64_t>(size_, total));
  // Largest-remainder apportionment of `want` over the accounts by their post counts.
  struct Share {
    Stratum* stratum;
    size_t count;
    double remainder;
  };
  std::vector<Share> shares;
  size_t given = 0;
  for (auto& [account, s] : strata_) {
    const double exact =
        total ? static_cast<double>(want) * static_cast<double>(s.seen) / static_cast<double>(total)
              : 0.0;
    const auto floor = static_cast<size_t>(exact);
    shares.push_back({&s, floor, exact - static_cast<double>(floor)});
    given += floor;
  }
  std::vector<size_t> order(shares.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return shares[a].remainder > shares[b].remainder; });
  for (size_t k = 0; given < want && k < order.size(); ++k, ++given)
    ++shares[order[k]].count;

  std::vector<Entry> picked;
  for (auto& share : shares) {
    auto& r = share.stratum->reservoir;
    // The reservoir is a uniform sample of the stratum; its sequence order keeps it fair to cut.
    std::sort(r.begin(), r.end(), [](const Entry& a, const Entry& b) { return a.seq < b.seq; });
    std::shuffle(r.begin(), r.end(), rng_);
    for (size_t i = 0; i < share.count && i < r.size(); ++i)
      picked.push_back(std::move(r[i]));
  }
  std::sort(picked.begin(), picked.end(),
            [](const Entry& a, const Entry& b) { return a.seq < b.seq; });
  std::vector<PostResult> out;
  out.reserve(picked.size());
  for (auto& e : picked)
    out.push_back(std::move(e.result));
  strata_.clear();
  return out;
}

}  // namespace postlint
