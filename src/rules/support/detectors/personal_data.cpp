// Recognizers for personal data: cards, IBANs, national identifiers and e-mail addresses. A
// number is reported only when its checksum holds and its shape or a context word says what it
// is; everything else that merely looks like one (order, tracking, lot numbers) is left alone.
#include <algorithm>
#include <cctype>
#include <functional>
#include <set>
#include <string>

#include "core/utf8.h"
#include "rules/support/detectors/context_words.h"
#include "rules/support/detectors/digit_runs.h"
#include "rules/support/detectors/recognizers.h"
#include "rules/support/detectors/validators.h"

namespace postlint::detectors {
namespace {

// Context words count in the 30 bytes before a number: "SSN: " and "personas kods " fit, a
// word from the previous sentence usually does not.
constexpr uint32_t kContextWindow = 30;

// The run as written (digits and separators), which is what the excerpt masks.
std::string Printed(const Scan& s, const DigitRun& r) {
  return s.lower.substr(r.begin, r.end - r.begin);
}

}  // namespace

bool RecognizeCreditCard(const Detector& d, const Candidate& c, const Scan& s,
                         std::vector<Hit>& hits) {
  const DigitRun& r = *c.run;
  const size_t n = r.digits.size();
  // The whole run, Luhn-valid, a real network's prefix and length.
  if (n < 12 || n > 19 || !CardGrouping(r) || !d.validate(r.digits))
    return false;
  const std::string_view network = CardNetwork(r.digits);
  if (network.empty())
    return false;
  std::string detail(network);
  detail[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(detail[0])));
  hits.push_back({r.begin, r.end, IndexOf(d), d.mask({.value = Printed(s, r)}),
                  detail + ", Luhn-valid", IsPlaceholder(d, r.digits), r.digits});
  return true;
}

bool RecognizeUsSsn(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits) {
  const DigitRun& r = *c.run;
  // 3-2-4 with dashes, or with spaces / bare next to "SSN".
  if (r.digits.size() != 9 || !(GroupsAre(r, {3, 2, 4}) || r.groups.size() == 1) ||
      !d.validate(r.digits)) {
    return false;
  }
  const bool dashed = r.sep == '-';
  const bool context = WordBefore(s.lower, r.begin, kContextWindow, d.context);
  if (!dashed && !context)
    return false;
  hits.push_back({r.begin, r.end, IndexOf(d), d.mask({.value = Printed(s, r)}),
                  context ? "area/group/serial valid, SSN named" : "area/group/serial valid",
                  IsPlaceholder(d, r.digits), r.digits});
  return true;
}

bool RecognizeLvPersonalCode(const Detector& d, const Candidate& c, const Scan& s,
                             std::vector<Hit>& hits) {
  const DigitRun& r = *c.run;
  if (r.digits.size() != 11)
    return false;
  const bool context = WordBefore(s.lower, r.begin, kContextWindow, d.context);
  const bool shape = GroupsAre(r, {6, 5}) && r.sep == '-';
  if (!(shape || (r.groups.size() == 1 && context)) || !d.validate(r.digits))
    return false;
  // Codes issued since 2017 carry no date and no checksum: only the context word says what
  // they are.
  const bool modern = r.digits.rfind("32", 0) == 0;
  if (modern && !context)
    return false;
  hits.push_back({r.begin, r.end, IndexOf(d), d.mask({.value = Printed(s, r)}),
                  modern ? "2017 format" : "date and check digit valid", IsPlaceholder(d, r.digits),
                  r.digits});
  return true;
}

bool RecognizeHrOib(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits) {
  const DigitRun& r = *c.run;
  if (r.digits.size() != 11 || r.groups.size() != 1 || !d.validate(r.digits) ||
      !WordBefore(s.lower, r.begin, kContextWindow, d.context)) {
    return false;
  }
  hits.push_back({r.begin, r.end, IndexOf(d), d.mask({.value = Printed(s, r)}),
                  "ISO 7064 check digit valid", IsPlaceholder(d, r.digits), r.digits});
  return true;
}

bool RecognizeIban(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits) {
  const std::string& t = s.text;
  const uint32_t vb = c.groups[1].data() ? OffsetIn(s, c.groups[1]) : c.begin;
  const int len = IbanLength(std::string_view(t).substr(vb, 2));
  if (len == 0)
    return false;  // not a registry country (RF creditor references, random codes)
  std::string compact;
  size_t i = vb;
  while (i < t.size() && compact.size() < static_cast<size_t>(len)) {
    const char ch = t[i];
    if ((ch >= 'A' && ch <= 'Z') || IsDigit(ch)) {
      compact.push_back(ch);
      ++i;
    } else if ((ch == ' ' || ch == '-') && i + 1 < t.size() && IsAlnum(t[i + 1]) &&
               compact.size() >= 4) {
      ++i;
    } else {
      break;
    }
  }
  if (compact.size() != static_cast<size_t>(len))
    return false;
  if (i < t.size() && (IsAlnum(t[i]) || IsLetterByte(t[i])))
    return false;  // runs on: a longer code, or letters of the next word
  if (!d.validate(compact))
    return false;
  const std::string printed = t.substr(vb, i - vb);
  hits.push_back({vb, static_cast<uint32_t>(i), IndexOf(d), d.mask({.value = printed}),
                  "mod-97 valid", IsPlaceholder(d, compact), compact});
  return true;
}

bool RecognizeItFiscalCode(const Detector& d, const Candidate& c, const Scan& s,
                           std::vector<Hit>& hits) {
  const std::string_view v = c.groups[1];
  const uint32_t vb = v.data() ? OffsetIn(s, v) : c.begin;
  std::string code(v);
  // Mixed case is a word that happens to fit the layout, not a code someone copied.
  const bool upper =
      std::none_of(code.begin(), code.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
  const bool lower_case =
      std::none_of(code.begin(), code.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
  if (!upper && !lower_case)
    return false;
  for (auto& ch : code)
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (!d.validate(code))
    return false;
  hits.push_back({vb, vb + static_cast<uint32_t>(v.size()), IndexOf(d), d.mask({.value = code}),
                  "checksum valid", IsPlaceholder(d, code), ""});
  return true;
}

bool RecognizeEmail(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits) {
  const std::string_view local = c.groups[1];
  const std::string_view domain = c.groups[2];
  const char before = c.begin > 0 ? s.text[c.begin - 1] : 0;
  if (before == '@' || before == '.' || before == '-' || before == '+' || before == '/' ||
      before == ':')
    return false;  // fediverse handle (@user@host), or part of a URL or path
  static const std::set<std::string, std::less<>> kFileExt = {
      "png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "mp4", "js", "css", "html"};
  const std::string dl = ToLowerAscii(domain);
  const std::string tld = dl.substr(dl.rfind('.') + 1);
  if (kFileExt.count(tld))
    return false;  // logo@2x.png
  const std::string ll = ToLowerAscii(local);
  if (ll == "git" && (dl == "github.com" || dl == "gitlab.com" || dl == "bitbucket.org"))
    return false;  // ssh remote
  const bool placeholder = IsReservedDomain(dl) || IsPlaceholder(d, ll);
  hits.push_back({c.begin, c.end, IndexOf(d), d.mask({.value = local, .after = domain}), "address",
                  placeholder, ll + "@" + dl});
  return true;
}

bool IsPlaceholderMailbox(std::string_view local) {
  return LooksLikePlaceholder(local) || local == "user" || local == "name" || local == "john.doe" ||
         local == "jane.doe" || local == "someone";
}

}  // namespace postlint::detectors
