#include "core/text_position.h"

#include <algorithm>

namespace postlint {

TextPositionIndex::TextPositionIndex(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  line_start_code_points_.push_back(0);
  line_start_utf16_.push_back(0);
  uint32_t cps = 0;
  uint32_t u16 = 0;
  for (uint32_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if ((b & 0xC0) != 0x80) {
      ++cps;
      u16 += (b >= 0xF0) ? 2 : 1;
    }
    if (b == '\n') {
      line_starts_.push_back(i + 1);
      line_start_code_points_.push_back(cps);
      line_start_utf16_.push_back(u16);
    }
  }
}

TextPosition TextPositionIndex::At(uint32_t byte_offset) const {
  byte_offset = std::min<uint32_t>(byte_offset, static_cast<uint32_t>(text_.size()));
  while (byte_offset > 0 && byte_offset < text_.size() &&
         (static_cast<unsigned char>(text_[byte_offset]) & 0xC0) == 0x80) {
    --byte_offset;
  }
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte_offset);
  const size_t line_index = static_cast<size_t>(it - line_starts_.begin()) - 1;
  TextPosition pos;
  pos.line = static_cast<uint32_t>(line_index + 1);
  pos.code_point = line_start_code_points_[line_index];
  pos.utf16 = line_start_utf16_[line_index];
  for (uint32_t i = line_starts_[line_index]; i < byte_offset; ++i) {
    const auto b = static_cast<unsigned char>(text_[i]);
    if ((b & 0xC0) != 0x80) {
      ++pos.code_point;
      pos.utf16 += (b >= 0xF0) ? 2 : 1;
      ++pos.column;
    }
  }
  return pos;
}

std::string_view TextPositionIndex::Line(uint32_t line) const {
  if (line == 0 || line > line_starts_.size())
    return {};
  const uint32_t begin = line_starts_[line - 1];
  uint32_t end =
      line < line_starts_.size() ? line_starts_[line] - 1 : static_cast<uint32_t>(text_.size());
  if (end > begin && text_[end - 1] == '\r')
    --end;
  return text_.substr(begin, end - begin);
}

}  // namespace postlint
