#include "report/audit_summary.h"

#include <algorithm>
#include <iomanip>

#include "core/utf8.h"

namespace postlint {

namespace {

// Worse first: verdict, then errors, then warnings, then infos.
bool Worse(const AuditSummary::PostLine& a, const AuditSummary::PostLine& b) {
  if (a.verdict != b.verdict)
    return a.verdict > b.verdict;
  if (a.errors != b.errors)
    return a.errors > b.errors;
  if (a.warnings != b.warnings)
    return a.warnings > b.warnings;
  return a.infos > b.infos;
}

std::string MonthOf(const std::string& created_at) {
  // ISO 8601 "2026-03-14T..." -> "2026-03"; anything else is "unknown".
  if (created_at.size() >= 7 && created_at[4] == '-' &&
      std::all_of(created_at.begin(), created_at.begin() + 4, ::isdigit) &&
      std::isdigit(static_cast<unsigned char>(created_at[5])) &&
      std::isdigit(static_cast<unsigned char>(created_at[6]))) {
    return created_at.substr(0, 7);
  }
  return "unknown";
}

std::string OrNone(const std::string& s) {
  return s.empty() ? "(none)" : s;
}

template <typename Map>
std::vector<std::pair<std::string, uint64_t>> ByCount(const Map& map) {
  std::vector<std::pair<std::string, uint64_t>> v(map.begin(), map.end());
  std::stable_sort(v.begin(), v.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return v;
}

}  // namespace

void AuditSummary::Add(const PostResult& result) {
  totals_.Add(result);
  const Post& post = result.post;
  const std::string month = MonthOf(post.created_at);
  ++posts_by_month_[month];
  PostLine line{post.id, post.source, post.source_line, result.verdict, 0, 0, 0};
  for (const auto& f : result.findings) {
    if (f.suppression)
      continue;  // accepted by a waiver: counted in totals_.suppressed, not as a finding
    ++findings_by_month_[month];
    ++by_network_[OrNone(f.network.empty() && !post.networks.empty() ? post.networks.front()
                                                                     : f.network)];
    ++by_account_[OrNone(post.account)];
    ++by_author_[OrNone(post.author)];
    (f.level == Level::kError     ? line.errors
     : f.level == Level::kWarning ? line.warnings
                                  : line.infos)++;
  }
  if (result.verdict == Verdict::kPass && line.errors + line.warnings + line.infos == 0)
    return;
  if (top_.size() < top_limit_ || Worse(line, top_.back())) {
    top_.insert(std::upper_bound(top_.begin(), top_.end(), line, Worse), line);
    if (top_.size() > top_limit_)
      top_.pop_back();
  }
}

nlohmann::ordered_json AuditSummary::ToJson(const PolicyInfo& policy) const {
  nlohmann::ordered_json j;
  j["policy"] = {{"name", policy.name}, {"version", policy.version}, {"sha256", policy.sha256}};
  j["posts"] = totals_.posts;
  j["skipped"] = skipped_;
  nlohmann::ordered_json verdicts;
  for (const auto& [v, n] : totals_.verdicts)
    verdicts[std::string(ToString(v))] = n;
  j["verdicts"] = verdicts;
  nlohmann::ordered_json levels;
  for (Level l : {Level::kError, Level::kWarning, Level::kInfo}) {
    levels[std::string(ToString(l))] = totals_.findings.at(l);
  }
  j["findings"] = levels;
  j["suppressed"] = totals_.suppressed;
  auto counts = [](const auto& map) {
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    for (const auto& [k, n] : ByCount(map))
      o[k] = n;
    return o;
  };
  j["findings_by_rule"] = counts(totals_.findings_by_rule);
  j["findings_by_network"] = counts(by_network_);
  j["findings_by_account"] = counts(by_account_);
  j["findings_by_author"] = counts(by_author_);
  nlohmann::ordered_json months = nlohmann::ordered_json::object();
  for (const auto& [m, n] : posts_by_month_) {
    const auto it = findings_by_month_.find(m);
    months[m] = {{"posts", n}, {"findings", it == findings_by_month_.end() ? 0 : it->second}};
  }
  j["by_month"] = months;
  nlohmann::ordered_json top = nlohmann::ordered_json::array();
  for (const auto& p : top_) {
    top.push_back({{"id", p.id},
                   {"source", p.source},
                   {"line", p.line},
                   {"verdict", ToString(p.verdict)},
                   {"errors", p.errors},
                   {"warnings", p.warnings},
                   {"info", p.infos}});
  }
  j["top_posts"] = top;
  Verdict worst = Verdict::kPass;
  for (const auto& [v, n] : totals_.verdicts) {
    if (n > 0)
      worst = std::max(worst, v);
  }
  j["verdict"] = ToString(worst);
  return j;
}

void AuditSummary::PrintText(std::ostream& out, const PolicyInfo& policy) const {
  const auto pct = [&](uint64_t n) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1)
      << (totals_.posts ? 100.0 * static_cast<double>(n) / static_cast<double>(totals_.posts) : 0.0)
      << "%";
    return s.str();
  };
  out << "Audit with policy " << policy.name << (policy.version.empty() ? "" : " " + policy.version)
      << " (sha256 " << policy.sha256.substr(0, 12) << ")\n\n";
  out << "Posts checked: " << totals_.posts;
  if (skipped_)
    out << " (" << skipped_ << " outside the date range skipped)";
  out << "\n";
  for (Verdict v : {Verdict::kPass, Verdict::kReview, Verdict::kFail, Verdict::kError}) {
    const uint64_t n = totals_.verdicts.at(v);
    out << "  " << std::left << std::setw(8) << ToString(v) << std::right << std::setw(10) << n
        << "  " << pct(n) << "\n";
  }
  out << "\nFindings: " << totals_.findings.at(Level::kError) << " errors, "
      << totals_.findings.at(Level::kWarning) << " warnings, " << totals_.findings.at(Level::kInfo)
      << " info";
  if (totals_.suppressed > 0)
    out << ", " << totals_.suppressed << " waived";
  out << "\n";
  auto table = [&](const char* title, const auto& map) {
    if (map.empty())
      return;
    out << "\n" << title << ":\n";
    size_t shown = 0;
    for (const auto& [k, n] : ByCount(map)) {
      if (++shown > 15) {
        out << "  ... " << (map.size() - 15) << " more\n";
        break;
      }
      out << "  " << std::left << std::setw(28) << EscapeControls(k) << std::right << std::setw(10)
          << n << "\n";
    }
  };
  table("By rule", totals_.findings_by_rule);
  table("By network", by_network_);
  table("By account", by_account_);
  table("By author", by_author_);
  if (!findings_by_month_.empty()) {
    out << "\nBy month (posts, findings):\n";
    for (const auto& [m, n] : posts_by_month_) {
      const auto it = findings_by_month_.find(m);
      out << "  " << m << std::setw(10) << n << std::setw(10)
          << (it == findings_by_month_.end() ? 0 : it->second) << "\n";
    }
  }
  if (!top_.empty()) {
    out << "\nPosts with the most serious findings:\n";
    for (const auto& p : top_) {
      out << "  " << std::left << std::setw(7) << ToString(p.verdict) << std::right << " "
          << p.errors << "E " << p.warnings << "W " << p.infos << "I  " << EscapeControls(p.source);
      if (p.line)
        out << ":" << p.line;
      if (!p.id.empty() && p.id != p.source)
        out << " [" << EscapeControls(p.id) << "]";
      out << "\n";
    }
  }
}

}  // namespace postlint
