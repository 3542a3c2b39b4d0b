#include <algorithm>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/text_position.h"
#include "report/json_post.h"
#include "report/reporter_impl.h"

namespace postlint {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

ordered_json FindingToJson(const Finding& f, const TextPositionIndex& index) {
  // Rules should never produce an inverted range; clamp rather than emit end < start.
  const uint32_t end_byte = std::max(f.range.begin, f.range.end);
  const TextPosition start = index.At(f.range.begin);
  const TextPosition end = index.At(end_byte);
  ordered_json j = ordered_json::object();
  j["rule"] = f.rule;
  j["kind"] = f.kind;
  j["level"] = ToString(f.level);
  j["message"] = f.message;
  j["excerpt"] = f.excerpt;
  j["start"] = start.code_point;
  j["end"] = end.code_point;
  j["utf16_start"] = start.utf16;
  j["utf16_end"] = end.utf16;
  j["line"] = start.line;
  j["column"] = start.column;
  j["end_line"] = end.line;
  j["end_column"] = end.column;
  if (f.fix)
    j["fix"] = *f.fix;
  if (!f.network.empty())
    j["network"] = f.network;
  if (!f.type.empty())
    j["type"] = f.type;
  if (!f.field.empty())
    j["field"] = f.field;  // not the post's text: positions are 0, the excerpt says what
  if (f.suppression) {
    const Suppression& w = *f.suppression;
    j["suppressed"] = {{"waiver", w.waiver},
                       {"by", w.by},
                       {"role", w.role},
                       {"reason", w.reason},
                       {"until", w.until}};
  }
  return j;
}

ordered_json MetricsToJson(const std::vector<NetworkMetrics>& metrics) {
  ordered_json j = ordered_json::object();
  for (const auto& m : metrics) {
    j[m.network] = {{"unit", m.unit},
                    {"length", m.length},
                    {"limit", m.limit},
                    {"hashtags", m.hashtags},
                    {"max_hashtags", m.max_hashtags}};
  }
  return j;
}

}  // namespace

ordered_json PostResultToOrderedJson(const PostResult& result) {
  const Post& post = result.post;
  ordered_json j = ordered_json::object();
  if (result.error) {
    // A record that could not be read may not have produced a Post at all; fall back to what
    // the reader recorded in the error.
    const ReadError& e = *result.error;
    j["id"] = post.id.empty() ? e.id : post.id;
    j["source"] = post.source.empty() ? e.source : post.source;
    j["source_line"] = post.source_line == 0 ? e.line : post.source_line;
    j["verdict"] = ToString(Verdict::kError);
    j["findings"] = ordered_json::array();
    j["metrics"] = ordered_json::object();
    j["error"] = {{"message", e.message}, {"line", e.line}};
    return j;
  }
  j["id"] = post.id;
  j["source"] = post.source;
  j["source_line"] = post.source_line;
  if (!result.fingerprint.empty())
    j["fingerprint"] = result.fingerprint;
  j["verdict"] = ToString(result.verdict);
  if (result.review) {
    ordered_json approvals = ordered_json::array();
    for (const auto& a : result.review->approvals) {
      ordered_json aj = {{"by", a.by}, {"role", a.role}, {"at", a.at}};
      if (!a.note.empty())
        aj["note"] = a.note;
      approvals.push_back(std::move(aj));
    }
    j["review"] = {{"required_roles", result.review->required_roles},
                   {"pending_roles", result.review->pending_roles},
                   {"approvals", std::move(approvals)}};
  }
  const TextPositionIndex index(post.text);
  ordered_json findings = ordered_json::array();
  for (const auto& f : result.findings)
    findings.push_back(FindingToJson(f, index));
  j["findings"] = std::move(findings);
  j["metrics"] = MetricsToJson(result.metrics);
  return j;
}

json PostResultToJson(const PostResult& result) {
  return json(PostResultToOrderedJson(result));
}

std::string DumpJson(const json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
}

std::string DumpJson(const ordered_json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, ordered_json::error_handler_t::replace);
}

namespace {

ordered_json SummaryToJson(const RunSummary& summary) {
  ordered_json verdicts = ordered_json::object();
  Verdict worst = Verdict::kPass;
  for (const auto& [verdict, count] : summary.verdicts) {
    verdicts[std::string(ToString(verdict))] = count;
    if (count > 0)
      worst = std::max(worst, verdict);
  }
  ordered_json findings = ordered_json::object();
  // Most severe first, as people read it; every level is present even when zero.
  for (const Level level : {Level::kError, Level::kWarning, Level::kInfo}) {
    const auto it = summary.findings.find(level);
    findings[std::string(ToString(level))] = it == summary.findings.end() ? 0 : it->second;
  }
  ordered_json by_rule = ordered_json::object();
  for (const auto& [rule, count] : summary.findings_by_rule)
    by_rule[rule] = count;
  return {{"posts", summary.posts},
          {"verdicts", std::move(verdicts)},
          {"findings", std::move(findings)},
          {"suppressed", summary.suppressed},
          {"findings_by_rule", std::move(by_rule)},
          {"verdict", ToString(worst)}};
}

// Streams one JSON document so memory stays flat on large batches: the header goes out in
// Begin, each post as soon as it arrives, the summary in End.
class JsonReporter : public Reporter {
 public:
  explicit JsonReporter(std::ostream& out) : out_(out) {}

  void Begin(const PolicyInfo& policy) override {
    if (begun_)
      return;
    begun_ = true;
    const ordered_json p = {
        {"name", policy.name}, {"version", policy.version}, {"sha256", policy.sha256}};
    out_ << "{\n  \"policy\": " << DumpJson(p) << ",\n  \"posts\": [";
  }

  void Add(const PostResult& result) override {
    if (!begun_)
      Begin(PolicyInfo{});
    out_ << (posts_ == 0 ? "\n    " : ",\n    ") << DumpJson(PostResultToOrderedJson(result));
    ++posts_;
  }

  void End(const RunSummary& summary) override {
    if (!begun_)
      Begin(PolicyInfo{});
    out_ << (posts_ == 0 ? "],\n" : "\n  ],\n");
    out_ << "  \"summary\": " << DumpJson(SummaryToJson(summary)) << "\n}\n";
    out_.flush();
  }

 private:
  std::ostream& out_;
  bool begun_ = false;
  uint64_t posts_ = 0;
};

class JsonlReporter : public Reporter {
 public:
  explicit JsonlReporter(std::ostream& out) : out_(out) {}
  void Begin(const PolicyInfo&) override {}
  // Compact dumps escape every control character, so one post is always exactly one line.
  void Add(const PostResult& result) override {
    out_ << DumpJson(PostResultToOrderedJson(result)) << '\n';
  }
  void End(const RunSummary&) override { out_.flush(); }

 private:
  std::ostream& out_;
};

}  // namespace

std::unique_ptr<Reporter> MakeJsonReporter(std::ostream& out) {
  return std::make_unique<JsonReporter>(out);
}

std::unique_ptr<Reporter> MakeJsonlReporter(std::ostream& out) {
  return std::make_unique<JsonlReporter>(out);
}

}  // namespace postlint
