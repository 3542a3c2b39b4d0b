// Sizes and counts in messages: "512 MiB", "1.5 GiB", "64 KiB", "300 bytes"; "200,000".
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace postlint {

// Bytes in the largest binary unit that keeps the number at least 1, with one decimal when it
// is not whole ("3.2 MiB"); under 1 KiB, "N bytes".
inline std::string FormatBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024)
    return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < sizeof kUnits / sizeof kUnits[0]) {
    value /= 1024;
    ++unit;
  }
  char buffer[32];
  const bool whole = value == static_cast<double>(static_cast<uint64_t>(value));
  std::snprintf(buffer, sizeof buffer, whole ? "%.0f %s" : "%.1f %s", value, kUnits[unit]);
  return buffer;
}

// "200,000": a count with thousands separated.
inline std::string FormatCount(uint64_t n) {
  std::string digits = std::to_string(n);
  for (size_t i = digits.size(); i > 3; i -= 3)
    digits.insert(i - 3, ",");
  return digits;
}

}  // namespace postlint
