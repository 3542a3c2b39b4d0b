#include "links/url.h"

#include <cctype>
#include <memory>
#include <uriparser/Uri.h>

#include <curl/curl.h>

#include "core/utf8.h"
#include "links/address.h"
#include "links/domains.h"

namespace postlint::links {
namespace {

std::string Range(const UriTextRangeA& r) {
  if (!r.first || !r.afterLast)
    return "";
  return std::string(r.first, static_cast<size_t>(r.afterLast - r.first));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Percent-encodes what RFC 3986 does not allow but posts contain (non-ASCII, a few ASCII
// characters browsers accept).
std::string EncodeForParsing(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() + 16);
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || c <= 0x20 || c == 0x7f || ch == '"' || ch == '<' || ch == '>' || ch == '\\' ||
        ch == '^' || ch == '`' || ch == '{' || ch == '|' || ch == '}') {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

// The host as written may percent-encode UTF-8 (an IDN, which IDNA then checks), never ASCII:
// "localhost%00.acme.com" or "%6c%6f..." would let a host that passes the allow list (or looks
// public) reach the resolver as another name. Control characters and spaces arrive here
// percent-encoded by EncodeForParsing, so they are refused by the same test. Returns why, or "".
std::string SmuggledHostByte(std::string_view written) {
  for (size_t i = 0; i < written.size(); ++i) {
    if (written[i] != '%')
      continue;
    if (i + 2 >= written.size() || HexValue(written[i + 1]) < 0 || HexValue(written[i + 2]) < 0)
      return "the host has a '%' that encodes nothing";
    const int byte = HexValue(written[i + 1]) * 16 + HexValue(written[i + 2]);
    if (byte < 0x80) {
      const bool control = byte < 0x20 || byte == 0x7f;
      return std::string("the host ") +
             (control ? "contains a control character" : "spells a character in percent-encoding") +
             " (%" + std::string(written.substr(i + 1, 2)) + "); not a host name";
    }
    i += 2;
  }
  return "";
}

// After IDNA a host name is letters, digits, '-', '_' and dots between non-empty labels: what
// every resolver reads the same way. Returns why not, or "".
std::string NotAHostName(std::string_view ascii_host) {
  if (ascii_host.size() > 253)
    return "the host name is longer than 253 characters";
  size_t label = 0;
  for (const char c : ascii_host) {
    if (c == '.') {
      if (label == 0)
        return "the host name has an empty label";
      label = 0;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      return std::string("the host name contains '") +
             (std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c) : "?") +
             "', which no host name has";
    if (++label > 63)
      return "a label of the host name is longer than 63 characters";
  }
  return "";
}

bool IsDefaultPort(const std::string& scheme, int port) {
  return (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
}

std::string Shorten(std::string s, size_t max) {
  if (s.size() <= max)
    return s;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xc0) == 0x80)
    --cut;
  s.resize(cut);
  return s + "…";
}

}  // namespace

int Url::EffectivePort() const {
  if (port >= 0)
    return port;
  return scheme == "https" ? 443 : 80;
}

bool Url::HasParam(std::string_view name) const {
  for (const auto& p : params) {
    if (ToLowerAscii(p.name) == name)
      return true;
  }
  return false;
}

std::string Url::Normalized() const {
  std::string out = scheme + "://";
  out += ipv6_literal ? "[" + ascii_host + "]" : ascii_host;
  if (port >= 0 && !IsDefaultPort(scheme, port))
    out += ":" + std::to_string(port);
  out += path.empty() ? "/" : path;
  if (has_query)
    out += "?" + query;
  return out;
}

std::string Url::Display(size_t max) const {
  return DisplayOf(Normalized(), max);
}

std::string DisplayOf(std::string_view normalized, size_t max) {
  std::string s(normalized);
  if (const size_t p = s.find("://"); p != std::string::npos)
    s.erase(0, p + 3);
  const size_t slash = s.find('/');
  if (slash != std::string::npos && slash + 1 == s.size())
    s.pop_back();  // "acme.com/" reads better as "acme.com"
  return Shorten(std::move(s), max);
}

std::optional<Url> ParseUrl(std::string_view text, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<Url> {
    if (error)
      *error = std::move(why);
    return std::nullopt;
  };
  Url url;
  std::string encoded = EncodeForParsing(text);
  // Scheme: letters, digits, '+', '-', '.' before "://" (or ':' for opaque URIs).
  size_t colon = std::string::npos;
  for (size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == ':') {
      colon = i;
      break;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
      break;
  }
  const bool has_authority_marker =
      colon != std::string::npos && encoded.compare(colon, 3, "://") == 0;
  if (colon != std::string::npos && colon > 0 &&
      (has_authority_marker || std::isalpha(static_cast<unsigned char>(encoded[0])))) {
    // "host:port/x" without a scheme looks like an opaque URI; only treat the prefix as a
    // scheme when it is followed by "//" or is not a number (a port).
    const std::string after = encoded.substr(colon + 1);
    const bool looks_like_port = !has_authority_marker && !after.empty() &&
                                 std::isdigit(static_cast<unsigned char>(after[0]));
    if (!looks_like_port)
      url.written_scheme = ToLowerAscii(encoded.substr(0, colon));
  }
  if (url.written_scheme.empty())
    encoded = "http://" + encoded;
  url.scheme = url.written_scheme.empty() ? "http" : url.written_scheme;
  if (!url.written_scheme.empty() && !has_authority_marker)
    return fail("'" + url.written_scheme + ":' URLs have no host");

  UriUriA uri;
  const char* error_pos = nullptr;
  if (uriParseSingleUriA(&uri, encoded.c_str(), &error_pos) != URI_SUCCESS) {
    const size_t at = error_pos ? static_cast<size_t>(error_pos - encoded.c_str()) : 0;
    const size_t skip = url.written_scheme.empty() ? 7 : 0;
    return fail("unexpected character at position " +
                std::to_string(at >= skip ? at - skip + 1 : 1));
  }
  url.userinfo = Range(uri.userInfo);
  url.ipv6_literal = uri.hostData.ip6 != nullptr;
  const bool ip_future = uri.hostData.ipFuture.first != nullptr;
  const std::string written_host = Range(uri.hostText);
  const std::string port_text = Range(uri.portText);
  uriFreeUriMembersA(&uri);
  if (ip_future)
    return fail("IP literals of a future version ('[v...]') are not fetched");
  if (std::string why = SmuggledHostByte(written_host); !why.empty())
    return fail(why);
  std::string host = ToLowerAscii(PercentDecode(written_host));
  while (!host.empty() && host.back() == '.')
    host.pop_back();
  if (host.empty())
    return fail("the URL has no host");
  url.host = host;
  if (!port_text.empty()) {
    if (port_text.size() > 5 || std::stoi(port_text) > 65535)
      return fail("port " + port_text + " is out of range");
    url.port = std::stoi(port_text);
  }
  if (url.ipv6_literal) {
    const std::optional<IpAddress> ip = ParseIp(host);
    if (!ip || !ip->v6)
      return fail("'[" + host + "]' is not an IPv6 address");
    url.ascii_host = host;
  } else if (ParseIpLoose(host)) {
    url.ascii_host = host;
  } else {
    std::string idn_error;
    auto ascii = ToAscii(host, &idn_error);
    if (!ascii)
      return fail(idn_error);
    url.ascii_host = ToLowerAscii(*ascii);
    if (std::string why = NotAHostName(url.ascii_host); !why.empty())
      return fail(why);
    url.idn = url.ascii_host != host || url.ascii_host.find("xn--") == 0 ||
              url.ascii_host.find(".xn--") != std::string::npos;
  }
  // Path, query and fragment, split by hand from the (valid) encoded text.
  const size_t authority = encoded.find("://") + 3;
  const size_t rest = encoded.find_first_of("/?#", authority);
  if (rest != std::string::npos) {
    std::string tail = encoded.substr(rest);
    if (const size_t hash = tail.find('#'); hash != std::string::npos)
      tail.resize(hash);
    const size_t q = tail.find('?');
    url.path = tail.substr(0, q);
    if (q != std::string::npos) {
      url.has_query = true;
      url.query = tail.substr(q + 1);
    }
  }
  if (url.has_query) {
    size_t i = 0;
    while (i <= url.query.size()) {
      size_t amp = url.query.find('&', i);
      if (amp == std::string::npos)
        amp = url.query.size();
      const std::string_view part(url.query.data() + i, amp - i);
      if (!part.empty()) {
        const size_t eq = part.find('=');
        url.params.push_back(
            {PercentDecode(part.substr(0, eq)),
             eq == std::string_view::npos ? "" : PercentDecode(part.substr(eq + 1))});
      }
      i = amp + 1;
    }
  }
  return url;
}

std::optional<std::string> HostCurlConnectsTo(std::string_view url) {
  const std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), curl_url_cleanup);
  if (!handle || url.find('\0') != std::string_view::npos)
    return std::nullopt;
  const std::string text(url);
  if (curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK)
    return std::nullopt;
  char* host = nullptr;
  if (curl_url_get(handle.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK || !host)
    return std::nullopt;
  std::string out(host);
  curl_free(host);
  if (out.size() >= 2 && out.front() == '[' && out.back() == ']')
    out = out.substr(1, out.size() - 2);
  return ToLowerAscii(out);
}

bool CurlReadsSameHost(const Url& url) {
  const std::optional<std::string> curl_host = HostCurlConnectsTo(url.Normalized());
  if (!curl_host)
    return false;
  if (*curl_host == url.ascii_host)
    return true;
  const std::optional<IpAddress> ours = ParseIpLoose(url.ascii_host);
  const std::optional<IpAddress> theirs = ParseIpLoose(*curl_host);
  return ours && theirs && *ours == *theirs;
}

std::string RemoveParams(std::string_view written, const std::vector<std::string>& names) {
  const size_t q = written.find('?');
  if (q == std::string_view::npos)
    return std::string(written);
  const size_t hash = written.find('#', q);
  const std::string_view query =
      written.substr(q + 1, (hash == std::string_view::npos ? written.size() : hash) - q - 1);
  std::string kept;
  bool removed = false;
  size_t i = 0;
  while (i <= query.size()) {
    size_t amp = query.find('&', i);
    if (amp == std::string_view::npos)
      amp = query.size();
    const std::string_view part = query.substr(i, amp - i);
    const std::string name = ToLowerAscii(PercentDecode(part.substr(0, part.find('='))));
    bool drop = false;
    for (const auto& n : names)
      drop = drop || ToLowerAscii(n) == name;
    if (drop) {
      removed = true;
    } else if (!part.empty()) {
      kept += (kept.empty() ? "" : "&") + std::string(part);
    }
    i = amp + 1;
  }
  if (!removed)
    return std::string(written);
  std::string out(written.substr(0, q));
  if (!kept.empty())
    out += "?" + kept;
  if (hash != std::string_view::npos)
    out += written.substr(hash);
  return out;
}

}  // namespace postlint::links
