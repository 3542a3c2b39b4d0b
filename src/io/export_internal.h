// What the export readers share: strings, files, and JSON documents with the lines of their
// records. The public API is io/export_readers.h; only src/io/*.cpp include this file.
//
// Conventions every reader keeps (the public contract is in io/export_readers.h):
//   - Records go to `emit` in input order; nothing throws. A record that cannot be read is one
//     ReadError (source, 1-based line or 0 for the whole input) and reading goes on.
//   - Post text is valid UTF-8: documents are sanitized before parsing, or strings are taken
//     through JsonString.
//   - No process-wide state: the same input gives the same records on any thread, and any
//     number of readers may run at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/post.h"
#include "io/post_reader.h"

namespace postlint::io_internal {

// ---------------------------------------------------------------------------------------------
// Strings and files (export_common.cpp)

// Replaces every occurrence of `from` in `s` by `to`, left to right; the replacement is not
// searched again. No-op for an empty `from`.
void ReplaceAll(std::string& s, std::string_view from, std::string_view to);

// Appends `link` (trimmed) on a line of its own unless it is empty or the text already shows it:
// exports keep a post's link beside its text, while the reader saw both.
void AppendLink(std::string& text, std::string_view link);

// The last component of a '/'-separated path ("data/tweets.js" -> "tweets.js").
std::string FileName(std::string_view path);

// `s` without a leading "https://" or "http://".
std::string StripScheme(std::string_view s);

// Appends the bytes of `path` to `*out`. On failure returns false with `*error` set to
// "cannot open: <reason>" or "cannot read: <reason>".
bool ReadWholeFile(const std::string& path, std::string* out, std::string* error);

// ---------------------------------------------------------------------------------------------
// JSON documents (export_common.cpp)

// The string member `key` of `object`, sanitized to valid UTF-8; empty when `object` is not an
// object, or the member is missing or not a string.
std::string JsonString(const nlohmann::json& object, const char* key);

// The member `key` of `object`; nullptr when `object` is not an object or has no such member.
const nlohmann::json* JsonMember(const nlohmann::json& object, const char* key);

// Like JsonMember, but nullptr unless the member is an array.
const nlohmann::json* JsonArray(const nlohmann::json& object, const char* key);

// The first element of `array` that is an object; nullptr when there is none. Formats are
// recognised by their first record.
const nlohmann::json* FirstObject(const nlohmann::json& array);

// The 1-based line where each element starts, of the top-level array (`key` empty) or of the
// array that is the value of top-level member `key`. nlohmann keeps no positions, so the text is
// scanned once more; `text` should be valid JSON, and elements past its end get no line.
std::vector<uint32_t> ElementLines(std::string_view text, std::string_view key);

// nlohmann's explanation of a syntax error, without its tag and position. Valid UTF-8.
std::string JsonErrorDetail(const nlohmann::json::parse_error& e);

// Parses `text` as one JSON document. An empty document or a syntax error is reported as one
// ReadError ("invalid JSON at line N: ...") and gives nullopt.
std::optional<nlohmann::json> ParseJsonOrReport(std::string_view text, const std::string& source,
                                                const RecordCallback& emit);

// Reads the elements of `array` (the top-level array of `text`, or its member `key`) in order:
// `read(element, index)` returns a Post, an error message, or nullopt to skip the element on
// purpose (a boost). Posts get `source` and the element's line; an error becomes a ReadError
// saying "record N: " (or "key[i]: ") before the message.
template <typename ReadElement>
void ForEachElement(const nlohmann::json& array, std::string_view text, std::string_view key,
                    const std::string& source, const ReadElement& read,
                    const RecordCallback& emit) {
  const std::vector<uint32_t> lines = ElementLines(text, key);
  for (size_t i = 0; i < array.size(); ++i) {
    const uint32_t line = i < lines.size() ? lines[i] : 0;
    std::optional<std::variant<Post, std::string>> result = read(array[i], i);
    if (!result)
      continue;  // skipped on purpose (e.g. a boost)
    if (auto* post = std::get_if<Post>(&*result)) {
      post->source = source;
      post->source_line = line;
      emit(std::move(*post));
    } else {
      const std::string where = key.empty() ? "record " + std::to_string(i + 1)
                                            : std::string(key) + "[" + std::to_string(i) + "]";
      emit(ReadError{source, line, {}, where + ": " + std::get<std::string>(*result)});
    }
  }
}

}  // namespace postlint::io_internal
