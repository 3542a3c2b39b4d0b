// Collects what the post readers emit, for tests: every record (post, error or warning) in
// order, from a file (ReadPosts) or from text in memory (ParsePosts).
//
//   auto records = postlint::testing::Parse("{\"text\": \"hi\"}\n", "a.jsonl");
//   ASSERT_EQ(records.size(), 1u);
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "io/post_reader.h"

namespace postlint::testing {

inline std::vector<InputRecord> Parse(std::string_view content, const std::string& source,
                                      const ReadOptions& options) {
  std::vector<InputRecord> out;
  ParsePosts(content, source, options, [&](InputRecord&& r) { out.push_back(std::move(r)); });
  return out;
}

inline std::vector<InputRecord> Parse(std::string_view content, const std::string& source,
                                      InputFormat format = InputFormat::kAuto) {
  ReadOptions options;
  options.format = format;
  return Parse(content, source, options);
}

inline std::vector<InputRecord> Read(const std::string& path,
                                     InputFormat format = InputFormat::kAuto) {
  std::vector<InputRecord> out;
  ReadPosts(path, format, [&](InputRecord&& r) { out.push_back(std::move(r)); });
  return out;
}

// The warnings among `records`, in order.
inline std::vector<ReadWarning> Warnings(const std::vector<InputRecord>& records) {
  std::vector<ReadWarning> out;
  for (const auto& r : records) {
    if (const ReadWarning* w = std::get_if<ReadWarning>(&r))
      out.push_back(*w);
  }
  return out;
}

}  // namespace postlint::testing
