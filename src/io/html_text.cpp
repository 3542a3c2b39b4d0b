// HTML entities and HTML to text (io/html_text.h), and the Latin-1 mojibake repair
// (io/export_readers.h).
#include "io/html_text.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/utf8.h"
#include "io/export_readers.h"

namespace postlint {
namespace {

using io_internal::DecodeEntities;

void AppendEntity(std::string_view name, std::string& out) {
  static const std::pair<std::string_view, char32_t> kNamed[] = {
      {"amp", '&'},      {"lt", '<'},       {"gt", '>'},        {"quot", '"'},
      {"apos", '\''},    {"nbsp", 0xA0},    {"hellip", 0x2026}, {"mdash", 0x2014},
      {"ndash", 0x2013}, {"rsquo", 0x2019}, {"lsquo", 0x2018},  {"ldquo", 0x201C},
      {"rdquo", 0x201D}, {"copy", 0xA9},    {"reg", 0xAE},      {"trade", 0x2122},
      {"euro", 0x20AC},  {"laquo", 0xAB},   {"raquo", 0xBB},    {"middot", 0xB7},
      {"bull", 0x2022},  {"zwj", 0x200D},   {"zwnj", 0x200C},   {"shy", 0xAD}};
  if (!name.empty() && name[0] == '#') {
    uint32_t cp = 0;
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    const std::string_view digits = name.substr(hex ? 2 : 1);
    bool ok = !digits.empty() && digits.size() <= 8;
    for (char c : digits) {
      int v = -1;
      if (c >= '0' && c <= '9')
        v = c - '0';
      else if (hex && c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F')
        v = c - 'A' + 10;
      if (v < 0) {
        ok = false;
        break;
      }
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
    }
    if (ok && cp != 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
      AppendUtf8(out, static_cast<char32_t>(cp));
      return;
    }
  } else {
    for (const auto& [entity, cp] : kNamed) {
      if (entity == name) {
        AppendUtf8(out, cp);
        return;
      }
    }
  }
  out.append("&").append(name).append(";");
}

// Value of attribute `name` in a tag's inside ("a href=\"...\" class=...").
std::string TagAttribute(std::string_view tag, std::string_view name) {
  size_t pos = 0;
  const std::string lower = ToLowerAscii(tag);
  while ((pos = lower.find(name, pos)) != std::string::npos) {
    const bool boundary = pos > 0 && IsAsciiSpace(lower[pos - 1]);
    size_t i = pos + name.size();
    pos = i;
    if (!boundary)
      continue;
    while (i < tag.size() && IsAsciiSpace(tag[i]))
      ++i;
    if (i >= tag.size() || tag[i] != '=')
      continue;
    ++i;
    while (i < tag.size() && IsAsciiSpace(tag[i]))
      ++i;
    if (i >= tag.size())
      return {};
    if (tag[i] == '"' || tag[i] == '\'') {
      const char q = tag[i];
      const size_t end = tag.find(q, i + 1);
      return DecodeEntities(
          tag.substr(i + 1, end == std::string_view::npos ? std::string_view::npos : end - i - 1));
    }
    size_t end = i;
    while (end < tag.size() && !IsAsciiSpace(tag[end]) && tag[end] != '>')
      ++end;
    return DecodeEntities(tag.substr(i, end - i));
  }
  return {};
}

bool LooksLikeUrl(std::string_view s) {
  s = TrimAsciiSpace(s);
  return s.starts_with("http://") || s.starts_with("https://") || s.starts_with("www.");
}

}  // namespace

namespace io_internal {

std::string DecodeEntities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    const size_t semi = s.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 12) {
      out.push_back('&');
      continue;
    }
    AppendEntity(s.substr(i + 1, semi - i - 1), out);
    i = semi;
  }
  return out;
}

}  // namespace io_internal

std::string RepairLatin1Mojibake(std::string_view s) {
  std::string bytes;
  bytes.reserve(s.size());
  bool high = false;
  for (size_t i = 0; i < s.size();) {
    const char32_t cp = DecodeUtf8(s, i);
    if (cp > 0xFF)
      return std::string(s);
    if (cp >= 0x80)
      high = true;
    bytes.push_back(static_cast<char>(static_cast<unsigned char>(cp)));
  }
  if (!high)
    return std::string(s);
  bool changed = false;
  SanitizeUtf8(bytes, &changed);
  return changed ? std::string(s) : bytes;
}

std::string HtmlToText(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  // Inside <a>: collected text and href, flushed at </a>.
  bool in_anchor = false;
  std::string anchor_text;
  std::string anchor_href;
  std::string anchor_class;
  auto sink = [&]() -> std::string& { return in_anchor ? anchor_text : out; };
  auto paragraph_break = [&] {
    std::string& o = sink();
    while (!o.empty() && (o.back() == ' ' || o.back() == '\t'))
      o.pop_back();
    if (o.empty())
      return;
    if (o.ends_with("\n\n"))
      return;
    o += o.ends_with("\n") ? "\n" : "\n\n";
  };
  for (size_t i = 0; i < html.size();) {
    const char c = html[i];
    if (c == '<') {
      const size_t close = html.find('>', i);
      if (close == std::string_view::npos) {
        sink().append(DecodeEntities(html.substr(i)));
        break;
      }
      const std::string_view inside = html.substr(i + 1, close - i - 1);
      i = close + 1;
      size_t n = 0;
      const bool closing = !inside.empty() && inside[0] == '/';
      if (closing)
        n = 1;
      size_t name_end = n;
      while (name_end < inside.size() && !IsAsciiSpace(inside[name_end]) &&
             inside[name_end] != '/' && inside[name_end] != '>')
        ++name_end;
      const std::string name = ToLowerAscii(inside.substr(n, name_end - n));
      if (name == "br") {
        sink().push_back('\n');
      } else if (name == "p" || name == "div" || name == "blockquote" || name == "ul" ||
                 name == "ol" || name == "pre" ||
                 (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')) {
        paragraph_break();
      } else if (name == "li" && !closing) {
        std::string& o = sink();
        if (!o.empty() && o.back() != '\n')
          o.push_back('\n');
        o += "- ";
      } else if (name == "a" && !closing && !in_anchor) {
        in_anchor = true;
        anchor_text.clear();
        anchor_href = TagAttribute(inside, "href");
        anchor_class = TagAttribute(inside, "class");
      } else if (name == "a" && closing && in_anchor) {
        in_anchor = false;
        const std::string shown(TrimAsciiSpace(anchor_text));
        const bool mention_or_tag = anchor_class.find("mention") != std::string::npos ||
                                    anchor_class.find("hashtag") != std::string::npos ||
                                    shown.starts_with("@") || shown.starts_with("#");
        if (anchor_href.empty() || mention_or_tag || shown == anchor_href) {
          out += anchor_text;
        } else if (LooksLikeUrl(shown) || shown.empty()) {
          out += anchor_href;  // Mastodon hides part of long URLs in invisible spans
        } else {
          out += anchor_text + " (" + anchor_href + ")";
        }
      }
      continue;
    }
    if (c == '\n' || c == '\r' || c == '\t') {
      sink().push_back(' ');  // raw newlines in HTML are spaces
      ++i;
      continue;
    }
    if (c == '&') {
      const size_t semi = html.find(';', i + 1);
      if (semi != std::string_view::npos && semi - i <= 12) {
        AppendEntity(html.substr(i + 1, semi - i - 1), sink());
        i = semi + 1;
        continue;
      }
    }
    sink().push_back(c);
    ++i;
  }
  if (in_anchor)
    out += anchor_text;
  // Trim the whole text and spaces at the ends of lines.
  std::string trimmed;
  size_t start = 0;
  while (start <= out.size()) {
    const size_t nl = out.find('\n', start);
    std::string_view line = std::string_view(out).substr(
        start, nl == std::string::npos ? std::string::npos : nl - start);
    while (!line.empty() && line.back() == ' ')
      line.remove_suffix(1);
    trimmed.append(line);
    if (nl == std::string::npos)
      break;
    trimmed.push_back('\n');
    start = nl + 1;
  }
  return std::string(TrimAsciiSpace(trimmed));
}

}  // namespace postlint
