// Finds confidential and personal data that validates (cards, IBANs, national ids, phone
// numbers, e-mail addresses, IP addresses, internal host names, credentials and keys) and
// embargoed terms, and reports each with a masked excerpt: no report ever carries the value.
// Validation lives in rules/support/detectors/validators.*. User docs: docs/rules/detector.md
//
// Pipeline per post (Check() is const and thread-safe; everything is compiled once):
//   1. normalise (fullwidth and other Unicode digits, no-break spaces, dashes, invisibles),
//      with a map back to the original bytes;
//   2. cheap prefilters: one RE2::Set over every regex detector, digit counts for numbers;
//   3. candidates -> validation (checksums, registries, entropy, context words);
//   4. overlap resolution by priority (a validated secret beats a phone reading of its digits);
//   5. placeholders, allowlists and the detector selection decide what is reported.
#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <phonenumbers/phonenumberutil.h>
#include <set>

#include <nlohmann/json.hpp>
#include <re2/re2.h>
#include <re2/set.h>
#include <unicode/uchar.h>

#include "core/utf8.h"
#include "rules/rule.h"
#include "rules/support/detectors/context_words.h"
#include "rules/support/detectors/digit_runs.h"
#include "rules/support/detectors/validators.h"
#include "rules/support/term_matcher.h"

namespace postlint {
namespace {

using namespace detectors;  // NOLINT(google-build-using-namespace)

// Detectors in priority order: when two candidates overlap, the earlier one wins.
enum Det : int {
  kPrivateKey,
  kJwt,
  kUrlCredentials,
  kSlackWebhook,
  kAwsAccessKey,
  kAwsSecretKey,
  kGithubToken,
  kGitlabToken,
  kSlackToken,
  kStripeKey,
  kGoogleApiKey,
  kOpenaiApiKey,
  kPasswordAssignment,
  kGenericSecret,
  kCreditCard,
  kIban,
  kItFiscalCode,
  kLvPersonalCode,
  kHrOib,
  kUsSsn,
  kEmail,
  kInternalHost,
  kIpAddress,
  kPhone,
  kEmbargo,
  kDetCount
};

struct DetInfo {
  const char* name;
  const char* label;
};

constexpr std::array<DetInfo, kDetCount> kDets = {{
    {"private_key", "Private key"},
    {"jwt", "JSON Web Token"},
    {"url_credentials", "Password in a URL"},
    {"slack_webhook", "Slack webhook URL"},
    {"aws_access_key", "AWS access key id"},
    {"aws_secret_key", "AWS secret access key"},
    {"github_token", "GitHub token"},
    {"gitlab_token", "GitLab token"},
    {"slack_token", "Slack token"},
    {"stripe_key", "Stripe secret key"},
    {"google_api_key", "Google API key"},
    {"openai_api_key", "OpenAI API key"},
    {"password_assignment", "Password or key value"},
    {"generic_secret", "Secret-looking string"},
    {"credit_card", "Credit card number"},
    {"iban", "IBAN"},
    {"it_fiscal_code", "Italian fiscal code"},
    {"lv_personal_code", "Latvian personal code"},
    {"hr_oib", "Croatian OIB"},
    {"us_ssn", "US Social Security number"},
    {"email", "E-mail address"},
    {"internal_host", "Internal host name"},
    {"ip_address", "IP address"},
    {"phone", "Phone number"},
    {"embargo", "Embargoed term"},
}};

bool IsSecretDet(int d) {
  return d <= kGenericSecret;
}

// A candidate in normalized-text byte offsets.
struct Hit {
  uint32_t begin = 0;
  uint32_t end = 0;
  int det = 0;
  std::string excerpt;  // masked
  std::string detail;   // shown in the message; never the value
  bool placeholder = false;
  std::string allow_key;  // compared against the allowlist (email, domain, E.164 phone)
};

// --- the rule ---------------------------------------------------------------------------------

struct RegexDetector {
  int det;
  std::unique_ptr<RE2> re;
};

struct EmbargoTerm {
  std::string term;     // as written in the policy
  std::string lowered;  // matched form
  int until = 0;        // yyyymmdd
  std::string until_text;
};

struct InternalDomain {
  std::string suffix;  // lower case, no leading dot
  bool subdomains_only = false;
};

int TodayUtc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
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

class DetectorRule final : public Rule {
 public:
  explicit DetectorRule(RuleInit& init) : Rule(init), set_(MakeRe2Options(), RE2::UNANCHORED) {
    const std::vector<std::string> selected = init.options.StringList(
        "detectors",
        "detectors this rule reports (default: all); see the list in docs/rules/detector.md");
    std::vector<std::string> names;
    for (const auto& d : kDets)
      names.emplace_back(d.name);
    if (selected.empty()) {
      enabled_.fill(true);
    } else {
      for (const auto& s : selected) {
        const auto it = std::find(names.begin(), names.end(), s);
        if (it == names.end()) {
          init.options.ErrorAt("detectors", "unknown detector '" + s + "'" + DidYouMean(s, names));
          continue;
        }
        enabled_[static_cast<size_t>(it - names.begin())] = true;
      }
    }
    const std::string placeholders = init.options.Enum(
        "placeholders", "ignore", {"ignore", "only"},
        "ignore: documentation placeholders (EXAMPLE keys, test cards, example.com) are not "
        "reported; only: the rule reports just those, and must have level info");
    placeholders_only_ = placeholders == "only";
    if (placeholders_only_ && init.spec.level != Level::kInfo) {
      init.options.ErrorAt("placeholders",
                           "placeholders are reported at most as info: a rule with "
                           "'placeholders: only' needs 'level: info'");
    }
    for (const auto& a : init.options.StringList(
             "allow",
             "values that may be published: e-mail addresses, domains (acme.com, @acme.com), "
             "phone numbers in international form, or any other exact value")) {
      AddAllowed(a);
    }
    regions_ = init.options.StringList(
        "regions", "default regions for phone numbers written without +country code");
    if (regions_.empty())
      regions_ = {"IT", "LV", "HR", "US", "GB"};
    auto* phone_util = i18n::phonenumbers::PhoneNumberUtil::GetInstance();
    for (auto& r : regions_) {
      for (auto& c : r)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (phone_util->GetCountryCodeForRegion(r) == 0)
        init.options.ErrorAt("regions", "unknown region '" + r + "' (use ISO 3166 codes: IT, LV)");
    }
    // Allowed phone numbers need the regions to be read.
    for (const auto& raw : pending_phone_allow_)
      AddAllowedPhone(raw);

    std::vector<std::string> internal = init.options.StringList(
        "internal_domains",
        "domains whose hosts are internal: '*.corp.example.com' (subdomains only) or "
        "'corp.example.com' (it and its subdomains); default *.internal, *.intranet, *.corp, "
        "*.lan");
    if (internal.empty())
      internal = {"*.internal", "*.intranet", "*.corp", "*.lan"};
    for (auto d : internal) {
      InternalDomain dom;
      d = ToLowerAscii(d);
      if (d.rfind("*.", 0) == 0) {
        dom.subdomains_only = true;
        d = d.substr(2);
      } else if (!d.empty() && d[0] == '.') {
        dom.subdomains_only = true;
        d = d.substr(1);
      }
      if (d.empty() || d.find_first_of(" /@*") != std::string::npos) {
        init.options.ErrorAt("internal_domains", "invalid domain '" + d + "'");
        continue;
      }
      dom.suffix = d;
      internal_.push_back(std::move(dom));
    }
    public_ips_ = init.options.Bool(
        "public_ips", false,
        "also report public IP addresses (private, loopback and link-local ones always are)");
    const std::string entropy = init.options.String(
        "min_entropy", "3.5",
        "generic_secret: lowest Shannon entropy (bits per character) of a token near a "
        "secret-ish word; hex-only tokens use this minus 0.5");
    try {
      min_entropy_ = std::stod(entropy);
    } catch (...) {
      min_entropy_ = -1;
    }
    if (min_entropy_ < 1.0 || min_entropy_ > 6.0) {
      init.options.ErrorAt("min_entropy", "min_entropy must be a number from 1 to 6");
      min_entropy_ = 3.5;
    }
    ReadEmbargo(init);
    CompileRegexes();
    // Overlaps are resolved by priority, so detectors after the last selected one cannot
    // change what this rule reports: they are not run at all.
    for (int d = 0; d < kEmbargo; ++d) {
      if (enabled_[static_cast<size_t>(d)])
        last_needed_ = d;
    }

    init.DeclarePlaceholders({"detector", "label", "detail"});
    for (int d = 0; d < kDetCount; ++d) {
      std::string msg;
      if (placeholders_only_) {
        msg = "{label} that looks like a documentation placeholder: {excerpt}";
      } else if (d == kEmbargo) {
        msg = "Embargoed until {detail}: {excerpt}";
      } else if (d == kInternalHost || d == kIpAddress) {
        msg = "{label} ({detail}) must not be published: {excerpt}";
      } else if (IsSecretDet(d)) {
        msg = "{label} must not be published: {excerpt}{detail}";
      } else {
        msg = "{label} ({detail}) is personal or confidential data: {excerpt}";
      }
      init.SetDefaultMessage(msg, kDets[static_cast<size_t>(d)].name);
    }
  }

  void Check(const AnalyzedPost& post, const CheckContext&, FindingSink& sink) const override {
    const std::string_view original = post.text();
    if (original.empty())
      return;
    // Every detector rule of a policy reads the same normalised text: build it once per post.
    struct DetectorView {
      MappedText norm;
      std::string lower;
    };
    static const char kViewTag = 0;
    const DetectorView& view = post.Derived<DetectorView>(&kViewTag, "", [&] {
      MappedText n = NormalizeForDetectors(original);
      std::string l = SameLengthLower(n.text());
      return DetectorView{std::move(n), std::move(l)};
    });
    const MappedText& norm = view.norm;
    const std::string& t = norm.text();
    const std::string& lower = view.lower;
    std::vector<Hit> hits;

    RegexHits(t, lower, hits);
    const bool has_digits = std::any_of(t.begin(), t.end(), IsDigit);
    if (has_digits && last_needed_ >= kCreditCard)
      NumberHits(DigitRuns(t), lower, hits);
    if (has_digits && last_needed_ >= kPhone)
      PhoneHits(t, lower, post, norm, hits);
    if (!embargo_.empty() && enabled_[kEmbargo])
      EmbargoHits(t, lower, post, hits);

    // Overlap resolution: higher priority first; among equals, longer first.
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      if (a.det != b.det)
        return a.det < b.det;
      return a.begin < b.begin;
    });
    std::vector<const Hit*> accepted;
    for (const Hit& h : hits) {
      const bool overlaps =
          h.det != kEmbargo && std::any_of(accepted.begin(), accepted.end(), [&](const Hit* o) {
            return o->det != kEmbargo && h.begin < o->end && o->begin < h.end;
          });
      if (!overlaps)
        accepted.push_back(&h);
    }
    std::sort(accepted.begin(), accepted.end(),
              [](const Hit* a, const Hit* b) { return a->begin < b->begin; });
    for (const Hit* h : accepted) {
      if (!enabled_[static_cast<size_t>(h->det)])
        continue;
      if (h->placeholder != placeholders_only_)
        continue;
      if (IsAllowed(*h))
        continue;
      const DetInfo& info = kDets[static_cast<size_t>(h->det)];
      const ByteRange range{norm.ToOriginalBegin(h->begin), norm.ToOriginalEnd(h->end)};
      sink.Report(range, {{"detector", info.name}, {"label", info.label}, {"detail", h->detail}},
                  std::nullopt, h->excerpt, info.name);
    }
  }

 private:
  static RE2::Options MakeRe2Options() {
    RE2::Options o;
    o.set_log_errors(false);
    o.set_max_mem(32 << 20);
    return o;
  }

  void AddAllowed(const std::string& raw) {
    std::string v = raw;
    if (v.empty())
      return;
    const bool phone_like = std::count_if(v.begin(), v.end(), IsDigit) >= 6 &&
                            std::all_of(v.begin(), v.end(), [](char c) {
                              return IsDigit(c) || std::strchr("+ -.()/", c);
                            });
    if (phone_like) {
      pending_phone_allow_.push_back(v);
      std::string digits;
      std::copy_if(v.begin(), v.end(), std::back_inserter(digits), IsDigit);
      allowed_.insert(digits);  // a card or national id written with separators
      return;
    }
    allowed_.insert(ToLowerAscii(v));
  }

  void AddAllowedPhone(const std::string& raw) {
    auto* util = i18n::phonenumbers::PhoneNumberUtil::GetInstance();
    i18n::phonenumbers::PhoneNumber n;
    std::string e164;
    if (util->Parse(raw, regions_.front(), &n) ==
        i18n::phonenumbers::PhoneNumberUtil::NO_PARSING_ERROR) {
      util->Format(n, i18n::phonenumbers::PhoneNumberUtil::E164, &e164);
      allowed_.insert(e164);
    }
  }

  bool IsAllowed(const Hit& h) const {
    if (allowed_.empty() || h.allow_key.empty())
      return false;
    if (allowed_.count(h.allow_key) || allowed_.count(ToLowerAscii(h.allow_key)))
      return true;
    if (h.det == kEmail) {
      // "acme.com" or "@acme.com" allows every address at acme.com and its subdomains.
      const size_t at = h.allow_key.find('@');
      std::string domain = h.allow_key.substr(at + 1);
      while (!domain.empty()) {
        if (allowed_.count(domain) || allowed_.count("@" + domain))
          return true;
        const size_t dot = domain.find('.');
        if (dot == std::string::npos)
          break;
        domain = domain.substr(dot + 1);
      }
    }
    return false;
  }

  void ReadEmbargo(RuleInit& init) {
    const YAML::Node node = init.options.Raw(
        "embargo", "list of mappings",
        "terms confidential until a date: [{terms: [Kestrel, 'Q3 revenue'], until: 2025-09-01}]");
    if (!node.IsDefined() || node.IsNull())
      return;
    if (!node.IsSequence()) {
      init.options.Error(node, "embargo must be a list of {terms, until} mappings");
      return;
    }
    for (const auto& item : node) {
      if (!item.IsMap()) {
        init.options.Error(item, "each embargo entry must be a mapping with 'terms' and 'until'");
        continue;
      }
      const YAML::Node until = item["until"];
      std::optional<int> date;
      if (until.IsDefined() && until.IsScalar() && until.Scalar().size() == 10)
        date = ParseIsoDate(until.Scalar());
      if (!date) {
        init.options.Error(until.IsDefined() ? until : item,
                           "embargo 'until' must be a date written YYYY-MM-DD");
        continue;
      }
      std::vector<std::string> terms;
      const YAML::Node tn = item["terms"].IsDefined() ? item["terms"] : item["term"];
      if (!tn.IsDefined()) {
        // reported below
      } else if (tn.IsScalar()) {
        terms.push_back(tn.Scalar());
      } else if (tn.IsSequence()) {
        for (const auto& x : tn) {
          if (x.IsScalar())
            terms.push_back(x.Scalar());
        }
      }
      if (terms.empty()) {
        init.options.Error(item, "embargo entry needs 'terms' (a string or a list of strings)");
        continue;
      }
      for (const auto& key : item) {
        const std::string k = key.first.Scalar();
        if (k != "terms" && k != "term" && k != "until")
          init.options.Error(key.first, "unknown embargo key '" + k + "'; expected terms, until");
      }
      for (const auto& term : terms) {
        if (term.empty())
          continue;
        const MappedText n = NormalizeForDetectors(term);
        embargo_.push_back({term, SameLengthLower(n.text()), *date, until.Scalar()});
      }
    }
    std::vector<std::string> lowered;
    for (const auto& e : embargo_)
      lowered.push_back(e.lowered);
    embargo_matcher_ = TermMatcher(lowered);
  }

  void Add(int det, const char* pattern) {
    auto re = std::make_unique<RE2>(pattern, MakeRe2Options());
    std::string error;
    if (!re->ok() || set_.Add(pattern, &error) < 0)
      return;  // patterns are constants; the unit tests compile every one
    regexes_.push_back({det, std::move(re)});
  }

  void CompileRegexes() {
    Add(kPrivateKey, R"(-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----)");
    Add(kJwt, R"(\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*))");
    Add(kUrlCredentials,
        R"(\b[A-Za-z][A-Za-z0-9+.-]{1,15}://([^\s/:@]{1,64}):([^\s/@]{1,128})@([A-Za-z0-9][A-Za-z0-9.-]*))");
    Add(kSlackWebhook,
        R"((https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{20,}))");
    Add(kAwsAccessKey, R"(\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b)");
    Add(kAwsSecretKey,
        R"((?i:aws|amazon)[\w .-]{0,25}?(?i:secret|key)[\w .-]{0,20}?[\s:=\x60'"]{1,5}([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$))");
    Add(kGithubToken, R"(\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36})\b)");
    Add(kGithubToken, R"(\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b)");
    Add(kGitlabToken, R"(\b(gl(?:pat|dt|rt|ptt|oas|cbt)-[A-Za-z0-9_-]{20,}))");
    Add(kSlackToken, R"(\b(xox[abposr]-[0-9]{6,}-[A-Za-z0-9-]{8,}))");
    Add(kSlackToken, R"(\b(xapp-[0-9]-[A-Z0-9]{6,}-[0-9]{6,}-[a-z0-9]{20,}))");
    Add(kStripeKey, R"(\b((?:sk|rk)_(?:live|test)_(?:[A-Za-z0-9]{16,99}|\.\.\.|x{4,}|X{4,})))");
    Add(kGoogleApiKey, R"(\b(AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$))");
    Add(kOpenaiApiKey,
        R"(\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}))");
    Add(kOpenaiApiKey, R"(\b(sk-[A-Za-z0-9]{48})\b)");
    Add(kOpenaiApiKey, R"(\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}))");
    Add(kPasswordAssignment,
        R"((?i)(?:^|[^\pL\pN_])(password|passwd|pwd|passcode|passphrase|api[_-]?key|apikey|api[_-]?secret|secret[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token|lozinka|lozinke|lozinku|zaporka|šifra|parola d'accesso|parola|parole|paroli|parolu)(?:\s*[:=]+\s*|\s+(?:is|è|e|je|ir|was|glasi)\s*:?\s*)["'\x60]?([^\s"'\x60]{4,128}))");
    Add(kGenericSecret, R"((?:^|[^A-Za-z0-9+/=_-])([A-Za-z0-9+/=_-]{20,200}))");
    Add(kItFiscalCode,
        R"(\b([A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z])\b)");
    Add(kIban, R"(\b([A-Z]{2}[0-9]{2}(?:[ -]?[A-Z0-9]){11,30}))");
    Add(kEmail,
        R"(([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@([A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24})\b)");
    Add(kIpAddress,
        R"(\b((?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3})\b)");
    Add(kIpAddress, R"((?i)(?:^|[^0-9a-z:])((?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}))");
    Add(kInternalHost,
        R"((?i)(?:^|[^A-Za-z0-9.@-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62})\b)");
    compiled_ = set_.Compile();
  }

  // --- regex detectors ---------------------------------------------------------------------

  void RegexHits(const std::string& t, const std::string& lower, std::vector<Hit>& hits) const {
    if (!compiled_)
      return;
    std::vector<int> which;
    const re2::StringPiece input(t);
    if (!set_.Match(input, &which))
      return;
    std::sort(which.begin(), which.end());
    for (const int index : which) {
      const RegexDetector& rd = regexes_[static_cast<size_t>(index)];
      if (rd.det > last_needed_)
        continue;
      if (rd.det == kInternalHost && !MentionsInternalDomain(lower))
        continue;
      if (rd.det == kGenericSecret &&
          !WordBefore(lower, static_cast<uint32_t>(lower.size()),
                      static_cast<uint32_t>(lower.size()), kSecretWords)) {
        continue;
      }
      const int groups = rd.re->NumberOfCapturingGroups();
      std::vector<re2::StringPiece> sub(static_cast<size_t>(groups) + 1);
      size_t pos = 0;
      while (pos < t.size() && rd.re->Match(input, pos, t.size(), RE2::UNANCHORED, sub.data(),
                                            static_cast<int>(sub.size()))) {
        const auto mb = static_cast<uint32_t>(sub[0].data() - t.data());
        const auto me = static_cast<uint32_t>(mb + sub[0].size());
        OnRegexMatch(rd.det, t, lower, sub, mb, me, hits);
        pos = me > pos ? me : pos + 1;
      }
    }
  }

  bool MentionsInternalDomain(const std::string& lower) const {
    return std::any_of(internal_.begin(), internal_.end(), [&](const InternalDomain& d) {
      return lower.find(d.suffix) != std::string::npos;
    });
  }

  static uint32_t Off(const std::string& t, const re2::StringPiece& p) {
    return static_cast<uint32_t>(p.data() - t.data());
  }

  // Prefix and suffix kept in token excerpts: enough to recognise the key, never to use it.
  static std::string MaskToken(std::string_view v, size_t prefix) {
    return MaskMiddle(v, prefix, 4);
  }

  void OnRegexMatch(int det, const std::string& t, const std::string& lower,
                    const std::vector<re2::StringPiece>& sub, uint32_t mb, uint32_t me,
                    std::vector<Hit>& hits) const {
    auto group = [&](size_t k) -> std::string_view {
      return k < sub.size() && sub[k].data() ? std::string_view(sub[k].data(), sub[k].size())
                                             : std::string_view();
    };
    auto add = [&](uint32_t b, uint32_t e, std::string excerpt, bool placeholder,
                   std::string detail = "", std::string allow_key = "") {
      hits.push_back(
          {b, e, det, std::move(excerpt), std::move(detail), placeholder, std::move(allow_key)});
    };
    const std::string_view v = group(1);
    const uint32_t vb = v.data() ? Off(t, sub[1]) : mb;
    const uint32_t ve = vb + static_cast<uint32_t>(v.size());
    switch (det) {
      case kPrivateKey: {
        const size_t end_marker = t.find("-----END", me);
        size_t end = t.size();
        if (end_marker != std::string::npos) {
          const size_t close = t.find("-----", end_marker + 8);
          end = close == std::string::npos ? t.size() : close + 5;
        }
        const std::string_view body(t.data() + me,
                                    (end_marker == std::string::npos ? end : end_marker) - me);
        const auto b64 = std::count_if(body.begin(), body.end(),
                                       [](char c) { return IsAlnum(c) || c == '+' || c == '/'; });
        const std::string header(t.data() + mb, me - mb);
        add(mb, static_cast<uint32_t>(end), header + "\u2022\u2022\u2022\u2022", b64 < 40);
        break;
      }
      case kJwt: {
        const size_t dot1 = v.find('.');
        const size_t dot2 = v.find('.', dot1 + 1);
        const std::string header = Base64UrlDecode(v.substr(0, dot1));
        const std::string payload = Base64UrlDecode(v.substr(dot1 + 1, dot2 - dot1 - 1));
        const auto h = nlohmann::json::parse(header, nullptr, false);
        const auto p = nlohmann::json::parse(payload, nullptr, false);
        if (!h.is_object() || !p.is_object() || !h.contains("alg"))
          return;
        // The jwt.io sample token and tokens whose claims say they are examples.
        const bool sample = payload.find("John Doe") != std::string::npos ||
                            payload.find("example") != std::string::npos;
        add(vb, ve, MaskMiddle(v.substr(0, std::min<size_t>(v.size(), 40)), 3, 0) + "\u2026",
            sample);
        break;
      }
      case kUrlCredentials: {
        const std::string_view user = group(1);
        const std::string_view pass = group(2);
        const std::string_view host = group(3);
        const bool placeholder = LooksLikePlaceholder(pass) || IsReservedDomain(host) ||
                                 (LooksLikePlaceholder(user) && pass.size() < 6);
        const std::string scheme(t.data() + mb, static_cast<size_t>(user.data() - (t.data() + mb)));
        add(mb, me,
            scheme + std::string(user.substr(0, 1)) +
                "\u2022\u2022\u2022:\u2022\u2022\u2022\u2022"
                "\u2022\u2022\u2022\u2022@" +
                std::string(host),
            placeholder);
        break;
      }
      case kSlackWebhook: {
        const std::string_view path = v.substr(std::string_view("https://hooks.slack.com/").size());
        const bool placeholder = LooksLikePlaceholder(path) ||
                                 path.find("T00000000") != std::string_view::npos ||
                                 path.find("XXXXXXXX") != std::string_view::npos;
        add(vb, ve, "https://hooks.slack.com/\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022",
            placeholder);
        break;
      }
      case kAwsAccessKey: {
        const std::string_view body = v.substr(4);
        add(vb, ve, MaskToken(v, 4), LooksLikePlaceholder(body) || ShannonEntropy(body) < 2.5);
        break;
      }
      case kAwsSecretKey:
        add(vb, ve, MaskToken(v, 0), LooksLikePlaceholder(v) || ShannonEntropy(v) < 3.5);
        break;
      case kGithubToken: {
        const bool fine_grained = v.rfind("github_pat_", 0) == 0;
        const std::string_view body = v.substr(fine_grained ? 11 : 4);
        bool placeholder = LooksLikePlaceholder(body) || ShannonEntropy(body) < 3.0;
        if (!fine_grained && !placeholder && !GithubTokenChecksumValid(v))
          return;  // a look-alike: real classic tokens carry a CRC32
        add(vb, ve, MaskToken(v, fine_grained ? 11 : 4), placeholder);
        break;
      }
      case kGitlabToken:
      case kSlackToken:
      case kOpenaiApiKey: {
        const size_t dash = v.find('-');
        const std::string_view body = v.substr(dash + 1);
        add(vb, ve, MaskToken(v, dash + 1),
            LooksLikePlaceholder(body) || ShannonEntropy(body) < 3.0);
        break;
      }
      case kStripeKey: {
        const std::string_view body = v.substr(8);
        const bool placeholder = LooksLikePlaceholder(body) || ShannonEntropy(body) < 3.0 ||
                                 v == "sk_test_4eC39HqLyjWDarjtT1zdp7dc" ||
                                 v == "sk_test_BQokikJOvBiI2HlWgH4olfQ2";
        add(vb, ve, MaskToken(v, 8), placeholder,
            v.find("_test_") != std::string_view::npos ? " (test mode)" : "");
        break;
      }
      case kGoogleApiKey: {
        const std::string_view body = v.substr(4);
        add(vb, ve, MaskToken(v, 4), LooksLikePlaceholder(body) || ShannonEntropy(body) < 3.0);
        break;
      }
      case kPasswordAssignment:
        if (group(2).data())
          PasswordHit(t, group(2), Off(t, sub[2]), hits);
        break;
      case kGenericSecret:
        GenericSecretHit(t, lower, v, vb, hits);
        break;
      case kItFiscalCode: {
        std::string code(v);
        const bool upper =
            std::none_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
        const bool lower_case =
            std::none_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
        if (!upper && !lower_case)
          return;
        for (auto& c : code)
          c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (!ItFiscalCodeValid(code))
          return;
        add(vb, ve, MaskMiddle(code, 0, 2),
            code == "RSSMRA85T10A562S" || code == "RSSMRA80A01H501U", "checksum valid");
        break;
      }
      case kIban:
        IbanHit(t, vb, hits);
        break;
      case kEmail: {
        const std::string_view local = group(1);
        const std::string_view domain = group(2);
        const char before = mb > 0 ? t[mb - 1] : 0;
        if (before == '@' || before == '.' || before == '-' || before == '+' || before == '/' ||
            before == ':')
          return;  // fediverse handle (@user@host), or part of a URL or path
        static const std::set<std::string, std::less<>> kFileExt = {
            "png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "mp4", "js", "css", "html"};
        const std::string dl = ToLowerAscii(domain);
        const std::string tld = dl.substr(dl.rfind('.') + 1);
        if (kFileExt.count(tld))
          return;  // logo@2x.png
        const std::string ll = ToLowerAscii(local);
        if (ll == "git" && (dl == "github.com" || dl == "gitlab.com" || dl == "bitbucket.org"))
          return;  // ssh remote
        const bool placeholder = IsReservedDomain(dl) || LooksLikePlaceholder(ll) || ll == "user" ||
                                 ll == "name" || ll == "john.doe" || ll == "jane.doe" ||
                                 ll == "someone";
        add(mb, me, MaskMiddle(local, 1, 0) + "@" + std::string(domain), placeholder, "address",
            ll + "@" + dl);
        break;
      }
      case kIpAddress:
        IpHit(t, lower, v, vb, hits);
        break;
      case kInternalHost:
        InternalHostHit(t, v, vb, hits);
        break;
      default:
        break;
    }
  }

  void PasswordHit(const std::string& t, std::string_view v, uint32_t vb,
                   std::vector<Hit>& hits) const {
    while (!v.empty() && std::strchr(".,;)]}", v.back()))
      v.remove_suffix(1);
    if (v.size() < 6 || v.find("://") != std::string_view::npos || v[0] == '/' || v[0] == '~')
      return;
    bool lower = false, upper = false, digit = false, symbol = false;
    for (const char c : v) {
      if (c >= 'a' && c <= 'z')
        lower = true;
      else if (c >= 'A' && c <= 'Z')
        upper = true;
      else if (IsDigit(c))
        digit = true;
      else
        symbol = true;
    }
    const bool strong = digit || symbol || (v.size() >= 12 && ShannonEntropy(v) >= 3.5);
    if (!strong || (!lower && !upper && !symbol))
      return;  // a word ("reset"), or a number (a PIN length, a year)
    (void)t;
    hits.push_back({vb, vb + static_cast<uint32_t>(v.size()), kPasswordAssignment,
                    "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022", "", LooksLikePlaceholder(v),
                    ""});
  }

  void GenericSecretHit(const std::string& t, const std::string& lower, std::string_view v,
                        uint32_t vb, std::vector<Hit>& hits) const {
    while (!v.empty() && (v.back() == '=' || v.back() == '-' || v.back() == '_'))
      v.remove_suffix(1);
    if (v.size() < 20)
      return;
    if (vb > 0 && (t[vb - 1] == '#' || t[vb - 1] == '@'))
      return;
    // Vendor-prefixed shapes are the vendor detectors' business: one that did not validate
    // there (a ghp_ look-alike without its checksum, a public pk_ key) is not a secret here.
    for (const char* prefix : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "AKIA",
                               "ASIA", "xox", "sk_", "pk_", "rk_", "AIza", "glpat-", "sk-"}) {
      if (v.rfind(prefix, 0) == 0)
        return;
    }
    if (!WordBefore(lower, vb, 40, kSecretWords) || WordBefore(lower, vb, 40, kHashWords))
      return;
    static const RE2 kUuid(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    if (RE2::FullMatch(re2::StringPiece(v.data(), v.size()), kUuid))
      return;
    bool letter = false, digit = false, hex_only = true;
    for (const char c : v) {
      if (IsDigit(c))
        digit = true;
      else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        letter = true;
      if (!(IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
        hex_only = false;
    }
    if (!letter || !digit)
      return;
    const double h = ShannonEntropy(v);
    if (h < (hex_only ? min_entropy_ - 0.5 : min_entropy_))
      return;
    if (hex_only && v.size() < 32)
      return;
    hits.push_back({vb, vb + static_cast<uint32_t>(v.size()), kGenericSecret, MaskMiddle(v, 2, 2),
                    "", LooksLikePlaceholder(v), ""});
  }

  void IbanHit(const std::string& t, uint32_t vb, std::vector<Hit>& hits) const {
    const int len = IbanLength(std::string_view(t).substr(vb, 2));
    if (len == 0)
      return;  // not a registry country (RF creditor references, random codes)
    std::string compact;
    size_t i = vb;
    while (i < t.size() && compact.size() < static_cast<size_t>(len)) {
      const char c = t[i];
      if ((c >= 'A' && c <= 'Z') || IsDigit(c)) {
        compact.push_back(c);
        ++i;
      } else if ((c == ' ' || c == '-') && i + 1 < t.size() && IsAlnum(t[i + 1]) &&
                 compact.size() >= 4) {
        ++i;
      } else {
        break;
      }
    }
    if (compact.size() != static_cast<size_t>(len))
      return;
    if (i < t.size() && (IsAlnum(t[i]) || IsLetterByte(t[i])))
      return;  // runs on: a longer code, or letters of the next word
    if (!IbanValid(compact))
      return;
    std::string printed = t.substr(vb, i - vb);
    hits.push_back({vb, static_cast<uint32_t>(i), kIban, MaskMiddle(printed, 4, 4), "mod-97 valid",
                    false, compact});
  }

  void IpHit(const std::string& t, const std::string& lower, std::string_view v, uint32_t vb,
             std::vector<Hit>& hits) const {
    const uint32_t ve = vb + static_cast<uint32_t>(v.size());
    const bool v6 = v.find(':') != std::string_view::npos;
    const char before = vb > 0 ? t[vb - 1] : 0;
    const char after = ve < t.size() ? t[ve] : 0;
    const char after2 = ve + 1 < t.size() ? t[ve + 1] : 0;
    std::string detail;
    bool placeholder = false;
    if (!v6) {
      if (before == '.' || before == 'v' || before == 'V' || before == '-' ||
          (after == '.' && IsDigit(after2)) || WordBefore(lower, vb, 20, kVersionWords))
        return;
      unsigned a, b, c, d;
      if (std::sscanf(std::string(v).c_str(), "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
        return;
      if (a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168))
        detail = "internal: private range";
      else if (a == 127)
        detail = "internal: loopback";
      else if (a == 169 && b == 254)
        detail = "internal: link-local";
      else if (a == 100 && b >= 64 && b <= 127)
        detail = "internal: carrier-grade NAT";
      else if ((a == 192 && b == 0 && c == 2) || (a == 198 && b == 51 && c == 100) ||
               (a == 203 && b == 0 && c == 113))
        placeholder = true, detail = "documentation range";
      else if (a == 0 || a >= 224)
        return;  // unspecified, multicast, reserved
      else if (!public_ips_)
        return;
      else
        detail = "public";
    } else {
      std::string s(v);
      while (!s.empty() && s.back() == ':' && !(s.size() >= 2 && s[s.size() - 2] == ':'))
        s.pop_back();
      in6_addr addr{};
      if (inet_pton(AF_INET6, s.c_str(), &addr) != 1)
        return;
      const size_t colons = std::count(s.begin(), s.end(), ':');
      if (s.find("::") == std::string::npos && colons != 7)
        return;
      const uint8_t* x = addr.s6_addr;
      const bool all_zero = std::all_of(x, x + 16, [](uint8_t q) { return q == 0; });
      const bool loopback = std::all_of(x, x + 15, [](uint8_t q) { return q == 0; }) && x[15] == 1;
      if (all_zero)
        return;
      if (loopback)
        detail = "internal: loopback";
      else if ((x[0] & 0xFE) == 0xFC)
        detail = "internal: unique local";
      else if (x[0] == 0xFE && (x[1] & 0xC0) == 0x80)
        detail = "internal: link-local";
      else if (x[0] == 0x20 && x[1] == 0x01 && x[2] == 0x0D && x[3] == 0xB8)
        placeholder = true, detail = "documentation range";
      else if (!public_ips_)
        return;
      else
        detail = "public";
      hits.push_back({vb, vb + static_cast<uint32_t>(s.size()), kIpAddress, MaskMiddle(s, 4, 0),
                      detail, placeholder, ""});
      return;
    }
    const size_t dot = v.find('.');
    hits.push_back({vb, ve, kIpAddress, MaskMiddle(v, dot, 0), detail, placeholder, ""});
  }

  void InternalHostHit(const std::string& t, std::string_view host, uint32_t hb,
                       std::vector<Hit>& hits) const {
    const std::string h = ToLowerAscii(host);
    for (const auto& d : internal_) {
      const bool exact = h == d.suffix;
      const bool under = h.size() > d.suffix.size() && h.ends_with(d.suffix) &&
                         h[h.size() - d.suffix.size() - 1] == '.';
      if (!(under || (exact && !d.subdomains_only)))
        continue;
      // Extend to the rest of a URL: its path is internal too.
      uint32_t end = hb + static_cast<uint32_t>(host.size());
      while (end < t.size() && !std::isspace(static_cast<unsigned char>(t[end])) && t[end] != '"' &&
             t[end] != '\'' && t[end] != ')' && t[end] != '>' && t[end] != ']')
        ++end;
      while (end > hb + host.size() && std::strchr(".,;:!?", t[end - 1]))
        --end;
      uint32_t begin = hb;
      // Include a scheme written right before the host.
      for (const char* scheme : {"https://", "http://", "ssh://", "ftp://"}) {
        const size_t n = std::strlen(scheme);
        if (hb >= n && ToLowerAscii(std::string_view(t).substr(hb - n, n)) == scheme)
          begin = static_cast<uint32_t>(hb - n);
      }
      const std::string prefix = t.substr(begin, hb - begin);
      const std::string_view labels =
          std::string_view(host).substr(0, host.size() - d.suffix.size());
      std::string masked = prefix + MaskMiddle(labels, 0, 0) +
                           std::string(host.substr(host.size() - d.suffix.size()));
      if (end > hb + host.size())
        masked += "/\u2026";
      hits.push_back({begin, end, kInternalHost, masked, "internal domain " + d.suffix, false, h});
      return;
    }
  }

  // --- digit-run detectors ------------------------------------------------------------------

  void NumberHits(const std::vector<DigitRun>& runs, const std::string& lower,
                  std::vector<Hit>& hits) const {
    for (const DigitRun& r : runs) {
      const size_t n = r.digits.size();
      if (n < 9 || r.glued)
        continue;
      const std::string printed = lower.substr(r.begin, r.end - r.begin);
      const bool negative = WordBefore(lower, r.begin, 28, kNegativeNumberWords);
      if (negative)
        continue;
      // Cards: the whole run, Luhn-valid, a real network's prefix and length.
      if (n >= 12 && n <= 19 && CardGrouping(r) && LuhnValid(r.digits)) {
        const std::string_view network = CardNetwork(r.digits);
        if (!network.empty()) {
          std::string detail(network);
          detail[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(detail[0])));
          hits.push_back({r.begin, r.end, kCreditCard, MaskMiddle(printed, 4, 4),
                          detail + ", Luhn-valid", IsTestCardNumber(r.digits), r.digits});
          continue;
        }
      }
      // US SSN: 3-2-4 with dashes, or with spaces / bare next to "SSN".
      if (n == 9 && (GroupsAre(r, {3, 2, 4}) || r.groups.size() == 1) && UsSsnValid(r.digits)) {
        const bool dashed = r.sep == '-';
        const bool context = WordBefore(lower, r.begin, 30, kSsnWords);
        if (dashed || context) {
          hits.push_back(
              {r.begin, r.end, kUsSsn, MaskMiddle(printed, 0, 4),
               context ? "area/group/serial valid, SSN named" : "area/group/serial valid",
               IsSampleSsn(r.digits), r.digits});
          continue;
        }
      }
      if (n == 11) {
        const bool lv_context = WordBefore(lower, r.begin, 30, kLvWords);
        const bool lv_shape = GroupsAre(r, {6, 5}) && r.sep == '-';
        if ((lv_shape || (r.groups.size() == 1 && lv_context)) && LvPersonalCodeValid(r.digits)) {
          const bool modern = r.digits.rfind("32", 0) == 0;
          if (!modern || lv_context) {
            hits.push_back({r.begin, r.end, kLvPersonalCode, MaskMiddle(printed, 0, 2),
                            modern ? "2017 format" : "date and check digit valid", false,
                            r.digits});
            continue;
          }
        }
        if (r.groups.size() == 1 && OibValid(r.digits) &&
            WordBefore(lower, r.begin, 30, kOibWords)) {
          hits.push_back({r.begin, r.end, kHrOib, MaskMiddle(printed, 0, 2),
                          "ISO 7064 check digit valid", false, r.digits});
          continue;
        }
      }
    }
  }

  // --- phone numbers (libphonenumber) ------------------------------------------------------

  void PhoneHits(const std::string& t, const std::string& lower, const AnalyzedPost& post,
                 const MappedText& norm, std::vector<Hit>& hits) const {
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    auto* util = PhoneNumberUtil::GetInstance();
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
      const bool context = WordBefore(lower, static_cast<uint32_t>(start), 30, kPhoneWords);
      if (!intl && !context && (seps < 2 || ThousandsGrouped(cand)))
        continue;  // a bare digit run or a count ("1 907 675") with nothing saying "phone"
      const uint32_t ob = norm.ToOriginalBegin(static_cast<uint32_t>(start));
      bool in_url = false;
      for (const auto* u : post.urls()) {
        if (ob >= u->range.begin && ob < u->range.end)
          in_url = true;
      }
      if (in_url)
        continue;
      for (const auto& region : regions_) {
        PhoneNumber number;
        if (util->Parse(cand, region, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
          continue;
        if (!util->IsValidNumber(number))
          continue;
        std::string e164;
        util->Format(number, PhoneNumberUtil::E164, &e164);
        std::string national;
        util->GetNationalSignificantNumber(number, &national);
        const bool fictional =
            number.country_code() == 1 && national.size() == 10 && national.substr(3, 3) == "555";
        const size_t cc_digits = std::to_string(number.country_code()).size();
        std::string masked = MaskMiddle(cand, intl ? cc_digits + (cand[0] == '+' ? 0 : 2) : 0, 2);
        std::string region_code;
        util->GetRegionCodeForNumber(number, &region_code);
        hits.push_back({static_cast<uint32_t>(start), static_cast<uint32_t>(end), kPhone,
                        std::move(masked), "valid number for " + region_code, fictional, e164});
        break;
      }
    }
  }

  // --- embargo ---------------------------------------------------------------------------------

  void EmbargoHits(const std::string& t, const std::string& lower, const AnalyzedPost& post,
                   std::vector<Hit>& hits) const {
    std::optional<int> date = ParseIsoDate(post.post().created_at);
    const int day = date ? *date : TodayUtc();
    embargo_matcher_.FindAll(lower, [&](size_t term, uint32_t b, uint32_t e) {
      const EmbargoTerm& et = embargo_[term];
      if (day >= et.until)
        return;
      auto word_char_at = [&](size_t pos, bool backwards) {
        if (backwards) {
          if (pos == 0)
            return false;
          size_t k = pos - 1;
          while (k > 0 && (static_cast<unsigned char>(t[k]) & 0xC0) == 0x80)
            --k;
          size_t q = k;
          const char32_t cp = DecodeUtf8(t, q);
          return u_isalnum(static_cast<UChar32>(cp)) != 0 || cp == '_';
        }
        if (pos >= t.size())
          return false;
        size_t q = pos;
        const char32_t cp = DecodeUtf8(t, q);
        return u_isalnum(static_cast<UChar32>(cp)) != 0 || cp == '_';
      };
      const bool term_starts_word = word_char_at(b, false);
      const bool term_ends_word = word_char_at(e, true);
      if ((term_starts_word && word_char_at(b, true)) || (term_ends_word && word_char_at(e, false)))
        return;
      hits.push_back(
          {b, e, kEmbargo, MaskMiddle(t.substr(b, e - b), 1, 0), et.until_text, false, ""});
    });
  }

  std::array<bool, kDetCount> enabled_{};
  int last_needed_ = -1;  // highest-priority index worth running (see the constructor)
  bool placeholders_only_ = false;
  std::set<std::string, std::less<>> allowed_;
  std::vector<std::string> pending_phone_allow_;
  std::vector<std::string> regions_;
  std::vector<InternalDomain> internal_;
  bool public_ips_ = false;
  double min_entropy_ = 3.5;
  std::vector<EmbargoTerm> embargo_;
  TermMatcher embargo_matcher_;
  RE2::Set set_;
  std::vector<RegexDetector> regexes_;
  bool compiled_ = false;
};

}  // namespace

POSTLINT_DEFINE_RULE_FACTORY(DetectorRule, detector)

}  // namespace postlint
