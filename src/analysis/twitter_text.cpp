// twitter-text 3.x entity extraction and weighted length, reimplemented as hand-written scanners.
// The approach, the decoded text and the character classes: twitter_text_internal.h.
#include "analysis/twitter_text.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/twitter_text_internal.h"

namespace postlint::twitter {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// validHashtag with the global flag, then endHashtagMatch on what follows.
std::vector<Entity> ExtractHashtagsNoUrlCheck(const CodePoints& t) {
  std::vector<Entity> out;
  const size_t n = t.size();
  size_t pos = 0;  // lastIndex
  for (size_t h = t.NextOf(0, '#', 0xFF03); h < n; h = t.NextOf(h + 1, '#', 0xFF03)) {
    if (!IsHashSign(t.cp[h]) || h < pos)
      continue;
    // hashtagBoundary: ^, U+FE0E, U+FE0F, or a code point that is neither alphanumeric nor '&';
    // a consumed boundary must not reach back into the previous match.
    if (h > 0) {
      if (h - 1 < pos)
        continue;
      char32_t b = t.cp[h - 1];
      bool ok = b == 0xFE0E || b == 0xFE0F || (!IsHashtagAlnum(b) && b != '&');
      if (!ok)
        continue;
    }
    if (h + 1 < n && (t.cp[h + 1] == 0xFE0F || t.cp[h + 1] == 0x20E3))
      continue;
    size_t e = h + 1;
    bool letter = false;
    while (e < n && IsHashtagAlnum(t.cp[e])) {
      letter = letter || IsHashtagLetter(t.cp[e]);
      ++e;
    }
    if (!letter)
      continue;
    pos = e;
    if (e < n && (IsHashSign(t.cp[e]) || StartsWithAscii(t, e, "://")))
      continue;
    Entity ent;
    ent.type = EntityType::kHashtag;
    ent.range = t.Range(h, e);
    ent.value = t.View(h + 1, e);
    out.push_back(ent);
  }
  return out;
}

// removeOverlappingEntities: stable sort by start, then drop anything starting inside the
// previously kept entity.
void RemoveOverlapping(std::vector<Entity>* entities) {
  std::stable_sort(entities->begin(), entities->end(),
                   [](const Entity& a, const Entity& b) { return a.range.begin < b.range.begin; });
  size_t kept = 0;
  for (size_t i = 0; i < entities->size(); ++i) {
    if (kept > 0 && (*entities)[kept - 1].range.end > (*entities)[i].range.begin)
      continue;
    (*entities)[kept++] = (*entities)[i];
  }
  entities->resize(kept);
}

std::vector<Entity> ExtractHashtagsImpl(const CodePoints& t) {
  std::vector<Entity> tags = ExtractHashtagsNoUrlCheck(t);
  if (tags.empty())
    return tags;
  std::vector<Entity> urls = ExtractUrlsImpl(t, true);
  if (urls.empty())
    return tags;
  std::vector<Entity> all = tags;
  all.insert(all.end(), urls.begin(), urls.end());
  RemoveOverlapping(&all);
  tags.clear();
  for (const Entity& e : all) {
    if (e.type == EntityType::kHashtag)
      tags.push_back(e);
  }
  return tags;
}

// The "rt"/"RT:" preceding forms of validMentionPrecedingChars need a character before them
// that is not [a-zA-Z0-9_+~.-] (or the start of the text).
inline bool IsRtPrefixBoundary(char32_t c) {
  return !(IsAsciiAlnum(c) || c == '_' || c == '+' || c == '~' || c == '.' || c == '-');
}

// validMentionOrList with the global flag, then endMentionMatch on what follows.
std::vector<Entity> ExtractMentionsOrListsImpl(const CodePoints& t) {
  std::vector<Entity> out;
  const size_t n = t.size();
  size_t pos = 0;
  for (size_t a = t.NextOf(0, '@', 0xFF20); a < n; a = t.NextOf(a + 1, '@', 0xFF20)) {
    if (!IsAtSign(t.cp[a]) || a < pos)
      continue;
    bool ok = a == 0;  // ^
    if (!ok && a - 1 >= pos) {
      char32_t b = t.cp[a - 1];
      ok = !(IsAsciiAlnum(b) || b == '_' || b == '!' || b == '#' || b == '$' || b == '%' ||
             b == '&' || b == '*' || IsAtSign(b));
    }
    for (size_t colon = 0; !ok && colon <= 1; ++colon) {
      // (?:^|[^a-zA-Z0-9_+~.-])(?:rt|RT|rT|Rt):?
      size_t len = 2 + colon;
      if (a < len)
        break;
      size_t r = a - len;
      if (ToLowerAscii(t.cp[r]) != 'r' || ToLowerAscii(t.cp[r + 1]) != 't')
        continue;
      if (colon && t.cp[r + 2] != ':')
        continue;
      if (r == 0) {
        ok = pos == 0;
      } else {
        ok = r - 1 >= pos && IsRtPrefixBoundary(t.cp[r - 1]);
      }
    }
    if (!ok)
      continue;
    size_t s = a + 1, e = s;
    while (e < n && e - s < 20 && IsScreenNameChar(t.cp[e]))
      ++e;
    if (e == s)
      continue;
    size_t name_end = e;
    // (\/[a-zA-Z][a-zA-Z0-9_\-]{0,24})?
    if (e + 1 < n && t.cp[e] == '/' && IsAsciiAlpha(t.cp[e + 1])) {
      size_t j = e + 2;
      while (j < n && j - (e + 2) < 24 && (IsScreenNameChar(t.cp[j]) || t.cp[j] == '-'))
        ++j;
      e = j;
    }
    pos = e;
    if (EndsMentionBadly(t, e))
      continue;
    Entity ent;
    ent.type = EntityType::kMention;
    ent.range = t.Range(a, e);
    ent.value = t.View(s, name_end);
    ent.list_slug = t.View(name_end, e);
    out.push_back(ent);
  }
  return out;
}

// validCashtag: (^|spaces)(\$)([a-z]{1,6}(?:[._][a-z]{1,2})?)(?=$|\s|[punct]), global, i.
std::vector<Entity> ExtractCashtagsImpl(const CodePoints& t) {
  std::vector<Entity> out;
  const size_t n = t.size();
  if (t.text.find('$') == std::string_view::npos)
    return out;
  auto follow_ok = [&](size_t i) {
    return i >= n || IsJsWhitespace(t.cp[i]) || IsTwitterPunct(t.cp[i]);
  };
  size_t pos = 0;
  for (size_t d = 0; d < n; ++d) {
    if (t.cp[d] != '$' || d < pos)
      continue;
    if (d > 0 && (d - 1 < pos || !IsTwitterSpace(t.cp[d - 1])))
      continue;
    size_t s = d + 1, run = s;
    while (run < n && run - s < 6 && IsAsciiAlpha(t.cp[run]))
      ++run;
    size_t end = 0;
    // Backtracking order: longest symbol first; for each, the suffix (longest first) before
    // no suffix.
    for (size_t e = run; e > s && end == 0; --e) {
      if (e < n && (t.cp[e] == '.' || t.cp[e] == '_')) {
        size_t f = e + 1;
        while (f < n && f - (e + 1) < 2 && IsAsciiAlpha(t.cp[f]))
          ++f;
        for (size_t g = f; g > e + 1 && end == 0; --g) {
          if (follow_ok(g))
            end = g;
        }
      }
      if (end == 0 && follow_ok(e))
        end = e;
    }
    if (end == 0)
      continue;
    pos = end;
    Entity ent;
    ent.type = EntityType::kCashtag;
    ent.range = t.Range(d, end);
    ent.value = t.View(s, end);
    out.push_back(ent);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// isValidUrl helpers (RFC 3986 based regexes of twitter-text, matched in full)

bool IsUnreserved(char32_t c) {
  return IsAsciiAlnum(c) || IsCyrillic(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
bool IsSubDelim(char32_t c) {
  return c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' ||
         c == '+' || c == ',' || c == ';' || c == '=';
}
inline bool IsHexDigit(char32_t c) {
  return IsAsciiDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

// (pchar | extra)* over the whole of s[b, e), pchar = unreserved | pct-encoded | sub-delims |
// [:|@].
bool AllPchars(const std::vector<char32_t>& s, size_t b, size_t e, bool slash, bool question) {
  size_t i = b;
  while (i < e) {
    char32_t c = s[i];
    if (c == '%') {
      if (i + 2 >= e || !IsHexDigit(s[i + 1]) || !IsHexDigit(s[i + 2]))
        return false;
      i += 3;
      continue;
    }
    if (IsUnreserved(c) || IsSubDelim(c) || c == ':' || c == '|' || c == '@' ||
        (slash && c == '/') || (question && c == '?')) {
      ++i;
      continue;
    }
    return false;
  }
  return true;
}

bool IsDecOctet(const std::vector<char32_t>& s, size_t b, size_t e) {
  if (e <= b || e - b > 3)
    return false;
  int v = 0;
  for (size_t i = b; i < e; ++i) {
    if (!IsAsciiDigit(s[i]))
      return false;
    v = v * 10 + static_cast<int>(s[i] - '0');
  }
  if (e - b > 1 && s[b] == '0')
    return false;
  return v <= 255;
}

bool IsIpv4(const std::vector<char32_t>& s, size_t b, size_t e) {
  size_t part = b;
  int parts = 0;
  for (size_t i = b; i <= e; ++i) {
    if (i < e && s[i] != '.')
      continue;
    if (!IsDecOctet(s, part, i))
      return false;
    ++parts;
    part = i + 1;
  }
  return parts == 4;
}

bool IsIpv6(const std::vector<char32_t>& s, size_t b, size_t e) {
  if (e - b < 3 || s[b] != '[' || s[e - 1] != ']')
    return false;
  for (size_t i = b + 1; i + 1 < e; ++i) {
    char32_t c = s[i];
    if (!(IsHexDigit(c) || c == ':' || c == '.'))
      return false;
  }
  return true;
}

// validateUrlDomain / validateUrlUnicodeDomain: (subdomain\.)* domain\. tld
bool IsValidateDomain(const std::vector<char32_t>& s, size_t b, size_t e, bool unicode) {
  auto alnum = [unicode](char32_t c) { return IsAsciiAlnum(c) || (unicode && c >= 0x80); };
  std::vector<std::pair<size_t, size_t>> labels;
  size_t part = b;
  for (size_t i = b; i <= e; ++i) {
    if (i < e && s[i] != '.')
      continue;
    labels.emplace_back(part, i);
    part = i + 1;
  }
  if (labels.size() < 2)
    return false;
  for (size_t k = 0; k < labels.size(); ++k) {
    auto [lb, le] = labels[k];
    if (le == lb)
      return false;
    bool tld = k + 1 == labels.size();
    bool sub = k + 2 < labels.size();
    if (tld ? !(IsAsciiAlpha(s[lb]) || (unicode && s[lb] >= 0x80)) : !alnum(s[lb]))
      return false;
    if (!alnum(s[le - 1]))
      return false;
    for (size_t i = lb; i < le; ++i) {
      char32_t c = s[i];
      if (alnum(c) || c == '-' || (sub && c == '_'))
        continue;
      return false;
    }
  }
  return true;
}

bool IsValidAuthority(const std::vector<char32_t>& s, size_t b, size_t e, bool unicode) {
  size_t host_b = b;
  // (?:(userinfo)@)?: userinfo has no '@', so the split is at the last '@' if any.
  for (size_t i = e; i-- > b;) {
    if (s[i] == '@') {
      for (size_t k = b; k < i; ++k) {
        char32_t c = s[k];
        if (c == '%' && k + 2 < i && IsHexDigit(s[k + 1]) && IsHexDigit(s[k + 2])) {
          k += 2;
          continue;
        }
        if (!(IsUnreserved(c) || IsSubDelim(c) || c == ':'))
          return false;
      }
      host_b = i + 1;
      break;
    }
  }
  size_t host_e = e;
  // (?::(port{1,5}))?
  for (size_t i = e; i-- > host_b;) {
    if (IsAsciiDigit(s[i]))
      continue;
    if (s[i] == ':' && e - i - 1 >= 1 && e - i - 1 <= 5)
      host_e = i;
    break;
  }
  if (host_e == host_b)
    return false;
  return IsIpv4(s, host_b, host_e) || IsIpv6(s, host_b, host_e) ||
         IsValidateDomain(s, host_b, host_e, unicode);
}

}  // namespace

std::vector<Entity> ExtractHashtags(std::string_view text) {
  if (text.find('#') == std::string_view::npos &&
      text.find("\xEF\xBC\x83") == std::string_view::npos) {
    return {};
  }
  CodePoints t(text);
  return ExtractHashtagsImpl(t);
}

std::vector<Entity> ExtractMentionsOrLists(std::string_view text) {
  if (text.find('@') == std::string_view::npos &&
      text.find("\xEF\xBC\xA0") == std::string_view::npos) {
    return {};
  }
  CodePoints t(text);
  return ExtractMentionsOrListsImpl(t);
}

std::vector<Entity> ExtractMentions(std::string_view text) {
  std::vector<Entity> all = ExtractMentionsOrLists(text);
  std::vector<Entity> out;
  for (const Entity& e : all) {
    if (e.list_slug.empty())
      out.push_back(e);
  }
  return out;
}

std::vector<Entity> ExtractCashtags(std::string_view text) {
  if (text.find('$') == std::string_view::npos)
    return {};
  CodePoints t(text);
  return ExtractCashtagsImpl(t);
}

std::optional<Entity> ExtractReplyScreenName(std::string_view text) {
  CodePoints t(text);
  const size_t n = t.size();
  size_t i = 0;
  while (i < n && IsTwitterSpace(t.cp[i]))
    ++i;
  if (i >= n || !IsAtSign(t.cp[i]))
    return std::nullopt;
  size_t s = i + 1, e = s;
  while (e < n && e - s < 20 && IsScreenNameChar(t.cp[e]))
    ++e;
  if (e == s || EndsMentionBadly(t, e))
    return std::nullopt;
  Entity ent;
  ent.type = EntityType::kMention;
  ent.range = t.Range(i, e);
  ent.value = t.View(s, e);
  return ent;
}

std::vector<Entity> ExtractEntities(std::string_view text, bool urls_without_protocol) {
  CodePoints t(text);
  std::vector<Entity> all = ExtractUrlsImpl(t, urls_without_protocol);
  std::vector<Entity> part = ExtractMentionsOrListsImpl(t);
  all.insert(all.end(), part.begin(), part.end());
  part = ExtractHashtagsNoUrlCheck(t);
  all.insert(all.end(), part.begin(), part.end());
  part = ExtractCashtagsImpl(t);
  all.insert(all.end(), part.begin(), part.end());
  RemoveOverlapping(&all);
  return all;
}

bool IsValidUsername(std::string_view text) {
  if (text.empty())
    return false;
  std::vector<Entity> m = ExtractMentions(text);
  size_t i = 0;
  DecodeUtf8(text, i);
  return m.size() == 1 && m[0].value == text.substr(i);
}

bool IsValidList(std::string_view text) {
  CodePoints t(text);
  const size_t n = t.size();
  if (n < 4 || !IsAtSign(t.cp[0]))
    return false;
  size_t e = 1;
  while (e < n && e - 1 < 20 && IsScreenNameChar(t.cp[e]))
    ++e;
  if (e == 1 || e + 1 >= n || t.cp[e] != '/' || !IsAsciiAlpha(t.cp[e + 1]))
    return false;
  size_t j = e + 2;
  while (j < n && j - (e + 2) < 24 && (IsScreenNameChar(t.cp[j]) || t.cp[j] == '-'))
    ++j;
  return j == n;
}

bool IsValidHashtag(std::string_view text) {
  if (text.empty())
    return false;
  std::vector<Entity> tags = ExtractHashtags(text);
  size_t i = 0;
  DecodeUtf8(text, i);
  return tags.size() == 1 && tags[0].value == text.substr(i);
}

bool IsValidUrl(std::string_view text, bool unicode_domains, bool require_protocol) {
  if (text.empty())
    return false;
  CodePoints t(text);
  const std::vector<char32_t>& s = t.cp;
  const size_t n = s.size();
  // validateUrlUnencoded: ^(?:([^:/?#]+)://)?([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$
  size_t i = 0;
  size_t scheme_end = 0;
  bool has_scheme = false;
  while (i < n && s[i] != ':' && s[i] != '/' && s[i] != '?' && s[i] != '#')
    ++i;
  if (i > 0 && StartsWithAscii(t, i, "://")) {
    has_scheme = true;
    scheme_end = i;
    i += 3;
  } else {
    i = 0;
  }
  size_t auth_b = i;
  while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#')
    ++i;
  size_t auth_e = i;
  size_t path_b = i;
  while (i < n && s[i] != '?' && s[i] != '#')
    ++i;
  size_t path_e = i;
  size_t query_b = n, query_e = n;
  if (i < n && s[i] == '?') {
    query_b = i + 1;
    while (i < n && s[i] != '#')
      ++i;
    query_e = i;
  }
  size_t frag_b = n;
  if (i < n && s[i] == '#')
    frag_b = i + 1;
  for (size_t k = frag_b; k < n; ++k) {
    if (s[k] == '\n' || s[k] == '\r' || s[k] == 0x2028 || s[k] == 0x2029)
      return false;
  }

  if (require_protocol) {
    if (!has_scheme)
      return false;
    std::string_view scheme = t.View(0, scheme_end);
    bool http = scheme.size() == 4 && StartsWithAsciiNoCase(t, 0, "http");
    bool https = scheme.size() == 5 && StartsWithAsciiNoCase(t, 0, "https");
    if (!http && !https)
      return false;
  }
  // validateUrlPath: (\/pchar*)*
  if (path_e > path_b && s[path_b] != '/')
    return false;
  if (!AllPchars(s, path_b, path_e, true, false))
    return false;
  if (query_b < n && !AllPchars(s, query_b, query_e, true, true))
    return false;
  if (frag_b < n && !AllPchars(s, frag_b, n, true, true))
    return false;
  return IsValidAuthority(s, auth_b, auth_e, unicode_domains);
}

}  // namespace postlint::twitter
