// The one place postlint hashes: SHA-256 (OpenSSL) for identities that must never collide (post
// fingerprints, decision log entries, policy versions), FNV-1a for short, stable keys (SARIF's
// partial fingerprints), and the encoding that feeds them.
//
// Identities are hashed over a length-prefixed encoding: "LEN:VALUE" for each field, so no
// choice of separator or content can make two different inputs encode alike. The encodings of
// existing identities are formats: changing one changes every fingerprint or log hash ever
// written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace postlint {

// SHA-256 of `data`, as 64 lower-case hex digits.
std::string Sha256Hex(std::string_view data);

// Appends "LEN:VALUE" (LEN in decimal bytes) to `out`.
void AppendLengthPrefixed(std::string& out, std::string_view value);

// 64-bit FNV-1a of `data`, as 16 lower-case hex digits.
std::string Fnv1a64Hex(std::string_view data);

// Lower-case hex of `size` bytes.
std::string HexOf(const unsigned char* bytes, size_t size);

// Compares two secrets in time that depends on their length only (OpenSSL's CRYPTO_memcmp).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace postlint
