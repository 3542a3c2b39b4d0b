#include "links/checker.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <netdb.h>
#include <optional>
#include <queue>
#include <set>
#include <sstream>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>

#include <curl/curl.h>

#include "core/clock.h"
#include "core/hash.h"
#include "db/sqlite.h"
#include "links/domains.h"
#include "links/url.h"

namespace postlint::links {

using Clock = std::chrono::steady_clock;

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kBroken:
      return "broken";
    case Outcome::kUnverifiable:
      return "unverifiable";
    case Outcome::kBlocked:
      return "blocked";
    case Outcome::kNotChecked:
      return "not checked";
  }
  return "?";
}

std::string ReasonPhrase(int status) {
  static const std::map<int, const char*> kPhrases = {
      {200, "OK"},
      {201, "Created"},
      {202, "Accepted"},
      {203, "Non-Authoritative Information"},
      {204, "No Content"},
      {206, "Partial Content"},
      {300, "Multiple Choices"},
      {301, "Moved Permanently"},
      {302, "Found"},
      {303, "See Other"},
      {304, "Not Modified"},
      {307, "Temporary Redirect"},
      {308, "Permanent Redirect"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {402, "Payment Required"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {407, "Proxy Authentication Required"},
      {408, "Request Timeout"},
      {409, "Conflict"},
      {410, "Gone"},
      {412, "Precondition Failed"},
      {414, "URI Too Long"},
      {415, "Unsupported Media Type"},
      {418, "I'm a teapot"},
      {422, "Unprocessable Content"},
      {429, "Too Many Requests"},
      {451, "Unavailable For Legal Reasons"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
      {999, "Request Denied (bot protection)"},
  };
  const auto it = kPhrases.find(status);
  return std::to_string(status) + (it != kPhrases.end() ? std::string(" ") + it->second : "");
}

std::string Observation::Describe() const {
  std::string out;
  for (const auto& hop : chain)
    out += (out.empty() ? "" : " → ") + DisplayOf(hop.url);
  std::string end;
  if (status > 0) {
    end = ReasonPhrase(status);
    if (!error.empty())
      end += " (" + error + ")";
  } else {
    end = error.empty() ? OutcomeName(outcome) : error;
  }
  return out.empty() ? end : out + " → " + end;
}

const std::string& Observation::final_url() const {
  static const std::string kEmpty;
  return chain.empty() ? kEmpty : chain.back().url;
}

std::string CacheDir() {
  if (const char* dir = std::getenv("POSTLINT_CACHE_DIR"); dir && *dir)
    return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/postlint";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/postlint";
  return "";
}

std::string CheckerConfig::Key() const {
  std::ostringstream k;
  k << concurrency << '|' << host_concurrency << '|' << host_interval_ms << '|' << timeout_ms << '|'
    << connect_timeout_ms << '|' << max_redirects << '|' << max_body_bytes << '|' << retries << '|'
    << retry_wait_ms << '|' << max_retry_after_ms << '|' << user_agent << '|' << cache << '|'
    << (cache_dir.empty() ? CacheDir() : cache_dir) << '|' << ttl_ok_s << '|' << ttl_broken_s << '|'
    << ttl_unverifiable_s;
  for (const auto& r : allow_range_texts)
    k << "|r:" << r;
  for (const auto& h : allow_hosts)
    k << "|h:" << h;
  for (const auto& [h, a] : resolve)
    k << "|m:" << h << '=' << a;
  for (const auto& d : head_domains)
    k << "|H:" << d;
  for (const auto& p : dns_probe_hosts)
    k << "|P:" << p;
  return k.str();
}

// Named, not anonymous: LinkChecker::Impl (external linkage) holds these types.
namespace checker_detail {

// Observations between runs: one SQLite table keyed by normalised URL (plus a fingerprint of
// the address policy when it is not the default, so a permissive test or staging policy never
// answers for the strict one). Thread-safe; opened on first use; a cache that cannot be opened
// is simply absent.
class Cache {
 public:
  Cache(std::string dir, std::string scope) : dir_(std::move(dir)), scope_(std::move(scope)) {}

  std::optional<Observation> Get(const std::string& url) {
    std::lock_guard lock(mu_);
    if (!Open())
      return std::nullopt;
    get_->Reset();
    get_->Bind(1, Key(url));
    get_->Bind(2, NowSeconds());
    if (get_->Step() != sqlite::kRow)
      return std::nullopt;
    Observation o;
    o.outcome = static_cast<Outcome>(get_->Int(0));
    o.status = static_cast<int>(get_->Int(1));
    o.error = get_->Text(2);
    std::istringstream chain(get_->Text(3));
    std::string line;
    while (std::getline(chain, line)) {
      const size_t sp = line.find(' ');
      if (sp == std::string::npos)
        continue;
      o.chain.push_back({line.substr(sp + 1), std::atoi(line.substr(0, sp).c_str())});
    }
    o.from_cache = true;
    return o;
  }

  void Put(const std::string& url, const Observation& o, int64_t ttl_s) {
    if (ttl_s <= 0)
      return;
    std::lock_guard lock(mu_);
    if (!Open())
      return;
    std::string chain;
    for (const auto& hop : o.chain)
      chain += std::to_string(hop.status) + " " + hop.url + "\n";
    const int64_t now = NowSeconds();
    put_->Reset();
    put_->Bind(1, Key(url));
    put_->Bind(2, static_cast<int>(o.outcome));
    put_->Bind(3, o.status);
    put_->Bind(4, o.error);
    put_->Bind(5, chain);
    put_->Bind(6, now);
    put_->Bind(7, now + ttl_s);
    put_->Step();
  }

 private:
  // URLs are stored by their SHA-256 only: a link's query may carry a token (the rule masks it in
  // every report), and the cache file outlives the check.
  std::string Key(const std::string& url) const { return Sha256Hex(scope_ + url); }

  bool Open() {
    if (db_ || failed_)
      return db_ != nullptr;
    failed_ = true;
    if (dir_.empty())
      return false;
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    std::string error;
    auto db = sqlite::Database::Open(dir_ + "/links.sqlite3", sqlite::kReadWrite | sqlite::kCreate,
                                     &error, /*busy_timeout_ms=*/2000);
    if (!db)
      return false;
    const char* schema =
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        "CREATE TABLE IF NOT EXISTS links (url TEXT PRIMARY KEY, outcome INTEGER NOT NULL,"
        " status INTEGER NOT NULL, error TEXT NOT NULL, chain TEXT NOT NULL,"
        " checked_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);";
    if (!db->Exec(schema))
      return false;
    auto get = std::make_unique<sqlite::Statement>(
        *db, "SELECT outcome, status, error, chain FROM links WHERE url = ?1 AND expires_at > ?2");
    auto put = std::make_unique<sqlite::Statement>(
        *db, "INSERT OR REPLACE INTO links VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!get->ok() || !put->ok())
      return false;
    db_ = std::move(db);
    get_ = std::move(get);
    put_ = std::move(put);
    failed_ = false;
    return true;
  }

  std::mutex mu_;  // one connection, shared by every worker thread
  std::string dir_;
  std::string scope_;
  // Declared before the statements, so they are finalized before it closes.
  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<sqlite::Statement> get_;
  std::unique_ptr<sqlite::Statement> put_;
  bool failed_ = false;
};

struct Job {
  std::string url;  // as asked (normalised)
  std::promise<Observation> promise;
  Observation obs;
  std::string current;  // URL of the hop being fetched
  std::string host;     // its ASCII host
  int port = 80;
  bool host_allowed = false;
  bool head = false;
  int attempts = 0;  // retries used
  std::set<std::string> seen;
};

struct Transfer {
  struct LinkChecker::Impl* impl = nullptr;
  Job* job = nullptr;
  CURL* easy = nullptr;
  curl_slist* resolve = nullptr;
  curl_slist* headers = nullptr;
  int64_t bytes = 0;
  bool cap_hit = false;
  std::string blocked;  // set by the socket checks
  std::string retry_after;
  bool bot_protection = false;
};

struct Timed {
  Clock::time_point at;
  Job* job;
  bool operator>(const Timed& o) const { return at > o.at; }
};

struct HostState {
  int active = 0;
  Clock::time_point next_start{};
  std::deque<Job*> queue;
};

// True when any of `hosts` resolves: the resolver works and reaches the world.
bool DnsAnswersAny(const std::vector<std::string>& hosts) {
  for (const auto& host : hosts) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* result = nullptr;
    if (getaddrinfo(host.c_str(), "443", &hints, &result) == 0) {
      freeaddrinfo(result);
      return true;
    }
  }
  return false;
}

std::once_flag curl_init_once;

}  // namespace checker_detail

using namespace checker_detail;  // NOLINT(google-build-using-namespace): this file's own helpers

struct LinkChecker::Impl {
  explicit Impl(CheckerConfig c) : config(std::move(c)) {
    std::vector<IpRange> ranges;
    for (const auto& r : config.allow_range_texts) {
      if (auto range = ParseRange(r))
        ranges.push_back(*range);
    }
    policy = AddressPolicy(std::move(ranges));
    std::string scope;
    for (const auto& r : config.allow_range_texts)
      scope += "r:" + r + ";";
    for (const auto& h : config.allow_hosts)
      scope += "h:" + h + ";";
    for (const auto& [h, a] : config.resolve)
      scope += "m:" + h + "=" + a + ";";
    if (!scope.empty())
      scope = "[" + scope + "]";
    if (config.cache)
      cache =
          std::make_unique<Cache>(config.cache_dir.empty() ? CacheDir() : config.cache_dir, scope);
  }

  ~Impl() {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    if (thread.joinable()) {
      if (multi)
        curl_multi_wakeup(multi);
      thread.join();
    }
  }

  CheckerConfig config;
  AddressPolicy policy;
  std::unique_ptr<Cache> cache;

  std::mutex mu;  // guards memo, incoming, stop, thread start
  std::unordered_map<std::string, std::shared_future<Observation>> memo;
  std::vector<std::unique_ptr<Job>> incoming;
  bool stop = false;
  std::thread thread;
  std::atomic<CURLM*> multi_ready{nullptr};
  CURLM* multi = nullptr;  // owned by the loop thread; set before `thread` starts

  // Loop-thread state.
  std::unordered_map<Job*, std::unique_ptr<Job>> jobs;
  std::map<std::string, HostState> hosts;
  std::priority_queue<Timed, std::vector<Timed>, std::greater<>> timed;
  int active = 0;
  std::set<Transfer*> transfers;
  // A failed lookup means "no such domain" only when DNS answers for hosts that exist; on a
  // machine without a network every lookup fails, and those links are unverifiable, not
  // broken. The probe runs once, on the first failed lookup; jobs wait for its answer.
  std::shared_future<bool> dns_answers;
  std::vector<Job*> awaiting_dns;

  void Run();
  void SettleAwaitingDns();
  void Intake(std::unique_ptr<Job> job);
  void EnqueueHop(Job* job, const std::string& url);
  void Start(Job* job);
  void Done(Transfer* t, CURLcode rc);
  void Retry(Job* job, Clock::duration delay);
  void Finish(Job* job);
  void Fail(Job* job, Outcome outcome, std::string error, bool transient = false) {
    job->obs.outcome = outcome;
    job->obs.error = std::move(error);
    job->obs.transient = transient;
    Finish(job);
  }
};

namespace {

size_t OnWrite(char*, size_t size, size_t n, void* p) {
  auto* t = static_cast<Transfer*>(p);
  t->bytes += static_cast<int64_t>(size * n);
  if (t->bytes > t->impl->config.max_body_bytes) {
    t->cap_hit = true;
    return 0;  // abort: postlint needs the status, not the page
  }
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* p) {
  auto* t = static_cast<Transfer*>(p);
  const std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->retry_after.clear();
    t->bot_protection = false;
    return size * n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos)
    return size * n;
  const std::string name = ToLowerAscii(line.substr(0, colon));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  if (name == "retry-after")
    t->retry_after = std::string(value);
  else if (name == "cf-mitigated")
    t->bot_protection = true;
  return size * n;
}

bool AddressAllowed(Transfer* t, const std::optional<IpAddress>& ip) {
  if (t->job->host_allowed)
    return true;
  std::string why;
  if (!ip) {
    t->blocked = "an address of unknown type";
    return false;
  }
  if (!t->impl->policy.Allows(*ip, &why)) {
    t->blocked = why;
    return false;
  }
  return true;
}

curl_socket_t OnOpenSocket(void* p, curlsocktype purpose, struct curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(p);
  if (purpose != CURLSOCKTYPE_IPCXN || !AddressAllowed(t, FromSockaddr(&address->addr)))
    return CURL_SOCKET_BAD;
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

// Runs before every request, reused connections included.
int OnPrereq(void* p, char* primary_ip, char*, int, int) {
  auto* t = static_cast<Transfer*>(p);
  return AddressAllowed(t, ParseIp(primary_ip ? primary_ip : "")) ? CURL_PREREQFUNC_OK
                                                                  : CURL_PREREQFUNC_ABORT;
}

// Retry-After: delay-seconds or an HTTP-date.
std::optional<int64_t> RetryAfterMs(const std::string& value) {
  if (value.empty())
    return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string::npos && value.size() < 10)
    return std::stoll(value) * 1000;
  const time_t when = curl_getdate(value.c_str(), nullptr);
  if (when < 0)
    return std::nullopt;
  // The server's date is the real world's, not POSTLINT_NOW's: compare it with the system clock.
  return std::max<int64_t>(0, (static_cast<int64_t>(when) - std::time(nullptr)) * 1000);
}

}  // namespace

void LinkChecker::Impl::SettleAwaitingDns() {
  if (awaiting_dns.empty() ||
      dns_answers.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    return;
  const bool online = dns_answers.get();
  std::vector<Job*> settled;
  settled.swap(awaiting_dns);
  for (Job* job : settled) {
    if (online) {
      Fail(job, Outcome::kBroken, "domain " + job->host + " does not resolve", true);
    } else {
      Fail(job, Outcome::kUnverifiable,
           "offline: no DNS answer for any host, so " + job->host + " was not checked", true);
    }
  }
}

void LinkChecker::Impl::Run() {
  while (true) {
    std::vector<std::unique_ptr<Job>> fresh;
    {
      std::lock_guard lock(mu);
      if (stop)
        break;
      fresh.swap(incoming);
    }
    for (auto& job : fresh)
      Intake(std::move(job));
    const auto now = Clock::now();
    while (!timed.empty() && timed.top().at <= now) {
      Job* job = timed.top().job;
      timed.pop();
      hosts[job->host].queue.push_front(job);
    }
    for (auto& [key, host] : hosts) {
      while (!host.queue.empty() && active < config.concurrency &&
             host.active < config.host_concurrency && host.next_start <= now) {
        Job* job = host.queue.front();
        host.queue.pop_front();
        host.active++;
        active++;
        host.next_start = now + std::chrono::milliseconds(config.host_interval_ms);
        Start(job);
      }
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE)
        continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
      Done(t, msg->data.result);
    }
    SettleAwaitingDns();
    // Sleep until curl has work, a retry or a host slot is due, or new URLs arrive.
    auto wake = Clock::now() + std::chrono::milliseconds(awaiting_dns.empty() ? 500 : 20);
    if (!timed.empty())
      wake = std::min(wake, timed.top().at);
    for (const auto& [key, host] : hosts) {
      if (!host.queue.empty() && host.active < config.host_concurrency &&
          active < config.concurrency)
        wake = std::min(wake, host.next_start);
    }
    const auto wait_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(wake - Clock::now()).count();
    if (wait_ms > 0)
      curl_multi_poll(multi, nullptr, 0, static_cast<int>(wait_ms), nullptr);
    // Forget idle hosts so an audit over many hosts does not keep them all.
    for (auto it = hosts.begin(); it != hosts.end();) {
      if (it->second.active == 0 && it->second.queue.empty() &&
          it->second.next_start < Clock::now())
        it = hosts.erase(it);
      else
        ++it;
    }
  }
  // Shutting down: nothing may wait forever on a promise.
  for (auto& [job, owned] : jobs) {
    owned->obs.outcome = Outcome::kNotChecked;
    owned->obs.error = "not checked: the checker stopped";
    owned->promise.set_value(owned->obs);
  }
  {
    std::lock_guard lock(mu);
    for (auto& job : incoming)
      job->promise.set_value(Observation{Outcome::kNotChecked, {}, 0, "not checked", true});
    incoming.clear();
  }
  for (Transfer* t : transfers) {
    curl_multi_remove_handle(multi, t->easy);
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->resolve);
    curl_slist_free_all(t->headers);
    delete t;
  }
  transfers.clear();
}

void LinkChecker::Impl::Intake(std::unique_ptr<Job> owned) {
  Job* job = owned.get();
  jobs.emplace(job, std::move(owned));
  if (cache) {
    if (auto hit = cache->Get(job->url)) {
      job->obs = std::move(*hit);
      job->promise.set_value(job->obs);
      jobs.erase(job);
      return;
    }
  }
  EnqueueHop(job, job->url);
}

void LinkChecker::Impl::EnqueueHop(Job* job, const std::string& raw) {
  const bool redirect = !job->obs.chain.empty();
  std::string error;
  const std::optional<Url> url = ParseUrl(raw, &error);
  if (!url) {
    job->obs.chain.push_back({raw, 0});
    return Fail(job, Outcome::kBroken,
                (redirect ? "redirect to an invalid URL: " : "invalid URL: ") + error);
  }
  const std::string normalized = url->Normalized();
  if (url->scheme != "http" && url->scheme != "https") {
    job->obs.chain.push_back({raw, 0});
    return Fail(job, Outcome::kBlocked,
                "refused: only http and https are fetched, not '" + url->scheme + ":'");
  }
  if (job->seen.count(normalized)) {
    job->obs.chain.push_back({normalized, 0});
    return Fail(job, Outcome::kBroken, "redirect loop");
  }
  if (static_cast<int>(job->obs.chain.size()) > config.max_redirects) {
    return Fail(job, Outcome::kBroken,
                "more than " + std::to_string(config.max_redirects) + " redirects");
  }
  if (!CurlReadsSameHost(*url)) {
    job->obs.chain.push_back({normalized, 0});
    return Fail(job, Outcome::kBlocked,
                std::string(redirect ? "redirect " : "") +
                    "refused: libcurl would read another host than '" + url->ascii_host +
                    "' in this URL; not fetched");
  }
  job->seen.insert(normalized);
  job->obs.chain.push_back({normalized, 0});
  job->current = normalized;
  job->host = url->ascii_host;
  job->port = url->EffectivePort();
  job->host_allowed =
      std::any_of(config.allow_hosts.begin(), config.allow_hosts.end(),
                  [&](const std::string& h) { return DomainMatches(job->host, h); });
  job->head = std::any_of(config.head_domains.begin(), config.head_domains.end(),
                          [&](const std::string& d) { return DomainMatches(job->host, d); });
  // IP literals in any spelling are judged before anything is sent (the socket check would
  // refuse them too; this one names the spelling).
  if (!job->host_allowed) {
    if (auto ip = ParseIpLoose(url->ascii_host)) {
      std::string why;
      if (!policy.Allows(*ip, &why)) {
        const std::string what =
            ip->ToString() == url->ascii_host || ip->ToString() == "[" + url->ascii_host + "]"
                ? url->ascii_host + why.substr(why.find(' '))
                : url->ascii_host + " is " + why;
        return Fail(
            job, Outcome::kBlocked,
            std::string(redirect ? "redirect " : "") + "refused: " + what + "; not fetched");
      }
    }
  }
  hosts[job->host].queue.push_back(job);
}

void LinkChecker::Impl::Start(Job* job) {
  auto* t = new Transfer;
  t->impl = this;
  t->job = job;
  t->easy = curl_easy_init();
  CURL* e = t->easy;
  job->obs.requests++;
  curl_easy_setopt(e, CURLOPT_URL, job->current.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, t);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(config.timeout_ms));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(config.connect_timeout_ms, config.timeout_ms)));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1000L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
                   static_cast<long>(std::clamp(config.timeout_ms / 1000, 1, 5)));
  curl_easy_setopt(e, CURLOPT_USERAGENT, config.user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(e, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED));
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, OnWrite);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, OnOpenSocket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t);
  curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, OnPrereq);
  curl_easy_setopt(e, CURLOPT_PREREQDATA, t);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, 0L);
  if (job->head)
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  t->headers = curl_slist_append(nullptr, "Accept: text/html,application/xhtml+xml,*/*;q=0.8");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
  for (const auto& [host, address] : config.resolve) {
    if (host == job->host) {
      const std::string entry = host + ":" + std::to_string(job->port) + ":" + address;
      t->resolve = curl_slist_append(t->resolve, entry.c_str());
    }
  }
  if (t->resolve)
    curl_easy_setopt(e, CURLOPT_RESOLVE, t->resolve);
  transfers.insert(t);
  curl_multi_add_handle(multi, e);
}

void LinkChecker::Impl::Retry(Job* job, Clock::duration delay) {
  job->attempts++;
  timed.push({Clock::now() + delay, job});
}

void LinkChecker::Impl::Done(Transfer* t, CURLcode rc) {
  Job* job = t->job;
  long status = 0;
  curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
  const char* location = nullptr;
  curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_URL, &location);
  const std::string next = location ? location : "";
  const std::string blocked = t->blocked;
  const std::string retry_after = t->retry_after;
  const bool bot = t->bot_protection;
  if (rc == CURLE_WRITE_ERROR && t->cap_hit)
    rc = CURLE_OK;  // the body cap: the status is all we need
  const std::string curl_error = curl_easy_strerror(rc);
  long os_errno = 0;
  curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &os_errno);
  curl_multi_remove_handle(multi, t->easy);
  curl_easy_cleanup(t->easy);
  curl_slist_free_all(t->resolve);
  curl_slist_free_all(t->headers);
  transfers.erase(t);
  delete t;
  HostState& host = hosts[job->host];
  host.active--;
  active--;

  const bool redirect = job->obs.chain.size() > 1;
  if (!blocked.empty()) {
    return Fail(job, Outcome::kBlocked,
                std::string(redirect ? "redirect " : "") + "refused: " + job->host +
                    " resolves to " + blocked + "; not fetched");
  }
  const auto backoff = std::chrono::milliseconds(static_cast<int64_t>(config.retry_wait_ms)
                                                 << std::min(job->attempts, 16));
  if (rc != CURLE_OK) {
    if (job->head && rc != CURLE_OPERATION_TIMEDOUT) {
      job->head = false;  // some servers mishandle HEAD: ask again with GET
      host.queue.push_front(job);
      return;
    }
    switch (rc) {
      case CURLE_COULDNT_RESOLVE_HOST:
        // Broken only if DNS answers for hosts that exist (SettleAwaitingDns); never cached, as
        // a machine whose DNS is down looks the same as a domain that does not exist.
        if (!dns_answers.valid()) {
          dns_answers = std::async(std::launch::async, [hosts = config.dns_probe_hosts] {
                          return DnsAnswersAny(hosts);
                        }).share();
        }
        awaiting_dns.push_back(job);
        return;
      case CURLE_COULDNT_CONNECT:
        if (os_errno == ENETUNREACH || os_errno == EHOSTUNREACH || os_errno == ENETDOWN)
          return Fail(job, Outcome::kUnverifiable, "offline: the network is unreachable", true);
        return Fail(job, Outcome::kBroken, "connection refused", true);  // not cached
      case CURLE_OPERATION_TIMEDOUT:
      case CURLE_RECV_ERROR:
      case CURLE_SEND_ERROR:
      case CURLE_GOT_NOTHING:
      case CURLE_PARTIAL_FILE:
      case CURLE_HTTP2:
      case CURLE_HTTP2_STREAM: {
        if (job->attempts < config.retries)
          return Retry(job, backoff);
        const std::string what =
            rc == CURLE_OPERATION_TIMEDOUT
                ? "timed out after " + std::to_string(config.timeout_ms) + " ms"
                : "connection reset (" + curl_error + ")";
        return Fail(
            job, Outcome::kUnverifiable,
            what +
                (job->attempts > 0 ? ", " + std::to_string(job->attempts + 1) + " attempts" : ""),
            true);
      }
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_SSL_CERTPROBLEM:
      case CURLE_SSL_CIPHER:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_ISSUER_ERROR:
        return Fail(job, Outcome::kUnverifiable, "TLS error: " + curl_error);
      default:
        return Fail(job, Outcome::kUnverifiable, curl_error, true);
    }
  }
  job->obs.chain.back().status = static_cast<int>(status);
  if (job->head && status >= 400 && status != 429) {
    job->head = false;
    host.queue.push_front(job);
    return;
  }
  job->obs.status = static_cast<int>(status);
  if (status >= 300 && status < 400) {
    if (next.empty())
      return Fail(job, Outcome::kUnverifiable, "redirect without a Location");
    job->obs.status = 0;
    job->attempts = 0;
    return EnqueueHop(job, next);
  }
  if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
    const std::optional<int64_t> ra = RetryAfterMs(retry_after);
    if (ra && *ra > config.max_retry_after_ms) {
      return Fail(job, Outcome::kUnverifiable,
                  "asked to wait " + std::to_string(*ra / 1000) + " s; retry later", true);
    }
    if (job->attempts < config.retries) {
      auto delay = std::chrono::duration_cast<Clock::duration>(backoff);
      if (ra) {
        const auto park = std::chrono::milliseconds(*ra);
        delay = std::max(delay, std::chrono::duration_cast<Clock::duration>(park));
        host.next_start = std::max(host.next_start, Clock::now() + park);
      }
      return Retry(job, delay);
    }
    return Fail(job, Outcome::kUnverifiable,
                job->attempts > 0 ? std::to_string(job->attempts + 1) + " attempts" : "", true);
  }
  if (status >= 200 && status < 300)
    return Fail(job, Outcome::kOk, "");
  if (status == 401 || status == 407 || status == 999)
    return Fail(job, Outcome::kUnverifiable, "");
  if (status == 403)
    return Fail(job, Outcome::kUnverifiable, bot ? "bot protection" : "");
  if (status >= 400 && status < 500)
    return Fail(job, Outcome::kBroken, "");
  return Fail(job, Outcome::kUnverifiable, status < 200 ? "unexpected response" : "");
}

void LinkChecker::Impl::Finish(Job* job) {
  const Observation& o = job->obs;
  if (cache && !o.transient) {
    const int64_t ttl = o.outcome == Outcome::kOk             ? config.ttl_ok_s
                        : o.outcome == Outcome::kBroken       ? config.ttl_broken_s
                        : o.outcome == Outcome::kUnverifiable ? config.ttl_unverifiable_s
                                                              : 0;  // blocked: per policy
    cache->Put(job->url, o, ttl);
  }
  job->promise.set_value(o);
  jobs.erase(job);
}

LinkChecker::LinkChecker(CheckerConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}

LinkChecker::~LinkChecker() = default;

std::shared_ptr<LinkChecker> LinkChecker::Shared(const CheckerConfig& config) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<LinkChecker>> registry;
  const std::string key = config.Key();
  std::lock_guard lock(mu);
  if (auto it = registry.find(key); it != registry.end()) {
    if (auto existing = it->second.lock())
      return existing;
  }
  auto checker = std::make_shared<LinkChecker>(config);
  registry[key] = checker;
  return checker;
}

std::shared_future<Observation> LinkChecker::Check(const std::string& url, bool offline) {
  Impl& d = *impl_;
  {
    std::lock_guard lock(d.mu);
    if (auto it = d.memo.find(url); it != d.memo.end())
      return it->second;
  }
  if (offline) {
    std::promise<Observation> p;
    std::optional<Observation> hit = d.cache ? d.cache->Get(url) : std::nullopt;
    p.set_value(hit ? std::move(*hit) : Observation{});
    std::shared_future<Observation> f = p.get_future().share();
    if (hit) {
      std::lock_guard lock(d.mu);
      d.memo.emplace(url, f);
    }
    return f;
  }
  std::lock_guard lock(d.mu);
  if (auto it = d.memo.find(url); it != d.memo.end())
    return it->second;
  auto job = std::make_unique<Job>();
  job->url = url;
  std::shared_future<Observation> f = job->promise.get_future().share();
  d.memo.emplace(url, f);
  if (d.stop) {
    job->promise.set_value(Observation{});
    return f;
  }
  d.incoming.push_back(std::move(job));
  if (!d.thread.joinable()) {
    std::call_once(curl_init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    d.multi = curl_multi_init();
    curl_multi_setopt(d.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                      static_cast<long>(d.config.concurrency));
    d.thread = std::thread([&d] {
      d.Run();
      curl_multi_cleanup(d.multi);
    });
  } else {
    curl_multi_wakeup(d.multi);
  }
  return f;
}

}  // namespace postlint::links
