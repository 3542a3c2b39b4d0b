// Reporters for audits and CI systems: summary (text and JSON), SARIF 2.1.0, JUnit XML, CSV.
// Each streams what it can; the summary and SARIF keep only counters and rule tables between
// posts, never the posts themselves, except SARIF results which are written as they come.
#include <iomanip>
#include <set>
#include <sstream>

#include "core/hash.h"
#include "core/text_position.h"
#include "report/audit_summary.h"
#include "report/json_post.h"
#include "report/markup.h"
#include "report/reporter_impl.h"

namespace postlint {

namespace {

class SummaryReporter final : public Reporter {
 public:
  SummaryReporter(std::ostream& out, bool as_json) : out_(out), json_(as_json) {}
  void Begin(const PolicyInfo& policy) override { policy_ = policy; }
  void Add(const PostResult& result) override { summary_.Add(result); }
  void End(const RunSummary& totals) override {
    summary_.set_skipped(totals.skipped);
    if (json_) {
      out_ << DumpJson(summary_.ToJson(policy_), 2) << "\n";
    } else {
      summary_.PrintText(out_, policy_);
    }
  }

 private:
  std::ostream& out_;
  bool json_;
  PolicyInfo policy_;
  AuditSummary summary_;
};

// Where a finding is, in the file's own lines when the text is verbatim in it.
struct Place {
  uint32_t line = 0;
  uint32_t column = 0;  // code points, 1-based
  uint32_t end_line = 0;
  uint32_t end_column = 0;
  uint32_t text_line = 0;  // within the post text
  uint32_t text_column = 0;
  uint32_t start = 0;  // code points into the text
  uint32_t end = 0;
};

Place Locate(const PostResult& r, const TextPositionIndex& index, const Finding& f) {
  const TextPosition b = index.At(f.range.begin);
  const TextPosition e = index.At(f.range.end);
  Place p;
  p.text_line = b.line;
  p.text_column = b.column;
  p.start = b.code_point;
  p.end = e.code_point;
  const uint32_t base = r.post.source_line ? r.post.source_line : 1;
  if (r.post.text_is_verbatim) {
    p.line = base + b.line - 1;
    p.column = b.column;
    p.end_line = base + e.line - 1;
    p.end_column = e.column;
  } else {
    p.line = p.end_line = base;  // the record's line; the text position is in properties
  }
  return p;
}

// A fingerprint that survives unrelated edits elsewhere in the file: rule, post, what matched.
std::string Fingerprint(const PostResult& r, const Finding& f) {
  return Fnv1a64Hex(f.rule + '\x1f' + r.post.id + '\x1f' + f.excerpt + '\x1f' + f.network);
}

std::string SarifLevel(Level level) {
  return level == Level::kError ? "error" : level == Level::kWarning ? "warning" : "note";
}

class SarifReporter final : public Reporter {
 public:
  explicit SarifReporter(std::ostream& out) : out_(out) {}

  void Begin(const PolicyInfo& policy) override {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (size_t i = 0; i < policy.rules.size(); ++i) {
      const RuleInfo& r = policy.rules[i];
      rule_index_[r.id] = i;
      rules.push_back(
          {{"id", r.id},
           {"name", r.id},
           {"shortDescription", {{"text", r.description.empty() ? r.id : r.description}}},
           {"fullDescription", {{"text", r.description.empty() ? r.id : r.description}}},
           {"help",
            {{"text",
              r.description + " (rule kind '" + r.kind + "'; see docs/rules/" + r.kind + ".md)"}}},
           {"defaultConfiguration", {{"level", SarifLevel(r.level)}}},
           {"properties", {{"kind", r.kind}}}});
    }
    nlohmann::ordered_json driver = {
        {"name", "postlint"}, {"version", POSTLINT_VERSION}, {"rules", rules}};
    const std::string head = DumpJson(nlohmann::ordered_json{{"tool", {{"driver", driver}}},
                                                             {"columnKind", "unicodeCodePoints"},
                                                             {"properties",
                                                              {{"policy", policy.name},
                                                               {"policyVersion", policy.version},
                                                               {"policySha256", policy.sha256}}}});
    // Stream: everything up to the results array, then one result per finding.
    out_ << "{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"version\": "
            "\"2.1.0\", \"runs\": [";
    out_ << head.substr(0, head.size() - 1) << ", \"results\": [\n";
  }

  void Add(const PostResult& r) override {
    const TextPositionIndex index(r.post.text);
    if (r.error) {
      Write({{"ruleId", "postlint/unreadable-post"},
             {"level", "error"},
             {"message", {{"text", r.error->message}}},
             {"locations", Locations(r, r.error->line, 0, 0, 0)}});
      return;
    }
    for (const auto& f : r.findings) {
      const Place p = Locate(r, index, f);
      nlohmann::ordered_json result = {{"ruleId", f.rule}};
      if (const auto it = rule_index_.find(f.rule); it != rule_index_.end()) {
        result["ruleIndex"] = it->second;
      }
      result["level"] = SarifLevel(f.level);
      result["message"] = {{"text", f.message}};
      result["locations"] = Locations(r, p.line, p.column, p.end_line, p.end_column, &f);
      result["partialFingerprints"] = {{"postlint/v1", Fingerprint(r, f)}};
      nlohmann::ordered_json props = {{"postId", r.post.id},
                                      {"verdict", ToString(r.verdict)},
                                      {"kind", f.kind},
                                      {"start", p.start},
                                      {"end", p.end},
                                      {"textLine", p.text_line},
                                      {"textColumn", p.text_column}};
      if (!f.network.empty())
        props["network"] = f.network;
      if (!f.type.empty())
        props["type"] = f.type;
      if (!f.field.empty())
        props["field"] = f.field;
      if (f.fix)
        props["fix"] = *f.fix;
      if (!r.fingerprint.empty())
        props["postFingerprint"] = r.fingerprint;
      result["properties"] = props;
      if (f.suppression) {
        // SARIF's own way to say "accepted, with a reason": viewers show it, CI ignores it.
        const Suppression& w = *f.suppression;
        result["suppressions"] = nlohmann::ordered_json::array(
            {{{"kind", "external"},
              {"status", "accepted"},
              {"justification", w.reason},
              {"properties",
               {{"waiver", w.waiver}, {"by", w.by}, {"role", w.role}, {"until", w.until}}}}});
      }
      Write(result);
    }
  }

  void End(const RunSummary& summary) override {
    out_ << "\n], \"invocations\": [{\"executionSuccessful\": true, \"properties\": "
         << DumpJson(nlohmann::ordered_json{{"posts", summary.posts}}) << "}]}]}\n";
  }

 private:
  static nlohmann::ordered_json Locations(const PostResult& r, uint32_t line, uint32_t column,
                                          uint32_t end_line, uint32_t end_column,
                                          const Finding* f = nullptr) {
    nlohmann::ordered_json region = nlohmann::ordered_json::object();
    if (line)
      region["startLine"] = line;
    if (column)
      region["startColumn"] = column;
    if (end_line && column)
      region["endLine"] = end_line;
    if (end_column && column)
      region["endColumn"] = std::max(end_column, column);
    if (f && !f->excerpt.empty())
      region["snippet"] = {{"text", f->excerpt}};
    nlohmann::ordered_json physical = {
        {"artifactLocation", {{"uri", r.post.source.empty() ? "stdin" : r.post.source}}}};
    if (!region.empty())
      physical["region"] = region;
    nlohmann::ordered_json location = {{"physicalLocation", physical}};
    if (!r.post.id.empty()) {
      location["logicalLocations"] = {{{"name", r.post.id}, {"kind", "object"}}};
    }
    return nlohmann::ordered_json::array({location});
  }

  void Write(const nlohmann::ordered_json& result) {
    out_ << (first_ ? "" : ",\n") << DumpJson(result);
    first_ = false;
  }

  std::ostream& out_;
  std::map<std::string, size_t> rule_index_;
  bool first_ = true;
};

class JunitReporter final : public Reporter {
 public:
  explicit JunitReporter(std::ostream& out) : out_(out) {}
  void Begin(const PolicyInfo& policy) override { policy_ = policy; }

  void Add(const PostResult& r) override {
    std::ostringstream c;
    const std::string name = r.post.id.empty() ? r.post.source : r.post.id;
    c << "    <testcase name=\"" << EscapeMarkup(name) << "\" classname=\""
      << EscapeMarkup(r.post.source.empty() ? "stdin" : r.post.source) << "\">\n";
    if (r.error) {
      ++errors_;
      c << "      <error message=\"" << EscapeMarkup(r.error->message)
        << "\" type=\"unreadable\"/>\n";
    } else if (r.verdict == Verdict::kFail || r.verdict == Verdict::kReview) {
      ++failures_;
      std::ostringstream body;
      const TextPositionIndex index(r.post.text);
      for (const auto& f : r.findings) {
        const Place p = Locate(r, index, f);
        body << ToString(f.level) << " " << f.rule << " " << p.text_line << ":" << p.text_column
             << ": " << f.message;
        if (!f.network.empty())
          body << " [" << f.network << "]";
        body << "\n";
      }
      c << "      <failure message=\"" << EscapeMarkup(std::string(ToString(r.verdict))) << ": "
        << r.findings.size() << " finding" << (r.findings.size() == 1 ? "" : "s") << "\" type=\""
        << ToString(r.verdict) << "\">" << EscapeMarkup(body.str()) << "</failure>\n";
    }
    c << "    </testcase>\n";
    cases_ += c.str();
    ++tests_;
  }

  void End(const RunSummary&) override {
    out_ << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"postlint\" tests=\""
         << tests_ << "\" failures=\"" << failures_ << "\" errors=\"" << errors_ << "\">\n"
         << "  <testsuite name=\"" << EscapeMarkup(policy_.name.empty() ? "postlint" : policy_.name)
         << "\" tests=\"" << tests_ << "\" failures=\"" << failures_ << "\" errors=\"" << errors_
         << "\" skipped=\"0\">\n"
         << cases_ << "  </testsuite>\n</testsuites>\n";
  }

 private:
  std::ostream& out_;
  PolicyInfo policy_;
  std::string cases_;  // JUnit puts counts in the opening tag, so cases wait for End()
  uint64_t tests_ = 0, failures_ = 0, errors_ = 0;
};

class CsvReporter final : public Reporter {
 public:
  explicit CsvReporter(std::ostream& out) : out_(out) {}
  void Begin(const PolicyInfo&) override {
    out_ << "post_id,source,line,column,start,end,verdict,rule,kind,level,network,type,message,"
            "excerpt,fix,account,author,created_at,waiver\r\n";
  }
  void Add(const PostResult& r) override {
    if (r.error) {
      Row({r.post.id, r.post.source, std::to_string(r.error->line), "", "", "", "error",
           "postlint/unreadable-post", "", "error", "", "", r.error->message, "", "", "", "", "",
           ""});
      return;
    }
    const TextPositionIndex index(r.post.text);
    for (const auto& f : r.findings) {
      const Place p = Locate(r, index, f);
      Row({r.post.id, r.post.source, std::to_string(p.line),
           std::to_string(p.column ? p.column : p.text_column), std::to_string(p.start),
           std::to_string(p.end), std::string(ToString(r.verdict)), f.rule, f.kind,
           std::string(ToString(f.level)), f.network, f.type, f.message, f.excerpt,
           f.fix.value_or(""), r.post.account, r.post.author, r.post.created_at,
           f.suppression ? f.suppression->waiver : ""});
    }
  }
  void End(const RunSummary&) override {}

 private:
  void Row(const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i)
      out_ << (i ? "," : "") << CsvField(cells[i]);
    out_ << "\r\n";
  }
  std::ostream& out_;
};

}  // namespace

std::unique_ptr<Reporter> MakeSummaryReporter(std::ostream& out, bool json) {
  return std::make_unique<SummaryReporter>(out, json);
}
std::unique_ptr<Reporter> MakeSarifReporter(std::ostream& out) {
  return std::make_unique<SarifReporter>(out);
}
std::unique_ptr<Reporter> MakeJunitReporter(std::ostream& out) {
  return std::make_unique<JunitReporter>(out);
}
std::unique_ptr<Reporter> MakeCsvReporter(std::ostream& out) {
  return std::make_unique<CsvReporter>(out);
}

}  // namespace postlint
