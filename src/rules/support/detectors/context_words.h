// Context words and the character tests the detectors share (src/rules/kinds/detector.cpp and
// the recognizers in this folder). A context word says what a value near it is: "SSN" before
// nine digits makes them a Social Security number, "order" before them makes them not personal
// data at all. Pure functions over the normalised, same-length lower-cased text
// (SameLengthLower); thread-safe, no I/O.
//
//   WordBefore(lower, pos, 30, kSsnWords)  -> true when "ssn", "social security", ... starts a
//                                             word in the 30 bytes before `pos`
//
// A list entry ending in '*' is a stem ("pasūtījum*" matches "pasūtījums" and "pasūtījuma");
// any other entry must also end at a word end ("ref" does not match "refund"). Entries are
// lower case, and the lists cover English, Italian, Latvian and Croatian.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace postlint::detectors {

using WordList = std::span<const std::string_view>;

// Words naming the value: a bare (unseparated) number needs one of them to count.
inline constexpr std::string_view kPhoneWords[] = {
    "tel",    "tel.",     "phone*", "call*",    "mobile",  "mob",      "mob.",
    "cell*",  "whatsapp", "sms",    "text me",  "chiam*",  "telefon*", "cellular*",
    "numero", "tālr*",    "zvan*",  "nazovi*",  "broj",    "kontakt*", "contact*",
    "fax",    "hotline",  "ring",   "mobitel*", "reach me"};
inline constexpr std::string_view kSsnWords[] = {"ssn",       "ssns", "social security",
                                                 "soc. sec.", "ss#",  "social-security"};
inline constexpr std::string_view kOibWords[] = {"oib", "osobni identifikacijski*"};
inline constexpr std::string_view kLvWords[] = {"personas kod*", "personas numur*", "p.k.",
                                                "p. k.",         "pers. kods",      "personal code",
                                                "personal id*"};
inline constexpr std::string_view kSecretWords[] = {
    "token*",  "secret*", "key",    "keys",    "credential*", "apikey",   "api_key",
    "api-key", "bearer",  "chiave", "chiavi",  "ključ*",      "kljuc*",   "atslēg*",
    "auth",    "segret*", "tajn*",  "slepen*", "pwd",         "password*"};

// Words saying a value is something else. They win over everything: a digit run after
// "order" is an order number, not personal data (order, tracking and lot numbers, IMEIs,
// ISBNs, versions, prices); dotted digits after "version" are a version; a long token after
// "commit" is a hash.
inline constexpr std::string_view kNegativeNumberWords[] = {
    "order*",      "ordine",     "ord.",     "tracking", "track",        "spedizion*",
    "imei",        "sku",        "isbn",     "issn",     "lot",          "lotto",
    "batch",       "serial*",    "s/n",      "sn",       "invoice*",     "fattur*",
    "ref",         "ref.",       "rif",      "rif.",     "riferiment*",  "pasūtījum*",
    "sūtījum*",    "narudžb*",   "pošiljk*", "serijsk*", "ticket*",      "pratica",
    "model*",      "version*",   "versione", "verzij*",  "versij*",      "build",
    "firmware",    "reference",  "pnr",      "booking*", "prenotazion*", "rezervācij*",
    "rezervacij*", "awb",        "parcel*",  "pacco",    "paket*",       "ean",
    "upc",         "barcode",    "artikul*", "articolo", "part",         "tracciament*",
    "praćenj*",    "izsekošan*", "case",     "id",       "nr. pasūt*",   "€",
    "$",           "£",          "eur",      "usd",      "price*",       "prezz*",
    "cijen*",      "cena",       "cenas",    "cost*",    "costo"};
inline constexpr std::string_view kVersionWords[] = {
    "v",        "ver",   "ver.",     "version*", "versione", "verzij*", "versij*",
    "release*", "build", "firmware", "ios",      "android",  "rilascio"};
inline constexpr std::string_view kHashWords[] = {"commit*", "sha*", "hash*",  "checksum*", "md5",
                                                  "uuid",    "guid", "build*", "digest*",   "id"};

inline bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
inline bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// An ASCII letter or any byte of a multi-byte character (which is usually a letter).
inline bool IsLetterByte(char c) {
  const auto b = static_cast<unsigned char>(c);
  return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b >= 0x80;
}

// True when the code point ending just before `pos` (backwards) or starting at `pos` is a
// letter (any script); emoji, symbols and punctuation are not, so "card:4526…" and
// "💳4526…" start a number where "x4526…" does not.
bool LetterAround(std::string_view t, size_t pos, bool backwards);

// True when one of `words` starts at a word start within `window` bytes before `pos` in
// `lower` (a lower-cased text).
bool WordBefore(std::string_view lower, uint32_t pos, uint32_t window, WordList words);

// Lower-cases code points whose lower-case form has the same UTF-8 length (all of Latin,
// Greek, Cyrillic), so offsets stay the same as in the input.
std::string SameLengthLower(std::string_view s);

}  // namespace postlint::detectors
