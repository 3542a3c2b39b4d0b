// The public C++ API (include/postlint/checker.h) over the engine.
#include "postlint/checker.h"

#include <algorithm>
#include <mutex>

#include <nlohmann/json.hpp>

#include "core/text_position.h"
#include "core/utf8.h"
#include "engine/engine.h"
#include "gate/recording.h"
#include "io/post_fields.h"
#include "io/post_reader.h"
#include "report/json_post.h"
#include "session/check_session.h"

namespace postlint::api {

struct Checker::Impl {
  std::shared_ptr<const Engine> engine;
  CheckOptions check;
  std::mutex log_mu;
  std::unique_ptr<DecisionLog> log;  // read under log_mu, by `gate`
  std::unique_ptr<GateStateSource> gate;
};

Checker::Checker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Checker::~Checker() = default;

namespace {

std::unique_ptr<Checker::Impl> MakeImpl(std::shared_ptr<const Engine> engine,
                                        const Options& options, std::string* errors) {
  auto impl = std::make_unique<Checker::Impl>();
  impl->check.offline = options.offline;
  for (const auto& n : options.networks) {
    for (auto& name : SplitNetworkList(n)) {
      if (auto problem = engine->policy().UnknownNetworkProblem(name)) {
        if (errors)
          *errors = "postlint: networks: " + *problem + "\n";
        return nullptr;
      }
      impl->check.fallback_networks.push_back(std::move(name));
    }
  }
  if (!options.decision_log.empty()) {
    std::string error;
    impl->log = DecisionLog::Open(options.decision_log, DecisionLog::kReadOnly, &error);
    if (!impl->log) {
      if (errors)
        *errors = "postlint: " + error + "\n";
      return nullptr;
    }
  }
  impl->gate = std::make_unique<GateStateSource>(impl->log.get(), &impl->log_mu);
  impl->engine = std::move(engine);
  return impl;
}

// The one check path (session/check_session.h), with the log's waivers and approvals as of now;
// nullopt with `*untrusted` set when the log's chain is broken.
std::optional<CheckSession> Session(Checker::Impl& impl, std::string* untrusted) {
  SessionOptions options;
  options.check = impl.check;
  options.gate = impl.gate->Current(untrusted);
  if (!options.gate)
    return std::nullopt;
  return CheckSession(*impl.engine, options);
}

Report ToReport(const PostResult& r) {
  Report out;
  switch (r.verdict) {
    case postlint::Verdict::kPass:
      out.verdict = Verdict::kPass;
      break;
    case postlint::Verdict::kReview:
      out.verdict = Verdict::kReview;
      break;
    case postlint::Verdict::kFail:
      out.verdict = Verdict::kFail;
      break;
    case postlint::Verdict::kError:
      out.verdict = Verdict::kError;
      break;
  }
  const TextPositionIndex index(r.post.text);
  for (const auto& f : r.findings) {
    const TextPosition b = index.At(f.range.begin);
    const TextPosition e = index.At(f.range.end);
    Finding g;
    g.rule = f.rule;
    g.kind = f.kind;
    g.level = std::string(ToString(f.level));
    g.message = f.message;
    g.excerpt = f.excerpt;
    g.start = b.code_point;
    g.end = e.code_point;
    g.utf16_start = b.utf16;
    g.utf16_end = e.utf16;
    g.line = b.line;
    g.column = b.column;
    g.fix = f.fix;
    g.network = f.network;
    g.type = f.type;
    if (f.suppression)
      g.waiver = f.suppression->waiver;
    out.findings.push_back(std::move(g));
  }
  out.json = DumpJson(PostResultToOrderedJson(r));
  return out;
}

}  // namespace

std::unique_ptr<Checker> Checker::FromFile(const std::string& path, std::string* errors) {
  return FromFile(path, Options{}, errors);
}

std::unique_ptr<Checker> Checker::FromFile(const std::string& path, const Options& options,
                                           std::string* errors) {
  Diagnostics diags;
  auto engine = CompilePolicyFile(path, diags);
  if (!engine) {
    if (errors)
      *errors = diags.ToString();
    return nullptr;
  }
  auto impl = MakeImpl(std::move(engine), options, errors);
  return impl ? std::unique_ptr<Checker>(new Checker(std::move(impl))) : nullptr;
}

std::unique_ptr<Checker> Checker::FromYaml(const std::string& yaml, const std::string& name,
                                           std::string* errors) {
  return FromYaml(yaml, name, Options{}, errors);
}

std::unique_ptr<Checker> Checker::FromYaml(const std::string& yaml, const std::string& name,
                                           const Options& options, std::string* errors) {
  Diagnostics diags;
  auto engine = CompilePolicyString(yaml, name, diags);
  if (!engine) {
    if (errors)
      *errors = diags.ToString();
    return nullptr;
  }
  auto impl = MakeImpl(std::move(engine), options, errors);
  return impl ? std::unique_ptr<Checker>(new Checker(std::move(impl))) : nullptr;
}

Report Checker::Check(const Post& post) const {
  postlint::Post p;
  p.id = post.id;
  p.source = "<api>";
  p.text = SanitizeUtf8(post.text);
  // The same vocabulary as every reader: "Twitter" is x; an unknown name is an error verdict.
  for (const auto& n : post.networks) {
    for (auto& name : SplitNetworkList(n)) {
      if (std::find(p.networks.begin(), p.networks.end(), name) == p.networks.end())
        p.networks.push_back(std::move(name));
    }
  }
  p.account = post.account;
  p.author = post.author;
  p.created_at = post.created_at;
  p.lang = post.lang;
  p.sponsored = post.sponsored;
  for (const auto& alt : post.alt_texts)
    p.media.push_back({SanitizeUtf8(alt)});
  p.labels = post.labels;
  std::string untrusted;
  const auto session = Session(*impl_, &untrusted);
  if (!session)
    return ToReport(Engine::ErrorResult({p.source.empty() ? "<api>" : p.source, 0, "", untrusted}));
  return ToReport(session->Check(std::move(p)));
}

Report Checker::CheckJson(const std::string& post_json) const {
  nlohmann::json object;
  std::string problem;
  try {
    object = nlohmann::json::parse(post_json);
  } catch (const nlohmann::json::parse_error& e) {
    problem = std::string("invalid JSON: ") + e.what();
  }
  if (problem.empty() && !object.is_object())
    problem = "a post must be a JSON object";
  if (problem.empty()) {
    auto parsed = PostFromJson(object, "post");
    if (auto* post = std::get_if<postlint::Post>(&parsed)) {
      post->source = "<api>";
      std::string untrusted;
      const auto session = Session(*impl_, &untrusted);
      if (!session)
        return ToReport(Engine::ErrorResult({"<api>", 0, "", untrusted}));
      return ToReport(session->Check(std::move(*post)));
    }
    problem = std::get<std::string>(parsed);
  }
  return ToReport(Engine::ErrorResult({"<api>", 0, "", problem}));
}

std::string Checker::policy_name() const {
  return impl_->engine->policy().name;
}
std::string Checker::policy_version() const {
  return impl_->engine->policy().version;
}
std::string Checker::policy_sha256() const {
  return impl_->engine->policy().sha256;
}

}  // namespace postlint::api
