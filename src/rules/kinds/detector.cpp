// Finds confidential and personal data that validates (cards, IBANs, national ids, phone
// numbers, e-mail addresses, IP addresses, internal host names, credentials and keys) and
// embargoed terms, and reports each with a masked excerpt: no report ever carries the value.
// The detectors are rows of rules/support/detectors/detector_table.cpp (patterns, recognizer,
// validator, masking); this file is the pipeline that runs them and the rule's options.
// User docs: docs/rules/detector.md
//
// Pipeline per post (Check() is const and thread-safe; everything is compiled once):
//   1. normalise (fullwidth and other Unicode digits, no-break spaces, dashes, invisibles),
//      with a map back to the original bytes;
//   2. cheap prefilters: one RE2::Set over every pattern row, digit counts for numbers;
//   3. candidates -> the rows' recognizers (checksums, registries, entropy, context words);
//   4. overlap resolution by priority (a validated secret beats a phone reading of its digits);
//   5. placeholders, allowlists and the detector selection decide what is reported.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <phonenumbers/phonenumberutil.h>
#include <set>
#include <span>
#include <string>

#include <re2/re2.h>
#include <re2/set.h>
#include <unicode/uchar.h>

#include "core/clock.h"
#include "core/utf8.h"
#include "rules/rule.h"
#include "rules/support/detectors/context_words.h"
#include "rules/support/detectors/detector_table.h"
#include "rules/support/detectors/digit_runs.h"
#include "rules/support/detectors/recognizers.h"
#include "rules/support/detectors/validators.h"
#include "rules/support/term_matcher.h"

namespace postlint {
namespace {

using namespace detectors;  // NOLINT(google-build-using-namespace)

// A pattern row's pattern, compiled; its index is its index in the RE2::Set.
struct CompiledPattern {
  int det;
  std::unique_ptr<RE2> re;
};

struct EmbargoTerm {
  std::string term;     // as written in the policy
  std::string lowered;  // matched form
  int until = 0;        // yyyymmdd
  std::string until_text;
};

// Today as yyyymmdd, from the one clock (core/clock.h), so POSTLINT_NOW moves embargoes too.
int TodayUtc() {
  const int64_t seconds = NowSeconds();
  const int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromDays(days, &year, &month, &day);
  return static_cast<int>(year * 10000 + month * 100 + day);
}

std::string DefaultMessage(Category category, bool placeholders_only) {
  if (placeholders_only)
    return "{label} that looks like a documentation placeholder: {excerpt}";
  switch (category) {
    case Category::kEmbargo:
      return "Embargoed until {detail}: {excerpt}";
    case Category::kInternal:
      return "{label} ({detail}) must not be published: {excerpt}";
    case Category::kSecret:
      return "{label} must not be published: {excerpt}{detail}";
    case Category::kPersonal:
      break;
  }
  return "{label} ({detail}) is personal or confidential data: {excerpt}";
}

class DetectorRule final : public Rule {
 public:
  explicit DetectorRule(RuleInit& init) : Rule(init), set_(MakeRe2Options(), RE2::UNANCHORED) {
    const std::span<const Detector> table = Detectors();
    const std::vector<std::string> selected = init.options.StringList(
        "detectors",
        "detectors this rule reports (default: all); see the list in docs/rules/detector.md");
    std::vector<std::string> names;
    for (const Detector& d : table)
      names.emplace_back(d.name);
    enabled_.assign(table.size(), selected.empty());
    for (const auto& s : selected) {
      const auto it = std::find(names.begin(), names.end(), s);
      if (it == names.end()) {
        init.options.ErrorAt("detectors", "unknown detector '" + s + "'" + DidYouMean(s, names));
        continue;
      }
      enabled_[static_cast<size_t>(it - names.begin())] = true;
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
    std::vector<std::string>& regions = settings_.regions;
    regions = init.options.StringList(
        "regions", "default regions for phone numbers written without +country code");
    if (regions.empty())
      regions = {"IT", "LV", "HR", "US", "GB"};
    auto* phone_util = i18n::phonenumbers::PhoneNumberUtil::GetInstance();
    for (auto& r : regions) {
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
      settings_.internal_domains.push_back(std::move(dom));
    }
    settings_.public_ips = init.options.Bool(
        "public_ips", false,
        "also report public IP addresses (private, loopback and link-local ones always are)");
    const std::string entropy = init.options.String(
        "min_entropy", "3.5",
        "generic_secret: lowest Shannon entropy (bits per character) of a token near a "
        "secret-ish word; hex-only tokens use this minus 0.5");
    double& min_entropy = settings_.min_entropy;
    try {
      min_entropy = std::stod(entropy);
    } catch (...) {
      min_entropy = -1;
    }
    if (min_entropy < 1.0 || min_entropy > 6.0) {
      init.options.ErrorAt("min_entropy", "min_entropy must be a number from 1 to 6");
      min_entropy = 3.5;
    }
    ReadEmbargo(init);
    CompilePatterns();
    email_row_ = DetectorIndex("email");
    for (int d = 0; d < static_cast<int>(table.size()); ++d) {
      const Source source = table[static_cast<size_t>(d)].source;
      if (source == Source::kPolicyTerm) {
        embargo_row_ = d;
        continue;
      }
      if (source == Source::kDigitRun)
        digit_run_rows_.push_back(d);
      else if (source == Source::kPhone)
        phone_rows_.push_back(d);
      // Overlaps are resolved by priority, so detectors after the last selected one cannot
      // change what this rule reports: they are not run at all.
      if (enabled_[static_cast<size_t>(d)])
        last_needed_ = d;
    }

    init.DeclarePlaceholders({"detector", "label", "detail"});
    for (const Detector& d : table)
      init.SetDefaultMessage(DefaultMessage(d.category, placeholders_only_), std::string(d.name));
  }

  bool ChecksEveryText() const override { return true; }

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
    const Scan scan{t, view.lower, settings_, post, norm};
    const std::span<const Detector> table = Detectors();
    std::vector<Hit> hits;

    PatternHits(scan, hits);
    const bool has_digits = std::any_of(t.begin(), t.end(), IsDigit);
    if (has_digits && !digit_run_rows_.empty() && last_needed_ >= digit_run_rows_.front())
      DigitRunHits(scan, hits);
    for (const int d : phone_rows_) {
      if (has_digits && last_needed_ >= d)
        FindPhoneNumbers(table[static_cast<size_t>(d)], scan, hits);
    }
    if (!embargo_.empty() && embargo_row_ >= 0 && enabled_[static_cast<size_t>(embargo_row_)])
      EmbargoHits(scan, hits);

    // Overlap resolution: higher priority first; among equals, longer first.
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      if (a.det != b.det)
        return a.det < b.det;
      return a.begin < b.begin;
    });
    std::vector<const Hit*> accepted;
    for (const Hit& h : hits) {
      const bool overlaps =
          h.det != embargo_row_ && std::any_of(accepted.begin(), accepted.end(), [&](const Hit* o) {
            return o->det != embargo_row_ && h.begin < o->end && o->begin < h.end;
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
      const Detector& d = table[static_cast<size_t>(h->det)];
      const std::string name(d.name);
      const ByteRange range{norm.ToOriginalBegin(h->begin), norm.ToOriginalEnd(h->end)};
      if (d.mask != nullptr)
        sink.MarkSensitive(range, h->excerpt);
      sink.Report(range,
                  {{"detector", name}, {"label", std::string(d.label)}, {"detail", h->detail}},
                  std::nullopt, h->excerpt, name);
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
    if (util->Parse(raw, settings_.regions.front(), &n) ==
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
    if (h.det == email_row_) {
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

  void Add(int det, std::string_view pattern) {
    const re2::StringPiece piece(pattern.data(), pattern.size());
    auto re = std::make_unique<RE2>(piece, MakeRe2Options());
    std::string error;
    if (!re->ok() || set_.Add(piece, &error) < 0)
      return;  // patterns are constants; tests/meta/detector_table_test.cpp compiles every one
    patterns_.push_back({det, std::move(re)});
  }

  void CompilePatterns() {
    const std::span<const Detector> table = Detectors();
    for (size_t d = 0; d < table.size(); ++d) {
      for (const std::string_view pattern : table[d].patterns) {
        if (!pattern.empty())
          Add(static_cast<int>(d), pattern);
      }
    }
    compiled_ = set_.Compile();
  }

  // Every match of every pattern row that the post's text matches, through the row's
  // recognizer.
  void PatternHits(const Scan& scan, std::vector<Hit>& hits) const {
    if (!compiled_)
      return;
    const std::string& t = scan.text;
    std::vector<int> which;
    const re2::StringPiece input(t);
    if (!set_.Match(input, &which))
      return;
    std::sort(which.begin(), which.end());
    const std::span<const Detector> table = Detectors();
    for (const int index : which) {
      const CompiledPattern& cp = patterns_[static_cast<size_t>(index)];
      if (cp.det > last_needed_)
        continue;
      const Detector& d = table[static_cast<size_t>(cp.det)];
      if (d.prefilter != nullptr && !d.prefilter(d, scan))
        continue;
      const int groups = cp.re->NumberOfCapturingGroups();
      std::vector<re2::StringPiece> sub(static_cast<size_t>(groups) + 1);
      size_t pos = 0;
      while (pos < t.size() && cp.re->Match(input, pos, t.size(), RE2::UNANCHORED, sub.data(),
                                            static_cast<int>(sub.size()))) {
        Candidate c;
        c.begin = static_cast<uint32_t>(sub[0].data() - t.data());
        c.end = static_cast<uint32_t>(c.begin + sub[0].size());
        for (size_t k = 0; k < sub.size() && k < c.groups.size(); ++k) {
          if (sub[k].data())
            c.groups[k] = std::string_view(sub[k].data(), sub[k].size());
        }
        d.recognize(d, c, scan, hits);
        pos = c.end > pos ? c.end : pos + 1;
      }
    }
  }

  // Digit runs through the digit-run rows in priority order; the first row that accepts a run
  // takes it.
  void DigitRunHits(const Scan& scan, std::vector<Hit>& hits) const {
    const std::span<const Detector> table = Detectors();
    for (const DigitRun& r : DigitRuns(scan.text)) {
      if (r.digits.size() < 9 || r.glued)
        continue;
      if (WordBefore(scan.lower, r.begin, 28, kNegativeNumberWords))
        continue;
      const Candidate c{r.begin, r.end, {}, &r};
      for (const int d : digit_run_rows_) {
        const Detector& row = table[static_cast<size_t>(d)];
        if (row.recognize(row, c, scan, hits))
          break;
      }
    }
  }

  void EmbargoHits(const Scan& scan, std::vector<Hit>& hits) const {
    const std::string& t = scan.text;
    const Detector& row = Detectors()[static_cast<size_t>(embargo_row_)];
    std::optional<int> date = ParseIsoDate(scan.post.post().created_at);
    const int day = date ? *date : TodayUtc();
    embargo_matcher_.FindAll(scan.lower, [&](size_t term, uint32_t b, uint32_t e) {
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
      const std::string_view term_text = std::string_view(t).substr(b, e - b);
      hits.push_back(
          {b, e, embargo_row_, row.mask({.value = term_text}), et.until_text, false, ""});
    });
  }

  Settings settings_;
  std::vector<bool> enabled_;  // per row
  int last_needed_ = -1;       // highest-priority index worth running (see the constructor)
  std::vector<int> digit_run_rows_;
  std::vector<int> phone_rows_;
  int embargo_row_ = -1;  // the policy-term row: never claims text from other rows
  int email_row_ = -1;    // allowed domains allow every address under them
  bool placeholders_only_ = false;
  std::set<std::string, std::less<>> allowed_;
  std::vector<std::string> pending_phone_allow_;
  std::vector<EmbargoTerm> embargo_;
  TermMatcher embargo_matcher_;
  RE2::Set set_;
  std::vector<CompiledPattern> patterns_;
  bool compiled_ = false;
};

}  // namespace

POSTLINT_DEFINE_RULE_FACTORY(DetectorRule, detector)

}  // namespace postlint
