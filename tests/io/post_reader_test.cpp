#include "io/post_reader.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/reader_harness.h"

namespace postlint {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;
using testing::Parse;
using testing::Read;

constexpr const char* kReplacement = "\xEF\xBF\xBD";

std::string IoFixture(const std::string& name) {
  return std::string(POSTLINT_SOURCE_ROOT) + "/fixtures/io/" + name;
}

// Null when the record is not a Post; tests ASSERT on it before use.
const Post* AsPost(const InputRecord& r) {
  return std::get_if<Post>(&r);
}
const ReadError* AsError(const InputRecord& r) {
  return std::get_if<ReadError>(&r);
}

std::string PostError(const nlohmann::json& object) {
  auto result = PostFromJson(object, "default");
  const std::string* error = std::get_if<std::string>(&result);
  return error != nullptr ? *error : "<no error>";
}

Post PostOk(const nlohmann::json& object) {
  auto result = PostFromJson(object, "default");
  if (auto* error = std::get_if<std::string>(&result))
    ADD_FAILURE() << *error;
  return std::holds_alternative<Post>(result) ? std::get<Post>(result) : Post{};
}

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "postlint-io-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string Write(const std::string& relative, const std::string& content) const {
    const std::filesystem::path p = path_ / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// ----------------------------------------------------------------------------------------------
// Formats

TEST(InputFormatTest, ParsesNames) {
  EXPECT_EQ(ParseInputFormat("auto"), InputFormat::kAuto);
  EXPECT_EQ(ParseInputFormat("text"), InputFormat::kText);
  EXPECT_EQ(ParseInputFormat("md"), InputFormat::kText);
  EXPECT_EQ(ParseInputFormat("markdown"), InputFormat::kText);
  EXPECT_EQ(ParseInputFormat("json"), InputFormat::kJson);
  EXPECT_EQ(ParseInputFormat("jsonl"), InputFormat::kJsonl);
  EXPECT_EQ(ParseInputFormat("ndjson"), InputFormat::kJsonl);
  EXPECT_EQ(ParseInputFormat("yaml"), std::nullopt);
  EXPECT_EQ(ParseInputFormat(""), std::nullopt);
}

TEST(InputFormatTest, FormatFromPathUsesExtensionCaseInsensitively) {
  EXPECT_EQ(FormatFromPath("drafts/launch.md"), InputFormat::kText);
  EXPECT_EQ(FormatFromPath("drafts/LAUNCH.MD"), InputFormat::kText);
  EXPECT_EQ(FormatFromPath("a.markdown"), InputFormat::kText);
  EXPECT_EQ(FormatFromPath("a.txt"), InputFormat::kText);
  EXPECT_EQ(FormatFromPath("export.json"), InputFormat::kJson);
  EXPECT_EQ(FormatFromPath("export.jsonl"), InputFormat::kJsonl);
  EXPECT_EQ(FormatFromPath("export.ndjson"), InputFormat::kJsonl);
  EXPECT_EQ(FormatFromPath("notes"), InputFormat::kAuto);
  EXPECT_EQ(FormatFromPath("dir.json/notes"), InputFormat::kAuto);
  EXPECT_EQ(FormatFromPath(".hidden"), InputFormat::kAuto);
  EXPECT_EQ(FormatFromPath("<stdin>"), InputFormat::kAuto);
}

TEST(InputFormatTest, SniffsContent) {
  EXPECT_EQ(SniffFormat("[{\"text\": \"a\"}]"), InputFormat::kJson);
  EXPECT_EQ(SniffFormat("\xEF\xBB\xBF\n  {\"text\": \"a\"}\n"), InputFormat::kJson);
  EXPECT_EQ(SniffFormat("{\"text\": \"a\"}\n{\"text\": \"b\"}\n"), InputFormat::kJsonl);
  EXPECT_EQ(SniffFormat("{\"text\": \"caf\xE9\"}"), InputFormat::kJson);
  // Starts like JSON and is broken: read as JSON, so the syntax error is reported.
  EXPECT_EQ(SniffFormat("{\"text\": broken"), InputFormat::kJson);
  EXPECT_EQ(SniffFormat("[{\"text\": \"a\"},"), InputFormat::kJson);
  EXPECT_EQ(SniffFormat("{\"text\": \"a\"}\n{\"text\": broken\n"), InputFormat::kJsonl);
  EXPECT_EQ(SniffFormat("{\"text\": \"a\",\n{\"text\": \"b\"}\n"), InputFormat::kJsonl);
  EXPECT_EQ(SniffFormat("Hello {world}"), InputFormat::kText);
  // Plain text that merely starts with a bracket is a post (issue 12).
  EXPECT_EQ(SniffFormat("[Video] Our new campaign is live"), InputFormat::kText);
  EXPECT_EQ(SniffFormat("[1/3] A thread about rockets"), InputFormat::kText);
  EXPECT_EQ(SniffFormat("{Draft} launch notes"), InputFormat::kText);
  EXPECT_EQ(SniffFormat("[ad] Blendr 500, now 20% off"), InputFormat::kText);
  EXPECT_EQ(SniffFormat("---\nnetwork: x\n---\nHi"), InputFormat::kText);
  EXPECT_EQ(SniffFormat(""), InputFormat::kText);
}

// ----------------------------------------------------------------------------------------------
// Text and Markdown

TEST(TextReaderTest, FrontMatterFieldsMapToPost) {
  const std::string path = IoFixture("front_matter.md");
  const auto records = Read(path);
  ASSERT_EQ(records.size(), 1u);
  const Post* post = AsPost(records[0]);
  ASSERT_NE(post, nullptr) << AsError(records[0])->message;
  EXPECT_EQ(post->id, "launch-2024");
  EXPECT_EQ(post->source, path);
  EXPECT_THAT(post->networks, ElementsAre("x", "bluesky", "mastodon"));
  EXPECT_EQ(post->account, "@acme");
  EXPECT_EQ(post->author, "Giulia Rossi");
  EXPECT_EQ(post->created_at, "2024-05-01");
  EXPECT_EQ(post->sponsored, true);
  EXPECT_EQ(post->lang, "it");
  ASSERT_EQ(post->media.size(), 2u);
  EXPECT_EQ(post->media[0].alt_text, "Il nuovo Acme Rocket sulla rampa di lancio");
  EXPECT_EQ(post->media[1].alt_text, "Foto del team");
  EXPECT_THAT(post->labels, ElementsAre(Pair("campaign", "spring-launch"), Pair("priority", "2"),
                                        Pair("reviewed", "false")));
  EXPECT_EQ(post->text, "Il nuovo Acme Rocket è qui! 🚀\nScoprilo su https://acme.example/rocket");
  EXPECT_EQ(post->source_line, 20u);  // after the front matter and two blank lines
  EXPECT_TRUE(post->text_is_verbatim);
}

TEST(TextReaderTest, PlainFileUsesPathAsIdAndTrimsTrailingWhitespace) {
  const auto records = Parse("Just a plain draft.\nSecond line.\n\n   \n", "drafts/launch.md");
  ASSERT_EQ(records.size(), 1u);
  const Post* post = AsPost(records[0]);
  ASSERT_NE(post, nullptr);
  EXPECT_EQ(post->id, "drafts/launch.md");
  EXPECT_EQ(post->source, "drafts/launch.md");
  EXPECT_EQ(post->text, "Just a plain draft.\nSecond line.");
  EXPECT_EQ(post->source_line, 1u);
  EXPECT_TRUE(post->text_is_verbatim);
  EXPECT_TRUE(post->networks.empty());
  EXPECT_EQ(post->sponsored, std::nullopt);
}

TEST(TextReaderTest, LeadingBlankLinesAreSkippedButIndentationKept) {
  const auto records = Read(IoFixture("leading_blank.txt"));
  ASSERT_EQ(records.size(), 1u);
  const Post* post = AsPost(records[0]);
  ASSERT_NE(post, nullptr);
  EXPECT_EQ(post->text, "Body after blank lines.");
  EXPECT_EQ(post->source_line, 4u);

  const auto indented = Parse("\n    indented code\n", "a.md");
  ASSERT_NE(AsPost(indented[0]), nullptr);
  EXPECT_EQ(AsPost(indented[0])->text, "    indented code");
  EXPECT_EQ(AsPost(indented[0])->source_line, 2u);
}

TEST(TextReaderTest, CrlfAndBomAreHandled) {
  const auto records = Read(IoFixture("crlf_bom.md"));
  ASSERT_EQ(records.size(), 1u);
  const Post* post = AsPost(records[0]);
  ASSERT_NE(post, nullptr) << AsError(records[0])->message;
  EXPECT_EQ(post->id, "crlf-post");
  EXPECT_THAT(post->networks, ElementsAre("x"));
  EXPECT_EQ(post->text, "Line one\nLine two");
  EXPECT_EQ(post->source_line, 6u);
}

TEST(TextReaderTest, InvalidUtf8BecomesReplacementCharacter) {
  const auto records = Read(IoFixture("latin1.txt"));
  ASSERT_EQ(records.size(), 1u);
  const Post* post = AsPost(records[0]);
  ASSERT_NE(post, nullptr);
  EXPECT_EQ(post->text, std::string("Caf") + kReplacement + " cr" + kReplacement + "me " +
                            kReplacement + " la carte");
}

TEST(TextReaderTest, FrontMatterMayCloseWithDots) {
  const auto records = Read(IoFixture("dots_closed.md"));
  ASSERT_EQ(records.size(), 1u);
  const Post* post = AsPost(records[0]);
  ASSERT_NE(post, nullptr);
  EXPECT_THAT(post->networks, ElementsAre("linkedin"));
  EXPECT_EQ(post->text, "Closed by three dots.");
  EXPECT_EQ(post->source_line, 4u);
}

TEST(TextReaderTest, EmptyAndCommentOnlyFrontMatterAreAccepted) {
  auto records = Parse("---\n---\nHi\n", "a.md");
  ASSERT_NE(AsPost(records[0]), nullptr);
  EXPECT_EQ(AsPost(records[0])->text, "Hi");
  EXPECT_EQ(AsPost(records[0])->source_line, 3u);

  records = Parse("---\n# just a comment\n---\nHi\n", "a.md");
  ASSERT_NE(AsPost(records[0]), nullptr);
  EXPECT_EQ(AsPost(records[0])->id, "a.md");
}

TEST(TextReaderTest, EmptyBodyGivesEmptyText) {
  const auto records = Parse("---\nnetwork: x\n---\n\n\n", "a.md");
  ASSERT_EQ(records.size(), 1u);
  ASSERT_NE(AsPost(records[0]), nullptr);
  EXPECT_EQ(AsPost(records[0])->text, "");
  EXPECT_EQ(AsPost(records[0])->source_line, 4u);

  const auto empty = Parse("", "empty.txt");
  ASSERT_NE(AsPost(empty[0]), nullptr);
  EXPECT_EQ(AsPost(empty[0])->text, "");
}

TEST(TextReaderTest, DashesThatAreNotAFenceAreBody) {
  const auto records = Parse("----\nnot front matter\n", "a.md");
  ASSERT_NE(AsPost(records[0]), nullptr);
  EXPECT_EQ(AsPost(records[0])->text, "----\nnot front matter");
  const auto later = Parse("Hello\n---\nnetwork: x\n---\n", "a.md");
  ASSERT_NE(AsPost(later[0]), nullptr);
  EXPECT_TRUE(AsPost(later[0])->networks.empty());
}

TEST(TextReaderTest, CreatedAtKeepsTheScalarAsWritten) {
  const auto records =
      Parse("---\ncreated_at: 2024-05-01T09:30:00+02:00\nid: 0042\n---\nx", "a.md");
  ASSERT_NE(AsPost(records[0]), nullptr);
  EXPECT_EQ(AsPost(records[0])->created_at, "2024-05-01T09:30:00+02:00");
  EXPECT_EQ(AsPost(records[0])->id, "0042");
}

TEST(TextReaderTest, NullFrontMatterFieldsAreAbsent) {
  const auto records = Parse("---\naccount:\nsponsored: ~\nnetworks:\n---\nx", "a.md");
  ASSERT_NE(AsPost(records[0]), nullptr) << AsError(records[0])->message;
  EXPECT_EQ(AsPost(records[0])->account, "");
  EXPECT_EQ(AsPost(records[0])->sponsored, std::nullopt);
}

TEST(TextReaderTest, UnclosedFrontMatterIsAnError) {
  const std::string path = IoFixture("unclosed_front_matter.md");
  const auto records = Read(path);
  ASSERT_EQ(records.size(), 1u);
  const ReadError* error = AsError(records[0]);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->source, path);
  EXPECT_EQ(error->line, 1u);
  EXPECT_THAT(error->message, HasSubstr("not closed"));
}

TEST(TextReaderTest, InvalidYamlReportsTheFileLine) {
  const auto records = Read(IoFixture("invalid_yaml.md"));
  ASSERT_EQ(records.size(), 1u);
  const ReadError* error = AsError(records[0]);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->message, "invalid YAML in front matter: end of map flow not found");
  // The flow mapping opened on line 4 is still open when the front matter ends on line 5.
  EXPECT_EQ(error->line, 5u);

  const auto tab = Parse("---\nid: a\n\tnetwork: x\n---\nBody", "t.md");
  ASSERT_NE(AsError(tab[0]), nullptr);
  EXPECT_EQ(AsError(tab[0])->line, 3u);
}

TEST(TextReaderTest, TextInFrontMatterIsRejected) {
  const auto records = Read(IoFixture("text_in_front_matter.md"));
  ASSERT_EQ(records.size(), 1u);
  const ReadError* error = AsError(records[0]);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->line, 4u);
  EXPECT_EQ(error->id, "has-text");
  EXPECT_EQ(error->message, "front matter: field 'text' is not allowed: the post text is the body");
}

TEST(TextReaderTest, WrongFrontMatterTypesNameTheField) {
  const auto records = Read(IoFixture("wrong_type_front_matter.md"));
  ASSERT_EQ(records.size(), 1u);
  const ReadError* error = AsError(records[0]);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->line, 4u);
  EXPECT_EQ(error->id, "wrong-type");
  EXPECT_THAT(error->message, HasSubstr("field 'sponsored' must be a boolean"));

  const auto nested = Read(IoFixture("nested_label.md"));
  ASSERT_NE(AsError(nested[0]), nullptr);
  EXPECT_THAT(AsError(nested[0])->message, HasSubstr("label 'campaign'"));
  EXPECT_EQ(AsError(nested[0])->line, 3u);

  struct Case {
    const char* yaml;
    const char* field;
  };
  for (const Case& c :
       {Case{"networkz: x", "unknown field 'networkz' (did you mean 'network"},
        Case{"networks: [x, [y]]", "field 'networks'"},
        Case{"network: [x, {a: b}]", "field 'network'"}, Case{"account: {a: b}", "field 'account'"},
        Case{"lang: [en]", "field 'lang'"}, Case{"media: {alt_text: a}", "field 'media'"},
        Case{"media: [photo.jpg]", "field 'media[1]'"},
        Case{"media: [{alt_text: [a]}]", "field 'media[1].alt_text'"},
        Case{"labels: [a, b]", "field 'labels'"}, Case{"sponsored: maybe", "field 'sponsored'"},
        Case{"id: [1]", "field 'id'"}}) {
    const auto r = Parse(std::string("---\n") + c.yaml + "\n---\nBody\n", "t.md");
    ASSERT_EQ(r.size(), 1u);
    const ReadError* e = AsError(r[0]);
    ASSERT_NE(e, nullptr) << c.yaml;
    EXPECT_THAT(e->message, HasSubstr(c.field)) << c.yaml;
    EXPECT_EQ(e->line, 2u) << c.yaml;
  }
}

TEST(TextReaderTest, DuplicateFrontMatterFieldIsRejected) {
  const auto records = Parse("---\nid: a\nnetwork: x\nid: b\n---\nBody", "t.md");
  ASSERT_NE(AsError(records[0]), nullptr);
  EXPECT_EQ(AsError(records[0])->line, 4u);
  EXPECT_THAT(AsError(records[0])->message, HasSubstr("field 'id' appears twice"));
}

TEST(TextReaderTest, FrontMatterErrorsCarryAnIdWrittenAfterTheFault) {
  const auto records = Parse("---\nsponsored: 1.5\nid: late-id\n---\nBody", "t.md");
  ASSERT_NE(AsError(records[0]), nullptr);
  EXPECT_EQ(AsError(records[0])->id, "late-id");
  EXPECT_EQ(AsError(records[0])->line, 2u);
}

TEST(TextReaderTest, NonMappingFrontMatterIsRejected) {
  const auto records = Parse("---\n- a\n- b\n---\nBody", "t.md");
  ASSERT_NE(AsError(records[0]), nullptr);
  EXPECT_THAT(AsError(records[0])->message, HasSubstr("mapping"));
}

TEST(TextReaderTest, YamlBooleanSpellingsAreAccepted) {
  const auto records = Parse("---\nsponsored: false\n---\nBody", "t.md");
  ASSERT_NE(AsPost(records[0]), nullptr);
  EXPECT_EQ(AsPost(records[0])->sponsored, false);
}

// ----------------------------------------------------------------------------------------------
// PostFromJson

TEST(PostFromJsonTest, MapsAllFields) {
  const Post post = PostOk(nlohmann::json::parse(R"({
    "id": "p1", "text": "Hello", "network": "Twitter", "networks": ["x", "LinkedIn", "bsky"],
    "account": "@acme", "author": "Anna", "created_at": "2024-05-01T10:00:00Z",
    "sponsored": false, "lang": "lv",
    "media": [{"alt_text": "A"}, {"alt": "B"}, {}],
    "labels": {"s": "str", "i": 3, "f": 1.5, "b": true, "n": null}
  })"));
  EXPECT_EQ(post.id, "p1");
  EXPECT_EQ(post.text, "Hello");
  EXPECT_THAT(post.networks, ElementsAre("x", "linkedin", "bluesky"));
  EXPECT_EQ(post.account, "@acme");
  EXPECT_EQ(post.author, "Anna");
  EXPECT_EQ(post.created_at, "2024-05-01T10:00:00Z");
  EXPECT_EQ(post.sponsored, false);
  EXPECT_EQ(post.lang, "lv");
  ASSERT_EQ(post.media.size(), 3u);
  EXPECT_EQ(post.media[0].alt_text, "A");
  EXPECT_EQ(post.media[1].alt_text, "B");
  EXPECT_EQ(post.media[2].alt_text, "");
  EXPECT_THAT(post.labels,
              ElementsAre(Pair("b", "true"), Pair("f", "1.5"), Pair("i", "3"), Pair("s", "str")));
}

TEST(PostFromJsonTest, IdDefaultsAndIntegerIds) {
  EXPECT_EQ(PostOk({{"text", "a"}}).id, "default");
  EXPECT_EQ(PostOk({{"text", "a"}, {"id", nullptr}}).id, "default");
  EXPECT_EQ(PostOk({{"text", "a"}, {"id", 42}}).id, "42");
  EXPECT_EQ(PostOk({{"text", "a"}, {"id", -7}}).id, "-7");
  EXPECT_EQ(PostOk({{"text", "a"}, {"id", 18446744073709551615ull}}).id, "18446744073709551615");
}

TEST(PostFromJsonTest, NullStringFieldsAreAbsent) {
  const Post post =
      PostOk({{"text", "a"}, {"account", nullptr}, {"lang", nullptr}, {"sponsored", nullptr}});
  EXPECT_EQ(post.account, "");
  EXPECT_EQ(post.sponsored, std::nullopt);
}

TEST(PostFromJsonTest, EmptyTextIsAllowed) {
  EXPECT_EQ(PostOk({{"text", ""}}).text, "");
}

TEST(PostFromJsonTest, RejectionsNameTheField) {
  using nlohmann::json;
  EXPECT_EQ(PostError(json::array()), "a post must be a JSON object, not an array");
  EXPECT_EQ(PostError(json::object()), "field 'text' is required");
  EXPECT_EQ(PostError({{"text", nullptr}}), "field 'text' is required");
  EXPECT_THAT(PostError({{"text", 5}}), HasSubstr("field 'text' must be a string"));
  EXPECT_THAT(PostError({{"text", "a"}, {"id", 1.5}}),
              HasSubstr("field 'id' must be a string or an integer"));
  EXPECT_THAT(PostError({{"text", "a"}, {"id", true}}), HasSubstr("field 'id'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"id", ""}}), HasSubstr("field 'id'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"network", 1}}), HasSubstr("field 'network'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"network", ""}}), HasSubstr("field 'network'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"networks", ""}}), HasSubstr("field 'networks'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"networks", {"x", ""}}}), HasSubstr("field 'networks'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"networks", {"x", 1}}}), HasSubstr("field 'networks'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"sponsored", "maybe"}}),
              HasSubstr("field 'sponsored' must be a boolean"));
  EXPECT_THAT(PostError({{"text", "a"}, {"sponsored", 1}}), HasSubstr("field 'sponsored'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"account", 3}}), HasSubstr("field 'account'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"author", json::array()}}), HasSubstr("field 'author'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"created_at", 20240501}}),
              HasSubstr("field 'created_at'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"created_at", "yesterday"}}),
              HasSubstr("field 'created_at' must be a date"));
  EXPECT_THAT(PostError({{"text", "a"}, {"created_at", "2024-13-01"}}),
              HasSubstr("field 'created_at'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"lang", false}}), HasSubstr("field 'lang'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"media", json::object()}}), HasSubstr("field 'media'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"media", {"x.png"}}}), HasSubstr("field 'media[1]'"));
  EXPECT_THAT(PostError(json::parse(R"({"text": "a", "media": [{}, {"alt_text": 3}]})")),
              HasSubstr("field 'media[2].alt_text'"));
  EXPECT_THAT(PostError({{"text", "a"}, {"labels", {1, 2}}}), HasSubstr("field 'labels'"));
  EXPECT_THAT(PostError(json::parse(R"({"text": "a", "labels": {"campaign": {"x": 1}}})")),
              HasSubstr("label 'campaign'"));
  EXPECT_THAT(PostError(json::parse(R"({"text": "a", "labels": {"tags": [1]}})")),
              HasSubstr("label 'tags'"));
}

TEST(PostFromJsonTest, SanitizesStrings) {
  nlohmann::json object = {{"text", "caf\xE9"}, {"author", "\xFFx"}, {"networks", {"X"}}};
  const Post post = PostOk(object);
  EXPECT_EQ(post.text, std::string("caf") + kReplacement);
  EXPECT_EQ(post.author, std::string(kReplacement) + "x");
  EXPECT_THAT(post.networks, ElementsAre("x"));
}

// ----------------------------------------------------------------------------------------------
// JSON documents

TEST(JsonReaderTest, SingleObjectUsesPathAsId) {
  const std::string path = IoFixture("single_object.json");
  const auto records = Read(path);
  ASSERT_EQ(records.size(), 1u);
  const Post* post = AsPost(records[0]);
  ASSERT_NE(post, nullptr);
  EXPECT_EQ(post->id, path);
  EXPECT_EQ(post->source, path);
  EXPECT_EQ(post->source_line, 2u);
  EXPECT_FALSE(post->text_is_verbatim);
  EXPECT_THAT(post->networks, ElementsAre("bluesky"));
}

TEST(JsonReaderTest, ArrayWithBadElementsKeepsTheGoodOnes) {
  const std::string path = IoFixture("array_one_bad.json");
  const auto records = Read(path);
  ASSERT_EQ(records.size(), 5u);

  const Post* first = AsPost(records[0]);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->id, "a1");
  EXPECT_EQ(first->source_line, 2u);

  const Post* second = AsPost(records[1]);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->id, path + "#2");
  EXPECT_EQ(second->source_line, 3u);
  ASSERT_EQ(second->media.size(), 2u);
  EXPECT_EQ(second->media[1].alt_text, "A photo");

  const ReadError* third = AsError(records[2]);
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(third->message, "record 3: field 'text' is required");
  EXPECT_EQ(third->id, "a3");
  EXPECT_EQ(third->line, 7u);
  EXPECT_EQ(third->source, path);

  const ReadError* fourth = AsError(records[3]);
  ASSERT_NE(fourth, nullptr);
  EXPECT_EQ(fourth->message, "record 4: must be a JSON object, not a string");
  EXPECT_EQ(fourth->line, 8u);

  const Post* fifth = AsPost(records[4]);
  ASSERT_NE(fifth, nullptr);
  EXPECT_EQ(fifth->id, path + "#5");
  EXPECT_EQ(fifth->text, "Fifth [with] {braces} and \"quotes\"");
  EXPECT_EQ(fifth->source_line, 9u);
  EXPECT_THAT(fifth->labels, ElementsAre(Pair("b", "true"), Pair("k", "1.5")));
}

TEST(JsonReaderTest, InvalidJsonIsOneErrorWithItsLine) {
  const std::string path = IoFixture("invalid.json");
  const auto records = Read(path);
  ASSERT_EQ(records.size(), 1u);
  const ReadError* error = AsError(records[0]);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->line, 3u);
  EXPECT_EQ(error->source, path);
  EXPECT_THAT(error->message, HasSubstr("invalid JSON at line 3, column"));
  EXPECT_THAT(error->message, Not(HasSubstr("json.exception")));
}

TEST(JsonReaderTest, OtherTopLevelValuesAndEmptyInputAreErrors) {
  auto records = Parse("\"just a string\"", "a.json");
  ASSERT_EQ(records.size(), 1u);
  ASSERT_NE(AsError(records[0]), nullptr);
  EXPECT_THAT(AsError(records[0])->message, HasSubstr("object or an array of objects"));

  records = Parse("  \n", "a.json");
  ASSERT_NE(AsError(records[0]), nullptr);
  EXPECT_THAT(AsError(records[0])->message, HasSubstr("empty"));

  records = Parse("[]", "a.json");
  EXPECT_THAT(records, IsEmpty());
}

TEST(JsonReaderTest, BomCrlfAndInvalidUtf8AreAccepted) {
  const auto records = Parse("\xEF\xBB\xBF[\r\n{\"text\": \"caf\xE9\"},\r\n{\"text\": \"b\"}\r\n]",
                             "x.json", InputFormat::kJson);
  ASSERT_EQ(records.size(), 2u);
  ASSERT_NE(AsPost(records[0]), nullptr);
  EXPECT_EQ(AsPost(records[0])->text, std::string("caf") + kReplacement);
  EXPECT_EQ(AsPost(records[0])->source_line, 2u);
  ASSERT_NE(AsPost(records[1]), nullptr);
  EXPECT_EQ(AsPost(records[1])->source_line, 3u);
}

// ----------------------------------------------------------------------------------------------
// JSON Lines

void ExpectBrokenMiddle(const std::vector<InputRecord>& records, const std::string& source) {
  ASSERT_EQ(records.size(), 7u);
  const Post* p1 = AsPost(records[0]);
  ASSERT_NE(p1, nullptr);
  EXPECT_EQ(p1->id, "p1");
  EXPECT_EQ(p1->source_line, 1u);
  EXPECT_FALSE(p1->text_is_verbatim);

  const ReadError* broken = AsError(records[1]);
  ASSERT_NE(broken, nullptr);
  EXPECT_EQ(broken->line, 2u);
  EXPECT_EQ(broken->id, "p2");
  EXPECT_EQ(broken->source, source);
  EXPECT_THAT(broken->message, HasSubstr("invalid JSON at column"));

  const Post* p3 = AsPost(records[2]);
  ASSERT_NE(p3, nullptr);
  EXPECT_EQ(p3->id, source + ":3");
  EXPECT_EQ(p3->source_line, 3u);
  EXPECT_THAT(p3->networks, ElementsAre("x", "linkedin"));

  const ReadError* no_text = AsError(records[3]);
  ASSERT_NE(no_text, nullptr);
  EXPECT_EQ(no_text->line, 4u);
  EXPECT_EQ(no_text->id, "4");
  EXPECT_EQ(no_text->message, "field 'text' is required");

  const ReadError* array = AsError(records[4]);  // line 5 is blank and skipped
  ASSERT_NE(array, nullptr);
  EXPECT_EQ(array->line, 6u);
  EXPECT_THAT(array->message, HasSubstr("must be a JSON object"));

  const ReadError* sponsored = AsError(records[5]);
  ASSERT_NE(sponsored, nullptr);
  EXPECT_EQ(sponsored->line, 7u);
  EXPECT_EQ(sponsored->id, "p6");
  EXPECT_THAT(sponsored->message, HasSubstr("field 'sponsored' must be a boolean"));

  const Post* p7 = AsPost(records[6]);
  ASSERT_NE(p7, nullptr);
  EXPECT_EQ(p7->id, "p7");
  EXPECT_EQ(p7->source_line, 8u);
}

TEST(JsonlReaderTest, BrokenLinesDoNotStopTheFile) {
  const std::string path = IoFixture("broken_middle.jsonl");
  ExpectBrokenMiddle(Read(path), path);
}

TEST(JsonlReaderTest, InMemoryParsingMatchesStreaming) {
  const std::string path = IoFixture("broken_middle.jsonl");
  std::ifstream in(path, std::ios::binary);
  const std::string content((std::istreambuf_iterator<char>(in)), {});
  ExpectBrokenMiddle(Parse(content, path), path);
  // Sniffed as JSONL when the name says nothing.
  ExpectBrokenMiddle(Parse(content, "<stdin>"), "<stdin>");
}

TEST(JsonlReaderTest, BomCrlfBlankLinesAndMissingFinalNewline) {
  const std::string path = IoFixture("crlf_bom.jsonl");
  for (const auto& records : {Read(path), Read(path, InputFormat::kJsonl)}) {
    ASSERT_EQ(records.size(), 3u);
    const Post* a = AsPost(records[0]);
    ASSERT_NE(a, nullptr) << AsError(records[0])->message;
    EXPECT_EQ(a->id, "a");
    EXPECT_EQ(a->text, "Alpha");
    const Post* b = AsPost(records[1]);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->id, path + ":4");
    EXPECT_EQ(b->source_line, 4u);
    EXPECT_EQ(b->text, std::string("Caf") + kReplacement);
    const Post* c = AsPost(records[2]);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->id, "c");
    EXPECT_EQ(c->text, "Last, no newline");
    EXPECT_EQ(c->source_line, 5u);
  }
}

TEST(JsonlReaderTest, ErrorColumnsAndRecoveredIds) {
  auto records = Parse("{\"id\": \"x1\", \"text\": tru}\n", "a.jsonl");
  ASSERT_NE(AsError(records[0]), nullptr);
  EXPECT_EQ(AsError(records[0])->id, "x1");
  // nlohmann stops at the '}' that ends the bad literal "tru": column 25, as it reports itself.
  EXPECT_THAT(AsError(records[0])->message, HasSubstr("invalid JSON at column 25: "));
  records = Parse("\xEF\xBB\xBF{\"text\": tru}\n", "a.jsonl");
  ASSERT_NE(AsError(records[0]), nullptr);
  EXPECT_THAT(AsError(records[0])->message,
              HasSubstr("invalid JSON at column 13: "));  // BOM not counted

  records = Parse("{\"text\": \"no id\",,}\n", "a.jsonl");
  ASSERT_NE(AsError(records[0]), nullptr);
  EXPECT_EQ(AsError(records[0])->id, "");

  records = Parse("{\"id\": 17, \"text\": }\n", "a.jsonl");
  ASSERT_NE(AsError(records[0]), nullptr);
  EXPECT_EQ(AsError(records[0])->id, "17");

  // Two objects on one line are one bad record, not two posts.
  records = Parse("{\"text\": \"a\"} {\"text\": \"b\"}\n", "a.jsonl");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_NE(AsError(records[0]), nullptr);
}

TEST(JsonlReaderTest, StreamsLongLinesAcrossBufferBoundaries) {
  TempDir dir;
  // Lines of varying sizes, some longer than the 1 MiB read chunk, so that line ends fall at
  // every kind of position relative to chunk boundaries.
  std::string content;
  std::vector<size_t> sizes;
  for (size_t i = 0; i < 400; ++i) {
    const size_t size = (i % 50 == 7) ? (size_t{1} << 20) + i * 13 : (i * 7919) % 20000;
    sizes.push_back(size);
    content +=
        "{\"id\": \"r" + std::to_string(i) + "\", \"text\": \"" + std::string(size, 'a') + "\"}\n";
  }
  const std::string path = dir.Write("big.jsonl", content);
  const auto streamed = Read(path);
  ASSERT_EQ(streamed.size(), sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i) {
    const Post* post = AsPost(streamed[i]);
    ASSERT_NE(post, nullptr) << i;
    EXPECT_EQ(post->id, "r" + std::to_string(i));
    EXPECT_EQ(post->text.size(), sizes[i]);
    EXPECT_EQ(post->source_line, i + 1);
  }
}

TEST(JsonlReaderTest, ManyLinesAreReadQuickly) {
  TempDir dir;
  std::string content;
  constexpr size_t kLines = 200000;
  for (size_t i = 0; i < kLines; ++i) {
    content +=
        "{\"text\": \"Post number " + std::to_string(i) + " from Acme\", \"network\": \"x\"}\n";
  }
  const std::string path = dir.Write("many.ndjson", content);
  size_t posts = 0;
  uint32_t last_line = 0;
  const auto start = std::chrono::steady_clock::now();
  ReadPosts(path, InputFormat::kAuto, [&](InputRecord&& r) {
    if (const Post* post = std::get_if<Post>(&r)) {
      ++posts;
      last_line = post->source_line;
    }
  });
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(posts, kLines);
  EXPECT_EQ(last_line, kLines);
  // Generous bound (sanitizer builds are slow); catches accidental quadratic behaviour.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 60);
}

// ----------------------------------------------------------------------------------------------
// ReadPosts

TEST(ReadPostsTest, MissingFileIsOneError) {
  const auto records = Read("/nonexistent/postlint/draft.md");
  ASSERT_EQ(records.size(), 1u);
  const ReadError* error = AsError(records[0]);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->source, "/nonexistent/postlint/draft.md");
  EXPECT_EQ(error->line, 0u);
  EXPECT_THAT(error->message, HasSubstr("cannot open"));
}

TEST(ReadPostsTest, DirectoryIsOneError) {
  TempDir dir;
  const auto records = Read(dir.path());
  ASSERT_EQ(records.size(), 1u);
  ASSERT_NE(AsError(records[0]), nullptr);
  EXPECT_THAT(AsError(records[0])->message, HasSubstr("directory"));
}

TEST(ReadPostsTest, ExplicitFormatOverridesExtension) {
  TempDir dir;
  const std::string path = dir.Write("posts.txt", "{\"text\": \"a\"}\n{\"text\": \"b\"}\n");
  EXPECT_EQ(Read(path).size(), 1u);  // one text post
  EXPECT_EQ(Read(path, InputFormat::kJsonl).size(), 2u);
  const std::string unknown = dir.Write("notes.log", "{\"text\": \"a\"}\n{\"text\": \"b\"}\n");
  EXPECT_EQ(Read(unknown).size(), 2u);  // sniffed
}

TEST(ReadPostsTest, StandardInputIsSniffed) {
  ASSERT_NE(std::freopen(IoFixture("stdin.jsonl").c_str(), "rb", stdin), nullptr);
  const auto records = Read("-");
  ASSERT_EQ(records.size(), 2u);
  const Post* post = AsPost(records[0]);
  ASSERT_NE(post, nullptr);
  EXPECT_EQ(post->id, "stdin-1");
  EXPECT_EQ(post->source, "<stdin>");
  EXPECT_EQ(post->source_line, 1u);
}

TEST(ReadPostsTest, StandardInputStreamsExplicitJsonl) {
  ASSERT_NE(std::freopen(IoFixture("stdin.jsonl").c_str(), "rb", stdin), nullptr);
  const auto records = Read("-", InputFormat::kJsonl);
  ASSERT_EQ(records.size(), 2u);
  ASSERT_NE(AsPost(records[1]), nullptr);
  EXPECT_EQ(AsPost(records[1])->source, "<stdin>");
  EXPECT_EQ(AsPost(records[1])->source_line, 2u);
}

// ----------------------------------------------------------------------------------------------
// ExpandInputPaths

TEST(ExpandInputPathsTest, ExpandsDirectoriesSortedAndSkipsHidden) {
  TempDir dir;
  dir.Write("drafts/b.md", "b");
  dir.Write("drafts/a.txt", "a");
  dir.Write("drafts/C.MARKDOWN", "c");
  dir.Write("drafts/posts.jsonl", "");
  dir.Write("drafts/posts.ndjson", "");
  dir.Write("drafts/export.json", "[]");
  dir.Write("drafts/image.png", "");
  dir.Write("drafts/README", "");
  dir.Write("drafts/.hidden.md", "");
  dir.Write("drafts/.git/HEAD.md", "");
  dir.Write("drafts/sub/z.md", "");
  dir.Write("drafts/sub/.secret/y.md", "");
  const std::string root = dir.path() + "/drafts";
  const std::string explicit_file = dir.Write("other/notes.log", "x");

  std::vector<std::string> missing;
  const auto paths =
      ExpandInputPaths({root, "-", explicit_file, dir.path() + "/nope.md"}, &missing);
  EXPECT_THAT(paths, ElementsAre(root + "/C.MARKDOWN", root + "/a.txt", root + "/b.md",
                                 root + "/export.json", root + "/posts.jsonl",
                                 root + "/posts.ndjson", root + "/sub/z.md", "-", explicit_file));
  EXPECT_THAT(missing, ElementsAre(dir.path() + "/nope.md"));
}

TEST(ExpandInputPathsTest, TrailingSlashAndHiddenRootAreFine) {
  TempDir dir;
  dir.Write(".drafts/a.md", "a");
  std::vector<std::string> missing;
  const auto paths = ExpandInputPaths({dir.path() + "/.drafts/"}, &missing);
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_EQ(std::filesystem::path(paths[0]).lexically_normal(),
            std::filesystem::path(dir.path() + "/.drafts/a.md"));
  EXPECT_THAT(missing, IsEmpty());
}

TEST(ExpandInputPathsTest, ShippedDemoDraftsAreValid) {
  std::vector<std::string> missing;
  const auto paths =
      ExpandInputPaths({std::string(POSTLINT_SOURCE_ROOT) + "/fixtures/drafts"}, &missing);
  EXPECT_GE(paths.size(), 6u);
  size_t posts = 0;
  for (const std::string& path : paths) {
    for (const InputRecord& record : Read(path)) {
      const ReadError* error = AsError(record);
      EXPECT_EQ(error, nullptr) << path << ":" << error->line << ": " << error->message;
      if (const Post* post = AsPost(record)) {
        ++posts;
        EXPECT_FALSE(post->networks.empty()) << post->id;
        EXPECT_FALSE(post->lang.empty()) << post->id;
      }
    }
  }
  EXPECT_GE(posts, 10u);
}

}  // namespace
}  // namespace postlint
