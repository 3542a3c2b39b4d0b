// A single self-contained HTML file for managers and auditors: summary, charts of findings over
// time and by rule and account (inline SVG), and a filterable table of findings with the
// offending text highlighted. No external assets, no network. Sensitive matches stay masked:
// context around a finding is built with every masked range of the post replaced by its excerpt.
#include <algorithm>
#include <sstream>

#include "core/text_position.h"
#include "core/utf8.h"
#include "report/audit_summary.h"
#include "report/markup.h"
#include "report/reporter_impl.h"

namespace postlint {

namespace {

constexpr size_t kMaxRows = 5000;  // beyond this the table points to the CSV report

// Up to `n` code points of `s` from the end (left = true) or the start.
std::string Clip(std::string_view s, size_t n, bool keep_end) {
  const size_t count = CountCodePoints(s);
  if (count <= n)
    return std::string(s);
  size_t skip = keep_end ? count - n : n;
  size_t i = 0;
  while (skip > 0 && i < s.size()) {
    DecodeUtf8(s, i);
    --skip;
  }
  return keep_end ? "…" + std::string(s.substr(i)) : std::string(s.substr(0, i)) + "…";
}

struct Row {
  std::string post_id, source, location, verdict, rule, level, network, account, message;
  std::string before, match, after;  // already masked where needed
  std::string waived;  // "waived by NAME (ROLE) until TIME: REASON" when a waiver accepted it
};

std::string BarChart(const std::vector<std::pair<std::string, uint64_t>>& data,
                     const std::string& title) {
  std::ostringstream svg;
  const size_t n = std::min<size_t>(data.size(), 12);
  const uint64_t max = n ? std::max<uint64_t>(1, data.front().second) : 1;
  const int height = 24 * static_cast<int>(n) + 30;
  svg << "<figure><figcaption>" << EscapeMarkup(title)
      << "</figcaption><svg role=\"img\" aria-label=\"" << EscapeMarkup(title)
      << "\" viewBox=\"0 0 520 " << height << "\" width=\"520\" height=\"" << height << "\">";
  for (size_t i = 0; i < n; ++i) {
    const auto& [label, value] = data[i];
    const int y = 10 + 24 * static_cast<int>(i);
    const int w = static_cast<int>(300.0 * static_cast<double>(value) / static_cast<double>(max));
    svg << "<text x=\"170\" y=\"" << y + 14 << "\" text-anchor=\"end\">"
        << EscapeMarkup(Clip(label, 24, false)) << "</text><rect x=\"178\" y=\"" << y
        << "\" width=\"" << std::max(w, 1) << "\" height=\"18\" class=\"bar\"/><text x=\""
        << 184 + w << "\" y=\"" << y + 14 << "\">" << value << "</text>";
  }
  svg << "</svg></figure>";
  return svg.str();
}

std::string MonthChart(const nlohmann::ordered_json& months) {
  std::vector<std::pair<std::string, uint64_t>> data;
  for (auto it = months.begin(); it != months.end(); ++it) {
    data.emplace_back(it.key(), it.value()["findings"].get<uint64_t>());
  }
  std::ostringstream svg;
  const uint64_t max = std::max<uint64_t>(
      1, data.empty() ? 1 : std::max_element(data.begin(), data.end(), [](auto& a, auto& b) {
                              return a.second < b.second;
                            })->second);
  const int n = static_cast<int>(data.size());
  const int bar = n ? std::max(6, std::min(40, 480 / std::max(1, n))) : 40;
  svg << "<figure><figcaption>Findings by month</figcaption><svg role=\"img\" "
         "aria-label=\"Findings by month\" viewBox=\"0 0 520 200\" width=\"520\" height=\"200\">";
  for (int i = 0; i < n; ++i) {
    const int h =
        static_cast<int>(140.0 * static_cast<double>(data[i].second) / static_cast<double>(max));
    const int x = 20 + i * bar;
    svg << "<rect x=\"" << x << "\" y=\"" << 160 - h << "\" width=\"" << bar - 2 << "\" height=\""
        << std::max(h, 1) << "\" class=\"bar\"><title>" << EscapeMarkup(data[i].first) << ": "
        << data[i].second << "</title></rect>";
    if (n <= 12 || i % (n / 12 + 1) == 0) {
      svg << "<text x=\"" << x << "\" y=\"178\" class=\"small\">" << EscapeMarkup(data[i].first)
          << "</text>";
    }
  }
  svg << "</svg></figure>";
  return svg.str();
}

class HtmlReporter final : public Reporter {
 public:
  explicit HtmlReporter(std::ostream& out) : out_(out) {}

  void Begin(const PolicyInfo& policy) override { policy_ = policy; }

  void Add(const PostResult& r) override {
    summary_.Add(r);
    if (r.error) {
      if (rows_.size() < kMaxRows) {
        rows_.push_back({r.post.id, r.post.source, std::to_string(r.error->line), "error",
                         "postlint/unreadable-post", "error", "", "", r.error->message, "", "", "",
                         ""});
      } else {
        ++dropped_;
      }
      return;
    }
    if (r.findings.empty())
      return;
    const std::string_view text = r.post.text;
    // Ranges whose excerpt differs from the text are sensitive: never show their raw text.
    std::vector<const Finding*> masked;
    for (const auto& f : r.findings) {
      if (f.range.end <= text.size() && !f.range.empty() &&
          text.substr(f.range.begin, f.range.size()) != f.excerpt) {
        masked.push_back(&f);
      }
    }
    auto safe = [&](uint32_t begin, uint32_t end) {
      std::string out;
      uint32_t at = begin;
      for (const Finding* m : masked) {
        if (m->range.end <= at || m->range.begin >= end)
          continue;
        if (m->range.begin > at)
          out += text.substr(at, m->range.begin - at);
        out += m->excerpt;
        at = std::max(at, m->range.end);
      }
      if (at < end)
        out += text.substr(at, end - at);
      return out;
    };
    const TextPositionIndex index(text);
    for (const auto& f : r.findings) {
      if (rows_.size() >= kMaxRows) {
        ++dropped_;
        continue;
      }
      const TextPosition pos = index.At(f.range.begin);
      const uint32_t line = r.post.text_is_verbatim
                                ? (r.post.source_line ? r.post.source_line : 1) + pos.line - 1
                                : r.post.source_line;
      Row row;
      row.post_id = r.post.id;
      row.source = r.post.source;
      // A column only means something when the text is verbatim in the file.
      row.location = std::to_string(line) +
                     (r.post.text_is_verbatim ? ":" + std::to_string(pos.column) : std::string());
      row.verdict = std::string(ToString(r.verdict));
      row.rule = f.rule;
      row.level = std::string(ToString(f.level));
      row.network = f.network;
      row.account = r.post.account;
      row.message = f.message;
      if (f.suppression) {
        const Suppression& w = *f.suppression;
        row.waived = "waived by " + w.by + " (" + w.role + ") until " + w.until + ": " + w.reason;
      }
      const uint32_t end = std::min<uint32_t>(f.range.end, static_cast<uint32_t>(text.size()));
      row.before = Clip(safe(0, f.range.begin), 60, true);
      row.match = f.range.empty() ? "" : f.excerpt;
      row.after = Clip(safe(end, static_cast<uint32_t>(text.size())), 60, false);
      rows_.push_back(std::move(row));
    }
  }

  void End(const RunSummary& totals) override {
    summary_.set_skipped(totals.skipped);
    const nlohmann::ordered_json s = summary_.ToJson(policy_);
    std::vector<std::pair<std::string, uint64_t>> by_rule, by_account;
    for (auto it = s["findings_by_rule"].begin(); it != s["findings_by_rule"].end(); ++it) {
      by_rule.emplace_back(it.key(), it.value().get<uint64_t>());
    }
    for (auto it = s["findings_by_account"].begin(); it != s["findings_by_account"].end(); ++it) {
      by_account.emplace_back(it.key(), it.value().get<uint64_t>());
    }
    out_ << R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>postlint audit: )"
         << EscapeMarkup(policy_.name) << R"(</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2430;max-width:1200px}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin-top:2rem}
.meta{color:#5a6472}.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #d8dde5;border-radius:8px;padding:.75rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.6rem}.pass b{color:#1a7f37}.review b{color:#9a6700}
.fail b{color:#cf222e}.error b{color:#8250df}
.charts{display:flex;flex-wrap:wrap;gap:2rem}figure{margin:0}figcaption{font-weight:600}
svg text{font-size:12px;fill:#1d2430}svg .small{font-size:10px}.bar{fill:#4c78a8}
table{border-collapse:collapse;width:100%;margin-top:.5rem}th,td{border-bottom:1px solid #e4e8ee;
padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f4f6f9;position:sticky;top:0}
mark{background:#ffe08a;padding:0 .1em}.ctx{font-family:ui-monospace,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
.lvl-error{color:#cf222e;font-weight:600}.lvl-warning{color:#9a6700}.lvl-info{color:#0969da}.waived{color:#57606a;font-style:italic}
.filters{display:flex;gap:.5rem;flex-wrap:wrap}input,select{font:inherit;padding:.25rem}
</style></head><body>
<h1>postlint audit</h1>
<p class="meta">Policy <b>)"
         << EscapeMarkup(policy_.name) << "</b> " << EscapeMarkup(policy_.version)
         << " · sha256 <code>" << EscapeMarkup(policy_.sha256.substr(0, 16))
         << "</code></p>\n<div class=\"cards\" id=\"summary\">"
         << "<div class=\"card\"><b id=\"posts\">" << s["posts"].get<uint64_t>()
         << "</b>posts checked</div>";
    for (const char* v : {"pass", "review", "fail", "error"}) {
      out_ << "<div class=\"card " << v << "\"><b id=\"verdict-" << v << "\">"
           << s["verdicts"][v].get<uint64_t>() << "</b>" << v << "</div>";
    }
    out_ << "<div class=\"card\"><b id=\"findings\">"
         << totals.findings.at(Level::kError) + totals.findings.at(Level::kWarning) +
                totals.findings.at(Level::kInfo)
         << "</b>findings</div></div>\n";
    if (s["skipped"].get<uint64_t>() > 0) {
      out_ << "<p class=\"meta\">" << s["skipped"].get<uint64_t>()
           << " posts outside the date range were skipped.</p>";
    }
    out_ << "<h2>Charts</h2><div class=\"charts\">" << MonthChart(s["by_month"])
         << BarChart(by_rule, "Findings by rule") << BarChart(by_account, "Findings by account")
         << "</div>\n<h2>Findings</h2>\n<div class=\"filters\"><input id=\"q\" type=\"search\" "
            "placeholder=\"Filter text…\" aria-label=\"Filter\"><select id=\"rule\" "
            "aria-label=\"Rule\"><option value=\"\">All rules</option>";
    for (const auto& [rule, n] : by_rule) {
      out_ << "<option>" << EscapeMarkup(rule) << "</option>";
    }
    out_ << "</select><select id=\"level\" aria-label=\"Level\"><option value=\"\">All "
            "levels</option><option>error</option><option>warning</option><option>info</option>"
            "</select><span id=\"shown\" class=\"meta\"></span></div>\n";
    if (dropped_ > 0) {
      out_ << "<p class=\"meta\">The table shows the first " << kMaxRows << " findings; "
           << dropped_ << " more are in the CSV or JSONL report.</p>";
    }
    out_ << "<table id=\"findings-table\"><thead><tr><th>Post</th><th>Where</th><th>Level</th>"
            "<th>Rule</th><th>Message</th><th>Text</th><th>Account</th></tr></thead><tbody>\n";
    for (const auto& row : rows_) {
      out_ << "<tr data-rule=\"" << EscapeMarkup(row.rule) << "\" data-level=\"" << row.level
           << "\"><td>" << EscapeMarkup(row.post_id) << "</td><td>" << EscapeMarkup(row.source)
           << ":" << EscapeMarkup(row.location)
           << (row.network.empty() ? "" : " [" + EscapeMarkup(row.network) + "]")
           << "</td><td class=\"lvl-" << row.level << "\">" << row.level << "</td><td>"
           << EscapeMarkup(row.rule) << "</td><td>" << EscapeMarkup(row.message)
           << (row.waived.empty()
                   ? ""
                   : "<br><span class=\"waived\">" + EscapeMarkup(row.waived) + "</span>")
           << "</td><td class=\"ctx\">" << EscapeMarkup(row.before) << "<mark>"
           << EscapeMarkup(row.match) << "</mark>" << EscapeMarkup(row.after) << "</td><td>"
           << EscapeMarkup(row.account) << "</td></tr>\n";
    }
    out_ << R"(</tbody></table>
<script>
(function () {
  var q = document.getElementById('q'), rule = document.getElementById('rule'),
      level = document.getElementById('level'), shown = document.getElementById('shown');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#findings-table tbody tr'));
  function apply() {
    var text = q.value.toLowerCase(), n = 0;
    rows.forEach(function (tr) {
      var ok = (!rule.value || tr.dataset.rule === rule.value) &&
               (!level.value || tr.dataset.level === level.value) &&
               (!text || tr.textContent.toLowerCase().indexOf(text) >= 0);
      tr.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + ' of ' + rows.length + ' findings shown';
  }
  [q, rule, level].forEach(function (el) { el.addEventListener('input', apply); });
  apply();
})();
</script>
</body></html>
)";
  }

 private:
  std::ostream& out_;
  PolicyInfo policy_;
  AuditSummary summary_;
  std::vector<Row> rows_;
  uint64_t dropped_ = 0;
};

}  // namespace

std::unique_ptr<Reporter> MakeHtmlReporter(std::ostream& out) {
  return std::make_unique<HtmlReporter>(out);
}

}  // namespace postlint
