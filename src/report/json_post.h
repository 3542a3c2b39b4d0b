// The per-post JSON object shared by the "json" and "jsonl" reporters (and anything else that
// serves results as JSON, e.g. the HTTP service). The layout is documented field by field in
// docs/report-format.md; keep the two in sync.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/post_result.h"

namespace postlint {

// One post's result as a JSON object: id, source, source_line, verdict, findings, metrics, and
// `error` for records that could not be read. Positions are code point / UTF-16 offsets and
// 1-based line:column inside the post's text. Never includes the post text itself: excerpts are
// emitted exactly as the rule produced them, so masked secrets stay masked.
nlohmann::json PostResultToJson(const PostResult& result);

// The same object with keys in the documented order (id, source, ..., error) rather than
// nlohmann::json's alphabetical order; what the reporters write, for human readers.
nlohmann::ordered_json PostResultToOrderedJson(const PostResult& result);

// Compact serialisation on one line. Never throws on invalid UTF-8 (replaced by U+FFFD) and
// leaves non-ASCII characters unescaped. `indent` >= 0 pretty-prints as json::dump does.
std::string DumpJson(const nlohmann::json& value, int indent = -1);
std::string DumpJson(const nlohmann::ordered_json& value, int indent = -1);

}  // namespace postlint
