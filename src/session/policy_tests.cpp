#include "session/policy_tests.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "core/utf8.h"
#include "core/yaml_limits.h"
#include "io/post_reader.h"
#include "session/check_session.h"

namespace postlint {

namespace fs = std::filesystem;

std::string PolicyTestsPath(const std::string& policy_path) {
  fs::path p(policy_path);
  const fs::path tests = p.parent_path() / (p.stem().string() + ".tests.yaml");
  std::error_code ec;
  return fs::exists(tests, ec) ? tests.string() : std::string();
}

namespace {

// YAML scalar/sequence/map -> JSON, so test posts go through the same PostFromJson as inputs.
nlohmann::json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& item : node)
        a.push_back(ToJson(item));
      return a;
    }
    case YAML::NodeType::Map: {
      nlohmann::json o = nlohmann::json::object();
      for (auto it = node.begin(); it != node.end(); ++it) {
        o[it->first.as<std::string>("")] = ToJson(it->second);
      }
      return o;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      bool b = false;
      if (node.Tag() != "!" && YAML::convert<bool>::decode(node, b) &&
          (s == "true" || s == "false")) {
        return b;
      }
      return s;
    }
    default:
      return nullptr;
  }
}

std::vector<std::string> List(const YAML::Node& node) {
  std::vector<std::string> out;
  if (!node.IsDefined())
    return out;
  if (node.IsScalar())
    out.push_back(node.Scalar());
  if (node.IsSequence()) {
    for (const auto& item : node)
      out.push_back(item.as<std::string>(""));
  }
  return out;
}

}  // namespace

std::vector<PolicyTestCase> LoadPolicyTests(const std::string& path, const Engine& engine,
                                            Diagnostics& diags) {
  std::vector<PolicyTestCase> out;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    diags.Add(path, static_cast<uint32_t>(e.mark.line + 1),
              static_cast<uint32_t>(e.mark.column + 1), "invalid YAML: " + e.msg);
    return out;
  }
  if (auto problem = CheckYamlLimits(root)) {
    diags.Add(path, static_cast<uint32_t>(problem->mark.line + 1),
              static_cast<uint32_t>(problem->mark.column + 1), problem->message);
    return out;
  }
  const YAML::Node tests = root["tests"];
  if (!root.IsMap() || !tests || !tests.IsSequence()) {
    diags.Add(path, 1, 1, "a policy tests file needs a 'tests' list");
    return out;
  }
  std::set<std::string> rule_ids;
  for (const auto& r : engine.rules())
    rule_ids.insert(r->spec().id);
  const std::vector<std::string> keys = {"name",   "post",   "text",     "verdict",
                                         "expect", "forbid", "review_by"};
  const std::vector<std::string> ids(rule_ids.begin(), rule_ids.end());
  for (const YAML::Node& t : tests) {
    const SourceLocation loc = LocationOf(t, path);
    if (!t.IsMap()) {
      diags.Add(path, loc.line, loc.column, "each test must be a mapping");
      continue;
    }
    PolicyTestCase c;
    c.file = path;
    c.line = loc.line;
    for (auto it = t.begin(); it != t.end(); ++it) {
      const std::string key = it->first.as<std::string>("");
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        const SourceLocation k = LocationOf(it->first, path);
        diags.Add(path, k.line, k.column,
                  "unknown key '" + key + "' in test" + DidYouMean(key, keys) +
                      "; expected name, post (or text), verdict, expect, forbid, review_by");
      }
    }
    c.name = t["name"] ? t["name"].as<std::string>("") : "test at line " + std::to_string(c.line);
    nlohmann::json post = nlohmann::json::object();
    if (t["post"]) {
      post = ToJson(t["post"]);
    } else if (t["text"]) {
      post["text"] = t["text"].as<std::string>("");
    }
    if (!post.is_object())
      post = nlohmann::json::object();
    auto parsed = PostFromJson(post, c.name);
    if (auto* message = std::get_if<std::string>(&parsed)) {
      diags.Add(path, loc.line, loc.column, "test '" + c.name + "': " + *message);
      continue;
    }
    c.post = std::get<Post>(std::move(parsed));
    c.post.source = path;
    if (const YAML::Node v = t["verdict"]) {
      const auto verdict = ParseGateVerdict(v.as<std::string>(""));
      if (!verdict) {
        const SourceLocation vl = LocationOf(v, path);
        diags.Add(path, vl.line, vl.column, "verdict must be pass, review or fail");
        continue;
      }
      c.verdict = verdict;
    }
    if (const YAML::Node e = t["expect"])
      c.expect = List(e);
    if (const YAML::Node f = t["forbid"])
      c.forbid = List(f);
    if (const YAML::Node v = t["review_by"]) {
      c.review_by = List(v);
      for (const auto& role : *c.review_by) {
        if (!engine.policy().roles.count(role)) {
          const SourceLocation rl = LocationOf(v, path);
          diags.Add(path, rl.line, rl.column,
                    "test '" + c.name + "' expects review by role '" + role +
                        "', which the policy does not declare");
        }
      }
    }
    for (const auto* list : {&c.expect, &c.forbid}) {
      for (const auto& id : *list) {
        if (!rule_ids.count(id)) {
          diags.Add(path, loc.line, loc.column,
                    "test '" + c.name + "' names rule '" + id + "', which the policy does not " +
                        "have (or has disabled)" + DidYouMean(id, ids));
        }
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<PolicyTestOutcome> RunPolicyTests(const Engine& engine,
                                              const std::vector<PolicyTestCase>& tests) {
  std::vector<PolicyTestOutcome> out;
  // A policy test gives the same answer on every machine: it never goes on the network, and
  // routes a new post as the gate does: no waivers, no approvals yet.
  SessionOptions options;
  options.check.live_checks = false;
  const CheckSession session(engine, options);
  for (const auto& t : tests) {
    PolicyTestOutcome o;
    o.test = &t;
    PostResult r = session.Check(t.post);
    std::set<std::string> fired;
    for (const auto& f : r.findings)
      fired.insert(f.rule);
    if (t.verdict && *t.verdict != r.verdict) {
      o.passed = false;
      o.expected.push_back("verdict: " + std::string(ToString(*t.verdict)));
      o.actual.push_back("verdict: " + std::string(ToString(r.verdict)));
    }
    for (const auto& id : t.expect) {
      if (!fired.count(id)) {
        o.passed = false;
        o.expected.push_back("finding from rule " + id);
      }
    }
    for (const auto& id : t.forbid) {
      if (fired.count(id)) {
        o.passed = false;
        o.expected.push_back("no finding from rule " + id);
      }
    }
    if (t.review_by) {
      std::vector<std::string> want = *t.review_by;
      std::vector<std::string> got =
          r.review ? r.review->required_roles : std::vector<std::string>{};
      std::sort(want.begin(), want.end());
      std::sort(got.begin(), got.end());
      if (want != got) {
        o.passed = false;
        o.expected.push_back("review by [" + Join(want) + "]");
        o.actual.push_back("review by [" + Join(got) + "]");
      }
    }
    if (!o.passed) {
      for (const auto& f : r.findings) {
        o.actual.push_back("finding " + f.rule + " (" + std::string(ToString(f.level)) +
                           "): " + f.message);
      }
      if (r.findings.empty())
        o.actual.push_back("no findings");
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace postlint
