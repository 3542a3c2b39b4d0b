// Fuzzes entity extraction and weighted length, checking their invariants: ranges inside the
// text, on code point boundaries, in order and not overlapping; overflow within the text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analysis/twitter_text.h"
#include "core/utf8.h"

namespace {

bool OnBoundary(const std::string& s, uint32_t offset) {
  return offset == s.size() || (static_cast<unsigned char>(s[offset]) & 0xC0) != 0x80;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace postlint;
  const std::string text =
      SanitizeUtf8(std::string_view(reinterpret_cast<const char*>(data), size));
  const auto entities = twitter::ExtractEntities(text);
  uint32_t previous_end = 0;
  for (const auto& e : entities) {
    if (e.range.begin < previous_end || e.range.end > text.size() || e.range.begin >= e.range.end)
      __builtin_trap();
    if (!OnBoundary(text, e.range.begin) || !OnBoundary(text, e.range.end))
      __builtin_trap();
    previous_end = e.range.end;
  }
  for (const auto& config : {twitter::WeightConfig::V2(), twitter::WeightConfig::V3()}) {
    const twitter::TweetLength n = twitter::ParseTweet(text, config);
    if (n.overflow_byte > text.size() || !OnBoundary(text, n.overflow_byte))
      __builtin_trap();
    if (n.weighted_length < 0)
      __builtin_trap();
  }
  return 0;
}
