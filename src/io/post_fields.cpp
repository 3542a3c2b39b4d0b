#include "io/post_fields.h"

#include <algorithm>

#include "core/clock.h"
#include "core/diagnostics.h"
#include "core/networks.h"
#include "core/redaction.h"
#include "core/utf8.h"

namespace postlint {

namespace {

using Type = FieldValue::Type;

std::string MustBe(std::string_view field, std::string_view what, const FieldValue& value) {
  std::string message = "field '" + std::string(field) + "' must be " + std::string(what);
  if (value.type == Type::kString || value.type == Type::kInteger || value.type == Type::kNumber) {
    // A message names the value; it never copies a whole post, nor a secret in it.
    return message + ", not '" + QuoteUntrusted(value.scalar) + "'";
  }
  return message + ", not " + value.TypeName();
}

// Networks keep first-seen order because reporters list them in the order the author wrote.
void AddNetwork(Post* post, std::string name) {
  if (std::find(post->networks.begin(), post->networks.end(), name) == post->networks.end())
    post->networks.push_back(std::move(name));
}

std::optional<std::string> ReadString(std::string_view field, const FieldValue& value,
                                      std::string* out) {
  if (value.is_null())
    return std::nullopt;
  if (value.type != Type::kString)
    return MustBe(field, "a string", value);
  *out = SanitizeUtf8(value.scalar);
  return std::nullopt;
}

std::optional<std::string> ReadNetworks(std::string_view field, const FieldValue& value,
                                        Post* post) {
  if (value.is_null())
    return std::nullopt;
  const char* what = "a network name or a list of network names";
  std::vector<const FieldValue*> names;
  if (value.type == Type::kList) {
    for (const FieldValue& item : value.items)
      names.push_back(&item);
  } else {
    names.push_back(&value);
  }
  for (const FieldValue* name : names) {
    if (name->type != Type::kString)
      return MustBe(field, what, *name);
    const std::vector<std::string> split = SplitNetworkList(SanitizeUtf8(name->scalar));
    if (split.empty())
      return MustBe(field, what, *name);
    for (const auto& n : split)
      AddNetwork(post, n);
  }
  return std::nullopt;
}

std::optional<std::string> ReadMedia(const FieldValue& value, Post* post) {
  if (value.is_null())
    return std::nullopt;
  if (value.type != Type::kList)
    return MustBe("media", "a list of media items such as {alt_text: ...}", value);
  static const std::vector<std::string> kMediaKeys = {"alt_text", "alt", "url", "type"};
  for (size_t i = 0; i < value.items.size(); ++i) {
    const FieldValue& item = value.items[i];
    const std::string where = "media[" + std::to_string(i + 1) + "]";
    MediaItem media;
    if (item.is_null()) {
      post->media.push_back(std::move(media));
      continue;
    }
    if (item.type != Type::kMap)
      return MustBe(where, "a mapping such as {alt_text: ...}", item);
    // "alt_text" is the documented key; "alt" is what HTML-minded exporters write. When both
    // are there, alt_text wins.
    std::optional<std::string> alt, alt_text;
    for (const auto& [key, member] : item.members) {
      if (std::find(kMediaKeys.begin(), kMediaKeys.end(), key) == kMediaKeys.end()) {
        return "unknown field '" + where + "." + SanitizeUtf8(key) + "'" +
               DidYouMean(key, kMediaKeys) + "; media items have " + Join(kMediaKeys);
      }
      if (member.is_null())
        continue;
      if (member.type != Type::kString)
        return MustBe(where + "." + key, "a string", member);
      if (key == "alt_text")
        alt_text = SanitizeUtf8(member.scalar);
      else if (key == "alt")
        alt = SanitizeUtf8(member.scalar);
    }
    media.alt_text = alt_text ? std::move(*alt_text) : alt.value_or("");
    post->media.push_back(std::move(media));
  }
  return std::nullopt;
}

std::optional<std::string> ReadLabels(const FieldValue& value, Post* post) {
  if (value.is_null())
    return std::nullopt;
  if (value.type != Type::kMap)
    return MustBe("labels", "a mapping of label names to values", value);
  for (const auto& [key, member] : value.members) {
    const std::string label = SanitizeUtf8(key);
    if (member.is_null())
      continue;
    if (member.type == Type::kBool) {
      post->labels[label] = member.boolean ? "true" : "false";
    } else if (member.is_scalar()) {
      post->labels[label] = SanitizeUtf8(member.scalar);
    } else {
      return "label '" + label + "' must be a string, number or boolean, not " + member.TypeName();
    }
  }
  return std::nullopt;
}

}  // namespace

const char* FieldValue::TypeName() const {
  switch (type) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "a boolean";
    case Type::kInteger:
      return "an integer";
    case Type::kNumber:
      return "a number";
    case Type::kString:
      return "a string";
    case Type::kList:
      return "a list";
    case Type::kMap:
      return "a mapping";
  }
  return "a value";
}

const std::vector<std::string>& PostFieldNames() {
  static const std::vector<std::string> kNames = {"id",        "text",   "network", "networks",
                                                  "account",   "author", "lang",    "created_at",
                                                  "sponsored", "media",  "labels"};
  return kNames;
}

std::optional<bool> ParseBooleanText(std::string_view text) {
  const std::string lower = ToLowerAscii(TrimAsciiSpace(text));
  if (lower == "true" || lower == "yes")
    return true;
  if (lower == "false" || lower == "no")
    return false;
  return std::nullopt;
}

std::vector<std::string> SplitNetworkList(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = text.find_first_of(",;|", start);
    const std::string_view item = TrimAsciiSpace(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (!item.empty()) {
      std::string name = CanonicalNetworkName(item);
      if (std::find(out.begin(), out.end(), name) == out.end())
        out.push_back(std::move(name));
    }
    if (end == std::string_view::npos)
      break;
    start = end + 1;
  }
  return out;
}

std::optional<std::string> ApplyPostField(std::string_view name, const FieldValue& value,
                                          FieldSource source, Post* post) {
  if (name == "text") {
    if (source == FieldSource::kFrontMatter)
      return std::string("field 'text' is not allowed: the post text is the body");
    if (value.is_null())
      return std::string("field 'text' is required");
    if (value.type != Type::kString)
      return MustBe(name, "a string", value);
    post->text = SanitizeUtf8(value.scalar);
    return std::nullopt;
  }
  if (name == "id") {
    if (value.is_null())
      return std::nullopt;
    if (value.type != Type::kString && value.type != Type::kInteger)
      return MustBe(name, "a string or an integer", value);
    if (value.scalar.empty())
      return MustBe(name, "a non-empty string", value);
    post->id = SanitizeUtf8(value.scalar);
    return std::nullopt;
  }
  if (name == "network" || name == "networks")
    return ReadNetworks(name, value, post);
  if (name == "account")
    return ReadString(name, value, &post->account);
  if (name == "author")
    return ReadString(name, value, &post->author);
  if (name == "lang")
    return ReadString(name, value, &post->lang);
  if (name == "created_at") {
    if (value.is_null())
      return std::nullopt;
    // Date filters and reports place posts in time by this field: a value nobody can read would
    // drop the post from every range without a word.
    if (value.type != Type::kString || !ParseTime(TrimAsciiSpace(value.scalar))) {
      return MustBe(name, "a date and time such as 2026-03-04T10:00:00Z or 2026-03-04", value);
    }
    post->created_at = SanitizeUtf8(TrimAsciiSpace(value.scalar));
    return std::nullopt;
  }
  if (name == "sponsored") {
    if (value.is_null())
      return std::nullopt;
    std::optional<bool> flag;
    if (value.type == Type::kBool)
      flag = value.boolean;
    else if (value.type == Type::kString)
      flag = ParseBooleanText(value.scalar);
    if (!flag)
      return MustBe(name, "a boolean (true or false)", value);
    post->sponsored = *flag;
    return std::nullopt;
  }
  if (name == "media")
    return ReadMedia(value, post);
  if (name == "labels")
    return ReadLabels(value, post);
  const std::string key = SanitizeUtf8(name);
  std::string message = "unknown field '" + key + "'";
  const std::string closest = SuggestClosest(key, PostFieldNames());
  if (!closest.empty()) {
    message += " (did you mean '" + closest + "'?)";
  }
  return message + "; post fields are " + Join(PostFieldNames()) +
         " (put fields of your own under 'labels')";
}

std::optional<std::string> ApplyPostFields(const FieldValue& object, FieldSource source, Post* post,
                                           uint32_t* error_line) {
  if (object.type != Type::kMap)
    return std::string("a post must be a mapping of fields, not ") + object.TypeName();
  for (size_t i = 0; i < object.members.size(); ++i) {
    const auto& [name, value] = object.members[i];
    std::optional<std::string> problem;
    for (size_t j = 0; j < i && !problem; ++j) {
      if (object.members[j].name == name)
        problem = "field '" + SanitizeUtf8(name) + "' appears twice";
    }
    if (!problem)
      problem = ApplyPostField(name, value, source, post);
    if (problem) {
      if (error_line)
        *error_line = value.line;
      return problem;
    }
  }
  return std::nullopt;
}

std::optional<std::string> RequireText(const FieldValue& object) {
  for (const auto& [name, value] : object.members) {
    if (name == "text" && !value.is_null())
      return std::nullopt;
  }
  return std::string("field 'text' is required");
}

}  // namespace postlint
