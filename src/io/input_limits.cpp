#include "io/input_limits.h"

#include <sys/stat.h>

#include "core/byte_size.h"

namespace postlint::io_internal {

std::optional<std::string> InputFileProblem(const std::string& path, bool archive) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return std::nullopt;  // opening it reports why
  if (S_ISCHR(st.st_mode))
    return "cannot read: a character device, not a file (postlint reads files, folders and "
           "standard input)";
  if (S_ISBLK(st.st_mode))
    return "cannot read: a block device, not a file (postlint reads files, folders and "
           "standard input)";
  if (S_ISREG(st.st_mode) && !archive && static_cast<uint64_t>(st.st_size) > kMaxInputFileBytes) {
    return "the file is " + FormatBytes(static_cast<uint64_t>(st.st_size)) +
           "; postlint reads input files of at most " + FormatBytes(kMaxInputFileBytes) +
           " (split it, or give it as JSONL or CSV)";
  }
  return std::nullopt;
}

std::string InputTooLargeMessage() {
  return "the input is larger than " + FormatBytes(kMaxInputFileBytes) +
         "; postlint reads at most that much of one file or of standard input";
}

bool ReadCapped(std::FILE* file, uint64_t max_bytes, std::string* out) {
  char buffer[1 << 16];
  uint64_t total = 0;
  for (;;) {
    const size_t got = std::fread(buffer, 1, sizeof buffer, file);
    if (got == 0)
      return true;
    if (total + got > max_bytes) {
      out->append(buffer, static_cast<size_t>(max_bytes - total) + 1);
      return false;
    }
    out->append(buffer, got);
    total += got;
  }
}

std::optional<size_t> JsonTooDeep(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth)
          return i;
        break;
      case ']':
      case '}':
        if (depth > 0)
          --depth;
        break;
      default:
        break;
    }
  }
  return std::nullopt;
}

std::string JsonTooDeepMessage() {
  return "the JSON nests deeper than " + std::to_string(kMaxJsonDepth) +
         " arrays and objects; postlint reads at most that depth";
}

}  // namespace postlint::io_internal
