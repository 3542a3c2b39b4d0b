// The X (Twitter) archive: data/tweets.js (or tweet.js, tweets-partN.js) is JavaScript that
// assigns a JSON array of {"tweet": ...} to window.YTD..., and data/account.js names the
// account. Links are restored from the tweets' entities (io/export_internal.h).
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "io/export_internal.h"
#include "io/export_readers.h"
#include "io/html_text.h"

namespace postlint {
namespace {

namespace fs = std::filesystem;
using io_internal::DecodeEntities;
using io_internal::JsonArray;
using io_internal::JsonMember;
using io_internal::JsonString;
using io_internal::ReplaceAll;
using io_internal::TweetsPartNumber;
using io_internal::XAccount;
using io_internal::YtdPayloadStart;
using nlohmann::json;

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

}  // namespace

namespace io_internal {

size_t YtdPayloadStart(std::string_view content) {
  const size_t first = content.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || content.substr(first, 11) != "window.YTD.")
    return std::string_view::npos;
  const size_t eq = content.find('=', first);
  return eq == std::string_view::npos ? std::string_view::npos : eq + 1;
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

bool LooksLikeXPayload(const json& doc) {
  if (!doc.is_array())
    return false;
  const json* first = FirstObject(doc);
  return first != nullptr && first->contains("tweet");
}

void ParseXPayload(std::string_view content, const std::string& source, const XAccount& account,
                   const RecordCallback& emit) {
  const std::string text = YtdPayload(content);
  std::optional<json> doc = ParseJsonOrReport(text, source, emit);
  if (doc)
    ReadXDocument(*doc, text, source, account, emit);
}

void ReadXDocument(const json& doc, std::string_view text, const std::string& source,
                   const XAccount& account, const RecordCallback& emit) {
  if (!doc.is_array()) {
    emit(ReadError{source, 1, {}, "an X archive file must hold an array of {\"tweet\": ...}"});
    return;
  }
  ForEachElement(
      doc, text, "", source,
      [&](const json& e, size_t i) -> std::optional<std::variant<Post, std::string>> {
        return PostFromTweet(e, source + "#" + std::to_string(i + 1), account);
      },
      emit);
}

bool IsXFolder(const std::string& path) {
  std::error_code ec;
  const fs::path data = fs::path(path) / "data";
  if (!fs::is_directory(data, ec))
    return false;
  return !XTweetFiles(data).empty();
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

}  // namespace io_internal
}  // namespace postlint
