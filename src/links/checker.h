// The live half of the links rule: a shared, thread-safe link checker on the libcurl multi
// interface. One event-loop thread per checker runs every transfer; rule instances on any
// number of worker threads ask for URLs and wait on futures.
//
//   auto checker = LinkChecker::Shared(config);            // shared by rules with the same config
//   std::shared_future<Observation> f = checker->Check("https://acme.com/launch");
//   const Observation& o = f.get();                        // o.outcome, o.chain, o.Describe()
//
// What it guarantees:
// - Single flight: a normalised URL is checked once per checker (per run); later askers get the
//   same future. Results are cached in SQLite between runs (TTL per outcome class; transient
//   failures never cached).
// - Politeness: at most `concurrency` transfers in flight, `host_concurrency` per host, at least
//   `host_interval_ms` between request starts to one host; 408/429/5xx/timeouts/resets are retried
//   with doubling backoff, honouring Retry-After (which also parks the host).
// - Safety: only http/https; redirects followed by postlint hop by hop, each hop re-checked;
//   the address of every socket is checked against the AddressPolicy before connecting (and again
//   before each request on a reused connection); no cookies, credentials, netrc or proxies; TLS
//   verification on; body capped in the write callback; total, connect and low-speed timeouts.
#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "links/address.h"

namespace postlint::links {

struct CheckerConfig {
  int concurrency = 32;
  int host_concurrency = 4;
  int host_interval_ms = 50;
  int timeout_ms = 10000;
  int connect_timeout_ms = 5000;
  int max_redirects = 10;
  int64_t max_body_bytes = 16384;
  int retries = 2;
  int retry_wait_ms = 1000;
  int max_retry_after_ms = 60000;
  std::string user_agent = "postlint link checker";
  std::vector<std::string> allow_range_texts;  // CIDR ranges the policy allows
  std::vector<std::string> allow_hosts;        // host names whose addresses are not checked
  std::vector<std::pair<std::string, std::string>> resolve;  // host -> address (tests, staging)
  std::vector<std::string> head_domains;  // domains asked with HEAD first (shorteners)
  // Hosts that exist for sure: when a link's domain does not resolve and none of these does
  // either, the machine is offline and the link is unverifiable, not broken.
  std::vector<std::string> dns_probe_hosts = {"example.com", "www.iana.org", "one.one.one.one"};
  bool cache = true;
  std::string cache_dir;  // "" = CacheDir()
  int64_t ttl_ok_s = 7 * 24 * 3600;
  int64_t ttl_broken_s = 24 * 3600;
  int64_t ttl_unverifiable_s = 24 * 3600;

  std::string Key() const;
};

enum class Outcome {
  kOk,            // final response 2xx
  kBroken,        // 404, 410, other 4xx, unknown domain, connection refused, loop, too many hops
  kUnverifiable,  // 401, 403, 407, 999, 429/5xx/timeout after retries, TLS errors
  kBlocked,       // refused by the SSRF address policy or a non-http(s) redirect; not fetched
  kNotChecked,    // offline and not in the cache (or the checker stopped)
};
const char* OutcomeName(Outcome o);

struct Hop {
  std::string url;  // normalised
  int status = 0;   // 0 when no response
};

struct Observation {
  Outcome outcome = Outcome::kNotChecked;
  std::vector<Hop> chain;  // every URL requested, in order; the last is where it ended
  int status = 0;          // final HTTP status, 0 when none
  std::string error;       // what went wrong in words, when no final status tells it
  bool transient = false;  // a retryable failure: never cached
  bool from_cache = false;
  int requests = 0;  // HTTP requests made (retries and HEAD fallbacks included)

  // "bit.ly/x → acme.com/launch → 404 Not Found"
  std::string Describe() const;
  const std::string& final_url() const;
};

// $POSTLINT_CACHE_DIR, else $XDG_CACHE_HOME/postlint, else ~/.cache/postlint.
std::string CacheDir();

std::string ReasonPhrase(int status);

class LinkChecker {
 public:
  // The checker for `config`, shared by every rule instance alive with the same configuration
  // (so several `links` rules in one policy fetch each URL once).
  static std::shared_ptr<LinkChecker> Shared(const CheckerConfig& config);

  explicit LinkChecker(CheckerConfig config);
  ~LinkChecker();
  LinkChecker(const LinkChecker&) = delete;
  LinkChecker& operator=(const LinkChecker&) = delete;

  // Checks a normalised http(s) URL (Url::Normalized()). With `offline`, only the in-run
  // results and the cache are consulted (kNotChecked otherwise). Thread-safe.
  std::shared_future<Observation> Check(const std::string& url, bool offline = false);

  struct Impl;  // the event loop (checker.cpp)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace postlint::links
