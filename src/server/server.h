// `postlint serve`: the pre-publish hook over HTTP/1.1 + JSON.
//
//   ServerOptions o;  o.policy_paths = {"postlint.yaml"};  o.port = 8080;
//   Server server(o);
//   if (!server.Start(&error)) ...;   // loads policies, binds
//   server.Wait();                     // until Stop() (e.g. from a SIGTERM handler thread)
//
// Endpoints (docs/api/openapi.yaml): POST /v1/check, GET /v1/policies, GET /healthz,
// GET /readyz, GET /metrics. Compiled policies are shared read-only by the worker pool and
// swapped atomically on reload: a broken new policy is logged and the old one stays.
// The pieces: service.h (routes, handlers, policies, the decision log, metrics), transport.h
// (the HTTP library and its limits), this file (start, reload, stop).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace postlint {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                        // 0: pick a free port (see Server::port())
  std::vector<std::string> policy_paths;  // the first is the default policy
  // Directories `extends` may read besides the shipped packs and each policy's own directory
  // ($POSTLINT_POLICY_PATH, --policy-path).
  std::vector<std::string> policy_search_path;
  std::string token;  // bearer token; empty: no authentication
  // Limits on what a client may send (docs/serve.md, "limits"); the transport enforces them.
  size_t max_body_bytes = 1 << 20;     // chunked bodies too; 413
  size_t max_posts = 100;              // per request; 413
  size_t max_header_bytes = 16 << 10;  // request line and header fields; 431
  size_t max_headers = 100;            // header fields; 431
  size_t max_connections = 512;        // more are closed as soon as they are accepted
  // Worker threads: they answer requests (reading them holds none). 0: 2 per core, at least 8.
  unsigned threads = 0;
  // Whole-request deadline: from its first byte, a request's header and body must arrive
  // within this time (else 408 and the connection is closed); also the keep-alive idle time.
  int read_timeout_seconds = 5;
  // On Stop(), requests being answered get this long to finish; idle and half-received
  // connections are closed at once.
  int shutdown_grace_seconds = 5;
  // Time a request may wait for live link checks; links not checked by then are reported
  // `pending` (their checks go on and fill the cache for the next request).
  int link_budget_ms = 2000;
  bool watch_files = true;  // reload when a policy file changes (polled each second)
  // The team's decision log (docs/gate.md). When set, waivers and approvals apply to every
  // check, and requests with "record": true append their verdicts to it. Empty: neither.
  std::string decision_log;
  bool access_log = true;  // JSON lines on stderr, never post text
  // No network: live link checks answer from the cache only (links not there: unverifiable).
  bool offline = false;
};

namespace server {
class Service;
class Transport;
}  // namespace server

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads every policy and binds. False with a message on failure.
  bool Start(std::string* error);
  // Serves until Stop(); requests in flight finish before it returns, within the shutdown
  // grace. False when the grace ran out first: a request is still being answered on a thread
  // that uses this server, so the caller must end the process at once (std::_Exit), without
  // destroying the server.
  bool Wait();
  // Thread-safe; may be called from a signal-handling thread.
  void Stop();
  // Reloads every policy: each new policy is compiled first and swapped in only when it
  // compiles; otherwise its errors are logged and the old one stays. Thread-safe.
  void Reload(const std::string& why);
  int port() const { return port_; }

 private:
  ServerOptions options_;
  std::unique_ptr<server::Service> service_;
  std::unique_ptr<server::Transport> transport_;
  std::thread listener_;
  std::atomic<bool> finished_{true};  // what the transport's Run() returned
  std::thread watcher_;
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  int port_ = 0;
};

}  // namespace postlint
