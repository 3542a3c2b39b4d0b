// The recognizers of the detector table (detector_table.h): each turns a candidate (a pattern
// match, a digit run, a phone-number candidate) into hits, or rejects it. A recognizer reads
// its row for the validator, masker, placeholder test, context words and token prefix, so rows
// that share a recognizer differ only in data. Recognizers are pure and thread-safe; they see
// the normalised text and report normalised offsets (the rule maps them back).
//
// Recognizers return true when they added a hit; for digit runs that ends the search (the
// first row that accepts a run takes it).
//
// Grouped by file: secrets.cpp (keys, tokens, passwords), personal_data.cpp (cards, IBANs,
// national ids, e-mail), network.cpp (IP addresses, internal hosts), phone.cpp.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "rules/support/detectors/detector_table.h"

namespace postlint::detectors {

// Byte offset in the scanned text of `part`, a view into it.
inline uint32_t OffsetIn(const Scan& s, std::string_view part) {
  return static_cast<uint32_t>(part.data() - s.text.data());
}

// The row's placeholder test, false for rows without one.
inline bool IsPlaceholder(const Detector& d, std::string_view value) {
  return d.is_placeholder != nullptr && d.is_placeholder(value);
}

// --- secrets (secrets.cpp) ---------------------------------------------------------------------

// A BEGIN … PRIVATE KEY line; the hit runs to the END line (or the end of the post).
bool RecognizePrivateKey(const Detector& d, const Candidate& c, const Scan& s,
                         std::vector<Hit>& hits);
// Group 1 is a JWT; the row's validator decodes it.
bool RecognizeJwt(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits);
// Groups 1-3 are user, password and host of scheme://user:password@host.
bool RecognizeUrlCredentials(const Detector& d, const Candidate& c, const Scan& s,
                             std::vector<Hit>& hits);
// Group 1 is a Slack webhook URL.
bool RecognizeSlackWebhook(const Detector& d, const Candidate& c, const Scan& s,
                           std::vector<Hit>& hits);
// Group 1 is a vendor token: the row's prefix is the vendor part, and the rest is a
// placeholder when the row's placeholder test says so or its entropy is under min_entropy.
bool RecognizeToken(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits);
// RecognizeToken, plus: classic tokens (not github_pat_) must pass the row's checksum.
bool RecognizeGithubToken(const Detector& d, const Candidate& c, const Scan& s,
                          std::vector<Hit>& hits);
// RecognizeToken, plus Stripe's published documentation keys and a "(test mode)" detail.
bool RecognizeStripeKey(const Detector& d, const Candidate& c, const Scan& s,
                        std::vector<Hit>& hits);
// Group 2 is the value after a password word and an operator or copula.
bool RecognizePasswordAssignment(const Detector& d, const Candidate& c, const Scan& s,
                                 std::vector<Hit>& hits);
// Group 1 is a long token; it counts only after one of the row's context words, with letters
// and digits, enough entropy (Settings::min_entropy) and no vendor prefix.
bool RecognizeGenericSecret(const Detector& d, const Candidate& c, const Scan& s,
                            std::vector<Hit>& hits);
// Prefilter: one of the row's context words appears somewhere in the post.
bool MentionsContextWord(const Detector& d, const Scan& s);

// --- personal data (personal_data.cpp) ---------------------------------------------------------

// The whole run, grouped like a card, passing the validator, with a real network's prefix.
bool RecognizeCreditCard(const Detector& d, const Candidate& c, const Scan& s,
                         std::vector<Hit>& hits);
// Group 1 starts an IBAN; the registry length of its country decides where it ends.
bool RecognizeIban(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits);
// Group 1 is a codice fiscale, all upper or all lower case.
bool RecognizeItFiscalCode(const Detector& d, const Candidate& c, const Scan& s,
                           std::vector<Hit>& hits);
// 11 digits: dashed 6-5 alone, bare after a context word; codes from 2017 always need the word.
bool RecognizeLvPersonalCode(const Detector& d, const Candidate& c, const Scan& s,
                             std::vector<Hit>& hits);
// 11 bare digits after a context word.
bool RecognizeHrOib(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits);
// 9 digits: dashed 3-2-4 alone, other forms after a context word.
bool RecognizeUsSsn(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits);
// Groups 1-2 are the local part and domain; handles, file names and git remotes are not.
bool RecognizeEmail(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits);

// --- network (network.cpp) ---------------------------------------------------------------------

// Group 1 is an IPv4 or IPv6 address; internal ranges always, public ones with public_ips.
bool RecognizeIpAddress(const Detector& d, const Candidate& c, const Scan& s,
                        std::vector<Hit>& hits);
// Group 1 is a host name under one of Settings::internal_domains.
bool RecognizeInternalHost(const Detector& d, const Candidate& c, const Scan& s,
                           std::vector<Hit>& hits);
// Prefilter: the post mentions one of Settings::internal_domains.
bool MentionsInternalDomain(const Detector& d, const Scan& s);

// --- phone numbers (phone.cpp) -----------------------------------------------------------------

// Scans the post for phone-number candidates (digits with single separators, an optional
// leading '+' or '(') that are not identifiers, dates, counts or parts of URLs, and passes
// each to `d.recognize`.
void FindPhoneNumbers(const Detector& d, const Scan& s, std::vector<Hit>& hits);
// Group 0 is a candidate; valid for one of Settings::regions (libphonenumber).
bool RecognizePhone(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits);

// --- placeholder tests (the rows' is_placeholder) ----------------------------------------------

// A private key block's body (up to its END line) with fewer than 40 base64 characters.
bool HasNoKeyBody(std::string_view body);
// A webhook path that is a placeholder or uses Slack's documented fill-ins (T00000000,
// XXXXXXXX).
bool IsPlaceholderWebhookPath(std::string_view path);
// A lower-cased local part used in examples: user, name, john.doe, jane.doe, someone, or
// anything LooksLikePlaceholder() accepts.
bool IsPlaceholderMailbox(std::string_view local);
// An address in a documentation range: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
// 2001:db8::/32.
bool IsDocumentationAddress(std::string_view ip);
// A NANP 555 number, in E.164 form ("+14155550123"): reserved for fiction.
bool IsFictionalPhoneNumber(std::string_view e164);

}  // namespace postlint::detectors
