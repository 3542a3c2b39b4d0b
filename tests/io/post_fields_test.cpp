// One table of post fields for every reader (io/post_fields.h): JSON documents, JSONL (both the
// simdjson fast path and the general path), YAML front matter, and through them the HTTP
// service and the C API. The same value is accepted or refused the same way everywhere.
#include "io/post_fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "io/post_reader.h"
#include "support/reader_harness.h"

namespace postlint {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Parse;

// The outcome of one record: the post, or the error message.
struct Outcome {
  std::optional<Post> post;
  std::string error;
  uint32_t line = 0;
};

Outcome One(const std::string& content, const std::string& source) {
  const auto records = Parse(content, source);
  Outcome o;
  if (records.size() != 1) {
    o.error = "expected one record, got " + std::to_string(records.size());
    return o;
  }
  if (const Post* p = std::get_if<Post>(&records[0])) {
    o.post = *p;
  } else if (const ReadError* e = std::get_if<ReadError>(&records[0])) {
    o.error = e->message;
    o.line = e->line;
  }
  return o;
}

// A field given as a JSON value in a .json document, a .jsonl line (fast path when it can), a
// .jsonl line that must take the general path (a non-ASCII text), and as YAML in front matter.
std::vector<std::pair<std::string, Outcome>> EveryReader(const std::string& field,
                                                         const std::string& json_value,
                                                         const std::string& yaml_value) {
  const std::string object = "{\"text\": \"Hi\", \"" + field + "\": " + json_value + "}";
  const std::string general = "{\"text\": \"Hé\", \"" + field + "\": " + json_value + "}";
  return {
      {"json", One(object, "p.json")},
      {"jsonl", One(object + "\n", "p.jsonl")},
      {"jsonl-general", One(general + "\n", "p.jsonl")},
      {"front matter", One("---\n" + field + ": " + yaml_value + "\n---\nHi\n", "p.md")},
  };
}

TEST(PostFields, UnknownFieldsAreErrorsWithTheClosestFieldInEveryReader) {
  for (const auto& [reader, o] : EveryReader("sponosred", "true", "true")) {
    EXPECT_FALSE(o.post) << reader;
    EXPECT_THAT(o.error, HasSubstr("unknown field 'sponosred' (did you mean 'sponsored'?)"))
        << reader;
    EXPECT_THAT(o.error, HasSubstr("labels")) << reader;
  }
  for (const auto& [reader, o] : EveryReader("sponsord", "true", "true"))
    EXPECT_THAT(o.error, HasSubstr("did you mean 'sponsored'")) << reader;
}

TEST(PostFields, TheFrontMatterErrorPointsAtTheLineOfTheField) {
  const Outcome o = One("---\nnetwork: x\nsponosred: true\n---\nHi\n", "d.md");
  EXPECT_EQ(o.line, 3u);
  EXPECT_THAT(o.error, HasSubstr("front matter: unknown field 'sponosred'"));
}

TEST(PostFields, SponsoredAcceptsTheSameSpellingsEverywhere) {
  struct Case {
    std::string json, yaml;
    std::optional<bool> expected;  // nullopt: refused
  };
  const std::vector<Case> cases = {
      {"true", "true", true},  {"false", "false", false},  {"\"yes\"", "yes", true},
      {"\"No\"", "No", false}, {"\"TRUE\"", "TRUE", true}, {"\"maybe\"", "maybe", {}},
      {"1", "1", {}},          {"\"on\"", "on", {}},       {"[true]", "[true]", {}},
  };
  for (const Case& c : cases) {
    for (const auto& [reader, o] : EveryReader("sponsored", c.json, c.yaml)) {
      if (c.expected) {
        ASSERT_TRUE(o.post) << reader << " " << c.json << ": " << o.error;
        EXPECT_EQ(o.post->sponsored, c.expected) << reader << " " << c.json;
      } else {
        EXPECT_FALSE(o.post) << reader << " " << c.json;
        EXPECT_THAT(o.error, HasSubstr("field 'sponsored' must be a boolean")) << reader;
      }
    }
  }
}

TEST(PostFields, NetworksReadAsListsOrCommaSeparatedNamesEverywhere) {
  for (const auto& [field, json, yaml] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"network", "\"Twitter\"", "Twitter"},
           {"networks", "[\"x\", \"bsky\"]", "[x, bsky]"},
           {"networks", "\"x, Bluesky\"", "x, Bluesky"},
           {"network", "\"x|linkedin\"", "x|linkedin"}}) {
    for (const auto& [reader, o] : EveryReader(field, json, yaml)) {
      ASSERT_TRUE(o.post) << reader << " " << json << ": " << o.error;
      EXPECT_EQ(o.post->networks.front(), "x") << reader << " " << json;
    }
  }
  for (const auto& [reader, o] : EveryReader("networks", "[\"x\", 3]", "[x, [a]]"))
    EXPECT_THAT(o.error, HasSubstr("field 'networks'")) << reader;
}

TEST(PostFields, CreatedAtMustBeADateEverywhere) {
  for (const auto& [reader, o] :
       EveryReader("created_at", "\"2026-03-04T10:00:00Z\"", "2026-03-04T10:00:00Z")) {
    ASSERT_TRUE(o.post) << reader << ": " << o.error;
    EXPECT_EQ(o.post->created_at, "2026-03-04T10:00:00Z") << reader;
  }
  for (const auto& [reader, o] : EveryReader("created_at", "\"last tuesday\"", "last tuesday"))
    EXPECT_THAT(o.error, HasSubstr("field 'created_at' must be a date")) << reader;
  for (const auto& [reader, o] : EveryReader("created_at", "\"2026-02-30\"", "2026-02-30"))
    EXPECT_THAT(o.error, HasSubstr("field 'created_at'")) << reader;
}

TEST(PostFields, MediaItemsHaveAClosedVocabularyToo) {
  for (const auto& [reader, o] :
       EveryReader("media", "[{\"alt_txt\": \"A rocket\"}]", "[{alt_txt: A rocket}]")) {
    EXPECT_THAT(o.error, HasSubstr("unknown field 'media[1].alt_txt' (did you mean 'alt_text'?)"))
        << reader;
  }
  for (const auto& [reader, o] :
       EveryReader("media", "[{\"alt_text\": \"A\", \"url\": \"https://x.example/a.png\"}]",
                   "[{alt_text: A, url: 'https://x.example/a.png'}]")) {
    ASSERT_TRUE(o.post) << reader << ": " << o.error;
    ASSERT_EQ(o.post->media.size(), 1u);
    EXPECT_EQ(o.post->media[0].alt_text, "A");
  }
}

TEST(PostFields, IdsAndLabelsReadTheSameEverywhere) {
  for (const auto& [reader, o] : EveryReader("id", "42", "42")) {
    ASSERT_TRUE(o.post) << reader << ": " << o.error;
    EXPECT_EQ(o.post->id, "42");
  }
  for (const auto& [reader, o] :
       EveryReader("labels", "{\"campaign\": \"spring\", \"wave\": 2, \"paid\": true}",
                   "{campaign: spring, wave: 2, paid: true}")) {
    ASSERT_TRUE(o.post) << reader << ": " << o.error;
    EXPECT_THAT(o.post->labels,
                ElementsAre(std::pair<const std::string, std::string>("campaign", "spring"),
                            std::pair<const std::string, std::string>("paid", "true"),
                            std::pair<const std::string, std::string>("wave", "2")))
        << reader;
  }
}

TEST(PostFields, ValuesInMessagesAreShort) {
  const std::string huge(10000, 'x');
  const Outcome o = One("{\"text\": \"Hi\", \"created_at\": \"" + huge + "\"}", "p.json");
  EXPECT_LT(o.error.size(), 300u) << "40 quoted characters at most (bullets are 3 bytes each)";
}

TEST(PostFields, BooleanTextAndNetworkListHelpers) {
  EXPECT_EQ(ParseBooleanText(" Yes "), true);
  EXPECT_EQ(ParseBooleanText("false"), false);
  EXPECT_EQ(ParseBooleanText("1"), std::nullopt);
  EXPECT_THAT(SplitNetworkList("Twitter; ig |, x"), ElementsAre("x", "instagram"));
  EXPECT_TRUE(SplitNetworkList(" , ").empty());
}

}  // namespace
}  // namespace postlint
