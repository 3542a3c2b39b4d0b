#include "io/archive_stream.h"

#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "core/byte_size.h"
#include "core/utf8.h"
#include "io/input_limits.h"

namespace postlint::io_internal {
namespace {

// Why an entry is not read even though it may carry a known name, or nullopt. postlint never
// unpacks, but a link or a path leaving the archive is what an unpacking tool would write
// outside its folder; such entries are no part of an export.
std::optional<std::string> UnsafeEntry(struct archive_entry* entry, std::string_view name) {
  if (archive_entry_filetype(entry) == AE_IFLNK)
    return "a symbolic link";
  if (archive_entry_hardlink(entry) != nullptr)
    return "a hard link";
  if (name.starts_with('/') || name.starts_with('\\') ||
      (name.size() >= 2 && name[1] == ':'))  // "C:\..."
    return "an absolute path";
  size_t start = 0;
  while (start <= name.size()) {
    const size_t end = name.find_first_of("/\\", start);
    const std::string_view part =
        name.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (part == "..")
      return "a path with '..'";
    if (end == std::string_view::npos)
      break;
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace

// The file behind libarchive's callbacks: every byte read from it counts as compressed input.
struct ArchivePass::Source {
  int fd = -1;
  off_t size = 0;
  ArchiveBudget* budget = nullptr;
  std::vector<char> buffer = std::vector<char>(kArchiveChunkBytes);

  static la_ssize_t Read(struct archive* a, void* data, const void** out) {
    auto* self = static_cast<Source*>(data);
    for (;;) {
      const ssize_t got = ::read(self->fd, self->buffer.data(), self->buffer.size());
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0) {
        archive_set_error(a, errno, "cannot read: %s", std::strerror(errno));
        return -1;
      }
      self->budget->compressed += static_cast<uint64_t>(got);
      *out = self->buffer.data();
      return got;
    }
  }

  static la_int64_t Skip(struct archive*, void* data, la_int64_t request) {
    auto* self = static_cast<Source*>(data);
    const off_t here = ::lseek(self->fd, 0, SEEK_CUR);
    if (here < 0 || request <= 0)
      return 0;
    const off_t target = std::min<off_t>(self->size, here + static_cast<off_t>(request));
    if (::lseek(self->fd, target, SEEK_SET) < 0)
      return 0;
    return target - here;
  }

  static la_int64_t Seek(struct archive*, void* data, la_int64_t offset, int whence) {
    auto* self = static_cast<Source*>(data);
    const off_t at = ::lseek(self->fd, static_cast<off_t>(offset), whence);
    return at < 0 ? ARCHIVE_FATAL : static_cast<la_int64_t>(at);
  }
};

ArchivePass::ArchivePass(const std::string& path, ArchiveBudget& budget)
    : budget_(budget), source_(std::make_unique<Source>()) {
  if (!budget_.refusal.empty())
    return;
  if (++budget_.passes > kMaxArchivePasses) {
    Refuse("reading its exports in order takes more than " + std::to_string(kMaxArchivePasses) +
           " passes over the archive; unpack it and give the folder");
    return;
  }
  source_->budget = &budget_;
  source_->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (source_->fd < 0) {
    error_ = std::strerror(errno);
    return;
  }
  struct stat st {};
  if (::fstat(source_->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    error_ = "not a regular file";
    return;
  }
  source_->size = st.st_size;
  a_ = archive_read_new();
  // Only what exports come as: zip, and tar (gzip-compressed or not). Other formats bring
  // readers postlint has no use for (mtree, for one, reads files named inside it from disk).
  archive_read_support_filter_gzip(a_);
  archive_read_support_format_zip(a_);
  archive_read_support_format_tar(a_);
  archive_read_set_callback_data(a_, source_.get());
  archive_read_set_read_callback(a_, &Source::Read);
  archive_read_set_skip_callback(a_, &Source::Skip);
  archive_read_set_seek_callback(a_, &Source::Seek);
  if (archive_read_open1(a_) != ARCHIVE_OK) {
    error_ = SanitizeUtf8(archive_error_string(a_) != nullptr ? archive_error_string(a_)
                                                              : "not a zip or tar archive");
    return;
  }
  stream_compressed_ = archive_filter_count(a_) > 1;
  open_ = true;
}

ArchivePass::~ArchivePass() {
  if (a_ != nullptr)
    archive_read_free(a_);
  if (source_->fd >= 0)
    ::close(source_->fd);
}

bool ArchivePass::Refuse(std::string why) {
  if (budget_.refusal.empty())
    budget_.refusal = std::move(why);
  return false;
}

bool ArchivePass::Account() {
  const la_int64_t stream = archive_filter_bytes(a_, 0);
  uint64_t pass_expanded = pass_member_bytes_;
  if (stream_compressed_ && stream > 0)
    pass_expanded = std::max(pass_expanded, static_cast<uint64_t>(stream));
  // Passes may run side by side (CSV's second look): each adds what it decompressed since.
  if (pass_expanded > counted_expanded_) {
    budget_.expanded += pass_expanded - counted_expanded_;
    counted_expanded_ = pass_expanded;
  }
  if (budget_.member_bytes > kMaxArchiveTotalBytes) {
    return Refuse("its members expand to more than " + FormatBytes(kMaxArchiveTotalBytes) +
                  ", the most postlint reads from one archive; unpack it and give the folder");
  }
  if (budget_.expanded > kRatioCheckAfterBytes &&
      budget_.expanded / kMaxCompressionRatio > budget_.compressed) {
    return Refuse("it expands more than " + std::to_string(kMaxCompressionRatio) +
                  " times the size read from it (" + FormatBytes(budget_.expanded) + " from " +
                  FormatBytes(budget_.compressed) + "): a zip bomb? postlint allows at most " +
                  std::to_string(kMaxCompressionRatio) + ":1 past the first " +
                  FormatBytes(kRatioCheckAfterBytes));
  }
  return true;
}

bool ArchivePass::Next(ArchiveEntry* entry) {
  if (!open_ || !error_.empty() || !budget_.refusal.empty())
    return false;
  if (in_entry_ && !entry_done_ && !SkipRest())
    return false;
  struct archive_entry* e = nullptr;
  const int rc = archive_read_next_header(a_, &e);
  if (rc == ARCHIVE_EOF) {
    in_entry_ = false;
    return false;
  }
  if (rc < ARCHIVE_WARN) {
    error_ = "damaged archive: " + SanitizeUtf8(archive_error_string(a_) != nullptr
                                                    ? archive_error_string(a_)
                                                    : "unknown error");
    in_entry_ = false;
    return false;
  }
  const uint64_t index = position_ ? *position_ + 1 : 0;
  position_ = index;
  if (index >= kMaxArchiveEntries) {
    return Refuse("it has more than " + FormatCount(kMaxArchiveEntries) +
                  " entries, the most postlint looks at in one archive; unpack it and give the "
                  "folder");
  }
  const char* raw = archive_entry_pathname(e);
  std::string name = raw != nullptr ? raw : "";
  while (name.starts_with("./"))
    name.erase(0, 2);
  entry->name = std::move(name);
  entry->index = index;
  entry->unsafe = UnsafeEntry(e, entry->name);
  entry->regular = archive_entry_filetype(e) == AE_IFREG && !entry->unsafe;
  entry->declared_size.reset();
  if (archive_entry_size_is_set(e) && archive_entry_size(e) >= 0)
    entry->declared_size = static_cast<uint64_t>(archive_entry_size(e));
  in_entry_ = true;
  entry_done_ = false;
  BeginMember(kMaxArchiveMemberBytes);
  return Account();
}

void ArchivePass::BeginMember(uint64_t max_bytes) {
  member_max_ = max_bytes;
  member_read_ = 0;
  member_too_large_ = false;
  member_error_.clear();
}

bool ArchivePass::ReadChunk(std::string_view* chunk) {
  if (!open_ || !in_entry_ || entry_done_ || member_too_large_ || !member_error_.empty() ||
      !error_.empty() || !budget_.refusal.empty())
    return false;
  // The source's buffer holds compressed input that libarchive may still be reading from: the
  // member's data goes to a buffer of its own.
  data_.resize(kArchiveChunkBytes);
  const la_ssize_t got = archive_read_data(a_, data_.data(), data_.size());
  if (got < 0) {
    const std::string why =
        SanitizeUtf8(archive_error_string(a_) != nullptr ? archive_error_string(a_) : "");
    if (got == ARCHIVE_FATAL)
      error_ = "damaged archive: " + why;
    else
      member_error_ = "cannot read archive member: " + why;
    return false;  // Next() skips the rest, when it can
  }
  if (got == 0) {
    entry_done_ = true;
    return false;
  }
  const auto n = static_cast<uint64_t>(got);
  member_read_ += n;
  pass_member_bytes_ += n;
  budget_.member_bytes += n;
  if (!Account())
    return false;
  if (member_read_ > member_max_) {
    member_too_large_ = true;
    return false;  // Next() skips the rest
  }
  *chunk = std::string_view(data_.data(), static_cast<size_t>(got));
  return true;
}

bool ArchivePass::SkipRest() {
  entry_done_ = true;
  if (!stream_compressed_) {
    // zip members and plain tar: libarchive seeks past the data without decompressing it.
    if (archive_read_data_skip(a_) < ARCHIVE_WARN) {
      error_ = "damaged archive: " +
               SanitizeUtf8(archive_error_string(a_) != nullptr ? archive_error_string(a_) : "");
      return false;
    }
    return Account();
  }
  // A compressed stream cannot be skipped without decompressing it: read through, counting,
  // so that a bomb in an entry nobody reads is stopped too.
  data_.resize(kArchiveChunkBytes);
  for (;;) {
    const la_ssize_t got = archive_read_data(a_, data_.data(), data_.size());
    if (got == 0)
      return true;
    if (got < 0) {
      error_ = "damaged archive: " +
               SanitizeUtf8(archive_error_string(a_) != nullptr ? archive_error_string(a_) : "");
      return false;
    }
    if (!Account())
      return false;
  }
}

}  // namespace postlint::io_internal
