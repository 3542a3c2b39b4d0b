// Issue 15: hostile readers. Archives are streamed, never held, and refused with a message
// naming the file and the limit when they expand too far (zip bombs), hold too many entries or
// export files, or carry links and paths that leave the archive; devices, oversized files and
// JSON nested too deep are refused before they are read. Archives are written here with
// libarchive, the library that reads them.
#include <archive.h>
#include <archive_entry.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <variant>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "io/archive_stream.h"
#include "io/input_limits.h"
#include "io/line_reader.h"
#include "io/post_reader.h"
#include "support/reader_harness.h"

namespace postlint {
// Named, not anonymous: unity builds put several test files in one translation unit.
namespace archive_limits_test {

namespace fs = std::filesystem;
using io_internal::ArchiveBudget;
using io_internal::ArchiveEntry;
using io_internal::ArchivePass;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Parse;
using testing::Read;
using testing::Warnings;

class Dir {
 public:
  Dir() {
    std::string pattern = (fs::temp_directory_path() / "postlint-archive-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~Dir() { fs::remove_all(path_); }
  Dir(const Dir&) = delete;
  Dir& operator=(const Dir&) = delete;
  std::string operator/(const std::string& name) const { return (fs::path(path_) / name).string(); }

 private:
  std::string path_;
};

// One entry of an archive to write: `head`, then `repeat` copies of `data`; or a link.
struct Entry {
  Entry(std::string entry_name, std::string entry_data, size_t copies = 1)
      : name(std::move(entry_name)), data(std::move(entry_data)), repeat(copies) {}
  static Entry Symlink(std::string name, std::string target) {
    Entry e(std::move(name), "");
    e.type = AE_IFLNK;
    e.link = std::move(target);
    return e;
  }
  static Entry Hardlink(std::string name, std::string target) {
    Entry e(std::move(name), "");
    e.type = 0;
    e.link = std::move(target);
    return e;
  }

  std::string name;
  std::string data;
  size_t repeat = 1;
  mode_t type = AE_IFREG;
  std::string link;  // symlink target, or hard link target for type 0
  std::string head;
};

void WriteArchive(const std::string& path, const std::vector<Entry>& entries, bool zip = true) {
  struct archive* a = archive_write_new();
  if (zip) {
    archive_write_set_format_zip(a);
  } else {
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_gzip(a);
  }
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  for (const Entry& e : entries) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    archive_entry_set_perm(entry, 0644);
    if (e.type == 0) {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_hardlink(entry, e.link.c_str());
      archive_entry_set_size(entry, 0);
    } else if (e.type == AE_IFLNK) {
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_symlink(entry, e.link.c_str());
      archive_entry_set_size(entry, 0);
    } else {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_size(entry,
                             static_cast<la_int64_t>(e.head.size() + e.data.size() * e.repeat));
    }
    ASSERT_EQ(archive_write_header(a, entry), ARCHIVE_OK) << archive_error_string(a);
    if (e.type == AE_IFREG) {
      archive_write_data(a, e.head.data(), e.head.size());
      for (size_t i = 0; i < e.repeat; ++i)
        archive_write_data(a, e.data.data(), e.data.size());
    }
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

std::vector<ReadError> Errors(const std::vector<InputRecord>& records) {
  std::vector<ReadError> out;
  for (const auto& r : records) {
    if (const auto* e = std::get_if<ReadError>(&r))
      out.push_back(*e);
  }
  return out;
}

size_t Posts(const std::vector<InputRecord>& records) {
  size_t n = 0;
  for (const auto& r : records)
    n += std::holds_alternative<Post>(r) ? 1 : 0;
  return n;
}

std::string AllErrors(const std::vector<InputRecord>& records) {
  std::string out;
  for (const auto& e : Errors(records))
    out += e.source + ": " + e.message + "\n";
  return out;
}

const std::string kTweets =
    "window.YTD.tweets.part0 = [{\"tweet\": {\"id_str\": \"1\", \"full_text\": \"Hello\", "
    "\"created_at\": \"Wed Mar 04 10:00:00 +0000 2026\"}}]\n";

TEST(ArchiveLimits, JsonMemberOverTheHeldLimitIsRefusedWithoutReadingIt) {
  Dir dir;
  const std::string zip = dir / "x.zip";
  // 17 MiB of spaces after the payload: valid JSON, but more than a member may hold.
  WriteArchive(
      zip, {{"data/tweets.js", kTweets}, {"data/tweets-part1.js", std::string(1 << 20, ' '), 17}});
  const auto records = Read(zip);
  const auto errors = Errors(records);
  ASSERT_EQ(errors.size(), 1u) << AllErrors(records);
  EXPECT_EQ(errors[0].source, zip + "!data/tweets-part1.js");
  EXPECT_THAT(errors[0].message, HasSubstr("larger than 16 MiB"));
  EXPECT_THAT(errors[0].message, HasSubstr("unpack the archive"));
  EXPECT_EQ(Posts(records), 1u) << "the other member is still read";
}

TEST(ArchiveLimits, MemberIsCutOffByWhatItHoldsNotWhatItDeclares) {
  Dir dir;
  const std::string zip = dir / "x.zip";
  WriteArchive(zip, {{"a.txt", std::string(1 << 16, 'a'), 8}});
  ArchiveBudget budget;
  ArchivePass pass(zip, budget);
  ASSERT_TRUE(pass.ok()) << pass.error();
  ArchiveEntry entry;
  ASSERT_TRUE(pass.Next(&entry));
  pass.BeginMember(100000);  // as if it had declared less
  std::string_view chunk;
  uint64_t got = 0;
  while (pass.ReadChunk(&chunk))
    got += chunk.size();
  EXPECT_TRUE(pass.member_too_large());
  EXPECT_LE(got, 100000u);
  EXPECT_FALSE(pass.Next(&entry)) << "the rest of the member is skipped, and the archive ends";
  EXPECT_TRUE(budget.refusal.empty());
}

TEST(ArchiveLimits, CsvBombIsStoppedByTheCompressionRatio) {
  Dir dir;
  const std::string zip = dir / "shares.zip";
  // Rows of spaces (blank rows, skipped) after the header: 80 MiB that deflate to 80 KiB.
  const std::string blank = std::string(1023, ' ') + "\n";
  Entry shares{"Shares.csv", blank, (80u << 20) / blank.size()};
  shares.head = "Date,ShareLink,ShareCommentary\n";
  WriteArchive(zip, {shares});
  const auto records = Read(zip);
  const std::string errors = AllErrors(records);
  EXPECT_THAT(errors, HasSubstr("100 times the size read from it"));
  EXPECT_THAT(errors, HasSubstr("a zip bomb?"));
  EXPECT_THAT(errors, HasSubstr(zip)) << "the error names the archive";
}

TEST(ArchiveLimits, BombInAnEntryNobodyReadsStopsATarGzToo) {
  Dir dir;
  const std::string tgz = dir / "archive.tar.gz";
  WriteArchive(tgz,
               {{"media/huge.bin", std::string(1 << 20, '\0'), 80},
                {"outbox.json", R"({"type": "OrderedCollection", "orderedItems": []})"}},
               /*zip=*/false);
  const auto records = Read(tgz);
  ASSERT_EQ(Errors(records).size(), 1u) << AllErrors(records);
  EXPECT_EQ(Errors(records)[0].source, tgz);
  EXPECT_THAT(Errors(records)[0].message, HasSubstr("archive refused"));
  EXPECT_THAT(Errors(records)[0].message, HasSubstr("100 times"));
}

TEST(ArchiveLimits, TooManyExportFilesRefuseTheArchive) {
  Dir dir;
  const std::string zip = dir / "x.zip";
  std::vector<Entry> entries;
  for (size_t i = 1; i <= io_internal::kMaxExportMembers + 1; ++i)
    entries.push_back({"data/tweets-part" + std::to_string(i) + ".js", kTweets});
  WriteArchive(zip, entries);
  const auto records = Read(zip);
  ASSERT_EQ(Errors(records).size(), 1u) << AllErrors(records);
  EXPECT_THAT(Errors(records)[0].message, HasSubstr("more than 256 export files"));
  EXPECT_EQ(Posts(records), 0u);
}

TEST(ArchiveLimits, LinksAbsolutePathsAndDotDotAreIgnoredWithAWarning) {
  Dir dir;
  const std::string tgz = dir / "x.tar.gz";
  WriteArchive(tgz,
               {{"data/tweets.js", kTweets},
                Entry::Symlink("data/tweets-part1.js", "/etc/passwd"),
                Entry::Hardlink("data/tweets-part2.js", "data/tweets.js"),
                {"/data/tweets-part3.js", kTweets},
                {"../data/tweets-part4.js", kTweets},
                {"data/../../data/tweets-part5.js", kTweets}},
               /*zip=*/false);
  const auto records = Read(tgz);
  EXPECT_TRUE(Errors(records).empty()) << AllErrors(records);
  EXPECT_EQ(Posts(records), 1u) << "only data/tweets.js is read";
  const auto warnings = Warnings(records);
  ASSERT_EQ(warnings.size(), 5u);
  EXPECT_THAT(warnings[0].message, HasSubstr("'data/tweets-part1.js': a symbolic link"));
  EXPECT_THAT(warnings[1].message, HasSubstr("'data/tweets-part2.js': a hard link"));
  EXPECT_THAT(warnings[2].message, HasSubstr("'/data/tweets-part3.js': an absolute path"));
  EXPECT_THAT(warnings[3].message, HasSubstr("'../data/tweets-part4.js': a path with '..'"));
  EXPECT_THAT(warnings[4].message, HasSubstr("a path with '..'"));
  for (const auto& w : warnings)
    EXPECT_EQ(w.source, tgz);
}

TEST(ArchiveLimits, MembersOutOfArchiveOrderAreReadInReportOrder) {
  Dir dir;
  const std::string zip = dir / "x.zip";
  auto part = [](const std::string& id) {
    return "window.YTD.tweets.part0 = [{\"tweet\": {\"id_str\": \"" + id +
           "\", \"full_text\": \"Post " + id + "\"}}]";
  };
  WriteArchive(zip, {{"data/tweets-part2.js", part("3")},
                     {"data/tweets-part1.js", part("2")},
                     {"data/tweets.js", part("1")},
                     {"data/account.js",
                      R"(window.YTD.account.part0 = [{"account": {"username": "acme"}}])"}});
  const auto records = Read(zip);
  std::vector<std::string> ids;
  for (const auto& r : records) {
    if (const auto* post = std::get_if<Post>(&r)) {
      ids.push_back(post->id);
      EXPECT_EQ(post->account, "@acme") << "account.js comes last but applies to every part";
    }
  }
  EXPECT_THAT(ids, ::testing::ElementsAre("1", "2", "3")) << AllErrors(records);
}

TEST(InputLimits, DevicesAreRefusedBeforeReading) {
  const auto records = Read("/dev/zero");
  ASSERT_EQ(records.size(), 1u);
  const auto* error = std::get_if<ReadError>(&records[0]);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->source, "/dev/zero");
  EXPECT_THAT(error->message, HasSubstr("a character device, not a file"));
  // As a CSV or an archive too: the same refusal, not a read that never ends.
  ReadOptions csv;
  csv.format = InputFormat::kCsv;
  std::vector<InputRecord> out;
  ReadPosts("/dev/zero", csv, [&](InputRecord&& r) { out.push_back(std::move(r)); });
  ASSERT_EQ(out.size(), 1u);
  EXPECT_THAT(std::get<ReadError>(out[0]).message, HasSubstr("character device"));
}

TEST(InputLimits, FileOverTheCapIsRefusedWithoutReadingIt) {
  Dir dir;
  const std::string path = dir / "huge.json";
  { std::ofstream(path) << "["; }
  fs::resize_file(path, io_internal::kMaxInputFileBytes + 1);  // sparse: costs nothing
  const auto records = Read(path);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(std::get<ReadError>(records[0]).message,
              HasSubstr("postlint reads input files of at most 512 MiB"));
}

TEST(InputLimits, StreamsStopAtTheCap) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  const std::string data(1000, 'x');
  std::fwrite(data.data(), 1, data.size(), file);
  std::rewind(file);
  std::string out;
  EXPECT_FALSE(io_internal::ReadCapped(file, 999, &out));
  EXPECT_EQ(out.size(), 1000u);
  std::rewind(file);
  out.clear();
  EXPECT_TRUE(io_internal::ReadCapped(file, 1000, &out));
  std::rewind(file);
  LineReader lines(file, 64, 500);  // one line of 1,000 bytes, read 64 at a time
  std::string_view line;
  EXPECT_FALSE(lines.Next(&line));
  EXPECT_TRUE(lines.TooLarge());
  std::fclose(file);
}

TEST(InputLimits, JsonNestedTooDeepIsOneErrorNotACrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto records = Parse("{\"text\": \"hi\", \"labels\": {\"a\": " + deep + "}}", "deep.json");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(std::get<ReadError>(records[0]).message, HasSubstr("deeper than 256"));
  records = Parse("{\"text\": \"ok\"}\n{\"text\": \"hi\", \"labels\": " + deep + "}\n", "d.jsonl");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<Post>(records[0]));
  EXPECT_EQ(std::get<ReadError>(records[1]).line, 2u);
  EXPECT_THAT(std::get<ReadError>(records[1]).message, HasSubstr("deeper than 256"));
  // Brackets in strings do not count, and 256 levels are fine.
  EXPECT_FALSE(io_internal::JsonTooDeep("{\"a\": \"" + std::string(1000, '[') + "\"}"));
  EXPECT_FALSE(io_internal::JsonTooDeep(std::string(256, '[') + std::string(256, ']')));
  EXPECT_EQ(io_internal::JsonTooDeep(std::string(257, '[')), 256u);
}

}  // namespace archive_limits_test
}  // namespace postlint
