// Escaping for the reporters that write markup (JUnit XML, HTML) or tables (CSV): the five XML
// special characters, control characters (which XML 1.0 forbids even as references) replaced by
// U+FFFD, and RFC 4180 quoting with spreadsheet-formula defusing.
#pragma once

#include <string>
#include <string_view>

#include "core/utf8.h"

namespace postlint {

inline std::string EscapeMarkup(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (const char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += "\xEF\xBF\xBD";
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

// RFC 4180 field; cells a spreadsheet would run as a formula get a leading apostrophe. Control
// characters are escaped ("\n", "\x1b"): a value from a post, an export or a request (an id, an
// account, an actor) must not start a new row for a line-based tool or drive the terminal of
// whoever views the file.
inline std::string CsvField(const std::string& s) {
  std::string v = EscapeControls(s);
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) {
    v.insert(v.begin(), '\'');
  }
  if (v.find_first_of(",\"\n\r") == std::string::npos)
    return v;
  std::string out = "\"";
  for (const char c : v) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace postlint
