// CSV exports: bulk schedulers' and spreadsheets' files with a header row, and LinkedIn's
// Shares.csv. Records follow RFC 4180 (quoted fields may hold delimiters, doubled quotes and
// line breaks) with recovery: a quote that never closes costs one ReadError, not the rest of
// the file. The delimiter (',', ';' or tab) is the header's; columns are found by name
// (ReadOptions::csv_columns first, then known aliases such as message, body, ShareCommentary);
// the day/month order of slash dates is decided once per file (io/export_dates.h).
// ParseColumnMappings and CheckColumnSpec (io/export_readers.h) are defined in csv_reader.cpp.
//
// No shared state: any number of files may be read at once, on any threads.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "io/line_source.h"
#include "io/post_reader.h"

namespace postlint::io_internal {

// Opens the file's lines from the start. ReadCsv may call it twice: when the date order is not
// given, a first pass looks for a date that settles it before any record is emitted. A source
// that can no longer be opened may return empty lines (read as an empty file).
using LineOpener = std::function<std::unique_ptr<LineSource>()>;

// Reads one CSV file: the header (the first non-blank line), then one Post per record, in
// order, with its 1-based line; blank rows are skipped. `linkedin` reads Shares.csv (its
// ShareCommentary quoting undone, network "linkedin" when no column names one); a header with
// ShareCommentary and ShareLink turns it on by itself.
// Errors: an empty file, an unreadable header or one without a text column is one ReadError
// and nothing else; a broken record, one with more fields than the header or an unreadable
// date or sponsored cell is one ReadError on its line; dates that read either way with nothing
// in the file to settle them give one ReadWarning; a read error ends with a ReadError (line 0).
void ReadCsv(const LineOpener& open, const std::string& source, bool linkedin,
             const ReadOptions& options, const RecordCallback& emit);

// True when `content`'s first line is a CSV header: it splits into two or more names, one of
// them a known text column ("text", "message", "ShareCommentary", ...). Lines over 4 KiB are
// not headers. For SniffExportText.
bool StartsWithCsvHeader(std::string_view content);

}  // namespace postlint::io_internal
