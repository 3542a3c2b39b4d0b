#include "io/line_reader.h"

#include <cstring>

namespace postlint {

bool LineReader::Next(std::string_view* line) {
  carry_.clear();
  bool have_partial = false;
  for (;;) {
    if (begin_ < end_) {
      const char* start = buffer_.data() + begin_;
      const size_t available = end_ - begin_;
      if (const void* nl = std::memchr(start, '\n', available)) {
        const size_t length = static_cast<size_t>(static_cast<const char*>(nl) - start);
        begin_ += length + 1;
        if (!have_partial) {
          *line = std::string_view(start, length);
        } else {
          carry_.append(start, length);
          *line = carry_;
        }
        return true;
      }
      carry_.append(start, available);
      have_partial = true;
      begin_ = end_;
    }
    if (eof_)
      break;
    end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
    begin_ = 0;
    read_ += end_;
    if (read_ > max_bytes_) {
      too_large_ = true;
      eof_ = true;
      end_ = 0;
      return false;
    }
    if (end_ == 0)
      eof_ = true;
  }
  if (have_partial) {
    *line = carry_;
    return true;
  }
  return false;
}

}  // namespace postlint
