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

#include <optional>
#include <string>
#include <string_view>
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

// Shortener domains from rules/data/shorteners.txt in the data directory (loaded once; empty
// when the file is missing).
const std::vector<std::string>& ShippedShorteners();
// Parses a shortener list: one domain per line, '#' comments.
std::vector<std::string> ParseDomainList(std::string_view text);

}  // namespace postlint::links
