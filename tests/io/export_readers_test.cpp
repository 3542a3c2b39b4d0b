#include "io/export_readers.h"

#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "io/post_reader.h"
#include "support/reader_harness.h"

namespace postlint {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using testing::Parse;
using testing::Read;
using testing::Warnings;

std::string ExportFixture(const std::string& name) {
  return std::string(POSTLINT_SOURCE_ROOT) + "/fixtures/exports/" + name;
}

std::vector<Post> Posts(const std::vector<InputRecord>& records) {
  std::vector<Post> out;
  for (const auto& r : records) {
    if (const Post* p = std::get_if<Post>(&r))
      out.push_back(*p);
  }
  return out;
}

std::vector<ReadError> Errors(const std::vector<InputRecord>& records) {
  std::vector<ReadError> out;
  for (const auto& r : records) {
    if (const ReadError* e = std::get_if<ReadError>(&r))
      out.push_back(*e);
  }
  return out;
}

std::vector<std::string> AltTexts(const Post& p) {
  std::vector<std::string> out;
  for (const auto& m : p.media)
    out.push_back(m.alt_text);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers

TEST(ExportHelpers, LegacyTwitterDates) {
  EXPECT_EQ(ConvertLegacyTwitterDate("Wed Mar 04 10:00:00 +0000 2026"), "2026-03-04T10:00:00Z");
  EXPECT_EQ(ConvertLegacyTwitterDate("Thu Mar 05 23:30:00 -0500 2026"), "2026-03-06T04:30:00Z");
  EXPECT_EQ(ConvertLegacyTwitterDate("Wed Oct 10 20:19:24 +0000 2018"), "2018-10-10T20:19:24Z");
  EXPECT_EQ(ConvertLegacyTwitterDate("Sun Mar 08 25:00:00 +0000 2026"), std::nullopt);
  EXPECT_EQ(ConvertLegacyTwitterDate("2026-03-04"), std::nullopt);
}

TEST(ExportHelpers, IsoDatesNormalised) {
  EXPECT_EQ(NormalizeIsoDate("2026-03-04T10:00:00.000Z"), "2026-03-04T10:00:00Z");
  EXPECT_EQ(NormalizeIsoDate("2026-03-08T07:45:00+02:00"), "2026-03-08T05:45:00Z");
  EXPECT_EQ(NormalizeIsoDate("2026-03-01T00:30:00+0100"), "2026-02-28T23:30:00Z");
  EXPECT_EQ(NormalizeIsoDate("2026-03-02 09:30:00"), "2026-03-02T09:30:00Z");
  EXPECT_EQ(NormalizeIsoDate("2026-03-02 09:30"), "2026-03-02T09:30:00Z");
  EXPECT_EQ(NormalizeIsoDate("2026-03-02"), "2026-03-02T00:00:00Z");
  EXPECT_EQ(NormalizeIsoDate("2026-02-30T00:00:00Z"), std::nullopt);
  EXPECT_EQ(NormalizeIsoDate("soon"), std::nullopt);
  EXPECT_EQ(UnixToIso(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(UnixToIso(1772618400), "2026-03-04T10:00:00Z");
}

TEST(ExportHelpers, MojibakeRepair) {
  EXPECT_EQ(RepairLatin1Mojibake("Caf\xC3\x83\xC2\xA9"), "Caf\xC3\xA9");  // "CafÃ©" -> "Café"
  EXPECT_EQ(RepairLatin1Mojibake("Caf\xC3\xA9"), "Caf\xC3\xA9");  // real "é": not valid as bytes
  EXPECT_EQ(RepairLatin1Mojibake("plain"), "plain");
  EXPECT_EQ(RepairLatin1Mojibake("\xE2\x82\xAC 5"), "\xE2\x82\xAC 5");  // "€" > U+00FF: kept
}

TEST(ExportHelpers, HtmlToText) {
  EXPECT_EQ(HtmlToText("<p>One &amp; two</p><p>Three<br>four<br />five</p>"),
            "One & two\n\nThree\nfour\nfive");
  EXPECT_EQ(HtmlToText("<p><a href=\"https://ex.example/a-long-path?x=1\"><span "
                       "class=\"invisible\">https://</span><span class=\"ellipsis\">ex.example/"
                       "a-long</span><span class=\"invisible\">-path?x=1</span></a></p>"),
            "https://ex.example/a-long-path?x=1");
  EXPECT_EQ(HtmlToText("<p>Hi <a href=\"https://m.example/@bob\" class=\"u-url "
                       "mention\">@<span>bob</span></a> &#x1F600;&#39;</p>"),
            "Hi @bob \xF0\x9F\x98\x80'");
  EXPECT_EQ(HtmlToText("<p>See <a href=\"https://ex.example/c\">our catalogue</a></p>"),
            "See our catalogue (https://ex.example/c)");
}

TEST(ExportHelpers, ColumnMappingSpecs) {
  std::map<std::string, std::string> m;
  EXPECT_EQ(ParseColumnMappings({"text=Body", "created_at=When", "date_order=dmy"}, &m),
            std::nullopt);
  EXPECT_THAT(m,
              ElementsAre(Pair("date", "When"), Pair("date_order", "dmy"), Pair("text", "Body")));
  EXPECT_THAT(CheckColumnSpec("text"), HasSubstr("FIELD=COLUMN"));
  EXPECT_THAT(CheckColumnSpec("colour=Red"), HasSubstr("not a post field"));
  EXPECT_EQ(CheckColumnSpec("account=Page name"), "");
}

TEST(ExportHelpers, FormatNamesAndSniffing) {
  EXPECT_EQ(ParseInputFormat("csv"), InputFormat::kCsv);
  EXPECT_EQ(ParseInputFormat("x-archive"), InputFormat::kXArchive);
  EXPECT_EQ(ParseInputFormat("twitter-archive"), InputFormat::kXArchive);
  EXPECT_EQ(ParseInputFormat("mastodon"), InputFormat::kMastodon);
  EXPECT_EQ(ParseInputFormat("bluesky"), InputFormat::kBluesky);
  EXPECT_EQ(ParseInputFormat("facebook"), InputFormat::kFacebook);
  EXPECT_EQ(ParseInputFormat("instagram"), InputFormat::kInstagram);
  EXPECT_EQ(ParseInputFormat("LinkedIn"), InputFormat::kLinkedIn);
  for (const auto& name : InputFormatNames())
    EXPECT_TRUE(ParseInputFormat(name).has_value()) << name;
  EXPECT_EQ(FormatFromPath("Shares.csv"), InputFormat::kCsv);
  EXPECT_EQ(SniffFormat("window.YTD.tweets.part0 = []"), InputFormat::kXArchive);
  EXPECT_EQ(SniffFormat("\xEF\xBB\xBFid;Message;Date\n1;hi;2026-03-01\n"), InputFormat::kCsv);
  EXPECT_EQ(SniffFormat("Hello, world\nA second line, with commas\n"), InputFormat::kText);
  EXPECT_EQ(SniffFormat("{\"text\": \"hi\"}"), InputFormat::kJson);
}

// ---------------------------------------------------------------------------------------------
// CSV

TEST(ExportCsv, SchedulerExportMapped) {
  const auto records = Read(ExportFixture("scheduler.csv"));
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 4u);

  EXPECT_EQ(posts[0].text,
            "Spring sale: 20% off \"everything\"\nuntil Friday!\n"
            "https://acme.example/sale");
  EXPECT_EQ(posts[0].created_at, "2026-03-04T10:00:00Z");  // mm/dd by default
  EXPECT_THAT(posts[0].networks, ElementsAre("x"));
  EXPECT_EQ(posts[0].account, "@acme");
  EXPECT_EQ(posts[0].source_line, 2u);
  EXPECT_EQ(posts[0].id, ExportFixture("scheduler.csv") + ":2");

  EXPECT_EQ(posts[1].text, "Caf\xC3\xA9 opening \xE2\x80\x94 join us \xE2\x98\x95");
  EXPECT_EQ(posts[1].created_at, "2026-03-25T14:30:00Z");
  EXPECT_THAT(posts[1].networks, ElementsAre("bluesky", "mastodon"));
  EXPECT_EQ(posts[1].source_line, 4u);

  // A Latin-1 byte in a UTF-8 file becomes U+FFFD; the link column is appended.
  EXPECT_EQ(posts[2].text, "Caf\xEF\xBF\xBD menu (saved as Latin-1)\nhttps://acme.example/menu");
  EXPECT_THAT(posts[2].networks, ElementsAre("linkedin"));

  EXPECT_EQ(posts[3].text, "Our new \"Pro\" plan, now with teams");
  EXPECT_EQ(posts[3].account, "Acme Page");
  EXPECT_EQ(posts[3].source_line, 9u);

  const auto errors = Errors(records);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].line, 5u);
  EXPECT_THAT(errors[0].message, HasSubstr("record has 7 fields, the header has 6"));
  EXPECT_EQ(errors[1].line, 6u);
  EXPECT_THAT(errors[1].message, HasSubstr("cannot read 'someday 10:00' as a date"));
  EXPECT_EQ(errors[2].line, 10u);
  EXPECT_THAT(errors[2].message, HasSubstr("never closes"));
  EXPECT_EQ(errors[2].source, ExportFixture("scheduler.csv"));
}

TEST(ExportCsv, RecordsKeepInputOrder) {
  const auto records = Read(ExportFixture("scheduler.csv"));
  std::vector<uint32_t> lines;
  for (const auto& r : records) {
    if (const Post* p = std::get_if<Post>(&r))
      lines.push_back(p->source_line);
    else
      lines.push_back(std::get<ReadError>(r).line);
  }
  EXPECT_THAT(lines, ElementsAre(2u, 4u, 5u, 6u, 7u, 9u, 10u));
}

TEST(ExportCsv, ColumnMappingOption) {
  const std::string csv =
      "Headline;Body;When;Page\nignored;Hello from Riga;04.03.2026 09:00;Acme LV\n";
  ReadOptions options;
  options.csv_columns = {{"text", "Body"}, {"date", "When"}, {"date_order", "dmy"}};
  const auto records = Parse(csv, "sheet.csv", options);
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 1u) << (Errors(records).empty() ? "" : Errors(records)[0].message);
  EXPECT_EQ(posts[0].text, "Hello from Riga");
  EXPECT_EQ(posts[0].created_at, "2026-03-04T09:00:00Z");  // dd.mm.yyyy with date_order=dmy
  EXPECT_EQ(posts[0].account, "Acme LV");                  // "Page" is an alias of account
}

TEST(ExportCsv, MissingTextColumnIsOneError) {
  const auto records = Parse("a,b\n1,2\n", "x.csv", InputFormat::kCsv);
  ASSERT_EQ(records.size(), 1u);
  const auto errors = Errors(records);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 1u);
  EXPECT_THAT(errors[0].message, HasSubstr("--column text="));
}

TEST(ExportCsv, UnknownMappedColumnIsReported) {
  ReadOptions options;
  options.format = InputFormat::kCsv;
  options.csv_columns = {{"text", "Nope"}};
  const auto records = Parse("text,date\nhi,2026-03-01\n", "x.csv", options);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(Errors(records)[0].message, HasSubstr("no such column"));
}

// The day/month order of a file is decided once, from its first date that reads one way only,
// so one file never mixes readings (issue 12).
TEST(ExportCsvDates, ALaterDayAfterThe12thSettlesTheWholeFileDayFirst) {
  const auto records =
      Parse("text,date\nfirst,04/03/2026\nsecond,25/03/2026\nthird,05/03/2026\n", "s.csv");
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0].created_at, "2026-03-04T00:00:00Z");  // read like the 25/03 row
  EXPECT_EQ(posts[1].created_at, "2026-03-25T00:00:00Z");
  EXPECT_EQ(posts[2].created_at, "2026-03-05T00:00:00Z");
  EXPECT_TRUE(Warnings(records).empty());
}

TEST(ExportCsvDates, AMonthFirstDateSettlesTheFileMonthFirst) {
  const auto posts =
      Posts(Parse("text,date\nfirst,04/03/2026 10:00\nsecond,03/25/2026 10:00\n", "s.csv"));
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].created_at, "2026-04-03T10:00:00Z");
  EXPECT_EQ(posts[1].created_at, "2026-03-25T10:00:00Z");
}

TEST(ExportCsvDates, AFileThatNeverSettlesIsReadMonthFirstWithOneWarning) {
  const auto records = Parse("text,date\na,04/03/2026\nb,01/02/2026\n", "s.csv");
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].created_at, "2026-04-03T00:00:00Z");
  const auto warnings = Warnings(records);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].line, 2u);
  EXPECT_THAT(warnings[0].message, HasSubstr("04/03/2026"));
  EXPECT_THAT(warnings[0].message, HasSubstr("--date-order"));
}

TEST(ExportCsvDates, DateOrderOptionDecidesWithoutAWarning) {
  ReadOptions options;
  options.date_order = DateOrder::kDayFirst;
  const auto records = Parse("text,date\na,04/03/2026\n", "s.csv", options);
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].created_at, "2026-03-04T00:00:00Z");
  EXPECT_TRUE(Warnings(records).empty());
}

TEST(ExportCsvDates, ADateThatContradictsTheFilesOrderIsAnErrorThatSaysWhy) {
  const auto records = Parse("text,date\na,25/03/2026\nb,03/26/2026\nc,04/03/2026\n", "s.csv");
  const auto errors = Errors(records);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 3u);
  EXPECT_THAT(errors[0].message, HasSubstr("day first"));
  EXPECT_THAT(errors[0].message, HasSubstr("line 2"));
  EXPECT_EQ(Posts(records).size(), 2u);
}

TEST(ExportCsvDates, IsoDatesNeedNoDecision) {
  const auto records = Parse("text,date\na,2026-03-04 10:00\n", "s.csv");
  ASSERT_EQ(Posts(records).size(), 1u);
  EXPECT_TRUE(Warnings(records).empty());
}

TEST(ExportCsvDates, AFileOnDiskIsDecidedAsAWholeToo) {
  const std::string path = ::testing::TempDir() + "postlint-dates.csv";
  std::ofstream(path) << "text,date\nfirst,04/03/2026\nsecond,13/03/2026\n";
  const auto posts = Posts(Read(path));
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].created_at, "2026-03-04T00:00:00Z");
  std::remove(path.c_str());
}

TEST(ExportCsv, SponsoredColumnReadsLikeTheJsonField) {
  const auto records = Parse("text,sponsored\na,Yes\nb,false\nc,maybe\n", "s.csv");
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].sponsored, true);
  EXPECT_EQ(posts[1].sponsored, false);
  const auto errors = Errors(records);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 4u);
  EXPECT_THAT(errors[0].message, HasSubstr("'maybe'"));
}

TEST(ExportCsv, StandardInputWithExplicitFormatIsStreamed) {
  // ParsePosts on content with kCsv goes through the same reader as files.
  const auto records = Parse("\"message\",\"platform\"\r\n\"a \"\"b\"\"\",twitter\r\n", "<stdin>",
                             InputFormat::kCsv);
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].text, "a \"b\"");
  EXPECT_THAT(posts[0].networks, ElementsAre("x"));
}

// ---------------------------------------------------------------------------------------------
// LinkedIn

TEST(ExportLinkedIn, SharesCsvQuirksUndone) {
  const auto records = Read(ExportFixture("linkedin/Shares.csv"));
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0].text, "We are hiring!\nJoin our \"Growth\" team.\nhttps://acme.example/jobs");
  EXPECT_EQ(posts[0].created_at, "2026-03-02T09:30:00Z");
  EXPECT_EQ(posts[0].id, "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7301");
  EXPECT_THAT(posts[0].networks, ElementsAre("linkedin"));
  EXPECT_THAT(posts[0].labels, ElementsAre(Pair("visibility", "MEMBER_NETWORK")));
  EXPECT_TRUE(posts[0].media.empty());

  EXPECT_EQ(posts[1].text,
            "Proud of the team \xF0\x9F\x8E\x89 \xE2\x80\x94 r\xC3\xA9sum\xC3\xA9s welcome");
  EXPECT_EQ(posts[1].media.size(), 1u);
  EXPECT_EQ(posts[2].text, "Link only post\nhttps://acme.example/blog/q1");

  const auto errors = Errors(records);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 5u);
  EXPECT_EQ(errors[0].id, "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7303");
}

TEST(ExportLinkedIn, ExplicitFormatOnRenamedFile) {
  const auto records = Parse(
      "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
      "2026-03-02 09:30:00,https://li.example/1,\"\"\"Hi\"\"\",,,\n",
      "renamed.txt", InputFormat::kLinkedIn);
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].text, "Hi");
}

// ---------------------------------------------------------------------------------------------
// X / Twitter archive

void ExpectXArchive(const std::vector<InputRecord>& records, const std::string& tweets_source,
                    const std::string& part1_source) {
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 4u);
  EXPECT_EQ(posts[0].text,
            "Spring sale: 20% off & free shipping > $50 "
            "https://acme.example/sale?utm_source=x&utm_medium=social #deals");
  EXPECT_EQ(posts[0].id, "1765000000000000001");
  EXPECT_EQ(posts[0].created_at, "2026-03-04T10:00:00Z");
  EXPECT_THAT(posts[0].networks, ElementsAre("x"));
  EXPECT_EQ(posts[0].account, "@acme");
  EXPECT_EQ(posts[0].author, "Acme \xC3\xA9quipe");
  EXPECT_EQ(posts[0].lang, "en");
  EXPECT_EQ(posts[0].source, tweets_source);

  // The media t.co link X appended is dropped; the alt text is kept; -0500 converted to UTC.
  EXPECT_EQ(posts[1].text,
            "Caf\xC3\xA9 night \xE2\x98\x95\xEF\xB8\x8F with the team \xF0\x9F\x8E\x89");
  EXPECT_EQ(posts[1].created_at, "2026-03-06T04:30:00Z");
  EXPECT_THAT(AltTexts(posts[1]), ElementsAre("Team photo at the caf\xC3\xA9"));

  EXPECT_EQ(posts[2].text,
            "@bob thanks, see https://acme.example/docs and https://status.acme.example/");
  EXPECT_THAT(posts[2].labels, ElementsAre(Pair("in_reply_to", "@bob")));

  EXPECT_EQ(posts[3].id, "1765000000000000006");
  EXPECT_EQ(posts[3].created_at, "2026-03-09T08:15:00Z");
  EXPECT_EQ(posts[3].lang, "pt");
  EXPECT_EQ(posts[3].source, part1_source);

  const auto errors = Errors(records);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].source, tweets_source);
  EXPECT_THAT(errors[0].message,
              HasSubstr("record 3: tweet 1765000000000000003: field 'full_text'"));
  EXPECT_GT(errors[0].line, 1u);
  EXPECT_EQ(errors[1].source, part1_source);
  EXPECT_THAT(errors[1].message, HasSubstr("record 1: "));
  EXPECT_THAT(errors[1].message, HasSubstr("'created_at' is not a date"));
  EXPECT_EQ(errors[1].line, 2u);
}

TEST(ExportXArchive, UnpackedFolder) {
  const std::string dir = ExportFixture("x-archive");
  ExpectXArchive(Read(dir), dir + "/data/tweets.js", dir + "/data/tweets-part1.js");
}

TEST(ExportXArchive, ZipFile) {
  const std::string zip = ExportFixture("twitter-2026-03-31-acme.zip");
  ExpectXArchive(Read(zip), zip + "!data/tweets.js", zip + "!data/tweets-part1.js");
}

TEST(ExportXArchive, SingleTweetsFileFindsItsAccount) {
  const auto posts = Posts(Read(ExportFixture("x-archive/data/tweets.js")));
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0].account, "@acme");
}

TEST(ExportXArchive, ErrorLineOfBrokenTweetIsItsElement) {
  const auto errors = Errors(Read(ExportFixture("x-archive/data/tweets.js")));
  ASSERT_EQ(errors.size(), 1u);
  // Line of the third element's "{" in the pretty-printed file.
  std::ifstream in(ExportFixture("x-archive/data/tweets.js"));
  std::string line;
  uint32_t n = 0;
  uint32_t third = 0;
  int seen = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line == "  {" && ++seen == 3)
      third = n;
  }
  EXPECT_EQ(errors[0].line, third);
}

TEST(ExportXArchive, DirectoryWalkKeepsArchiveFolderWhole) {
  std::vector<std::string> missing;
  const auto paths =
      ExpandInputPaths({ExportFixture("x-archive"), ExportFixture("mastodon-archive")}, &missing);
  EXPECT_THAT(paths, ElementsAre(ExportFixture("x-archive"), ExportFixture("mastodon-archive")));
  EXPECT_THAT(missing, IsEmpty());
  const auto walked = ExpandInputPaths({ExportFixture("")}, &missing);
  EXPECT_THAT(walked, ::testing::Contains(ExportFixture("x-archive")));
  EXPECT_THAT(walked, ::testing::Contains(ExportFixture("twitter-2026-03-31-acme.zip")));
  EXPECT_THAT(walked, ::testing::Contains(ExportFixture("scheduler.csv")));
  for (const auto& p : walked)
    EXPECT_THAT(p, ::testing::Not(HasSubstr("x-archive/data"))) << p;
}

// ---------------------------------------------------------------------------------------------
// Mastodon

void ExpectMastodon(const std::vector<InputRecord>& records, const std::string& source) {
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 3u);  // the boost is skipped, the broken note reported
  EXPECT_EQ(posts[0].text,
            "Spring sale & more: https://acme.example/spring-sale-2026?ref=mastodon\n\n"
            "Thanks @bob!\nSee you #caf\xC3\xA9");
  EXPECT_EQ(posts[0].id, "https://mastodon.example/users/acme/statuses/112000000000000001");
  EXPECT_EQ(posts[0].created_at, "2026-03-04T10:00:00Z");
  EXPECT_THAT(posts[0].networks, ElementsAre("mastodon"));
  EXPECT_EQ(posts[0].account, "@acme@mastodon.example");
  EXPECT_EQ(posts[0].author, "Acme \xC3\x89quipe");
  EXPECT_EQ(posts[0].lang, "en");
  EXPECT_EQ(posts[0].labels.at("visibility"), "public");
  EXPECT_EQ(posts[0].source, source);

  EXPECT_EQ(posts[1].text,
            "TV spoilers\n\nSpoilers for the finale \xE2\x80\x94 don't read if you haven't watched "
            "\xF0\x9F\x91\x80");
  EXPECT_EQ(posts[1].labels.at("content_warning"), "TV spoilers");
  EXPECT_EQ(posts[1].labels.at("sensitive"), "true");
  EXPECT_THAT(AltTexts(posts[1]),
              ElementsAre("Screenshot of the final scene, two people on a beach", ""));

  EXPECT_EQ(posts[2].text,
            "Followers only: new spring catalogue (https://acme.example/catalog) is out");
  EXPECT_EQ(posts[2].created_at, "2026-03-08T05:45:00Z");
  EXPECT_EQ(posts[2].labels.at("visibility"), "private");

  const auto errors = Errors(records);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].message, HasSubstr("orderedItems[3]: note "));
  EXPECT_THAT(errors[0].message, HasSubstr("'content' is missing"));
  EXPECT_GT(errors[0].line, 1u);
  EXPECT_EQ(errors[0].source, source);
}

TEST(ExportMastodon, UnpackedFolder) {
  const std::string dir = ExportFixture("mastodon-archive");
  ExpectMastodon(Read(dir), dir + "/outbox.json");
}

TEST(ExportMastodon, TarGz) {
  const std::string archive =
      ExportFixture("archive-20260331120000-0123456789abcdef0123456789abcdef.tar.gz");
  ExpectMastodon(Read(archive), archive + "!outbox.json");
}

TEST(ExportMastodon, OutboxFileAloneIsDetectedByContent) {
  const auto records = Read(ExportFixture("mastodon-archive/outbox.json"));
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0].account, "@acme@mastodon.example");  // from attributedTo
  EXPECT_EQ(posts[0].author, "");
  EXPECT_EQ(Errors(records).size(), 1u);
}

// ---------------------------------------------------------------------------------------------
// Bluesky

TEST(ExportBluesky, JsonlRecords) {
  const std::string path = ExportFixture("bluesky/posts.jsonl");
  const auto records = Read(path);
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0].text,
            "Caf\xC3\xA9 \xE2\x98\x95 opening \xE2\x80\x94 details: "
            "https://acme.example/cafe-opening-2026?utm_source=bsky");
  EXPECT_EQ(posts[0].created_at, "2026-03-04T10:00:00Z");
  EXPECT_THAT(posts[0].networks, ElementsAre("bluesky"));
  EXPECT_EQ(posts[0].lang, "en");
  EXPECT_THAT(AltTexts(posts[0]), ElementsAre("Barista pouring latte art"));
  EXPECT_EQ(posts[0].id, path + ":1");

  // A link on words keeps the words and shows the target.
  EXPECT_EQ(
      posts[1].text,
      "Read our report \xF0\x9F\x93\x88 here (https://acme.example/report-2025.pdf) and the FAQ");
  EXPECT_EQ(posts[1].created_at, "2026-03-05T08:00:00Z");
  EXPECT_EQ(posts[1].labels.at("content_warning"), "graphic-media");

  EXPECT_EQ(posts[2].text, "Reply with a video");
  EXPECT_EQ(posts[2].source_line, 6u);
  EXPECT_THAT(AltTexts(posts[2]), ElementsAre("Demo of the app"));
  EXPECT_EQ(posts[2].labels.at("reply"), "true");

  const auto errors = Errors(records);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].line, 3u);
  EXPECT_THAT(errors[0].message, HasSubstr("invalid JSON"));
  EXPECT_EQ(errors[1].line, 4u);
  EXPECT_THAT(errors[1].message, HasSubstr("'text'"));
}

TEST(ExportBluesky, ExplicitFormatStreamsJsonl) {
  const auto records = Read(ExportFixture("bluesky/posts.jsonl"), InputFormat::kBluesky);
  EXPECT_EQ(Posts(records).size(), 3u);
  EXPECT_EQ(Errors(records).size(), 2u);
}

TEST(ExportBluesky, SingleRecordAndListRecords) {
  const auto single = Posts(Read(ExportFixture("bluesky/record.json")));
  ASSERT_EQ(single.size(), 1u);
  EXPECT_THAT(single[0].text, HasSubstr("https://acme.example/cafe-opening-2026?utm_source=bsky"));
  EXPECT_EQ(single[0].id, ExportFixture("bluesky/record.json"));

  const auto records = Read(ExportFixture("bluesky/listRecords.json"));
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].id, "at://did:plc:acme/app.bsky.feed.post/3lbq2a");
  EXPECT_EQ(posts[1].id, "at://did:plc:acme/app.bsky.feed.post/3lbq2c");
  const auto errors = Errors(records);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].message, HasSubstr("records[1]: not an app.bsky.feed.post"));
}

TEST(ExportBluesky, FeedViewWrapperGivesHandle) {
  const nlohmann::json item = {
      {"post",
       {{"uri", "at://did:plc:x/app.bsky.feed.post/1"},
        {"author", {{"handle", "acme.bsky.social"}, {"displayName", "Acme"}}},
        {"record",
         {{"$type", "app.bsky.feed.post"},
          {"text", "hi"},
          {"createdAt", "2026-03-01T00:00:00Z"}}}}}};
  ASSERT_TRUE(IsBlueskyRecord(item));
  auto result = PostFromBlueskyRecord(item, "d");
  ASSERT_TRUE(std::holds_alternative<Post>(result));
  const Post& p = std::get<Post>(result);
  EXPECT_EQ(p.account, "@acme.bsky.social");
  EXPECT_EQ(p.author, "Acme");
  EXPECT_EQ(p.id, "at://did:plc:x/app.bsky.feed.post/1");
}

TEST(ExportBluesky, BadFacetRangesAreIgnored) {
  const nlohmann::json record = {
      {"$type", "app.bsky.feed.post"},
      {"text", "caf\xC3\xA9 link"},
      {"facets",
       {{{"index", {{"byteStart", 4}, {"byteEnd", 99}}},
         {"features", {{{"$type", "app.bsky.richtext.facet#link"}, {"uri", "https://x.example"}}}}},
        {{"index", {{"byteStart", 4}, {"byteEnd", 6}}},  // splits "é"
         {"features",
          {{{"$type", "app.bsky.richtext.facet#link"}, {"uri", "https://y.example"}}}}}}}};
  auto result = PostFromBlueskyRecord(record, "d");
  ASSERT_TRUE(std::holds_alternative<Post>(result));
  EXPECT_EQ(std::get<Post>(result).text, "caf\xC3\xA9 link");
}

// ---------------------------------------------------------------------------------------------
// Facebook / Instagram

TEST(ExportFacebook, PostsWithMojibakeRepaired) {
  const std::string path = ExportFixture("facebook/posts/your_posts_1.json");
  const auto records = Read(path);
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 3u);  // the profile update without words or media is skipped
  EXPECT_EQ(posts[0].text,
            "Caf\xC3\xA9 opening tonight \xE2\x80\x94 everyone welcome! \xF0\x9F\x8E\x89");
  EXPECT_EQ(posts[0].created_at, "2026-03-04T10:00:00Z");
  EXPECT_THAT(posts[0].networks, ElementsAre("facebook"));
  EXPECT_EQ(posts[0].labels.at("title"), "Acme \xC3\x89quipe updated their status.");
  EXPECT_EQ(posts[0].id, path + "#1");
  EXPECT_EQ(posts[0].source_line, 2u);

  EXPECT_EQ(posts[1].text, "Read our spring news\nhttps://acme.example/blog/spring");
  EXPECT_EQ(posts[2].text, "");
  EXPECT_EQ(posts[2].media.size(), 1u);
  EXPECT_EQ(posts[2].created_at, "2026-03-06T10:00:00Z");

  const auto errors = Errors(records);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].message, HasSubstr("record 3: field 'timestamp'"));
  EXPECT_GT(errors[0].line, 2u);
}

TEST(ExportFacebook, ExplicitFormat) {
  const auto records =
      Parse("[{\"timestamp\": 0, \"data\": [{\"post\": \"Z\\u00c3\\u00bcrich\"}]}]", "fb.json",
            InputFormat::kFacebook);
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].text, "Z\xC3\xBCrich");
  EXPECT_EQ(posts[0].created_at, "1970-01-01T00:00:00Z");
}

TEST(ExportInstagram, PostsWithMojibakeRepaired) {
  const auto records = Read(ExportFixture("instagram/content/posts_1.json"));
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0].text, "Latte art at the caf\xC3\xA9 \xE2\x98\x95 #coffee");
  EXPECT_EQ(posts[0].created_at, "2026-03-04T10:00:00Z");
  EXPECT_THAT(posts[0].networks, ElementsAre("instagram"));
  EXPECT_EQ(posts[0].media.size(), 1u);
  EXPECT_EQ(posts[1].text, "Two views of Z\xC3\xBCrich \xF0\x9F\x8F\x94\xEF\xB8\x8F");
  EXPECT_EQ(posts[1].media.size(), 2u);
  EXPECT_EQ(posts[2].text, "Plain ASCII caption");
  const auto errors = Errors(records);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].message, HasSubstr("record 3: field 'creation_timestamp'"));
}

// Postlint's own JSON is not mistaken for an export.
TEST(ExportDetection, OwnPostObjectsUnchanged) {
  const auto posts = Posts(Parse("[{\"text\": \"hi\", \"network\": \"x\"}]", "own.json"));
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].text, "hi");
  EXPECT_EQ(posts[0].id, "own.json#1");
}

TEST(ExportDetection, UnknownArchiveIsOneError) {
  const auto records = Read(ExportFixture("does-not-exist.zip"));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(Errors(records)[0].message, HasSubstr("cannot open archive"));
}

// nlohmann throws out_of_range, not parse_error, for a number too large for a double; it used
// to end the process (found by fuzz/fuzz_readers.cpp).
TEST(ExportJson, ANumberTooLargeForADoubleIsOneErrorWithItsLine) {
  for (InputFormat format : {InputFormat::kXArchive, InputFormat::kMastodon, InputFormat::kBluesky,
                             InputFormat::kFacebook, InputFormat::kInstagram}) {
    const auto records = Parse("\n[{\"timestamp\": 1e400}]", "big.json", format);
    ASSERT_EQ(records.size(), 1u);
    const auto errors = Errors(records);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 2u);
    EXPECT_EQ(errors[0].message, "invalid JSON: number overflow parsing '1e400'");
  }
  const auto records = Parse(
      "{\"$type\": \"app.bsky.feed.post\", \"text\": \"kept\"}\n"
      "{\"$type\": \"app.bsky.feed.post\", \"text\": \"big\", \"n\": 1e400}\n",
      "posts.jsonl", InputFormat::kBluesky);
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].text, "kept");
  const auto errors = Errors(records);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 2u);
  EXPECT_EQ(errors[0].message, "invalid JSON: number overflow parsing '1e400'");
}

}  // namespace
}  // namespace postlint
