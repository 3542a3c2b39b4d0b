// Lines of a file, read in large chunks: the JSONL and CSV readers' way through inputs of any
// size with flat memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace postlint {

class LineReader {
 public:
  // Reads from `file` (not owned) in chunks of `chunk_size` bytes, at most `max_bytes` of it.
  explicit LineReader(std::FILE* file, size_t chunk_size = size_t{1} << 16,
                      uint64_t max_bytes = UINT64_MAX)
      : file_(file), buffer_(chunk_size), max_bytes_(max_bytes) {}

  // Yields the next line without its '\n' (a '\r' before it is kept); the last line needs no
  // '\n'. The view stays valid until the next call. False at the end of the file, and once
  // more than `max_bytes` were read (TooLarge(); the line being read is dropped).
  bool Next(std::string_view* line);

  // True when reading failed (as opposed to reaching the end).
  bool Failed() const { return std::ferror(file_) != 0; }
  // True when the file held more than `max_bytes`.
  bool TooLarge() const { return too_large_; }

 private:
  std::FILE* file_;
  std::vector<char> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  uint64_t max_bytes_;
  uint64_t read_ = 0;
  bool too_large_ = false;
  std::string carry_;  // a line that spans chunks
};

}  // namespace postlint
