// The units networks count post length in. Policies name them in `networks.<name>.length`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace postlint {

enum class LengthUnit {
  kXWeighted,   // "x-weighted": twitter-text v3 (NFC; URLs 23; emoji 2; CJK and most scripts 2)
  kMastodon,    // "mastodon": graphemes; URLs with a scheme 23; "@user@domain" counts as "@user"
  kGraphemes,   // "graphemes": extended grapheme clusters (Bluesky's 300)
  kCodePoints,  // "code-points": Unicode scalar values
  kUtf16,       // "utf16": UTF-16 code units (TikTok's "runes", JavaScript's length)
  kUtf8Bytes,   // "utf8-bytes": bytes of UTF-8 (Bluesky's 3000, YouTube description)
  kThreads,     // "threads": code points, except emoji count their UTF-8 bytes (Threads docs)
};

std::optional<LengthUnit> ParseLengthUnit(std::string_view name);
std::string_view ToString(LengthUnit unit);
const std::vector<std::string>& LengthUnitNames();

}  // namespace postlint
