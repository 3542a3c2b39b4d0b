// Recognizers for credentials and keys. The patterns in the table find the shapes; what is
// decided here is whether a shape is a real secret, a documentation placeholder, or a
// look-alike that is not reported at all.
#include <algorithm>
#include <cstring>

#include <re2/re2.h>

#include "rules/support/detectors/context_words.h"
#include "rules/support/detectors/recognizers.h"
#include "rules/support/detectors/validators.h"

namespace postlint::detectors {
namespace {

// Group 1 and where it lies; a group that did not take part stands at the match's start.
struct Value {
  std::string_view v;
  uint32_t begin = 0;
  uint32_t end = 0;
};

Value GroupOne(const Candidate& c, const Scan& s) {
  const std::string_view v = c.groups[1];
  const uint32_t vb = v.data() ? OffsetIn(s, v) : c.begin;
  return {v, vb, vb + static_cast<uint32_t>(v.size())};
}

size_t VendorPrefixLength(const Detector& d, std::string_view token) {
  // A missing separator gives npos + 1 == 0: no prefix.
  return d.prefix.through != 0 ? token.find(d.prefix.through) + 1 : d.prefix.length;
}

// The random part of a token is a placeholder when it reads like one or is too regular to
// have come from a key generator.
bool TokenBodyIsPlaceholder(const Detector& d, std::string_view body) {
  return IsPlaceholder(d, body) || ShannonEntropy(body) < d.min_entropy;
}

}  // namespace

bool RecognizePrivateKey(const Detector& d, const Candidate& c, const Scan& s,
                         std::vector<Hit>& hits) {
  const std::string& t = s.text;
  const size_t end_marker = t.find("-----END", c.end);
  size_t end = t.size();
  if (end_marker != std::string::npos) {
    const size_t close = t.find("-----", end_marker + 8);
    end = close == std::string::npos ? t.size() : close + 5;
  }
  const std::string_view body(t.data() + c.end,
                              (end_marker == std::string::npos ? end : end_marker) - c.end);
  const std::string_view header(t.data() + c.begin, c.end - c.begin);
  hits.push_back({c.begin, static_cast<uint32_t>(end), IndexOf(d), d.mask({.before = header}), "",
                  IsPlaceholder(d, body), ""});
  return true;
}

bool RecognizeJwt(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits) {
  const Value g = GroupOne(c, s);
  if (!d.validate(g.v))
    return false;
  hits.push_back(
      {g.begin, g.end, IndexOf(d), d.mask({.value = g.v}), "", IsPlaceholder(d, g.v), ""});
  return true;
}

bool RecognizeUrlCredentials(const Detector& d, const Candidate& c, const Scan& s,
                             std::vector<Hit>& hits) {
  const std::string_view user = c.groups[1];
  const std::string_view pass = c.groups[2];
  const std::string_view host = c.groups[3];
  const bool placeholder = IsPlaceholder(d, pass) || IsReservedDomain(host) ||
                           (IsPlaceholder(d, user) && pass.size() < 6);
  const std::string_view scheme(s.text.data() + c.begin,
                                static_cast<size_t>(user.data() - (s.text.data() + c.begin)));
  hits.push_back({c.begin, c.end, IndexOf(d),
                  d.mask({.value = user, .before = scheme, .after = host}), "", placeholder, ""});
  return true;
}

bool RecognizeSlackWebhook(const Detector& d, const Candidate& c, const Scan& s,
                           std::vector<Hit>& hits) {
  constexpr std::string_view kBase = "https://hooks.slack.com/";
  const Value g = GroupOne(c, s);
  hits.push_back({g.begin, g.end, IndexOf(d), d.mask({.before = kBase}), "",
                  IsPlaceholder(d, g.v.substr(kBase.size())), ""});
  return true;
}

bool RecognizeToken(const Detector& d, const Candidate& c, const Scan& s, std::vector<Hit>& hits) {
  const Value g = GroupOne(c, s);
  const size_t prefix = VendorPrefixLength(d, g.v);
  hits.push_back({g.begin, g.end, IndexOf(d), d.mask({.value = g.v, .keep = prefix}), "",
                  TokenBodyIsPlaceholder(d, g.v.substr(prefix)), ""});
  return true;
}

bool RecognizeGithubToken(const Detector& d, const Candidate& c, const Scan& s,
                          std::vector<Hit>& hits) {
  constexpr std::string_view kFineGrained = "github_pat_";
  const Value g = GroupOne(c, s);
  const bool fine_grained = g.v.rfind(kFineGrained, 0) == 0;
  const size_t prefix = fine_grained ? kFineGrained.size() : VendorPrefixLength(d, g.v);
  const bool placeholder = TokenBodyIsPlaceholder(d, g.v.substr(prefix));
  if (!fine_grained && !placeholder && !d.validate(g.v))
    return false;  // a look-alike: real classic tokens carry a CRC32
  hits.push_back(
      {g.begin, g.end, IndexOf(d), d.mask({.value = g.v, .keep = prefix}), "", placeholder, ""});
  return true;
}

bool RecognizeStripeKey(const Detector& d, const Candidate& c, const Scan& s,
                        std::vector<Hit>& hits) {
  const Value g = GroupOne(c, s);
  const size_t prefix = VendorPrefixLength(d, g.v);
  // Keys from Stripe's own documentation, which people paste into tutorials.
  const bool placeholder = TokenBodyIsPlaceholder(d, g.v.substr(prefix)) ||
                           g.v == "sk_test_4eC39HqLyjWDarjtT1zdp7dc" ||
                           g.v == "sk_test_BQokikJOvBiI2HlWgH4olfQ2";
  hits.push_back({g.begin, g.end, IndexOf(d), d.mask({.value = g.v, .keep = prefix}),
                  g.v.find("_test_") != std::string_view::npos ? " (test mode)" : "", placeholder,
                  ""});
  return true;
}

bool RecognizePasswordAssignment(const Detector& d, const Candidate& c, const Scan& s,
                                 std::vector<Hit>& hits) {
  std::string_view v = c.groups[2];
  if (!v.data())
    return false;
  const uint32_t vb = OffsetIn(s, v);
  while (!v.empty() && std::strchr(".,;)]}", v.back()))
    v.remove_suffix(1);
  if (v.size() < 6 || v.find("://") != std::string_view::npos || v[0] == '/' || v[0] == '~')
    return false;
  bool lower = false, upper = false, digit = false, symbol = false;
  for (const char ch : v) {
    if (ch >= 'a' && ch <= 'z')
      lower = true;
    else if (ch >= 'A' && ch <= 'Z')
      upper = true;
    else if (IsDigit(ch))
      digit = true;
    else
      symbol = true;
  }
  // Human-chosen passwords ("Gr4nit0!Lago", about 3.4 bits per character) fall under any
  // useful entropy floor: a digit or a symbol is what tells them from words.
  const bool strong = digit || symbol || (v.size() >= 12 && ShannonEntropy(v) >= 3.5);
  if (!strong || (!lower && !upper && !symbol))
    return false;  // a word ("reset"), or a number (a PIN length, a year)
  hits.push_back({vb, vb + static_cast<uint32_t>(v.size()), IndexOf(d), d.mask({.value = v}), "",
                  IsPlaceholder(d, v), ""});
  return true;
}

bool MentionsContextWord(const Detector& d, const Scan& s) {
  return WordBefore(s.lower, static_cast<uint32_t>(s.lower.size()),
                    static_cast<uint32_t>(s.lower.size()), d.context);
}

bool RecognizeGenericSecret(const Detector& d, const Candidate& c, const Scan& s,
                            std::vector<Hit>& hits) {
  const std::string& t = s.text;
  const Value g = GroupOne(c, s);
  std::string_view v = g.v;
  const uint32_t vb = g.begin;
  while (!v.empty() && (v.back() == '=' || v.back() == '-' || v.back() == '_'))
    v.remove_suffix(1);
  if (v.size() < 20)
    return false;
  if (vb > 0 && (t[vb - 1] == '#' || t[vb - 1] == '@'))
    return false;
  // Vendor-prefixed shapes are the vendor detectors' business: one that did not validate
  // there (a ghp_ look-alike without its checksum, a public pk_ key) is not a secret here.
  for (const char* prefix : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "AKIA", "ASIA",
                             "xox", "sk_", "pk_", "rk_", "AIza", "glpat-", "sk-"}) {
    if (v.rfind(prefix, 0) == 0)
      return false;
  }
  if (!WordBefore(s.lower, vb, 40, d.context) || WordBefore(s.lower, vb, 40, kHashWords))
    return false;
  static const RE2 kUuid(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  if (RE2::FullMatch(re2::StringPiece(v.data(), v.size()), kUuid))
    return false;
  bool letter = false, digit = false, hex_only = true;
  for (const char ch : v) {
    if (IsDigit(ch))
      digit = true;
    else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
      letter = true;
    if (!(IsDigit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
      hex_only = false;
  }
  if (!letter || !digit)
    return false;
  const double min_entropy = s.settings.min_entropy;
  const double h = ShannonEntropy(v);
  if (h < (hex_only ? min_entropy - 0.5 : min_entropy))
    return false;
  if (hex_only && v.size() < 32)
    return false;
  hits.push_back({vb, vb + static_cast<uint32_t>(v.size()), IndexOf(d), d.mask({.value = v}), "",
                  IsPlaceholder(d, v), ""});
  return true;
}

bool HasNoKeyBody(std::string_view body) {
  const auto b64 = std::count_if(body.begin(), body.end(),
                                 [](char ch) { return IsAlnum(ch) || ch == '+' || ch == '/'; });
  return b64 < 40;
}

bool IsPlaceholderWebhookPath(std::string_view path) {
  return LooksLikePlaceholder(path) || path.find("T00000000") != std::string_view::npos ||
         path.find("XXXXXXXX") != std::string_view::npos;
}

}  // namespace postlint::detectors
