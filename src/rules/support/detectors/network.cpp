// Recognizers for internal network details: IP addresses (internal ranges always, public ones
// when the rule asks) and host names under the policy's internal domains.
#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <string>

#include "core/utf8.h"
#include "rules/support/detectors/context_words.h"
#include "rules/support/detectors/recognizers.h"

namespace postlint::detectors {
namespace {

// Parses an IPv6 candidate; false when it is not one.
bool ParseIpv6(const std::string& s, in6_addr* addr) {
  return inet_pton(AF_INET6, s.c_str(), addr) == 1;
}

}  // namespace

bool RecognizeIpAddress(const Detector& d, const Candidate& c, const Scan& s,
                        std::vector<Hit>& hits) {
  const std::string& t = s.text;
  const std::string_view v = c.groups[1];
  const uint32_t vb = v.data() ? OffsetIn(s, v) : c.begin;
  const uint32_t ve = vb + static_cast<uint32_t>(v.size());
  const bool v6 = v.find(':') != std::string_view::npos;
  const char before = vb > 0 ? t[vb - 1] : 0;
  const char after = ve < t.size() ? t[ve] : 0;
  const char after2 = ve + 1 < t.size() ? t[ve + 1] : 0;
  std::string detail;
  bool placeholder = false;
  if (!v6) {
    // Versions look like addresses: "v1.2.3.4", "10.0.0.1" after "version", "1.2.3.4.5".
    if (before == '.' || before == 'v' || before == 'V' || before == '-' ||
        (after == '.' && IsDigit(after2)) || WordBefore(s.lower, vb, 20, kVersionWords))
      return false;
    unsigned a, b, cc, dd;
    if (std::sscanf(std::string(v).c_str(), "%u.%u.%u.%u", &a, &b, &cc, &dd) != 4)
      return false;
    if (a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168))
      detail = "internal: private range";
    else if (a == 127)
      detail = "internal: loopback";
    else if (a == 169 && b == 254)
      detail = "internal: link-local";
    else if (a == 100 && b >= 64 && b <= 127)
      detail = "internal: carrier-grade NAT";
    else if (IsPlaceholder(d, v))
      placeholder = true, detail = "documentation range";
    else if (a == 0 || a >= 224)
      return false;  // unspecified, multicast, reserved
    else if (!s.settings.public_ips)
      return false;
    else
      detail = "public";
    const size_t dot = v.find('.');
    hits.push_back(
        {vb, ve, IndexOf(d), d.mask({.value = v, .keep = dot}), detail, placeholder, ""});
    return true;
  }
  std::string addr_text(v);
  // A trailing ':' is punctuation ("on fe80::1: ..."), unless it is part of "::".
  while (!addr_text.empty() && addr_text.back() == ':' &&
         !(addr_text.size() >= 2 && addr_text[addr_text.size() - 2] == ':'))
    addr_text.pop_back();
  in6_addr addr{};
  if (!ParseIpv6(addr_text, &addr))
    return false;
  const size_t colons = std::count(addr_text.begin(), addr_text.end(), ':');
  if (addr_text.find("::") == std::string::npos && colons != 7)
    return false;
  const uint8_t* x = addr.s6_addr;
  const bool all_zero = std::all_of(x, x + 16, [](uint8_t q) { return q == 0; });
  const bool loopback = std::all_of(x, x + 15, [](uint8_t q) { return q == 0; }) && x[15] == 1;
  if (all_zero)
    return false;
  if (loopback)
    detail = "internal: loopback";
  else if ((x[0] & 0xFE) == 0xFC)
    detail = "internal: unique local";
  else if (x[0] == 0xFE && (x[1] & 0xC0) == 0x80)
    detail = "internal: link-local";
  else if (IsPlaceholder(d, addr_text))
    placeholder = true, detail = "documentation range";
  else if (!s.settings.public_ips)
    return false;
  else
    detail = "public";
  hits.push_back({vb, vb + static_cast<uint32_t>(addr_text.size()), IndexOf(d),
                  d.mask({.value = addr_text, .keep = 4}), detail, placeholder, ""});
  return true;
}

bool IsDocumentationAddress(std::string_view ip) {
  const std::string text(ip);
  if (text.find(':') == std::string::npos) {
    unsigned a, b, c, d;
    if (std::sscanf(text.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
      return false;
    return (a == 192 && b == 0 && c == 2) || (a == 198 && b == 51 && c == 100) ||
           (a == 203 && b == 0 && c == 113);
  }
  in6_addr addr{};
  if (!ParseIpv6(text, &addr))
    return false;
  const uint8_t* x = addr.s6_addr;
  return x[0] == 0x20 && x[1] == 0x01 && x[2] == 0x0D && x[3] == 0xB8;
}

bool MentionsInternalDomain(const Detector&, const Scan& s) {
  const auto& domains = s.settings.internal_domains;
  return std::any_of(domains.begin(), domains.end(), [&](const InternalDomain& dom) {
    return s.lower.find(dom.suffix) != std::string::npos;
  });
}

bool RecognizeInternalHost(const Detector& d, const Candidate& c, const Scan& s,
                           std::vector<Hit>& hits) {
  const std::string& t = s.text;
  const std::string_view host = c.groups[1];
  const uint32_t hb = host.data() ? OffsetIn(s, host) : c.begin;
  const std::string h = ToLowerAscii(host);
  for (const auto& dom : s.settings.internal_domains) {
    const bool exact = h == dom.suffix;
    const bool under = h.size() > dom.suffix.size() && h.ends_with(dom.suffix) &&
                       h[h.size() - dom.suffix.size() - 1] == '.';
    if (!(under || (exact && !dom.subdomains_only)))
      continue;
    // Extend to the rest of a URL: its path is internal too.
    uint32_t end = hb + static_cast<uint32_t>(host.size());
    while (end < t.size() && !std::isspace(static_cast<unsigned char>(t[end])) && t[end] != '"' &&
           t[end] != '\'' && t[end] != ')' && t[end] != '>' && t[end] != ']')
      ++end;
    while (end > hb + host.size() && std::strchr(".,;:!?", t[end - 1]))
      --end;
    uint32_t begin = hb;
    // Include a scheme written right before the host.
    for (const char* scheme : {"https://", "http://", "ssh://", "ftp://"}) {
      const size_t n = std::strlen(scheme);
      if (hb >= n && ToLowerAscii(std::string_view(t).substr(hb - n, n)) == scheme)
        begin = static_cast<uint32_t>(hb - n);
    }
    const size_t own = host.size() - dom.suffix.size();
    const MaskParts parts{.value = host.substr(0, own),
                          .before = std::string_view(t).substr(begin, hb - begin),
                          .after = host.substr(own),
                          .more = end > hb + host.size()};
    hits.push_back({begin, end, IndexOf(d), d.mask(parts), "internal domain " + dom.suffix,
                    IsPlaceholder(d, h), h});
    return true;
  }
  return false;
}

}  // namespace postlint::detectors
