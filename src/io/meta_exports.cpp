// Facebook and Instagram "Download Your Information" posts files (your_posts_1.json,
// posts_1.json): JSON arrays whose strings are UTF-8 bytes escaped as Latin-1 code points
// (io/export_internal.h).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "io/export_internal.h"
#include "io/export_readers.h"

namespace postlint {
namespace {

using io_internal::AppendLink;
using io_internal::JsonArray;
using io_internal::JsonMember;
using io_internal::JsonString;
using nlohmann::json;

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

}  // namespace

namespace io_internal {

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

void ReadMetaDocument(const json& doc, std::string_view text, const std::string& source,
                      InputFormat format, const RecordCallback& emit) {
  if (!doc.is_array()) {
    emit(ReadError{source, 1, {}, "a Download Your Information posts file must be a JSON array"});
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
}

}  // namespace io_internal
}  // namespace postlint
