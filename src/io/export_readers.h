// Readers for the exports networks and schedulers give their users: CSV with a header (bulk
// schedulers, spreadsheets, LinkedIn Shares.csv), the X/Twitter archive, the Mastodon archive,
// Bluesky post records, and Facebook / Instagram "Download Your Information" JSON.
// docs/exports.md describes each format, what is mapped and the limits.
//
// post_reader.cpp calls into this file; callers normally use ReadPosts()/ParsePosts() with an
// InputFormat and never call these functions directly (tests do).
//
// export_readers.cpp picks the reader; each format has a file of its own: csv_reader.cpp (CSV,
// LinkedIn), x_archive.cpp, mastodon.cpp, bluesky.cpp, meta_exports.cpp (Facebook, Instagram)
// and archive.cpp (.zip, .tar.gz), with shared pieces in export_common.cpp, export_dates.cpp and
// html_text.cpp. What they share is declared in io/export_internal.h, not here.
//
// Every reader maps records to Post fields: text (links restored), networks, account, author,
// created_at (normalised to "YYYY-MM-DDTHH:MM:SSZ", UTC), id, lang, media alt text, labels. A
// malformed record is one ReadError (source + 1-based line, or record index where the format
// has no useful lines) and reading goes on.
//
// Sources inside an archive are named "<archive>!<member>", e.g. "x.zip!data/tweets.js".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "io/post_reader.h"

namespace postlint {

// ---------------------------------------------------------------------------------------------
// CSV column mappings (ReadOptions::csv_columns)

// Parses repeated "--column field=Header" values into `out`. Returns an error message for an
// unknown field (with the closest one) or a value without '='. Fields: text, date (or
// created_at), time, network, account, author, id, alt, lang, link, media, visibility,
// sponsored; "date_order=dmy|mdy" is kept for scripts written before --date-order.
std::optional<std::string> ParseColumnMappings(const std::vector<std::string>& specs,
                                               std::map<std::string, std::string>* out);

// For the CLI's repeated "--column FIELD=COLUMN": an error message, empty when the spec is valid.
std::string CheckColumnSpec(const std::string& spec);

// ---------------------------------------------------------------------------------------------
// Detection

// True for the formats this file implements (csv, x-archive, mastodon, ...).
bool IsExportFormat(InputFormat format);

// Formats recognisable from the start of a file's text without parsing it: the X archive's
// "window.YTD." prefix, and a CSV header naming a known text column. nullopt otherwise.
std::optional<InputFormat> SniffExportText(std::string_view content);

// A directory holding an unpacked export read as one input: an X archive (data/tweets.js,
// data/tweet.js or data/tweets-partN.js) or a Mastodon archive (outbox.json).
bool IsExportFolder(const std::string& path);

// True when the path names an archive file (.zip, .tar.gz, .tgz) by its extension.
bool IsArchivePath(std::string_view path);

// ---------------------------------------------------------------------------------------------
// Reading

// Handles the paths this file owns: export folders, archives, CSV files (streamed), JSONL files
// read with an explicit kBluesky (streamed), and standard input ("-") with an explicit kCsv or
// kLinkedIn (streamed). Returns false, without emitting, for anything else.
bool ReadExportPath(const std::string& path, const ReadOptions& options,
                    const RecordCallback& emit);

// Parses in-memory `content` in one of the export formats (IsExportFormat(format)).
void ParseExport(std::string_view content, const std::string& source, InputFormat format,
                 const ReadOptions& options, const RecordCallback& emit);

// Called by the JSON document reader with a parsed document (`text` is the sanitized source,
// for line numbers). When the document's structure is one of the JSON exports (Mastodon
// outbox, Bluesky records, Facebook or Instagram posts, X archive payload), reads it and
// returns true; returns false for postlint's own post objects.
bool ParseExportDocument(const nlohmann::json& doc, std::string_view text,
                         const std::string& source, const RecordCallback& emit);

// Bluesky: true for an app.bsky.feed.post record or a wrapper holding one ({uri, value} from
// listRecords, {post: {uri, record, author}} from feeds, or {uri, record, author}).
bool IsBlueskyRecord(const nlohmann::json& object);
std::variant<Post, std::string> PostFromBlueskyRecord(const nlohmann::json& object,
                                                      const std::string& default_id);

// ---------------------------------------------------------------------------------------------
// Helpers (exposed for tests; dates are defined in export_dates.cpp, HTML in html_text.cpp)

// "Wed Mar 04 10:00:00 +0000 2026" (X legacy format) -> "2026-03-04T10:00:00Z".
std::optional<std::string> ConvertLegacyTwitterDate(std::string_view s);
// ISO 8601 with optional fraction and offset, or "YYYY-MM-DD[ HH:MM[:SS]]" (taken as UTC)
// -> "YYYY-MM-DDTHH:MM:SSZ".
std::optional<std::string> NormalizeIsoDate(std::string_view s);
// Unix seconds -> "YYYY-MM-DDTHH:MM:SSZ".
std::string UnixToIso(int64_t seconds);
// Facebook/Instagram mojibake: UTF-8 bytes escaped as Latin-1 code points ("\u00c3\u00a9").
// When every code point is <= U+00FF and the bytes form valid UTF-8, returns the decoded text;
// otherwise returns `s` unchanged.
std::string RepairLatin1Mojibake(std::string_view s);
// HTML (Mastodon `content`) to plain text: paragraphs -> blank lines, <br> -> newline, links ->
// their text (or the href when the text is a shortened URL), entities decoded, tags dropped.
std::string HtmlToText(std::string_view html);

}  // namespace postlint
