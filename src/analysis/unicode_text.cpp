#include "analysis/unicode_text.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>

#include "core/utf8.h"

namespace postlint {

MappedText MappedText::Identity(std::string text) {
  MappedText m;
  m.text_ = std::move(text);
  return m;
}

MappedText::MappedText(std::string text, std::vector<uint32_t> begin_map)
    : text_(std::move(text)), begin_map_(std::move(begin_map)) {}

uint32_t MappedText::ToOriginalBegin(uint32_t view_begin) const {
  if (begin_map_.empty())
    return view_begin;
  return begin_map_[std::min<size_t>(view_begin, begin_map_.size() - 1)];
}

uint32_t MappedText::ToOriginalEnd(uint32_t view_end) const {
  if (begin_map_.empty())
    return view_end;
  if (view_end == 0)
    return begin_map_[0];
  // Walk forward to the first view byte produced by a later source unit: its original begin is
  // where the source unit containing view byte view_end - 1 ends.
  const uint32_t source = begin_map_[view_end - 1];
  size_t i = view_end;
  while (i + 1 < begin_map_.size() && begin_map_[i] == source)
    ++i;
  return begin_map_[i];
}

namespace {

const icu::Normalizer2& Nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  return *nfc;  // ICU data is linked in; getNFCInstance cannot fail short of a broken install
}

// Splits `text` into chunks that normalize independently (boundaries before code points that
// have a normalization boundary), transforms each chunk with `transform`, and records where each
// output byte came from.
template <typename Transform>
MappedText TransformByChunks(std::string_view text, Transform transform) {
  const icu::Normalizer2& nfc = Nfc();
  std::string out;
  out.reserve(text.size() + 8);
  std::vector<uint32_t> map;
  map.reserve(text.size() + 9);
  size_t i = 0;
  std::string chunk_out;
  while (i < text.size()) {
    const size_t chunk_begin = i;
    DecodeUtf8(text, i);
    while (i < text.size()) {
      size_t next = i;
      const char32_t cp = DecodeUtf8(text, next);
      if (nfc.hasBoundaryBefore(static_cast<UChar32>(cp)))
        break;
      i = next;
    }
    chunk_out.clear();
    transform(text.substr(chunk_begin, i - chunk_begin), chunk_out);
    out += chunk_out;
    map.insert(map.end(), chunk_out.size(), static_cast<uint32_t>(chunk_begin));
  }
  map.push_back(static_cast<uint32_t>(text.size()));
  return MappedText(std::move(out), std::move(map));
}

void NfcChunk(std::string_view chunk, std::string& out) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(chunk.data(), static_cast<int32_t>(chunk.size())));
  icu::UnicodeString normalized = Nfc().normalize(u, status);
  normalized.toUTF8String(out);
}

void FoldChunk(std::string_view chunk, std::string& out) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(chunk.data(), static_cast<int32_t>(chunk.size())));
  icu::UnicodeString normalized = Nfc().normalize(u, status);
  normalized.foldCase(U_FOLD_CASE_DEFAULT);
  normalized.toUTF8String(out);
}

// Break iterators are expensive to create and not thread-safe: one per thread and kind. Null
// when ICU cannot make one.
icu::BreakIterator* ThreadBreakIterator(bool words) {
  thread_local std::unique_ptr<icu::BreakIterator> word_iter;
  thread_local std::unique_ptr<icu::BreakIterator> char_iter;
  std::unique_ptr<icu::BreakIterator>& iter = words ? word_iter : char_iter;
  if (!iter) {
    UErrorCode status = U_ZERO_ERROR;
    iter.reset(words ? icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status)
                     : icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status))
      iter.reset();
  }
  return iter.get();
}

// Appends `offset` + each boundary of `text` after its start (so its end, at least).
void AppendBoundaries(icu::BreakIterator& iter, std::string_view text, uint32_t offset,
                      std::vector<uint32_t>& out) {
  UErrorCode status = U_ZERO_ERROR;
  UText ut = UTEXT_INITIALIZER;
  utext_openUTF8(&ut, text.data(), static_cast<int64_t>(text.size()), &status);
  iter.setText(&ut, status);
  for (int32_t b = iter.first(); b != icu::BreakIterator::DONE; b = iter.next()) {
    if (b > 0)
      out.push_back(offset + static_cast<uint32_t>(b));
  }
  // Detach the iterator from the text before the UText goes away.
  utext_openUTF8(&ut, "", 0, &status);
  iter.setText(&ut, status);
  utext_close(&ut);
}

std::vector<uint32_t> Boundaries(std::string_view text, bool words) {
  icu::BreakIterator* iter = ThreadBreakIterator(words);
  if (!iter)
    return {0, static_cast<uint32_t>(text.size())};
  std::vector<uint32_t> out = {0};
  AppendBoundaries(*iter, text, 0, out);
  return out;
}

// What decides a grapheme cluster boundary next to a code point without looking further
// (UAX #29 as of Unicode 15.0, ICU 72).
enum class GraphemeClass : uint8_t {
  kPlain,    // Grapheme_Cluster_Break=Other and not Extended_Pictographic
  kControl,  // Control: a boundary on both sides (GB4, GB5)
  kCr,       // as Control, except CR x LF (GB3)
  kLf,
  kOther,  // Extend, ZWJ, SpacingMark, Prepend, Hangul, regional indicators, pictographs
};

GraphemeClass ClassifyForGraphemes(char32_t cp) {
  if (cp < 0x80) {
    if (cp == '\r')
      return GraphemeClass::kCr;
    if (cp == '\n')
      return GraphemeClass::kLf;
    return cp < 0x20 || cp == 0x7F ? GraphemeClass::kControl : GraphemeClass::kPlain;
  }
  const auto c = static_cast<UChar32>(cp);
  const auto gcb = u_getIntPropertyValue(c, UCHAR_GRAPHEME_CLUSTER_BREAK);
  if (gcb == U_GCB_CONTROL || gcb == U_GCB_CR || gcb == U_GCB_LF)
    return GraphemeClass::kControl;
  if (gcb == U_GCB_OTHER && !u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC))
    return GraphemeClass::kPlain;
  return GraphemeClass::kOther;
}

}  // namespace

namespace {

// True when `text` is certainly NFC: every code point has NFC_Quick_Check=Yes and combining
// marks are in canonical order. Cheaper than converting the text to UTF-16 for ICU.
bool IsNfcFast(std::string_view text) {
  uint8_t last_ccc = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      last_ccc = 0;
      ++i;
      continue;
    }
    const auto cp = static_cast<UChar32>(DecodeUtf8(text, i));
    if (u_getIntPropertyValue(cp, UCHAR_NFC_QUICK_CHECK) != UNORM_YES)
      return false;
    const uint8_t ccc = u_getCombiningClass(cp);
    if (ccc != 0 && last_ccc > ccc)
      return false;
    last_ccc = ccc;
  }
  return true;
}

// Full case folding of one code point that is NFC on its own, without allocating.
void FoldCodePoint(char32_t cp, std::string& out) {
  UChar src[2];
  int32_t src_len = 0;
  U16_APPEND_UNSAFE(src, src_len, static_cast<UChar32>(cp));
  UChar dst[8];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t len = u_strFoldCase(dst, 8, src, src_len, U_FOLD_CASE_DEFAULT, &status);
  if (U_FAILURE(status)) {
    AppendUtf8(out, cp);
    return;
  }
  for (int32_t k = 0; k < len;) {
    UChar32 c;
    U16_NEXT_UNSAFE(dst, k, c);
    AppendUtf8(out, static_cast<char32_t>(c));
  }
}

// What CaseFold needs to know about one non-ASCII code point, cached per thread: posts in one
// language reuse a few dozen letters, and the ICU lookups cost more than the folding loop.
struct FoldInfo {
  char32_t cp = 0xFFFFFFFF;  // the code point this entry describes (none yet)
  bool nfc_yes = false;      // NFC_Quick_Check=Yes
  uint8_t ccc = 0;           // canonical combining class
  uint8_t len = 0;           // bytes of the full case folding
  char folded[12] = {};      // at most 3 code points (Unicode's longest case folding)
};

const FoldInfo& CachedFoldInfo(char32_t cp) {
  thread_local std::array<FoldInfo, 512> cache;
  FoldInfo& entry = cache[(static_cast<uint32_t>(cp) * 2654435761u) >> 23];
  if (entry.cp == cp)
    return entry;
  const auto c = static_cast<UChar32>(cp);
  std::string folded;
  FoldCodePoint(cp, folded);
  if (folded.size() > sizeof entry.folded) {  // cannot happen with Unicode's data; stay safe
    folded.clear();
    AppendUtf8(folded, cp);
  }
  entry.cp = cp;
  entry.nfc_yes = u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) == UNORM_YES;
  entry.ccc = u_getCombiningClass(c);
  entry.len = static_cast<uint8_t>(folded.size());
  std::copy(folded.begin(), folded.end(), entry.folded);
  return entry;
}

}  // namespace

MappedText NormalizeNfc(std::string_view text) {
  if (IsAscii(text) || IsNfcFast(text))
    return MappedText::Identity(std::string(text));
  return TransformByChunks(text, NfcChunk);
}

MappedText CaseFold(std::string_view text) {
  if (IsAscii(text))
    return MappedText::Identity(ToLowerAscii(text));
  // Fold code point by code point, which is right while the text is NFC (checked on the way,
  // as IsNfcFast does); every output byte maps to its code point. Text that is not NFC takes
  // the general path.
  std::string out;
  out.reserve(text.size() + 16);
  std::vector<uint32_t> map;
  map.reserve(text.size() + 17);
  uint8_t last_ccc = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t run = i;
    while (run < text.size() && static_cast<unsigned char>(text[run]) < 0x80)
      ++run;
    if (run > i) {
      const size_t at = out.size();
      out.resize(at + (run - i));
      map.resize(at + (run - i));
      for (size_t k = i; k < run; ++k) {
        const auto b = static_cast<unsigned char>(text[k]);
        out[at + (k - i)] = static_cast<char>(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b);
        map[at + (k - i)] = static_cast<uint32_t>(k);
      }
      last_ccc = 0;
      i = run;
      continue;
    }
    const size_t begin = i;
    const FoldInfo& info = CachedFoldInfo(DecodeUtf8(text, i));
    if (!info.nfc_yes || (info.ccc != 0 && last_ccc > info.ccc))
      return TransformByChunks(text, FoldChunk);
    last_ccc = info.ccc;
    out.append(info.folded, info.len);
    map.insert(map.end(), info.len, static_cast<uint32_t>(begin));
  }
  map.push_back(static_cast<uint32_t>(text.size()));
  return MappedText(std::move(out), std::move(map));
}

std::string CaseFoldString(std::string_view text) {
  if (IsAscii(text))
    return ToLowerAscii(text);
  return CaseFold(text).text();
}

std::vector<uint32_t> WordBoundaries(std::string_view text) {
  return Boundaries(text, true);
}

namespace {

// One word break iterator per thread, pointed at the text of whichever checker used it last.
// Checkers have unique ids (never reused), so a stale text is never consulted.
struct ThreadWordIterator {
  std::unique_ptr<icu::BreakIterator> iter;
  UText text = UTEXT_INITIALIZER;
  uint64_t owner = 0;
  ~ThreadWordIterator() { utext_close(&text); }
};
thread_local ThreadWordIterator t_word_iterator;
std::atomic<uint64_t> g_next_checker_id{1};

}  // namespace

WordBoundaryChecker::WordBoundaryChecker(std::string_view text)
    : text_(text), id_(g_next_checker_id.fetch_add(1, std::memory_order_relaxed)) {}

bool WordBoundaryChecker::IsBoundary(uint32_t offset) const {
  if (offset == 0 || offset >= text_.size())
    return true;
  ThreadWordIterator& t = t_word_iterator;
  UErrorCode status = U_ZERO_ERROR;
  if (!t.iter) {
    t.iter.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (!t.iter || U_FAILURE(status))
      return true;
  }
  if (t.owner != id_) {
    utext_openUTF8(&t.text, text_.data(), static_cast<int64_t>(text_.size()), &status);
    t.iter->setText(&t.text, status);
    t.owner = id_;
  }
  return t.iter->isBoundary(static_cast<int32_t>(offset));
}

std::vector<uint32_t> GraphemeBoundaries(std::string_view text) {
  if (IsAscii(text) && text.find('\r') == std::string_view::npos) {
    std::vector<uint32_t> out(text.size() + 1);
    for (uint32_t i = 0; i <= text.size(); ++i)
      out[i] = i;
    return out;
  }
  icu::BreakIterator* iter = ThreadBreakIterator(false);
  if (!iter)
    return {0, static_cast<uint32_t>(text.size())};
  // Most boundaries are decided by the two code points around them alone: between two plain
  // characters (letters, digits, punctuation, most symbols) there is always one (GB999), next
  // to a control always one (GB4, GB5), and between CR and LF never (GB3); and no rule looks
  // back across such a place (GB11-GB13 look back over Extend, ZWJ and regional indicators
  // only). ICU only runs on the stretches between decided places that have something else
  // (combining marks, emoji sequences, Hangul), with the same result as on the whole text at a
  // fraction of the cost.
  std::vector<uint32_t> out = {0};
  out.reserve(text.size() + 1);
  uint32_t stretch_begin = 0;  // the last decided boundary
  bool undecided = false;      // ICU must settle [stretch_begin, next decided boundary)
  size_t i = 0;
  GraphemeClass before = ClassifyForGraphemes(DecodeUtf8(text, i));
  // Settles the place `at` (a byte offset) between code points of classes `x` and `y`.
  auto settle = [&](uint32_t at, GraphemeClass x, GraphemeClass y) {
    if (x == GraphemeClass::kCr && y == GraphemeClass::kLf)
      return;  // GB3; never inside an undecided stretch (a CR ends one)
    const bool control = x == GraphemeClass::kControl || x == GraphemeClass::kCr ||
                         x == GraphemeClass::kLf || y == GraphemeClass::kControl ||
                         y == GraphemeClass::kCr || y == GraphemeClass::kLf;
    if (!control && !(x == GraphemeClass::kPlain && y == GraphemeClass::kPlain)) {
      undecided = true;
      return;
    }
    if (undecided) {
      AppendBoundaries(*iter, text.substr(stretch_begin, at - stretch_begin), stretch_begin, out);
      undecided = false;
    } else {
      out.push_back(at);
    }
    stretch_begin = at;
  };
  while (i < text.size()) {
    const auto at = static_cast<uint32_t>(i);
    char32_t cp = static_cast<unsigned char>(text[i]);
    if (cp < 0x80)
      ++i;  // ASCII, most of the text: no call
    else
      cp = DecodeUtf8(text, i);
    const GraphemeClass after = ClassifyForGraphemes(cp);
    settle(at, before, after);
    before = after;
  }
  // The end of the text is a boundary (GB2).
  const auto end = static_cast<uint32_t>(text.size());
  if (undecided)
    AppendBoundaries(*iter, text.substr(stretch_begin), stretch_begin, out);
  else if (out.back() != end)
    out.push_back(end);
  return out;
}

bool IsEmojiComponent(char32_t cp) {
  const auto c = static_cast<UChar32>(cp);
  return cp == 0x200D || cp == 0xFE0F || cp == 0x20E3 || (cp >= 0xE0020 && cp <= 0xE007F) ||
         u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) ||
         u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR) ||
         u_hasBinaryProperty(c, UCHAR_EMOJI_MODIFIER);
}

}  // namespace postlint
