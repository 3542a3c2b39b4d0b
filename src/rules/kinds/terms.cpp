// Flags banned words and phrases, and posts missing required ones, matched whole-word by ICU
// word boundaries and case-insensitively by Unicode case folding, in any language.
// User docs: docs/rules/terms.md
#include <algorithm>

#include "rules/rule.h"
#include "rules/support/term_matcher.h"

namespace postlint {
namespace {

class TermsRule final : public Rule {
 public:
  explicit TermsRule(RuleInit& init)
      : Rule(init),
        banned_(init.options.StringList("banned", "words or phrases that must not appear")),
        required_(init.options.StringList("required", "words or phrases that must appear")),
        required_mode_(init.options.Enum("required_mode", "any", {"any", "all"},
                                         "whether any one or all of 'required' must appear")),
        allow_(init.options.StringList(
            "allow", "phrases that contain a banned term but are fine (e.g. 'Dick Van Dyke')")),
        case_sensitive_(init.options.Bool("case_sensitive", false,
                                          "match letter case exactly instead of case folding")),
        whole_word_(
            init.options.Bool("whole_word", true, "match only whole words (ICU word boundaries)")) {
    if (banned_.empty() && required_.empty()) {
      init.options.ErrorAt("banned", "needs at least one term in 'banned' or 'required'");
    } else if (!banned_.empty() && !required_.empty()) {
      // One message and one level cannot describe both problems well.
      init.options.ErrorAt("required",
                           "use separate rules for 'banned' and 'required' terms, so each has "
                           "its own message and level");
    }
    banned_matcher_ = TermMatcher(Prepare(banned_));
    required_matcher_ = TermMatcher(Prepare(required_));
    allow_matcher_ = TermMatcher(Prepare(allow_));
    init.DeclarePlaceholders({"term", "match", "terms"});
    init.SetDefaultMessage(banned_.empty() ? "Missing required term: {terms}" : "Avoid '{match}'");
  }

  // Banned words are banned in alt text too; a required word belongs in the post itself.
  bool ChecksEveryText() const override { return required_.empty(); }

  void Check(const AnalyzedPost& post, const CheckContext&, FindingSink& sink) const override {
    const MappedText& view = case_sensitive_ ? post.nfc() : post.folded();
    // Allowed phrases shadow banned terms inside them.
    std::vector<ByteRange> allowed;
    Find(post, view, allow_matcher_, [&](size_t, ByteRange r) { allowed.push_back(r); });
    struct Hit {
      size_t term;
      ByteRange range;
    };
    std::vector<Hit> hits;
    Find(post, view, banned_matcher_, [&](size_t term, ByteRange r) {
      for (const auto& a : allowed) {
        if (a.begin <= r.begin && r.end <= a.end)
          return;
      }
      hits.push_back({term, r});
    });
    // Longest match first at each position; drop matches overlapping an earlier one.
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      if (a.range.begin != b.range.begin)
        return a.range.begin < b.range.begin;
      return a.range.end > b.range.end;
    });
    uint32_t covered_until = 0;
    for (const auto& h : hits) {
      if (h.range.begin < covered_until)
        continue;
      covered_until = h.range.end;
      const std::string match(post.text().substr(h.range.begin, h.range.size()));
      sink.Report(h.range, {{"term", banned_[h.term]}, {"match", match}, {"terms", match}});
    }
    if (!required_.empty()) {
      std::vector<bool> seen(required_.size(), false);
      Find(post, view, required_matcher_, [&](size_t term, ByteRange) { seen[term] = true; });
      const size_t found = static_cast<size_t>(std::count(seen.begin(), seen.end(), true));
      const bool ok = required_mode_ == "any" ? found > 0 : found == required_.size();
      if (!ok) {
        std::string missing;
        for (size_t i = 0; i < required_.size(); ++i) {
          if (seen[i])
            continue;
          missing += (missing.empty() ? "'" : (required_mode_ == "any" ? " or '" : ", '")) +
                     required_[i] + "'";
        }
        sink.Report({0, 0}, {{"term", required_.front()}, {"match", ""}, {"terms", missing}});
      }
    }
  }

 private:
  std::vector<std::string> Prepare(const std::vector<std::string>& terms) const {
    std::vector<std::string> out;
    out.reserve(terms.size());
    for (const auto& t : terms) {
      out.push_back(case_sensitive_ ? NormalizeNfc(t).text() : CaseFoldString(t));
    }
    return out;
  }

  template <typename OnHit>
  void Find(const AnalyzedPost& post, const MappedText& view, const TermMatcher& matcher,
            OnHit on_hit) const {
    if (matcher.empty())
      return;
    matcher.FindAll(view.text(), [&](size_t term, uint32_t begin, uint32_t end) {
      const ByteRange r{view.ToOriginalBegin(begin), view.ToOriginalEnd(end)};
      if (whole_word_ && !(post.IsWordBoundary(r.begin) && post.IsWordBoundary(r.end)))
        return;
      on_hit(term, r);
    });
  }

  std::vector<std::string> banned_;
  std::vector<std::string> required_;
  std::string required_mode_;
  std::vector<std::string> allow_;
  bool case_sensitive_;
  bool whole_word_;
  TermMatcher banned_matcher_;
  TermMatcher required_matcher_;
  TermMatcher allow_matcher_;
};

}  // namespace

POSTLINT_DEFINE_RULE_FACTORY(TermsRule, terms)

}  // namespace postlint
