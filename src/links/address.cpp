#include "links/address.h"

#include <arpa/inet.h>
#include <cctype>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>

namespace postlint::links {

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return v6 ? "[" + std::string(buf) + "]" : std::string(buf);
}

std::optional<IpAddress> ParseIp(std::string_view text) {
  const std::string s(text);
  IpAddress a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1)
    return a;
  a.v6 = true;
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1)
    return a;
  return std::nullopt;
}

std::optional<IpAddress> ParseIpLoose(std::string_view text) {
  if (auto a = ParseIp(text))
    return a;
  if (text.empty() || text.size() > 64)
    return std::nullopt;
  for (const char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != '.' && c != 'x' && c != 'X')
      return std::nullopt;
  }
  // inet_aton accepts 1 to 4 parts, each decimal, octal (leading 0) or hex (0x).
  in_addr addr{};
  if (inet_aton(std::string(text).c_str(), &addr) == 0)
    return std::nullopt;
  IpAddress a;
  std::memcpy(a.bytes.data(), &addr.s_addr, 4);
  return a;
}

std::optional<IpAddress> FromSockaddr(const struct sockaddr* addr) {
  if (!addr)
    return std::nullopt;
  IpAddress a;
  if (addr->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(static_cast<const void*>(addr));
    std::memcpy(a.bytes.data(), &in->sin_addr, 4);
    return a;
  }
  if (addr->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(static_cast<const void*>(addr));
    a.v6 = true;
    std::memcpy(a.bytes.data(), &in6->sin6_addr, 16);
    return a;
  }
  return std::nullopt;
}

bool IpRange::Contains(const IpAddress& a) const {
  if (a.v6 != base.v6)
    return false;
  int bits = prefix;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((a.bytes[i] & mask) != (base.bytes[i] & mask))
      return false;
  }
  return true;
}

std::optional<IpRange> ParseRange(std::string_view text) {
  const size_t slash = text.find('/');
  auto ip = ParseIp(text.substr(0, slash));
  if (!ip)
    return std::nullopt;
  const int max = ip->v6 ? 128 : 32;
  int prefix = max;
  if (slash != std::string_view::npos) {
    const std::string p(text.substr(slash + 1));
    if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    prefix = std::stoi(p);
    if (prefix > max)
      return std::nullopt;
  }
  return IpRange{*ip, prefix};
}

namespace {

struct Special {
  const char* range;
  const char* why;
};

// IANA IPv4/IPv6 special-purpose registries (RFC 6890 and updates). Order matters: the first
// match names the reason.
const Special kSpecial4[] = {
    {"169.254.169.254/32", "cloud metadata"},
    {"0.0.0.0/8", "unspecified (\"this network\")"},
    {"10.0.0.0/8", "private"},
    {"100.64.0.0/10", "shared address space (carrier-grade NAT)"},
    {"127.0.0.0/8", "loopback"},
    {"169.254.0.0/16", "link-local"},
    {"172.16.0.0/12", "private"},
    {"192.0.0.0/24", "IETF protocol assignments"},
    {"192.0.2.0/24", "documentation"},
    {"192.88.99.0/24", "reserved (6to4 relay anycast)"},
    {"192.168.0.0/16", "private"},
    {"198.18.0.0/15", "benchmarking"},
    {"198.51.100.0/24", "documentation"},
    {"203.0.113.0/24", "documentation"},
    {"224.0.0.0/4", "multicast"},
    {"240.0.0.0/4", "reserved"},
};

const Special kSpecial6[] = {
    {"::/128", "unspecified"},          {"::1/128", "loopback"},
    {"100::/64", "discard-only"},       {"2001::/23", "IETF protocol assignments"},
    {"2001:db8::/32", "documentation"}, {"fc00::/7", "unique-local"},
    {"fe80::/10", "link-local"},        {"fec0::/10", "site-local (deprecated)"},
    {"ff00::/8", "multicast"},          {"::/96", "IPv4-compatible (deprecated)"},
};

const std::vector<std::pair<IpRange, const char*>>& Table(bool v6) {
  static const auto build = [](const auto& specials) {
    std::vector<std::pair<IpRange, const char*>> out;
    for (const auto& s : specials)
      out.emplace_back(*ParseRange(s.range), s.why);
    return out;
  };
  static const auto t4 = build(kSpecial4);
  static const auto t6 = build(kSpecial6);
  return v6 ? t6 : t4;
}

// The IPv4 address embedded in IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96,
// 64:ff9b:1::/48) and 6to4 (2002::/16) addresses.
std::optional<IpAddress> EmbeddedV4(const IpAddress& a) {
  if (!a.v6)
    return std::nullopt;
  const auto& b = a.bytes;
  IpAddress v4;
  auto take = [&](size_t at) {
    std::memcpy(v4.bytes.data(), b.data() + at, 4);
    return v4;
  };
  static const IpRange mapped = *ParseRange("::ffff:0:0/96");
  static const IpRange nat64 = *ParseRange("64:ff9b::/96");
  static const IpRange nat64local = *ParseRange("64:ff9b:1::/48");
  static const IpRange six_to_four = *ParseRange("2002::/16");
  if (mapped.Contains(a) || nat64.Contains(a) || nat64local.Contains(a))
    return take(12);
  if (six_to_four.Contains(a))
    return take(2);
  return std::nullopt;
}

}  // namespace

std::string SpecialPurpose(const IpAddress& a) {
  if (auto v4 = EmbeddedV4(a)) {
    const std::string inner = SpecialPurpose(*v4);
    return inner.empty() ? "" : "IPv4-mapped " + inner;
  }
  for (const auto& [range, why] : Table(a.v6)) {
    if (range.Contains(a))
      return why;
  }
  if (a.v6 && (a.bytes[0] & 0xe0) != 0x20)
    return "reserved";  // outside 2000::/3, the global unicast space
  if (!a.v6 && a.bytes == IpAddress{false, {255, 255, 255, 255}}.bytes)
    return "broadcast";
  return "";
}

bool AddressPolicy::Allows(const IpAddress& a, std::string* why) const {
  const std::optional<IpAddress> v4 = EmbeddedV4(a);
  for (const auto& r : allowed_) {
    if (r.Contains(a) || (v4 && r.Contains(*v4)))
      return true;
  }
  const std::string reason = SpecialPurpose(a);
  if (reason.empty())
    return true;
  if (why)
    *why = a.ToString() + " (" + reason + ")";
  return false;
}

}  // namespace postlint::links
