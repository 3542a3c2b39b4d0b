#include "analysis/analyzed_post.h"

#include <algorithm>
#include <array>

#include <re2/re2.h>

#include "core/utf8.h"

namespace postlint {

struct AnalyzedPost::Lazy {
  std::optional<std::vector<twitter::Entity>> entities;
  std::vector<const twitter::Entity*> urls, hashtags, mentions, cashtags;
  std::optional<MappedText> nfc;
  std::optional<MappedText> folded;
  std::optional<std::vector<uint32_t>> word_boundaries;
  std::optional<WordBoundaryChecker> word_checker;
  std::optional<std::vector<uint32_t>> grapheme_boundaries;
  std::array<std::optional<uint32_t>, 7> lengths;
  std::optional<TextPositionIndex> positions;
};

AnalyzedPost::AnalyzedPost(const Post& post) : post_(post), lazy_(std::make_unique<Lazy>()) {}
AnalyzedPost::~AnalyzedPost() = default;

const std::vector<twitter::Entity>& AnalyzedPost::entities() const {
  if (!lazy_->entities) {
    lazy_->entities = twitter::ExtractEntities(post_.text, /*urls_without_protocol=*/true);
    for (const auto& e : *lazy_->entities) {
      switch (e.type) {
        case twitter::EntityType::kUrl:
          lazy_->urls.push_back(&e);
          break;
        case twitter::EntityType::kHashtag:
          lazy_->hashtags.push_back(&e);
          break;
        case twitter::EntityType::kMention:
          lazy_->mentions.push_back(&e);
          break;
        case twitter::EntityType::kCashtag:
          lazy_->cashtags.push_back(&e);
          break;
      }
    }
  }
  return *lazy_->entities;
}

const std::vector<const twitter::Entity*>& AnalyzedPost::urls() const {
  entities();
  return lazy_->urls;
}
const std::vector<const twitter::Entity*>& AnalyzedPost::hashtags() const {
  entities();
  return lazy_->hashtags;
}
const std::vector<const twitter::Entity*>& AnalyzedPost::mentions() const {
  entities();
  return lazy_->mentions;
}
const std::vector<const twitter::Entity*>& AnalyzedPost::cashtags() const {
  entities();
  return lazy_->cashtags;
}

const MappedText& AnalyzedPost::nfc() const {
  if (!lazy_->nfc)
    lazy_->nfc = NormalizeNfc(post_.text);
  return *lazy_->nfc;
}

const MappedText& AnalyzedPost::folded() const {
  if (!lazy_->folded)
    lazy_->folded = CaseFold(post_.text);
  return *lazy_->folded;
}

const std::vector<uint32_t>& AnalyzedPost::word_boundaries() const {
  if (!lazy_->word_boundaries)
    lazy_->word_boundaries = WordBoundaries(post_.text);
  return *lazy_->word_boundaries;
}

bool AnalyzedPost::IsWordBoundary(uint32_t byte_offset) const {
  if (lazy_->word_boundaries) {
    const auto& b = *lazy_->word_boundaries;
    return std::binary_search(b.begin(), b.end(), byte_offset);
  }
  if (!lazy_->word_checker)
    lazy_->word_checker.emplace(post_.text);
  return lazy_->word_checker->IsBoundary(byte_offset);
}

const std::vector<uint32_t>& AnalyzedPost::grapheme_boundaries() const {
  if (!lazy_->grapheme_boundaries)
    lazy_->grapheme_boundaries = GraphemeBoundaries(post_.text);
  return *lazy_->grapheme_boundaries;
}

uint32_t AnalyzedPost::grapheme_count() const {
  const auto& b = grapheme_boundaries();
  return b.empty() ? 0 : static_cast<uint32_t>(b.size() - 1);
}

const TextPositionIndex& AnalyzedPost::positions() const {
  if (!lazy_->positions)
    lazy_->positions.emplace(post_.text);
  return *lazy_->positions;
}

namespace {

// Byte ranges of the "@domain" part of Mastodon remote mentions ("@alice@example.social"),
// which Mastodon does not count. Follows Mastodon's mention syntax: a username of word
// characters, dots and dashes, not preceded by a word character, '/' or '='.
std::vector<ByteRange> MastodonRemoteMentionDomains(std::string_view text) {
  std::vector<ByteRange> out;
  if (text.find('@') == std::string_view::npos)
    return out;
  static const RE2 kMention(
      R"(@[A-Za-z0-9_]+(?:[A-Za-z0-9_.\-]+[A-Za-z0-9_])?(@[\pL\pN_.\-]+[\pL\pN_]))");
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece domain;
  size_t pos = 0;
  while (pos < text.size()) {
    re2::StringPiece whole;
    re2::StringPiece groups[2];
    if (!kMention.Match(input, pos, text.size(), RE2::UNANCHORED, groups, 2))
      break;
    whole = groups[0];
    domain = groups[1];
    const size_t begin = static_cast<size_t>(whole.data() - text.data());
    bool preceded_ok = true;
    if (begin > 0) {
      const char prev = text[begin - 1];
      preceded_ok = !(std::isalnum(static_cast<unsigned char>(prev)) || prev == '_' ||
                      prev == '/' || prev == '=' || (static_cast<unsigned char>(prev) & 0x80));
    }
    if (preceded_ok) {
      const auto d = static_cast<uint32_t>(domain.data() - text.data());
      out.push_back({d, static_cast<uint32_t>(d + domain.size())});
    }
    pos = begin + whole.size();
  }
  return out;
}

bool IsThreadsEmoji(char32_t cp) {
  return cp >= 0x80 && IsEmojiComponent(cp);
}

}  // namespace

template <typename Fn>
void AnalyzedPost::ForEachCountUnit(LengthUnit unit, Fn&& fn) const {
  const std::string_view text = post_.text;
  switch (unit) {
    case LengthUnit::kCodePoints:
    case LengthUnit::kUtf16:
    case LengthUnit::kUtf8Bytes:
    case LengthUnit::kThreads: {
      size_t i = 0;
      while (i < text.size()) {
        const size_t begin = i;
        char32_t cp = static_cast<unsigned char>(text[i]);
        if (cp < 0x80)
          ++i;  // ASCII, most of the text: no call
        else
          cp = DecodeUtf8(text, i);
        uint32_t weight = 1;
        if (unit == LengthUnit::kUtf16) {
          weight = cp >= 0x10000 ? 2 : 1;
        } else if (unit == LengthUnit::kUtf8Bytes) {
          weight = static_cast<uint32_t>(i - begin);
        } else if (unit == LengthUnit::kThreads && IsThreadsEmoji(cp)) {
          weight = static_cast<uint32_t>(i - begin);
        }
        if (!fn(CountUnit{static_cast<uint32_t>(begin), static_cast<uint32_t>(i), weight}))
          return;
      }
      break;
    }
    case LengthUnit::kGraphemes:
    case LengthUnit::kMastodon: {
      // Special ranges replace the graphemes they cover: a URL counts 23 as one unit, a remote
      // mention's domain counts 0.
      std::vector<CountUnit> special;
      if (unit == LengthUnit::kMastodon) {
        for (const auto* url : urls()) {
          if (url->url_has_scheme)
            special.push_back({url->range.begin, url->range.end, 23});
        }
        for (const auto& d : MastodonRemoteMentionDomains(text)) {
          special.push_back({d.begin, d.end, 0});
        }
        std::sort(special.begin(), special.end(),
                  [](const CountUnit& a, const CountUnit& b) { return a.begin < b.begin; });
      }
      const auto& bounds = grapheme_boundaries();
      size_t next_special = 0;
      for (size_t k = 0; k + 1 < bounds.size(); ++k) {
        const uint32_t begin = bounds[k];
        const uint32_t end = bounds[k + 1];
        while (next_special < special.size() && special[next_special].end <= begin) {
          ++next_special;
        }
        if (next_special < special.size() && special[next_special].begin <= begin) {
          if (special[next_special].begin == begin && !fn(special[next_special]))
            return;
          continue;  // covered by a special range
        }
        if (!fn(CountUnit{begin, end, 1}))
          return;
      }
      break;
    }
    case LengthUnit::kXWeighted:
      break;  // handled by twitter::ParseTweet
  }
}

uint32_t AnalyzedPost::Length(LengthUnit unit) const {
  auto& slot = lazy_->lengths[static_cast<size_t>(unit)];
  if (slot)
    return *slot;
  uint32_t total = 0;
  if (unit == LengthUnit::kXWeighted) {
    total = static_cast<uint32_t>(twitter::ParseTweet(post_.text).weighted_length);
  } else if (unit == LengthUnit::kCodePoints) {
    total = static_cast<uint32_t>(CountCodePoints(post_.text));
  } else if (unit == LengthUnit::kUtf16) {
    total = static_cast<uint32_t>(CountUtf16Units(post_.text));
  } else if (unit == LengthUnit::kUtf8Bytes) {
    total = static_cast<uint32_t>(post_.text.size());
  } else if (unit == LengthUnit::kGraphemes) {
    total = grapheme_count();
  } else {
    ForEachCountUnit(unit, [&](const CountUnit& u) {
      total += u.weight;
      return true;
    });
  }
  slot = total;
  return total;
}

uint32_t AnalyzedPost::OverflowOffset(LengthUnit unit, uint32_t limit) const {
  if (unit == LengthUnit::kXWeighted) {
    twitter::WeightConfig config = twitter::WeightConfig::V3();
    config.max_weighted_length = static_cast<int>(limit);
    return twitter::ParseTweet(post_.text, config).overflow_byte;
  }
  uint32_t total = 0;
  uint32_t overflow = static_cast<uint32_t>(post_.text.size());
  ForEachCountUnit(unit, [&](const CountUnit& u) {
    total += u.weight;
    if (total <= limit)
      return true;
    overflow = u.begin;
    return false;
  });
  return overflow;
}

}  // namespace postlint
