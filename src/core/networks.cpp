#include "core/networks.h"

#include <utility>

namespace postlint {

std::string CanonicalNetworkName(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
      {"twitter", "x"},  {"ig", "instagram"}, {"fb", "facebook"},
      {"yt", "youtube"}, {"bsky", "bluesky"}, {"li", "linkedin"},
  };
  for (const auto& [alias, canonical] : kAliases) {
    if (lower == alias)
      return std::string(canonical);
  }
  return lower;
}

}  // namespace postlint
