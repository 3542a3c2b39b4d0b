// How much input postlint reads, so that a hostile file cannot take it down: an input is
// refused with a ReadError naming the file and the limit, never read until memory runs out.
// docs/cli.md lists these limits for users; only src/io/*.cpp include this file.
//
// Memory. Drafts, JSON documents and standard input are read whole (a JSON document is parsed
// at once), so memory follows their size up to kMaxInputFileBytes. CSV and JSONL files are
// streamed. An archive is never held: its members are read in kArchiveChunkBytes chunks, a CSV
// member is streamed line by line, and a JSON member, which must be parsed at once, is held up
// to kMaxHeldMemberBytes. Reading an archive therefore holds at most
//     2 x kMaxHeldMemberBytes (one JSON member, or one line in each of the two passes a CSV
//     member may be read by side by side) + 2 x kArchiveChunkBytes per open pass,
// plus the parse of one held member and libarchive's own buffers, however large the archive is
// or says it expands to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace postlint::io_internal {

// One input file, or standard input: drafts and JSON documents are read whole, and a parsed
// JSON document takes several times its size. 512 MiB is far beyond any export a network hands
// out as one file. Devices (/dev/zero, /dev/urandom, disks) are refused outright: they never end.
inline constexpr uint64_t kMaxInputFileBytes = uint64_t{512} << 20;

// Nesting of JSON arrays and objects. Posts nest three levels (labels, media); exports about
// ten. Deeper documents are refused before parsing: converting a value walks it recursively,
// and a few megabytes of '[' would overflow the stack.
inline constexpr size_t kMaxJsonDepth = 256;

// Archives (.zip, .tar.gz, .tgz) are read in chunks of this size.
inline constexpr size_t kArchiveChunkBytes = size_t{64} << 10;
// One archive member, decompressed (a CSV member streamed line by line; the limit of a file).
inline constexpr uint64_t kMaxArchiveMemberBytes = uint64_t{512} << 20;
// A member that must be held whole to be read: a JSON document (X tweets.js, outbox.json,
// Facebook and Instagram posts), X's account.js, Mastodon's actor.json; also one line of a
// streamed CSV member. Larger JSON members are refused with a hint: unpack the archive and
// give the folder or file, which is read as a file (kMaxInputFileBytes).
inline constexpr uint64_t kMaxHeldMemberBytes = uint64_t{16} << 20;
// Everything decompressed from one archive's members, over every pass (members out of order are
// reached in a pass of their own; CSV day/month detection reads a member twice).
inline constexpr uint64_t kMaxArchiveTotalBytes = uint64_t{2} << 30;
// Compression ratio: once kRatioCheckAfterBytes have been decompressed, an archive whose
// output is more than kMaxCompressionRatio times what was read from the file is a zip bomb.
// Text exports compress about 10:1; deflate cannot do better than about 1,000:1.
inline constexpr uint64_t kMaxCompressionRatio = 100;
inline constexpr uint64_t kRatioCheckAfterBytes = uint64_t{64} << 20;
// Entries (files, folders, links) looked at in one archive: an X archive with its media has a
// few thousand. Each costs a header read even when skipped.
inline constexpr uint64_t kMaxArchiveEntries = 200000;
// Export members (tweets files, outbox.json, Shares.csv, posts files) read from one archive.
inline constexpr size_t kMaxExportMembers = 256;
// Passes over one archive (one finds the members, each further one reads those in archive order;
// members out of order need another). Real exports need two or three.
inline constexpr size_t kMaxArchivePasses = 16;

// Why `path` cannot be read as an input file, or nullopt: a device ("/dev/zero: a character
// device, not a file"), or a regular file larger than kMaxInputFileBytes. Directories, FIFOs
// and missing files are left to the caller (a FIFO is read like standard input, capped).
// `archive`: the file is an archive, whose own size is not capped (its members are).
std::optional<std::string> InputFileProblem(const std::string& path, bool archive = false);

// "the input is larger than 512 MiB; postlint reads at most that much of one file or of
// standard input": for a stream that passed the cap while read.
std::string InputTooLargeMessage();

// Appends `file` to `*out` up to `max_bytes`. Returns false when the file holds more (`*out`
// then has max_bytes + 1 bytes); a read error is left to ferror(file).
bool ReadCapped(std::FILE* file, uint64_t max_bytes, std::string* out);

// Where JSON `text` first nests deeper than `max_depth` arrays and objects (the offset of the
// bracket that does), or nullopt. Brackets inside strings do not count. Linear, no allocation.
std::optional<size_t> JsonTooDeep(std::string_view text, size_t max_depth = kMaxJsonDepth);

// "the JSON nests deeper than 256 arrays and objects; ...": the message for JsonTooDeep (the
// ReadError carries the line).
std::string JsonTooDeepMessage();

}  // namespace postlint::io_internal
