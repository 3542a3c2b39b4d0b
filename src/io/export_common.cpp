// Helpers every export reader uses: strings, files, and JSON documents with the lines of their
// records (io/export_internal.h).
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/redaction.h"
#include "core/utf8.h"
#include "io/export_internal.h"
#include "io/input_limits.h"
#include "io/reader_internal.h"

namespace postlint::io_internal {

using nlohmann::json;

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty())
    return;
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

void AppendLink(std::string& text, std::string_view link) {
  link = TrimAsciiSpace(link);
  if (link.empty() || text.find(link) != std::string::npos)
    return;
  if (!text.empty())
    text.push_back('\n');
  text.append(link);
}

std::string FileName(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string StripScheme(std::string_view s) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (s.starts_with(scheme))
      return std::string(s.substr(scheme.size()));
  }
  return std::string(s);
}

bool ReadWholeFile(const std::string& path, std::string* out, std::string* error) {
  if (auto problem = InputFileProblem(path)) {
    *error = std::move(*problem);
    return false;
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    *error = "cannot open: " + ErrnoMessage(errno);
    return false;
  }
  if (!ReadCapped(file, kMaxInputFileBytes, out)) {
    std::fclose(file);
    *error = InputTooLargeMessage();
    return false;
  }
  const bool failed = std::ferror(file) != 0;
  const int saved = errno;
  std::fclose(file);
  if (failed) {
    *error = "cannot read: " + ErrnoMessage(saved);
    return false;
  }
  return true;
}

std::string JsonString(const json& object, const char* key) {
  if (!object.is_object())
    return {};
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string())
    return {};
  return SanitizeUtf8(it->get_ref<const std::string&>());
}

const json* JsonMember(const json& object, const char* key) {
  if (!object.is_object())
    return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

const json* JsonArray(const json& object, const char* key) {
  const json* v = JsonMember(object, key);
  return v != nullptr && v->is_array() ? v : nullptr;
}

const json* FirstObject(const json& array) {
  for (const json& e : array) {
    if (e.is_object())
      return &e;
  }
  return nullptr;
}

std::vector<uint32_t> ElementLines(std::string_view text, std::string_view key) {
  std::vector<uint32_t> lines;
  uint32_t line = 1;
  int depth = 0;
  int target_depth = key.empty() ? 1 : -1;  // depth of the array whose elements we want
  bool expect_element = false;
  bool want_key_value = false;  // just read `key` at depth 1, waiting for its value
  std::string last_string;
  bool last_was_key_candidate = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      continue;
    }
    if (IsAsciiSpace(c))
      continue;
    if (depth == target_depth && expect_element && c != ']') {
      lines.push_back(line);
      expect_element = false;
    }
    switch (c) {
      case '"': {
        const size_t start = i + 1;
        ++i;
        while (i < text.size() && text[i] != '"') {
          if (text[i] == '\\')
            ++i;
          else if (text[i] == '\n')
            ++line;
          ++i;
        }
        last_string.assign(text.substr(start, std::min(i, text.size()) - start));
        last_was_key_candidate = depth == 1;
        break;
      }
      case ':':
        if (last_was_key_candidate && !key.empty() && last_string == key && target_depth < 0)
          want_key_value = true;
        last_was_key_candidate = false;
        break;
      case '[':
      case '{':
        ++depth;
        if (c == '[' && want_key_value) {
          target_depth = depth;
          want_key_value = false;
        }
        if (depth == target_depth && c == '[')
          expect_element = true;
        last_was_key_candidate = false;
        break;
      case ']':
      case '}':
        if (depth == target_depth && c == ']' && !key.empty())
          return lines;
        --depth;
        if (depth == 0)
          return lines;
        last_was_key_candidate = false;
        break;
      case ',':
        if (depth == target_depth)
          expect_element = true;
        last_was_key_candidate = false;
        break;
      default:
        want_key_value = false;
        last_was_key_candidate = false;
        break;
    }
  }
  return lines;
}

std::string JsonErrorDetail(const json::parse_error& e) {
  std::string_view msg = e.what();
  const size_t column = msg.find("column ");
  const size_t colon = msg.find(": ", column == std::string_view::npos ? 0 : column);
  if (colon != std::string_view::npos)
    msg.remove_prefix(colon + 2);
  return QuoteLastRead(SanitizeUtf8(msg));
}

std::optional<json> ParseJsonOrReport(std::string_view text, const std::string& source,
                                      const RecordCallback& emit) {
  if (TrimAsciiSpace(text).empty()) {
    emit(ReadError{source, 1, {}, "the JSON document is empty"});
    return std::nullopt;
  }
  if (const auto deep = JsonTooDeep(text)) {
    emit(ReadError{source, LineOfOffset(text, *deep), {}, JsonTooDeepMessage()});
    return std::nullopt;
  }
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    const size_t offset = e.byte == 0 ? 0 : std::min<size_t>(e.byte - 1, text.size());
    const uint32_t line = LineOfOffset(text, offset);
    emit(ReadError{source,
                   line,
                   {},
                   "invalid JSON at line " + std::to_string(line) + ": " + JsonErrorDetail(e)});
    return std::nullopt;
  } catch (const json::out_of_range& e) {
    // A number too large for a double ("1e400") is valid JSON that nlohmann refuses. Worded as
    // the JSON document reader words it; nlohmann gives no position.
    emit(ReadError{source,
                   LineOfOffset(text, text.find_first_not_of(" \t\r\n")),
                   {},
                   "invalid JSON: " + ParseErrorDetail(e)});
    return std::nullopt;
  }
}

}  // namespace postlint::io_internal
