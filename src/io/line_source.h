// Lines from a file or from memory behind one interface, for the readers that work line by
// line (CSV, Bluesky JSONL): the same reader then runs on a streamed file, on standard input
// read whole, or on an archive member in memory.
//
//   MemoryLines lines(content);
//   std::string line;
//   while (lines.Next(&line)) ...
//   if (lines.Failed()) ... report "cannot read" with errno
//
// Next() yields each line once, in order, without its '\n' and without a '\r' just before it;
// a last line without '\n' is still a line; an empty input has no lines. Failed() tells a read
// error from the end of the input (only FileLines can fail). A LineSource is used by one thread
// at a time; separate ones are independent.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "io/line_reader.h"

namespace postlint::io_internal {

class LineSource {
 public:
  virtual ~LineSource() = default;
  // The next line without '\n' (and without a trailing '\r'); false at the end.
  virtual bool Next(std::string* line) = 0;
  // True when Next() stopped on a read error, or on a limit, rather than at the end.
  virtual bool Failed() const { return false; }
  // Why, once Failed(): "cannot read: <errno text>" unless the source says better.
  virtual std::string FailureMessage() const {
    return "cannot read: " + std::error_code(errno, std::generic_category()).message();
  }
};

// Lines of a file, at most `max_bytes` of it (input_limits.h: kMaxInputFileBytes); more is a
// failure whose message says so.
class FileLines : public LineSource {
 public:
  // Reads `file`; closes it at the end when `owned`.
  explicit FileLines(std::FILE* file, bool owned = false, uint64_t max_bytes = UINT64_MAX,
                     std::string too_large_message = {})
      : reader_(file, size_t{1} << 16, max_bytes),
        file_(file),
        owned_(owned),
        too_large_message_(std::move(too_large_message)) {}
  ~FileLines() override {
    if (owned_)
      std::fclose(file_);
  }
  // A copy would close an owned file a second time.
  FileLines(const FileLines&) = delete;
  FileLines& operator=(const FileLines&) = delete;
  bool Next(std::string* line) override {
    std::string_view view;
    if (!reader_.Next(&view))
      return false;
    if (!view.empty() && view.back() == '\r')
      view.remove_suffix(1);
    line->assign(view);
    return true;
  }
  bool Failed() const override { return reader_.Failed() || reader_.TooLarge(); }
  std::string FailureMessage() const override {
    return reader_.TooLarge() ? too_large_message_ : LineSource::FailureMessage();
  }

 private:
  LineReader reader_;
  std::FILE* file_;
  bool owned_;
  std::string too_large_message_;
};

// Lines of `content`, which must outlive the MemoryLines.
class MemoryLines : public LineSource {
 public:
  explicit MemoryLines(std::string_view content) : content_(content) {}
  bool Next(std::string* line) override {
    if (pos_ >= content_.size())
      return false;
    const size_t nl = content_.find('\n', pos_);
    const size_t end = nl == std::string_view::npos ? content_.size() : nl;
    line->assign(content_.substr(pos_, end - pos_));
    pos_ = nl == std::string_view::npos ? content_.size() : nl + 1;
    if (!line->empty() && line->back() == '\r')
      line->pop_back();
    return true;
  }

 private:
  std::string_view content_;
  size_t pos_ = 0;
};

}  // namespace postlint::io_internal
