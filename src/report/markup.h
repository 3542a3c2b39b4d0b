// Escaping for the markup reporters (JUnit XML, HTML): the five XML special characters, and
// control characters (which XML 1.0 forbids even as references) replaced by U+FFFD.
#pragma once

#include <string>
#include <string_view>

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

}  // namespace postlint
