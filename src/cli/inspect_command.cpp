// postlint inspect: shows how postlint sees each post (lengths per network, entities).
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "analysis/analyzed_post.h"
#include "cli/common.h"

namespace postlint::cli {

namespace {

nlohmann::json EntitiesJson(const AnalyzedPost& a,
                            const std::vector<const twitter::Entity*>& entities) {
  nlohmann::json out = nlohmann::json::array();
  const TextPositionIndex& pos = a.positions();
  for (const auto* e : entities) {
    out.push_back({{"text", std::string(a.text().substr(e->range.begin, e->range.size()))},
                   {"value", std::string(e->value)},
                   {"start", pos.At(e->range.begin).code_point},
                   {"end", pos.At(e->range.end).code_point}});
  }
  return out;
}

nlohmann::json InspectJson(const Post& post, const Engine& engine,
                           const std::vector<std::string>& fallback) {
  AnalyzedPost a(post);
  nlohmann::json j;
  j["id"] = post.id;
  j["source"] = post.source;
  j["graphemes"] = a.grapheme_count();
  j["code_points"] = a.Length(LengthUnit::kCodePoints);
  j["utf16"] = a.Length(LengthUnit::kUtf16);
  j["bytes"] = a.Length(LengthUnit::kUtf8Bytes);
  // The post's networks, else every network the policy knows, so writers see them all.
  std::vector<std::string> networks = post.networks;
  if (networks.empty())
    networks = fallback;
  if (networks.empty())
    networks = engine.policy().default_networks;
  if (networks.empty()) {
    for (const auto& [name, profile] : engine.policy().networks)
      networks.push_back(name);
  }
  nlohmann::json lengths = nlohmann::json::object();
  for (const auto& n : networks) {
    nlohmann::json entry;
    const NetworkProfile* profile = engine.policy().FindNetwork(n);
    if (!profile || profile->length.empty()) {
      entry = {{"unit", "code-points"},
               {"length", a.Length(LengthUnit::kCodePoints)},
               {"limit", nullptr}};
    } else {
      nlohmann::json limits = nlohmann::json::array();
      for (const auto& l : profile->length) {
        const uint32_t length = a.Length(l.unit);
        limits.push_back({{"unit", ToString(l.unit)},
                          {"length", length},
                          {"limit", l.max},
                          {"fits", length <= l.max}});
      }
      entry = limits.front();
      if (limits.size() > 1)
        entry["limits"] = limits;
    }
    if (profile && profile->max_hashtags)
      entry["max_hashtags"] = *profile->max_hashtags;
    lengths[n] = entry;
  }
  j["lengths"] = lengths;
  j["urls"] = EntitiesJson(a, a.urls());
  j["hashtags"] = EntitiesJson(a, a.hashtags());
  j["mentions"] = EntitiesJson(a, a.mentions());
  j["cashtags"] = EntitiesJson(a, a.cashtags());
  return j;
}

}  // namespace

void AddInspectCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<CommonOptions>();
  auto format = std::make_shared<std::string>("json");
  CLI::App* cmd =
      app.add_subcommand("inspect",
                         "Show how postlint sees each post: lengths per network, URLs, hashtags, "
                         "mentions and cashtags with code point offsets");
  cmd->add_option("paths", opts->paths, "Draft files or directories; '-' or none: stdin");
  cmd->add_option("-p,--policy", opts->policy, "Policy file (for network limits)");
  AddPolicyPathOption(cmd);
  cmd->add_option("-f,--format", *format, "Output format")->check(CLI::IsMember({"json", "jsonl"}));
  AddInputOptions(cmd, *opts);
  cmd->footer(ExitCodeFooter({kExitPass, kExitError}) +
              "Exit 2 also when there was nothing to inspect (no input, no post).\n");
  cmd->callback([opts, format, &exit_code] {
    auto engine = LoadEngine(opts->policy);
    if (!engine) {
      exit_code = kExitError;
      return;
    }
    const std::optional<CheckOptions> check = MakeCheckOptions(*opts, *engine);
    if (!check) {
      exit_code = kExitError;
      return;
    }
    const auto& fallback = check->fallback_networks;
    nlohmann::json all = nlohmann::json::array();
    bool networks_ok = true;
    const InputSummary inputs =
        ForEachRecord(opts->paths, MakeReadOptions(*opts), [&](InputRecord&& r) {
          nlohmann::json j;
          const Post* post = std::get_if<Post>(&r);
          std::optional<std::string> unknown;
          for (size_t i = 0; post && i < post->networks.size() && !unknown; ++i)
            unknown = engine->policy().UnknownNetworkProblem(post->networks[i]);
          if (post && unknown) {
            networks_ok = false;
            j = {{"id", post->id},
                 {"source", post->source},
                 {"error", {{"message", *unknown}, {"line", post->source_line}}}};
          } else if (post) {
            j = InspectJson(*post, *engine, fallback);
          } else {
            const auto& e = std::get<ReadError>(r);
            j = {{"id", e.id},
                 {"source", e.source},
                 {"error", {{"message", e.message}, {"line", e.line}}}};
          }
          if (*format == "jsonl") {
            std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
          } else {
            all.push_back(std::move(j));
          }
        });
    if (*format == "json") {
      std::cout << all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    if (inputs.records == 0 && inputs.ok)
      std::cerr << "postlint: nothing to inspect: the input holds no posts\n";
    exit_code = inputs.ok && networks_ok && inputs.records > 0 ? kExitPass : kExitError;
  });
}

}  // namespace postlint::cli
