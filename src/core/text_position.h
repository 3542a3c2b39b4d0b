// Maps byte offsets inside a post's text to the positions users and editors see: code point
// offsets, UTF-16 offsets (for JavaScript editors), and 1-based line and column (column counted
// in code points). Rules work in bytes; only reporters convert, through this class.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace postlint {

struct TextPosition {
  uint32_t code_point = 0;  // code points before the offset
  uint32_t utf16 = 0;       // UTF-16 code units before the offset
  uint32_t line = 1;        // 1-based; lines end at "\n" ("\r\n" counts once)
  uint32_t column = 1;      // 1-based, in code points from the start of the line
};

// Thread-compatible; cheap to build (one pass records line starts). `text` must outlive it.
class TextPositionIndex {
 public:
  explicit TextPositionIndex(std::string_view text);

  // Position of `byte_offset` (clamped to the text size; offsets inside a multi-byte sequence
  // are treated as the start of that sequence). Cost: O(line length).
  TextPosition At(uint32_t byte_offset) const;

  // Text of the 1-based `line`, without its line terminator. Empty when out of range.
  std::string_view Line(uint32_t line) const;

 private:
  std::string_view text_;
  std::vector<uint32_t> line_starts_;             // byte offset of each line start
  std::vector<uint32_t> line_start_code_points_;  // code points before each line start
  std::vector<uint32_t> line_start_utf16_;        // UTF-16 units before each line start
};

}  // namespace postlint
