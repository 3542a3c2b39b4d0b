// Domain knowledge for the links rule: registrable domains from the Public Suffix List
// (libpsl with Debian's publicsuffix data, else libpsl's built-in copy), IDNA conversion and
// confusable skeletons (ICU uidna and uspoof), domain-list matching and the shipped shortener
// list (rules/data/shorteners.txt).
//
//   links::RegistrableDomain("www.bbc.co.uk")        // "bbc.co.uk"
//   links::Skeleton("аcme.com") == links::Skeleton("acme.com")   // Cyrillic 'а': true
//   links::DomainMatches("go.acme.com", "acme.com")  // true
//
// All functions are thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace postlint::links {

// The registrable domain (public suffix + one label) of a lower-case ASCII host; "" for IP
// literals, public suffixes themselves and single-label names.
std::string RegistrableDomain(std::string_view ascii_host);
bool IsPublicSuffix(std::string_view ascii_host);

// UTS #46 (non-transitional) ToASCII of a lower-case UTF-8 host; nullopt with `error` set when
// the host is not a valid IDN.
std::optional<std::string> ToAscii(std::string_view host, std::string* error);
// ToUnicode; the input unchanged when it cannot be converted.
std::string ToUnicode(std::string_view ascii_host);

// The confusable skeleton (UTS #39) of UTF-8 text: look-alike strings share a skeleton.
std::string Skeleton(std::string_view text);

// True when `host` is `domain` or a subdomain of it (both lower-case ASCII).
bool DomainMatches(std::string_view host, std::string_view domain);

// A set of domains answering DomainMatches() for all of them at once: one hash lookup per label
// of the host instead of a comparison per listed domain (the shortener list has ~90 entries and
// every link of every post is checked against it).
class DomainSet {
 public:
  DomainSet() = default;
  explicit DomainSet(const std::vector<std::string>& domains);
  // True when `host` (lower-case ASCII) is one of the domains or a subdomain of one.
  bool Matches(std::string_view host) const;

 private:
  // Hashes std::string and std::string_view alike, so lookups need no copy of the host.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> domains_;
};

// Shortener domains from rules/data/shorteners.txt in the data directory (loaded once; empty
// when the file is missing).
const std::vector<std::string>& ShippedShorteners();
// Parses a shortener list: one domain per line, '#' comments.
std::vector<std::string> ParseDomainList(std::string_view text);

}  // namespace postlint::links
