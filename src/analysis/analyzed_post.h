// The single analysis of one post that every rule reads. Views are computed lazily, at most
// once each, and only when a rule asks: a policy without term rules never pays for case folding
// or word segmentation. Rules never re-tokenize; they read these views.
//
//   AnalyzedPost a(post);
//   for (const auto& tag : a.hashtags()) ...          // byte ranges into a.text()
//   if (a.IsWordBoundary(b) && a.IsWordBoundary(e)) ...
//   uint32_t n = a.Length(LengthUnit::kXWeighted);
//
// Thread-compatible, not thread-safe: one AnalyzedPost is used by one thread at a time (the
// engine analyses each post on the worker that checks it). `post` must outlive the object.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/length_unit.h"
#include "analysis/twitter_text.h"
#include "analysis/unicode_text.h"
#include "core/post.h"
#include "core/text_position.h"

namespace postlint {

class AnalyzedPost {
 public:
  explicit AnalyzedPost(const Post& post);
  AnalyzedPost(const AnalyzedPost&) = delete;
  AnalyzedPost& operator=(const AnalyzedPost&) = delete;
  ~AnalyzedPost();

  const Post& post() const { return post_; }
  std::string_view text() const { return post_.text; }

  // Entities (twitter-text rules, URLs with and without scheme), byte ranges into text().
  const std::vector<twitter::Entity>& entities() const;
  const std::vector<const twitter::Entity*>& urls() const;
  const std::vector<const twitter::Entity*>& hashtags() const;
  const std::vector<const twitter::Entity*>& mentions() const;
  const std::vector<const twitter::Entity*>& cashtags() const;

  // NFC view and NFC + case-folded view, both mapping back to text().
  const MappedText& nfc() const;
  const MappedText& folded() const;

  // ICU word boundaries of text(); IsWordBoundary(0) and IsWordBoundary(size) are true.
  bool IsWordBoundary(uint32_t byte_offset) const;
  const std::vector<uint32_t>& word_boundaries() const;
  // Extended grapheme cluster boundaries of text().
  const std::vector<uint32_t>& grapheme_boundaries() const;
  uint32_t grapheme_count() const;

  // Length of the text in `unit` (memoized per unit).
  uint32_t Length(LengthUnit unit) const;
  // Byte offset in text() of the first character that does not fit in `limit` units;
  // text().size() when the text fits. Not memoized: only called when a limit is exceeded.
  uint32_t OverflowOffset(LengthUnit unit, uint32_t limit) const;

  // Line/column/code point positions of byte offsets in text().
  const TextPositionIndex& positions() const;

  // A view that a rule derives with its own options (e.g. a lexicon's deobfuscated text): built
  // by `make()` at most once per post for each (`tag`, `key`) and shared by every rule that asks
  // for the same, so rules with equal options never redo the work. `tag` identifies the view
  // type (the address of a static object in the rule's file); `key` encodes the options the
  // view depends on. The reference lives as long as this AnalyzedPost.
  template <typename T, typename Make>
  const T& Derived(const void* tag, std::string_view key, Make&& make) const {
    for (const auto& slot : derived_) {
      if (slot.tag == tag && slot.key == key)
        return *static_cast<const T*>(slot.value.get());
    }
    auto value = std::make_shared<const T>(make());
    const T& ref = *value;
    derived_.push_back({tag, std::string(key), std::move(value)});
    return ref;
  }

 private:
  struct DerivedSlot {
    const void* tag;
    std::string key;
    std::shared_ptr<const void> value;
  };
  mutable std::vector<DerivedSlot> derived_;

  struct Lazy;
  // Text split into counting units for `unit`: each unit is a byte range with a weight.
  struct CountUnit {
    uint32_t begin;
    uint32_t end;
    uint32_t weight;
  };
  // Calls `fn(const CountUnit&)` for each unit in text order while it returns true (no list is
  // built: lengths are computed for every post).
  template <typename Fn>
  void ForEachCountUnit(LengthUnit unit, Fn&& fn) const;

  const Post& post_;
  std::unique_ptr<Lazy> lazy_;
};

}  // namespace postlint
