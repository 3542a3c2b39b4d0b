// POST /v1/check: posts in, verdicts out, through the one check path (session/check_session.h).
#include <chrono>
#include <string_view>

#include <nlohmann/json.hpp>

#include "analysis/deobfuscate.h"
#include "core/clock.h"
#include "core/fingerprint.h"
#include "io/post_reader.h"
#include "report/json_post.h"
#include "server/service.h"
#include "session/check_session.h"

namespace postlint::server {

namespace {

using Json = nlohmann::ordered_json;

// Deeper than any request needs ({"posts": [{"media": [{...}]}]} is 4), shallow enough that no
// reader of the parsed value can run out of stack: a megabyte of '[' crashed the service.
constexpr size_t kMaxJsonDepth = 64;

// True when `json` nests arrays and objects deeper than `limit`, judged from its bytes before
// anything is parsed or allocated (brackets inside strings do not count).
bool NestedDeeperThan(std::string_view json, size_t limit) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit)
        return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

// "field 'text' is required" -> "text"
std::string FieldOf(const std::string& message) {
  const size_t a = message.find('\'');
  if (a == std::string::npos)
    return "";
  const size_t b = message.find('\'', a + 1);
  return b == std::string::npos ? "" : message.substr(a + 1, b - a - 1);
}

}  // namespace

HttpResponse Service::Check(const HttpRequest& request) {
  const std::string type = request.Header("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    return ErrorResponse(415, "unsupported_media_type",
                         "send the post as JSON with Content-Type: application/json");
  }
  if (NestedDeeperThan(request.body, kMaxJsonDepth)) {
    return ErrorResponse(400, "invalid_json",
                         "request body nests arrays and objects deeper than " +
                             std::to_string(kMaxJsonDepth) + " levels");
  }
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::parse_error& e) {
    return ErrorResponse(
        400, "invalid_json",
        std::string("request body is not valid JSON (byte ") + std::to_string(e.byte) + ")");
  } catch (const nlohmann::json::out_of_range&) {
    // A number beyond a double ("1e400") is valid JSON that no field of a post can hold.
    return ErrorResponse(400, "invalid_json", "request body holds a number out of range");
  }
  if (!body.is_object())
    return ErrorResponse(400, "invalid_request",
                         "the body must be a post object or {\"posts\": [...]}");
  const auto policies = Snapshot();
  const LoadedPolicy* policy = &policies.front();
  if (body.contains("policy")) {
    if (!body["policy"].is_string())
      return ErrorResponse(400, "invalid_request", "'policy' must be a string", "policy");
    policy = nullptr;
    for (const auto& p : policies) {
      if (p.engine->policy().name == body["policy"].get<std::string>())
        policy = &p;
    }
    if (!policy) {
      return ErrorResponse(400, "unknown_policy",
                           "no loaded policy has that name (see /v1/policies)", "policy");
    }
  }
  const bool batch = body.contains("posts");
  std::vector<nlohmann::json> items;
  if (batch) {
    if (!body["posts"].is_array())
      return ErrorResponse(400, "invalid_request", "'posts' must be an array of post objects",
                           "posts");
    if (body["posts"].size() > options_.max_posts) {
      return ErrorResponse(413, "too_many_posts",
                           "at most " + std::to_string(options_.max_posts) + " posts per request",
                           "posts");
    }
    for (auto& p : body["posts"])
      items.push_back(std::move(p));
  } else {
    items.push_back(body);
  }
  // A pre-publish hook asks for its verdicts to be recorded in the decision log.
  bool record = false;
  std::string actor = "postlint-serve";
  const nlohmann::json& carrier = batch ? body : items[0];
  if (const auto it = carrier.find("record"); it != carrier.end()) {
    if (!it->is_boolean())
      return ErrorResponse(400, "invalid_request", "'record' must be true or false", "record");
    record = it->get<bool>();
  }
  if (const auto it = carrier.find("actor"); it != carrier.end()) {
    if (!it->is_string())
      return ErrorResponse(400, "invalid_request", "'actor' must be a string", "actor");
    actor = it->get<std::string>();
  }
  if (record && !gate_log_) {
    return ErrorResponse(
        400, "no_decision_log",
        "this server keeps no decision log; start it with --db to record decisions", "record");
  }
  std::vector<Post> posts;
  const Policy& checked_policy = policy->engine->policy();
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string where = batch ? "posts[" + std::to_string(i) + "]" : "";
    if (!items[i].is_object())
      return ErrorResponse(400, "invalid_post", where + " is not an object", where);
    if (!batch) {
      // A lone post carries the request's own keys beside its fields.
      for (const char* key : {"policy", "record", "actor"})
        items[i].erase(key);
    }
    auto parsed = PostFromJson(items[i], "");
    if (auto* message = std::get_if<std::string>(&parsed)) {
      const std::string field = FieldOf(*message);
      return ErrorResponse(400, "invalid_post", (where.empty() ? "" : where + ": ") + *message,
                           where.empty() ? field : where + "." + field);
    }
    Post post = std::get<Post>(std::move(parsed));
    for (const auto& n : post.networks) {
      if (auto problem = checked_policy.UnknownNetworkProblem(n)) {
        return ErrorResponse(400, "unknown_network", (where.empty() ? "" : where + ": ") + *problem,
                             where.empty() ? "network" : where + ".network");
      }
    }
    // Without an id, a post is known by what it says: its fingerprint. Two requests without
    // ids are two posts in the decision log and the review queue, never one "post-1".
    if (post.id.empty())
      post.id = ShortFingerprint(PostFingerprint(post));
    post.source = "request";
    posts.push_back(std::move(post));
  }

  // One check path for every entry point: the same session as `postlint check` and `gate`.
  DecisionRecorder recorder(record ? gate_log_.get() : nullptr, &gate_mu_);
  SessionOptions session_options;
  session_options.check.offline = options_.offline;
  session_options.check.live_deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.link_budget_ms);
  std::string untrusted;
  session_options.gate = gate_state_->Current(&untrusted);
  if (!session_options.gate) {
    // The details (the log's path, the broken entry) are the operator's, not the client's.
    Log({{"ts", FormatTimeMillis(NowMillis())},
         {"event", "decision_log_untrusted"},
         {"error", untrusted}});
    return ErrorResponse(503, "decision_log_untrusted",
                         "the team's decision log failed its integrity check, so waivers and "
                         "approvals cannot be applied; the operator must run `postlint log "
                         "verify`");
  }
  session_options.recorder = record ? &recorder : nullptr;
  session_options.actor = actor;
  const CheckSession session(*policy->engine, session_options);
  Json results = Json::array();
  Verdict worst = Verdict::kPass;
  std::map<std::string, uint64_t> rules;
  std::map<std::string, uint64_t> verdicts;
  for (auto& post : posts) {
    PostResult r = session.Check(std::move(post));
    worst = std::max(worst, r.verdict);
    ++verdicts[std::string(ToString(r.verdict))];
    for (const auto& f : r.findings)
      ++rules[f.rule];
    results.push_back(PostResultToOrderedJson(r));
  }
  // This worker thread lives as long as the service: a huge post must not leave it holding
  // the deobfuscation scratch that post needed (29 MB for 900 KB of text) for good.
  ReleaseDeobfuscateScratch();
  metrics_.Checked(verdicts, rules);
  if (!recorder.Flush()) {
    Log({{"ts", FormatTimeMillis(NowMillis())},
         {"event", "record_failed"},
         {"error", recorder.error()}});
    return ErrorResponse(
        503, "decision_log_unavailable",
        "the verdicts could not be recorded in the decision log: " + recorder.error());
  }
  HttpResponse res;
  res.body = DumpJson(Json{{"policy",
                            {{"name", checked_policy.name},
                             {"version", checked_policy.version},
                             {"sha256", checked_policy.sha256}}},
                           {"verdict", ToString(worst)},
                           {"posts", results}});
  res.posts = posts.size();
  res.verdict = std::string(ToString(worst));
  return res;
}

}  // namespace postlint::server
