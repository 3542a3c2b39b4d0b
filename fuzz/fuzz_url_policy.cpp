// Fuzzes the URL parser against the address policy (issue 15). The links checker judges the host
// ParseUrl returns and hands libcurl the Normalized() URL; an allow-list bypass is any input
// where the two read different hosts, or where the host carries bytes a resolver would cut or
// reinterpret (a NUL, '%', '@', '/'). The oracle, with a resolver stub instead of DNS:
//   - a parsed host is a host name (letters, digits, '-', '_', dots) or an IP literal;
//   - whenever libcurl accepts the URL, it reads exactly that host;
//   - so the address libcurl would connect to (the stub's answer for its host, or the literal)
//     is the address the policy judged: an allowed host never resolves to a refused range it
//     was not allowed to, and a refused literal is refused in every spelling.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/utf8.h"
#include "links/address.h"
#include "links/domains.h"
#include "links/url.h"

namespace {

using namespace postlint;

// The resolver stub: the one allowed host maps to a public address, names that say "localhost"
// or "internal" to loopback, every other name to a public address.
constexpr const char* kAllowedHost = "ok.postlint-test.com";

links::IpAddress Resolve(const std::string& host) {
  if (auto literal = links::ParseIpLoose(host))
    return *literal;
  if (links::DomainMatches(host, kAllowedHost))
    return *links::ParseIp("93.184.216.34");
  if (host.find("localhost") != std::string::npos || host.find("internal") != std::string::npos)
    return *links::ParseIp("127.0.0.1");
  return *links::ParseIp("93.184.216.35");
}

bool HostByteOk(char c, bool ipv6) {
  const auto b = static_cast<unsigned char>(c);
  return std::isalnum(b) || c == '-' || c == '_' || c == '.' || (ipv6 && c == ':');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const std::optional<links::Url> url = links::ParseUrl(text, &error);
  if (!url)
    return 0;
  if (url->ascii_host.empty())
    __builtin_trap();
  for (const char c : url->ascii_host) {
    if (!HostByteOk(c, url->ipv6_literal))
      __builtin_trap();
  }
  if (url->scheme != "http" && url->scheme != "https")
    return 0;
  const std::optional<std::string> curl_host = links::HostCurlConnectsTo(url->Normalized());
  if (!curl_host)
    return 0;  // the checker refuses what libcurl cannot parse
  if (!links::CurlReadsSameHost(*url))
    __builtin_trap();  // two parsers, two hosts: the checker refuses it, but the parser is wrong
  // What the socket would reach is what the policy judged.
  const links::IpAddress judged = Resolve(url->ascii_host);
  const links::IpAddress reached = Resolve(*curl_host);
  if (!(judged == reached))
    __builtin_trap();
  const links::AddressPolicy policy;
  const bool allowed_host = links::DomainMatches(url->ascii_host, kAllowedHost);
  if (allowed_host && !policy.Allows(reached, nullptr))
    __builtin_trap();
  return 0;
}
