// Sponsored posts must carry a clear disclosure label ("#ad", "Ad:", "advertisement") where
// readers see it: within the first N characters (per network, before Instagram's "more" cut)
// and not buried in a trailing block of hashtags. Unclear labels ("#sp", "#spon", "thanks @")
// do not count. The FTC and UK ASA label lists ship as packs (rules/disclosure-*.yaml).
// User docs: docs/rules/disclosure.md
#include <algorithm>

#include "core/utf8.h"
#include "rules/rule.h"
#include "rules/support/term_matcher.h"

namespace postlint {
namespace {

bool IsAsciiAlnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// A label must start and end at word boundaries where it starts or ends with a letter or
// digit: "#ad" does not match "#adidas", "ad:" does not match "road:".
bool EdgeIsWordChar(std::string_view s, bool at_start) {
  if (s.empty())
    return false;
  const unsigned char c = static_cast<unsigned char>(at_start ? s.front() : s.back());
  return c >= 0x80 || IsAsciiAlnum(static_cast<char>(c));
}

class DisclosureRule final : public Rule {
 public:
  explicit DisclosureRule(RuleInit& init)
      : Rule(init),
        accepted_(init.options.StringList(
            "accepted", "labels that disclose an ad clearly, e.g. '#ad', 'Ad:', 'advertisement'")),
        rejected_(init.options.StringList(
            "rejected",
            "labels too unclear to count, e.g. '#sp', '#spon', 'thanks @' (thanks "
            "followed by a handle)")),
        within_(init.options.IntPerNetwork(
            "within",
            "characters from the start within which a label must end, per network "
            "(default 125, before Instagram's 'more' cut)")),
        hashtag_block_(init.options.Int(
            "hashtag_block", 3,
            "a label inside a trailing block of at least this many hashtags and handles is "
            "buried (0 turns the check off)",
            0, 1000)),
        sponsored_only_(init.options.Bool(
            "sponsored_only", true,
            "check only posts marked 'sponsored: true'; set false to check every post the "
            "rule's 'when' selects")),
        preferred_(init.options.String("preferred", "#ad",
                                       "label the fix inserts at the start of the post")) {
    if (accepted_.empty())
      init.options.ErrorAt("accepted", "needs at least one label in 'accepted'");
    std::vector<std::string> all;
    for (const auto& a : accepted_)
      all.push_back(CaseFoldString(NormalizeNfc(a).text()));
    for (const auto& r : rejected_)
      all.push_back(CaseFoldString(NormalizeNfc(r).text()));
    folded_ = all;
    matcher_ = TermMatcher(all);
    init.DeclarePlaceholders({"label", "position", "limit", "preferred"});
    init.SetDefaultMessage("Sponsored post without a disclosure: start it with '{preferred}'",
                           "missing");
    init.SetDefaultMessage("'{label}' is not a clear disclosure: start the post with '{preferred}'",
                           "unclear");
    init.SetDefaultMessage(
        "Disclosure '{label}' ends at character {position}; readers see only the first {limit} "
        "before 'more': put it at the start",
        "placement");
    init.SetDefaultMessage(
        "Disclosure '{label}' is buried in a block of hashtags: put it at the start", "buried");
  }

  bool IsNetworkSpecific() const override { return true; }

  void Check(const AnalyzedPost& post, const CheckContext& ctx, FindingSink& sink) const override {
    if (sponsored_only_ && !post.post().sponsored.value_or(false))
      return;
    const std::string_view text = post.text();
    const MappedText& view = post.folded();
    struct Hit {
      size_t label;
      ByteRange range;
    };
    std::vector<Hit> accepted, rejected;
    matcher_.FindAll(view.text(), [&](size_t label, uint32_t b, uint32_t e) {
      const ByteRange r{view.ToOriginalBegin(b), view.ToOriginalEnd(e)};
      const std::string& f = folded_[label];
      if (EdgeIsWordChar(f, true) && !post.IsWordBoundary(r.begin))
        return;
      if (EdgeIsWordChar(f, false) && !post.IsWordBoundary(r.end))
        return;
      (label < accepted_.size() ? accepted : rejected).push_back({label, r});
    });
    const auto limit = static_cast<uint32_t>(Limit(ctx.network));
    const uint32_t block_start = TrailingBlockStart(post);
    auto buried = [&](const Hit& h) { return h.range.begin > 0 && h.range.begin >= block_start; };
    auto position = [&](const Hit& h) {
      return static_cast<uint32_t>(CountCodePoints(text.substr(0, h.range.end)));
    };
    for (const auto& h : accepted) {
      if (!buried(h) && position(h) <= limit)
        return;  // one well-placed label is enough
    }
    auto label_text = [&](const Hit& h) {
      return std::string(text.substr(h.range.begin, h.range.size()));
    };
    const Placeholders base = {{"preferred", preferred_}, {"limit", std::to_string(limit)}};
    auto with = [&](const Hit& h) {
      Placeholders p = base;
      p.emplace_back("label", label_text(h));
      p.emplace_back("position", std::to_string(position(h)));
      return p;
    };
    if (!accepted.empty()) {
      const Hit& h = accepted.front();
      if (buried(h)) {
        if (ctx.primary)
          sink.Report(h.range, with(h), std::nullopt, std::nullopt, "buried");
      } else {
        sink.Report(h.range, with(h), std::nullopt, std::nullopt, "placement");
      }
      return;
    }
    if (!ctx.primary)
      return;
    if (!rejected.empty()) {
      const Hit& h = rejected.front();
      sink.Report(h.range, with(h), preferred_, std::nullopt, "unclear");
      return;
    }
    Placeholders p = base;
    p.emplace_back("label", "");
    p.emplace_back("position", "0");
    sink.Report({0, 0}, p, preferred_ + " ", std::nullopt, "missing");
  }

 private:
  int64_t Limit(const std::string& network) const {
    if (const auto it = within_.find(network); it != within_.end())
      return it->second;
    if (const auto it = within_.find("*"); it != within_.end())
      return it->second;
    return 125;
  }

  // Byte offset where the trailing block of hashtags and handles starts (text size when the
  // block is shorter than hashtag_block_).
  uint32_t TrailingBlockStart(const AnalyzedPost& post) const {
    const std::string_view text = post.text();
    const auto size = static_cast<uint32_t>(text.size());
    if (hashtag_block_ == 0)
      return size;
    std::vector<ByteRange> tags;
    for (const auto* e : post.hashtags())
      tags.push_back(e->range);
    for (const auto* e : post.mentions())
      tags.push_back(e->range);
    std::sort(tags.begin(), tags.end(),
              [](const ByteRange& a, const ByteRange& b) { return a.begin < b.begin; });
    auto skip_back = [&](uint32_t pos) {
      while (pos > 0) {
        const char c = text[pos - 1];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ',' || c == '.' || c == '|')
          --pos;
        else
          break;
      }
      return pos;
    };
    uint32_t pos = skip_back(size);
    int64_t count = 0;
    uint32_t start = size;
    for (auto it = tags.rbegin(); it != tags.rend(); ++it) {
      if (it->end != pos)
        break;
      ++count;
      start = it->begin;
      pos = skip_back(it->begin);
    }
    return count >= hashtag_block_ ? start : size;
  }

  std::vector<std::string> accepted_;
  std::vector<std::string> rejected_;
  std::map<std::string, int64_t> within_;
  int64_t hashtag_block_;
  bool sponsored_only_;
  std::string preferred_;
  std::vector<std::string> folded_;
  TermMatcher matcher_;
};

}  // namespace

POSTLINT_DEFINE_RULE_FACTORY(DisclosureRule, disclosure)

}  // namespace postlint
