// CSV exports (io/csv_reader.h): RFC 4180 records, the column table, the day/month decision and
// the --column mappings.
#include "io/csv_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostics.h"
#include "core/networks.h"
#include "core/redaction.h"
#include "core/utf8.h"
#include "io/export_dates.h"
#include "io/export_internal.h"
#include "io/export_readers.h"
#include "io/line_source.h"
#include "io/post_fields.h"
#include "io/reader_internal.h"

namespace postlint {
namespace {

using io_internal::AppendLink;
using io_internal::ClassifySlashDate;
using io_internal::CsvDate;
using io_internal::LineSource;
using io_internal::MemoryLines;
using io_internal::ReplaceAll;
using io_internal::SlashDate;

// A quoted CSV field longer than this is taken for a runaway quote: the record is reported
// and reading resumes on the line after its start, so memory stays bounded.
constexpr size_t kMaxCsvRecordBytes = size_t{1} << 20;

// "message_text", "Message Text" and "message-text" all become "messagetext".
std::string NormalizeHeader(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z')
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
             static_cast<unsigned char>(c) >= 0x80)
      out.push_back(c);
  }
  return out;
}

void AddNetwork(Post& post, std::string_view raw) {
  const std::string_view trimmed = TrimAsciiSpace(raw);
  if (trimmed.empty())
    return;
  std::string name = CanonicalNetworkName(SanitizeUtf8(trimmed));
  if (std::find(post.networks.begin(), post.networks.end(), name) == post.networks.end())
    post.networks.push_back(std::move(name));
}

// RFC 4180 records over physical lines, with recovery: a record whose quote never closes (or
// grows past kMaxCsvRecordBytes) is reported and its following lines are read again as records.
class CsvReader {
 public:
  CsvReader(LineSource& lines, char delimiter) : lines_(lines), delimiter_(delimiter) {}

  void set_delimiter(char d) { delimiter_ = d; }

  enum class Status { kRecord, kBroken, kEnd };

  // On kRecord fills `fields`; on kBroken, `error` describes the record. `line` is the 1-based
  // line where the record starts.
  Status Next(std::vector<std::string>* fields, uint32_t* line, std::string* error) {
    std::string physical;
    if (!Pull(&physical, line))
      return Status::kEnd;
    std::vector<std::pair<uint32_t, std::string>> raw;  // kept for recovery
    raw.emplace_back(*line, physical);
    fields->clear();
    std::string field;
    bool in_quotes = false;
    bool quoted = false;
    size_t bytes = 0;
    for (;;) {
      const std::string& s = raw.back().second;
      bytes += s.size() + 1;
      for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (in_quotes) {
          if (c == '"') {
            if (i + 1 < s.size() && s[i + 1] == '"') {
              field.push_back('"');
              ++i;
            } else {
              in_quotes = false;
            }
          } else {
            field.push_back(c);
          }
        } else if (c == delimiter_) {
          fields->push_back(std::move(field));
          field.clear();
          quoted = false;
        } else if (c == '"' && !quoted && TrimAsciiSpace(field).empty()) {
          field.clear();  // spaces before an opening quote are dropped
          in_quotes = true;
          quoted = true;
        } else {
          field.push_back(c);  // lenient: a stray quote in an unquoted field is kept
        }
      }
      if (!in_quotes)
        break;
      std::string next;
      uint32_t next_line = 0;
      if (bytes > kMaxCsvRecordBytes || !Pull(&next, &next_line)) {
        *error = bytes > kMaxCsvRecordBytes
                     ? "quoted field longer than 1 MiB (a quote that never closes?)"
                     : "quoted field never closes (unbalanced '\"')";
        // Read the lines after the record's first one again.
        for (size_t k = raw.size(); k-- > 1;)
          pending_.push_back(std::move(raw[k]));
        return Status::kBroken;
      }
      field.push_back('\n');
      raw.emplace_back(next_line, std::move(next));
    }
    fields->push_back(std::move(field));
    return Status::kRecord;
  }

 private:
  bool Pull(std::string* line, uint32_t* line_no) {
    if (!pending_.empty()) {
      *line_no = pending_.back().first;
      *line = std::move(pending_.back().second);
      pending_.pop_back();
      return true;
    }
    if (!lines_.Next(line))
      return false;
    *line_no = ++line_no_;
    return true;
  }

  LineSource& lines_;
  char delimiter_;
  uint32_t line_no_ = 0;
  std::vector<std::pair<uint32_t, std::string>> pending_;  // stack: back is next
};

char SniffDelimiter(std::string_view header) {
  size_t comma = 0;
  size_t semicolon = 0;
  size_t tab = 0;
  bool in_quotes = false;
  for (char c : header) {
    if (c == '"')
      in_quotes = !in_quotes;
    else if (!in_quotes && c == ',')
      ++comma;
    else if (!in_quotes && c == ';')
      ++semicolon;
    else if (!in_quotes && c == '\t')
      ++tab;
  }
  if (tab > comma && tab >= semicolon)
    return '\t';
  if (semicolon > comma)
    return ';';
  return ',';
}

struct CsvField {
  const char* name;
  std::vector<std::string_view> aliases;  // normalized (NormalizeHeader)
};

const std::vector<CsvField>& CsvFields() {
  static const std::vector<CsvField> kFields = {
      {"text",
       {"text", "message", "messagetext", "content", "post", "posttext", "body", "sharecommentary",
        "caption", "tweet", "tweettext", "fulltext", "status", "copy"}},
      {"date",
       {"createdat", "date", "datetime", "publishedat", "published", "publishdate", "publishtime",
        "scheduledat", "scheduledate", "scheduledfor", "scheduledtime", "postatspecifictime",
        "sentat", "dueat", "timestamp", "postdate", "posteddate", "created", "time"}},
      {"time", {"time24hr", "time"}},
      {"network",
       {"network", "networks", "platform", "platforms", "channel", "channelservice", "service",
        "socialnetwork"}},
      {"account",
       {"profile", "account", "page", "accountid", "accountname", "handle", "profilename",
        "channelname", "pagename"}},
      {"author", {"author", "user", "username", "createdby", "owner", "publisher"}},
      {"id", {"id", "postid", "messageid", "tweetid", "guid", "sharelink"}},
      {"alt", {"alttext", "alt", "imagealt", "mediaalt", "imagealttext"}},
      {"lang", {"lang", "language"}},
      {"link", {"link", "url", "linkurl", "sharedurl", "links"}},
      {"media", {"mediaurl", "mediaurls", "imageurl", "imageurls", "image", "media"}},
      {"visibility", {"visibility"}},
      {"sponsored",
       {"sponsored", "issponsored", "paid", "ispaid", "promoted", "paidpartnership",
        "brandedcontent"}},
  };
  return kFields;
}

std::string CanonicalMappingKey(std::string_view key) {
  const std::string k = NormalizeHeader(key);
  if (k == "createdat")
    return "date";
  if (k == "alttext")
    return "alt";
  if (k == "dateorder")
    return "date_order";
  for (const CsvField& f : CsvFields()) {
    if (k == f.name)
      return k;
  }
  return {};
}

class CsvPostReader {
 public:
  CsvPostReader(const std::string& source, bool linkedin, const ReadOptions& options)
      : source_(source), linkedin_(linkedin), options_(options) {}

  // Returns false (after reporting) when the header is unusable.
  bool SetHeader(const std::vector<std::string>& header, uint32_t line,
                 const RecordCallback& emit) {
    header_size_ = header.size();
    std::vector<std::string> normalized;
    for (const auto& h : header)
      normalized.push_back(NormalizeHeader(h));
    if (!linkedin_) {
      const bool has_commentary =
          std::find(normalized.begin(), normalized.end(), "sharecommentary") != normalized.end();
      const bool has_share_link =
          std::find(normalized.begin(), normalized.end(), "sharelink") != normalized.end();
      linkedin_ = has_commentary && has_share_link;
    }
    const auto& options = options_.csv_columns;
    std::vector<bool> used(header.size(), false);
    // Explicit mappings first: exact header, then normalized.
    for (const auto& [key, wanted] : options) {
      if (key == "date_order")
        continue;
      int index = -1;
      for (size_t i = 0; i < header.size() && index < 0; ++i) {
        if (header[i] == wanted)
          index = static_cast<int>(i);
      }
      for (size_t i = 0; i < header.size() && index < 0; ++i) {
        if (normalized[i] == NormalizeHeader(wanted))
          index = static_cast<int>(i);
      }
      if (index < 0) {
        emit(ReadError{source_,
                       line,
                       {},
                       "--column " + key + "=" + wanted + ": no such column; the header has " +
                           HeaderList(header)});
        return false;
      }
      columns_[key] = index;
      used[static_cast<size_t>(index)] = true;
    }
    for (const CsvField& field : CsvFields()) {
      if (columns_.count(field.name) != 0)
        continue;
      for (std::string_view alias : field.aliases) {
        int index = -1;
        for (size_t i = 0; i < normalized.size(); ++i) {
          if (!used[i] && normalized[i] == alias) {
            index = static_cast<int>(i);
            break;
          }
        }
        if (index >= 0) {
          columns_[field.name] = index;
          used[static_cast<size_t>(index)] = true;
          break;
        }
      }
    }
    if (columns_.count("text") == 0) {
      emit(ReadError{source_,
                     line,
                     {},
                     "no text column found (looked for text, message, message_text, content, "
                     "post, body, ShareCommentary, caption, ...); the header has " +
                         HeaderList(header) + "; name one with --column text=NAME"});
      return false;
    }
    return true;
  }

  bool has_date_column() const { return columns_.count("date") != 0; }
  // The raw date cell of a record (for the file's day/month decision).
  std::string DateCell(const std::vector<std::string>& fields) const {
    return Field(fields, "date");
  }
  void set_date_order(DateOrder order, std::string reason) {
    day_first_ = order == DateOrder::kDayFirst;
    date_order_known_ = order != DateOrder::kUnknown;
    date_order_reason_ = std::move(reason);
  }
  bool date_order_known() const { return date_order_known_; }

  void Row(const std::vector<std::string>& fields, uint32_t line, const RecordCallback& emit) {
    if (std::all_of(fields.begin(), fields.end(),
                    [](const std::string& f) { return TrimAsciiSpace(f).empty(); })) {
      return;  // blank line or a row of empty cells
    }
    if (fields.size() > header_size_) {
      // Columns would shift: the text could end up in the network column. Fewer fields are
      // fine (missing trailing cells are empty).
      emit(ReadError{source_, line, Field(fields, "id"),
                     "record has " + std::to_string(fields.size()) + " fields, the header has " +
                         std::to_string(header_size_) + " (an unquoted delimiter or quote?)"});
      return;
    }
    Post post;
    post.source = source_;
    post.source_line = line;
    post.id = Field(fields, "id");
    if (post.id.empty())
      post.id = source_ + ":" + std::to_string(line);
    std::string text = Field(fields, "text", /*trim=*/false);
    if (linkedin_)
      text = CleanShareCommentary(text);
    // Spreadsheet cells often carry "\r\n" inside quotes; rules count "\r" as a character.
    ReplaceAll(text, "\r\n", "\n");
    AppendLink(text, Field(fields, "link"));
    post.text = std::move(text);
    const std::string date = Field(fields, "date");
    const std::string time = Field(fields, "time");
    if (!date.empty() || !time.empty()) {
      auto iso =
          CsvDate(date.empty() ? time : date, date.empty() ? std::string() : time, day_first_);
      if (!iso) {
        const bool contradicts = date_order_known() && ClassifySlashDate(date) != SlashDate::kOther;
        emit(ReadError{
            source_, line, Field(fields, "id"),
            "column '" + HeaderName("date") + "': cannot read '" +
                QuoteUntrusted(date + (time.empty() || date.empty() ? "" : " " + time)) +
                "' as a date" +
                (contradicts ? std::string(day_first_ ? " (this file's dates are day first, "
                                                      : " (this file's dates are month first, ") +
                                   date_order_reason_ + ")"
                             : " (expected e.g. 2026-03-04 10:00, 04/03/2026 10:00)")});
        return;
      }
      post.created_at = std::move(*iso);
    }
    const std::string networks = Field(fields, "network");
    size_t start = 0;
    while (start <= networks.size()) {
      const size_t end = networks.find_first_of(",;|", start);
      AddNetwork(post, std::string_view(networks).substr(
                           start, end == std::string::npos ? std::string::npos : end - start));
      if (end == std::string::npos)
        break;
      start = end + 1;
    }
    if (linkedin_ && post.networks.empty())
      post.networks.push_back("linkedin");
    post.account = Field(fields, "account");
    post.author = Field(fields, "author");
    post.lang = Field(fields, "lang");
    const std::string alt = Field(fields, "alt");
    const std::string media = Field(fields, "media");
    size_t media_count = 0;
    for (size_t i = 0; i < media.size();) {
      while (i < media.size() && (IsAsciiSpace(media[i]) || media[i] == ',' || media[i] == '|'))
        ++i;
      if (i >= media.size())
        break;
      ++media_count;
      while (i < media.size() && !IsAsciiSpace(media[i]) && media[i] != ',' && media[i] != '|')
        ++i;
    }
    if (media_count == 0 && !alt.empty())
      media_count = 1;
    for (size_t i = 0; i < media_count; ++i)
      post.media.push_back(MediaItem{i == 0 ? alt : std::string()});
    if (const std::string visibility = Field(fields, "visibility"); !visibility.empty())
      post.labels["visibility"] = visibility;
    if (const std::string sponsored = Field(fields, "sponsored"); !sponsored.empty()) {
      // The same spellings as the JSON and front matter field (io/post_fields.h).
      const std::optional<bool> flag = ParseBooleanText(sponsored);
      if (!flag) {
        emit(ReadError{source_, line, post.id,
                       "column '" + HeaderName("sponsored") + "': '" + QuoteUntrusted(sponsored) +
                           "' is not true, false, yes or no"});
        return;
      }
      post.sponsored = flag;
    }
    emit(std::move(post));
  }

 private:
  static std::string HeaderList(const std::vector<std::string>& header) {
    std::string out;
    for (const auto& h : header) {
      if (!out.empty())
        out += ", ";
      out += "'" + SanitizeUtf8(h) + "'";
    }
    return out.empty() ? "no columns" : out;
  }

  std::string HeaderName(const char* key) const { return key; }

  std::string Field(const std::vector<std::string>& fields, const char* key,
                    bool trim = true) const {
    const auto it = columns_.find(key);
    if (it == columns_.end() || static_cast<size_t>(it->second) >= fields.size())
      return {};
    const std::string& raw = fields[static_cast<size_t>(it->second)];
    return SanitizeUtf8(trim ? TrimAsciiSpace(raw) : std::string_view(raw));
  }

  // LinkedIn writes each line of a share wrapped in quotes, with the quotes of the text doubled
  // once more: after CSV decoding the value reads "\"Line one\"\n\"Line two\"" and a quote in
  // the text reads "\"\"". Undo that when the value has the wrapping quotes.
  static std::string CleanShareCommentary(std::string text) {
    const std::string_view trimmed = TrimAsciiSpace(text);
    if (trimmed == "\"\"" || trimmed == "\"")
      return {};
    if (trimmed.size() >= 2 && trimmed.front() == '"' && trimmed.back() == '"') {
      std::string inner(trimmed.substr(1, trimmed.size() - 2));
      ReplaceAll(inner, "\"\r\n\"", "\n");
      ReplaceAll(inner, "\"\n\"", "\n");
      ReplaceAll(inner, "\"\"", "\"");
      return std::string(TrimAsciiSpace(inner));
    }
    return std::string(TrimAsciiSpace(text));
  }

  std::string source_;
  bool linkedin_;
  const ReadOptions& options_;
  bool day_first_ = false;
  bool date_order_known_ = false;
  std::string date_order_reason_;
  size_t header_size_ = 0;
  std::map<std::string, int> columns_;
};

// One pass over a CSV file: the header (the first non-blank line, whose delimiter decides the
// file's), then its records.
class CsvPass {
 public:
  explicit CsvPass(std::unique_ptr<LineSource> lines)
      : lines_(std::move(lines)), reader_(*lines_, ',') {}

  // Reads the header into `fields`; on failure returns the ReadError to report.
  std::optional<ReadError> Header(const std::string& source, std::vector<std::string>* fields) {
    std::string raw;
    uint32_t header_line = 0;
    while (lines_->Next(&raw)) {
      ++header_line;
      if (header_line == 1)
        raw = std::string(StripUtf8Bom(raw));
      if (!TrimAsciiSpace(raw).empty())
        break;
      raw.clear();
    }
    if (TrimAsciiSpace(raw).empty())
      return ReadError{source, 1, {}, "the CSV file is empty (a header line is expected)"};
    const char delimiter = SniffDelimiter(raw);
    reader_.set_delimiter(delimiter);
    MemoryLines header_lines(raw);
    CsvReader header_reader(header_lines, delimiter);
    std::string error;
    uint32_t ignored = 0;
    if (header_reader.Next(fields, &ignored, &error) != CsvReader::Status::kRecord)
      return ReadError{source, header_line, {}, "unreadable CSV header: " + error};
    header_line_ = header_line;
    return std::nullopt;
  }

  uint32_t header_line() const { return header_line_; }
  CsvReader::Status Next(std::vector<std::string>* fields, uint32_t* line, std::string* error) {
    const CsvReader::Status status = reader_.Next(fields, line, error);
    *line += header_line_;
    return status;
  }
  bool Failed() const { return lines_->Failed(); }
  std::string FailureMessage() const { return lines_->FailureMessage(); }

 private:
  std::unique_ptr<LineSource> lines_;
  CsvReader reader_;
  uint32_t header_line_ = 0;
};

// How a file's dates settle the day/month question: the first date that reads only one way.
struct DateOrderScan {
  DateOrder order = DateOrder::kUnknown;
  uint32_t line = 0;            // where it was settled, or the first ambiguous date
  std::string example;          // that date as written
  bool ambiguous_seen = false;  // a date that reads both ways exists
};

// Reads the file once more, up to its first date that settles the order. Cheap in practice: a
// day after the 12th settles it, and most files have one in their first rows.
DateOrderScan ScanDateOrder(std::unique_ptr<LineSource> lines, const std::string& source,
                            const CsvPostReader& layout) {
  DateOrderScan scan;
  CsvPass pass(std::move(lines));
  std::vector<std::string> fields;
  if (pass.Header(source, &fields))
    return scan;
  uint32_t line = 0;
  std::string error;
  for (;;) {
    const CsvReader::Status status = pass.Next(&fields, &line, &error);
    if (status == CsvReader::Status::kEnd)
      break;
    if (status != CsvReader::Status::kRecord)
      continue;
    const std::string date = layout.DateCell(fields);
    const SlashDate kind = ClassifySlashDate(date);
    if (kind == SlashDate::kAmbiguous && !scan.ambiguous_seen) {
      scan.ambiguous_seen = true;
      scan.line = line;
      scan.example = date;
    } else if (kind == SlashDate::kDayFirst || kind == SlashDate::kMonthFirst) {
      scan.order = kind == SlashDate::kDayFirst ? DateOrder::kDayFirst : DateOrder::kMonthFirst;
      scan.line = line;
      scan.example = date;
      return scan;
    }
  }
  return scan;
}

}  // namespace

namespace io_internal {

void ReadCsv(const LineOpener& open, const std::string& source, bool linkedin,
             const ReadOptions& options, const RecordCallback& emit) {
  CsvPass pass(open());
  std::vector<std::string> fields;
  if (std::optional<ReadError> error = pass.Header(source, &fields)) {
    emit(std::move(*error));
    return;
  }
  CsvPostReader posts(source, linkedin, options);
  if (!posts.SetHeader(fields, pass.header_line(), emit))
    return;
  // The day/month order is decided once for the whole file, so one file never mixes readings.
  DateOrder order = options.date_order;
  if (const auto it = options.csv_columns.find("date_order"); it != options.csv_columns.end())
    order = ToLowerAscii(it->second) == "dmy" ? DateOrder::kDayFirst : DateOrder::kMonthFirst;
  if (order == DateOrder::kUnknown && posts.has_date_column()) {
    const DateOrderScan scan = ScanDateOrder(open(), source, posts);
    order = scan.order;
    if (order != DateOrder::kUnknown) {
      posts.set_date_order(
          order, "as '" + scan.example + "' on line " + std::to_string(scan.line) + " shows");
    } else if (scan.ambiguous_seen) {
      emit(ReadWarning{source, scan.line,
                       "dates such as '" + scan.example +
                           "' read either way and none in the file settles it; read month first "
                           "(mm/dd/yyyy); pass --date-order dmy or --date-order mdy to choose"});
    }
  }
  if (order == DateOrder::kDayFirst && !posts.date_order_known())
    posts.set_date_order(order, "as --date-order says");
  if (order == DateOrder::kMonthFirst && !posts.date_order_known())
    posts.set_date_order(order, "as --date-order says");
  uint32_t line = 0;
  std::string error;
  for (;;) {
    const CsvReader::Status status = pass.Next(&fields, &line, &error);
    if (status == CsvReader::Status::kEnd)
      break;
    if (status == CsvReader::Status::kBroken) {
      emit(ReadError{source, line, {}, "record starting here: " + error});
      continue;
    }
    posts.Row(fields, line, emit);
  }
  if (pass.Failed())
    emit(ReadError{source, 0, {}, pass.FailureMessage()});
}

bool StartsWithCsvHeader(std::string_view content) {
  // The first line splits on its delimiter into 2+ names, one a text alias.
  std::string_view header = content.substr(0, content.find('\n'));
  if (!header.empty() && header.back() == '\r')
    header.remove_suffix(1);
  if (header.size() > 4096)
    return false;
  const char delimiter = SniffDelimiter(header);
  std::vector<std::string> names;
  MemoryLines lines(header);
  CsvReader reader(lines, delimiter);
  uint32_t line = 0;
  std::string error;
  if (reader.Next(&names, &line, &error) != CsvReader::Status::kRecord || names.size() < 2)
    return false;
  const auto& text_aliases = CsvFields()[0].aliases;
  for (const std::string& name : names) {
    const std::string n = NormalizeHeader(name);
    if (name.size() <= 40 &&
        std::find(text_aliases.begin(), text_aliases.end(), n) != text_aliases.end())
      return true;
  }
  return false;
}

}  // namespace io_internal

std::optional<std::string> ParseColumnMappings(const std::vector<std::string>& specs,
                                               std::map<std::string, std::string>* out) {
  for (const std::string& spec : specs) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
      return "'" + spec + "': expected FIELD=COLUMN, e.g. text=Body";
    const std::string key = CanonicalMappingKey(spec.substr(0, eq));
    if (key.empty()) {
      std::vector<std::string> fields;
      for (const CsvField& f : CsvFields())
        fields.emplace_back(f.name);
      return "'" + spec.substr(0, eq) + "' is not a post field" +
             DidYouMean(NormalizeHeader(spec.substr(0, eq)), fields) + "; expected " + Join(fields);
    }
    const std::string value = spec.substr(eq + 1);
    if (key == "date_order" && ToLowerAscii(value) != "dmy" && ToLowerAscii(value) != "mdy")
      return "date_order must be dmy or mdy, not '" + value + "'";
    (*out)[key] = value;
  }
  return std::nullopt;
}

std::string CheckColumnSpec(const std::string& spec) {
  std::map<std::string, std::string> ignored;
  const auto error = ParseColumnMappings({spec}, &ignored);
  return error ? *error : std::string();
}

}  // namespace postlint
