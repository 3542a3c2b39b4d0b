// Export archives as the networks hand them out (.zip, .tar.gz, .tgz), read with libarchive:
// the members that hold a known export are read in memory and passed to their format's reader
// (io/export_internal.h).
#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/utf8.h"
#include "io/csv_reader.h"
#include "io/export_internal.h"
#include "io/export_readers.h"
#include "io/line_source.h"

namespace postlint {
namespace {

using io_internal::FileName;
using io_internal::TweetsPartNumber;

// Archive members larger than this are refused (a JSON document is parsed whole).
constexpr int64_t kMaxArchiveMemberBytes = int64_t{1} << 30;

struct ArchiveDeleter {
  void operator()(struct archive* a) const { archive_read_free(a); }
};

// What an archive member is, by name; empty when not wanted.
std::string MemberRole(std::string_view name) {
  const std::string base = FileName(name);
  const std::string lower = ToLowerAscii(base);
  const bool in_data = name.find("data/") != std::string_view::npos;
  if (in_data && TweetsPartNumber(base) >= 0)
    return "x";
  if (in_data && base == "account.js")
    return "x-account";
  if (base == "outbox.json")
    return "mastodon";
  if (base == "actor.json")
    return "mastodon-actor";
  if (lower == "shares.csv")
    return "linkedin";
  if (base.starts_with("your_posts") && base.ends_with(".json"))
    return "facebook";
  if (base.starts_with("posts_") && base.ends_with(".json") &&
      (name.find("content/") != std::string_view::npos ||
       name.find("media/") != std::string_view::npos))
    return "instagram";
  return {};
}

struct Member {
  std::string name;
  std::string role;
  std::string content;
};

}  // namespace

namespace io_internal {

void ReadArchive(const std::string& path, const ReadOptions& options, const RecordCallback& emit) {
  std::unique_ptr<struct archive, ArchiveDeleter> a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_all(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK) {
    emit(ReadError{path,
                   0,
                   {},
                   std::string("cannot open archive: ") +
                       SanitizeUtf8(archive_error_string(a.get()) ? archive_error_string(a.get())
                                                                  : "unknown error")});
    return;
  }
  std::vector<Member> members;
  struct archive_entry* entry = nullptr;
  int rc = ARCHIVE_OK;
  while ((rc = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
    std::string name =
        archive_entry_pathname(entry) != nullptr ? archive_entry_pathname(entry) : "";
    while (name.starts_with("./"))
      name.erase(0, 2);
    std::string role = archive_entry_filetype(entry) == AE_IFREG ? MemberRole(name) : std::string();
    if (role.empty()) {
      archive_read_data_skip(a.get());
      continue;
    }
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > kMaxArchiveMemberBytes) {
      emit(ReadError{path + "!" + name, 0, {}, "member larger than 1 GiB; unpack the archive"});
      archive_read_data_skip(a.get());
      continue;
    }
    Member m{name, std::move(role), {}};
    char buffer[1 << 16];
    la_ssize_t got = 0;
    while ((got = archive_read_data(a.get(), buffer, sizeof buffer)) > 0)
      m.content.append(buffer, static_cast<size_t>(got));
    if (got < 0) {
      emit(ReadError{
          path + "!" + name,
          0,
          {},
          std::string("cannot read archive member: ") +
              SanitizeUtf8(archive_error_string(a.get()) ? archive_error_string(a.get()) : "")});
      continue;
    }
    members.push_back(std::move(m));
  }
  if (rc != ARCHIVE_EOF) {
    emit(ReadError{
        path,
        0,
        {},
        std::string("damaged archive: ") +
            SanitizeUtf8(archive_error_string(a.get()) ? archive_error_string(a.get()) : "")});
  }
  XAccount x_account;
  MastodonActor actor;
  for (const Member& m : members) {
    if (m.role == "x-account")
      x_account = ParseXAccount(m.content);
    else if (m.role == "mastodon-actor")
      actor = ParseMastodonActor(m.content);
  }
  std::stable_sort(members.begin(), members.end(), [](const Member& l, const Member& r) {
    const long lp = l.role == "x" ? TweetsPartNumber(FileName(l.name)) : 0;
    const long rp = r.role == "x" ? TweetsPartNumber(FileName(r.name)) : 0;
    return std::tie(l.role, lp, l.name) < std::tie(r.role, rp, r.name);
  });
  bool any = false;
  for (const Member& m : members) {
    const std::string source = path + "!" + m.name;
    if (m.role == "x") {
      ParseXPayload(m.content, source, x_account, emit);
    } else if (m.role == "mastodon") {
      ParseOutbox(m.content, source, actor, emit);
    } else if (m.role == "linkedin") {
      ReadCsv([&] { return std::make_unique<MemoryLines>(m.content); }, source,
              /*linkedin=*/true, options, emit);
    } else if (m.role == "facebook") {
      ParseExport(m.content, source, InputFormat::kFacebook, options, emit);
    } else if (m.role == "instagram") {
      ParseExport(m.content, source, InputFormat::kInstagram, options, emit);
    } else {
      continue;
    }
    any = true;
  }
  if (!any && rc == ARCHIVE_EOF) {
    emit(ReadError{path,
                   0,
                   {},
                   "no known export in this archive (looked for data/tweets.js, outbox.json, "
                   "Shares.csv, your_posts_1.json, posts_1.json)"});
  }
}

}  // namespace io_internal
}  // namespace postlint
