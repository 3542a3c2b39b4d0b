#include "server/service.h"

#include <chrono>
#include <cmath>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/hash.h"
#include "report/json_post.h"

namespace postlint::server {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

// Strangers choose the URLs this service fetches: no policy may open internal addresses.
CompileOptions ServiceCompile(const ServerOptions& options) {
  CompileOptions compile;
  compile.strict_addresses = true;
  compile.load.policy_path = options.policy_search_path;
  return compile;
}

std::map<std::string, fs::file_time_type> MTimes(const Policy& policy) {
  std::map<std::string, fs::file_time_type> out;
  for (const auto& f : policy.files) {
    std::error_code ec;
    out[f] = fs::last_write_time(f, ec);
  }
  return out;
}

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse res;
  res.status = status;
  res.body = DumpJson(body);
  return res;
}

}  // namespace

Service::Service(const ServerOptions& options) : options_(options) {}
Service::~Service() = default;

bool Service::Load(std::string* error) {
  for (const auto& path : options_.policy_paths) {
    Diagnostics diags;
    auto engine = CompilePolicyFile(path, diags, ServiceCompile(options_));
    if (!engine) {
      *error = diags.ToString();
      return false;
    }
    policies_.push_back({path, engine, MTimes(engine->policy())});
  }
  if (!options_.decision_log.empty()) {
    gate_log_ = DecisionLog::Open(options_.decision_log, DecisionLog::kCreate, error);
    if (!gate_log_)
      return false;
  }
  gate_state_ = std::make_unique<GateStateSource>(gate_log_.get(), &gate_mu_);
  return true;
}

std::vector<Service::LoadedPolicy> Service::Snapshot() const {
  std::lock_guard lock(policies_mu_);
  return policies_;
}

size_t Service::policy_count() const {
  std::lock_guard lock(policies_mu_);
  return policies_.size();
}

void Service::Log(const Json& line) {
  std::lock_guard lock(log_mu_);
  std::cerr << DumpJson(line) << std::endl;
}

void Service::Reload(const std::string& why) {
  for (size_t i = 0;; ++i) {
    std::string path;
    {
      std::lock_guard lock(policies_mu_);
      if (i >= policies_.size())
        break;
      path = policies_[i].path;
    }
    Diagnostics diags;
    auto engine = CompilePolicyFile(path, diags, ServiceCompile(options_));
    if (!engine) {
      Json errors = Json::array();
      for (const auto& d : diags.items())
        errors.push_back(d.ToString());
      Log({{"ts", FormatTimeMillis(NowMillis())},
           {"event", "policy_reload_failed"},
           {"reason", why},
           {"path", path},
           {"errors", errors},
           {"kept", "previous policy"}});
      metrics_.Reload(false);
      // Remember the broken files' times so the watcher does not retry every second.
      std::lock_guard lock(policies_mu_);
      for (auto& [file, time] : policies_[i].mtimes) {
        std::error_code ec;
        time = fs::last_write_time(file, ec);
      }
      continue;
    }
    LoadedPolicy loaded{path, engine, MTimes(engine->policy())};
    {
      std::lock_guard lock(policies_mu_);
      policies_[i] = std::move(loaded);
    }
    Log({{"ts", FormatTimeMillis(NowMillis())},
         {"event", "policy_reloaded"},
         {"reason", why},
         {"path", path},
         {"name", engine->policy().name},
         {"version", engine->policy().version},
         {"sha256", engine->policy().sha256}});
    metrics_.Reload(true);
  }
}

bool Service::PolicyFilesChanged() const {
  for (const auto& p : Snapshot()) {
    for (const auto& [file, time] : p.mtimes) {
      std::error_code ec;
      if (fs::last_write_time(file, ec) != time)
        return true;
    }
  }
  return false;
}

HttpResponse Service::Serve(const HttpRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  HttpResponse res;
  try {
    res = Route(request);
  } catch (const std::exception& e) {
    Log({{"ts", FormatTimeMillis(NowMillis())},
         {"event", "internal_error"},
         {"message", e.what()}});
    res = ErrorResponse(500, "internal_error", "internal error; see the server log");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Record(request, res, seconds);
  return res;
}

void Service::Record(const HttpRequest& request, const HttpResponse& res, double seconds) {
  metrics_.Request(request.path, res.status, seconds);
  if (!options_.access_log)
    return;
  // Never the body: no post text, no tokens. The path only as one of the service's routes,
  // so no client can write into the log.
  Json line = {{"ts", FormatTimeMillis(NowMillis())},
               {"remote", request.remote},
               {"method", request.method},
               {"path", Metrics::PathLabel(request.path)},
               {"status", res.status},
               {"duration_ms", std::round(seconds * 100000.0) / 100.0}};
  if (res.posts)
    line["posts"] = res.posts;
  if (!res.verdict.empty())
    line["verdict"] = res.verdict;
  Log(line);
}

HttpResponse Service::Route(const HttpRequest& request) {
  const std::string& path = request.path;
  const bool protected_path = path.rfind("/v1/", 0) == 0 || path == "/metrics";
  if (!options_.token.empty() && protected_path &&
      !ConstantTimeEquals(request.Header("Authorization"), "Bearer " + options_.token)) {
    HttpResponse res = ErrorResponse(401, "unauthorized", "missing or wrong bearer token");
    res.headers.emplace_back("WWW-Authenticate", "Bearer");
    return res;
  }
  struct Route {
    const char* path;
    const char* method;
  };
  static constexpr Route kRoutes[] = {{"/healthz", "GET"},
                                      {"/readyz", "GET"},
                                      {"/v1/policies", "GET"},
                                      {"/metrics", "GET"},
                                      {"/v1/check", "POST"}};
  bool known = false;
  for (const Route& r : kRoutes) {
    if (path != r.path)
      continue;
    known = true;
    if (request.method != r.method && !(request.method == "HEAD" && std::string(r.method) == "GET"))
      continue;
    if (path == "/healthz")
      return JsonResponse(200, {{"status", "ok"}});
    if (path == "/readyz")
      return Ready();
    if (path == "/v1/policies")
      return Policies();
    if (path == "/metrics") {
      HttpResponse res;
      res.content_type = "text/plain; version=0.0.4";
      res.body = metrics_.Render();
      return res;
    }
    return Check(request);
  }
  if (known)
    return ErrorResponse(405, "method_not_allowed", "method not allowed on this endpoint");
  return ErrorResponse(404, "not_found", "no such endpoint");
}

HttpResponse Service::Ready() const {
  const size_t n = policy_count();
  return JsonResponse(n == 0 ? 503 : 200,
                      {{"status", n == 0 ? "not ready" : "ready"}, {"policies", n}});
}

HttpResponse Service::Policies() const {
  Json list = Json::array();
  for (const auto& p : Snapshot()) {
    const PolicyInfo info = p.engine->info();
    Json rules = Json::array();
    for (const auto& r : info.rules) {
      rules.push_back({{"id", r.id},
                       {"kind", r.kind},
                       {"level", ToString(r.level)},
                       {"description", r.description}});
    }
    list.push_back({{"name", info.name},
                    {"version", info.version},
                    {"sha256", info.sha256},
                    {"rules", rules}});
  }
  return JsonResponse(200, {{"policies", list}});
}

}  // namespace postlint::server
