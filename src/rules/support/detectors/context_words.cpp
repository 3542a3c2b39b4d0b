#include "rules/support/detectors/context_words.h"

#include <unicode/uchar.h>

#include "core/utf8.h"

namespace postlint::detectors {

bool LetterAround(std::string_view t, size_t pos, bool backwards) {
  size_t k = pos;
  if (backwards) {
    if (pos == 0)
      return false;
    k = pos - 1;
    while (k > 0 && (static_cast<unsigned char>(t[k]) & 0xC0) == 0x80)
      --k;
  } else if (pos >= t.size()) {
    return false;
  }
  const auto b = static_cast<unsigned char>(t[k]);
  if (b < 0x80)
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
  const char32_t cp = DecodeUtf8(t, k);
  return u_isalpha(static_cast<UChar32>(cp)) != 0;
}

bool WordBefore(std::string_view lower, uint32_t pos, uint32_t window, WordList words) {
  const uint32_t from = pos > window ? pos - window : 0;
  const std::string_view span = lower.substr(from, pos - from);
  for (const std::string_view entry : words) {
    const bool stem = !entry.empty() && entry.back() == '*';
    const std::string_view w(entry.data(), entry.size() - (stem ? 1 : 0));
    size_t at = 0;
    while ((at = span.find(w, at)) != std::string_view::npos) {
      const size_t abs = from + at;
      const bool starts = abs == 0 || !LetterAround(lower, abs, true);
      const bool ends = stem || !LetterAround(lower, abs + w.size(), false);
      if (starts && ends)
        return true;
      ++at;
    }
  }
  return false;
}

std::string SameLengthLower(std::string_view s) {
  std::string out(s);
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    const char32_t cp = DecodeUtf8(s, i);
    if (cp < 0x80) {
      if (cp >= 'A' && cp <= 'Z')
        out[start] = static_cast<char>(cp - 'A' + 'a');
      continue;
    }
    const auto lower = static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp)));
    if (lower == cp)
      continue;
    std::string enc;
    AppendUtf8(enc, lower);
    if (enc.size() == i - start)
      out.replace(start, enc.size(), enc);
  }
  return out;
}

}  // namespace postlint::detectors
