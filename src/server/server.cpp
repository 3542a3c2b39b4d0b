#include "server/server.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <httplib.h>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/hash.h"
#include "engine/engine.h"
#include "gate/fingerprint.h"
#include "gate/gate.h"
#include "gate/recording.h"
#include "io/post_reader.h"
#include "links/checker.h"
#include "report/json_post.h"
#include "session/check_session.h"

namespace postlint {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

// Histogram buckets for request latency, in seconds (Prometheus conventions).
constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};

struct LoadedPolicy {
  std::string path;
  std::shared_ptr<const Engine> engine;
  std::map<std::string, fs::file_time_type> mtimes;  // every file the policy was loaded from
};

std::map<std::string, fs::file_time_type> MTimes(const Policy& policy) {
  std::map<std::string, fs::file_time_type> out;
  for (const auto& f : policy.files) {
    std::error_code ec;
    out[f] = fs::last_write_time(f, ec);
  }
  return out;
}

// Log lines' time, from the one clock (thread-safe, POSTLINT_NOW honoured).
std::string Now() {
  return FormatTimeMillis(NowMillis());
}

void SendJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(DumpJson(body), "application/json");
}

void SendError(httplib::Response& res, int status, const std::string& code,
               const std::string& message, const std::string& field = "") {
  Json error = {{"code", code}, {"message", message}};
  if (!field.empty())
    error["field"] = field;
  SendJson(res, status, Json{{"error", error}});
}

// "field 'text' is required" -> "text"
std::string FieldOf(const std::string& message) {
  const size_t a = message.find('\'');
  if (a == std::string::npos)
    return "";
  const size_t b = message.find('\'', a + 1);
  return b == std::string::npos ? "" : message.substr(a + 1, b - a - 1);
}

// Strangers choose the URLs this service fetches: no policy may open internal addresses.
const CompileOptions kServiceCompile{/*strict_addresses=*/true};

thread_local std::chrono::steady_clock::time_point t_request_start;
thread_local size_t t_request_posts = 0;
thread_local std::string t_request_verdict;

}  // namespace

struct Server::State {
  httplib::Server http;
  std::mutex policies_mu;
  std::vector<LoadedPolicy> policies;  // guarded by policies_mu; engines are immutable
  std::thread listener;
  std::thread watcher;
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stopping = false;
  std::mutex log_mu;

  // Metrics.
  std::mutex metrics_mu;
  std::map<std::pair<std::string, int>, uint64_t> requests;  // (path, status) -> count
  uint64_t latency_buckets[std::size(kBuckets)] = {};
  uint64_t latency_count = 0;
  double latency_sum = 0;
  std::map<std::string, uint64_t> verdicts;
  std::map<std::string, uint64_t> findings_by_rule;
  uint64_t reloads_ok = 0, reloads_failed = 0;

  // The gate (options.decision_log): one connection, used under `gate_mu`, for reading the
  // waivers and approvals (reloaded when someone appends) and for recording.
  std::mutex gate_mu;
  std::unique_ptr<DecisionLog> gate_log;
  std::unique_ptr<GateStateSource> gate_state;

  void Log(const Json& line) {
    std::lock_guard lock(log_mu);
    std::cerr << DumpJson(line) << std::endl;
  }

  std::vector<LoadedPolicy> Snapshot() {
    std::lock_guard lock(policies_mu);
    return policies;
  }
};

Server::Server(ServerOptions options)
    : options_(std::move(options)), state_(std::make_unique<State>()) {}

Server::~Server() {
  Stop();
  if (state_->listener.joinable())
    state_->listener.join();
  if (state_->watcher.joinable())
    state_->watcher.join();
}

void Server::Reload(const std::string& why) {
  for (size_t i = 0;; ++i) {
    std::string path;
    {
      std::lock_guard lock(state_->policies_mu);
      if (i >= state_->policies.size())
        break;
      path = state_->policies[i].path;
    }
    Diagnostics diags;
    auto engine = CompilePolicyFile(path, diags, kServiceCompile);
    if (!engine) {
      Json errors = Json::array();
      for (const auto& d : diags.items())
        errors.push_back(d.ToString());
      state_->Log({{"ts", Now()},
                   {"event", "policy_reload_failed"},
                   {"reason", why},
                   {"path", path},
                   {"errors", errors},
                   {"kept", "previous policy"}});
      std::lock_guard lock(state_->metrics_mu);
      ++state_->reloads_failed;
      // Remember the broken files' times so the watcher does not retry every second.
      std::lock_guard plock(state_->policies_mu);
      for (auto& [file, time] : state_->policies[i].mtimes) {
        std::error_code ec;
        time = fs::last_write_time(file, ec);
      }
      continue;
    }
    LoadedPolicy loaded{path, engine, MTimes(engine->policy())};
    {
      std::lock_guard lock(state_->policies_mu);
      state_->policies[i] = std::move(loaded);
    }
    state_->Log({{"ts", Now()},
                 {"event", "policy_reloaded"},
                 {"reason", why},
                 {"path", path},
                 {"name", engine->policy().name},
                 {"version", engine->policy().version},
                 {"sha256", engine->policy().sha256}});
    std::lock_guard lock(state_->metrics_mu);
    ++state_->reloads_ok;
  }
}

bool Server::Start(std::string* error) {
  State& s = *state_;
  if (options_.policy_paths.empty()) {
    *error = "no policy given";
    return false;
  }
  for (const auto& path : options_.policy_paths) {
    Diagnostics diags;
    auto engine = CompilePolicyFile(path, diags, kServiceCompile);
    if (!engine) {
      *error = diags.ToString();
      return false;
    }
    s.policies.push_back({path, engine, MTimes(engine->policy())});
  }
  if (!options_.decision_log.empty()) {
    s.gate_log = DecisionLog::Open(options_.decision_log, DecisionLog::kCreate, error);
    if (!s.gate_log)
      return false;
  }
  s.gate_state = std::make_unique<GateStateSource>(s.gate_log.get(), &s.gate_mu);

  const unsigned threads = options_.threads ? options_.threads : 64;
  s.http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.http.set_payload_max_length(options_.max_body_bytes);
  // Responses go out as headers then body; without TCP_NODELAY, Nagle's algorithm holds the
  // body until the client's delayed ACK (~40 ms per request on keep-alive connections).
  s.http.set_tcp_nodelay(true);
  // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, with which a second `serve` (a
  // forgotten instance with an old policy) binds the same port and answers part of the traffic.
  s.http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof yes);
  });
  s.http.set_read_timeout(options_.read_timeout_seconds, 0);
  s.http.set_write_timeout(options_.read_timeout_seconds, 0);

  s.http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_request_start = std::chrono::steady_clock::now();
    t_request_posts = 0;
    t_request_verdict.clear();
    const bool protected_path = req.path.rfind("/v1/", 0) == 0 || req.path == "/metrics";
    if (!options_.token.empty() && protected_path) {
      const std::string auth = req.get_header_value("Authorization");
      if (!ConstantTimeEquals(auth, "Bearer " + options_.token)) {
        res.set_header("WWW-Authenticate", "Bearer");
        SendError(res, 401, "unauthorized", "missing or wrong bearer token");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  s.http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty())
      return;
    switch (res.status) {
      case 404:
        SendError(res, 404, "not_found", "no such endpoint");
        break;
      case 405:
        SendError(res, 405, "method_not_allowed", "method not allowed on this endpoint");
        break;
      case 408:
        SendError(res, 408, "request_timeout", "the request took too long to arrive");
        break;
      case 413:
        SendError(res, 413, "body_too_large", "request body is larger than the server allows");
        break;
      case 414:
        SendError(res, 414, "uri_too_long", "request URI is too long");
        break;
      default:
        SendError(res, res.status, res.status >= 500 ? "internal_error" : "bad_request",
                  "the request could not be served");
    }
  });

  s.http.set_exception_handler(
      [this](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        state_->Log({{"ts", Now()}, {"event", "internal_error"}, {"message", what}});
        SendError(res, 500, "internal_error", "internal error; see the server log");
      });

  s.http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_request_start).count();
    {
      std::lock_guard lock(state_->metrics_mu);
      ++state_->requests[{req.path.size() > 64 ? std::string("(other)") : req.path, res.status}];
      ++state_->latency_count;
      state_->latency_sum += seconds;
      for (size_t i = 0; i < std::size(kBuckets); ++i) {
        if (seconds <= kBuckets[i])
          ++state_->latency_buckets[i];
      }
    }
    if (!options_.access_log)
      return;
    // Never the body: no post text, no tokens.
    Json line = {{"ts", Now()},          {"remote", req.remote_addr},
                 {"method", req.method}, {"path", req.path},
                 {"status", res.status}, {"duration_ms", std::round(seconds * 100000.0) / 100.0}};
    if (t_request_posts)
      line["posts"] = t_request_posts;
    if (!t_request_verdict.empty())
      line["verdict"] = t_request_verdict;
    state_->Log(line);
  });

  s.http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200, {{"status", "ok"}});
  });

  s.http.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    const auto policies = state_->Snapshot();
    SendJson(res, policies.empty() ? 503 : 200,
             {{"status", policies.empty() ? "not ready" : "ready"}, {"policies", policies.size()}});
  });

  s.http.Get("/v1/policies", [this](const httplib::Request&, httplib::Response& res) {
    Json list = Json::array();
    for (const auto& p : state_->Snapshot()) {
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
    SendJson(res, 200, {{"policies", list}});
  });

  s.http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    std::ostringstream m;
    std::lock_guard lock(state_->metrics_mu);
    m << "# HELP postlint_requests_total HTTP requests by path and status.\n"
         "# TYPE postlint_requests_total counter\n";
    for (const auto& [key, n] : state_->requests) {
      m << "postlint_requests_total{path=\"" << key.first << "\",code=\"" << key.second << "\"} "
        << n << "\n";
    }
    m << "# HELP postlint_request_duration_seconds Request latency.\n"
         "# TYPE postlint_request_duration_seconds histogram\n";
    for (size_t i = 0; i < std::size(kBuckets); ++i) {
      m << "postlint_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} "
        << state_->latency_buckets[i] << "\n";
    }
    m << "postlint_request_duration_seconds_bucket{le=\"+Inf\"} " << state_->latency_count << "\n"
      << "postlint_request_duration_seconds_sum " << state_->latency_sum << "\n"
      << "postlint_request_duration_seconds_count " << state_->latency_count << "\n";
    m << "# HELP postlint_posts_checked_total Posts checked by verdict.\n"
         "# TYPE postlint_posts_checked_total counter\n";
    for (const char* v : {"pass", "review", "fail", "error"}) {
      const auto it = state_->verdicts.find(v);
      m << "postlint_posts_checked_total{verdict=\"" << v << "\"} "
        << (it == state_->verdicts.end() ? 0 : it->second) << "\n";
    }
    m << "# HELP postlint_findings_total Findings by rule.\n"
         "# TYPE postlint_findings_total counter\n";
    for (const auto& [rule, n] : state_->findings_by_rule) {
      m << "postlint_findings_total{rule=\"" << rule << "\"} " << n << "\n";
    }
    m << "# HELP postlint_policy_reloads_total Policy reloads by result.\n"
         "# TYPE postlint_policy_reloads_total counter\n"
         "postlint_policy_reloads_total{result=\"ok\"} "
      << state_->reloads_ok << "\npostlint_policy_reloads_total{result=\"failed\"} "
      << state_->reloads_failed << "\n";
    res.set_content(m.str(), "text/plain; version=0.0.4");
  });

  s.http.Post("/v1/check", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string type = req.get_header_value("Content-Type");
    if (type.rfind("application/json", 0) != 0) {
      SendError(res, 415, "unsupported_media_type",
                "send the post as JSON with Content-Type: application/json");
      return;
    }
    nlohmann::json body;
    try {
      body = nlohmann::json::parse(req.body);
    } catch (const nlohmann::json::parse_error& e) {
      SendError(
          res, 400, "invalid_json",
          std::string("request body is not valid JSON (byte ") + std::to_string(e.byte) + ")");
      return;
    }
    if (!body.is_object()) {
      SendError(res, 400, "invalid_request",
                "the body must be a post object or {\"posts\": [...]}");
      return;
    }
    const auto policies = state_->Snapshot();
    const LoadedPolicy* policy = &policies.front();
    if (body.contains("policy")) {
      if (!body["policy"].is_string()) {
        SendError(res, 400, "invalid_request", "'policy' must be a string", "policy");
        return;
      }
      policy = nullptr;
      for (const auto& p : policies) {
        if (p.engine->policy().name == body["policy"].get<std::string>())
          policy = &p;
      }
      if (!policy) {
        SendError(res, 400, "unknown_policy", "no loaded policy has that name (see /v1/policies)",
                  "policy");
        return;
      }
    }
    std::vector<nlohmann::json> items;
    if (body.contains("posts")) {
      if (!body["posts"].is_array()) {
        SendError(res, 400, "invalid_request", "'posts' must be an array of post objects", "posts");
        return;
      }
      if (body["posts"].size() > options_.max_posts) {
        SendError(res, 413, "too_many_posts",
                  "at most " + std::to_string(options_.max_posts) + " posts per request", "posts");
        return;
      }
      for (auto& p : body["posts"])
        items.push_back(std::move(p));
    } else {
      items.push_back(std::move(body));
    }
    // A pre-publish hook asks for its verdicts to be recorded in the decision log.
    bool record = false;
    std::string actor = "postlint-serve";
    for (const char* key : {"record", "actor"}) {
      const nlohmann::json* where = body.contains(key) ? &body : nullptr;
      if (!where && items.size() == 1 && items[0].is_object() && items[0].contains(key))
        where = &items[0];
      if (!where)
        continue;
      const auto& v = (*where)[key];
      if (std::string(key) == "record" ? !v.is_boolean() : !v.is_string()) {
        SendError(res, 400, "invalid_request",
                  std::string("'") + key + "' must be " +
                      (std::string(key) == "record" ? "true or false" : "a string"),
                  key);
        return;
      }
      if (std::string(key) == "record") {
        record = v.get<bool>();
      } else {
        actor = v.get<std::string>();
      }
    }
    if (record && options_.decision_log.empty()) {
      SendError(res, 400, "no_decision_log",
                "this server keeps no decision log; start it with --db to record decisions",
                "record");
      return;
    }
    std::vector<Post> posts;
    const Policy& checked_policy = policy->engine->policy();
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string where = items.size() > 1 ? "posts[" + std::to_string(i) + "]" : "";
      if (!items[i].is_object()) {
        SendError(res, 400, "invalid_post", "posts[" + std::to_string(i) + "] is not an object",
                  "posts[" + std::to_string(i) + "]");
        return;
      }
      if (items.size() == 1 && !body.contains("posts")) {
        // A lone post carries the request's own keys beside its fields.
        for (const char* key : {"policy", "record", "actor"})
          items[i].erase(key);
      }
      auto parsed = PostFromJson(items[i], "");
      if (auto* message = std::get_if<std::string>(&parsed)) {
        const std::string field = FieldOf(*message);
        SendError(res, 400, "invalid_post", (where.empty() ? "" : where + ": ") + *message,
                  where.empty() ? field : where + "." + field);
        return;
      }
      Post post = std::get<Post>(std::move(parsed));
      for (const auto& n : post.networks) {
        if (auto problem = checked_policy.UnknownNetworkProblem(n)) {
          SendError(res, 400, "unknown_network", (where.empty() ? "" : where + ": ") + *problem,
                    where.empty() ? "network" : where + ".network");
          return;
        }
      }
      // Without an id, a post is known by what it says: its fingerprint. Two requests without
      // ids are two posts in the decision log and the review queue, never one "post-1".
      if (post.id.empty())
        post.id = ShortFingerprint(PostFingerprint(post));
      post.source = "request";
      posts.push_back(std::move(post));
    }
    Json results = Json::array();
    Verdict worst = Verdict::kPass;
    std::map<std::string, uint64_t> rules;
    std::map<std::string, uint64_t> verdicts;
    // One check path for every entry point: the same session as `postlint check` and `gate`.
    DecisionRecorder recorder(record ? state_->gate_log.get() : nullptr, &state_->gate_mu);
    SessionOptions session_options;
    session_options.check.offline = options_.offline;
    session_options.check.live_deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.link_budget_ms);
    session_options.gate = state_->gate_state->Current();
    session_options.recorder = record ? &recorder : nullptr;
    session_options.actor = actor;
    const CheckSession session(*policy->engine, session_options);
    for (auto& post : posts) {
      PostResult r = session.Check(std::move(post));
      worst = std::max(worst, r.verdict);
      ++verdicts[std::string(ToString(r.verdict))];
      for (const auto& f : r.findings)
        ++rules[f.rule];
      results.push_back(PostResultToOrderedJson(r));
    }
    {
      std::lock_guard lock(state_->metrics_mu);
      for (const auto& [v, n] : verdicts)
        state_->verdicts[v] += n;
      for (const auto& [rule, n] : rules)
        state_->findings_by_rule[rule] += n;
    }
    if (!recorder.Flush()) {
      state_->Log({{"ts", Now()}, {"event", "record_failed"}, {"error", recorder.error()}});
      SendError(res, 503, "decision_log_unavailable",
                "the verdicts could not be recorded in the decision log: " + recorder.error());
      return;
    }
    t_request_posts = posts.size();
    t_request_verdict = std::string(ToString(worst));
    const Policy& p = policy->engine->policy();
    SendJson(res, 200,
             {{"policy", {{"name", p.name}, {"version", p.version}, {"sha256", p.sha256}}},
              {"verdict", ToString(worst)},
              {"posts", results}});
  });

  port_ = options_.port == 0
              ? s.http.bind_to_any_port(options_.host)
              : (s.http.bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port_ <= 0) {
    *error = "cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
             ": address already in use, or not an address of this machine\n";
    return false;
  }
  s.listener = std::thread([this] { state_->http.listen_after_bind(); });
  if (options_.watch_files) {
    s.watcher = std::thread([this] {
      std::unique_lock lock(state_->stop_mu);
      while (!state_->stop_cv.wait_for(lock, std::chrono::seconds(1),
                                       [this] { return state_->stopping; })) {
        lock.unlock();
        bool changed = false;
        for (const auto& p : state_->Snapshot()) {
          for (const auto& [file, time] : p.mtimes) {
            std::error_code ec;
            if (fs::last_write_time(file, ec) != time)
              changed = true;
          }
        }
        if (changed)
          Reload("file changed");
        lock.lock();
      }
    });
  }
  state_->Log({{"ts", Now()},
               {"event", "listening"},
               {"host", options_.host},
               {"port", port_},
               {"policies", options_.policy_paths.size()}});
  return true;
}

void Server::Wait() {
  if (state_->listener.joinable())
    state_->listener.join();
  if (state_->watcher.joinable())
    state_->watcher.join();
}

void Server::Stop() {
  {
    std::lock_guard lock(state_->stop_mu);
    if (state_->stopping)
      return;
    state_->stopping = true;
  }
  state_->stop_cv.notify_all();
  // Stops accepting; requests already being served finish (the pool drains on shutdown).
  state_->http.stop();
}

}  // namespace postlint
