// Flags text matching regular expressions (RE2 syntax), or posts missing a required pattern,
// within a scope: the whole text, hashtags, mentions, cashtags, URLs or media alt text.
// User docs: docs/rules/pattern.md
#include <memory>

#include <re2/re2.h>
#include <re2/set.h>

#include "policy/policy_limits.h"
#include "rules/rule.h"

namespace postlint {
namespace {

const std::vector<std::string> kScopes = {"text",     "hashtags", "mentions",
                                          "cashtags", "urls",     "alt_text"};

// A pattern for messages: at most 100 bytes of it (a pattern may be 64 KiB long).
std::string ShownPattern(const std::string& pattern) {
  constexpr size_t kMax = 100;
  if (pattern.size() <= kMax)
    return pattern;
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(pattern[cut]) & 0xC0) == 0x80)
    --cut;  // not inside a UTF-8 sequence
  return pattern.substr(0, cut) + "... (" + std::to_string(pattern.size()) + " bytes)";
}

class PatternRule final : public Rule {
 public:
  explicit PatternRule(RuleInit& init)
      : Rule(init),
        scopes_(init.options.StringList(
            "scope",
            "where to match: text (default), hashtags, mentions, cashtags, urls, alt_text")),
        case_sensitive_(init.options.Bool("case_sensitive", true, "match letter case exactly")),
        mode_(init.options.Enum("mode", "forbid", {"forbid", "require"},
                                "forbid: report every match; require: report posts with no match")),
        set_(MakeOptions(), RE2::UNANCHORED) {
    if (scopes_.empty())
      scopes_.push_back("text");
    for (const auto& s : scopes_) {
      if (std::find(kScopes.begin(), kScopes.end(), s) == kScopes.end()) {
        init.options.ErrorAt("scope", "unknown scope '" + s +
                                          "'; expected one of: text, "
                                          "hashtags, mentions, cashtags, urls, alt_text" +
                                          DidYouMean(s, kScopes));
      }
    }
    const YAML::Node patterns =
        init.options.Raw("patterns", "list of strings", "RE2 regular expressions");
    std::vector<YAML::Node> items;
    if (patterns.IsScalar()) {
      items.push_back(patterns);
    } else if (patterns.IsSequence()) {
      for (const auto& p : patterns)
        items.push_back(p);
    }
    if (items.empty())
      init.options.ErrorAt("patterns", "needs at least one regular expression");
    for (const auto& node : items) {
      if (!node.IsScalar()) {
        init.options.Error(node, "each pattern must be a string");
        continue;
      }
      // Sizes were checked when the policy loaded (policy/policy_limits.h): a pattern over
      // kMaxPatternBytes never gets here.
      auto re = std::make_unique<RE2>(node.Scalar(), MakeOptions());
      if (!re->ok()) {
        init.options.Error(node, "invalid regular expression '" + ShownPattern(node.Scalar()) +
                                     "': " + re->error() + " (RE2 syntax)");
        continue;
      }
      if (re->ProgramSize() > kMaxPatternProgramSize) {
        init.options.Error(node, "pattern '" + ShownPattern(node.Scalar()) + "' compiles to " +
                                     std::to_string(re->ProgramSize()) +
                                     " RE2 instructions; a pattern may compile to at most " +
                                     std::to_string(kMaxPatternProgramSize) +
                                     " (for a long list of words or phrases use a terms rule)");
        continue;
      }
      std::string error;
      if (set_.Add(node.Scalar(), &error) < 0) {
        init.options.Error(
            node, "invalid regular expression '" + ShownPattern(node.Scalar()) + "': " + error);
        continue;
      }
      patterns_.push_back(std::move(re));
    }
    if (!patterns_.empty()) {
      compiled_ = set_.Compile();
      if (!compiled_) {
        init.options.ErrorAt("patterns",
                             "the patterns together are too large to compile (RE2 ran out of "
                             "memory); use fewer or simpler patterns, or a terms rule");
      }
    }
    init.DeclarePlaceholders({"match", "pattern", "scope"});
    init.SetDefaultMessage(mode_ == "forbid" ? "'{match}' matches a forbidden pattern"
                                             : "No match for a required pattern ({pattern})");
  }

  void Check(const AnalyzedPost& post, const CheckContext&, FindingSink& sink) const override {
    if (!compiled_)
      return;
    bool any = false;
    const std::string_view text = post.text();
    auto search = [&](std::string_view part, const std::string& scope, bool in_text) {
      std::vector<int> which;
      if (!set_.Match(re2::StringPiece(part.data(), part.size()), &which))
        return;
      any = true;
      if (mode_ != "forbid")
        return;
      for (const int index : which) {
        const RE2& re = *patterns_[static_cast<size_t>(index)];
        re2::StringPiece input(part.data(), part.size());
        re2::StringPiece match;
        size_t pos = 0;
        while (pos <= part.size() &&
               re.Match(input, pos, part.size(), RE2::UNANCHORED, &match, 1)) {
          const auto begin = static_cast<uint32_t>(match.data() - part.data());
          const auto end = static_cast<uint32_t>(begin + match.size());
          const std::string matched(match.data(), match.size());
          if (in_text) {
            const auto offset = static_cast<uint32_t>(part.data() - text.data());
            sink.Report({offset + begin, offset + end},
                        {{"match", matched}, {"pattern", re.pattern()}, {"scope", scope}});
          } else {
            sink.Report({0, 0}, {{"match", matched}, {"pattern", re.pattern()}, {"scope", scope}},
                        std::nullopt, matched, scope);
          }
          pos = end > begin ? end : end + 1;  // step past empty matches
        }
      }
    };
    for (const auto& scope : scopes_) {
      if (scope == "text") {
        search(text, scope, true);
      } else if (scope == "alt_text") {
        for (const auto& m : post.post().media)
          search(m.alt_text, scope, false);
      } else {
        const auto& entities = scope == "hashtags"   ? post.hashtags()
                               : scope == "mentions" ? post.mentions()
                               : scope == "cashtags" ? post.cashtags()
                                                     : post.urls();
        for (const auto* e : entities)
          search(e->value, scope, true);
      }
    }
    if (mode_ == "require" && !any) {
      std::string all;
      for (const auto& re : patterns_)
        all += (all.empty() ? "" : " | ") + re->pattern();
      std::string scopes;
      for (const auto& s : scopes_)
        scopes += (scopes.empty() ? "" : ", ") + s;
      sink.Report({0, 0}, {{"match", ""}, {"pattern", all}, {"scope", scopes}});
    }
  }

 private:
  RE2::Options MakeOptions() const {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(case_sensitive_);
    options.set_max_mem(8 << 20);
    return options;
  }

  std::vector<std::string> scopes_;
  bool case_sensitive_;
  std::string mode_;
  RE2::Set set_;
  std::vector<std::unique_ptr<RE2>> patterns_;
  bool compiled_ = false;
};

}  // namespace

POSTLINT_DEFINE_RULE_FACTORY(PatternRule, pattern)

}  // namespace postlint
