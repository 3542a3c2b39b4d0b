// Building blocks of the `detector` rule kind (src/rules/kinds/detector.cpp): checksums and
// format validators for numbers and identifiers, Shannon entropy, placeholder recognition,
// masking of excerpts, and the text normalisation the detectors match on. Pure functions,
// thread-safe, no I/O. Unit-tested in tests/rules/detector_test.cpp.
//
//   LuhnValid("4111111111111111")             -> true
//   IbanValid("IT60X0542811101000000123456")  -> true (country, length, mod-97)
//   MaskMiddle("AKIAIOSFODNN7EXAMPLE", 4, 4)  -> "AKIA••••••••••••MPLE"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/unicode_text.h"
#include "core/utf8.h"

namespace postlint::detectors {

// --- checksums over ASCII digit strings (no separators) ---------------------------------------

// Luhn (ISO/IEC 7812): cards, IMEIs. False for non-digits or empty input.
bool LuhnValid(std::string_view digits);
// The card network for a Luhn-valid PAN of this length and prefix ("visa", "mastercard",
// "amex", "discover", "jcb", "unionpay", "diners", "maestro"), or "" when no network issues
// numbers of this shape.
std::string_view CardNetwork(std::string_view digits);
// Processor test PANs published in documentation (4242 4242 4242 4242, 4111 1111 1111 1111, ...).
bool IsTestCardNumber(std::string_view digits);

// IBAN length for an ISO 13616 registry country ("IT" -> 27), 0 when unknown (e.g. "RF").
int IbanLength(std::string_view country);
// Country in the registry, per-country length, check digits not 00/01/99 and mod-97 == 1.
// `compact` is uppercase letters and digits only.
bool IbanValid(std::string_view compact);
// ISO 7064 mod 97-10 remainder of an alphanumeric string after moving its first 4 chars to
// the end (1 for a valid IBAN).
int Mod97(std::string_view compact);

// Croatian OIB: 11 digits, ISO 7064 MOD 11,10.
bool OibValid(std::string_view digits);
// Italian codice fiscale: 16 chars, layout with omocodia letters, month letter, day, check
// letter. `code` uppercase.
bool ItFiscalCodeValid(std::string_view code);
// Latvian personas kods as 11 digits: legacy codes need a real date (DDMMYY + century digit
// 0/1/2) and the weighted check digit; codes from 2017 start with 32 and carry neither.
bool LvPersonalCodeValid(std::string_view digits);
// US SSN area/group/serial rules: area not 000, 666 or 900-999; group not 00; serial not 0000.
bool UsSsnValid(std::string_view digits);
// Sample SSNs printed in documentation and on wallet inserts (123-45-6789, 078-05-1120, ...).
bool IsSampleSsn(std::string_view digits);

// The textbook codici fiscali of the fictional Mario Rossi (RSSMRA85T10A562S,
// RSSMRA80A01H501U), printed in documentation and forms. `code` uppercase.
bool IsSampleFiscalCode(std::string_view code);

// CRC32 (IEEE 802.3) of `data`.
uint32_t Crc32(std::string_view data);
// GitHub classic token (ghp_/gho_/ghu_/ghs_/ghr_ + 30 base62 + 6-char base62 CRC32).
bool GithubTokenChecksumValid(std::string_view token);

// A JSON Web Token (header.payload.signature) whose header and payload decode (base64url) to
// JSON objects and whose header names an `alg`.
bool JwtValid(std::string_view token);
// A JWT whose claims say it is an example: jwt.io's sample token (John Doe), or "example" in
// the payload.
bool IsSampleJwt(std::string_view token);

// --- strings -------------------------------------------------------------------------------------

// Shannon entropy in bits per code point: H = -sum p(c) log2 p(c).
double ShannonEntropy(std::string_view s);
// Documentation placeholders and templates: "EXAMPLE" suffixes, runs of one repeated
// character ("xxxx", "****", "0000"), templates (<YOUR_TOKEN>, ${X}, {{x}}, %X%), words such as
// "your-token-here", "changeme", "REDACTED", "password", truncations ending in "..." or "…",
// and sequential runs ("abcdef", "123456").
bool LooksLikePlaceholder(std::string_view value);
// Domains reserved for documentation (RFC 2606/6761): example.com/.net/.org and their
// subdomains, .example, .test, .invalid, .localhost, localhost.
bool IsReservedDomain(std::string_view domain);

// `value` with every ASCII letter or digit replaced by "•" except the first `keep_front` and
// the last `keep_back` of them; other characters (separators) are kept, so
// MaskMiddle("4111 1111 1111 1111", 4, 4) is "4111 •••• •••• 1111". Runs longer than 16
// bullets are shortened to 16 so excerpts stay readable and lengths do not leak.
std::string MaskMiddle(std::string_view value, size_t keep_front, size_t keep_back);

// --- normalisation -------------------------------------------------------------------------

// The text detectors match on, mapping back to the original bytes: fullwidth ASCII
// (U+FF01..FF5E) and every other Unicode decimal digit become ASCII, no-break and other spaces
// become ' ', Unicode hyphens and dashes become '-', zero-width characters, soft hyphens and
// bidi controls are dropped. Identity (no copy of the map) for plain ASCII text.
MappedText NormalizeForDetectors(std::string_view text);

// Parses "YYYY-MM-DD" at the start of `s` into a sortable day number yyyymmdd.
std::optional<int> ParseIsoDate(std::string_view s);

}  // namespace postlint::detectors
