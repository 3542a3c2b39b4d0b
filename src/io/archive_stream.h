// One pass over an archive (.zip, .tar.gz, .tgz) with libarchive, in kArchiveChunkBytes
// chunks, keeping the account of what it costs against the limits of io/input_limits.h. Only
// archive.cpp uses it.
//
//   ArchiveBudget budget;                  // shared by every pass over one archive
//   ArchivePass pass(path, budget);
//   ArchiveEntry entry;
//   while (pass.Next(&entry)) {
//     pass.BeginMember(kMaxHeldMemberBytes);
//     std::string_view chunk;
//     while (pass.ReadChunk(&chunk)) ...
//     if (pass.member_too_large()) ...     // this member went over; the next may be read
//   }
//   if (!budget.refusal.empty()) ...       // the archive went over a limit: stop reading it
//   else if (!pass.error().empty()) ...    // cannot open, damaged
//
// Archive-wide limits (entries, passes, total, compression ratio) end every pass over the
// archive at once: they set `budget.refusal`, and from then on Next() and ReadChunk() return
// false.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct archive;

namespace postlint::io_internal {

// What reading one archive has cost so far, over every pass.
struct ArchiveBudget {
  uint64_t passes = 0;
  uint64_t member_bytes = 0;  // member data decompressed (kMaxArchiveTotalBytes)
  uint64_t expanded = 0;      // all data decompressed, skipped stream data included
  uint64_t compressed = 0;    // bytes read from the file
  std::string refusal;        // the archive-wide limit it went over; empty while within them
  bool refusal_reported = false;
};

struct ArchiveEntry {
  std::string name;  // as stored, without leading "./"
  uint64_t index = 0;
  bool regular = false;
  // Why the entry is ignored (a link, an absolute path, a path with ".."), or nullopt.
  std::optional<std::string> unsafe;
  // Its size as the archive declares it (may lie); nullopt when not given.
  std::optional<uint64_t> declared_size;
};

class ArchivePass {
 public:
  ArchivePass(const std::string& path, ArchiveBudget& budget);
  ~ArchivePass();
  ArchivePass(const ArchivePass&) = delete;
  ArchivePass& operator=(const ArchivePass&) = delete;

  // False when the archive could not be opened (error() says why) or is refused.
  bool ok() const { return open_; }

  // Moves to the next entry (skipping what is left of the current one). False at the end, on
  // damage (error()) or on a refusal (budget.refusal).
  bool Next(ArchiveEntry* entry);

  // Starts reading the current entry's data: at most `max_bytes` of it.
  void BeginMember(uint64_t max_bytes);
  // The next chunk of the current entry (valid until the next call). False at its end, when it
  // passes `max_bytes` (member_too_large()), when it cannot be read (member_error()), on damage
  // (error()) or on a refusal.
  bool ReadChunk(std::string_view* chunk);
  bool member_too_large() const { return member_too_large_; }
  // Why the current member could not be read ("cannot read archive member: ..."), else empty.
  const std::string& member_error() const { return member_error_; }
  uint64_t member_read() const { return member_read_; }

  // Index of the current entry; nullopt before the first.
  std::optional<uint64_t> position() const { return position_; }
  // Why the pass failed: cannot open, damaged archive. Empty otherwise (a refusal is in the
  // budget instead).
  const std::string& error() const { return error_; }

 private:
  struct Source;
  // Reads and discards the rest of the current entry, counting it (stream-compressed archives:
  // skipping decompresses, and a bomb may hide in a member nobody wants).
  bool SkipRest();
  // Updates the budget from libarchive's counters; false (with budget.refusal) past a limit.
  bool Account();
  bool Refuse(std::string why);

  ArchiveBudget& budget_;
  std::unique_ptr<Source> source_;
  struct archive* a_ = nullptr;
  bool open_ = false;
  bool stream_compressed_ = false;  // a compression filter around the whole archive (tar.gz)
  bool in_entry_ = false;
  bool entry_done_ = true;
  std::optional<uint64_t> position_;
  uint64_t member_max_ = 0;
  uint64_t member_read_ = 0;
  bool member_too_large_ = false;
  std::string member_error_;
  std::vector<char> data_;          // the current member's chunk
  uint64_t pass_member_bytes_ = 0;  // member data read in this pass
  uint64_t counted_expanded_ = 0;   // what this pass added to budget.expanded
  std::string error_;
};

}  // namespace postlint::io_internal
