// JSON Lines: a simdjson fast path for the plain post objects that make up almost every line,
// and the general nlohmann path (PostFromJson, Bluesky records, every error) for the rest.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "core/clock.h"
#include "core/utf8.h"
#include "io/export_readers.h"
#include "io/input_limits.h"
#include "io/line_reader.h"
#include "io/post_fields.h"
#include "io/post_reader.h"
#include "io/reader_internal.h"

namespace postlint {
namespace {

using io_internal::IsBlank;
using io_internal::JsonIdForError;
using io_internal::JsonTooDeep;
using io_internal::JsonTooDeepMessage;
using io_internal::JsonTypeName;
using io_internal::ParseErrorDetail;
using io_internal::ParseErrorOffset;
using nlohmann::json;

// Networks keep first-seen order because reporters list them in the order the author wrote.
// Must match post_fields.cpp, which the general path uses.
void AddNetworks(Post& post, std::string_view raw) {
  for (std::string& name : SplitNetworkList(raw)) {
    if (std::find(post.networks.begin(), post.networks.end(), name) == post.networks.end())
      post.networks.push_back(std::move(name));
  }
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

// The fast path
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
  if (JsonTooDeep(line)) {
    emit(ReadError{source, line_no, {}, JsonTooDeepMessage()});
    return;
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

}  // namespace

namespace io_internal {

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

void StreamJsonl(std::FILE* file, const std::string& source, const RecordCallback& emit) {
  LineReader reader(file, kChunkSize, kMaxInputFileBytes);
  std::string_view line;
  uint32_t line_no = 0;
  while (reader.Next(&line)) {
    ++line_no;
    line = StripCr(line);
    if (line_no == 1)
      line = StripUtf8Bom(line);
    ParseJsonlLine(line, line_no, source, emit);
  }
  if (reader.TooLarge())
    emit(ReadError{source, 0, {}, InputTooLargeMessage()});
}

}  // namespace io_internal
}  // namespace postlint
