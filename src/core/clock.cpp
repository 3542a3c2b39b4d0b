#include "core/clock.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace postlint {

namespace {

bool IsLeap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `pos`.
std::optional<int> Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size())
    return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9')
      return std::nullopt;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

int64_t NowSeconds() {
  if (const char* fixed = std::getenv("POSTLINT_NOW"); fixed != nullptr && *fixed != '\0') {
    if (auto t = ParseTime(fixed))
      return *t;
  }
  return static_cast<int64_t>(std::time(nullptr));
}

int64_t NowMillis() {
  if (const char* fixed = std::getenv("POSTLINT_NOW"); fixed != nullptr && *fixed != '\0') {
    if (auto t = ParseTime(fixed))
      return *t * 1000;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

// "YYYY-MM-DDTHH:MM:SS" from the civil calendar (no gmtime, no locale, no shared state).
void AppendCivilTime(std::string& out, int64_t seconds) {
  const int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  const int64_t rest = seconds - days * 86400;
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromDays(days, &year, &month, &day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                static_cast<long long>(year), month, day, static_cast<long long>(rest / 3600),
                static_cast<long long>(rest % 3600 / 60), static_cast<long long>(rest % 60));
  out += buf;
}

}  // namespace

std::string FormatTime(int64_t seconds) {
  std::string out;
  AppendCivilTime(out, seconds);
  out += 'Z';
  return out;
}

std::string FormatTimeMillis(int64_t millis) {
  const int64_t seconds = millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000);
  std::string out;
  AppendCivilTime(out, seconds);
  char buf[8];
  std::snprintf(buf, sizeof buf, ".%03dZ", static_cast<int>(millis - seconds * 1000));
  out += buf;
  return out;
}

std::optional<int64_t> ParseTime(std::string_view s, bool end_of_day) {
  const auto year = Digits(s, 0, 4);
  const auto month = Digits(s, 5, 2);
  const auto day = Digits(s, 8, 2);
  if (!year || !month || !day || s.size() < 10 || s[4] != '-' || s[7] != '-' || *month < 1 ||
      *month > 12 || *day < 1 || static_cast<unsigned>(*day) > DaysInMonth(*year, *month)) {
    return std::nullopt;
  }
  const int64_t midnight = DaysFromCivil(*year, *month, *day) * 86400;
  if (s.size() == 10)
    return end_of_day ? midnight + 86400 : midnight;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
    return std::nullopt;
  const auto hour = Digits(s, 11, 2);
  const auto minute = Digits(s, 14, 2);
  if (!hour || !minute || s.size() < 16 || s[13] != ':' || *hour > 23 || *minute > 59)
    return std::nullopt;
  int64_t t = midnight + *hour * 3600 + *minute * 60;
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    const auto second = Digits(s, pos + 1, 2);
    if (!second || *second > 60)
      return std::nullopt;
    t += *second;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {  // fractions of a second: dropped
      ++pos;
      const size_t digits_begin = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')
        ++pos;
      if (pos == digits_begin)
        return std::nullopt;
    }
  }
  if (pos == s.size())
    return t;
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size())
    return t;
  if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
    const auto oh = Digits(s, pos + 1, 2);
    const auto om = Digits(s, pos + 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59)
      return std::nullopt;
    const int64_t offset = *oh * 3600 + *om * 60;
    return s[pos] == '+' ? t - offset : t + offset;
  }
  return std::nullopt;
}

std::optional<int64_t> ParseDuration(std::string_view s) {
  if (s.size() < 2 || s.size() > 8)
    return std::nullopt;
  int64_t unit = 0;
  switch (s.back()) {
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    case 'w':
      unit = 7 * 86400;
      break;
    default:
      return std::nullopt;
  }
  int64_t n = 0;
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9')
      return std::nullopt;
    n = n * 10 + (s[i] - '0');
  }
  if (n == 0)
    return std::nullopt;
  return n * unit;
}

std::string FormatDuration(int64_t seconds) {
  if (seconds % 3600 == 0)
    return std::to_string(seconds / 3600) + "h";
  return std::to_string((seconds + 59) / 60) + "m";
}

}  // namespace postlint
