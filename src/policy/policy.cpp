#include "policy/policy.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

#include "core/byte_size.h"
#include "core/clock.h"
#include "core/hash.h"
#include "core/networks.h"
#include "core/redaction.h"
#include "core/utf8.h"
#include "core/yaml_limits.h"
#include "policy/policy_limits.h"

namespace postlint {

namespace fs = std::filesystem;

SourceLocation LocationOf(const YAML::Node& node, const std::string& file) {
  SourceLocation loc;
  loc.file = file;
  if (node.IsDefined()) {
    const YAML::Mark mark = node.Mark();
    if (mark.line >= 0)
      loc.line = static_cast<uint32_t>(mark.line + 1);
    if (mark.column >= 0)
      loc.column = static_cast<uint32_t>(mark.column + 1);
  }
  return loc;
}

bool Condition::empty() const {
  return networks.empty() && accounts.empty() && authors.empty() && langs.empty() &&
         !sponsored.has_value() && labels.empty();
}

namespace {

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool LangMatches(const std::vector<std::string>& langs, const std::string& post_lang) {
  for (const auto& l : langs) {
    if (post_lang == l)
      return true;
    // "en" matches "en-GB" and "en_GB".
    if (post_lang.size() > l.size() && post_lang.compare(0, l.size(), l) == 0 &&
        (post_lang[l.size()] == '-' || post_lang[l.size()] == '_')) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool Condition::Matches(const Post& post, const std::string& network) const {
  if (!networks.empty() && !Contains(networks, network))
    return false;
  if (!accounts.empty() && !Contains(accounts, post.account))
    return false;
  if (!authors.empty() && !Contains(authors, post.author))
    return false;
  if (!langs.empty() && !LangMatches(langs, post.lang))
    return false;
  if (sponsored && post.sponsored.value_or(false) != *sponsored)
    return false;
  for (const auto& [key, values] : labels) {
    const auto it = post.labels.find(key);
    if (it == post.labels.end() || !Contains(values, it->second))
      return false;
  }
  return true;
}

const NetworkProfile* Policy::FindNetwork(const std::string& network) const {
  const auto it = networks.find(network);
  return it == networks.end() ? nullptr : &it->second;
}

std::optional<std::string> Policy::UnknownNetworkProblem(const std::string& canonical) const {
  if (networks.count(canonical) != 0 || IsKnownNetwork(canonical))
    return std::nullopt;
  std::vector<std::string> names = KnownNetworkNames();
  std::vector<std::string> spellings = KnownNetworkSpellings();
  for (const auto& [defined, profile] : networks) {
    if (!Contains(names, defined)) {
      names.push_back(defined);
      spellings.push_back(defined);
    }
  }
  // The name comes from the post (or a request): quoted short and redacted, like any input.
  std::string message = "unknown network '" + QuoteUntrusted(canonical, 32) + "'";
  const std::string closest = SuggestClosest(canonical, spellings);
  if (!closest.empty()) {
    const std::string target = CanonicalNetworkName(closest);
    message +=
        " (did you mean '" + closest + "'" + (target != closest ? " (" + target + ")" : "") + "?)";
  }
  return message + "; networks: " + Join(names);
}

const RuleSpec* Policy::FindRule(const std::string& id) const {
  const auto it =
      std::find_if(rules.begin(), rules.end(), [&](const RuleSpec& r) { return r.id == id; });
  return it == rules.end() ? nullptr : &*it;
}

Verdict Policy::VerdictFor(const std::vector<Finding>& findings) const {
  Verdict verdict = Verdict::kPass;
  for (const auto& f : findings) {
    if (f.suppression)
      continue;
    const auto it = gate.find(f.level);
    verdict = std::max(verdict, it == gate.end() ? Verdict::kPass : it->second);
  }
  return verdict;
}

namespace {

std::vector<std::string> RolesFor(const RuleSpec* rule,
                                  const std::optional<std::vector<std::string>> RuleSpec::*field,
                                  const std::map<Level, std::vector<std::string>>& by_level,
                                  Level level) {
  if (rule != nullptr && (rule->*field).has_value())
    return *(rule->*field);
  const auto it = by_level.find(level);
  return it == by_level.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace

std::vector<std::string> Policy::ReviewRoles(const std::string& rule, Level level) const {
  return RolesFor(FindRule(rule), &RuleSpec::review_by, routing.review_by, level);
}

std::vector<std::string> Policy::WaiverRoles(const std::string& rule, Level level) const {
  return RolesFor(FindRule(rule), &RuleSpec::waivable_by, routing.waivable_by, level);
}

namespace {

const std::vector<std::string> kTopLevelKeys = {"name",    "version",  "description",
                                                "extends", "networks", "default_networks",
                                                "rules",   "gate",     "roles"};
const std::vector<std::string> kRoleKeys = {"description", "members"};
const std::vector<std::string> kGateRoutingKeys = {"review_by", "waivable_by", "approval_deadline"};
const std::vector<std::string> kNetworkKeys = {"name", "length", "max_hashtags", "max_mentions",
                                               "max_links"};
const std::vector<std::string> kLengthKeys = {"unit", "max"};
const std::vector<std::string> kConditionKeys = {"network",   "networks", "account", "accounts",
                                                 "author",    "authors",  "lang",    "langs",
                                                 "sponsored", "labels"};
const std::vector<std::string> kLevelNames = {"error", "warning", "info"};
const std::vector<std::string> kVerdictNames = {"pass", "review", "fail"};

std::string NodeTypeName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      return "nothing";
  }
}

bool IsValidRuleId(const std::string& id) {
  if (id.empty() || id.size() > 100)
    return false;
  if (!std::isalnum(static_cast<unsigned char>(id[0])))
    return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

class Loader {
 public:
  Loader(Diagnostics& diags, const PolicyLoadOptions& options) : diags_(diags), options_(options) {}

  bool LoadFile(const std::string& path, Policy& policy, uint32_t depth,
                const std::string& canonical = {}) {
    std::string yaml;
    std::string error;
    if (!ReadPolicyFile(canonical.empty() ? path : canonical, &yaml, &error)) {
      diags_.Add(path, 0, 0, error);
      return false;
    }
    return LoadString(yaml, path, policy, depth, canonical);
  }

  // `canonical`: the file's canonical path when `extends` resolved it (else worked out here).
  bool LoadString(const std::string& yaml, const std::string& file, Policy& policy, uint32_t depth,
                  std::string canonical = {}) {
    if (canonical.empty())
      canonical = Canonical(file);
    if (Contains(stack_, canonical)) {
      diags_.Add(file, 0, 0, "policy extends itself (cycle: " + Join(stack_) + " -> " + file + ")");
      return false;
    }
    // Loaded already through another path of `extends` (a diamond): its settings are in.
    if (loaded_.count(canonical) != 0)
      return true;
    if (depth > kMaxExtendsDepth) {
      diags_.Add(
          file, 0, 0,
          "policy 'extends' chain is deeper than " + std::to_string(kMaxExtendsDepth) + " files");
      return false;
    }
    if (loaded_.size() >= kMaxPolicyFiles) {
      diags_.Add(file, 0, 0,
                 "policy loads more than " + std::to_string(kMaxPolicyFiles) +
                     " files through 'extends'; a policy may load at most that many");
      return false;
    }
    if (yaml.size() > kMaxPolicyFileBytes) {
      diags_.Add(file, 0, 0,
                 "policy is " + FormatBytes(yaml.size()) + "; a policy may be at most " +
                     FormatBytes(kMaxPolicyFileBytes));
      return false;
    }
    loaded_.insert(canonical);
    YAML::Node root;
    try {
      root = YAML::Load(yaml);
    } catch (const YAML::Exception& e) {
      diags_.Add(file, static_cast<uint32_t>(e.mark.line + 1),
                 static_cast<uint32_t>(e.mark.column + 1), "invalid YAML: " + e.msg);
      return false;
    }
    // Before anything walks the tree: aliases may make it exponentially larger than the text.
    if (auto problem = CheckYamlLimits(root)) {
      diags_.Add(file, static_cast<uint32_t>(problem->mark.line + 1),
                 static_cast<uint32_t>(problem->mark.column + 1), problem->message);
      return false;
    }
    if (root.IsNull()) {
      diags_.Add(file, 1, 1, "policy is empty; expected a mapping with 'name' and 'rules'");
      return false;
    }
    if (!root.IsMap()) {
      Error(root, file, "policy must be a mapping, not " + NodeTypeName(root));
      return false;
    }
    ReportDuplicateKeys(root, file);
    stack_.push_back(canonical);
    // Parents first, so this file's settings override theirs.
    if (const YAML::Node extends = root["extends"]) {
      for (const auto& ref : StringList(extends, file, "extends")) {
        // Refused before anything is opened: a file outside the roots is never read.
        const ExtendsTarget target = ResolveExtends(ref.value, file, options_);
        if (!target.error.empty()) {
          Error(ref.node, file, target.error);
          continue;
        }
        LoadFile(target.path, policy, depth + 1, target.canonical);
      }
    }
    policy.files.push_back(file);
    // Contents only, length-prefixed: the same policy checked out anywhere has the same sha256,
    // which is what auditors compare in the decision log.
    AppendLengthPrefixed(hash_input_, yaml);
    for (auto it = root.begin(); it != root.end(); ++it) {
      const std::string key = it->first.as<std::string>("");
      const YAML::Node value = it->second;
      if (key == "extends")
        continue;
      if (key == "name") {
        if (auto s = Scalar(value, file, "name"))
          policy.name = *s;
      } else if (key == "version") {
        if (auto s = Scalar(value, file, "version"))
          policy.version = *s;
      } else if (key == "description") {
        if (auto s = Scalar(value, file, "description"))
          policy.description = *s;
      } else if (key == "networks") {
        LoadNetworks(value, file, policy);
      } else if (key == "default_networks") {
        policy.default_networks.clear();
        for (const auto& n : StringList(value, file, "default_networks")) {
          policy.default_networks.push_back(CanonicalNetworkName(n.value));
          network_refs_.push_back(
              {CanonicalNetworkName(n.value), LocationOf(n.node, file), "default_networks"});
        }
      } else if (key == "rules") {
        LoadRules(value, file, policy);
      } else if (key == "gate") {
        LoadGate(value, file, policy);
      } else if (key == "roles") {
        LoadRoles(value, file, policy);
      } else {
        Error(it->first, file,
              "unknown key '" + key + "' in policy; expected one of: " + Join(kTopLevelKeys) +
                  DidYouMean(key, kTopLevelKeys));
      }
    }
    stack_.pop_back();
    return true;
  }

  std::string hash_input() const { return hash_input_; }

  // yaml-cpp keeps one of two equal keys silently; a policy with two `rules:` would lose half of
  // its rules without a word. Every mapping, at any depth, is checked.
  void ReportDuplicateKeys(const YAML::Node& node, const std::string& file) {
    if (node.IsSequence()) {
      for (const auto& item : node)
        ReportDuplicateKeys(item, file);
      return;
    }
    if (!node.IsMap())
      return;
    std::map<std::string, YAML::Node> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it->first.IsScalar()) {
        const auto [first, inserted] = seen.emplace(it->first.Scalar(), it->first);
        if (!inserted) {
          Error(it->first, file,
                "duplicate key '" + it->first.Scalar() + "' (first at line " +
                    std::to_string(LocationOf(first->second, file).line) +
                    "); YAML keeps only one of them");
        }
      }
      ReportDuplicateKeys(it->second, file);
    }
  }

  // Network names are checked once every file is loaded: a policy may name a network that a
  // file it extends defines.
  void CheckNetworkReferences(const Policy& policy) {
    for (const auto& ref : network_refs_) {
      if (auto problem = policy.UnknownNetworkProblem(ref.role)) {
        diags_.Add(ref.location.file, ref.location.line, ref.location.column,
                   "in '" + ref.what + "': " + *problem);
      }
    }
  }

  // Roles are checked once every file is loaded: a pack may route to a role that the policy
  // extending it declares.
  void CheckRoleReferences(const Policy& policy) {
    std::vector<std::string> declared;
    for (const auto& [name, role] : policy.roles)
      declared.push_back(name);
    for (const auto& ref : role_refs_) {
      if (policy.roles.count(ref.role))
        continue;
      diags_.Add(ref.location.file, ref.location.line, ref.location.column,
                 "unknown role '" + ref.role + "' in '" + ref.what + "'; " +
                     (declared.empty()
                          ? std::string("declare it under 'roles'")
                          : "declared roles: " + Join(declared) + DidYouMean(ref.role, declared)));
    }
  }

 private:
  struct StringRef {
    std::string value;
    YAML::Node node;
  };

  void Error(const YAML::Node& node, const std::string& file, const std::string& message) {
    const SourceLocation loc = LocationOf(node, file);
    diags_.Add(file, loc.line, loc.column, message);
  }

  static std::string Canonical(const std::string& file) {
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(file, ec);
    return ec ? file : p.string();
  }

  std::optional<std::string> Scalar(const YAML::Node& node, const std::string& file,
                                    const std::string& what) {
    if (!node.IsScalar()) {
      Error(node, file, "'" + what + "' must be a string, not " + NodeTypeName(node));
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::vector<StringRef> StringList(const YAML::Node& node, const std::string& file,
                                    const std::string& what) {
    std::vector<StringRef> out;
    if (node.IsScalar()) {
      out.push_back({node.Scalar(), node});
    } else if (node.IsSequence()) {
      for (const auto& item : node) {
        if (item.IsScalar()) {
          out.push_back({item.Scalar(), item});
        } else {
          Error(item, file, "items of '" + what + "' must be strings, not " + NodeTypeName(item));
        }
      }
    } else {
      Error(node, file,
            "'" + what + "' must be a string or a list of strings, not " + NodeTypeName(node));
    }
    return out;
  }

  std::optional<uint32_t> UInt(const YAML::Node& node, const std::string& file,
                               const std::string& what) {
    if (node.IsScalar()) {
      const std::string& s = node.Scalar();
      if (!s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), ::isdigit)) {
        return static_cast<uint32_t>(std::stoul(s));
      }
    }
    Error(node, file,
          "'" + what + "' must be a non-negative integer, not '" +
              (node.IsScalar() ? node.Scalar() : NodeTypeName(node)) + "'");
    return std::nullopt;
  }

  std::optional<bool> Bool(const YAML::Node& node, const std::string& file,
                           const std::string& what) {
    bool value = false;
    if (node.IsScalar() && YAML::convert<bool>::decode(node, value))
      return value;
    Error(node, file,
          "'" + what + "' must be true or false, not '" +
              (node.IsScalar() ? node.Scalar() : NodeTypeName(node)) + "'");
    return std::nullopt;
  }

  void CheckKeys(const YAML::Node& map, const std::string& file, const std::string& where,
                 const std::vector<std::string>& allowed) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string key = it->first.as<std::string>("");
      if (!Contains(allowed, key)) {
        Error(it->first, file,
              "unknown key '" + key + "' in " + where + "; expected one of: " + Join(allowed) +
                  DidYouMean(key, allowed));
      }
    }
  }

  void LoadNetworks(const YAML::Node& node, const std::string& file, Policy& policy) {
    if (!node.IsMap()) {
      Error(node, file, "'networks' must be a mapping of network name to limits");
      return;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string name = CanonicalNetworkName(it->first.as<std::string>(""));
      const YAML::Node spec = it->second;
      if (!spec.IsMap()) {
        Error(spec, file,
              "network '" + name + "' must be a mapping with keys: " + Join(kNetworkKeys));
        continue;
      }
      CheckKeys(spec, file, "network '" + name + "'", kNetworkKeys);
      // Later files refine earlier ones key by key.
      NetworkProfile& profile = policy.networks[name];
      profile.name = name;
      if (const YAML::Node n = spec["name"]) {
        if (auto s = Scalar(n, file, "name"))
          profile.display_name = *s;
      }
      if (profile.display_name.empty())
        profile.display_name = name;
      if (const YAML::Node length = spec["length"]) {
        std::vector<LengthLimit> limits;
        auto read_one = [&](const YAML::Node& l) {
          if (!l.IsMap()) {
            Error(l, file, "a length limit must be a mapping like {unit: graphemes, max: 300}");
            return;
          }
          CheckKeys(l, file, "length limit of network '" + name + "'", kLengthKeys);
          LengthLimit limit;
          bool ok = true;
          if (const YAML::Node u = l["unit"]) {
            const std::string unit = u.as<std::string>("");
            if (auto parsed = ParseLengthUnit(unit)) {
              limit.unit = *parsed;
            } else {
              ok = false;
              Error(u, file,
                    "unknown length unit '" + unit + "'; expected one of: " +
                        Join(LengthUnitNames()) + DidYouMean(unit, LengthUnitNames()));
            }
          }
          if (const YAML::Node m = l["max"]) {
            if (auto v = UInt(m, file, "max")) {
              limit.max = *v;
            } else {
              ok = false;
            }
          } else {
            ok = false;
            Error(l, file, "length limit of network '" + name + "' needs 'max'");
          }
          if (ok)
            limits.push_back(limit);
        };
        if (length.IsSequence()) {
          for (const auto& l : length)
            read_one(l);
        } else {
          read_one(length);
        }
        profile.length = limits;
      }
      auto read_cap = [&](const char* key, std::optional<uint32_t>& slot) {
        if (const YAML::Node v = spec[key]) {
          if (v.IsNull()) {
            slot.reset();
          } else if (auto n = UInt(v, file, key)) {
            slot = *n;
          }
        }
      };
      read_cap("max_hashtags", profile.max_hashtags);
      read_cap("max_mentions", profile.max_mentions);
      read_cap("max_links", profile.max_links);
    }
  }

  void LoadGate(const YAML::Node& node, const std::string& file, Policy& policy) {
    if (!node.IsMap()) {
      Error(node, file, "'gate' must map levels to verdicts, e.g. {error: fail, warning: review}");
      return;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string key = it->first.as<std::string>("");
      if (key == "review_by" || key == "waivable_by") {
        LoadRoutingByLevel(
            it->second, file, key,
            key == "review_by" ? policy.routing.review_by : policy.routing.waivable_by);
        continue;
      }
      if (key == "approval_deadline") {
        LoadDeadline(it->second, file, policy.routing);
        continue;
      }
      if (key == "allow_self_approval") {
        if (auto b = Bool(it->second, file, "allow_self_approval"))
          policy.routing.allow_self_approval = *b;
        continue;
      }
      const auto level = ParseLevel(key);
      if (!level) {
        std::vector<std::string> keys = kLevelNames;
        keys.insert(keys.end(), kGateRoutingKeys.begin(), kGateRoutingKeys.end());
        Error(it->first, file,
              "unknown key '" + key + "' in 'gate'; expected a level (" + Join(kLevelNames) +
                  ") or one of: " + Join(kGateRoutingKeys) + DidYouMean(key, keys));
        continue;
      }
      const std::string value = it->second.as<std::string>("");
      const auto verdict = ParseGateVerdict(value);
      if (!verdict) {
        Error(it->second, file,
              "invalid verdict '" + value + "' for level '" + key +
                  "'; expected one of: " + Join(kVerdictNames) + DidYouMean(value, kVerdictNames));
        continue;
      }
      policy.gate[*level] = *verdict;
    }
  }

  // `review_by: editor`, `review_by: [editor, legal]` (every level) or
  // `review_by: {warning: editor, info: [social-lead]}` (per level, merged over inherited ones).
  void LoadRoutingByLevel(const YAML::Node& node, const std::string& file, const std::string& what,
                          std::map<Level, std::vector<std::string>>& out) {
    if (node.IsMap()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = it->first.as<std::string>("");
        const auto level = ParseLevel(key);
        if (!level) {
          Error(it->first, file,
                "unknown level '" + key + "' in '" + what +
                    "'; expected one of: " + Join(kLevelNames) + DidYouMean(key, kLevelNames));
          continue;
        }
        out[*level] = RoleList(it->second, file, what);
      }
      return;
    }
    const std::vector<std::string> roles = RoleList(node, file, what);
    for (Level level : {Level::kInfo, Level::kWarning, Level::kError})
      out[level] = roles;
  }

  std::vector<std::string> RoleList(const YAML::Node& node, const std::string& file,
                                    const std::string& what) {
    std::vector<std::string> roles;
    for (const auto& ref : StringList(node, file, what)) {
      if (!Contains(roles, ref.value))
        roles.push_back(ref.value);
      role_refs_.push_back({ref.value, LocationOf(ref.node, file), what});
    }
    return roles;
  }

  // The duration grammar of the whole project (core/clock.h: "90m", "24h", "2d", "2w"), a bare
  // number of hours (written before that grammar), or 0 for none.
  void LoadDeadline(const YAML::Node& node, const std::string& file, GateRouting& routing) {
    const std::string text = node.IsScalar() ? node.Scalar() : "";
    if (text == "0") {
      routing.approval_deadline_seconds = 0;
      return;
    }
    const bool hours =
        !text.empty() && text.size() <= 5 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (hours) {
      routing.approval_deadline_seconds = static_cast<int64_t>(std::stoul(text)) * 3600;
      return;
    }
    if (const auto seconds = ParseDuration(text)) {
      routing.approval_deadline_seconds = *seconds;
      return;
    }
    Error(node, file,
          "invalid 'approval_deadline' '" + text +
              "'; expected a duration such as 90m, 24h, 2d or 2w (0 for none)");
  }

  // roles: {editor: {description: ..., members: [...]}, legal: "Signs off claims"}
  void LoadRoles(const YAML::Node& node, const std::string& file, Policy& policy) {
    if (!node.IsMap()) {
      Error(node, file,
            "'roles' must map role names to a description or {description, members}, e.g. "
            "{editor: {members: [bob]}}");
      return;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string name = it->first.as<std::string>("");
      if (!IsValidRuleId(name)) {
        Error(it->first, file,
              "invalid role name '" + name + "'; use letters, digits, '-', '_' and '.' only");
        continue;
      }
      RoleSpec role;
      role.name = name;
      const YAML::Node value = it->second;
      if (value.IsScalar()) {
        role.description = value.Scalar();
      } else if (value.IsMap()) {
        CheckKeys(value, file, "role '" + name + "'", kRoleKeys);
        if (const YAML::Node v = value["description"]) {
          if (auto s = Scalar(v, file, "description"))
            role.description = *s;
        }
        if (const YAML::Node v = value["members"]) {
          for (const auto& m : StringList(v, file, "members"))
            role.members.push_back(m.value);
        }
      } else if (!value.IsNull()) {
        Error(
            value, file,
            "role '" + name + "' must be a description or a mapping with description and members");
        continue;
      }
      policy.roles[name] = std::move(role);
    }
  }

  void LoadCondition(const YAML::Node& node, const std::string& file, Condition& cond) {
    if (!node.IsMap()) {
      Error(node, file, "'when' must be a mapping of post fields to values, e.g. {network: x}");
      return;
    }
    CheckKeys(node, file, "'when'", kConditionKeys);
    auto list = [&](const char* a, const char* b, std::vector<std::string>& out, bool network) {
      for (const char* key : {a, b}) {
        if (const YAML::Node v = node[key]) {
          for (const auto& s : StringList(v, file, key)) {
            out.push_back(network ? CanonicalNetworkName(s.value) : s.value);
            if (network)
              network_refs_.push_back({out.back(), LocationOf(s.node, file), "when"});
          }
        }
      }
    };
    list("network", "networks", cond.networks, true);
    list("account", "accounts", cond.accounts, false);
    list("author", "authors", cond.authors, false);
    list("lang", "langs", cond.langs, false);
    if (const YAML::Node v = node["sponsored"])
      cond.sponsored = Bool(v, file, "sponsored");
    if (const YAML::Node v = node["labels"]) {
      if (!v.IsMap()) {
        Error(v, file, "'labels' in 'when' must be a mapping of label to value(s)");
      } else {
        for (auto it = v.begin(); it != v.end(); ++it) {
          auto& values = cond.labels[it->first.as<std::string>("")];
          for (const auto& s : StringList(it->second, file, "labels"))
            values.push_back(s.value);
        }
      }
    }
  }

  void LoadRules(const YAML::Node& node, const std::string& file, Policy& policy) {
    if (!node.IsSequence()) {
      Error(node, file, "'rules' must be a list of rules, each with 'id' and 'kind'");
      return;
    }
    std::set<std::string> ids_in_file;
    for (const YAML::Node& rule : node) {
      if (!rule.IsMap()) {
        Error(rule, file,
              "each rule must be a mapping with 'id' and 'kind', not " + NodeTypeName(rule));
        continue;
      }
      const YAML::Node id_node = rule["id"];
      if (!id_node || !id_node.IsScalar() || id_node.Scalar().empty()) {
        Error(rule, file, "rule needs an 'id' (a short name such as 'no-profanity')");
        continue;
      }
      const std::string id = id_node.Scalar();
      if (!IsValidRuleId(id)) {
        Error(id_node, file,
              "invalid rule id '" + id + "'; use letters, digits, '-', '_' and '.' only");
        continue;
      }
      if (id.rfind("postlint.", 0) == 0) {
        Error(id_node, file,
              "rule id '" + id +
                  "' is reserved: ids starting with 'postlint.' name postlint's "
                  "own findings");
        continue;
      }
      if (!ids_in_file.insert(id).second) {
        Error(id_node, file, "duplicate rule id '" + id + "' in this file");
        continue;
      }
      auto existing = std::find_if(policy.rules.begin(), policy.rules.end(),
                                   [&](const RuleSpec& r) { return r.id == id; });
      const YAML::Node kind_node = rule["kind"];
      RuleSpec spec;
      if (kind_node) {
        if (!kind_node.IsScalar()) {
          Error(kind_node, file, "'kind' must be a string");
          continue;
        }
        spec.kind = kind_node.Scalar();
      } else if (existing != policy.rules.end()) {
        // No kind: a patch of an inherited rule (level, message, when, enabled).
        spec = *existing;
        for (auto it = rule.begin(); it != rule.end(); ++it) {
          const std::string key = it->first.as<std::string>("");
          static const std::vector<std::string> kPatchKeys = {
              "id",   "level",   "message",   "description",
              "when", "enabled", "review_by", "waivable_by"};
          if (!Contains(kPatchKeys, key)) {
            Error(it->first, file,
                  "rule '" + id + "' overrides an inherited rule without 'kind', so only " +
                      Join(kPatchKeys) + " may be set; add 'kind' to redefine it");
          }
        }
      } else {
        Error(rule, file, "rule '" + id + "' needs a 'kind'");
        continue;
      }
      spec.id = id;
      if (kind_node) {
        spec.node = rule;
        spec.location = LocationOf(rule, file);
      }
      if (const YAML::Node v = rule["level"]) {
        const std::string level = v.as<std::string>("");
        if (auto parsed = ParseLevel(level)) {
          spec.level = *parsed;
        } else {
          Error(v, file,
                "invalid level '" + level + "'; expected one of: " + Join(kLevelNames) +
                    DidYouMean(level, kLevelNames));
        }
      }
      if (const YAML::Node v = rule["message"]) {
        if (auto s = Scalar(v, file, "message"))
          spec.message = *s;
      }
      if (const YAML::Node v = rule["description"]) {
        if (auto s = Scalar(v, file, "description"))
          spec.description = *s;
      }
      if (const YAML::Node v = rule["enabled"]) {
        if (auto b = Bool(v, file, "enabled"))
          spec.enabled = *b;
      }
      if (const YAML::Node v = rule["when"]) {
        spec.when = Condition();
        LoadCondition(v, file, spec.when);
      }
      if (const YAML::Node v = rule["review_by"])
        spec.review_by = RoleList(v, file, "review_by");
      if (const YAML::Node v = rule["waivable_by"])
        spec.waivable_by = RoleList(v, file, "waivable_by");
      if (existing != policy.rules.end()) {
        *existing = std::move(spec);
      } else {
        policy.rules.push_back(std::move(spec));
      }
    }
  }

  struct RoleRef {
    std::string role;
    SourceLocation location;
    std::string what;
  };

  Diagnostics& diags_;
  const PolicyLoadOptions& options_;
  std::vector<std::string> stack_;  // canonical paths of the files being loaded
  std::set<std::string> loaded_;    // canonical paths of the files loaded (each once)
  std::string hash_input_;
  std::vector<RoleRef> role_refs_;
  std::vector<RoleRef> network_refs_;  // `role` holds the canonical network name
};

std::optional<Policy> Finish(Loader& loader, Policy policy, bool loaded, Diagnostics& diags) {
  if (!loaded)
    return std::nullopt;
  CheckPatternLimits(policy, diags);
  loader.CheckRoleReferences(policy);
  loader.CheckNetworkReferences(policy);
  for (Level level : {Level::kInfo, Level::kWarning, Level::kError}) {
    if (!policy.gate.count(level)) {
      policy.gate[level] = level == Level::kError     ? Verdict::kFail
                           : level == Level::kWarning ? Verdict::kReview
                                                      : Verdict::kPass;
    }
  }
  policy.sha256 = Sha256Hex(loader.hash_input());
  return policy;
}

}  // namespace

std::optional<Policy> LoadPolicyFile(const std::string& path, Diagnostics& diags,
                                     const PolicyLoadOptions& options) {
  Loader loader(diags, options);
  Policy policy;
  const bool loaded = loader.LoadFile(path, policy, 0);
  return Finish(loader, std::move(policy), loaded, diags);
}

std::optional<Policy> LoadPolicyString(const std::string& yaml, const std::string& file,
                                       Diagnostics& diags, const PolicyLoadOptions& options) {
  Loader loader(diags, options);
  Policy policy;
  const bool loaded = loader.LoadString(yaml, file, policy, 0);
  return Finish(loader, std::move(policy), loaded, diags);
}

std::string DiscoverPolicyPath(const std::string& start_dir) {
  std::error_code ec;
  fs::path dir = fs::absolute(start_dir, ec);
  while (!ec && !dir.empty()) {
    for (const char* name : {"postlint.yaml", ".postlint.yaml"}) {
      if (fs::exists(dir / name, ec))
        return (dir / name).string();
    }
    if (dir == dir.parent_path())
      break;
    dir = dir.parent_path();
  }
  return (fs::path(DataDir()) / "default.yaml").string();
}

}  // namespace postlint
