// The detectors of the `detector` rule kind (src/rules/kinds/detector.cpp), one row each in
// detector_table.cpp: the name policies select it by, its label, what kind of data it finds,
// where its candidates come from (RE2 patterns, digit runs, the phone scanner, the policy's
// embargo terms), the recognizer that accepts or rejects a candidate, and the validator,
// masker, placeholder test and context words that recognizer applies. User docs:
// docs/rules/detector.md, whose table lists the same names (tests/meta/detector_table_test.cpp).
//
// Contract:
//  - Row order is priority order. When candidates overlap, the earlier row's wins, so a
//    validated secret beats a card reading of its digits and a card beats a phone reading.
//  - The table is constant and the recognizers are pure: one table serves every rule on every
//    thread.
//  - A detector's name is also its findings' `type` and its message key; renaming one changes
//    every report and every policy that selects it.
//
// Adding a detector: one row in detector_table.cpp, its recognizer (recognizers.h) if none of
// the existing ones fits, any new checksum in validators.h, a line in the docs' table, and
// tests in tests/rules/detector_test.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rules/support/detectors/context_words.h"
#include "rules/support/detectors/masking.h"

namespace postlint {
class AnalyzedPost;
class MappedText;
}  // namespace postlint

namespace postlint::detectors {

struct DigitRun;

// What a detector finds; decides its default message (the rule's business).
enum class Category : uint8_t {
  kSecret,    // credentials and keys
  kPersonal,  // personal or confidential data: cards, IBANs, national ids, contacts
  kInternal,  // internal network details: IP addresses, internal host names
  kEmbargo,   // terms confidential until a date
};

// Where a detector's candidates come from.
enum class Source : uint8_t {
  kPattern,     // matches of the row's `patterns` (one RE2::Set over every row)
  kDigitRun,    // DigitRuns(); the rows are tried in order and the first hit takes the run
  kPhone,       // the phone-number scanner (FindPhoneNumbers in recognizers.h)
  kPolicyTerm,  // the rule's embargo terms; such hits never claim text from other detectors
};

// An internal domain from the `internal_domains` option.
struct InternalDomain {
  std::string suffix;  // lower case, no leading dot
  bool subdomains_only = false;
};

// The rule options recognizers read; set once when the rule is compiled.
struct Settings {
  std::vector<std::string> regions;  // phone numbers without +country code, tried in order
  std::vector<InternalDomain> internal_domains;
  bool public_ips = false;
  double min_entropy = 3.5;  // generic_secret
};

// One post as the detectors see it.
struct Scan {
  const std::string& text;   // NormalizeForDetectors() of the post
  const std::string& lower;  // SameLengthLower(text): context words are matched here
  const Settings& settings;
  const AnalyzedPost& post;  // the phone scanner skips numbers inside the post's URLs
  const MappedText& norm;    // `text` with its map back to the post's bytes
};

// A candidate in normalised-text byte offsets.
struct Candidate {
  uint32_t begin = 0;
  uint32_t end = 0;
  // kPattern: the capture groups, [0] the whole match; a group that did not take part has a
  // null data(). kPhone: [0] is the number as written.
  std::array<std::string_view, 4> groups{};
  const DigitRun* run = nullptr;  // kDigitRun
};

// A finding before overlap resolution, in normalised-text byte offsets.
struct Hit {
  uint32_t begin = 0;
  uint32_t end = 0;
  int det = 0;          // row index, which is also the priority
  std::string excerpt;  // masked
  std::string detail;   // shown in the message; never the value
  bool placeholder = false;
  std::string allow_key;  // compared against the allowlist (email, domain, E.164 phone)
};

struct Detector;

// Accepts or rejects a candidate; appends the hits it accepts and returns true when there was
// at least one.
using Recognizer = bool (*)(const Detector& d, const Candidate& c, const Scan& s,
                            std::vector<Hit>& hits);
// A checksum or registry check (validators.h) over the compact value.
using Validator = bool (*)(std::string_view value);
// True for values published in documentation (test cards, EXAMPLE keys, sample SSNs): they
// are reported only by rules with `placeholders: only`.
using PlaceholderTest = bool (*)(std::string_view value);
// A cheap test on the whole post; false skips the row's pattern matches.
using Prefilter = bool (*)(const Detector& d, const Scan& s);

// The vendor prefix of a token: kept in the excerpt, left out of the entropy test.
struct TokenPrefix {
  uint8_t length = 0;  // a fixed prefix ("AKIA")
  char through = 0;    // or everything up to and including the first of this character
};

struct Detector {
  std::string_view name;   // as policies write it; also the findings' type
  std::string_view label;  // {label} in messages: "Credit card number"
  Category category = Category::kPersonal;
  Source source = Source::kPattern;
  // kPattern: RE2 patterns, tried in this order; empty entries are unused. Group 1 is the
  // value unless the recognizer says otherwise.
  std::array<std::string_view, 3> patterns{};
  Prefilter prefilter = nullptr;   // kPattern only; null means always
  Recognizer recognize = nullptr;  // null only for kPolicyTerm (the rule matches its terms)
  Validator validate = nullptr;    // null when the shape is the whole check
  Masker mask = nullptr;
  PlaceholderTest is_placeholder = nullptr;  // null: never a placeholder
  WordList context{};                        // words naming the value (see the recognizer)
  double min_entropy = 0;                    // tokens: a random part below this is a placeholder
  TokenPrefix prefix{};                      // tokens
};

// Every detector, in priority order.
std::span<const Detector> Detectors();

// Every row has a masker; pattern rows have a pattern and only they do; only embargo terms do
// without a recognizer; prefilters only on pattern rows.
bool RowsAreWellFormed();
// The row named `name`, or -1.
int DetectorIndex(std::string_view name);
// The row index of `d`, which must be a row of Detectors().
int IndexOf(const Detector& d);

}  // namespace postlint::detectors
