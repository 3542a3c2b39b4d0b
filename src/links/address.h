// SSRF address policy for the links rule: which IP addresses postlint may connect to. Used on
// the URL text (IP literals in any spelling) and, authoritatively, on the address a socket is
// about to connect to (libcurl's open-socket callback), so DNS names that resolve to internal
// addresses and DNS rebinding are refused too.
//
//   auto ip = links::ParseIpLoose("0x7f.1");           // 127.0.0.1
//   links::SpecialPurpose(*ip)                         // "loopback"
//   AddressPolicy p({*links::ParseRange("127.0.0.0/8")});
//   p.Allows(*ip, &why)                                 // true: the policy allows the range
//
// Pure functions and an immutable class: thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sockaddr;

namespace postlint::links {

struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 in the first four bytes
  std::string ToString() const;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// Canonical IPv4 dotted quad or IPv6 text (no brackets).
std::optional<IpAddress> ParseIp(std::string_view text);
// Also the spellings resolvers accept: "2130706433", "0x7f.1", "017700000001", "127.1".
std::optional<IpAddress> ParseIpLoose(std::string_view text);
std::optional<IpAddress> FromSockaddr(const struct sockaddr* addr);

struct IpRange {
  IpAddress base;
  int prefix = 0;
  bool Contains(const IpAddress& a) const;
};
// "10.0.0.0/8", "::1/128", or a single address.
std::optional<IpRange> ParseRange(std::string_view text);

// Why `a` is not a public unicast address ("loopback", "private", "link-local",
// "cloud metadata", "unique-local", "multicast", "reserved", ...), or "" when it is public.
// IPv6 forms that embed an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by the IPv4.
std::string SpecialPurpose(const IpAddress& a);

class AddressPolicy {
 public:
  AddressPolicy() = default;
  explicit AddressPolicy(std::vector<IpRange> allowed) : allowed_(std::move(allowed)) {}
  // True when postlint may connect to `a`; otherwise `why` says why not.
  bool Allows(const IpAddress& a, std::string* why) const;

 private:
  std::vector<IpRange> allowed_;
};

}  // namespace postlint::links
