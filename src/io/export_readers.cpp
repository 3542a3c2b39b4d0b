// The export readers' front door (io/export_readers.h): which reader a path, a format or a
// parsed JSON document goes to. The formats live in csv_reader.cpp, x_archive.cpp,
// mastodon.cpp, bluesky.cpp, meta_exports.cpp and archive.cpp.
#include "io/export_readers.h"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "io/csv_reader.h"
#include "io/export_internal.h"
#include "io/input_limits.h"
#include "io/line_source.h"
#include "io/reader_internal.h"

namespace postlint {
namespace {

namespace fs = std::filesystem;
using io_internal::ErrnoMessage;
using io_internal::FileLines;
using io_internal::FileName;
using io_internal::InputTooLargeMessage;
using io_internal::IsMastodonFolder;
using io_internal::IsXFolder;
using io_internal::kMaxInputFileBytes;
using io_internal::LineSource;
using io_internal::LooksLikeBluesky;
using io_internal::LooksLikeFacebook;
using io_internal::LooksLikeInstagram;
using io_internal::LooksLikeOutbox;
using io_internal::LooksLikeXPayload;
using io_internal::MemoryLines;
using io_internal::ParseJsonOrReport;
using io_internal::ParseXPayload;
using io_internal::ReadArchive;
using io_internal::ReadBlueskyDocument;
using io_internal::ReadBlueskyLines;
using io_internal::ReadCapped;
using io_internal::ReadCsv;
using io_internal::ReadMastodonFolder;
using io_internal::ReadMetaDocument;
using io_internal::ReadOutboxDocument;
using io_internal::ReadXDocument;
using io_internal::ReadXFolder;
using io_internal::StartsWithCsvHeader;
using io_internal::XAccount;
using io_internal::XAccountNextTo;
using io_internal::YtdPayloadStart;
using nlohmann::json;

bool ExtensionIs(std::string_view path, std::string_view ext) {
  return ToLowerAscii(FileName(path)).ends_with(ext);
}

// Reads an already parsed document in `format` (the format's own checks report misfits).
void ReadJsonExport(const json& doc, std::string_view text, const std::string& source,
                    InputFormat format, const RecordCallback& emit) {
  switch (format) {
    case InputFormat::kMastodon:
      ReadOutboxDocument(doc, text, source, {}, emit);
      return;
    case InputFormat::kBluesky:
      ReadBlueskyDocument(doc, text, source, emit);
      return;
    case InputFormat::kFacebook:
    case InputFormat::kInstagram:
      ReadMetaDocument(doc, text, source, format, emit);
      return;
    case InputFormat::kXArchive:
      ReadXDocument(doc, text, source, {}, emit);
      return;
    default:
      return;
  }
}

std::optional<InputFormat> DetectJsonExport(const json& doc) {
  if (LooksLikeOutbox(doc))
    return InputFormat::kMastodon;
  if (LooksLikeBluesky(doc))
    return InputFormat::kBluesky;
  if (LooksLikeXPayload(doc))
    return InputFormat::kXArchive;
  if (LooksLikeFacebook(doc))
    return InputFormat::kFacebook;
  if (LooksLikeInstagram(doc))
    return InputFormat::kInstagram;
  return std::nullopt;
}

}  // namespace

bool IsExportFormat(InputFormat format) {
  switch (format) {
    case InputFormat::kCsv:
    case InputFormat::kXArchive:
    case InputFormat::kMastodon:
    case InputFormat::kBluesky:
    case InputFormat::kFacebook:
    case InputFormat::kInstagram:
    case InputFormat::kLinkedIn:
      return true;
    default:
      return false;
  }
}

std::optional<InputFormat> SniffExportText(std::string_view content) {
  content = StripUtf8Bom(content);
  if (YtdPayloadStart(content) != std::string_view::npos)
    return InputFormat::kXArchive;
  const size_t first = content.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || content[first] == '{' || content[first] == '[')
    return std::nullopt;
  if (StartsWithCsvHeader(content.substr(first)))
    return InputFormat::kCsv;
  return std::nullopt;
}

bool IsExportFolder(const std::string& path) {
  return IsXFolder(path) || IsMastodonFolder(path);
}

bool IsArchivePath(std::string_view path) {
  return ExtensionIs(path, ".zip") || ExtensionIs(path, ".tar.gz") || ExtensionIs(path, ".tgz");
}

bool ReadExportPath(const std::string& path, const ReadOptions& options,
                    const RecordCallback& emit) {
  const InputFormat format = options.format;
  const bool csv = format == InputFormat::kCsv || format == InputFormat::kLinkedIn;
  if (path == "-") {
    if (!csv)
      return false;
    // Read whole: deciding the file's day/month order may take a second look at its dates.
    std::string content;
    if (!ReadCapped(stdin, kMaxInputFileBytes, &content)) {
      emit(ReadError{"<stdin>", 0, {}, InputTooLargeMessage()});
      return true;
    }
    if (std::ferror(stdin)) {
      emit(ReadError{"<stdin>", 0, {}, "cannot read: " + ErrnoMessage(errno)});
      return true;
    }
    ReadCsv([&] { return std::make_unique<MemoryLines>(content); }, "<stdin>",
            format == InputFormat::kLinkedIn, options, emit);
    return true;
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    if (IsXFolder(path)) {
      ReadXFolder(path, emit);
      return true;
    }
    if (IsMastodonFolder(path)) {
      ReadMastodonFolder(path, emit);
      return true;
    }
    return false;
  }
  if (IsArchivePath(path) && (format == InputFormat::kAuto || IsExportFormat(format))) {
    ReadArchive(path, options, emit);
    return true;
  }
  const bool jsonl = ExtensionIs(path, ".jsonl") || ExtensionIs(path, ".ndjson");
  if (!(csv || (format == InputFormat::kAuto && ExtensionIs(path, ".csv")) ||
        (format == InputFormat::kBluesky && jsonl))) {
    return false;
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    emit(ReadError{path, 0, {}, "cannot open: " + ErrnoMessage(errno)});
    return true;
  }
  if (format == InputFormat::kBluesky) {
    FileLines lines(file, /*owned=*/true, kMaxInputFileBytes, InputTooLargeMessage());
    ReadBlueskyLines(lines, path, emit);
    return true;
  }
  // The first pass reads the file we already opened; a second look at its dates (deciding the
  // day/month order) opens it again. A file that vanished meanwhile reads as empty.
  bool first = true;
  ReadCsv(
      [&]() -> std::unique_ptr<LineSource> {
        if (first) {
          first = false;
          return std::make_unique<FileLines>(file, /*owned=*/true, kMaxInputFileBytes,
                                             InputTooLargeMessage());
        }
        std::FILE* again = std::fopen(path.c_str(), "rb");
        if (again == nullptr)
          return std::make_unique<MemoryLines>(std::string_view());
        return std::make_unique<FileLines>(again, /*owned=*/true, kMaxInputFileBytes,
                                           InputTooLargeMessage());
      },
      path, format == InputFormat::kLinkedIn, options, emit);
  return true;
}

void ParseExport(std::string_view content, const std::string& source, InputFormat format,
                 const ReadOptions& options, const RecordCallback& emit) {
  switch (format) {
    case InputFormat::kCsv:
    case InputFormat::kLinkedIn: {
      ReadCsv([&] { return std::make_unique<MemoryLines>(content); }, source,
              format == InputFormat::kLinkedIn, options, emit);
      return;
    }
    case InputFormat::kXArchive: {
      XAccount account;
      std::error_code ec;
      if (source != "<stdin>" && fs::is_regular_file(source, ec))
        account = XAccountNextTo(source);
      ParseXPayload(content, source, account, emit);
      return;
    }
    default:
      break;
  }
  const std::string text = SanitizeUtf8(StripUtf8Bom(content));
  if (format == InputFormat::kBluesky) {
    // One record, an array, or JSONL: a document that is not one JSON value is read by lines.
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '{' && !json::accept(text)) {
      MemoryLines lines(text);
      ReadBlueskyLines(lines, source, emit);
      return;
    }
  }
  std::optional<json> doc = ParseJsonOrReport(text, source, emit);
  if (doc)
    ReadJsonExport(*doc, text, source, format, emit);
}

bool ParseExportDocument(const nlohmann::json& doc, std::string_view text,
                         const std::string& source, const RecordCallback& emit) {
  const std::optional<InputFormat> format = DetectJsonExport(doc);
  if (!format)
    return false;
  ReadJsonExport(doc, text, source, *format, emit);
  return true;
}

}  // namespace postlint
