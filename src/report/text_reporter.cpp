// Human-readable output, modelled on compiler diagnostics so editors can jump to locations:
//
//   drafts/launch.md:3:12: error no-profanity: Avoid profanity ('damn'). [x]
//     We are so damn proud of this
//               ^~~~
//     fix: replace with 'darn'
//   drafts/launch.md: fail (1 error)
//
// The layout is documented in docs/report-format.md.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unicode/uchar.h>

#include "core/fingerprint.h"
#include "core/text_position.h"
#include "core/utf8.h"
#include "report/reporter_impl.h"

namespace postlint {
namespace {

constexpr int kTabStop = 8;
// Wider source lines are cut to a window around the finding so the caret stays on screen.
constexpr int kMaxLineWidth = 120;
constexpr int kLeftContext = 40;
constexpr std::string_view kEllipsis = "\u2026";

constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kCyan = "\x1b[36m";
constexpr std::string_view kDim = "\x1b[2m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kReset = "\x1b[0m";

// Post text, ids and messages come from untrusted input: characters that would act on the
// terminal (C0/C1 controls such as ESC) or silently reorder the rest of the line (bidi
// embeddings, overrides and isolates) are shown as visible stand-ins instead.
char32_t VisibleCodePoint(char32_t cp) {
  if (cp < 0x20)
    return 0x2400 + cp;  // Control Pictures block
  if (cp == 0x7F)
    return 0x2421;
  if (cp >= 0x80 && cp < 0xA0)
    return 0xFFFD;
  if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
    return 0xFFFD;
  return cp;
}

std::string Printable(std::string_view s) {
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b >= 0x20 && b < 0x7F;
  });
  if (plain)
    return std::string(s);
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size())
    AppendUtf8(out, VisibleCodePoint(DecodeUtf8(s, i)));
  return out;
}

// Terminal columns taken by `cp`: 0 for combining marks and format characters, 2 for East
// Asian wide and fullwidth characters (CJK, most emoji), else 1.
int CodePointWidth(char32_t cp) {
  if (cp < 0x300)
    return 1;
  const auto c = static_cast<UChar32>(cp);
  const int8_t type = u_charType(c);
  if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_FORMAT_CHAR)
    return 0;
  const int eaw = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  return (eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH) ? 2 : 1;
}

// One printed unit of a source line and the bytes of post.text it stands for. Every code point
// of a substituted excerpt maps to the whole substituted range.
struct Glyph {
  std::string text;
  int width = 0;
  uint32_t src_begin = 0;
  uint32_t src_end = 0;
};

// A range whose raw text must not be shown (the rule masked its excerpt).
struct Redaction {
  ByteRange range;
  std::string excerpt;
};

std::string_view RawAt(std::string_view text, ByteRange range) {
  const size_t begin = std::min<size_t>(range.begin, text.size());
  const size_t end = std::clamp<size_t>(range.end, begin, text.size());
  return text.substr(begin, end - begin);
}

// Ranges of all findings whose excerpt differs from the raw text: every line shown for the post
// is rendered with these replaced, so a secret is hidden even in another finding's context
// line. Overlapping ranges are merged, keeping the first excerpt.
std::vector<Redaction> CollectRedactions(const PostResult& result) {
  std::vector<Redaction> all;
  for (const auto& f : result.findings) {
    const std::string_view raw = RawAt(result.post.text, f.range);
    if (raw.empty() || raw == f.excerpt)
      continue;
    const auto begin = static_cast<uint32_t>(raw.data() - result.post.text.data());
    all.push_back({{begin, static_cast<uint32_t>(begin + raw.size())}, f.excerpt});
  }
  std::sort(all.begin(), all.end(),
            [](const Redaction& a, const Redaction& b) { return a.range.begin < b.range.begin; });
  std::vector<Redaction> merged;
  for (auto& r : all) {
    if (!merged.empty() && r.range.begin < merged.back().range.end) {
      merged.back().range.end = std::max(merged.back().range.end, r.range.end);
    } else {
      merged.push_back(std::move(r));
    }
  }
  return merged;
}

void AppendGlyphs(std::string_view s, uint32_t src_begin, uint32_t src_end,
                  std::vector<Glyph>& glyphs) {
  size_t i = 0;
  while (i < s.size()) {
    char32_t cp = DecodeUtf8(s, i);
    if (cp == '\t' || cp == '\n' || cp == '\r')
      cp = ' ';
    cp = VisibleCodePoint(cp);
    Glyph g{{}, CodePointWidth(cp), src_begin, src_end};
    AppendUtf8(g.text, cp);
    glyphs.push_back(std::move(g));
  }
}

// Renders bytes [line_begin, line_end) of `text` as glyphs, with tabs expanded and redacted
// ranges replaced by their excerpts ("…" for the part of a redaction continuing from an earlier
// line).
std::vector<Glyph> LineGlyphs(std::string_view text, uint32_t line_begin, uint32_t line_end,
                              const std::vector<Redaction>& redactions) {
  std::vector<Glyph> glyphs;
  int col = 0;
  uint32_t i = line_begin;
  while (i < line_end) {
    const auto r = std::find_if(redactions.begin(), redactions.end(), [&](const Redaction& x) {
      return x.range.begin <= i && i < x.range.end;
    });
    if (r != redactions.end()) {
      const uint32_t end = std::min(r->range.end, line_end);
      const size_t before = glyphs.size();
      AppendGlyphs(r->range.begin < line_begin ? kEllipsis : std::string_view(r->excerpt), i, end,
                   glyphs);
      for (size_t k = before; k < glyphs.size(); ++k)
        col += glyphs[k].width;
      i = end;
      continue;
    }
    size_t next = i;
    const char32_t cp = DecodeUtf8(text, next);
    Glyph g{{}, 0, i, static_cast<uint32_t>(std::min<size_t>(next, line_end))};
    if (cp == '\t') {
      g.width = kTabStop - col % kTabStop;
      g.text.assign(static_cast<size_t>(g.width), ' ');
    } else {
      const char32_t visible = VisibleCodePoint(cp);
      g.width = CodePointWidth(visible);
      AppendUtf8(g.text, visible);
    }
    col += g.width;
    i = g.src_end;
    glyphs.push_back(std::move(g));
  }
  return glyphs;
}

int WidthOf(const std::vector<Glyph>& glyphs, size_t begin, size_t end) {
  int w = 0;
  for (size_t k = begin; k < end; ++k)
    w += glyphs[k].width;
  return w;
}

// The source line and caret line (without indentation) for `range` on the line
// [line_begin, line_end). A range running past the line is underlined to the line's end.
std::pair<std::string, std::string> Snippet(std::string_view text, uint32_t line_begin,
                                            uint32_t line_end, ByteRange range,
                                            const std::vector<Redaction>& redactions) {
  const std::vector<Glyph> glyphs = LineGlyphs(text, line_begin, line_end, redactions);
  const size_t n = glyphs.size();
  const uint32_t b = std::clamp(range.begin, line_begin, line_end);
  const uint32_t e = std::clamp(range.end, b, line_end);
  size_t first = n;
  size_t last = n;  // one past the last underlined glyph
  for (size_t k = 0; k < n; ++k) {
    if (glyphs[k].src_begin < e && glyphs[k].src_end > b) {
      if (first == n)
        first = k;
      last = k + 1;
    }
  }
  if (first == n) {
    // Empty range (or one whose excerpt is empty): point at the glyph at or after it.
    first = static_cast<size_t>(
        std::find_if(glyphs.begin(), glyphs.end(), [&](const Glyph& g) { return g.src_end > b; }) -
        glyphs.begin());
    last = first;
  }

  size_t win_begin = 0;
  size_t win_end = n;
  if (WidthOf(glyphs, 0, n) > kMaxLineWidth) {
    const int budget = kMaxLineWidth - 2;  // room for an ellipsis on each side
    int used = 0;
    win_begin = first;
    while (win_begin > 0 && used + glyphs[win_begin - 1].width <= kLeftContext) {
      used += glyphs[--win_begin].width;
    }
    win_end = win_begin;
    used = 0;
    while (win_end < n && used + glyphs[win_end].width <= budget)
      used += glyphs[win_end++].width;
    // Near the end of the line, spend what is left of the budget on more left context.
    while (win_end == n && win_begin > 0 && used + glyphs[win_begin - 1].width <= budget) {
      used += glyphs[--win_begin].width;
    }
  }

  std::string line;
  const int lead = win_begin > 0 ? 1 : 0;
  if (win_begin > 0)
    line += kEllipsis;
  for (size_t k = win_begin; k < win_end; ++k)
    line += glyphs[k].text;
  if (win_end < n)
    line += kEllipsis;

  const size_t caret_at = std::clamp(first, win_begin, win_end);
  const int column = lead + WidthOf(glyphs, win_begin, caret_at);
  const int width = std::max(1, WidthOf(glyphs, caret_at, std::clamp(last, caret_at, win_end)));
  std::string caret(static_cast<size_t>(column), ' ');
  caret += '^';
  caret.append(static_cast<size_t>(width - 1), '~');
  return {std::move(line), std::move(caret)};
}

std::string Plural(uint64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string_view BaseName(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Readers default a post's id to its file name; repeating it after the path adds nothing.
bool IdNamesSource(std::string_view id, std::string_view source) {
  if (id.empty() || id == source)
    return true;
  const std::string_view base = BaseName(source);
  if (id == base)
    return true;
  const size_t dot = base.find_last_of('.');
  return dot != std::string_view::npos && dot > 0 && id == base.substr(0, dot);
}

class TextReporter : public Reporter {
 public:
  TextReporter(std::ostream& out, const ReporterOptions& options) : out_(out), options_(options) {}

  void Begin(const PolicyInfo&) override {}

  void Add(const PostResult& result) override {
    if (result.error) {
      AddError(result);
      return;
    }
    const Post& post = result.post;
    const TextPositionIndex index(post.text);
    const std::vector<Redaction> redactions = CollectRedactions(result);
    uint64_t counts[3] = {0, 0, 0};
    uint64_t waived = 0;
    for (const auto& f : result.findings) {
      if (f.suppression) {
        ++waived;
      } else {
        ++counts[static_cast<int>(f.level)];
      }
      AddFinding(post, index, redactions, f);
    }
    if (result.findings.empty() && result.verdict == Verdict::kPass && !options_.show_passing) {
      return;
    }
    std::string detail;
    const std::pair<Level, std::string> parts[] = {
        {Level::kError, Plural(counts[2], "error", "errors")},
        {Level::kWarning, Plural(counts[1], "warning", "warnings")},
        {Level::kInfo, std::to_string(counts[0]) + " info"}};
    for (const auto& [level, part] : parts) {
      if (counts[static_cast<int>(level)] == 0)
        continue;
      detail += (detail.empty() ? "" : ", ") + part;
    }
    if (waived > 0)
      detail += (detail.empty() ? "" : ", ") + std::to_string(waived) + " waived";
    out_ << Paint(PostLabel(post, !post.text_is_verbatim) + ":", kBold) << ' '
         << Paint(ToString(result.verdict), VerdictColor(result.verdict));
    if (!detail.empty())
      out_ << " (" << detail << ")";
    if (result.review) {
      // The short fingerprint is what `postlint approve --post` takes.
      out_ << "; " << ReviewLine(*result.review) << " [" << ShortFingerprint(result.fingerprint)
           << "]";
    }
    out_ << '\n';
    printed_ = true;
  }

  void End(const RunSummary& s) override {
    auto count = [&](Verdict v) {
      const auto it = s.verdicts.find(v);
      return it == s.verdicts.end() ? uint64_t{0} : it->second;
    };
    auto level = [&](Level l) {
      const auto it = s.findings.find(l);
      return it == s.findings.end() ? uint64_t{0} : it->second;
    };
    if (printed_)
      out_ << '\n';
    out_ << Paint(Plural(s.posts, "post", "posts") + " checked:", kBold) << ' '
         << Paint(std::to_string(count(Verdict::kPass)) + " passed", kGreen, count(Verdict::kPass))
         << ", "
         << Paint(std::to_string(count(Verdict::kReview)) +
                      (count(Verdict::kReview) == 1 ? " needs review" : " need review"),
                  kYellow, count(Verdict::kReview))
         << ", "
         << Paint(std::to_string(count(Verdict::kFail)) + " failed", kRed, count(Verdict::kFail))
         << ", "
         << Paint(std::to_string(count(Verdict::kError)) + " unreadable", kRed,
                  count(Verdict::kError))
         << "; findings: " << Plural(level(Level::kError), "error", "errors") << ", "
         << Plural(level(Level::kWarning), "warning", "warnings") << ", " << level(Level::kInfo)
         << " info";
    if (s.suppressed > 0)
      out_ << ", " << s.suppressed << " waived";
    out_ << '\n';
    out_.flush();
  }

 private:
  static std::string_view LevelColor(Level level) {
    switch (level) {
      case Level::kError:
        return kRed;
      case Level::kWarning:
        return kYellow;
      case Level::kInfo:
        return kCyan;
    }
    return kRed;
  }

  static std::string_view VerdictColor(Verdict verdict) {
    switch (verdict) {
      case Verdict::kPass:
        return kGreen;
      case Verdict::kReview:
        return kYellow;
      case Verdict::kFail:
      case Verdict::kError:
        return kRed;
    }
    return kRed;
  }

  // "waits for editor, legal", "approved by bob (editor)", or both while partly approved.
  static std::string ReviewLine(const ReviewState& review) {
    std::vector<std::string> approvers;
    for (const auto& a : review.approvals)
      approvers.push_back(a.by + " (" + a.role + ")");
    std::string out = approvers.empty() ? "" : "approved by " + Printable(Join(approvers));
    if (!review.approved()) {
      out += (out.empty() ? "" : "; ") +
             (review.pending_roles.empty() ? std::string("waits for an approval")
                                           : "waits for " + Printable(Join(review.pending_roles)));
    }
    return out;
  }

  // `s` wrapped in `style` when colour is on (and `when` is non-zero).
  std::string Paint(std::string_view s, std::string_view style, uint64_t when = 1) const {
    if (!options_.color || when == 0)
      return std::string(s);
    std::string out(style);
    out += s;
    out += kReset;
    return out;
  }

  // "source", or "source[id]" when the id adds information (or `force_id`, for posts whose
  // text is not verbatim in the file, where line:col are relative to the post).
  static std::string PostLabel(const Post& post, bool force_id) {
    std::string label = Printable(post.source.empty() ? "<unknown>" : post.source);
    if (!post.id.empty() && (force_id || !IdNamesSource(post.id, post.source))) {
      label += "[" + Printable(post.id) + "]";
    } else if (post.id.empty() && force_id) {
      label += "[line " + std::to_string(post.source_line) + "]";
    }
    return label;
  }

  void AddFinding(const Post& post, const TextPositionIndex& index,
                  const std::vector<Redaction>& redactions, const Finding& f) {
    const TextPosition pos = index.At(f.range.begin);
    std::string location;
    if (post.text_is_verbatim) {
      const uint32_t first_line = std::max<uint32_t>(post.source_line, 1);
      location = Printable(post.source.empty() ? "<unknown>" : post.source) + ":" +
                 std::to_string(first_line + pos.line - 1);
    } else {
      location = PostLabel(post, /*force_id=*/true) + ":" + std::to_string(pos.line);
    }
    location += ":" + std::to_string(pos.column) + ":";
    // A waived finding keeps its level but loses its colour: still shown, no longer counted.
    const std::string level = std::string(ToString(f.level)) + (f.suppression ? " (waived)" : "");
    out_ << Paint(location, kBold) << ' '
         << Paint(level, f.suppression ? kDim : LevelColor(f.level)) << ' ' << Printable(f.rule)
         << ": " << Printable(f.message);
    if (!f.network.empty())
      out_ << " [" << Printable(f.network) << "]";
    if (!f.field.empty())
      out_ << " (in " << Printable(f.field) << ")";
    out_ << '\n';
    if (f.suppression) {
      const Suppression& w = *f.suppression;
      out_ << "  " << Paint("waived", kDim) << " by " << Printable(w.by) << " ("
           << Printable(w.role) << ") until " << w.until << ": " << Printable(w.reason) << " ["
           << Printable(w.waiver) << "]\n";
    }

    // An empty range is a whole-post finding (e.g. a missing disclosure): the text has nothing
    // to underline unless the fix inserts something there.
    if (!post.text.empty() && (!f.range.empty() || f.fix)) {
      const std::string_view line = index.Line(pos.line);
      const auto line_begin =
          line.data() == nullptr ? 0u : static_cast<uint32_t>(line.data() - post.text.data());
      const auto [text, caret] =
          Snippet(post.text, line_begin, line_begin + static_cast<uint32_t>(line.size()), f.range,
                  redactions);
      out_ << "  " << text << "\n  " << Paint(caret, LevelColor(f.level)) << '\n';
    }
    if (f.fix) {
      out_ << "  " << Paint("fix:", kGreen) << ' ';
      if (f.fix->empty()) {
        out_ << "remove it\n";
      } else if (f.range.empty()) {
        out_ << "insert '" << Printable(*f.fix) << "'\n";
      } else {
        out_ << "replace with '" << Printable(*f.fix) << "'\n";
      }
    }
    printed_ = true;
  }

  void AddError(const PostResult& result) {
    const ReadError& e = *result.error;
    const std::string& source = e.source.empty() ? result.post.source : e.source;
    const std::string& id = e.id.empty() ? result.post.id : e.id;
    std::string location = Printable(source.empty() ? "<unknown>" : source);
    if (e.line > 0)
      location += ":" + std::to_string(e.line);
    out_ << Paint(location + ":", kBold) << ' ' << Paint("error:", kRed) << ' '
         << Printable(e.message);
    if (!IdNamesSource(id, source))
      out_ << " [" << Printable(id) << "]";
    out_ << '\n';
    printed_ = true;
  }

  std::ostream& out_;
  ReporterOptions options_;
  bool printed_ = false;  // whether anything precedes the summary line
};

}  // namespace

std::unique_ptr<Reporter> MakeTextReporter(std::ostream& out, const ReporterOptions& options) {
  return std::make_unique<TextReporter>(out, options);
}

}  // namespace postlint
