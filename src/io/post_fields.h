// The post fields postlint reads, and the one place their values are decoded.
//
// JSON and JSONL records, YAML front matter, HTTP requests and the C API all turn what they read
// into FieldValues and hand them to ApplyPostFields(), so every entry point accepts the same
// fields with the same values and refuses the same mistakes in the same words:
//
//   FieldValue object = ...;                       // from nlohmann::json or a YAML node
//   Post post;
//   if (auto problem = ApplyPostFields(object, FieldSource::kRecord, &post)) report(*problem);
//
// The fields (docs/report-format.md lists them for users):
//   id          string or integer, not empty
//   text        string; required in records, refused in front matter (the body is the text)
//   network     a network name, or a list of them
//   networks    a list of network names, or one name (a string may also hold "x, bluesky")
//   account, author, lang          strings
//   created_at  a date and time, e.g. 2026-03-04T10:00:00Z or 2026-03-04 (ISO 8601)
//   sponsored   true or false; the strings "true", "false", "yes" and "no" in any case too
//   media       a list of {alt_text (or alt), url, type}; alt text is what rules read
//   labels      a mapping of names to strings, numbers or booleans (kept as strings)
// Anything else is an error naming the closest field ("did you mean 'sponsored'?"): a typo must
// never switch a rule off without a word. `null` means "absent" for every field but `text`.
// Network names are canonicalised here ("Twitter" -> "x") and judged against the policy by the
// engine, which alone knows the policy's own networks.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/post.h"

namespace postlint {

struct FieldMember;

// A value as a reader hands it over, independent of the syntax it came in.
struct FieldValue {
  enum class Type { kNull, kBool, kInteger, kNumber, kString, kList, kMap };
  Type type = Type::kNull;
  bool boolean = false;  // kBool
  // kString: the string; kInteger and kNumber: the number as written (or as JSON prints it).
  // YAML scalars are kString: YAML's own typing (`yes` is a boolean in YAML 1.1, `0123` an
  // octal) would make front matter accept values JSON refuses.
  std::string scalar;
  std::vector<FieldValue> items;     // kList
  std::vector<FieldMember> members;  // kMap, in input order
  uint32_t line = 0;  // 1-based line in the source when the reader knows it (YAML), else 0

  bool is_null() const { return type == Type::kNull; }
  bool is_scalar() const {
    return type == Type::kBool || type == Type::kInteger || type == Type::kNumber ||
           type == Type::kString;
  }
  // For messages: "a string", "a list", ...
  const char* TypeName() const;
};

struct FieldMember {
  std::string name;
  FieldValue value;
};

// Where the fields come from; a few rules differ (the text of a draft is its body).
enum class FieldSource { kRecord, kFrontMatter };

// Every post field name, in the order above.
const std::vector<std::string>& PostFieldNames();

// Applies one field to `post`. Returns nullopt on success, else a message that names the field
// and what it must be ("field 'sponsored' must be true or false, not 'maybe'"), or for an
// unknown name "unknown field 'sponosred' (did you mean 'sponsored'?); post fields are: ...".
std::optional<std::string> ApplyPostField(std::string_view name, const FieldValue& value,
                                          FieldSource source, Post* post);

// Applies every member of `object` (a kMap), refusing repeated names. `*error_line` (when not
// null) receives the line of the member at fault when the reader recorded one. Does not check
// that `text` is present: records require it (RequireText), drafts take it from the body.
std::optional<std::string> ApplyPostFields(const FieldValue& object, FieldSource source, Post* post,
                                           uint32_t* error_line = nullptr);

// The message for a record without `text`, or nullopt when `object` has one.
std::optional<std::string> RequireText(const FieldValue& object);

// The boolean spellings every post field accepts: true/false/yes/no, any case. CSV cells use
// this too, so a `sponsored` column reads like the JSON field.
std::optional<bool> ParseBooleanText(std::string_view text);

// Splits "x, bluesky" (commas, semicolons or '|') into canonical network names, skipping empty
// items. CSV cells and the command line use it too.
std::vector<std::string> SplitNetworkList(std::string_view text);

}  // namespace postlint
