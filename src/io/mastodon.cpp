// The Mastodon archive: outbox.json (an ActivityPub OrderedCollection of Create activities
// holding Notes with HTML content) and actor.json, the account (io/export_internal.h).
#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>

#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "io/export_internal.h"
#include "io/export_readers.h"

namespace postlint {
namespace {

namespace fs = std::filesystem;
using io_internal::JsonArray;
using io_internal::JsonMember;
using io_internal::JsonString;
using io_internal::MastodonActor;
using io_internal::StripScheme;
using nlohmann::json;

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

std::string JoinPath(const std::string& dir, std::string_view name) {
  if (!dir.empty() && dir.back() == '/')
    return dir + std::string(name);
  return dir + "/" + std::string(name);
}

}  // namespace

namespace io_internal {

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

bool IsMastodonFolder(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(path) / "outbox.json", ec);
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

}  // namespace io_internal
}  // namespace postlint
