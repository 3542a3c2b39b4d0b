#include "rules/support/detectors/digit_runs.h"

#include <algorithm>

#include <re2/re2.h>

#include "rules/support/detectors/context_words.h"

namespace postlint::detectors {
namespace {

bool IsSep(char c) {
  return c == ' ' || c == '-' || c == '.' || c == '\n';
}

}  // namespace

std::vector<DigitRun> DigitRuns(std::string_view t) {
  std::vector<DigitRun> runs;
  size_t i = 0;
  while (i < t.size()) {
    if (!IsDigit(t[i])) {
      ++i;
      continue;
    }
    DigitRun r;
    r.begin = static_cast<uint32_t>(i);
    r.before = i > 0 ? t[i - 1] : 0;
    int group = 0;
    while (i < t.size()) {
      if (IsDigit(t[i])) {
        r.digits.push_back(t[i]);
        ++group;
        ++i;
        continue;
      }
      size_t sep_len = 0;
      if (IsSep(t[i])) {
        sep_len = 1;
      } else if (t[i] == '\r' && i + 1 < t.size() && t[i + 1] == '\n') {
        sep_len = 2;
      }
      if (sep_len > 0 && i + sep_len < t.size() && IsDigit(t[i + sep_len])) {
        const char s = t[i] == '\r' || t[i] == '\n' ? r.sep : t[i];  // line breaks don't count
        if (s != 0 && r.sep != 0 && s != r.sep)
          break;  // "123-45-6789 27": a change of separator ends the number
        if (s != 0)
          r.sep = s;
        r.groups.push_back(group);
        group = 0;
        i += sep_len;
        continue;
      }
      break;
    }
    r.groups.push_back(group);
    r.end = static_cast<uint32_t>(i);
    const char b = r.before;
    const char a = r.end < t.size() ? t[r.end] : 0;
    const char a2 = r.end + 1 < t.size() ? t[r.end + 1] : 0;
    const char b2 = r.begin >= 2 ? t[r.begin - 2] : 0;
    r.glued = LetterAround(t, r.begin, true) || b == '_' || LetterAround(t, r.end, false) ||
              a == '_' ||
              ((b == '.' || b == '-' || b == '/' || b == ':' || b == ',') && IsAlnum(b2)) ||
              ((a == '.' || a == '-' || a == '/' || a == ':' || a == ',') && IsAlnum(a2)) ||
              b == '#' || b == '@' || b == '$' || b == '+' || b == '/' || b == '=';
    runs.push_back(std::move(r));
  }
  return runs;
}

bool GroupsAre(const DigitRun& r, std::initializer_list<int> sizes) {
  return r.groups.size() == sizes.size() &&
         std::equal(sizes.begin(), sizes.end(), r.groups.begin());
}

bool CardGrouping(const DigitRun& r) {
  if (r.groups.size() == 1)
    return true;
  if (r.sep == '?')
    return false;
  if (GroupsAre(r, {4, 6, 5}) || GroupsAre(r, {4, 6, 4}))
    return true;
  for (size_t k = 0; k + 1 < r.groups.size(); ++k) {
    if (r.groups[k] != 4)
      return false;
  }
  return r.groups.back() >= 1 && r.groups.back() <= 4;
}

bool ThousandsGrouped(std::string_view s) {
  static const RE2 kThousands(R"(^\d{1,3}(?:[ .,]\d{3})+$)");
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), kThousands);
}

bool DateShaped(std::string_view s) {
  static const RE2 kDate(
      R"(^\s*(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})|\d{4}[./-]\d{1,2}[./-]\d{1,2})\s*$)");
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), kDate);
}

}  // namespace postlint::detectors
