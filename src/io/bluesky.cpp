// Bluesky post records (app.bsky.feed.post): one record, JSONL, arrays, and the wrappers the
// API returns (listRecords, feeds, getPosts). Links shortened for display are restored from the
// record's facets (io/export_internal.h, io/export_readers.h).
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "io/export_internal.h"
#include "io/export_readers.h"
#include "io/input_limits.h"
#include "io/line_source.h"
#include "io/reader_internal.h"

namespace postlint {
namespace {

using io_internal::JsonArray;
using io_internal::JsonMember;
using io_internal::JsonString;
using io_internal::JsonTooDeep;
using io_internal::JsonTooDeepMessage;
using io_internal::StripScheme;
using nlohmann::json;

constexpr std::string_view kBskyPost = "app.bsky.feed.post";

bool IsPostRecord(const json* v) {
  return v != nullptr && v->is_object() && JsonString(*v, "$type") == kBskyPost;
}

struct BskyParts {
  const json* record = nullptr;
  std::string uri;
  std::string handle;
  std::string display_name;
};

BskyParts SplitBsky(const json& object) {
  BskyParts parts;
  if (IsPostRecord(&object)) {
    parts.record = &object;
    return parts;
  }
  const json* view = &object;
  if (const json* post = JsonMember(object, "post"); post != nullptr && post->is_object())
    view = post;  // feed item {post: PostView}
  for (const char* key : {"value", "record"}) {
    if (const json* r = JsonMember(*view, key); IsPostRecord(r)) {
      parts.record = r;
      parts.uri = JsonString(*view, "uri");
      if (const json* author = JsonMember(*view, "author")) {
        parts.handle = JsonString(*author, "handle");
        parts.display_name = JsonString(*author, "displayName");
      }
      break;
    }
  }
  return parts;
}

bool Utf8Boundary(std::string_view s, size_t i) {
  return i == s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

// Restores links shortened for display ("example.com/very-lo...") from link facets.
void RestoreFacetLinks(const json& record, std::string* text) {
  const json* facets = JsonArray(record, "facets");
  if (facets == nullptr)
    return;
  struct Link {
    size_t start;
    size_t end;
    std::string uri;
  };
  std::vector<Link> links;
  for (const json& facet : *facets) {
    const json* index = JsonMember(facet, "index");
    const json* features = JsonArray(facet, "features");
    if (index == nullptr || features == nullptr)
      continue;
    const json* start = JsonMember(*index, "byteStart");
    const json* end = JsonMember(*index, "byteEnd");
    if (start == nullptr || end == nullptr || !start->is_number_unsigned() ||
        !end->is_number_unsigned())
      continue;
    for (const json& feature : *features) {
      if (JsonString(feature, "$type") != "app.bsky.richtext.facet#link")
        continue;
      const std::string uri = JsonString(feature, "uri");
      const size_t s = start->get<size_t>();
      const size_t e = end->get<size_t>();
      if (!uri.empty() && s < e && e <= text->size() && Utf8Boundary(*text, s) &&
          Utf8Boundary(*text, e))
        links.push_back(Link{s, e, uri});
    }
  }
  std::sort(links.begin(), links.end(),
            [](const Link& a, const Link& b) { return a.start > b.start; });
  size_t limit = text->size();
  for (const Link& link : links) {
    if (link.end > limit)
      continue;  // overlapping facets: keep the later one
    const std::string shown = text->substr(link.start, link.end - link.start);
    limit = link.start;
    if (shown == link.uri)
      continue;
    std::string core(TrimAsciiSpace(shown));
    for (std::string_view ellipsis : {"...", "\xE2\x80\xA6"}) {
      if (core.ends_with(ellipsis))
        core.resize(core.size() - ellipsis.size());
    }
    const bool url_display =
        StripScheme(link.uri).starts_with(StripScheme(core)) ||
        (core.find(' ') == std::string::npos && core.find('.') != std::string::npos);
    text->replace(link.start, link.end - link.start,
                  url_display ? link.uri : shown + " (" + link.uri + ")");
  }
}

void CollectBskyAlt(const json* embed, Post* post) {
  if (embed == nullptr || !embed->is_object())
    return;
  const std::string type = JsonString(*embed, "$type");
  if (type == "app.bsky.embed.images") {
    if (const json* images = JsonArray(*embed, "images")) {
      for (const json& image : *images)
        post->media.push_back(MediaItem{JsonString(image, "alt")});
    }
  } else if (type == "app.bsky.embed.video") {
    post->media.push_back(MediaItem{JsonString(*embed, "alt")});
  } else if (type == "app.bsky.embed.recordWithMedia") {
    CollectBskyAlt(JsonMember(*embed, "media"), post);
  }
}

// Arrays of records inside wrappers: listRecords {records}, feeds {feed}, getPosts {posts}.
const json* BlueskyRecordList(const json& doc) {
  if (doc.is_array())
    return &doc;
  for (const char* key : {"records", "feed", "posts"}) {
    if (const json* list = JsonArray(doc, key))
      return list;
  }
  return nullptr;
}

const char* BlueskyListKey(const json& doc) {
  if (doc.is_array())
    return "";
  for (const char* key : {"records", "feed", "posts"}) {
    if (JsonArray(doc, key) != nullptr)
      return key;
  }
  return "";
}

}  // namespace

namespace io_internal {

bool LooksLikeBluesky(const json& doc) {
  if (doc.is_object() && IsBlueskyRecord(doc))
    return true;
  const json* list = BlueskyRecordList(doc);
  if (list == nullptr)
    return false;
  const json* first = FirstObject(*list);
  return first != nullptr && IsBlueskyRecord(*first);
}

void ReadBlueskyDocument(const json& doc, std::string_view text, const std::string& source,
                         const RecordCallback& emit) {
  if (doc.is_object() && IsBlueskyRecord(doc)) {
    auto result = PostFromBlueskyRecord(doc, source);
    const uint32_t line = LineOfOffset(text, text.find_first_not_of(" \t\r\n"));
    if (auto* post = std::get_if<Post>(&result)) {
      post->source = source;
      post->source_line = line;
      emit(std::move(*post));
    } else {
      emit(ReadError{source, line, {}, std::get<std::string>(result)});
    }
    return;
  }
  const json* list = BlueskyRecordList(doc);
  if (list == nullptr) {
    emit(ReadError{
        source, 1, {}, "not a Bluesky post record, array of records or listRecords output"});
    return;
  }
  ForEachElement(
      *list, text, BlueskyListKey(doc), source,
      [&](const json& e, size_t i) -> std::optional<std::variant<Post, std::string>> {
        return PostFromBlueskyRecord(e, source + "#" + std::to_string(i + 1));
      },
      emit);
}

void ReadBlueskyLines(LineSource& lines, const std::string& source, const RecordCallback& emit) {
  std::string line;
  uint32_t line_no = 0;
  while (lines.Next(&line)) {
    ++line_no;
    std::string_view view = line;
    if (line_no == 1)
      view = StripUtf8Bom(view);
    if (TrimAsciiSpace(view).empty())
      continue;
    if (JsonTooDeep(view)) {
      emit(ReadError{source, line_no, {}, JsonTooDeepMessage()});
      continue;
    }
    json object;
    try {
      object = json::parse(SanitizeUtf8(view));
    } catch (const json::parse_error& e) {
      emit(ReadError{source, line_no, {}, "invalid JSON: " + JsonErrorDetail(e)});
      continue;
    } catch (const json::out_of_range& e) {
      // A number too large for a double ("1e400"), as the JSONL reader reports it.
      emit(ReadError{source, line_no, {}, "invalid JSON: " + ParseErrorDetail(e)});
      continue;
    }
    auto result = PostFromBlueskyRecord(object, source + ":" + std::to_string(line_no));
    if (auto* post = std::get_if<Post>(&result)) {
      post->source = source;
      post->source_line = line_no;
      emit(std::move(*post));
    } else {
      emit(ReadError{source, line_no, {}, std::get<std::string>(result)});
    }
  }
  if (lines.Failed())
    emit(ReadError{source, 0, {}, lines.FailureMessage()});
}

}  // namespace io_internal

bool IsBlueskyRecord(const nlohmann::json& object) {
  return object.is_object() && SplitBsky(object).record != nullptr;
}

std::variant<Post, std::string> PostFromBlueskyRecord(const nlohmann::json& object,
                                                      const std::string& default_id) {
  if (!object.is_object())
    return std::string("a Bluesky record must be a JSON object");
  const BskyParts parts = SplitBsky(object);
  if (parts.record == nullptr)
    return std::string("not an app.bsky.feed.post record ($type is missing or different)");
  const json& record = *parts.record;
  Post post;
  post.id = parts.uri.empty() ? default_id : parts.uri;
  const json* text = JsonMember(record, "text");
  if (text == nullptr || !text->is_string())
    return std::string("field 'text' is missing or not a string");
  // Facets count bytes of the original text: restore links before sanitizing.
  std::string body = text->get_ref<const std::string&>();
  RestoreFacetLinks(record, &body);
  post.text = SanitizeUtf8(body);
  const std::string created = JsonString(record, "createdAt");
  if (!created.empty()) {
    auto iso = NormalizeIsoDate(created);
    if (!iso)
      return "field 'createdAt' is not a date: '" + created + "'";
    post.created_at = std::move(*iso);
  }
  CollectBskyAlt(JsonMember(record, "embed"), &post);
  if (const json* langs = JsonArray(record, "langs");
      langs != nullptr && !langs->empty() && (*langs)[0].is_string()) {
    post.lang = SanitizeUtf8((*langs)[0].get_ref<const std::string&>());
  }
  if (const json* labels = JsonMember(record, "labels")) {
    std::string values;
    if (const json* list = JsonArray(*labels, "values")) {
      for (const json& v : *list) {
        if (const std::string val = JsonString(v, "val"); !val.empty())
          values += (values.empty() ? "" : ",") + val;
      }
    }
    if (!values.empty())
      post.labels["content_warning"] = values;
  }
  if (JsonMember(record, "reply") != nullptr)
    post.labels["reply"] = "true";
  if (!parts.handle.empty())
    post.account = "@" + parts.handle;
  post.author = parts.display_name;
  post.networks.push_back("bluesky");
  return post;
}

}  // namespace postlint
