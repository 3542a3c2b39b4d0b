// What the export readers share, and what each format's file offers the others: csv_reader.h
// (CSV, LinkedIn), x_archive.cpp, mastodon.cpp, bluesky.cpp, meta_exports.cpp (Facebook,
// Instagram) and archive.cpp (.zip, .tar.gz). export_readers.cpp dispatches to them behind the
// public io/export_readers.h; only src/io/*.cpp include this file.
//
// Conventions every reader here keeps (the public contract is in io/export_readers.h):
//   - Records go to `emit` in input order; nothing throws. A record that cannot be read is one
//     ReadError (source, 1-based line or 0 for the whole input) and reading goes on.
//   - Post text is valid UTF-8: documents are sanitized before parsing, or strings are taken
//     through JsonString.
//   - No process-wide state: the same input gives the same records on any thread, and any
//     number of readers may run at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/post.h"
#include "io/post_reader.h"

namespace postlint::io_internal {

class LineSource;

// ---------------------------------------------------------------------------------------------
// Strings and files (export_common.cpp)

// Replaces every occurrence of `from` in `s` by `to`, left to right; the replacement is not
// searched again. No-op for an empty `from`.
void ReplaceAll(std::string& s, std::string_view from, std::string_view to);

// Appends `link` (trimmed) on a line of its own unless it is empty or the text already shows it:
// exports keep a post's link beside its text, while the reader saw both.
void AppendLink(std::string& text, std::string_view link);

// The last component of a '/'-separated path ("data/tweets.js" -> "tweets.js").
std::string FileName(std::string_view path);

// `s` without a leading "https://" or "http://".
std::string StripScheme(std::string_view s);

// Appends the bytes of `path` to `*out`. On failure returns false with `*error` set to
// "cannot open: <reason>" or "cannot read: <reason>".
bool ReadWholeFile(const std::string& path, std::string* out, std::string* error);

// ---------------------------------------------------------------------------------------------
// JSON documents (export_common.cpp)

// The string member `key` of `object`, sanitized to valid UTF-8; empty when `object` is not an
// object, or the member is missing or not a string.
std::string JsonString(const nlohmann::json& object, const char* key);

// The member `key` of `object`; nullptr when `object` is not an object or has no such member.
const nlohmann::json* JsonMember(const nlohmann::json& object, const char* key);

// Like JsonMember, but nullptr unless the member is an array.
const nlohmann::json* JsonArray(const nlohmann::json& object, const char* key);

// The first element of `array` that is an object; nullptr when there is none. Formats are
// recognised by their first record.
const nlohmann::json* FirstObject(const nlohmann::json& array);

// The 1-based line where each element starts, of the top-level array (`key` empty) or of the
// array that is the value of top-level member `key`. nlohmann keeps no positions, so the text is
// scanned once more; `text` should be valid JSON, and elements past its end get no line.
std::vector<uint32_t> ElementLines(std::string_view text, std::string_view key);

// nlohmann's explanation of a syntax error, without its tag and position. Valid UTF-8.
std::string JsonErrorDetail(const nlohmann::json::parse_error& e);

// Parses `text` as one JSON document. An empty document, a syntax error ("invalid JSON at line
// N: ...") or a number too large for a double is reported as one ReadError and gives nullopt;
// nothing is thrown.
std::optional<nlohmann::json> ParseJsonOrReport(std::string_view text, const std::string& source,
                                                const RecordCallback& emit);

// Reads the elements of `array` (the top-level array of `text`, or its member `key`) in order:
// `read(element, index)` returns a Post, an error message, or nullopt to skip the element on
// purpose (a boost). Posts get `source` and the element's line; an error becomes a ReadError
// saying "record N: " (or "key[i]: ") before the message.
template <typename ReadElement>
void ForEachElement(const nlohmann::json& array, std::string_view text, std::string_view key,
                    const std::string& source, const ReadElement& read,
                    const RecordCallback& emit) {
  const std::vector<uint32_t> lines = ElementLines(text, key);
  for (size_t i = 0; i < array.size(); ++i) {
    const uint32_t line = i < lines.size() ? lines[i] : 0;
    std::optional<std::variant<Post, std::string>> result = read(array[i], i);
    if (!result)
      continue;  // skipped on purpose (e.g. a boost)
    if (auto* post = std::get_if<Post>(&*result)) {
      post->source = source;
      post->source_line = line;
      emit(std::move(*post));
    } else {
      const std::string where = key.empty() ? "record " + std::to_string(i + 1)
                                            : std::string(key) + "[" + std::to_string(i) + "]";
      emit(ReadError{source, line, {}, where + ": " + std::get<std::string>(*result)});
    }
  }
}

// ---------------------------------------------------------------------------------------------
// X / Twitter archive (x_archive.cpp)

// The archive's owner, from data/account.js.
struct XAccount {
  std::string username;  // without '@'
  std::string display_name;
};

// Where the JSON payload of a "window.YTD.tweets.part0 = [...]" file starts (after the '=');
// npos when `content` does not start (after white space) with "window.YTD.".
size_t YtdPayloadStart(std::string_view content);

// account.js as an XAccount; empty fields when the file cannot be parsed.
XAccount ParseXAccount(std::string_view content);

// The account.js beside a tweets file, read and parsed; empty when there is none.
XAccount XAccountNextTo(const std::string& tweets_path);

// Order of tweets files: 0 for tweets.js / tweet.js, N for tweets-partN.js (and tweet-partN.js);
// -1 for any other name.
long TweetsPartNumber(std::string_view name);

// A parsed array whose first object has a "tweet" member.
bool LooksLikeXPayload(const nlohmann::json& doc);

// Reads a tweets file (with or without its "window.YTD..." prefix); lines are the file's.
void ParseXPayload(std::string_view content, const std::string& source, const XAccount& account,
                   const RecordCallback& emit);

// Reads a parsed tweets array (`text` is the source, for element lines); anything but an array
// is one ReadError.
void ReadXDocument(const nlohmann::json& doc, std::string_view text, const std::string& source,
                   const XAccount& account, const RecordCallback& emit);

// A directory holding data/ with at least one tweets file.
bool IsXFolder(const std::string& path);

// Reads every tweets file of an unpacked archive, in part order, with its account.js.
void ReadXFolder(const std::string& dir, const RecordCallback& emit);

// ---------------------------------------------------------------------------------------------
// Mastodon archive (mastodon.cpp)

// The archive's owner, from actor.json.
struct MastodonActor {
  std::string account;  // "@alice@example.social"
  std::string name;
};

// actor.json as a MastodonActor; empty fields when the file cannot be parsed.
MastodonActor ParseMastodonActor(std::string_view content);

// An ActivityPub (Ordered)Collection with an "orderedItems" array.
bool LooksLikeOutbox(const nlohmann::json& doc);

// Reads the Create activities of a parsed outbox (boosts are skipped); an outbox without
// "orderedItems" is one ReadError. `actor` may be empty: accounts then come from the notes.
void ReadOutboxDocument(const nlohmann::json& doc, std::string_view text, const std::string& source,
                        const MastodonActor& actor, const RecordCallback& emit);

// Parses and reads outbox.json.
void ParseOutbox(std::string_view content, const std::string& source, const MastodonActor& actor,
                 const RecordCallback& emit);

// A directory holding outbox.json.
bool IsMastodonFolder(const std::string& path);

// Reads an unpacked archive's outbox.json with its actor.json.
void ReadMastodonFolder(const std::string& dir, const RecordCallback& emit);

// ---------------------------------------------------------------------------------------------
// Bluesky (bluesky.cpp; IsBlueskyRecord and PostFromBlueskyRecord are public)

// A post record (or wrapper, see IsBlueskyRecord), or a list of them (an array, or listRecords
// {records}, feed {feed}, getPosts {posts}) whose first object is one.
bool LooksLikeBluesky(const nlohmann::json& doc);

// Reads one record, or each record of a list (LooksLikeBluesky); anything else is one
// ReadError.
void ReadBlueskyDocument(const nlohmann::json& doc, std::string_view text,
                         const std::string& source, const RecordCallback& emit);

// Reads one record per line (JSONL); blank lines are skipped. A read error of `lines` is
// reported at the end with line 0.
void ReadBlueskyLines(LineSource& lines, const std::string& source, const RecordCallback& emit);

// ---------------------------------------------------------------------------------------------
// Facebook and Instagram "Download Your Information" (meta_exports.cpp)

// An array whose first object has "timestamp" and "data" or "attachments" (your_posts_1.json).
bool LooksLikeFacebook(const nlohmann::json& doc);

// An array whose first object has a "media" array and a "creation_timestamp" (posts_1.json).
bool LooksLikeInstagram(const nlohmann::json& doc);

// Reads a parsed posts file as `format` (kFacebook or kInstagram), repairing the Latin-1
// mojibake of its strings (RepairLatin1Mojibake). Entries without words or media (profile
// updates, check-ins) are skipped; a document that is not an array is one ReadError.
void ReadMetaDocument(const nlohmann::json& doc, std::string_view text, const std::string& source,
                      InputFormat format, const RecordCallback& emit);

// ---------------------------------------------------------------------------------------------
// Archives (archive.cpp)

// Reads the known exports inside a .zip / .tar.gz (X, Mastodon, LinkedIn Shares.csv, Facebook,
// Instagram), each member as "<path>!<member>". An archive that cannot be opened, is damaged, or
// holds no known export is a ReadError for the whole archive (line 0).
void ReadArchive(const std::string& path, const ReadOptions& options, const RecordCallback& emit);

}  // namespace postlint::io_internal
