#include "core/networks.h"

#include <algorithm>
#include <utility>

namespace postlint {

namespace {

constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    {"twitter", "x"},  {"ig", "instagram"}, {"fb", "facebook"},
    {"yt", "youtube"}, {"bsky", "bluesky"}, {"li", "linkedin"},
};

}  // namespace

std::string CanonicalNetworkName(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  for (const auto& [alias, canonical] : kAliases) {
    if (lower == alias)
      return std::string(canonical);
  }
  return lower;
}

const std::vector<std::string>& KnownNetworkNames() {
  // The networks of the shipped `networks` pack (rules/networks.yaml), whose limits are
  // documented in docs/rules/length.md.
  static const std::vector<std::string> kNames = {"x",        "threads",  "bluesky",   "mastodon",
                                                  "linkedin", "facebook", "instagram", "tiktok",
                                                  "youtube",  "pinterest"};
  return kNames;
}

const std::vector<std::string>& KnownNetworkSpellings() {
  static const std::vector<std::string> kSpellings = [] {
    std::vector<std::string> all = KnownNetworkNames();
    for (const auto& [alias, canonical] : kAliases)
      all.emplace_back(alias);
    return all;
  }();
  return kSpellings;
}

bool IsKnownNetwork(std::string_view canonical) {
  const auto& names = KnownNetworkNames();
  return std::find(names.begin(), names.end(), canonical) != names.end();
}

}  // namespace postlint
