// Checks the links in a post: offline (syntax, schemes, https, userinfo, internal hosts and IP
// literals, allowed/denied registrable domains, look-alikes of the brand's domains, URL
// shorteners, UTM parameters, click IDs, links per network) and live (status through every
// redirect hop, with SSRF-safe fetching, retries, politeness and a cache between runs).
// User docs: docs/rules/links.md. The pieces live in src/links/.
#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "core/diagnostics.h"
#include "core/networks.h"
#include "core/utf8.h"
#include "links/address.h"
#include "links/checker.h"
#include "links/domains.h"
#include "links/url.h"
#include "rules/rule.h"

namespace postlint {
namespace {

using links::Outcome;
using links::Url;

const std::vector<std::string> kTypes = {
    "syntax", "scheme",       "https",     "userinfo",    "internal", "ip",
    "domain", "lookalike",    "shortener", "click_id",    "utm",      "max_links",
    "broken", "unverifiable", "unsafe",    "utm_dropped", "pending"};

constexpr const char* kOfflineDetail =
    "not checked: offline (--offline), and no result for it in the link cache";

const std::vector<std::string> kDefaultClickIds = {
    "fbclid", "gclid", "gbraid", "wbraid", "dclid",  "msclkid",   "igshid", "mc_eid",
    "_hsenc", "_hsmi", "yclid",  "twclid", "ttclid", "li_fat_id", "epik"};

const std::vector<std::string> kInternalSuffixes = {"localhost", "local", "internal",
                                                    "corp",      "lan",   "intranet",
                                                    "home.arpa", "home",  "localdomain"};

// A link in the post: where it is and what it says.
struct Link {
  ByteRange range;
  std::string text;
  std::optional<Url> url;
  std::string error;
  bool fetch = false;  // passed the offline safety checks
};

bool IsSchemeChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
}

// twitter-text's URL entities, plus "scheme://..." runs it does not extract (IP hosts,
// localhost, single-label names, unknown TLDs, other schemes): those are the links that matter
// most for leaks and SSRF.
std::vector<Link> FindLinks(const AnalyzedPost& post) {
  const std::string_view text = post.text();
  std::vector<ByteRange> ranges;
  for (const auto* e : post.urls())
    ranges.push_back(e->range);
  size_t at = 0;
  while ((at = text.find("://", at)) != std::string_view::npos) {
    const size_t sep = at;
    size_t begin = at;
    while (begin > 0 && IsSchemeChar(text[begin - 1]))
      --begin;
    while (begin < at && !std::isalpha(static_cast<unsigned char>(text[begin])))
      ++begin;
    size_t end = at + 3;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
           static_cast<unsigned char>(text[end]) >= 0x20)
      ++end;
    // Trailing punctuation belongs to the sentence ("see http://x/y."), a ')' only when
    // unbalanced.
    while (end > at + 3) {
      const char c = text[end - 1];
      const std::string_view run = text.substr(begin, end - begin);
      if (std::string_view(".,;:!?'\"]}>").find(c) != std::string_view::npos ||
          (c == ')' &&
           std::count(run.begin(), run.end(), '(') < std::count(run.begin(), run.end(), ')')))
        --end;
      else
        break;
    }
    const ByteRange scanned{static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
    at = std::max(end, sep + 3);
    if (begin == sep || end <= sep + 3)
      continue;
    bool partial = false;
    std::vector<ByteRange> kept;
    for (const auto& r : ranges) {
      const bool inside = r.begin >= scanned.begin && r.end <= scanned.end;
      const bool overlaps = r.begin < scanned.end && scanned.begin < r.end;
      if (overlaps && !inside)
        partial = true;
      if (!inside)
        kept.push_back(r);
    }
    if (partial)
      continue;
    kept.push_back(scanned);
    ranges = std::move(kept);
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const ByteRange& a, const ByteRange& b) { return a.begin < b.begin; });
  std::vector<Link> out;
  for (const auto& r : ranges) {
    Link link;
    link.range = r;
    link.text = std::string(text.substr(r.begin, r.size()));
    link.url = links::ParseUrl(link.text, &link.error);
    out.push_back(std::move(link));
  }
  return out;
}

// True for query and fragment parameter names that carry credentials: "token", "access_token",
// "api_key", "sig", "X-Amz-Signature", "password", ...
bool IsSecretParameter(std::string_view name) {
  std::string n = ToLowerAscii(name);
  std::replace(n.begin(), n.end(), '-', '_');
  static const char* const kExact[] = {"key",     "sig", "pwd",          "pass",   "auth",
                                       "session", "sid", "jwt",          "apikey", "passwd",
                                       "private", "otp", "authorization"};
  for (const char* e : kExact) {
    if (n == e)
      return true;
  }
  static const char* const kEndings[] = {"token",     "secret",  "password", "_key",
                                         "signature", "session", "_sig",     "credential"};
  for (const char* e : kEndings) {
    const std::string_view ending(e);
    if (n.size() >= ending.size() &&
        n.compare(n.size() - ending.size(), ending.size(), ending) == 0)
      return true;
  }
  return false;
}

// Marks the values of credential parameters in the link at `range` as secrets, so no finding
// (this rule's or another's) and no report shows them: "?gclid=1&token=•••".
void MarkSecretParameters(std::string_view text, ByteRange range, FindingSink& sink) {
  const std::string_view url = text.substr(range.begin, range.size());
  size_t at = url.find_first_of("?#");
  while (at != std::string_view::npos && at < url.size()) {
    const size_t name_begin = at + 1;
    const size_t end = std::min(url.find_first_of("&;#", name_begin), url.size());
    const size_t eq = url.find('=', name_begin);
    if (eq != std::string_view::npos && eq < end && end > eq + 1 &&
        IsSecretParameter(url.substr(name_begin, eq - name_begin))) {
      sink.MarkSensitive(
          {range.begin + static_cast<uint32_t>(eq + 1), range.begin + static_cast<uint32_t>(end)},
          "•••");
    }
    at = end < url.size() ? end : std::string_view::npos;
  }
}

bool Contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

class LinksRule final : public Rule {
 public:
  explicit LinksRule(RuleInit& init) : Rule(init) {
    RuleOptions& o = init.options;
    // Offline checks.
    schemes_ = o.StringList("schemes", "schemes a link may use (default: http, https)");
    if (schemes_.empty())
      schemes_ = {"http", "https"};
    for (auto& s : schemes_)
      s = ToLowerAscii(s);
    require_https_ = o.Bool("require_https", false, "flag links written with http://");
    allow_domains_ =
        Domains(o, "allow_domains", "if set, links may only go to these registrable domains");
    deny_domains_ = Domains(o, "deny_domains", "links to these domains are findings");
    brand_domains_ = Domains(o, "brand_domains", "the brand's own domains (look-alike check)");
    for (const auto& b : brand_domains_)
      brand_skeletons_.emplace_back(b, links::Skeleton(links::ToUnicode(b)));
    internal_zones_ = Domains(o, "internal_zones", "extra internal DNS zones", false);
    shorteners_ = o.Enum("shorteners", "flag", {"flag", "allow"},
                         "flag: links through third-party URL shorteners are findings");
    std::vector<std::string> extra = Domains(o, "shortener_domains", "more shortener domains");
    own_shorteners_ = Domains(o, "own_shorteners", "the brand's own shorteners (allowed)");
    shortener_list_ = links::ShippedShorteners();
    shortener_list_.insert(shortener_list_.end(), extra.begin(), extra.end());
    shortener_set_ = links::DomainSet(shortener_list_);
    own_shortener_set_ = links::DomainSet(own_shorteners_);
    click_ids_ = o.StringList("click_ids", "query parameters stripped as click-ID junk");
    if (click_ids_.empty())
      click_ids_ = kDefaultClickIds;
    for (auto& c : click_ids_)
      c = ToLowerAscii(c);
    utm_required_ = o.StringList("utm_required", "query parameters every link must carry");
    utm_domains_ = Domains(o, "utm_domains", "domains the UTM rules apply to (default: all)");
    ReadUtmValues(o);
    max_links_ = o.IntPerNetwork("max_links", "most links per post");
    // Live checks.
    live_ = o.Bool("live", true, "check that links work (skipped with --offline)");
    links::CheckerConfig& c = config_;
    c.timeout_ms =
        static_cast<int>(o.Int("timeout_ms", 10000, "total time per request", 50, 120000));
    c.connect_timeout_ms = static_cast<int>(
        o.Int("connect_timeout_ms", 5000, "time to connect per request", 50, 60000));
    c.max_redirects = static_cast<int>(o.Int("max_redirects", 10, "redirect hops followed", 0, 20));
    c.max_body_bytes = o.Int("max_body_bytes", 16384, "bytes of a body read at most", 0, 10 << 20);
    c.retries = static_cast<int>(o.Int("retries", 2, "retries of transient failures", 0, 5));
    c.retry_wait_ms =
        static_cast<int>(o.Int("retry_wait_ms", 1000, "first retry wait, doubled", 0, 60000));
    c.max_retry_after_ms = static_cast<int>(
        o.Int("max_retry_after_ms", 60000, "longest Retry-After honoured", 0, 600000));
    c.concurrency =
        static_cast<int>(o.Int("concurrency", 32, "requests in flight at most", 1, 1024));
    c.host_concurrency = static_cast<int>(
        o.Int("host_concurrency", 4, "requests in flight per host at most", 1, 256));
    c.host_interval_ms = static_cast<int>(
        o.Int("host_interval_ms", 50, "least time between requests to one host", 0, 60000));
    const std::string agent = std::string("postlint/") + POSTLINT_VERSION + " (link checker)";
    c.user_agent = o.String("user_agent", agent, "User-Agent header");
    c.allow_hosts =
        Domains(o, "allow_hosts", "hosts whose (internal) addresses may be fetched", false);
    c.allow_range_texts =
        o.StringList("allow_ranges", "IP ranges (CIDR) that may be fetched though internal");
    std::vector<links::IpRange> ranges;
    for (const auto& r : c.allow_range_texts) {
      if (auto range = links::ParseRange(r))
        ranges.push_back(*range);
      else
        o.ErrorAt("allow_ranges", "'" + r + "' is not an IP address or CIDR range");
    }
    if (init.compile.strict_addresses) {
      // The service: strangers choose the URLs, so no policy may open internal addresses.
      c.allow_hosts.clear();
      c.allow_range_texts.clear();
      ranges.clear();
    }
    address_policy_ = links::AddressPolicy(std::move(ranges));
    for (auto& [host, address] :
         o.StringMap("resolve", "host name to IP address map for fetching (tests, staging)")) {
      if (!links::ParseIp(address))
        o.ErrorAt("resolve", "'" + address + "' is not an IP address");
      c.resolve.emplace_back(ToLowerAscii(host), address);
    }
    c.head_domains = shortener_list_;
    if (auto probes = o.StringList("dns_probe_hosts",
                                   "hosts that exist for sure: a link whose domain does not "
                                   "resolve is broken only when one of these does");
        !probes.empty())
      c.dns_probe_hosts = std::move(probes);
    c.cache = o.Bool("cache", true, "remember results between runs");
    c.ttl_ok_s = 3600 * o.Int("cache_ttl_ok_hours", 168, "hours a working link is remembered");
    c.ttl_broken_s =
        3600 * o.Int("cache_ttl_broken_hours", 24, "hours a broken link is remembered");
    c.ttl_unverifiable_s = 3600 * o.Int("cache_ttl_unverifiable_hours", 24,
                                        "hours an unverifiable (not transient) result is kept");
    const std::vector<std::string> levels = {"rule", "error", "warning", "info"};
    broken_level_ = LevelOption(o.Enum("broken_level", "error", levels,
                                       "level of 'broken' findings ('rule': the rule's level)"));
    unverifiable_level_ =
        LevelOption(o.Enum("unverifiable_level", "warning", levels,
                           "level of 'unverifiable' findings ('rule': the rule's level)"));
    report_ = o.StringList("report", "finding types to report (default: all)");
    for (const auto& t : report_) {
      if (!Contains(kTypes, t))
        o.ErrorAt("report", "unknown finding type '" + t + "'" + DidYouMean(t, kTypes));
    }
    init.DeclarePlaceholders({"url", "detail", "chain", "host"});
    init.SetDefaultMessage("{detail}");
    init.SetDefaultMessage("Broken link: {chain}", "broken");
    init.SetDefaultMessage("Could not verify link: {chain}", "unverifiable");
    init.SetDefaultMessage("Link not fetched: {chain}", "unsafe");
    init.SetDefaultMessage("Link check pending: {url} {detail}", "pending");
  }

  bool IsNetworkSpecific() const override { return true; }
  bool UsesNetwork() const override { return live_; }

  void Check(const AnalyzedPost& post, const CheckContext& ctx, FindingSink& sink) const override {
    std::vector<Link> found = FindLinks(post);
    for (const Link& link : found)
      MarkSecretParameters(post.text(), link.range, sink);
    auto emit = [&](const std::string& type, const Link& link, const std::string& detail,
                    const std::string& chain = "", std::optional<std::string> fix = std::nullopt,
                    std::optional<std::string> excerpt = std::nullopt) {
      if (!report_.empty() && !Contains(report_, type))
        return;
      const std::optional<Level> level = type == "broken"         ? broken_level_
                                         : type == "unverifiable" ? unverifiable_level_
                                         : type == "pending"      ? std::optional(Level::kInfo)
                                                                  : std::nullopt;
      sink.Report(link.range,
                  {{"url", link.text},
                   {"detail", detail},
                   {"chain", chain.empty() ? detail : chain},
                   {"host", link.url ? link.url->host : ""}},
                  std::move(fix), std::move(excerpt), type, level);
    };
    if (!max_links_.empty()) {
      auto it = max_links_.find(ctx.network);
      if (it == max_links_.end())
        it = max_links_.find("*");
      if (it != max_links_.end() && static_cast<int64_t>(found.size()) > it->second) {
        Link whole;
        const std::string detail = std::to_string(found.size()) + " links; at most " +
                                   std::to_string(it->second) +
                                   (ctx.network.empty() ? "" : " on " + ctx.network);
        emit("max_links", whole, detail, "", std::nullopt, detail);
      }
    }
    for (auto& link : found)
      CheckUtmValues(link, ctx, emit);
    if (!ctx.primary)
      return;
    for (auto& link : found)
      CheckOffline(link, emit);
    static const CheckOptions kDefaults;
    const CheckOptions& options = ctx.options != nullptr ? *ctx.options : kDefaults;
    if (!live_ || !options.live_checks)
      return;
    const bool offline = options.offline;
    std::vector<std::pair<Link*, std::shared_future<links::Observation>>> pending;
    for (auto& link : found) {
      if (!link.fetch)
        continue;
      if (offline && !config_.cache) {
        emit("unverifiable", link, kOfflineDetail);
        continue;
      }
      pending.emplace_back(&link, Checker().Check(link.url->Normalized(), offline));
    }
    for (auto& [link, future] : pending) {
      if (options.live_deadline &&
          future.wait_until(*options.live_deadline) != std::future_status::ready) {
        emit("pending", *link,
             "still being checked when the time budget ran out; the result will be cached");
        continue;
      }
      ReportLive(*link, future.get(), emit);
    }
  }

 private:
  template <typename Emit>
  void CheckOffline(Link& link, Emit& emit) const {
    if (!link.url) {
      emit("syntax", link, "'" + link.text + "' is not a valid URL: " + link.error);
      return;
    }
    const Url& u = *link.url;
    if (!Contains(schemes_, u.scheme)) {
      std::string allowed;
      for (const auto& s : schemes_)
        allowed += (allowed.empty() ? "" : ", ") + s;
      emit("scheme", link, "'" + u.scheme + ":' links are not allowed (allowed: " + allowed + ")");
      return;
    }
    if (require_https_ && u.written_scheme == "http") {
      emit("https", link, "link uses http://; use https://", "",
           "https" + link.text.substr(link.text.find(':')));
    }
    if (!u.userinfo.empty()) {
      const size_t at = link.text.find(u.userinfo);
      std::string fixed = link.text;
      std::string masked = link.text;
      if (at != std::string::npos) {
        fixed.erase(at, u.userinfo.size() + 1);
        masked.replace(at, u.userinfo.size(), "***");
      }
      emit("userinfo", link, "link carries a user name or password; remove it", "", fixed, masked);
    }
    bool internal = false;
    const bool allowed_host =
        std::any_of(config_.allow_hosts.begin(), config_.allow_hosts.end(),
                    [&](const std::string& h) { return links::DomainMatches(u.ascii_host, h); });
    if (allowed_host) {
      // The policy names this host: internal on purpose.
    } else if (const auto ip = links::ParseIpLoose(u.ascii_host)) {
      const std::string why = links::SpecialPurpose(*ip);
      const std::string spelled =
          ip->ToString() == u.ascii_host || ip->ToString() == "[" + u.ascii_host + "]"
              ? ""
              : " (" + u.ascii_host + " is " + ip->ToString() + " spelled differently)";
      if (!why.empty() && !address_policy_.Allows(*ip, nullptr)) {
        internal = true;
        emit("internal", link,
             "link to an internal address: " + ip->ToString() + " is " + why + spelled);
      } else if (why.empty()) {
        emit("ip", link, "link to a bare IP address " + ip->ToString() + spelled);
      }
    } else if (IsInternalName(u.ascii_host)) {
      internal = true;
      emit("internal", link, "link to an internal host name: " + u.host);
    }
    link.fetch = !internal;
    CheckDomain(link, u.ascii_host, "", emit);
    if (!brand_domains_.empty()) {
      const std::string reg = links::RegistrableDomain(u.ascii_host);
      for (const auto& [brand, skeleton] : brand_skeletons_) {
        if (!reg.empty() && reg != brand && links::Skeleton(links::ToUnicode(reg)) == skeleton) {
          emit("lookalike", link,
               u.host + " looks like " + brand + " but is a different domain" +
                   (u.idn ? " (" + u.ascii_host + ")" : ""));
          break;
        }
      }
    }
    if (shorteners_ == "flag" && IsShortener(u.ascii_host)) {
      emit("shortener", link,
           u.host + " is a URL shortener: it hides where the link goes; link to the destination");
    }
    std::vector<std::string> junk;
    for (const auto& p : u.params) {
      if (Contains(click_ids_, ToLowerAscii(p.name)) && !Contains(junk, p.name))
        junk.push_back(p.name);
    }
    if (!junk.empty()) {
      std::string names;
      for (const auto& j : junk)
        names += (names.empty() ? "'" : ", '") + j + "'";
      emit("click_id", link,
           names + (junk.size() == 1 ? " is a click ID" : " are click IDs") +
               " copied from a browser; remove " + (junk.size() == 1 ? "it" : "them"),
           "", links::RemoveParams(link.text, click_ids_));
    }
    if (UtmApplies(u)) {
      std::string missing;
      for (const auto& p : utm_required_) {
        if (!u.HasParam(ToLowerAscii(p)))
          missing += (missing.empty() ? "" : ", ") + p;
      }
      if (!missing.empty())
        emit("utm", link, "link is missing " + missing);
    }
  }

  template <typename Emit>
  void CheckUtmValues(const Link& link, const CheckContext& ctx, Emit& emit) const {
    if (!link.url || utm_values_.empty() || !UtmApplies(*link.url))
      return;
    for (const auto& [param, per_network] : utm_values_) {
      auto it = per_network.find(CanonicalNetworkName(ctx.network));
      if (it == per_network.end())
        it = per_network.find("*");
      if (it == per_network.end())
        continue;
      for (const auto& p : link.url->params) {
        if (ToLowerAscii(p.name) != param || Contains(it->second, p.value))
          continue;
        std::string allowed;
        for (const auto& v : it->second)
          allowed += (allowed.empty() ? "" : ", ") + v;
        emit("utm", link,
             param + "=" + p.value + " is not allowed" +
                 (ctx.network.empty() || it->first == "*" ? "" : " on " + ctx.network) +
                 " (allowed: " + allowed + ")");
      }
    }
  }

  template <typename Emit>
  void CheckDomain(const Link& link, const std::string& host, const std::string& chain,
                   Emit& emit) const {
    const std::string via = chain.empty() ? "" : " (" + chain + ")";
    for (const auto& d : deny_domains_) {
      if (links::DomainMatches(host, d)) {
        emit("domain", link,
             (chain.empty() ? "links to " : "link redirects to ") + host +
                 " are not allowed (denied domain " + d + ")" + via);
        return;
      }
    }
    if (!allow_domains_.empty() && !links::ParseIpLoose(host) &&
        std::none_of(allow_domains_.begin(), allow_domains_.end(),
                     [&](const std::string& d) { return links::DomainMatches(host, d); }) &&
        !IsShortener(host)) {
      emit("domain", link,
           std::string(chain.empty() ? "" : "link redirects to ") + host +
               (chain.empty() ? " is" : ", which is") + " not an allowed domain" + via);
    }
  }

  template <typename Emit>
  void ReportLive(const Link& link, const links::Observation& o, Emit& emit) const {
    if (o.outcome == Outcome::kNotChecked) {
      // A link nobody checked is never a pass in silence: offline (or a checker stopping at
      // shutdown) leaves it unverifiable.
      emit("unverifiable", link,
           o.error.empty() || o.error == "not checked" ? kOfflineDetail : o.error);
      return;
    }
    const std::string chain = DescribeFrom(link, o);
    for (size_t i = 1; i < o.chain.size(); ++i) {
      std::string ignored;
      if (auto u = links::ParseUrl(o.chain[i].url, &ignored))
        CheckDomain(link, u->ascii_host, chain, emit);
    }
    switch (o.outcome) {
      case Outcome::kBroken:
        emit("broken", link, o.Describe(), chain);
        return;
      case Outcome::kUnverifiable:
        emit("unverifiable", link, o.Describe(), chain);
        return;
      case Outcome::kBlocked:
        emit("unsafe", link, o.Describe(), chain);
        return;
      default:
        break;
    }
    // The UTM parameters written must survive the redirects.
    std::string ignored;
    const auto final_url = links::ParseUrl(o.final_url(), &ignored);
    if (!final_url || o.chain.size() < 2)
      return;
    std::string dropped;
    for (const auto& p : link.url->params) {
      const std::string name = ToLowerAscii(p.name);
      if (name.rfind("utm_", 0) == 0 && !final_url->HasParam(name) &&
          dropped.find(name) == std::string::npos)
        dropped += (dropped.empty() ? "" : ", ") + name;
    }
    if (!dropped.empty())
      emit("utm_dropped", link, "the redirect drops " + dropped + ": " + chain, chain);
  }

  // The chain as the writer wrote the link: "bit.ly/x → acme.com/launch → 404 Not Found".
  static std::string DescribeFrom(const Link&, const links::Observation& o) {
    return o.Describe() + (o.from_cache ? " (cached)" : "");
  }

  bool IsShortener(const std::string& host) const {
    return shortener_set_.Matches(host) && !own_shortener_set_.Matches(host);
  }

  bool IsInternalName(const std::string& host) const {
    if (host.find('.') == std::string::npos)
      return true;  // single-label names only resolve inside some network
    for (const auto& zone : kInternalSuffixes) {
      if (links::DomainMatches(host, zone))
        return true;
    }
    return std::any_of(internal_zones_.begin(), internal_zones_.end(),
                       [&](const std::string& z) { return links::DomainMatches(host, z); });
  }

  bool UtmApplies(const Url& u) const {
    if (utm_domains_.empty())
      return !IsShortener(u.ascii_host);
    return std::any_of(utm_domains_.begin(), utm_domains_.end(),
                       [&](const std::string& d) { return links::DomainMatches(u.ascii_host, d); });
  }

  // Reads a list of domains: lower-cased, IDNA ASCII; public suffixes are errors when
  // `registrable` (a rule on "co.uk" would match half a country).
  static std::vector<std::string> Domains(RuleOptions& o, const std::string& name,
                                          const std::string& doc, bool registrable = true) {
    std::vector<std::string> out;
    for (const auto& raw : o.StringList(name, doc)) {
      std::string d = ToLowerAscii(raw);
      while (!d.empty() && d.back() == '.')
        d.pop_back();
      if (d.rfind("*.", 0) == 0)
        d.erase(0, 2);
      std::string error;
      if (auto ascii = links::ToAscii(d, &error))
        d = *ascii;
      if (registrable && links::IsPublicSuffix(d)) {
        o.ErrorAt(name, "'" + raw +
                            "' is a public suffix; name a registrable domain such as "
                            "example." +
                            d);
        continue;
      }
      out.push_back(d);
    }
    return out;
  }

  void ReadUtmValues(RuleOptions& o) {
    const YAML::Node node = o.Raw(
        "utm_values", "mapping of parameter to allowed values, or to network to allowed values",
        "allowed values of UTM parameters, per network");
    if (!node.IsDefined() || node.IsNull())
      return;
    if (!node.IsMap()) {
      o.Error(node, "option 'utm_values' must be a mapping like {utm_medium: [social]}");
      return;
    }
    auto values = [&](const YAML::Node& n) {
      std::vector<std::string> out;
      if (n.IsScalar()) {
        out.push_back(n.Scalar());
      } else if (n.IsSequence()) {
        for (const auto& v : n) {
          if (v.IsScalar())
            out.push_back(v.Scalar());
          else
            o.Error(v, "UTM values must be strings");
        }
      } else {
        o.Error(n, "expected a value or a list of values");
      }
      return out;
    };
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string param = ToLowerAscii(it->first.as<std::string>(""));
      auto& per_network = utm_values_[param];
      if (it->second.IsMap()) {
        for (auto n = it->second.begin(); n != it->second.end(); ++n)
          per_network[CanonicalNetworkName(n->first.as<std::string>(""))] = values(n->second);
      } else {
        per_network["*"] = values(it->second);
      }
    }
  }

  links::LinkChecker& Checker() const {
    std::call_once(checker_once_, [this] { checker_ = links::LinkChecker::Shared(config_); });
    return *checker_;
  }

  std::vector<std::string> schemes_;
  bool require_https_ = false;
  std::vector<std::string> allow_domains_, deny_domains_, brand_domains_, internal_zones_;
  std::vector<std::pair<std::string, std::string>> brand_skeletons_;
  std::string shorteners_;
  std::vector<std::string> shortener_list_, own_shorteners_;
  links::DomainSet shortener_set_, own_shortener_set_;  // the same lists, for lookups
  std::vector<std::string> click_ids_;
  std::vector<std::string> utm_required_, utm_domains_;
  std::map<std::string, std::map<std::string, std::vector<std::string>>> utm_values_;
  std::map<std::string, int64_t> max_links_;
  bool live_ = true;
  links::CheckerConfig config_;
  links::AddressPolicy address_policy_;
  static std::optional<Level> LevelOption(const std::string& name) {
    return name == "rule" ? std::nullopt : ParseLevel(name);
  }

  std::optional<Level> broken_level_;
  std::optional<Level> unverifiable_level_;
  std::vector<std::string> report_;
  // The shared checker, created on the first live check (compiling a policy starts nothing).
  mutable std::once_flag checker_once_;
  mutable std::shared_ptr<links::LinkChecker> checker_;
};

}  // namespace

POSTLINT_DEFINE_RULE_FACTORY(LinksRule, links)

}  // namespace postlint
