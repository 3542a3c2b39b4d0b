// Turns drafts and post files into Post records, in input order, without ever stopping a batch
// for one bad record: an unreadable record becomes a ReadError carrying its source and line.
//
//   ReadPosts("drafts/launch.md", InputFormat::kAuto, [&](InputRecord&& r) { ... });
//
// Formats:
//   .txt / .md / .markdown  one post per file; an optional YAML front matter block ("---" on the
//                           first line, closed by "---" or "...") carries post fields; the body
//                           is the text (leading blank lines and trailing whitespace trimmed).
//   .json                   one post object, or an array of post objects.
//   .jsonl / .ndjson        one post object per line; blank lines are skipped.
//   "-"                     standard input, format sniffed (see SniffFormat) unless given.
//   .csv, .zip, .tar.gz, .tgz, data/tweets*.js, export folders: see io/export_readers.h.
// Post fields: id, text (required), network | networks, account, author, created_at, sponsored,
// lang, media [{alt_text}], labels {}, decoded by io/post_fields.h for every format. Unknown
// fields and wrong types are errors that name the field (and the closest known one).
//
// Details callers may rely on:
//   - All text is valid UTF-8: invalid bytes become U+FFFD. A UTF-8 BOM and "\r\n" line endings
//     are accepted everywhere; text posts have "\r\n" turned into "\n" (line structure is kept,
//     so text_is_verbatim still maps text lines to file lines).
//   - Default ids: text posts the path as given; a lone JSON object the path; JSON array
//     elements "<source>#<1-based index>"; JSONL records "<source>:<line>".
//   - ReadError::line is a 1-based file line: the front matter line at fault (YAML errors
//     included), the JSONL line, the line where a JSON array element starts (the message also
//     says "record N: "), or the line of a JSON syntax error. 0 means "the whole file" (cannot
//     open/read). ReadError::id is set only when the record names its own id.
//   - Memory: .jsonl/.ndjson files (and standard input read with an explicit kJsonl) are
//     streamed line by line in 1 MiB chunks, so memory does not grow with the file. Other
//     formats, and sniffed standard input, are read whole: memory is proportional to their size.
//   - Limits (io/input_limits.h): a file or standard input larger than 512 MiB, a device
//     (/dev/zero), JSON nested deeper than 256, front matter whose YAML aliases expand too far
//     and archives that expand too far are each one ReadError naming the limit; the batch goes
//     on with the next input.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/post.h"
#include "io/post_fields.h"

namespace postlint {

// kCsv and the formats after it are exports, read by io/export_readers.h (docs/exports.md).
enum class InputFormat {
  kAuto,
  kText,
  kJson,
  kJsonl,
  kCsv,
  kXArchive,
  kMastodon,
  kBluesky,
  kFacebook,
  kInstagram,
  kLinkedIn
};

// "auto" | "text" | "md" | "markdown" | "json" | "jsonl" | "ndjson" | "csv" | "x-archive"
// ("twitter-archive") | "mastodon" | "bluesky" | "facebook" | "instagram" | "linkedin".
std::optional<InputFormat> ParseInputFormat(std::string_view name);

// Every name ParseInputFormat accepts, for --input-format validation and help.
const std::vector<std::string>& InputFormatNames();

// Format implied by a path's extension; kAuto when the extension says nothing.
InputFormat FormatFromPath(std::string_view path);

// Guesses the format of `content`. Text is the default: plain text that happens to start with
// '[' or '{' ("[Video] Our new campaign") is a post, not broken JSON. The X archive's
// "window.YTD." prefix means kXArchive; a first line that is a CSV header naming a text column
// means kCsv. Content that is one JSON value is kJson; content whose first line is a JSON object
// is kJsonl. Content that only starts like JSON ('{' then '"' or '}', '[' then '{', '[' or ']')
// is read as JSON (or JSONL when it has several lines starting with '{') so that its syntax
// error is reported rather than the record being checked as text. JSON exports (Mastodon,
// Bluesky, Facebook, Instagram) are recognised after parsing, by their structure.
InputFormat SniffFormat(std::string_view content);

// Something a reader noticed that did not stop any record from being read, such as dates that
// read either way (04/03/2026). Callers show it once; it is not an unreadable record.
struct ReadWarning {
  std::string source;
  uint32_t line = 0;  // 1-based line it is about; 0 for the whole input
  std::string message;
};

using InputRecord = std::variant<Post, ReadError, ReadWarning>;
using RecordCallback = std::function<void(InputRecord&&)>;

// Dates such as 04/03/2026 in CSV exports: day first (dmy) or month first (mdy).
enum class DateOrder { kUnknown, kDayFirst, kMonthFirst };

// How to read one run's inputs. Passed to every reader explicitly: nothing about reading is
// process-wide, so two runs in one process (the library, the service) never see each other's.
struct ReadOptions {
  InputFormat format = InputFormat::kAuto;
  // CSV: post field -> column header, e.g. {"text", "Body"} (io/export_readers.h,
  // ParseColumnMappings). Header names match exactly first, then case-insensitively ignoring
  // spaces, '_' and '-'.
  std::map<std::string, std::string> csv_columns;
  // CSV dates that read either way. kUnknown: each file decides once, from its first date that
  // reads only one way (25/03/2026); a file whose dates all read both ways is read month first
  // and a ReadWarning says so.
  DateOrder date_order = DateOrder::kUnknown;
};

// Parses `content` read from `source` (a path, or "<stdin>"). kAuto picks the format from the
// source's extension, then by sniffing. Calls `emit` once per record, in order.
void ParsePosts(std::string_view content, const std::string& source, const ReadOptions& options,
                const RecordCallback& emit);
void ParsePosts(std::string_view content, const std::string& source, InputFormat format,
                const RecordCallback& emit);

// Reads `path` ("-" for standard input) and parses it as ParsePosts does. A file that cannot be
// opened yields one ReadError for the whole file.
void ReadPosts(const std::string& path, const ReadOptions& options, const RecordCallback& emit);
void ReadPosts(const std::string& path, InputFormat format, const RecordCallback& emit);

// Builds a Post from one JSON object. `default_id` is used when the object has no "id".
// On failure returns a message naming the field, e.g. "field 'text' is required" or
// "field 'sponsored' must be a boolean".
std::variant<Post, std::string> PostFromJson(const nlohmann::json& object,
                                             const std::string& default_id);

// A JSON value as the post field table reads it (io/post_fields.h).
FieldValue FieldValueFromJson(const nlohmann::json& value);

// Expands directories (recursively, sorted, following the extensions above) and keeps files and
// "-" as given. Paths that do not exist are reported in `missing`. An unpacked X or Mastodon
// archive folder (given or met during the walk) stays one input, read as a whole.
// Directory walks skip entries whose name starts with '.' (".git", editor backups) and match
// extensions case-insensitively; results of each directory are sorted bytewise so reports are
// stable across file systems. Explicit files keep any extension; ReadPosts sniffs those.
std::vector<std::string> ExpandInputPaths(const std::vector<std::string>& paths,
                                          std::vector<std::string>* missing);

}  // namespace postlint
