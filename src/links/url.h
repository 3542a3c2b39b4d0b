// URL parsing for the links rule: RFC 3986 parsing with uriparser (not a regex), the normalised
// form used as the fetch URL and the cache key, and the IPv4 spellings (decimal, hex, octal,
// fewer than four parts) that resolvers accept and naive filters miss.
//
//   std::string error;
//   auto url = links::ParseUrl("HTTPS://Acme.com:443/launch?utm_source=x#top", &error);
//   url->Normalized()  // "https://acme.com/launch?utm_source=x"
//   url->Display()     // "acme.com/launch?utm_source=x"
//
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"

namespace postlint::links {

struct QueryParam {
  std::string name;   // percent-decoded
  std::string value;  // percent-decoded, '+' kept as written
};

struct Url {
  std::string written_scheme;  // lower-case scheme as written; "" when the URL had none
  std::string scheme;          // effective scheme: written_scheme, or "http" when none
  std::string userinfo;        // as written ("" when none)
  std::string host;            // as written, lower-cased, percent-decoded (UTF-8), no brackets
  std::string ascii_host;      // IDNA (UTS #46) ASCII form of host; IP literals as written
  bool ipv6_literal = false;   // host was written in brackets
  bool idn = false;            // host has non-ASCII labels or xn-- labels
  int port = -1;               // -1 when not written
  std::string path;            // as written (percent-encoded)
  bool has_query = false;
  std::string query;  // without '?'
  std::vector<QueryParam> params;

  // scheme://ascii_host[:port]/path[?query]: no userinfo, no fragment, default port dropped.
  std::string Normalized() const;
  // host[:port]/path[?query] for messages, shortened to about `max` bytes.
  std::string Display(size_t max = 80) const;
  int EffectivePort() const;
  bool HasParam(std::string_view name) const;
};

// Parses a URL as written in a post (with or without a scheme). The host is held to what
// every resolver reads the same way: percent-encoded ASCII in it (a NUL, "%2500", "%6c"),
// control characters, an invalid IDN or characters no host name has make the URL invalid. Non-ASCII
// characters are percent-encoded before parsing so IDN hosts and Unicode paths parse; the host is
// decoded back to UTF-8 and converted to ASCII with IDNA. Returns nullopt with `error` set when the
// text is not a valid URL.
std::optional<Url> ParseUrl(std::string_view text, std::string* error);

// The host libcurl will resolve and connect to for `url` (a Normalized() URL), lower-cased and
// without IPv6 brackets, as libcurl's own URL parser reads it (IPv4 literals in libcurl's
// canonical spelling: "0x7f.1" is "127.0.0.1"); nullopt when libcurl refuses the URL.
std::optional<std::string> HostCurlConnectsTo(std::string_view url);

// True when libcurl reads the host of `url` as the host postlint judged: the same name, or the
// same address for an IP literal in any spelling. The checker fetches nothing else: two parsers
// that disagree on a host are how allow lists are bypassed.
bool CurlReadsSameHost(const Url& url);

// Shortens the display of a normalised URL (scheme dropped), for messages.
std::string DisplayOf(std::string_view normalized, size_t max = 80);

// The text of `written` (a URL as written) with the query parameters named in `names` removed
// (case-insensitive names). Returns `written` unchanged when none is present.
std::string RemoveParams(std::string_view written, const std::vector<std::string>& names);

}  // namespace postlint::links
