#include "rules/support/detectors/validators.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>
#include <unicode/uchar.h>

#include "core/utf8.h"

namespace postlint::detectors {

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int PrefixNumber(std::string_view digits, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n && i < digits.size(); ++i)
    v = v * 10 + (digits[i] - '0');
  return v;
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

std::string Base64UrlDecode(std::string_view in) {
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (const char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '-' || c == '+')
      v = 62;
    else if (c == '_' || c == '/')
      v = 63;
    else
      return {};
    buf = (buf << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xFF));
    }
  }
  return out;
}

// The decoded payload (second part) of a JWT, or "" when it has no two dots.
std::string JwtPayload(std::string_view token) {
  const size_t dot1 = token.find('.');
  if (dot1 == std::string_view::npos)
    return {};
  const size_t dot2 = token.find('.', dot1 + 1);
  return Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1));
}

}  // namespace

bool LuhnValid(std::string_view digits) {
  if (!AllDigits(digits))
    return false;
  int sum = 0;
  bool dbl = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (dbl) {
      d *= 2;
      if (d > 9)
        d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

std::string_view CardNetwork(std::string_view d) {
  if (!AllDigits(d))
    return "";
  const size_t n = d.size();
  const int p1 = PrefixNumber(d, 1);
  const int p2 = PrefixNumber(d, 2);
  const int p3 = PrefixNumber(d, 3);
  const int p4 = PrefixNumber(d, 4);
  if (p1 == 4 && (n == 13 || n == 16 || n == 19))
    return "visa";
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n == 16)
    return "mastercard";
  if ((p2 == 34 || p2 == 37) && n == 15)
    return "amex";
  if ((p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65) && n >= 16 && n <= 19)
    return "discover";
  if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19)
    return "jcb";
  if (p2 == 62 && n >= 16 && n <= 19)
    return "unionpay";
  if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) {
    if (n >= 14 && n <= 19)
      return "diners";
  }
  if ((p2 == 50 || (p2 >= 56 && p2 <= 69)) && n >= 12 && n <= 19)
    return "maestro";
  return "";
}

bool IsTestCardNumber(std::string_view d) {
  static const std::array<std::string_view, 22> kTest = {
      "4242424242424242", "4111111111111111", "4000056655665556", "4012888888881881",
      "4222222222222",    "4000000000000002", "4000000000009995", "5555555555554444",
      "5105105105105100", "5200828282828210", "2223003122003222", "378282246310005",
      "371449635398431",  "378734493671000",  "6011111111111117", "6011000990139424",
      "3530111333300000", "3566002020360505", "30569309025904",   "38520000023237",
      "6200000000000005", "4917610000000000"};
  return std::find(kTest.begin(), kTest.end(), d) != kTest.end();
}

int IbanLength(std::string_view c) {
  static const std::map<std::string_view, int> kLengths = {
      {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
      {"BG", 22}, {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28},
      {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24},
      {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18},
      {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23},
      {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
      {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22},
      {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
      {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
      {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28},
      {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}};
  const auto it = kLengths.find(c);
  return it == kLengths.end() ? 0 : it->second;
}

int Mod97(std::string_view s) {
  if (s.size() < 4)
    return -1;
  int rem = 0;
  auto feed = [&](char c) {
    if (c >= '0' && c <= '9') {
      rem = (rem * 10 + (c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      const int v = c - 'A' + 10;
      rem = (rem * 100 + v) % 97;
    } else {
      rem = -1000;
    }
  };
  for (size_t i = 4; i < s.size(); ++i)
    feed(s[i]);
  for (size_t i = 0; i < 4; ++i)
    feed(s[i]);
  return rem < 0 ? -1 : rem;
}

bool IbanValid(std::string_view s) {
  if (s.size() < 15)
    return false;
  const int len = IbanLength(s.substr(0, 2));
  if (len == 0 || static_cast<size_t>(len) != s.size())
    return false;
  if (!(s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9'))
    return false;
  const std::string_view check = s.substr(2, 2);
  if (check == "00" || check == "01" || check == "99")
    return false;
  if (!std::all_of(s.begin(), s.end(),
                   [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); })) {
    return false;
  }
  // Country-specific BBANs that are all digits: a letter there is a misread candidate.
  const std::string_view country = s.substr(0, 2);
  static const std::array<std::string_view, 14> kNumericBban = {
      "BE", "CZ", "DE", "DK", "EE", "ES", "FI", "HR", "LT", "NO", "PL", "SI", "SK", "SE"};
  if (std::find(kNumericBban.begin(), kNumericBban.end(), country) != kNumericBban.end() &&
      !AllDigits(s.substr(4))) {
    return false;
  }
  return Mod97(s) == 1;
}

bool OibValid(std::string_view d) {
  if (d.size() != 11 || !AllDigits(d))
    return false;
  int a = 10;
  for (size_t i = 0; i < 10; ++i) {
    a = (a + (d[i] - '0')) % 10;
    if (a == 0)
      a = 10;
    a = (2 * a) % 11;
  }
  int check = 11 - a;
  if (check == 10)
    check = 0;
  return check == d[10] - '0';
}

namespace {

// Omocodia: digits in a codice fiscale may be replaced by these letters (0..9).
constexpr std::string_view kOmocodia = "LMNPQRSTUV";

int OmocodiaDigit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  const size_t p = kOmocodia.find(c);
  return p == std::string_view::npos ? -1 : static_cast<int>(p);
}

bool IsUpper(char c) {
  return c >= 'A' && c <= 'Z';
}

bool ValidDate(int day, int month, int year) {
  if (month < 1 || month > 12 || day < 1)
    return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[month - 1];
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && leap)
    max = 29;
  return day <= max;
}

}  // namespace

bool ItFiscalCodeValid(std::string_view c) {
  if (c.size() != 16)
    return false;
  for (size_t i = 0; i < 6; ++i) {
    if (!IsUpper(c[i]))
      return false;
  }
  for (size_t i : {6u, 7u, 9u, 10u, 12u, 13u, 14u}) {
    if (OmocodiaDigit(c[i]) < 0)
      return false;
  }
  if (std::string_view("ABCDEHLMPRST").find(c[8]) == std::string_view::npos)
    return false;
  if (!IsUpper(c[11]) || !IsUpper(c[15]))
    return false;
  const int day = OmocodiaDigit(c[9]) * 10 + OmocodiaDigit(c[10]);
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71)))
    return false;
  static const int kOdd[] = {1,  0,  5, 7, 9, 13, 15, 17, 19, 21, 2,  4,  18,
                             20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
  int sum = 0;
  for (size_t i = 0; i < 15; ++i) {
    const char ch = c[i];
    const int idx = (ch >= '0' && ch <= '9') ? ch - '0' : ch - 'A';
    sum += (i % 2 == 0) ? kOdd[idx] : idx;
  }
  return c[15] == static_cast<char>('A' + sum % 26);
}

bool LvPersonalCodeValid(std::string_view d) {
  if (d.size() != 11 || !AllDigits(d))
    return false;
  if (d[0] == '3' && d[1] == '2')
    return true;  // codes issued since 2017: no date, no check digit
  const int day = PrefixNumber(d, 2);
  const int month = PrefixNumber(d.substr(2), 2);
  const int yy = PrefixNumber(d.substr(4), 2);
  const int century = d[6] - '0';
  if (century > 2)
    return false;
  if (!ValidDate(day, month, 1800 + century * 100 + yy))
    return false;
  static const int kWeights[] = {1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 10; ++i)
    sum += (d[i] - '0') * kWeights[i];
  const int r = (1101 - sum) % 11;
  if (r == 10)
    return false;
  return r == d[10] - '0';
}

bool UsSsnValid(std::string_view d) {
  if (d.size() != 9 || !AllDigits(d))
    return false;
  const int area = PrefixNumber(d, 3);
  const int group = PrefixNumber(d.substr(3), 2);
  const int serial = PrefixNumber(d.substr(5), 4);
  if (area == 0 || area == 666 || area >= 900)
    return false;
  return group != 0 && serial != 0;
}

bool IsSampleSsn(std::string_view d) {
  return d == "123456789" || d == "078051120" || d == "219099999" || d == "457555462" ||
         (d.size() == 9 && std::all_of(d.begin(), d.end(), [&](char c) { return c == d[0]; }));
}

bool IsSampleFiscalCode(std::string_view code) {
  return code == "RSSMRA85T10A562S" || code == "RSSMRA80A01H501U";
}

uint32_t Crc32(std::string_view data) {
  static const std::array<uint32_t, 256> kTable = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (const char ch : data)
    crc = kTable[(crc ^ static_cast<uint8_t>(ch)) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

bool GithubTokenChecksumValid(std::string_view token) {
  if (token.size() != 40 || token[3] != '_')
    return false;
  const std::string_view body = token.substr(4, 30);
  const std::string_view check = token.substr(34, 6);
  static constexpr std::string_view kBase62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  uint32_t crc = Crc32(body);
  std::string encoded(6, '0');
  for (size_t i = 6; i-- > 0;) {
    encoded[i] = kBase62[crc % 62];
    crc /= 62;
  }
  return encoded == check;
}

bool JwtValid(std::string_view token) {
  const size_t dot1 = token.find('.');
  if (dot1 == std::string_view::npos)
    return false;
  const std::string header = Base64UrlDecode(token.substr(0, dot1));
  const auto h = nlohmann::json::parse(header, nullptr, false);
  const auto p = nlohmann::json::parse(JwtPayload(token), nullptr, false);
  return h.is_object() && p.is_object() && h.contains("alg");
}

bool IsSampleJwt(std::string_view token) {
  const std::string payload = JwtPayload(token);
  return payload.find("John Doe") != std::string::npos ||
         payload.find("example") != std::string::npos;
}

double ShannonEntropy(std::string_view s) {
  std::map<char32_t, int> counts;
  size_t i = 0;
  int n = 0;
  while (i < s.size()) {
    ++counts[DecodeUtf8(s, i)];
    ++n;
  }
  if (n == 0)
    return 0;
  double h = 0;
  for (const auto& [cp, count] : counts) {
    const double p = static_cast<double>(count) / n;
    h -= p * std::log2(p);
  }
  return h;
}

bool LooksLikePlaceholder(std::string_view value) {
  if (value.empty())
    return true;
  const std::string lower = ToLowerAscii(value);
  if (lower.size() >= 7 && lower.compare(lower.size() - 7, 7, "example") == 0)
    return true;
  if (lower.ends_with("...") || value.ends_with("\u2026"))
    return true;
  for (const char* marker :
       {"example",    "sample",     "dummy",      "placeholder", "your_", "your-",     "yourtoken",
        "yourkey",    "yourpass",   "yoursecret", "redacted",    "xxxx",  "changeme",  "change_me",
        "change-me",  "insert_",    "insert-",    "<",           ">",     "${",        "{{",
        "fake",       "****",       "\u2022",     "_here",       "-here", "goes_here", "notreal",
        "not-a-real", "not_a_real", "mysecret",   "mypassword"}) {
    if (lower.find(marker) != std::string::npos)
      return true;
  }
  if (lower.size() >= 2 && lower.front() == '%' && lower.back() == '%')
    return true;
  if (lower.front() == '$')
    return true;
  for (const char* word : {"password", "passw0rd", "secret", "token",   "pass", "null", "none",
                           "true",     "false",    "hidden", "foobar",  "foo",  "bar",  "test",
                           "string",   "value",    "apikey", "api_key", "key",  "pwd",  "abc123"}) {
    if (lower == word)
      return true;
  }
  // Few distinct characters: "aaaaaaaa", "xXxX", "0000".
  std::array<bool, 256> seen{};
  int distinct = 0;
  int alnum = 0;
  for (const char c : lower) {
    if (IsAsciiAlnum(c))
      ++alnum;
    if (!seen[static_cast<uint8_t>(c)]) {
      seen[static_cast<uint8_t>(c)] = true;
      ++distinct;
    }
  }
  if (distinct <= 2 || alnum == 0)
    return true;
  // Sequential runs ("abcdef", "123456789", "AbCdEfGh"): placeholders when they make up most
  // of the value.
  size_t in_runs = 0;
  size_t run = 1;
  for (size_t i = 1; i <= lower.size(); ++i) {
    if (i < lower.size() && IsAsciiAlnum(lower[i]) && lower[i] == lower[i - 1] + 1) {
      ++run;
      continue;
    }
    if (run >= 5)
      in_runs += run;
    run = 1;
  }
  return in_runs * 10 >= static_cast<size_t>(alnum) * 6;
}

bool IsReservedDomain(std::string_view domain) {
  const std::string d = ToLowerAscii(domain);
  auto is_or_under = [&](std::string_view root) {
    return d == root ||
           (d.size() > root.size() && d.ends_with(root) && d[d.size() - root.size() - 1] == '.');
  };
  for (const char* root : {"example.com", "example.net", "example.org", "example", "test",
                           "invalid", "localhost", "local", "example.edu"}) {
    if (is_or_under(root))
      return true;
  }
  return false;
}

std::string MaskMiddle(std::string_view value, size_t keep_front, size_t keep_back) {
  size_t total = 0;
  for (const char c : value) {
    if (IsAsciiAlnum(c))
      ++total;
  }
  if (keep_front + keep_back >= total) {
    // Too short to show anything safely: keep at most a quarter at each end.
    keep_front = std::min(keep_front, total / 4);
    keep_back = std::min(keep_back, total / 4);
  }
  std::string out;
  size_t seen = 0;
  size_t bullets_in_run = 0;
  size_t i = 0;
  while (i < value.size()) {
    const size_t start = i;
    const char32_t cp = DecodeUtf8(value, i);
    const bool alnum = cp < 0x80 && IsAsciiAlnum(static_cast<char>(cp));
    if (!alnum) {
      out.append(value.substr(start, i - start));
      bullets_in_run = 0;
      continue;
    }
    const bool keep = seen < keep_front || seen >= total - keep_back;
    ++seen;
    if (keep) {
      out.push_back(static_cast<char>(cp));
      bullets_in_run = 0;
    } else if (bullets_in_run < 16) {
      out += "\u2022";
      ++bullets_in_run;
    }
  }
  return out;
}

MappedText NormalizeForDetectors(std::string_view text) {
  const bool ascii = std::all_of(text.begin(), text.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii)
    return MappedText::Identity(std::string(text));
  std::string out;
  std::vector<uint32_t> map;
  out.reserve(text.size());
  map.reserve(text.size() + 1);
  size_t i = 0;
  while (i < text.size()) {
    const auto start = static_cast<uint32_t>(i);
    const char32_t cp = DecodeUtf8(text, i);
    auto emit = [&](char c) {
      out.push_back(c);
      map.push_back(start);
    };
    if (cp < 0x80) {
      emit(static_cast<char>(cp));
      continue;
    }
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
      emit(static_cast<char>(cp - 0xFEE0));
      continue;
    }
    if (u_isdigit(static_cast<UChar32>(cp))) {
      const int v = u_charDigitValue(static_cast<UChar32>(cp));
      if (v >= 0 && v <= 9) {
        emit(static_cast<char>('0' + v));
        continue;
      }
    }
    if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
        cp == 0x3000 || cp == 0x1680) {
      emit(' ');
      continue;
    }
    if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 || cp == 0xFE63) {
      emit('-');
      continue;
    }
    if ((cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 || cp == 0xFEFF || cp == 0xAD ||
        (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
      continue;  // invisible: dropped
    }
    const size_t before = out.size();
    out.append(text.substr(start, i - start));
    map.insert(map.end(), out.size() - before, start);
  }
  map.push_back(static_cast<uint32_t>(text.size()));
  return MappedText(std::move(out), std::move(map));
}

std::optional<int> ParseIsoDate(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-')
    return std::nullopt;
  const std::string_view y = s.substr(0, 4);
  const std::string_view m = s.substr(5, 2);
  const std::string_view d = s.substr(8, 2);
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d))
    return std::nullopt;
  const int year = PrefixNumber(y, 4);
  const int month = PrefixNumber(m, 2);
  const int day = PrefixNumber(d, 2);
  if (!ValidDate(day, month, year))
    return std::nullopt;
  return year * 10000 + month * 100 + day;
}

}  // namespace postlint::detectors
