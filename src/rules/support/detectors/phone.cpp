// Phone numbers: a scanner for candidates and a recognizer that asks libphonenumber whether a
// candidate is a valid number for one of the rule's regions. Digits are everywhere in posts
// (dates, prices, counts, order numbers), so the scanner rejects every candidate something
// else explains before the comparatively slow parse runs.
#include <algorithm>
#include <phonenumbers/phonenumberutil.h>
#include <string>

#include "analysis/analyzed_post.h"
#include "analysis/unicode_text.h"
#include "rules/support/detectors/context_words.h"
#include "rules/support/detectors/digit_runs.h"
#include "rules/support/detectors/recognizers.h"

namespace postlint::detectors {

void FindPhoneNumbers(const Detector& d, const Scan& s, std::vector<Hit>& hits) {
  const std::string& t = s.text;
  const std::string& lower = s.lower;
  size_t i = 0;
  while (i < t.size()) {
    const char c = t[i];
    if (!(IsDigit(c) || c == '+' || c == '(')) {
      ++i;
      continue;
    }
    // A candidate: digits with single separators, optional leading + or (.
    const size_t start = i;
    size_t j = i;
    int digits = 0;
    int seps = 0;
    if (t[j] == '+' || t[j] == '(')
      ++j;
    while (j < t.size()) {
      if (IsDigit(t[j])) {
        ++digits;
        ++j;
      } else if ((t[j] == ' ' || t[j] == '-' || t[j] == '.' || t[j] == '/' ||
                  (t[j] == '(' && digits <= 4) || t[j] == ')') &&
                 j + 1 < t.size() &&
                 (IsDigit(t[j + 1]) || (t[j] == ' ' && t[j + 1] == '(' && digits <= 4) ||
                  (t[j] == ')' && t[j + 1] == ' ' && j + 2 < t.size() && IsDigit(t[j + 2])))) {
        ++seps;
        ++j;
      } else {
        break;
      }
    }
    const size_t end = j;
    i = std::max(end, start + 1);
    if (digits < 7 || digits > 15)
      continue;
    const char before = start > 0 ? t[start - 1] : 0;
    const char after = end < t.size() ? t[end] : 0;
    const char after2 = end + 1 < t.size() ? t[end + 1] : 0;
    if (LetterAround(t, start, true) || IsDigit(before) || before == '#' || before == '@' ||
        before == '/' || before == '_' || before == '=' || before == '$' || before == '.' ||
        before == '-' || LetterAround(t, end, false) || after == '_' ||
        ((after == '.' || after == '-' || after == '/' || after == ',') && IsDigit(after2))) {
      continue;
    }
    const std::string cand = t.substr(start, end - start);
    if (DateShaped(cand))
      continue;
    if (WordBefore(lower, static_cast<uint32_t>(start), 28, kNegativeNumberWords) ||
        WordBefore(lower, static_cast<uint32_t>(start), 20, kSsnWords) ||
        WordBefore(lower, static_cast<uint32_t>(start), 20, kOibWords) ||
        WordBefore(lower, static_cast<uint32_t>(start), 20, kLvWords))
      continue;  // an identifier, not a phone number
    const bool intl = cand[0] == '+' || cand.rfind("00", 0) == 0;
    const bool context = WordBefore(lower, static_cast<uint32_t>(start), 30, d.context);
    if (!intl && !context && (seps < 2 || ThousandsGrouped(cand)))
      continue;  // a bare digit run or a count ("1 907 675") with nothing saying "phone"
    const uint32_t ob = s.norm.ToOriginalBegin(static_cast<uint32_t>(start));
    bool in_url = false;
    for (const auto* u : s.post.urls()) {
      if (ob >= u->range.begin && ob < u->range.end)
        in_url = true;
    }
    if (in_url)
      continue;
    Candidate candidate{static_cast<uint32_t>(start), static_cast<uint32_t>(end), {}, nullptr};
    candidate.groups[0] = cand;
    d.recognize(d, candidate, s, hits);
  }
}

bool RecognizePhone(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  auto* util = PhoneNumberUtil::GetInstance();
  const std::string cand(c.groups[0]);
  const bool intl = cand[0] == '+' || cand.rfind("00", 0) == 0;
  for (const auto& region : s.settings.regions) {
    PhoneNumber number;
    if (util->Parse(cand, region, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
      continue;
    if (!util->IsValidNumber(number))
      continue;
    std::string e164;
    util->Format(number, PhoneNumberUtil::E164, &e164);
    // A written country code stays readable: "+385 •• ••• ••78", "0039 ••• ••• ••12".
    const size_t cc_digits = std::to_string(number.country_code()).size();
    const size_t keep = intl ? cc_digits + (cand[0] == '+' ? 0 : 2) : 0;
    std::string region_code;
    util->GetRegionCodeForNumber(number, &region_code);
    hits.push_back({c.begin, c.end, IndexOf(d), d.mask({.value = cand, .keep = keep}),
                    "valid number for " + region_code, IsPlaceholder(d, e164), e164});
    return true;
  }
  return false;
}

bool IsFictionalPhoneNumber(std::string_view e164) {
  // +1 NPA 555 XXXX: the North American exchange reserved for films and books.
  return e164.size() == 12 && e164.rfind("+1", 0) == 0 && e164.substr(5, 3) == "555";
}

}  // namespace postlint::detectors
