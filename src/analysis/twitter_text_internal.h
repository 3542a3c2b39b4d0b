// Internal to the twitter-text implementation (twitter_text_*.cpp); include twitter_text.h
// instead. Holds what the pieces share: the decoded text every scanner walks, twitter-text's
// character classes, and the URL extraction that hashtags and weighted length build on.
//
// Contract: everything here is pure and thread-safe. Scanners work on decoded code points
// (CodePoints) and keep byte offsets alongside, so every result converts back to a ByteRange
// into the caller's text. The character classes are inline because the scanners test every
// character of every post with them.
//
// Why hand-written scanners: twitter-text is defined by a set of JavaScript regular expressions
// (js/src/regexp/*.js at the 3.1.0 release). They rely on lookahead and backtracking, which RE2
// lacks, and running them as written would be quadratic on long texts. Each scanner reproduces
// the match a backtracking engine would return for the corresponding expression; the comments
// name the expression and explain where the scanner's shortcut is equivalent.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include <unicode/uchar.h>

#include "analysis/twitter_text.h"
#include "core/utf8.h"

namespace postlint::twitter::internal {

// ---------------------------------------------------------------------------------------------
// Decoded text

// Writes the UTF-8 form of `c` to `out` (room for 4 bytes) and returns its length.
inline size_t EncodeUtf8(char32_t c, char* out) {
  if (c < 0x80) {
    out[0] = static_cast<char>(c);
    return 1;
  }
  if (c < 0x800) {
    out[0] = static_cast<char>(0xC0 | (c >> 6));
    out[1] = static_cast<char>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (c >> 12));
    out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (c >> 18));
  out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (c & 0x3F));
  return 4;
}

// A text decoded once into code points, with each one's byte offset: scanners index by code
// point, as twitter-text's expressions do, and report byte ranges.
struct CodePoints {
  std::string_view text;
  std::vector<char32_t> cp;
  std::vector<uint32_t> off;  // byte offset of cp[i]; off[size()] == text.size()

  explicit CodePoints(std::string_view s) : text(s) {
    // Sized for the worst case (all ASCII) and cut after: no checked push_back per character.
    cp.resize(s.size());
    off.resize(s.size() + 1);
    size_t n = 0;
    size_t i = 0;
    while (i < s.size()) {
      off[n] = static_cast<uint32_t>(i);
      const auto b = static_cast<unsigned char>(s[i]);
      if (b < 0x80) {
        cp[n++] = b;
        ++i;
      } else {
        cp[n++] = DecodeUtf8(s, i);
      }
    }
    off[n] = static_cast<uint32_t>(s.size());
    cp.resize(n);
    off.resize(n + 1);
  }
  size_t size() const { return cp.size(); }
  char32_t at(size_t i) const { return i < cp.size() ? cp[i] : 0; }

  // Index of the first code point at or after `from` that is `ascii` or `wide` (a sigil and
  // its full-width form), or size(). Searches the bytes (memchr) instead of testing every code
  // point: the extractors look only at sigils, and most of a post is not one.
  size_t NextOf(size_t from, char ascii, char32_t wide) const {
    if (from >= cp.size())
      return cp.size();
    char wide_utf8[4];
    const size_t wide_len = EncodeUtf8(wide, wide_utf8);
    const size_t start = off[from];
    const size_t a = text.find(ascii, start);
    const size_t w = text.find(std::string_view(wide_utf8, wide_len), start);
    const size_t byte = std::min(a, w);
    if (byte == std::string_view::npos)
      return cp.size();
    return static_cast<size_t>(
        std::lower_bound(off.begin(), off.end() - 1, static_cast<uint32_t>(byte)) - off.begin());
  }
  std::string_view View(size_t b, size_t e) const { return text.substr(off[b], off[e] - off[b]); }
  ByteRange Range(size_t b, size_t e) const { return ByteRange{off[b], off[e]}; }
};

// A match in code point indices.
struct Span {
  size_t begin = 0;
  size_t end = 0;
};

// ---------------------------------------------------------------------------------------------
// Character classes (names follow twitter-text's js/src/regexp files)

inline bool IsAsciiDigit(char32_t c) {
  return c >= '0' && c <= '9';
}
inline bool IsAsciiAlpha(char32_t c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
inline bool IsAsciiAlnum(char32_t c) {
  return IsAsciiDigit(c) || IsAsciiAlpha(c);
}
inline char32_t ToLowerAscii(char32_t c) {
  return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

// Classes of ASCII characters that upstream writes as lists of characters, as one table so that
// a test is one lookup (the scanners test every character of every post).
enum AsciiClass : uint8_t {
  kAsciiSpace = 1 << 0,     // spacesGroup
  kAsciiPunct = 1 << 1,     // punct
  kAsciiPathChar = 1 << 2,  // validGeneralUrlPathChars (letters and digits included)
  kAsciiQueryChar = 1 << 3  // validUrlQueryChars (letters and digits included)
};

inline constexpr std::array<uint8_t, 128> kAsciiClasses = [] {
  std::array<uint8_t, 128> t{};
  auto add = [&t](std::string_view chars, uint8_t bit) {
    for (const char c : chars)
      t[static_cast<unsigned char>(c)] |= bit;
  };
  add("\t\n\v\f\r ", kAsciiSpace);
  // Upstream's list lacks '"' and '`'; kept that way so domains match as upstream's do.
  add("!'#%&()*+,\\-./:;<=>?@[]^_{|}~$", kAsciiPunct);
  add("!*';:=+,.$/%#[]-_~@|&", kAsciiPathChar);
  add("!?*'@();:&=+$/%#[]-_.,~|", kAsciiQueryChar);
  for (int c = 0; c < 128; ++c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      t[c] |= kAsciiPathChar | kAsciiQueryChar;
  }
  return t;
}();

inline bool HasAsciiClass(char32_t c, uint8_t bits) {
  return c < 0x80 && (kAsciiClasses[c] & bits) != 0;
}

// spacesGroup
inline bool IsTwitterSpace(char32_t c) {
  if (c < 0x80)
    return HasAsciiClass(c, kAsciiSpace);
  return c == 0x85 || c == 0xA0 || c == 0x1680 || c == 0x180E || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// JavaScript's \s, used by the cashtag lookahead.
inline bool IsJsWhitespace(char32_t c) {
  if (c < 0x80)
    return (c >= 0x09 && c <= 0x0D) || c == 0x20;
  return c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

// invalidCharsGroup
inline bool IsInvalidChar(char32_t c) {
  return c == 0xFFFE || c == 0xFEFF || c == 0xFFFF;
}

// punct
inline bool IsTwitterPunct(char32_t c) {
  return HasAsciiClass(c, kAsciiPunct);
}

// latinAccentChars
inline bool IsLatinAccent(char32_t c) {
  if (c < 0xC0)
    return false;
  if (c <= 0xFF)
    return c != 0xD7 && c != 0xF7;
  if (c <= 0x24F)
    return true;
  switch (c) {
    case 0x253:
    case 0x254:
    case 0x256:
    case 0x257:
    case 0x259:
    case 0x25B:
    case 0x263:
    case 0x268:
    case 0x26F:
    case 0x272:
    case 0x289:
    case 0x28B:
    case 0x2BB:
      return true;
    default:
      break;
  }
  return (c >= 0x300 && c <= 0x36F) || (c >= 0x1E00 && c <= 0x1EFF);
}

inline bool IsCyrillic(char32_t c) {
  return c >= 0x400 && c <= 0x4FF;
}

// directionalMarkersGroup
inline bool IsDirectionalMarker(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x2066 && c <= 0x2069);
}

// validDomainChars: anything but punctuation, spaces, directional markers and the invalid
// characters. (Upstream does not exclude other control characters either.)
inline bool IsDomainChar(char32_t c) {
  if (c < 0x80)
    return !HasAsciiClass(c, kAsciiSpace | kAsciiPunct);
  return !IsTwitterSpace(c) && !IsInvalidChar(c) && !IsDirectionalMarker(c);
}

// validUrlPrecedingChars: [^A-Za-z0-9@＠$#＃] minus the invalid characters.
inline bool IsUrlPrecedingChar(char32_t c) {
  return !(IsAsciiAlnum(c) || c == '@' || c == 0xFF20 || c == '$' || c == '#' || c == 0xFF03 ||
           IsInvalidChar(c));
}

// validGeneralUrlPathChars
inline bool IsUrlPathChar(char32_t c) {
  if (c < 0x80)
    return HasAsciiClass(c, kAsciiPathChar);
  return IsCyrillic(c) || c == 0x2013 || IsLatinAccent(c);
}

// validUrlPathEndingChars (the character part; balanced parens are handled by the caller).
inline bool IsUrlPathEndingChar(char32_t c) {
  if (c < 0x80) {
    return IsAsciiAlnum(c) || c == '+' || c == '-' || c == '=' || c == '_' || c == '#' || c == '/';
  }
  return IsCyrillic(c) || IsLatinAccent(c);
}

// validUrlQueryChars
inline bool IsUrlQueryChar(char32_t c) {
  return HasAsciiClass(c, kAsciiQueryChar);
}

// validUrlQueryEndingChars
inline bool IsUrlQueryEndingChar(char32_t c) {
  return IsAsciiAlnum(c) || c == '-' || c == '_' || c == '&' || c == '=' || c == '#' || c == '/';
}

// The character class inside validAsciiDomain's labels.
inline bool IsAsciiDomainLabelChar(char32_t c) {
  return IsAsciiAlnum(c) || c == '-' || IsLatinAccent(c);
}

// What may not follow a TLD: (?=[^0-9a-z@+-]|$) under the i flag.
inline bool BlocksTldEnd(char32_t c) {
  return IsAsciiAlnum(c) || c == '@' || c == '+' || c == '-';
}

// hashtagAlpha: letters and marks (twitter-text generated its class from \p{L}\p{M}).
inline bool IsHashtagLetter(char32_t c) {
  if (c < 0x80)
    return IsAsciiAlpha(c);
  return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK)) != 0;
}

inline bool IsHashtagSpecial(char32_t c) {
  switch (c) {
    case '_':
    case 0x200C:
    case 0x200D:
    case 0xA67E:
    case 0x05BE:
    case 0x05F3:
    case 0x05F4:
    case 0xFF5E:
    case 0x301C:
    case 0x309B:
    case 0x309C:
    case 0x30A0:
    case 0x30FB:
    case 0x3003:
    case 0x0F0B:
    case 0x0F0C:
    case 0xB7:
      return true;
    default:
      return false;
  }
}

// hashtagAlphaNumeric
inline bool IsHashtagAlnum(char32_t c) {
  if (c < 0x80)
    return IsAsciiAlnum(c) || c == '_';
  return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_ND_MASK)) != 0 ||
         IsHashtagSpecial(c);
}

inline bool IsHashSign(char32_t c) {
  return c == '#' || c == 0xFF03;
}
inline bool IsAtSign(char32_t c) {
  return c == '@' || c == 0xFF20;
}
inline bool IsScreenNameChar(char32_t c) {
  return IsAsciiAlnum(c) || c == '_';
}

inline size_t Utf16Length(char32_t c) {
  return c > 0xFFFF ? 2 : 1;
}

inline size_t Utf16Length(const CodePoints& t, size_t b, size_t e) {
  size_t n = 0;
  for (size_t i = b; i < e; ++i)
    n += Utf16Length(t.cp[i]);
  return n;
}

inline bool StartsWithAscii(const CodePoints& t, size_t i, std::string_view s) {
  if (i + s.size() > t.size())
    return false;
  for (size_t k = 0; k < s.size(); ++k) {
    if (t.cp[i + k] != static_cast<char32_t>(s[k]))
      return false;
  }
  return true;
}

inline bool StartsWithAsciiNoCase(const CodePoints& t, size_t i, std::string_view s) {
  if (i + s.size() > t.size())
    return false;
  for (size_t k = 0; k < s.size(); ++k) {
    if (ToLowerAscii(t.cp[i + k]) != static_cast<char32_t>(s[k]))
      return false;
  }
  return true;
}

// endMentionMatch: /^(?:[@＠]|[latinAccentChars]|:\/\/)/
inline bool EndsMentionBadly(const CodePoints& t, size_t e) {
  if (e >= t.size())
    return false;
  char32_t c = t.cp[e];
  return IsAtSign(c) || IsLatinAccent(c) || StartsWithAscii(t, e, "://");
}

// ---------------------------------------------------------------------------------------------
// URL extraction, which the other pieces build on: a hashtag inside a URL is not one, and a URL
// counts transformed_url_length towards the weighted length.

// extractUrlsWithIndices as code point spans, in text order (twitter_text_urls.cpp). When
// `has_protocol` is not null it gets one entry per span: whether the URL has a scheme.
void ExtractUrlSpans(const CodePoints& t, bool without_protocol, std::vector<Span>* spans,
                     std::vector<bool>* has_protocol);
// The same URLs as entities.
std::vector<Entity> ExtractUrlsImpl(const CodePoints& t, bool without_protocol);

}  // namespace postlint::twitter::internal
