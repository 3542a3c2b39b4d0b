// Checks hashtags: how many a network allows, denied and required tags, tag length, and
// CamelCase for multi-word tags so screen readers read them as words.
// User docs: docs/rules/hashtags.md
#include <algorithm>
#include <fstream>
#include <mutex>
#include <unordered_set>

#include <unicode/uchar.h>

#include "analysis/unicode_text.h"
#include "core/networks.h"
#include "core/utf8.h"
#include "rules/rule.h"

namespace postlint {
namespace {

// An English word list, loaded on first use (only posts with long lower-case tags need it).
class Dictionary {
 public:
  explicit Dictionary(std::string path) : path_(std::move(path)) {}

  bool Contains(std::string_view word) const {
    Load();
    // The segmentation probes many substrings per tag: reuse one buffer, no allocation each.
    thread_local std::string probe;
    probe.assign(word);
    return words_.count(probe) > 0;
  }
  bool available() const {
    Load();
    return !words_.empty();
  }

 private:
  void Load() const {
    std::call_once(once_, [this] {
      std::ifstream in(path_);
      std::string line;
      while (std::getline(in, line)) {
        // Proper nouns count too ("Thursday"); possessives and non-ASCII entries do not.
        for (char& c : line) {
          if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (line.size() >= 3 &&
            std::all_of(line.begin(), line.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
          words_.insert(line);
        }
      }
    });
  }

  std::string path_;
  mutable std::once_flag once_;
  mutable std::unordered_set<std::string> words_;
};

class HashtagsRule final : public Rule {
 public:
  explicit HashtagsRule(RuleInit& init)
      : Rule(init),
        max_(init.options.IntPerNetwork(
            "max",
            "most hashtags per post: one number, or per network (default: the "
            "network's max_hashtags)")),
        deny_(init.options.StringList("deny", "tags that must not be used (without '#')")),
        require_(init.options.StringList("require", "tags that must all be present")),
        require_any_(init.options.StringList("require_any", "at least one of these tags")),
        max_length_(init.options.Int("max_length", 0,
                                     "longest tag in characters, '#' excluded (0: no limit)")),
        check_count_(init.options.Bool("check_count", true, "report posts over the hashtag limit")),
        camel_case_(init.options.Bool(
            "camel_case", true,
            "flag multi-word tags written in one case (#throwbackthursday); English posts only")),
        dictionary_(init.options.String("dictionary", "/usr/share/dict/american-english-large",
                                        "word list used to recognise multi-word tags")) {
    for (auto& t : deny_)
      t = Fold(t);
    init.DeclarePlaceholders({"tag", "count", "max", "network_name", "suggestion", "length"});
    init.SetDefaultMessage("Too many hashtags for {network_name}: {count} of {max}", "count");
    init.SetDefaultMessage("Hashtag {tag} is not allowed", "deny");
    init.SetDefaultMessage("Missing required hashtag {tag}", "require");
    init.SetDefaultMessage("Hashtag {tag} is {length} characters long; the limit is {max}",
                           "max_length");
    init.SetDefaultMessage(
        "Write multi-word hashtag {tag} in CamelCase ({suggestion}) so screen readers read it "
        "as words",
        "camel_case");
  }

  bool IsNetworkSpecific() const override { return true; }
  bool NeedsNetworkLimits() const override { return check_count_; }

  void Check(const AnalyzedPost& post, const CheckContext& ctx, FindingSink& sink) const override {
    const auto& tags = post.hashtags();
    const std::string display =
        ctx.profile && !ctx.profile->display_name.empty() ? ctx.profile->display_name : ctx.network;
    // Count limit (network-specific).
    std::optional<uint32_t> max;
    if (auto it = max_.find(ctx.network); it != max_.end() && !ctx.network.empty()) {
      max = static_cast<uint32_t>(it->second);
    } else if (auto star = max_.find("*"); star != max_.end()) {
      max = static_cast<uint32_t>(star->second);
    } else if (ctx.profile && ctx.profile->max_hashtags) {
      max = *ctx.profile->max_hashtags;
    }
    if (check_count_ && max && tags.size() > *max) {
      const auto& first_extra = *tags[*max];
      const auto& last = *tags.back();
      sink.Report({first_extra.range.begin, last.range.end},
                  {{"tag", std::string(Text(post, first_extra))},
                   {"count", std::to_string(tags.size())},
                   {"max", std::to_string(*max)},
                   {"network_name", display},
                   {"suggestion", ""},
                   {"length", ""}},
                  std::nullopt, std::nullopt, "count");
    }
    // The remaining checks do not depend on the network: report them once, for the first
    // network only, so a post aimed at five networks does not list them five times.
    if (!ctx.primary)
      return;
    for (const auto* tag : tags) {
      const std::string folded = Fold(tag->value);
      if (std::find(deny_.begin(), deny_.end(), folded) != deny_.end()) {
        Report(sink, *tag, post, "deny");
      }
      const size_t length = CountCodePoints(tag->value);
      if (max_length_ > 0 && length > static_cast<size_t>(max_length_)) {
        Report(sink, *tag, post, "max_length", std::to_string(max_length_));
      }
      if (camel_case_ && IsEnglish(post.post().lang)) {
        if (auto suggestion = CamelCaseSuggestion(tag->value)) {
          Report(sink, *tag, post, "camel_case", "", "#" + *suggestion);
        }
      }
    }
    auto has = [&](const std::string& wanted) {
      const std::string w = Fold(wanted[0] == '#' ? wanted.substr(1) : wanted);
      return std::any_of(tags.begin(), tags.end(),
                         [&](const auto* t) { return Fold(t->value) == w; });
    };
    for (const auto& wanted : require_) {
      if (!has(wanted))
        ReportMissing(sink, wanted);
    }
    if (!require_any_.empty() && std::none_of(require_any_.begin(), require_any_.end(), has)) {
      std::string list;
      for (const auto& t : require_any_)
        list += (list.empty() ? "#" : " or #") + t;
      ReportMissing(sink, list.substr(1));
    }
  }

 private:
  static std::string Fold(std::string_view s) { return CaseFoldString(s); }
  static std::string_view Text(const AnalyzedPost& post, const twitter::Entity& e) {
    return post.text().substr(e.range.begin, e.range.size());
  }
  static bool IsEnglish(const std::string& lang) {
    return lang.empty() || lang == "en" || lang.rfind("en-", 0) == 0 || lang.rfind("en_", 0) == 0;
  }

  void Report(FindingSink& sink, const twitter::Entity& tag, const AnalyzedPost& post,
              const char* type, const std::string& max = "",
              std::optional<std::string> fix = std::nullopt) const {
    const std::string text(Text(post, tag));
    const std::string suggestion = fix.value_or("");  // read before `fix` is moved below
    sink.Report(tag.range,
                {{"tag", text},
                 {"count", ""},
                 {"max", max},
                 {"network_name", ""},
                 {"suggestion", suggestion},
                 {"length", std::to_string(CountCodePoints(tag.value))}},
                std::move(fix), std::nullopt, type);
  }

  void ReportMissing(FindingSink& sink, const std::string& tag) const {
    sink.Report({0, 0},
                {{"tag", tag[0] == '#' ? tag : "#" + tag},
                 {"count", ""},
                 {"max", ""},
                 {"network_name", ""},
                 {"suggestion", ""},
                 {"length", ""}},
                std::nullopt, std::string(), "require");
  }

  // For a tag of one case made of several dictionary words ("throwbackthursday"), returns the
  // CamelCase form ("ThrowbackThursday"); nullopt when the tag is fine or not recognisable.
  std::optional<std::string> CamelCaseSuggestion(std::string_view tag) const {
    if (tag.size() < 6 || tag.size() > 60)
      return std::nullopt;
    std::string lower;
    for (const char c : tag) {
      if (c >= 'a' && c <= 'z') {
        lower.push_back(c);
      } else if (c >= 'A' && c <= 'Z') {
        lower.push_back(static_cast<char>(c - 'A' + 'a'));
      } else {
        return std::nullopt;  // digits, '_' or non-ASCII letters: leave it to the writer
      }
    }
    const bool one_case = std::all_of(tag.begin(), tag.end(), [](char c) { return c >= 'a'; }) ||
                          std::all_of(tag.begin(), tag.end(), [](char c) { return c <= 'Z'; });
    if (!one_case || !dictionary_.available() || dictionary_.Contains(lower))
      return std::nullopt;
    // Fewest-words segmentation into dictionary words of 3+ letters.
    const size_t n = lower.size();
    std::vector<int> best(n + 1, -1), prev(n + 1, -1);
    best[0] = 0;
    for (size_t end = 3; end <= n; ++end) {
      for (size_t begin = 0; begin + 3 <= end; ++begin) {
        if (best[begin] < 0)
          continue;
        if (best[end] >= 0 && best[begin] + 1 >= best[end])
          continue;
        if (dictionary_.Contains(std::string_view(lower).substr(begin, end - begin))) {
          best[end] = best[begin] + 1;
          prev[end] = static_cast<int>(begin);
        }
      }
    }
    if (best[n] < 2)
      return std::nullopt;
    std::string out = lower;
    for (int pos = static_cast<int>(n); pos > 0; pos = prev[static_cast<size_t>(pos)]) {
      const auto begin = static_cast<size_t>(prev[static_cast<size_t>(pos)]);
      out[begin] = static_cast<char>(out[begin] - 'a' + 'A');
    }
    return out;
  }

  std::map<std::string, int64_t> max_;
  std::vector<std::string> deny_;
  std::vector<std::string> require_;
  std::vector<std::string> require_any_;
  int64_t max_length_;
  bool check_count_;
  bool camel_case_;
  Dictionary dictionary_;
};

}  // namespace

POSTLINT_DEFINE_RULE_FACTORY(HashtagsRule, hashtags)

}  // namespace postlint
