// twitter-text weighted length (parseTweet) and its configurations: NFC first, URLs at their
// transformed length, emoji sequences as twemoji-parser counts them, every other code point by
// the weight of its range.
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

#include "analysis/twitter_text.h"
#include "analysis/twitter_text_internal.h"

namespace postlint::twitter {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// ---------------------------------------------------------------------------------------------
// Emoji (what twemoji-parser, used by parseTweet, counts as one emoji)

inline bool IsEmojiModifier(char32_t c) {
  return c >= 0x1F3FB && c <= 0x1F3FF;
}
inline bool IsRegionalIndicator(char32_t c) {
  return c >= 0x1F1E6 && c <= 0x1F1FF;
}

bool IsEmojiChar(char32_t c) {
  return c >= 0x80 && (u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_EMOJI) ||
                       u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_EXTENDED_PICTOGRAPHIC));
}

// Consumes the variation selector, skin tone modifier and tag sequence after an emoji element.
size_t EmojiElementTail(const CodePoints& t, size_t j) {
  const size_t n = t.size();
  if (j < n && t.cp[j] == 0xFE0F)
    ++j;
  if (j < n && IsEmojiModifier(t.cp[j]))
    ++j;
  if (j < n && t.cp[j] >= 0xE0020 && t.cp[j] <= 0xE007E) {
    size_t k = j;
    while (k < n && t.cp[k] >= 0xE0020 && t.cp[k] <= 0xE007E)
      ++k;
    if (k < n && t.cp[k] == 0xE007F)
      j = k + 1;
  }
  return j;
}

// End of the emoji sequence starting at i, or i when none starts there.
size_t EmojiEnd(const CodePoints& t, size_t i) {
  const size_t n = t.size();
  char32_t c = t.cp[i];
  if (IsAsciiDigit(c) || c == '#' || c == '*') {  // keycaps: [#*0-9]\uFE0F?\u20E3
    size_t j = i + 1;
    if (j < n && t.cp[j] == 0xFE0F)
      ++j;
    return j < n && t.cp[j] == 0x20E3 ? j + 1 : i;
  }
  if (c < 0x80)
    return i;
  if (IsRegionalIndicator(c))
    return i + 1 < n && IsRegionalIndicator(t.cp[i + 1]) ? i + 2 : i + 1;
  bool base = u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_EMOJI_PRESENTATION);
  if (!base && IsEmojiChar(c)) {
    // Text-presentation characters count as emoji when something makes them one: a variation
    // selector, a skin tone, a joiner; astral pictographs cost the same either way.
    char32_t next = t.at(i + 1);
    base = c > 0xFFFF || next == 0xFE0F || next == 0x200D || IsEmojiModifier(next);
  }
  if (!base)
    return i;
  size_t j = EmojiElementTail(t, i + 1);
  while (j + 1 < n && t.cp[j] == 0x200D && IsEmojiChar(t.cp[j + 1])) {
    j = EmojiElementTail(t, j + 2);
  }
  return j;
}

int CharWeight(char32_t c, const WeightConfig& config) {
  // Upstream weighs charAt() of the last UTF-16 unit, i.e. the low surrogate of astral chars.
  char32_t key = c > 0xFFFF ? 0xDC00 + ((c - 0x10000) & 0x3FF) : c;
  for (const WeightRange& r : config.ranges) {
    if (key >= r.start && key <= r.end)
      return r.weight;
  }
  return config.default_weight;
}

const icu::Normalizer2* NfcInstance() {
  static const icu::Normalizer2* nfc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return nfc;
}

// Byte offset in `s` of UTF-16 index `u16` (clamped, on a code point boundary).
uint32_t ByteOffsetOfUtf16Index(std::string_view s, size_t u16) {
  size_t i = 0, u = 0;
  while (i < s.size() && u < u16) {
    char32_t c = DecodeUtf8(s, i);
    u += Utf16Length(c);
  }
  return static_cast<uint32_t>(i);
}

}  // namespace

WeightConfig WeightConfig::V1() {
  WeightConfig c;
  c.max_weighted_length = 140;
  c.scale = 1;
  c.default_weight = 1;
  c.emoji_parsing_enabled = false;
  c.transformed_url_length = 23;
  return c;
}

WeightConfig WeightConfig::V2() {
  WeightConfig c;
  c.emoji_parsing_enabled = false;
  c.ranges = {{0, 4351, 100}, {8192, 8205, 100}, {8208, 8223, 100}, {8242, 8247, 100}};
  return c;
}

WeightConfig WeightConfig::V3() {
  WeightConfig c = V2();
  c.emoji_parsing_enabled = true;
  return c;
}

TweetLength ParseTweet(std::string_view text, const WeightConfig& config) {
  std::string normalized_storage;
  std::string_view normalized = text;
  if (!IsAscii(text)) {
    const icu::Normalizer2* nfc = NfcInstance();
    UErrorCode status = U_ZERO_ERROR;
    icu::StringPiece piece(text.data(), static_cast<int32_t>(text.size()));
    if (nfc != nullptr && !nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) {
      icu::StringByteSink<std::string> sink(&normalized_storage);
      nfc->normalizeUTF8(0, piece, sink, nullptr, status);
      if (U_SUCCESS(status))
        normalized = normalized_storage;
    }
  }
  CodePoints t(normalized);
  std::vector<Span> urls;
  ExtractUrlSpans(t, true, &urls, nullptr);

  const int64_t max_scaled = static_cast<int64_t>(config.max_weighted_length) * config.scale;
  const size_t n = t.size();
  int64_t weighted = 0;
  bool valid = true;
  size_t u16 = 0;  // UTF-16 units consumed so far
  int64_t valid_display_index = 0;
  int64_t overflow = -1;  // normalized code point index of the first unit past max
  size_t next_url = 0;
  for (size_t i = 0; i < n;) {
    while (next_url < urls.size() && urls[next_url].begin < i)
      ++next_url;
    const size_t start = i;
    const size_t emoji_end = config.emoji_parsing_enabled ? EmojiEnd(t, start) : start;
    if (next_url < urls.size() && urls[next_url].begin == start) {
      weighted += static_cast<int64_t>(config.transformed_url_length) * config.scale;
      i = urls[next_url].end;
    } else if (emoji_end > start) {
      weighted += config.default_weight;
      i = emoji_end;
    } else {
      weighted += CharWeight(t.cp[start], config);
      i = start + 1;
    }
    u16 += Utf16Length(t, start, i);
    // Upstream tests only the last UTF-16 unit of each counted piece for invalid characters
    // (none can occur inside a URL or an emoji sequence, so this sees every one of them).
    if (valid)
      valid = !IsInvalidChar(t.cp[i - 1]);
    if (weighted <= max_scaled) {
      if (valid)
        valid_display_index = static_cast<int64_t>(u16) - 1;
    } else if (overflow < 0) {
      overflow = static_cast<int64_t>(start);
    }
  }

  TweetLength r;
  const double length = static_cast<double>(weighted) / config.scale;
  r.weighted_length = static_cast<int>(weighted / config.scale);
  r.valid = valid && length > 0 && length <= config.max_weighted_length;
  r.permillage = static_cast<int>(std::floor(length / config.max_weighted_length * 1000));
  const size_t original_u16 = CountUtf16Units(text);
  const int64_t normalization_offset =
      static_cast<int64_t>(original_u16) - static_cast<int64_t>(u16);
  r.valid_range_start = 0;
  r.valid_range_end = static_cast<int>(valid_display_index + normalization_offset);
  r.display_range_start = 0;
  r.display_range_end = original_u16 > 0 ? static_cast<int>(original_u16 - 1) : 0;
  if (overflow < 0) {
    r.overflow_byte = static_cast<uint32_t>(text.size());
  } else if (normalized.data() == text.data()) {
    r.overflow_byte = t.off[static_cast<size_t>(overflow)];
  } else {
    // Map through UTF-16 indexes with upstream's normalization offset; exact for the usual
    // case of normalization shortening the text before the overflow point.
    int64_t u = static_cast<int64_t>(Utf16Length(t, 0, static_cast<size_t>(overflow))) +
                normalization_offset;
    r.overflow_byte = ByteOffsetOfUtf16Index(text, static_cast<size_t>(std::max<int64_t>(u, 0)));
  }
  return r;
}

}  // namespace postlint::twitter
