#include "io/post_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>
#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include "core/clock.h"
#include "core/networks.h"
#include "core/utf8.h"
#include "io/export_readers.h"
#include "io/line_reader.h"
#include "io/post_fields.h"

namespace postlint {
namespace {

using nlohmann::json;

// Large enough that getline-style scanning is dominated by memchr, small enough to stay in L2.
constexpr size_t kChunkSize = size_t{1} << 20;

bool IsBlank(std::string_view s) {
  return TrimAsciiSpaceRight(s).empty();
}

std::string_view StripCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  return line;
}

uint32_t ToLine(size_t n) {
  return static_cast<uint32_t>(std::min<size_t>(n, UINT32_MAX));
}

// Returns the line at `pos` (without '\n') and moves `pos` past it.
std::string_view NextLine(std::string_view s, size_t& pos) {
  const size_t nl = s.find('\n', pos);
  const size_t end = nl == std::string_view::npos ? s.size() : nl;
  std::string_view line = s.substr(pos, end - pos);
  pos = nl == std::string_view::npos ? s.size() : nl + 1;
  return line;
}

// Networks keep first-seen order because reporters list them in the order the author wrote.
// Must match post_fields.cpp, which the general path uses.
void AddNetworks(Post& post, std::string_view raw) {
  for (std::string& name : SplitNetworkList(raw)) {
    if (std::find(post.networks.begin(), post.networks.end(), name) == post.networks.end())
      post.networks.push_back(std::move(name));
  }
}

// ---------------------------------------------------------------------------------------------
// JSON

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

// Recovers the id of a record for error reports; empty when there is none usable.
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

// Best effort for lines that are not valid JSON: finds `"id": "..."` or `"id": 123` textually so
// the report can still name the record the author knows.
std::string RecoverIdFromBrokenJson(std::string_view line) {
  size_t pos = 0;
  while ((pos = line.find("\"id\"", pos)) != std::string_view::npos) {
    size_t i = pos + 4;
    pos = i;
    while (i < line.size() && IsAsciiSpace(line[i]))
      ++i;
    if (i >= line.size() || line[i] != ':')
      continue;
    ++i;
    while (i < line.size() && IsAsciiSpace(line[i]))
      ++i;
    if (i < line.size() && line[i] == '"') {
      const size_t start = ++i;
      while (i < line.size() && line[i] != '"')
        i += (line[i] == '\\') ? 2 : 1;
      if (i >= line.size())
        return {};
      const std::string_view raw = line.substr(start, i - start);
      if (raw.find('\\') != std::string_view::npos)
        return {};  // escapes: not worth guessing
      return SanitizeUtf8(raw);
    }
    const size_t start = i;
    if (i < line.size() && line[i] == '-')
      ++i;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9')
      ++i;
    if (i > start)
      return std::string(line.substr(start, i - start));
    return {};
  }
  return {};
}

// nlohmann's what() reads "[json.exception.parse_error.101] parse error at line 1, column 5:
// syntax error ..."; positions are re-computed by the callers, so keep only the explanation.
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
  return SanitizeUtf8(msg);
}

// Byte offset (0-based) of the character nlohmann stopped at, clamped into `text`.
size_t ParseErrorOffset(const json::parse_error& e, std::string_view text) {
  const size_t byte = e.byte == 0 ? 0 : e.byte - 1;
  return std::min(byte, text.size());
}

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

uint32_t LineOfOffset(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return ToLine(1 + static_cast<size_t>(std::count(text.begin(), text.begin() + offset, '\n')));
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

// ---------------------------------------------------------------------------------------------
// JSONL fast path
//
// Almost every JSONL record is a plain post object. simdjson parses one several times faster
// than nlohmann::json, whose DOM allocates a node per value, so each line is tried here first
// and takes the general path (nlohmann, PostFromJson) only when the fast path declines. The fast
// path accepts a line only when it can build exactly the Post the general path would:
//   - the line is one valid JSON object in valid UTF-8 (simdjson validates both; anything it
//     rejects, the general path reports in its own words);
//   - every field PostFromJson reads has a type it accepts; a wrong type is an error, and
//     errors are the general path's job so that their messages stay the same;
//   - no field PostFromJson reads appears twice: nlohmann keeps the last value, and rather than
//     reproduce that, such rare lines take the general path;
//   - every key is a post field (an unknown one is an error, io/post_fields.h), every value has
//     the JSON type the field normally takes (booleans as booleans, created_at a readable date);
//     the spellings post_fields.h also accepts ("yes", "x, bluesky" in `network`) are rare
//     enough to take the general path;
//   - nothing that may make it a Bluesky record ("$type", "post", "value", "record").
// Strings need no SanitizeUtf8: simdjson rejects ill-formed UTF-8 and its escapes decode to
// well-formed UTF-8, on which SanitizeUtf8 is the identity.
// A field added to io/post_fields.cpp must be added here too (FastFieldOf, FastPostFromJsonl), or
// the fast path would build posts without it: the JSONL byte-for-byte comparison in
// docs/performance.md is how both paths were checked to agree.

// Bits for the fields PostFromJson reads, to spot repeated ones.
enum FastField : uint32_t {
  kFieldId = 1u << 0,
  kFieldText = 1u << 1,
  kFieldNetwork = 1u << 2,
  kFieldNetworks = 1u << 3,
  kFieldAccount = 1u << 4,
  kFieldAuthor = 1u << 5,
  kFieldCreatedAt = 1u << 6,
  kFieldLang = 1u << 7,
  kFieldSponsored = 1u << 8,
  kFieldMedia = 1u << 9,
  kFieldLabels = 1u << 10,
  kFieldDecline = ~0u,  // an unknown key (an error), or one that may make it a Bluesky record
};

FastField FastFieldOf(std::string_view key) {
  static constexpr std::pair<std::string_view, FastField> kFields[] = {
      {"id", kFieldId},
      {"text", kFieldText},
      {"network", kFieldNetwork},
      {"networks", kFieldNetworks},
      {"account", kFieldAccount},
      {"author", kFieldAuthor},
      {"created_at", kFieldCreatedAt},
      {"lang", kFieldLang},
      {"sponsored", kFieldSponsored},
      {"media", kFieldMedia},
      {"labels", kFieldLabels}};
  for (const auto& [name, field] : kFields) {
    if (key == name)
      return field;
  }
  return kFieldDecline;
}

// Null is absent; a string is copied; anything else declines (false).
bool FastOptionalString(simdjson::dom::element value, std::string* out) {
  if (value.is_null())
    return true;
  std::string_view s;
  if (value.get_string().get(s) != simdjson::SUCCESS)
    return false;
  out->assign(s);
  return true;
}

// A decimal integer as nlohmann's number_integer / number_unsigned print it.
bool FastInteger(simdjson::dom::element value, std::string* out) {
  int64_t signed_value = 0;
  uint64_t unsigned_value = 0;
  if (value.type() == simdjson::dom::element_type::INT64 &&
      value.get_int64().get(signed_value) == simdjson::SUCCESS) {
    *out = std::to_string(signed_value);
    return true;
  }
  if (value.type() == simdjson::dom::element_type::UINT64 &&
      value.get_uint64().get(unsigned_value) == simdjson::SUCCESS) {
    *out = std::to_string(unsigned_value);
    return true;
  }
  return false;
}

// The Post that PostFromJson would build from `line`, or nullopt when the fast path declines.
// `*has_id` tells whether the record named its id (else the caller sets the default one).
std::optional<Post> FastPostFromJsonl(std::string_view line, bool* has_id) {
  using simdjson::dom::element;
  using simdjson::dom::element_type;
  // One parser per thread: it keeps its buffers, so parsing a line allocates nothing.
  thread_local simdjson::dom::parser parser;
  element doc;
  if (parser.parse(line.data(), line.size()).get(doc) != simdjson::SUCCESS ||
      doc.type() != element_type::OBJECT) {
    return std::nullopt;
  }
  Post post;
  *has_id = false;
  uint32_t seen = 0;
  std::string_view network;
  simdjson::dom::array networks;
  bool has_networks = false;
  for (const simdjson::dom::key_value_pair field : simdjson::dom::object(doc)) {
    const FastField which = FastFieldOf(field.key);
    if ((seen & which) != 0)
      return std::nullopt;  // repeated (or kFieldDecline)
    seen |= which;
    const element value = field.value;
    switch (which) {
      case kFieldId:
        if (value.is_null())
          break;
        if (value.is_string()) {
          post.id.assign(std::string_view(value));
          if (post.id.empty())
            return std::nullopt;
        } else if (!FastInteger(value, &post.id)) {
          return std::nullopt;
        }
        *has_id = true;
        break;
      case kFieldText:
        if (!value.is_string())
          return std::nullopt;
        post.text.assign(std::string_view(value));
        break;
      case kFieldNetwork:
        if (value.is_null())
          break;
        if (value.get_string().get(network) != simdjson::SUCCESS ||
            SplitNetworkList(network).empty())
          return std::nullopt;
        break;
      case kFieldNetworks:
        if (value.is_null())
          break;
        if (value.get_array().get(networks) != simdjson::SUCCESS)
          return std::nullopt;
        for (const element name : networks) {
          if (!name.is_string() || SplitNetworkList(std::string_view(name)).empty())
            return std::nullopt;
        }
        has_networks = true;
        break;
      case kFieldAccount:
        if (!FastOptionalString(value, &post.account))
          return std::nullopt;
        break;
      case kFieldAuthor:
        if (!FastOptionalString(value, &post.author))
          return std::nullopt;
        break;
      case kFieldCreatedAt:
        if (!FastOptionalString(value, &post.created_at))
          return std::nullopt;
        if (!post.created_at.empty() && !ParseTime(TrimAsciiSpace(post.created_at)))
          return std::nullopt;
        post.created_at = std::string(TrimAsciiSpace(post.created_at));
        break;
      case kFieldLang:
        if (!FastOptionalString(value, &post.lang))
          return std::nullopt;
        break;
      case kFieldSponsored:
        if (value.is_null())
          break;
        if (bool flag = false; value.get_bool().get(flag) == simdjson::SUCCESS)
          post.sponsored = flag;
        else
          return std::nullopt;
        break;
      case kFieldMedia: {
        if (value.is_null())
          break;
        simdjson::dom::array items;
        if (value.get_array().get(items) != simdjson::SUCCESS)
          return std::nullopt;
        for (const element item : items) {
          simdjson::dom::object object;
          if (item.get_object().get(object) != simdjson::SUCCESS)
            return std::nullopt;
          // A non-null "alt_text" wins over "alt", as in PostFromJson.
          bool seen_alt = false, seen_alt_text = false;
          bool set_alt = false, set_alt_text = false;
          std::string alt, alt_text;
          for (const simdjson::dom::key_value_pair kv : object) {
            const bool is_alt = kv.key == "alt";
            if (kv.key == "url" || kv.key == "type") {
              if (!kv.value.is_null() && !kv.value.is_string())
                return std::nullopt;
              continue;
            }
            if (!is_alt && kv.key != "alt_text")
              return std::nullopt;
            bool& seen_key = is_alt ? seen_alt : seen_alt_text;
            if (seen_key)
              return std::nullopt;
            seen_key = true;
            if (kv.value.is_null())
              continue;
            std::string_view s;
            if (kv.value.get_string().get(s) != simdjson::SUCCESS)
              return std::nullopt;
            (is_alt ? alt : alt_text).assign(s);
            (is_alt ? set_alt : set_alt_text) = true;
          }
          MediaItem media;
          if (set_alt_text)
            media.alt_text = std::move(alt_text);
          else if (set_alt)
            media.alt_text = std::move(alt);
          post.media.push_back(std::move(media));
        }
        break;
      }
      case kFieldLabels: {
        if (value.is_null())
          break;
        simdjson::dom::object labels;
        if (value.get_object().get(labels) != simdjson::SUCCESS)
          return std::nullopt;
        std::vector<std::string_view> keys;
        for (const simdjson::dom::key_value_pair kv : labels) {
          if (std::find(keys.begin(), keys.end(), kv.key) != keys.end())
            return std::nullopt;
          keys.push_back(kv.key);
          std::string label_value;
          switch (kv.value.type()) {
            case element_type::NULL_VALUE:
              continue;
            case element_type::STRING:
              label_value.assign(std::string_view(kv.value));
              break;
            case element_type::BOOL:
              label_value = bool(kv.value) ? "true" : "false";
              break;
            case element_type::INT64:
            case element_type::UINT64:
              FastInteger(kv.value, &label_value);
              break;
            default:
              return std::nullopt;  // doubles print nlohmann's way; arrays/objects are errors
          }
          post.labels[std::string(kv.key)] = std::move(label_value);
        }
        break;
      }
      default:
        return std::nullopt;
    }
  }
  if ((seen & kFieldText) == 0)
    return std::nullopt;
  if (!network.empty())
    AddNetworks(post, network);
  if (has_networks) {
    for (const element name : networks)
      AddNetworks(post, std::string_view(name));
  }
  return post;
}

// One JSONL line without '\n', '\r' or BOM. Columns count bytes from the first one an editor
// shows, so a BOM is not counted.
void ParseJsonlLine(std::string_view line, uint32_t line_no, const std::string& source,
                    const RecordCallback& emit) {
  if (IsBlank(line))
    return;
  bool has_id = false;
  if (std::optional<Post> post = FastPostFromJsonl(line, &has_id)) {
    if (!has_id)
      post->id = source + ":" + std::to_string(line_no);
    post->source = source;
    post->source_line = line_no;
    emit(std::move(*post));
    return;
  }
  std::string sanitized;
  if (!IsAscii(line)) {
    sanitized = SanitizeUtf8(line);
    line = sanitized;
  }
  json object;
  try {
    object = json::parse(line);
  } catch (const json::parse_error& e) {
    const size_t column = ParseErrorOffset(e, line) + 1;
    emit(
        ReadError{source, line_no, RecoverIdFromBrokenJson(line),
                  "invalid JSON at column " + std::to_string(column) + ": " + ParseErrorDetail(e)});
    return;
  } catch (const json::out_of_range& e) {
    // A number too large for a double ("1e400") is valid JSON that nlohmann refuses.
    emit(ReadError{source, line_no, RecoverIdFromBrokenJson(line),
                   "invalid JSON: " + ParseErrorDetail(e)});
    return;
  }
  if (!object.is_object()) {
    emit(ReadError{source,
                   line_no,
                   {},
                   std::string("each line must be a JSON object, not ") + JsonTypeName(object)});
    return;
  }
  const std::string default_id = source + ":" + std::to_string(line_no);
  auto result = IsBlueskyRecord(object) ? PostFromBlueskyRecord(object, default_id)
                                        : PostFromJson(object, default_id);
  if (auto* post = std::get_if<Post>(&result)) {
    post->source = source;
    post->source_line = line_no;
    emit(std::move(*post));
  } else {
    emit(ReadError{source, line_no, JsonIdForError(object), std::get<std::string>(result)});
  }
}

void ParseJsonl(std::string_view content, const std::string& source, const RecordCallback& emit) {
  size_t pos = 0;
  uint32_t line_no = 0;
  while (pos < content.size()) {
    std::string_view line = StripCr(NextLine(content, pos));
    ++line_no;
    if (line_no == 1)
      line = StripUtf8Bom(line);
    ParseJsonlLine(line, line_no, source, emit);
  }
}

// ---------------------------------------------------------------------------------------------
// Text and front matter

struct FieldError {
  uint32_t line;
  std::string message;
};

class FrontMatter {
 public:
  // `first_line` is the file line holding YAML line 0.
  explicit FrontMatter(uint32_t first_line) : first_line_(first_line) {}

  std::optional<FieldError> Apply(const YAML::Node& root, Post* post) const {
    if (!root.IsDefined() || root.IsNull())
      return std::nullopt;
    if (!root.IsMap()) {
      return FieldError{LineOf(root), "front matter must be a mapping of post fields"};
    }
    std::vector<std::string> seen;
    for (auto it = root.begin(); it != root.end(); ++it) {
      // Copies: yaml-cpp iterators hand out proxies, and nodes are cheap reference handles.
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      if (!key.IsScalar())
        return FieldError{LineOf(key), "front matter keys must be strings"};
      const std::string& name = key.Scalar();
      // yaml-cpp keeps one of two equal keys silently; an author who wrote both meant something.
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
        return FieldError{LineOf(key), "front matter: field '" + name + "' appears twice"};
      }
      seen.push_back(name);
      std::optional<std::string> error =
          ApplyPostField(name, FieldValueFromYaml(value), FieldSource::kFrontMatter, post);
      if (error)
        return FieldError{LineOf(key), "front matter: " + *error};
    }
    return std::nullopt;
  }

  uint32_t LineOf(const YAML::Node& node) const { return LineOfMark(node.Mark()); }

  uint32_t LineOfMark(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.line < 0)
      return first_line_ - 1;  // the opening "---"
    return first_line_ + static_cast<uint32_t>(mark.line);
  }

 private:
  // YAML scalars stay strings (see FieldValue::scalar): `sponsored: yes` and `"sponsored":
  // "yes"` then mean the same, and `id: 0123` keeps its leading zero.
  static FieldValue FieldValueFromYaml(const YAML::Node& node) {
    FieldValue out;
    if (node.IsScalar()) {
      out.type = FieldValue::Type::kString;
      out.scalar = node.Scalar();
    } else if (node.IsSequence()) {
      out.type = FieldValue::Type::kList;
      for (const YAML::Node& item : node)
        out.items.push_back(FieldValueFromYaml(item));
    } else if (node.IsMap()) {
      out.type = FieldValue::Type::kMap;
      for (auto it = node.begin(); it != node.end(); ++it) {
        const YAML::Node key = it->first;
        out.members.push_back(
            {key.IsScalar() ? key.Scalar() : std::string(), FieldValueFromYaml(it->second)});
      }
    }
    return out;
  }

  uint32_t first_line_;
};

bool IsFrontMatterFence(std::string_view line, std::string_view fence) {
  return TrimAsciiSpaceRight(line) == fence;
}

void ParseText(std::string_view raw, const std::string& source, const RecordCallback& emit) {
  // Sanitizing up front also protects yaml-cpp from ill-formed UTF-8; replacement never touches
  // '\n', so every line number below is a line of the original file.
  const std::string sanitized = SanitizeUtf8(StripUtf8Bom(raw));
  const std::string_view content = sanitized;
  Post post;
  post.id = source;
  post.source = source;
  post.text_is_verbatim = true;

  size_t pos = 0;
  uint32_t line_no = 1;  // line at `pos`
  {
    size_t probe = 0;
    if (IsFrontMatterFence(NextLine(content, probe), "---")) {
      pos = probe;
      line_no = 2;
      std::string yaml;
      bool closed = false;
      while (pos < content.size()) {
        const std::string_view line = StripCr(NextLine(content, pos));
        ++line_no;
        if (IsFrontMatterFence(line, "---") || IsFrontMatterFence(line, "...")) {
          closed = true;
          break;
        }
        yaml.append(line);
        yaml.push_back('\n');
      }
      if (!closed) {
        emit(ReadError{
            source, 1, {}, "front matter opened on line 1 is not closed by a '---' or '...' line"});
        return;
      }
      const FrontMatter front_matter(/*first_line=*/2);
      try {
        const YAML::Node root = YAML::Load(yaml);
        if (std::optional<FieldError> error = front_matter.Apply(root, &post)) {
          // The id may come after the faulty field, so look it up rather than use post.id.
          std::string id;
          if (root.IsMap()) {
            const YAML::Node id_node = root["id"];
            if (id_node.IsDefined() && id_node.IsScalar())
              id = id_node.Scalar();
          }
          emit(ReadError{source, error->line, id, std::move(error->message)});
          return;
        }
      } catch (const YAML::Exception& e) {
        emit(ReadError{source,
                       front_matter.LineOfMark(e.mark),
                       {},
                       "invalid YAML in front matter: " + SanitizeUtf8(e.msg)});
        return;
      }
    }
  }

  const uint32_t body_line = line_no;
  while (pos < content.size()) {
    size_t next = pos;
    if (!IsBlank(NextLine(content, next)))
      break;
    pos = next;
    ++line_no;
  }
  const std::string_view body = TrimAsciiSpaceRight(content.substr(pos));
  // CRLF files: "\r" would count as a character in every length rule; line structure (and so
  // text_is_verbatim's line/column mapping) is unchanged by dropping it.
  std::string text;
  text.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n')
      continue;
    text.push_back(body[i]);
  }
  post.text = std::move(text);
  post.source_line = post.text.empty() ? body_line : line_no;
  emit(std::move(post));
}

// ---------------------------------------------------------------------------------------------
// Files

void StreamJsonl(std::FILE* file, const std::string& source, const RecordCallback& emit) {
  LineReader reader(file, kChunkSize);
  std::string_view line;
  uint32_t line_no = 0;
  while (reader.Next(&line)) {
    ++line_no;
    line = StripCr(line);
    if (line_no == 1)
      line = StripUtf8Bom(line);
    ParseJsonlLine(line, line_no, source, emit);
  }
}

void ReadAll(std::FILE* file, size_t size_hint, std::string* out) {
  out->reserve(size_hint + 1);
  for (;;) {
    const size_t old_size = out->size();
    const size_t want = std::max(kChunkSize, out->capacity() - old_size);
    out->resize(old_size + want);
    const size_t got = std::fread(out->data() + old_size, 1, want, file);
    out->resize(old_size + got);
    if (got < want)
      return;
  }
}

std::string ErrnoMessage(int error) {
  return std::error_code(error, std::generic_category()).message();
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
    ReadAll(file, size_hint, &content);
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
