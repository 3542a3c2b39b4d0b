// What `postlint serve` answers, whatever carries the bytes: the loaded policies (reloaded
// atomically), authentication, the routes, the handlers, the decision log, the metrics and the
// JSON log lines. The transport (transport.h) turns sockets into HttpRequests and calls Serve().
//
// Routes (docs/api/openapi.yaml): POST /v1/check, GET /v1/policies, GET /healthz, GET /readyz,
// GET /metrics. /v1/* and /metrics need the bearer token when one is set.
// Thread-safe: Serve() is called from the transport's worker threads.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "engine/engine.h"
#include "gate/decision_log.h"
#include "gate/recording.h"
#include "server/http.h"
#include "server/metrics.h"
#include "server/server.h"

namespace postlint::server {

class Service {
 public:
  explicit Service(const ServerOptions& options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Compiles every policy (strict addresses: strangers choose the links) and opens the decision
  // log. False with `*error` set when one cannot be used.
  bool Load(std::string* error);

  // Answers one request, and counts and logs it (Record).
  HttpResponse Serve(const HttpRequest& request);
  // Counts a request in the metrics (its route or "other", status, duration) and writes its
  // access log line: never its body, its path only as a route label. Serve() calls it; the
  // transport calls it for the requests it rejected before routing (400, 408, 413, 431),
  // with `seconds` counted from the request's first byte.
  void Record(const HttpRequest& request, const HttpResponse& response, double seconds);

  // Recompiles every policy; a broken one is logged and the old one stays.
  void Reload(const std::string& why);
  // True when a file some loaded policy was read from changed since it was loaded.
  bool PolicyFilesChanged() const;

  // One JSON line on stderr (events, and requests unless the access log is off).
  void Log(const nlohmann::ordered_json& line);
  size_t policy_count() const;

 private:
  struct LoadedPolicy {
    std::string path;
    std::shared_ptr<const Engine> engine;
    std::map<std::string, std::filesystem::file_time_type> mtimes;  // every file it was read from
  };
  std::vector<LoadedPolicy> Snapshot() const;

  HttpResponse Route(const HttpRequest& request);
  HttpResponse Check(const HttpRequest& request);
  HttpResponse Policies() const;
  HttpResponse Ready() const;

  const ServerOptions& options_;
  mutable std::mutex policies_mu_;
  std::vector<LoadedPolicy> policies_;  // engines are immutable; swapped whole on reload
  std::mutex log_mu_;
  Metrics metrics_;
  // The decision log: one connection, used under `gate_mu_`, for the waivers and approvals
  // (reloaded when someone appends) and for recording.
  std::mutex gate_mu_;
  std::unique_ptr<DecisionLog> gate_log_;
  std::unique_ptr<GateStateSource> gate_state_;
};

}  // namespace postlint::server
