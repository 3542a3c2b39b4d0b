// UTF-8 helpers shared by every stage. All text inside postlint is valid UTF-8: readers pass
// their input through SanitizeUtf8() once, so later stages may decode without error checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace postlint {

namespace internal {
// DecodeUtf8() for a lead byte >= 0x80.
char32_t DecodeUtf8Multibyte(std::string_view s, size_t& i);
}  // namespace internal

// Decodes the code point starting at byte `i` of `s` and advances `i` past it. Invalid or
// truncated sequences decode as U+FFFD and advance by one byte. Precondition: i < s.size().
// Inline for ASCII: every analysis pass decodes every character of every post.
inline char32_t DecodeUtf8(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  return internal::DecodeUtf8Multibyte(s, i);
}

// Appends the UTF-8 encoding of `cp` (which must be a Unicode scalar value) to `out`.
void AppendUtf8(std::string& out, char32_t cp);

// Number of bytes of the UTF-8 sequence whose lead byte is `lead` (1 for invalid leads).
inline size_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80)
    return 1;
  if ((lead >> 5) == 0x6)
    return 2;
  if ((lead >> 4) == 0xE)
    return 3;
  if ((lead >> 3) == 0x1E)
    return 4;
  return 1;
}

// Returns `s` with every invalid UTF-8 sequence replaced by U+FFFD. Returns true in `changed`
// (when not null) if anything was replaced. Cost: one pass; no copy-on-write tricks.
std::string SanitizeUtf8(std::string_view s, bool* changed = nullptr);

// True when every byte of `s` is ASCII. Fast path used to skip ICU work on ASCII posts.
bool IsAscii(std::string_view s);

// True for the six ASCII whitespace characters (space, \t, \n, \v, \f, \r), as isspace() in
// the C locale, without its locale lookup.
inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// `s` without leading and trailing ASCII whitespace (a view into `s`).
std::string_view TrimAsciiSpace(std::string_view s);
// `s` without trailing ASCII whitespace.
std::string_view TrimAsciiSpaceRight(std::string_view s);
// `s` without a leading UTF-8 byte order mark.
std::string_view StripUtf8Bom(std::string_view s);

// `items` separated by `separator`: "a, b, c" (empty for no items).
std::string Join(const std::vector<std::string>& items, std::string_view separator = ", ");

// `s` with ASCII letters lower-cased; other bytes unchanged.
std::string ToLowerAscii(std::string_view s);

// `s` safe to print on one line of a terminal or a log: control characters (C0, DEL, C1; "\n"
// and "\t" included) and the bidirectional overrides that reorder what a reader sees become
// visible escapes ("\n", "\x1b", "\u202e"). Everything else is unchanged. For user-supplied
// strings (ids, names, accounts) in text and CSV output, so no input can forge a line.
std::string EscapeControls(std::string_view s);

// Counts code points in `s` (valid UTF-8 assumed).
size_t CountCodePoints(std::string_view s);

// Counts UTF-16 code units needed to encode `s` (valid UTF-8 assumed).
size_t CountUtf16Units(std::string_view s);

}  // namespace postlint
