// Export archives as the networks hand them out (.zip, .tar.gz, .tgz), read with libarchive
// (io/archive_stream.h) without ever holding the archive: a first pass finds the export members
// (and reads X's account.js and Mastodon's actor.json), later passes read the members in report
// order, one at a time: a JSON member held whole (at most kMaxHeldMemberBytes) and passed to its
// format's reader, LinkedIn's Shares.csv streamed line by line. The limits and what they cost
// in memory are in io/input_limits.h.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/byte_size.h"
#include "core/utf8.h"
#include "io/archive_stream.h"
#include "io/csv_reader.h"
#include "io/export_internal.h"
#include "io/export_readers.h"
#include "io/input_limits.h"
#include "io/line_source.h"

namespace postlint {
namespace {

using io_internal::ArchiveBudget;
using io_internal::ArchiveEntry;
using io_internal::ArchivePass;
using io_internal::FileName;
using io_internal::kMaxArchiveMemberBytes;
using io_internal::kMaxExportMembers;
using io_internal::kMaxHeldMemberBytes;
using io_internal::kMaxInputFileBytes;
using io_internal::LineSource;
using io_internal::TweetsPartNumber;

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

// An export member found by the first pass: read in a later one.
struct Member {
  std::string name;
  std::string role;
  uint64_t index = 0;
  std::optional<uint64_t> declared_size;
};

// The roles held whole to be parsed (JSON), and the limit on what is read of a member.
bool IsHeld(const std::string& role) {
  return role != "linkedin";
}

uint64_t MemberLimit(const std::string& role) {
  return IsHeld(role) ? kMaxHeldMemberBytes : kMaxArchiveMemberBytes;
}

std::string TooLargeMessage(const std::string& role) {
  if (IsHeld(role)) {
    return "the member is larger than " + FormatBytes(kMaxHeldMemberBytes) +
           " decompressed, the most postlint holds of a JSON member to parse it; unpack the "
           "archive and give its folder or the file (files are read up to " +
           FormatBytes(kMaxInputFileBytes) + ")";
  }
  return "the member is larger than " + FormatBytes(kMaxArchiveMemberBytes) +
         " decompressed, the most postlint reads of one archive member";
}

// A member name for messages: valid UTF-8, control characters escaped, cut short.
std::string ShownName(std::string_view name) {
  constexpr size_t kMax = 200;
  std::string shown = EscapeControls(SanitizeUtf8(name.substr(0, kMax)));
  return name.size() > kMax ? shown + "..." : shown;
}

// The current member of a pass, line by line, at most kMaxHeldMemberBytes per line.
class ArchiveLines : public LineSource {
 public:
  ArchiveLines(ArchivePass* pass, std::unique_ptr<ArchivePass> owned, ArchiveBudget& budget,
               std::string role)
      : pass_(pass), owned_(std::move(owned)), budget_(budget), role_(std::move(role)) {}

  bool Next(std::string* line) override {
    for (;;) {
      const size_t nl = pending_.find('\n', pos_);
      if (nl != std::string::npos) {
        line->assign(pending_, pos_, nl - pos_);
        pos_ = nl + 1;
        if (!line->empty() && line->back() == '\r')
          line->pop_back();
        return true;
      }
      if (done_) {
        if (pos_ >= pending_.size())
          return false;
        line->assign(pending_, pos_);
        pos_ = pending_.size();
        if (!line->empty() && line->back() == '\r')
          line->pop_back();
        return true;
      }
      pending_.erase(0, pos_);
      pos_ = 0;
      if (pending_.size() > kMaxHeldMemberBytes) {
        return Fail("a line of the member is longer than " + FormatBytes(kMaxHeldMemberBytes) +
                    ", the most postlint holds of one line");
      }
      std::string_view chunk;
      if (pass_ == nullptr || !pass_->ReadChunk(&chunk)) {
        done_ = true;
        if (pass_ != nullptr && pass_->member_too_large())
          return Fail(TooLargeMessage(role_));
        if (!budget_.refusal.empty()) {
          budget_.refusal_reported = true;
          return Fail("archive refused: " + budget_.refusal);
        }
        if (pass_ != nullptr && !pass_->member_error().empty())
          return Fail(pass_->member_error());
        if (pass_ != nullptr && !pass_->error().empty())
          return Fail(pass_->error());
        continue;
      }
      pending_.append(chunk);
    }
  }
  bool Failed() const override { return !failure_.empty(); }
  std::string FailureMessage() const override { return failure_; }

 private:
  bool Fail(std::string why) {
    done_ = true;
    failure_ = std::move(why);
    pending_.clear();
    pos_ = 0;
    return false;
  }

  ArchivePass* pass_;
  std::unique_ptr<ArchivePass> owned_;
  ArchiveBudget& budget_;
  std::string role_;
  std::string pending_;
  size_t pos_ = 0;
  bool done_ = false;
  std::string failure_;
};

// Moves `pass` to the entry of `m`; false when the archive ends first or holds something else
// there (it changed since the first pass), or on damage or a refusal.
bool AdvanceTo(ArchivePass& pass, const Member& m) {
  ArchiveEntry entry;
  while (pass.Next(&entry)) {
    if (entry.index == m.index)
      return entry.name == m.name;
    if (entry.index > m.index)
      return false;
  }
  return false;
}

// Reads the current member of `pass` whole into `*content`, at most `max_bytes`. On failure
// returns the message for the member's ReadError; an archive-wide refusal is left to the caller.
std::optional<std::string> ReadHeld(ArchivePass& pass, const std::string& role,
                                    std::optional<uint64_t> declared, std::string* content) {
  const uint64_t max_bytes = MemberLimit(role);
  pass.BeginMember(max_bytes);
  content->reserve(static_cast<size_t>(std::min(declared.value_or(0), max_bytes)) + 1);
  std::string_view chunk;
  while (pass.ReadChunk(&chunk))
    content->append(chunk);
  if (pass.member_too_large())
    return TooLargeMessage(role);
  if (!pass.member_error().empty())
    return pass.member_error();
  if (!pass.error().empty())
    return pass.error();
  return std::nullopt;
}

}  // namespace

namespace io_internal {

void ReadArchive(const std::string& path, const ReadOptions& options, const RecordCallback& emit) {
  ArchiveBudget budget;
  auto refused = [&] {
    if (budget.refusal.empty() || budget.refusal_reported)
      return;
    budget.refusal_reported = true;
    emit(ReadError{path, 0, {}, "archive refused: " + budget.refusal});
  };

  // Pass 1: what is in the archive. Entries are skipped (zip: without decompressing them);
  // only X's account.js and Mastodon's actor.json are read, as every export member needs them.
  std::vector<Member> members;
  XAccount x_account;
  MastodonActor actor;
  std::string damage;
  size_t found = 0;  // known members, those refused included
  {
    ArchivePass pass(path, budget);
    if (!pass.ok()) {
      if (!budget.refusal.empty())
        refused();
      else
        emit(ReadError{path, 0, {}, "cannot open archive: " + pass.error()});
      return;
    }
    constexpr size_t kMaxUnsafeWarnings = 10;
    size_t unsafe = 0;
    ArchiveEntry entry;
    while (pass.Next(&entry)) {
      if (entry.unsafe) {
        if (++unsafe <= kMaxUnsafeWarnings) {
          emit(ReadWarning{path, 0,
                           "ignored archive entry '" + ShownName(entry.name) +
                               "': " + *entry.unsafe +
                               " (postlint reads no links, absolute paths or '..' entries)"});
        }
        continue;
      }
      const std::string role = entry.regular ? MemberRole(entry.name) : std::string();
      if (role.empty())
        continue;
      const std::string source = path + "!" + entry.name;
      ++found;
      if (entry.declared_size && *entry.declared_size > MemberLimit(role)) {
        emit(ReadError{source, 0, {}, TooLargeMessage(role)});
        continue;
      }
      if (role == "x-account" || role == "mastodon-actor") {
        std::string content;
        if (auto problem = ReadHeld(pass, role, entry.declared_size, &content)) {
          if (budget.refusal.empty())
            emit(ReadError{source, 0, {}, *problem});
          continue;
        }
        if (role == "x-account")
          x_account = ParseXAccount(content);
        else
          actor = ParseMastodonActor(content);
        continue;
      }
      if (members.size() >= kMaxExportMembers) {
        budget.refusal = "it holds more than " + std::to_string(kMaxExportMembers) +
                         " export files (tweets, outbox, posts, shares), the most postlint reads "
                         "from one archive; unpack it and give the folder";
        break;
      }
      members.push_back({entry.name, role, entry.index, entry.declared_size});
    }
    if (unsafe > kMaxUnsafeWarnings) {
      emit(ReadWarning{path, 0,
                       std::to_string(unsafe - kMaxUnsafeWarnings) +
                           " more links, absolute paths or '..' entries ignored"});
    }
    damage = pass.error();
  }
  if (!budget.refusal.empty()) {
    refused();
    return;
  }
  if (!damage.empty())
    emit(ReadError{path, 0, {}, damage});

  std::stable_sort(members.begin(), members.end(), [](const Member& l, const Member& r) {
    const long lp = l.role == "x" ? TweetsPartNumber(FileName(l.name)) : 0;
    const long rp = r.role == "x" ? TweetsPartNumber(FileName(r.name)) : 0;
    return std::tie(l.role, lp, l.name) < std::tie(r.role, rp, r.name);
  });

  // Later passes: the members in that order, one at a time. A member that comes before the
  // previous one in the archive starts a new pass.
  std::unique_ptr<ArchivePass> reader;
  for (const Member& m : members) {
    const std::string source = path + "!" + m.name;
    if (!reader || (reader->position() && *reader->position() >= m.index))
      reader = std::make_unique<ArchivePass>(path, budget);
    if (!reader->ok() || !AdvanceTo(*reader, m)) {
      if (budget.refusal.empty()) {
        emit(ReadError{path,
                       0,
                       {},
                       reader->error().empty()
                           ? "the archive changed while it was read: '" + ShownName(m.name) +
                                 "' is no longer where it was"
                           : "cannot open archive: " + reader->error()});
      }
      break;
    }
    if (m.role == "linkedin") {
      // Streamed line by line. A second look at its dates (the day/month order) reads the
      // member again, in a pass of its own.
      reader->BeginMember(kMaxArchiveMemberBytes);
      bool first = true;
      ReadCsv(
          [&]() -> std::unique_ptr<LineSource> {
            if (first) {
              first = false;
              return std::make_unique<ArchiveLines>(reader.get(), nullptr, budget, m.role);
            }
            auto again = std::make_unique<ArchivePass>(path, budget);
            ArchivePass* raw = again.get();
            if (!again->ok() || !AdvanceTo(*again, m))
              raw = nullptr;
            else
              raw->BeginMember(kMaxArchiveMemberBytes);
            return std::make_unique<ArchiveLines>(raw, std::move(again), budget, m.role);
          },
          source, /*linkedin=*/true, options, emit);
    } else {
      std::string content;
      if (auto problem = ReadHeld(*reader, m.role, m.declared_size, &content)) {
        if (budget.refusal.empty())
          emit(ReadError{source, 0, {}, *problem});
      } else if (m.role == "x") {
        ParseXPayload(content, source, x_account, emit);
      } else if (m.role == "mastodon") {
        ParseOutbox(content, source, actor, emit);
      } else if (m.role == "facebook") {
        ParseExport(content, source, InputFormat::kFacebook, options, emit);
      } else if (m.role == "instagram") {
        ParseExport(content, source, InputFormat::kInstagram, options, emit);
      }
    }
    if (!budget.refusal.empty())
      break;
  }
  refused();
  if (found == 0 && damage.empty()) {
    emit(ReadError{path,
                   0,
                   {},
                   "no known export in this archive (looked for data/tweets.js, outbox.json, "
                   "Shares.csv, your_posts_1.json, posts_1.json)"});
  }
}

}  // namespace io_internal
}  // namespace postlint
