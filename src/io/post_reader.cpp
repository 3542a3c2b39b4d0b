// Format choice (by extension, then by sniffing), JSON documents, reading files and standard
// input, and the expansion of input paths. Drafts are read in draft_reader.cpp, JSON Lines in
// jsonl_reader.cpp and the networks' exports behind io/export_readers.h.
#include "io/post_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/redaction.h"
#include "core/utf8.h"
#include "io/export_readers.h"
#include "io/input_limits.h"
#include "io/post_fields.h"
#include "io/reader_internal.h"

namespace postlint {
namespace {

using io_internal::ErrnoMessage;
using io_internal::InputFileProblem;
using io_internal::InputTooLargeMessage;
using io_internal::IsBlank;
using io_internal::JsonIdForError;
using io_internal::JsonTooDeep;
using io_internal::JsonTooDeepMessage;
using io_internal::JsonTypeName;
using io_internal::kChunkSize;
using io_internal::kMaxInputFileBytes;
using io_internal::LineOfOffset;
using io_internal::ParseErrorDetail;
using io_internal::ParseErrorOffset;
using io_internal::ParseJsonl;
using io_internal::ParseText;
using io_internal::StreamJsonl;
using io_internal::ToLine;
using nlohmann::json;

// Where each element of a top-level JSON array starts. `text` must be valid JSON whose first
// non-space character is '['; nlohmann keeps no positions, so scan once more for them.
std::vector<uint32_t> ArrayElementLines(std::string_view text) {
  std::vector<uint32_t> lines;
  uint32_t line = 1;
  int depth = 0;
  bool in_string = false;
  bool expect_element = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n')
      ++line;
    if (in_string) {
      if (c == '\\') {
        ++i;  // an escaped character is never a newline in valid JSON
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (IsAsciiSpace(c))
      continue;
    if (depth == 1 && expect_element && c != ']') {
      lines.push_back(line);
      expect_element = false;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        ++depth;
        if (depth == 1)
          expect_element = true;
        break;
      case ']':
      case '}':
        --depth;
        if (depth == 0)
          return lines;
        break;
      case ',':
        if (depth == 1)
          expect_element = true;
        break;
      default:
        break;
    }
  }
  return lines;
}

void ParseJsonDocument(std::string_view content, const std::string& source,
                       const RecordCallback& emit) {
  // nlohmann rejects ill-formed UTF-8, but the contract is to replace it, so sanitize first.
  // Replacement never touches '\n', so line numbers are those of the original file.
  const std::string text = SanitizeUtf8(StripUtf8Bom(content));
  if (IsBlank(text)) {
    emit(ReadError{source, 1, {}, "the JSON document is empty"});
    return;
  }
  if (const auto deep = JsonTooDeep(text)) {
    emit(ReadError{source, LineOfOffset(text, *deep), {}, JsonTooDeepMessage()});
    return;
  }
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    const size_t offset = ParseErrorOffset(e, text);
    const size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    const size_t column = line_start == std::string::npos ? offset + 1 : offset - line_start;
    const uint32_t line = LineOfOffset(text, offset);
    emit(ReadError{source,
                   line,
                   {},
                   "invalid JSON at line " + std::to_string(line) + ", column " +
                       std::to_string(column) + ": " + ParseErrorDetail(e)});
    return;
  } catch (const json::out_of_range& e) {
    // A number too large for a double ("1e400") is valid JSON that nlohmann refuses.
    emit(ReadError{source,
                   LineOfOffset(text, text.find_first_not_of(" \t\r\n")),
                   {},
                   "invalid JSON: " + ParseErrorDetail(e)});
    return;
  }
  if (ParseExportDocument(doc, text, source, emit))
    return;  // a Mastodon outbox, Bluesky records, Facebook / Instagram posts
  const uint32_t first_line = LineOfOffset(text, text.find_first_not_of(" \t\r\n"));
  if (doc.is_object()) {
    auto result = PostFromJson(doc, source);
    if (auto* post = std::get_if<Post>(&result)) {
      post->source = source;
      post->source_line = first_line;
      emit(std::move(*post));
    } else {
      emit(ReadError{source, first_line, JsonIdForError(doc), std::get<std::string>(result)});
    }
    return;
  }
  if (!doc.is_array()) {
    emit(ReadError{source,
                   first_line,
                   {},
                   std::string("the JSON document must be an object or an array of objects, not ") +
                       JsonTypeName(doc)});
    return;
  }
  const std::vector<uint32_t> lines = ArrayElementLines(text);
  for (size_t i = 0; i < doc.size(); ++i) {
    const json& element = doc[i];
    const uint32_t line = i < lines.size() ? lines[i] : ToLine(i + 1);
    const std::string prefix = "record " + std::to_string(i + 1) + ": ";
    if (!element.is_object()) {
      emit(ReadError{
          source, line, {}, prefix + "must be a JSON object, not " + JsonTypeName(element)});
      continue;
    }
    auto result = PostFromJson(element, source + "#" + std::to_string(i + 1));
    if (auto* post = std::get_if<Post>(&result)) {
      post->source = source;
      post->source_line = line;
      emit(std::move(*post));
    } else {
      emit(
          ReadError{source, line, JsonIdForError(element), prefix + std::get<std::string>(result)});
    }
  }
}

// Reads `file` whole into `*out`, up to kMaxInputFileBytes; false when it holds more.
bool ReadAll(std::FILE* file, size_t size_hint, std::string* out) {
  out->reserve(std::min<uint64_t>(size_hint, kMaxInputFileBytes) + 1);
  for (;;) {
    const size_t old_size = out->size();
    const size_t want = std::max(kChunkSize, out->capacity() - old_size);
    out->resize(old_size + want);
    const size_t got = std::fread(out->data() + old_size, 1, want, file);
    out->resize(old_size + got);
    if (out->size() > kMaxInputFileBytes)
      return false;
    if (got < want)
      return true;
  }
}

void ReadFromFile(std::FILE* file, const std::string& source, size_t size_hint,
                  const ReadOptions& options, const RecordCallback& emit) {
  InputFormat format = options.format;
  if (format == InputFormat::kAuto)
    format = FormatFromPath(source);
  if (format == InputFormat::kJsonl) {
    StreamJsonl(file, source, emit);
  } else {
    std::string content;
    if (!ReadAll(file, size_hint, &content)) {
      emit(ReadError{source, 0, {}, InputTooLargeMessage()});
      return;
    }
    if (!std::ferror(file)) {
      ReadOptions resolved = options;
      resolved.format = format;
      ParsePosts(content, source, resolved, emit);
    }
  }
  if (std::ferror(file)) {
    emit(ReadError{source, 0, {}, "cannot read: " + ErrnoMessage(errno)});
  }
}

bool HasInputExtension(const std::filesystem::path& path) {
  const std::string ext = ToLowerAscii(path.extension().string());
  return ext == ".txt" || ext == ".md" || ext == ".markdown" || ext == ".json" || ext == ".jsonl" ||
         ext == ".ndjson" || ext == ".csv" || IsArchivePath(path.string());
}

}  // namespace

namespace io_internal {

const char* JsonTypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a number";
    default:
      return "an unsupported value";
  }
}

std::string JsonIdForError(const json& object) {
  if (!object.is_object())
    return {};
  const auto it = object.find("id");
  if (it == object.end())
    return {};
  if (it->is_string())
    return SanitizeUtf8(it->get_ref<const std::string&>());
  if (it->is_number_unsigned())
    return std::to_string(it->get<uint64_t>());
  if (it->is_number_integer())
    return std::to_string(it->get<int64_t>());
  return {};
}

std::string ParseErrorDetail(const json::exception& e) {
  std::string_view msg = e.what();
  if (const size_t bracket = msg.find("] ");
      !msg.empty() && msg[0] == '[' && bracket != std::string_view::npos) {
    msg.remove_prefix(bracket + 2);
  }
  constexpr std::string_view kAt = "parse error at ";
  if (msg.substr(0, kAt.size()) == kAt) {
    if (const size_t colon = msg.find(": "); colon != std::string_view::npos) {
      msg.remove_prefix(colon + 2);
    }
  }
  return QuoteLastRead(SanitizeUtf8(msg));
}

size_t ParseErrorOffset(const json::parse_error& e, std::string_view text) {
  const size_t byte = e.byte == 0 ? 0 : e.byte - 1;
  return std::min(byte, text.size());
}

}  // namespace io_internal

std::optional<InputFormat> ParseInputFormat(std::string_view name) {
  const std::string lower = ToLowerAscii(name);
  if (lower == "auto")
    return InputFormat::kAuto;
  if (lower == "text" || lower == "txt" || lower == "md" || lower == "markdown") {
    return InputFormat::kText;
  }
  if (lower == "json")
    return InputFormat::kJson;
  if (lower == "jsonl" || lower == "ndjson")
    return InputFormat::kJsonl;
  static const std::pair<std::string_view, InputFormat> kExports[] = {
      {"csv", InputFormat::kCsv},
      {"x-archive", InputFormat::kXArchive},
      {"twitter-archive", InputFormat::kXArchive},
      {"mastodon", InputFormat::kMastodon},
      {"bluesky", InputFormat::kBluesky},
      {"facebook", InputFormat::kFacebook},
      {"instagram", InputFormat::kInstagram},
      {"linkedin", InputFormat::kLinkedIn}};
  for (const auto& [export_name, export_format] : kExports) {
    if (lower == export_name)
      return export_format;
  }
  return std::nullopt;
}

const std::vector<std::string>& InputFormatNames() {
  static const std::vector<std::string> kNames = {
      "auto",     "text",    "md",       "markdown",  "json",
      "jsonl",    "ndjson",  "csv",      "x-archive", "twitter-archive",
      "mastodon", "bluesky", "facebook", "instagram", "linkedin"};
  return kNames;
}

InputFormat FormatFromPath(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0)
    return InputFormat::kAuto;
  const std::string ext = ToLowerAscii(name.substr(dot));
  if (ext == ".txt" || ext == ".md" || ext == ".markdown")
    return InputFormat::kText;
  if (ext == ".json")
    return InputFormat::kJson;
  if (ext == ".jsonl" || ext == ".ndjson")
    return InputFormat::kJsonl;
  if (ext == ".csv")
    return InputFormat::kCsv;
  return InputFormat::kAuto;
}

InputFormat SniffFormat(std::string_view content) {
  content = StripUtf8Bom(content);
  if (const auto export_format = SniffExportText(content))
    return *export_format;
  const size_t first = content.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return InputFormat::kText;
  const char open = content[first];
  if (open != '[' && open != '{')
    return InputFormat::kText;
  // accept() stops at the first byte after the first value, so JSONL is rejected cheaply.
  // Ill-formed UTF-8 would make a single object look like JSONL, hence the sanitize.
  auto is_json = [](std::string_view s) {
    return IsAscii(s) ? json::accept(s) : json::accept(SanitizeUtf8(s));
  };
  if (is_json(content))
    return InputFormat::kJson;
  size_t line_end = content.find('\n', first);
  const std::string_view first_line = content.substr(
      first, line_end == std::string_view::npos ? std::string_view::npos : line_end - first);
  if (open == '{' && is_json(first_line))
    return InputFormat::kJsonl;
  // Not valid JSON: it is JSON with a mistake only when it starts the way JSON posts do.
  const size_t second = content.find_first_not_of(" \t\r\n", first + 1);
  const char next = second == std::string_view::npos ? '\0' : content[second];
  const bool starts_like_json =
      open == '{' ? (next == '"' || next == '}') : (next == '{' || next == '[' || next == ']');
  if (!starts_like_json)
    return InputFormat::kText;
  if (open == '{' && line_end != std::string_view::npos) {
    // Several lines that each start with '{': JSON Lines with a broken line somewhere.
    size_t objects = 0;
    size_t pos = first;
    while (pos < content.size()) {
      const size_t nl = content.find('\n', pos);
      const std::string_view line = TrimAsciiSpace(
          content.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
      if (!line.empty() && line.front() == '{')
        ++objects;
      pos = nl == std::string_view::npos ? content.size() : nl + 1;
    }
    if (objects > 1)
      return InputFormat::kJsonl;
  }
  return InputFormat::kJson;
}

void ParsePosts(std::string_view content, const std::string& source, InputFormat format,
                const RecordCallback& emit) {
  ReadOptions options;
  options.format = format;
  ParsePosts(content, source, options, emit);
}

void ParsePosts(std::string_view content, const std::string& source, const ReadOptions& options,
                const RecordCallback& emit) {
  InputFormat format = options.format;
  if (format == InputFormat::kAuto)
    format = FormatFromPath(source);
  if (format == InputFormat::kAuto)
    format = SniffFormat(content);
  switch (format) {
    case InputFormat::kJson:
      ParseJsonDocument(content, source, emit);
      return;
    case InputFormat::kJsonl:
      ParseJsonl(content, source, emit);
      return;
    case InputFormat::kText:
    case InputFormat::kAuto:
      ParseText(content, source, emit);
      return;
    case InputFormat::kCsv:
    case InputFormat::kXArchive:
    case InputFormat::kMastodon:
    case InputFormat::kBluesky:
    case InputFormat::kFacebook:
    case InputFormat::kInstagram:
    case InputFormat::kLinkedIn:
      ParseExport(content, source, format, options, emit);
      return;
  }
}

void ReadPosts(const std::string& path, InputFormat format, const RecordCallback& emit) {
  ReadOptions options;
  options.format = format;
  ReadPosts(path, options, emit);
}

void ReadPosts(const std::string& path, const ReadOptions& options, const RecordCallback& emit) {
  // Devices and oversized files are refused before any reader opens them.
  if (path != "-") {
    if (auto problem = InputFileProblem(path, IsArchivePath(path))) {
      emit(ReadError{path, 0, {}, std::move(*problem)});
      return;
    }
  }
  if (ReadExportPath(path, options, emit))
    return;  // export folders and archives, CSV and Bluesky JSONL (streamed)
  if (path == "-") {
    // Sniffing needs the whole input; only an explicit jsonl format streams standard input.
    ReadFromFile(stdin, "<stdin>", 0, options, emit);
    return;
  }
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::is_directory(status)) {
    emit(ReadError{path, 0, {}, "cannot read: is a directory"});
    return;
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    emit(ReadError{path, 0, {}, "cannot open: " + ErrnoMessage(errno)});
    return;
  }
  size_t size_hint = 0;
  if (!ec && std::filesystem::is_regular_file(status)) {
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec)
      size_hint = static_cast<size_t>(size);
  }
  ReadFromFile(file, path, size_hint, options, emit);
  std::fclose(file);
}

FieldValue FieldValueFromJson(const nlohmann::json& value) {
  FieldValue out;
  switch (value.type()) {
    case json::value_t::boolean:
      out.type = FieldValue::Type::kBool;
      out.boolean = value.get<bool>();
      break;
    case json::value_t::number_integer:
      out.type = FieldValue::Type::kInteger;
      out.scalar = std::to_string(value.get<int64_t>());
      break;
    case json::value_t::number_unsigned:
      out.type = FieldValue::Type::kInteger;
      out.scalar = std::to_string(value.get<uint64_t>());
      break;
    case json::value_t::number_float:
      out.type = FieldValue::Type::kNumber;
      out.scalar = value.dump();
      break;
    case json::value_t::string:
      out.type = FieldValue::Type::kString;
      out.scalar = value.get_ref<const std::string&>();
      break;
    case json::value_t::array:
      out.type = FieldValue::Type::kList;
      for (const json& item : value)
        out.items.push_back(FieldValueFromJson(item));
      break;
    case json::value_t::object:
      out.type = FieldValue::Type::kMap;
      for (const auto& [key, member] : value.items())
        out.members.push_back({key, FieldValueFromJson(member)});
      break;
    default:
      break;  // null (and nlohmann's "discarded", which parse never returns)
  }
  return out;
}

std::variant<Post, std::string> PostFromJson(const nlohmann::json& object,
                                             const std::string& default_id) {
  if (!object.is_object()) {
    return std::string("a post must be a JSON object, not ") + JsonTypeName(object);
  }
  const FieldValue fields = FieldValueFromJson(object);
  Post post;
  post.id = default_id;
  if (auto problem = ApplyPostFields(fields, FieldSource::kRecord, &post))
    return std::move(*problem);
  if (auto problem = RequireText(fields))
    return std::move(*problem);
  return post;
}

std::vector<std::string> ExpandInputPaths(const std::vector<std::string>& paths,
                                          std::vector<std::string>* missing) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    if (path == "-") {
      out.push_back(path);
      continue;
    }
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      if (missing != nullptr)
        missing->push_back(path);
      continue;
    }
    if (!fs::is_directory(status) || IsExportFolder(path)) {
      out.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const fs::path& entry = it->path();
      std::error_code entry_ec;  // a dangling symlink must not end the walk
      if (entry.filename().string().rfind('.', 0) == 0) {
        if (it->is_directory(entry_ec))
          it.disable_recursion_pending();
        continue;
      }
      if (it->is_directory(entry_ec) && IsExportFolder(entry.string())) {
        found.push_back(entry.string());
        it.disable_recursion_pending();
      } else if (it->is_regular_file(entry_ec) && HasInputExtension(entry)) {
        found.push_back(entry.string());
      }
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), std::make_move_iterator(found.begin()),
               std::make_move_iterator(found.end()));
  }
  return out;
}

}  // namespace postlint
