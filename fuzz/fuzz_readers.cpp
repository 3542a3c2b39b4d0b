// Fuzzes every export reader through ParsePosts: the same bytes read as CSV (both day/month
// orders), LinkedIn Shares.csv, an X archive, a Mastodon outbox, Bluesky records, Facebook and
// Instagram posts, and sniffed from a ".csv" name and from a name without an extension. Checks
// what the readers promise (io/post_reader.h, io/export_readers.h): every string of a Post is
// valid UTF-8, records name their source and a line inside the input, and errors say something.
// Crashes and hangs are libFuzzer's to find. Nothing is read from or written to disk: the X
// archive is read as standard input so that no account.js is looked up beside it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "core/utf8.h"
#include "io/post_reader.h"

namespace {

using postlint::DateOrder;
using postlint::InputFormat;

struct Reading {
  InputFormat format;
  const char* source;
  DateOrder date_order;
};

constexpr Reading kReadings[] = {
    {InputFormat::kCsv, "export.csv", DateOrder::kUnknown},
    {InputFormat::kCsv, "export.csv", DateOrder::kDayFirst},
    {InputFormat::kLinkedIn, "Shares.csv", DateOrder::kUnknown},
    {InputFormat::kXArchive, "<stdin>", DateOrder::kUnknown},
    {InputFormat::kMastodon, "outbox.json", DateOrder::kUnknown},
    {InputFormat::kBluesky, "posts.jsonl", DateOrder::kUnknown},
    {InputFormat::kFacebook, "your_posts_1.json", DateOrder::kUnknown},
    {InputFormat::kInstagram, "posts_1.json", DateOrder::kUnknown},
    {InputFormat::kAuto, "export.csv", DateOrder::kUnknown},
    {InputFormat::kAuto, "export", DateOrder::kUnknown},
};

bool ValidUtf8(std::string_view s) {
  return postlint::SanitizeUtf8(s) == s;
}

void Check(bool ok) {
  if (!ok)
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace postlint;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  // A record may sit on the line after the last '\n' (a record without a final newline).
  const uint32_t lines =
      static_cast<uint32_t>(std::count(content.begin(), content.end(), '\n')) + 1;
  for (const Reading& reading : kReadings) {
    ReadOptions options;
    options.format = reading.format;
    options.date_order = reading.date_order;
    const std::string source = reading.source;
    ParsePosts(content, source, options, [&](InputRecord&& record) {
      if (const Post* post = std::get_if<Post>(&record)) {
        Check(post->source == source && post->source_line <= lines);
        Check(ValidUtf8(post->text) && ValidUtf8(post->id) && ValidUtf8(post->account) &&
              ValidUtf8(post->author) && ValidUtf8(post->lang) && ValidUtf8(post->created_at));
        for (const auto& network : post->networks)
          Check(ValidUtf8(network));
        for (const auto& media : post->media)
          Check(ValidUtf8(media.alt_text));
        for (const auto& [key, value] : post->labels)
          Check(ValidUtf8(key) && ValidUtf8(value));
      } else if (const ReadError* error = std::get_if<ReadError>(&record)) {
        Check(error->source == source && error->line <= lines);
        Check(!error->message.empty() && ValidUtf8(error->message) && ValidUtf8(error->id));
      } else {
        const ReadWarning& warning = std::get<ReadWarning>(record);
        Check(warning.source == source && warning.line <= lines);
        Check(!warning.message.empty() && ValidUtf8(warning.message));
      }
    });
  }
  return 0;
}
