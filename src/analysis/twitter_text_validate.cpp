// twitter-text validation (validate.yml: usernames, lists, hashtags, URLs). isValidUrl matches
// twitter-text's RFC 3986 based expressions against the whole text.
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/twitter_text.h"
#include "analysis/twitter_text_internal.h"

namespace postlint::twitter {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

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
