// Flags words the style guide spells differently ("Iphone" -> "iPhone", "e-mail" -> "email")
// and offers the preferred spelling as a fix.
// User docs: docs/rules/substitution.md
#include <algorithm>

#include <unicode/uchar.h>

#include "core/utf8.h"
#include "rules/rule.h"
#include "rules/support/term_matcher.h"

namespace postlint {
namespace {

bool HasUppercase(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (u_isupper(static_cast<UChar32>(DecodeUtf8(s, i))))
      return true;
  }
  return false;
}

// "email" written where "E-mail" stood becomes "Email": keep a capital at the start of a
// sentence unless the preferred form has its own capitalisation (brand names).
std::string MatchCase(std::string_view written, const std::string& replacement) {
  if (written.empty() || replacement.empty() || HasUppercase(replacement))
    return replacement;
  size_t i = 0;
  const char32_t first = DecodeUtf8(written, i);
  if (!u_isupper(static_cast<UChar32>(first)))
    return replacement;
  size_t j = 0;
  const char32_t r0 = DecodeUtf8(replacement, j);
  std::string out;
  AppendUtf8(out, static_cast<char32_t>(u_toupper(static_cast<UChar32>(r0))));
  out += replacement.substr(j);
  return out;
}

class SubstitutionRule final : public Rule {
 public:
  explicit SubstitutionRule(RuleInit& init)
      : Rule(init),
        swap_(init.options.StringMap("swap", "written form -> preferred form")),
        case_sensitive_(init.options.Bool(
            "case_sensitive", false,
            "match the written form's letter case exactly; by default any case matches and "
            "text already in the preferred form is left alone")),
        whole_word_(
            init.options.Bool("whole_word", true, "match only whole words (ICU word boundaries)")) {
    if (swap_.empty()) {
      init.options.ErrorAt("swap", "needs at least one entry, e.g. swap: {Iphone: iPhone}");
    }
    std::vector<std::string> keys;
    for (const auto& [written, preferred] : swap_) {
      keys.push_back(case_sensitive_ ? NormalizeNfc(written).text() : CaseFoldString(written));
    }
    matcher_ = TermMatcher(keys);
    init.DeclarePlaceholders({"match", "replacement"});
    init.SetDefaultMessage("Write '{replacement}' instead of '{match}'");
  }

  void Check(const AnalyzedPost& post, const CheckContext&, FindingSink& sink) const override {
    const MappedText& view = case_sensitive_ ? post.nfc() : post.folded();
    struct Hit {
      size_t index;
      ByteRange range;
    };
    std::vector<Hit> hits;
    matcher_.FindAll(view.text(), [&](size_t index, uint32_t begin, uint32_t end) {
      const ByteRange r{view.ToOriginalBegin(begin), view.ToOriginalEnd(end)};
      if (whole_word_ && !(post.IsWordBoundary(r.begin) && post.IsWordBoundary(r.end)))
        return;
      // Handles and URLs are spelled by their owners, not by the style guide.
      for (const auto& e : post.entities()) {
        if (e.type != twitter::EntityType::kHashtag && r.begin < e.range.end &&
            e.range.begin < r.end) {
          return;
        }
      }
      hits.push_back({index, r});
    });
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      if (a.range.begin != b.range.begin)
        return a.range.begin < b.range.begin;
      return a.range.end > b.range.end;
    });
    uint32_t covered_until = 0;
    for (const auto& h : hits) {
      if (h.range.begin < covered_until)
        continue;
      const std::string_view written = post.text().substr(h.range.begin, h.range.size());
      const std::string replacement = MatchCase(written, swap_[h.index].second);
      if (written == replacement)
        continue;  // already the preferred form
      covered_until = h.range.end;
      sink.Report(h.range, {{"match", std::string(written)}, {"replacement", replacement}},
                  replacement);
    }
  }

 private:
  std::vector<std::pair<std::string, std::string>> swap_;
  bool case_sensitive_;
  bool whole_word_;
  TermMatcher matcher_;
};

}  // namespace

POSTLINT_DEFINE_RULE_FACTORY(SubstitutionRule, substitution)

}  // namespace postlint
