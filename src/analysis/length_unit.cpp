#include "analysis/length_unit.h"

#include <utility>

namespace postlint {

namespace {
constexpr std::pair<LengthUnit, std::string_view> kUnits[] = {
    {LengthUnit::kXWeighted, "x-weighted"}, {LengthUnit::kMastodon, "mastodon"},
    {LengthUnit::kGraphemes, "graphemes"},  {LengthUnit::kCodePoints, "code-points"},
    {LengthUnit::kUtf16, "utf16"},          {LengthUnit::kUtf8Bytes, "utf8-bytes"},
    {LengthUnit::kThreads, "threads"},
};
}  // namespace

std::optional<LengthUnit> ParseLengthUnit(std::string_view name) {
  for (const auto& [unit, n] : kUnits) {
    if (n == name)
      return unit;
  }
  return std::nullopt;
}

std::string_view ToString(LengthUnit unit) {
  for (const auto& [u, n] : kUnits) {
    if (u == unit)
      return n;
  }
  return "code-points";
}

const std::vector<std::string>& LengthUnitNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& [u, n] : kUnits)
      v.emplace_back(n);
    return v;
  }();
  return names;
}

}  // namespace postlint
