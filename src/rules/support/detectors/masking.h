// How each detector's finding is masked: the excerpt a report shows in place of the value.
// An excerpt shows enough to recognise what was found and where (a token's vendor prefix, a
// card's last digits, an address's domain) and never enough to use it. Every detector's row in
// detector_table.cpp names one of these maskers; the recognizer that found the value cuts it
// into MaskParts. Built on MaskMiddle (validators.h), so runs of more than 16 bullets are
// shortened to 16 and lengths do not leak. Pure functions; thread-safe.
//
//   MaskFirstAndLast4({.value = "4526 0181 5908 3012"})   -> "4526 •••• •••• 3012"
//   MaskPrefixAndLast4({.value = "AKIA…QXV9", .keep = 4}) -> "AKIA••••••••••••QXV9"
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace postlint::detectors {

// A found value, cut into the parts its excerpt is built from. Each masker reads only the
// parts its comment names; the others stay empty.
struct MaskParts {
  std::string_view value{};   // the masked part, as written (normalised)
  size_t keep = 0;            // leading characters of `value` shown as written
  std::string_view before{};  // shown as written before `value`
  std::string_view after{};   // shown as written after `value`
  bool more = false;          // the match goes on past `after`
};

using Masker = std::string (*)(const MaskParts& parts);

// Private keys: `before` (the BEGIN line), then four bullets; nothing of the key body.
std::string MaskKeyBlock(const MaskParts& parts);
// JWTs: "eyJ" and bullets for at most the first 40 characters of `value`, then "…".
std::string MaskJwt(const MaskParts& parts);
// Passwords in URLs: `before` (the scheme and "://"), the first character of the user name in
// `value`, fixed bullets for the rest of the user and the password, '@' and `after` (the host).
std::string MaskUrlCredentials(const MaskParts& parts);
// Webhook URLs: `before` (the service's base URL), then eight bullets.
std::string MaskUrlPath(const MaskParts& parts);
// Tokens: the first `keep` characters (the vendor prefix) and the last four.
std::string MaskPrefixAndLast4(const MaskParts& parts);
// Passwords: eight bullets, whatever the length.
std::string MaskEverything(const MaskParts& parts);
// Generic secrets: the first two and last two characters.
std::string MaskFirstAndLast2(const MaskParts& parts);
// Cards and IBANs: the first four and last four characters.
std::string MaskFirstAndLast4(const MaskParts& parts);
// National identifiers: the last two characters.
std::string MaskLast2(const MaskParts& parts);
// US SSNs: the last four digits.
std::string MaskLast4(const MaskParts& parts);
// E-mail addresses: the first character of `value` (the local part), then '@' and `after`
// (the domain).
std::string MaskMailbox(const MaskParts& parts);
// IP addresses: the first `keep` characters (an IPv4 address's first group, an IPv6 address's
// first four).
std::string MaskAddress(const MaskParts& parts);
// Internal hosts: `before` (a scheme), bullets for `value` (the host's own labels), `after`
// (the internal domain) and "/…" when `more` (a URL path follows).
std::string MaskInternalHost(const MaskParts& parts);
// Phone numbers: the first `keep` characters (a written country code) and the last two digits.
std::string MaskPhoneNumber(const MaskParts& parts);
// Embargoed terms: the first letter.
std::string MaskFirstLetter(const MaskParts& parts);

}  // namespace postlint::detectors
