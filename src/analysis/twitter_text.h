// Entity extraction and weighted length counting following twitter-text 3.x (the reference
// implementation behind X's composer), checked against its conformance suite
// (fixtures/conformance/twitter-text; see docs/conformance.md for the few known differences).
//
//   auto entities = twitter::ExtractEntities("Launch day! #Acme https://acme.example/x @bob");
//   for (const auto& e : entities) ...  // e.range is a byte range into the text passed in
//
//   twitter::TweetLength n = twitter::ParseTweet(text);   // v3 rules: URLs 23, emoji 2, CJK 2
//   if (!n.valid) ... n.overflow_byte is where the text stops fitting
//
// All functions are pure and thread-safe. Input must be valid UTF-8. Offsets are byte offsets
// into the given text; callers convert to code points or UTF-16 when reporting.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"

namespace postlint::twitter {

enum class EntityType { kUrl, kHashtag, kMention, kCashtag };

struct Entity {
  EntityType type = EntityType::kUrl;
  // The whole entity as it appears in the text, including its sigil ('#', '@', '$', or the
  // full-width forms) and, for URLs, the scheme when one was written.
  ByteRange range;
  // The entity's value: hashtag text without '#', screen name without '@', cashtag symbol
  // without '$', the URL as written. A view into the text passed to the extractor.
  std::string_view value;
  // Mentions only: the list slug including its leading '/' ("/my-list"), else empty.
  std::string_view list_slug;
  // URLs only: true when the URL was written with an explicit scheme (http:// or https://).
  bool url_has_scheme = false;
};

// Extracts URLs, hashtags, mentions (and lists) and cashtags in text order, overlaps removed as
// twitter-text's extractEntitiesWithIndices does. URLs without a scheme ("example.com/x") are
// included when `urls_without_protocol` is true.
std::vector<Entity> ExtractEntities(std::string_view text, bool urls_without_protocol = true);

// The individual extractors, as the conformance suite exercises them.
std::vector<Entity> ExtractUrls(std::string_view text, bool urls_without_protocol = true);
std::vector<Entity> ExtractHashtags(std::string_view text);
std::vector<Entity> ExtractMentionsOrLists(std::string_view text);  // includes lists
std::vector<Entity> ExtractMentions(std::string_view text);         // screen names only
std::vector<Entity> ExtractCashtags(std::string_view text);
// The screen name a tweet replies to ("@user" at the very start, after optional whitespace).
std::optional<Entity> ExtractReplyScreenName(std::string_view text);

// Weighted-length configuration (twitter-text config/v*.json).
struct WeightRange {
  char32_t start = 0;
  char32_t end = 0;  // inclusive
  int weight = 0;
};
struct WeightConfig {
  int max_weighted_length = 280;
  int scale = 100;
  int default_weight = 200;
  bool emoji_parsing_enabled = true;
  int transformed_url_length = 23;
  std::vector<WeightRange> ranges;

  static WeightConfig V1();
  static WeightConfig V2();
  static WeightConfig V3();  // current X rules; the default
};

struct TweetLength {
  int weighted_length = 0;  // already divided by scale
  bool valid = false;       // 0 < weighted_length <= max, and no invalid characters
  int permillage = 0;       // floor(weighted_length * 1000 / max)
  // Inclusive UTF-16 index ranges into the original text, as twitter-text reports them.
  int display_range_start = 0;
  int display_range_end = 0;
  int valid_range_start = 0;
  int valid_range_end = 0;
  // Byte offset into the original text of the first character that no longer fits within
  // max_weighted_length (text.size() when everything fits).
  uint32_t overflow_byte = 0;
};

// Counts `text` the way twitter-text's parseTweet does: NFC normalization, URLs (with and
// without scheme) counted as transformed_url_length, emoji sequences counted once as
// default_weight when emoji parsing is enabled, every other code point by its range weight.
TweetLength ParseTweet(std::string_view text, const WeightConfig& config = WeightConfig::V3());

// Validators from twitter-text (validate.yml groups usernames, lists, hashtags, urls).
bool IsValidUsername(std::string_view text);  // "@name"
bool IsValidList(std::string_view text);      // "@name/list"
bool IsValidHashtag(std::string_view text);   // "#tag"
// A URL with or without scheme; `require_protocol` and `unicode_domains` as twitter-text's.
bool IsValidUrl(std::string_view text, bool unicode_domains = true, bool require_protocol = true);

}  // namespace postlint::twitter
