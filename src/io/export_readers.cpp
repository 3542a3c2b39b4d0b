#include "io/export_readers.h"

#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "io/csv_reader.h"
#include "io/export_internal.h"
#include "io/html_text.h"
#include "io/line_source.h"
#include "io/reader_internal.h"

namespace postlint {
namespace {

namespace fs = std::filesystem;
using io_internal::AppendLink;
using io_internal::DecodeEntities;
using io_internal::ErrnoMessage;
using io_internal::FileLines;
using io_internal::FileName;
using io_internal::FirstObject;
using io_internal::ForEachElement;
using io_internal::JsonArray;
using io_internal::JsonErrorDetail;
using io_internal::JsonMember;
using io_internal::JsonString;
using io_internal::LineOfOffset;
using io_internal::LineSource;
using io_internal::MemoryLines;
using io_internal::ParseJsonOrReport;
using io_internal::ReadCsv;
using io_internal::ReadWholeFile;
using io_internal::ReplaceAll;
using io_internal::StartsWithCsvHeader;
using io_internal::StripScheme;
using nlohmann::json;

// Archive members larger than this are refused (a JSON document is parsed whole).
constexpr int64_t kMaxArchiveMemberBytes = int64_t{1} << 30;

// ---------------------------------------------------------------------------------------------
// X / Twitter archive

struct XAccount {
  std::string username;
  std::string display_name;
};

// "window.YTD.tweets.part0 = [" -> position of the payload; npos when there is no prefix.
size_t YtdPayloadStart(std::string_view content) {
  const size_t first = content.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || content.substr(first, 11) != "window.YTD.")
    return std::string_view::npos;
  const size_t eq = content.find('=', first);
  return eq == std::string_view::npos ? std::string_view::npos : eq + 1;
}

// The payload with the JavaScript prefix blanked out, so JSON lines match the file's.
std::string YtdPayload(std::string_view content) {
  content = StripUtf8Bom(content);
  std::string text = SanitizeUtf8(content);
  const size_t start = YtdPayloadStart(text);
  if (start != std::string::npos) {
    for (size_t i = 0; i < start; ++i) {
      if (text[i] != '\n')
        text[i] = ' ';
    }
  }
  return text;
}

XAccount ParseXAccount(std::string_view content) {
  XAccount account;
  try {
    const json doc = json::parse(YtdPayload(content));
    const json& first = doc.is_array() && !doc.empty() ? doc[0] : doc;
    const json* a = JsonMember(first, "account");
    if (a != nullptr) {
      account.username = JsonString(*a, "username");
      account.display_name = JsonString(*a, "accountDisplayName");
    }
  } catch (const json::exception&) {
  }
  return account;
}

std::variant<Post, std::string> PostFromTweet(const json& element, const std::string& default_id,
                                              const XAccount& account) {
  if (!element.is_object())
    return std::string("must be an object");
  const json* wrapped = JsonMember(element, "tweet");
  const json& tweet = wrapped != nullptr ? *wrapped : element;
  if (!tweet.is_object())
    return std::string("field 'tweet' must be an object");
  Post post;
  post.id = JsonString(tweet, "id_str");
  if (post.id.empty()) {
    if (const json* id = JsonMember(tweet, "id"); id != nullptr && id->is_string())
      post.id = SanitizeUtf8(id->get_ref<const std::string&>());
    else if (id != nullptr && id->is_number_unsigned())
      post.id = std::to_string(id->get<uint64_t>());
  }
  if (post.id.empty())
    post.id = default_id;
  const json* text = JsonMember(tweet, "full_text");
  if (text == nullptr || text->is_null())
    text = JsonMember(tweet, "text");
  if (text == nullptr || !text->is_string())
    return std::string("tweet ") + post.id + ": field 'full_text' is missing or not a string";
  // The archive HTML-escapes &, < and >; decode first, then put the links back.
  std::string body = DecodeEntities(SanitizeUtf8(text->get_ref<const std::string&>()));
  const json* entities = JsonMember(tweet, "entities");
  if (const json* urls = entities != nullptr ? JsonArray(*entities, "urls") : nullptr) {
    for (const json& u : *urls) {
      const std::string short_url = JsonString(u, "url");
      const std::string expanded = JsonString(u, "expanded_url");
      if (!short_url.empty() && !expanded.empty())
        ReplaceAll(body, short_url, expanded);
    }
  }
  // X appends a t.co link to the attached photos or video; the author never wrote it.
  const json* extended = JsonMember(tweet, "extended_entities");
  const json* media = extended != nullptr ? JsonArray(*extended, "media") : nullptr;
  if (media == nullptr && entities != nullptr)
    media = JsonArray(*entities, "media");
  if (media != nullptr) {
    for (const json& m : *media) {
      const std::string short_url = JsonString(m, "url");
      if (!short_url.empty())
        ReplaceAll(body, short_url, "");
      post.media.push_back(MediaItem{JsonString(m, "ext_alt_text")});
    }
  }
  post.text = std::string(TrimAsciiSpace(body));
  if (const std::string created = JsonString(tweet, "created_at"); !created.empty()) {
    auto iso = ConvertLegacyTwitterDate(created);
    if (!iso)
      iso = NormalizeIsoDate(created);
    if (!iso)
      return "tweet " + post.id + ": field 'created_at' is not a date: '" + created + "'";
    post.created_at = std::move(*iso);
  }
  if (std::string lang = JsonString(tweet, "lang"); !lang.empty() && lang != "und")
    post.lang = std::move(lang);
  if (std::string reply = JsonString(tweet, "in_reply_to_screen_name"); !reply.empty())
    post.labels["in_reply_to"] = "@" + reply;
  post.networks.push_back("x");
  if (!account.username.empty())
    post.account = "@" + account.username;
  post.author = account.display_name;
  return post;
}

void ParseXPayload(std::string_view content, const std::string& source, const XAccount& account,
                   const RecordCallback& emit) {
  const std::string text = YtdPayload(content);
  std::optional<json> doc = ParseJsonOrReport(text, source, emit);
  if (!doc)
    return;
  if (!doc->is_array()) {
    emit(ReadError{source, 1, {}, "an X archive file must hold an array of {\"tweet\": ...}"});
    return;
  }
  ForEachElement(
      *doc, text, "", source,
      [&](const json& e, size_t i) -> std::optional<std::variant<Post, std::string>> {
        return PostFromTweet(e, source + "#" + std::to_string(i + 1), account);
      },
      emit);
}

// Order of tweets files: tweets.js / tweet.js, then tweets-part1.js, tweets-part2.js, ...
// Returns -1 for other names.
long TweetsPartNumber(std::string_view name) {
  if (name == "tweets.js" || name == "tweet.js")
    return 0;
  for (std::string_view prefix : {"tweets-part", "tweet-part"}) {
    if (name.starts_with(prefix) && name.ends_with(".js")) {
      const std::string_view digits = name.substr(prefix.size(), name.size() - prefix.size() - 3);
      if (digits.empty() || digits.size() > 6 ||
          !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return -1;
      return std::stol(std::string(digits));
    }
  }
  return -1;
}

XAccount XAccountNextTo(const std::string& tweets_path) {
  const fs::path account_path = fs::path(tweets_path).parent_path() / "account.js";
  std::error_code ec;
  if (!fs::is_regular_file(account_path, ec))
    return {};
  std::string content;
  std::string error;
  if (!ReadWholeFile(account_path.string(), &content, &error))
    return {};
  return ParseXAccount(content);
}

std::vector<std::string> XTweetFiles(const fs::path& data_dir) {
  std::vector<std::pair<long, std::string>> parts;
  std::error_code ec;
  for (fs::directory_iterator it(data_dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const long part = TweetsPartNumber(name);
    std::error_code entry_ec;
    if (part >= 0 && it->is_regular_file(entry_ec))
      parts.emplace_back(part, it->path().string());
  }
  std::sort(parts.begin(), parts.end());
  std::vector<std::string> out;
  for (auto& p : parts)
    out.push_back(std::move(p.second));
  return out;
}

std::string JoinPath(const std::string& dir, std::string_view name) {
  if (!dir.empty() && dir.back() == '/')
    return dir + std::string(name);
  return dir + "/" + std::string(name);
}

// ---------------------------------------------------------------------------------------------
// Mastodon

struct MastodonActor {
  std::string account;  // "@alice@example.social"
  std::string name;
};

// "https://example.social/users/alice" -> "@alice@example.social".
std::string AccountFromActorUri(std::string_view uri) {
  const std::string rest = StripScheme(uri);
  const size_t slash = rest.find('/');
  if (slash == std::string::npos)
    return {};
  const std::string host = rest.substr(0, slash);
  const size_t last = rest.find_last_of('/');
  std::string user = rest.substr(last + 1);
  if (!user.empty() && user[0] == '@')
    user.erase(0, 1);
  if (user.empty() || host.empty())
    return {};
  return "@" + user + "@" + host;
}

MastodonActor ParseMastodonActor(std::string_view content) {
  MastodonActor actor;
  try {
    const json doc = json::parse(SanitizeUtf8(StripUtf8Bom(content)));
    actor.name = JsonString(doc, "name");
    const std::string user = JsonString(doc, "preferredUsername");
    const std::string id = JsonString(doc, "id");
    const std::string from_id = AccountFromActorUri(id);
    if (!user.empty() && !from_id.empty())
      actor.account = "@" + user + from_id.substr(from_id.find('@', 1));
    else
      actor.account = from_id;
  } catch (const json::exception&) {
  }
  return actor;
}

bool IsPublicAddress(const json* list) {
  if (list == nullptr)
    return false;
  auto is_public = [](const json& v) {
    return v.is_string() && (v == "https://www.w3.org/ns/activitystreams#Public" ||
                             v == "as:Public" || v == "Public");
  };
  if (list->is_array())
    return std::any_of(list->begin(), list->end(), is_public);
  return is_public(*list);
}

std::optional<std::variant<Post, std::string>> PostFromActivity(const json& item,
                                                                const std::string& default_id,
                                                                const MastodonActor& actor) {
  if (!item.is_object())
    return std::string("must be an object");
  const std::string type = JsonString(item, "type");
  if (type == "Announce")
    return std::nullopt;  // a boost: someone else's post
  const json* object = JsonMember(item, "object");
  if (type != "Create" && object == nullptr)
    return std::string("not a Create activity (type '") + type + "')";
  if (object == nullptr || !object->is_object())
    return std::string("field 'object' must be an embedded Note");
  Post post;
  post.id = JsonString(*object, "id");
  if (post.id.empty())
    post.id = JsonString(item, "id");
  if (post.id.empty())
    post.id = default_id;
  std::string html;
  if (const json* content = JsonMember(*object, "content");
      content != nullptr && content->is_string()) {
    html = SanitizeUtf8(content->get_ref<const std::string&>());
  } else if (const json* map = JsonMember(*object, "contentMap");
             map != nullptr && map->is_object() && !map->empty() && map->begin()->is_string()) {
    html = SanitizeUtf8(map->begin()->get_ref<const std::string&>());
  } else {
    return "note " + post.id + ": field 'content' is missing or not a string";
  }
  std::string text = HtmlToText(html);
  if (const std::string summary = JsonString(*object, "summary");
      !TrimAsciiSpace(summary).empty()) {
    // The content warning is part of what readers see first, and counts towards the limit.
    const std::string cw = HtmlToText(summary);
    post.labels["content_warning"] = cw;
    text = cw + "\n\n" + text;
  }
  post.text = std::move(text);
  if (const std::string published = JsonString(*object, "published"); !published.empty()) {
    auto iso = NormalizeIsoDate(published);
    if (!iso)
      return "note " + post.id + ": field 'published' is not a date: '" + published + "'";
    post.created_at = std::move(*iso);
  }
  if (const json* attachments = JsonArray(*object, "attachment")) {
    for (const json& a : *attachments) {
      if (JsonString(a, "type") == "Link")
        continue;  // the preview card
      post.media.push_back(MediaItem{JsonString(a, "name")});
    }
  }
  if (const json* map = JsonMember(*object, "contentMap");
      map != nullptr && map->is_object() && map->size() == 1) {
    post.lang = SanitizeUtf8(map->begin().key());
  }
  if (const json* sensitive = JsonMember(*object, "sensitive");
      sensitive != nullptr && sensitive->is_boolean() && sensitive->get<bool>()) {
    post.labels["sensitive"] = "true";
  }
  if (IsPublicAddress(JsonMember(*object, "to")))
    post.labels["visibility"] = "public";
  else if (IsPublicAddress(JsonMember(*object, "cc")))
    post.labels["visibility"] = "unlisted";
  else
    post.labels["visibility"] = "private";
  std::string attributed = JsonString(*object, "attributedTo");
  if (attributed.empty())
    attributed = JsonString(item, "actor");
  post.account = actor.account.empty() ? AccountFromActorUri(attributed) : actor.account;
  post.author = actor.name;
  post.networks.push_back("mastodon");
  return post;
}

bool LooksLikeOutbox(const json& doc) {
  if (!doc.is_object() || JsonArray(doc, "orderedItems") == nullptr)
    return false;
  const std::string type = JsonString(doc, "type");
  return type == "OrderedCollection" || type == "OrderedCollectionPage" ||
         JsonMember(doc, "@context") != nullptr;
}

void ReadOutboxDocument(const json& doc, std::string_view text, const std::string& source,
                        const MastodonActor& actor, const RecordCallback& emit) {
  const json* items = JsonArray(doc, "orderedItems");
  if (items == nullptr) {
    emit(ReadError{source, 1, {}, "not a Mastodon outbox: no 'orderedItems' array"});
    return;
  }
  ForEachElement(
      *items, text, "orderedItems", source,
      [&](const json& e, size_t i) {
        return PostFromActivity(e, source + "#" + std::to_string(i + 1), actor);
      },
      emit);
}

void ParseOutbox(std::string_view content, const std::string& source, const MastodonActor& actor,
                 const RecordCallback& emit) {
  const std::string text = SanitizeUtf8(StripUtf8Bom(content));
  std::optional<json> doc = ParseJsonOrReport(text, source, emit);
  if (doc)
    ReadOutboxDocument(*doc, text, source, actor, emit);
}

// ---------------------------------------------------------------------------------------------
// Bluesky

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

// Runs `parse(line, line_no)` over the lines of a JSONL stream.
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
    json object;
    try {
      object = json::parse(SanitizeUtf8(view));
    } catch (const json::parse_error& e) {
      emit(ReadError{source, line_no, {}, "invalid JSON: " + JsonErrorDetail(e)});
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
    emit(ReadError{source, 0, {}, "cannot read: " + ErrnoMessage(errno)});
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

// ---------------------------------------------------------------------------------------------
// Facebook / Instagram

// Repairs every string of a parsed document in place.
void RepairDocument(json& v) {
  if (v.is_string()) {
    std::string& s = v.get_ref<std::string&>();
    if (!IsAscii(s))
      s = RepairLatin1Mojibake(s);
  } else if (v.is_array() || v.is_object()) {
    for (auto& child : v)
      RepairDocument(child);
  }
}

std::optional<int64_t> JsonInteger(const json* v) {
  if (v == nullptr)
    return std::nullopt;
  if (v->is_number_integer())
    return v->get<int64_t>();
  return std::nullopt;
}

std::optional<std::variant<Post, std::string>> PostFromFacebook(const json& entry,
                                                                const std::string& default_id) {
  if (!entry.is_object())
    return std::string("must be an object");
  Post post;
  post.id = default_id;
  post.networks.push_back("facebook");
  const json* ts = JsonMember(entry, "timestamp");
  const std::optional<int64_t> seconds = JsonInteger(ts);
  if (ts != nullptr && !seconds)
    return std::string("field 'timestamp' must be a Unix time in seconds");
  if (seconds)
    post.created_at = UnixToIso(*seconds);
  std::string text;
  if (const json* data = JsonArray(entry, "data")) {
    for (const json& d : *data) {
      if (std::string p = JsonString(d, "post"); !TrimAsciiSpace(p).empty()) {
        if (!text.empty())
          text += "\n\n";
        text += p;
      }
    }
  }
  std::vector<std::string> links;
  if (const json* attachments = JsonArray(entry, "attachments")) {
    for (const json& attachment : *attachments) {
      const json* data = JsonArray(attachment, "data");
      if (data == nullptr)
        continue;
      for (const json& d : *data) {
        if (const json* media = JsonMember(d, "media"); media != nullptr && media->is_object())
          post.media.push_back(MediaItem{});
        if (const json* ext = JsonMember(d, "external_context"); ext != nullptr)
          links.push_back(JsonString(*ext, "url"));
      }
    }
  }
  for (const auto& link : links)
    AppendLink(text, link);
  if (text.empty() && post.media.empty())
    return std::nullopt;  // profile updates and check-ins without words or media
  post.text = std::move(text);
  if (std::string title = JsonString(entry, "title"); !title.empty())
    post.labels["title"] = std::move(title);
  return post;
}

std::optional<std::variant<Post, std::string>> PostFromInstagram(const json& entry,
                                                                 const std::string& default_id) {
  if (!entry.is_object())
    return std::string("must be an object");
  const json* media = JsonMember(entry, "media");
  if (media != nullptr && !media->is_array())
    return std::string("field 'media' must be an array");
  Post post;
  post.id = default_id;
  post.networks.push_back("instagram");
  post.text = JsonString(entry, "title");
  const json* ts = JsonMember(entry, "creation_timestamp");
  if (media != nullptr) {
    for (const json& m : *media) {
      if (!m.is_object())
        return std::string("media items must be objects");
      post.media.push_back(MediaItem{});
      if (post.text.empty())
        post.text = JsonString(m, "title");  // single-photo posts keep the caption here
      if (ts == nullptr)
        ts = JsonMember(m, "creation_timestamp");
    }
  }
  if (ts != nullptr) {
    const std::optional<int64_t> seconds = JsonInteger(ts);
    if (!seconds)
      return std::string("field 'creation_timestamp' must be a Unix time in seconds");
    post.created_at = UnixToIso(*seconds);
  }
  return post;
}

bool LooksLikeFacebook(const json& doc) {
  if (!doc.is_array())
    return false;
  const json* first = FirstObject(doc);
  return first != nullptr && first->contains("timestamp") &&
         (first->contains("data") || first->contains("attachments"));
}

bool LooksLikeInstagram(const json& doc) {
  if (!doc.is_array())
    return false;
  const json* first = FirstObject(doc);
  if (first == nullptr)
    return false;
  const json* media = JsonArray(*first, "media");
  return media != nullptr &&
         (first->contains("creation_timestamp") || (!media->empty() && (*media)[0].is_object() &&
                                                    (*media)[0].contains("creation_timestamp")));
}

bool LooksLikeXPayload(const json& doc) {
  if (!doc.is_array())
    return false;
  const json* first = FirstObject(doc);
  return first != nullptr && first->contains("tweet");
}

// Reads an already parsed document in `format` (the format's own checks report misfits).
void ReadJsonExport(const json& doc, std::string_view text, const std::string& source,
                    InputFormat format, const RecordCallback& emit) {
  switch (format) {
    case InputFormat::kMastodon:
      ReadOutboxDocument(doc, text, source, {}, emit);
      return;
    case InputFormat::kBluesky:
      ReadBlueskyDocument(doc, text, source, emit);
      return;
    case InputFormat::kFacebook:
    case InputFormat::kInstagram: {
      if (!doc.is_array()) {
        emit(ReadError{
            source, 1, {}, "a Download Your Information posts file must be a JSON array"});
        return;
      }
      json repaired = doc;  // the repair rewrites strings in place
      RepairDocument(repaired);
      const bool facebook = format == InputFormat::kFacebook;
      ForEachElement(
          repaired, text, "", source,
          [&](const json& e, size_t i) {
            const std::string id = source + "#" + std::to_string(i + 1);
            return facebook ? PostFromFacebook(e, id) : PostFromInstagram(e, id);
          },
          emit);
      return;
    }
    case InputFormat::kXArchive:
      if (!doc.is_array()) {
        emit(ReadError{source, 1, {}, "an X archive file must hold an array of {\"tweet\": ...}"});
        return;
      }
      ForEachElement(
          doc, text, "", source,
          [&](const json& e, size_t i) -> std::optional<std::variant<Post, std::string>> {
            return PostFromTweet(e, source + "#" + std::to_string(i + 1), {});
          },
          emit);
      return;
    default:
      return;
  }
}

std::optional<InputFormat> DetectJsonExport(const json& doc) {
  if (LooksLikeOutbox(doc))
    return InputFormat::kMastodon;
  if (doc.is_object() && IsBlueskyRecord(doc))
    return InputFormat::kBluesky;
  if (const json* list = BlueskyRecordList(doc)) {
    const json* first = FirstObject(*list);
    if (first != nullptr && IsBlueskyRecord(*first))
      return InputFormat::kBluesky;
  }
  if (LooksLikeXPayload(doc))
    return InputFormat::kXArchive;
  if (LooksLikeFacebook(doc))
    return InputFormat::kFacebook;
  if (LooksLikeInstagram(doc))
    return InputFormat::kInstagram;
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Archives (.zip, .tar.gz) and folders

struct ArchiveDeleter {
  void operator()(struct archive* a) const { archive_read_free(a); }
};

// What an archive member is, by name; empty when not wanted.
std::string MemberRole(std::string_view name) {
  const std::string base = FileName(name);
  const std::string lower = ToLowerAscii(base);
  const bool in_data = name.find("data/") != std::string_view::npos;
  if (in_data && TweetsPartNumber(base) >= 0)
    return "x";
  if (in_data && base == "account.js")
    return "x-account";
  if (base == "outbox.json")
    return "mastodon";
  if (base == "actor.json")
    return "mastodon-actor";
  if (lower == "shares.csv")
    return "linkedin";
  if (base.starts_with("your_posts") && base.ends_with(".json"))
    return "facebook";
  if (base.starts_with("posts_") && base.ends_with(".json") &&
      (name.find("content/") != std::string_view::npos ||
       name.find("media/") != std::string_view::npos))
    return "instagram";
  return {};
}

struct Member {
  std::string name;
  std::string role;
  std::string content;
};

void ReadArchive(const std::string& path, const ReadOptions& options, const RecordCallback& emit) {
  std::unique_ptr<struct archive, ArchiveDeleter> a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_all(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK) {
    emit(ReadError{path,
                   0,
                   {},
                   std::string("cannot open archive: ") +
                       SanitizeUtf8(archive_error_string(a.get()) ? archive_error_string(a.get())
                                                                  : "unknown error")});
    return;
  }
  std::vector<Member> members;
  struct archive_entry* entry = nullptr;
  int rc = ARCHIVE_OK;
  while ((rc = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
    std::string name =
        archive_entry_pathname(entry) != nullptr ? archive_entry_pathname(entry) : "";
    while (name.starts_with("./"))
      name.erase(0, 2);
    std::string role = archive_entry_filetype(entry) == AE_IFREG ? MemberRole(name) : std::string();
    if (role.empty()) {
      archive_read_data_skip(a.get());
      continue;
    }
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > kMaxArchiveMemberBytes) {
      emit(ReadError{path + "!" + name, 0, {}, "member larger than 1 GiB; unpack the archive"});
      archive_read_data_skip(a.get());
      continue;
    }
    Member m{name, std::move(role), {}};
    char buffer[1 << 16];
    la_ssize_t got = 0;
    while ((got = archive_read_data(a.get(), buffer, sizeof buffer)) > 0)
      m.content.append(buffer, static_cast<size_t>(got));
    if (got < 0) {
      emit(ReadError{
          path + "!" + name,
          0,
          {},
          std::string("cannot read archive member: ") +
              SanitizeUtf8(archive_error_string(a.get()) ? archive_error_string(a.get()) : "")});
      continue;
    }
    members.push_back(std::move(m));
  }
  if (rc != ARCHIVE_EOF) {
    emit(ReadError{
        path,
        0,
        {},
        std::string("damaged archive: ") +
            SanitizeUtf8(archive_error_string(a.get()) ? archive_error_string(a.get()) : "")});
  }
  XAccount x_account;
  MastodonActor actor;
  for (const Member& m : members) {
    if (m.role == "x-account")
      x_account = ParseXAccount(m.content);
    else if (m.role == "mastodon-actor")
      actor = ParseMastodonActor(m.content);
  }
  std::stable_sort(members.begin(), members.end(), [](const Member& l, const Member& r) {
    const long lp = l.role == "x" ? TweetsPartNumber(FileName(l.name)) : 0;
    const long rp = r.role == "x" ? TweetsPartNumber(FileName(r.name)) : 0;
    return std::tie(l.role, lp, l.name) < std::tie(r.role, rp, r.name);
  });
  bool any = false;
  for (const Member& m : members) {
    const std::string source = path + "!" + m.name;
    if (m.role == "x") {
      ParseXPayload(m.content, source, x_account, emit);
    } else if (m.role == "mastodon") {
      ParseOutbox(m.content, source, actor, emit);
    } else if (m.role == "linkedin") {
      ReadCsv([&] { return std::make_unique<MemoryLines>(m.content); }, source,
              /*linkedin=*/true, options, emit);
    } else if (m.role == "facebook") {
      ParseExport(m.content, source, InputFormat::kFacebook, options, emit);
    } else if (m.role == "instagram") {
      ParseExport(m.content, source, InputFormat::kInstagram, options, emit);
    } else {
      continue;
    }
    any = true;
  }
  if (!any && rc == ARCHIVE_EOF) {
    emit(ReadError{path,
                   0,
                   {},
                   "no known export in this archive (looked for data/tweets.js, outbox.json, "
                   "Shares.csv, your_posts_1.json, posts_1.json)"});
  }
}

void ReadXFolder(const std::string& dir, const RecordCallback& emit) {
  const fs::path data = fs::path(dir) / "data";
  XAccount account;
  std::string content;
  std::string error;
  if (ReadWholeFile((data / "account.js").string(), &content, &error))
    account = ParseXAccount(content);
  for (const std::string& file : XTweetFiles(data)) {
    content.clear();
    if (!ReadWholeFile(file, &content, &error)) {
      emit(ReadError{file, 0, {}, error});
      continue;
    }
    ParseXPayload(content, file, account, emit);
  }
}

void ReadMastodonFolder(const std::string& dir, const RecordCallback& emit) {
  MastodonActor actor;
  std::string content;
  std::string error;
  if (ReadWholeFile(JoinPath(dir, "actor.json"), &content, &error))
    actor = ParseMastodonActor(content);
  const std::string outbox = JoinPath(dir, "outbox.json");
  content.clear();
  if (!ReadWholeFile(outbox, &content, &error)) {
    emit(ReadError{outbox, 0, {}, error});
    return;
  }
  ParseOutbox(content, outbox, actor, emit);
}

bool IsXFolder(const std::string& path) {
  std::error_code ec;
  const fs::path data = fs::path(path) / "data";
  if (!fs::is_directory(data, ec))
    return false;
  return !XTweetFiles(data).empty();
}

bool IsMastodonFolder(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(path) / "outbox.json", ec);
}

bool ExtensionIs(std::string_view path, std::string_view ext) {
  return ToLowerAscii(FileName(path)).ends_with(ext);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public API

bool IsExportFormat(InputFormat format) {
  switch (format) {
    case InputFormat::kCsv:
    case InputFormat::kXArchive:
    case InputFormat::kMastodon:
    case InputFormat::kBluesky:
    case InputFormat::kFacebook:
    case InputFormat::kInstagram:
    case InputFormat::kLinkedIn:
      return true;
    default:
      return false;
  }
}

std::optional<InputFormat> SniffExportText(std::string_view content) {
  content = StripUtf8Bom(content);
  if (YtdPayloadStart(content) != std::string_view::npos)
    return InputFormat::kXArchive;
  const size_t first = content.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || content[first] == '{' || content[first] == '[')
    return std::nullopt;
  if (StartsWithCsvHeader(content.substr(first)))
    return InputFormat::kCsv;
  return std::nullopt;
}

bool IsExportFolder(const std::string& path) {
  return IsXFolder(path) || IsMastodonFolder(path);
}

bool IsArchivePath(std::string_view path) {
  return ExtensionIs(path, ".zip") || ExtensionIs(path, ".tar.gz") || ExtensionIs(path, ".tgz");
}

bool ReadExportPath(const std::string& path, const ReadOptions& options,
                    const RecordCallback& emit) {
  const InputFormat format = options.format;
  const bool csv = format == InputFormat::kCsv || format == InputFormat::kLinkedIn;
  if (path == "-") {
    if (!csv)
      return false;
    // Read whole: deciding the file's day/month order may take a second look at its dates.
    std::string content;
    char buffer[1 << 16];
    size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, stdin)) > 0)
      content.append(buffer, got);
    if (std::ferror(stdin)) {
      emit(ReadError{"<stdin>", 0, {}, "cannot read: " + ErrnoMessage(errno)});
      return true;
    }
    ReadCsv([&] { return std::make_unique<MemoryLines>(content); }, "<stdin>",
            format == InputFormat::kLinkedIn, options, emit);
    return true;
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    if (IsXFolder(path)) {
      ReadXFolder(path, emit);
      return true;
    }
    if (IsMastodonFolder(path)) {
      ReadMastodonFolder(path, emit);
      return true;
    }
    return false;
  }
  if (IsArchivePath(path) && (format == InputFormat::kAuto || IsExportFormat(format))) {
    ReadArchive(path, options, emit);
    return true;
  }
  const bool jsonl = ExtensionIs(path, ".jsonl") || ExtensionIs(path, ".ndjson");
  if (!(csv || (format == InputFormat::kAuto && ExtensionIs(path, ".csv")) ||
        (format == InputFormat::kBluesky && jsonl))) {
    return false;
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    emit(ReadError{path, 0, {}, "cannot open: " + ErrnoMessage(errno)});
    return true;
  }
  if (format == InputFormat::kBluesky) {
    FileLines lines(file, /*owned=*/true);
    ReadBlueskyLines(lines, path, emit);
    return true;
  }
  // The first pass reads the file we already opened; a second look at its dates (deciding the
  // day/month order) opens it again. A file that vanished meanwhile reads as empty.
  bool first = true;
  ReadCsv(
      [&]() -> std::unique_ptr<LineSource> {
        if (first) {
          first = false;
          return std::make_unique<FileLines>(file, /*owned=*/true);
        }
        std::FILE* again = std::fopen(path.c_str(), "rb");
        if (again == nullptr)
          return std::make_unique<MemoryLines>(std::string_view());
        return std::make_unique<FileLines>(again, /*owned=*/true);
      },
      path, format == InputFormat::kLinkedIn, options, emit);
  return true;
}

void ParseExport(std::string_view content, const std::string& source, InputFormat format,
                 const ReadOptions& options, const RecordCallback& emit) {
  switch (format) {
    case InputFormat::kCsv:
    case InputFormat::kLinkedIn: {
      ReadCsv([&] { return std::make_unique<MemoryLines>(content); }, source,
              format == InputFormat::kLinkedIn, options, emit);
      return;
    }
    case InputFormat::kXArchive: {
      XAccount account;
      std::error_code ec;
      if (source != "<stdin>" && fs::is_regular_file(source, ec))
        account = XAccountNextTo(source);
      ParseXPayload(content, source, account, emit);
      return;
    }
    default:
      break;
  }
  const std::string text = SanitizeUtf8(StripUtf8Bom(content));
  if (format == InputFormat::kBluesky) {
    // One record, an array, or JSONL: a document that is not one JSON value is read by lines.
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '{' && !json::accept(text)) {
      MemoryLines lines(text);
      ReadBlueskyLines(lines, source, emit);
      return;
    }
  }
  std::optional<json> doc = ParseJsonOrReport(text, source, emit);
  if (doc)
    ReadJsonExport(*doc, text, source, format, emit);
}

bool ParseExportDocument(const nlohmann::json& doc, std::string_view text,
                         const std::string& source, const RecordCallback& emit) {
  const std::optional<InputFormat> format = DetectJsonExport(doc);
  if (!format)
    return false;
  ReadJsonExport(doc, text, source, *format, emit);
  return true;
}

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
