// Word lists (profanity, off-brand language) matched on a deobfuscated view of the post, so
// "f*ck", "sh1t", "ｆｕｃｋ", "ƒuck", "f.u.c.k", "fuuuck" and "fu<ZWSP>ck" are found, with
// whole-word semantics by ICU word boundaries (so "Scunthorpe" and "cocktail" pass), inflected
// forms from suffix lists, per-term language tags, and allowed phrases ("Dick Van Dyke"). User
// docs: docs/rules/lexicon.md. List format: rules/lexicons/README.md.
//
// All tables (one Aho-Corasick automaton for every surface form of every term and allowed
// phrase, plus length buckets for masked words) are built in the constructor; Check() runs one
// pass over the view and is const and thread-safe.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

#include <unicode/uchar.h>

#include "analysis/deobfuscate.h"
#include "core/utf8.h"
#include "core/yaml_limits.h"
#include "policy/policy.h"
#include "rules/rule.h"
#include "rules/support/term_matcher.h"

namespace postlint {
namespace {

namespace fs = std::filesystem;

struct TermInfo {
  std::string term;  // as written in the list
  std::string list;  // list name ("en/profanity", a path, or "policy")
  std::string lang;  // "" = sought in every post
  std::string note;
  std::string censored;             // "f**k"
  std::vector<std::string> not_in;  // post languages where the term is not sought
  int severity = 1;
};

// One occurrence of a pattern in the view, as TermMatcher::FindAll reports it.
struct Match {
  uint32_t pattern;
  uint32_t begin;
  uint32_t end;
};

struct Pattern {
  uint32_t term = 0;  // index into terms_ (unused for allowed phrases)
  bool allow = false;
  std::string full;           // folded surface form, repeats not collapsed ("fucking")
  std::vector<uint8_t> runs;  // run length per byte of the collapsed form
};

std::string TrimAsciiSpaceString(std::string_view s) {
  return std::string(TrimAsciiSpace(s));
}

std::vector<std::string> SplitWords(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
      if (!cur.empty())
        out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty())
    out.push_back(std::move(cur));
  return out;
}

std::string PrimaryLanguage(std::string_view tag) {
  std::string out;
  for (char c : tag) {
    if (c == '-' || c == '_')
      break;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

// "fuck" -> "f**k", "ass" -> "a**", "son of a bitch" -> "son of a b***h".
std::string Censor(std::string_view folded) {
  std::string out;
  size_t i = 0;
  while (i < folded.size()) {
    if (folded[i] == ' ') {
      out.push_back(' ');
      ++i;
      continue;
    }
    size_t end = folded.find(' ', i);
    if (end == std::string_view::npos)
      end = folded.size();
    const std::string_view word = folded.substr(i, end - i);
    std::vector<std::string_view> cps;
    for (size_t k = 0; k < word.size();) {
      const size_t b = k;
      DecodeUtf8(word, k);
      cps.push_back(word.substr(b, k - b));
    }
    const bool whole_phrase = i == 0 && end == folded.size();
    if (cps.size() <= 3 && !whole_phrase) {
      out += word;  // short words of a phrase ("of", "a") stay readable
    } else {
      for (size_t k = 0; k < cps.size(); ++k) {
        const bool keep = k == 0 || (k + 1 == cps.size() && cps.size() >= 4);
        out += keep ? std::string(cps[k]) : std::string("*");
      }
    }
    i = end;
  }
  return out;
}

const char* SeverityName(int s) {
  switch (s) {
    case 0:
      return "mild";
    case 1:
      return "strong";
    default:
      return "severe";
  }
}

class LexiconRule final : public Rule {
 public:
  explicit LexiconRule(RuleInit& init) : Rule(init) {
    RuleOptions& o = init.options;
    const auto lists =
        o.StringList("lists",
                     "word lists to use: shipped names such as 'en/profanity' (rules/lexicons/en/"
                     "profanity.txt) or paths to .txt/.yaml files, relative to the policy file");
    const auto inline_terms =
        o.StringList("terms", "extra terms in the list line format, e.g. 'heck | 0 | forms: -s'");
    const auto allow = o.StringList(
        "allow", "phrases that contain a listed term but are fine, e.g. 'Dick Van Dyke'");
    languages_all_ = o.Enum("languages", "post", {"post", "all"},
                            "which language-tagged terms to seek: those of the post's 'lang' "
                            "('post'), or every list's ('all')") == "all";
    min_severity_ = static_cast<int>(o.Int(
        "min_severity", 0, "lowest term severity reported (0 mild, 1 strong, 2 severe)", 0, 2));
    max_severity_ =
        static_cast<int>(o.Int("max_severity", 2, "highest term severity reported", 0, 2));
    const auto evasions = o.StringList(
        "evasions",
        "evasions to undo: any of confusables, leet, masks, spaced, repeats, or 'none' "
        "(default: all)");
    const auto leet = o.StringMap(
        "leet", "leet characters to add or change, e.g. {'1': l, '+': t}; map to '' to drop one");
    opts_.max_mask_run = static_cast<uint32_t>(
        o.Int("max_mask_run", 3, "most masking characters in a row read as hidden letters", 1, 5));
    hashtags_ = o.Bool("hashtags", true,
                       "also split hashtags and handles into words at CamelCase, digits and "
                       "underscores (#WTFriday)");
    offer_fix_ = o.Bool("fix", true, "offer the censored form (f**k) as a fix");

    if (!evasions.empty()) {
      opts_.confusables = opts_.leet = opts_.masks = opts_.spaced = opts_.repeats = false;
      for (const auto& e : evasions) {
        if (e == "confusables")
          opts_.confusables = true;
        else if (e == "leet")
          opts_.leet = true;
        else if (e == "masks")
          opts_.masks = true;
        else if (e == "spaced")
          opts_.spaced = true;
        else if (e == "repeats")
          opts_.repeats = true;
        else if (e != "none")
          o.ErrorAt("evasions",
                    "unknown evasion '" + e +
                        "'; expected confusables, leet, masks, spaced, repeats or none");
      }
    }
    for (const auto& [from, to] : leet) {
      if (from.size() != 1 || static_cast<unsigned char>(from[0]) >= 0x80 ||
          std::isalpha(static_cast<unsigned char>(from[0])) ||
          (to.size() > 1 || (to.size() == 1 && !std::isalpha(static_cast<unsigned char>(to[0]))))) {
        o.ErrorAt("leet",
                  "leet entries map one ASCII digit or symbol to one letter (or ''), not '" + from +
                      "' -> '" + to + "'");
        continue;
      }
      opts_.leet_map[static_cast<unsigned char>(from[0])] =
          to.empty() ? 0 : static_cast<char>(std::tolower(static_cast<unsigned char>(to[0])));
    }
    if (min_severity_ > max_severity_)
      o.ErrorAt("min_severity", "min_severity is above max_severity");

    const std::string policy_file = init.spec.location.file;
    for (const auto& ref : lists) {
      const std::string path = ResolveList(ref, policy_file);
      if (path.empty()) {
        o.ErrorAt("lists", "cannot find word list '" + ref + "'; expected a shipped list (" +
                               ShippedLists() + ") or a path to a .txt or .yaml file");
        continue;
      }
      std::ifstream in(path, std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      std::vector<std::string> errors;
      if (path.ends_with(".yaml") || path.ends_with(".yml"))
        LoadYamlList(buffer.str(), ref, path, errors);
      else
        LoadTextList(buffer.str(), ref, path, errors);
      for (const auto& e : errors)
        o.ErrorAt("lists", e);
    }
    {
      std::vector<std::string> errors;
      std::map<std::string, std::vector<std::string>> no_forms;
      std::string lang;
      for (size_t i = 0; i < inline_terms.size(); ++i)
        AddTermLine(inline_terms[i], "policy", "policy", i + 1, lang, no_forms, errors);
      for (const auto& e : errors)
        o.ErrorAt("terms", e);
    }
    for (const auto& a : allow)
      AddAllow(a);
    if (terms_.empty())
      o.ErrorAt("lists", "needs at least one term: give 'lists' or 'terms'");

    std::vector<std::string> collapsed;
    collapsed.reserve(patterns_.size());
    for (size_t p = 0; p < patterns_.size(); ++p) {
      std::vector<uint8_t> runs;
      collapsed.push_back(FoldTerm(patterns_[p].full, &runs));
      patterns_[p].runs = std::move(runs);
      if (!patterns_[p].allow && patterns_[p].full.find(' ') == std::string::npos) {
        std::u32string cps;
        const std::string& f = patterns_[p].full;
        for (size_t i = 0; i < f.size();)
          cps.push_back(DecodeUtf8(f, i));
        by_length_[cps.size()].emplace_back(static_cast<uint32_t>(p), std::move(cps));
      }
    }
    matcher_ = TermMatcher::Shared(collapsed);

    init.DeclarePlaceholders(
        {"term", "suggestion", "list", "severity", "severity_name", "evasion", "lang", "note"});
    init.SetDefaultMessage("Avoid '{suggestion}': {severity_name} language (list {list})");
    init.SetDefaultMessage(
        "Avoid '{suggestion}': {severity_name} language (list {list}), disguised by {evasion}",
        "disguised");
    view_key_ = ViewKey();
    // Matches depend on the view and on the automaton; equal lists share one automaton.
    matches_key_ = view_key_ + "|" + std::to_string(reinterpret_cast<uintptr_t>(matcher_.get()));
  }

  bool ChecksEveryText() const override { return true; }

  void Check(const AnalyzedPost& post, const CheckContext&, FindingSink& sink) const override {
    if (patterns_.empty())
      return;
    // Rules of one policy usually share options (the profanity pack has two): the post keeps
    // one view per set of options.
    static const char kViewTag = 0;
    const DeobfuscatedText& view = post.Derived<DeobfuscatedText>(&kViewTag, view_key_, [&] {
      DeobfuscatedText v;
      Deobfuscate(post.text(), opts_, v);
      return v;
    });
    const std::string lang = PrimaryLanguage(post.post().lang);
    const std::string_view text = post.text();
    const bool may_have_tags = hashtags_ && (text.find('#') != std::string_view::npos ||
                                             text.find('@') != std::string_view::npos);

    struct Hit {
      uint32_t pattern;
      uint32_t vb, ve;
      ByteRange range;
      uint16_t evasions;
    };
    std::vector<Hit> hits;
    std::vector<std::pair<uint32_t, uint32_t>> allowed;

    auto wanted = [&](const TermInfo& t) {
      if (t.severity < min_severity_ || t.severity > max_severity_)
        return false;
      if (!lang.empty() && std::find(t.not_in.begin(), t.not_in.end(), lang) != t.not_in.end())
        return false;
      return t.lang.empty() || languages_all_ || t.lang == lang;
    };
    // Whole-word check in the original text; returns false, or true and sets `hashtag`.
    auto boundaries_ok = [&](ByteRange r, bool& hashtag) {
      hashtag = false;
      bool ok_begin = Boundary(post, r.begin);
      bool ok_end = Boundary(post, r.end) || BoundaryAfterDropped(post, r.end);
      if (!(ok_begin && ok_end) && may_have_tags && InTagToken(text, r.begin)) {
        if (!ok_begin) {
          const int s = SegmentBoundary(post, r.begin);
          ok_begin = s > 0;
          hashtag |= s == 2;
        }
        if (!ok_end) {
          const int s = SegmentBoundary(post, r.end);
          ok_end = s > 0;
          hashtag |= s == 2;
        }
      }
      return ok_begin && ok_end;
    };

    // Rules with the same lists (the profanity pack's two, which differ only in severities) scan
    // the view once and filter the shared matches each by their own options.
    static const char kMatchesTag = 0;
    const auto& matches = post.Derived<std::vector<Match>>(&kMatchesTag, matches_key_, [&] {
      std::vector<Match> found;
      matcher_->FindAll(view.text(), [&](size_t p, uint32_t b, uint32_t e) {
        found.push_back({static_cast<uint32_t>(p), b, e});
      });
      return found;
    });
    auto on_match = [&](uint32_t p, uint32_t b, uint32_t e) {
      const Pattern& pat = patterns_[p];
      if (!pat.allow && !wanted(terms_[pat.term]))
        return;
      bool repeated = false;
      for (uint32_t k = b; k < e; ++k) {
        const uint8_t want = pat.runs[k - b];
        const uint8_t have = view.run(k);
        if (have < want)
          return;
        repeated |= have > want;
      }
      if (!view.RespectsSpacedRuns(b, e))
        return;
      const ByteRange r = view.ToOriginal(b, e);
      bool hashtag = false;
      if (!boundaries_ok(r, hashtag))
        return;
      if (pat.allow) {
        allowed.emplace_back(b, e);
        return;
      }
      uint16_t ev = 0;
      for (uint32_t k = b; k < e; ++k)
        ev |= view.flags(k);
      ev &= 0xFF;
      if (repeated)
        ev |= kEvasionRepeated;
      if (hashtag)
        ev |= kEvasionHashtag;
      hits.push_back({p, b, e, r, ev});
    };
    for (const Match& m : matches)
      on_match(m.pattern, m.begin, m.end);

    if (opts_.masks && view.text().find(kMaskByte) != std::string::npos)
      FindMasked(view, wanted, boundaries_ok,
                 [&](uint32_t p, uint32_t b, uint32_t e, ByteRange r, uint16_t ev) {
                   hits.push_back({p, b, e, r, ev});
                 });
    if (hits.empty())
      return;

    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      if (a.range.begin != b.range.begin)
        return a.range.begin < b.range.begin;
      return a.range.end > b.range.end;
    });
    uint32_t covered_until = 0;
    for (const auto& h : hits) {
      if (h.range.begin < covered_until && covered_until > 0)
        continue;
      const bool is_allowed = std::any_of(allowed.begin(), allowed.end(), [&](const auto& a) {
        return a.first <= h.vb && h.ve <= a.second;
      });
      if (is_allowed)
        continue;
      covered_until = h.range.end;
      const Pattern& pat = patterns_[h.pattern];
      const TermInfo& t = terms_[pat.term];
      const uint16_t ev = h.evasions | InvisibleEvasionsIn(text, h.range);
      const std::string suggestion = Censor(pat.full);
      sink.Report(h.range,
                  {{"term", t.censored},
                   {"suggestion", suggestion},
                   {"list", t.list},
                   {"severity", std::to_string(t.severity)},
                   {"severity_name", SeverityName(t.severity)},
                   {"evasion", ev ? EvasionNames(ev) : "none"},
                   {"lang", t.lang.empty() ? "any" : t.lang},
                   {"note", t.note}},
                  offer_fix_ ? std::optional<std::string>(suggestion) : std::nullopt, suggestion,
                  ev ? "disguised" : "term");
    }
  }

 private:
  // ---- word boundaries ------------------------------------------------------------------
  static bool IsAsciiWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

  static bool Boundary(const AnalyzedPost& post, uint32_t pos) {
    const std::string_view t = post.text();
    // ICU never breaks between two ASCII letters or digits: skip the ICU work for those.
    if (pos > 0 && pos < t.size() && IsAsciiWordChar(t[pos - 1]) && IsAsciiWordChar(t[pos]))
      return false;
    return post.IsWordBoundary(pos);
  }

  // ICU attaches invisible characters to the word before them: "fuck<ZWSP> " has its boundary
  // after the ZWSP.
  static bool BoundaryAfterDropped(const AnalyzedPost& post, uint32_t pos) {
    const std::string_view t = post.text();
    size_t i = pos;
    bool skipped = false;
    while (i < t.size() && static_cast<unsigned char>(t[i]) >= 0x80) {
      size_t next = i;
      if (!IsDroppedCodePoint(DecodeUtf8(t, next)))
        break;
      i = next;
      skipped = true;
    }
    return skipped && post.IsWordBoundary(static_cast<uint32_t>(i));
  }

  // True when the whitespace-separated token holding `pos` has a '#' or '@' before `pos`
  // (a cheap test before asking for the post's entities).
  static bool InTagToken(std::string_view t, uint32_t pos) {
    for (size_t i = pos; i > 0; --i) {
      const char c = t[i - 1];
      if (c == '#' || c == '@')
        return true;
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
        return false;
      if (c == '\x83' || c == '\xA0')  // fullwidth '#' (EF BC 83) or '@' (EF BC A0)
        return true;
    }
    return false;
  }

  // 0: no boundary; 1: the start or end of a hashtag's or handle's value; 2: a CamelCase, digit
  // or underscore boundary strictly inside one.
  static int SegmentBoundary(const AnalyzedPost& post, uint32_t pos) {
    const std::string_view t = post.text();
    // The tag's value around `pos`: word characters (non-ASCII bytes count as such) after a
    // '#' or '@'. Cheaper than the post's entities, and enough for splitting.
    auto word = [&](size_t i) {
      const auto c = static_cast<unsigned char>(t[i]);
      return c >= 0x80 || std::isalnum(c) || c == '_';
    };
    size_t vb = pos;
    while (vb > 0 && word(vb - 1))
      --vb;
    if (vb == 0 || (t[vb - 1] != '#' && t[vb - 1] != '@'))
      return 0;
    size_t ve = pos;
    while (ve < t.size() && word(ve))
      ++ve;
    if (pos == vb || pos == ve)
      return 1;  // ICU does not always break after '@' or '#'
    if (pos >= t.size())
      return 0;
    auto before = [&](size_t at, size_t& start) -> char32_t {
      size_t b = at;
      do {
        --b;
      } while (b > 0 && (static_cast<unsigned char>(t[b]) & 0xC0) == 0x80);
      start = b;
      size_t k = b;
      return DecodeUtf8(t, k);
    };
    size_t p1 = 0, p2 = 0;
    const char32_t prev = before(pos, p1);
    const char32_t prev2 = p1 > 0 ? before(p1, p2) : 0;
    size_t n = pos;
    const char32_t next = DecodeUtf8(t, n);
    const char32_t next2 = n < t.size() ? DecodeUtf8(t, n) : 0;
    auto upper = [](char32_t c) { return c && u_isUUppercase(static_cast<UChar32>(c)); };
    auto lower = [](char32_t c) { return c && u_isULowercase(static_cast<UChar32>(c)); };
    auto digit = [](char32_t c) { return c && u_isdigit(static_cast<UChar32>(c)); };
    auto alpha = [](char32_t c) { return c && u_isalpha(static_cast<UChar32>(c)); };
    if (prev == '_' || next == '_')
      return 2;
    if ((lower(prev) || digit(prev)) && upper(next))
      return 2;
    if ((alpha(prev) && digit(next)) || (digit(prev) && alpha(next)))
      return 2;
    if (upper(prev) && upper(next) && lower(next2))
      return 2;  // "WT|Friday"
    if (upper(prev) && upper(prev2) && lower(next))
      return 2;  // "WTF|riday": an acronym sharing its last letter with the next word
    return 0;
  }

  // ---- masked words ----------------------------------------------------------------------
  template <typename Wanted, typename BoundariesOk, typename OnHit>
  void FindMasked(const DeobfuscatedText& view, Wanted& wanted, BoundariesOk& boundaries_ok,
                  OnHit on_hit) const {
    const std::string& v = view.text();
    uint32_t i = 0;
    std::u32string pattern;
    while (i < v.size()) {
      auto in_word = [&](uint32_t k) {
        return v[k] == kMaskByte || (view.flags(k) & DeobfuscatedText::kLetter);
      };
      if (!in_word(i)) {
        ++i;
        continue;
      }
      const uint32_t b = i;
      bool has_mask = false;
      while (i < v.size() && in_word(i)) {
        has_mask |= v[i] == kMaskByte;
        ++i;
      }
      const uint32_t e = i;
      if (!has_mask)
        continue;
      pattern.clear();
      bool ok = true;
      for (size_t k = b; k < e && ok;) {
        const uint8_t run = view.run(static_cast<uint32_t>(k));
        const char32_t cp = v[k] == kMaskByte ? 0 : DecodeUtf8(v, k);
        if (cp == 0)
          ++k;
        if (run > 2)
          ok = false;
        for (uint8_t r = 0; r < run; ++r)
          pattern.push_back(cp);
      }
      if (!ok)
        continue;
      const auto bucket = by_length_.find(pattern.size());
      if (bucket == by_length_.end())
        continue;
      for (const auto& [p, cps] : bucket->second) {
        const TermInfo& t = terms_[patterns_[p].term];
        if (!wanted(t))
          continue;
        bool match = true;
        for (size_t k = 0; k < cps.size() && match; ++k)
          match = pattern[k] == 0 || pattern[k] == cps[k];
        if (!match)
          continue;
        const ByteRange r = view.ToOriginal(b, e);
        bool hashtag = false;
        if (!boundaries_ok(r, hashtag))
          break;
        uint16_t ev = 0;
        for (uint32_t k = b; k < e; ++k)
          ev |= view.flags(k);
        on_hit(p, b, e, r, static_cast<uint16_t>(ev & 0xFF));
        break;
      }
    }
  }

  // ---- lists -----------------------------------------------------------------------------
  static std::string ResolveList(const std::string& ref, const std::string& policy_file) {
    std::error_code ec;
    const bool has_ext = ref.ends_with(".txt") || ref.ends_with(".yaml") || ref.ends_with(".yml");
    if (has_ext) {
      fs::path p(ref);
      if (p.is_relative() && !policy_file.empty())
        p = fs::path(policy_file).parent_path() / p;
      if (fs::is_regular_file(p, ec))
        return p.lexically_normal().string();
      const fs::path shipped = fs::path(DataDir()) / "lexicons" / ref;
      if (fs::is_regular_file(shipped, ec))
        return shipped.string();
      return "";
    }
    for (const char* ext : {".txt", ".yaml"}) {
      const fs::path shipped = fs::path(DataDir()) / "lexicons" / (ref + ext);
      if (fs::is_regular_file(shipped, ec))
        return shipped.string();
    }
    return "";
  }

  static std::string ShippedLists() {
    std::vector<std::string> names;
    std::error_code ec;
    const fs::path root = fs::path(DataDir()) / "lexicons";
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const fs::path& p = it->path();
      if (p.extension() == ".txt" || p.extension() == ".yaml") {
        std::string rel = fs::relative(p, root, ec).replace_extension().generic_string();
        names.push_back(rel);
      }
    }
    std::sort(names.begin(), names.end());
    std::string out;
    for (const auto& n : names)
      out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "none found" : out;
  }

  void AddAllow(const std::string& phrase) {
    const std::string full = FoldTermFull(phrase);
    if (full.empty())
      return;
    Pattern p;
    p.allow = true;
    p.full = full;
    patterns_.push_back(std::move(p));
  }

  // Adds one term line: "term | 2 | forms: -s -ing | lang: hr | stem: kur | note: ...".
  void AddTermLine(const std::string& line, const std::string& list, const std::string& file,
                   size_t line_no, const std::string& default_lang,
                   const std::map<std::string, std::vector<std::string>>& named_forms,
                   std::vector<std::string>& errors) {
    auto error = [&](const std::string& m) {
      errors.push_back(file + ":" + std::to_string(line_no) + ": " + m);
    };
    std::vector<std::string> fields;
    {
      std::string cur;
      for (char c : line) {
        if (c == '|') {
          fields.push_back(TrimAsciiSpaceString(cur));
          cur.clear();
        } else {
          cur.push_back(c);
        }
      }
      fields.push_back(TrimAsciiSpaceString(cur));
    }
    TermInfo info;
    info.term = fields[0];
    info.list = list;
    info.lang = default_lang;
    if (info.term.empty()) {
      error("empty term");
      return;
    }
    std::string stem;
    std::vector<std::string> suffixes;
    for (size_t f = 1; f < fields.size(); ++f) {
      const std::string& field = fields[f];
      if (field.empty())
        continue;
      if (field.size() == 1 && field[0] >= '0' && field[0] <= '2') {
        info.severity = field[0] - '0';
        continue;
      }
      const size_t colon = field.find(':');
      if (colon == std::string::npos) {
        error("cannot read '" + field + "'; expected a severity 0-2 or 'key: value'");
        continue;
      }
      const std::string key = TrimAsciiSpaceString(field.substr(0, colon));
      const std::string value = TrimAsciiSpaceString(field.substr(colon + 1));
      if (key == "severity") {
        if (value.size() == 1 && value[0] >= '0' && value[0] <= '2')
          info.severity = value[0] - '0';
        else
          error("severity must be 0, 1 or 2, not '" + value + "'");
      } else if (key == "lang") {
        info.lang = value == "any" ? "" : PrimaryLanguage(value);
      } else if (key == "not-in") {
        for (const auto& w : SplitWords(value))
          info.not_in.push_back(PrimaryLanguage(w));
      } else if (key == "note") {
        info.note = value;
      } else if (key == "stem") {
        stem = value;
      } else if (key == "forms") {
        for (const auto& w : SplitWords(value)) {
          if (w[0] == '@') {
            const auto it = named_forms.find(w.substr(1));
            if (it == named_forms.end())
              error("unknown form set '" + w + "'; define it with '@forms " + w.substr(1) +
                    ": -a -e'");
            else
              suffixes.insert(suffixes.end(), it->second.begin(), it->second.end());
          } else if (w[0] == '-') {
            suffixes.push_back(w.substr(1));
          } else {
            error("forms are suffixes written '-s' or form sets written '@name', not '" + w + "'");
          }
        }
      } else {
        error("unknown key '" + key + "'; expected severity, lang, not-in, note, stem or forms");
      }
    }
    info.censored = Censor(FoldTermFull(info.term));
    const auto term_index = static_cast<uint32_t>(terms_.size());
    std::vector<std::string> surfaces = {info.term};
    const std::string base = stem.empty() ? info.term : stem;
    for (const auto& s : suffixes)
      surfaces.push_back(base + s);
    std::sort(surfaces.begin(), surfaces.end());
    surfaces.erase(std::unique(surfaces.begin(), surfaces.end()), surfaces.end());
    terms_.push_back(std::move(info));
    for (const auto& s : surfaces) {
      Pattern p;
      p.term = term_index;
      p.full = FoldTermFull(s);
      if (!p.full.empty())
        patterns_.push_back(std::move(p));
    }
  }

  void LoadTextList(const std::string& content, const std::string& list, const std::string& file,
                    std::vector<std::string>& errors) {
    std::map<std::string, std::vector<std::string>> named_forms;
    std::string lang;
    std::istringstream in(content);
    std::string raw;
    size_t line_no = 0;
    while (std::getline(in, raw)) {
      ++line_no;
      const std::string line = TrimAsciiSpaceString(raw);
      if (line.empty() || line[0] == '#')
        continue;
      if (line.starts_with("@lang")) {
        lang = PrimaryLanguage(TrimAsciiSpaceString(line.substr(5)));
        if (lang == "any")
          lang.clear();
      } else if (line.starts_with("@forms")) {
        std::string rest = TrimAsciiSpaceString(line.substr(6));
        const size_t colon = rest.find(':');
        if (colon == std::string::npos) {
          errors.push_back(file + ":" + std::to_string(line_no) +
                           ": expected '@forms name: -a -e -i'");
          continue;
        }
        auto& set = named_forms[TrimAsciiSpaceString(rest.substr(0, colon))];
        for (const auto& w : SplitWords(rest.substr(colon + 1)))
          set.push_back(w[0] == '-' ? w.substr(1) : w);
      } else if (line[0] == '!') {
        AddAllow(line.substr(1));
      } else {
        AddTermLine(line, list, file, line_no, lang, named_forms, errors);
      }
    }
  }

  void LoadYamlList(const std::string& content, const std::string& list, const std::string& file,
                    std::vector<std::string>& errors) {
    YAML::Node root;
    try {
      root = YAML::Load(content);
    } catch (const YAML::Exception& e) {
      errors.push_back(file + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
      return;
    }
    if (auto problem = CheckYamlLimits(root)) {
      errors.push_back(file + ":" + std::to_string(problem->mark.line + 1) + ": " +
                       problem->message);
      return;
    }
    // Read through a const reference: yaml-cpp's non-const operator[] inserts nodes, and
    // iterating such a node was caught by AddressSanitizer as a use after scope.
    const YAML::Node& doc = root;
    if (!doc.IsMap()) {
      errors.push_back(file + ": a YAML word list is a mapping with 'terms'");
      return;
    }
    std::string lang;
    if (doc["lang"] && doc["lang"].IsScalar())
      lang = PrimaryLanguage(doc["lang"].Scalar());
    std::map<std::string, std::vector<std::string>> named_forms;
    if (const YAML::Node forms = doc["forms"]; forms && forms.IsMap()) {
      for (auto it = forms.begin(); it != forms.end(); ++it) {
        auto& set = named_forms[it->first.as<std::string>("")];
        // A copy, not `it->second` in the loop header: that reference points into a proxy
        // object that dies before the loop body runs (use after scope, found by ASan).
        const YAML::Node values = it->second;
        if (values.IsSequence())
          for (const auto& s : values)
            set.push_back(TrimAsciiSpaceString(s.as<std::string>(""))
                              .substr(s.as<std::string>("").starts_with("-") ? 1 : 0));
      }
    }
    if (const YAML::Node terms = doc["terms"]; terms && terms.IsSequence()) {
      for (const auto& t : terms) {
        const size_t line_no = static_cast<size_t>(t.Mark().line + 1);
        if (t.IsScalar()) {
          AddTermLine(t.Scalar(), list, file, line_no, lang, named_forms, errors);
        } else if (t.IsMap() && t["term"]) {
          std::string line = t["term"].as<std::string>("");
          for (const char* key : {"severity", "lang", "not-in", "note", "stem", "forms"}) {
            if (!t[key])
              continue;
            std::string value;
            if (t[key].IsSequence()) {
              for (const auto& s : t[key])
                value += s.as<std::string>("") + " ";
            } else {
              value = t[key].as<std::string>("");
            }
            line += std::string(" | ") + key + ": " + value;
          }
          AddTermLine(line, list, file, line_no, lang, named_forms, errors);
        } else {
          errors.push_back(file + ":" + std::to_string(line_no) +
                           ": a term is a line ('word | 2') or a mapping with 'term'");
        }
      }
    } else {
      errors.push_back(file + ": a YAML word list needs a 'terms' list");
    }
    if (const YAML::Node allow = doc["allow"]; allow && allow.IsSequence()) {
      for (const auto& a : allow)
        AddAllow(a.as<std::string>(""));
    }
  }

  // The options the deobfuscated view depends on, as a key for AnalyzedPost::Derived.
  std::string ViewKey() const {
    std::string key;
    key.reserve(8 + opts_.leet_map.size());
    for (const bool b : {opts_.confusables, opts_.leet, opts_.masks, opts_.spaced, opts_.repeats}) {
      key.push_back(b ? '1' : '0');
    }
    key += std::to_string(opts_.max_mask_run);
    key.push_back(':');
    key.append(opts_.leet_map.begin(), opts_.leet_map.end());
    return key;
  }

  DeobfuscateOptions opts_;
  std::string view_key_;
  bool languages_all_ = false;
  int min_severity_ = 0;
  int max_severity_ = 2;
  bool hashtags_ = true;
  bool offer_fix_ = true;
  std::vector<TermInfo> terms_;
  std::vector<Pattern> patterns_;
  std::shared_ptr<const TermMatcher> matcher_;
  std::string matches_key_;
  // Single-word surface forms by length in code points, for masked words ("f*ck").
  std::unordered_map<size_t, std::vector<std::pair<uint32_t, std::u32string>>> by_length_;
};

}  // namespace

POSTLINT_DEFINE_RULE_FACTORY(LexiconRule, lexicon)

}  // namespace postlint
