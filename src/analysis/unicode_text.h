// ICU-backed Unicode views of a text, each with a map back to the original byte offsets, so a
// match found in a normalized or case-folded view underlines exactly what the writer typed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace postlint {

// A transformed copy of some original text plus the way back. Offsets are bytes.
class MappedText {
 public:
  MappedText() = default;
  // An identity view: `text` equals the original.
  static MappedText Identity(std::string text);
  // `begin_map[i]` is the original offset of the source unit that produced view byte i; it has
  // text.size() + 1 entries, the last being the original text's size.
  MappedText(std::string text, std::vector<uint32_t> begin_map);

  const std::string& text() const { return text_; }
  bool is_identity() const { return begin_map_.empty(); }

  // Original offset where the source of view offset `view_begin` starts (rounds down).
  uint32_t ToOriginalBegin(uint32_t view_begin) const;
  // Original offset just past the source of the view byte before `view_end` (rounds up), so
  // [ToOriginalBegin(b), ToOriginalEnd(e)) covers everything view range [b, e) came from.
  uint32_t ToOriginalEnd(uint32_t view_end) const;

 private:
  std::string text_;
  std::vector<uint32_t> begin_map_;  // empty for identity views
};

// NFC normalization with offsets. Identity (no copy of the map) when already NFC.
MappedText NormalizeNfc(std::string_view text);

// NFC, then Unicode full case folding (ICU foldCase, default mapping): "Straße" -> "strasse".
MappedText CaseFold(std::string_view text);

// Case-folds a term the same way CaseFold() folds post text (for building term tables).
std::string CaseFoldString(std::string_view text);

// Byte offsets of all ICU word boundaries in `text` (root locale), ascending, including 0 and
// text.size(). Uses a per-thread break iterator; safe to call from many threads.
std::vector<uint32_t> WordBoundaries(std::string_view text);

// Answers "is this byte offset an ICU word boundary?" for one text without segmenting all of
// it: rules ask only at candidate matches. Uses a per-thread break iterator; cheap to create.
// `text` must outlive the checker. Thread-compatible.
class WordBoundaryChecker {
 public:
  explicit WordBoundaryChecker(std::string_view text);
  // True at 0, at text.size(), and wherever ICU's word rules (root locale) put a boundary.
  bool IsBoundary(uint32_t offset) const;

 private:
  std::string_view text_;
  uint64_t id_;
};

// Byte offsets of all extended grapheme cluster boundaries, ascending, incl. 0 and text.size().
std::vector<uint32_t> GraphemeBoundaries(std::string_view text);

// True for code points that render as (part of) an emoji: Extended_Pictographic, regional
// indicators, emoji modifiers, ZWJ, VS16, the keycap mark and tag characters.
bool IsEmojiComponent(char32_t cp);

}  // namespace postlint
