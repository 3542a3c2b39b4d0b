// Date parsing for the export readers (io/export_dates.h) and the public conversions declared in
// io/export_readers.h.
#include "io/export_dates.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/utf8.h"
#include "io/export_readers.h"

namespace postlint {
namespace {

bool ValidCivil(int y, int m, int d, int hh, int mm, int ss) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1])
    return false;
  if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
    return false;
  return hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59 && ss >= 0 && ss <= 60;
}

// Civil time with an offset in minutes east of UTC -> ISO UTC.
std::optional<std::string> ToIso(int y, int m, int d, int hh, int mm, int ss, int offset_minutes) {
  if (!ValidCivil(y, m, d, hh, mm, ss))
    return std::nullopt;
  if (ss == 60)
    ss = 59;
  const int64_t seconds =
      DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 86400 + hh * 3600 +
      mm * 60 + ss - int64_t{offset_minutes} * 60;
  return UnixToIso(seconds);
}

// Reads exactly `n` digits at `pos`.
bool Digits(std::string_view s, size_t& pos, size_t n, int* out) {
  if (pos + n > s.size())
    return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9')
      return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  *out = v;
  return true;
}

// 1 or 2 digits.
bool SmallNumber(std::string_view s, size_t& pos, int* out) {
  if (Digits(s, pos, 2, out))
    return true;
  return Digits(s, pos, 1, out);
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// "HH:MM[:SS[.fff]]" at pos.
bool ParseClock(std::string_view s, size_t& pos, int* hh, int* mm, int* ss) {
  *ss = 0;
  if (!SmallNumber(s, pos, hh) || !Expect(s, pos, ':') || !Digits(s, pos, 2, mm))
    return false;
  if (Expect(s, pos, ':')) {
    if (!Digits(s, pos, 2, ss))
      return false;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')
        ++pos;
    }
  }
  return true;
}

// "Z", "+HH:MM", "+HHMM", "+HH", " UTC" or nothing (UTC) at pos; must reach the end.
bool ParseOffset(std::string_view s, size_t pos, int* minutes) {
  *minutes = 0;
  const std::string_view rest = TrimAsciiSpace(s.substr(pos));
  if (rest.empty() || rest == "Z" || rest == "z" || rest == "UTC" || rest == "GMT")
    return true;
  if (rest[0] != '+' && rest[0] != '-')
    return false;
  size_t p = 1;
  int h = 0;
  int m = 0;
  if (!Digits(rest, p, 2, &h))
    return false;
  Expect(rest, p, ':');
  if (p < rest.size() && !Digits(rest, p, 2, &m))
    return false;
  if (p != rest.size() || h > 23 || m > 59)
    return false;
  *minutes = (rest[0] == '-' ? -1 : 1) * (h * 60 + m);
  return true;
}

int MonthFromName(std::string_view name) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string lower = ToLowerAscii(name.substr(0, 3));
  for (int i = 0; i < 12; ++i) {
    if (lower == kMonths[i])
      return i + 1;
  }
  return 0;
}

}  // namespace

namespace io_internal {

SlashDate ClassifySlashDate(std::string_view date) {
  date = TrimAsciiSpace(date);
  size_t pos = 0;
  int a = 0;
  int b = 0;
  int y = 0;
  if (!SmallNumber(date, pos, &a) || pos >= date.size())
    return SlashDate::kOther;
  const char sep = date[pos];
  if (sep != '/' && sep != '.' && sep != '-')
    return SlashDate::kOther;
  ++pos;
  if (!SmallNumber(date, pos, &b) || !Expect(date, pos, sep) || !Digits(date, pos, 4, &y))
    return SlashDate::kOther;
  if (a < 1 || b < 1 || (a > 12 && b > 12))
    return SlashDate::kOther;  // not a date either way; the row reports it
  if (a > 12)
    return SlashDate::kDayFirst;
  if (b > 12)
    return SlashDate::kMonthFirst;
  return a == b ? SlashDate::kOther : SlashDate::kAmbiguous;  // 05/05 reads the same both ways
}

std::optional<std::string> CsvDate(std::string_view date, std::string_view time, bool day_first) {
  date = TrimAsciiSpace(date);
  time = TrimAsciiSpace(time);
  std::string combined(date);
  if (!time.empty() && date.find(':') == std::string_view::npos)
    combined += " " + std::string(time);
  if (auto iso = NormalizeIsoDate(combined))
    return iso;
  if (date.find(':') != std::string_view::npos) {
    // "04/03/2026 10:00": split off the time part and retry below.
    const size_t space = date.find(' ');
    if (space == std::string_view::npos)
      return std::nullopt;
    time = TrimAsciiSpace(date.substr(space + 1));
    date = TrimAsciiSpace(date.substr(0, space));
  }
  size_t pos = 0;
  int a = 0;
  int b = 0;
  int y = 0;
  if (!SmallNumber(date, pos, &a) || pos >= date.size())
    return std::nullopt;
  const char sep = date[pos];
  if (sep != '/' && sep != '.' && sep != '-')
    return std::nullopt;
  ++pos;
  if (!SmallNumber(date, pos, &b) || !Expect(date, pos, sep) || !Digits(date, pos, 4, &y) ||
      pos != date.size()) {
    return std::nullopt;
  }
  // The file's order decides (io/post_reader.h, DateOrder); a date that contradicts it is not
  // a date of this file.
  const bool dmy = day_first;
  const int d = dmy ? a : b;
  const int m = dmy ? b : a;
  int hh = 0;
  int mm = 0;
  int ss = 0;
  int offset = 0;
  if (!time.empty()) {
    size_t tp = 0;
    if (!ParseClock(time, tp, &hh, &mm, &ss))
      return std::nullopt;
    std::string_view rest = TrimAsciiSpace(time.substr(tp));
    const std::string lower = ToLowerAscii(rest.substr(0, 2));
    if (lower == "am" || lower == "pm") {
      if (hh < 1 || hh > 12)
        return std::nullopt;
      hh = hh % 12 + (lower == "pm" ? 12 : 0);
      rest.remove_prefix(2);
    }
    if (!ParseOffset(rest, 0, &offset))
      return std::nullopt;
  }
  return ToIso(y, m, d, hh, mm, ss, offset);
}

}  // namespace io_internal

std::optional<std::string> ConvertLegacyTwitterDate(std::string_view s) {
  // "Wed Mar 04 10:00:00 +0000 2026"
  s = TrimAsciiSpace(s);
  if (s.size() < 30 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ')
    return std::nullopt;
  const int month = MonthFromName(s.substr(4, 3));
  size_t pos = 8;
  int day = 0;
  int hh = 0;
  int mm = 0;
  int ss = 0;
  int year = 0;
  if (month == 0 || !Digits(s, pos, 2, &day) || !Expect(s, pos, ' ') ||
      !ParseClock(s, pos, &hh, &mm, &ss) || !Expect(s, pos, ' ')) {
    return std::nullopt;
  }
  const size_t space = s.find(' ', pos);
  if (space == std::string_view::npos)
    return std::nullopt;
  int offset = 0;
  if (!ParseOffset(s.substr(pos, space - pos), 0, &offset))
    return std::nullopt;
  pos = space + 1;
  if (!Digits(s, pos, 4, &year) || pos != s.size())
    return std::nullopt;
  return ToIso(year, month, day, hh, mm, ss, offset);
}

std::optional<std::string> NormalizeIsoDate(std::string_view s) {
  s = TrimAsciiSpace(s);
  size_t pos = 0;
  int y = 0;
  int m = 0;
  int d = 0;
  if (!Digits(s, pos, 4, &y) || !Expect(s, pos, '-') || !Digits(s, pos, 2, &m) ||
      !Expect(s, pos, '-') || !Digits(s, pos, 2, &d)) {
    return std::nullopt;
  }
  int hh = 0;
  int mm = 0;
  int ss = 0;
  int offset = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')
      return std::nullopt;
    ++pos;
    if (!ParseClock(s, pos, &hh, &mm, &ss) || !ParseOffset(s, pos, &offset))
      return std::nullopt;
  }
  return ToIso(y, m, d, hh, mm, ss, offset);
}

std::string UnixToIso(int64_t seconds) {
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  CivilFromDays(days, &y, &m, &d);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<long long>(y), m, d, static_cast<int>(rem / 3600),
                static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  return buffer;
}

}  // namespace postlint
