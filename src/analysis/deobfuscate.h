// A "reader's view" of a text for word-list matching: what a person reads when someone writes
// "ｆｕｃｋ", "ƒuck", "fu\u200Bck", "sh1t", "f*ck", "f.u.c.k" or "fuuuck". Every byte of the view
// maps back to the original bytes it came from, so a match underlines exactly what was typed
// (including invisible characters and combining marks inside the word).
//
//   DeobfuscateOptions opts;                       // all evasions undone, default leet map
//   DeobfuscatedText view;
//   Deobfuscate("Oh ｆｕ\u200Bck", opts, view);    // view.text() == "oh fuck"
//   ByteRange r = view.ToOriginal(3, 7);           // the bytes of "ｆｕ\u200Bck"
//
// Steps, per code point chunk (a base and its combining marks):
//  1. NFKC + case folding (ICU nfkc_cf): fullwidth and math-styled letters, ligatures and case;
//     default-ignorable code points (zero-width characters, soft hyphen, bidi marks, variation
//     selectors, tag characters) disappear. Combining marks that do not compose with their base
//     (strike-through, Zalgo) are dropped; composed letters (ū, č) stay as they are.
//  2. Confusables, script-aware: Latin lookalikes without a decomposition ("ƒ", "ı") fold to
//     their ASCII letter by ICU's spoof-checker skeletons. Letters of other scripts (Cyrillic
//     "ѕ", Greek "ο") fold only inside a word that mixes them with Latin letters, or in an
//     all-lookalike word in a mostly Latin text: genuine Cyrillic and Greek words are untouched.
//  3. Spaced letters: 3 or more single characters joined by the same separator ("f.u.c.k",
//     "s h i t") become one word, flagged so that a match must cover the whole run.
//  4. Leet-speak (configurable map) inside a word with at least 2 real letters and no more
//     leet characters than letters ("sh1t", "$h!t", but not "45s" or "$$3x").
//  5. Masks: up to `max_mask_run` masking characters between letters ("f*ck", "a**hole")
//     become U+0001 in the view, one per masked letter; callers match them as wildcards.
//  6. Runs of a repeated letter collapse to one view letter that records the run length, so a
//     term "ass" (stored as "as" with counts 1,2) matches "ass" and "asssss" but not "as".
// Whitespace runs become one space. ASCII text never touches ICU.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/finding.h"

namespace postlint {

// The evasions a view byte went through (bit set).
enum Evasion : uint16_t {
  kEvasionStyled = 1 << 0,     // fullwidth, math-styled or enclosed letters, ligatures
  kEvasionInvisible = 1 << 1,  // invisible characters inside the word
  kEvasionMarks = 1 << 2,      // decorative combining marks
  kEvasionHomoglyph = 1 << 3,  // lookalike letters of another script or Latin variants
  kEvasionLeet = 1 << 4,       // digits or symbols standing for letters
  kEvasionMask = 1 << 5,       // masking characters standing for letters
  kEvasionSpaced = 1 << 6,     // separators between single letters
  kEvasionRepeated = 1 << 7,   // repeated letters
  kEvasionHashtag = 1 << 8,    // found as one word of a CamelCase hashtag or handle
};

// Human-readable names of the bits in `evasions`, joined with ", " ("leet-speak, masking").
std::string EvasionNames(uint16_t evasions);

struct DeobfuscateOptions {
  bool confusables = true;
  bool leet = true;
  bool masks = true;
  bool spaced = true;
  bool repeats = true;
  uint32_t max_mask_run = 3;
  // Leet map: ASCII character -> the letter it stands for (0 = not leet).
  std::array<char, 128> leet_map = DefaultLeetMap();

  static std::array<char, 128> DefaultLeetMap();
  friend bool operator==(const DeobfuscateOptions&, const DeobfuscateOptions&) = default;
};

// Marker byte for a masked letter in the view.
inline constexpr char kMaskByte = '\x01';

class DeobfuscatedText {
 public:
  // Per view byte flags besides the evasion bits.
  static constexpr uint16_t kLetter = 1 << 12;  // part of a letter (also leet-converted)

  const std::string& text() const { return text_; }
  size_t size() const { return text_.size(); }

  // Original byte range that view bytes [view_begin, view_end) came from.
  ByteRange ToOriginal(uint32_t view_begin, uint32_t view_end) const {
    if (view_end <= view_begin)
      return {src_begin_[view_begin], src_begin_[view_begin]};
    return {src_begin_[view_begin], src_end_[view_end - 1]};
  }
  // Length of the run of identical letters collapsed into view byte `i` (1 = not repeated).
  uint8_t run(uint32_t i) const { return runs_[i]; }
  uint16_t flags(uint32_t i) const { return flags_[i]; }
  // True when [b, e) does not cut a joined run of spaced letters ("f u c k") apart.
  bool RespectsSpacedRuns(uint32_t b, uint32_t e) const;
  // True when the original text had anything but ASCII (callers may take fast paths).
  bool ascii() const { return ascii_; }

 private:
  friend void Deobfuscate(std::string_view, const DeobfuscateOptions&, DeobfuscatedText&);
  std::string text_;
  std::vector<uint32_t> src_begin_;
  std::vector<uint32_t> src_end_;
  std::vector<uint8_t> runs_;
  std::vector<uint16_t> flags_;
  bool ascii_ = true;
};

// Builds the view of `text` into `out`, reusing its buffers (keep one per thread).
void Deobfuscate(std::string_view text, const DeobfuscateOptions& options, DeobfuscatedText& out);

// Deobfuscate() works in a scratch of its own per thread, kept between calls: 32 bytes per
// character of the longest text the thread has seen (29 MB after a 900 KB post). Threads that
// live long and may meet a huge text (the service's workers) call this once done with it: the
// scratch is freed when it holds more than `keep_bytes`.
void ReleaseDeobfuscateScratch(size_t keep_bytes = 512 * 1024);

// Folds a word-list term the way Deobfuscate() folds text, without the evasion steps (leet,
// masks, spacing), and collapses repeated letters: returns the view form and, in `runs`, the
// run length of each of its bytes. "Ass" -> "as", {1, 2}.
std::string FoldTerm(std::string_view term, std::vector<uint8_t>* runs);

// The folded form of `term` without collapsing repeats ("Ass" -> "ass").
std::string FoldTermFull(std::string_view term);

// The evasions visible in original bytes [begin, end) that the view does not record per byte:
// invisible characters and decorative combining marks.
uint16_t InvisibleEvasionsIn(std::string_view text, ByteRange range);

// True when the code point is dropped by the view (default ignorable or a combining mark).
bool IsDroppedCodePoint(char32_t cp);

}  // namespace postlint
