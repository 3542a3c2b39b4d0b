// A post as read from a draft or an export, before analysis. Plain data; readers fill it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace postlint {

struct MediaItem {
  std::string alt_text;
};

struct Post {
  std::string id;      // from the record, else the file name, else "file:line"
  std::string source;  // path as given on the command line, or "<stdin>"
  // 1-based line of `source` where this record starts (0 when unknown).
  uint32_t source_line = 0;
  // True when `text` appears verbatim in `source` starting at column 1 of `source_line`
  // (plain-text and Markdown drafts). Reporters then point at file lines directly.
  bool text_is_verbatim = false;

  std::string text;  // valid UTF-8 (readers sanitize)
  // Networks to check the post against; empty means "no particular network".
  std::vector<std::string> networks;
  std::string account;
  std::string author;
  std::string created_at;  // as written (ISO 8601 expected)
  std::string lang;        // BCP 47 tag, e.g. "en", "lv"
  std::optional<bool> sponsored;
  std::vector<MediaItem> media;
  std::map<std::string, std::string> labels;  // free map; scalar values kept as strings
};

// A record that could not be turned into a Post. The batch goes on; the run exits 2.
struct ReadError {
  std::string source;
  uint32_t line = 0;  // 1-based line (or record index for formats without lines); 0 unknown
  std::string id;     // the record's id when it could be recovered
  std::string message;
};

}  // namespace postlint
