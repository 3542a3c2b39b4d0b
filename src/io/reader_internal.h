// What the readers in src/io share and nothing else needs: line helpers, the wording of JSON
// errors (the same for a JSON document and a JSONL line), and the entry points post_reader.cpp
// dispatches to. The public API is io/post_reader.h; only src/io/*.cpp include this file.
//
// Everything here reads only its arguments: any function may run on many threads at once. The
// readers report through `emit`, in input order, and never throw: a record they cannot read
// becomes a ReadError with its line (io/post_reader.h says which line) and reading goes on.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "io/post_reader.h"

namespace postlint::io_internal {

// Large enough that getline-style scanning is dominated by memchr, small enough to stay in L2.
inline constexpr size_t kChunkSize = size_t{1} << 20;

// True when `s` is empty or only ASCII white space.
inline bool IsBlank(std::string_view s) {
  return TrimAsciiSpaceRight(s).empty();
}

// `line` without the '\r' a CRLF file leaves at its end.
inline std::string_view StripCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  return line;
}

// Returns the line at `pos` (without '\n') and moves `pos` past it.
inline std::string_view NextLine(std::string_view s, size_t& pos) {
  const size_t nl = s.find('\n', pos);
  const size_t end = nl == std::string_view::npos ? s.size() : nl;
  std::string_view line = s.substr(pos, end - pos);
  pos = nl == std::string_view::npos ? s.size() : nl + 1;
  return line;
}

// A count as a line number for ReadError and Post::source_line, saturating at UINT32_MAX.
inline uint32_t ToLine(size_t n) {
  return static_cast<uint32_t>(std::min<size_t>(n, UINT32_MAX));
}

// The 1-based line of byte `offset` in `text`; an offset past the end counts as the end.
inline uint32_t LineOfOffset(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return ToLine(1 + static_cast<size_t>(std::count(
                        text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n')));
}

// The text of errno value `error` ("No such file or directory"), for "cannot read: ..." errors.
inline std::string ErrnoMessage(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// JSON errors (defined in post_reader.cpp). The JSON document reader and the JSONL reader word
// them alike, so a record reads the same error whichever way it came in.

// "an object", "a string", "an integer", ...: for "must be X, not Y" messages.
const char* JsonTypeName(const nlohmann::json& v);

// The record's own "id" (a string, or an integer printed in decimal) for ReadError::id; empty
// when `object` is not an object or has no usable id.
std::string JsonIdForError(const nlohmann::json& object);

// nlohmann's explanation of `e` without its "[json.exception...]" tag and position, which the
// callers give in their own terms (line, column, record). Always valid UTF-8.
std::string ParseErrorDetail(const nlohmann::json::exception& e);

// The 0-based byte offset of the character nlohmann stopped at, clamped into `text`.
size_t ParseErrorOffset(const nlohmann::json::parse_error& e, std::string_view text);

// Entry points. Each reads only what it is given and reports every record through `emit`.

// JSON Lines in memory (jsonl_reader.cpp): one post object, or Bluesky record, per line; blank
// lines are skipped, a BOM on line 1 is ignored. A bad line is one ReadError on that line.
void ParseJsonl(std::string_view content, const std::string& source, const RecordCallback& emit);

// ParseJsonl over an open file, read in kChunkSize chunks so memory does not grow with the
// file. Neither closes `file` nor reports read errors: the caller checks ferror() afterwards.
void StreamJsonl(std::FILE* file, const std::string& source, const RecordCallback& emit);

// One draft (draft_reader.cpp): optional YAML front matter, then the text. Emits exactly one
// record: the Post, or a ReadError on the front matter line at fault.
void ParseText(std::string_view raw, const std::string& source, const RecordCallback& emit);

}  // namespace postlint::io_internal
