// Runs twitter-text's own conformance suite (fixtures/conformance/twitter-text, vendored
// unmodified) against the C++ reimplementation. Every case of every group used here is run; a
// failure names the group and the case description. See docs/conformance.md.

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "analysis/twitter_text.h"
#include "core/utf8.h"

namespace postlint::twitter {
namespace {

const std::string kDir = std::string(POSTLINT_SOURCE_ROOT) + "/fixtures/conformance/twitter-text/";

// Cases that cannot pass for a principled reason, by "group/description". Keep in sync with
// docs/conformance.md. Empty: every case passes.
const std::set<std::string> kSkipped = {};

YAML::Node LoadTests(const std::string& file) {
  YAML::Node root = YAML::LoadFile(kDir + file);
  return root["tests"];
}

// Code point index of a byte offset (extract.yml indices count code points).
int CodePointIndex(const std::string& text, uint32_t byte) {
  return static_cast<int>(CountCodePoints(std::string_view(text).substr(0, byte)));
}

std::vector<std::string> Values(const std::vector<Entity>& entities) {
  std::vector<std::string> out;
  for (const Entity& e : entities)
    out.emplace_back(e.value);
  return out;
}

std::vector<std::string> UrlTexts(const std::vector<Entity>& entities) {
  std::vector<std::string> out;
  for (const Entity& e : entities)
    out.emplace_back(e.value);
  return out;
}

struct GroupResult {
  int run = 0;
  int skipped = 0;
};

// Runs `check` for every case of `file`'s group, counting cases; the check reports failures.
GroupResult RunGroup(const std::string& file, const std::string& group,
                     const std::function<void(const YAML::Node&, const std::string&)>& check) {
  GroupResult result;
  YAML::Node cases = LoadTests(file)[group];
  EXPECT_TRUE(cases && cases.IsSequence()) << file << ": missing group " << group;
  if (!cases || !cases.IsSequence())
    return result;
  for (const YAML::Node& c : cases) {
    std::string description = c["description"].as<std::string>();
    if (kSkipped.count(group + "/" + description) > 0) {
      ++result.skipped;
      continue;
    }
    SCOPED_TRACE(file + " / " + group + " / " + description);
    std::string text = c["text"].IsNull() ? std::string() : c["text"].as<std::string>();
    check(c, text);
    ++result.run;
  }
  EXPECT_GT(result.run, 0) << group;
  std::printf("[ conformance ] %s/%s: %d cases run, %d skipped\n", file.c_str(), group.c_str(),
              result.run, result.skipped);
  return result;
}

std::vector<std::string> ExpectedStrings(const YAML::Node& expected) {
  std::vector<std::string> out;
  if (!expected || expected.IsNull())
    return out;
  for (const YAML::Node& e : expected)
    out.push_back(e.as<std::string>());
  return out;
}

struct IndexedValue {
  std::string value;
  std::string list_slug;
  int begin = 0;
  int end = 0;
  friend bool operator==(const IndexedValue&, const IndexedValue&) = default;
};

void PrintTo(const IndexedValue& v, std::ostream* os) {
  *os << "{" << v.value << v.list_slug << " [" << v.begin << ", " << v.end << "]}";
}

std::vector<IndexedValue> ExpectedIndexed(const YAML::Node& expected, const std::string& key) {
  std::vector<IndexedValue> out;
  if (!expected || expected.IsNull())
    return out;
  for (const YAML::Node& e : expected) {
    IndexedValue v;
    v.value = e[key].as<std::string>();
    if (e["list_slug"])
      v.list_slug = e["list_slug"].as<std::string>();
    v.begin = e["indices"][0].as<int>();
    v.end = e["indices"][1].as<int>();
    out.push_back(v);
  }
  return out;
}

std::vector<IndexedValue> ActualIndexed(const std::string& text,
                                        const std::vector<Entity>& entities) {
  std::vector<IndexedValue> out;
  for (const Entity& e : entities) {
    IndexedValue v;
    v.value = std::string(e.value);
    v.list_slug = std::string(e.list_slug);
    v.begin = CodePointIndex(text, e.range.begin);
    v.end = CodePointIndex(text, e.range.end);
    out.push_back(v);
  }
  return out;
}

// ----------------------------------------------------------------------------------------------
// extract.yml

TEST(TwitterTextConformance, ExtractMentions) {
  RunGroup("extract.yml", "mentions", [](const YAML::Node& c, const std::string& text) {
    EXPECT_EQ(Values(ExtractMentions(text)), ExpectedStrings(c["expected"]));
  });
  RunGroup("extract.yml", "mentions_with_indices", [](const YAML::Node& c, const std::string& t) {
    EXPECT_EQ(ActualIndexed(t, ExtractMentions(t)), ExpectedIndexed(c["expected"], "screen_name"));
  });
  RunGroup("extract.yml", "mentions_or_lists_with_indices",
           [](const YAML::Node& c, const std::string& t) {
             EXPECT_EQ(ActualIndexed(t, ExtractMentionsOrLists(t)),
                       ExpectedIndexed(c["expected"], "screen_name"));
           });
}

TEST(TwitterTextConformance, ExtractReplies) {
  RunGroup("extract.yml", "replies", [](const YAML::Node& c, const std::string& text) {
    std::optional<Entity> reply = ExtractReplyScreenName(text);
    if (c["expected"].IsNull()) {
      EXPECT_FALSE(reply.has_value()) << reply->value;
    } else {
      ASSERT_TRUE(reply.has_value());
      EXPECT_EQ(std::string(reply->value), c["expected"].as<std::string>());
    }
  });
}

TEST(TwitterTextConformance, ExtractUrls) {
  RunGroup("extract.yml", "urls", [](const YAML::Node& c, const std::string& text) {
    EXPECT_EQ(UrlTexts(ExtractUrls(text)), ExpectedStrings(c["expected"]));
  });
  for (const char* group : {"urls_with_indices", "urls_with_directional_markers"}) {
    RunGroup("extract.yml", group, [](const YAML::Node& c, const std::string& t) {
      EXPECT_EQ(ActualIndexed(t, ExtractUrls(t)), ExpectedIndexed(c["expected"], "url"));
    });
  }
  RunGroup("extract.yml", "tco_urls_with_params", [](const YAML::Node& c, const std::string& t) {
    EXPECT_EQ(UrlTexts(ExtractUrls(t)), ExpectedStrings(c["expected"]));
  });
}

TEST(TwitterTextConformance, ExtractHashtags) {
  for (const char* group : {"hashtags", "hashtags_from_astral"}) {
    RunGroup("extract.yml", group, [](const YAML::Node& c, const std::string& text) {
      EXPECT_EQ(Values(ExtractHashtags(text)), ExpectedStrings(c["expected"]));
    });
  }
  RunGroup("extract.yml", "hashtags_with_indices", [](const YAML::Node& c, const std::string& t) {
    EXPECT_EQ(ActualIndexed(t, ExtractHashtags(t)), ExpectedIndexed(c["expected"], "hashtag"));
  });
}

TEST(TwitterTextConformance, ExtractCashtags) {
  RunGroup("extract.yml", "cashtags", [](const YAML::Node& c, const std::string& text) {
    EXPECT_EQ(Values(ExtractCashtags(text)), ExpectedStrings(c["expected"]));
  });
  RunGroup("extract.yml", "cashtags_with_indices", [](const YAML::Node& c, const std::string& t) {
    EXPECT_EQ(ActualIndexed(t, ExtractCashtags(t)), ExpectedIndexed(c["expected"], "cashtag"));
  });
}

// ----------------------------------------------------------------------------------------------
// validate.yml

TEST(TwitterTextConformance, ValidateTweets) {
  RunGroup("validate.yml", "tweets", [](const YAML::Node& c, const std::string& text) {
    EXPECT_EQ(ParseTweet(text, WeightConfig::V1()).valid, c["expected"].as<bool>());
  });
}

TEST(TwitterTextConformance, ValidateEntities) {
  RunGroup("validate.yml", "usernames", [](const YAML::Node& c, const std::string& text) {
    EXPECT_EQ(IsValidUsername(text), c["expected"].as<bool>());
  });
  RunGroup("validate.yml", "lists", [](const YAML::Node& c, const std::string& text) {
    EXPECT_EQ(IsValidList(text), c["expected"].as<bool>());
  });
  RunGroup("validate.yml", "hashtags", [](const YAML::Node& c, const std::string& text) {
    EXPECT_EQ(IsValidHashtag(text), c["expected"].as<bool>());
  });
  RunGroup("validate.yml", "urls", [](const YAML::Node& c, const std::string& text) {
    EXPECT_EQ(IsValidUrl(text), c["expected"].as<bool>());
  });
  RunGroup("validate.yml", "urls_without_protocol",
           [](const YAML::Node& c, const std::string& text) {
             EXPECT_EQ(IsValidUrl(text, true, false), c["expected"].as<bool>());
           });
}

void CheckWeighted(const YAML::Node& c, const std::string& text, const WeightConfig& config) {
  TweetLength r = ParseTweet(text, config);
  const YAML::Node& e = c["expected"];
  EXPECT_EQ(r.weighted_length, e["weightedLength"].as<int>());
  EXPECT_EQ(r.valid, e["valid"].as<bool>());
  EXPECT_EQ(r.permillage, e["permillage"].as<int>());
  EXPECT_EQ(r.display_range_start, e["displayRangeStart"].as<int>());
  EXPECT_EQ(r.display_range_end, e["displayRangeEnd"].as<int>());
  EXPECT_EQ(r.valid_range_start, e["validRangeStart"].as<int>());
  EXPECT_EQ(r.valid_range_end, e["validRangeEnd"].as<int>());
}

TEST(TwitterTextConformance, WeightedLength) {
  RunGroup(
      "validate.yml", "WeightedTweetsCounterTest",
      [](const YAML::Node& c, const std::string& t) { CheckWeighted(c, t, WeightConfig::V2()); });
  RunGroup(
      "validate.yml", "WeightedTweetsWithDiscountedEmojiCounterTest",
      [](const YAML::Node& c, const std::string& t) { CheckWeighted(c, t, WeightConfig::V3()); });
  RunGroup(
      "validate.yml", "UnicodeDirectionalMarkerCounterTest",
      [](const YAML::Node& c, const std::string& t) { CheckWeighted(c, t, WeightConfig::V3()); });
}

// ----------------------------------------------------------------------------------------------
// tlds.yml

TEST(TwitterTextConformance, Tlds) {
  for (const char* group : {"country", "generic"}) {
    RunGroup("tlds.yml", group, [](const YAML::Node& c, const std::string& text) {
      EXPECT_EQ(UrlTexts(ExtractUrls(text)), ExpectedStrings(c["expected"]));
    });
  }
}

// The vendored configs must agree with the built-in ones.
TEST(TwitterTextConformance, ConfigsMatchVendoredJson) {
  struct Case {
    const char* file;
    WeightConfig config;
  };
  for (const Case& k : {Case{"v1.json", WeightConfig::V1()}, Case{"v2.json", WeightConfig::V2()},
                        Case{"v3.json", WeightConfig::V3()}}) {
    SCOPED_TRACE(k.file);
    YAML::Node j = YAML::LoadFile(kDir + k.file);  // JSON is YAML
    EXPECT_EQ(k.config.max_weighted_length, j["maxWeightedTweetLength"].as<int>());
    EXPECT_EQ(k.config.scale, j["scale"].as<int>());
    EXPECT_EQ(k.config.default_weight, j["defaultWeight"].as<int>());
    EXPECT_EQ(k.config.transformed_url_length, j["transformedURLLength"].as<int>());
    EXPECT_EQ(k.config.emoji_parsing_enabled,
              j["emojiParsingEnabled"] ? j["emojiParsingEnabled"].as<bool>() : false);
    ASSERT_EQ(k.config.ranges.size(), j["ranges"].size());
    for (size_t i = 0; i < k.config.ranges.size(); ++i) {
      EXPECT_EQ(k.config.ranges[i].start, j["ranges"][i]["start"].as<uint32_t>());
      EXPECT_EQ(k.config.ranges[i].end, j["ranges"][i]["end"].as<uint32_t>());
      EXPECT_EQ(k.config.ranges[i].weight, j["ranges"][i]["weight"].as<int>());
    }
  }
}

}  // namespace
}  // namespace postlint::twitter
