#include "analysis/deobfuscate.h"

#include <algorithm>
#include <map>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>

#include "core/utf8.h"

namespace postlint {

std::array<char, 128> DeobfuscateOptions::DefaultLeetMap() {
  std::array<char, 128> m{};
  const std::pair<char, char> pairs[] = {{'4', 'a'}, {'@', 'a'}, {'8', 'b'}, {'3', 'e'},
                                         {'6', 'g'}, {'9', 'g'}, {'1', 'i'}, {'!', 'i'},
                                         {'0', 'o'}, {'5', 's'}, {'$', 's'}, {'7', 't'}};
  for (const auto& [from, to] : pairs)
    m[static_cast<unsigned char>(from)] = to;
  return m;
}

std::string EvasionNames(uint16_t evasions) {
  static const std::pair<uint16_t, const char*> kNames[] = {
      {kEvasionStyled, "styled letters"},     {kEvasionInvisible, "invisible characters"},
      {kEvasionMarks, "combining marks"},     {kEvasionHomoglyph, "lookalike letters"},
      {kEvasionLeet, "leet-speak"},           {kEvasionMask, "masking characters"},
      {kEvasionSpaced, "spaced-out letters"}, {kEvasionRepeated, "repeated letters"},
      {kEvasionHashtag, "hashtag splitting"},
  };
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if (evasions & bit) {
      if (!out.empty())
        out += ", ";
      out += name;
    }
  }
  return out;
}

bool DeobfuscatedText::RespectsSpacedRuns(uint32_t b, uint32_t e) const {
  if (b >= e || e > text_.size())
    return true;
  if ((flags_[b] & kEvasionSpaced) && b > 0 && (flags_[b - 1] & kEvasionSpaced))
    return false;
  if ((flags_[e - 1] & kEvasionSpaced) && e < text_.size() && (flags_[e] & kEvasionSpaced))
    return false;
  return true;
}

bool IsDroppedCodePoint(char32_t cp) {
  if (cp < 0x80)
    return false;
  const auto c = static_cast<UChar32>(cp);
  return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
         u_charType(c) == U_NON_SPACING_MARK || u_charType(c) == U_ENCLOSING_MARK;
}

uint16_t InvisibleEvasionsIn(std::string_view text, ByteRange range) {
  uint16_t out = 0;
  const std::string_view s = text.substr(range.begin, range.size());
  if (IsAscii(s))
    return 0;
  size_t i = 0;
  while (i < s.size()) {
    const char32_t cp = DecodeUtf8(s, i);
    if (cp >= 0x80 &&
        u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
      out |= kEvasionInvisible;
  }
  return out;
}

namespace {

const icu::Normalizer2& NfkcCf() {
  UErrorCode status = U_ZERO_ERROR;
  return *icu::Normalizer2::getNFKCCasefoldInstance(status);
}

const icu::Normalizer2& Nfd() {
  UErrorCode status = U_ZERO_ERROR;
  return *icu::Normalizer2::getNFDInstance(status);
}

// Code points whose spoof-checker skeleton equals the skeleton of one ASCII letter, restricted
// to code points that NFKC case folding leaves alone and that have no canonical decomposition
// (so "č" stays "č" while "ƒ", "ı", Cyrillic "ѕ" and Greek "ο" have an entry).
constexpr char32_t kConfusableLimit = 0xAB70;

const std::vector<char>& ConfusableTable() {
  static const std::vector<char> table = [] {
    std::vector<char> t(kConfusableLimit, 0);
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* sc = uspoof_open(&status);
    if (U_FAILURE(status))
      return t;
    auto skeleton = [&](const std::string& s) {
      UErrorCode st = U_ZERO_ERROR;
      char buf[64];
      const int32_t n = uspoof_getSkeletonUTF8(sc, 0, s.data(), static_cast<int32_t>(s.size()), buf,
                                               sizeof buf, &st);
      if (U_FAILURE(st))
        return std::string();
      // Drop combining marks: "ƒ" has the skeleton "f" + comma below.
      const std::string raw(buf, static_cast<size_t>(n));
      std::string out;
      for (size_t i = 0; i < raw.size();) {
        const char32_t cp = DecodeUtf8(raw, i);
        if (u_charType(static_cast<UChar32>(cp)) != U_NON_SPACING_MARK)
          AppendUtf8(out, cp);
      }
      return out;
    };
    std::map<std::string, char> reverse;
    for (char c = 'a'; c <= 'z'; ++c)
      reverse.emplace(skeleton(std::string(1, c)), c);
    const std::pair<char32_t, char32_t> ranges[] = {
        {0x80, 0x2AF},    {0x370, 0x58F},   {0x13A0, 0x13FF}, {0x1D00, 0x1DBF}, {0x2100, 0x218F},
        {0x2C60, 0x2C7F}, {0x2D00, 0x2D2F}, {0xA640, 0xA69F}, {0xA720, 0xA7FF}, {0xAB30, 0xAB6F}};
    const icu::Normalizer2& nfkc = NfkcCf();
    const icu::Normalizer2& nfd = Nfd();
    for (const auto& [lo, hi] : ranges) {
      for (char32_t cp = lo; cp <= hi; ++cp) {
        const auto c = static_cast<UChar32>(cp);
        if (!u_isalpha(c))
          continue;
        icu::UnicodeString decomposition;
        if (nfd.getDecomposition(c, decomposition))
          continue;
        UErrorCode st = U_ZERO_ERROR;
        const icu::UnicodeString folded = nfkc.normalize(icu::UnicodeString(c), st);
        if (U_FAILURE(st) || folded.length() == 0 || folded.char32At(0) != c ||
            folded.countChar32() != 1)
          continue;
        std::string utf8;
        AppendUtf8(utf8, cp);
        const auto it = reverse.find(skeleton(utf8));
        if (it != reverse.end())
          t[cp] = it->second;
      }
    }
    uspoof_close(sc);
    return t;
  }();
  return table;
}

// ASCII letter a non-ASCII letter looks like, or 0.
char LookalikeOf(char32_t cp) {
  if (cp >= 0x1F150 && cp <= 0x1F169)  // negative circled capital letters
    return static_cast<char>('a' + (cp - 0x1F150));
  if (cp >= 0x1F170 && cp <= 0x1F189)  // negative squared capital letters
    return static_cast<char>('a' + (cp - 0x1F170));
  if (cp >= kConfusableLimit)
    return 0;
  return ConfusableTable()[cp];
}

enum class Cls : uint8_t { kDropped, kSpace, kNewline, kLetter, kDigit, kOther, kMask };

// What a lookalike is worth for the script-aware decision.
enum class Look : uint8_t { kNone, kLatin, kForeignLookalike, kForeign };

struct Unit {
  uint32_t b = 0;
  uint32_t e = 0;
  uint16_t flags = 0;
  Cls cls = Cls::kOther;
  Look look = Look::kNone;
  bool consumed = false;  // separator inside a spaced run: not emitted
  bool in_run = false;    // letter of a spaced run
  char lookalike = 0;
  uint8_t len = 0;
  char out[14] = {};

  char ascii() const { return len == 1 && static_cast<unsigned char>(out[0]) < 0x80 ? out[0] : 0; }
  void Set(char c) {
    out[0] = c;
    len = 1;
  }
};

bool IsSeparatorUnit(const Unit& u) {
  if (u.cls == Cls::kSpace)
    return true;
  switch (u.ascii()) {
    case '.':
    case '-':
    case '_':
    case '*':
    case '/':
    case '|':
    case '~':
      return true;
    default:
      break;
  }
  return u.len == 2 && static_cast<unsigned char>(u.out[0]) == 0xC2 &&
         static_cast<unsigned char>(u.out[1]) == 0xB7;  // middle dot
}

bool IsMaskChar(char c) {
  switch (c) {
    case '*':
    case '#':
    case '%':
    case '?':
    case '~':
    case '^':
    case '&':
    case '@':
    case '$':
    case '!':
      return true;
    default:
      return false;
  }
}

Cls ClassOf(char32_t cp) {
  if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029 || cp == 0x85)
    return Cls::kNewline;
  const auto c = static_cast<UChar32>(cp);
  if (u_isUWhiteSpace(c))
    return Cls::kSpace;
  if (u_isalpha(c))
    return Cls::kLetter;
  if (u_isdigit(c))
    return Cls::kDigit;
  return Cls::kOther;
}

// `u` is freshly value-initialised.
void AsciiUnit(char c, uint32_t at, Unit& u) {
  u.b = at;
  u.e = at + 1;
  if (c >= 'A' && c <= 'Z')
    c = static_cast<char>(c - 'A' + 'a');
  u.Set(c);
  if (c >= 'a' && c <= 'z') {
    u.cls = Cls::kLetter;
    u.look = Look::kLatin;
  } else if (c >= '0' && c <= '9') {
    u.cls = Cls::kDigit;
  } else if (c == '\n' || c == '\r') {
    u.cls = Cls::kNewline;
  } else if (c == ' ' || c == '\t' || c == '\f' || c == '\v') {
    u.cls = Cls::kSpace;
  } else {
    u.cls = Cls::kOther;
  }
}

// Normalizes one chunk (a starter and the code points that combine with it).
void IcuUnit(std::string_view chunk, uint32_t at, bool confusables, Unit& u) {
  u.b = at;
  u.e = at + static_cast<uint32_t>(chunk.size());
  // Compatibility mappings (fullwidth, math alphanumerics, ligatures, enclosed letters).
  size_t i = 0;
  while (i < chunk.size()) {
    const char32_t cp = DecodeUtf8(chunk, i);
    const auto dt = u_getIntPropertyValue(static_cast<UChar32>(cp), UCHAR_DECOMPOSITION_TYPE);
    if (dt != U_DT_NONE && dt != U_DT_CANONICAL)
      u.flags |= kEvasionStyled;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(chunk.data(), static_cast<int32_t>(chunk.size())));
  const icu::UnicodeString norm = NfkcCf().normalize(in, status);
  std::string out;
  bool first = true;
  for (int32_t k = 0; k < norm.length();) {
    const UChar32 c = norm.char32At(k);
    k += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK || u_charType(c) == U_ENCLOSING_MARK) {
      u.flags |= kEvasionMarks;
      continue;
    }
    if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
      continue;
    if (first) {
      first = false;
      u.cls = ClassOf(static_cast<char32_t>(c));
      if (u.cls == Cls::kLetter) {
        UErrorCode st = U_ZERO_ERROR;
        const UScriptCode script = uscript_getScript(c, &st);
        const char look = confusables ? LookalikeOf(static_cast<char32_t>(c)) : 0;
        if (c < 0x80 || script == USCRIPT_LATIN || script == USCRIPT_COMMON) {
          u.look = Look::kLatin;
          if (look && c >= 0x80) {
            // Latin variants ("ƒ", "ı") and enclosed letters read as their ASCII letter.
            out.push_back(look);
            u.flags |= (script == USCRIPT_COMMON ? kEvasionStyled : kEvasionHomoglyph);
            continue;
          }
        } else {
          u.look = look ? Look::kForeignLookalike : Look::kForeign;
          u.lookalike = look;
        }
      }
    }
    AppendUtf8(out, static_cast<char32_t>(c));
  }
  if (first) {
    u.cls = Cls::kDropped;
    return;
  }
  if (out.size() > sizeof u.out) {
    // Very long expansions (Arabic ligatures): keep them as one opaque symbol.
    u.cls = Cls::kOther;
    out.resize(0);
    out = "\xEF\xBF\xBD";
  }
  std::copy(out.begin(), out.end(), u.out);
  u.len = static_cast<uint8_t>(out.size());
}

bool IsLeetable(const Unit& u, const DeobfuscateOptions& o) {
  const char c = u.ascii();
  return c && (u.cls == Cls::kDigit || u.cls == Cls::kOther) &&
         o.leet_map[static_cast<unsigned char>(c)] != 0;
}

void Convert(Unit& u, const DeobfuscateOptions& o) {
  u.Set(o.leet_map[static_cast<unsigned char>(u.ascii())]);
  u.cls = Cls::kLetter;
  u.look = Look::kLatin;
  u.flags |= kEvasionLeet;
}

// Per-thread scratch, so Check() does not allocate per post once warmed up.
struct Scratch {
  std::vector<Unit> units;
  std::vector<std::pair<size_t, size_t>> atoms;
};
// One per thread, reused by every call: a post is deobfuscated once per set of options its
// rules ask for, and a batch has many posts.
Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

struct CacheEntry {
  uint32_t key = 0xFFFFFFFFu;
  Unit unit;
};

// What BuildUnits learns on its way, so that later steps can skip passes over the units.
struct UnitFacts {
  bool ascii = true;          // the text has no non-ASCII character
  bool foreign = false;       // a unit has a letter of another script than Latin
  bool leet_or_mask = false;  // a digit or symbol unit is in the leet map or a mask character
  size_t bytes = 0;           // sum of the units' output lengths: a bound on the view's size
};

bool IsLeetOrMask(const Unit& u, const DeobfuscateOptions& o) {
  if (u.cls != Cls::kDigit && u.cls != Cls::kOther)
    return false;
  const char c = u.ascii();
  return (o.leet && c && o.leet_map[static_cast<unsigned char>(c)]) || (o.masks && IsMaskChar(c));
}

void BuildUnits(std::string_view text, const DeobfuscateOptions& o, std::vector<Unit>& units,
                UnitFacts& facts) {
  thread_local std::array<CacheEntry, 1024> cache;
  // ASCII characters stand alone (unless a combining mark follows): their units are constant.
  static const std::array<Unit, 128> ascii_units = [] {
    std::array<Unit, 128> table{};
    for (size_t c = 0; c < table.size(); ++c)
      AsciiUnit(static_cast<char>(c), 0, table[c]);
    return table;
  }();
  units.clear();
  units.reserve(text.size());
  facts = UnitFacts();
  const icu::Normalizer2* nfkc = nullptr;
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool next_ascii = i + 1 >= text.size() || static_cast<unsigned char>(text[i + 1]) < 0x80;
    if (c < 0x80 && next_ascii) {
      units.push_back(ascii_units[c]);
      Unit& u = units.back();
      u.b = static_cast<uint32_t>(i);
      u.e = static_cast<uint32_t>(i + 1);
      facts.bytes += 1;
      facts.leet_or_mask = facts.leet_or_mask || IsLeetOrMask(u, o);
      ++i;
      continue;
    }
    facts.ascii = false;
    if (!nfkc)
      nfkc = &NfkcCf();
    const size_t begin = i;
    DecodeUtf8(text, i);
    while (i < text.size()) {
      size_t next = i;
      const char32_t cp = DecodeUtf8(text, next);
      if (nfkc->hasBoundaryBefore(static_cast<UChar32>(cp)))
        break;
      i = next;
    }
    const std::string_view chunk = text.substr(begin, i - begin);
    units.emplace_back();
    Unit& u = units.back();
    // Most non-ASCII chunks are one code point ("ā", "“", an emoji): cache their analysis.
    if (Utf8SequenceLength(static_cast<unsigned char>(chunk[0])) == chunk.size()) {
      size_t k = 0;
      const char32_t cp = DecodeUtf8(chunk, k);
      const uint32_t key = static_cast<uint32_t>(cp) | (o.confusables ? 0x80000000u : 0);
      CacheEntry& entry = cache[(static_cast<uint32_t>(cp) * 2654435761u) >> 22];
      if (entry.key != key) {
        Unit fresh;
        IcuUnit(chunk, 0, o.confusables, fresh);
        entry.key = key;
        entry.unit = fresh;
      }
      u = entry.unit;
      u.b = static_cast<uint32_t>(begin);
      u.e = static_cast<uint32_t>(i);
    } else {
      IcuUnit(chunk, static_cast<uint32_t>(begin), o.confusables, u);
    }
    facts.foreign = facts.foreign || u.look == Look::kForeign || u.look == Look::kForeignLookalike;
    facts.leet_or_mask = facts.leet_or_mask || IsLeetOrMask(u, o);
    facts.bytes += u.len;
  }
}

// Step 2: lookalikes of other scripts, decided per whitespace-separated token.
void FoldForeignLookalikes(std::vector<Unit>& units) {
  size_t latin_total = 0;
  size_t foreign_total = 0;
  for (const auto& u : units) {
    if (u.look == Look::kLatin)
      ++latin_total;
    else if (u.look == Look::kForeign || u.look == Look::kForeignLookalike)
      ++foreign_total;
  }
  if (foreign_total == 0)
    return;
  const bool mostly_latin = latin_total > foreign_total;
  size_t t = 0;
  while (t < units.size()) {
    while (t < units.size() && (units[t].cls == Cls::kSpace || units[t].cls == Cls::kNewline))
      ++t;
    size_t end = t;
    size_t latin = 0, lookalike = 0, foreign = 0;
    while (end < units.size() && units[end].cls != Cls::kSpace && units[end].cls != Cls::kNewline) {
      latin += units[end].look == Look::kLatin;
      lookalike += units[end].look == Look::kForeignLookalike;
      foreign += units[end].look == Look::kForeign;
      ++end;
    }
    const bool mixed = latin > 0 && lookalike > 0;
    const bool disguised = latin == 0 && foreign == 0 && lookalike > 0 && mostly_latin;
    if (mixed || disguised) {
      for (size_t k = t; k < end; ++k) {
        if (units[k].look == Look::kForeignLookalike) {
          units[k].Set(units[k].lookalike);
          units[k].look = Look::kLatin;
          units[k].flags |= kEvasionHomoglyph;
        }
      }
    }
    t = end;
  }
}

// Step 3: runs of single characters joined by the same separator.
void JoinSpacedRuns(std::string_view text, std::vector<Unit>& units, const DeobfuscateOptions& o,
                    std::vector<std::pair<size_t, size_t>>& atoms) {
  atoms.clear();
  // Atoms are runs of letters, digits and leet symbols; other punctuation ends an atom and,
  // not being a separator, also ends a run ("s h i t, I" joins "shit").
  auto word_unit = [&](size_t k) {
    const Unit& u = units[k];
    if (u.cls == Cls::kLetter || u.cls == Cls::kDigit)
      return true;
    if (!(o.leet && IsLeetable(u, o)))
      return false;
    size_t n = k + 1;
    while (n < units.size() && units[n].cls == Cls::kDropped)
      ++n;
    return n < units.size() && (units[n].cls == Cls::kLetter || units[n].cls == Cls::kDigit);
  };
  size_t i = 0;
  while (i < units.size()) {
    if (!word_unit(i)) {
      ++i;
      continue;
    }
    const size_t begin = i;
    size_t last = i;
    ++i;
    while (i < units.size() && (units[i].cls == Cls::kDropped || word_unit(i))) {
      if (units[i].cls != Cls::kDropped)
        last = i;
      ++i;
    }
    atoms.emplace_back(begin, last);
  }
  auto single = [&](size_t a) {
    const auto& [b, e] = atoms[a];
    if (b != e)
      return false;
    const Unit& u = units[b];
    return u.cls == Cls::kLetter || (o.leet && IsLeetable(u, o));
  };
  // Separator between atoms a and a+1: its original bytes, when acceptable.
  auto separator = [&](size_t a, std::string_view& sep) {
    const size_t from = atoms[a].second + 1;
    const size_t to = atoms[a + 1].first;
    size_t visible = 0;
    for (size_t k = from; k < to; ++k) {
      if (units[k].cls == Cls::kDropped)
        continue;
      if (!IsSeparatorUnit(units[k]))
        return false;
      ++visible;
    }
    if (visible == 0 || visible > 3)
      return false;
    sep = text.substr(units[from].b, units[to].b - units[from].b);
    return true;
  };
  size_t a = 0;
  while (a < atoms.size()) {
    if (!single(a)) {
      ++a;
      continue;
    }
    size_t end = a;  // last atom of the run
    std::string_view sep;
    if (a + 1 < atoms.size() && single(a + 1) && separator(a, sep)) {
      end = a + 1;
      std::string_view next_sep;
      // A run joined by spaces gives up its last letter to a run joined by a tighter separator
      // that starts there ("s h i t F-U-C-K"); "f.u.c.k s h i t" keeps its "k".
      const bool spaces = sep.find_first_not_of(" \t") == std::string_view::npos;
      auto starts_other_run = [&](size_t k) {
        std::string_view s1, s2;
        return spaces && k + 2 < atoms.size() && single(k + 1) && single(k + 2) &&
               separator(k, s1) && s1 != sep && separator(k + 1, s2) && s2 == s1;
      };
      while (end + 1 < atoms.size() && single(end + 1) && separator(end, next_sep) &&
             next_sep == sep && !starts_other_run(end + 1))
        ++end;
    }
    const size_t count = end - a + 1;
    size_t letters = 0, leet = 0;
    for (size_t k = a; k <= end; ++k) {
      if (units[atoms[k].first].cls == Cls::kLetter)
        ++letters;
      else
        ++leet;
    }
    if (count >= 3 && letters >= 2 && leet <= letters) {
      for (size_t k = a; k <= end; ++k) {
        Unit& u = units[atoms[k].first];
        if (u.cls != Cls::kLetter)
          Convert(u, o);
        u.in_run = true;
        u.flags |= kEvasionSpaced;
        if (k < end) {
          for (size_t s = atoms[k].second + 1; s < atoms[k + 1].first; ++s)
            units[s].consumed = true;
        }
      }
    }
    a = end + 1;
  }
}

// Steps 4 and 5: leet-speak and masks inside whitespace-separated tokens.
void LeetAndMasks(std::string_view text, std::vector<Unit>& units, const DeobfuscateOptions& o) {
  std::vector<size_t> idx;
  idx.reserve(32);
  std::vector<size_t> candidates;  // leet characters of the token being looked at
  auto is_space = [&](size_t k) {
    return units[k].cls == Cls::kSpace || units[k].cls == Cls::kNewline;
  };
  auto interesting = [&](const Unit& u) {
    if (u.cls != Cls::kDigit && u.cls != Cls::kOther)
      return false;
    return (o.leet && IsLeetable(u, o)) || (o.masks && IsMaskChar(u.ascii()));
  };
  size_t scan = 0;
  while (scan < units.size()) {
    // Only tokens with a leet or mask character are looked at.
    if (!interesting(units[scan]) || units[scan].in_run || units[scan].consumed) {
      ++scan;
      continue;
    }
    size_t t = scan;
    while (t > 0 && !is_space(t - 1))
      --t;
    size_t end = scan;
    while (end < units.size() && !is_space(end))
      ++end;
    scan = end;
    // Links and addresses are not words.
    const std::string_view raw = text.substr(units[t].b, units[end - 1].e - units[t].b);
    const size_t at = raw.find('@');
    const bool email =
        at != std::string_view::npos && at > 0 && raw.find('.', at) != std::string_view::npos;
    if (raw.find("://") != std::string_view::npos || raw.starts_with("www.") || email)
      continue;
    idx.clear();
    for (size_t k = t; k < end; ++k) {
      const Unit& u = units[k];
      if (u.cls != Cls::kDropped && !u.in_run && !u.consumed)
        idx.push_back(k);
    }
    size_t letters = 0;
    for (size_t k : idx)
      letters += units[k].cls == Cls::kLetter;
    if (letters < 2)
      continue;
    auto is_letter = [&](size_t j) { return units[idx[j]].cls == Cls::kLetter; };
    auto is_leet = [&](size_t j) { return IsLeetable(units[idx[j]], o); };
    auto is_maskc = [&](size_t j) { return IsMaskChar(units[idx[j]].ascii()); };
    if (o.leet) {
      candidates.clear();
      for (size_t j = 0; j < idx.size(); ++j) {
        if (!is_leet(j))
          continue;
        const bool prev_ok = j > 0 && (is_letter(j - 1) || is_leet(j - 1));
        const bool next_ok = j + 1 < idx.size() && (is_letter(j + 1) || is_leet(j + 1));
        bool attached;
        if (units[idx[j]].cls == Cls::kDigit) {
          attached = prev_ok || next_ok;
        } else {
          const char c = units[idx[j]].ascii();
          const bool lead = j == 0 && (c == '$' || c == '@');
          const bool prev_mask = j > 0 && is_maskc(j - 1);
          attached = next_ok && (prev_ok || prev_mask || lead);
        }
        if (attached)
          candidates.push_back(j);
      }
      if (!candidates.empty() && candidates.size() <= letters) {
        for (size_t j : candidates)
          Convert(units[idx[j]], o);
        letters += candidates.size();
      }
    }
    if (o.masks) {
      size_t masked = 0;
      size_t j = 0;
      while (j < idx.size()) {
        if (!is_maskc(j) || units[idx[j]].cls == Cls::kLetter) {
          ++j;
          continue;
        }
        size_t k = j;
        while (k < idx.size() && is_maskc(k) && units[idx[k]].cls != Cls::kLetter)
          ++k;
        const size_t run = k - j;
        if (j > 0 && k < idx.size() && is_letter(j - 1) && is_letter(k) && run <= o.max_mask_run &&
            masked + run <= letters) {
          for (size_t m = j; m < k; ++m) {
            Unit& u = units[idx[m]];
            u.Set(kMaskByte);
            u.cls = Cls::kMask;
            u.flags |= kEvasionMask;
          }
          masked += run;
        }
        j = k;
      }
    }
  }
}

}  // namespace

void Deobfuscate(std::string_view text, const DeobfuscateOptions& o, DeobfuscatedText& out) {
  Scratch& scratch = ThreadScratch();
  std::vector<Unit>& units = scratch.units;
  UnitFacts facts;
  BuildUnits(text, o, units, facts);
  out.ascii_ = facts.ascii;
  if (o.confusables && facts.foreign)
    FoldForeignLookalikes(units);
  if (o.spaced)
    JoinSpacedRuns(text, units, o, scratch.atoms);
  // Most posts have no leet or mask character at all. (The steps above only turn such
  // characters into letters or separators of a spaced run, which LeetAndMasks skips, so the
  // test made while building the units still tells when there is nothing to do.)
  if (facts.leet_or_mask)
    LeetAndMasks(text, units, o);

  // The view has at most one byte per output byte of a unit (spaces collapse, repeats merge,
  // and the steps above only shorten units): size the arrays once and write through
  // pointers, instead of five checked push_backs per byte, then cut them to the length written.
  const size_t bound = facts.bytes;
  out.text_.resize(bound);
  out.src_begin_.resize(bound + 1);
  out.src_end_.resize(bound + 1);
  out.runs_.resize(bound + 1);
  out.flags_.resize(bound + 1);
  char* const text_out = out.text_.data();
  uint32_t* const begin_out = out.src_begin_.data();
  uint32_t* const end_out = out.src_end_.data();
  uint8_t* const runs_out = out.runs_.data();
  uint16_t* const flags_out = out.flags_.data();
  size_t n = 0;  // view bytes written
  // The previous emitted unit, for collapsing repeated letters.
  const Unit* prev = nullptr;
  size_t prev_at = 0;
  for (const Unit& u : units) {
    if (u.cls == Cls::kDropped || u.consumed)
      continue;
    if (u.cls == Cls::kSpace || u.cls == Cls::kNewline) {
      prev = nullptr;
      if (n > 0 && text_out[n - 1] == ' ')
        continue;
      text_out[n] = ' ';
      begin_out[n] = u.b;
      end_out[n] = u.e;
      runs_out[n] = 1;
      flags_out[n] = 0;
      ++n;
      continue;
    }
    if (o.repeats && prev && u.cls == Cls::kLetter && prev->cls == Cls::kLetter &&
        prev->len == u.len && std::equal(u.out, u.out + u.len, prev->out)) {
      for (size_t k = prev_at; k < n; ++k) {
        runs_out[k] = static_cast<uint8_t>(std::min(255, runs_out[k] + 1));
        end_out[k] = u.e;
        flags_out[k] |= u.flags;
      }
      continue;
    }
    prev = &u;
    prev_at = n;
    const uint16_t flags = u.flags | (u.cls == Cls::kLetter ? DeobfuscatedText::kLetter : 0);
    for (uint8_t k = 0; k < u.len; ++k) {
      text_out[n] = u.out[k];
      begin_out[n] = u.b;
      end_out[n] = u.e;
      runs_out[n] = 1;
      flags_out[n] = flags;
      ++n;
    }
  }
  out.text_.resize(n);
  out.src_begin_.resize(n);
  out.src_end_.resize(n);
  out.runs_.resize(n);
  out.flags_.resize(n);
  out.src_begin_.push_back(static_cast<uint32_t>(text.size()));
  out.src_end_.push_back(static_cast<uint32_t>(text.size()));
  out.runs_.push_back(1);
  out.flags_.push_back(0);
}

void ReleaseDeobfuscateScratch(size_t keep_bytes) {
  Scratch& scratch = ThreadScratch();
  if (scratch.units.capacity() * sizeof(Unit) > keep_bytes) {
    scratch.units.clear();
    scratch.units.shrink_to_fit();
  }
  if (scratch.atoms.capacity() * sizeof(scratch.atoms[0]) > keep_bytes) {
    scratch.atoms.clear();
    scratch.atoms.shrink_to_fit();
  }
}

namespace {

std::string Trimmed(const std::string& s, size_t* first = nullptr) {
  size_t b = 0, e = s.size();
  while (b < e && s[b] == ' ')
    ++b;
  while (e > b && s[e - 1] == ' ')
    --e;
  if (first)
    *first = b;
  return s.substr(b, e - b);
}

}  // namespace

std::string FoldTerm(std::string_view term, std::vector<uint8_t>* runs) {
  DeobfuscateOptions o;
  o.leet = o.masks = o.spaced = false;
  DeobfuscatedText view;
  Deobfuscate(term, o, view);
  size_t first = 0;
  std::string out = Trimmed(view.text(), &first);
  if (runs) {
    runs->clear();
    for (size_t i = 0; i < out.size(); ++i)
      runs->push_back(view.run(static_cast<uint32_t>(first + i)));
  }
  return out;
}

std::string FoldTermFull(std::string_view term) {
  DeobfuscateOptions o;
  o.leet = o.masks = o.spaced = o.repeats = false;
  DeobfuscatedText view;
  Deobfuscate(term, o, view);
  return Trimmed(view.text());
}

}  // namespace postlint
